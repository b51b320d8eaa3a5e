// Unit tests: the TFTP client against a scripted server, and tftp_parse()
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fakenet.h" // struct fakenet
#include "net/tftp.h" // tftp_get
#include "shimctl.h" // shim_clock

static struct tftp_conn TC;    // tftp_get()'s transfer state

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 srv_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
#define OUR_IP  fk_ip(10, 0, 2, 15)
#define SRV_IP  fk_ip(10, 0, 2, 2)
#define SRV_TID 3456
#define FILE_MAX (65540 * 8 + 64)

static struct fakenet FN;
static struct netif NIF;
static struct tftp_conn C;
static u8 file[FILE_MAX], dest[FILE_MAX];

// The scripted server.
static struct tserver {
    u32 size;                   // file size
    int oack;                   // answer options with an OACK
    int tsize;                  // ... that has tsize
    u16 max_blksize;            // largest blksize it grants (0: any)
    const u8 *oack_raw;         // an OACK of its own (options part)
    u16 oack_raw_len;
    u16 error_code;             // answer the RRQ with this ERROR
    const char *error_msg;
    u16 error_len;
    int dup;                    // send every DATA twice
    u32 drop_once;              // lose the first copy of this block
    u32 silent_after;           // stop after this block (0: never)
    u32 stranger_at;            // before this block, DATA from another TID
    int oversize;               // DATA 1 one byte longer than blksize
    int noise;                  // with DATA 1: a second OACK and garbage
    // What it saw.
    u16 blksize;
    int rrqs, acks, ack0s;
    u8 rrq[600];
    u16 rrq_len;
    u16 client_port;
    u32 sent;                   // highest block sent
    int errors;                 // ERROR packets from the client
    u16 error_code_seen, error_port_seen;
} T;

static void
put16(u8 *p, u16 v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void
send_from(u16 sport, const u8 *data, u16 len)
{
    struct fk_udp u = { .sip = SRV_IP, .dip = OUR_IP, .sport = sport
                        , .dport = T.client_port, .data = data, .len = len };
    memcpy(u.dmac, our_mac, ETH_ALEN);
    memcpy(u.smac, srv_mac, ETH_ALEN);
    u8 frame[ETH_FRAME_LEN];
    fakenet_push(&FN, frame, fk_udp_frame(frame, &u));
}

static void
send_block(u32 n)
{
    static u8 pkt[4 + ETH_DATA_LEN];
    u32 off = (n - 1) * T.blksize;
    u16 len = T.size - off < T.blksize ? T.size - off : T.blksize;
    if (T.silent_after && n > T.silent_after)
        return;
    T.sent = n;
    put16(pkt, TFTP_DATA);
    put16(pkt + 2, n);
    memcpy(pkt + 4, file + off, len);
    len += n == 1 && T.oversize;
    if (n == 1 && T.noise) {
        static const u8 oack[] = { 0, TFTP_OACK, 't', 's', 'i', 'z', 'e', 0
                                   , '1', 0 };
        send_from(SRV_TID, oack, sizeof(oack));
        send_from(SRV_TID, oack, 1);
    }
    if (n == T.stranger_at) {
        static const u8 err[] = { 0, TFTP_ERROR, 0, 0, 0 };
        send_from(SRV_TID + 1, pkt, 4 + len);
        send_from(SRV_TID + 1, err, sizeof(err));   // not answered
    }
    if (n == T.drop_once) {
        T.drop_once = 0;
        return;
    }
    send_from(SRV_TID, pkt, 4 + len);
    if (T.dup)
        send_from(SRV_TID, pkt, 4 + len);
}

static u16
oack_opts(u8 *p, u16 blksize)
{
    char text[64];
    int n = 0;
    if (blksize)
        n += sprintf(text + n, "blksize%c%u%c", 0, blksize, 0);
    if (T.tsize)
        n += sprintf(text + n, "tsize%c%u%c", 0, T.size, 0);
    memcpy(p, text, n);
    return n;
}

static void
answer_rrq(const u8 *data, u16 len)
{
    static u8 pkt[600];
    T.rrqs++;
    T.rrq_len = len;
    memcpy(T.rrq, data, len);
    if (T.error_code || T.error_msg) {
        put16(pkt, TFTP_ERROR);
        put16(pkt + 2, T.error_code);
        memcpy(pkt + 4, T.error_msg, T.error_len);
        send_from(SRV_TID, pkt, 4 + T.error_len);
        return;
    }
    if (!T.oack) {
        T.blksize = TFTP_BLKSIZE_DEFAULT;
        send_block(1);
        return;
    }
    // "blksize" is the 4th string of our RRQ: name, mode, tsize, 0.
    const char *s = (const char *)data + 2;
    for (int i = 0; i < 5; i++)
        s += strlen(s) + 1;
    T.blksize = atoi(s);
    if (T.max_blksize && T.blksize > T.max_blksize)
        T.blksize = T.max_blksize;
    put16(pkt, TFTP_OACK);
    u16 n = T.oack_raw ? T.oack_raw_len : oack_opts(pkt + 2, T.blksize);
    if (T.oack_raw)
        memcpy(pkt + 2, T.oack_raw, n);
    send_from(SRV_TID, pkt, 2 + n);
}

static void
answer_ack(u16 block)
{
    T.acks++;
    T.ack0s += !block;
    // The block after the one acknowledged, unless that was the last.
    u32 n = T.sent - (u16)(T.sent - block);
    if (!T.oack && !n)
        return;
    if ((u64)n * T.blksize <= T.size)
        send_block(n + 1);
}

static void
server_tx(struct fakenet *fn, const u8 *frame, u16 len)
{
    struct fk_udp u;
    fk_reply_arp(fn, frame, len, srv_mac);
    if (fk_parse_udp(frame, len, &u) || u.dip != SRV_IP)
        return;
    u16 op = u.data[0] << 8 | u.data[1];
    if (u.dport == TFTP_PORT && op == TFTP_RRQ) {
        T.client_port = u.sport;
        answer_rrq(u.data, u.len);
    } else if (op == TFTP_ACK && u.dport == SRV_TID) {
        answer_ack(u.data[2] << 8 | u.data[3]);
    } else if (op == TFTP_ERROR) {
        T.errors++;
        T.error_code_seen = u.data[2] << 8 | u.data[3];
        T.error_port_seen = u.dport;
    }
}

static int
setup(void **state)
{
    memset(&T, 0, sizeof(T));
    T.oack = T.tsize = 1;
    for (u32 i = 0; i < FILE_MAX; i++)
        file[i] = i * 7 + (i >> 8);
    memset(dest, 0, sizeof(dest));
    fakenet_init(&FN, our_mac);
    FN.on_tx = server_tx;
    netif_init(&NIF, &FN.nd);
    netif_set_ip(&NIF, OUR_IP, fk_ip(255, 255, 255, 0), 0);
    assert_int_equal(netdev_open(&FN.nd), 0);
    memset(&C, 0, sizeof(C));
    return 0;
}

static u32 progress_calls, progress_done, progress_total;
static void
progress(u32 done, u32 total, void *arg)
{
    assert_ptr_equal(arg, &T);
    progress_calls++;
    progress_done = done;
    progress_total = total;
}

static void
get_ok(u32 size, u32 maxlen)
{
    u32 got = 0;
    T.size = size;
    progress_calls = 0;
    assert_int_equal(tftp_get(&TC, &NIF, SRV_IP, "pxelinux.0", dest, maxlen, &got
                              , progress, &T), 0);
    assert_int_equal(got, size);
    assert_memory_equal(dest, file, size);
    assert_int_equal(progress_done, size);
    assert_null(NIF.pcbs);
}

// RFC 2347/2348/2349: options asked for, OACK answered with ACK 0.
static void
test_oack(void **state)
{
    get_ok(5000, sizeof(dest));
    static const char rrq[] = "\0\1pxelinux.0\0octet\0tsize\0" "0\0blksize\0"
                              "1468";
    assert_int_equal(T.rrq_len, sizeof(rrq));
    assert_memory_equal(T.rrq, rrq, sizeof(rrq));
    assert_int_equal(T.blksize, 1468);
    assert_int_equal(T.ack0s, 1);
    assert_int_equal(T.acks, 1 + 4);
    assert_int_equal(progress_calls, 4);
    assert_int_equal(progress_total, 5000);
    assert_int_equal(T.errors, 0);
    // A multiple of the block size ends with an empty block.
    setup(state);
    get_ok(2 * 1468, 2 * 1468);
    assert_int_equal(T.acks, 1 + 3);
    // A smaller MTU asks for smaller blocks.
    setup(state);
    FN.nd.mtu = 1000;
    get_ok(3000, sizeof(dest));
    assert_int_equal(T.blksize, 1000 - 32);
}

// A server that ignores options sends 512-byte blocks right away.
static void
test_no_oack(void **state)
{
    T.oack = 0;
    get_ok(1300, sizeof(dest));
    assert_int_equal(T.ack0s, 0);
    assert_int_equal(T.acks, 3);
    assert_int_equal(progress_total, 0);
    // A file of one short block, read through the block API.
    setup(state);
    T.oack = 0;
    T.size = 100;
    u16 blockno = 0;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 1024), 0);
    assert_int_equal(C.blksize, 512);
    assert_int_equal(tftp_read_block(&C, dest, 512, &blockno), 100);
    assert_int_equal(blockno, 1);
    assert_memory_equal(dest, file, 100);
    assert_int_equal(tftp_read_block(&C, dest, 512, &blockno), TFTP_ECLOSED);
    tftp_close(&C);
    assert_int_equal(T.errors, 0);
}

