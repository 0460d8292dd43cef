/* test_cx_uar.c - UAR decision table against a real temporary store, and
 * UAR decoding of real messages (TS 29.228 §6.1.1, TS 29.229 §6.1.1).
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

#include "cx_test_util.h"
#include "cx_uar.h"
#include "cxt_msg.h"
#include "hss_store.h"

#define NOW 1700000000
#define IMPI "alice@ims.test"
#define IMPU "sip:alice@ims.test"
#define IMPU2 "sip:alice2@ims.test"
#define VNID "visited.test"
#define SCSCF "sip:scscf1.ims.test:6060"

struct fx {
    struct cxt_store s;
    struct cx_conf conf;
    int64_t sub, impi, impu, impu2, irs;
};

/* Subscription with IMPI alice, IMPUs alice and alice2 in one implicit set,
 * both associated, one allowed visited network. */
static int setup(void **state)
{
    static struct fx f;
    struct hss_impi_new ni = {.name = IMPI,
                              .kind = HSS_IMPI_WEBRTC,
                              .schemes = HSS_SCHEME_DIGEST,
                              .default_scheme = HSS_SCHEME_DIGEST};
    struct hss_impu_new nu = {.name = IMPU, .type = HSS_ID_PUBLIC_USER};
    struct hss_impu u;
    struct hss_store *st;

    memset(&f, 0, sizeof(f));
    if (cxt_store_open(&f.s) != 0)
        return -1;
    st = f.s.st;
    cx_conf_defaults(&f.conf);
    if (hss_store_subscription_add(st, "alice", &f.sub) != HSS_OK ||
        hss_store_impi_add(st, f.sub, &ni, &f.impi) != HSS_OK ||
        hss_store_impu_add(st, f.sub, &nu, &f.impu) != HSS_OK ||
        hss_store_impu_get(st, IMPU, &u) != HSS_OK)
        return -1;
    f.irs = u.irs_id;
    nu.name = IMPU2;
    nu.irs_id = f.irs;
    if (hss_store_impu_add(st, f.sub, &nu, &f.impu2) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.impu) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.impu2) != HSS_OK ||
        hss_store_visited_network_add(st, f.sub, VNID) != HSS_OK)
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

static struct cx_uar_req req_of(const char *impi, const char *impu,
                                uint32_t type)
{
    struct cx_uar_req r;

    memset(&r, 0, sizeof(r));
    snprintf(r.impi, sizeof(r.impi), "%s", impi);
    snprintf(r.impu, sizeof(r.impu), "%s", impu);
    snprintf(r.vnid, sizeof(r.vnid), "%s", VNID);
    r.auth_type = type;
    return r;
}

static struct cx_uar_ans run(struct fx *f, const struct cx_uar_req *r)
{
    struct cx_uar_ans a;

    cx_uar_decide(f->s.st, f->s.mem.pend, r, NOW, &f->conf, &a);
    return a;
}

#define ASSERT_ER(a, c)                                                        \
    do {                                                                       \
        assert_true((a).result.experimental);                                  \
        assert_int_equal((a).result.code, (c));                                \
    } while (0)
#define ASSERT_RC(a, c)                                                        \
    do {                                                                       \
        assert_false((a).result.experimental);                                 \
        assert_int_equal((a).result.code, (c));                                \
    } while (0)

/* Registered at SCSCF: what SAR(REGISTRATION) leaves in the store. */
static void registered(struct fx *f)
{
    assert_int_equal(hss_store_subscription_set_scscf(
                         f->s.st, f->sub, SCSCF, "scscf1.ims.test", "ims.test"),
                     HSS_OK);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->s.st, f->impu, HSS_REG_REGISTERED),
        HSS_OK);
}

/* ---- decide ---------------------------------------------------------- */

static void test_uar_unknown_impi(void **state)
{
    struct cx_uar_req r = req_of("bob@ims.test", IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a = run(*state, &r);

    ASSERT_ER(a, CX_ER_USER_UNKNOWN);
    assert_false(a.has_server_name);
}

static void test_uar_unknown_impu(void **state)
{
    struct cx_uar_req r = req_of(IMPI, "sip:bob@ims.test", 0);
    struct cx_uar_ans a = run(*state, &r);

    ASSERT_ER(a, CX_ER_USER_UNKNOWN);
}

static void test_uar_psi_is_not_a_distinct_impu(void **state)
{
    struct fx *f = *state;
    struct hss_impu_new nu = {.name = "sip:conf@ims.test",
                              .type = HSS_ID_DISTINCT_PSI};
    int64_t id;
    struct cx_uar_req r = req_of(IMPI, "sip:conf@ims.test", 0);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impu_add(f->s.st, f->sub, &nu, &id), HSS_OK);
    assert_int_equal(hss_store_assoc_add(f->s.st, f->impi, id), HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_USER_UNKNOWN);
}

