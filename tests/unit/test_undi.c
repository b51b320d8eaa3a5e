// Unit tests: UNDI receive queue and filters, ISR state machine, transmit
// header builder (src/pxe/undi.c)
//
// Copyright (C) 2026  The pvboot authors
//
// This file may be distributed under the terms of the GNU LGPLv3 license.

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "pxe/undi.h"

static const u8 Mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 Other[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x99 };
static const u8 Bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 Mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };

static struct undi U;

static u16
mkframe(u8 *f, const u8 *dst, u16 type, u16 len)
{
    memset(f, 0xab, len);
    memcpy(f, dst, ETH_ALEN);
    memcpy(f + ETH_ALEN, Other, ETH_ALEN);
    f[12] = type >> 8;
    f[13] = type;
    return len;
}

static void
rx(const u8 *dst, u16 type, u16 len)
{
    u8 f[ETH_FRAME_LEN + 8];
    undi_rx(&U, f, mkframe(f, dst, type, len));
}

static int
setup(void **state)
{
    undi_reset(&U, Mac);
    return 0;
}

static void
test_filters(void **state)
{
    u8 f[64];
    U.filter = FLTR_DIRECTED;
    assert_true(undi_accepts(&U, f, mkframe(f, Mac, 0x800, 60)));
    assert_false(undi_accepts(&U, f, mkframe(f, Other, 0x800, 60)));
    assert_false(undi_accepts(&U, f, mkframe(f, Bcast, 0x800, 60)));
    U.filter = FLTR_DIRECTED | FLTR_BRDCST;
    assert_true(undi_accepts(&U, f, mkframe(f, Bcast, 0x806, 60)));
    assert_false(undi_accepts(&U, f, mkframe(f, Mcast, 0x800, 60)));
    memcpy(U.mcast[0], Mcast, ETH_ALEN);
    U.mcast_count = 1;
    assert_true(undi_accepts(&U, f, mkframe(f, Mcast, 0x800, 60)));
    U.filter = FLTR_PRMSCS;
    assert_true(undi_accepts(&U, f, mkframe(f, Other, 0x800, 60)));
    assert_false(undi_accepts(&U, f, 13));      // shorter than a header
}

// START says OURS once, then NOT_OURS until OUT_DONE re-enables it.
static void
test_isr_start(void **state)
{
    struct undi_isr_result r;
    undi_isr(&U, ISR_IN_START, &r);
    assert_int_equal(r.func, ISR_OUT_OURS);
    undi_isr(&U, ISR_IN_START, &r);
    assert_int_equal(r.func, ISR_OUT_NOT_OURS);
    undi_isr(&U, ISR_IN_PROCESS, &r);
    assert_int_equal(r.func, ISR_OUT_DONE);
    undi_isr(&U, ISR_IN_START, &r);
    assert_int_equal(r.func, ISR_OUT_OURS);
    // A handler that stopped before OUT_DONE: queued work still says OURS.
    rx(Mac, 0x0800, 60);
    undi_isr(&U, ISR_IN_START, &r);
    assert_int_equal(r.func, ISR_OUT_OURS);
}

// Transmit completions first, then one whole frame per call, then DONE.
static void
test_isr_sequence(void **state)
{
    struct undi_isr_result r;
    U.tx_done = 1;
    rx(Mac, 0x0800, 1514);
    rx(Bcast, 0x0806, 60);
    undi_isr(&U, ISR_IN_PROCESS, &r);
    assert_int_equal(r.func, ISR_OUT_TRANSMIT);
    undi_isr(&U, ISR_IN_GET_NEXT, &r);
    assert_int_equal(r.func, ISR_OUT_RECEIVE);
    assert_int_equal(r.len, 1514);
    assert_int_equal(r.prot_type, P_IP);
    assert_int_equal(r.pkt_type, P_DIRECTED);
    undi_isr_consumed(&U);
    undi_isr(&U, ISR_IN_GET_NEXT, &r);
    assert_int_equal(r.func, ISR_OUT_RECEIVE);
    assert_int_equal(r.prot_type, P_ARP);
    assert_int_equal(r.pkt_type, P_BROADCAST);
    undi_isr_consumed(&U);
    undi_isr(&U, ISR_IN_GET_NEXT, &r);
    assert_int_equal(r.func, ISR_OUT_DONE);
    assert_int_equal(U.irq_enabled, 1);
}

