// Unit tests: the DHCP client against a scripted server, and dhcp_parse()
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "fakenet.h" // struct fakenet
#include "net/dhcp.h" // dhcp_run
#include "shimctl.h" // shim_clock

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 srv_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
static const u8 uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
#define SRV_IP   fk_ip(10, 0, 2, 2)
#define YIADDR   fk_ip(10, 0, 2, 15)
#define XID      0x11223344

static struct fakenet FN;
static struct netif NIF;
static struct dhcp_lease LEASE;

// The scripted server: what it saw, and how it answers.
static struct server {
    int discovers, requests;
    u32 xid;                    // of the last message
    u8 msg[DHCP_PKT_MAX];       // the last message
    u16 len;
    struct fk_udp udp;          // its UDP header fields
    void (*on_discover)(void);
    void (*on_request)(void);
    int naks;                   // NAK this many REQUESTs first
    int statuses;
} S;

// A server reply as the tests vary it.
struct reply {
    u8 type;                    // option 53 (0: none)
    u32 xid, yiaddr, siaddr;
    const u8 *opts;             // more options (after 53, before END)
    u16 olen;
    const u8 *file, *sname;     // raw field contents
    u8 file_len, sname_len;
    u16 sport;                  // 0: 67
};

// Find option CODE in a message we sent (options area only).
static const u8 *
find_opt(const u8 *msg, u16 len, u8 code, u8 *olen)
{
    u16 i = 240;
    while (i + 1 < len && msg[i] != 255) {
        if (msg[i] == 0) {
            i++;
            continue;
        }
        if (msg[i] == code) {
            *olen = msg[i + 1];
            return msg + i + 2;
        }
        i += 2 + msg[i + 1];
    }
    return NULL;
}

static void
send_reply(const struct reply *r)
{
    static u8 pkt[DHCP_PKT_MAX];
    memset(pkt, 0, sizeof(pkt));
    u32 magic = 0x63538263;     // 99.130.83.99 as bytes
    pkt[0] = 2;
    pkt[1] = 1;
    pkt[2] = 6;
    u32 xid = __builtin_bswap32(r->xid ? r->xid : S.xid);
    memcpy(pkt + 4, &xid, 4);
    memcpy(pkt + 16, &r->yiaddr, 4);
    memcpy(pkt + 20, &r->siaddr, 4);
    memcpy(pkt + 28, our_mac, ETH_ALEN);
    if (r->sname)
        memcpy(pkt + 44, r->sname, r->sname_len);
    if (r->file)
        memcpy(pkt + 108, r->file, r->file_len);
    memcpy(pkt + 236, &magic, 4);
    u16 n = 240;
    if (r->type) {
        u8 t[] = { 53, 1, r->type };
        memcpy(pkt + n, t, 3);
        n += 3;
    }
    if (r->opts)
        memcpy(pkt + n, r->opts, r->olen);
    n += r->olen;
    pkt[n++] = 255;
    struct fk_udp u = { .sip = SRV_IP, .dip = IP_BROADCAST
                        , .sport = r->sport ? r->sport : 67, .dport = 68
                        , .data = pkt, .len = n };
    memcpy(u.dmac, fk_bcast, ETH_ALEN);
    memcpy(u.smac, srv_mac, ETH_ALEN);
    u8 frame[ETH_FRAME_LEN];
    fakenet_push(&FN, frame, fk_udp_frame(frame, &u));
}

static const u8 std_opts[] = {
    54, 4, 10, 0, 2, 2,
    1, 4, 255, 255, 255, 0,
    3, 8, 10, 0, 2, 1, 10, 0, 2, 3,
    51, 4, 0, 0, 0x0e, 0x10,
    67, 11, 'p', 'x', 'e', 'l', 'i', 'n', 'u', 'x', '.', '0', 0,
    17, 9, '/', 'r', 'o', 'o', 't', 'p', 'a', 't', 'h',
};

static void
std_offer(void)
{
    struct reply r = { .type = DHCPOFFER, .yiaddr = YIADDR, .siaddr = SRV_IP
                       , .opts = std_opts, .olen = sizeof(std_opts) };
    send_reply(&r);
}

