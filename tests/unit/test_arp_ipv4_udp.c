// Unit tests: Ethernet, ARP, IPv4, ICMP echo and UDP through a fake NIC
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "fakenet.h" // struct fakenet
#include "net/net.h" // net_poll
#include "shimctl.h" // shim_clock

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
static const u8 zero_mac[ETH_ALEN];
#define OUR_IP   fk_ip(10, 0, 2, 15)
#define PEER_IP  fk_ip(10, 0, 2, 2)
#define GW_IP    fk_ip(10, 0, 2, 1)
#define MASK     fk_ip(255, 255, 255, 0)

static struct fakenet FN;
static struct netif NIF;
static u8 frame[ETH_FRAME_LEN + 64];

// What the test pcbs received.
struct sink {
    struct udp_pcb pcb;
    int count;
    struct udp_meta meta;
    u8 mac[ETH_ALEN];
    u8 data[ETH_FRAME_LEN];
    u16 len;
};
static struct sink port1000, wildcard;

static void
sink_recv(struct udp_pcb *pcb, struct netif *nif, const struct udp_meta *m
          , const u8 *data, u16 len)
{
    struct sink *s = container_of(pcb, struct sink, pcb);
    s->count++;
    s->meta = *m;
    memcpy(s->mac, m->src_mac, ETH_ALEN);
    memcpy(s->data, data, len);
    s->len = len;
}

static int
setup(void **state)
{
    fakenet_init(&FN, our_mac);
    netif_init(&NIF, &FN.nd);
    netif_set_ip(&NIF, OUR_IP, MASK, GW_IP);
    assert_int_equal(netdev_open(&FN.nd), 0);
    memset(&port1000, 0, sizeof(port1000));
    memset(&wildcard, 0, sizeof(wildcard));
    port1000.pcb.local_port = 1000;
    port1000.pcb.recv = sink_recv;
    wildcard.pcb.recv = sink_recv;
    udp_bind(&NIF, &port1000.pcb);
    udp_bind(&NIF, &wildcard.pcb);
    return 0;
}

// A UDP datagram from the peer to DIP:DPORT.
static u16
udp_in(u32 dip, u16 dport, const char *text)
{
    struct fk_udp u = { .sip = PEER_IP, .dip = dip, .sport = 4000
                        , .dport = dport, .data = (const u8 *)text
                        , .len = strlen(text) };
    memcpy(u.dmac, dip == OUR_IP ? our_mac : fk_bcast, ETH_ALEN);
    memcpy(u.smac, peer_mac, ETH_ALEN);
    return fk_udp_frame(frame, &u);
}

static void
push_poll(u16 len)
{
    fakenet_push(&FN, frame, len);
    assert_int_equal(net_poll(&NIF), 1);
}

static void
learn_peer(void)
{
    push_poll(fk_arp(frame, 2, our_mac, peer_mac, PEER_IP, our_mac, OUR_IP));
}

static int
count_arp_requests(u32 target)
{
    int n = 0;
    for (unsigned i = 0; i < FN.tx_count; i++) {
        const struct fake_frame *f = fakenet_sent(&FN, i);
        u16 op;
        u32 spa, tpa;
        if (f && !fk_parse_arp(f->data, f->len, &op, &spa, &tpa) && op == 1
            && tpa == target)
            n++;
    }
    return n;
}

static void
answer_arp(struct fakenet *fn, const u8 *f, u16 len)
{
    fk_reply_arp(fn, f, len, peer_mac);
}


/****************************************************************
 * ARP
 ****************************************************************/

// RFC 826: a request for our address is answered and its sender learnt.
static void
test_arp_reply(void **state)
{
    push_poll(fk_arp(frame, 1, fk_bcast, peer_mac, PEER_IP, zero_mac, OUR_IP));
    const struct fake_frame *f = fakenet_last(&FN);
    u16 op;
    u32 spa, tpa;
    assert_non_null(f);
    assert_int_equal(f->len, ETH_ZLEN);     // padded by the netdev layer
    assert_int_equal(fk_parse_arp(f->data, f->len, &op, &spa, &tpa), 0);
    assert_int_equal(op, 2);
    assert_int_equal(spa, OUR_IP);
    assert_int_equal(tpa, PEER_IP);
    assert_memory_equal(f->data, peer_mac, ETH_ALEN);
    assert_memory_equal(f->data + 6, our_mac, ETH_ALEN);
    assert_memory_equal(f->data + 22, our_mac, ETH_ALEN);
    assert_memory_equal(f->data + 32, peer_mac, ETH_ALEN);
    // Learnt: sending to the peer needs no ARP request.
    unsigned sent = FN.tx_count;
    assert_int_equal(udp_send(&NIF, PEER_IP, 0, 68, 67, "x", 1), 0);
    assert_int_equal(FN.tx_count, sent + 1);
    struct fk_udp u;
    f = fakenet_last(&FN);
    assert_int_equal(fk_parse_udp(f->data, f->len, &u), 0);
    assert_memory_equal(u.dmac, peer_mac, ETH_ALEN);
}

