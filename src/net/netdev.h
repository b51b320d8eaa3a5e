#ifndef __NETDEV_H
#define __NETDEV_H

#include "types.h" // u8

// Ethernet framing sizes (IEEE 802.3; frames are handled without FCS).
#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60
#define ETH_DATA_LEN 1500
#define ETH_FRAME_LEN (ETH_HLEN + ETH_DATA_LEN)

struct netdev;

// What a NIC driver implements.  Everything is polled: no driver enables
// a device interrupt (docs/architecture.md, section 3).
struct netdev_ops {
    // Start the device: after it returns 0 frames can be sent and received.
    int (*open)(struct netdev *nd);
    // Quiesce: when it returns the device does no more DMA into guest RAM.
    void (*close)(struct netdev *nd);
    // Queue one frame (with Ethernet header, no FCS); the driver copies it.
    // Returns 0 when queued, NETDEV_BUSY when no slot is free right now,
    // NETDEV_ERROR when the device failed.
    int (*transmit)(struct netdev *nd, const void *frame, u16 len);
    // Copy one received frame into buf.  Returns its length, 0 when none
    // is waiting.  A frame longer than size is dropped (and counted).
    int (*poll)(struct netdev *nd, void *buf, u16 size);
};

#define NETDEV_BUSY  -1
#define NETDEV_ERROR -2

struct netdev_stats {
    u32 tx_frames, rx_frames, rx_dropped, tx_errors;
};

struct netdev {
    const struct netdev_ops *ops;
    const char *driver;         // short driver name: "virtio-net"
    u8 mac[ETH_ALEN];           // permanent address
    u16 mtu;                    // largest IP packet: ETH_DATA_LEN normally
    struct pci_device *pci;     // NULL for non-PCI devices
    int prio;                   // boot priority from bootorder (-1: none)
    int is_open;
    struct netdev_stats stats;
    struct netdev *next;
};

// netdev.c
void netdev_register(struct netdev *nd);
struct netdev *netdev_list(void);
int netdev_open(struct netdev *nd);
void netdev_close(struct netdev *nd);
void netdev_close_all(void);
int netdev_transmit(struct netdev *nd, const void *frame, u16 len);
int netdev_poll(struct netdev *nd, void *buf, u16 size);

#endif // netdev.h
