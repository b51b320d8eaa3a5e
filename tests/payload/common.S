// Shared part of the test NBPs (undi_test.S, tftp_test.S, pm_test.S): entry
// and far return, the PXE API call wrappers with their AX/CF/Status checks,
// the FAIL report, the cached DHCPACK, timing by BIOS ticks, output on COM1
// and the debug port 0x402, and (UNDI_ARP_HELPERS) the ARP request and
// UNDI_ISR polling of undi_test.S and pm_test.S.  Section numbers "pxe.md N" refer to the team's PXE fact sheet
// (shared/reference/pxe.md); "docs" to docs/pxe.md.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

// Included at the top of a test NBP, so that _start comes first in .text
// (the image is entered at 0000:7C00).  The including file provides:
//   main       jumped to after set-up: CS = DS = ES = 0, DF clear, the
//              entry registers saved, the API pointers from the entry
//              state in pxenv_ptr and bang_ptr (not yet validated);
//   s_prefix   the line prefix, e.g. "UNDI-TEST: " (NUL-terminated);
//   bss_end    a label after its last .bss object (.bss is zeroed from
//              bss_start, the first object here, to bss_end).
// get_dhcpack leaves the DHCPACK in cached and yiaddr in my_ip (both here).
// It ends with "xor %ax, %ax; jmp finish" (pass) or a CHECK that jumps to
// fail; both return to the provider with a far return (pxe.md 4).

        .code16

        .set COM1, 0x3f8
        .set DEBUGPORT, 0x402
        .set BDA_TICKS, 0x46c           # 40:6C timer ticks (18.2 Hz)
        .set ANY_FAILURE, 0xffff        # expect_status: any Status but 0

        # Opcodes (pxe.md 6) used by more than one NBP; the others are in
        # the NBP that uses them.
        .set UNDI_OPEN, 0x06
        .set UNDI_CLOSE, 0x07
        .set UNDI_TRANSMIT, 0x08
        .set UNDI_GET_INFORMATION, 0x0c
        .set UNDI_ISR, 0x14
        .set GET_CACHED_INFO, 0x71
        .set BAD_OPCODE, 0xff
        # Status codes (pxe.md 8)
        .set ST_UNSUPPORTED, 0x03
        # UNDI_ISR FuncFlag in and out (pxe.md 9)
        .set ISR_IN_START, 1
        .set ISR_IN_PROCESS, 2
        .set ISR_IN_GET_NEXT, 3
        .set ISR_OUT_DONE, 0
        .set ISR_OUT_TRANSMIT, 2
        .set ISR_OUT_RECEIVE, 3
        .set P_ARP, 2                   # UNDI_TRANSMIT Protocol (pxe.md 7)
        .set BOOTPLAYER_SIZE, 1260

// --- macros ------------------------------------------------------------------

        # A NUL-terminated string in .rodata at LABEL.
        .macro STR label, text
        .pushsection .rodata
\label: .asciz "\text"
        .popsection
        .endm

        # Progress line "<prefix>TEXT".
        .macro LOG text
        STR .Llog\@, "\text"
        mov $.Llog\@, %si
        call log
        .endm

        # Start a step: progress line, and the name a FAIL line reports.
        .macro STEP text
        STR .Lstep\@, "\text"
        push %ds                        # ES = DS = 0 for string ops
        pop %es
        movw $.Lstep\@, cur_step
        mov $.Lstep\@, %si
        call log
        .endm

        # Go on if the condition jump JOK is taken, else FAIL with REASON.
        .macro CHECK jok, reason
        \jok .Lok\@
        STR .Lwhy\@, "\reason"
        mov $.Lwhy\@, %si
        jmp fail
.Lok\@:
        .endm

        # Call OPCODE with the parameter block BLK (0000:BLK) through ENTRY
        # (api_sp: !PXE EntryPointSP, api_rm: PXENV+ RMEntry) and expect
        # Status EXPECT: 0 means AX = 0 with CF clear, anything else
        # AX = 1 with CF set and that Status (ANY_FAILURE: any Status but
        # 0) (pxe.md 0.18, 5).
        .macro API opcode, expect=0, blk=pb, entry=api_sp
        mov $\opcode, %bx
        mov $\blk, %di
        call \entry
        mov $\expect, %dx
        call expect_status
        .endm

        # Zero the generic parameter block.
        .macro PB_CLEAR
        mov $pb, %di
        mov $PB_SIZE, %cx
        call zero
        .endm

