// virtio-net network device (legacy and virtio 1.0) for the netdev registry.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "config.h" // CONFIG_PVBOOT_VIRTIO_NET
#include "hw/pci.h" // pci_config_readw
#include "hw/pci_ids.h" // PCI_VENDOR_ID_REDHAT_QUMRANET
#include "hw/pci_regs.h" // PCI_SUBSYSTEM_ID
#include "hw/pcidevice.h" // foreachpci
#include "hw/virtio-pci.h" // vp_init_simple
#include "hw/virtio-ring.h" // vring_add_buf
#include "net/netdev.h" // netdev_register
#include "output.h" // dprintf
#include "pvboot.h" // pvboot_malloc_high
#include "romfile.h" // romfile_loadint
#include "string.h" // memset
#include "util.h" // timer_calc, bootprio_find_pci_device
#include "virtio-net.h" // struct virtio_net_hdr

#define VNET_RXQ 0              // receiveq1 (virtio 1.0 5.1.2)
#define VNET_TXQ 1              // transmitq1
#define VNET_NBUF 16            // buffers per queue
#define VNET_RESET_TIMEOUT 1000 // ms

// Features this driver accepts: no offloads, no merged rx buffers, no
// control queue.  A modern device requires VERSION_1 (virtio 1.0 6.1);
// IOMMU_PLATFORM is accepted like SeaBIOS's virtio-blk does (virtio 1.1 6).
#define VNET_FEATURES ((1ULL << VIRTIO_NET_F_MAC)           \
                       | (1ULL << VIRTIO_NET_F_STATUS)      \
                       | (1ULL << VIRTIO_F_VERSION_1)       \
                       | (1ULL << VIRTIO_F_IOMMU_PLATFORM))

struct vnet_buf {
    struct virtio_net_hdr hdr;
    u8 data[ETH_FRAME_LEN];
};

struct vnet_queue {
    struct vring_virtqueue vq; // its ring must start on a page (2.4.2)
    struct vnet_buf buf[VNET_NBUF];
};

// One device.  Rings and buffers are DMA targets, so they come from the
// permanent, e820-reserved pvboot_malloc_high(); each queue is allocated
// page-aligned because SeaBIOS's vring sizes its array for a ring that
// starts on a page.
struct virtio_net_s {
    struct vnet_queue *rx, *tx; // each on its own pages (ring alignment)
    struct netdev nd;
    struct vp_device vp;
    u16 tx_busy;                // bit i set: tx.buf[i] is owned by the device
};


/****************************************************************
 * Device status and configuration
 ****************************************************************/

// Status bits are only ever added until the next reset (virtio 1.0 2.1)
static void
vnet_add_status(struct vp_device *vp, u8 bit)
{
    vp_set_status(vp, vp_get_status(vp) | bit);
}

// Reset stops all DMA (virtio 1.0 3.3); the driver must wait for
// device_status to read back 0 (virtio 1.0 4.1.4.3.2).
static int
vnet_reset(struct vp_device *vp, struct pci_device *pci)
{
    vp_reset(vp);
    u32 end = timer_calc(VNET_RESET_TIMEOUT);
    while (vp_get_status(vp)) {
        if (timer_check(end)) {
            dprintf(1, "virtio-net %pP: device did not complete reset\n", pci);
            return -1;
        }
    }
    return 0;
}

static u32
vnet_config_read(struct vp_device *vp, u32 offset, u8 size)
{
    if (vp->use_modern)
        return _vp_read(&vp->device, offset, size);
    return _vp_read(&vp->legacy, offsetof(virtio_pci_legacy, device) + offset
                    , size);
}

static u8
vnet_config_generation(struct vp_device *vp)
{
    if (!vp->use_modern)
        return 0;
    return vp_read(&vp->common, virtio_pci_common_cfg, config_generation);
}

// The 6-byte MAC takes several reads: repeat them if the config
// generation changed meanwhile (virtio 1.0 2.3.1).
static void
vnet_read_mac(struct vp_device *vp, u8 *mac)
{
    u8 gen;
    do {
        gen = vnet_config_generation(vp);
        int i;
        for (i = 0; i < ETH_ALEN; i++)
            mac[i] = vnet_config_read(
                vp, offsetof(struct virtio_net_config, mac) + i, 1);
    } while (gen != vnet_config_generation(vp));
}

