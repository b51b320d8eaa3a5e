// Polled IPv4 network stack: interface, ARP, IPv4, ICMP echo and UDP
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __NET_NET_H
#define __NET_NET_H

#include "net/netdev.h" // struct netdev
#include "types.h" // u32

// Conventions: IPv4 addresses are u32 in network byte order (as they sit
// in packets); UDP ports are u16 in host byte order.  Nothing here
// allocates memory or waits without a timeout; every wait keeps calling
// net_poll() so other traffic (ARP requests, pings) is still answered.

#define IP_BROADCAST    0xffffffff
#define IP_FMT_LEN      16      // "255.255.255.255" and its NUL
#define NET_ARP_ENTRIES 8
#define NET_ARP_TTL_MS  60000   // a cache entry expires 60 s after it was learnt
#define NET_POLL_MAX    32      // frames net_poll() handles per call
#define NET_MIN_MTU     576     // RFC 791 3.1: every host takes 576-byte datagrams

// Errors returned (negated) by the stack, DHCP and TFTP (see tftp.h for
// the TFTP ones).  net_strerror() describes them.
#define NET_EARP      -1        // the next hop did not answer ARP
#define NET_ETOOBIG   -2        // payload larger than the MTU allows
#define NET_EDEV      -3        // the device failed or is closed
#define NET_ENOROUTE  -4        // off-link destination and no gateway
#define NET_ETIMEDOUT -5        // no answer in time
#define NET_EINVAL    -6        // bad argument
#define NET_ENAK      -7        // the DHCP server refused our request
#define NET_ENOPORT   -8        // no free UDP port
#define NET_EPROTO    -9        // malformed packet
#define NET_ELAST     NET_EPROTO

struct arp_entry {
    u32 ip;                     // 0: free
    u32 expires;                // timer_calc() time the entry goes stale
    u8 mac[ETH_ALEN];
};

struct netif_stats {
    u32 rx_frames;              // frames handed to the stack
    u32 rx_bad;                 // malformed: length, version, checksum
    u32 rx_ignored;             // valid but not for us or not handled
    u32 rx_noport;              // UDP with no bound pcb
    u32 tx_frames, tx_errors;
};

struct netif;

// Where a received UDP datagram came from and went to.
struct udp_meta {
    u32 src_ip, dst_ip;
    u16 src_port, dst_port;
    const u8 *src_mac;          // Ethernet source of the frame
};

// A bound UDP port.  recv() runs inside net_poll() with DATA pointing
// into nif->frame: copy what must outlive the call.  From inside recv()
// net_poll() does nothing and udp_send() does not wait for ARP (it sends
// one request and fails with NET_EARP when the next hop is not cached).
struct udp_pcb {
    u16 local_port;             // 0: every port no other pcb has bound
    void (*recv)(struct udp_pcb *pcb, struct netif *nif
                 , const struct udp_meta *m, const u8 *data, u16 len);
    void *priv;
    struct udp_pcb *next;
};

struct netif {
    struct netdev *dev;
    u32 ip, netmask, gateway;   // ip 0: not configured (DHCP running)
    struct arp_entry arp[NET_ARP_ENTRIES];
    struct udp_pcb *pcbs;
    // Optional: sees every received frame before the stack does.  It
    // cannot consume a frame: the stack still answers ARP, pings and
    // delivers UDP from it afterwards (the PXE UNDI layer uses this).
    void (*rx_hook)(struct netif *nif, const u8 *frame, u16 len);
    struct netif_stats stats;
    u16 ip_id;                  // next IPv4 identification
    u16 port_seq;               // next ephemeral UDP port candidate
    u8 in_rx;                   // net_poll() is dispatching nif->frame
    u8 frame[ETH_FRAME_LEN];    // the received frame being dispatched
    u8 txbuf[ETH_FRAME_LEN];    // the frame being built for transmit
};

// Builds a UDP payload in place: writes at most MAX bytes to BUF and
// returns the payload length.
typedef u16 (*udp_fill_fn)(void *ctx, u8 *buf, u16 max);

// net.c
void netif_init(struct netif *nif, struct netdev *dev);
void netif_set_ip(struct netif *nif, u32 ip, u32 netmask, u32 gateway);
int net_poll(struct netif *nif);
int net_poll_max(struct netif *nif, int max);
u16 net_mtu(struct netif *nif);
u16 net_checksum(const void *data, u32 len, u32 sum);
u32 net_pseudo_sum(u32 src, u32 dst, u8 proto, u16 len);
const char *net_strerror(int err);
char *net_fmt_dec(char *p, u32 val);
char *ip_fmt(char *buf, u32 ip);
u32 net_strnlen(const char *s, u32 max);
// udp.c
void udp_bind(struct netif *nif, struct udp_pcb *pcb);
void udp_unbind(struct netif *nif, struct udp_pcb *pcb);
u16 udp_port_alloc(struct netif *nif);
int udp_send(struct netif *nif, u32 dst_ip, u32 gateway, u16 src_port
             , u16 dst_port, const void *data, u16 len);
int udp_send_fill(struct netif *nif, u32 dst_ip, u32 gateway, u16 src_port
                  , u16 dst_port, udp_fill_fn fill, void *ctx);

#endif // net.h
