// PXE UNDI API: the NIC-level calls (pxe.md 6, 7 and 9).
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
    memcpy(p->CurrentNodeAddress, nd->mac, ETH_ALEN);
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
    p->RcvResourceErrors = s->rx_dropped;
    return PXENV_STATUS_SUCCESS;
}

static u16
undi_open(void)
{
    return netdev_open(Pxe->nd) ? PXENV_STATUS_UNDI_INVALID_STATE
                                : PXENV_STATUS_SUCCESS;
}

// CLOSE, SHUTDOWN and CLEANUP quiesce the NIC: no DMA into memory the
// next program reuses (pxe.md 12).
static u16
undi_close(void)
{
    netdev_close(Pxe->nd);
    return PXENV_STATUS_SUCCESS;
}

u16
pxe_undi_call(u16 opcode, void *param)
{
    switch (opcode) {
    case PXENV_UNDI_STARTUP:
    case PXENV_UNDI_INITIALIZE:
    case PXENV_UNDI_SET_PACKET_FILTER:
    case PXENV_UNDI_SET_MCAST_ADDRESS:
        return PXENV_STATUS_SUCCESS;
    case PXENV_UNDI_OPEN:
        return undi_open();
    case PXENV_UNDI_RESET_ADAPTER:
        undi_close();
        return undi_open();
    case PXENV_UNDI_CLOSE:
    case PXENV_UNDI_SHUTDOWN:
    case PXENV_UNDI_CLEANUP:
        return undi_close();
    case PXENV_UNDI_GET_INFORMATION:
        return undi_get_information(param);
    case PXENV_UNDI_GET_NIC_TYPE:
        return undi_get_nic_type(param);
    case PXENV_UNDI_GET_IFACE_INFO:
        return undi_get_iface_info(param);
    case PXENV_UNDI_GET_STATISTICS:
        return undi_get_statistics(param);
    case PXENV_UNDI_CLEAR_STATISTICS:
        memset(&Pxe->nd->stats, 0, sizeof(Pxe->nd->stats));
        return PXENV_STATUS_SUCCESS;
    default:
        return PXENV_STATUS_UNSUPPORTED;
    }
}