static void
std_ack(void)
{
    struct reply r = { .type = S.naks ? DHCPNAK : DHCPACK, .yiaddr = YIADDR
                       , .siaddr = SRV_IP, .opts = std_opts
                       , .olen = sizeof(std_opts) };
    if (S.naks) {
        S.naks--;
        r.yiaddr = r.siaddr = 0;
        r.olen = 6;     // just the server id
    }
    send_reply(&r);
}

static void
server_tx(struct fakenet *fn, const u8 *frame, u16 len)
{
    struct fk_udp u;
    if (fk_parse_udp(frame, len, &u) || u.dport != 67)
        return;
    u8 olen;
    const u8 *type = find_opt(u.data, u.len, 53, &olen);
    assert_non_null(type);
    S.udp = u;
    S.len = u.len;
    memcpy(S.msg, u.data, u.len);
    S.xid = u.data[4] << 24 | u.data[5] << 16 | u.data[6] << 8 | u.data[7];
    if (*type == DHCPDISCOVER) {
        S.discovers++;
        if (S.on_discover)
            S.on_discover();
    } else if (*type == DHCPREQUEST) {
        S.requests++;
        if (S.on_request)
            S.on_request();
    }
}

static void
count_status(const char *msg)
{
    S.statuses++;
}

static int
setup(void **state)
{
    memset(&S, 0, sizeof(S));
    S.on_discover = std_offer;
    S.on_request = std_ack;
    fakenet_init(&FN, our_mac);
    FN.on_tx = server_tx;
    netif_init(&NIF, &FN.nd);
    assert_int_equal(netdev_open(&FN.nd), 0);
    return 0;
}

static void
expect_opt(const u8 *msg, u16 len, u8 code, const void *val, u8 vlen)
{
    u8 olen;
    const u8 *v = find_opt(msg, len, code, &olen);
    assert_non_null(v);
    assert_int_equal(olen, vlen);
    assert_memory_equal(v, val, vlen);
}

// Options every message of ours carries (PXE 2.1, RFC 4578).
static void
expect_client_opts(const u8 *msg, u16 len, int with_uuid)
{
    static const u8 maxsize[] = { 0x05, 0xc0 }, arch[] = { 0, 0 }
        , ndi[] = { 1, 2, 1 }, prl[] = { 1, 3, 6, 12, 15, 17, 43, 54, 60, 66
                                         , 67, 128, 129, 130, 131, 132, 133
                                         , 134, 135 };
    static const char vc[] = "PXEClient:Arch:00000:UNDI:002001";
    u8 cid[7] = { 1 }, u97[17] = { 0 }, olen;
    memcpy(cid + 1, our_mac, ETH_ALEN);
    memcpy(u97 + 1, uuid, 16);
    assert_int_equal(msg[0], 1);
    assert_int_equal(msg[1], 1);
    assert_int_equal(msg[2], 6);
    assert_int_equal(msg[10], 0x80);        // broadcast flag
    assert_memory_equal(msg + 28, our_mac, ETH_ALEN);
    assert_int_equal(msg[236], 99);
    assert_int_equal(msg[239], 99);
    expect_opt(msg, len, 57, maxsize, 2);
    expect_opt(msg, len, 93, arch, 2);
    expect_opt(msg, len, 94, ndi, 3);
    expect_opt(msg, len, 60, vc, sizeof(vc) - 1);
    expect_opt(msg, len, 55, prl, sizeof(prl));
    expect_opt(msg, len, 61, cid, 7);
    if (with_uuid)
        expect_opt(msg, len, 97, u97, 17);
    else
        assert_null(find_opt(msg, len, 97, &olen));
    assert_int_equal(msg[len - 1], 255);
}

