// Unit tests: the Internet checksum (RFC 1071) and small stack helpers
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fakenet.h" // fk_csum
#include "net/net.h" // net_checksum
#include "net/tftp.h" // tftp_strerror

// RFC 1071 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
static void
test_rfc1071_example(void **state)
{
    static const u8 data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    assert_int_equal(net_checksum(data, sizeof(data), 0), (u16)~0xddf2);
}

// RFC 1071 2(B): an odd final byte counts as the high byte of a word.
static void
test_odd_length(void **state)
{
    static const u8 data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
                               , 0x12 };
    assert_int_equal(net_checksum(data, sizeof(data), 0)
                     , (u16)~(0xddf2 + 0x1200));
    assert_int_equal(net_checksum(data, 0, 0), 0xffff);
    assert_int_equal(net_checksum(data + 8, 1, 0), (u16)~0x1200);
}

// A real IPv4 header: the stored checksum b861 verifies to zero.
static void
test_ip_header(void **state)
{
    u8 hdr[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11
                 , 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    assert_int_equal(net_checksum(hdr, sizeof(hdr), 0), 0);
    hdr[10] = hdr[11] = 0;
    assert_int_equal(net_checksum(hdr, sizeof(hdr), 0), 0xb861);
}

// Long buffers of 0xff fold carries correctly (compare a plain version).
static void
test_long_buffers(void **state)
{
    static u8 buf[140000];
    u32 lens[] = { 1, 2, 3, 1499, 1500, 65535, 70000, 140000 };
    for (int i = 0; i < sizeof(buf); i++)
        buf[i] = i % 7 ? 0xff : i;
    for (int i = 0; i < ARRAY_SIZE(lens); i++) {
        assert_int_equal(net_checksum(buf, lens[i], 0), fk_csum(buf, lens[i], 0));
        assert_int_equal(net_checksum(buf, lens[i], 0x4fffb)
                         , fk_csum(buf, lens[i], 0x4fffb));
    }
}

// The UDP pseudo header: src, dst, zero, protocol, UDP length.
static void
test_pseudo_header(void **state)
{
    u32 src = fk_ip(10, 0, 2, 15), dst = fk_ip(192, 168, 1, 200);
    u8 ph[] = { 10, 0, 2, 15, 192, 168, 1, 200, 0, 17, 0x01, 0x2c };
    u32 sum = net_pseudo_sum(src, dst, 17, 300);
    assert_int_equal(net_checksum(NULL, 0, sum), fk_csum(ph, sizeof(ph), 0));
}

static void
test_ip_fmt(void **state)
{
    char buf[IP_FMT_LEN];
    assert_string_equal(ip_fmt(buf, fk_ip(10, 0, 2, 15)), "10.0.2.15");
    assert_string_equal(ip_fmt(buf, IP_BROADCAST), "255.255.255.255");
    assert_string_equal(ip_fmt(buf, 0), "0.0.0.0");
    assert_string_equal(ip_fmt(buf, fk_ip(1, 20, 100, 9)), "1.20.100.9");
}

static void
test_strerror(void **state)
{
    assert_string_equal(net_strerror(0), "success");
    assert_string_equal(net_strerror(NET_EARP), "no ARP reply from the next hop");
    assert_string_equal(net_strerror(NET_ETIMEDOUT), "timed out");
    assert_string_equal(net_strerror(1), "unknown error");
    assert_string_equal(net_strerror(NET_ELAST - 1), "unknown error");
    for (int e = NET_ELAST; e < 0; e++)
        assert_non_null(net_strerror(e));
    assert_string_equal(tftp_strerror(NULL, TFTP_ENOTFOUND), "file not found");
    assert_string_equal(tftp_strerror(NULL, TFTP_ETOOLARGE), "file too large");
    assert_string_equal(tftp_strerror(NULL, NET_ETIMEDOUT), "timed out");
    assert_string_equal(tftp_strerror(NULL, TFTP_ELAST - 1), "unknown error");
    for (int e = TFTP_ELAST; e <= TFTP_ESERVER; e++)
        assert_non_null(tftp_strerror(NULL, e));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1071_example),
        cmocka_unit_test(test_odd_length),
        cmocka_unit_test(test_ip_header),
        cmocka_unit_test(test_long_buffers),
        cmocka_unit_test(test_pseudo_header),
        cmocka_unit_test(test_ip_fmt),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