// Requests for other addresses are not answered, nor their sender learnt.
static void
test_arp_not_for_us(void **state)
{
    push_poll(fk_arp(frame, 1, fk_bcast, peer_mac, PEER_IP, zero_mac
                     , fk_ip(10, 0, 2, 99)));
    assert_int_equal(FN.tx_count, 0);
    FN.on_tx = answer_arp;
    assert_int_equal(udp_send(&NIF, PEER_IP, 0, 68, 67, "x", 1), 0);
    assert_int_equal(count_arp_requests(PEER_IP), 1);
}

static void
test_arp_malformed(void **state)
{
    u16 len = fk_arp(frame, 2, our_mac, peer_mac, PEER_IP, our_mac, OUR_IP);
    push_poll(len - 1);                     // short
    frame[14 + 4] = 8;                      // hardware address length
    push_poll(len);
    fk_arp(frame, 3, our_mac, peer_mac, PEER_IP, our_mac, OUR_IP);
    push_poll(len);                         // operation
    assert_int_equal(NIF.stats.rx_bad, 3);
    fk_arp(frame, 2, our_mac, peer_mac, 0, our_mac, OUR_IP);
    push_poll(len);                         // sender address 0
    assert_int_equal(NIF.stats.rx_ignored, 1);
    for (int i = 0; i < NET_ARP_ENTRIES; i++)
        assert_int_equal(NIF.arp[i].ip, 0);
}

// No reply: a request every 500 ms, NET_EARP after 3 s.
static void
test_arp_timeout(void **state)
{
    u32 start = shim_clock, target = fk_ip(10, 0, 2, 77);
    assert_int_equal(udp_send(&NIF, target, 0, 68, 67, "x", 1), NET_EARP);
    assert_in_range(shim_clock - start, 3000, 3100);
    assert_in_range(count_arp_requests(target), 6, 7);
    assert_int_equal(FN.tx_count, count_arp_requests(target));
}

// An answer to a later retry still resolves.
static int late_arp_requests;
static void
answer_third_arp(struct fakenet *fn, const u8 *f, u16 len)
{
    if (++late_arp_requests == 3)
        fk_reply_arp(fn, f, len, peer_mac);
}

static void
test_arp_retry(void **state)
{
    FN.on_tx = answer_third_arp;
    late_arp_requests = 0;
    assert_int_equal(udp_send(&NIF, PEER_IP, 0, 68, 67, "x", 1), 0);
    assert_int_equal(count_arp_requests(PEER_IP), 3);
}

// Entries expire after 60 s.
static void
test_arp_expiry(void **state)
{
    learn_peer();
    FN.on_tx = answer_arp;
    assert_int_equal(udp_send(&NIF, PEER_IP, 0, 68, 67, "x", 1), 0);
    assert_int_equal(count_arp_requests(PEER_IP), 0);
    shim_advance(NET_ARP_TTL_MS + 1);
    assert_int_equal(udp_send(&NIF, PEER_IP, 0, 68, 67, "x", 1), 0);
    assert_int_equal(count_arp_requests(PEER_IP), 1);
}

