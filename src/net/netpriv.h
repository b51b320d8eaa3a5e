// Functions the files of the network stack share with each other only
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __NET_NETPRIV_H
#define __NET_NETPRIV_H

#include "net/net.h" // struct netif
#include "net/proto.h" // struct ip_hdr

// Transmit frames are built in nif->txbuf: Ethernet header, then IPv4
// header, then the IPv4 payload at ip_tx_payload().
static inline u8 *
ip_tx_payload(struct netif *nif)
{
    return nif->txbuf + ETH_HLEN + sizeof(struct ip_hdr);
}

extern const u8 eth_broadcast[ETH_ALEN];

// net.c
int eth_output(struct netif *nif, const u8 *dst, u16 proto, u16 len);
// arp.c
void arp_input(struct netif *nif, const u8 *pkt, u16 len);
int arp_resolve(struct netif *nif, u32 ip, u8 *mac);
// ipv4.c
void ip_input(struct netif *nif, const u8 *src_mac, const u8 *pkt, u16 len);
int ip_output(struct netif *nif, const u8 *dst_mac, u32 dst, u8 proto
              , u16 len);
int ip_route(struct netif *nif, u32 dst, u32 gateway, u8 *mac);
// udp.c
void udp_input(struct netif *nif, const u8 *src_mac, const struct ip_hdr *iph
               , const u8 *pkt, u16 len);

#endif // netpriv.h
