// TFTP client (RFC 1350) with options (RFC 2347, 2348 blksize, 2349 tsize)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.
#ifndef __NET_TFTP_H
#define __NET_TFTP_H

#include "net/net.h" // struct netif
#include "types.h" // u16

#define TFTP_PORT            69
#define TFTP_BLKSIZE_DEFAULT 512    // RFC 1350
#define TFTP_BLKSIZE_MIN     8      // RFC 2348
#define TFTP_BLKSIZE_MAX     65464
#define TFTP_FILENAME_MAX    255    // longest file name we request
#define TFTP_ERRMSG_MAX      64     // server message kept, with its NUL

// Opcodes (RFC 1350 5; RFC 2347 adds OACK).
#define TFTP_RRQ   1
#define TFTP_WRQ   2
#define TFTP_DATA  3
#define TFTP_ACK   4
#define TFTP_ERROR 5
#define TFTP_OACK  6

// Error codes of ERROR packets (RFC 1350 appendix; RFC 2347 adds 8).
#define TFTP_ERR_UNDEF       0
#define TFTP_ERR_NOTFOUND    1
#define TFTP_ERR_UNKNOWN_TID 5
#define TFTP_ERR_OPTNEG      8

// Return codes.  A server's ERROR code N (1..8) becomes TFTP_ESERVER - N;
// other codes become TFTP_ESERVER.  Codes above -32 are NET_E* codes.
#define TFTP_ESERVER   -32      // server error (undefined code)
#define TFTP_ENOTFOUND -33      // 1: file not found
#define TFTP_EACCESS   -34      // 2: access violation
#define TFTP_EDISKFULL -35      // 3: disk full
#define TFTP_EILLEGAL  -36      // 4: illegal operation
#define TFTP_ETID      -37      // 5: unknown transfer ID
#define TFTP_EEXISTS   -38      // 6: file exists
#define TFTP_ENOUSER   -39      // 7: no such user
#define TFTP_EOPTNEG   -40      // 8, or we refused the server's OACK
#define TFTP_EPROTO    -41      // the server broke the protocol
#define TFTP_ETOOLARGE -42      // the file does not fit the buffer
#define TFTP_ECLOSED   -43      // transfer finished or not open
#define TFTP_ELAST     TFTP_ECLOSED

// A received packet, as tftp_parse() found it.
#define TFTP_OPT_BLKSIZE 1
#define TFTP_OPT_TSIZE   2
struct tftp_pkt {
    u16 opcode;
    u16 block;                  // DATA
    u16 errcode;                // ERROR
    const u8 *data;             // DATA payload, ERROR message (no NUL)
    u16 len;
    u8 opts;                    // OACK: TFTP_OPT_* present
    u16 blksize;                // OACK
    u32 tsize;                  // OACK
};

enum { TFTP_CLOSED, TFTP_OPENING, TFTP_OPEN, TFTP_DONE, TFTP_FAILED };

// One read transfer.  The caller owns the storage (it is about 640 bytes).
struct tftp_conn {
    struct udp_pcb pcb;
    struct netif *nif;
    const char *filename;       // valid during tftp_open() only
    u32 server;
    u16 server_port;            // where the RRQ goes (69)
    u16 tid;                    // the server's port: 0 until its first reply
    u16 blksize;                // negotiated block size
    u16 req_blksize;            // the block size we asked for
    u32 tsize;                  // file size from the OACK (0: unknown)
    u16 block;                  // last block received and acknowledged
    u8 state;                   // TFTP_CLOSED ...
    u8 have;                    // a block of GOT bytes arrived at dst (after
                                // tftp_open(): block 1, waiting in first[])
    int err;                    // why the transfer failed
    u8 *dst;                    // where the awaited block goes (NULL: none
    u16 dst_size, got;          // awaited; other blocks are ignored)
    char errmsg[TFTP_ERRMSG_MAX];           // the server's ERROR message
    u8 first[TFTP_BLKSIZE_DEFAULT];         // block 1 when options ignored
};

// tftp.c
int tftp_parse(const u8 *pkt, u16 len, struct tftp_pkt *out);
int tftp_open(struct tftp_conn *c, struct netif *nif, u32 server
              , u16 server_port, const char *filename, u16 blksize);
int tftp_read_block(struct tftp_conn *c, void *buf, u16 size, u16 *blockno);
void tftp_close(struct tftp_conn *c);
int tftp_get(struct tftp_conn *c, struct netif *nif, u32 server
             , const char *file, void *dest
             , u32 maxlen, u32 *got
             , void (*progress)(u32 done, u32 total, void *arg), void *arg);
const char *tftp_strerror(const struct tftp_conn *c, int err);

#endif // tftp.h
