#ifndef __VIRTIO_NET_H
#define __VIRTIO_NET_H

#include "types.h" // u8

// PCI device ids (virtio 1.0 4.1.2): transitional id 0x1000 with PCI
// subsystem device id = device type, modern id 0x1040 + device type.
#define PCI_DEVICE_ID_VIRTIO_NET_09 0x1000
#define PCI_DEVICE_ID_VIRTIO_NET_10 0x1041
#define VIRTIO_ID_NET               1

// Feature bits (virtio 1.0 5.1.3)
#define VIRTIO_NET_F_MAC    5
#define VIRTIO_NET_F_STATUS 16

// Bits of virtio_net_config.status (virtio 1.0 5.1.4)
#define VIRTIO_NET_S_LINK_UP 1

// Device configuration layout, the fields this driver reads (virtio 1.0 5.1.4)
struct virtio_net_config {
    u8 mac[6];
    u16 status;
} PACKED;
_Static_assert(sizeof(struct virtio_net_config) == 8, "virtio_net_config");

// Header in front of every frame (virtio 1.0 5.1.6); without
// VIRTIO_NET_F_MRG_RXBUF a legacy device omits num_buffers (5.1.6.1).
struct virtio_net_hdr {
    u8 flags;
    u8 gso_type;
    u16 hdr_len;
    u16 gso_size;
    u16 csum_start;
    u16 csum_offset;
    u16 num_buffers;
} PACKED;
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio_net_hdr");

// virtio-net.c
void virtio_net_setup(void);

#endif // virtio-net.h
