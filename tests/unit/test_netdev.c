// Unit tests: the netdev registry and its open/close/transmit/poll wrappers
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

static struct fakenet A, B, C;
static const u8 mac_a[ETH_ALEN] = { 2, 0, 0, 0, 0, 0xa };
static const u8 mac_b[ETH_ALEN] = { 2, 0, 0, 0, 0, 0xb };
static const u8 mac_c[ETH_ALEN] = { 2, 0, 0, 0, 0, 0xc };

// Registration keeps order; registering twice changes nothing.
static void
test_register_order(void **state)
{
    fakenet_init(&A, mac_a);
    fakenet_init(&B, mac_b);
    fakenet_init(&C, mac_c);
    assert_null(netdev_list());
    netdev_register(&A.nd);
    netdev_register(&B.nd);
    netdev_register(&A.nd);
    netdev_register(&C.nd);
    assert_ptr_equal(netdev_list(), &A.nd);
    assert_ptr_equal(A.nd.next, &B.nd);
    assert_ptr_equal(B.nd.next, &C.nd);
    assert_null(C.nd.next);
}

static void
test_open_close(void **state)
{
    B.open_result = -5;
    assert_int_equal(netdev_open(&B.nd), -5);
    assert_false(B.nd.is_open);
    B.open_result = 0;
    B.opens = 0;
    assert_int_equal(netdev_open(&A.nd), 0);
    assert_int_equal(netdev_open(&A.nd), 0);
    assert_int_equal(A.opens, 1);
    assert_true(A.nd.is_open);
    assert_int_equal(netdev_open(&C.nd), 0);
    netdev_close(&B.nd);    // never opened: the driver is not called
    assert_int_equal(B.closes, 0);
    netdev_close_all();
    assert_int_equal(A.closes, 1);
    assert_int_equal(C.closes, 1);
    assert_false(A.nd.is_open);
    assert_false(C.nd.is_open);
    netdev_close(&A.nd);
    assert_int_equal(A.closes, 1);
}

// A closed device takes nothing and yields nothing.
static void
test_closed_device(void **state)
{
    u8 frame[ETH_ZLEN] = { 0 }, buf[ETH_FRAME_LEN];
    u32 errors = B.nd.stats.tx_errors;
    assert_int_equal(netdev_transmit(&B.nd, frame, sizeof(frame)), NETDEV_ERROR);
    assert_int_equal(B.nd.stats.tx_errors, errors + 1);
    assert_int_equal(B.tx_count, 0);
    fakenet_push(&B, frame, sizeof(frame));
    assert_int_equal(netdev_poll(&B.nd, buf, sizeof(buf)), 0);
    assert_int_equal(B.rx_count, 1);
}

// Runts are zero-padded to 60 bytes before the driver sees them.
static void
test_padding_and_stats(void **state)
{
    u8 frame[ETH_FRAME_LEN + 1], buf[ETH_FRAME_LEN];
    memset(frame, 0xee, sizeof(frame));
    assert_int_equal(netdev_open(&B.nd), 0);
    assert_int_equal(netdev_transmit(&B.nd, frame, 42), 0);
    const struct fake_frame *f = fakenet_last(&B);
    assert_int_equal(f->len, ETH_ZLEN);
    assert_memory_equal(f->data, frame, 42);
    for (int i = 42; i < ETH_ZLEN; i++)
        assert_int_equal(f->data[i], 0);
    assert_int_equal(netdev_transmit(&B.nd, frame, ETH_FRAME_LEN), 0);
    assert_int_equal(fakenet_last(&B)->len, ETH_FRAME_LEN);
    assert_int_equal(netdev_transmit(&B.nd, frame, ETH_FRAME_LEN + 1)
                     , NETDEV_ERROR);
    B.tx_busy = 1;
    assert_int_equal(netdev_transmit(&B.nd, frame, 100), NETDEV_BUSY);
    assert_int_equal(B.nd.stats.tx_frames, 2);
    assert_int_equal(B.nd.stats.tx_errors, 2);
    assert_int_equal(netdev_poll(&B.nd, buf, sizeof(buf)), ETH_ZLEN);
    assert_int_equal(netdev_poll(&B.nd, buf, sizeof(buf)), 0);
    assert_int_equal(B.nd.stats.rx_frames, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_order),
        cmocka_unit_test(test_open_close),
        cmocka_unit_test(test_closed_device),
        cmocka_unit_test(test_padding_and_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
