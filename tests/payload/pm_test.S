// Test NBP: a 16-bit protected-mode caller of pvboot's !PXE API (PXE 2.1).
// It builds its own GDT with descriptors for the UNDI segments, writes
// their selectors into !PXE, switches to 16-bit protected mode and calls
// UNDICode-selector:EntryPointSP-offset with selector:offset pointers, then
// returns to real mode and reports on COM1 and the debug port 0x402
// ("PM-TEST: PASS" or "PM-TEST: FAIL <step>: <reason> (last call ...)").
// Section numbers "pxe.md N" refer to the team's PXE fact sheet
// (shared/reference/pxe.md); "docs" to docs/pxe.md.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

// The provider's contract for 16-bit protected-mode callers (docs):
// CPL 0, paging off, 16-bit stack segment, GDT (not LDT) selectors in the
// !PXE SEGDESCs; stack arguments as in real mode; pointers in parameter
// blocks are selector:offset of the caller's GDT; pointers the provider
// hands out (GET_CACHED_INFO with BufferSize 0, UNDI_ISR Frame) are
// UNDIData-selector:offset; AX, CF and Status are the only outputs, every
// other register, segment register and the caller's flags (IF = 0) come
// back unchanged.
//
// Real mode, CS = DS = 0, linked at 0x7C00 (flat binary, see Makefile).
// The GDT gives this NBP a code and a data selector with base 0 and limit
// 0xFFFF, so every offset means the same in both modes; SEL_BUF has a
// base that is neither 0 nor its selector * 16, so that a provider that
// ignores the caller's GDT cannot pass.  In protected mode interrupts stay
// off (no BIOS ticks: time-outs read the TSC, calibrated against the BIOS
// tick in real mode); an IDT for the CPU exceptions turns a fault into a
// FAIL line.  Any FAIL from protected mode goes back to real mode
// (finish_hook) before the far return to the provider.  Entry, real-mode
// API calls, FAIL report and output: common.S.

        .include "common.S"

        # Opcodes, Status codes, UNDI_ISR FuncFlags and P_ARP: common.S
        .set XMT_BROADCAST, 1           # UNDI_TRANSMIT XmitFlag (pxe.md 7)
        .set SLIRP_SERVER, 0x0202000a   # 10.0.2.2, network order

        # !PXE (pxe.md 3): offsets, SEGDESC order
        .set BP_ENTRY_SP, 0x10
        .set BP_SEGDESCCNT, 0x1d
        .set BP_FIRSTSEL, 0x1e
        .set BP_SEGDESC, 0x20           # 8 bytes each: selector, base, size
        .set BP_END, 0x58
        .set SD_STACK, 0
        .set SD_UNDIDATA, 1
        .set SD_UNDICODE, 2
        .set SD_UNDICODEWRITE, 3
        .set SD_BCCODE, 5
        .set SD_MAX, 7

        # Our GDT
        .set SEL_CODE, 0x08             # this NBP: base 0, limit 0xFFFF
        .set SEL_DATA, 0x10             # DS, SS: base 0, limit 0xFFFF
        .set SEL_ES, 0x18               # aliases of SEL_DATA, in ES/FS/GS
        .set SEL_FS, 0x20               # during calls (must come back)
        .set SEL_GS, 0x28
        .set SEL_BUF, 0x30              # base pmbuf - BUF_BIAS
        .set SEL_PXE, 0x38              # FirstSelector: one per SEGDESC
        .set SEL_UNDIDATA, SEL_PXE + 8 * SD_UNDIDATA
        .set SEL_UNDICODE, SEL_PXE + 8 * SD_UNDICODE
        .set GDT_SIZE, SEL_PXE + 8 * SD_MAX
        .set ACC_CODE, 0x9a             # present, DPL 0, code, readable
        .set ACC_DATA, 0x92             # present, DPL 0, data, writable
        .set BUF_BIAS, 0x4000           # SEL_BUF offset of pmbuf
        .set CR0_PE, 1
        .set EFLAGS_IF, 0x200
        .set EFLAGS_KEPT, 0x7700        # NT, IOPL, DF, IF, TF

        .set CAL_TICKS, 4               # TSC calibration: 4 BIOS ticks
        .set TIMEOUT_TICKS, 91          # 5 s
        .set MAX_POLLS, 2000000         # UNDI_ISR rounds, besides the 5 s

        # Offsets of the !PXE copy bang_save (from FirstSelector on)
        .set sv_segdesc, bang_save + BP_SEGDESC - BP_FIRSTSEL

