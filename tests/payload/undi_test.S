// Test NBP: drives the PXE/UNDI API of pvboot directly and reports on COM1
// and the debug port 0x402 ("UNDI-TEST: PASS" or "UNDI-TEST: FAIL <step>").
// Section numbers "pxe.md N" refer to the team's PXE fact sheet
// (shared/reference/pxe.md); "docs" to docs/pxe.md.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

// Real mode, CS = DS = 0, linked at 0x7C00 (flat binary, see Makefile).
// Everything is addressed as 0000:offset; buffers live in .bss after the
// image.  We stay on the stack the provider gave us (pxe.md 4).

        .code16

        # Opcodes (pxe.md 6)
        .set UNDI_SHUTDOWN, 0x05
        .set UNDI_OPEN, 0x06
        .set UNDI_CLOSE, 0x07
        .set UNDI_TRANSMIT, 0x08
        .set UNDI_SET_STATION_ADDRESS, 0x0a
        .set UNDI_GET_INFORMATION, 0x0c
        .set UNDI_GET_STATISTICS, 0x0d
        .set UNDI_CLEAR_STATISTICS, 0x0e
        .set UNDI_GET_IFACE_INFO, 0x13
        .set UNDI_ISR, 0x14
        .set STOP_UNDI, 0x15
        .set UNLOAD_STACK, 0x70
        .set GET_CACHED_INFO, 0x71
        .set BAD_OPCODE, 0xff
        # Status codes (pxe.md 8)
        .set ST_UNSUPPORTED, 0x03
        .set ST_INVALID_STATE, 0x6a
        .set ST_INVALID_PARAMETER, 0x6c
        # UNDI_ISR FuncFlag in and out (pxe.md 9)
        .set ISR_IN_START, 1
        .set ISR_IN_PROCESS, 2
        .set ISR_IN_GET_NEXT, 3
        .set ISR_OUT_DONE, 0
        .set ISR_OUT_TRANSMIT, 2
        .set ISR_OUT_RECEIVE, 3
        # Transmit protocols (pxe.md 7)
        .set P_UNKNOWN, 0
        .set P_ARP, 2
        .set BOOTPLAYER_SIZE, 1260
        .set ARP_TIMEOUT_TICKS, 91      # 5 s of 18.2 Hz BIOS ticks

        .set COM1, 0x3f8
        .set DEBUGPORT, 0x402
        .set BDA_FBM, 0x413             # 40:13 free base memory (KiB)
        .set BDA_TICKS, 0x46c           # 40:6C timer ticks

// --- macros ------------------------------------------------------------------

        # A NUL-terminated string in .rodata at LABEL.
        .macro STR label, text
        .pushsection .rodata
\label: .asciz "\text"
        .popsection
        .endm

        # Progress line "UNDI-TEST: TEXT".
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
        # AX = 1 with CF set (pxe.md 0.18, 5).
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

// --- the test ----------------------------------------------------------------

        .text
        .globl _start