static void
test_duplicates(void **state)
{
    T.dup = 1;
    get_ok(10000, sizeof(dest));
    assert_int_equal(T.acks, 1 + 7);
}

// RFC 1350 2: a lost DATA is recovered by resending our last ACK.
static void
test_lost_block(void **state)
{
    T.drop_once = 2;
    u32 start = shim_clock;
    get_ok(4000, sizeof(dest));
    assert_int_equal(T.acks, 1 + 3 + 1);
    assert_in_range(shim_clock - start, 1000, 1100);
}

// Block numbers roll over from 65535 to 0.
static void
test_rollover(void **state)
{
    u32 blocks = 65540, size = blocks * 8 + 3, off = 0;
    T.size = size;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "big", 8), 0);
    assert_int_equal(C.blksize, 8);
    assert_int_equal(C.tsize, size);
    for (u32 n = 1; n <= blocks + 1; n++) {
        u16 blockno;
        int len = tftp_read_block(&C, dest + off, 8, &blockno);
        assert_int_equal(len, n <= blocks ? 8 : 3);
        assert_int_equal(blockno, (u16)n);
        off += len;
    }
    assert_int_equal(off, size);
    assert_memory_equal(dest, file, size);
    assert_int_equal(C.state, TFTP_DONE);
    assert_int_equal(T.acks, 1 + blocks + 1);
    tftp_close(&C);
    assert_int_equal(T.errors, 0);
}

static void
test_error_packet(void **state)
{
    u32 got = 1;
    T.error_code = TFTP_ERR_NOTFOUND;
    T.error_msg = "No such file here";
    T.error_len = strlen(T.error_msg) + 1;
    int err = tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "nofile", 0);
    assert_int_equal(err, TFTP_ENOTFOUND);
    assert_string_equal(C.errmsg, "No such file here");
    assert_string_equal(tftp_strerror(&C, err), "No such file here");
    assert_string_equal(tftp_strerror(NULL, err), "file not found");
    assert_null(NIF.pcbs);
    assert_int_equal(C.state, TFTP_CLOSED);
    // A long message without NUL is cut; unknown codes are "server error".
    static char longmsg[300];
    memset(longmsg, 'm', sizeof(longmsg));
    T.error_code = 42;
    T.error_msg = longmsg;
    T.error_len = sizeof(longmsg);
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "x", 0)
                     , TFTP_ESERVER);
    assert_int_equal(strlen(C.errmsg), TFTP_ERRMSG_MAX - 1);
    // No message at all.
    T.error_code = 2;
    T.error_len = 0;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "x", 0)
                     , TFTP_EACCESS);
    assert_string_equal(tftp_strerror(&C, TFTP_EACCESS), "access violation");
    assert_int_equal(tftp_get(&TC, &NIF, SRV_IP, "x", dest, 10, &got, NULL, NULL)
                     , TFTP_EACCESS);
    assert_int_equal(got, 0);
    assert_int_equal(T.errors, 0);
}

// RFC 1350 4: DATA from another port gets ERROR 5; the transfer goes on.
static void
test_wrong_tid(void **state)
{
    T.stranger_at = 2;
    get_ok(3000, sizeof(dest));
    assert_int_equal(T.errors, 1);
    assert_int_equal(T.error_code_seen, TFTP_ERR_UNKNOWN_TID);
    assert_int_equal(T.error_port_seen, SRV_TID + 1);
}

static void
test_timeouts(void **state)
{
    // No answer to the RRQ: 5 tries, a second apart.
    FN.on_tx = NULL;
    u32 start = shim_clock;
    u8 arp[60];
    fakenet_push(&FN, arp, fk_arp(arp, 2, our_mac, srv_mac, SRV_IP, our_mac
                                  , OUR_IP));
    assert_int_equal(net_poll(&NIF), 1);    // the server's MAC is known
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0)
                     , NET_ETIMEDOUT);
    assert_int_equal(FN.tx_count, 5);
    assert_in_range(shim_clock - start, 5000, 5100);
    assert_null(NIF.pcbs);
    // Silence after block 2: ACK 2 is sent 5 times, then NET_ETIMEDOUT.
    setup(state);
    T.silent_after = 2;
    T.size = 10000;
    u32 got;
    assert_int_equal(tftp_get(&TC, &NIF, SRV_IP, "f", dest, sizeof(dest), &got
                              , NULL, NULL), NET_ETIMEDOUT);
    assert_int_equal(got, 2 * 1468);
    assert_int_equal(T.acks, 1 + 2 + 4);
    assert_int_equal(T.errors, 1);      // the server is told we gave up
}

static void
test_too_large(void **state)
{
    u32 got;
    // Known from tsize: fail at once, and tell the server.
    T.size = 3000;
    assert_int_equal(tftp_get(&TC, &NIF, SRV_IP, "f", dest, 2999, &got, NULL, NULL)
                     , TFTP_ETOOLARGE);
    assert_int_equal(got, 0);
    assert_int_equal(T.errors, 1);
    assert_int_equal(T.error_code_seen, TFTP_ERR_UNDEF);
    assert_int_equal(T.error_port_seen, SRV_TID);
    // Unknown size: the block that does not fit fails.
    setup(state);
    T.tsize = 0;
    T.size = 3000;
    memset(dest + 2000, 0xcc, 10);
    assert_int_equal(tftp_get(&TC, &NIF, SRV_IP, "f", dest, 2000, &got, NULL, NULL)
                     , TFTP_ETOOLARGE);
    assert_int_equal(got, 1468);
    assert_int_equal(dest[2000], 0xcc);
    assert_int_equal(T.errors, 1);
    // Exact fits.
    setup(state);
    T.tsize = 0;
    get_ok(2 * 1468, 2 * 1468);
    setup(state);
    get_ok(1000, 1000);
    setup(state);
    T.oack = 0;
    get_ok(512, 512);
}

// RFC 2347: an OACK we cannot accept is refused with ERROR 8.
static void
test_bad_oack(void **state)
{
    static const struct { const char *opts; u16 len; } cases[] = {
        { "blksize\0" "1469", 13 },         // more than we asked for
        { "blksize\0" "7", 10 },            // RFC 2348 minimum is 8
        { "timeout\0" "5", 10 },            // not asked for
        { "tsize\0" "12x", 10 },            // not a number
        { "tsize\0" "12", 8 },              // value not terminated
    };
    for (int i = 0; i < ARRAY_SIZE(cases); i++) {
        setup(state);
        T.oack_raw = (const u8 *)cases[i].opts;
        T.oack_raw_len = cases[i].len;
        assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0)
                         , TFTP_EOPTNEG);
        assert_int_equal(T.errors, 1);
        assert_int_equal(T.error_code_seen, TFTP_ERR_OPTNEG);
        assert_null(NIF.pcbs);
    }
    // A server that grants less is fine, and upper case names too.
    setup(state);
    T.oack_raw = (const u8 *)"BLKSIZE\0" "1024\0TSize\0" "2000";
    T.oack_raw_len = 24;
    T.size = 2000;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    assert_int_equal(C.blksize, 1024);
    assert_int_equal(C.tsize, 2000);
    tftp_close(&C);
}