// --- macros ------------------------------------------------------------------

        # Zero the generic parameter block (any mode: DS).
        .macro PB_CLEAR_DS
        mov $pb, %di
        mov $PB_SIZE, %cx
        call zero_ds
        .endm

        # Protected-mode call of OPCODE with the parameter block at
        # SEL:BLK; expect Status EXPECT as with common.S's API.
        .macro PMAPI opcode, expect=0, blk=pb, sel=SEL_DATA
        movw $\sel, pm_blk_sel
        mov $\opcode, %bx
        mov $\blk, %di
        call pm_api
        mov $\expect, %dx
        call expect_status
        .endm

// --- the test ----------------------------------------------------------------

        .text
main:
        movw $pm_finish_hook, finish_hook
        # IF must be set while an NBP runs: calibration uses 40:6C (pxe.md 13)
        testw $EFLAGS_IF, entry_flags
        CHECK jnz, "interrupts disabled at NBP entry"

        STEP "!PXE from SS:[SP+4] (pxe.md 3, 4)"
        les bang_ptr, %si
        cmpl $0x45585021, %es:(%si)     # "!PXE"
        CHECK je, "bad !PXE signature"
        cmpb $BP_END, %es:4(%si)
        CHECK jae, "!PXE StructLength < 88"
        call bang_sum
        CHECK jz, "!PXE checksum over StructLength is not 0"
        les bang_ptr, %si
        mov %es:BP_ENTRY_SP(%si), %eax
        mov %eax, bang_entry
        test %eax, %eax
        CHECK jnz, "!PXE EntryPointSP is 0"
        movzbw %es:BP_SEGDESCCNT(%si), %ax
        mov %ax, segdesc_cnt
        cmp $SD_UNDICODEWRITE + 1, %ax
        CHECK jae, "SegDescCnt < 4 (Stack, UNDIData, UNDICode, UNDICodeWrite)"
        cmp $SD_MAX, %ax
        CHECK jbe, "SegDescCnt > 7"
        # Keep FirstSelector and the SEGDESCs: we read them from the copy
        # and put them back after protected mode.
        push %ds
        push %es
        pop %ds                         # DS:SI = !PXE
        pop %es                         # ES = 0
        add $BP_FIRSTSEL, %si
        mov $bang_save, %di
        mov $BP_END - BP_FIRSTSEL, %cx
        rep movsb
        push %es
        pop %ds                         # DS = 0
        cmpw $0, sv_segdesc + 8 * SD_UNDICODE + 6
        CHECK jne, "UNDICode Seg_size is 0"
        cmpw $0, sv_segdesc + 8 * SD_UNDIDATA + 6
        CHECK jne, "UNDIData Seg_size is 0"
        mov sv_segdesc + 8 * SD_UNDICODE, %ax
        cmp bang_entry + 2, %ax
        CHECK je, "EntryPointSP segment != UNDICode segment (PM callers use its offset in UNDICode)"
        mov bang_entry, %ax
        cmp sv_segdesc + 8 * SD_UNDICODE + 6, %ax
        CHECK jb, "EntryPointSP offset beyond UNDICode Seg_size"
        mov sv_segdesc + 8 * SD_UNDICODE + 2, %eax
        cmp sv_segdesc + 8 * SD_UNDICODEWRITE + 2, %eax
        CHECK je, "UNDICodeWrite base != UNDICode base (it is its writable alias)"
        mov sv_segdesc + 8 * SD_UNDIDATA + 6, %ax
        mov %ax, undi_data_size
        mov bang_entry, %ax             # the PM entry point
        mov %ax, pm_entry
        movw $SEL_UNDICODE, pm_entry + 2

        STEP "GET_CACHED_INFO 2 in real mode (pxe.md 5, 7)"
        mov $api_sp, %ax
        xor %dx, %dx                    # BufferLimit 0, not checked
        call get_dhcpack
        mov cached+0x14, %eax           # siaddr: the TFTP server
        test %eax, %eax
        jnz 1f
        mov $SLIRP_SERVER, %eax
