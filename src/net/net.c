// Network interface: receive dispatch, Ethernet output, checksums, helpers
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // cpu_to_be16
#include "net/netpriv.h" // arp_input
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "util.h" // timer_calc

#define NET_TX_BUSY_MS 100      // how long a full transmit queue may stall us

const u8 eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void
netif_init(struct netif *nif, struct netdev *dev)
{
    memset(nif, 0, sizeof(*nif));
    nif->dev = dev;
    // Start IP ids and ephemeral ports somewhere different on every boot.
    u32 seed = timer_calc(0);
    nif->ip_id = seed;
    nif->port_seq = seed >> 16;
}

void
netif_set_ip(struct netif *nif, u32 ip, u32 netmask, u32 gateway)
{
    nif->ip = ip;
    nif->netmask = netmask;
    nif->gateway = gateway;
}

// The largest IPv4 packet we send; nonsense driver values mean Ethernet's.
u16
net_mtu(struct netif *nif)
{
    u16 mtu = nif->dev->mtu;
    if (mtu < NET_MIN_MTU || mtu > ETH_DATA_LEN)
        return ETH_DATA_LEN;
    return mtu;
}

static int
eth_for_us(struct netif *nif, const u8 *dest)
{
    return !memcmp(dest, nif->dev->mac, ETH_ALEN)
        || !memcmp(dest, eth_broadcast, ETH_ALEN);
}

// Hand one received frame (in nif->frame) to its protocol.
static void
eth_input(struct netif *nif, u16 len)
{
    const struct eth_hdr *eh = (void *)nif->frame;
    if (len < sizeof(*eh)) {
        nif->stats.rx_bad++;
        return;
    }
    if (!eth_for_us(nif, eh->h_dest)) {
        nif->stats.rx_ignored++;
        return;
    }
    const u8 *payload = nif->frame + sizeof(*eh);
    len -= sizeof(*eh);
    switch (be16_to_cpu(eh->h_proto)) {
    case ETH_P_ARP:
        arp_input(nif, payload, len);
        break;
    case ETH_P_IP:
        ip_input(nif, eh->h_source, payload, len);
        break;
    default:
        nif->stats.rx_ignored++;
        break;
    }
}

// Receive and dispatch the frames waiting on the device, at most MAX of
// them: a caller whose queue has little room leaves the rest on the NIC
// (flow control) instead of dropping them.  Returns how many were handled.
int
net_poll_max(struct netif *nif, int max)
{
    if (nif->in_rx)
        return 0;   // called from a receive callback: nif->frame is in use
    nif->in_rx = 1;
    int n;
    for (n = 0; n < max; n++) {
        int len = netdev_poll(nif->dev, nif->frame, sizeof(nif->frame));
        if (len <= 0)
            break;
        nif->stats.rx_frames++;
        if (len > sizeof(nif->frame)) {
            nif->stats.rx_bad++;    // a driver bug; never parse past the buffer
            continue;
        }
        if (nif->rx_hook)
            nif->rx_hook(nif, nif->frame, len);
        eth_input(nif, len);
    }
    nif->in_rx = 0;
    return n;
}

// Receive and dispatch up to NET_POLL_MAX frames.
int
net_poll(struct netif *nif)
{
    return net_poll_max(nif, NET_POLL_MAX);
}

// Send the LEN-byte payload already at nif->txbuf + ETH_HLEN to DST.
int
eth_output(struct netif *nif, const u8 *dst, u16 proto, u16 len)
{
    struct eth_hdr *eh = (void *)nif->txbuf;
    memcpy(eh->h_dest, dst, ETH_ALEN);
    memcpy(eh->h_source, nif->dev->mac, ETH_ALEN);
    eh->h_proto = cpu_to_be16(proto);
    u32 end = timer_calc(NET_TX_BUSY_MS);
    for (;;) {
        int ret = netdev_transmit(nif->dev, nif->txbuf, sizeof(*eh) + len);
        if (!ret) {
            nif->stats.tx_frames++;
            return 0;
        }
        if (ret != NETDEV_BUSY || timer_check(end))
            break;
    }
    nif->stats.tx_errors++;
    dprintf(3, "net: %s transmit failed\n", nif->dev->driver);
    return NET_EDEV;
}

// Internet checksum (RFC 1071 4.1): the ones' complement of the ones'
// complement sum of big-endian 16-bit words.  SUM carries in a partial
// sum (see net_pseudo_sum); a buffer holding a correct checksum gives 0.
u16
net_checksum(const void *data, u32 len, u32 sum)
{
    const u8 *p = data;
    u32 i;
    for (i = 0; i + 1 < len; i += 2) {
        sum += (p[i] << 8) | p[i + 1];
        if (sum & 0x80000000)
            sum = (sum & 0xffff) + (sum >> 16);
    }
    if (len & 1)
        sum += p[len - 1] << 8;     // RFC 1071 4.1: pad the odd byte with 0
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return ~sum;
}

// Partial sum of the IPv4 pseudo header of UDP (RFC 768 "Fields").
u32
net_pseudo_sum(u32 src, u32 dst, u8 proto, u16 len)
{
    u32 s = be32_to_cpu(src), d = be32_to_cpu(dst);
    return (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff) + proto + len;
}

static const char *const net_errors[] = {
    [-NET_EARP] = "no ARP reply from the next hop",
    [-NET_ETOOBIG] = "packet too large",
    [-NET_EDEV] = "network device error",
    [-NET_ENOROUTE] = "no route to host",
    [-NET_ETIMEDOUT] = "timed out",
    [-NET_EINVAL] = "invalid argument",
    [-NET_ENAK] = "DHCP server refused the address (NAK)",
    [-NET_ENOPORT] = "no free UDP port",
    [-NET_EPROTO] = "malformed packet",
};

const char *
net_strerror(int err)
{
    if (!err)
        return "success";
    if (err < NET_ELAST || err > 0)
        return "unknown error";
    return net_errors[-err];
}

// Write VAL in decimal at P (no NUL); returns the end.
char *
net_fmt_dec(char *p, u32 val)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = '0' + val % 10;
        val /= 10;
    } while (val);
    while (n)
        *p++ = digits[--n];
    return p;
}

// Dotted-quad text of IP into BUF (at least IP_FMT_LEN bytes); returns BUF.
char *
ip_fmt(char *buf, u32 ip)
{
    const u8 *b = (const u8 *)&ip;
    char *p = buf;
    int i;
    for (i = 0; i < 4; i++) {
        if (i)
            *p++ = '.';
        p = net_fmt_dec(p, b[i]);
    }
    *p = '\0';
    return buf;
}

// Length of S, looking at no more than MAX bytes.
u32
net_strnlen(const char *s, u32 max)
{
    u32 n = 0;
    while (n < max && s[n])
        n++;
    return n;
}
