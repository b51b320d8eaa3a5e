// PXE UNDI API: the NIC-level calls (pxe.md 6, 7 and 9) on top of the
// device-independent queue and ISR logic in undi.c.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "hw/pci.h" // pci_config_readw
#include "hw/pci_regs.h" // PCI_SUBSYSTEM_ID
#include "hw/pcidevice.h" // struct pci_device
#include "output.h" // dprintf
#include "pxe/pxe_core.h" // struct pxe_state
#include "string.h" // memcpy

struct undi_get_information {
    u16 Status, BaseIo, IntNumber, MaxTranUnit, HwType, HwAddrLen;
    u8 CurrentNodeAddress[16], PermNodeAddress[16];
    u16 ROMAddress, RxBufCt, TxBufCt;
} PACKED;
_Static_assert(sizeof(struct undi_get_information) == 50, "pxe.md 7");

struct undi_get_nic_type {
    u16 Status;
    u8 NicType;
    u16 Vendor_ID, Dev_ID;
    u8 Base_Class, Sub_Class, Prog_Intf, Rev;
    u16 BusDevFunc, SubVendor_ID, SubDevice_ID;
} PACKED;
_Static_assert(sizeof(struct undi_get_nic_type) == 17, "pxe.md 7");

struct undi_get_iface_info {
    u16 Status;
    u8 IfaceType[16];
    u32 LinkSpeed, ServiceFlags;
    u32 Reserved[4];
} PACKED;
_Static_assert(sizeof(struct undi_get_iface_info) == 42, "pxe.md 7");

struct undi_get_statistics {
    u16 Status;
    u32 XmtGoodFrames, RcvGoodFrames, RcvCRCErrors, RcvResourceErrors;
} PACKED;

struct undi_mcast {
    u16 MCastAddrCount;
    u8 McastAddr[UNDI_MCAST_MAX][16];
} PACKED;

struct undi_open {
    u16 Status, OpenFlag, PktFilter;
    struct undi_mcast mcast;
} PACKED;
_Static_assert(sizeof(struct undi_open) == 136, "pxe.md 7");

struct undi_set_mcast {
    u16 Status;
    struct undi_mcast mcast;
} PACKED;
_Static_assert(sizeof(struct undi_set_mcast) == 132, "pxe.md 7");

struct undi_set_station_address {
    u16 Status;
    u8 StationAddress[16];
} PACKED;

struct undi_set_packet_filter {
    u16 Status;
    u8 filter;                  // one byte, unlike UNDI_OPEN (pxe.md 7)
} PACKED;

struct undi_get_mcast_address {
    u16 Status;
    u32 InetAddr;
    u8 MediaAddr[16];
} PACKED;
_Static_assert(sizeof(struct undi_get_mcast_address) == 22, "pxe.md 7");

struct undi_transmit {
    u16 Status;
    u8 Protocol, XmitFlag;
    struct segoff_s DestAddr, TBD;
    u32 Reserved[2];
} PACKED;
_Static_assert(sizeof(struct undi_transmit) == 20, "pxe.md 7");

#define XMT_BROADCAST 1
#define TBD_BLOCKS 8

struct undi_tbd {
    u16 ImmedLength;
    struct segoff_s Xmit;
    u16 DataBlkCount;
    struct {
        u8 TDPtrType;           // 0: physical address, 1: seg:off
        u8 TDRsvdByte;
        u16 TDDataLen;
        u32 TDDataPtr;
    } PACKED DataBlock[TBD_BLOCKS];
} PACKED;
_Static_assert(sizeof(struct undi_tbd) == 72, "pxe.md 7");

struct undi_isr {
    u16 Status, FuncFlag, BufferLength, FrameLength, FrameHeaderLength;
    struct segoff_s Frame;
    u8 ProtType, PktType;
} PACKED;
_Static_assert(sizeof(struct undi_isr) == 16, "pxe.md 7");

#define PXE_HWTYPE_ETHER 1
#define PXE_NICTYPE_PCI 2
// ServiceFlags (pxe.md 7): broadcast, multicast, settable station address,
// statistics, reset, open/close; no IRQ so every client polls (pxe.md 0.10).
#define PXE_SERVICE_FLAGS (0x0001 | 0x0002 | 0x0010 | 0x0020 | 0x0400 | 0x0800)

