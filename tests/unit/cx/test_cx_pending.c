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
#define S1_NAME "sip:scscf1.ims.test"
#define S2_NAME "sip:scscf2.ims.test"

static const struct cx_pending_scscf S1[] = {
    {S1_NAME, "scscf1.ims.test", "ims.test"}};
static const struct cx_pending_scscf S2[] = {
    {S2_NAME, "scscf2.ims.test", "ims.test"}};

/* An S-CSCF of name (host and realm fixed). */
static struct cx_pending_scscf *named(struct cx_pending_scscf *s,
                                      const char *name)
{
    s->name = name;
    s->host = "scscf.ims.test";
    s->realm = "ims.test";
    return s;
}

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
    assert_string_equal(name, S1_NAME);
    /* the last MAR's S-CSCF is the subscription's */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 3, S2, T0, T0 + TTL), 0);
    assert_true(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_string_equal(name, S2_NAME);
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
    struct cx_pending_scscf s;
    char name[300], long_name[300];

    assert_int_equal(cx_pending_note(p, 7, 0, 1, 2, S1, T0, T0 + TTL), 0);
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 3, S1, T0, T0 + TTL), 0);
    /* a third pair for one subscription */
    assert_int_equal(cx_pending_note(p, 7, 0, 1, 4, S2, T0, T0 + TTL), -1);
    assert_false(cx_pending_has(p, 7, 0, 1, 4, T0));
    assert_true(cx_pending_scscf(p, 7, T0, name, sizeof(name)));
    assert_string_equal(name, S1_NAME);
    /* bad parameters */
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, named(&s, ""), T0, T0 + 1),
                     -1);
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, named(&s, NULL), T0, T0),
                     -1);
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, NULL, T0, T0 + TTL), -1);
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, S1, T0, T0), -1);
    assert_int_equal(cx_pending_note(NULL, 8, 0, 1, 2, S1, T0, T0 + 1), -1);
    memset(long_name, 'a', 256);
    long_name[256] = '\0';
    assert_int_equal(
        cx_pending_note(p, 8, 0, 1, 2, named(&s, long_name), T0, T0 + 1), -1);
    named(&s, S1_NAME)->host = long_name;
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, &s, T0, T0 + 1), -1);
    named(&s, S1_NAME)->realm = long_name;
    assert_int_equal(cx_pending_note(p, 8, 0, 1, 2, &s, T0, T0 + 1), -1);
    assert_false(cx_pending_has(p, 8, 0, 1, 2, T0));
    /* more distinct S-CSCFs in use than it interns (S2 above was refused
     * with its note and holds no slot; the same name from another Diameter
     * host is another S-CSCF) */
    for (int i = 0; i < CX_PENDING_NAMES - 2; i++) {
        snprintf(name, sizeof(name), "sip:s%d.ims.test", i);
        assert_int_equal(
            cx_pending_note(p, 100 + i, 0, 1, 2, named(&s, name), T0, T0 + 1),
            0);
    }
    named(&s, S1_NAME)->host = "other.ims.test";
    assert_int_equal(cx_pending_note(p, 98, 0, 1, 2, &s, T0, T0 + 1), 0);
    assert_int_equal(
        cx_pending_note(p, 99, 0, 1, 2, named(&s, "sip:new"), T0, T0 + 1), -1);
    assert_false(cx_pending_has(p, 99, 0, 1, 2, T0));
    assert_int_equal(cx_pending_note(p, 99, 0, 1, 2, S2, T0, T0 + 1), -1);
    assert_int_equal(cx_pending_note(p, 99, 0, 1, 2, S1, T0, T0 + 1), 0);
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

/* S-CSCF i's name into buf. */
static struct cx_pending_scscf *nth(struct cx_pending_scscf *s, char *buf,
                                    size_t size, int i)
{
    snprintf(buf, size, "sip:s%d.ims.test", i);
    return named(s, buf);
}

/* An interned S-CSCF's slot is taken again once no entry refers to it:
 * after its entries end, change S-CSCF, restart under another lease, or
 * close and are deleted by the table (its sweep, a rebuild). */
static void test_names_reused(void **state)
{
    struct cx_pending *p = *state;
    struct cx_pending_scscf s;
    char buf[64], name[300];

    for (int i = 0; i < CX_PENDING_NAMES; i++)
        assert_int_equal(cx_pending_note(p, 100 + i, 0, 1, 2,
                                         nth(&s, buf, sizeof(buf), i), T0,
                                         T0 + TTL),
                         0);
    assert_int_equal(
        cx_pending_note(p, 1, 0, 1, 2, named(&s, "sip:a"), T0, T0 + TTL), -1);
    /* ended */
    cx_pending_end(p, 100, 0, 0);
    assert_int_equal(
        cx_pending_note(p, 1, 0, 1, 2, named(&s, "sip:a"), T0, T0 + TTL), 0);
    assert_true(cx_pending_scscf(p, 1, T0, name, sizeof(name)));
    assert_string_equal(name, "sip:a");
    assert_true(cx_pending_scscf(p, 105, T0, name, sizeof(name)));
    assert_string_equal(name, "sip:s5.ims.test"); /* the others stay */
    assert_int_equal(
        cx_pending_note(p, 2, 0, 1, 2, named(&s, "sip:b"), T0, T0 + TTL), -1);
    /* another S-CSCF for the same entry */
    assert_int_equal(
        cx_pending_note(p, 101, 0, 1, 2, named(&s, "sip:a"), T0, T0 + TTL), 0);
    assert_int_equal(
        cx_pending_note(p, 2, 0, 1, 2, named(&s, "sip:b"), T0, T0 + TTL), 0);
    /* another lease: the entry starts over */
    assert_int_equal(
        cx_pending_note(p, 102, 7, 1, 2, named(&s, "sip:b"), T0, T0 + TTL), 0);
    assert_int_equal(
        cx_pending_note(p, 3, 0, 1, 2, named(&s, "sip:c"), T0, T0 + TTL), 0);
    assert_int_equal(
        cx_pending_note(p, 4, 0, 1, 2, named(&s, "sip:d"), T0, T0 + TTL), -1);
    /* closed entries hold theirs until the table deletes them: a note that
     * finds none free has the table look for closed ones first */
    assert_int_equal(cx_pending_note(p, 4, 0, 1, 2, named(&s, "sip:d"),
                                     T0 + TTL - 1, T0 + 2 * TTL),
                     -1);
    assert_int_equal(cx_pending_note(p, 4, 0, 1, 2, named(&s, "sip:d"),
                                     T0 + TTL, T0 + 2 * TTL),
                     0);
    assert_true(cx_pending_scscf(p, 4, T0 + TTL, name, sizeof(name)));
    assert_string_equal(name, "sip:d");
    /* and the table's own deletions release theirs too */
    for (int i = 0; i < CX_PENDING_NAMES - 1; i++)
        assert_int_equal(cx_pending_note(p, 5000 + i, 0, 1, 2,
                                         nth(&s, buf, sizeof(buf), 100 + i),
                                         T0 + TTL, T0 + 2 * TTL),
                         0);
    for (int64_t i = 0; i < 2000; i++) /* grows: a rebuild, sweeps */
        assert_int_equal(cx_pending_note(p, 10000 + i, 0, 1, 2,
                                         named(&s, "sip:d"), T0 + 2 * TTL,
                                         T0 + 3 * TTL),
                         0);
    for (int i = 0; i < CX_PENDING_NAMES - 1; i++)
        assert_int_equal(cx_pending_note(p, 20000 + i, 0, 1, 2,
                                         nth(&s, buf, sizeof(buf), 200 + i),
                                         T0 + 2 * TTL, T0 + 3 * TTL),
                         0);
    assert_int_equal(cx_pending_note(p, 30000, 0, 1, 2, named(&s, "sip:f"),
                                     T0 + 2 * TTL, T0 + 3 * TTL),
                     -1);
}

/* Where a PPR for a changed password goes: the Diameter host and realm of
 * the S-CSCF of the IMPI's authentication in flight (TS 29.228 §6.5.2.4). */
static void test_impi_route(void **state)
{
    struct cx_pending *p = *state;
    struct cx_pending_scscf s;
    char host[300], realm[300];

    assert_false(cx_pending_impi_route(p, 7, 1, T0, host, sizeof(host), realm,
                                       sizeof(realm)));
    assert_string_equal(host, "");
    assert_string_equal(realm, "");
    assert_int_equal(cx_pending_note(p, 7, 11, 1, 2, S1, T0, T0 + TTL), 0);
    /* any IMPU and any generation of the IMPI's subscription */
    assert_true(cx_pending_impi_route(p, 7, 1, T0, host, sizeof(host), realm,
                                      sizeof(realm)));
    assert_string_equal(host, "scscf1.ims.test");
    assert_string_equal(realm, "ims.test");
    /* another IMPI, another subscription, or after expiry: none */
    assert_false(cx_pending_impi_route(p, 7, 3, T0, host, sizeof(host), realm,
                                       sizeof(realm)));
    assert_string_equal(host, "");
    assert_false(cx_pending_impi_route(p, 8, 1, T0, host, sizeof(host), realm,
                                       sizeof(realm)));
    assert_false(cx_pending_impi_route(p, 7, 1, T0 + TTL, host, sizeof(host),
                                       realm, sizeof(realm)));
    /* the last MAR's S-CSCF */
    assert_int_equal(cx_pending_note(p, 7, 11, 1, 2, S2, T0, T0 + TTL), 0);
    assert_true(cx_pending_impi_route(p, 7, 1, T0, host, sizeof(host), realm,
                                      sizeof(realm)));
    assert_string_equal(host, "scscf2.ims.test");
    /* an S-CSCF without a Diameter host cannot be reached */
    s.name = S1_NAME;
    s.host = NULL;
    s.realm = NULL;
    assert_int_equal(cx_pending_note(p, 9, 0, 5, 6, &s, T0, T0 + TTL), 0);
    assert_true(cx_pending_has(p, 9, 0, 5, 6, T0));
    assert_false(cx_pending_impi_route(p, 9, 5, T0, host, sizeof(host), realm,
                                       sizeof(realm)));
    /* ended: none */
    cx_pending_end(p, 7, 1, 0);
    assert_false(cx_pending_impi_route(p, 7, 1, T0, host, sizeof(host), realm,
                                       sizeof(realm)));
    assert_false(cx_pending_impi_route(NULL, 7, 1, T0, host, sizeof(host),
                                       realm, sizeof(realm)));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_note_has_scscf), T(test_expiry),
        T(test_generation),     T(test_end),
        T(test_refusals),       T(test_many),
        T(test_impi_route),     T(test_names_reused),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
