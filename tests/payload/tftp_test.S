// Test NBP: drives the PXE TFTP and UDP APIs of pvboot, which no syslinux,
// iPXE or GRUB client uses (pxe.md 0.2) but older loaders (NTLDR, WDS) do,
// and reports on COM1 and the debug port 0x402 ("TFTP-TEST: PASS" or
// "TFTP-TEST: FAIL <step>: <reason> (last call ...)").  Section numbers
// "pxe.md N" refer to the team's PXE fact sheet (shared/reference/pxe.md);
// "docs" to docs/pxe.md.
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

// The TFTP server (QEMU user networking, tests/qemu/test_tftp_api.py)
// serves data.bin: DATA_SIZE bytes, byte i = (i * 7 + 3) & 0xff, so the NBP
// checks every byte it gets without a copy of the file; missing.bin does
// not exist.
//
// Real mode, CS = DS = 0, linked at 0x7C00 (flat binary, see Makefile).
// Everything is addressed as 0000:offset; buffers live in .bss after the
// image.  Memory above 1 MiB is reached with INT 15h AH=87h.  Entry, API
// call wrappers and output: common.S.

        .include "common.S"

        # Opcodes (pxe.md 6) besides common.S's
        .set TFTP_OPEN, 0x20
        .set TFTP_CLOSE, 0x21
        .set TFTP_READ, 0x22
        .set TFTP_READ_FILE, 0x23
        .set TFTP_GET_FSIZE, 0x25
        .set UDP_OPEN, 0x30
        .set UDP_CLOSE, 0x31
        .set UDP_READ, 0x32
        .set UDP_WRITE, 0x33
        # Status codes (pxe.md 8) besides common.S's
        .set ST_FAILURE, 0x01
        .set ST_UDP_CLOSED, 0x18
        .set ST_TFTP_CLOSED, 0x1a
        .set ST_TFTP_OPEN, 0x1b
        .set ST_TFTP_FILE_NOT_FOUND, 0x3b

        .set DATA_SIZE, 100000          # data.bin
        .set ASK_BLKSIZE, 1024          # TFTP_OPEN PacketSize
        .set MIN_BLKSIZE, 512           # what TFTP_OPEN may raise it to (pxe.md 7)
        # UDP_PORT_t is in network order (pxe.md 1): the word holds the
        # big-endian bytes.
        .set NET_PORT_TFTP, 0x4500      # 69
        .set MY_PORT, 16384             # our UDP port for the raw RRQ: not in
        .set NET_MY_PORT, 0x0040        # pvboot's ephemeral range 49152..65535
        # TFTP_READ_FILE buffers: physical addresses above 1 MiB (pxe.md 7)
        .set RF_ADDR, 0x200000
        .set RF_SIZE, 0x100000
        .set SMALL_ADDR, 0x300000
        .set SMALL_SIZE, 50000
        .set CHUNK, 4096                # INT 15h AH=87h copies for checking
        .set CANARY_LEN, 16             # 0xA5 bytes that must stay untouched
        .set UDPBUF_SIZE, 1472
        .set UDP_TIMEOUT_TICKS, 91      # 5 s of 18.2 Hz BIOS ticks
        .set NONBLOCK_TICKS, 3          # a UDP_READ that takes longer blocks

// --- the test ----------------------------------------------------------------

        .text
main:
        # IF must be set while an NBP runs: every timeout uses 40:6C (pxe.md 13)
        testw $0x200, entry_flags
        CHECK jnz, "interrupts disabled at NBP entry"

        STEP "!PXE from SS:[SP+4], PXENV+ from ES:BX (pxe.md 2, 3, 4)"
        les bang_ptr, %si
        cmpl $0x45585021, %es:(%si)     # "!PXE"
        CHECK je, "bad !PXE signature"
        mov %es:0x10(%si), %eax         # EntryPointSP
        mov %eax, bang_entry
        test %eax, %eax
        CHECK jnz, "!PXE EntryPointSP is 0"
        les pxenv_ptr, %si
        cmpl $0x4e455850, %es:(%si)     # "PXENV+"
        CHECK je, "bad PXENV+ signature"
        cmpw $0x2b56, %es:4(%si)
        CHECK je, "bad PXENV+ signature"
        mov %es:0x0a(%si), %eax         # RMEntry
        mov %eax, rm_entry
        test %eax, %eax
        CHECK jnz, "PXENV+ RMEntry is 0"

        # 1. Own address and the TFTP server (siaddr, pxe.md 0.17)
        STEP "GET_CACHED_INFO 2: own IP and server (pxe.md 7)"
        mov $api_sp, %ax
        xor %dx, %dx                    # BufferLimit 0, not checked
        call get_dhcpack
        mov cached+0x14, %eax           # siaddr
        mov %eax, server_ip
        test %eax, %eax
        CHECK jnz, "siaddr is 0"
        call log_addrs

        # 2. File sizes through tsize (pxe.md 7, 16)
        STEP "TFTP_GET_FSIZE data.bin via PXENV+ (pxe.md 7)"
        mov $s_data_bin, %si
        call fsize_pb
        API TFTP_GET_FSIZE, entry=api_rm
        mov pb+0x8a, %eax               # FileSize
        mov $s_fsize, %si
        call lognum
        cmp $DATA_SIZE, %eax
        CHECK je, "FileSize != 100000"

        STEP "TFTP_GET_FSIZE missing.bin -> TFTP_FILE_NOT_FOUND (pxe.md 7, 8)"
        mov $s_missing_bin, %si
        call fsize_pb
        API TFTP_GET_FSIZE, ST_TFTP_FILE_NOT_FOUND

        # 3. Block by block
        STEP "TFTP_OPEN data.bin, PacketSize 1024, port 69 (pxe.md 7)"
        call open_pb
        API TFTP_OPEN
        mov pb+0x8c, %ax                # PacketSize: negotiated
        mov %ax, pkt_size
        movzwl %ax, %eax
        mov $s_pktsize, %si
        call lognum
        cmp $ASK_BLKSIZE, %ax
        CHECK jbe, "PacketSize out > the 1024 asked for"
        cmp $MIN_BLKSIZE, %ax
        CHECK jae, "PacketSize out < 512"

        STEP "TFTP_READ block 1 via PXENV+ (pxe.md 7, 16)"
        call read_block
        CHECK jnc, "block 1 is short: data.bin has 100000 bytes"

        STEP "TFTP_OPEN while a transfer is open -> TFTP_OPEN (pxe.md 7, 8)"
        call open_pb
        API TFTP_OPEN, ST_TFTP_OPEN

        STEP "TFTP_READ to the short block via PXENV+ (pxe.md 7, 16)"
1:      call read_block
        jnc 1b
        mov total, %eax
        mov $s_total, %si
        call lognum
        cmp $DATA_SIZE, %eax
        CHECK je, "sum of BufferSize != 100000"

        STEP "TFTP_CLOSE (pxe.md 7)"
        PB_CLEAR
        API TFTP_CLOSE
        STEP "TFTP_CLOSE again -> TFTP_CLOSED (pxe.md 7, 8)"
        PB_CLEAR
        API TFTP_CLOSE, ST_TFTP_CLOSED

        # 4. Whole files to a physical buffer above 1 MiB (NTLDR does so
        # from real mode, pxe.md 7)
        STEP "TFTP_READ_FILE data.bin to 0x200000 via PXENV+ (pxe.md 7)"
        mov $RF_ADDR+DATA_SIZE, %edi
        call put_canary
        mov $RF_SIZE, %ecx
        mov $RF_ADDR, %edx
        call read_file_pb
        API TFTP_READ_FILE, entry=api_rm
        mov pb+0x82, %eax               # BufferSize: bytes read
        mov $s_rf_size, %si
        call lognum
        cmp $DATA_SIZE, %eax
        CHECK je, "BufferSize out != 100000"
        mov $RF_ADDR, %ebx
        mov $DATA_SIZE, %ecx
        call check_high
        CHECK je, "data at 0x200000 differs from data.bin"
        mov $RF_ADDR+DATA_SIZE, %ebx
        call check_canary
        CHECK je, "TFTP_READ_FILE wrote past the end of the file"

        STEP "TFTP_READ_FILE data.bin, BufferSize 50000 -> failure (pxe.md 7)"
        mov $SMALL_ADDR+SMALL_SIZE, %edi
        call put_canary
        mov $SMALL_SIZE, %ecx
        mov $SMALL_ADDR, %edx
        call read_file_pb
        API TFTP_READ_FILE, ANY_FAILURE
        mov last_status, %ax
        mov $s_small, %si
        call loghex
        mov $SMALL_ADDR+SMALL_SIZE, %ebx
        call check_canary
        CHECK je, "TFTP_READ_FILE wrote past BufferSize"

        # 5. TFTP by hand over the UDP API (pxe.md 7, 16)
        STEP "UDP_OPEN with src_ip = own IP (pxe.md 7)"
        PB_CLEAR
        mov my_ip, %eax
        mov %eax, pb+2                  # src_ip
        API UDP_OPEN

        STEP "UDP_WRITE RRQ data.bin octet to port 69 from port 16384 (pxe.md 7, 16)"
        mov $NET_PORT_TFTP, %ax
        mov $rrq, %si
        mov $rrq_end-rrq, %cx
        call write_pb
        API UDP_WRITE

        STEP "UDP_READ polls for DATA block 1 (pxe.md 0.15, 7)"
        call ticks_start
1:      call ticks_since
        cmp $UDP_TIMEOUT_TICKS, %eax
        CHECK jb, "no datagram for our IP and port 16384 within 5 s"
        call read_pb
        mov $UDP_READ, %bx
        mov $pb, %di
        call api_sp
        mov $ST_FAILURE, %dx            # nothing yet: FAILURE (pxe.md 7)
        test %ax, %ax
        jz 2f
        call expect_status
        jmp 1b
2:      xor %dx, %dx
        call expect_status
        mov pb+2, %eax
        cmp server_ip, %eax
        CHECK je, "src_ip != the TFTP server"
        mov pb+6, %eax
        cmp my_ip, %eax
        CHECK je, "dest_ip out != own IP"
        cmpw $NET_MY_PORT, pb+0xc
        CHECK je, "d_port out != 16384"
        mov pb+0xa, %ax                 # s_port: the server's transfer ID
        mov %ax, srv_port
        test %ax, %ax
        CHECK jnz, "s_port out is 0"
        xchg %al, %ah
        movzwl %ax, %eax
        mov $s_data1, %si
        call lognum
        cmpw $4+512, pb+0xe
        CHECK je, "buffer_size out != 516 (a 512-byte DATA block)"
        cmpw $0x0300, udpbuf            # opcode 3 (big-endian)
        CHECK je, "datagram is not TFTP DATA"
        cmpw $0x0100, udpbuf+2          # block 1
        CHECK je, "DATA block number != 1"
        xor %eax, %eax
        mov $udpbuf+4, %si
        mov $512, %ecx
        call check_pattern
        CHECK je, "DATA block 1 differs from data.bin"

        STEP "UDP_WRITE TFTP ERROR to the server's port (pxe.md 7, 16)"
        mov srv_port, %ax
        mov $errpkt, %si
        mov $errpkt_end-errpkt, %cx
        call write_pb
        API UDP_WRITE

        STEP "UDP_READ with nothing pending -> FAILURE at once (pxe.md 7)"
        call read_pb
        call ticks_start
        API UDP_READ, ST_FAILURE
        call ticks_since
        cmp $NONBLOCK_TICKS, %eax
        CHECK jb, "UDP_READ blocked (took 3 or more BIOS ticks)"

        STEP "UDP_CLOSE (pxe.md 7)"
        PB_CLEAR
        API UDP_CLOSE

        STEP "UDP_READ after UDP_CLOSE -> UDP_CLOSED (pxe.md 7, 8)"
        call read_pb
        API UDP_READ, ST_UDP_CLOSED

        LOG "PASS"
        xor %ax, %ax
        jmp finish

// --- parameter blocks (pxe.md 7) ----------------------------------------------

// TFTP_GET_FSIZE for the name at SI from the DHCP server, in pb.
fsize_pb:
        PB_CLEAR
        mov server_ip, %eax
        mov %eax, pb+2                  # ServerIPAddress
        mov $pb+0x0a, %di               # FileName
        jmp set_name

// TFTP_OPEN data.bin, port 69, PacketSize 1024, in pb.
open_pb:
        PB_CLEAR
        mov server_ip, %eax
        mov %eax, pb+2                  # ServerIPAddress (no gateway: on-link)
        movw $NET_PORT_TFTP, pb+0x8a    # TFTPPort
        movw $ASK_BLKSIZE, pb+0x8c      # PacketSize
        mov $s_data_bin, %si
        mov $pb+0x0a, %di               # FileName
        jmp set_name

// TFTP_READ_FILE data.bin to physical EDX, BufferSize ECX, in pb.
read_file_pb:
        push %ecx
        PB_CLEAR
        pop %ecx
        mov %ecx, pb+0x82               # BufferSize
        mov %edx, pb+0x86               # Buffer (ADDR32)
        mov server_ip, %eax
        mov %eax, pb+0x8a               # ServerIPAddress
        movw $NET_PORT_TFTP, pb+0x98    # TFTPSrvPort
        mov $s_data_bin, %si
        mov $pb+0x02, %di               # FileName
        jmp set_name

// UDP_WRITE of CX bytes at 0000:SI to the server, port AX (network
// order), from our port, in pb.
write_pb:
        push %cx
        PB_CLEAR
        pop %cx
        mov server_ip, %ebx
        mov %ebx, pb+2                  # ip
        movw $NET_MY_PORT, pb+0x0a      # src_port
        mov %ax, pb+0x0c                # dst_port
        mov %cx, pb+0x0e                # buffer_size
        mov %si, pb+0x10                # buffer 0000:SI
        ret

