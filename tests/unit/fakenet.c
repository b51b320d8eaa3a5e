// Fake network device for host tests: scripted receive, recorded transmit
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <string.h>

#include "fakenet.h" // struct fakenet
#include "shimctl.h" // shim_advance

const u8 fk_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct fakenet *
fake(struct netdev *nd)
{
    return container_of(nd, struct fakenet, nd);
}

static int
fake_open(struct netdev *nd)
{
    fake(nd)->opens++;
    return fake(nd)->open_result;
}

static void
fake_close(struct netdev *nd)
{
    fake(nd)->closes++;
}

static int
fake_transmit(struct netdev *nd, const void *frame, u16 len)
{
    struct fakenet *fn = fake(nd);
    if (fn->tx_result)
        return fn->tx_result;
    if (fn->tx_busy) {
        fn->tx_busy--;
        return NETDEV_BUSY;
    }
    if (len > ETH_FRAME_LEN)
        return NETDEV_ERROR;
    struct fake_frame *f = &fn->tx[fn->tx_count++ % FAKE_QLEN];
    f->len = len;
    memcpy(f->data, frame, len);
    if (fn->on_tx)
        fn->on_tx(fn, f->data, len);
    return 0;
}

static int
fake_poll(struct netdev *nd, void *buf, u16 size)
{
    struct fakenet *fn = fake(nd);
    while (fn->rx_count) {
        struct fake_frame *f = &fn->rx[fn->rx_head];
        fn->rx_head = (fn->rx_head + 1) % FAKE_QLEN;
        fn->rx_count--;
        if (f->len <= size) {
            memcpy(buf, f->data, f->len);
            return f->len;
        }
        nd->stats.rx_dropped++;
    }
    shim_advance(fn->idle_ms);
    return 0;
}

static const struct netdev_ops fake_ops = {
    .open = fake_open, .close = fake_close,
    .transmit = fake_transmit, .poll = fake_poll,
};

void
fakenet_init(struct fakenet *fn, const u8 *mac)
{
    memset(fn, 0, sizeof(*fn));
    fn->nd.ops = &fake_ops;
    fn->nd.driver = "fake";
    memcpy(fn->nd.mac, mac, ETH_ALEN);
    fn->nd.mtu = ETH_DATA_LEN;
    fn->nd.prio = -1;
}

// Queue a received frame (longer ones are cut to a whole frame buffer).
void
fakenet_push(struct fakenet *fn, const void *frame, u16 len)
{
    if (fn->rx_count == FAKE_QLEN)
        return;
    struct fake_frame *f = &fn->rx[(fn->rx_head + fn->rx_count++) % FAKE_QLEN];
    f->len = len < ETH_FRAME_LEN ? len : ETH_FRAME_LEN;
    memcpy(f->data, frame, f->len);
}

const struct fake_frame *
fakenet_sent(struct fakenet *fn, unsigned i)
{
    if (i >= fn->tx_count || fn->tx_count - i > FAKE_QLEN)
        return NULL;
    return &fn->tx[i % FAKE_QLEN];
}

const struct fake_frame *
fakenet_last(struct fakenet *fn)
{
    return fn->tx_count ? fakenet_sent(fn, fn->tx_count - 1) : NULL;
}

u32
fk_ip(u8 a, u8 b, u8 c, u8 d)
{
    u8 bytes[4] = { a, b, c, d };
    u32 ip;
    memcpy(&ip, bytes, 4);
    return ip;
}