1:      mov %eax, target_ip
        mov cached+0x1c, %eax           # chaddr
        mov %eax, my_mac
        mov cached+0x20, %ax
        mov %ax, my_mac+4
        call log_addrs

        STEP "TSC against the BIOS tick (protected mode has no tick)"
        call tsc_calibrate

        STEP "GDT, IDT and the !PXE selectors (pxe.md 3)"
        call build_arp                  # while DS = ES = 0
        call build_gdt
        call build_idt
        call log_segs

        STEP "enter 16-bit protected mode"
        cli
        mov %ss, rm_ss                  # the provider's stack: back later
        mov %sp, rm_sp
        xor %ax, %ax                    # our stack at 0000:pm_stack_top,
        mov %ax, %ss                    # i.e. SEL_DATA:pm_stack_top
        mov $pm_stack_top, %sp
        call enter_pm
        smsw %ax
        test $CR0_PE, %al
        CHECK jnz, "CR0.PE clear after the switch"
        mov %cs, %ax
        cmp $SEL_CODE, %ax
        CHECK je, "CS is not our code selector"
        LOG "in 16-bit protected mode"

        STEP "PM UNDI_GET_INFORMATION, block at SEL_BUF:offset (pxe.md 7)"
        mov $pb_buf, %di
        mov $PB_SIZE, %cx
        call zero_ds
        PMAPI UNDI_GET_INFORMATION, blk=pb_buf-pmbuf+BUF_BIAS, sel=SEL_BUF
        cmpw $1, pb_buf+8
        CHECK je, "HwType != 1 (Ethernet)"
        cmpw $6, pb_buf+0x0a
        CHECK je, "HwAddrLen != 6"
        mov $pb_buf+0x0c, %si
        call cmp_mac
        CHECK je, "CurrentNodeAddress != the MAC of the real-mode DHCPACK"

        STEP "PM GET_CACHED_INFO 2, copy to SEL_DATA:offset (pxe.md 7)"
        mov $cached_pm, %di
        mov $BOOTPLAYER_SIZE, %cx
        call zero_ds
        PB_CLEAR_DS
        movw $2, pb+2
        movw $BOOTPLAYER_SIZE, pb+4
        movw $cached_pm, pb+6           # Buffer SEL_DATA:cached_pm
        movw $SEL_DATA, pb+8
        movw $0x5a5a, pb+10             # BufferLimit: must stay untouched
        PMAPI GET_CACHED_INFO
        cmpw $BOOTPLAYER_SIZE, pb+4
        CHECK je, "BufferSize out != 1260"
        cmpw $0x5a5a, pb+10
        CHECK je, "BufferLimit was written"
        mov $cached_pm, %si
        call cmp_cached
        CHECK je, "packet differs from the real-mode copy"

        STEP "PM GET_CACHED_INFO 2, copy to SEL_BUF:offset (pxe.md 7)"
        mov $cached_buf, %di
        mov $BOOTPLAYER_SIZE, %cx
        call zero_ds
        PB_CLEAR_DS
        movw $2, pb+2
        movw $BOOTPLAYER_SIZE, pb+4
        movw $cached_buf - pmbuf + BUF_BIAS, pb+6
        movw $SEL_BUF, pb+8
        PMAPI GET_CACHED_INFO
        cmpw $BOOTPLAYER_SIZE, pb+4
        CHECK je, "BufferSize out != 1260"
        mov $cached_buf, %si
        call cmp_cached
        CHECK je, "packet at SEL_BUF base + offset differs from the real-mode copy"

        STEP "PM GET_CACHED_INFO 2, BufferSize 0: UNDIData-selector:offset (pxe.md 7)"
        PB_CLEAR_DS
        movw $2, pb+2
        movw $0xffff, pb+8              # Buffer: must be overwritten
        PMAPI GET_CACHED_INFO
        cmpw $SEL_UNDIDATA, pb+8
        CHECK je, "returned Buffer selector != the UNDIData selector we assigned"
        movzwl pb+4, %eax               # BufferSize
        cmp $0xf0, %ax
        CHECK jae, "returned BufferSize < 240 (BOOTP header + cookie)"
        movzwl pb+6, %ecx
        add %ecx, %eax
        movzwl undi_data_size, %ecx
        cmp %ecx, %eax
        CHECK jbe, "returned Buffer + BufferSize beyond UNDIData Seg_size"
        mov pb+6, %si
        mov $SEL_UNDIDATA, %ax
        mov %ax, %fs
        mov %fs:0x10(%si), %eax         # yiaddr through the selector
        cmp my_ip, %eax
        CHECK je, "yiaddr through UNDIData-selector:offset != real-mode yiaddr"
        mov $cached, %di                # ES = DS = SEL_DATA (STEP)
        mov $0xf0, %cx
        repe cmpsb %es:(%di), %fs:(%si)
        CHECK je, "BOOTP header through UNDIData-selector:offset differs"
        mov $SEL_DATA, %ax
        mov %ax, %fs

        STEP "PM bad opcode: AX=1, CF=1, Status UNSUPPORTED; registers kept (pxe.md 6, 8)"
        PB_CLEAR_DS
        PMAPI BAD_OPCODE, ST_UNSUPPORTED

        STEP "PM UNDI_OPEN DIRECTED|BROADCAST (pxe.md 7)"
        PB_CLEAR_DS
        movw $3, pb+4                   # PktFilter
        PMAPI UNDI_OPEN

        STEP "PM UNDI_TRANSMIT P_ARP broadcast, selector:offset TBD (pxe.md 7, 9)"
        # The 28-byte ARP payload: 8 bytes immediate through SEL_BUF, then
        # a TDPtrType 1 block SEL_DATA:offset, then a TDPtrType 0 block
        # (physical address).
        mov $tbd, %di
        mov $TBD_SIZE, %cx
        call zero_ds
        movw $8, tbd                    # ImmedLength
        movw $txframe + 14 - pmbuf + BUF_BIAS, tbd+2
        movw $SEL_BUF, tbd+4            # Xmit SEL_BUF:payload
        movw $2, tbd+6                  # DataBlkCount
        movb $1, tbd+8                  # TDPtrType 1: selector:offset
        movw $10, tbd+10                # TDDataLen
        movw $txframe + 14 + 8, tbd+12
        movw $SEL_DATA, tbd+14
        movb $0, tbd+16                 # TDPtrType 0: physical
        movw $10, tbd+18
        movl $txframe + 14 + 18, tbd+20
        PB_CLEAR_DS
        movb $P_ARP, pb+2               # Protocol
        movb $XMT_BROADCAST, pb+3       # XmitFlag
        movw $tbd, pb+8                 # TBD SEL_DATA:tbd
        movw $SEL_DATA, pb+10
        PMAPI UNDI_TRANSMIT

        STEP "PM UNDI_ISR until the ARP reply, Frame = UNDIData-selector:offset (pxe.md 9)"
        call wait_arp_reply

        STEP "PM UNDI_CLOSE (pxe.md 7)"
        PB_CLEAR_DS
        PMAPI UNDI_CLOSE

        STEP "return to real mode"
        call leave_pm
        mov rm_ss, %ss
        mov rm_sp, %sp
        sti
        smsw %ax
        test $CR0_PE, %al
        CHECK jz, "CR0.PE still set"
        LOG "back in real mode"

        STEP "real-mode GET_CACHED_INFO, BufferSize 0, !PXE still holding selectors"
        # Real-mode callers are unaffected: a real-mode pointer comes back,
        # not the selector that !PXE now holds.
        PB_CLEAR
        movw $2, pb+2
        API GET_CACHED_INFO
        cmpw $SEL_UNDIDATA, pb+8
        CHECK jne, "returned Buffer segment is our UNDIData selector in real mode"
        les pb+6, %si
        mov %es:0x10(%si), %eax
        push %ds
        pop %es
        cmp my_ip, %eax
        CHECK je, "yiaddr through the returned seg:off != real-mode yiaddr"

        STEP "restore the !PXE selectors (pxe.md 3)"
        # As found, for whatever runs after this NBP returns.
        les bang_ptr, %di
        add $BP_FIRSTSEL, %di
        mov $bang_save, %si
        mov $BP_END - BP_FIRSTSEL, %cx
        rep movsb
        call bang_sum
        CHECK jz, "!PXE checksum not 0 after restoring it"

        LOG "PASS"
        xor %ax, %ax
        jmp finish