static void test_uar_identities_dont_match(void **state)
{
    struct fx *f = *state;
    struct hss_impu_new nu = {.name = "sip:other@ims.test",
                              .type = HSS_ID_PUBLIC_USER};
    int64_t id;
    struct cx_uar_req r = req_of(IMPI, "sip:other@ims.test", 0);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impu_add(f->s.st, f->sub, &nu, &id), HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_IDENTITIES_DONT_MATCH);
}

static void test_uar_barred_alone_rejected(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impu_set_barred(f->s.st, f->impu, true), HSS_OK);
    assert_int_equal(hss_store_impu_set_barred(f->s.st, f->impu2, true),
                     HSS_OK);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_AUTHORIZATION_REJECTED);
}

static void test_uar_barred_with_unbarred_in_set(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impu_set_barred(f->s.st, f->impu, true), HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
}

static void test_uar_barred_emergency_allowed(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impu_set_barred(f->s.st, f->impu, true), HSS_OK);
    assert_int_equal(hss_store_impu_set_barred(f->s.st, f->impu2, true),
                     HSS_OK);
    r.flags = CX_UAR_FLAG_EMERGENCY;
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
}

static void test_uar_revoked_impi_rejected(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impi_set_revoked(f->s.st, f->impi, true),
                     HSS_OK);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_AUTHORIZATION_REJECTED);
}

static void test_uar_expired_impi_rejected(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_impi_set_validity(f->s.st, f->impi, NOW),
                     HSS_OK);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(hss_store_impi_set_validity(f->s.st, f->impi, NOW + 1),
                     HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
}

/* A pool member subscription (one POOL IMPI + IMPU) in a fresh pool. */
static int64_t pool_member(struct fx *f, int64_t *pool_id)
{
    struct hss_pool p = {.lease_ttl_s = 600};
    struct hss_impi_new ni = {.name = "pool1@ims.test", .kind = HSS_IMPI_POOL};
    struct hss_impu_new nu = {.name = "sip:pool1@ims.test",
                              .type = HSS_ID_PUBLIC_USER};
    int64_t sub, impi, impu;

    snprintf(p.name, sizeof(p.name), "wwsf-pool");
    snprintf(p.wwsf, sizeof(p.wwsf), "wwsf.partner.test");
    assert_int_equal(hss_store_pool_add(f->s.st, &p, pool_id), HSS_OK);
    assert_int_equal(hss_store_subscription_add(f->s.st, "pool1", &sub),
                     HSS_OK);
    assert_int_equal(hss_store_impi_add(f->s.st, sub, &ni, &impi), HSS_OK);
    assert_int_equal(hss_store_impu_add(f->s.st, sub, &nu, &impu), HSS_OK);
    assert_int_equal(hss_store_assoc_add(f->s.st, impi, impu), HSS_OK);
    assert_int_equal(hss_store_pool_member_add(f->s.st, *pool_id, sub), HSS_OK);
    return sub;
}

static void test_uar_pool_without_lease_rejected(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of("pool1@ims.test", "sip:pool1@ims.test", 0);
    struct hss_lease l;
    struct cx_uar_ans a;
    int64_t pool;

    (void)pool_member(f, &pool);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(
        hss_store_lease_acquire(f->s.st, pool, "web-user-1", NOW - 10, 600, &l),
        HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
    /* the lease has run out at NOW + 600 */
    cx_uar_decide(f->s.st, f->s.mem.pend, &r, NOW + 600, &f->conf, &a);
    ASSERT_RC(a, CX_RC_AUTHORIZATION_REJECTED);
}

static void test_uar_roaming_not_allowed(void **state)
{
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    snprintf(r.vnid, sizeof(r.vnid), "elsewhere.test");
    a = run(*state, &r);
    ASSERT_ER(a, CX_ER_ROAMING_NOT_ALLOWED);
    r.auth_type = CX_UAT_REGISTRATION_AND_CAPABILITIES;
    a = run(*state, &r);
    ASSERT_ER(a, CX_ER_ROAMING_NOT_ALLOWED);
}

static void test_uar_roaming_any(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    snprintf(r.vnid, sizeof(r.vnid), "elsewhere.test");
    assert_int_equal(
        hss_store_subscription_set_roaming_any(f->s.st, f->sub, true), HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
}

static void test_uar_dereg_not_registered(void **state)
{
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_DE_REGISTRATION);
    struct cx_uar_ans a;

    /* no roaming check for DE_REGISTRATION */
    snprintf(r.vnid, sizeof(r.vnid), "elsewhere.test");
    a = run(*state, &r);
    ASSERT_ER(a, CX_ER_IDENTITY_NOT_REGISTERED);
    assert_false(a.has_server_name);
    assert_false(a.has_caps);
}

static void test_uar_first_registration_caps(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(hss_store_capability_add(f->s.st, f->sub, true, 7),
                     HSS_OK);
    assert_int_equal(hss_store_capability_add(f->s.st, f->sub, false, 9),
                     HSS_OK);
    assert_int_equal(
        hss_store_preferred_scscf_add(f->s.st, f->sub, "sip:s1.ims.test"),
        HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
    assert_false(a.has_server_name);
    assert_true(a.has_caps);
    assert_int_equal(a.caps.n_mandatory, 1);
    assert_int_equal(a.caps.mandatory[0], 7);
    assert_int_equal(a.caps.n_optional, 1);
    assert_int_equal(a.caps.optional[0], 9);
    assert_int_equal(a.caps.n_server_names, 1);
    assert_string_equal(a.caps.server_names[0], "sip:s1.ims.test");
}

static void test_uar_first_registration_empty_caps(void **state)
{
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a = run(*state, &r);

    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
    assert_true(a.has_caps);
    assert_int_equal(
        a.caps.n_mandatory + a.caps.n_optional + a.caps.n_server_names, 0);
}

static void test_uar_registered_subsequent(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    registered(f);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_SUBSEQUENT_REGISTRATION);
    assert_true(a.has_server_name);
    assert_string_equal(a.server_name, SCSCF);
    assert_false(a.has_caps);
}

static void test_uar_unregistered_state_subsequent(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    registered(f);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->s.st, f->impu, HSS_REG_UNREGISTERED),
        HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_SUBSEQUENT_REGISTRATION);
    assert_string_equal(a.server_name, SCSCF);
}

static void test_uar_registered_dereg_success(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_DE_REGISTRATION);
    struct cx_uar_ans a;

    registered(f);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_SUCCESS);
    assert_string_equal(a.server_name, SCSCF);
}

/* IMPU2 not registered, but the subscription has an S-CSCF (IMPU
 * registered, or stored by MAR with auth pending): that S-CSCF. */
static void test_uar_other_identity_scscf(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU2, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    registered(f);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_SUBSEQUENT_REGISTRATION);
    assert_string_equal(a.server_name, SCSCF);
}

static void test_uar_auth_pending_scscf(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(
        hss_store_subscription_set_scscf(f->s.st, f->sub, SCSCF, NULL, NULL),
        HSS_OK);
    assert_int_equal(
        hss_store_assoc_set_auth_pending(f->s.st, f->impi, f->impu, true),
        HSS_OK);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_SUBSEQUENT_REGISTRATION);
    assert_string_equal(a.server_name, SCSCF);
}

/* The same when the MAR kept the authentication in memory (cx_pending.h):
 * the second REGISTER goes to the S-CSCF that challenged, until the
 * authentication is forgotten (mar_pending_s) or ended. */
static void test_uar_auth_pending_in_memory(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub, 0, f->impi,
                                      f->impu, SCSCF, NOW - 10, NOW + 1),
                     0);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_SUBSEQUENT_REGISTRATION);
    assert_string_equal(a.server_name, SCSCF);
    /* any identity of the subscription is routed there (§6.1.1.1) */
    r = req_of(IMPI, IMPU2, CX_UAT_REGISTRATION);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_SUBSEQUENT_REGISTRATION);
    memset(&a, 0, sizeof(a));
    cx_uar_decide(f->s.st, f->s.mem.pend, &r, NOW + 1, &f->conf, &a);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
    cx_pending_end(f->s.mem.pend, f->sub, f->impi, f->impu);
    a = run(f, &r);
    ASSERT_ER(a, CX_ER_FIRST_REGISTRATION);
}

