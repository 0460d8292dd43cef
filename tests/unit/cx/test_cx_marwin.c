/* test_cx_marwin.c - the in-memory MAR brute-force windows: counting,
 * lock, the three ways a window restarts (over, lease, someone else's
 * lock change), reset, and a table that grows with the open windows only.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cx_marwin.h"

#define W 60  /* window_s */
#define MAX 3 /* MARs allowed per window */
#define L 900 /* lock_s */
#define T0 1000

static int setup(void **state)
{
    *state = cx_marwin_new();
    return *state != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    cx_marwin_free(*state);
    return 0;
}

/* One MAR of impi at now, no lease, stored lock `stored`. */
static enum cx_marwin_verdict note(struct cx_marwin *w, int64_t impi,
                                   int64_t gen, int64_t stored, int64_t now,
                                   int64_t *until)
{
    return cx_marwin_note(w, impi, gen, stored, now, W, MAX, L, until);
}

static void test_counts_then_locks(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until = -1;

    for (int i = 0; i < MAX; i++) {
        assert_int_equal(note(w, 7, 0, 0, T0 + i, &until), CX_MARWIN_OK);
        assert_int_equal(until, 0);
    }
    assert_int_equal(note(w, 7, 0, 0, T0 + 3, &until), CX_MARWIN_LOCK);
    assert_int_equal(until, T0 + 3 + L);
    /* another IMPI has its own window */
    assert_int_equal(note(w, 8, 0, 0, T0 + 3, &until), CX_MARWIN_OK);
    assert_int_equal(cx_marwin_size(w), 2);
}

static void test_window_over_restarts(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until;

    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, 0, T0, &until), CX_MARWIN_OK);
    /* the window [T0, T0 + W) is over: the count starts again */
    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, 0, T0 + W, &until), CX_MARWIN_OK);
    assert_int_equal(note(w, 7, 0, 0, T0 + W, &until), CX_MARWIN_LOCK);
    /* a clock stepped back restarts it too */
    assert_int_equal(note(w, 7, 0, until, T0 - 5, &until), CX_MARWIN_OK);
}

/* A lock of ours that ran out is no reason to forget the window: with a
 * lock shorter than the window the next MAR locks again, as the stored
 * counters did. */
static void test_expired_lock_keeps_window(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until;

    for (int i = 0; i < MAX; i++)
        assert_int_equal(cx_marwin_note(w, 7, 0, 0, T0, W, MAX, 5, &until),
                         CX_MARWIN_OK);
    assert_int_equal(cx_marwin_note(w, 7, 0, 0, T0, W, MAX, 5, &until),
                     CX_MARWIN_LOCK);
    assert_int_equal(until, T0 + 5);
    /* the store still holds our lock (expired at T0 + 5) */
    assert_int_equal(cx_marwin_note(w, 7, 0, T0 + 5, T0 + 6, W, MAX, 5, &until),
                     CX_MARWIN_LOCK);
}

/* hssctl impi unlock (or a lease release) clears the stored lock: the
 * window restarts. */
static void test_unlock_by_someone_else_restarts(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until, lock;

    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, 0, T0, &until), CX_MARWIN_OK);
    assert_int_equal(note(w, 7, 0, 0, T0, &lock), CX_MARWIN_LOCK);
    /* still our lock in the store, window not over: counted on */
    assert_int_equal(note(w, 7, 0, lock, T0 + 1, &until), CX_MARWIN_LOCK);
    /* unlocked (stored 0): a fresh window */
    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, 0, T0 + 2, &until), CX_MARWIN_OK);
    assert_int_equal(note(w, 7, 0, 0, T0 + 2, &until), CX_MARWIN_LOCK);
}

/* A lock set by someone else (SAR authentication failures) restarts the
 * window once, and is then counted from, not restarted on every MAR. */
static void test_foreign_lock_adopted(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until;

    assert_int_equal(note(w, 7, 0, 0, T0, &until), CX_MARWIN_OK);
    /* a lock that ran out at T0 + 2, seen from T0 + 3 on */
    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, T0 + 2, T0 + 3, &until), CX_MARWIN_OK);
    assert_int_equal(note(w, 7, 0, T0 + 2, T0 + 3, &until), CX_MARWIN_LOCK);
}

/* X.4: a new lease of a pool identity is a new holder: a fresh window. */
static void test_new_lease_restarts(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until;

    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 41, 0, T0, &until), CX_MARWIN_OK);
    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 42, 0, T0 + 1, &until), CX_MARWIN_OK);
    assert_int_equal(note(w, 7, 42, 0, T0 + 1, &until), CX_MARWIN_LOCK);
}

static void test_reset_closes_window(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until;

    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, 0, T0, &until), CX_MARWIN_OK);
    cx_marwin_reset(w, 7);
    cx_marwin_reset(w, 99); /* unknown: nothing */
    for (int i = 0; i < MAX; i++)
        assert_int_equal(note(w, 7, 0, 0, T0 + 1, &until), CX_MARWIN_OK);
    assert_int_equal(note(w, 7, 0, 0, T0 + 1, &until), CX_MARWIN_LOCK);
}

static void test_invalid(void **state)
{
    struct cx_marwin *w = *state;
    int64_t until;

    assert_int_equal(cx_marwin_note(NULL, 7, 0, 0, T0, W, MAX, L, &until),
                     CX_MARWIN_INVALID);
    assert_int_equal(cx_marwin_note(w, 7, 0, 0, T0, 0, MAX, L, &until),
                     CX_MARWIN_INVALID);
    assert_int_equal(cx_marwin_note(w, 7, 0, 0, T0, W, 0, L, &until),
                     CX_MARWIN_INVALID);
    assert_int_equal(cx_marwin_note(w, 7, 0, 0, T0, W, MAX, -1, &until),
                     CX_MARWIN_INVALID);
    assert_int_equal(cx_marwin_note(w, 7, 0, 0, T0, W, MAX, L, NULL),
                     CX_MARWIN_INVALID);
    cx_marwin_reset(NULL, 7);
    assert_int_equal(cx_marwin_size(NULL), 0);
    assert_int_equal(cx_marwin_size(w), 0);
}

/* 100,000 IMPIs in one window: all counted, none lost while the table
 * grows, ids of any sign. Then, their windows over, 300,000 others: the
 * rebuild that makes room for them drops the closed windows, so the table
 * ends up holding the open ones only. */
static void test_grows_with_open_windows_only(void **state)
{
    struct cx_marwin *w = *state;
    const int64_t n = 100000;
    int64_t until;

    for (int64_t id = -n / 2; id < n / 2; id++)
        assert_int_equal(note(w, id, 0, 0, T0, &until), CX_MARWIN_OK);
    assert_int_equal(cx_marwin_size(w), (size_t)n);
    for (int round = 1; round < MAX; round++)
        for (int64_t id = -n / 2; id < n / 2; id++)
            assert_int_equal(note(w, id, 0, 0, T0 + 1, &until), CX_MARWIN_OK);
    for (int64_t id = -n / 2; id < n / 2; id += 997)
        assert_int_equal(note(w, id, 0, 0, T0 + 2, &until), CX_MARWIN_LOCK);
    for (int64_t id = n; id < 4 * n; id++)
        assert_int_equal(note(w, id, 0, 0, T0 + W + L, &until), CX_MARWIN_OK);
    assert_int_equal(cx_marwin_size(w), (size_t)(3 * n));
    /* and every one of them is still counted */
    for (int64_t id = n; id < 4 * n; id += 1009) {
        assert_int_equal(note(w, id, 0, 0, T0 + W + L, &until), CX_MARWIN_OK);
        assert_int_equal(note(w, id, 0, 0, T0 + W + L, &until), CX_MARWIN_OK);
        assert_int_equal(note(w, id, 0, 0, T0 + W + L, &until), CX_MARWIN_LOCK);
    }
}

/* Windows closing all the time (500 new IMPIs a second for four windows):
 * the sweep deletes them a few slots per note with backward shifts, the
 * open windows keep their counts through those moves, and the table holds
 * the open windows plus about one window of closed ones. */
static void test_sweep_deletes_closed_windows(void **state)
{
    struct cx_marwin *w = *state;
    const int64_t per_s = 500;
    int64_t until, id = 1, last = T0 + 4 * W - 1;
    size_t most = 0;

    for (int64_t t = T0; t <= last; t++)
        for (int64_t k = 0; k < per_s; k++, id++) {
            assert_int_equal(note(w, id, 0, 0, t, &until), CX_MARWIN_OK);
            if (cx_marwin_size(w) > most)
                most = cx_marwin_size(w);
        }
    /* 30,000 open; a table emptied only by rebuilds would reach 3/4 of its
     * 65,536 slots (49,152) */
    assert_true(most < (size_t)(3 * per_s * W / 2));
    /* every one opened in the last W - 1 seconds is still counting (1 so
     * far): none lost by the moves */
    for (int64_t j = id - per_s * (W - 1); j < id; j++) {
        assert_int_equal(note(w, j, 0, 0, last, &until), CX_MARWIN_OK);
        assert_int_equal(note(w, j, 0, 0, last, &until), CX_MARWIN_OK);
        assert_int_equal(note(w, j, 0, 0, last, &until), CX_MARWIN_LOCK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_counts_then_locks),
        T(test_window_over_restarts),
        T(test_expired_lock_keeps_window),
        T(test_unlock_by_someone_else_restarts),
        T(test_foreign_lock_adopted),
        T(test_new_lease_restarts),
        T(test_reset_closes_window),
        T(test_invalid),
        T(test_grows_with_open_windows_only),
        T(test_sweep_deletes_closed_windows),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