// --- protected-mode API call -------------------------------------------------

// BX = opcode, DI = offset of the parameter block in the segment of the
// selector pm_blk_sel.  Pushes the selector, the offset and the opcode,
// far-calls SEL_UNDICODE:EntryPointSP-offset, add sp, 6 (pxe.md 5).
// Known values go into EBX/EDI's high halves, ECX, EDX, ESI, EBP and ES,
// FS, GS (DS = SEL_DATA) before the call; they, SP and the caller's flags
// (IF = 0) must come back unchanged.  Status is preset to 0xA5A5 so that
// it must be written.  Returns AX; records last_op/ax/cf/status for
// expect_status and fail (common.S).
pm_api:
        mov %bx, last_op
        mov %di, last_di
        pushal
        push %es
        push %fs
        push %gs
        mov pm_blk_sel, %ax
        mov %ax, %es
        movw $0xa5a5, %es:(%di)         # Status
        movzwl %bx, %ebx
        or $0x5a5a0000, %ebx
        movzwl %di, %edi
        or $0xa5a50000, %edi
        call set_sentinels              # ECX, EDX, ESI, EBP
        mov $SEL_ES, %ax
        mov %ax, %es
        mov $SEL_FS, %ax
        mov %ax, %fs
        mov $SEL_GS, %ax
        mov %ax, %gs
        mov %sp, sreg_sp                # in log_sregs' table
        pushf
        pop call_flags
        mov $0xdead, %ax
        pushw pm_blk_sel
        push %di
        push %bx
        lcall *pm_entry
        setc %ss:last_cf                # before "add" changes CF
        add $6, %sp
        mov %ax, %ss:last_ax
        pushf
        pop %ss:last_flags
        mov %ds, %ss:ret_ds
        mov %es, %ss:ret_es
        mov %fs, %ss:ret_fs
        mov %gs, %ss:ret_gs
        mov %sp, %ss:ret_sp
        mov $SEL_DATA, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ss, ret_ss
        cmp ret_ss, %ax
        je 1f
        mov %ax, %ss                    # FAIL on our own stack
        mov $pm_stack_top, %sp
