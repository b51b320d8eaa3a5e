// Network device registry and the open/close/transmit/poll wrappers
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "net/netdev.h" // struct netdev
#include "output.h" // dprintf
#include "string.h" // memcpy

static struct netdev *NetdevList;

// Append ND: the list keeps registration order (the boot menu order).
void
netdev_register(struct netdev *nd)
{
    struct netdev **pp;
    for (pp = &NetdevList; *pp; pp = &(*pp)->next)
        if (*pp == nd)
            return;
    nd->next = NULL;
    nd->is_open = 0;
    *pp = nd;
    dprintf(1, "netdev: %s %02x:%02x:%02x:%02x:%02x:%02x\n", nd->driver
            , nd->mac[0], nd->mac[1], nd->mac[2]
            , nd->mac[3], nd->mac[4], nd->mac[5]);
}

struct netdev *
netdev_list(void)
{
    return NetdevList;
}

int
netdev_open(struct netdev *nd)
{
    if (nd->is_open)
        return 0;
    int ret = nd->ops->open(nd);
    if (ret) {
        dprintf(1, "netdev: %s failed to open (%d)\n", nd->driver, ret);
        return ret;
    }
    nd->is_open = 1;
    return 0;
}

void
netdev_close(struct netdev *nd)
{
    if (!nd->is_open)
        return;
    nd->ops->close(nd);
    nd->is_open = 0;
}

void
netdev_close_all(void)
{
    struct netdev *nd;
    for (nd = NetdevList; nd; nd = nd->next)
        netdev_close(nd);
}

// Frames shorter than the Ethernet minimum are zero-padded here, so no
// driver sends runts (IEEE 802.3 minimum frame without FCS).
int
netdev_transmit(struct netdev *nd, const void *frame, u16 len)
{
    u8 padded[ETH_ZLEN];
    if (!nd->is_open || len > ETH_FRAME_LEN) {
        nd->stats.tx_errors++;
        return NETDEV_ERROR;
    }
    if (len < ETH_ZLEN) {
        memcpy(padded, frame, len);
        memset(padded + len, 0, ETH_ZLEN - len);
        frame = padded;
        len = ETH_ZLEN;
    }
    int ret = nd->ops->transmit(nd, frame, len);
    if (!ret)
        nd->stats.tx_frames++;
    else if (ret != NETDEV_BUSY)
        nd->stats.tx_errors++;
    return ret;
}

int
netdev_poll(struct netdev *nd, void *buf, u16 size)
{
    if (!nd->is_open)
        return 0;
    int len = nd->ops->poll(nd, buf, size);
    if (len > 0)
        nd->stats.rx_frames++;
    return len;
}
