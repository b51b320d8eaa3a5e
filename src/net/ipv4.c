// IPv4 (RFC 791) input and output, routing, and ICMP echo (RFC 792)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // cpu_to_be16
#include "net/netpriv.h" // ip_input
#include "output.h" // dprintf
#include "string.h" // memcpy

static int
ip_is_broadcast(struct netif *nif, u32 ip)
{
    if (ip == IP_BROADCAST)
        return 1;
    u32 host = ~nif->netmask;
    return nif->ip && nif->netmask && host && ip == (nif->ip | host);
}

// Unicast to us and broadcasts; before we have an address (DHCP) anything.
static int
ip_for_us(struct netif *nif, u32 daddr)
{
    return !nif->ip || daddr == nif->ip || ip_is_broadcast(nif, daddr);
}

// Header length of a well-formed IPv4 packet (RFC 791 3.1), else 0.
static u16
ip_header_len(const u8 *pkt, u16 len)
{
    const struct ip_hdr *iph = (const void *)pkt;
    if (len < sizeof(*iph) || (iph->ver_ihl >> 4) != IP_VERSION)
        return 0;
    u16 hlen = (iph->ver_ihl & 0x0f) * 4;
    u16 tot = be16_to_cpu(iph->tot_len);
    if (hlen < sizeof(*iph) || tot < hlen || tot > len)
        return 0;
    if (net_checksum(pkt, hlen, 0))
        return 0;
    return hlen;
}

// RFC 792 "Echo or Echo Reply Message": answer echo requests sent to our
// address (not broadcasts) straight back to the sender's MAC.
static void
icmp_input(struct netif *nif, const u8 *src_mac, const struct ip_hdr *iph
           , const u8 *msg, u16 len)
{
    const struct icmp_echo *ic = (const void *)msg;
    if (len < sizeof(*ic) || len > ETH_DATA_LEN - sizeof(*iph)
        || net_checksum(msg, len, 0)) {
        nif->stats.rx_bad++;
        return;
    }
    if (ic->type != ICMP_ECHO_REQUEST || !nif->ip || iph->daddr != nif->ip
        || !iph->saddr || ip_is_broadcast(nif, iph->saddr)) {
        nif->stats.rx_ignored++;
        return;
    }
    u8 *out = ip_tx_payload(nif);
    memcpy(out, msg, len);
    struct icmp_echo *reply = (void *)out;
    reply->type = ICMP_ECHO_REPLY;
    reply->code = 0;
    reply->checksum = 0;
    reply->checksum = cpu_to_be16(net_checksum(out, len, 0));
    ip_output(nif, src_mac, iph->saddr, IP_PROTO_ICMP, len);
}

void
ip_input(struct netif *nif, const u8 *src_mac, const u8 *pkt, u16 len)
{
    const struct ip_hdr *iph = (const void *)pkt;
    u16 hlen = ip_header_len(pkt, len);
    if (!hlen) {
        nif->stats.rx_bad++;
        return;
    }
    // RFC 791 3.2: we do not reassemble, so every fragment is dropped.
    if (be16_to_cpu(iph->frag_off) & (IP_MF | IP_OFFMASK)
        || !ip_for_us(nif, iph->daddr)) {
        nif->stats.rx_ignored++;
        return;
    }
    const u8 *payload = pkt + hlen;
    u16 plen = be16_to_cpu(iph->tot_len) - hlen;    // Ethernet padding cut off
    switch (iph->protocol) {
    case IP_PROTO_ICMP:
        icmp_input(nif, src_mac, iph, payload, plen);
        break;
    case IP_PROTO_UDP:
        udp_input(nif, src_mac, iph, payload, plen);
        break;
    default:
        nif->stats.rx_ignored++;
        break;
    }
}

// Send the LEN-byte payload already at ip_tx_payload() to DST via DST_MAC.
int
ip_output(struct netif *nif, const u8 *dst_mac, u32 dst, u8 proto, u16 len)
{
    struct ip_hdr *iph = (void *)(nif->txbuf + ETH_HLEN);
    iph->ver_ihl = (IP_VERSION << 4) | (sizeof(*iph) / 4);
    iph->tos = 0;
    iph->tot_len = cpu_to_be16(sizeof(*iph) + len);
    iph->id = cpu_to_be16(nif->ip_id++);
    iph->frag_off = 0;
    iph->ttl = IP_TTL_DEFAULT;
    iph->protocol = proto;
    iph->check = 0;
    iph->saddr = nif->ip;
    iph->daddr = dst;
    iph->check = cpu_to_be16(net_checksum(iph, sizeof(*iph), 0));
    return eth_output(nif, dst_mac, ETH_P_IP, sizeof(*iph) + len);
}

// The MAC of the next hop towards DST: broadcasts go to the broadcast MAC,
// on-link hosts directly, others through GATEWAY (0: the interface's).
int
ip_route(struct netif *nif, u32 dst, u32 gateway, u8 *mac)
{
    if (!dst)
        return NET_EINVAL;
    if (ip_is_broadcast(nif, dst)) {
        memcpy(mac, eth_broadcast, ETH_ALEN);
        return 0;
    }
    u32 hop = dst;
    if ((dst ^ nif->ip) & nif->netmask) {
        hop = gateway ? gateway : nif->gateway;
        if (!hop)
            return NET_ENOROUTE;
    }
    return arp_resolve(nif, hop, mac);
}
