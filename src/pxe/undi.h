// UNDI receive queue, packet filter, ISR state machine and transmit
// header builder: the parts of the UNDI API that need no NIC.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __UNDI_H
#define __UNDI_H

#include "net/netdev.h" // ETH_ALEN
#include "types.h" // u8

// UNDI_OPEN / SET_PACKET_FILTER bits (pxe.md 7)
#define FLTR_DIRECTED 0x0001
#define FLTR_BRDCST   0x0002
#define FLTR_PRMSCS   0x0004
#define FLTR_SRC_RTG  0x0008

// UNDI_TRANSMIT Protocol and ISR ProtType (pxe.md 7)
#define P_UNKNOWN 0
#define P_IP      1
#define P_ARP     2
#define P_RARP    3

// ISR PktType (pxe.md 7)
#define P_DIRECTED  0
#define P_BROADCAST 1
#define P_MULTICAST 2

// ISR FuncFlag in and out (pxe.md 9)
#define ISR_IN_START    1
#define ISR_IN_PROCESS  2
#define ISR_IN_GET_NEXT 3
#define ISR_OUT_OURS     0
#define ISR_OUT_NOT_OURS 1
#define ISR_OUT_DONE     0
#define ISR_OUT_TRANSMIT 2
#define ISR_OUT_RECEIVE  3
#define ISR_OUT_BUSY     4

#define UNDI_MCAST_MAX 8
#define UNDI_RXQ_LEN 64

struct undi_frame {
    u16 len;
    u8 data[ETH_FRAME_LEN];
};

struct undi {
    u8 mac[ETH_ALEN];           // current station address
    u16 filter;                 // FLTR_* bits
    u8 mcast[UNDI_MCAST_MAX][ETH_ALEN];
    u8 mcast_count;
    u8 irq_enabled;             // ISR bookkeeping (pxe.md 9)
    u16 tx_done;                // transmits not yet reported by the ISR
    u8 rx_head, rx_count;
    u32 rx_dropped;             // queue full: dropped, not overwritten
    struct undi_frame rxq[UNDI_RXQ_LEN];
};

// What one ISR call reports.
struct undi_isr_result {
    u16 func;                   // ISR_OUT_*
    const u8 *frame;            // OUT_RECEIVE: the whole frame
    u16 len;
    u8 prot_type, pkt_type;
};

void undi_reset(struct undi *u, const u8 *mac);
int undi_accepts(const struct undi *u, const u8 *frame, u16 len);
void undi_rx(struct undi *u, const u8 *frame, u16 len);
void undi_isr(struct undi *u, u16 func, struct undi_isr_result *r);
void undi_isr_consumed(struct undi *u);
int undi_build_header(u8 *out, u8 protocol, const u8 *dest, const u8 *src);
u8 undi_prot_type(const u8 *frame);
void undi_mcast_mac(u32 ip, u8 *mac);

#endif // undi.h