static void
test_dora(void **state)
{
    assert_int_equal(dhcp_run(&NIF, uuid, XID, &LEASE, count_status), 0);
    assert_int_equal(S.discovers, 1);
    assert_int_equal(S.requests, 1);
    assert_int_equal(S.xid, XID);
    // The REQUEST (RFC 2131 4.3.2 SELECTING): ciaddr 0, 50 and 54 set.
    u8 req_ip[] = { 10, 0, 2, 15 }, srv[] = { 10, 0, 2, 2 }, type = 3;
    expect_client_opts(S.msg, S.len, 1);
    expect_opt(S.msg, S.len, 53, &type, 1);
    expect_opt(S.msg, S.len, 50, req_ip, 4);
    expect_opt(S.msg, S.len, 54, srv, 4);
    assert_int_equal(S.udp.sip, 0);
    assert_int_equal(S.udp.dip, IP_BROADCAST);
    assert_int_equal(S.udp.sport, 68);
    assert_memory_equal(S.udp.dmac, fk_bcast, ETH_ALEN);
    // The DISCOVER kept for PXE is the one sent.
    type = 1;
    expect_client_opts(LEASE.discover, LEASE.discover_len, 1);
    expect_opt(LEASE.discover, LEASE.discover_len, 53, &type, 1);
    assert_null(find_opt(LEASE.discover, LEASE.discover_len, 50, &type));
    struct fk_udp u;
    const struct fake_frame *f = fakenet_sent(&FN, 0);
    assert_int_equal(fk_parse_udp(f->data, f->len, &u), 0);
    assert_int_equal(u.len, LEASE.discover_len);
    assert_memory_equal(u.data, LEASE.discover, u.len);
    // The lease and the interface.
    assert_int_equal(LEASE.yiaddr, YIADDR);
    assert_int_equal(LEASE.siaddr, SRV_IP);
    assert_int_equal(LEASE.server_id, SRV_IP);
    assert_int_equal(LEASE.netmask, fk_ip(255, 255, 255, 0));
    assert_int_equal(LEASE.router, fk_ip(10, 0, 2, 1));
    assert_int_equal(LEASE.lease_time, 3600);
    assert_string_equal(LEASE.bootfile, "pxelinux.0");
    assert_string_equal(LEASE.root_path, "/rootpath");
    assert_string_equal(LEASE.server_name, "");
    assert_int_equal(LEASE.proxy_len, 0);
    assert_true(LEASE.ack_len > 240);
    assert_int_equal(LEASE.ack[0], 2);
    assert_int_equal(NIF.ip, YIADDR);
    assert_int_equal(NIF.netmask, LEASE.netmask);
    assert_int_equal(NIF.gateway, LEASE.router);
    assert_int_equal(S.statuses, 3);
}

static void
test_no_uuid(void **state)
{
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    expect_client_opts(LEASE.discover, LEASE.discover_len, 0);
    expect_client_opts(S.msg, S.len, 0);
}

// ProxyDHCP (PXE 2.1): an offer with "PXEClient" and no address is kept;
// when the ACK names no boot file the proxy's file and server are used.
static const u8 proxy_file[] = "proxy.0";
static void
proxy_then_offer(void)
{
    static const u8 opts[] = { 54, 4, 10, 0, 2, 9, 60, 9, 'P', 'X', 'E', 'C'
                               , 'l', 'i', 'e', 'n', 't' };
    struct reply r = { .type = DHCPOFFER, .siaddr = fk_ip(10, 0, 2, 9)
                       , .opts = opts, .olen = sizeof(opts), .file = proxy_file
                       , .file_len = sizeof(proxy_file) };
    send_reply(&r);
    r.siaddr = fk_ip(10, 0, 2, 10);     // a second proxy offer is not kept
    send_reply(&r);
    std_offer();
}

static void
ack_without_file(void)
{
    struct reply r = { .type = DHCPACK, .yiaddr = YIADDR, .opts = std_opts
                       , .olen = 28 };  // up to the lease time
    send_reply(&r);
}

static void
test_proxy(void **state)
{
    S.on_discover = proxy_then_offer;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_true(LEASE.proxy_len > 240);
    assert_memory_equal(LEASE.proxy + 20, "\x0a\x00\x02\x09", 4);
    assert_string_equal(LEASE.bootfile, "pxelinux.0");
    assert_int_equal(LEASE.siaddr, SRV_IP);
    // Again, with an ACK that names no file.
    setup(state);
    S.on_discover = proxy_then_offer;
    S.on_request = ack_without_file;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_string_equal(LEASE.bootfile, "proxy.0");
    assert_int_equal(LEASE.siaddr, fk_ip(10, 0, 2, 9));
    assert_int_equal(LEASE.yiaddr, YIADDR);
}

// A NAK restarts discovery once, with a new xid; a second NAK fails.
static void
test_nak(void **state)
{
    S.naks = 1;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_int_equal(S.discovers, 2);
    assert_int_equal(S.requests, 2);
    assert_int_equal(S.xid, XID + 1);
    assert_int_equal(NIF.ip, YIADDR);
    setup(state);
    S.naks = 2;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), NET_ENAK);
    assert_int_equal(S.discovers, 2);
    assert_int_equal(NIF.ip, 0);
}

