/* test_hss_store_reg.c - registration state and brute-force counters
 * (hss_store_reg.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "store_fixture.h"

static int count_cb(void *ctx, const struct hss_impu *u)
{
    (void)u;
    (*(int *)ctx)++;
    return 0;
}

static void test_hss_store_assoc_set_flags(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_assoc a;
    int n = 0;

    assert_int_equal(
        hss_store_assoc_set_auth_pending(f->st, u.impi, u.impu, true), HSS_OK);
    assert_int_equal(hss_store_assoc_get(f->st, u.impi, u.impu, &a), HSS_OK);
    assert_true(a.auth_pending);
    assert_false(a.registered);
    assert_int_equal(
        hss_store_assoc_set_registered(f->st, u.impi, u.impu, true), HSS_OK);
    assert_int_equal(
        hss_store_assoc_set_auth_pending(f->st, u.impi, u.impu, false), HSS_OK);
    assert_int_equal(hss_store_assoc_get(f->st, u.impi, u.impu, &a), HSS_OK);
    assert_false(a.auth_pending);
    assert_true(a.registered);
    assert_int_equal(
        hss_store_impu_each_registered_by_impi(f->st, u.impi, count_cb, &n),
        HSS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(hss_store_assoc_set_registered(f->st, u.impi, 999, true),
                     HSS_NOT_FOUND);
}

static void test_hss_store_impu_set_reg_state_transitions(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_impu impu;
    int s;

    for (s = HSS_REG_REGISTERED; s >= HSS_REG_NOT_REGISTERED; s--) {
        assert_int_equal(
            hss_store_impu_set_reg_state(f->st, u.impu, (enum hss_reg_state)s),
            HSS_OK);
        assert_int_equal(hss_store_impu_get(f->st, "sip:alice@ims.test", &impu),
                         HSS_OK);
        assert_int_equal(impu.reg_state, s);
    }
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, u.impu, HSS_REG_UNREGISTERED),
        HSS_OK);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, u.impu, (enum hss_reg_state)5),
        HSS_INVALID);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, 999, HSS_REG_REGISTERED),
        HSS_NOT_FOUND);
}

static void test_hss_store_subscription_set_scscf_and_clear(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_subscription s;

    assert_int_equal(hss_store_subscription_set_scscf(f->st, u.sub,
                                                      "sip:scscf.test:6060",
                                                      "scscf.test", "test"),
                     HSS_OK);
    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_string_equal(s.scscf_name, "sip:scscf.test:6060");
    assert_string_equal(s.scscf_host, "scscf.test");
    assert_string_equal(s.scscf_realm, "test");
    assert_int_equal(
        hss_store_subscription_set_scscf(f->st, u.sub, "", "ignored", "x"),
        HSS_OK);
    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_string_equal(s.scscf_name, "");
    assert_string_equal(s.scscf_host, "");
    assert_int_equal(
        hss_store_subscription_set_scscf(f->st, u.sub, NULL, NULL, NULL),
        HSS_OK);
    assert_int_equal(
        hss_store_subscription_set_scscf(f->st, 999, "a", "b", "c"),
        HSS_NOT_FOUND);
    assert_int_equal(
        hss_store_subscription_set_scscf(f->st, u.sub, "a\tb", "b", "c"),
        HSS_INVALID);
}

/* replace_scscf of name at host for sub, then the stored name and host. */
static void replace_then_expect(struct hss_store *st, int64_t sub,
                                const char *name, const char *host,
                                const char *want_name, const char *want_host)
{
    struct hss_subscription s;

    assert_int_equal(
        hss_store_subscription_replace_scscf(st, sub, name, host, "test"),
        HSS_OK);
    assert_int_equal(hss_store_subscription_get(st, sub, &s), HSS_OK);
    assert_string_equal(s.scscf_name, want_name);
    assert_string_equal(s.scscf_host, want_host);
}

/* MAR of an identity not registered: a stored S-CSCF that differs is
 * overwritten, none stored stays none (the extension keeps it in memory). */
static void test_hss_store_subscription_replace_scscf(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_subscription s;

    replace_then_expect(f->st, u.sub, "sip:a", "a.test", "", "");
    assert_int_equal(hss_store_subscription_set_scscf(f->st, u.sub, "sip:a",
                                                      "a.test", "test"),
                     HSS_OK);
    replace_then_expect(f->st, u.sub, "sip:b", "b.test", "sip:b", "b.test");
    /* no existence check; an empty or bad name is refused */
    assert_int_equal(
        hss_store_subscription_replace_scscf(f->st, 999, "sip:a", "a", "b"),
        HSS_OK);
    assert_int_equal(
        hss_store_subscription_replace_scscf(f->st, u.sub, "", "a", "b"),
        HSS_INVALID);
    assert_int_equal(
        hss_store_subscription_replace_scscf(f->st, u.sub, "a\tb", "a", "b"),
        HSS_INVALID);
    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_string_equal(s.scscf_name, "sip:b");
}

/* MAR's write: only what differs is written, and says so. */
static void test_hss_store_subscription_set_scscf_if_changed(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_subscription s;
    bool changed = false;

    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, u.sub, "sip:a", "a.test", "test", &changed),
                     HSS_OK);
    assert_true(changed);
    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, u.sub, "sip:a", "a.test", "test", &changed),
                     HSS_OK);
    assert_false(changed);
    /* any one of the three differing is a change */
    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, u.sub, "sip:a", "a.test", "other", &changed),
                     HSS_OK);
    assert_true(changed);
    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_string_equal(s.scscf_name, "sip:a");
    assert_string_equal(s.scscf_realm, "other");
    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, u.sub, NULL, NULL, NULL, NULL),
                     HSS_OK);
    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_string_equal(s.scscf_host, "");
    /* unchanged or not, an unknown subscription is reported */
    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, 999, "", "", "", &changed),
                     HSS_NOT_FOUND);
    assert_false(changed);
    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, 999, "sip:a", "a", "b", &changed),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_subscription_set_scscf_if_changed(
                         f->st, u.sub, "a\tb", "b", "c", &changed),
                     HSS_INVALID);
}

/* The lock a MAR window decides (the windows are cx_marwin's). */
static void test_hss_store_impi_lock_and_unlock(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_impi i;

    assert_int_equal(hss_store_impi_lock(f->st, u.impi, 1073), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_int_equal(i.locked_until, 1073);
    assert_int_equal(hss_store_impi_unlock(f->st, u.impi), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_int_equal(i.locked_until, 0);
    /* inside the caller's transaction: a rollback undoes it */
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_impi_lock(f->st, u.impi, 2000), HSS_OK);
    hss_store_rollback(f->st);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_int_equal(i.locked_until, 0);
    assert_int_equal(hss_store_impi_lock(f->st, 999, 2000), HSS_NOT_FOUND);
}

static void test_hss_store_impi_note_auth_failure_lock_reset(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_impi i;
    bool locked = true;

    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 100, 3, 30, &locked),
        HSS_OK);
    assert_false(locked);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 101, 3, 30, &locked),
        HSS_OK);
    assert_false(locked);
    /* success resets the counter */
    assert_int_equal(hss_store_impi_reset_counters(f->st, u.impi), HSS_OK);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 102, 3, 30, &locked),
        HSS_OK);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 103, 3, 30, &locked),
        HSS_OK);
    assert_false(locked);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 104, 3, 30, &locked),
        HSS_OK);
    assert_true(locked);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_int_equal(i.locked_until, 134);
    /* reset leaves the lock */
    assert_int_equal(hss_store_impi_reset_counters(f->st, u.impi), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_int_equal(i.locked_until, 134);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 104, 0, 30, &locked),
        HSS_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_assoc_set_flags),
        FX_TEST(test_hss_store_impu_set_reg_state_transitions),
        FX_TEST(test_hss_store_subscription_set_scscf_and_clear),
        FX_TEST(test_hss_store_subscription_set_scscf_if_changed),
        FX_TEST(test_hss_store_subscription_replace_scscf),
        FX_TEST(test_hss_store_impi_lock_and_unlock),
        FX_TEST(test_hss_store_impi_note_auth_failure_lock_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