// Closing early sends ERROR; reads then fail cleanly.
static void
test_close_and_misuse(void **state)
{
    u16 blockno;
    T.size = 5000;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    assert_int_equal(tftp_read_block(&C, dest, 100, &blockno), TFTP_ETOOLARGE);
    assert_int_equal(tftp_read_block(&C, dest, 100, &blockno), TFTP_ETOOLARGE);
    tftp_close(&C);
    assert_int_equal(T.errors, 1);
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    assert_int_equal(tftp_read_block(&C, dest, 1468, &blockno), 1468);
    tftp_close(&C);
    assert_int_equal(T.errors, 2);
    assert_int_equal(T.error_code_seen, TFTP_ERR_UNDEF);
    assert_int_equal(tftp_read_block(&C, dest, 1468, &blockno), TFTP_ECLOSED);
    tftp_close(&C);
    assert_null(NIF.pcbs);
    // File names: empty, too long.
    static char name[TFTP_FILENAME_MAX + 2];
    memset(name, 'n', sizeof(name) - 1);
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "", 0), NET_EINVAL);
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, name, 0)
                     , NET_EINVAL);
    name[TFTP_FILENAME_MAX] = 0;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, name, 0), 0);
    assert_int_equal(T.rrq_len, 2 + TFTP_FILENAME_MAX + 1 + 6 + 6 + 2 + 8 + 5);
    tftp_close(&C);
}

// Packets from other hosts are ignored.
static void
test_other_host(void **state)
{
    T.size = 100;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    u8 pkt[8] = { 0, 3, 0, 1, 'e', 'v', 'i', 'l' };
    struct fk_udp u = { .sip = fk_ip(10, 0, 2, 66), .dip = OUR_IP
                        , .sport = SRV_TID, .dport = T.client_port
                        , .data = pkt, .len = 8 };
    memcpy(u.dmac, our_mac, ETH_ALEN);
    memcpy(u.smac, srv_mac, ETH_ALEN);
    u8 frame[ETH_FRAME_LEN];
    FN.rx_count = 0;        // the real block 1 is lost
    fakenet_push(&FN, frame, fk_udp_frame(frame, &u));
    T.sent = 0;
    u16 blockno;
    assert_int_equal(tftp_read_block(&C, dest, 1468, &blockno), 100);
    assert_memory_equal(dest, file, 100);
    assert_int_equal(T.errors, 0);
    tftp_close(&C);
}

// Protocol breaches and noise from the server's TID.
static void
test_server_misbehaves(void **state)
{
    u16 blockno;
    T.size = 3000;
    T.oversize = 1;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 1024), 0);
    assert_int_equal(tftp_read_block(&C, dest, 2000, &blockno), TFTP_EPROTO);
    tftp_close(&C);
    assert_int_equal(T.errors, 1);
    setup(state);
    T.oack = 0;
    T.oversize = 1;
    T.size = 3000;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0)
                     , TFTP_EPROTO);
    // A repeated OACK and a damaged packet are ignored.
    setup(state);
    T.noise = 1;
    get_ok(3000, sizeof(dest));
    // Late packets after the last block are ignored.
    setup(state);
    T.size = 100;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    assert_int_equal(tftp_read_block(&C, dest, 1468, &blockno), 100);
    unsigned sent = FN.tx_count;
    send_block(1);
    assert_int_equal(net_poll(&NIF), 1);
    assert_int_equal(FN.tx_count, sent);
    assert_int_equal(C.state, TFTP_DONE);
    tftp_close(&C);
    assert_int_equal(T.errors, 0);
}

// Device failures end the transfer with NET_EDEV.
static void
test_device_failure(void **state)
{
    u16 blockno;
    T.size = 5000;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    FN.tx_result = NETDEV_ERROR;
    assert_int_equal(tftp_read_block(&C, dest, 1468, &blockno), NET_EDEV);
    tftp_close(&C);
    setup(state);
    T.size = 5000;
    T.drop_once = 1;
    assert_int_equal(tftp_open(&C, &NIF, SRV_IP, TFTP_PORT, "f", 0), 0);
    FN.tx_result = NETDEV_ERROR;    // resending ACK 0 fails
    assert_int_equal(tftp_read_block(&C, dest, 1468, &blockno), NET_EDEV);
    assert_string_equal(tftp_strerror(&C, NET_EDEV), "network device error");
    tftp_close(&C);
    assert_null(NIF.pcbs);
}