1:      call log_sregs
        cmpw $SEL_DATA, ret_ss
        CHECK je, "SS not preserved"
        cmpw $SEL_DATA, ret_ds
        CHECK je, "DS not preserved"
        cmpw $SEL_ES, ret_es
        CHECK je, "ES not preserved"
        cmpw $SEL_FS, ret_fs
        CHECK je, "FS not preserved"
        cmpw $SEL_GS, ret_gs
        CHECK je, "GS not preserved"
        mov sreg_sp, %ax
        cmp ret_sp, %ax
        CHECK je, "SP not preserved"
        movzwl last_op, %eax
        or $0x5a5a0000, %eax
        cmp %eax, %ebx
        CHECK je, "EBX not preserved"
        movzwl last_di, %eax
        or $0xa5a50000, %eax
        cmp %eax, %edi
        CHECK je, "EDI not preserved"
        call check_sentinels            # ECX, EDX, ESI, EBP
        testw $EFLAGS_IF, last_flags
        CHECK jz, "call returned with interrupts enabled (caller had IF=0)"
        mov last_flags, %ax
        xor call_flags, %ax
        test $EFLAGS_KEPT, %ax
        CHECK jz, "caller's TF/DF/IOPL/NT not restored"
        pop %gs
        pop %fs
        pop %es
        popal
        push %es
        mov pm_blk_sel, %ax
        mov %ax, %es
        mov %es:(%di), %ax
        pop %es
        mov %ax, last_status
        mov last_ax, %ax
        ret

// If a segment register or SP came back changed from pm_api's call:
// "PM-TEST: before/after the call: SS=0010/xxxx DS=0010/xxxx ... SP=..."
log_sregs:
        pusha
        mov $sreg_table, %bx
1:      mov 2(%bx), %ax
        mov 4(%bx), %si
        cmp (%si), %ax
        jne 2f
        add $6, %bx
        cmp $sreg_table_end, %bx
        jb 1b
        jmp 9f
2:      call crlf
        mov $s_prefix, %si
        call puts
        mov $s_sregs, %si
        call puts
        mov $sreg_table, %bx
3:      mov (%bx), %si                  # name, value before, where after
        call puts
        mov 2(%bx), %ax
        call puthex16
        mov $'/, %al
        call putc
        mov 4(%bx), %si
        mov (%si), %ax
        call puthex16
        add $6, %bx
        cmp $sreg_table_end, %bx
        jb 3b
        call crlf
9:      popa
        ret

// Poll UNDI_ISR in protected mode (isr_round, common.S) until the ARP
// reply from target_ip has come; 5 s by the TSC and MAX_POLLS rounds at
// most.
wait_arp_reply:
        movb $0, got_tx
        movb $0, got_reply
        movl $0, polls
        call tsc_deadline
1:      call tsc_left
        CHECK jc, "no ARP reply within 5 s (TSC)"
        incl polls
        cmpl $MAX_POLLS, polls
        CHECK jbe, "no ARP reply within 2000000 UNDI_ISR rounds"
        call isr_round
        jz 1b
        call log_polls
        ret

// ARP request (built in real mode), UNDI_ISR calls through pm_api in
// 16-bit protected mode, isr_round, log_addrs (common.S).
        UNDI_ARP_HELPERS PMAPI

// An OUT_RECEIVE result of AX bytes, whole (isr_round): at
// UNDIData-selector:offset, read through that selector; note the ARP reply
// from target_ip to us.
check_frame:
        cmpw $SEL_UNDIDATA, isr_pb+12
        CHECK je, "Frame selector != the UNDIData selector we assigned"
        movzwl isr_pb+10, %ecx
        movzwl %ax, %edx
        add %edx, %ecx
        movzwl undi_data_size, %edx
        cmp %edx, %ecx
        CHECK jbe, "Frame + BufferLength beyond UNDIData Seg_size"
        mov isr_pb+10, %si
        mov $SEL_UNDIDATA, %dx
        mov %dx, %fs
        cmpw $0x0608, %fs:12(%si)       # EtherType 0806h
        jne 9f
        cmpb $P_ARP, isr_pb+14
        CHECK je, "ProtType != P_ARP for an ARP frame"
        cmp $42, %ax
        CHECK jae, "ARP frame shorter than 42 bytes"
        cmpw $0x0200, %fs:20(%si)       # ARP reply
        jne 9f
        mov %fs:28(%si), %eax           # sender IP
        cmp target_ip, %eax
        jne 9f
        call cmp_mac_fs                 # Ethernet destination
        CHECK je, "ARP reply not sent to our MAC"
        add $32, %si                    # target hardware address
        call cmp_mac_fs
        CHECK je, "ARP reply target MAC is not ours"
        movb $1, got_reply