_start:
        # Entry state (pxe.md 4): ES:BX = PXENV+, SS:[SP+4] = !PXE.  Keep
        # every register for the far return to the provider.
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
        call uart_init
        call crlf                       # after whatever the BIOS printed
        LOG "start"

        # IF must be set while an NBP runs: every timeout uses 40:6C (pxe.md 13)
        testw $0x200, entry_flags
        CHECK jnz, "interrupts disabled at NBP entry"

        STEP "!PXE from SS:[SP+4] (pxe.md 3, 4)"
        les bang_ptr, %si
        cmpl $0x45585021, %es:(%si)     # "!PXE"
        CHECK je, "bad !PXE signature"
        movzbw %es:4(%si), %cx          # StructLength
        cmp $0x58, %cx
        CHECK jae, "!PXE StructLength < 88"
        call sum8
        CHECK jz, "!PXE checksum over StructLength is not 0"
        mov %es:0x10(%si), %eax         # EntryPointSP
        mov %eax, bang_entry
        test %eax, %eax
        CHECK jnz, "!PXE EntryPointSP is 0"
        mov %es:0x28(%si), %ax          # UNDIData SEGDESC: selector, base, size
        mov %ax, data_seg
        mov %es:0x2e(%si), %ax
        mov %ax, data_size
        movzwl data_seg, %eax
        shl $4, %eax
        cmp %es:0x2a(%si), %eax
        CHECK je, "!PXE UNDIData base != segment * 16"
        mov %es:0x30(%si), %ax          # UNDICode SEGDESC
        mov %ax, code_seg
        mov %es:0x36(%si), %ax
        mov %ax, code_size
        movzwl code_seg, %eax
        shl $4, %eax
        cmp %es:0x32(%si), %eax
        CHECK je, "!PXE UNDICode base != segment * 16"

        STEP "PXENV+ from ES:BX (pxe.md 2, 4)"
        les pxenv_ptr, %si
        cmpl $0x4e455850, %es:(%si)     # "PXENV+"
        CHECK je, "bad PXENV+ signature"
        cmpw $0x2b56, %es:4(%si)
        CHECK je, "bad PXENV+ signature"
        cmpw $0x0201, %es:6(%si)
        CHECK je, "PXENV+ Version != 0x0201"
        movzbw %es:8(%si), %cx          # Length
        cmp $0x2c, %cx
        CHECK jae, "PXENV+ Length < 44"
        call sum8
        CHECK jz, "PXENV+ checksum over Length is not 0"
        mov %es:0x0a(%si), %eax         # RMEntry
        mov %eax, rm_entry
        test %eax, %eax
        CHECK jnz, "PXENV+ RMEntry is 0"
        mov %es:0x28(%si), %eax         # PXEPtr
        cmp bang_ptr, %eax
        CHECK je, "PXENV+ PXEPtr != the !PXE at SS:[SP+4]"
        mov %es:0x20(%si), %ax
        cmp data_seg, %ax
        CHECK je, "PXENV+ UNDIDataSeg != !PXE UNDIData"
        mov %es:0x22(%si), %ax
        cmp data_size, %ax
        CHECK je, "PXENV+ UNDIDataSize != !PXE UNDIData size"
        mov %es:0x24(%si), %ax
        cmp code_seg, %ax
        CHECK je, "PXENV+ UNDICodeSeg != !PXE UNDICode"
        mov %es:0x26(%si), %ax
        cmp code_size, %ax
        CHECK je, "PXENV+ UNDICodeSize != !PXE UNDICode size"
        # SS:SP lies in the PXE stack with >= 1.5 KiB free below it (pxe.md 4)
        movzwl %es:0x14(%si), %ebx      # StackSeg
        shl $4, %ebx
        movzwl entry_ss, %eax
        shl $4, %eax
        movzwl entry_sp, %ecx
        add $4+4+32, %ecx               # SP at entry, before our pushes
        add %ecx, %eax
        movzwl %es:0x16(%si), %ecx      # StackSize
        add %ebx, %ecx
        cmp %ecx, %eax
        CHECK jbe, "NBP SS:SP above the PXENV+ stack"
        sub $1536, %eax
        cmp %ebx, %eax
        CHECK jae, "less than 1.5 KiB of the PXENV+ stack free at NBP entry"

        STEP "INT 1Ah AX=5650h (pxe.md 4)"
        xor %bx, %bx
        mov %bx, %es
        mov $0x5650, %ax
        int $0x1a
        CHECK jnc, "CF set"
        cmp $0x564e, %ax
        CHECK je, "AX != 564Eh"
        cmp pxenv_ptr, %bx
        CHECK je, "BX != PXENV+ offset"
        mov %es, %ax
        cmp pxenv_ptr+2, %ax
        CHECK je, "ES != PXENV+ segment"

        STEP "base memory accounting (pxe.md 0.12, 12)"
        # The FBM the block was carved from: SeaBIOS reserves [40:13, 640K)
        # in E820 before booting, so E820's RAM range at 0 ends there.
        call e820_low
        cmpw $0, old_fbm
        CHECK jne, "no E820 RAM range at address 0"
        mov BDA_FBM, %ax
        mov %ax, fbm
        shl $6, %ax
        cmp code_seg, %ax
        CHECK je, "40:13 != UNDICode segment / 64 (block must start at 40:13)"
        mov data_seg, %ax
        cmp code_seg, %ax
        CHECK jae, "UNDIData starts below UNDICode, i.e. below 40:13"
        # block end in KiB = (max(data end, code end) + 1023) / 1024
        movzwl data_seg, %eax
        shl $4, %eax
        movzwl data_size, %ecx
        add %ecx, %eax
        movzwl code_seg, %ebx
        shl $4, %ebx
        movzwl code_size, %ecx
        add %ecx, %ebx
        cmp %ebx, %eax
        jae 1f
        mov %ebx, %eax
