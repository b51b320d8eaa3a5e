// 16-bit entry points of the PXE API and the NBP launcher (included by
// romlayout.S, so they live in the f-segment and use entryfuncs.S macros).
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#define PXE_CALL_PXENV 0
#define PXE_CALL_BANGPXE 1

// Save all registers, pass a pointer to the frame (struct pxe_frame) to
// pxe_entry32 in 32-bit flat mode, return with AX = PXENV_EXIT_* and
// CF = (AX != 0) as PXE 2.1 requires (pxe.md fact 18); every other
// register is preserved.
        .macro PXE_API_ENTRY kind
        pushl %esp                      // Backup %esp, then clear high bits
        movzwl %sp, %esp
        pushfl
        cli
        cld
        pushl $\kind
        PUSHBREGS
        movl %ss, %ecx                  // call32(pxe_entry32, &frame, FAILURE)
        movw %cx, %ds
        shll $4, %ecx
        movl $_cfunc32flat_pxe_entry32, %eax
        leal (%esp, %ecx), %edx
        movl $1, %ecx
        calll __call32
        movw %ax, BREGS_eax(%esp)
        andl $~1, PUSHBREGS_size+4(%esp)
        testw %ax, %ax
        jz 1f
        orl $1, PUSHBREGS_size+4(%esp)
1:      POPBREGS
        addl $4, %esp
        popfl
        popl %esp
        lretw
        .endm

// PXENV+ entry (RMEntry): BX = opcode, ES:DI = parameter block.
        DECLFUNC entry_pxenv
entry_pxenv:
        PXE_API_ENTRY PXE_CALL_PXENV

// !PXE entry (EntryPointSP): opcode, parameter offset and segment on the
// caller's stack above the far return address.
        DECLFUNC entry_bangpxe
entry_bangpxe:
        PXE_API_ENTRY PXE_CALL_BANGPXE

// Start a network bootstrap program at 0000:7C00 (farcall16 target).
// In: ES:BX = PXENV+, DS:SI = the NBP's stack top, ECX = !PXE seg:off.
// The NBP finds !PXE at SS:[SP+4] (PXE 2.1 section 4.4.5, pxe.md 4) and may
// return with a far return; AX then holds its exit code.
        DECLFUNC entry_pxe_start_nbp
entry_pxe_start_nbp:
        movw %ss, %dx                   // Switch to the NBP stack
        movl %esp, %ebp
        movw %ds, %ax
        movw %ax, %ss
        movzwl %si, %esp
        pushw %dx                       // Keep our stack on the NBP's
        pushl %ebp
        pushl %ecx                      // !PXE pointer at SS:[SP+4]
        xorl %eax, %eax
        movw %ax, %ds
        sti
        lcallw $0x0000, $0x7c00
        cli
        cld
        addw $4, %sp
        popl %ebp
        popw %dx
        movw %dx, %ss
        movl %ebp, %esp
        lretw