// --- entry and exit ----------------------------------------------------------

        .text
        .globl _start
_start:
        # Entry state (pxe.md 4): ES:BX = PXENV+, SS:[SP+4] = !PXE.  Keep
        # every register for the far return to the provider.  We stay on
        # the stack the provider gave us.
        pushal
        push %ds
        push %es
        cld
        xor %ax, %ax
        mov %ax, %ds
        mov $bss_start, %di             # zero() keeps ES and BX
        mov $bss_end, %cx
        sub %di, %cx
        call zero
        mov %sp, %bp
        mov %sp, entry_sp
        mov %bx, pxenv_ptr
        mov %es, pxenv_ptr+2
        mov 4+4+32(%bp), %eax           # past es, ds, pushal, return address
        mov %eax, bang_ptr
        mov %ss, entry_ss
        pushf
        pop entry_flags
        push %ds
        pop %es
        call uart_init
        call crlf                       # after whatever the BIOS printed
        LOG "start"
        jmp main

// FAIL line for the current step; SI = reason.  Then return with AX = 1.
fail:
        push %si
        mov $s_crlf, %si
        call puts
        mov $s_prefix, %si
        call puts
        mov $s_fail, %si
        call puts
        mov cur_step, %si
        call puts
        mov $s_colon, %si
        call puts
        pop %si
        call puts
        mov $s_op, %si
        call puts
        mov last_op, %ax
        call puthex16
        mov $s_ax, %si
        call puts
        mov last_ax, %ax
        call puthex16
        mov $s_cf, %si
        call puts
        mov last_cf, %al
        call puthex8
        mov $s_status, %si
        call puts
        mov last_status, %ax
        call puthex16
        mov $s_want, %si
        call puts
        mov last_want, %ax
        call puthex16
        mov $s_end, %si
        call puts
        mov $1, %ax
        # fall through

// Far return to the provider (pxe.md 4) with AX, everything else as at entry.
// A test that may get here in another CPU state (pm_test.S: 16-bit
// protected mode) puts a routine that restores real mode in finish_hook;
// it must keep AX.  Read through CS, which has base 0 in both modes.
finish:
        cmpw $0, %cs:finish_hook
        je 1f
        call *%cs:finish_hook
1:      mov entry_ss, %bx
        mov %bx, %ss
        mov entry_sp, %sp
        mov %sp, %bp
        movzwl %ax, %eax
        mov %eax, 4+28(%bp)             # EAX slot of the pushal frame
        pop %es
        pop %ds
        popal
        lret

// --- PXE API calls -------------------------------------------------------

// BX = opcode, DI = parameter block at 0000:DI.  api_sp calls !PXE
// EntryPointSP (segment, offset, opcode pushed; far call; add sp, 6),
// api_rm calls PXENV+ RMEntry (BX, ES:DI) (pxe.md 5); the caller has put
// them in bang_entry and rm_entry.  Returns AX; records
// last_op/ax/cf/status.  Every other register and IF must survive (docs).
api_rm:
        movb $1, via_rm
        jmp 1f
api_sp:
        movb $0, via_rm
1:      mov %bx, last_op
        mov %di, last_di
        pushal
        call set_sentinels
        push %ds
        pop %es
        mov $0xdead, %ax
        cmpb $0, via_rm
        jne 2f
        pushw $0
        push %di
        push %bx
        lcall *bang_entry
        setc %cs:last_cf                # before "add" changes CF
        add $6, %sp
        jmp 3f
2:      lcall *rm_entry
        setc %cs:last_cf
3:      mov %ax, %cs:last_ax
        pushf
        pop %cs:last_flags
        mov %ds, %ax
        mov %ax, %cs:ret_ds
        xor %ax, %ax
        mov %ax, %ds
        cmp ret_ds, %ax
        CHECK je, "DS not preserved"
        mov %es, %ax
        test %ax, %ax
        CHECK jz, "ES not preserved"
        cmp last_op, %bx
        CHECK je, "BX not preserved"
        cmp last_di, %di
        CHECK je, "DI not preserved"
        call check_sentinels
        testw $0x200, last_flags
        CHECK jnz, "call returned with interrupts disabled (pxe.md 13)"
        popal
        mov (%di), %ax
        mov %ax, last_status
        mov last_ax, %ax
        ret

