// Fake network device for host tests: scripted receive, recorded transmit
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __FAKENET_H
#define __FAKENET_H

#include "net/netdev.h" // struct netdev
#include "types.h" // u8

#define FAKE_QLEN 64

struct fake_frame {
    u16 len;
    u8 data[ETH_FRAME_LEN];
};

struct fakenet {
    struct netdev nd;
    struct fake_frame rx[FAKE_QLEN];    // frames poll() hands out, in order
    unsigned rx_head, rx_count;
    struct fake_frame tx[FAKE_QLEN];    // the last FAKE_QLEN frames sent
    unsigned tx_count;                  // frames sent in all
    // Runs for every frame sent (after it is logged): scripted peers
    // answer here with fakenet_push().
    void (*on_tx)(struct fakenet *fn, const u8 *frame, u16 len);
    void *priv;
    int open_result;                    // open() returns this
    int tx_result;                      // transmit() returns this when not 0
    int tx_busy;                        // transmit() says BUSY this often first
    u32 idle_ms;                        // poll() with nothing queued advances
                                        // the fake clock this much
    int opens, closes;
};

// A frame a peer builds or a test inspects, as plain fields.
struct fk_udp {
    u8 dmac[ETH_ALEN], smac[ETH_ALEN];
    u32 sip, dip;
    u16 sport, dport;
    const u8 *data;
    u16 len;
};

extern const u8 fk_bcast[ETH_ALEN];

void fakenet_init(struct fakenet *fn, const u8 *mac);
void fakenet_push(struct fakenet *fn, const void *frame, u16 len);
const struct fake_frame *fakenet_sent(struct fakenet *fn, unsigned i);
const struct fake_frame *fakenet_last(struct fakenet *fn);

u32 fk_ip(u8 a, u8 b, u8 c, u8 d);
u16 fk_csum(const void *data, u32 len, u32 sum);
u16 fk_ipv4(u8 *frame, const u8 *dmac, const u8 *smac, u32 sip, u32 dip
            , u8 proto, const void *payload, u16 plen);
u16 fk_udp_frame(u8 *frame, const struct fk_udp *u);
u16 fk_arp(u8 *frame, u16 op, const u8 *eth_dst, const u8 *sha, u32 spa
           , const u8 *tha, u32 tpa);
int fk_parse_udp(const u8 *frame, u16 len, struct fk_udp *out);
int fk_parse_arp(const u8 *frame, u16 len, u16 *op, u32 *spa, u32 *tpa);
void fk_reply_arp(struct fakenet *fn, const u8 *frame, u16 len
                  , const u8 *mac);

#endif // fakenet.h
