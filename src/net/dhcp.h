// DHCP client for PXE (RFC 2131, RFC 2132, PXE 2.1 client options)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __NET_DHCP_H
#define __NET_DHCP_H

#include "net/net.h" // struct netif
#include "types.h" // u32

#define DHCP_PKT_MAX  1472      // largest UDP payload in a 1500-byte MTU
#define DHCP_TX_MAX   548       // RFC 2131 2: 576-byte datagram less IP/UDP
#define DHCP_STR_MAX  256       // an option string (<= 255 bytes) and its NUL
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

// BOOTP/DHCP message up to and including the magic cookie (RFC 2131 2,
// figure 1; RFC 2131 3 for the cookie).  Options follow.
struct dhcp_hdr {
    u8 op;
    u8 htype;
    u8 hlen;
    u8 hops;
    u32 xid;
    u16 secs;
    u16 flags;
    u32 ciaddr;
    u32 yiaddr;
    u32 siaddr;
    u32 giaddr;
    u8 chaddr[16];
    u8 sname[64];
    u8 file[128];
    u32 magic;
} PACKED;
_Static_assert(sizeof(struct dhcp_hdr) == 240, "dhcp_hdr is 240 bytes");

// Message types, option 53 (RFC 2132 9.6).
#define DHCPDISCOVER 1
#define DHCPOFFER    2
#define DHCPREQUEST  3
#define DHCPDECLINE  4
#define DHCPACK      5
#define DHCPNAK      6

// A string inside a parsed packet: not NUL-terminated, may be absent.
struct dhcp_str {
    const u8 *data;             // NULL: absent
    u8 len;
};

// What dhcp_parse() found in a server's reply.  Addresses are in network
// byte order; the pointers point into the parsed packet.
struct dhcp_info {
    u32 xid;
    const u8 *chaddr;           // ETH_ALEN bytes
    u32 yiaddr, siaddr;
    u32 server_id;              // option 54 (0: absent)
    u32 netmask;                // option 1
    u32 router;                 // option 3, the first router
    u32 lease_time;             // option 51, seconds, host order
    u8 msgtype;                 // option 53 (0: absent, plain BOOTP)
    u8 overload;                // option 52: 1 file, 2 sname, 3 both
    u8 pxeclient;               // option 60 begins with "PXEClient"
    struct dhcp_str bootfile;   // option 67, else the file field
    struct dhcp_str server_name;// option 66, else the sname field
    struct dhcp_str root_path;  // option 17
};

// The result of dhcp_run(), and the packets PXE GET_CACHED_INFO returns.
struct dhcp_lease {
    u32 yiaddr, siaddr;
    u32 server_id, netmask, router;
    u32 lease_time;             // seconds (0: not given)
    char bootfile[DHCP_STR_MAX];
    char server_name[DHCP_STR_MAX];
    char root_path[DHCP_STR_MAX];
    u16 discover_len, ack_len, proxy_len;   // proxy_len 0: no ProxyDHCP
    u8 discover[DHCP_PKT_MAX];  // our DHCPDISCOVER, exactly as sent
    u8 ack[DHCP_PKT_MAX];       // the server's DHCPACK
    u8 proxy[DHCP_PKT_MAX];     // a ProxyDHCP offer ("PXEClient", no address)
};

// dhcp.c
int dhcp_parse(const u8 *pkt, u16 len, struct dhcp_info *out);
int dhcp_run(struct netif *nif, const u8 *uuid16, u32 xid
             , struct dhcp_lease *lease, void (*status)(const char *msg));

#endif // dhcp.h