// A full cache replaces the entry that expires first; a known sender is
// refreshed by any ARP packet (RFC 826 merge).
static void
test_arp_replacement(void **state)
{
    u8 mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 0 };
    for (int i = 1; i <= NET_ARP_ENTRIES + 1; i++) {
        mac[5] = i;
        push_poll(fk_arp(frame, 2, our_mac, mac, fk_ip(10, 0, 2, 100 + i)
                         , our_mac, OUR_IP));
        shim_advance(10);
    }
    int found[NET_ARP_ENTRIES + 2] = { 0 };
    for (int i = 0; i < NET_ARP_ENTRIES; i++)
        found[((u8 *)&NIF.arp[i].ip)[3] - 100]++;
    assert_int_equal(found[1], 0);
    for (int i = 2; i <= NET_ARP_ENTRIES + 1; i++)
        assert_int_equal(found[i], 1);
    // The next newcomer replaces host 2, in the second slot.
    mac[5] = NET_ARP_ENTRIES + 2;
    push_poll(fk_arp(frame, 2, our_mac, mac
                     , fk_ip(10, 0, 2, 100 + NET_ARP_ENTRIES + 2), our_mac
                     , OUR_IP));
    assert_int_equal(NIF.arp[1].ip, fk_ip(10, 0, 2, 100 + NET_ARP_ENTRIES + 2));
    // Merge: host 3 announces a new MAC to someone else.
    mac[5] = 0x77;
    push_poll(fk_arp(frame, 1, fk_bcast, mac, fk_ip(10, 0, 2, 103), zero_mac
                     , fk_ip(10, 0, 2, 200)));
    assert_int_equal(NIF.arp[2].ip, fk_ip(10, 0, 2, 103));
    assert_int_equal(NIF.arp[2].mac[5], 0x77);
}


/****************************************************************
 * Routing and sending
 ****************************************************************/

static void
expect_sent_udp(const u8 *dmac, u32 dip, const char *text)
{
    struct fk_udp u;
    const struct fake_frame *f = fakenet_last(&FN);
    assert_non_null(f);
    assert_int_equal(fk_parse_udp(f->data, f->len, &u), 0);
    assert_memory_equal(u.dmac, dmac, ETH_ALEN);
    assert_memory_equal(u.smac, our_mac, ETH_ALEN);
    assert_int_equal(u.sip, NIF.ip);
    assert_int_equal(u.dip, dip);
    assert_int_equal(u.sport, 2000);
    assert_int_equal(u.dport, 3000);
    assert_int_equal(u.len, strlen(text));
    assert_memory_equal(u.data, text, u.len);
}

static void
test_route_broadcast(void **state)
{
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 2000, 3000, "hi", 2), 0);
    expect_sent_udp(fk_bcast, IP_BROADCAST, "hi");
    assert_int_equal(udp_send(&NIF, fk_ip(10, 0, 2, 255), 0, 2000, 3000
                              , "sub", 3), 0);
    expect_sent_udp(fk_bcast, fk_ip(10, 0, 2, 255), "sub");
    assert_int_equal(FN.tx_count, 2);
    // Without an address (DHCP) the source is 0.0.0.0.
    netif_set_ip(&NIF, 0, 0, 0);
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 2000, 3000, "d", 1), 0);
    expect_sent_udp(fk_bcast, IP_BROADCAST, "d");
}

static void
test_route_gateway(void **state)
{
    u32 far = fk_ip(8, 8, 8, 8), other_gw = fk_ip(10, 0, 2, 3);
    FN.on_tx = answer_arp;
    assert_int_equal(udp_send(&NIF, far, 0, 2000, 3000, "far", 3), 0);
    assert_int_equal(count_arp_requests(GW_IP), 1);
    expect_sent_udp(peer_mac, far, "far");
    assert_int_equal(udp_send(&NIF, far, other_gw, 2000, 3000, "gw", 2), 0);
    assert_int_equal(count_arp_requests(other_gw), 1);
    // An explicit gateway does not apply to on-link hosts.
    assert_int_equal(udp_send(&NIF, PEER_IP, other_gw, 2000, 3000, "on", 2), 0);
    assert_int_equal(count_arp_requests(PEER_IP), 1);
    netif_set_ip(&NIF, OUR_IP, MASK, 0);
    assert_int_equal(udp_send(&NIF, far, 0, 2000, 3000, "x", 1), NET_ENOROUTE);
    assert_int_equal(udp_send(&NIF, 0, 0, 2000, 3000, "x", 1), NET_EINVAL);
}

static void
test_send_sizes(void **state)
{
    static u8 big[ETH_DATA_LEN];
    memset(big, 0x5a, sizeof(big));
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, big, 1473)
                     , NET_ETOOBIG);
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, big, 1472), 0);
    assert_int_equal(fakenet_last(&FN)->len, ETH_FRAME_LEN);
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, big, 0), 0);
    assert_int_equal(fakenet_last(&FN)->len, ETH_ZLEN);
    FN.nd.mtu = 1400;
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, big, 1373)
                     , NET_ETOOBIG);
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, big, 1372), 0);
    FN.nd.mtu = 0;      // unknown: Ethernet's
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, big, 1472), 0);
}

