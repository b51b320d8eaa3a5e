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
// image.  Entry, API call wrappers and output: common.S.

        .include "common.S"

        # Opcodes (pxe.md 6) besides common.S's
        .set UNDI_SHUTDOWN, 0x05
        .set UNDI_SET_STATION_ADDRESS, 0x0a
        .set UNDI_GET_STATISTICS, 0x0d
        .set UNDI_CLEAR_STATISTICS, 0x0e
        .set UNDI_GET_IFACE_INFO, 0x13
        .set STOP_UNDI, 0x15
        .set UNLOAD_STACK, 0x70
        # Status codes (pxe.md 8) besides common.S's
        .set ST_INVALID_STATE, 0x6a
        .set ST_INVALID_PARAMETER, 0x6c
        .set P_UNKNOWN, 0               # UNDI_TRANSMIT Protocol (pxe.md 7)
        .set ARP_TIMEOUT_TICKS, 91      # 5 s of 18.2 Hz BIOS ticks

        .set BDA_FBM, 0x413             # 40:13 free base memory (KiB)

// --- the test ----------------------------------------------------------------

        .text
main:
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
        mov $api_rm, %ax
        mov $0x5a5a, %dx                # BufferLimit: must stay untouched
        call get_dhcpack
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

// Poll UNDI_ISR (isr_round, common.S) until the ARP reply from target_ip
// has come; 5 s at most by the BIOS tick.
wait_arp_reply:
        movb $0, got_tx
        movb $0, got_reply
        call ticks_start
1:      call ticks_since
        cmp $ARP_TIMEOUT_TICKS, %eax
        CHECK jb, "no ARP reply within 5 s"
        call isr_round
        jz 1b
        LOG "ARP reply received"
        ret

// ARP request, UNDI_ISR calls through !PXE EntryPointSP in real mode,
// isr_round, log_addrs (common.S).
        UNDI_ARP_HELPERS API

// An OUT_RECEIVE result of AX bytes, whole (isr_round, pxe.md 0.8, 9):
// note the ARP reply.
check_frame:
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

// --- output -----------------------------------------------------------------

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

// --- data --------------------------------------------------------------------

        .section .rodata
s_prefix:       .asciz "UNDI-TEST: "
s_fbm:          .asciz "40:13 = "
s_code:         .asciz " KiB, UNDI code "
s_data:         .asciz " data "
s_end_kb:       .asciz ", block end "
s_e820:         .asciz " KiB, E820 low RAM "
s_kib:          .asciz " KiB\r\n"
s_dix:          .asciz "DIX+802.3"

        .bss
        .set TBD_SIZE, 72
code_seg:       .skip 2
code_size:      .skip 2
data_seg:       .skip 2
data_size:      .skip 2
fbm:            .skip 2                 # 40:13 at entry
old_fbm:        .skip 2                 # E820 low RAM end, KiB
block_end:      .skip 2                 # UNDI block end, KiB
        .balign 16
tbd:            .skip TBD_SIZE
e820buf:        .skip 20
txframe:        .skip 64
bss_end:
