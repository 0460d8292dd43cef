/* test_cx_pending.c - the authentications in flight kept in memory: what a
 * note records, expiry, lease generations, ending pairs, and every way the
 * table refuses a note (so that the MAR stores the state instead).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cx_pending.h"

#define T0 1000
#define TTL 300
#define S1 "sip:scscf1.ims.test"
#define S2 "sip:scscf2.ims.test"

static int setup(void **state)
{
    *state = cx_pending_new(0);
    return *state != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    cx_pending_free(*state);
    return 0;
}

static void test_note_has_scscf(void **state)
{
    struct cx_pending *p = *state;
    char name[300];

    assert_false(cx_pending_has(p, 7, 0, 1, 2, T0));
    assert_false(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_string_equal(name, "");
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_true(cx_pending_has(p, 7, 0, 1, 2, T0));
    assert_false(cx_pending_has(p, 7, 0, 1, 3, T0)); /* another pair */
    assert_false(cx_pending_has(p, 8, 0, 1, 2, T0)); /* another sub */
    assert_true(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_string_equal(name, S1);
    /* the last MAR's S-CSCF is the subscription's */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 3, S2, T0, T0 + TTL), 0);
    assert_true(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_string_equal(name, S2);
    assert_true(cx_pending_has(p, 7, 0, 1, 2, T0));
    /* a short buffer gets a terminated prefix */
    assert_true(cx_pending_scscf(p, 7, T0, name, 5));
    assert_string_equal(name, "sip:");
    assert_int_equal(cx_pending_size(p), 1);
}

static void test_expiry(void **state)
{
    struct cx_pending *p = *state;
    char name[300];

    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_true(cx_pending_has(p, 7, 0, 1, 2, T0 + TTL - 1));
    assert_false(cx_pending_has(p, 7, 0, 1, 2, T0 + TTL));
    assert_false(cx_pending_scscf(p, 7, T0 + TTL, name, sizeof(name)));
    /* a later MAR extends it */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0 + 100, T0 + 400), 0);
    assert_true(cx_pending_has(p, 7, 0, 1, 2, T0 + 399));
    /* a note after expiry starts afresh: the old pair is gone */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 3, S1, T0 + 400, T0 + 700), 0);
    assert_false(cx_pending_has(p, 7, 0, 1, 2, T0 + 400));
    assert_true(cx_pending_has(p, 7, 0, 1, 3, T0 + 400));
}

static void test_generation(void **state)
{
    struct cx_pending *p = *state;

    assert_int_equal(cx_pending_note(p, 7, 11, 1, 2, S1, T0, T0 + TTL), 0);
    assert_true(cx_pending_has(p, 7, 11, 1, 2, T0));
    assert_false(cx_pending_has(p, 7, 12, 1, 2, T0));
    assert_false(cx_pending_has(p, 7, 0, 1, 2, T0));
    /* the next lease's MAR forgets the previous holder's */
    assert_int_equal(cx_pending_note(p, 7, 12, 1, 3, S1, T0, T0 + TTL), 0);
    assert_false(cx_pending_has(p, 7, 11, 1, 2, T0));
    assert_false(cx_pending_has(p, 7, 12, 1, 2, T0));
    assert_true(cx_pending_has(p, 7, 12, 1, 3, T0));
}

static void test_end(void **state)
{
    struct cx_pending *p = *state;
    char name[300];

    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_int_equal(cx_pending_note(p, 7, 0, 3, 2, S1, T0, T0 + TTL), 0);
    cx_pending_end(p, 7, 1, 2);
    assert_false(cx_pending_has(p, 7, 0, 1, 2, T0));
    assert_true(cx_pending_has(p, 7, 0, 3, 2, T0));
    assert_true(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    /* the name goes with the last pair */
    cx_pending_end(p, 7, 3, 2);
    assert_false(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_int_equal(cx_pending_size(p), 0);
    /* wildcards: every pair of an IMPU, every pair of an IMPI */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_int_equal(cx_pending_note(p, 7, 0, 3, 2, S1, T0, T0 + TTL), 0);
    cx_pending_end(p, 7, 0, 2);
    assert_int_equal(cx_pending_size(p), 0);
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 4, S1, T0, T0 + TTL), 0);
    cx_pending_end(p, 7, 1, 0);
    assert_int_equal(cx_pending_size(p), 0);
    cx_pending_end(p, 9, 1, 2); /* nothing there: no-op */
}

/* Every refusal leaves what was held untouched. */
static void test_refusals(void **state)
{
    struct cx_pending *p = *state, *one;
    char name[300], long_name[300];

    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 3, S1, T0, T0 + TTL), 0);
    /* a third pair for one subscription */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 4, S2, T0, T0 + TTL), -1);
    assert_false(cx_pending_has(p, 7, 0, 1, 4, T0));
    assert_true(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_string_equal(name, S1);
    /* bad parameters */
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, "", T0, T0 + TTL), -1);
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, NULL, T0, T0 + TTL), -1);
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, S1, T0, T0), -1);
    assert_int_equal(cx_pending_note(NULL, 8, 0, 1, 2, S1, T0, T0 + 1), -1);
    memset(long_name, 'a', 256);
    long_name[256] = '\0';
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, long_name, T0, T0 + 1), -1);
    /* more distinct S-CSCF names than it interns */
    for (int i = 0; i < CX_PENDING_NAMES - 2; i++) {
        snprintf(name, sizeof(name), "sip:s%d.ims.test", i);
        assert_int_equal(cx_pending_note(p, 100 + i, 0, 1, 2, name, T0, T0 + 1),
                         0);
    }
    assert_int_equal(cx_pending_note(p, 99, 0, 1, 2, "sip:new", T0, T0 + 1),
                     -1);
    assert_false(cx_pending_has(p, 99, 0, 1, 2, T0));
    assert_int_equal(cx_pending_note(p, 99, 0, 1, 2, S2, T0, T0 + 1), 0);
    /* a table at its bound */
    one = cx_pending_new(1);
    assert_non_null(one);
    assert_int_equal(cx_pending_note(one, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_int_equal(cx_pending_note(one, 8, 0, 1, 2, S1, T0, T0 + TTL), -1);
    assert_int_equal(cx_pending_note(one, 7, 0, 1, 3, S1, T0, T0 + TTL), 0);
    cx_pending_free(one);
    /* NULL tables answer "nothing" */
    assert_false(cx_pending_has(NULL, 7, 0, 1, 2, T0));
    assert_false(cx_pending_scscf(NULL, 7, T0, name, sizeof(name)));
    cx_pending_end(NULL, 7, 1, 2);
    assert_int_equal(cx_pending_size(NULL), 0);
}

/* Many subscriptions through expiry: the table keeps the open ones. */
static void test_many(void **state)
{
    struct cx_pending *p = *state;

    for (int64_t i = 1; i <= 200000; i++) {
        int64_t now = T0 + i / 1000; /* 1000 notes per second */

        assert_int_equal(cx_pending_note(p, i, 0, i, i, S1, now, now + 10), 0);
    }
    for (int64_t i = 199000; i <= 200000; i++)
        assert_true(cx_pending_has(p, i, 0, i, i, T0 + 200));
    assert_false(cx_pending_has(p, 1, 0, 1, 1, T0 + 200));
    /* ~10 s of notes are open: the sweep keeps the table near that */
    assert_true(cx_pending_size(p) < 40000);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_note_has_scscf), T(test_expiry), T(test_generation), T(test_end),
        T(test_refusals),       T(test_many),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
