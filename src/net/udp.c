// UDP (RFC 768): port demultiplexing and sending
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // cpu_to_be16
#include "net/netpriv.h" // udp_input
#include "output.h" // dprintf
#include "string.h" // memcpy

#define UDP_PORT_FIRST 49152    // RFC 6335 6: the dynamic port range
#define UDP_PORT_COUNT 16384

void
udp_unbind(struct netif *nif, struct udp_pcb *pcb)
{
    struct udp_pcb **pp;
    for (pp = &nif->pcbs; *pp; pp = &(*pp)->next) {
        if (*pp == pcb) {
            *pp = pcb->next;
            pcb->next = NULL;
            return;
        }
    }
}

void
udp_bind(struct netif *nif, struct udp_pcb *pcb)
{
    udp_unbind(nif, pcb);   // binding twice must not make a loop
    pcb->next = nif->pcbs;
    nif->pcbs = pcb;
}

// The pcb bound to PORT; with WILDCARD, else one bound to port 0.
static struct udp_pcb *
udp_find(struct netif *nif, u16 port, int wildcard)
{
    struct udp_pcb *pcb, *any = NULL;
    for (pcb = nif->pcbs; pcb; pcb = pcb->next) {
        if (pcb->local_port == port)
            return pcb;
        if (wildcard && !pcb->local_port && !any)
            any = pcb;
    }
    return any;
}

// An unbound port from the dynamic range, 0 when every one is taken.
u16
udp_port_alloc(struct netif *nif)
{
    int i;
    for (i = 0; i < UDP_PORT_COUNT; i++) {
        u16 port = UDP_PORT_FIRST + (nif->port_seq++ % UDP_PORT_COUNT);
        if (!udp_find(nif, port, 0))
            return port;
    }
    return 0;
}

// RFC 768 "Fields": a zero checksum means the sender computed none.
static int
udp_checksum_ok(const struct ip_hdr *iph, const u8 *pkt, u16 len)
{
    const struct udp_hdr *uh = (const void *)pkt;
    if (!uh->check)
        return 1;
    u32 sum = net_pseudo_sum(iph->saddr, iph->daddr, IP_PROTO_UDP, len);
    return !net_checksum(pkt, len, sum);
}

void
udp_input(struct netif *nif, const u8 *src_mac, const struct ip_hdr *iph
          , const u8 *pkt, u16 len)
{
    const struct udp_hdr *uh = (const void *)pkt;
    u16 ulen = len >= sizeof(*uh) ? be16_to_cpu(uh->len) : 0;
    if (ulen < sizeof(*uh) || ulen > len || !udp_checksum_ok(iph, pkt, ulen)) {
        nif->stats.rx_bad++;
        return;
    }
    struct udp_meta m = {
        .src_ip = iph->saddr, .dst_ip = iph->daddr,
        .src_port = be16_to_cpu(uh->source), .dst_port = be16_to_cpu(uh->dest),
        .src_mac = src_mac,
    };
    struct udp_pcb *pcb = udp_find(nif, m.dst_port, 1);
    if (!pcb) {
        nif->stats.rx_noport++;
        return;
    }
    pcb->recv(pcb, nif, &m, pkt + sizeof(*uh), ulen - sizeof(*uh));
}

// Send one datagram whose payload FILL writes in place.  GATEWAY 0 routes
// normally; see ip_route().  No fragmentation: payloads must fit the MTU.
int
udp_send_fill(struct netif *nif, u32 dst_ip, u32 gateway, u16 src_port
              , u16 dst_port, udp_fill_fn fill, void *ctx)
{
    u8 mac[ETH_ALEN];
    int ret = ip_route(nif, dst_ip, gateway, mac);
    if (ret)
        return ret;
    // Build only now: resolving the next hop may transmit through txbuf.
    struct udp_hdr *uh = (void *)ip_tx_payload(nif);
    u16 len = fill(ctx, (u8 *)(uh + 1), net_mtu(nif) - IP_UDP_HLEN);
    u16 ulen = sizeof(*uh) + len;
    uh->source = cpu_to_be16(src_port);
    uh->dest = cpu_to_be16(dst_port);
    uh->len = cpu_to_be16(ulen);
    uh->check = 0;
    u16 sum = net_checksum(uh, ulen, net_pseudo_sum(nif->ip, dst_ip
                                                    , IP_PROTO_UDP, ulen));
    uh->check = cpu_to_be16(sum ? sum : 0xffff);    // RFC 768: 0 is sent as ~0
    return ip_output(nif, mac, dst_ip, IP_PROTO_UDP, ulen);
}

struct udp_buf {
    const void *data;
    u16 len;
};

static u16
udp_copy(void *ctx, u8 *buf, u16 max)
{
    struct udp_buf *b = ctx;
    memcpy(buf, b->data, b->len);   // udp_send() checked b->len <= max
    return b->len;
}

// Send LEN bytes of DATA (not inside nif->txbuf) as one datagram.
int
udp_send(struct netif *nif, u32 dst_ip, u32 gateway, u16 src_port
         , u16 dst_port, const void *data, u16 len)
{
    if (len > net_mtu(nif) - IP_UDP_HLEN)
        return NET_ETOOBIG;
    struct udp_buf b = { data, len };
    return udp_send_fill(nif, dst_ip, gateway, src_port, dst_port, udp_copy, &b);
}