// Feature negotiation, virtio 1.0 3.1.1 steps 4-6 (a legacy device has
// no FEATURES_OK: 3.1.2).  Returns the accepted features, 0 on failure.
static u64
vnet_negotiate(struct vp_device *vp, struct pci_device *pci)
{
    u64 features = vp_get_features(vp) & VNET_FEATURES;
    if (!(features & (1ULL << VIRTIO_NET_F_MAC))) {
        dprintf(1, "virtio-net %pP: no VIRTIO_NET_F_MAC, no MAC address\n"
                , pci);
        return 0;
    }
    if (vp->use_modern && !(features & (1ULL << VIRTIO_F_VERSION_1))) {
        dprintf(1, "virtio-net %pP: modern device without VIRTIO_F_VERSION_1\n"
                , pci);
        return 0;
    }
    vp_set_features(vp, features);
    if (!vp->use_modern)
        return features;
    vnet_add_status(vp, VIRTIO_CONFIG_S_FEATURES_OK);
    if (!(vp_get_status(vp) & VIRTIO_CONFIG_S_FEATURES_OK)) {
        dprintf(1, "virtio-net %pP: device refused features 0x%x%08x\n"
                , pci, (u32)(features >> 32), (u32)features);
        return 0;
    }
    return features;
}

// Device initialization, virtio 1.0 3.1.1 steps 1-6: reset, ACKNOWLEDGE,
// DRIVER, features.  Returns the accepted features, 0 on failure.
static u64
vnet_begin(struct vp_device *vp, struct pci_device *pci)
{
    if (vnet_reset(vp, pci))
        return 0;
    vnet_add_status(vp, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    vnet_add_status(vp, VIRTIO_CONFIG_S_DRIVER);
    return vnet_negotiate(vp, pci);
}

static void
vnet_log_link(struct vp_device *vp, struct pci_device *pci, u64 features)
{
    if (!(features & (1ULL << VIRTIO_NET_F_STATUS)))
        return;
    u16 status = vnet_config_read(
        vp, offsetof(struct virtio_net_config, status), 2);
    if (!(status & VIRTIO_NET_S_LINK_UP))
        dprintf(1, "virtio-net %pP: link is down\n", pci);
}


/****************************************************************
 * Virtqueues
 ****************************************************************/

// VERSION_1 is negotiated exactly on modern devices; the legacy header
// has no num_buffers without VIRTIO_NET_F_MRG_RXBUF (virtio 1.0 5.1.6.1).
static u32
vnet_hdr_len(struct virtio_net_s *dev)
{
    if (dev->vp.use_modern)
        return sizeof(struct virtio_net_hdr);
    return offsetof(struct virtio_net_hdr, num_buffers);
}

// Select queue index and return its size, 0 when this driver cannot use
// it: each buffer takes two descriptors and struct vring_virtqueue holds
// at most MAX_QUEUE_NUM.  A modern driver may ask for a smaller power of
// 2 (virtio 1.0 4.1.5.1.3); a legacy queue size is fixed.
static u16
vnet_queue_select(struct vp_device *vp, struct pci_device *pci, u16 index)
{
    u16 num;
    if (vp->use_modern) {
        vp_write(&vp->common, virtio_pci_common_cfg, queue_select, index);
        num = vp_read(&vp->common, virtio_pci_common_cfg, queue_size);
        if (num > MAX_QUEUE_NUM) {
            vp_write(&vp->common, virtio_pci_common_cfg, queue_size
                     , MAX_QUEUE_NUM);
            num = MAX_QUEUE_NUM;
        }
    } else {
        vp_write(&vp->legacy, virtio_pci_legacy, queue_sel, index);
        num = vp_read(&vp->legacy, virtio_pci_legacy, queue_num);
    }
    if (num >= 2 * VNET_NBUF && num <= MAX_QUEUE_NUM)
        return num;
    dprintf(1, "virtio-net %pP: queue %d has %d entries, need %d-%d\n"
            , pci, index, num, 2 * VNET_NBUF, MAX_QUEUE_NUM);
    return 0;
}

// Give the selected queue's ring addresses to the device (virtio 1.0
// 4.1.5.1.3; legacy: page frame of a 4096-aligned ring, 2.4.2).
static void
vnet_queue_activate(struct vp_device *vp, struct vring_virtqueue *vq)
{
    struct vring *vr = &vq->vring;
    if (!vp->use_modern) {
        vp_write(&vp->legacy, virtio_pci_legacy, queue_pfn
                 , virt_to_phys(vr->desc) >> PAGE_SHIFT);
        return;
    }
    vp_write(&vp->common, virtio_pci_common_cfg, queue_desc_lo
             , virt_to_phys(vr->desc));
    vp_write(&vp->common, virtio_pci_common_cfg, queue_desc_hi, 0);
    vp_write(&vp->common, virtio_pci_common_cfg, queue_avail_lo
             , virt_to_phys(vr->avail));
    vp_write(&vp->common, virtio_pci_common_cfg, queue_avail_hi, 0);
    vp_write(&vp->common, virtio_pci_common_cfg, queue_used_lo
             , virt_to_phys(vr->used));
    vp_write(&vp->common, virtio_pci_common_cfg, queue_used_hi, 0);
    vq->queue_notify_off = vp_read(&vp->common, virtio_pci_common_cfg
                                   , queue_notify_off);
    // Enable only after the other queue fields (virtio 1.0 4.1.4.3.2)
    vp_write(&vp->common, virtio_pci_common_cfg, queue_enable, 1);
}

// Set up queue index on a fresh, zeroed ring.  vring_init() sets
// VRING_AVAIL_F_NO_INTERRUPT: this driver polls (virtio 1.0 2.4.7).
static int
vnet_queue_setup(struct virtio_net_s *dev, struct vnet_queue *q, u16 index)
{
    u16 num = vnet_queue_select(&dev->vp, dev->nd.pci, index);
    if (!num)
        return -1;
    struct vring_virtqueue *vq = &q->vq;
    memset(vq, 0, sizeof(*vq));
    vq->queue_index = index;
    vring_init(&vq->vring, num, vq->queue);
    vnet_queue_activate(&dev->vp, vq);
    return 0;
}

// Publish NUM new buffers and notify the device unless it said it does not
// need it (VRING_USED_F_NO_NOTIFY, virtio 1.0 2.4.7.2): QEMU clears the
// flag on the receive queue only when it ran out of buffers, which saves
// an exit per received frame.
static void
vnet_kick(struct vp_device *vp, struct vring_virtqueue *vq, int num)
{
    struct vring *vr = &vq->vring;
    smp_wmb();
    vr->avail->idx += num;
    asm volatile("lock; addl $0, (%%esp)" ::: "memory");   // full barrier
    if (!(*(volatile u16 *)&vr->used->flags & VRING_USED_F_NO_NOTIFY))
        vp_notify(vp, vq);
}

// Queue buffer id: the header and the frame each take one descriptor, as
// a legacy device without VIRTIO_F_ANY_LAYOUT needs (virtio 1.0 5.1.6.6).
// The device writes rx buffers and only reads tx buffers (2.4.5).
static void
vnet_add_buf(struct virtio_net_s *dev, struct vnet_queue *q, int id
             , u32 len, int num_added)
{
    struct vnet_buf *b = &q->buf[id];
    struct vring_list sg[2] = {
        { .addr = (void*)&b->hdr, .length = vnet_hdr_len(dev) },
        { .addr = (void*)b->data, .length = len },
    };
    if (q == dev->rx)
        vring_add_buf(&q->vq, sg, 0, 2, id, num_added);
    else
        vring_add_buf(&q->vq, sg, 2, 0, id, num_added);
}

// used->idx is written by the device (virtio 1.0 2.4.8); the build
// inlines across files, so force a fresh read on every call.
static int
vnet_more_used(struct vring_virtqueue *vq)
{
    barrier();
    return vring_more_used(vq);
}


/****************************************************************
 * netdev operations
 ****************************************************************/

// Device initialization (virtio 1.0 3.1.1, 5.1.5): steps 1-6 in
// vnet_begin(), then queues, rx buffers and DRIVER_OK.  The rx buffers
// are made available before DRIVER_OK; the device is notified after it.
static int
vnet_start(struct virtio_net_s *dev)
{
    struct vp_device *vp = &dev->vp;
    struct pci_device *pci = dev->nd.pci;
    u64 features = vnet_begin(vp, pci);
    if (!features || vnet_queue_setup(dev, dev->rx, VNET_RXQ)
        || vnet_queue_setup(dev, dev->tx, VNET_TXQ))
        return -1;
    int i;
    for (i = 0; i < VNET_NBUF; i++)
        vnet_add_buf(dev, dev->rx, i, ETH_FRAME_LEN, i);
    dev->tx_busy = 0;
    vnet_add_status(vp, VIRTIO_CONFIG_S_DRIVER_OK);
    vring_kick(vp, &dev->rx->vq, VNET_NBUF);
    vnet_log_link(vp, pci, features);
    return 0;
}

static int
vnet_open(struct netdev *nd)
{
    struct virtio_net_s *dev = container_of(nd, struct virtio_net_s, nd);
    if (vnet_start(dev)) {
        dprintf(1, "virtio-net %pP: open failed\n", nd->pci);
        vnet_reset(&dev->vp, nd->pci);
        return NETDEV_ERROR;
    }
    nd->is_open = 1;
    return 0;
}

// A reset device no longer uses the rings (virtio 1.0 3.3)
static void
vnet_close(struct netdev *nd)
{
    struct virtio_net_s *dev = container_of(nd, struct virtio_net_s, nd);
    vnet_reset(&dev->vp, nd->pci);
    nd->is_open = 0;
}

// Take back the tx buffers the device has finished with (virtio 1.0 3.2.2)
static void
vnet_tx_reclaim(struct virtio_net_s *dev)
{
    while (vnet_more_used(&dev->tx->vq))
        dev->tx_busy &= ~(1 << vring_get_buf(&dev->tx->vq, NULL));
}

// Send one frame (virtio 1.0 5.1.6.2).  tx headers stay all zero from
// allocation: no checksum or segmentation offload.
static int
vnet_transmit(struct netdev *nd, const void *frame, u16 len)
{
    struct virtio_net_s *dev = container_of(nd, struct virtio_net_s, nd);
    if (!nd->is_open || len < ETH_HLEN || len > ETH_FRAME_LEN) {
        dprintf(3, "virtio-net %pP: cannot send %d bytes (open %d)\n"
                , nd->pci, len, nd->is_open);
        return NETDEV_ERROR;
    }
    vnet_tx_reclaim(dev);
    int id = __builtin_ffs(~dev->tx_busy & ((1 << VNET_NBUF) - 1)) - 1;
    if (id < 0)
        return NETDEV_BUSY;
    memcpy(dev->tx->buf[id].data, frame, len);
    vnet_add_buf(dev, dev->tx, id, len, 0);
    dev->tx_busy |= 1 << id;
    vnet_kick(&dev->vp, &dev->tx->vq, 1);
    return 0;
}

// Copy the frame of a used rx buffer (virtio 1.0 5.1.6.4): len covers the
// header and the frame.  Returns the frame length, 0 when it is dropped.
static int
vnet_rx_copy(struct virtio_net_s *dev, int id, u32 len, void *buf, u16 size)
{
    int flen = (int)len - (int)vnet_hdr_len(dev);
    if (flen <= 0 || flen > size || flen > ETH_FRAME_LEN) {
        dprintf(3, "virtio-net %pP: dropped a %d byte frame (room %d)\n"
                , dev->nd.pci, flen, size);
        dev->nd.stats.rx_dropped++;
        return 0;
    }
    memcpy(buf, dev->rx->buf[id].data, flen);
    return flen;
}

// Return one received frame, 0 when none; each used buffer is handed
// straight back to the device (virtio 1.0 5.1.6.3).
static int
vnet_poll(struct netdev *nd, void *buf, u16 size)
{
    struct virtio_net_s *dev = container_of(nd, struct virtio_net_s, nd);
    if (!nd->is_open)
        return 0;
    while (vnet_more_used(&dev->rx->vq)) {
        unsigned int len;
        int id = vring_get_buf(&dev->rx->vq, &len);
        int flen = vnet_rx_copy(dev, id, len, buf, size);
        vnet_add_buf(dev, dev->rx, id, ETH_FRAME_LEN, 0);
        vnet_kick(&dev->vp, &dev->rx->vq, 1);
        if (flen)
            return flen;
    }
    return 0;
}

static const struct netdev_ops vnet_ops = {
    .open = vnet_open,
    .close = vnet_close,
    .transmit = vnet_transmit,
    .poll = vnet_poll,
};


/****************************************************************
 * Setup
 ****************************************************************/

static int
vnet_is_virtio_net(struct pci_device *pci)
{
    if (pci->vendor != PCI_VENDOR_ID_REDHAT_QUMRANET)
        return 0;
    if (pci->device == PCI_DEVICE_ID_VIRTIO_NET_10)
        return 1;
    return pci->device == PCI_DEVICE_ID_VIRTIO_NET_09
        && pci_config_readw(pci->bdf, PCI_SUBSYSTEM_ID) == VIRTIO_ID_NET;
}

// Check that the device is usable (features, queue sizes) and read its
// MAC.  vp_init_simple() finds the register blocks, maps the BARs and
// enables bus mastering.  The device is left reset: no DMA before open.
static int
vnet_probe(struct vp_device *vp, struct pci_device *pci, u8 *mac)
{
    vp_init_simple(vp, pci);
    if (!vp->use_modern && !vp->legacy.ioaddr) {
        dprintf(1, "virtio-net %pP: cannot map its registers\n", pci);
        return -1;
    }
    int ret = -1;
    if (vnet_begin(vp, pci) && vnet_queue_select(vp, pci, VNET_RXQ)
        && vnet_queue_select(vp, pci, VNET_TXQ)) {
        vnet_read_mac(vp, mac);
        ret = 0;
    }
    if (vnet_reset(vp, pci))
        return -1;
    return ret;
}

static void
vnet_init(struct pci_device *pci)
{
    struct vp_device vp;
    u8 mac[ETH_ALEN];
    if (vnet_probe(&vp, pci, mac)) {
        // Mapping BARs marked it driven: let its option ROM have it.
        pci->have_driver = 0;
        dprintf(1, "virtio-net %pP: not used\n", pci);
        return;
    }
    struct virtio_net_s *dev = pvboot_malloc_high(16, sizeof(*dev));
    struct vnet_queue *rx = pvboot_malloc_high(PAGE_SIZE, sizeof(*rx));
    struct vnet_queue *tx = pvboot_malloc_high(PAGE_SIZE, sizeof(*tx));
    if (!dev || !rx || !tx) {
        dprintf(1, "virtio-net %pP: no memory for rings and buffers\n", pci);
        return;
    }
    memset(dev, 0, sizeof(*dev));
    dev->rx = rx;
    dev->tx = tx;
    dev->vp = vp;
    struct netdev *nd = &dev->nd;
    nd->ops = &vnet_ops;
    nd->driver = "virtio-net";
    memcpy(nd->mac, mac, ETH_ALEN);
    nd->mtu = ETH_DATA_LEN;
    nd->pci = pci;
    nd->prio = bootprio_find_pci_device(pci);
    dprintf(1, "virtio-net %pP: MAC %02x:%02x:%02x:%02x:%02x:%02x\n", pci
            , mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    netdev_register(nd);
}

void
virtio_net_setup(void)
{
    if (!CONFIG_PVBOOT_VIRTIO_NET)
        return;
    int prefer_rom =
        romfile_loadint("opt/org.pvboot/prefer-option-rom", 0) != 0;
    struct pci_device *pci;
    foreachpci(pci) {
        if (!vnet_is_virtio_net(pci))
            continue;
        if (prefer_rom) {
            dprintf(1, "virtio-net %pP: left to its option ROM"
                    " (opt/org.pvboot/prefer-option-rom)\n", pci);
            continue;
        }
        vnet_init(pci);
    }
}