1:      add $1023, %eax
        shr $10, %eax
        mov %ax, block_end
        cmp old_fbm, %ax
        CHECK jbe, "UNDI block ends above the old 40:13 (E820 low RAM end)"
        call log_fbm

        STEP "GET_CACHED_INFO 2 via PXENV+ RMEntry (pxe.md 0.11, 5, 7)"
        PB_CLEAR
        movw $2, pb+2                   # PacketType DHCPACK
        movw $BOOTPLAYER_SIZE, pb+4     # BufferSize: copy mode
        movw $cached, pb+6              # Buffer 0000:cached
        movw $0x5a5a, pb+10             # BufferLimit: must stay untouched
        API GET_CACHED_INFO, entry=api_rm
        cmpw $BOOTPLAYER_SIZE, pb+4
        CHECK je, "BufferSize out != 1260"
        cmpw $0x5a5a, pb+10
        CHECK je, "BufferLimit was written"
        cmpb $2, cached                 # BOOTREPLY
        CHECK je, "cached packet op != BOOTREPLY"
        cmpl $0x63538263, cached+0xec   # DHCP magic cookie
        CHECK je, "cached packet has no DHCP magic cookie"
        mov cached+0x10, %eax           # yiaddr
        mov %eax, my_ip
        test %eax, %eax
        CHECK jnz, "yiaddr is 0"
        mov cached+0x14, %eax           # siaddr (10.0.2.2 under slirp)
        test %eax, %eax
        jnz 1f
        call find_router                # else option 3
