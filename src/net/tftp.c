// TFTP client (RFC 1350) with options (RFC 2347, 2348 blksize, 2349 tsize)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include "net/proto.h" // IP_UDP_HLEN
#include "net/tftp.h" // tftp_open
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "util.h" // timer_calc

#define TFTP_TIMEOUT_MS 1000    // resend our last packet after this long
#define TFTP_TRIES      5       // and give up after this many silent waits
#define TFTP_HLEN       4       // opcode and block number in front of data

// Our RRQ: opcode, file name, "octet", "tsize" "0", "blksize" "65464".
#define TFTP_RRQ_MAX (2 + TFTP_FILENAME_MAX + 1 + 6 + 6 + 2 + 8 + 6)
_Static_assert(TFTP_RRQ_MAX <= NET_MIN_MTU - IP_UDP_HLEN, "RRQ fits any MTU");


/****************************************************************
 * Parsing
 ****************************************************************/

static u16
get16(const u8 *p)
{
    return (p[0] << 8) | p[1];
}

// The NUL-terminated string at P + *POS (within LEN) into S; returns its
// length and moves *POS past it, or -1 when it is not terminated.
static int
tftp_string(const u8 *p, u16 len, u16 *pos, const char **s)
{
    *s = (const char *)p + *pos;
    u32 n = net_strnlen(*s, len - *pos);
    if (*pos + n >= len)
        return -1;
    *pos += n + 1;
    return n;
}

// Whether S (N bytes) is LIT, ignoring case (RFC 2347: names are).
static int
str_ieq(const char *s, int n, const char *lit)
{
    int i;
    for (i = 0; i < n; i++) {
        char ch = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 'a' - 'A' : s[i];
        if (ch != lit[i])
            return 0;
    }
    return !lit[n];
}

// A decimal option value of N digits that fits 32 bits.
static int
tftp_number(const char *s, int n, u32 *val)
{
    u32 v = 0;
    int i;
    if (!n)
        return -1;
    for (i = 0; i < n; i++) {
        u32 d = s[i] - '0';
        if (d > 9 || v > (0xffffffff - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *val = v;
    return 0;
}

// RFC 2347: an OACK is name/value string pairs.  We ask for blksize
// (RFC 2348: 8..65464) and tsize only, so anything else is an error.
static int
tftp_parse_oack(const u8 *p, u16 len, struct tftp_pkt *out)
{
    u16 pos = 0;
    while (pos < len) {
        const char *name, *value;
        int nlen = tftp_string(p, len, &pos, &name);
        int vlen = nlen < 0 ? -1 : tftp_string(p, len, &pos, &value);
        u32 v;
        if (vlen < 0 || tftp_number(value, vlen, &v))
            return TFTP_EPROTO;
        if (str_ieq(name, nlen, "blksize") && v >= TFTP_BLKSIZE_MIN
            && v <= TFTP_BLKSIZE_MAX) {
            out->blksize = v;
            out->opts |= TFTP_OPT_BLKSIZE;
        } else if (str_ieq(name, nlen, "tsize")) {
            out->tsize = v;
            out->opts |= TFTP_OPT_TSIZE;
        } else {
            return TFTP_EPROTO;
        }
    }
    return 0;
}

// Parse a packet a reading client may receive: DATA, ERROR or OACK.
// OUT->opcode is set even when the packet is malformed.
int
tftp_parse(const u8 *pkt, u16 len, struct tftp_pkt *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 2)
        return TFTP_EPROTO;
    out->opcode = get16(pkt);
    if (out->opcode == TFTP_OACK)
        return tftp_parse_oack(pkt + 2, len - 2, out);
    if ((out->opcode != TFTP_DATA && out->opcode != TFTP_ERROR)
        || len < TFTP_HLEN)
        return TFTP_EPROTO;
    out->data = pkt + TFTP_HLEN;
    out->len = len - TFTP_HLEN;
    if (out->opcode == TFTP_DATA) {
        out->block = get16(pkt + 2);
        return 0;
    }
    // RFC 1350 5: ErrorCode, then ErrMsg (terminated, if the server is kind).
    out->errcode = get16(pkt + 2);
    out->len = net_strnlen((const char *)out->data, out->len);
    return 0;
}


/****************************************************************
 * Sending
 ****************************************************************/

static u8 *
put16(u8 *p, u16 val)
{
    p[0] = val >> 8;
    p[1] = val;
    return p + 2;
}

static u8 *
put_str(u8 *p, const char *s, u32 len)
{
    memcpy(p, s, len);
    p[len] = '\0';
    return p + len + 1;
}

// RFC 1350 5 RRQ in octet mode with tsize (RFC 2349) and blksize (RFC
// 2348) options (RFC 2347 2); udp_send_fill() callback.
static u16
tftp_fill_rrq(void *ctx, u8 *buf, u16 max)
{
    struct tftp_conn *c = ctx;
    char num[6];
    u8 *p = put16(buf, TFTP_RRQ);
    p = put_str(p, c->filename, net_strnlen(c->filename, TFTP_FILENAME_MAX));
    p = put_str(p, "octet", 5);
    p = put_str(p, "tsize", 5);
    p = put_str(p, "0", 1);
    p = put_str(p, "blksize", 7);
    p = put_str(p, num, net_fmt_dec(num, c->req_blksize) - num);
    return p - buf;
}

static int
tftp_send_rrq(struct tftp_conn *c)
{
    return udp_send_fill(c->nif, c->server, 0, c->pcb.local_port
                         , c->server_port, tftp_fill_rrq, c);
}

static int
tftp_send_ack(struct tftp_conn *c)
{
    u8 pkt[TFTP_HLEN];
    put16(put16(pkt, TFTP_ACK), c->block);
    return udp_send(c->nif, c->server, 0, c->pcb.local_port, c->tid
                    , pkt, sizeof(pkt));
}

static int
tftp_send_error(struct tftp_conn *c, u16 port, u16 code, const char *msg)
{
    u8 pkt[TFTP_HLEN + 24];
    u8 *p = put16(put16(pkt, TFTP_ERROR), code);
    p = put_str(p, msg, net_strnlen(msg, sizeof(pkt) - TFTP_HLEN - 1));
    return udp_send(c->nif, c->server, 0, c->pcb.local_port, port
                    , pkt, p - pkt);
}


/****************************************************************
 * Receiving
 ****************************************************************/

static int
tftp_fail(struct tftp_conn *c, int err)
{
    c->state = TFTP_FAILED;
    c->err = err;
    return err;
}

// Copy a block of LEN bytes to DST (SIZE bytes); returns LEN or an error.
static int
tftp_store(struct tftp_conn *c, u8 *dst, u16 size, const u8 *data, u16 len)
{
    if (len > c->blksize)
        return tftp_fail(c, TFTP_EPROTO);
    if (len > size)
        return tftp_fail(c, TFTP_ETOOLARGE);
    memcpy(dst, data, len);
    return len;
}

// The next block, while someone waits for it; duplicates and strays are
// ignored.  Before an OACK, block 1 means the server ignored our options
// (RFC 2347 3) and sends RFC 1350's 512-byte blocks.
static void
tftp_data(struct tftp_conn *c, const struct tftp_pkt *pkt)
{
    if (!c->dst || c->have || pkt->block != (u16)(c->block + 1))
        return;
    if (c->state == TFTP_OPENING) {
        c->blksize = TFTP_BLKSIZE_DEFAULT;
        c->state = TFTP_OPEN;
    }
    int len = tftp_store(c, c->dst, c->dst_size, pkt->data, pkt->len);
    if (len < 0)
        return;
    c->got = len;
    c->have = 1;
}

// RFC 2347 2: accept the OACK (ACK 0 follows) or refuse it with ERROR 8.
static void
tftp_oack(struct tftp_conn *c, const struct tftp_pkt *pkt)
{
    if (c->state != TFTP_OPENING)
        return;     // a retransmission: our resent ACK 0 answers it
    if (!pkt || pkt->blksize > c->req_blksize) {
        tftp_send_error(c, c->tid, TFTP_ERR_OPTNEG, "Option refused");
        tftp_fail(c, TFTP_EOPTNEG);
        return;
    }
    c->blksize = pkt->opts & TFTP_OPT_BLKSIZE ? pkt->blksize
                                              : TFTP_BLKSIZE_DEFAULT;
    c->tsize = pkt->tsize;
    c->state = TFTP_OPEN;
}

// Keep the server's message (bounded, NUL-terminated) and fail.
static void
tftp_server_error(struct tftp_conn *c, const struct tftp_pkt *pkt)
{
    u16 n = pkt->len < sizeof(c->errmsg) ? pkt->len : sizeof(c->errmsg) - 1;
    memcpy(c->errmsg, pkt->data, n);
    c->errmsg[n] = '\0';
    u16 code = pkt->errcode;
    dprintf(1, "tftp: server error %d: %s\n", code, c->errmsg);
    tftp_fail(c, code && code <= TFTP_ERR_OPTNEG ? TFTP_ESERVER - code
                                                 : TFTP_ESERVER);
}

static void
tftp_recv(struct udp_pcb *pcb, struct netif *nif, const struct udp_meta *m
          , const u8 *data, u16 len)
{
    struct tftp_conn *c = container_of(pcb, struct tftp_conn, pcb);
    struct tftp_pkt pkt;
    if (m->src_ip != c->server)
        return;
    int ret = tftp_parse(data, len, &pkt);
    if (c->tid && m->src_port != c->tid) {
        // RFC 1350 4: tell a stranger (unless it sent an ERROR itself);
        // our own transfer goes on.
        if (pkt.opcode != TFTP_ERROR)
            tftp_send_error(c, m->src_port, TFTP_ERR_UNKNOWN_TID
                            , "Unknown transfer ID");
        return;
    }
    if (c->state != TFTP_OPENING && c->state != TFTP_OPEN)
        return;
    if (ret && pkt.opcode != TFTP_OACK)
        return;     // damaged: the retransmission timer recovers
    c->tid = m->src_port;   // RFC 1350 4: the first reply fixes the TID
    if (pkt.opcode == TFTP_ERROR)
        tftp_server_error(c, &pkt);
    else if (pkt.opcode == TFTP_OACK)
        tftp_oack(c, ret ? NULL : &pkt);
    else
        tftp_data(c, &pkt);
}

// RFC 1350 2: wait for the server, resending our last packet (the RRQ, or
// the last ACK) after each silent TFTP_TIMEOUT_MS, TFTP_TRIES times.
static int
tftp_await(struct tftp_conn *c)
{
    u8 state = c->state;
    int i;
    for (i = 0; i < TFTP_TRIES; i++) {
        int ret = 0;
        if (i)
            ret = state == TFTP_OPENING ? tftp_send_rrq(c) : tftp_send_ack(c);
        if (ret)
            return tftp_fail(c, ret);
        u32 end = timer_calc(TFTP_TIMEOUT_MS);
        while (!timer_check(end)) {
            net_poll(c->nif);
            if (c->state == TFTP_FAILED)
                return c->err;
            if (c->state != state || c->have)
                return 0;
        }
    }
    return tftp_fail(c, NET_ETIMEDOUT);
}


/****************************************************************
 * API
 ****************************************************************/

// RFC 2348: the largest block whose datagram fits the MTU unfragmented.
static u16
tftp_blksize(struct netif *nif, u16 want)
{
    u16 max = net_mtu(nif) - IP_UDP_HLEN - TFTP_HLEN;
    if (!want || want > max)
        return max;
    return want < TFTP_BLKSIZE_MIN ? TFTP_BLKSIZE_MIN : want;
}

// Start reading FILENAME from SERVER:SERVER_PORT with blocks of BLKSIZE
// bytes (0: the largest the MTU allows).  C must not be open.
int
tftp_open(struct tftp_conn *c, struct netif *nif, u32 server
          , u16 server_port, const char *filename, u16 blksize)
{
    memset(c, 0, sizeof(*c));
    u32 flen = net_strnlen(filename, TFTP_FILENAME_MAX + 1);
    if (!flen || flen > TFTP_FILENAME_MAX)
        return NET_EINVAL;
    u16 port = udp_port_alloc(nif);
    if (!port)
        return NET_ENOPORT;
    c->pcb.local_port = port;
    c->pcb.recv = tftp_recv;
    c->nif = nif;
    c->server = server;
    c->server_port = server_port;
    c->filename = filename;
    c->req_blksize = tftp_blksize(nif, blksize);
    c->dst = c->first;      // where block 1 goes if options are ignored
    c->dst_size = sizeof(c->first);
    c->state = TFTP_OPENING;
    udp_bind(nif, &c->pcb);
    int ret = tftp_send_rrq(c);
    if (!ret)
        ret = tftp_await(c);
    if (!ret && !c->have)
        ret = tftp_send_ack(c);     // RFC 2347 2: ACK 0 confirms the OACK
    c->dst = NULL;
    c->filename = NULL;
    if (ret)
        tftp_close(c);
    return ret;
}

// Read the next block into BUF (SIZE bytes) and acknowledge it; returns its
// length, and a length below c->blksize means it was the last.
int
tftp_read_block(struct tftp_conn *c, void *buf, u16 size, u16 *blockno)
{
    if (c->state != TFTP_OPEN)
        return c->state == TFTP_FAILED ? c->err : TFTP_ECLOSED;
    int len;
    if (c->have) {
        len = tftp_store(c, buf, size, c->first, c->got);   // from tftp_open
    } else {
        c->dst = buf;
        c->dst_size = size;
        len = tftp_await(c);
        c->dst = NULL;
        if (!len)
            len = c->got;
    }
    c->have = 0;
    if (len < 0)
        return len;
    c->block++;             // u16: wraps to 0 after 65535 like the server's
    if (len < c->blksize)
        c->state = TFTP_DONE;   // RFC 1350 6: a short block ends the transfer
    int ret = tftp_send_ack(c);
    if (ret)
        return tftp_fail(c, ret);
    if (blockno)
        *blockno = c->block;
    return len;
}

// Whether the server still runs the transfer: it answered, and no ERROR
// went either way (theirs, or our refusal of its OACK).
static int
tftp_server_busy(struct tftp_conn *c)
{
    if (!c->tid || c->state == TFTP_DONE)
        return 0;
    return c->state != TFTP_FAILED || c->err > TFTP_ESERVER
        || c->err < TFTP_EOPTNEG;
}

void
tftp_close(struct tftp_conn *c)
{
    if (c->state == TFTP_CLOSED)
        return;
    if (tftp_server_busy(c))    // RFC 1350 7: an ERROR ends a transfer early
        tftp_send_error(c, c->tid, TFTP_ERR_UNDEF, "Transfer aborted");
    udp_unbind(c->nif, &c->pcb);
    c->state = TFTP_CLOSED;
}

// Read FILE from SERVER:69 into DEST (MAXLEN bytes) using the transfer
// state C (which keeps the server's error message); *GOT says how much
// arrived.  PROGRESS (may be NULL) runs after every block with the file
// size from the server (0: unknown).
int
tftp_get(struct tftp_conn *c, struct netif *nif, u32 server, const char *file
         , void *dest, u32 maxlen, u32 *got
         , void (*progress)(u32 done, u32 total, void *arg), void *arg)
{
    *got = 0;
    int ret = tftp_open(c, nif, server, TFTP_PORT, file, 0);
    if (ret)
        return ret;
    if (c->tsize > maxlen)
        ret = TFTP_ETOOLARGE;
    // Every full block adds at least 8 bytes, so this ends by MAXLEN.
    while (!ret && c->state == TFTP_OPEN) {
        u32 room = maxlen - *got;
        int len = tftp_read_block(c, (u8 *)dest + *got
                                  , room < 0xffff ? room : 0xffff, NULL);
        if (len < 0) {
            ret = len;
            break;
        }
        *got += len;
        if (progress)
            progress(*got, c->tsize, arg);
    }
    tftp_close(c);
    dprintf(3, "tftp: %s: %u bytes, %s\n", file, *got
            , ret ? tftp_strerror(c, ret) : "complete");
    return ret;
}

static const char *const tftp_errors[] = {
    [TFTP_ESERVER - TFTP_ESERVER] = "TFTP server error",
    [TFTP_ESERVER - TFTP_ENOTFOUND] = "file not found",
    [TFTP_ESERVER - TFTP_EACCESS] = "access violation",
    [TFTP_ESERVER - TFTP_EDISKFULL] = "disk full",
    [TFTP_ESERVER - TFTP_EILLEGAL] = "illegal TFTP operation",
    [TFTP_ESERVER - TFTP_ETID] = "unknown transfer ID",
    [TFTP_ESERVER - TFTP_EEXISTS] = "file already exists",
    [TFTP_ESERVER - TFTP_ENOUSER] = "no such user",
    [TFTP_ESERVER - TFTP_EOPTNEG] = "TFTP option negotiation failed",
    [TFTP_ESERVER - TFTP_EPROTO] = "TFTP protocol error",
    [TFTP_ESERVER - TFTP_ETOOLARGE] = "file too large",
    [TFTP_ESERVER - TFTP_ECLOSED] = "TFTP transfer not open",
};

// The server's own message for its errors when C (may be NULL) has one,
// else a description of ERR (TFTP_E* or NET_E*).
const char *
tftp_strerror(const struct tftp_conn *c, int err)
{
    if (c && err <= TFTP_ESERVER && err >= TFTP_EOPTNEG && c->errmsg[0])
        return c->errmsg;
    if (err > TFTP_ESERVER || err < TFTP_ELAST)
        return net_strerror(err);
    return tftp_errors[TFTP_ESERVER - err];
}