static void test_uar_registration_and_capabilities(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r =
        req_of(IMPI, IMPU, CX_UAT_REGISTRATION_AND_CAPABILITIES);
    struct cx_uar_ans a;

    registered(f);
    a = run(f, &r);
    ASSERT_RC(a, CX_RC_SUCCESS);
    assert_true(a.has_caps);
    assert_false(a.has_server_name);
}

static void test_uar_store_failure_unable_to_comply(void **state)
{
    struct fx *f = *state;
    struct cx_uar_req r = req_of(IMPI, IMPU, CX_UAT_REGISTRATION);
    struct cx_uar_ans a;

    /* a transaction left open makes the decision's BEGIN fail */
    assert_int_equal(hss_store_begin(f->s.st, HSS_TX_READ), HSS_OK);
    a = run(f, &r);
    hss_store_rollback(f->s.st);
    ASSERT_RC(a, CX_RC_UNABLE_TO_COMPLY);
    assert_true(a.error[0] != '\0');
    cx_uar_decide(NULL, f->s.mem.pend, &r, NOW, &f->conf, &a);
    ASSERT_RC(a, CX_RC_UNABLE_TO_COMPLY);
}

/* ---- decode ---------------------------------------------------------- */

static int fd_setup(void **state)
{
    (void)state;
    if (cxt_fd_init() != 0 || cxt_identity_set() != 0)
        return -1;
    return 0;
}

static struct msg *uar_msg(const char *impi, const char *impu, const char *vnid)
{
    struct msg *m = cxt_req_new(CX_CMD_UAR);

    assert_non_null(m);
    if (impi != NULL)
        assert_int_equal(cx_avp_add_str(m, CX_AVP_USER_NAME, 0, impi), 0);
    if (impu != NULL)
        assert_int_equal(
            cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, impu), 0);
    if (vnid != NULL)
        assert_int_equal(cx_avp_add_str(m, CX_AVP_VISITED_NETWORK_IDENTIFIER,
                                        CX_VENDOR_3GPP, vnid),
                         0);
    return m;
}

static void test_uar_decode_kamailio_style(void **state)
{
    struct msg *m = uar_msg(IMPI, IMPU, VNID);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    /* with an unknown vendor-50 AVP (no M bit) appended on the wire */
    assert_int_equal(
        cxt_reparse(&m, CXT_VENDOR50_AVP, sizeof(CXT_VENDOR50_AVP)), 0);
    assert_int_equal(cx_uar_decode(m, &r, &res), 0);
    assert_string_equal(r.impi, IMPI);
    assert_string_equal(r.impu, IMPU);
    assert_string_equal(r.vnid, VNID);
    assert_int_equal(r.auth_type, CX_UAT_REGISTRATION);
    assert_int_equal(r.flags, 0);
    fd_msg_free(m);
}

static void test_uar_decode_type_and_flags(void **state)
{
    struct msg *m = uar_msg(IMPI, IMPU, VNID);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_USER_AUTHORIZATION_TYPE,
                                    CX_VENDOR_3GPP, CX_UAT_DE_REGISTRATION),
                     0);
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_UAR_FLAGS, CX_VENDOR_3GPP,
                                    CX_UAR_FLAG_EMERGENCY),
                     0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(cx_uar_decode(m, &r, &res), 0);
    assert_int_equal(r.auth_type, CX_UAT_DE_REGISTRATION);
    assert_int_equal(r.flags, CX_UAR_FLAG_EMERGENCY);
    fd_msg_free(m);
}

static void test_uar_decode_bad_type_invalid(void **state)
{
    struct msg *m = uar_msg(IMPI, IMPU, VNID);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(
        cx_avp_add_u32(m, CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP, 3),
        0);
    assert_int_equal(cx_uar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_INVALID_AVP_VALUE);
    assert_non_null(res.failed_avp);
    fd_msg_free(m);
}

/* The answer's Failed-AVP holds an AVP with (code, vendor). */
static void assert_failed_avp(struct msg *ans, uint32_t code, uint32_t vendor)
{
    struct avp *fa = cx_avp_find(ans, CX_AVP_FAILED_AVP, 0, NULL);

    assert_non_null(fa);
    assert_non_null(cx_avp_find(fa, code, vendor, NULL));
}

