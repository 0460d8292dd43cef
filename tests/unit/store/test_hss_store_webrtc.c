/* test_hss_store_webrtc.c - WAF/WWSF identities, pools and leases
 * (hss_store_webrtc.c), including two threads leasing from one pool, the
 * one-time digest credential minted with a lease, and a v2 database (no
 * minted_lease_id column) upgraded to v3 with its data.
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

/* The next holder must not inherit the previous one's brute-force lock. */
static void test_hss_store_lease_release_resets_lock(void **state)
{
    struct fx *f = *state;
    int64_t pool = pool_with_members(f, 1, 0, NULL);
    struct hss_impi impi;
    struct hss_lease l;
    bool locked = false;

    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", 1000, 60, &l),
                     HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, l.impi, &impi), HSS_OK);
    assert_int_equal(hss_store_impi_lock(f->st, impi.id, 1901), HSS_OK);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, impi.id, 1002, 5, 900, &locked),
        HSS_OK);
    assert_int_equal(hss_store_lease_release(f->st, l.id, 1010), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, l.impi, &impi), HSS_OK);
    assert_int_equal(impi.locked_until, 0);
    /* and the failure count starts again: four more do not reach 5 (the
     * MAR window restarts with the new lease id: test_cx_mar) */
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u2", 1020, 60, &l),
                     HSS_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(hss_store_impi_note_auth_failure(f->st, impi.id, 1021,
                                                          5, 900, &locked),
                         HSS_OK);
    assert_false(locked);
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

/* ---- one-time digest credential of a lease ---- */

#define MINT_MD5 "0123456789abcdef0123456789abcdef"
#define MINT_SHA256                                                            \
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define OPER_MD5 "fedcba9876543210fedcba9876543210"

/* A member of pool1 whose IMPI allows no scheme, as `pool add-members`
 * creates it. */
static int64_t mint_pool(struct fx *f, int64_t *sub)
{
    int64_t pool = pool_with_members(f, 1, 0, sub);
    struct hss_impi impi;

    assert_int_equal(hss_store_impi_get(f->st, "pool000@ims.test", &impi),
                     HSS_OK);
    assert_int_equal(hss_store_impi_set_schemes(f->st, impi.id, HSS_SCHEME_NONE,
                                                HSS_SCHEME_NONE),
                     HSS_OK);
    return pool;
}

/* Acquires and mints MD5 + SHA-256 in one write transaction, as hssctl. */
static struct hss_lease mint_acquire(struct fx *f, int64_t pool, int64_t now,
                                     int ttl_s)
{
    struct hss_lease l;

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", now, ttl_s, &l),
                     HSS_OK);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, now, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_OK);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, now, "web.test",
                                                 HSS_HA1_SHA256, MINT_SHA256),
                     HSS_OK);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);
    return l;
}

static void expect_no_credential(struct fx *f, const char *impi_name)
{
    char ha1[HSS_HA1_HEX_MAX + 1];
    struct hss_impi impi;

    assert_int_equal(hss_store_impi_get(f->st, impi_name, &impi), HSS_OK);
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_MD5, ha1, NULL, 0),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_SHA256, ha1, NULL, 0),
                     HSS_NOT_FOUND);
    assert_int_equal(impi.schemes, HSS_SCHEME_NONE);
    assert_int_equal(impi.default_scheme, HSS_SCHEME_NONE);
}

static void test_hss_store_lease_mint_dies_with_release(void **state)
{
    struct fx *f = *state;
    char ha1[HSS_HA1_HEX_MAX + 1], realm[HSS_NAME_MAX + 1];
    int64_t pool = mint_pool(f, NULL);
    struct hss_lease l = mint_acquire(f, pool, 1000, 60);
    struct hss_impi impi;

    assert_int_equal(hss_store_impi_get(f->st, l.impi, &impi), HSS_OK);
    assert_int_equal(impi.schemes, HSS_SCHEME_DIGEST);
    assert_int_equal(impi.default_scheme, HSS_SCHEME_DIGEST);
    /* the default realm when the MAR names another one */
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "other.test",
                                          HSS_HA1_MD5, ha1, realm,
                                          sizeof(realm)),
                     HSS_OK);
    assert_string_equal(ha1, MINT_MD5);
    assert_string_equal(realm, "web.test");
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_SHA256, ha1, NULL, 0),
                     HSS_OK);
    assert_string_equal(ha1, MINT_SHA256);
    /* a second mint of the same lease replaces its own credential */
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 1001, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_OK);
    assert_int_equal(hss_store_lease_release(f->st, l.id, 1010), HSS_OK);
    expect_no_credential(f, l.impi);
    /* nothing to mint on a released, unknown or expired lease */
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 1011, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_CONFLICT);
    assert_int_equal(hss_store_lease_digest_mint(f->st, 999, 1011, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_CONFLICT);
    l = mint_acquire(f, pool, 2000, 60);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 2060, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_CONFLICT);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 2000, "",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_INVALID);
}

static void test_hss_store_lease_mint_dies_with_expiry(void **state)
{
    struct fx *f = *state;
    int64_t pool = mint_pool(f, NULL);
    struct hss_lease l = mint_acquire(f, pool, 1000, 10);
    struct hss_outbox_item it;
    size_t n = 0;

    memset(&it, 0, sizeof(it));
    register_member(f, &l);
    assert_int_equal(hss_store_lease_expire(f->st, 1009, &n), HSS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hss_store_lease_expire(f->st, 1010, &n), HSS_OK);
    assert_int_equal(n, 1);
    expect_no_credential(f, l.impi);
    /* the RTR is queued as for any lease end */
    assert_int_equal(hss_store_outbox_each(f->st, HSS_OUTBOX_PENDING, 0,
                                           count_outbox_cb, &it),
                     HSS_OK);
    assert_int_equal(it.kind, HSS_OUTBOX_RTR);
    assert_string_equal(it.user_name, l.impi);
}

static int active_count(struct fx *f, int64_t pool, int64_t now)
{
    int n = 0;

    assert_int_equal(
        hss_store_lease_each(f->st, pool, true, now, lease_count_cb, &n),
        HSS_OK);
    return n;
}

static void test_hss_store_lease_mint_failure_rolls_back(void **state)
{
    struct fx *f = *state;
    int64_t pool = mint_pool(f, NULL);
    struct hss_lease l;

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", 1000, 60, &l),
                     HSS_OK);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 1000, "web.test",
                                                 HSS_HA1_MD5, "not hex"),
                     HSS_INVALID);
    hss_store_rollback(f->st);
    assert_int_equal(active_count(f, pool, 1000), 0);
    expect_no_credential(f, "pool000@ims.test");
}

static void test_hss_store_lease_mint_keeps_operator_credential(void **state)
{
    struct fx *f = *state;
    char ha1[HSS_HA1_HEX_MAX + 1], realm[HSS_NAME_MAX + 1];
    int64_t pool = pool_with_members(f, 1, 0, NULL);
    struct hss_impi impi;
    struct hss_lease l;

    /* fx_user_add allows AKA and digest, default digest */
    assert_int_equal(hss_store_impi_get(f->st, "pool000@ims.test", &impi),
                     HSS_OK);
    assert_int_equal(hss_store_digest_set(f->st, impi.id, "web.test",
                                          HSS_HA1_MD5, OPER_MD5, true),
                     HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->st, pool, "u1", 1000, 60, &l),
                     HSS_OK);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 1000, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_CONFLICT);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 1000, "web.test",
                                                 HSS_HA1_SHA256, MINT_SHA256),
                     HSS_OK);
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_MD5, ha1, NULL, 0),
                     HSS_OK);
    assert_string_equal(ha1, OPER_MD5);
    assert_int_equal(hss_store_lease_release(f->st, l.id, 1010), HSS_OK);
    /* the minted SHA-256 is gone, the operator's MD5 and schemes stay */
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_SHA256, ha1, NULL, 0),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_MD5, ha1, realm,
                                          sizeof(realm)),
                     HSS_OK);
    assert_string_equal(ha1, OPER_MD5);
    assert_int_equal(hss_store_impi_get(f->st, "pool000@ims.test", &impi),
                     HSS_OK);
    assert_int_equal(impi.schemes, HSS_SCHEME_AKA | HSS_SCHEME_DIGEST);
    assert_int_equal(impi.default_scheme, HSS_SCHEME_DIGEST);
}

/* A v2 database (before minted_lease_id) with an operator credential and
 * an active lease upgrades to v3: the credential stays the operator's. */
static void test_hss_store_lease_mint_after_v2_upgrade(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    char ha1[HSS_HA1_HEX_MAX + 1];
    struct hss_store *st = NULL;
    struct hss_impi impi;
    struct hss_lease l, act;
    int64_t pool;
    int v = -1;

    hss_store_close(f->st);
    f->st = NULL;
    unlink(f->db);
    o.schema_target = 2;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    assert_int_equal(hss_store_db_version(st, &v), HSS_OK);
    assert_int_equal(v, 2);
    f->st = st;
    pool = pool_with_members(f, 1, 0, NULL);
    assert_int_equal(hss_store_impi_get(st, "pool000@ims.test", &impi), HSS_OK);
    assert_int_equal(hss_store_digest_set(st, impi.id, "web.test", HSS_HA1_MD5,
                                          OPER_MD5, true),
                     HSS_OK);
    assert_int_equal(hss_store_lease_acquire(st, pool, "u1", 1000, 60, &l),
                     HSS_OK);
    hss_store_close(st);

    f->st = fx_open(f);
    assert_int_equal(hss_store_db_version(f->st, &v), HSS_OK);
    assert_int_equal(v, 3);
    assert_int_equal(
        hss_store_lease_active(f->st, l.subscription_id, 1001, &act), HSS_OK);
    assert_int_equal(act.id, l.id);
    assert_int_equal(hss_store_lease_digest_mint(f->st, l.id, 1001, "web.test",
                                                 HSS_HA1_MD5, MINT_MD5),
                     HSS_CONFLICT);
    assert_int_equal(hss_store_lease_release(f->st, l.id, 1010), HSS_OK);
    assert_int_equal(hss_store_digest_get(f->st, impi.id, "web.test",
                                          HSS_HA1_MD5, ha1, NULL, 0),
                     HSS_OK);
    assert_string_equal(ha1, OPER_MD5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_waf_wwsf_add_each_remove),
        FX_TEST(test_hss_store_pool_add_get_member),
        FX_TEST(test_hss_store_lease_acquire_until_exhausted),
        FX_TEST(test_hss_store_lease_release_writes_rtr),
        FX_TEST(test_hss_store_lease_release_resets_lock),
        FX_TEST(test_hss_store_lease_expire_writes_rtr),
        FX_TEST(test_hss_store_lease_each_filters),
        FX_TEST(test_hss_store_lease_acquire_two_threads),
        FX_TEST(test_hss_store_lease_mint_dies_with_release),
        FX_TEST(test_hss_store_lease_mint_dies_with_expiry),
        FX_TEST(test_hss_store_lease_mint_failure_rolls_back),
        FX_TEST(test_hss_store_lease_mint_keeps_operator_credential),
        FX_TEST(test_hss_store_lease_mint_after_v2_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