9:      mov $SEL_DATA, %dx
        mov %dx, %fs
        ret

// --- mode switches -----------------------------------------------------------

// Real mode -> 16-bit protected mode, IF = 0, on a stack at 0000:SP (it
// becomes SEL_DATA:SP).  Saves FS, GS and the IDTR for leave_pm.
enter_pm:
        cli
        mov %fs, rm_fs
        mov %gs, rm_gs
        sidtl rm_idtr
        lgdtl gdtr
        lidtl idtr
        mov %cr0, %eax
        or $CR0_PE, %eax
        mov %eax, %cr0
        ljmp $SEL_CODE, $1f
1:      mov $SEL_DATA, %ax
        mov %ax, %ss                    # SP kept: same base
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %fs
        mov %ax, %gs
        ret

// 16-bit protected mode -> real mode with CS = DS = ES = SS = 0 (SP kept),
// FS, GS and the IDTR as before enter_pm; IF stays clear.  Keeps AX.
leave_pm:
        mov $SEL_DATA, %dx              # 64 KiB 16-bit data in every
        mov %dx, %ds                    # segment register first
        mov %dx, %es
        mov %dx, %fs
        mov %dx, %gs
        mov %dx, %ss
        mov %cr0, %edx
        and $~CR0_PE, %edx
        mov %edx, %cr0
        ljmp $0, $1f
1:      xor %dx, %dx
        mov %dx, %ss
        mov %dx, %ds
        mov %dx, %es
        lidtl rm_idtr
        mov rm_fs, %fs
        mov rm_gs, %gs
        ret

// finish_hook (common.S): a FAIL from protected mode returns to real mode.
pm_finish_hook:
        push %dx
        smsw %dx
        test $CR0_PE, %dl
        pop %dx
        jz 1f
        call leave_pm
1:      ret

// --- GDT and IDT -------------------------------------------------------------

// Descriptor at DI: base EAX, limit CX (byte granular, 16-bit), access DL.
set_desc:
        mov %cx, (%di)
        mov %ax, 2(%di)
        ror $16, %eax
        mov %al, 4(%di)
        mov %dl, 5(%di)
        movb $0, 6(%di)                 # G = 0, D/B = 0, limit 19:16 = 0
        mov %ah, 7(%di)
        ror $16, %eax
        ret

// Our GDT; one descriptor per !PXE SEGDESC with a size, consecutive from
// FirstSelector = SEL_PXE, its selector written into the SEGDESC
// (UNDICode and BC_Code readable code, the others writable data).
build_gdt:
        mov $gdt, %di
        mov $GDT_SIZE, %cx
        call zero_ds
        xor %eax, %eax
        mov $0xffff, %cx
        mov $ACC_CODE, %dl
        mov $gdt + SEL_CODE, %di
        call set_desc
        mov $ACC_DATA, %dl
        mov $gdt + SEL_DATA, %di
        call set_desc
        mov $gdt + SEL_ES, %di
        call set_desc
        mov $gdt + SEL_FS, %di
        call set_desc
        mov $gdt + SEL_GS, %di
        call set_desc
        mov $pmbuf - BUF_BIAS, %eax
        mov $gdt + SEL_BUF, %di
        call set_desc
        les bang_ptr, %si
        xor %bx, %bx                    # 8 * SEGDESC index
1:      mov sv_segdesc + 6(%bx), %cx    # Seg_size
        jcxz 3f
        dec %cx
        mov sv_segdesc + 2(%bx), %eax   # Physical_address
        mov $ACC_DATA, %dl
        cmp $8 * SD_UNDICODE, %bx
        je 2f
        cmp $8 * SD_BCCODE, %bx
        jne 4f
2:      mov $ACC_CODE, %dl
4:      lea gdt + SEL_PXE(%bx), %di
        call set_desc
        lea SEL_PXE(%bx), %ax
        mov %ax, %es:BP_SEGDESC(%bx,%si)
3:      add $8, %bx
        mov segdesc_cnt, %ax
        shl $3, %ax
        cmp %ax, %bx
        jb 1b
        movw $SEL_PXE, %es:BP_FIRSTSEL(%si)
        push %ds
        pop %es
        movw $GDT_SIZE - 1, gdtr
        movl $gdt, gdtr+2
        ret

// IDT: 16-bit interrupt gates for the 32 CPU exceptions (exc_table).
build_idt:
        mov $exc_table, %si
        mov $idt, %di
        mov $32, %cx
1:      movsw                           # offset 15:0
        mov $SEL_CODE, %ax
        stosw
        mov $0x8600, %ax                # present, DPL 0, 16-bit int gate
        stosw
        xor %ax, %ax                    # offset 31:16
        stosw
        loop 1b
        movw $32 * 8 - 1, idtr
        movl $idt, idtr+2
        ret

        # Exception stubs: push an error code of 0 where the CPU pushes
        # none, then the vector.
        .macro EXC_STUB vec
