/* test_cx_sar.c - SAR decision table against a real temporary store, the
 * WebRTC rules (TNA policy, pools, WebRTC IMPIs) and SAA encoding of real
 * messages (TS 29.228 §6.1.2, TS 29.229 §6.1.3/6.1.4, TS 33.203 Annex X).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cx_sar.h"
#include "cx_test_util.h"
#include "cxt_msg.h"
#include "hss_store.h"

#define NOW 1700000000
#define IMPI "alice@ims.test"
#define IMPI_WEB "alice.web@ims.test"
#define IMPU "sip:alice@ims.test"
#define IMPU2 "sip:alice2@ims.test"
#define IMPU3 "sip:alice3@ims.test" /* not associated with any IMPI */
#define PSI "sip:conf@ims.test"
#define SCSCF "sip:scscf1.ims.test:6060"
#define SCSCF2 "sip:scscf2.ims.test:6060"
#define POOL_IMPI "pool1@ims.test"
#define POOL_IMPU "sip:pool1@ims.test"

struct fx {
    struct cxt_store s;
    struct cx_conf conf;
    int64_t sub, impi, impi_web, impu, impu2, psi;
    int64_t pool, pool_sub;
};

static int setup(void **state)
{
    static struct fx f;
    struct hss_impi_new ni = {.name = IMPI,
                              .kind = HSS_IMPI_REGULAR,
                              .schemes = HSS_SCHEME_DIGEST,
                              .default_scheme = HSS_SCHEME_DIGEST};
    struct hss_impu_new nu = {.name = IMPU, .type = HSS_ID_PUBLIC_USER};
    struct hss_pool pool = {.name = "p1",
                            .wwsf = "wwsf.partner.test",
                            .waf = "waf.partner.test",
                            .lease_ttl_s = 600,
                            .release_on_dereg = true};
    struct hss_impu u;
    struct hss_store *st;
    int64_t id, id2;

    memset(&f, 0, sizeof(f));
    if (cxt_store_open(&f.s) != 0)
        return -1;
    st = f.s.st;
    cx_conf_defaults(&f.conf);
    f.conf.auth_failures_max = 3;
    f.conf.lock_s = 600;
    if (hss_store_subscription_add(st, "alice", &f.sub) != HSS_OK ||
        hss_store_impi_add(st, f.sub, &ni, &f.impi) != HSS_OK ||
        hss_store_impu_add(st, f.sub, &nu, &f.impu) != HSS_OK ||
        hss_store_impu_get(st, IMPU, &u) != HSS_OK)
        return -1;
    ni.name = IMPI_WEB;
    ni.kind = HSS_IMPI_WEBRTC;
    nu.name = IMPU2;
    nu.irs_id = u.irs_id;
    if (hss_store_impi_add(st, f.sub, &ni, &f.impi_web) != HSS_OK ||
        hss_store_impu_add(st, f.sub, &nu, &f.impu2) != HSS_OK)
        return -1;
    nu.name = IMPU3;
    nu.irs_id = 0;
    if (hss_store_impu_add(st, f.sub, &nu, &id) != HSS_OK)
        return -1;
    nu.name = PSI;
    nu.type = HSS_ID_DISTINCT_PSI;
    if (hss_store_impu_add(st, f.sub, &nu, &f.psi) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.impu) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.impu2) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.psi) != HSS_OK ||
        hss_store_assoc_add(st, f.impi_web, f.impu) != HSS_OK ||
        hss_store_assoc_add(st, f.impi_web, f.impu2) != HSS_OK)
        return -1;
    /* a pool with one member subscription */
    ni.name = POOL_IMPI;
    ni.kind = HSS_IMPI_POOL;
    nu.name = POOL_IMPU;
    nu.type = HSS_ID_PUBLIC_USER;
    if (hss_store_pool_add(st, &pool, &f.pool) != HSS_OK ||
        hss_store_subscription_add(st, "pool1", &f.pool_sub) != HSS_OK ||
        hss_store_impi_add(st, f.pool_sub, &ni, &id) != HSS_OK ||
        hss_store_impu_add(st, f.pool_sub, &nu, &id2) != HSS_OK ||
        hss_store_assoc_add(st, id, id2) != HSS_OK ||
        hss_store_pool_member_add(st, f.pool, f.pool_sub) != HSS_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    cxt_store_close(&f->s);
    return 0;
}

static struct cx_sar_req req_of(const char *impi, const char *impu,
                                uint32_t sat)
{
    struct cx_sar_req r;

    memset(&r, 0, sizeof(r));
    if (impi != NULL)
        snprintf(r.impi, sizeof(r.impi), "%s", impi);
    if (impu != NULL) {
        snprintf(r.impus[0], sizeof(r.impus[0]), "%s", impu);
        r.n_impus = 1;
    }
    snprintf(r.server_name, sizeof(r.server_name), "%s", SCSCF);
    snprintf(r.origin_host, sizeof(r.origin_host), "scscf1.ims.test");
    snprintf(r.origin_realm, sizeof(r.origin_realm), "ims.test");
    r.sat = sat;
    r.udaa = CX_UDAA_USER_DATA_NOT_AVAILABLE;
    return r;
}

/* Runs decide; the answer's heap parts are freed, the rest copied out. */
static struct cx_sar_ans run(struct fx *f, const struct cx_sar_req *r)
{
    struct cx_sar_ans a;

