// PXE 2.1 structures, opcodes and status codes (shared/reference/pxe.md).
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __PXE_H
#define __PXE_H

#include "farptr.h" // struct segoff_s
#include "types.h" // u16

// Exit codes in AX (pxe.md 1)
#define PXENV_EXIT_SUCCESS 0
#define PXENV_EXIT_FAILURE 1

// Status codes (pxe.md 8)
#define PXENV_STATUS_SUCCESS                0x00
#define PXENV_STATUS_FAILURE                0x01
#define PXENV_STATUS_BAD_FUNC               0x02
#define PXENV_STATUS_UNSUPPORTED            0x03
#define PXENV_STATUS_KEEP_UNDI              0x04
#define PXENV_STATUS_OUT_OF_RESOURCES       0x06
#define PXENV_STATUS_ARP_TIMEOUT            0x11
#define PXENV_STATUS_UDP_CLOSED             0x18
#define PXENV_STATUS_UDP_OPEN               0x19
#define PXENV_STATUS_TFTP_CLOSED            0x1a
#define PXENV_STATUS_TFTP_OPEN              0x1b
#define PXENV_STATUS_TFTP_CANNOT_ARP_ADDRESS 0x30
#define PXENV_STATUS_TFTP_OPEN_TIMEOUT      0x32
#define PXENV_STATUS_TFTP_READ_TIMEOUT      0x35
#define PXENV_STATUS_TFTP_ERROR_OPCODE      0x36
#define PXENV_STATUS_TFTP_CANNOT_OPEN_CONNECTION 0x38
#define PXENV_STATUS_TFTP_FILE_NOT_FOUND    0x3b
#define PXENV_STATUS_TFTP_NO_FILESIZE       0x3e
#define PXENV_STATUS_TFTP_INVALID_PACKET_SIZE 0x3f
#define PXENV_STATUS_BSTRAP_FILE_TOO_BIG    0x79
#define PXENV_STATUS_UNDI_INVALID_FUNCTION  0x60
#define PXENV_STATUS_UNDI_CANNOT_INITIALIZE_NIC 0x63
#define PXENV_STATUS_UNDI_INVALID_STATE     0x6a
#define PXENV_STATUS_UNDI_TRANSMIT_ERROR    0x6b
#define PXENV_STATUS_UNDI_INVALID_PARAMETER 0x6c

// Opcodes (pxe.md 6)
#define PXENV_START_UNDI            0x0000
#define PXENV_UNDI_STARTUP          0x0001
#define PXENV_UNDI_CLEANUP          0x0002
#define PXENV_UNDI_INITIALIZE       0x0003
#define PXENV_UNDI_RESET_ADAPTER    0x0004
#define PXENV_UNDI_SHUTDOWN         0x0005
#define PXENV_UNDI_OPEN             0x0006
#define PXENV_UNDI_CLOSE            0x0007
#define PXENV_UNDI_TRANSMIT         0x0008
#define PXENV_UNDI_SET_MCAST_ADDRESS 0x0009
#define PXENV_UNDI_SET_STATION_ADDRESS 0x000a
#define PXENV_UNDI_SET_PACKET_FILTER 0x000b
#define PXENV_UNDI_GET_INFORMATION  0x000c
#define PXENV_UNDI_GET_STATISTICS   0x000d
#define PXENV_UNDI_CLEAR_STATISTICS 0x000e
#define PXENV_UNDI_INITIATE_DIAGS   0x000f
#define PXENV_UNDI_FORCE_INTERRUPT  0x0010
#define PXENV_UNDI_GET_MCAST_ADDRESS 0x0011
#define PXENV_UNDI_GET_NIC_TYPE     0x0012
#define PXENV_UNDI_GET_IFACE_INFO   0x0013
#define PXENV_UNDI_ISR              0x0014
#define PXENV_STOP_UNDI             0x0015
#define PXENV_TFTP_OPEN             0x0020
#define PXENV_TFTP_CLOSE            0x0021
#define PXENV_TFTP_READ             0x0022
#define PXENV_TFTP_READ_FILE        0x0023
#define PXENV_TFTP_GET_FSIZE        0x0025
#define PXENV_UDP_OPEN              0x0030
#define PXENV_UDP_CLOSE             0x0031
#define PXENV_UDP_READ              0x0032
#define PXENV_UDP_WRITE             0x0033
#define PXENV_UNLOAD_STACK          0x0070
#define PXENV_GET_CACHED_INFO       0x0071
#define PXENV_START_BASE            0x0075
#define PXENV_STOP_BASE             0x0076

// PXENV+ (pxe.md 2)
struct pxenv_s {
    u8 Signature[6];
    u16 Version;
    u8 Length;
    u8 Checksum;
    struct segoff_s RMEntry;
    u32 PMOffset;
    u16 PMSelector;
    u16 StackSeg, StackSize;
    u16 BC_CodeSeg, BC_CodeSize;
    u16 BC_DataSeg, BC_DataSize;
    u16 UNDIDataSeg, UNDIDataSize;
    u16 UNDICodeSeg, UNDICodeSize;
    struct segoff_s PXEPtr;
} PACKED;
_Static_assert(sizeof(struct pxenv_s) == 0x2c, "PXENV+ is 44 bytes");

// SEGDESC_t (pxe.md 1)
struct pxe_segdesc {
    u16 segment_address;
    u32 Physical_address;
    u16 Seg_size;
} PACKED;

// !PXE (pxe.md 3)
struct bangpxe_s {
    u8 Signature[4];
    u8 StructLength;
    u8 StructCksum;
    u8 StructRev;
    u8 reserved_1;
    struct segoff_s UNDIROMID, BaseROMID;
    struct segoff_s EntryPointSP, EntryPointESP;
    struct segoff_s StatusCallout;
    u8 reserved_2;
    u8 SegDescCnt;
    u16 FirstSelector;
    struct pxe_segdesc Stack, UNDIData, UNDICode, UNDICodeWrite;
    struct pxe_segdesc BC_Data, BC_Code, BC_CodeWrite;
} PACKED;
_Static_assert(sizeof(struct bangpxe_s) == 0x58, "!PXE is 88 bytes");

// BOOTPLAYER: a cached DHCP packet with a 1024-byte vendor area (pxe.md 7)
#define PXE_BOOTPLAYER_SIZE 1260

// What the 16-bit entry stubs (pxe_entry.S) leave on the caller's stack.
struct pxe_frame {
    u16 ds, es;
    u32 edi, esi, ebp, ebx, edx, ecx, eax;
    u32 kind;                   // PXE_CALL_*
    u32 eflags;
    u32 esp;
    struct segoff_s ret;
    u16 opcode;                 // !PXE stack arguments (pxe.md 5)
    struct segoff_s param;
} PACKED;
#define PXE_CALL_PXENV 0
#define PXE_CALL_BANGPXE 1
#define PXE_CALL_BANGPXE_PM 2

// What pxe_entry.S's pxe_pm_entry32 passes for a 16-bit protected-mode call.
struct pxe_pm_regs {
    u32 sp;                     // the caller's SP at its struct pxe_frame
    u16 cs, ss;                 // the caller's selectors
    u16 gdt_limit;              // the caller's GDTR
    u32 gdt_base;
} PACKED;

#endif // pxe.h
