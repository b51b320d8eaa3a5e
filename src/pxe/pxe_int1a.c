// INT 1Ah AX=5650h: the PXE installation check (pxe.md 4).
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "biosvar.h" // GET_LOW
#include "bregs.h" // struct bregs
#include "config.h" // CONFIG_PVBOOT_NET
#include "output.h" // set_unimplemented
#include "pvboot.h" // handle_1a56

// Where PXENV+ lives while the PXE API is installed (0 otherwise).
struct segoff_s PxeEnvPtr VARLOW;

// Answer AX=564Eh, ES:BX = PXENV+, EDX = its physical address (PXE 1.x
// callers read EDX), CF clear; anything else is not ours.
void
handle_1a56(struct bregs *regs)
{
    struct segoff_s pxenv = GET_LOW(PxeEnvPtr);
    if (!CONFIG_PVBOOT_NET || regs->al != 0x50 || !pxenv.segoff) {
        set_unimplemented(regs);
        return;
    }
    regs->ax = 0x564e;
    regs->es = pxenv.seg;
    regs->bx = pxenv.offset;
    regs->edx = ((u32)pxenv.seg << 4) + pxenv.offset;
    set_success(regs);
}