    memset(&a, 0, sizeof(a));
    cx_sar_decide(f->s.st, &f->s.mem, r, NOW, &f->conf, &a);
    if (cx_result_is_success(&a.result) && (r->sat == CX_SAT_REGISTRATION))
        assert_non_null(a.user_data);
    cx_sar_ans_cleanup(&a);
    return a;
}

/* Each evaluates the answer expression once (it may run decide). */
#define ASSERT_ER(a, c)                                                        \
    do {                                                                       \
        struct cx_sar_ans a_ = (a);                                            \
        assert_true(a_.result.experimental);                                   \
        assert_int_equal(a_.result.code, (c));                                 \
    } while (0)
#define ASSERT_RC(a, c)                                                        \
    do {                                                                       \
        struct cx_sar_ans a_ = (a);                                            \
        assert_false(a_.result.experimental);                                  \
        assert_int_equal(a_.result.code, (c));                                 \
    } while (0)

static enum hss_reg_state state_of(struct fx *f, const char *impu)
{
    struct hss_impu u;

    assert_int_equal(hss_store_impu_get(f->s.st, impu, &u), HSS_OK);
    return u.reg_state;
}

static struct hss_subscription sub_of(struct fx *f, int64_t id)
{
    struct hss_subscription s;

    assert_int_equal(hss_store_subscription_get(f->s.st, id, &s), HSS_OK);
    return s;
}

static struct hss_assoc assoc_of(struct fx *f, int64_t impi, int64_t impu)
{
    struct hss_assoc a;

    assert_int_equal(hss_store_assoc_get(f->s.st, impi, impu, &a), HSS_OK);
    return a;
}

/* What a MAR leaves for the SAR: an authentication in flight, in memory
 * (cx_pending.h), as cx_mar_decide records it. */
static void mar(struct fx *f, int64_t impi, int64_t impu)
{
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub, 0, impi, impu,
                                      SCSCF, NOW, NOW + 300),
                     0);
}

/* Start states of the table. */
enum start { S_NOT, S_REG, S_UNREG };

static void put_state(struct fx *f, enum start s)
{
    struct hss_store *st = f->s.st;

    if (s == S_NOT)
        return;
    assert_int_equal(hss_store_subscription_set_scscf(
                         st, f->sub, SCSCF, "scscf1.ims.test", "ims.test"),
                     HSS_OK);
    for (int i = 0; i < 2; i++) {
        int64_t u = i ? f->impu2 : f->impu;
        assert_int_equal(
            hss_store_impu_set_reg_state(
                st, u, s == S_REG ? HSS_REG_REGISTERED : HSS_REG_UNREGISTERED),
            HSS_OK);
        if (s == S_REG)
            assert_int_equal(
                hss_store_assoc_set_registered(st, f->impi, u, true), HSS_OK);
    }
}

/* ---- the table: every type 0-11 from every registration state ---------- */

struct row {
    uint32_t sat;
    enum start from;
    bool er;
    uint32_t code;
    enum hss_reg_state to;
    bool name_kept;
};

#define OK_ CX_RC_SUCCESS
static const struct row TABLE[] = {
    {CX_SAT_NO_ASSIGNMENT, S_NOT, false, CX_RC_UNABLE_TO_COMPLY,
     HSS_REG_NOT_REGISTERED, false},
    {CX_SAT_NO_ASSIGNMENT, S_REG, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_NO_ASSIGNMENT, S_UNREG, false, OK_, HSS_REG_UNREGISTERED, true},
    {CX_SAT_REGISTRATION, S_NOT, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_REGISTRATION, S_REG, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_REGISTRATION, S_UNREG, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_RE_REGISTRATION, S_NOT, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_RE_REGISTRATION, S_REG, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_RE_REGISTRATION, S_UNREG, false, OK_, HSS_REG_REGISTERED, true},
    {CX_SAT_UNREGISTERED_USER, S_NOT, false, OK_, HSS_REG_UNREGISTERED, true},
    {CX_SAT_UNREGISTERED_USER, S_REG, true, CX_ER_IN_ASSIGNMENT_TYPE,
     HSS_REG_REGISTERED, true},
    {CX_SAT_UNREGISTERED_USER, S_UNREG, false, OK_, HSS_REG_UNREGISTERED, true},
#define DEREG(t)                                                               \
    {t, S_NOT, false, OK_, HSS_REG_NOT_REGISTERED, false},                     \
        {t, S_REG, false, OK_, HSS_REG_NOT_REGISTERED, false},                 \
    {                                                                          \
        t, S_UNREG, false, OK_, HSS_REG_NOT_REGISTERED, false                  \
    }
    DEREG(CX_SAT_TIMEOUT_DEREGISTRATION),
    DEREG(CX_SAT_USER_DEREGISTRATION),
    DEREG(CX_SAT_ADMINISTRATIVE_DEREGISTRATION),
    DEREG(CX_SAT_DEREGISTRATION_TOO_MUCH_DATA),
#define KEEP(t)                                                                \
    {t, S_NOT, false, OK_, HSS_REG_NOT_REGISTERED, false},                     \
        {t, S_REG, false, OK_, HSS_REG_UNREGISTERED, true},                    \
    {                                                                          \
        t, S_UNREG, false, OK_, HSS_REG_UNREGISTERED, true                     \
    }
    KEEP(CX_SAT_TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME),
    KEEP(CX_SAT_USER_DEREGISTRATION_STORE_SERVER_NAME),
#define AUTHF(t)                                                               \
    {t, S_NOT, false, OK_, HSS_REG_NOT_REGISTERED, false},                     \
        {t, S_REG, false, OK_, HSS_REG_REGISTERED, true},                      \
    {                                                                          \
        t, S_UNREG, false, OK_, HSS_REG_UNREGISTERED, true                     \
    }
    AUTHF(CX_SAT_AUTHENTICATION_FAILURE),
    AUTHF(CX_SAT_AUTHENTICATION_TIMEOUT),
};