1:      mov %eax, target_ip
        test %eax, %eax
        CHECK jnz, "neither siaddr nor a router to ARP for"
        mov cached+0x1c, %eax           # chaddr
        mov %eax, my_mac
        mov cached+0x20, %ax
        mov %ax, my_mac+4
        call log_addrs

        STEP "UNDI_GET_INFORMATION (pxe.md 7)"
        PB_CLEAR
        API UNDI_GET_INFORMATION
        cmpw $1, pb+8
        CHECK je, "HwType != 1 (Ethernet)"
        cmpw $6, pb+0x0a
        CHECK je, "HwAddrLen != 6"
        cmpw $1500, pb+6
        CHECK je, "MaxTranUnit != 1500"
        mov $pb+0x0c, %di
        call cmp_mac
        CHECK je, "CurrentNodeAddress != DHCP chaddr"
        mov $pb+0x1c, %di
        call cmp_mac
        CHECK je, "PermNodeAddress != DHCP chaddr"

        STEP "UNDI_GET_IFACE_INFO (pxe.md 7)"
        PB_CLEAR
        API UNDI_GET_IFACE_INFO
        mov $s_dix, %si
        mov $pb+2, %di
        mov $10, %cx
        repe cmpsb
        CHECK je, "IfaceType != DIX+802.3"
        testb $1, pb+0x16
        CHECK jnz, "ServiceFlags lacks BROADCAST"

        STEP "UNDI_CLEAR_STATISTICS (pxe.md 7)"
        PB_CLEAR
        API UNDI_CLEAR_STATISTICS
        PB_CLEAR
        API UNDI_GET_STATISTICS
        cmpl $0, pb+2
        CHECK je, "XmtGoodFrames != 0 after UNDI_CLEAR_STATISTICS"

        STEP "UNDI_OPEN DIRECTED|BROADCAST (pxe.md 7)"
        PB_CLEAR
        movw $3, pb+4                   # PktFilter
        API UNDI_OPEN

        STEP "error paths (pxe.md 6, 8, 9)"
        PB_CLEAR
        API BAD_OPCODE, ST_UNSUPPORTED
        PB_CLEAR
        API BAD_OPCODE, ST_UNSUPPORTED, entry=api_rm
        PB_CLEAR                        # only while closed (docs)
        mov $my_mac, %si
        mov $pb+2, %di
        mov $6, %cx
        rep movsb
        API UNDI_SET_STATION_ADDRESS, ST_INVALID_STATE
        PB_CLEAR
        movw $9, pb+2                   # FuncFlag 9
        API UNDI_ISR, ST_INVALID_PARAMETER
        cmpw $ISR_OUT_DONE, pb+2
        CHECK je, "bad FuncFlag did not answer OUT_DONE"
        PB_CLEAR
        movw $7, pb+2                   # PacketType 7
        movw $BOOTPLAYER_SIZE, pb+4
        movw $cached, pb+6
        API GET_CACHED_INFO, ST_UNSUPPORTED

        STEP "ARP request by UNDI_TRANSMIT P_ARP, broadcast (pxe.md 0.7, 7, 9)"
        call build_arp
        mov $tbd, %di
        mov $TBD_SIZE, %cx
        call zero
        movw $28, tbd                   # ImmedLength: the ARP payload only
        movw $txframe+14, tbd+2         # Xmit 0000:payload
        PB_CLEAR
        movb $P_ARP, pb+2               # Protocol
        movb $1, pb+3                   # XmitFlag XMT_BROADCAST
        movw $tbd, pb+8                 # TBD 0000:tbd
        API UNDI_TRANSMIT
        call wait_arp_reply

        STEP "ARP request by UNDI_TRANSMIT P_UNKNOWN, own header (pxe.md 0.6, 7, 9)"
        # The header goes as immediate data, the payload as a seg:off data
        # block; XmitFlag XMT_DESTADDR with DestAddr 0:0 must be ignored.
        mov $tbd, %di
        mov $TBD_SIZE, %cx
        call zero
        movw $14, tbd                   # ImmedLength: Ethernet header
        movw $txframe, tbd+2
        movw $1, tbd+6                  # DataBlkCount
        movb $1, tbd+8                  # TDPtrType 1: seg:off
        movw $28, tbd+10                # TDDataLen
        movw $txframe+14, tbd+12        # TDDataPtr 0000:payload
        PB_CLEAR
        movb $P_UNKNOWN, pb+2
        movw $tbd, pb+8
        API UNDI_TRANSMIT
        call wait_arp_reply

        STEP "UNDI_GET_STATISTICS (pxe.md 7)"
        PB_CLEAR
        API UNDI_GET_STATISTICS
        cmpl $2, pb+2
        CHECK jae, "XmtGoodFrames < 2"
        cmpl $2, pb+6
        CHECK jae, "RcvGoodFrames < 2"

        STEP "UNDI_CLOSE (pxe.md 7)"
        PB_CLEAR
        API UNDI_CLOSE
        STEP "UNDI_SHUTDOWN (pxe.md 7)"
        PB_CLEAR
        API UNDI_SHUTDOWN
        STEP "UNLOAD_STACK (pxe.md 12)"
        PB_CLEAR
        API UNLOAD_STACK
        STEP "STOP_UNDI (pxe.md 4, 12)"
        PB_CLEAR
        API STOP_UNDI

        STEP "INT 1Ah after STOP_UNDI (pxe.md 4, 12)"
        mov $0x5650, %ax
        int $0x1a
        cmp $0x564e, %ax
        CHECK jne, "INT 1Ah AX=5650h still answers 564Eh"
        # pxelinux frees the block only if INT 1Ah no longer points into it
        movzwl 0x1a*4+2, %eax
        shl $4, %eax
        movzwl 0x1a*4, %ecx
        add %ecx, %eax
        movzwl code_seg, %ecx
        shl $4, %ecx
        cmp %ecx, %eax
        jb 1f
        movzwl block_end, %ecx
        shl $10, %ecx
        cmp %ecx, %eax
        CHECK jae, "INT 1Ah vector points into the UNDI block"
1:

        STEP "give the UNDI block back to 40:13 (pxe.md 0.12, 12)"
        mov BDA_FBM, %ax
        cmp fbm, %ax
        CHECK je, "40:13 changed behind the NBP's back"
        mov block_end, %ax              # as pxelinux does
        mov %ax, BDA_FBM
        call log_fbm
        cmp old_fbm, %ax
        CHECK je, "UNDI block end != the 40:13 it was carved from"

        LOG "PASS"
        xor %ax, %ax
        jmp finish

// FAIL line for the current step; SI = reason.  Then return with AX = 1.
fail:
        push %si
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
finish:
        mov entry_ss, %bx
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
// api_rm calls PXENV+ RMEntry (BX, ES:DI) (pxe.md 5).  Returns AX; records
// last_op/ax/cf/status.  Every other register and IF must survive (docs).
api_rm:
        movb $1, via_rm
        jmp 1f
api_sp:
        movb $0, via_rm
1:      mov %bx, last_op
        mov %di, last_di
        pushal
        mov $0x11223344, %ecx           # sentinels
        mov $0x55667788, %edx
        mov $0x99aabbcc, %esi
        mov $0xddeeff00, %ebp
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
        cmp $0x11223344, %ecx
        CHECK je, "ECX not preserved"
        cmp $0x55667788, %edx
        CHECK je, "EDX not preserved"
        cmp $0x99aabbcc, %esi
        CHECK je, "ESI not preserved"
        cmp $0xddeeff00, %ebp
        CHECK je, "EBP not preserved"
        testw $0x200, last_flags
        CHECK jnz, "call returned with interrupts disabled (pxe.md 13)"
        popal
        mov (%di), %ax
        mov %ax, last_status
        mov last_ax, %ax
        ret

// DX = expected Status; check AX, CF and Status of the last call.
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
        cmp last_status, %dx
        CHECK je, "unexpected Status"
        ret

// Poll UNDI_ISR (pxe.md 9): IN_START, IN_PROCESS, then IN_GET_NEXT while
// the result is OUT_TRANSMIT/OUT_RECEIVE, until the ARP reply from
// target_ip has come and the round ended in OUT_DONE; 5 s at most.
wait_arp_reply:
        movb $0, got_tx
        movb $0, got_reply
        mov BDA_TICKS, %eax
        mov %eax, t0
.Lpoll:
        mov BDA_TICKS, %eax
        cmp t0, %eax
        jae 1f
        mov %eax, t0                    # midnight rollover
1:      sub t0, %eax
        cmp $ARP_TIMEOUT_TICKS, %eax
        CHECK jb, "no ARP reply within 5 s"
        mov $ISR_IN_START, %ax
        call isr
        cmpw $1, isr_pb+2
        CHECK jbe, "IN_START result neither OUT_OURS nor OUT_NOT_OURS"
        mov $ISR_IN_PROCESS, %ax
        call isr
.Lresult:
        mov isr_pb+2, %ax
        cmp $ISR_OUT_DONE, %ax
        je .Ldone
        cmp $ISR_OUT_TRANSMIT, %ax
        jne 1f
        movb $1, got_tx
        jmp .Lnext
1:      cmp $ISR_OUT_RECEIVE, %ax
        CHECK je, "ISR result not DONE, TRANSMIT or RECEIVE"
        call check_frame
.Lnext: mov $ISR_IN_GET_NEXT, %ax
        call isr
        jmp .Lresult
.Ldone: cmpb $0, got_reply
        je .Lpoll
        cmpb $0, got_tx
        CHECK jne, "no OUT_TRANSMIT reported for the transmit"
        LOG "ARP reply received"
        ret