// A frame not yet consumed is offered again: nothing is lost.
static void
test_isr_unconsumed_frame_repeats(void **state)
{
    struct undi_isr_result r;
    rx(Mac, 0x8035, 100);
    undi_isr(&U, ISR_IN_PROCESS, &r);
    undi_isr(&U, ISR_IN_PROCESS, &r);
    assert_int_equal(r.func, ISR_OUT_RECEIVE);
    assert_int_equal(r.prot_type, P_RARP);
}

// A slow client: the queue drops and counts, the queued frames survive.
static void
test_queue_full_drops(void **state)
{
    int i;
    for (i = 0; i < UNDI_RXQ_LEN + 5; i++) {
        u8 f[64];
        mkframe(f, Mac, 0x800, 64);
        f[20] = i;
        undi_rx(&U, f, 64);
    }
    assert_int_equal(U.rx_count, UNDI_RXQ_LEN);
    assert_int_equal(U.rx_dropped, 5);
    struct undi_isr_result r;
    for (i = 0; i < UNDI_RXQ_LEN; i++) {
        undi_isr(&U, ISR_IN_GET_NEXT, &r);
        assert_int_equal(r.func, ISR_OUT_RECEIVE);
        assert_int_equal(r.frame[20], i);
        undi_isr_consumed(&U);
    }
    undi_isr(&U, ISR_IN_GET_NEXT, &r);
    assert_int_equal(r.func, ISR_OUT_DONE);
    undi_rx(&U, (u8[ETH_FRAME_LEN + 1]){0}, ETH_FRAME_LEN + 1);
    assert_int_equal(U.rx_count, 0);
}

static void
test_build_header(void **state)
{
    u8 h[ETH_HLEN];
    assert_int_equal(undi_build_header(h, P_IP, Other, Mac), ETH_HLEN);
    assert_memory_equal(h, Other, ETH_ALEN);
    assert_memory_equal(h + 6, Mac, ETH_ALEN);
    assert_int_equal(h[12], 0x08);
    assert_int_equal(h[13], 0x00);
    assert_int_equal(undi_build_header(h, P_ARP, NULL, Mac), ETH_HLEN);
    assert_memory_equal(h, Bcast, ETH_ALEN);
    assert_int_equal(h[13], 0x06);
    assert_int_equal(undi_build_header(h, P_RARP, NULL, Mac), ETH_HLEN);
    assert_int_equal(h[12], 0x80);
    assert_int_equal(h[13], 0x35);
    assert_int_equal(undi_build_header(h, P_UNKNOWN, NULL, Mac), -1);
    assert_int_equal(undi_build_header(h, 7, NULL, Mac), -1);
}

// RFC 1112 6.4: 224.1.2.3 and 239.129.2.3 map to 01:00:5e:01:02:03.
static void
test_mcast_mac(void **state)
{
    u8 mac[ETH_ALEN];
    u8 ip[4] = { 224, 1, 2, 3 };
    u32 a;
    memcpy(&a, ip, 4);
    undi_mcast_mac(a, mac);
    assert_memory_equal(mac, Mcast, ETH_ALEN);
    ip[0] = 239;
    ip[1] = 129;
    memcpy(&a, ip, 4);
    undi_mcast_mac(a, mac);
    assert_memory_equal(mac, Mcast, ETH_ALEN);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_filters, setup),
        cmocka_unit_test_setup(test_isr_start, setup),
        cmocka_unit_test_setup(test_isr_sequence, setup),
        cmocka_unit_test_setup(test_isr_unconsumed_frame_repeats, setup),
        cmocka_unit_test_setup(test_queue_full_drops, setup),
        cmocka_unit_test_setup(test_build_header, setup),
        cmocka_unit_test_setup(test_mcast_mac, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