/****************************************************************
 * tftp_parse
 ****************************************************************/

static void
test_parse(void **state)
{
    struct tftp_pkt p;
    assert_int_equal(tftp_parse((const u8 *)"\0", 1, &p), TFTP_EPROTO);
    assert_int_equal(tftp_parse((const u8 *)"\0\3\0", 3, &p), TFTP_EPROTO);
    assert_int_equal(p.opcode, TFTP_DATA);
    assert_int_equal(tftp_parse((const u8 *)"\0\3\1\2", 4, &p), 0);
    assert_int_equal(p.block, 0x102);
    assert_int_equal(p.len, 0);
    for (int op = 0; op <= 7; op++) {
        u8 pkt[4] = { 0, op, 0, 1 };
        if (op != TFTP_DATA && op != TFTP_ERROR && op != TFTP_OACK)
            assert_int_equal(tftp_parse(pkt, 4, &p), TFTP_EPROTO);
    }
    assert_int_equal(tftp_parse((const u8 *)"\0\5\0\1abc", 7, &p), 0);
    assert_int_equal(p.errcode, 1);
    assert_int_equal(p.len, 3);
    assert_int_equal(tftp_parse((const u8 *)"\0\5\0\1a\0bc", 8, &p), 0);
    assert_int_equal(p.len, 1);
    // OACK: empty is fine; bounds of names, values and numbers.
    assert_int_equal(tftp_parse((const u8 *)"\0\6", 2, &p), 0);
    assert_int_equal(p.opts, 0);
    static const struct { const char *s; u16 len; int ok; u32 tsize; } oacks[] = {
        { "\0\6tsize\0" "4294967295", 18, 0, 0 },
        { "\0\6tsize\0" "4294967295\0", 19, 1, 4294967295u },
        { "\0\6tsize\0" "4294967296\0", 19, 0, 0 },
        { "\0\6tsize\0" "99999999999\0", 20, 0, 0 },
        { "\0\6tsize\0\0", 9, 0, 0 },
        { "\0\6tsize", 7, 0, 0 },
        { "\0\6\0" "5\0", 5, 0, 0 },
        { "\0\6tsize\0" "5\0tsize\0" "6\0", 18, 1, 6 },
        { "\0\6blksize\0" "65464\0", 16, 1, 0 },
        { "\0\6blksize\0" "65465\0", 16, 0, 0 },
    };
    for (int i = 0; i < ARRAY_SIZE(oacks); i++) {
        int ret = tftp_parse((const u8 *)oacks[i].s, oacks[i].len, &p);
        assert_int_equal(ret, oacks[i].ok ? 0 : TFTP_EPROTO);
        assert_int_equal(p.opcode, TFTP_OACK);
        if (ret)
            continue;
        assert_int_equal(p.tsize, oacks[i].tsize);
    }
    assert_int_equal(tftp_parse((const u8 *)"\0\6blksize\0" "65464", 16, &p), 0);
    assert_int_equal(p.blksize, 65464);
    assert_int_equal(p.opts, TFTP_OPT_BLKSIZE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_oack, setup),
        cmocka_unit_test_setup(test_no_oack, setup),
        cmocka_unit_test_setup(test_duplicates, setup),
        cmocka_unit_test_setup(test_lost_block, setup),
        cmocka_unit_test_setup(test_rollover, setup),
        cmocka_unit_test_setup(test_error_packet, setup),
        cmocka_unit_test_setup(test_wrong_tid, setup),
        cmocka_unit_test_setup(test_timeouts, setup),
        cmocka_unit_test_setup(test_too_large, setup),
        cmocka_unit_test_setup(test_bad_oack, setup),
        cmocka_unit_test_setup(test_close_and_misuse, setup),
        cmocka_unit_test_setup(test_other_host, setup),
        cmocka_unit_test_setup(test_server_misbehaves, setup),
        cmocka_unit_test_setup(test_device_failure, setup),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