// One UNDI_ISR call with FuncFlag AX on a fresh isr_pb.
isr:
        push %ax
        mov $isr_pb, %di
        mov $16, %cx
        call zero
        pop %ax
        mov %ax, isr_pb+2
        API UNDI_ISR, blk=isr_pb
        ret

// An OUT_RECEIVE result: whole frame (pxe.md 0.8, 9); note the ARP reply.
check_frame:
        mov isr_pb+4, %ax
        cmp isr_pb+6, %ax
        CHECK je, "BufferLength != FrameLength"
        cmpw $14, isr_pb+8
        CHECK je, "FrameHeaderLength != 14"
        cmp $14, %ax
        CHECK jae, "frame shorter than its header"
        les isr_pb+10, %si              # Frame
        cmpw $0x0608, %es:12(%si)       # EtherType 0806h
        jne 9f
        cmpb $P_ARP, isr_pb+14
        CHECK je, "ProtType != P_ARP for an ARP frame"
        cmp $42, %ax
        CHECK jae, "ARP frame shorter than 42 bytes"
        cmpw $0x0200, %es:20(%si)       # ARP reply
        jne 9f
        mov %es:28(%si), %eax           # sender IP
        cmp target_ip, %eax
        jne 9f
        mov %si, %di
        call cmp_mac_es
        CHECK je, "ARP reply not sent to our MAC"
        lea 32(%si), %di
        call cmp_mac_es
        CHECK je, "ARP reply target MAC is not ours"
        cmpb $0, isr_pb+15
        CHECK je, "PktType != P_DIRECTED for the ARP reply"
        movb $1, got_reply
9:      xor %ax, %ax
        mov %ax, %es
        ret

// --- helpers -----------------------------------------------------------------

// ARP request (RFC 826) for target_ip into txframe: broadcast Ethernet
// header (used by the P_UNKNOWN transmit only), then the 28-byte payload.
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

// EAX = the router (DHCP option 3) of the cached DHCPACK, or 0.
find_router:
        mov $cached+0xf0, %si
1:      cmp $cached+BOOTPLAYER_SIZE-6, %si
        jae 8f
        lodsb
        test %al, %al                   # pad
        jz 1b
        cmp $0xff, %al                  # end
        je 8f
        mov %al, %ah
        lodsb
        cmp $3, %ah
        je 2f
        movzbw %al, %ax
        add %ax, %si
        jmp 1b
2:      cmp $4, %al
        jb 8f
        mov (%si), %eax
        ret
8:      xor %eax, %eax
        ret

// End of the E820 RAM range at address 0 in KiB -> old_fbm (0: none).
e820_low:
        xor %ebx, %ebx
1:      push %ds
        pop %es
        mov $0xe820, %eax
        mov $0x534d4150, %edx           # "SMAP"
        mov $20, %ecx
        mov $e820buf, %di
        int $0x15
        jc 9f
        cmp $0x534d4150, %eax
        jne 9f
        cmpl $0, e820buf
        jne 2f
        cmpl $0, e820buf+4
        jne 2f
        cmpl $1, e820buf+16
        jne 2f
        mov e820buf+8, %eax
        shr $10, %eax
        mov %ax, old_fbm
        ret
2:      test %ebx, %ebx
        jnz 1b
9:      ret

// ZF set iff the 6 bytes at 0000:DI (cmp_mac) / ES:DI (cmp_mac_es) are
// my_mac.
cmp_mac:
        push %es
        push %ds
        pop %es
        call cmp_mac_es
        pop %es
        ret
cmp_mac_es:
        push %si
        push %di
        mov $my_mac, %si
        mov $6, %cx
        repe cmpsb
        pop %di
        pop %si
        ret

// AL = sum of CX bytes at ES:SI, ZF set iff 0 (pxe.md 1 checksums).
sum8:
        push %si
        push %cx
        xor %al, %al
1:      add %es:(%si), %al
        inc %si
        loop 1b
        pop %cx
        pop %si
        test %al, %al
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

// "UNDI-TEST: " string-at-SI CR LF
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

putdec:
        push %ax
        push %bx
        push %cx
        push %dx
        mov $10, %bx
        xor %cx, %cx