// A busy transmit queue is retried for a while; errors are NET_EDEV.
static void
test_send_device_errors(void **state)
{
    FN.tx_busy = 5;
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, "x", 1), 0);
    FN.tx_busy = 1000000;
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, "x", 1), NET_EDEV);
    FN.tx_busy = 0;
    FN.tx_result = NETDEV_ERROR;
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, "x", 1), NET_EDEV);
    FN.tx_result = 0;
    netdev_close(&FN.nd);
    assert_int_equal(udp_send(&NIF, IP_BROADCAST, 0, 1, 2, "x", 1), NET_EDEV);
    assert_int_equal(NIF.stats.tx_errors, 3);
}


/****************************************************************
 * IPv4 and UDP input
 ****************************************************************/

static void
fix_ip_checksum(void)
{
    u8 *ip = frame + ETH_HLEN;
    u16 hlen = (ip[0] & 0xf) * 4;
    ip[10] = ip[11] = 0;
    u16 sum = fk_csum(ip, hlen < 20 ? 20 : hlen, 0);
    ip[10] = sum >> 8;
    ip[11] = sum;
}

static void
test_udp_delivery(void **state)
{
    push_poll(udp_in(OUR_IP, 1000, "hello"));
    assert_int_equal(port1000.count, 1);
    assert_int_equal(port1000.len, 5);
    assert_memory_equal(port1000.data, "hello", 5);
    assert_int_equal(port1000.meta.src_ip, PEER_IP);
    assert_int_equal(port1000.meta.dst_ip, OUR_IP);
    assert_int_equal(port1000.meta.src_port, 4000);
    assert_int_equal(port1000.meta.dst_port, 1000);
    assert_memory_equal(port1000.mac, peer_mac, ETH_ALEN);
    push_poll(udp_in(OUR_IP, 2000, "other"));
    assert_int_equal(wildcard.count, 1);
    assert_int_equal(wildcard.meta.dst_port, 2000);
    udp_unbind(&NIF, &wildcard.pcb);
    push_poll(udp_in(OUR_IP, 2000, "other"));
    assert_int_equal(NIF.stats.rx_noport, 1);
    // Binding twice keeps one entry.
    udp_bind(&NIF, &port1000.pcb);
    udp_bind(&NIF, &port1000.pcb);
    assert_ptr_equal(NIF.pcbs, &port1000.pcb);
    assert_null(port1000.pcb.next);
}

static void
test_ip_destinations(void **state)
{
    push_poll(udp_in(IP_BROADCAST, 1000, "b"));
    push_poll(udp_in(fk_ip(10, 0, 2, 255), 1000, "s"));
    assert_int_equal(port1000.count, 2);
    u16 len = udp_in(fk_ip(10, 0, 2, 99), 1000, "o");
    memcpy(frame, our_mac, ETH_ALEN);
    push_poll(len);
    assert_int_equal(port1000.count, 2);
    assert_int_equal(NIF.stats.rx_ignored, 1);
    netif_set_ip(&NIF, 0, 0, 0);            // DHCP: take anything
    push_poll(len);
    assert_int_equal(port1000.count, 3);
    // Frames to another MAC are ignored at the Ethernet layer.
    udp_in(OUR_IP, 1000, "m");
    frame[0] = 0x02;
    push_poll(len);
    assert_int_equal(port1000.count, 3);
}

// Each mutation of a good datagram must be dropped.
static void
test_ip_malformed(void **state)
{
    struct { int off; u8 val; int fix; int bad; } cases[] = {
        { ETH_HLEN + 10, 0x00, 0, 1 },      // header checksum
        { ETH_HLEN + 0, 0x65, 1, 1 },       // version 6
        { ETH_HLEN + 0, 0x44, 1, 1 },       // IHL 4
        { ETH_HLEN + 0, 0x4f, 1, 1 },       // IHL past the packet
        { ETH_HLEN + 2, 0x09, 1, 1 },       // total length > frame
        { ETH_HLEN + 3, 0x10, 1, 1 },       // total length < header
        { ETH_HLEN + 6, 0x20, 1, 0 },       // more fragments
        { ETH_HLEN + 7, 0x01, 1, 0 },       // fragment offset
        { ETH_HLEN + 9, 0x06, 1, 0 },       // TCP
        { ETH_HLEN + 20 + 6, 0x00, 0, 1 },  // UDP checksum
        { ETH_HLEN + 20 + 4, 0x09, 0, 1 },  // UDP length > IP payload
        { ETH_HLEN + 20 + 5, 0x07, 0, 1 },  // UDP length < 8
    };
    for (int i = 0; i < ARRAY_SIZE(cases); i++) {
        u32 bad = NIF.stats.rx_bad, ignored = NIF.stats.rx_ignored;
        u16 len = udp_in(OUR_IP, 1000, "payload!");
        if (cases[i].off == ETH_HLEN + 3)
            frame[ETH_HLEN + 2] = 0;
        frame[cases[i].off] = cases[i].val;
        if (cases[i].fix)
            fix_ip_checksum();
        push_poll(len);
        assert_int_equal(port1000.count, 0);
        assert_int_equal(NIF.stats.rx_bad, bad + cases[i].bad);
        assert_int_equal(NIF.stats.rx_ignored, ignored + !cases[i].bad);
    }
    push_poll(10);      // shorter than an Ethernet header
    push_poll(ETH_HLEN + 19);
    assert_int_equal(port1000.count, 0);
}

// Ethernet padding after the IP packet and bytes after the UDP datagram
// are cut off; IP options are skipped; a zero UDP checksum is accepted.
static void
test_ip_lengths_and_options(void **state)
{
    u16 len = udp_in(OUR_IP, 1000, "abc");
    memset(frame + len, 0xee, 20);
    push_poll(len + 20);
    assert_int_equal(port1000.len, 3);
    // UDP length 9 of 11 bytes: one payload byte (checksum off).
    len = udp_in(OUR_IP, 1000, "abc");
    frame[ETH_HLEN + 20 + 5] = 9;
    frame[ETH_HLEN + 20 + 6] = frame[ETH_HLEN + 20 + 7] = 0;
    push_poll(len);
    assert_int_equal(port1000.count, 2);
    assert_int_equal(port1000.len, 1);
    // 4 bytes of IP options.
    len = udp_in(OUR_IP, 1000, "opt");
    memmove(frame + ETH_HLEN + 24, frame + ETH_HLEN + 20, len - ETH_HLEN - 20);
    memset(frame + ETH_HLEN + 20, 1, 4);    // NOP options
    frame[ETH_HLEN] = 0x46;
    frame[ETH_HLEN + 3] += 4;
    fix_ip_checksum();
    push_poll(len + 4);
    assert_int_equal(port1000.count, 3);
    assert_memory_equal(port1000.data, "opt", 3);
}


/****************************************************************
 * ICMP
 ****************************************************************/

static u16
echo_request(u32 dip, const char *text)
{
    u8 msg[64] = { 8, 0, 0, 0, 0x12, 0x34, 0x00, 0x07 };
    u16 n = 8 + strlen(text);
    memcpy(msg + 8, text, n - 8);
    u16 sum = fk_csum(msg, n, 0);
    msg[2] = sum >> 8;
    msg[3] = sum;
    return fk_ipv4(frame, dip == OUR_IP ? our_mac : fk_bcast, peer_mac, PEER_IP
                   , dip, 1, msg, n);
}

static void
test_icmp_echo(void **state)
{
    u16 len = echo_request(OUR_IP, "ping data");
    push_poll(len);
    const struct fake_frame *f = fakenet_last(&FN);
    assert_non_null(f);
    assert_int_equal(f->len, ETH_ZLEN);     // 43 bytes, padded
    const u8 *ip = f->data + ETH_HLEN, *icmp = ip + 20;
    assert_memory_equal(f->data, peer_mac, ETH_ALEN);
    assert_int_equal(fk_csum(ip, 20, 0), 0);
    assert_int_equal(ip[9], 1);
    assert_memory_equal(ip + 12, frame + ETH_HLEN + 16, 4);
    assert_memory_equal(ip + 16, frame + ETH_HLEN + 12, 4);
    assert_int_equal(icmp[0], 0);
    assert_int_equal(fk_csum(icmp, 8 + 9, 0), 0);
    assert_memory_equal(icmp + 4, frame + ETH_HLEN + 24, 4 + 9);
    // Not answered: broadcast, a bad checksum, other types.
    push_poll(echo_request(IP_BROADCAST, "b"));
    len = echo_request(OUR_IP, "c");
    frame[len - 1] ^= 1;
    push_poll(len);
    len = echo_request(OUR_IP, "d");
    frame[ETH_HLEN + 20] = 13;
    frame[ETH_HLEN + 20 + 2] -= 5;
    push_poll(len);
    assert_int_equal(FN.tx_count, 1);
    assert_int_equal(NIF.stats.rx_bad, 1);
    assert_int_equal(NIF.stats.rx_ignored, 2);
}


