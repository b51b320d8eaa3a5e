// Wire formats of Ethernet II, ARP, IPv4, ICMP echo and UDP headers
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __NET_PROTO_H
#define __NET_PROTO_H

#include "net/netdev.h" // ETH_ALEN
#include "types.h" // u8

// Multi-byte fields are in network byte order.  IPv4 addresses are kept
// exactly as they sit in the packet (a u32 in network byte order).

// Ethernet II header (RFC 894).
struct eth_hdr {
    u8 h_dest[ETH_ALEN];
    u8 h_source[ETH_ALEN];
    u16 h_proto;
} PACKED;
_Static_assert(sizeof(struct eth_hdr) == ETH_HLEN, "eth_hdr is 14 bytes");

#define ETH_P_IP  0x0800
#define ETH_P_ARP 0x0806

// ARP for Ethernet and IPv4 (RFC 826 "Packet format").
struct arp_pkt {
    u16 ar_hrd;
    u16 ar_pro;
    u8 ar_hln;
    u8 ar_pln;
    u16 ar_op;
    u8 ar_sha[ETH_ALEN];
    u32 ar_spa;
    u8 ar_tha[ETH_ALEN];
    u32 ar_tpa;
} PACKED;
_Static_assert(sizeof(struct arp_pkt) == 28, "arp_pkt is 28 bytes");

#define ARP_HRD_ETHER  1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

// IPv4 header without options (RFC 791 3.1).
struct ip_hdr {
    u8 ver_ihl;                 // version (4) << 4 | header length in words
    u8 tos;
    u16 tot_len;
    u16 id;
    u16 frag_off;               // flags and fragment offset
    u8 ttl;
    u8 protocol;
    u16 check;
    u32 saddr;
    u32 daddr;
} PACKED;
_Static_assert(sizeof(struct ip_hdr) == 20, "ip_hdr is 20 bytes");

#define IP_VERSION     4
#define IP_MF          0x2000   // more fragments
#define IP_OFFMASK     0x1fff   // fragment offset
#define IP_TTL_DEFAULT 64
#define IP_PROTO_ICMP  1
#define IP_PROTO_UDP   17

// ICMP echo and echo reply (RFC 792 "Echo or Echo Reply Message").
struct icmp_echo {
    u8 type;
    u8 code;
    u16 checksum;
    u16 identifier;
    u16 sequence;
} PACKED;
_Static_assert(sizeof(struct icmp_echo) == 8, "icmp_echo is 8 bytes");

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8

// UDP header (RFC 768).
struct udp_hdr {
    u16 source;
    u16 dest;
    u16 len;
    u16 check;
} PACKED;
_Static_assert(sizeof(struct udp_hdr) == 8, "udp_hdr is 8 bytes");

// IPv4 and UDP header bytes in front of a UDP payload.
#define IP_UDP_HLEN (sizeof(struct ip_hdr) + sizeof(struct udp_hdr))

#endif // proto.h