1:      xor %dx, %dx
        div %bx
        push %dx
        inc %cx
        test %ax, %ax
        jnz 1b
2:      pop %ax
        add $0x30, %al
        call putc
        loop 2b
        pop %dx
        pop %cx
        pop %bx
        pop %ax
        ret

// Dotted quad at 0000:SI.
putip:
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
        ret

// "UNDI-TEST: 40:13 = N KiB, UNDI code XXXX data XXXX, block end N KiB, E820 low RAM N KiB"
log_fbm:
        pusha
        mov $s_prefix, %si
        call puts
        mov $s_fbm, %si
        call puts
        mov BDA_FBM, %ax
        call putdec
        mov $s_code, %si
        call puts
        mov code_seg, %ax
        call puthex16
        mov $s_data, %si
        call puts
        mov data_seg, %ax
        call puthex16
        mov $s_end_kb, %si
        call puts
        mov block_end, %ax
        call putdec
        mov $s_e820, %si
        call puts
        mov old_fbm, %ax
        call putdec
        mov $s_kib, %si
        call puts
        popa
        ret

// "UNDI-TEST: IP a.b.c.d, ARP target a.b.c.d, MAC xx:xx:xx:xx:xx:xx"
log_addrs:
        pusha
        mov $s_prefix, %si
        call puts
        mov $s_ip, %si
        call puts
        mov $my_ip, %si
        call putip
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

// --- data --------------------------------------------------------------------

        .section .rodata
s_prefix:       .asciz "UNDI-TEST: "
s_crlf:         .asciz "\r\n"
s_fail:         .asciz "\r\nUNDI-TEST: FAIL "
s_colon:        .asciz ": "
s_op:           .asciz " (last call: opcode "
s_ax:           .asciz " AX="
s_cf:           .asciz " CF="
s_status:       .asciz " Status="
s_want:         .asciz ", expected "
s_end:          .asciz ")\r\n"
s_fbm:          .asciz "40:13 = "
s_code:         .asciz " KiB, UNDI code "
s_data:         .asciz " data "
s_end_kb:       .asciz ", block end "
s_e820:         .asciz " KiB, E820 low RAM "
s_kib:          .asciz " KiB\r\n"
s_ip:           .asciz "IP "
s_target:       .asciz ", ARP target "
s_mac:          .asciz ", MAC "
s_dix:          .asciz "DIX+802.3"
s_none:         .asciz "(none)"

        .data
cur_step:       .word s_none

        .bss
        .set PB_SIZE, 160               # >= the largest block used (OPEN: 136)
        .set TBD_SIZE, 72
bss_start:
entry_sp:       .skip 2
entry_ss:       .skip 2
entry_flags:    .skip 2
pxenv_ptr:      .skip 4                 # seg:off, offset first
bang_ptr:       .skip 4
bang_entry:     .skip 4                 # !PXE EntryPointSP
rm_entry:       .skip 4                 # PXENV+ RMEntry
code_seg:       .skip 2
code_size:      .skip 2
data_seg:       .skip 2
data_size:      .skip 2
fbm:            .skip 2                 # 40:13 at entry
old_fbm:        .skip 2                 # E820 low RAM end, KiB
block_end:      .skip 2                 # UNDI block end, KiB
via_rm:         .skip 1
last_cf:        .skip 1
last_op:        .skip 2
last_di:        .skip 2
last_ax:        .skip 2
last_status:    .skip 2
last_want:      .skip 2                 # Status expect_status wanted
last_flags:     .skip 2
ret_ds:         .skip 2
got_tx:         .skip 1
got_reply:      .skip 1
t0:             .skip 4
my_ip:          .skip 4
target_ip:      .skip 4
my_mac:         .skip 6
        .balign 16
pb:             .skip PB_SIZE           # generic parameter block
isr_pb:         .skip 16                # UNDI_ISR block
tbd:            .skip TBD_SIZE
e820buf:        .skip 20
txframe:        .skip 64
cached:         .skip BOOTPLAYER_SIZE
bss_end:
