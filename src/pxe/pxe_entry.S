// 16-bit entry points of the PXE API and the NBP launcher (included by
// romlayout.S, so they live in the f-segment and use entryfuncs.S macros).
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#define PXE_CALL_PXENV 0
#define PXE_CALL_BANGPXE 1
#define PXE_CALL_BANGPXE_PM 2

// Save all registers as struct pxe_frame on the caller's stack.
        .macro PXE_SAVE_FRAME kind
        pushl %esp                      // Backup %esp, then clear high bits
        movzwl %sp, %esp
        pushfl
        cli
        cld
        pushl $\kind
        PUSHBREGS
        .endm

// Store the exit code in the frame's AX, set CF = (AX != 0) in its flags
// (pxe.md fact 18), restore every other register and return.
        .macro PXE_RETURN_FRAME
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

// Pass a pointer to the frame to pxe_entry32 in 32-bit flat mode.
        .macro PXE_API_ENTRY kind
        PXE_SAVE_FRAME \kind
        movl %ss, %ecx                  // call32(pxe_entry32, &frame, FAILURE)
        movw %cx, %ds
        shll $4, %ecx
        movl $_cfunc32flat_pxe_entry32, %eax
        leal (%esp, %ecx), %edx
        movl $1, %ecx
        calll __call32
        PXE_RETURN_FRAME
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

// The UNDI code segment: pxe_block.c copies this into the base-memory block,
// so it runs with CS = the UNDI code segment (real mode) or the selector a
// 16-bit protected-mode caller made for it (pxe.md 3).  Only CS-relative
// data and relative jumps inside; PXE_PM_GDTR is filled in by pxe_block.c.
        .global pxe_undi_code_start, pxe_undi_code_end, pxe_undi_code_gdtr
pxe_undi_code_start:
        ljmpw $SEG_BIOS, $entry_pxenv   // +0: PXENV+ RMEntry (real mode only)
        .org pxe_undi_code_start + 8
        pushl %eax                      // +8: !PXE EntryPointSP
        smsw %ax
        testb $CR0_PE, %al
        popl %eax
        jnz 1f
        ljmpw $SEG_BIOS, $entry_bangpxe

        // 16-bit protected mode: same frame as in real mode, then hand
        // the caller's SS:SP, CS and GDTR to flat 32-bit code in %ecx,
        // %edx, %ebx:%edi and our stack in %esi.  Paging must be off
        // (flat = physical).
1:      PXE_SAVE_FRAME PXE_CALL_BANGPXE_PM
        movl %cr0, %eax
        testl $CR0_PG, %eax
        jnz 2f
        pushw %fs                       // The frame has no FS/GS: keep the
        pushw %gs                       // caller's below it
        subw $8, %sp
        movw %sp, %bp
        sgdtl (%bp)
        movzwl (%bp), %edi
        movl 2(%bp), %ebx
        addw $8, %sp
        movzwl %sp, %edx
        addl $4, %edx
        movw %ss, %cx
        shll $16, %ecx
        movw %cs, %cx
        movl %cs:(pxe_undi_code_stack - pxe_undi_code_start), %esi
        lgdtl %cs:(pxe_undi_code_gdtr - pxe_undi_code_start)
        ljmpl $SEG32_MODE32_CS, $(BUILD_BIOS_ADDR + pxe_pm_entry32)
2:      movw $1, %ax                    // PXENV_EXIT_FAILURE
        PXE_RETURN_FRAME

        // Back from pxe_pm_entry32 with the caller's GDT loaded: %eax = exit
        // code, %ecx = SS << 16 | CS, %edx = SP of the frame.
pxe_undi_code_pm_return:
        shrl $16, %ecx
        movw %cx, %ss
        leal -4(%edx), %esp
        popw %gs
        popw %fs
        PXE_RETURN_FRAME

pxe_undi_code_gdtr:
        .word 0
        .long 0
pxe_undi_code_stack:
        .long 0
pxe_undi_code_end:

// Flat 32-bit part of a 16-bit protected-mode call: run pxe_pm_dispatch on
// the private stack, then reload the caller's GDT and return into the
// UNDI code segment through the caller's own code selector.
        .code32
pxe_pm_entry32:
        movl $SEG32_MODE32_DS, %eax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movw %ax, %fs
        movw %ax, %gs
        movl %esi, %esp
        pushl %ebx                      // caller's GDT base
        pushw %di                       // and limit: a GDTR image
        pushl %ecx                      // SS << 16 | CS
        pushl %edx                      // frame SP
        movl %esp, %eax
        calll _cfunc32flat_pxe_pm_dispatch - BUILD_BIOS_ADDR
        popl %edx
        popl %ecx
        lgdtl (%esp)
        movzwl %cx, %ebx
        pushl %ebx
        pushl $(pxe_undi_code_pm_return - pxe_undi_code_start)
        lretl
        .code16