static u16
undi_get_information(struct undi_get_information *p)
{
    struct netdev *nd = Pxe->nd;
    memset(&p->BaseIo, 0, sizeof(*p) - sizeof(p->Status));
    p->MaxTranUnit = nd->mtu;
    p->HwType = PXE_HWTYPE_ETHER;
    p->HwAddrLen = ETH_ALEN;
    memcpy(p->CurrentNodeAddress, Pxe->undi.mac, ETH_ALEN);
    memcpy(p->PermNodeAddress, nd->mac, ETH_ALEN);
    p->RxBufCt = p->TxBufCt = 1;
    return PXENV_STATUS_SUCCESS;
}

// SubVendor/SubDevice are written too: every client this targets has them.
static u16
undi_get_nic_type(struct undi_get_nic_type *p)
{
    struct pci_device *pci = Pxe->nd->pci;
    if (!pci)
        return PXENV_STATUS_FAILURE;
    u16 bdf = pci->bdf;
    p->NicType = PXE_NICTYPE_PCI;
    p->Vendor_ID = pci->vendor;
    p->Dev_ID = pci->device;
    p->Base_Class = pci->class >> 8;
    p->Sub_Class = pci->class;
    p->Prog_Intf = pci->prog_if;
    p->Rev = pci->revision;
    p->BusDevFunc = bdf;
    p->SubVendor_ID = pci_config_readw(bdf, PCI_SUBSYSTEM_VENDOR_ID);
    p->SubDevice_ID = pci_config_readw(bdf, PCI_SUBSYSTEM_ID);
    return PXENV_STATUS_SUCCESS;
}

// "DIX+802.3" is what DOS drivers insist on (pxe.md 7).
static u16
undi_get_iface_info(struct undi_get_iface_info *p)
{
    memset(p->IfaceType, 0, sizeof(*p) - sizeof(p->Status));
    memcpy(p->IfaceType, "DIX+802.3", 10);
    p->LinkSpeed = 1000000000;
    p->ServiceFlags = PXE_SERVICE_FLAGS;
    return PXENV_STATUS_SUCCESS;
}

static u16
undi_get_statistics(struct undi_get_statistics *p)
{
    struct netdev_stats *s = &Pxe->nd->stats;
    p->XmtGoodFrames = s->tx_frames;
    p->RcvGoodFrames = s->rx_frames;
    p->RcvCRCErrors = 0;
    p->RcvResourceErrors = s->rx_dropped + Pxe->undi.rx_dropped
                           + Pxe->udp_dropped;
    return PXENV_STATUS_SUCCESS;
}

static void
undi_hook(struct netif *nif, const u8 *frame, u16 len)
{
    undi_rx(&Pxe->undi, frame, len);
}

static void
undi_set_mcast(struct undi *u, const struct undi_mcast *m)
{
    u->mcast_count = m->MCastAddrCount < UNDI_MCAST_MAX
                     ? m->MCastAddrCount : UNDI_MCAST_MAX;
    int i;
    for (i = 0; i < u->mcast_count; i++)
        memcpy(u->mcast[i], m->McastAddr[i], ETH_ALEN);
}

// OPEN starts receiving into the UNDI queue with the client's filter.
static u16
undi_open(struct undi_open *p)
{
    struct pxe_state *ps = Pxe;
    if (netdev_open(ps->nd))
        return PXENV_STATUS_UNDI_CANNOT_INITIALIZE_NIC;
    ps->undi.filter = p->PktFilter;
    undi_set_mcast(&ps->undi, &p->mcast);
    ps->undi.rx_count = ps->undi.tx_done = 0;
    ps->undi.irq_enabled = 1;
    ps->nif.rx_hook = undi_hook;
    ps->undi_state = UNDI_STATE_OPENED;
    return PXENV_STATUS_SUCCESS;
}

// CLOSE, SHUTDOWN and CLEANUP quiesce the NIC: no DMA into memory the
// next program reuses (pxe.md 12).
static u16
undi_close(u8 state)
{
    struct pxe_state *ps = Pxe;
    ps->nif.rx_hook = NULL;
    ps->undi.rx_count = ps->undi.tx_done = 0;
    netdev_close(ps->nd);
    ps->undi_state = state;
    return PXENV_STATUS_SUCCESS;
}

// RESET_ADAPTER: close and reopen with the filter in force and the given
// multicast list.
static u16
undi_reset_adapter(struct undi_set_mcast *p)
{
    struct undi_open o = { .PktFilter = Pxe->undi.filter, .mcast = p->mcast };
    undi_close(UNDI_STATE_INITIALIZED);
    return undi_open(&o);
}

