// PXE UDP API: UDP_OPEN, UDP_CLOSE, UDP_READ, UDP_WRITE (pxe.md 7).
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "byteorder.h" // be16_to_cpu
#include "output.h" // dprintf
#include "pxe/pxe_core.h" // struct pxe_state
#include "string.h" // memcpy

#define PXE_UDP_DEFAULT_PORT 2069

struct pxe_udp_open {
    u16 Status;
    u32 src_ip;
} PACKED;

struct pxe_udp_rw {
    u16 Status;
    u32 ip;                     // READ: src_ip (out); WRITE: destination
    u32 gw_or_dest;             // READ: dest_ip filter; WRITE: gateway
    u16 src_port, dst_port;     // network byte order
    u16 buffer_size;
    struct segoff_s buffer;
} PACKED;

// Queue every datagram for UDP_READ; a full queue drops (and counts).
static void
pxe_udp_recv(struct udp_pcb *pcb, struct netif *nif, const struct udp_meta *m
             , const u8 *data, u16 len)
{
    struct pxe_state *ps = pcb->priv;
    if (ps->udpq_count >= PXE_UDP_QUEUE || len > ETH_DATA_LEN) {
        ps->udp_dropped++;
        return;
    }
    struct pxe_udp_packet *q =
        &ps->udpq[(ps->udpq_head + ps->udpq_count) % PXE_UDP_QUEUE];
    q->meta = *m;
    q->meta.src_mac = NULL;
    q->len = len;
    memcpy(q->data, data, len);
    ps->udpq_count++;
}

// UDP_OPEN (re)opens the NIC: an earlier NBP may have closed it (pxe.md 0.16).
u16
pxe_udp_open(void *param)
{
    struct pxe_udp_open *p = param;
    struct pxe_state *ps = Pxe;
    if (netdev_open(ps->nd))
        return PXENV_STATUS_UNDI_INVALID_STATE;
    if (p->src_ip)
        netif_set_ip(&ps->nif, p->src_ip, ps->nif.netmask, ps->nif.gateway);
    if (!ps->udp_open) {
        ps->udp_pcb.local_port = 0;
        ps->udp_pcb.recv = pxe_udp_recv;
        ps->udp_pcb.priv = ps;
        udp_bind(&ps->nif, &ps->udp_pcb);
        ps->udp_open = 1;
    }
    ps->udpq_count = 0;
    return PXENV_STATUS_SUCCESS;
}

void
pxe_udp_shutdown(struct pxe_state *ps)
{
    if (ps->udp_open)
        udp_unbind(&ps->nif, &ps->udp_pcb);
    ps->udp_open = 0;
    ps->udpq_count = 0;
}

u16
pxe_udp_close(void *param)
{
    pxe_udp_shutdown(Pxe);
    return PXENV_STATUS_SUCCESS;
}

static int
udp_filter_match(struct pxe_udp_rw *p, struct pxe_udp_packet *q)
{
    // Filter only on dest_ip and d_port, 0 = any: pxelinux leaves stale
    // outputs in the other fields (pxe.md 0.15).
    if (p->gw_or_dest && p->gw_or_dest != q->meta.dst_ip)
        return 0;
    return !p->dst_port || be16_to_cpu(p->dst_port) == q->meta.dst_port;
}

// UDP_READ never blocks: no matching datagram -> FAILURE (pxe.md 7).
u16
pxe_udp_read(void *param)
{
    struct pxe_udp_rw *p = param;
    struct pxe_state *ps = Pxe;
    if (!ps->udp_open)
        return PXENV_STATUS_UDP_CLOSED;
    net_poll_max(&ps->nif, PXE_UDP_QUEUE - ps->udpq_count);
    while (ps->udpq_count) {
        struct pxe_udp_packet *q = &ps->udpq[ps->udpq_head];
        ps->udpq_head = (ps->udpq_head + 1) % PXE_UDP_QUEUE;
        ps->udpq_count--;
        if (!udp_filter_match(p, q))
            continue;
        void *buf = pxe_ptr(p->buffer);
        if (!buf)
            return PXENV_STATUS_FAILURE;
        u16 len = q->len < p->buffer_size ? q->len : p->buffer_size;
        memcpy(buf, q->data, len);
        p->buffer_size = len;
        p->ip = q->meta.src_ip;
        p->gw_or_dest = q->meta.dst_ip;
        p->src_port = cpu_to_be16(q->meta.src_port);
        p->dst_port = cpu_to_be16(q->meta.dst_port);
        return PXENV_STATUS_SUCCESS;
    }
    return PXENV_STATUS_FAILURE;
}

u16
pxe_udp_write(void *param)
{
    struct pxe_udp_rw *p = param;
    struct pxe_state *ps = Pxe;
    if (!ps->udp_open)
        return PXENV_STATUS_UDP_CLOSED;
    void *buf = pxe_ptr(p->buffer);
    if (!buf)
        return PXENV_STATUS_FAILURE;
    u16 sport = p->src_port ? be16_to_cpu(p->src_port) : PXE_UDP_DEFAULT_PORT;
    int ret = udp_send(&ps->nif, p->ip, p->gw_or_dest, sport
                       , be16_to_cpu(p->dst_port), buf, p->buffer_size);
    if (ret == NET_EARP)
        return PXENV_STATUS_ARP_TIMEOUT;
    if (ret)
        return PXENV_STATUS_UNDI_TRANSMIT_ERROR;
    return PXENV_STATUS_SUCCESS;
}