// A plain RFC 1071 checksum, written apart from the stack's on purpose.
u16
fk_csum(const void *data, u32 len, u32 sum)
{
    const u8 *p = data;
    u64 s = sum;
    for (u32 i = 0; i < len; i++)
        s += i & 1 ? p[i] : p[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

static void
put16(u8 *p, u16 v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static u16
get16(const u8 *p)
{
    return p[0] << 8 | p[1];
}

static u16
fk_eth(u8 *frame, const u8 *dmac, const u8 *smac, u16 type)
{
    memcpy(frame, dmac, ETH_ALEN);
    memcpy(frame + 6, smac, ETH_ALEN);
    put16(frame + 12, type);
    return 14;
}

u16
fk_ipv4(u8 *frame, const u8 *dmac, const u8 *smac, u32 sip, u32 dip
        , u8 proto, const void *payload, u16 plen)
{
    u8 *ip = frame + fk_eth(frame, dmac, smac, 0x0800);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, 20 + plen);
    put16(ip + 4, 0x1234);
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, &sip, 4);
    memcpy(ip + 16, &dip, 4);
    put16(ip + 10, fk_csum(ip, 20, 0));
    memmove(ip + 20, payload, plen);
    return 14 + 20 + plen;
}

static u32
fk_pseudo(u32 sip, u32 dip, u16 len)
{
    u8 ph[12];
    memcpy(ph, &sip, 4);
    memcpy(ph + 4, &dip, 4);
    ph[8] = 0;
    ph[9] = 17;
    put16(ph + 10, len);
    return (u16)~fk_csum(ph, 12, 0);
}

u16
fk_udp_frame(u8 *frame, const struct fk_udp *u)
{
    u8 *udp = frame + 14 + 20;
    memmove(udp + 8, u->data, u->len);
    put16(udp, u->sport);
    put16(udp + 2, u->dport);
    put16(udp + 4, 8 + u->len);
    put16(udp + 6, 0);
    u16 sum = fk_csum(udp, 8 + u->len, fk_pseudo(u->sip, u->dip, 8 + u->len));
    put16(udp + 6, sum ? sum : 0xffff);
    return fk_ipv4(frame, u->dmac, u->smac, u->sip, u->dip, 17, udp, 8 + u->len);
}

u16
fk_arp(u8 *frame, u16 op, const u8 *eth_dst, const u8 *sha, u32 spa
       , const u8 *tha, u32 tpa)
{
    u8 *a = frame + fk_eth(frame, eth_dst, sha, 0x0806);
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, sha, 6);
    memcpy(a + 14, &spa, 4);
    memcpy(a + 18, tha, 6);
    memcpy(a + 24, &tpa, 4);
    return 14 + 28;
}

// A sent IPv4/UDP frame with correct checksums, else -1.
int
fk_parse_udp(const u8 *frame, u16 len, struct fk_udp *out)
{
    if (len < 42 || get16(frame + 12) != 0x0800)
        return -1;
    const u8 *ip = frame + 14, *udp = ip + 20;
    u16 tot = get16(ip + 2), ulen = get16(udp + 4);
    if (ip[0] != 0x45 || ip[9] != 17 || tot > len - 14 || fk_csum(ip, 20, 0)
        || ulen != tot - 20)
        return -1;
    memcpy(out->dmac, frame, 6);
    memcpy(out->smac, frame + 6, 6);
    memcpy(&out->sip, ip + 12, 4);
    memcpy(&out->dip, ip + 16, 4);
    if (get16(udp + 6) && fk_csum(udp, ulen, fk_pseudo(out->sip, out->dip, ulen)))
        return -1;
    out->sport = get16(udp);
    out->dport = get16(udp + 2);
    out->data = udp + 8;
    out->len = ulen - 8;
    return 0;
}

int
fk_parse_arp(const u8 *frame, u16 len, u16 *op, u32 *spa, u32 *tpa)
{
    if (len < 42 || get16(frame + 12) != 0x0806)
        return -1;
    *op = get16(frame + 20);
    memcpy(spa, frame + 28, 4);
    memcpy(tpa, frame + 38, 4);
    return 0;
}

// Answer FRAME if it is an ARP request: the target has MAC.
void
fk_reply_arp(struct fakenet *fn, const u8 *frame, u16 len, const u8 *mac)
{
    u16 op;
    u32 spa, tpa;
    if (fk_parse_arp(frame, len, &op, &spa, &tpa) || op != 1)
        return;
    u8 reply[60];
    fk_arp(reply, 2, frame + 6, mac, tpa, frame + 22, spa);
    fakenet_push(fn, reply, 42);
}