static void test_sar_table_every_type_every_state(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(TABLE) / sizeof(TABLE[0]); i++) {
        const struct row *t = &TABLE[i];
        struct fx *f;
        void *fs = NULL;
        struct cx_sar_req r;
        struct cx_sar_ans a;
        struct hss_subscription s;

        assert_int_equal(setup(&fs), 0);
        f = fs;
        f->conf.tna_policy = CX_TNA_OFF;
        put_state(f, t->from);
        r = req_of(IMPI, IMPU, t->sat);
        a = run(f, &r);
        if (a.result.code != t->code || a.result.experimental != t->er ||
            state_of(f, IMPU) != t->to)
            fail_msg("row %zu (type %u from %d): got %s%u state %d", i, t->sat,
                     t->from, a.result.experimental ? "er" : "rc",
                     a.result.code, state_of(f, IMPU));
        /* the implicit set moves together */
        assert_int_equal(state_of(f, IMPU2), t->to);
        s = sub_of(f, f->sub);
        if (t->name_kept)
            assert_string_equal(s.scscf_name, SCSCF);
        else
            assert_string_equal(s.scscf_name, "");
        assert_false(a.store_error);
        teardown(&fs);
    }
}

/* ---- REGISTRATION ---------------------------------------------------------
 */

static void test_sar_registration_after_mar(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    struct cx_sar_ans a;
    struct hss_subscription s;

    f->conf.tna_policy = CX_TNA_STRICT;
    mar(f, f->impi, f->impu);
    memset(&a, 0, sizeof(a));
    cx_sar_decide(f->s.st, &f->s.mem, &r, NOW, &f->conf, &a);
    ASSERT_RC(a, CX_RC_SUCCESS);
    assert_string_equal(a.user_name, IMPI);
    assert_non_null(a.user_data);
    assert_non_null(strstr(a.user_data, "<Identity>sip:alice2@ims.test<"));
    assert_true(a.with_profile);
    assert_int_equal(a.n_assoc, 1);
    assert_string_equal(a.assoc[0], IMPI_WEB);
    cx_sar_ans_cleanup(&a);
    s = sub_of(f, f->sub);
    assert_string_equal(s.scscf_name, SCSCF);
    assert_string_equal(s.scscf_host, "scscf1.ims.test");
    assert_string_equal(s.scscf_realm, "ims.test");
    assert_false(assoc_of(f, f->impi, f->impu).auth_pending);
    assert_true(assoc_of(f, f->impi, f->impu).registered);
    assert_int_equal(state_of(f, IMPU2), HSS_REG_REGISTERED);
}

/* A successful registration closes the IMPI's MAR window, as it reset the
 * stored counters: the next re-registrations start from zero. */
static void test_sar_registration_closes_mar_window(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    int64_t until;

    f->conf.tna_policy = CX_TNA_STRICT;
    assert_int_equal(
        cx_marwin_note(f->s.mem.win, f->impi, 0, 0, NOW, 60, 1, 600, &until),
        CX_MARWIN_OK);
    mar(f, f->impi, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(
        cx_marwin_note(f->s.mem.win, f->impi, 0, 0, NOW, 60, 1, 600, &until),
        CX_MARWIN_OK);
    /* the window is counted again from there */
    assert_int_equal(
        cx_marwin_note(f->s.mem.win, f->impi, 0, 0, NOW, 60, 1, 600, &until),
        CX_MARWIN_LOCK);
}

/* The authentication in flight ends with the registration; a flag stored
 * by an earlier version (or when memory was full) serves the same and is
 * cleared. */
static void test_sar_registration_ends_pending(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);

    f->conf.tna_policy = CX_TNA_STRICT;
    mar(f, f->impi, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_false(
        cx_pending_has(f->s.mem.pend, f->sub, 0, f->impi, f->impu, NOW));
    assert_int_equal(cx_pending_size(f->s.mem.pend), 0);

    r = req_of(IMPI_WEB, IMPU, CX_SAT_REGISTRATION);
    assert_int_equal(
        hss_store_assoc_set_auth_pending(f->s.st, f->impi_web, f->impu, true),
        HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_false(assoc_of(f, f->impi_web, f->impu).auth_pending);
    assert_true(assoc_of(f, f->impi_web, f->impu).registered);
}

/* Fail-closed: an authentication the HSS no longer knows of (restarted,
 * expired after mar_pending_s, ended by AUTHENTICATION_FAILURE/TIMEOUT)
 * makes the SAR a registration without authentication, which tna_policy
 * refuses for a subscription not enabled for web credentials. */
static void test_sar_registration_pending_forgotten(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    struct cx_sar_req fail = req_of(IMPI, IMPU, CX_SAT_AUTHENTICATION_FAILURE);
    struct cx_sar_ans a;

    f->conf.tna_policy = CX_TNA_STRICT;
    mar(f, f->impi, f->impu);
    cx_mem_fini(&f->s.mem); /* a restart */
    assert_int_equal(cx_mem_init(&f->s.mem, 0), 0);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);

    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub, 0, f->impi,
                                      f->impu, SCSCF, NOW - 300, NOW),
                     0); /* ran out at NOW */
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);

    mar(f, f->impi, f->impu);
    fail.sat = CX_SAT_AUTHENTICATION_TIMEOUT;
    ASSERT_RC(run(f, &fail), CX_RC_SUCCESS);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    mar(f, f->impi, f->impu);
    fail.sat = CX_SAT_AUTHENTICATION_FAILURE;
    ASSERT_RC(run(f, &fail), CX_RC_SUCCESS);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(cx_pending_size(f->s.mem.pend), 0);

    /* and once the MAR is known again, the registration goes through */
    mar(f, f->impi, f->impu);
    memset(&a, 0, sizeof(a));
    cx_sar_decide(f->s.st, &f->s.mem, &r, NOW + 299, &f->conf, &a);
    ASSERT_RC(a, CX_RC_SUCCESS);
    cx_sar_ans_cleanup(&a);
}

