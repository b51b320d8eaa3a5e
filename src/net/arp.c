// ARP (RFC 826): answer requests for our address, cache, resolve
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // cpu_to_be16
#include "net/netpriv.h" // eth_output
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "util.h" // timer_calc

#define ARP_RETRY_MS  500       // resend an unanswered request this often
#define ARP_GIVEUP_MS 3000      // and give up after this long

static const u8 eth_zero[ETH_ALEN];

// The live cache entry for IP; stale entries are freed on the way.
static struct arp_entry *
arp_find(struct netif *nif, u32 ip)
{
    int i;
    for (i = 0; i < NET_ARP_ENTRIES; i++) {
        struct arp_entry *e = &nif->arp[i];
        if (!e->ip || e->ip != ip)
            continue;
        if (!timer_check(e->expires))
            return e;
        e->ip = 0;
        return NULL;
    }
    return NULL;
}

// A free entry, else the one that expires first (stale ones included).
static struct arp_entry *
arp_victim(struct netif *nif)
{
    struct arp_entry *old = &nif->arp[0];
    int i;
    for (i = 0; i < NET_ARP_ENTRIES; i++) {
        struct arp_entry *e = &nif->arp[i];
        if (!e->ip)
            return e;
        if ((s32)(e->expires - old->expires) < 0)
            old = e;
    }
    return old;
}

static void
arp_store(struct netif *nif, u32 ip, const u8 *mac)
{
    struct arp_entry *e = arp_find(nif, ip);
    if (!e)
        e = arp_victim(nif);
    e->ip = ip;
    memcpy(e->mac, mac, ETH_ALEN);
    e->expires = timer_calc(NET_ARP_TTL_MS);
}

static int
arp_send(struct netif *nif, u16 op, const u8 *dst, const u8 *tha, u32 tpa)
{
    struct arp_pkt *ap = (void *)(nif->txbuf + ETH_HLEN);
    ap->ar_hrd = cpu_to_be16(ARP_HRD_ETHER);
    ap->ar_pro = cpu_to_be16(ETH_P_IP);
    ap->ar_hln = ETH_ALEN;
    ap->ar_pln = sizeof(ap->ar_spa);
    ap->ar_op = cpu_to_be16(op);
    memcpy(ap->ar_sha, nif->dev->mac, ETH_ALEN);
    ap->ar_spa = nif->ip;
    memcpy(ap->ar_tha, tha, ETH_ALEN);
    ap->ar_tpa = tpa;
    return eth_output(nif, dst, ETH_P_ARP, sizeof(*ap));
}

static int
arp_valid(const struct arp_pkt *ap)
{
    u16 op = be16_to_cpu(ap->ar_op);
    return ap->ar_hrd == cpu_to_be16(ARP_HRD_ETHER)
        && ap->ar_pro == cpu_to_be16(ETH_P_IP)
        && ap->ar_hln == ETH_ALEN && ap->ar_pln == sizeof(ap->ar_spa)
        && (op == ARP_OP_REQUEST || op == ARP_OP_REPLY);
}

// RFC 826 "Packet Reception": refresh a sender we know ("merge"), add it
// when the packet is for us (a request for our address, or a reply sent
// to our MAC), and answer requests for our address.
void
arp_input(struct netif *nif, const u8 *pkt, u16 len)
{
    const struct arp_pkt *ap = (const void *)pkt;
    if (len < sizeof(*ap) || !arp_valid(ap)) {
        nif->stats.rx_bad++;
        return;
    }
    if (!ap->ar_spa || (ap->ar_sha[0] & 1)) {
        nif->stats.rx_ignored++;    // a probe, or a multicast sender address
        return;
    }
    int request = ap->ar_op == cpu_to_be16(ARP_OP_REQUEST);
    int for_us = nif->ip && ap->ar_tpa == nif->ip;
    int reply_to_us = !request && !memcmp(ap->ar_tha, nif->dev->mac, ETH_ALEN);
    if (for_us || reply_to_us || arp_find(nif, ap->ar_spa))
        arp_store(nif, ap->ar_spa, ap->ar_sha);
    if (for_us && request)
        arp_send(nif, ARP_OP_REPLY, ap->ar_sha, ap->ar_sha, ap->ar_spa);
}

static int
arp_lookup(struct netif *nif, u32 ip, u8 *mac)
{
    struct arp_entry *e = arp_find(nif, ip);
    if (!e)
        return -1;
    memcpy(mac, e->mac, ETH_ALEN);
    return 0;
}

static int
arp_request(struct netif *nif, u32 ip)
{
    return arp_send(nif, ARP_OP_REQUEST, eth_broadcast, eth_zero, ip);
}

// The MAC of IP into MAC: from the cache, else ask and keep polling, with a
// request every ARP_RETRY_MS, for up to ARP_GIVEUP_MS.
int
arp_resolve(struct netif *nif, u32 ip, u8 *mac)
{
    if (!arp_lookup(nif, ip, mac))
        return 0;
    int ret = arp_request(nif, ip);
    if (ret)
        return ret;
    if (nif->in_rx)
        return NET_EARP;    // net_poll() cannot run inside a receive callback
    u32 giveup = timer_calc(ARP_GIVEUP_MS), retry = timer_calc(ARP_RETRY_MS);
    while (!timer_check(giveup)) {
        net_poll(nif);
        if (!arp_lookup(nif, ip, mac))
            return 0;
        if (!timer_check(retry))
            continue;
        ret = arp_request(nif, ip);
        if (ret)
            return ret;
        retry = timer_calc(ARP_RETRY_MS);
    }
    char buf[IP_FMT_LEN];
    dprintf(3, "arp: no reply from %s\n", ip_fmt(buf, ip));
    return NET_EARP;
}