// Known values in ECX, EDX, ESI and EBP before an API call; after it
// check_sentinels FAILs unless they came back (either mode).
set_sentinels:
        mov $0x11223344, %ecx
        mov $0x55667788, %edx
        mov $0x99aabbcc, %esi
        mov $0xddeeff00, %ebp
        ret
check_sentinels:
        cmp $0x11223344, %ecx
        CHECK je, "ECX not preserved"
        cmp $0x55667788, %edx
        CHECK je, "EDX not preserved"
        cmp $0x99aabbcc, %esi
        CHECK je, "ESI not preserved"
        cmp $0xddeeff00, %ebp
        CHECK je, "EBP not preserved"
        ret

// DX = expected Status (ANY_FAILURE: any but 0); check AX, CF and Status
// of the last call.
expect_status:
        mov %dx, last_want
        test %dx, %dx
        jnz 1f
        cmpw $0, last_ax
        CHECK je, "AX != PXENV_EXIT_SUCCESS"
        cmpb $0, last_cf
        CHECK je, "CF set with AX = 0"
        cmpw $0, last_status
        CHECK je, "Status != SUCCESS"
        ret
1:      cmpw $1, last_ax
        CHECK je, "AX != PXENV_EXIT_FAILURE"
        cmpb $1, last_cf
        CHECK je, "CF clear with AX = 1"
        cmp $ANY_FAILURE, %dx
        jne 2f
        cmpw $0, last_status
        CHECK jne, "Status SUCCESS with AX = 1"
        ret
2:      cmp last_status, %dx
        CHECK je, "unexpected Status"
        ret

// GET_CACHED_INFO 2 (DHCPACK) in copy mode into cached, in real mode
// through the entry AX (api_sp or api_rm), BufferLimit DX: 0 as PB_CLEAR
// leaves it, anything else is preset and must come back untouched
// (pxe.md 7).  Checks BufferSize and that the packet is a BOOTREPLY with
// the DHCP magic cookie; yiaddr -> my_ip, which must not be 0.
get_dhcpack:
        PB_CLEAR
        movw $2, pb+2                   # PacketType DHCPACK
        movw $BOOTPLAYER_SIZE, pb+4     # BufferSize: copy mode
        movw $cached, pb+6              # Buffer 0000:cached
        mov %dx, pb+10                  # BufferLimit
        push %dx
        API GET_CACHED_INFO, entry=*%ax
        pop %dx
        cmpw $BOOTPLAYER_SIZE, pb+4
        CHECK je, "BufferSize out != 1260"
        test %dx, %dx
        jz 1f
        cmp pb+10, %dx
        CHECK je, "BufferLimit was written"
1:      cmpb $2, cached                 # BOOTREPLY
        CHECK je, "cached packet op != BOOTREPLY"
        cmpl $0x63538263, cached+0xec   # DHCP magic cookie
        CHECK je, "cached packet has no DHCP magic cookie"
        mov cached+0x10, %eax           # yiaddr
        mov %eax, my_ip
        test %eax, %eax
        CHECK jnz, "yiaddr is 0"
        ret

// --- helpers -----------------------------------------------------------------

// Start a time-out: remember the BIOS tick count.
ticks_start:
        push %eax
        mov BDA_TICKS, %eax
        mov %eax, t0
        pop %eax
        ret

// EAX = ticks since ticks_start (restarting the count at midnight).
ticks_since:
        mov BDA_TICKS, %eax
        cmp t0, %eax
        jae 1f
        mov %eax, t0                    # midnight rollover
1:      sub t0, %eax
        ret

// Zero CX bytes at 0000:DI.
zero:
        push %es
        push %ax
        xor %ax, %ax
        mov %ax, %es
        rep stosb
        pop %ax
        pop %es
        ret

// Zero CX bytes at DS:DI (either mode).
zero_ds:
        push %es
        push %ax
        push %ds
        pop %es
        xor %ax, %ax
        rep stosb
        pop %ax
        pop %es
        ret

// --- output: COM1 and the debug port ---------------------------------------

// 115200 8N1 on COM1.
uart_init:
        mov $COM1+3, %dx
        mov $0x80, %al                  # DLAB
        out %al, %dx
        mov $COM1, %dx
        mov $1, %al                     # divisor 1
        out %al, %dx
        inc %dx
        xor %al, %al
        out %al, %dx
        mov $COM1+3, %dx
        mov $3, %al                     # 8N1
        out %al, %dx
        ret

