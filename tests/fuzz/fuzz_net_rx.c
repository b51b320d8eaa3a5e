// libFuzzer target: the whole receive path through the fake NIC
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
//
// Input: one mode byte, then frames as a 2-byte big-endian length and
// the bytes.  Mode 0 and 1 queue every frame and run net_poll() with an
// address (0) or without one (1): Ethernet, ARP, IPv4, ICMP, UDP.  Mode 2
// runs dhcp_run() and mode 3 tftp_get(), handing out the next frame each
// time the client transmits, so the DHCP and TFTP clients see them.

#include <string.h>

#include "fakenet.h" // struct fakenet
#include "net/dhcp.h" // dhcp_run
#include "net/tftp.h" // tftp_get
#include "shimctl.h" // shim_advance

#define OUR_IP  fk_ip(10, 0, 2, 15)
#define SRV_IP  fk_ip(10, 0, 2, 2)
#define FUZZ_XID 0x01020304

static struct tftp_conn TC;    // tftp_get()'s transfer state

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 srv_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };

static struct fakenet FN;
static struct netif NIF;
static struct dhcp_lease LEASE;
static u8 dest[64 * 1024];

static struct input {
    const u8 *data;
    size_t size, pos;
} In;

// The length of the next frame of the input, -1 when there is none.
static int
next_frame(const u8 **frame)
{
    if (In.pos + 2 > In.size)
        return -1;
    size_t len = In.data[In.pos] << 8 | In.data[In.pos + 1];
    In.pos += 2;
    if (len > In.size - In.pos)
        len = In.size - In.pos;
    *frame = In.data + In.pos;
    In.pos += len;
    return len;
}

static void
feed_on_tx(struct fakenet *fn, const u8 *frame, u16 len)
{
    const u8 *f;
    int n = next_frame(&f);
    if (n > 0)
        fakenet_push(fn, f, n);
}

static struct udp_pcb Sink;
static volatile unsigned Sum;

// Read every delivered byte, so ASan checks the lengths the stack gives.
static void
sink_recv(struct udp_pcb *pcb, struct netif *nif, const struct udp_meta *m
          , const u8 *data, u16 len)
{
    Sum += m->src_mac[0];
    for (int i = 0; i < len; i++)
        Sum += data[i];
}

static void
progress(u32 done, u32 total, void *arg)
{
}

static void
run_poll(u32 ip)
{
    const u8 *f;
    int n;
    netif_set_ip(&NIF, ip, fk_ip(255, 255, 255, 0), fk_ip(10, 0, 2, 1));
    Sink.recv = sink_recv;
    udp_bind(&NIF, &Sink);
    while ((n = next_frame(&f)) >= 0) {
        if (n)
            fakenet_push(&FN, f, n);
        if (FN.rx_count == FAKE_QLEN)
            net_poll(&NIF);
    }
    while (net_poll(&NIF))
        ;
    udp_unbind(&NIF, &Sink);
}

static void
run_tftp(void)
{
    u8 arp[60];
    u32 got;
    netif_set_ip(&NIF, OUR_IP, fk_ip(255, 255, 255, 0), 0);
    fakenet_push(&FN, arp, fk_arp(arp, 2, our_mac, srv_mac, SRV_IP, our_mac
                                  , OUR_IP));
    net_poll(&NIF);
    FN.on_tx = feed_on_tx;
    tftp_get(&TC, &NIF, SRV_IP, "pxelinux.0", dest, sizeof(dest), &got, progress
             , NULL);
}

int
LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    if (!size)
        return 0;
    shim_clock = 0;         // runs repeat exactly
    fakenet_init(&FN, our_mac);
    FN.idle_ms = 100;       // waits end after a few empty polls
    netif_init(&NIF, &FN.nd);
    NIF.port_seq = 0;       // TFTP uses port 49152
    netdev_open(&FN.nd);
    In = (struct input){ data, size, 1 };
    switch (data[0] & 3) {
    case 0:
        run_poll(OUR_IP);
        break;
    case 1:
        run_poll(0);
        break;
    case 2:
        FN.on_tx = feed_on_tx;
        dhcp_run(&NIF, NULL, FUZZ_XID, &LEASE, NULL);
        break;
    case 3:
        run_tftp();
        break;
    }
    return 0;
}