// UDP_READ for own IP and our port into udpbuf, in pb.
read_pb:
        PB_CLEAR
        mov my_ip, %eax
        mov %eax, pb+6                  # dest_ip filter
        movw $NET_MY_PORT, pb+0x0c      # d_port filter
        movw $UDPBUF_SIZE, pb+0x0e      # buffer_size: capacity
        movw $udpbuf, pb+0x10           # buffer 0000:udpbuf
        ret

// Copy the NUL-terminated string at 0000:SI to 0000:DI.
set_name:
        push %es
        push %ds
        pop %es
1:      lodsb
        stosb
        test %al, %al
        jnz 1b
        pop %es
        ret

// --- TFTP_READ ---------------------------------------------------------------

// TFTP_READ via PXENV+ RMEntry into rdbuf (PacketSize bytes, then a
// canary); check the block number, size and bytes, add to total.  CF set
// when it was the short (last) block.
read_block:
        push %ds
        pop %es
        mov pkt_size, %di               # canary after the PacketSize bytes
        add $rdbuf, %di
        mov $CANARY_LEN, %cx
        mov $0xa5, %al
        rep stosb
        mov $rd_pb, %di
        mov $10, %cx
        call zero
        movw $rdbuf, rd_pb+6            # Buffer 0000:rdbuf
        API TFTP_READ, blk=rd_pb, entry=api_rm
        incw blocks
        mov blocks, %ax
        cmp rd_pb+2, %ax
        CHECK je, "PacketNumber is not the next block (1, 2, ...)"
        mov rd_pb+4, %cx                # BufferSize: bytes in this block
        cmp pkt_size, %cx
        CHECK jbe, "BufferSize > PacketSize"
        mov pkt_size, %si
        add $rdbuf, %si
        call is_canary
        CHECK je, "TFTP_READ wrote past PacketSize bytes"
        movzwl rd_pb+2, %eax            # file offset (PacketNumber - 1) * PacketSize
        dec %eax
        movzwl pkt_size, %edx
        imul %edx, %eax
        movzwl %cx, %ecx
        mov $rdbuf, %si
        call check_pattern
        CHECK je, "block differs from data.bin"
        add %ecx, total
        cmpl $DATA_SIZE, total
        CHECK jbe, "more than 100000 bytes read: no short block"
        cmp pkt_size, %cx               # CF: shorter than PacketSize
        ret

// --- checking data -------------------------------------------------------------

// ZF set iff the ECX (< 64 KiB) bytes at 0000:SI are data.bin from file
// offset EAX on; else a line names the first difference.
check_pattern:
        pushal
        mov %eax, %ebx                  # file offset of the byte at SI
        imul $7, %eax, %edx             # DL = (offset * 7 + 3) & 0xff
        add $3, %dl
        test %cx, %cx
        jz 8f
1:      cmp (%si), %dl
        jne 7f
        add $7, %dl
        inc %si
        inc %ebx
        loop 1b
8:      popal
        cmp %eax, %eax                  # ZF set
        ret
7:      mov (%si), %al                  # what we got; DL: what we want
        mov $s_prefix, %si
        call puts
        mov $s_diff, %si
        call puts
        push %eax
        mov %ebx, %eax
        call putdec32
        pop %eax
        mov $s_got, %si
        call puts
        call puthex8
        mov $s_want_b, %si
        call puts
        mov %dl, %al
        call puthex8
        call crlf
        or $1, %al                      # ZF clear (popal keeps the flags)
        popal
        ret

// ZF set iff the ECX (even) bytes at physical EBX are data.bin from offset
// 0 on; copies CHUNK bytes at a time below 1 MiB with INT 15h AH=87h.
check_high:
        mov %ebx, hi_addr
        mov %ecx, hi_left
        movl $0, hi_off
1:      mov hi_left, %ecx
        test %ecx, %ecx
        jz 9f                           # ZF set: all equal
        cmp $CHUNK, %ecx
        jbe 2f
        mov $CHUNK, %ecx
2:      mov hi_addr, %esi
        mov $chunk, %edi
        call move_ext
        mov hi_off, %eax
        mov $chunk, %si
        call check_pattern
        jne 9f
        add %ecx, hi_addr
        add %ecx, hi_off
        sub %ecx, hi_left
        jmp 1b
9:      ret