putc:
        push %ax
        push %cx
        push %dx
        mov %al, %ah
        mov $COM1+5, %dx                # LSR: wait for THR empty (bounded)
        mov $0xffff, %cx
1:      in %dx, %al
        test $0x20, %al
        loopz 1b
        mov %ah, %al
        mov $COM1, %dx
        out %al, %dx
        mov $DEBUGPORT, %dx
        out %al, %dx
        pop %dx
        pop %cx
        pop %ax
        ret

// Print the string at 0000:SI.
puts:
        push %ax
        push %si
1:      lodsb
        test %al, %al
        jz 2f
        call putc
        jmp 1b
2:      pop %si
        pop %ax
        ret

// "<prefix>" string-at-SI CR LF
log:
        push %si
        mov $s_prefix, %si
        call puts
        pop %si
        call puts
crlf:
        push %si
        mov $s_crlf, %si
        call puts
        pop %si
        ret

puthex16:
        push %ax
        mov %ah, %al
        call puthex8
        pop %ax
puthex8:
        push %ax
        shr $4, %al
        call 1f
        pop %ax
1:      push %ax
        and $0x0f, %al
        add $0x30, %al
        cmp $0x39, %al
        jbe 2f
        add $7, %al
2:      call putc
        pop %ax
        ret

// AX (putdec) or EAX (putdec32) in decimal.
putdec:
        push %eax
        movzwl %ax, %eax
        call putdec32
        pop %eax
        ret
putdec32:
        pushal
        mov $10, %ebx
        xor %cx, %cx
1:      xor %edx, %edx
        div %ebx
        push %dx
        inc %cx
        test %eax, %eax
        jnz 1b
2:      pop %ax
        add $0x30, %al
        call putc
        loop 2b
        popal
        ret

// "<prefix>IP a.b.c.d" (my_ip), no line end; SI changed.
log_ip:
        mov $s_prefix, %si
        call puts
        mov $s_ip, %si
        call puts
        mov $my_ip, %si
        jmp putip

// Dotted quad at 0000:SI.
putip:
        push %ax
        push %cx
        push %si
        mov $4, %cx
        jmp 2f
1:      mov $'., %al
        call putc
2:      movzbw (%si), %ax
        inc %si
        call putdec
        loop 1b
        pop %si
        pop %cx
        pop %ax
        ret

// --- ARP request and UNDI_ISR polling (undi_test.S, pm_test.S) -------------

        # Instantiated in .text by the NBPs that send an ARP request with
        # UNDI_TRANSMIT and poll UNDI_ISR for the reply.  API is how they
        # call UNDI_ISR: API (real mode, !PXE EntryPointSP, undi_test.S) or
        # PMAPI (16-bit protected mode, pm_test.S); every routine here but
        # build_arp (real mode) works in either mode, through DS.  The
        # NBP provides txframe (64 bytes), check_frame (below) and the
        # bound on the polling (BIOS ticks in real mode, the TSC in
        # protected mode); it sets my_mac and target_ip (declared here)
        # and clears got_tx and got_reply before the first isr_round.
        .macro UNDI_ARP_HELPERS api

// ARP request (RFC 826) for target_ip into txframe: a broadcast Ethernet
// header (used by undi_test.S's P_UNKNOWN transmit only: P_ARP has the
// provider build it), then the 28-byte payload.  Real mode, ES = DS = 0.
build_arp:
        mov $txframe, %di
        mov $0xff, %al
        mov $6, %cx
        rep stosb
        mov $my_mac, %si
        movsw
        movsw
        movsw
        mov $0x0608, %ax                # EtherType ARP
        stosw
        mov $0x0100, %ax                # htype Ethernet
        stosw
        mov $0x0008, %ax                # ptype IPv4
        stosw
        mov $0x0406, %ax                # hlen 6, plen 4
        stosw
        mov $0x0100, %ax                # oper request
        stosw
        mov $my_mac, %si                # sha
        movsw
        movsw
        movsw
        mov my_ip, %eax                 # spa
        stosl
        xor %ax, %ax                    # tha
        stosw
        stosw
        stosw
        mov target_ip, %eax             # tpa
        stosl
        ret

// One UNDI_ISR call with FuncFlag AX on a fresh isr_pb.
isr:
        push %ax
        mov $isr_pb, %di
        mov $16, %cx
        call zero_ds
        pop %ax
        mov %ax, isr_pb+2
        \api UNDI_ISR, blk=isr_pb
        ret

