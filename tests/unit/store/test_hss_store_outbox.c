/* test_hss_store_outbox.c - outbox, audit log and counts
 * (hss_store_outbox.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sqlite3.h>

#include "store_fixture.h"

struct items {
    struct hss_outbox_item v[8];
    size_t n;
};

static int item_cb(void *ctx, const struct hss_outbox_item *it)
{
    struct items *s = ctx;

    s->v[s->n++] = *it;
    return 0;
}

static struct hss_outbox_item rtr(const char *user)
{
    struct hss_outbox_item it;

    memset(&it, 0, sizeof(it));
    it.kind = HSS_OUTBOX_RTR;
    it.subscription_id = 1;
    snprintf(it.dest_host, sizeof(it.dest_host), "scscf.test");
    snprintf(it.dest_realm, sizeof(it.dest_realm), "test");
    snprintf(it.user_name, sizeof(it.user_name), "%s", user);
    snprintf(it.impus[0], sizeof(it.impus[0]), "sip:%s", user);
    snprintf(it.impus[1], sizeof(it.impus[1]), "tel:+1");
    it.n_impus = 2;
    it.reason_code = 2;
    return it;
}

static void test_hss_store_outbox_add_claim_finish(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item a = rtr("a@t"), b = rtr("b@t");
    struct hss_outbox_item p;
    struct items got = {0};

    memset(&p, 0, sizeof(p));
    p.kind = HSS_OUTBOX_PPR;
    p.ppr_what = HSS_PPR_WAF_WWSF | HSS_PPR_USER_DATA;
    assert_int_equal(hss_store_outbox_add(f->st, &a, 100), HSS_OK);
    assert_int_equal(hss_store_outbox_add(f->st, &b, 200), HSS_OK);
    assert_int_equal(hss_store_outbox_add(f->st, &p, 300), HSS_OK);
    assert_true(a.id > 0 && b.id > a.id);
    assert_int_equal(a.state, HSS_OUTBOX_PENDING);
    /* only a is due at 150 */
    assert_int_equal(hss_store_outbox_claim(f->st, 150, 10, item_cb, &got),
                     HSS_OK);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.v[0].id, a.id);
    assert_int_equal(got.v[0].state, HSS_OUTBOX_SENT);
    assert_int_equal(got.v[0].attempts, 1);
    assert_int_equal(got.v[0].n_impus, 2);
    assert_string_equal(got.v[0].impus[1], "tel:+1");
    assert_int_equal(got.v[0].reason_code, 2);
    /* claimed items are not claimed twice */
    got.n = 0;
    assert_int_equal(hss_store_outbox_claim(f->st, 150, 10, item_cb, &got),
                     HSS_OK);
    assert_int_equal(got.n, 0);
    /* retry later: back to pending */
    assert_int_equal(
        hss_store_outbox_finish(f->st, a.id, HSS_OUTBOX_PENDING, 3002, 400),
        HSS_OK);
    assert_int_equal(hss_store_outbox_claim(f->st, 300, 1, item_cb, &got),
                     HSS_OK);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.v[0].id, b.id); /* max 1, oldest due first */
    got.n = 0;
    assert_int_equal(hss_store_outbox_claim(f->st, 400, 10, item_cb, &got),
                     HSS_OK);
    assert_int_equal(got.n, 2);
    assert_int_equal(got.v[0].id, p.id);
    assert_int_equal(got.v[0].ppr_what, HSS_PPR_WAF_WWSF | HSS_PPR_USER_DATA);
    assert_int_equal(got.v[1].id, a.id);
    assert_int_equal(got.v[1].attempts, 2);
    assert_int_equal(got.v[1].last_result, 3002);
    assert_int_equal(
        hss_store_outbox_finish(f->st, a.id, HSS_OUTBOX_DONE, 2001, 0), HSS_OK);
    assert_int_equal(
        hss_store_outbox_finish(f->st, 999, HSS_OUTBOX_DONE, 2001, 0),
        HSS_NOT_FOUND);
    assert_int_equal(
        hss_store_outbox_finish(f->st, a.id, (enum hss_outbox_state)9, 0, 0),
        HSS_INVALID);
    got.n = 0;
    assert_int_equal(
        hss_store_outbox_each(f->st, HSS_OUTBOX_DONE, 0, item_cb, &got),
        HSS_OK);
    assert_int_equal(got.n, 1);
    got.n = 0;
    assert_int_equal(hss_store_outbox_each(f->st, -1, 2, item_cb, &got),
                     HSS_OK);
    assert_int_equal(got.n, 2);
    assert_int_equal(got.v[0].id, p.id); /* newest first */
}

static void test_hss_store_outbox_add_invalid(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item it = rtr("a@t");
    struct items got = {0};

    it.kind = (enum hss_outbox_kind)7;
    assert_int_equal(hss_store_outbox_add(f->st, &it, 1), HSS_INVALID);
    it = rtr("a@t");
    it.n_impus = 9;
    assert_int_equal(hss_store_outbox_add(f->st, &it, 1), HSS_INVALID);
    it = rtr("a@t");
    it.impus[1][0] = '\0';
    assert_int_equal(hss_store_outbox_add(f->st, &it, 1), HSS_INVALID);
    assert_int_equal(hss_store_outbox_add(f->st, NULL, 1), HSS_INVALID);
    assert_int_equal(hss_store_outbox_claim(f->st, 1, 0, item_cb, &got),
                     HSS_INVALID);
}

struct entries {
    struct hss_audit_entry v[4];
    size_t n;
};

static int audit_cb(void *ctx, const struct hss_audit_entry *e)
{
    struct entries *s = ctx;

    s->v[s->n++] = *e;
    return 0;
}

static void test_hss_store_audit_append_and_list(void **state)
{
    struct fx *f = *state;
    struct entries got = {0};
    sqlite3 *h = NULL;

    assert_int_equal(hss_store_audit(f->st, 10, "hssctl", "impi.revoke",
                                     "alice@ims.test", "operator request"),
                     HSS_OK);
    assert_int_equal(
        hss_store_audit(f->st, 11, "hss_cx", "lease.expire", NULL, NULL),
        HSS_OK);
    assert_int_equal(hss_store_audit(f->st, 12, "", "x", NULL, NULL),
                     HSS_INVALID);
    assert_int_equal(hss_store_audit_each(f->st, 0, 0, audit_cb, &got), HSS_OK);
    assert_int_equal(got.n, 2);
    assert_string_equal(got.v[0].action, "impi.revoke");
    assert_string_equal(got.v[0].detail, "operator request");
    assert_int_equal(got.v[1].ts, 11);
    assert_string_equal(got.v[1].object, "");
    got.n = 0;
    assert_int_equal(
        hss_store_audit_each(f->st, got.v[0].id + 0, 1, audit_cb, &got),
        HSS_OK);
    assert_int_equal(got.n, 1);
    /* append-only, enforced by the schema */
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(h, "UPDATE audit SET actor = 'x'", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
}

static void test_hss_store_counts_get_totals(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_store_counts c;

    fx_user_add(f->st, "bob", HSS_IMPI_REGULAR);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, a.impu, HSS_REG_REGISTERED),
        HSS_OK);
    assert_int_equal(hss_store_counts_get(f->st, 0, &c), HSS_OK);
    assert_int_equal(c.subscriptions, 2);
    assert_int_equal(c.impis, 2);
    assert_int_equal(c.impus, 2);
    assert_int_equal(c.registered_impus, 1);
    assert_int_equal(c.pools, 0);
    assert_int_equal(c.outbox_pending, 0);
    assert_int_equal(hss_store_counts_get(f->st, 0, NULL), HSS_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_outbox_add_claim_finish),
        FX_TEST(test_hss_store_outbox_add_invalid),
        FX_TEST(test_hss_store_audit_append_and_list),
        FX_TEST(test_hss_store_counts_get_totals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
