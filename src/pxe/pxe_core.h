// State shared by the PXE API, the base-memory block and network boot.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __PXE_CORE_H
#define __PXE_CORE_H

#include "net/dhcp.h" // struct dhcp_lease
#include "net/net.h" // struct netif
#include "net/tftp.h" // struct tftp_conn
#include "pxe/pxe.h" // struct pxenv_s
#include "pxe/undi.h" // struct undi

// The real-mode block carved from the top of base memory (pxe.md 12):
// one UNDI code paragraph of far jumps to the f-segment entry points, then
// the UNDI data segment holding PXENV+, !PXE, the cached DHCP packets, the
// UNDI receive buffer and the NBP's stack.
struct pxe_block {
    u16 codeseg, dataseg;
    u16 old_fbm_kb, new_fbm_kb;
    struct pxenv_s *pxenv;
    struct bangpxe_s *bangpxe;
    u8 *cached[3];              // GET_CACHED_INFO types 1, 2, 3
    u8 *rxframe;                // UNDI_ISR frame buffer
    u16 stack_top;              // NBP stack pointer (in dataseg)
};

#define PXE_UDP_QUEUE 8

struct pxe_udp_packet {
    struct udp_meta meta;
    u16 len;
    u8 data[ETH_DATA_LEN];
};

struct pxe_state {
    struct netdev *nd;          // the NIC we booted from
    struct netif nif;
    struct dhcp_lease lease;
    struct pxe_block blk;
    int udp_open;
    struct udp_pcb udp_pcb;
    struct pxe_udp_packet udpq[PXE_UDP_QUEUE];
    u8 udpq_head, udpq_count;
    u32 udp_dropped;
    int tftp_open;
    struct tftp_conn tftp;
    u8 undi_state;              // UNDI_STATE_*
    struct undi undi;
    // During a 16-bit protected-mode call: the caller's GDT, through which
    // its selector:offset pointers are resolved (pxe.md 3).
    u8 pm_call;
    u16 pm_gdt_limit;
    u32 pm_gdt_base;
};

// UNDI states (pxe.md 7, UNDI_GET_STATE): started, initialized, opened.
#define UNDI_STATE_STARTED 1
#define UNDI_STATE_INITIALIZED 2
#define UNDI_STATE_OPENED 3

extern struct pxe_state *Pxe;

// pxe_block.c
int pxe_block_create(struct pxe_state *ps);
void pxe_block_fill_cached(struct pxe_state *ps);
void pxe_block_release(struct pxe_state *ps);
// pxe_api.c
extern u8 *PxeStackTop;
void *pxe_ptr(struct segoff_s p);
struct segoff_s pxe_data_ptr(void *flat);
void pxe_api_install(struct pxe_state *ps);
void pxe_api_remove(struct pxe_state *ps);
// pxe_udp.c
u16 pxe_udp_open(void *param);
u16 pxe_udp_close(void *param);
u16 pxe_udp_read(void *param);
u16 pxe_udp_write(void *param);
void pxe_udp_shutdown(struct pxe_state *ps);
// pxe_tftp.c
u16 pxe_tftp_open(void *param);
u16 pxe_tftp_close(void *param);
u16 pxe_tftp_read(void *param);
u16 pxe_tftp_read_file(void *param);
u16 pxe_tftp_get_fsize(void *param);
u16 pxe_tftp_status(int err);
// pxe_undi.c
u16 pxe_undi_call(u16 opcode, void *param);
void pxe_undi_start(struct pxe_state *ps);

#endif // pxe_core.h