exc_\vec:
        .if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21)
        .else
        pushw $0
        .endif
        pushw $\vec
        jmp exc_common
        .pushsection .rodata
        .word exc_\vec
        .popsection
        .endm

        .pushsection .rodata
        .balign 2
exc_table:
        .popsection
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        EXC_STUB \v
        .endr

// SS:SP -> vector, error code, IP, CS, FLAGS.  Print them, then FAIL (to
// real mode through finish_hook) on a fresh stack.
exc_common:
        push %ax
        mov $SEL_DATA, %ax
        mov %ax, %ds
        pop exc_ax
        pop exc_vec
        pop exc_err
        pop exc_ip
        pop exc_cs
        mov %ax, %es
        mov %ax, %ss
        mov $pm_stack_top, %sp
        mov $s_crlf, %si
        call puts
        mov $s_prefix, %si
        call puts
        mov $s_exc, %si
        call puts
        mov exc_vec, %ax
        call puthex8
        mov $s_exc_err, %si
        call puts
        mov exc_err, %ax
        call puthex16
        mov $s_exc_at, %si
        call puts
        mov exc_cs, %ax
        call puthex16
        mov $':, %al
        call putc
        mov exc_ip, %ax
        call puthex16
        call crlf
        mov $s_exc_fail, %si
        jmp fail

// --- time-outs by the TSC ----------------------------------------------------

// tsc_tick = TSC counts per BIOS tick, over CAL_TICKS ticks (IF = 1).
tsc_calibrate:
        mov BDA_TICKS, %ecx
1:      cmp BDA_TICKS, %ecx             # wait for a tick edge
        je 1b
        rdtsc
        mov %eax, tsc0
        mov %edx, tsc0+4
        mov BDA_TICKS, %ecx
        add $CAL_TICKS, %ecx
2:      cmp BDA_TICKS, %ecx
        ja 2b                           # (no midnight in the first seconds)
        rdtsc
        sub tsc0, %eax
        sbb tsc0+4, %edx
        CHECK jz, "TSC runs faster than 2^32 per 4 ticks"
        shr $2, %eax                    # CAL_TICKS
        mov %eax, tsc_tick
        test %eax, %eax
        CHECK jnz, "TSC does not run"
        ret

// tsc_end = now + TIMEOUT_TICKS ticks.
tsc_deadline:
        mov tsc_tick, %eax
        mov $TIMEOUT_TICKS, %ecx
        mul %ecx
        mov %eax, %ebx
        mov %edx, %ecx
        rdtsc
        add %ebx, %eax
        adc %ecx, %edx
        mov %eax, tsc_end
        mov %edx, tsc_end+4
        ret

// CF set iff the TSC has not yet reached tsc_end.
tsc_left:
        rdtsc
        sub tsc_end, %eax
        sbb tsc_end+4, %edx             # CF = now < end
        ret

// --- helpers -----------------------------------------------------------------

// AL = sum of the StructLength bytes of !PXE, ZF set iff 0 (pxe.md 1, 3);
// real mode.  Sets ES = DS.
bang_sum:
        push %si
        push %cx
        les bang_ptr, %si
        movzbw %es:4(%si), %cx          # StructLength
        xor %al, %al
1:      add %es:(%si), %al
        inc %si
        loop 1b
        push %ds
        pop %es
        pop %cx
        pop %si
        test %al, %al
        ret

// ZF set iff the BOOTPLAYER_SIZE bytes at DS:SI are those of cached.
cmp_cached:
        push %es
        push %ds
        pop %es
        mov $cached, %di
        mov $BOOTPLAYER_SIZE, %cx
        repe cmpsb
        pop %es
        ret

// ZF set iff the 6 bytes at DS:SI (cmp_mac) / FS:SI (cmp_mac_fs) are
// my_mac (ES = DS).
cmp_mac:
        push %si
        push %di
        push %cx
        mov $my_mac, %di
        mov $6, %cx
        repe cmpsb
        pop %cx
        pop %di
        pop %si
        ret
cmp_mac_fs:
        push %si
        push %di
        push %cx
        mov $my_mac, %di
        mov $6, %cx
        repe cmpsb %es:(%di), %fs:(%si)
        pop %cx
        pop %di
        pop %si
        ret

// --- output -----------------------------------------------------------------

// "PM-TEST: <name> seg XXXX base XXXXXXXX size XXXX -> selector XXXX" for
// Stack, UNDIData, UNDICode, UNDICodeWrite; then the TSC rate.
log_segs:
        pusha
        mov $seg_names, %di
        xor %bx, %bx                    # 8 * SEGDESC index
