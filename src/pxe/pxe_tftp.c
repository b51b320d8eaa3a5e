// PXE TFTP API: TFTP_OPEN, TFTP_READ, TFTP_CLOSE, TFTP_READ_FILE and
// TFTP_GET_FSIZE (pxe.md 7).  None of the syslinux NBPs use it, but
// older loaders (NTLDR, WDS) do.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // be16_to_cpu
#include "pxe/pxe_core.h" // struct pxe_state
#include "string.h" // memcpy

#define PXE_FILENAME_LEN 128

struct pxe_tftp_open {
    u16 Status;
    u32 ServerIPAddress, GatewayIPAddress;
    u8 FileName[PXE_FILENAME_LEN];
    u16 TFTPPort;               // network byte order
    u16 PacketSize;
} PACKED;
_Static_assert(sizeof(struct pxe_tftp_open) == 142, "pxe.md 7");

struct pxe_tftp_read {
    u16 Status, PacketNumber, BufferSize;
    struct segoff_s Buffer;
} PACKED;

struct pxe_tftp_read_file {
    u16 Status;
    u8 FileName[PXE_FILENAME_LEN];
    u32 BufferSize;
    u32 Buffer;                 // physical address, may be above 1 MiB
    u32 ServerIPAddress, GatewayIPAddress, McastIPAddress;
    u16 TFTPClntPort, TFTPSrvPort, TFTPOpenTimeOut, TFTPReopenDelay;
} PACKED;
_Static_assert(sizeof(struct pxe_tftp_read_file) == 158, "pxe.md 7");

struct pxe_tftp_get_fsize {
    u16 Status;
    u32 ServerIPAddress, GatewayIPAddress;
    u8 FileName[PXE_FILENAME_LEN];
    u32 FileSize;
} PACKED;
_Static_assert(sizeof(struct pxe_tftp_get_fsize) == 142, "pxe.md 7");

// Map stack and TFTP errors to PXE status codes (pxe.md 8).
u16
pxe_tftp_status(int err)
{
    switch (err) {
    case NET_EARP:       return PXENV_STATUS_TFTP_CANNOT_ARP_ADDRESS;
    case NET_ETIMEDOUT:  return PXENV_STATUS_TFTP_READ_TIMEOUT;
    case TFTP_ENOTFOUND: return PXENV_STATUS_TFTP_FILE_NOT_FOUND;
    case TFTP_EOPTNEG:   return PXENV_STATUS_TFTP_INVALID_PACKET_SIZE;
    case TFTP_ETOOLARGE: return PXENV_STATUS_BSTRAP_FILE_TOO_BIG;
    case TFTP_ECLOSED:   return PXENV_STATUS_TFTP_CLOSED;
    default:
        if (err <= TFTP_ESERVER && err >= TFTP_ELAST)
            return PXENV_STATUS_TFTP_ERROR_OPCODE;
        return PXENV_STATUS_TFTP_CANNOT_OPEN_CONNECTION;
    }
}

// The file name field is not guaranteed to hold a NUL: bound it.
static const char *
pxe_filename(const u8 *field)
{
    static char name[PXE_FILENAME_LEN + 1];
    u32 len = net_strnlen((const char *)field, PXE_FILENAME_LEN);
    memcpy(name, field, len);
    name[len] = 0;
    return name;
}

// Common start of OPEN, READ_FILE and GET_FSIZE: one transfer at a time,
// the NIC (re)opened, and the caller's gateway routing off-link traffic
// when DHCP gave no router (pxe.md 7).
static u16
pxe_tftp_begin(struct pxe_state *ps, u32 gateway)
{
    if (ps->tftp_open)
        return PXENV_STATUS_TFTP_OPEN;
    if (netdev_open(ps->nd))
        return PXENV_STATUS_UNDI_INVALID_STATE;
    if (gateway && !ps->nif.gateway)
        netif_set_ip(&ps->nif, ps->nif.ip, ps->nif.netmask, gateway);
    return PXENV_STATUS_SUCCESS;
}

static void
pxe_tftp_end(struct pxe_state *ps)
{
    if (ps->tftp_open)
        tftp_close(&ps->tftp);
    ps->tftp_open = 0;
}

u16
pxe_tftp_open(void *param)
{
    struct pxe_tftp_open *p = param;
    struct pxe_state *ps = Pxe;
    u16 status = pxe_tftp_begin(ps, p->GatewayIPAddress);
    if (status)
        return status;
    u16 port = p->TFTPPort ? be16_to_cpu(p->TFTPPort) : TFTP_PORT;
    // PacketSize below 512 is raised to 512 (pxe.md 7).
    u16 blksize = p->PacketSize < TFTP_BLKSIZE_DEFAULT
                  ? TFTP_BLKSIZE_DEFAULT : p->PacketSize;
    int ret = tftp_open(&ps->tftp, &ps->nif, p->ServerIPAddress, port
                        , pxe_filename(p->FileName), blksize);
    if (ret)
        return pxe_tftp_status(ret);
    ps->tftp_open = 1;
    p->PacketSize = ps->tftp.blksize;
    return PXENV_STATUS_SUCCESS;
}

u16
pxe_tftp_close(void *param)
{
    if (!Pxe->tftp_open)
        return PXENV_STATUS_TFTP_CLOSED;
    pxe_tftp_end(Pxe);
    return PXENV_STATUS_SUCCESS;
}

// The caller's buffer holds PacketSize bytes (the negotiated block size).
u16
pxe_tftp_read(void *param)
{
    struct pxe_tftp_read *p = param;
    struct pxe_state *ps = Pxe;
    if (!ps->tftp_open)
        return PXENV_STATUS_TFTP_CLOSED;
    void *buf = pxe_ptr(p->Buffer);
    if (!buf)
        return PXENV_STATUS_FAILURE;
    u16 blockno = 0;
    int len = tftp_read_block(&ps->tftp, buf, ps->tftp.blksize, &blockno);
    if (len < 0) {
        pxe_tftp_end(ps);
        return pxe_tftp_status(len);
    }
    p->PacketNumber = blockno;
    p->BufferSize = len;
    return PXENV_STATUS_SUCCESS;
}

u16
pxe_tftp_read_file(void *param)
{
    struct pxe_tftp_read_file *p = param;
    struct pxe_state *ps = Pxe;
    u16 status = pxe_tftp_begin(ps, p->GatewayIPAddress);
    if (status)
        return status;
    u32 got = 0;
    int ret = tftp_get(&ps->tftp, &ps->nif, p->ServerIPAddress
                       , pxe_filename(p->FileName), (void *)p->Buffer
                       , p->BufferSize, &got, NULL, NULL);
    if (ret)
        return pxe_tftp_status(ret);
    p->BufferSize = got;
    return PXENV_STATUS_SUCCESS;
}

// The size comes from the tsize option (RFC 2349); without it: NO_FILESIZE.
u16
pxe_tftp_get_fsize(void *param)
{
    struct pxe_tftp_get_fsize *p = param;
    struct pxe_state *ps = Pxe;
    u16 status = pxe_tftp_begin(ps, p->GatewayIPAddress);
    if (status)
        return status;
    int ret = tftp_open(&ps->tftp, &ps->nif, p->ServerIPAddress, TFTP_PORT
                        , pxe_filename(p->FileName), 0);
    if (ret)
        return pxe_tftp_status(ret);
    u32 size = ps->tftp.tsize;
    tftp_close(&ps->tftp);
    if (!size)
        return PXENV_STATUS_TFTP_NO_FILESIZE;
    p->FileSize = size;
    return PXENV_STATUS_SUCCESS;
}