// RFC 2132 9.3: options in the file and sname fields.
static void
overloaded_ack(void)
{
    static const u8 opts[] = { 54, 4, 10, 0, 2, 2, 52, 1, 3 };
    static const u8 file[] = { 67, 6, 'o', 'v', 'e', 'r', '.', '0', 0, 0
                               , 52, 1, 0, 255 };
    static const u8 sname[] = { 66, 3, 's', 'r', 'v', 17, 3, '/', 'r', 'p', 255 };
    struct reply r = { .type = DHCPACK, .yiaddr = YIADDR, .opts = opts
                       , .olen = sizeof(opts), .file = file
                       , .file_len = sizeof(file), .sname = sname
                       , .sname_len = sizeof(sname) };
    send_reply(&r);
}

static void
test_overload(void **state)
{
    S.on_request = overloaded_ack;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_string_equal(LEASE.bootfile, "over.0");
    assert_string_equal(LEASE.server_name, "srv");
    assert_string_equal(LEASE.root_path, "/rp");
    // Class A address without option 1.
    assert_int_equal(LEASE.netmask, fk_ip(255, 0, 0, 0));
}

// Without options 66/67 the sname and file fields are the strings.
static void
field_ack(void)
{
    static const u8 opts[] = { 54, 4, 10, 0, 2, 2 };
    static const u8 file[] = "boot/field.0", sname[] = "tftp-host";
    struct reply r = { .type = DHCPACK, .yiaddr = fk_ip(192, 168, 7, 3)
                       , .opts = opts, .olen = sizeof(opts), .file = file
                       , .file_len = sizeof(file), .sname = sname
                       , .sname_len = sizeof(sname) };
    send_reply(&r);
}

static void
test_fields(void **state)
{
    S.on_request = field_ack;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_string_equal(LEASE.bootfile, "boot/field.0");
    assert_string_equal(LEASE.server_name, "tftp-host");
    assert_int_equal(LEASE.yiaddr, fk_ip(192, 168, 7, 3));
    assert_int_equal(LEASE.netmask, fk_ip(255, 255, 255, 0));
    assert_int_equal(LEASE.lease_time, 0);
}

// Replies that must be ignored, then the good one.
static void
bad_offers(void)
{
    static const u8 truncated[] = { 54, 4, 10, 0, 2, 2, 67, 200, 'x' };
    struct reply r = { .type = DHCPOFFER, .yiaddr = fk_ip(10, 0, 2, 66)
                       , .opts = std_opts, .olen = sizeof(std_opts) };
    r.xid = XID ^ 1;                        // wrong xid
    send_reply(&r);
    r.xid = 0;
    r.sport = 1067;                         // not from a server port
    send_reply(&r);
    r.sport = 0;
    r.opts = truncated;                     // option past the end
    r.olen = sizeof(truncated);
    send_reply(&r);
    r.opts = std_opts + 6;                  // no server identifier
    r.olen = sizeof(std_opts) - 6;
    send_reply(&r);
    r.opts = std_opts;
    r.olen = sizeof(std_opts);
    r.type = 0;                             // plain BOOTP
    send_reply(&r);
    r.type = DHCPACK;                       // not asked for yet
    send_reply(&r);
    std_offer();
}

// The same, but corrupting fixed fields of a raw frame.
static void
corrupt_then_offer(void)
{
    for (int i = 0; i < 4; i++) {
        std_offer();
        struct fake_frame *f = &FN.rx[(FN.rx_head + FN.rx_count - 1) % FAKE_QLEN];
        u8 *d = f->data + 42;
        static const int off[] = { 0, 2, 28, 236 };    // op, hlen, chaddr, magic
        d[off[i]] ^= 0x40;
        d = f->data + 40;                           // UDP checksum off
        d[0] = d[1] = 0;
    }
    bad_offers();
}

static void
test_malformed_ignored(void **state)
{
    S.on_discover = corrupt_then_offer;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_int_equal(LEASE.yiaddr, YIADDR);
    assert_int_equal(S.discovers, 1);
}

// The first offer with an address wins; the ACK must come from its server.
static void
two_offers(void)
{
    static u8 other[sizeof(std_opts)];
    memcpy(other, std_opts, sizeof(other));
    other[5] = 3;
    struct reply r = { .type = DHCPOFFER, .yiaddr = fk_ip(10, 0, 2, 40)
                       , .opts = other, .olen = sizeof(other) };
    send_reply(&r);
    std_offer();
}

static void
ack_from_both(void)
{
    static u8 other[sizeof(std_opts)];
    memcpy(other, std_opts, sizeof(other));
    other[5] = 9;
    struct reply r = { .type = DHCPACK, .yiaddr = fk_ip(10, 0, 2, 41)
                       , .opts = other, .olen = sizeof(other) };
    send_reply(&r);                         // from .9: ignored
    r.type = DHCPNAK;
    send_reply(&r);                         // from .9: ignored
    other[5] = 3;
    r.yiaddr = fk_ip(10, 0, 2, 40);
    r.type = DHCPACK;
    send_reply(&r);
}

static void
test_offer_choice(void **state)
{
    S.on_discover = two_offers;
    S.on_request = ack_from_both;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    u8 want[] = { 10, 0, 2, 40 }, srv[] = { 10, 0, 2, 3 };
    expect_opt(S.msg, S.len, 50, want, 4);
    expect_opt(S.msg, S.len, 54, srv, 4);
    assert_int_equal(S.requests, 1);
    assert_int_equal(NIF.ip, fk_ip(10, 0, 2, 40));
    assert_int_equal(LEASE.server_id, fk_ip(10, 0, 2, 3));
}

// An ACK without an address is ignored; a class B address without option
// 1 gets a /16 netmask.
static void
ack_bad_then_good(void)
{
    static const u8 opts[] = { 54, 4, 10, 0, 2, 2 };
    struct reply r = { .type = DHCPACK, .opts = opts, .olen = sizeof(opts) };
    send_reply(&r);
    r.yiaddr = fk_ip(172, 16, 5, 5);
    send_reply(&r);
}

static void
test_ack_checks(void **state)
{
    S.on_request = ack_bad_then_good;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), 0);
    assert_int_equal(LEASE.yiaddr, fk_ip(172, 16, 5, 5));
    assert_int_equal(LEASE.netmask, fk_ip(255, 255, 0, 0));
    assert_int_equal(LEASE.router, 0);
    assert_string_equal(LEASE.bootfile, "");
}

static void
test_device_closed(void **state)
{
    netdev_close(&FN.nd);
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), NET_EDEV);
}

static void
test_discover_timeout(void **state)
{
    S.on_discover = NULL;
    u32 start = shim_clock;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), NET_ETIMEDOUT);
    assert_int_equal(S.discovers, 4);
    assert_in_range(shim_clock - start, 15000, 15100);
}

static void
test_request_timeout(void **state)
{
    S.on_request = NULL;
    u32 start = shim_clock;
    assert_int_equal(dhcp_run(&NIF, NULL, XID, &LEASE, NULL), NET_ETIMEDOUT);
    assert_int_equal(S.requests, 4);
    assert_in_range(shim_clock - start, 7000, 7100);
    assert_int_equal(NIF.ip, 0);
}


/****************************************************************
 * dhcp_parse
 ****************************************************************/

static u8 pkt[DHCP_PKT_MAX];

static u16
raw(const u8 *opts, u16 olen)
{
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 2;
    pkt[1] = 1;
    pkt[2] = 6;
    pkt[236] = 99;
    pkt[237] = 130;
    pkt[238] = 83;
    pkt[239] = 99;
    if (opts)
        memcpy(pkt + 240, opts, olen);
    return 240 + olen;
}

static void
test_parse_bounds(void **state)
{
    struct dhcp_info info;
    u16 len = raw(NULL, 0);
    assert_int_equal(dhcp_parse(pkt, len, &info), 0);   // no options, no END
    assert_int_equal(dhcp_parse(pkt, len - 1, &info), NET_EPROTO);
    // Pads, then options without END: fine.
    static const u8 pads[] = { 0, 0, 53, 1, 2, 0 };
    assert_int_equal(dhcp_parse(pkt, raw(pads, sizeof(pads)), &info), 0);
    assert_int_equal(info.msgtype, 2);
    // A code without its length byte, a length past the end.
    static const u8 nolen[] = { 53, 1, 2, 54 };
    assert_int_equal(dhcp_parse(pkt, raw(nolen, sizeof(nolen)), &info)
                     , NET_EPROTO);
    static const u8 longlen[] = { 53, 1, 2, 54, 5, 1, 2, 3, 4 };
    assert_int_equal(dhcp_parse(pkt, raw(longlen, sizeof(longlen)), &info)
                     , NET_EPROTO);
    // Anything after END is not looked at.
    static const u8 after_end[] = { 53, 1, 5, 255, 54, 200 };
    assert_int_equal(dhcp_parse(pkt, raw(after_end, sizeof(after_end)), &info)
                     , 0);
    assert_int_equal(info.msgtype, 5);
}

static void
test_parse_values(void **state)
{
    struct dhcp_info info;
    static const u8 opts[] = {
        53, 2, 5, 5,                        // wrong size: ignored
        1, 3, 255, 255, 0,                  // wrong size: ignored
        3, 5, 1, 2, 3, 4, 5,                // not a list of addresses
        54, 4, 1, 2, 3, 4,
        51, 4, 0x01, 0x02, 0x03, 0x04,
        60, 9, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't',
        67, 0,                              // empty: absent
        66, 4, 'a', 0, 'b', 'c',            // stops at the NUL
        52, 1, 0xfc,                        // no overload bits
    };
    u16 len = raw(opts, sizeof(opts));
    memcpy(pkt + 108, "filefield", 9);
    assert_int_equal(dhcp_parse(pkt, len, &info), 0);
    assert_int_equal(info.msgtype, 0);
    assert_int_equal(info.netmask, 0);
    assert_int_equal(info.router, 0);
    assert_int_equal(info.server_id, fk_ip(1, 2, 3, 4));
    assert_int_equal(info.lease_time, 0x01020304);
    assert_true(info.pxeclient);
    assert_int_equal(info.overload, 0);
    assert_int_equal(info.bootfile.len, 9);
    assert_memory_equal(info.bootfile.data, "filefield", 9);
    assert_int_equal(info.server_name.len, 1);
    assert_null(info.root_path.data);
    // A file field with no NUL is taken whole (128 bytes).
    memset(pkt + 108, 'f', 128);
    assert_int_equal(dhcp_parse(pkt, len, &info), 0);
    assert_int_equal(info.bootfile.len, 128);
}

// Option 52 only counts in the options area; a bad overloaded area fails.
static void
test_parse_overload(void **state)
{
    struct dhcp_info info;
    static const u8 opts[] = { 52, 1, 1 };
    u16 len = raw(opts, sizeof(opts));
    static const u8 file[] = { 52, 1, 2, 67, 2, 'o', 'k', 255 };
    memcpy(pkt + 108, file, sizeof(file));
    memcpy(pkt + 44, "sname-string", 12);
    assert_int_equal(dhcp_parse(pkt, len, &info), 0);
    assert_int_equal(info.overload, 1);
    assert_memory_equal(info.bootfile.data, "ok", 2);
    assert_memory_equal(info.server_name.data, "sname-string", 12);
    pkt[108 + 127] = 67;                    // an option cut by the field end
    pkt[108 + 7] = 0;
    assert_int_equal(dhcp_parse(pkt, len, &info), NET_EPROTO);
    // Only sname overloaded: the file field is a string again.
    static const u8 opts2[] = { 52, 1, 2 };
    len = raw(opts2, sizeof(opts2));
    memcpy(pkt + 108, "f.0", 3);
    assert_int_equal(dhcp_parse(pkt, len, &info), 0);
    assert_memory_equal(info.bootfile.data, "f.0", 3);
    assert_null(info.server_name.data);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_dora, setup),
        cmocka_unit_test_setup(test_no_uuid, setup),
        cmocka_unit_test_setup(test_proxy, setup),
        cmocka_unit_test_setup(test_nak, setup),
        cmocka_unit_test_setup(test_overload, setup),
        cmocka_unit_test_setup(test_fields, setup),
        cmocka_unit_test_setup(test_malformed_ignored, setup),
        cmocka_unit_test_setup(test_offer_choice, setup),
        cmocka_unit_test_setup(test_ack_checks, setup),
        cmocka_unit_test_setup(test_device_closed, setup),
        cmocka_unit_test_setup(test_discover_timeout, setup),
        cmocka_unit_test_setup(test_request_timeout, setup),
        cmocka_unit_test(test_parse_bounds),
        cmocka_unit_test(test_parse_values),
        cmocka_unit_test(test_parse_overload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
