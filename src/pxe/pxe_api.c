// PXE API: entry from the 16-bit stubs, dispatch, and the preboot calls.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "biosvar.h" // SET_LOW
#include "output.h" // dprintf
#include "pvboot.h" // pvboot_malloc_high
#include "pxe/pxe_core.h" // struct pxe_state
#include "string.h" // memcpy

#define PXE_API_STACK_SIZE (16 * 1024)

struct pxe_state *Pxe;
extern struct segoff_s PxeEnvPtr;

// Top of the private stack the API runs on (callers' stacks are small).
u8 *PxeStackTop VARFSEG;

// GET_CACHED_INFO (pxe.md 7): copy a packet, or with BufferSize 0 hand out
// a pointer to our persistent buffer (GRUB, pxechn.c32).  BufferLimit is
// never written (pxe.md 0.11).
struct pxe_get_cached_info {
    u16 Status, PacketType, BufferSize;
    struct segoff_s Buffer;
    u16 BufferLimit;
} PACKED;

static u16
pxe_get_cached_info(void *param)
{
    struct pxe_get_cached_info *p = param;
    if (p->PacketType < 1 || p->PacketType > 3)
        return PXENV_STATUS_UNSUPPORTED;
    u8 *pkt = Pxe->blk.cached[p->PacketType - 1];
    if (!p->BufferSize) {
        p->Buffer = SEGOFF(FLATPTR_TO_SEG(pkt), FLATPTR_TO_OFFSET(pkt));
        p->BufferSize = PXE_BOOTPLAYER_SIZE;
        return PXENV_STATUS_SUCCESS;
    }
    u16 len = p->BufferSize < PXE_BOOTPLAYER_SIZE
              ? p->BufferSize : PXE_BOOTPLAYER_SIZE;
    memcpy(MAKE_FLATPTR(p->Buffer.seg, p->Buffer.offset), pkt, len);
    p->BufferSize = len;
    return PXENV_STATUS_SUCCESS;
}

// UNLOAD_STACK unloads the base code (UDP/TFTP); UNDI stays usable for
// clients such as undionly.kpxe (pxe.md 0.13).
static u16
pxe_unload_stack(void *param)
{
    pxe_udp_shutdown(Pxe);
    if (Pxe->tftp_open) {
        tftp_close(&Pxe->tftp);
        Pxe->tftp_open = 0;
    }
    return PXENV_STATUS_SUCCESS;
}

// STOP_UNDI: quiesce the NIC and unhook INT 1Ah so pxelinux may reclaim the
// block (pxe.md 12).
static u16
pxe_stop_undi(void *param)
{
    pxe_unload_stack(param);
    pxe_undi_call(PXENV_UNDI_SHUTDOWN, param);
    pxe_api_remove(Pxe);
    return PXENV_STATUS_SUCCESS;
}

static u16
pxe_stop_base(void *param)
{
    return PXENV_STATUS_SUCCESS;
}

static u16
pxe_unsupported(void *param)
{
    return PXENV_STATUS_UNSUPPORTED;
}

static u16
pxe_dispatch(u16 opcode, void *param)
{
    switch (opcode) {
    case PXENV_GET_CACHED_INFO: return pxe_get_cached_info(param);
    case PXENV_UNLOAD_STACK:    return pxe_unload_stack(param);
    case PXENV_STOP_UNDI:       return pxe_stop_undi(param);
    case PXENV_STOP_BASE:       return pxe_stop_base(param);
    case PXENV_START_BASE:      return pxe_unsupported(param);
    case PXENV_UDP_OPEN:        return pxe_udp_open(param);
    case PXENV_UDP_CLOSE:       return pxe_udp_close(param);
    case PXENV_UDP_READ:        return pxe_udp_read(param);
    case PXENV_UDP_WRITE:       return pxe_udp_write(param);
    case PXENV_TFTP_OPEN:       return pxe_tftp_open(param);
    case PXENV_TFTP_CLOSE:      return pxe_tftp_close(param);
    case PXENV_TFTP_READ:       return pxe_tftp_read(param);
    case PXENV_TFTP_READ_FILE:  return pxe_tftp_read_file(param);
    case PXENV_TFTP_GET_FSIZE:  return pxe_tftp_get_fsize(param);
    default:
        if (opcode <= PXENV_UNDI_ISR)
            return pxe_undi_call(opcode, param);
        return PXENV_STATUS_UNSUPPORTED;
    }
}

// Decode both calling conventions (pxe.md 5), run the call, write Status.
u32 VISIBLE32INIT noinline
pxe_api_call(struct pxe_frame *f)
{
    u16 opcode = f->ebx;
    struct segoff_s param = SEGOFF(f->es, f->edi);
    if (f->kind == PXE_CALL_BANGPXE) {
        opcode = f->opcode;
        param = f->param;
    }
    u16 *status = MAKE_FLATPTR(param.seg, param.offset);
    u16 ret = PXENV_STATUS_UNSUPPORTED;
    if (Pxe && Pxe->nd)
        ret = pxe_dispatch(opcode, status);
    dprintf(3, "pxe: call %04x -> status %02x\n", opcode, ret);
    *status = ret;
    return ret == PXENV_STATUS_SUCCESS ? PXENV_EXIT_SUCCESS : PXENV_EXIT_FAILURE;
}

// Runtime entry (f-segment): hop to the private stack in high memory and
// call the API code, which lives in the runtime-high region.
u32 VISIBLE32FLAT
pxe_entry32(struct pxe_frame *f)
{
    u32 ret;
    asm volatile("movl %%esp, %%ebx\n"
                 "movl %2, %%esp\n"
                 "calll pxe_api_call\n"
                 "movl %%ebx, %%esp\n"
                 : "=a"(ret)
                 : "a"(f), "r"(GET_GLOBAL(PxeStackTop))
                 : "ebx", "ecx", "edx", "memory", "cc");
    return ret;
}

void
pxe_api_install(struct pxe_state *ps)
{
    SET_LOW(PxeEnvPtr, SEGOFF(ps->blk.dataseg, 0));
    ps->active = 1;
}

void
pxe_api_remove(struct pxe_state *ps)
{
    SET_LOW(PxeEnvPtr, SEGOFF(0, 0));
    ps->active = 0;
}

// POST: allocate the API state and its stack in the runtime-high region.
void
pxe_api_setup(void)
{
    Pxe = pvboot_malloc_high(16, sizeof(*Pxe));
    u8 *stack = pvboot_malloc_high(16, PXE_API_STACK_SIZE);
    if (!Pxe || !stack) {
        dprintf(1, "pxe: no memory for the PXE API\n");
        Pxe = NULL;
        return;
    }
    memset(Pxe, 0, sizeof(*Pxe));
    PxeStackTop = stack + PXE_API_STACK_SIZE;
}