// Write CANARY_LEN bytes 0xA5 to physical EDI.
put_canary:
        push %ds
        pop %es
        push %edi
        mov $chunk, %di
        mov $CANARY_LEN, %cx
        mov $0xa5, %al
        rep stosb
        pop %edi
        mov $chunk, %esi
        mov $CANARY_LEN, %ecx
        jmp move_ext

// ZF set iff the CANARY_LEN bytes at physical EBX are still 0xA5.
check_canary:
        mov %ebx, %esi
        mov $chunk, %edi
        mov $CANARY_LEN, %ecx
        call move_ext
        mov $chunk, %si
        # fall through

// ZF set iff the CANARY_LEN bytes at 0000:SI are 0xA5.
is_canary:
        push %es
        push %ds
        pop %es
        push %ax
        push %cx
        push %di
        mov %si, %di
        mov $CANARY_LEN, %cx
        mov $0xa5, %al
        repe scasb
        pop %di                         # pops keep the flags
        pop %cx
        pop %ax
        pop %es
        ret

// Copy CX (even, <= 64 KiB) bytes from physical ESI to physical EDI with
// INT 15h AH=87h (a GDT with source and destination descriptors; the BIOS
// fills the others).  Fails the step if the BIOS refuses.
move_ext:
        pushal
        movw $0xffff, gdt87+0x10        # source: limit 64 KiB - 1
        mov %esi, gdt87+0x12            # base 23..0 (and a byte the next
        movb $0x93, gdt87+0x15          # line overwrites): data, writable
        movb $0, gdt87+0x16
        shr $24, %esi
        mov %si, %ax
        mov %al, gdt87+0x17             # base 31..24
        movw $0xffff, gdt87+0x18        # destination, likewise
        mov %edi, gdt87+0x1a
        movb $0x93, gdt87+0x1d
        movb $0, gdt87+0x1e
        shr $24, %edi
        mov %di, %ax
        mov %al, gdt87+0x1f
        shr $1, %cx                     # words
        push %ds
        pop %es
        mov $gdt87, %si
        mov $0x87, %ah
        int $0x15
        CHECK jnc, "INT 15h AH=87h failed"
        popal
        ret

// --- output -----------------------------------------------------------------

// "<prefix>" string-at-SI, EAX in decimal (lognum) or AX in hex (loghex).
lognum:
        push %si
        mov $s_prefix, %si
        call puts
        pop %si
        call puts
        call putdec32
        jmp crlf
loghex:
        push %si
        mov $s_prefix, %si
        call puts
        pop %si
        call puts
        call puthex16
        jmp crlf

// "TFTP-TEST: IP a.b.c.d, server a.b.c.d"
log_addrs:
        call log_ip
        mov $s_server, %si
        call puts
        mov $server_ip, %si
        call putip
        jmp crlf

// --- data --------------------------------------------------------------------

        .section .rodata
s_prefix:       .asciz "TFTP-TEST: "
s_server:       .asciz ", server "
s_fsize:        .asciz "data.bin FileSize "
s_pktsize:      .asciz "TFTP_OPEN PacketSize "
s_total:        .asciz "TFTP_READ total bytes "
s_rf_size:      .asciz "TFTP_READ_FILE BufferSize "
s_small:        .asciz "TFTP_READ_FILE with a 50000-byte buffer: Status 0x"
s_data1:        .asciz "DATA 1 from the server's port "
s_diff:         .asciz "first difference at file offset "
s_got:          .asciz ": got 0x"
s_want_b:       .asciz ", want 0x"
s_data_bin:     .asciz "data.bin"
s_missing_bin:  .asciz "missing.bin"
// RFC 1350 5: RRQ without options (the server then sends 512-byte blocks),
// and the ERROR (code 0, "not defined") that ends the transfer early.
rrq:            .byte 0, 1
                .asciz "data.bin"
                .asciz "octet"
rrq_end:
errpkt:         .byte 0, 5, 0, 0
                .asciz "test done"
errpkt_end:

        .bss
server_ip:      .skip 4
pkt_size:       .skip 2                 # negotiated PacketSize
blocks:         .skip 2                 # TFTP_READ calls that succeeded
total:          .skip 4                 # sum of their BufferSize
srv_port:       .skip 2                 # the server's port (network order)
hi_addr:        .skip 4                 # check_high state
hi_left:        .skip 4
hi_off:         .skip 4
        .balign 16
rd_pb:          .skip 10                # TFTP_READ block
        .balign 16
gdt87:          .skip 48                # INT 15h AH=87h descriptor table
rdbuf:          .skip ASK_BLKSIZE + CANARY_LEN
udpbuf:         .skip UDPBUF_SIZE
chunk:          .skip CHUNK
bss_end:
