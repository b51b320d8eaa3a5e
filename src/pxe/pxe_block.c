// The PXE real-mode block at the top of base memory.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "biosvar.h" // GET_BDA
#include "output.h" // dprintf, panic
#include "x86.h" // struct descloc_s
#include "pxe/pxe_core.h" // struct pxe_state
#include "string.h" // memset

#define PXE_CODE_SIZE 256
#define PXE_STACK_SIZE 4096

// Data segment layout: offsets of each part, paragraph aligned.
#define PXE_OFF_PXENV 0
#define PXE_OFF_BANGPXE 0x30
#define PXE_OFF_CACHED 0x90
#define PXE_OFF_RXFRAME (PXE_OFF_CACHED + 3 * ALIGN(PXE_BOOTPLAYER_SIZE, 16))
#define PXE_OFF_STACK ALIGN(PXE_OFF_RXFRAME + ETH_FRAME_LEN, 16)
#define PXE_DATA_SIZE (PXE_OFF_STACK + PXE_STACK_SIZE)
#define PXE_BLOCK_KB DIV_ROUND_UP(PXE_CODE_SIZE + PXE_DATA_SIZE, 1024)

static u8
checksum8(void *p, u32 len)
{
    u8 sum = 0, *b = p;
    while (len--)
        sum += *b++;
    return sum;
}

extern u8 pxe_undi_code_start[], pxe_undi_code_end[];
extern u8 pxe_undi_code_gdtr[], pxe_undi_code_stack[];
extern struct descloc_s rombios32_gdt_48;
extern u8 *PxeStackTop;

// The UNDI code segment is a copy of pxe_entry.S's pxe_undi_code_*: far
// jumps to the f-segment entry points for real-mode callers (the PXENV+
// entry sits at UNDICodeSeg:0000 for loaders that assume it, pxe.md 3) and
// the way into flat mode for 16-bit protected-mode callers.
static void
put_undi_code(u8 *code)
{
    u32 size = pxe_undi_code_end - pxe_undi_code_start;
    if (size > PXE_CODE_SIZE)
        panic("pxe: UNDI code is %d bytes, room for %d\n", size, PXE_CODE_SIZE);
    memcpy(code, pxe_undi_code_start, size);
    memcpy(code + (pxe_undi_code_gdtr - pxe_undi_code_start)
           , &rombios32_gdt_48, sizeof(rombios32_gdt_48));
    u8 *stack = GET_GLOBAL(PxeStackTop);
    memcpy(code + (pxe_undi_code_stack - pxe_undi_code_start)
           , &stack, sizeof(stack));
}

static void
set_segdesc(struct pxe_segdesc *d, u16 seg, u16 size)
{
    d->segment_address = seg;
    d->Physical_address = (u32)seg << 4;
    d->Seg_size = size;
}

static void
fill_pxenv(struct pxe_block *b)
{
    struct pxenv_s *p = b->pxenv;
    memset(p, 0, sizeof(*p));
    memcpy(p->Signature, "PXENV+", 6);
    p->Version = 0x0201;
    p->Length = sizeof(*p);
    p->RMEntry = SEGOFF(b->codeseg, 0);
    p->StackSeg = b->dataseg + PXE_OFF_STACK / 16;
    p->StackSize = PXE_STACK_SIZE;
    p->UNDIDataSeg = b->dataseg;
    p->UNDIDataSize = PXE_DATA_SIZE;
    p->UNDICodeSeg = b->codeseg;
    p->UNDICodeSize = PXE_CODE_SIZE;
    p->PXEPtr = SEGOFF(b->dataseg, PXE_OFF_BANGPXE);
    p->Checksum = -checksum8(p, sizeof(*p));
}

static void
fill_bangpxe(struct pxe_block *b)
{
    struct bangpxe_s *p = b->bangpxe;
    memset(p, 0, sizeof(*p));
    memcpy(p->Signature, "!PXE", 4);
    p->StructLength = sizeof(*p);
    p->EntryPointSP = SEGOFF(b->codeseg, 8);
    p->StatusCallout.segoff = 0xffffffff;   // none (pxe.md 3)
    p->SegDescCnt = 7;
    set_segdesc(&p->Stack, b->dataseg + PXE_OFF_STACK / 16, PXE_STACK_SIZE);
    set_segdesc(&p->UNDIData, b->dataseg, PXE_DATA_SIZE);
    set_segdesc(&p->UNDICode, b->codeseg, PXE_CODE_SIZE);
    set_segdesc(&p->UNDICodeWrite, b->codeseg, PXE_CODE_SIZE);
    p->StructCksum = -checksum8(p, sizeof(*p));
}

// Carve the block from 40:13 so that the UNDI segments describe exactly
// the memory an NBP may free after UNLOAD_STACK/STOP_UNDI (pxe.md 0.12).
int
pxe_block_create(struct pxe_state *ps)
{
    struct pxe_block *b = &ps->blk;
    u16 fbm = GET_BDA(mem_size_kb);
    if (fbm < PXE_BLOCK_KB + 64)
        return -1;
    b->old_fbm_kb = fbm;
    b->new_fbm_kb = fbm - PXE_BLOCK_KB;
    SET_BDA(mem_size_kb, b->new_fbm_kb);
    b->codeseg = b->new_fbm_kb * (1024 / 16);
    b->dataseg = b->codeseg + PXE_CODE_SIZE / 16;
    u8 *code = MAKE_FLATPTR(b->codeseg, 0);
    u8 *data = MAKE_FLATPTR(b->dataseg, 0);
    memset(code, 0, PXE_BLOCK_KB * 1024);
    put_undi_code(code);
    b->pxenv = (void *)(data + PXE_OFF_PXENV);
    b->bangpxe = (void *)(data + PXE_OFF_BANGPXE);
    int i;
    for (i = 0; i < 3; i++)
        b->cached[i] = data + PXE_OFF_CACHED + i * ALIGN(PXE_BOOTPLAYER_SIZE, 16);
    b->rxframe = data + PXE_OFF_RXFRAME;
    b->stack_top = PXE_DATA_SIZE - 16;
    fill_pxenv(b);
    fill_bangpxe(b);
    dprintf(1, "pxe: real-mode block %04x:0000 %d KiB (40:13 %d -> %d KiB)\n"
            , b->codeseg, PXE_BLOCK_KB, b->old_fbm_kb, b->new_fbm_kb);
    return 0;
}

static void
put_cached(u8 *dst, const u8 *pkt, u16 len)
{
    if (len > PXE_BOOTPLAYER_SIZE)
        len = PXE_BOOTPLAYER_SIZE;
    memset(dst, 0, PXE_BOOTPLAYER_SIZE);
    memcpy(dst, pkt, len);
}

// Packet types 1 (DISCOVER), 2 (ACK), 3 (ProxyDHCP reply, else a copy of
// the ACK: pxelinux fails without it, pxe.md 0.1).
void
pxe_block_fill_cached(struct pxe_state *ps)
{
    struct dhcp_lease *l = &ps->lease;
    put_cached(ps->blk.cached[0], l->discover, l->discover_len);
    put_cached(ps->blk.cached[1], l->ack, l->ack_len);
    if (l->proxy_len)
        put_cached(ps->blk.cached[2], l->proxy, l->proxy_len);
    else
        put_cached(ps->blk.cached[2], l->ack, l->ack_len);
}

// Give the block back if nobody has allocated base memory below it since.
void
pxe_block_release(struct pxe_state *ps)
{
    struct pxe_block *b = &ps->blk;
    if (!b->new_fbm_kb)
        return;
    if (GET_BDA(mem_size_kb) == b->new_fbm_kb)
        SET_BDA(mem_size_kb, b->old_fbm_kb);
    memset(b, 0, sizeof(*b));
}