static void test_sar_registration_idempotent_same_scscf(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);

    int64_t rows;

    f->conf.tna_policy = CX_TNA_STRICT;
    mar(f, f->impi, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    /* no MAR this time: already registered here, not a TNA registration;
     * and nothing changes, so no row is written */
    rows = hss_store_rows_changed(f->s.st);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    r.sat = CX_SAT_RE_REGISTRATION;
    r.udaa = CX_UDAA_USER_DATA_ALREADY_AVAILABLE;
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(hss_store_rows_changed(f->s.st), rows);
}

static void test_sar_registration_other_scscf_5005(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    struct cx_sar_ans a;

    put_state(f, S_REG);
    snprintf(r.server_name, sizeof(r.server_name), "%s", SCSCF2);
    mar(f, f->impi, f->impu);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_IDENTITY_ALREADY_REGISTERED);
    assert_string_equal(a.server_name, SCSCF);
    r.sat = CX_SAT_UNREGISTERED_USER;
    r.impi[0] = '\0';
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_IDENTITY_ALREADY_REGISTERED);
    assert_string_equal(a.server_name, SCSCF);
    assert_string_equal(sub_of(f, f->sub).scscf_name, SCSCF);
}

static void test_sar_unknown_identities_5001(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r =
        req_of(IMPI, "sip:nobody@ims.test", CX_SAT_REGISTRATION);

    ASSERT_ER(run(f, &r), CX_ER_USER_UNKNOWN);
    r = req_of("nobody@ims.test", IMPU, CX_SAT_REGISTRATION);
    ASSERT_ER(run(f, &r), CX_ER_USER_UNKNOWN);
    r = req_of(NULL, "sip:nobody@ims.test", CX_SAT_UNREGISTERED_USER);
    ASSERT_ER(run(f, &r), CX_ER_USER_UNKNOWN);
}

static void test_sar_identities_dont_match_5002(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU3, CX_SAT_REGISTRATION);

    f->conf.tna_policy = CX_TNA_OFF;
    ASSERT_ER(run(f, &r), CX_ER_IDENTITIES_DONT_MATCH);
    /* a WebRTC IMPI registers only the IMPUs it is associated with */
    r = req_of(IMPI_WEB, PSI, CX_SAT_REGISTRATION);
    ASSERT_ER(run(f, &r), CX_ER_IDENTITIES_DONT_MATCH);
    r = req_of(POOL_IMPI, IMPU, CX_SAT_REGISTRATION);
    ASSERT_ER(run(f, &r), CX_ER_IDENTITIES_DONT_MATCH);
}

static void test_sar_assignment_type_5007(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, PSI, CX_SAT_REGISTRATION);

    f->conf.tna_policy = CX_TNA_OFF;
    ASSERT_ER(run(f, &r), CX_ER_IN_ASSIGNMENT_TYPE);
    r.sat = CX_SAT_AUTHENTICATION_FAILURE;
    ASSERT_ER(run(f, &r), CX_ER_IN_ASSIGNMENT_TYPE);
    for (uint32_t t = CX_SAT_AAA_USER_DATA_REQUEST; t <= CX_SAT_RESTORATION;
         t++) {
        r = req_of(IMPI, IMPU, t);
        ASSERT_ER(run(f, &r), CX_ER_IN_ASSIGNMENT_TYPE);
    }
    /* a PSI is served as an unregistered user */
    r = req_of(NULL, PSI, CX_SAT_UNREGISTERED_USER);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
}

static void test_sar_too_many_identities_5009(void **state)
{
    struct fx *f = *state;
    static const uint32_t single[] = {
        CX_SAT_NO_ASSIGNMENT,          CX_SAT_REGISTRATION,
        CX_SAT_RE_REGISTRATION,        CX_SAT_UNREGISTERED_USER,
        CX_SAT_AUTHENTICATION_FAILURE, CX_SAT_AUTHENTICATION_TIMEOUT};
    struct cx_sar_req r;

    for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++) {
        r = req_of(IMPI, IMPU, single[i]);
        snprintf(r.impus[1], sizeof(r.impus[1]), "%s", IMPU2);
        r.n_impus = 2;
        ASSERT_RC(run(f, &r), CX_RC_AVP_OCCURS_TOO_MANY_TIMES);
    }
    /* de-registration accepts several */
    put_state(f, S_REG);
    r = req_of(IMPI, IMPU, CX_SAT_USER_DEREGISTRATION);
    snprintf(r.impus[1], sizeof(r.impus[1]), "%s", IMPU2);
    r.n_impus = 2;
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, IMPU2), HSS_REG_NOT_REGISTERED);
}

static void test_sar_missing_identities(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(NULL, IMPU, CX_SAT_REGISTRATION);
    struct cx_sar_ans a = run(f, &r);

    ASSERT_RC(a, CX_RC_MISSING_AVP);
    assert_int_equal(a.result.failed_code, CX_AVP_USER_NAME);
    r = req_of(NULL, NULL, CX_SAT_USER_DEREGISTRATION);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_MISSING_AVP);
    assert_int_equal(a.result.failed_code, CX_AVP_PUBLIC_IDENTITY);
}

/* ---- Trusted Node Authentication --------------------------------------- */

static int audit_count_cb(void *ctx, const struct hss_audit_entry *e)
{

    if (strcmp(e->action, "tna-refused") == 0 && strcmp(e->object, IMPU) == 0 &&
        strcmp(e->detail, SCSCF) == 0)
        (*(int *)ctx)++;
    return 0;
}

static void test_sar_tna_strict(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);

    f->conf.tna_policy = CX_TNA_STRICT;
    assert_int_equal(hss_store_subscription_set_web_auth(f->s.st, f->sub, true),
                     HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(state_of(f, IMPU), HSS_REG_NOT_REGISTERED);
    r.sat = CX_SAT_RE_REGISTRATION;
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    r.sat = CX_SAT_REGISTRATION;
    mar(f, f->impi, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
}

static void test_sar_tna_web_enabled(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    int n = 0;

    assert_int_equal(f->conf.tna_policy, CX_TNA_WEB_ENABLED); /* default */
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(state_of(f, IMPU), HSS_REG_NOT_REGISTERED);
    assert_int_equal(hss_store_audit_each(f->s.st, 0, 100, audit_count_cb, &n),
                     HSS_OK);
    assert_int_equal(n, 1);
    /* with a MAR: always accepted */
    mar(f, f->impi, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
}

static void test_sar_tna_web_enabled_by_flag_or_list(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI_WEB, IMPU, CX_SAT_REGISTRATION);

    assert_int_equal(hss_store_waf_add(f->s.st, f->sub, "waf.partner.test"),
                     HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(hss_store_waf_remove(f->s.st, f->sub, "waf.partner.test"),
                     HSS_OK);
    r = req_of(IMPI, IMPU2, CX_SAT_USER_DEREGISTRATION);
    r.impus[0][0] = '\0';
    r.n_impus = 0;
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS); /* dereg via IMPI only */
    r = req_of(IMPI_WEB, IMPU, CX_SAT_USER_DEREGISTRATION);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, IMPU), HSS_REG_NOT_REGISTERED);
    r = req_of(IMPI_WEB, IMPU, CX_SAT_REGISTRATION);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(hss_store_subscription_set_web_auth(f->s.st, f->sub, true),
                     HSS_OK);
    /* listed S-CSCFs only */
    snprintf(f->conf.tna_scscfs[0], sizeof(f->conf.tna_scscfs[0]), "%s",
             SCSCF2);
    f->conf.n_tna_scscfs = 1;
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    snprintf(f->conf.tna_scscfs[1], sizeof(f->conf.tna_scscfs[1]), "%s", SCSCF);
    f->conf.n_tna_scscfs = 2;
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
}

static void test_sar_tna_off(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);

    f->conf.tna_policy = CX_TNA_OFF;
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, IMPU), HSS_REG_REGISTERED);
}

/* ---- pools and WebRTC IMPIs ------------------------------------------------
 */

static void test_sar_pool_without_lease_refused(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(POOL_IMPI, POOL_IMPU, CX_SAT_REGISTRATION);

    f->conf.tna_policy = CX_TNA_OFF;
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    r.sat = CX_SAT_RE_REGISTRATION;
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    r = req_of(NULL, POOL_IMPU, CX_SAT_UNREGISTERED_USER);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
}

static void test_sar_pool_with_lease_then_dereg_releases(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(POOL_IMPI, POOL_IMPU, CX_SAT_REGISTRATION);
    struct hss_lease l;

    /* TNA: the pool member under a lease counts as web-enabled */
    assert_int_equal(hss_store_lease_acquire(f->s.st, f->pool, "web-user-1",
                                             NOW - 10, 0, &l),
                     HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, POOL_IMPU), HSS_REG_REGISTERED);
    r.sat = CX_SAT_USER_DEREGISTRATION;
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, POOL_IMPU), HSS_REG_NOT_REGISTERED);
    assert_int_equal(hss_store_lease_active(f->s.st, f->pool_sub, NOW, &l),
                     HSS_NOT_FOUND);
}

/* A pool identity's authentication counts only under the lease it began
 * in: the next holder's SAR is not taken for its predecessor's. */
static void test_sar_pool_pending_other_lease(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(POOL_IMPI, POOL_IMPU, CX_SAT_REGISTRATION);
    struct hss_lease l1, l2;
    struct hss_impi impi;
    struct hss_impu impu;

    /* strict, with another S-CSCF listed: only an authentication admits */
    f->conf.tna_policy = CX_TNA_STRICT;
    snprintf(f->conf.tna_scscfs[0], sizeof(f->conf.tna_scscfs[0]), "%s",
             SCSCF2);
    f->conf.n_tna_scscfs = 1;
    assert_int_equal(hss_store_impi_get(f->s.st, POOL_IMPI, &impi), HSS_OK);
    assert_int_equal(hss_store_impu_get(f->s.st, POOL_IMPU, &impu), HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->s.st, f->pool, "web-user-1",
                                             NOW - 10, 0, &l1),
                     HSS_OK);
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->pool_sub, l1.id,
                                      impi.id, impu.id, SCSCF, NOW, NOW + 300),
                     0);
    assert_int_equal(hss_store_lease_release(f->s.st, l1.id, NOW - 5), HSS_OK);
    assert_int_equal(hss_store_lease_acquire(f->s.st, f->pool, "web-user-2",
                                             NOW - 5, 0, &l2),
                     HSS_OK);
    assert_true(l2.id != l1.id);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    /* the holder's own MAR admits it */
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->pool_sub, l2.id,
                                      impi.id, impu.id, SCSCF, NOW, NOW + 300),
                     0);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
}

static void test_sar_revoked_or_expired_impi_refused(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI_WEB, IMPU, CX_SAT_REGISTRATION);

    mar(f, f->impi_web, f->impu);
    assert_int_equal(hss_store_impi_set_revoked(f->s.st, f->impi_web, true),
                     HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(hss_store_impi_set_revoked(f->s.st, f->impi_web, false),
                     HSS_OK);
    assert_int_equal(hss_store_impi_set_validity(f->s.st, f->impi_web, NOW),
                     HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    r.sat = CX_SAT_RE_REGISTRATION;
    ASSERT_RC(run(f, &r), CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(
        hss_store_impi_set_validity(f->s.st, f->impi_web, NOW + 60), HSS_OK);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
}

/* ---- de-registration and authentication failures ------------------------- */

static void test_sar_dereg_keeps_impu_registered_via_other_impi(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);

    mar(f, f->impi, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    r = req_of(IMPI_WEB, IMPU, CX_SAT_REGISTRATION);
    mar(f, f->impi_web, f->impu);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    r = req_of(IMPI, IMPU, CX_SAT_TIMEOUT_DEREGISTRATION);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, IMPU), HSS_REG_REGISTERED);
    assert_false(assoc_of(f, f->impi, f->impu).registered);
    assert_true(assoc_of(f, f->impi_web, f->impu).registered);
    assert_string_equal(sub_of(f, f->sub).scscf_name, SCSCF);
    /* the last one out clears the name */
    r = req_of(IMPI_WEB, NULL, CX_SAT_USER_DEREGISTRATION);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, IMPU), HSS_REG_NOT_REGISTERED);
    assert_int_equal(state_of(f, IMPU2), HSS_REG_NOT_REGISTERED);
    assert_string_equal(sub_of(f, f->sub).scscf_name, "");
}

static void test_sar_dereg_from_former_scscf_ignored(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_USER_DEREGISTRATION);

    put_state(f, S_REG);
    snprintf(r.server_name, sizeof(r.server_name), "%s", SCSCF2);
    ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(state_of(f, IMPU), HSS_REG_REGISTERED);
}

static void test_sar_auth_failure_counts_and_locks(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_AUTHENTICATION_FAILURE);
    struct hss_impi i;

    for (int n = 0; n < 5; n++) {
        struct hss_store *st = f->s.st;
        mar(f, f->impi, f->impu);
        assert_int_equal(
            hss_store_subscription_set_scscf(st, f->sub, SCSCF, "h", "r"),
            HSS_OK);
        ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
        assert_false(assoc_of(f, f->impi, f->impu).auth_pending);
        /* not registered: the name stored at MAR is cleared */
        assert_string_equal(sub_of(f, f->sub).scscf_name, "");
    }
    assert_int_equal(hss_store_impi_get(f->s.st, IMPI, &i), HSS_OK);
    assert_true(i.locked_until > NOW);
}

/* A successful registration resets the failure count (auth_failures_max
 * is 3 here): two failures, a registration, two more: not locked. */
static void test_sar_registration_resets_failures(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req fail = req_of(IMPI, IMPU, CX_SAT_AUTHENTICATION_FAILURE);
    struct cx_sar_req reg = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    struct hss_impi i;

    for (int round = 0; round < 2; round++) {
        for (int n = 0; n < 2; n++) {
            mar(f, f->impi, f->impu);
            ASSERT_RC(run(f, &fail), CX_RC_SUCCESS);
        }
        assert_int_equal(hss_store_impi_get(f->s.st, IMPI, &i), HSS_OK);
        assert_true(i.counters_set);
        assert_int_equal(i.locked_until, 0);
        if (round == 0) {
            mar(f, f->impi, f->impu);
            ASSERT_RC(run(f, &reg), CX_RC_SUCCESS);
            assert_int_equal(hss_store_impi_get(f->s.st, IMPI, &i), HSS_OK);
            assert_false(i.counters_set);
            reg.sat = CX_SAT_USER_DEREGISTRATION;
            ASSERT_RC(run(f, &reg), CX_RC_SUCCESS);
            reg.sat = CX_SAT_REGISTRATION;
        }
    }
}

static void test_sar_auth_timeout_does_not_count(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_AUTHENTICATION_TIMEOUT);
    struct hss_impi i;

    for (int n = 0; n < 6; n++)
        ASSERT_RC(run(f, &r), CX_RC_SUCCESS);
    assert_int_equal(hss_store_impi_get(f->s.st, IMPI, &i), HSS_OK);
    assert_int_equal(i.locked_until, 0);
}

static void test_sar_store_failure_unable_to_comply(void **state)
{
    struct fx *f = *state;
    struct cx_sar_req r = req_of(IMPI, IMPU, CX_SAT_REGISTRATION);
    struct cx_sar_ans a;

    memset(&a, 0, sizeof(a));
    assert_int_equal(hss_store_begin(f->s.st, HSS_TX_READ), HSS_OK);
    cx_sar_decide(f->s.st, &f->s.mem, &r, NOW, &f->conf, &a); /* begin fails */
    hss_store_rollback(f->s.st);
    ASSERT_RC(a, CX_RC_UNABLE_TO_COMPLY);
    assert_true(a.store_error);
    assert_null(a.user_data);
}

/* ---- codec: real messages
 * ---------------------------------------------------- */

static int fd_setup(void **state)
{
    if (cxt_fd_init() != 0 || cxt_identity_set() != 0)
        return -1;
    return setup(state);
}

static struct msg *sar_msg(const char *impi, const char *impu, uint32_t sat)
{
    struct msg *m = cxt_req_new(CX_CMD_SAR);
    const uint32_t V = CX_VENDOR_3GPP;

    assert_non_null(m);
    if (impi != NULL)
        assert_int_equal(cx_avp_add_str(m, CX_AVP_USER_NAME, 0, impi), 0);
    if (impu != NULL)
        assert_int_equal(cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, V, impu), 0);
    assert_int_equal(cx_avp_add_str(m, CX_AVP_SERVER_NAME, V, SCSCF), 0);
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_SERVER_ASSIGNMENT_TYPE, V, sat),
                     0);
    return m;
}

static void test_sar_decode_kamailio_style(void **state)
{
    struct cx_sar_req r;
    struct cx_result res = {0};
    struct msg *m = sar_msg(IMPI, IMPU, CX_SAT_REGISTRATION);

    (void)state;
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_USER_DATA_ALREADY_AVAILABLE,
                                    CX_VENDOR_3GPP, 0),
                     0);
    assert_int_equal(
        cxt_reparse(&m, CXT_VENDOR50_AVP, sizeof(CXT_VENDOR50_AVP)), 0);
    assert_int_equal(cx_sar_decode(m, &r, &res), 0);
    assert_string_equal(r.impi, IMPI);
    assert_int_equal(r.n_impus, 1);
    assert_string_equal(r.impus[0], IMPU);
    assert_string_equal(r.server_name, SCSCF);
    assert_int_equal(r.sat, CX_SAT_REGISTRATION);
    assert_string_equal(r.origin_host, "icscf.test.example");
    fd_msg_free(m);
}

static void test_sar_decode_missing_udaa(void **state)
{
    struct cx_sar_req r;
    struct cx_result res = {0};
    struct msg *m = sar_msg(IMPI, IMPU, CX_SAT_REGISTRATION);

    (void)state;
    assert_int_equal(cx_sar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_MISSING_AVP);
    assert_int_equal(res.failed_code, CX_AVP_USER_DATA_ALREADY_AVAILABLE);
    fd_msg_free(m);
    m = sar_msg(IMPI, IMPU, 99);
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_USER_DATA_ALREADY_AVAILABLE,
                                    CX_VENDOR_3GPP, 0),
                     0);
    assert_int_equal(cx_sar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_INVALID_AVP_VALUE);
    fd_msg_free(m);
}

/* Decodes, decides and encodes one SAR; returns the answer message. */
static struct msg *saa_of(struct fx *f, struct msg *m)
{
    struct cx_sar_req r;
    struct cx_sar_ans a;

    memset(&a, 0, sizeof(a));
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_USER_DATA_ALREADY_AVAILABLE,
                                    CX_VENDOR_3GPP, 0),
                     0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(cx_sar_decode(m, &r, &a.result), 0);
    cx_sar_decide(f->s.st, &f->s.mem, &r, NOW, &f->conf, &a);
    assert_int_equal(cx_answer_new(&m, &a.result), 0);
    assert_int_equal(cx_sar_encode(m, f->s.st, &a), 0);
    cx_sar_ans_cleanup(&a);
    return m;
}