1:      mov $s_prefix, %si
        call puts
        mov (%di), %si
        call puts
        mov $s_seg, %si
        call puts
        mov sv_segdesc(%bx), %ax
        call puthex16
        mov $s_base, %si
        call puts
        mov sv_segdesc + 4(%bx), %ax
        call puthex16
        mov sv_segdesc + 2(%bx), %ax
        call puthex16
        mov $s_size, %si
        call puts
        mov sv_segdesc + 6(%bx), %ax
        call puthex16
        mov $s_sel, %si
        call puts
        les bang_ptr, %si
        mov %es:BP_SEGDESC(%bx,%si), %ax
        push %ds
        pop %es
        call puthex16
        call crlf
        add $2, %di
        add $8, %bx
        cmp $8 * (SD_UNDICODEWRITE + 1), %bx
        jb 1b
        mov $s_prefix, %si
        call puts
        mov $s_tsc, %si
        call puts
        mov tsc_tick, %eax
        call putdec32
        call crlf
        popa
        ret

// "PM-TEST: ARP reply received ... after N UNDI_ISR rounds"
log_polls:
        mov $s_prefix, %si
        call puts
        mov $s_arp_ok, %si
        call puts
        mov polls, %eax
        call putdec32
        mov $s_rounds, %si
        call puts
        ret

// --- data --------------------------------------------------------------------

        .section .rodata
s_prefix:       .asciz "PM-TEST: "
s_seg:          .asciz ": real-mode seg "
s_base:         .asciz " base "
s_size:         .asciz " size "
s_sel:          .asciz " -> selector "
s_tsc:          .asciz "TSC counts per BIOS tick: "
s_arp_ok:       .asciz "ARP reply received in protected mode after "
s_rounds:       .asciz " UNDI_ISR rounds\r\n"
s_sregs:        .asciz "before/after the call:"
s_n_ss:         .asciz " SS="
s_n_ds:         .asciz " DS="
s_n_es:         .asciz " ES="
s_n_fs:         .asciz " FS="
s_n_gs:         .asciz " GS="
s_n_sp:         .asciz " SP="
s_exc:          .asciz "CPU exception "
s_exc_err:      .asciz " error code "
s_exc_at:       .asciz " at "
s_exc_fail:     .asciz "CPU exception in protected mode"
s_n_stack:      .asciz "Stack"
s_n_data:       .asciz "UNDIData"
s_n_code:       .asciz "UNDICode"
s_n_codew:      .asciz "UNDICodeWrite"
        .balign 2
seg_names:      .word s_n_stack, s_n_data, s_n_code, s_n_codew
        .section .data                  # pm_api sets SP before the call
sreg_table:     .word s_n_ss, SEL_DATA, ret_ss
                .word s_n_ds, SEL_DATA, ret_ds
                .word s_n_es, SEL_ES, ret_es
                .word s_n_fs, SEL_FS, ret_fs
                .word s_n_gs, SEL_GS, ret_gs
                .word s_n_sp
sreg_sp:        .word 0, ret_sp
sreg_table_end:

        .bss
        .set TBD_SIZE, 72
segdesc_cnt:    .skip 2
undi_data_size: .skip 2
pm_entry:       .skip 4                 # EntryPointSP offset, SEL_UNDICODE
pm_blk_sel:     .skip 2                 # selector of the parameter block
rm_ss:          .skip 2
rm_sp:          .skip 2
rm_fs:          .skip 2
rm_gs:          .skip 2
call_flags:     .skip 2                 # pm_api: before and after the call
ret_sp:         .skip 2
ret_ss:         .skip 2
ret_es:         .skip 2
ret_fs:         .skip 2
ret_gs:         .skip 2
exc_ax:         .skip 2                 # exc_common
exc_vec:        .skip 2
exc_err:        .skip 2
exc_ip:         .skip 2
exc_cs:         .skip 2
polls:          .skip 4
tsc0:           .skip 8
tsc_end:        .skip 8
tsc_tick:       .skip 4
        .balign 4
gdtr:           .skip 6
        .balign 4
idtr:           .skip 6
rm_idtr:        .skip 6
bang_save:      .skip BP_END - BP_FIRSTSEL  # !PXE from FirstSelector on
        .balign 8
gdt:            .skip GDT_SIZE
idt:            .skip 32 * 8
        .balign 16
tbd:            .skip TBD_SIZE
cached_pm:      .skip BOOTPLAYER_SIZE   # protected-mode copy via SEL_DATA
        .balign 16
pmbuf:                                  # reached through SEL_BUF too
txframe:        .skip 64
pb_buf:         .skip PB_SIZE
cached_buf:     .skip BOOTPLAYER_SIZE
        .balign 16
pm_stack:       .skip 2048
pm_stack_top:
bss_end:
