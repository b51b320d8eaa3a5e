// UNDI receive queue, packet filter, ISR state machine and transmit
// header builder (pxe.md 7 and 9).
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "pxe/undi.h" // struct undi
#include "string.h" // memcpy

#define ETH_P_IP   0x0800
#define ETH_P_ARP  0x0806
#define ETH_P_RARP 0x8035

static const u8 BroadcastMac[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void
undi_reset(struct undi *u, const u8 *mac)
{
    memset(u, 0, sizeof(*u));
    memcpy(u->mac, mac, ETH_ALEN);
    u->filter = FLTR_DIRECTED | FLTR_BRDCST;
    u->irq_enabled = 1;
}

static int
is_multicast(const u8 *mac)
{
    return mac[0] & 1;
}

// Packet filter of UNDI_OPEN/SET_PACKET_FILTER: directed to our station
// address, broadcast, multicast in the list, or everything (promiscuous).
int
undi_accepts(const struct undi *u, const u8 *frame, u16 len)
{
    if (len < ETH_HLEN)
        return 0;
    if (u->filter & FLTR_PRMSCS)
        return 1;
    if (!memcmp(frame, BroadcastMac, ETH_ALEN))
        return !!(u->filter & FLTR_BRDCST);
    if (is_multicast(frame)) {
        int i;
        for (i = 0; i < u->mcast_count && i < UNDI_MCAST_MAX; i++)
            if (!memcmp(frame, u->mcast[i], ETH_ALEN))
                return 1;
        return 0;
    }
    return (u->filter & FLTR_DIRECTED) && !memcmp(frame, u->mac, ETH_ALEN);
}

// Queue a received frame whole; a full queue drops the new frame and
// counts it rather than overwriting one the client has not read.
void
undi_rx(struct undi *u, const u8 *frame, u16 len)
{
    if (!undi_accepts(u, frame, len) || len > ETH_FRAME_LEN)
        return;
    if (u->rx_count >= UNDI_RXQ_LEN) {
        u->rx_dropped++;
        return;
    }
    struct undi_frame *f = &u->rxq[(u->rx_head + u->rx_count) % UNDI_RXQ_LEN];
    f->len = len;
    memcpy(f->data, frame, len);
    u->rx_count++;
}

u8
undi_prot_type(const u8 *frame)
{
    u16 type = (frame[12] << 8) | frame[13];
    switch (type) {
    case ETH_P_IP:   return P_IP;
    case ETH_P_ARP:  return P_ARP;
    case ETH_P_RARP: return P_RARP;
    default:         return P_UNKNOWN;
    }
}

static u8
pkt_type(const u8 *frame)
{
    if (!memcmp(frame, BroadcastMac, ETH_ALEN))
        return P_BROADCAST;
    return is_multicast(frame) ? P_MULTICAST : P_DIRECTED;
}

// One ISR sub-call (pxe.md 9, modelled on the provider clients are tested
// against).  START answers OURS while the "interrupt" is enabled and
// disables it, so a second START with nothing pending says NOT_OURS; work
// still queued also answers OURS, so a client whose handler stopped before
// OUT_DONE is not left waiting forever.  PROCESS and GET_NEXT are
// alike: one OUT_TRANSMIT per finished transmit, then one whole frame per
// call, then OUT_DONE, which enables the "interrupt" again.  The caller
// polls the NIC before each call and calls undi_isr_consumed() once the
// client has the frame.
void
undi_isr(struct undi *u, u16 func, struct undi_isr_result *r)
{
    memset(r, 0, sizeof(*r));
    if (func == ISR_IN_START) {
        int pending = u->irq_enabled || u->rx_count || u->tx_done;
        r->func = pending ? ISR_OUT_OURS : ISR_OUT_NOT_OURS;
        u->irq_enabled = 0;
        return;
    }
    if (u->tx_done) {
        u->tx_done--;
        r->func = ISR_OUT_TRANSMIT;
        return;
    }
    if (u->rx_count) {
        struct undi_frame *f = &u->rxq[u->rx_head];
        r->func = ISR_OUT_RECEIVE;
        r->frame = f->data;
        r->len = f->len;
        r->prot_type = undi_prot_type(f->data);
        r->pkt_type = pkt_type(f->data);
        return;
    }
    r->func = ISR_OUT_DONE;
    u->irq_enabled = 1;
}

void
undi_isr_consumed(struct undi *u)
{
    if (!u->rx_count)
        return;
    u->rx_head = (u->rx_head + 1) % UNDI_RXQ_LEN;
    u->rx_count--;
}

// Build the 14-byte Ethernet header for a P_IP/P_ARP/P_RARP transmit
// (pxe.md 0.7); DEST NULL means broadcast.  Returns the header length, or
// -1 for an unknown protocol.
int
undi_build_header(u8 *out, u8 protocol, const u8 *dest, const u8 *src)
{
    u16 type;
    switch (protocol) {
    case P_IP:   type = ETH_P_IP; break;
    case P_ARP:  type = ETH_P_ARP; break;
    case P_RARP: type = ETH_P_RARP; break;
    default:     return -1;
    }
    memcpy(out, dest ? dest : BroadcastMac, ETH_ALEN);
    memcpy(out + ETH_ALEN, src, ETH_ALEN);
    out[12] = type >> 8;
    out[13] = type;
    return ETH_HLEN;
}

// IPv4 multicast group to MAC: 01:00:5e + low 23 bits (RFC 1112 6.4).
void
undi_mcast_mac(u32 ip, u8 *mac)
{
    const u8 *b = (const u8 *)&ip;    // network byte order
    mac[0] = 0x01;
    mac[1] = 0x00;
    mac[2] = 0x5e;
    mac[3] = b[1] & 0x7f;
    mac[4] = b[2];
    mac[5] = b[3];
}