// Only while closed (pxe.md 6): the address is ours to use from OPEN on.
static u16
undi_set_station_address(struct undi_set_station_address *p)
{
    if (Pxe->undi_state == UNDI_STATE_OPENED)
        return PXENV_STATUS_UNDI_INVALID_STATE;
    memcpy(Pxe->undi.mac, p->StationAddress, ETH_ALEN);
    return PXENV_STATUS_SUCCESS;
}

static u16
undi_get_mcast_address(struct undi_get_mcast_address *p)
{
    const u8 *ip = (const u8 *)&p->InetAddr;
    if ((ip[0] & 0xf0) != 0xe0)         // class D only (RFC 1112 4)
        return PXENV_STATUS_UNDI_INVALID_PARAMETER;
    memset(p->MediaAddr, 0, sizeof(p->MediaAddr));
    undi_mcast_mac(p->InetAddr, p->MediaAddr);
    return PXENV_STATUS_SUCCESS;
}

// A TBD data block pointer: a physical address, or seg:off (selector:off
// for a protected-mode caller).
static void *
tbd_block_ptr(u8 type, u32 ptr)
{
    if (type == 0)
        return (void *)ptr;
    struct segoff_s so = { .segoff = ptr };
    return pxe_ptr(so);
}

// Gather the immediate data and the data blocks of a TBD after HLEN
// header bytes already in FRAME.  Returns the frame length, or -1 when it
// would not fit an Ethernet frame or a pointer is bad.
static int
undi_gather(u8 *frame, int len, struct undi_tbd *tbd)
{
    if (tbd->ImmedLength > ETH_FRAME_LEN - len
        || tbd->DataBlkCount > TBD_BLOCKS)
        return -1;
    void *immed = pxe_ptr(tbd->Xmit);
    if (!immed)
        return -1;
    memcpy(frame + len, immed, tbd->ImmedLength);
    len += tbd->ImmedLength;
    int i;
    for (i = 0; i < tbd->DataBlkCount; i++) {
        u16 blen = tbd->DataBlock[i].TDDataLen;
        if (blen > ETH_FRAME_LEN - len)
            return -1;
        void *data = tbd_block_ptr(tbd->DataBlock[i].TDPtrType
                                   , tbd->DataBlock[i].TDDataPtr);
        if (!data)
            return -1;
        memcpy(frame + len, data, blen);
        len += blen;
    }
    return len;
}

// TRANSMIT: P_UNKNOWN frames carry their own header and XmitFlag/DestAddr
// are ignored (pxe.md 0.6); for P_IP/P_ARP/P_RARP we build it (0.7).  A
// full ring answers OUT_OF_RESOURCES, which lpxelinux retries (pxe.md 8).
static u16
undi_transmit(struct undi_transmit *p)
{
    struct pxe_state *ps = Pxe;
    if (ps->undi_state != UNDI_STATE_OPENED) {
        // Clients that never call OPEN still get a working NIC (pxe.md 9).
        struct undi_open o = { .PktFilter = ps->undi.filter };
        u16 ret = undi_open(&o);
        if (ret)
            return ret;
    }
    u8 *frame = ps->nif.txbuf;
    int len = 0;
    if (p->Protocol != P_UNKNOWN) {
        const u8 *dest = NULL;
        if (p->XmitFlag != XMT_BROADCAST && !(dest = pxe_ptr(p->DestAddr)))
            return PXENV_STATUS_UNDI_INVALID_PARAMETER;
        len = undi_build_header(frame, p->Protocol, dest, ps->undi.mac);
        if (len < 0)
            return PXENV_STATUS_UNDI_INVALID_PARAMETER;
    }
    struct undi_tbd *tbd = pxe_ptr(p->TBD);
    if (!tbd)
        return PXENV_STATUS_UNDI_INVALID_PARAMETER;
    len = undi_gather(frame, len, tbd);
    if (len < ETH_HLEN)
        return PXENV_STATUS_UNDI_INVALID_PARAMETER;
    int ret = netdev_transmit(ps->nd, frame, len);
    if (ret == NETDEV_BUSY)
        return PXENV_STATUS_OUT_OF_RESOURCES;
    if (ret)
        return PXENV_STATUS_UNDI_TRANSMIT_ERROR;
    ps->undi.tx_done++;
    return PXENV_STATUS_SUCCESS;
}