static void test_saa_waf_wwsf_present_for_pool(void **state)
{
    struct fx *f = *state;
    struct hss_lease l;
    struct msg *m;
    struct avp *g, *x;
    char s[HSS_IDENTITY_MAX + 1];

    assert_int_equal(hss_store_lease_acquire(f->s.st, f->pool, "web-user-2",
                                             NOW - 10, 0, &l),
                     HSS_OK);
    m = saa_of(f, sar_msg(POOL_IMPI, POOL_IMPU, CX_SAT_REGISTRATION));
    assert_int_equal(cxt_u32(m, CX_AVP_RESULT_CODE, 0, 0), CX_RC_SUCCESS);
    assert_non_null(cx_avp_find(m, CX_AVP_USER_DATA, CX_VENDOR_3GPP, NULL));
    g = cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, CX_VENDOR_3GPP,
                    NULL);
    assert_non_null(g);
    x = cx_avp_find(g, CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME,
                    CX_VENDOR_3GPP, NULL);
    assert_non_null(x);
    assert_int_equal(cx_avp_get_ident(x, s, sizeof(s)), 0);
    assert_string_equal(s, "waf.partner.test");
    x = cx_avp_find(g, CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME, CX_VENDOR_3GPP,
                    NULL);
    assert_non_null(x);
    assert_int_equal(cx_avp_get_ident(x, s, sizeof(s)), 0);
    assert_string_equal(s, "wwsf.partner.test");
    x = cx_avp_find(m, CX_AVP_USER_NAME, 0, NULL);
    assert_int_equal(cx_avp_get_ident(x, s, sizeof(s)), 0);
    assert_string_equal(s, POOL_IMPI);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0); /* encodes and parses */
    fd_msg_free(m);
}

static void test_saa_waf_wwsf_absent_and_5005_server_name(void **state)
{
    struct fx *f = *state;
    struct msg *m;
    struct avp *x;
    char s[HSS_IDENTITY_MAX + 1];

    f->conf.tna_policy = CX_TNA_OFF;
    assert_int_equal(hss_store_subscription_set_charging(
                         f->s.st, f->sub, "aaa://ecf.ims.test", "", "", ""),
                     HSS_OK);
    m = saa_of(f, sar_msg(IMPI, IMPU, CX_SAT_REGISTRATION));
    assert_int_equal(cxt_u32(m, CX_AVP_RESULT_CODE, 0, 0), CX_RC_SUCCESS);
    assert_null(cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
                            CX_VENDOR_3GPP, NULL));
    x = cx_avp_find(m, CX_AVP_CHARGING_INFORMATION, CX_VENDOR_3GPP, NULL);
    assert_non_null(x);
    assert_non_null(cx_avp_find(x, CX_AVP_PRIMARY_EVENT_CHARGING_FUNCTION_NAME,
                                CX_VENDOR_3GPP, NULL));
    assert_null(cx_avp_find(x, CX_AVP_SECONDARY_EVENT_CHARGING_FUNCTION_NAME,
                            CX_VENDOR_3GPP, NULL));
    assert_non_null(
        cx_avp_find(m, CX_AVP_ASSOCIATED_IDENTITIES, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);
    /* another S-CSCF: Experimental 5005 with the stored Server-Name */
    assert_int_equal(
        hss_store_subscription_set_scscf(f->s.st, f->sub, SCSCF2, "h", "r"),
        HSS_OK);
    m = saa_of(f, sar_msg(IMPI, IMPU, CX_SAT_REGISTRATION));
    x = cx_avp_find(m, CX_AVP_EXPERIMENTAL_RESULT, 0, NULL);
    assert_non_null(x);
    assert_int_equal(cxt_u32(x, CX_AVP_EXPERIMENTAL_RESULT_CODE, 0, 0),
                     CX_ER_IDENTITY_ALREADY_REGISTERED);
    x = cx_avp_find(m, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, NULL);
    assert_non_null(x);
    assert_int_equal(cx_avp_get_ident(x, s, sizeof(s)), 0);
    assert_string_equal(s, SCSCF2);
    assert_null(cx_avp_find(m, CX_AVP_USER_DATA, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest decide[] = {
        cmocka_unit_test(test_sar_table_every_type_every_state),
        T(test_sar_registration_after_mar),
        T(test_sar_registration_closes_mar_window),
        T(test_sar_registration_ends_pending),
        T(test_sar_registration_pending_forgotten),
        T(test_sar_registration_idempotent_same_scscf),
        T(test_sar_registration_other_scscf_5005),
        T(test_sar_unknown_identities_5001),
        T(test_sar_identities_dont_match_5002),
        T(test_sar_assignment_type_5007),
        T(test_sar_too_many_identities_5009),
        T(test_sar_missing_identities),
        T(test_sar_tna_strict),
        T(test_sar_tna_web_enabled),
        T(test_sar_tna_web_enabled_by_flag_or_list),
        T(test_sar_tna_off),
        T(test_sar_pool_without_lease_refused),
        T(test_sar_pool_pending_other_lease),
        T(test_sar_pool_with_lease_then_dereg_releases),
        T(test_sar_revoked_or_expired_impi_refused),
        T(test_sar_dereg_keeps_impu_registered_via_other_impi),
        T(test_sar_dereg_from_former_scscf_ignored),
        T(test_sar_auth_failure_counts_and_locks),
        T(test_sar_registration_resets_failures),
        T(test_sar_auth_timeout_does_not_count),
        T(test_sar_store_failure_unable_to_comply),
    };
#undef T
#define C(fn) cmocka_unit_test_setup_teardown(fn, fd_setup, teardown)
    const struct CMUnitTest codec[] = {
        C(test_sar_decode_kamailio_style),
        C(test_sar_decode_missing_udaa),
        C(test_saa_waf_wwsf_present_for_pool),
        C(test_saa_waf_wwsf_absent_and_5005_server_name),
    };
#undef C
    int fails = cmocka_run_group_tests_name("sar_decide", decide, NULL, NULL);

    fails += cmocka_run_group_tests_name("sar_codec", codec, NULL, NULL);
    return fails != 0;
}