static void test_uar_decode_missing_public_identity(void **state)
{
    struct msg *m = uar_msg(IMPI, NULL, VNID);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(cx_uar_decode(m, &r, &res), -1);
    assert_false(res.experimental);
    assert_int_equal(res.code, CX_RC_MISSING_AVP);
    assert_int_equal(res.failed_code, CX_AVP_PUBLIC_IDENTITY);
    assert_int_equal(res.failed_vendor, CX_VENDOR_3GPP);
    assert_int_equal(cx_answer_new(&m, &res), 0);
    assert_int_equal(cxt_u32(m, CX_AVP_RESULT_CODE, 0, 0), CX_RC_MISSING_AVP);
    assert_failed_avp(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP);
    fd_msg_free(m);
}

static void test_uar_decode_missing_user_name(void **state)
{
    struct msg *m = uar_msg(NULL, IMPU, VNID);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(cx_uar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_MISSING_AVP);
    assert_int_equal(res.failed_code, CX_AVP_USER_NAME);
    assert_int_equal(res.failed_vendor, 0);
    fd_msg_free(m);
}

static void test_uar_decode_missing_visited_network(void **state)
{
    struct msg *m = uar_msg(IMPI, IMPU, NULL);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(cx_uar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_MISSING_AVP);
    assert_int_equal(res.failed_code, CX_AVP_VISITED_NETWORK_IDENTIFIER);
    fd_msg_free(m);
}

static void test_uar_decode_empty_user_name_invalid(void **state)
{
    struct msg *m = uar_msg("", IMPU, VNID);
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(cx_uar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_INVALID_AVP_VALUE);
    assert_non_null(res.failed_avp);
    assert_int_equal(cx_answer_new(&m, &res), 0);
    assert_int_equal(cxt_u32(m, CX_AVP_RESULT_CODE, 0, 0),
                     CX_RC_INVALID_AVP_VALUE);
    assert_failed_avp(m, CX_AVP_USER_NAME, 0);
    fd_msg_free(m);
}

static void test_uar_decode_oversized_identity_invalid(void **state)
{
    char big[301];
    struct msg *m;
    struct cx_uar_req r;
    struct cx_result res = {0};

    (void)state;
    memset(big, 'a', 300);
    big[300] = '\0';
    memcpy(big, "sip:", 4);
    m = uar_msg(IMPI, big, VNID);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(cx_uar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_INVALID_AVP_VALUE);
    assert_non_null(res.failed_avp);
    fd_msg_free(m);
}

int main(void)
{
    const struct CMUnitTest decide[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_uar_unknown_impi),
        T(test_uar_unknown_impu),
        T(test_uar_psi_is_not_a_distinct_impu),
        T(test_uar_identities_dont_match),
        T(test_uar_barred_alone_rejected),
        T(test_uar_barred_with_unbarred_in_set),
        T(test_uar_barred_emergency_allowed),
        T(test_uar_revoked_impi_rejected),
        T(test_uar_expired_impi_rejected),
        T(test_uar_pool_without_lease_rejected),
        T(test_uar_roaming_not_allowed),
        T(test_uar_roaming_any),
        T(test_uar_dereg_not_registered),
        T(test_uar_first_registration_caps),
        T(test_uar_first_registration_empty_caps),
        T(test_uar_registered_subsequent),
        T(test_uar_unregistered_state_subsequent),
        T(test_uar_registered_dereg_success),
        T(test_uar_other_identity_scscf),
        T(test_uar_auth_pending_scscf),
        T(test_uar_auth_pending_in_memory),
        T(test_uar_registration_and_capabilities),
        T(test_uar_store_failure_unable_to_comply),
#undef T
    };
    const struct CMUnitTest decode[] = {
        cmocka_unit_test(test_uar_decode_kamailio_style),
        cmocka_unit_test(test_uar_decode_type_and_flags),
        cmocka_unit_test(test_uar_decode_bad_type_invalid),
        cmocka_unit_test(test_uar_decode_missing_public_identity),
        cmocka_unit_test(test_uar_decode_missing_user_name),
        cmocka_unit_test(test_uar_decode_missing_visited_network),
        cmocka_unit_test(test_uar_decode_empty_user_name_invalid),
        cmocka_unit_test(test_uar_decode_oversized_identity_invalid),
    };
    int fails = cmocka_run_group_tests_name("uar_decide", decide, NULL, NULL);

    fails += cmocka_run_group_tests_name("uar_decode", decode, fd_setup, NULL);
    return fails != 0;
}