// ISR: every sub-call polls the NIC itself (pxe.md 0.9); a frame is
// handed out whole from the base-memory buffer (pxe.md 0.8).
static u16
undi_isr_call(struct undi_isr *p)
{
    struct pxe_state *ps = Pxe;
    if (p->FuncFlag < ISR_IN_START || p->FuncFlag > ISR_IN_GET_NEXT) {
        p->FuncFlag = ISR_OUT_DONE;
        return PXENV_STATUS_UNDI_INVALID_PARAMETER;
    }
    net_poll_max(&ps->nif, UNDI_RXQ_LEN - ps->undi.rx_count);
    struct undi_isr_result r;
    undi_isr(&ps->undi, p->FuncFlag, &r);
    memset(&p->BufferLength, 0, sizeof(*p) - offsetof(struct undi_isr, BufferLength));
    p->FuncFlag = r.func;
    if (r.func != ISR_OUT_RECEIVE)
        return PXENV_STATUS_SUCCESS;
    u8 *buf = ps->blk.rxframe;
    memcpy(buf, r.frame, r.len);
    undi_isr_consumed(&ps->undi);
    p->BufferLength = p->FrameLength = r.len;
    p->FrameHeaderLength = ETH_HLEN;
    p->Frame = pxe_data_ptr(buf);
    p->ProtType = r.prot_type;
    p->PktType = r.pkt_type;
    return PXENV_STATUS_SUCCESS;
}

// The NIC is started and its station address reset at each network boot.
void
pxe_undi_start(struct pxe_state *ps)
{
    undi_reset(&ps->undi, ps->nd->mac);
    ps->undi_state = UNDI_STATE_STARTED;
}

u16
pxe_undi_call(u16 opcode, void *param)
{
    struct pxe_state *ps = Pxe;
    switch (opcode) {
    case PXENV_START_UNDI:
    case PXENV_UNDI_STARTUP:
        if (ps->undi_state < UNDI_STATE_STARTED)
            ps->undi_state = UNDI_STATE_STARTED;
        return PXENV_STATUS_SUCCESS;
    case PXENV_UNDI_INITIALIZE:
        if (ps->undi_state < UNDI_STATE_INITIALIZED)
            ps->undi_state = UNDI_STATE_INITIALIZED;
        return PXENV_STATUS_SUCCESS;
    case PXENV_UNDI_RESET_ADAPTER:
        return undi_reset_adapter(param);
    case PXENV_UNDI_SHUTDOWN:
    case PXENV_UNDI_CLEANUP:
        return undi_close(UNDI_STATE_STARTED);
    case PXENV_UNDI_OPEN:
        return undi_open(param);
    case PXENV_UNDI_CLOSE:
        return undi_close(UNDI_STATE_INITIALIZED);
    case PXENV_UNDI_TRANSMIT:
        return undi_transmit(param);
    case PXENV_UNDI_SET_MCAST_ADDRESS:
        undi_set_mcast(&ps->undi, &((struct undi_set_mcast *)param)->mcast);
        return PXENV_STATUS_SUCCESS;
    case PXENV_UNDI_SET_STATION_ADDRESS:
        return undi_set_station_address(param);
    case PXENV_UNDI_SET_PACKET_FILTER:
        ps->undi.filter = ((struct undi_set_packet_filter *)param)->filter;
        return PXENV_STATUS_SUCCESS;
    case PXENV_UNDI_GET_INFORMATION:
        return undi_get_information(param);
    case PXENV_UNDI_GET_STATISTICS:
        return undi_get_statistics(param);
    case PXENV_UNDI_CLEAR_STATISTICS:
        memset(&ps->nd->stats, 0, sizeof(ps->nd->stats));
        ps->undi.rx_dropped = ps->udp_dropped = 0;
        return PXENV_STATUS_SUCCESS;
    case PXENV_UNDI_GET_MCAST_ADDRESS:
        return undi_get_mcast_address(param);
    case PXENV_UNDI_GET_NIC_TYPE:
        return undi_get_nic_type(param);
    case PXENV_UNDI_GET_IFACE_INFO:
        return undi_get_iface_info(param);
    case PXENV_UNDI_ISR:
        return undi_isr_call(param);
    default:
        // INITIATE_DIAGS, FORCE_INTERRUPT: no diagnostics, no IRQ (pxe.md 6)
        return PXENV_STATUS_UNSUPPORTED;
    }
}