/****************************************************************
 * Polling
 ****************************************************************/

static int hooked;
static void
count_hook(struct netif *nif, const u8 *f, u16 len)
{
    hooked++;
}

// A driver that claims more bytes than the buffer holds is not trusted.
static int
lying_poll(struct netdev *nd, void *buf, u16 size)
{
    return nd->stats.rx_frames ? 0 : size + 1;
}

static void
test_lying_driver(void **state)
{
    static struct netdev_ops ops;
    ops = *FN.nd.ops;
    ops.poll = lying_poll;
    FN.nd.ops = &ops;
    assert_int_equal(net_poll(&NIF), 1);
    assert_int_equal(NIF.stats.rx_bad, 1);
}

static void
test_poll_bound_and_hook(void **state)
{
    NIF.rx_hook = count_hook;
    hooked = 0;
    u16 len = udp_in(OUR_IP, 1000, "q");
    frame[12] = 0x86;       // IPv6: ignored by the stack, seen by the hook
    frame[13] = 0xdd;
    for (int i = 0; i < 40; i++)
        fakenet_push(&FN, frame, len);
    assert_int_equal(net_poll(&NIF), NET_POLL_MAX);
    assert_int_equal(net_poll(&NIF), 40 - NET_POLL_MAX);
    assert_int_equal(net_poll(&NIF), 0);
    assert_int_equal(hooked, 40);
    assert_int_equal(NIF.stats.rx_frames, 40);
    assert_int_equal(NIF.stats.rx_ignored, 40);
}

// Inside a receive callback net_poll() does nothing and udp_send() does
// not wait for ARP.
static int nested_poll, nested_send;
static void
reentrant_recv(struct udp_pcb *pcb, struct netif *nif, const struct udp_meta *m
               , const u8 *data, u16 len)
{
    fakenet_push(&FN, frame, 42);
    nested_poll = net_poll(nif);
    nested_send = udp_send(nif, fk_ip(10, 0, 2, 50), 0, 1, 2, "r", 1);
}

static void
test_reentrancy(void **state)
{
    port1000.pcb.recv = reentrant_recv;
    u32 start = shim_clock;
    fakenet_push(&FN, frame, udp_in(OUR_IP, 1000, "in"));
    // The frame pushed by the callback is handled by the same poll.
    assert_int_equal(net_poll(&NIF), 2);
    assert_int_equal(nested_poll, 0);
    assert_int_equal(nested_send, NET_EARP);
    assert_int_equal(count_arp_requests(fk_ip(10, 0, 2, 50)), 1);
    assert_true(shim_clock - start < 10);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_arp_reply, setup),
        cmocka_unit_test_setup(test_arp_not_for_us, setup),
        cmocka_unit_test_setup(test_arp_malformed, setup),
        cmocka_unit_test_setup(test_arp_timeout, setup),
        cmocka_unit_test_setup(test_arp_retry, setup),
        cmocka_unit_test_setup(test_arp_expiry, setup),
        cmocka_unit_test_setup(test_arp_replacement, setup),
        cmocka_unit_test_setup(test_route_broadcast, setup),
        cmocka_unit_test_setup(test_route_gateway, setup),
        cmocka_unit_test_setup(test_send_sizes, setup),
        cmocka_unit_test_setup(test_send_device_errors, setup),
        cmocka_unit_test_setup(test_udp_delivery, setup),
        cmocka_unit_test_setup(test_ip_destinations, setup),
        cmocka_unit_test_setup(test_ip_malformed, setup),
        cmocka_unit_test_setup(test_ip_lengths_and_options, setup),
        cmocka_unit_test_setup(test_icmp_echo, setup),
        cmocka_unit_test_setup(test_lying_driver, setup),
        cmocka_unit_test_setup(test_poll_bound_and_hook, setup),
        cmocka_unit_test_setup(test_reentrancy, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
