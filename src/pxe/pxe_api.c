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

// Base of a selector in a 16-bit protected-mode caller's GDT (its LDT is
// not supported); -1 when it is not a present descriptor.
static u32
pm_selector_base(struct pxe_state *ps, u16 sel)
{
    u32 index = sel & ~7;
    if ((sel & 4) || !index || index + 7 > ps->pm_gdt_limit)
        return -1;
    u8 *d = (u8 *)ps->pm_gdt_base + index;
    if (!(d[5] & 0x80))
        return -1;
    return d[2] | (d[3] << 8) | (d[4] << 16) | ((u32)d[7] << 24);
}

// A caller's pointer: real-mode seg:off, or selector:offset during a
// 16-bit protected-mode call (pxe.md 3).  NULL for a bad selector.
void *
pxe_ptr(struct segoff_s p)
{
    if (!Pxe->pm_call)
        return MAKE_FLATPTR(p.seg, p.offset);
    u32 base = pm_selector_base(Pxe, p.seg);
    return base == (u32)-1 ? NULL : (void *)(base + p.offset);
}

// Our pointer into the UNDI data segment, in the caller's terms: the
// selector a protected-mode caller assigned to it in !PXE.
struct segoff_s
pxe_data_ptr(void *flat)
{
    u16 seg = Pxe->blk.dataseg;
    u16 off = (u32)flat - seg * 16;
    if (Pxe->pm_call)
        seg = Pxe->blk.bangpxe->UNDIData.segment_address;
    return SEGOFF(seg, off);
}

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
        p->Buffer = pxe_data_ptr(pkt);
        p->BufferSize = PXE_BOOTPLAYER_SIZE;
        return PXENV_STATUS_SUCCESS;
    }
    u16 len = p->BufferSize < PXE_BOOTPLAYER_SIZE
              ? p->BufferSize : PXE_BOOTPLAYER_SIZE;
    void *buf = pxe_ptr(p->Buffer);
    if (!buf)
        return PXENV_STATUS_FAILURE;
    memcpy(buf, pkt, len);
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
pxe_dispatch(u16 opcode, void *param)
{
    switch (opcode) {
    case PXENV_GET_CACHED_INFO: return pxe_get_cached_info(param);
    case PXENV_UNLOAD_STACK:    return pxe_unload_stack(param);
    case PXENV_STOP_UNDI:       return pxe_stop_undi(param);
    case PXENV_STOP_BASE:       return pxe_stop_base(param);
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
        // START_BASE, RESTART_TFTP, FILE_API_CHECK, ...: UNSUPPORTED (pxe.md 6)
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
    if (f->kind != PXE_CALL_PXENV) {
        opcode = f->opcode;
        param = f->param;
    }
    if (!Pxe || !Pxe->nd)
        return PXENV_EXIT_FAILURE;
    u16 *status = pxe_ptr(param);
    if (!status)
        return PXENV_EXIT_FAILURE;
    u16 ret = pxe_dispatch(opcode, status);
    dprintf(3, "pxe: call %04x -> status %02x\n", opcode, ret);
    *status = ret;
    return ret == PXENV_STATUS_SUCCESS ? PXENV_EXIT_SUCCESS : PXENV_EXIT_FAILURE;
}

// A 16-bit protected-mode call (pxe_entry.S): find the caller's frame
// through its stack selector and resolve its pointers through its GDT.
u32 VISIBLE32INIT noinline
pxe_api_pm_call(struct pxe_pm_regs *r)
{
    struct pxe_state *ps = Pxe;
    if (!ps)
        return PXENV_EXIT_FAILURE;
    ps->pm_gdt_base = r->gdt_base;
    ps->pm_gdt_limit = r->gdt_limit;
    u32 ssbase = pm_selector_base(ps, r->ss);
    if (ssbase == (u32)-1) {
        dprintf(1, "pxe: protected-mode call with bad SS %04x\n", r->ss);
        return PXENV_EXIT_FAILURE;
    }
    ps->pm_call = 1;
    u32 ret = pxe_api_call((void *)(ssbase + r->sp));
    ps->pm_call = 0;
    return ret;
}

// Runtime entry of a 16-bit protected-mode call, already on the private
// stack (pxe_entry.S's pxe_pm_entry32).
u32 VISIBLE32FLAT
pxe_pm_dispatch(struct pxe_pm_regs *r)
{
    return pxe_api_pm_call(r);
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
}

void
pxe_api_remove(struct pxe_state *ps)
{
    SET_LOW(PxeEnvPtr, SEGOFF(0, 0));
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
