/* test_hss_store_webrtc.c - WAF/WWSF identities, pools and leases
 * (hss_store_webrtc.c), including two threads leasing from one pool.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <pthread.h>

#include "store_fixture.h"

struct strs {
    char v[8][64];
    size_t n;
};

static int str_cb(void *ctx, const char *v)
{
    struct strs *s = ctx;

    snprintf(s->v[s->n++], sizeof(s->v[0]), "%s", v);
    return 0;
}

static int64_t pool_with_members(struct fx *f, int n, int quarantine_s,
                                 int64_t *subs)
{
    struct hss_pool p = {.name = "pool1",
                         .wwsf = "wwsf.example",
                         .waf = "waf.example",
                         .lease_ttl_s = 600,
                         .quarantine_s = quarantine_s};
    int64_t pool;
    int i;

    assert_int_equal(hss_store_pool_add(f->st, &p, &pool), HSS_OK);
    for (i = 0; i < n; i++) {
        char name[32];
        struct fx_user u;

        snprintf(name, sizeof(name), "pool%03d", i);
        u = fx_user_add(f->st, name, HSS_IMPI_POOL);
        assert_int_equal(hss_store_pool_member_add(f->st, pool, u.sub), HSS_OK);
        if (subs != NULL)
            subs[i] = u.sub;
    }
    return pool;
}

static void test_hss_store_waf_wwsf_add_each_remove(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_WEBRTC);
    struct strs s = {0};

    assert_int_equal(hss_store_waf_add(f->st, u.sub, "waf2.test"), HSS_OK);
    assert_int_equal(hss_store_waf_add(f->st, u.sub, "waf1.test"), HSS_OK);
    assert_int_equal(hss_store_waf_add(f->st, u.sub, "waf1.test"), HSS_EXISTS);
    assert_int_equal(hss_store_wwsf_add(f->st, u.sub, "wwsf.test"), HSS_OK);
    assert_int_equal(hss_store_waf_add(f->st, 999, "w"), HSS_NOT_FOUND);
    assert_int_equal(hss_store_waf_add(f->st, u.sub, ""), HSS_INVALID);
    assert_int_equal(hss_store_waf_each(f->st, u.sub, str_cb, &s), HSS_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.v[0], "waf1.test");
    assert_string_equal(s.v[1], "waf2.test");
    s.n = 0;
    assert_int_equal(hss_store_wwsf_each(f->st, u.sub, str_cb, &s), HSS_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(hss_store_waf_remove(f->st, u.sub, "waf1.test"), HSS_OK);
    assert_int_equal(hss_store_waf_remove(f->st, u.sub, "waf1.test"),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_wwsf_remove(f->st, u.sub, "wwsf.test"), HSS_OK);
    s.n = 0;
    assert_int_equal(hss_store_wwsf_each(f->st, u.sub, str_cb, &s), HSS_OK);
    assert_int_equal(s.n, 0);
}

static void test_hss_store_pool_add_get_member(void **state)
{
    struct fx *f = *state;
    int64_t subs[2];
    int64_t pool = pool_with_members(f, 2, 0, subs);
    struct fx_user reg = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_pool p = {.name = "pool1", .wwsf = "w", .lease_ttl_s = 1};
    struct strs s = {0};

    assert_int_equal(hss_store_pool_add(f->st, &p, NULL), HSS_EXISTS);
    p.lease_ttl_s = 0;
    assert_int_equal(hss_store_pool_add(f->st, &p, NULL), HSS_INVALID);
    assert_int_equal(hss_store_pool_get(f->st, "pool1", &p), HSS_OK);
    assert_int_equal(p.id, pool);
    assert_string_equal(p.wwsf, "wwsf.example");
    assert_int_equal(p.lease_ttl_s, 600);
    assert_int_equal(hss_store_pool_get(f->st, "nope", &p), HSS_NOT_FOUND);
    assert_int_equal(hss_store_pool_of_subscription(f->st, subs[1], &p),
                     HSS_OK);
    assert_string_equal(p.name, "pool1");
    assert_int_equal(hss_store_pool_of_subscription(f->st, reg.sub, &p),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_pool_member_add(f->st, pool, subs[0]),
                     HSS_EXISTS);
    assert_int_equal(hss_store_pool_member_add(f->st, pool, reg.sub),
                     HSS_INVALID); /* IMPI kind is not POOL */
    assert_int_equal(hss_store_pool_member_add(f->st, pool, 999),
                     HSS_NOT_FOUND);
    /* Members always inherit the pool's WWSF and WAF. */
    assert_int_equal(hss_store_wwsf_each(f->st, subs[0], str_cb, &s), HSS_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.v[0], "wwsf.example");
    s.n = 0;
    assert_int_equal(hss_store_waf_each(f->st, subs[0], str_cb, &s), HSS_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.v[0], "waf.example");
}

static void test_hss_store_lease_acquire_until_exhausted(void **state)
{
    struct fx *f = *state;
    int64_t pool = pool_with_members(f, 3, 0, NULL);
    struct hss_lease l[3], x;
    struct hss_lease act;
    int i;

    for (i = 0; i < 3; i++) {
        assert_int_equal(
            hss_store_lease_acquire(f->st, pool, "web-user", 1000, 0, &l[i]),
            HSS_OK);
        assert_int_equal(l[i].expires, 1600);
        assert_int_equal(l[i].released, 0);
        assert_non_null(strstr(l[i].impi, "@ims.test"));
        assert_non_null(strstr(l[i].impu, "sip:pool"));
    }
    assert_int_not_equal(l[0].subscription_id, l[1].subscription_id);
    assert_int_equal(
        hss_store_lease_acquire(f->st, pool, "web-user", 1000, 0, &x),
        HSS_EXHAUSTED);
    assert_int_equal(hss_store_lease_acquire(f->st, 999, "w", 1000, 0, &x),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "", 1000, 0, &x),
                     HSS_INVALID);
    assert_int_equal(
        hss_store_lease_active(f->st, l[1].subscription_id, 1000, &act),
        HSS_OK);
    assert_int_equal(act.id, l[1].id);
    assert_string_equal(act.holder, "web-user");
    assert_int_equal(hss_store_lease_renew(f->st, l[1].id, 1500, 100), HSS_OK);
    assert_int_equal(
        hss_store_lease_active(f->st, l[1].subscription_id, 1500, &act),
        HSS_OK);
    assert_int_equal(act.expires, 1600);
    assert_int_equal(hss_store_lease_renew(f->st, l[1].id, 1700, 100),
                     HSS_CONFLICT); /* expired */
    assert_int_equal(
        hss_store_lease_active(f->st, l[0].subscription_id, 1601, &act),
        HSS_NOT_FOUND);
}

static int count_outbox_cb(void *ctx, const struct hss_outbox_item *it)
{
    *(struct hss_outbox_item *)ctx = *it;
    return 0;
}

static void register_member(struct fx *f, const struct hss_lease *l)
{
    struct hss_impi impi;
    struct hss_impu impu;

    assert_int_equal(hss_store_impi_get(f->st, l->impi, &impi), HSS_OK);
    assert_int_equal(hss_store_impu_get(f->st, l->impu, &impu), HSS_OK);
    assert_int_equal(
        hss_store_assoc_set_registered(f->st, impi.id, impu.id, true), HSS_OK);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, impu.id, HSS_REG_REGISTERED),
        HSS_OK);
    assert_int_equal(hss_store_subscription_set_scscf(f->st, l->subscription_id,
                                                      "sip:scscf.test",
                                                      "scscf.test", "test"),
                     HSS_OK);
}

static void test_hss_store_lease_release_writes_rtr(void **state)
{
    struct fx *f = *state;
    int64_t pool = pool_with_members(f, 1, 30, NULL);
    struct hss_outbox_item it;
    struct hss_subscription sub;
    struct hss_lease l, x;
    struct hss_impu impu;
    struct hss_impi impi;
    struct hss_assoc a;

    memset(&it, 0, sizeof(it));
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", 1000, 60, &l),
                     HSS_OK);
    register_member(f, &l);
    assert_int_equal(hss_store_lease_release(f->st, l.id, 1010), HSS_OK);
    assert_int_equal(hss_store_lease_release(f->st, l.id, 1011), HSS_CONFLICT);
    assert_int_equal(hss_store_lease_release(f->st, 999, 1011), HSS_NOT_FOUND);
    /* registration cleared */
    assert_int_equal(hss_store_impu_get(f->st, l.impu, &impu), HSS_OK);
    assert_int_equal(impu.reg_state, HSS_REG_NOT_REGISTERED);
    assert_int_equal(hss_store_impi_get(f->st, l.impi, &impi), HSS_OK);
    assert_int_equal(hss_store_assoc_get(f->st, impi.id, impu.id, &a), HSS_OK);
    assert_false(a.registered);
    assert_int_equal(hss_store_subscription_get(f->st, l.subscription_id, &sub),
                     HSS_OK);
    assert_string_equal(sub.scscf_host, "");
    /* one RTR queued */
    assert_int_equal(hss_store_outbox_each(f->st, HSS_OUTBOX_PENDING, 0,
                                           count_outbox_cb, &it),
                     HSS_OK);
    assert_int_equal(it.kind, HSS_OUTBOX_RTR);
    assert_string_equal(it.dest_host, "scscf.test");
    assert_string_equal(it.dest_realm, "test");
    assert_string_equal(it.user_name, l.impi);
    assert_int_equal(it.n_impus, 1);
    assert_string_equal(it.impus[0], l.impu);
    assert_int_equal(it.reason_code, 0);
    /* quarantine: not leasable until 1040 */
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u2", 1039, 60, &x),
                     HSS_EXHAUSTED);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u2", 1040, 60, &x),
                     HSS_OK);
    assert_int_equal(x.subscription_id, l.subscription_id);
}

static void test_hss_store_lease_expire_writes_rtr(void **state)
{
    struct fx *f = *state;
    int64_t pool = pool_with_members(f, 2, 0, NULL);
    struct hss_store_counts c;
    struct hss_lease a, b;
    size_t n = 99;

    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", 1000, 10, &a),
                     HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u2", 1000, 100, &b),
                     HSS_OK);
    register_member(f, &a);
    assert_int_equal(hss_store_lease_expire(f->st, 1005, &n), HSS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hss_store_lease_expire(f->st, 1010, &n), HSS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(hss_store_counts_get(f->st, 1010, &c), HSS_OK);
    assert_int_equal(c.active_leases, 1);
    assert_int_equal(c.outbox_pending, 1);
    assert_int_equal(c.registered_impus, 0);
    /* b was never registered: no RTR when it ends */
    assert_int_equal(hss_store_lease_release(f->st, b.id, 1020), HSS_OK);
    assert_int_equal(hss_store_counts_get(f->st, 1020, &c), HSS_OK);
    assert_int_equal(c.outbox_pending, 1);
    assert_int_equal(c.active_leases, 0);
}

static int lease_count_cb(void *ctx, const struct hss_lease *l)
{
    (void)l;
    (*(int *)ctx)++;
    return 0;
}

static void test_hss_store_lease_each_filters(void **state)
{
    struct fx *f = *state;
    int64_t pool = pool_with_members(f, 2, 0, NULL);
    struct hss_lease a, b;
    int n = 0;

    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", 1000, 10, &a),
                     HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u2", 1000, 10, &b),
                     HSS_OK);
    assert_int_equal(hss_store_lease_release(f->st, a.id, 1001), HSS_OK);
    assert_int_equal(
        hss_store_lease_each(f->st, pool, false, 1001, lease_count_cb, &n),
        HSS_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(
        hss_store_lease_each(f->st, 0, true, 1001, lease_count_cb, &n), HSS_OK);
    assert_int_equal(n, 1);
}

#define POOL_N 20

struct lease_thread {
    struct fx *f;
    int64_t pool;
    int64_t got[POOL_N * 2];
    int n, exhausted;
};

static void *lease_worker(void *arg)
{
    struct lease_thread *t = arg;
    struct hss_store *st = fx_open(t->f);
    int i;

    for (i = 0; i < POOL_N; i++) {
        struct hss_lease l;
        enum hss_rc rc =
            hss_store_lease_acquire(st, t->pool, "web", 1000, 0, &l);

        if (rc == HSS_OK)
            t->got[t->n++] = l.subscription_id;
        else if (rc == HSS_EXHAUSTED)
            t->exhausted++;
    }
    hss_store_close(st);
    return NULL;
}

static void test_hss_store_lease_acquire_two_threads(void **state)
{
    struct fx *f = *state;
    int64_t pool = pool_with_members(f, POOL_N, 0, NULL);
    struct lease_thread t[2];
    pthread_t th[2];
    int i, j;

    for (i = 0; i < 2; i++) {
        memset(&t[i], 0, sizeof(t[i]));
        t[i].f = f;
        t[i].pool = pool;
        assert_int_equal(pthread_create(&th[i], NULL, lease_worker, &t[i]), 0);
    }
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(t[0].n + t[1].n, POOL_N);
    assert_int_equal(t[0].exhausted + t[1].exhausted, POOL_N);
    for (i = 0; i < t[0].n; i++)
        for (j = 0; j < t[1].n; j++)
            assert_int_not_equal(t[0].got[i], t[1].got[j]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_waf_wwsf_add_each_remove),
        FX_TEST(test_hss_store_pool_add_get_member),
        FX_TEST(test_hss_store_lease_acquire_until_exhausted),
        FX_TEST(test_hss_store_lease_release_writes_rtr),
        FX_TEST(test_hss_store_lease_expire_writes_rtr),
        FX_TEST(test_hss_store_lease_each_filters),
        FX_TEST(test_hss_store_lease_acquire_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