// One round of UNDI_ISR polling (pxe.md 9): IN_START, IN_PROCESS, then
// IN_GET_NEXT while the result is OUT_TRANSMIT (got_tx) or OUT_RECEIVE,
// until OUT_DONE.  An OUT_RECEIVE result must hold the whole frame
// (pxe.md 0.8); then the NBP's check_frame, AX = its length, looks at it
// and sets got_reply for the ARP reply from target_ip.  ZF clear once the
// reply has come (and an OUT_TRANSMIT had been reported by then), ZF set:
// poll again.
isr_round:
        mov $ISR_IN_START, %ax
        call isr
        cmpw $1, isr_pb+2
        CHECK jbe, "IN_START result neither OUT_OURS nor OUT_NOT_OURS"
        mov $ISR_IN_PROCESS, %ax
        call isr
1:      mov isr_pb+2, %ax
        cmp $ISR_OUT_DONE, %ax
        je 4f
        cmp $ISR_OUT_TRANSMIT, %ax
        jne 2f
        movb $1, got_tx
        jmp 3f
2:      cmp $ISR_OUT_RECEIVE, %ax
        CHECK je, "ISR result not DONE, TRANSMIT or RECEIVE"
        mov isr_pb+4, %ax
        cmp isr_pb+6, %ax
        CHECK je, "BufferLength != FrameLength"
        cmpw $14, isr_pb+8
        CHECK je, "FrameHeaderLength != 14"
        cmp $14, %ax
        CHECK jae, "frame shorter than its header"
        call check_frame
3:      mov $ISR_IN_GET_NEXT, %ax
        call isr
        jmp 1b
4:      cmpb $0, got_reply
        je 5f                           # ZF set: no reply yet
        cmpb $0, got_tx
        CHECK jne, "no OUT_TRANSMIT reported for the transmit"
5:      ret

// "<prefix>IP a.b.c.d, ARP target a.b.c.d, MAC xx:xx:xx:xx:xx:xx"
log_addrs:
        pusha
        call log_ip
        mov $s_target, %si
        call puts
        mov $target_ip, %si
        call putip
        mov $s_mac, %si
        call puts
        mov $my_mac, %si
        mov $6, %cx
        jmp 2f
1:      mov $':, %al
        call putc
2:      lodsb
        call puthex8
        loop 1b
        call crlf
        popa
        ret

        .pushsection .rodata
s_target:       .asciz ", ARP target "
s_mac:          .asciz ", MAC "
        .popsection
        .pushsection .bss
got_tx:         .skip 1
got_reply:      .skip 1
target_ip:      .skip 4
my_mac:         .skip 6
        .balign 16
isr_pb:         .skip 16                # UNDI_ISR block
        .popsection
        .endm

// --- data --------------------------------------------------------------------

        .section .rodata
s_crlf:         .asciz "\r\n"
s_fail:         .asciz "FAIL "
s_colon:        .asciz ": "
s_op:           .asciz " (last call: opcode "
s_ax:           .asciz " AX="
s_cf:           .asciz " CF="
s_status:       .asciz " Status="
s_want:         .asciz ", expected "
s_end:          .asciz ")\r\n"
s_none:         .asciz "(none)"
s_ip:           .asciz "IP "

        .data
cur_step:       .word s_none
finish_hook:    .word 0                 # 0: none (see finish)

        .bss
        .set PB_SIZE, 160               # >= the largest block (READ_FILE: 158)
bss_start:
entry_sp:       .skip 2
entry_ss:       .skip 2
entry_flags:    .skip 2
pxenv_ptr:      .skip 4                 # seg:off, offset first
bang_ptr:       .skip 4
bang_entry:     .skip 4                 # !PXE EntryPointSP
rm_entry:       .skip 4                 # PXENV+ RMEntry
via_rm:         .skip 1
last_cf:        .skip 1
last_op:        .skip 2
last_di:        .skip 2
last_ax:        .skip 2
last_status:    .skip 2
last_want:      .skip 2                 # Status expect_status wanted
last_flags:     .skip 2
ret_ds:         .skip 2
t0:             .skip 4                 # ticks_start
my_ip:          .skip 4                 # get_dhcpack: yiaddr
        .balign 16
pb:             .skip PB_SIZE           # generic parameter block
cached:         .skip BOOTPLAYER_SIZE   # get_dhcpack: the DHCPACK

        .text
