/* test_cx_outbox.c - the outbox module's testable parts: RTR/PPR building
 * (TS 29.229 §6.1.9, §6.1.11) inspected AVP by AVP after a wire round
 * trip, the retry/backoff decision, and outcome recording with the PPR ->
 * RTR fallback against a real temporary store.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cx_conf.h"
#include "cx_outbox_int.h"
#include "cx_test_util.h"
#include "cxt_msg.h"
#include "hss_store.h"

#define NOW 1700000000
#define IMPI "alice@ims.test"
#define IMPU "sip:alice@ims.test"
#define IMPU2 "sip:alice2@ims.test"
#define SCSCF "sip:scscf.ims.test:6060"
#define SCSCF_HOST "scscf.ims.test"
#define REALM "ims.test"

struct fx {
    struct cxt_store s;
    struct cx_conf conf;
    int64_t sub, impi, impu, impu2;
};

/* Subscription alice: IMPI alice, IMPUs alice and alice2 (one implicit
 * set), both registered through the IMPI at scscf.ims.test. */
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
    if (cxt_fd_init() != 0 || cxt_store_open(&f.s) != 0)
        return -1;
    cxt_identity_set();
    st = f.s.st;
    cx_conf_defaults(&f.conf);
    if (hss_store_subscription_add(st, "alice", &f.sub) != HSS_OK ||
        hss_store_impi_add(st, f.sub, &ni, &f.impi) != HSS_OK ||
        hss_store_impu_add(st, f.sub, &nu, &f.impu) != HSS_OK ||
        hss_store_impu_get(st, IMPU, &u) != HSS_OK)
        return -1;
    nu.name = IMPU2;
    nu.irs_id = u.irs_id;
    if (hss_store_impu_add(st, f.sub, &nu, &f.impu2) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.impu) != HSS_OK ||
        hss_store_assoc_add(st, f.impi, f.impu2) != HSS_OK ||
        hss_store_assoc_set_registered(st, f.impi, f.impu, true) != HSS_OK ||
        hss_store_assoc_set_registered(st, f.impi, f.impu2, true) != HSS_OK ||
        hss_store_impu_set_reg_state(st, f.impu, HSS_REG_REGISTERED) !=
            HSS_OK ||
        hss_store_impu_set_reg_state(st, f.impu2, HSS_REG_REGISTERED) !=
            HSS_OK ||
        hss_store_subscription_set_scscf(st, f.sub, SCSCF, SCSCF_HOST, REALM) !=
            HSS_OK)
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

static void item_init(struct hss_outbox_item *it, const struct fx *f,
                      enum hss_outbox_kind kind)
{
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->subscription_id = f->sub;
    snprintf(it->dest_host, sizeof(it->dest_host), "%s", SCSCF_HOST);
    snprintf(it->dest_realm, sizeof(it->dest_realm), "%s", REALM);
    snprintf(it->user_name, sizeof(it->user_name), "%s", IMPI);
}

/* String value of a child AVP into buf ("" when absent). */
static const char *str_of(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                          struct avp *after, char *buf, size_t size)
{
    struct avp *a = cx_avp_find(parent, code, vendor, after);
    const uint8_t *d;
    size_t len;

    buf[0] = '\0';
    if (a != NULL && cx_avp_get_bytes(a, &d, &len) == 0 && len < size) {
        memcpy(buf, d, len);
        buf[len] = '\0';
    }
    return buf;
}

static void assert_header(struct msg *m, uint32_t code)
{
    struct msg_hdr *h = NULL;
    struct avp *first = NULL;
    struct avp_hdr *ah = NULL;
    char buf[300];

    assert_int_equal(fd_msg_hdr(m, &h), 0);
    assert_int_equal(h->msg_code, code);
    assert_int_equal(h->msg_appl, CX_APP_ID);
    assert_true(h->msg_flags & CMD_FLAG_REQUEST);
    assert_true(h->msg_flags & CMD_FLAG_PROXIABLE);
    assert_int_equal(fd_msg_browse(m, MSG_BRW_FIRST_CHILD, &first, NULL), 0);
    assert_non_null(first);
    assert_int_equal(fd_msg_avp_hdr(first, &ah), 0);
    assert_int_equal(ah->avp_code, CX_AVP_SESSION_ID);
    assert_non_null(
        cx_avp_find(m, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, NULL));
    assert_int_equal(cxt_u32(m, CX_AVP_AUTH_SESSION_STATE, 0, 99),
                     CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    assert_string_equal(
        str_of(m, CX_AVP_ORIGIN_HOST, 0, NULL, buf, sizeof(buf)),
        "hss.test.example");
    assert_string_equal(
        str_of(m, CX_AVP_DESTINATION_HOST, 0, NULL, buf, sizeof(buf)),
        SCSCF_HOST);
    assert_string_equal(
        str_of(m, CX_AVP_DESTINATION_REALM, 0, NULL, buf, sizeof(buf)), REALM);
    assert_string_equal(str_of(m, CX_AVP_USER_NAME, 0, NULL, buf, sizeof(buf)),
                        IMPI);
    assert_int_equal(cx_avp_count(m, CX_AVP_USER_NAME, 0), 1);
}

/* ---- RTR ----------------------------------------------------------------- */

static void test_rtr_build(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item it;
    struct msg *m = NULL;
    struct avp *a, *reason;
    char buf[300];

    item_init(&it, f, HSS_OUTBOX_RTR);
    snprintf(it.impus[0], sizeof(it.impus[0]), "%s", IMPU);
    snprintf(it.impus[1], sizeof(it.impus[1]), "%s", IMPU2);
    it.n_impus = 2;
    it.reason_code = CX_REASON_PERMANENT_TERMINATION;
    snprintf(it.reason_info, sizeof(it.reason_info), "revoked");
    assert_int_equal(cx_outbox_build(f->s.st, &it, &m), 0);
    assert_non_null(m);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0); /* valid on the wire */
    assert_header(m, CX_CMD_RTR);
    assert_int_equal(cx_avp_count(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP),
                     2);
    a = cx_avp_find(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, NULL);
    assert_string_equal(str_of(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, NULL,
                               buf, sizeof(buf)),
                        IMPU);
    assert_string_equal(
        str_of(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, a, buf, sizeof(buf)),
        IMPU2);
    reason = cx_avp_find(m, CX_AVP_DEREGISTRATION_REASON, CX_VENDOR_3GPP, NULL);
    assert_non_null(reason);
    assert_int_equal(cxt_u32(reason, CX_AVP_REASON_CODE, CX_VENDOR_3GPP, 99),
                     CX_REASON_PERMANENT_TERMINATION);
    assert_string_equal(str_of(reason, CX_AVP_REASON_INFO, CX_VENDOR_3GPP, NULL,
                               buf, sizeof(buf)),
                        "revoked");
    fd_msg_free(m);
}

static void test_rtr_no_reason_info(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item it;
    struct msg *m = NULL;
    struct avp *reason;

    item_init(&it, f, HSS_OUTBOX_RTR);
    snprintf(it.impus[0], sizeof(it.impus[0]), "%s", IMPU);
    it.n_impus = 1;
    it.reason_code = CX_REASON_SERVER_CHANGE;
    assert_int_equal(cx_outbox_build(f->s.st, &it, &m), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    reason = cx_avp_find(m, CX_AVP_DEREGISTRATION_REASON, CX_VENDOR_3GPP, NULL);
    assert_non_null(reason);
    assert_int_equal(cxt_u32(reason, CX_AVP_REASON_CODE, CX_VENDOR_3GPP, 99),
                     CX_REASON_SERVER_CHANGE);
    assert_null(cx_avp_find(reason, CX_AVP_REASON_INFO, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);
}

static void test_build_rejects_unusable_items(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item it;
    struct msg *m = (struct msg *)&it; /* must be reset to NULL */

    item_init(&it, f, HSS_OUTBOX_RTR);
    it.dest_host[0] = '\0';
    assert_int_equal(cx_outbox_build(f->s.st, &it, &m), EINVAL);
    assert_null(m);
    item_init(&it, f, (enum hss_outbox_kind)7);
    assert_int_equal(cx_outbox_build(f->s.st, &it, &m), EINVAL);
    item_init(&it, f, HSS_OUTBOX_PPR); /* PPR with nothing to push */
    assert_int_equal(cx_outbox_build(f->s.st, &it, &m), EINVAL);
    assert_null(m);
}

/* ---- PPR ----------------------------------------------------------------- */

/* The payload builders belong to other modules; while they are still
 * placeholders (ENOSYS) the test is skipped rather than failed. */
static int ppr_build(struct fx *f, unsigned what, struct msg **m)
{
    struct hss_outbox_item it;
    int rc;

    item_init(&it, f, HSS_OUTBOX_PPR);
    it.ppr_what = what;
    rc = cx_outbox_build(f->s.st, &it, m);
    if (rc == ENOSYS)
        skip();
    return rc;
}

static void test_ppr_user_data(void **state)
{
    struct fx *f = *state;
    struct msg *m = NULL;
    char *buf = calloc(1, 65536);

    assert_non_null(buf);
    assert_int_equal(ppr_build(f, HSS_PPR_USER_DATA, &m), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_header(m, CX_CMD_PPR);
    str_of(m, CX_AVP_USER_DATA, CX_VENDOR_3GPP, NULL, buf, 65536);
    assert_non_null(strstr(buf, "<PrivateID>" IMPI "</PrivateID>"));
    assert_non_null(strstr(buf, IMPU2));
    assert_null(cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
                            CX_VENDOR_3GPP, NULL));
    assert_int_equal(cx_avp_count(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP),
                     0);
    fd_msg_free(m);
    free(buf);
}

/* An empty list is pushed as an empty group; a provisioned WAF is in it. */
static void test_ppr_waf_wwsf(void **state)
{
    struct fx *f = *state;
    struct msg *m = NULL;
    struct avp *g, *child = NULL;
    char buf[300];

    assert_int_equal(ppr_build(f, HSS_PPR_WAF_WWSF, &m), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_header(m, CX_CMD_PPR);
    g = cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, CX_VENDOR_3GPP,
                    NULL);
    assert_non_null(g);
    assert_int_equal(fd_msg_browse(g, MSG_BRW_FIRST_CHILD, &child, NULL), 0);
    assert_null(child);
    assert_null(cx_avp_find(m, CX_AVP_USER_DATA, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);

    assert_int_equal(hss_store_waf_add(f->s.st, f->sub, "waf.example.org"),
                     HSS_OK);
    assert_int_equal(ppr_build(f, HSS_PPR_WAF_WWSF, &m), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(
        cx_avp_count(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, CX_VENDOR_3GPP), 1);
    g = cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, CX_VENDOR_3GPP,
                    NULL);
    assert_string_equal(str_of(g, CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME,
                               CX_VENDOR_3GPP, NULL, buf, sizeof(buf)),
                        "waf.example.org");
    fd_msg_free(m);
}

/* AUTH_DATA for an IMPI without a digest credential cannot be built: the
 * sender marks such an item FAILED. */
static void test_ppr_auth_data_missing(void **state)
{
    struct fx *f = *state;
    struct msg *m = NULL;

    assert_int_not_equal(ppr_build(f, HSS_PPR_AUTH_DATA, &m), 0);
    assert_null(m);
}

/* ---- addressing a changed password's PPR (TS 29.228 §6.5.2.4) ----------- */

#define HA1 "0123456789abcdef0123456789abcdef"

/* alice not registered any more, and no S-CSCF stored. */
static void unregister(struct fx *f)
{
    struct hss_store *st = f->s.st;

    assert_int_equal(hss_store_assoc_set_registered(st, f->impi, f->impu, 0),
                     HSS_OK);
    assert_int_equal(hss_store_assoc_set_registered(st, f->impi, f->impu2, 0),
                     HSS_OK);
    assert_int_equal(
        hss_store_subscription_set_scscf(st, f->sub, NULL, NULL, NULL), HSS_OK);
}

/* The PPR hssctl queues when alice's password changes while it sees no
 * registration: no destination. */
static void unaddressed(struct hss_outbox_item *it, const struct fx *f)
{
    item_init(it, f, HSS_OUTBOX_PPR);
    it->ppr_what = HSS_PPR_AUTH_DATA;
    it->dest_host[0] = '\0';
    it->dest_realm[0] = '\0';
}

/* An authentication in flight (memory) gets it, with the new H(A1). */
static void test_address_in_flight(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item it;
    struct msg *m = NULL;
    struct avp *item, *auth;
    char buf[300];

    unregister(f);
    assert_int_equal(
        hss_store_digest_set(f->s.st, f->impi, REALM, HSS_HA1_MD5, HA1, true),
        HSS_OK);
    unaddressed(&it, f);
    /* nobody serves alice: nothing to send */
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW),
                     ENOENT);
    assert_string_equal(it.dest_host, "");
    /* the build refuses what was not addressed */
    assert_int_equal(cx_outbox_build(f->s.st, &it, &m), EINVAL);
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub, 0, f->impi,
                                      f->impu, SCSCF, NOW - 10, NOW + 300),
                     0);
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW), 0);
    assert_string_equal(it.dest_host, "scscf.localdomain");
    assert_string_equal(it.dest_realm, "localdomain");
    if (cx_outbox_build(f->s.st, &it, &m) == ENOSYS)
        skip();
    assert_non_null(m);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_string_equal(
        str_of(m, CX_AVP_DESTINATION_HOST, 0, NULL, buf, sizeof(buf)),
        "scscf.localdomain");
    item = cx_avp_find(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, NULL);
    assert_non_null(item);
    auth =
        cx_avp_find(item, CX_AVP_SIP_DIGEST_AUTHENTICATE, CX_VENDOR_3GPP, NULL);
    assert_non_null(auth);
    assert_string_equal(
        str_of(auth, CX_AVP_DIGEST_HA1, 0, NULL, buf, sizeof(buf)), HA1);
    fd_msg_free(m);
    /* after the authentication ended (and expired): nothing again */
    unaddressed(&it, f);
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW + 300),
                     ENOENT);
}

/* The stored state: a registration through the IMPI, or the
 * authentication-pending flag memory did not take, with the stored S-CSCF. */
static void test_address_stored(void **state)
{
    struct fx *f = *state;
    struct hss_store *st = f->s.st;
    struct hss_outbox_item it;

    unaddressed(&it, f); /* the fixture's alice is registered */
    assert_int_equal(cx_outbox_address(st, f->s.mem.pend, &it, NOW), 0);
    assert_string_equal(it.dest_host, SCSCF_HOST);
    assert_string_equal(it.dest_realm, REALM);
    unregister(f);
    assert_int_equal(hss_store_assoc_set_auth_pending(st, f->impi, f->impu, 1),
                     HSS_OK);
    unaddressed(&it, f);
    /* a flag without a stored S-CSCF reaches nobody */
    assert_int_equal(cx_outbox_address(st, f->s.mem.pend, &it, NOW), ENOENT);
    assert_int_equal(hss_store_subscription_set_scscf(st, f->sub, SCSCF,
                                                      "s2.ims.test", REALM),
                     HSS_OK);
    assert_int_equal(cx_outbox_address(st, f->s.mem.pend, &it, NOW), 0);
    assert_string_equal(it.dest_host, "s2.ims.test");
    /* an authentication in flight in memory comes first */
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub, 0, f->impi,
                                      f->impu, SCSCF, NOW, NOW + 300),
                     0);
    unaddressed(&it, f);
    assert_int_equal(cx_outbox_address(st, f->s.mem.pend, &it, NOW), 0);
    assert_string_equal(it.dest_host, "scscf.localdomain");
}

/* Only a PPR of SIP-Auth-Data-Item alone is addressed here. */
static void test_address_refuses(void **state)
{
    struct fx *f = *state;
    struct hss_outbox_item it;

    unaddressed(&it, f);
    it.ppr_what = HSS_PPR_USER_DATA;
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW),
                     EINVAL);
    it.ppr_what = HSS_PPR_AUTH_DATA | HSS_PPR_CHARGING;
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW),
                     EINVAL);
    unaddressed(&it, f);
    it.kind = HSS_OUTBOX_RTR;
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW),
                     EINVAL);
    unaddressed(&it, f);
    snprintf(it.user_name, sizeof(it.user_name), "%s", "nobody@ims.test");
    assert_int_equal(cx_outbox_address(f->s.st, f->s.mem.pend, &it, NOW),
                     ENOENT);
    assert_string_equal(it.dest_host, "");
}

/* ---- decisions ----------------------------------------------------------- */

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(cx_outbox_classify(2001), CX_OUTBOX_ANSWERED_OK);
    assert_int_equal(cx_outbox_classify(2002), CX_OUTBOX_ANSWERED_OK);
    assert_int_equal(cx_outbox_classify(0), CX_OUTBOX_TRANSIENT);
    assert_int_equal(cx_outbox_classify(3002), CX_OUTBOX_TRANSIENT);
    assert_int_equal(cx_outbox_classify(4001), CX_OUTBOX_TRANSIENT);
    assert_int_equal(cx_outbox_classify(5001), CX_OUTBOX_PERMANENT);
    assert_int_equal(cx_outbox_classify(5008), CX_OUTBOX_PERMANENT);
    assert_int_equal(cx_outbox_classify(5012), CX_OUTBOX_PERMANENT);
}

static void test_decide(void **state)
{
    struct cx_outbox_next n;

    (void)state;
    n = cx_outbox_decide(CX_OUTBOX_ANSWERED_OK, 1, 3, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_DONE);
    n = cx_outbox_decide(CX_OUTBOX_ANSWERED_OK, 3, 3, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_DONE);
    /* backoff doubles per attempt: 2, 4, 8 s */
    n = cx_outbox_decide(CX_OUTBOX_TIMEOUT, 1, 4, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_PENDING);
    assert_int_equal(n.next_attempt, NOW + 2);
    n = cx_outbox_decide(CX_OUTBOX_TRANSIENT, 2, 4, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_PENDING);
    assert_int_equal(n.next_attempt, NOW + 4);
    n = cx_outbox_decide(CX_OUTBOX_TIMEOUT, 3, 4, 2, NOW);
    assert_int_equal(n.next_attempt, NOW + 8);
    /* the last attempt is final */
    n = cx_outbox_decide(CX_OUTBOX_TIMEOUT, 4, 4, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_FAILED);
    n = cx_outbox_decide(CX_OUTBOX_TRANSIENT, 1, 1, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_FAILED);
    /* a permanent error is final at once */
    n = cx_outbox_decide(CX_OUTBOX_PERMANENT, 1, 3, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_FAILED);
    /* huge attempt counts do not overflow */
    n = cx_outbox_decide(CX_OUTBOX_TIMEOUT, 60, 100, 2, NOW);
    assert_int_equal(n.state, HSS_OUTBOX_PENDING);
    assert_int_equal(n.next_attempt, NOW + ((int64_t)2 << 20));
}

/* ---- recording outcomes ------------------------------------------------- */

struct rows {
    struct hss_outbox_item items[8];
    size_t n;
};

static int collect(void *ctx, const struct hss_outbox_item *it)
{
    struct rows *r = ctx;

    if (r->n < 8)
        r->items[r->n++] = *it;
    return 0;
}

static int claim_one(void *ctx, const struct hss_outbox_item *it)
{
    *(struct hss_outbox_item *)ctx = *it;
    return 1;
}

/* Queues and claims one PPR; fills the in-flight record. */
static void ppr_in_flight(struct fx *f, struct cx_outbox_sent *s)
{
    struct hss_outbox_item it, got;

    item_init(&it, f, HSS_OUTBOX_PPR);
    it.ppr_what = HSS_PPR_USER_DATA;
    assert_int_equal(hss_store_outbox_add(f->s.st, &it, NOW), HSS_OK);
    memset(&got, 0, sizeof(got));
    assert_int_equal(hss_store_outbox_claim(f->s.st, NOW, 1, claim_one, &got),
                     HSS_OK);
    assert_int_equal(got.id, it.id);
    assert_int_equal(got.state, HSS_OUTBOX_SENT);
    memset(s, 0, sizeof(*s));
    s->id = got.id;
    s->kind = got.kind;
    s->attempt = got.attempts;
    s->subscription_id = got.subscription_id;
    memcpy(s->dest_host, got.dest_host, sizeof(s->dest_host));
    memcpy(s->dest_realm, got.dest_realm, sizeof(s->dest_realm));
    memcpy(s->user_name, got.user_name, sizeof(s->user_name));
}

static void test_record_done(void **state)
{
    struct fx *f = *state;
    struct cx_outbox_sent s;
    struct rows r = {.n = 0};

    ppr_in_flight(f, &s);
    assert_int_equal(s.attempt, 1);
    assert_int_equal(cx_outbox_record(f->s.st, &s, CX_OUTBOX_ANSWERED_OK, 2001,
                                      NOW, &f->conf),
                     HSS_OUTBOX_DONE);
    assert_int_equal(hss_store_outbox_each(f->s.st, -1, 0, collect, &r),
                     HSS_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.items[0].state, HSS_OUTBOX_DONE);
    assert_int_equal(r.items[0].last_result, 2001);
}

static void test_record_retry(void **state)
{
    struct fx *f = *state;
    struct cx_outbox_sent s;
    struct rows r = {.n = 0};

    f->conf.outbox_max_attempts = 3;
    f->conf.outbox_backoff_s = 2;
    ppr_in_flight(f, &s);
    assert_int_equal(
        cx_outbox_record(f->s.st, &s, CX_OUTBOX_TIMEOUT, 0, NOW, &f->conf),
        HSS_OUTBOX_PENDING);
    assert_int_equal(hss_store_outbox_each(f->s.st, -1, 0, collect, &r),
                     HSS_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.items[0].state, HSS_OUTBOX_PENDING);
    assert_int_equal(r.items[0].next_attempt, NOW + 2);
    assert_int_equal(r.items[0].attempts, 1);
}

/* A PPR that ends FAILED de-registers the IMPI's IMPUs and queues an RTR
 * (SERVER_CHANGE) naming them to the same S-CSCF, in one transaction. */
static void test_ppr_failure_falls_back_to_rtr(void **state)
{
    struct fx *f = *state;
    struct cx_outbox_sent s;
    struct rows r = {.n = 0};
    struct hss_subscription *sub = calloc(1, sizeof(*sub));
    struct hss_impu u;
    const struct hss_outbox_item *rtr;

    assert_non_null(sub);
    f->conf.outbox_max_attempts = 1;
    f->conf.ppr_fallback_rtr = true;
    ppr_in_flight(f, &s);
    assert_int_equal(
        cx_outbox_record(f->s.st, &s, CX_OUTBOX_TIMEOUT, 0, NOW + 5, &f->conf),
        HSS_OUTBOX_FAILED);
    assert_int_equal(hss_store_outbox_each(f->s.st, -1, 0, collect, &r),
                     HSS_OK);
    assert_int_equal(r.n, 2); /* newest first: the RTR, then the PPR */
    assert_int_equal(r.items[1].kind, HSS_OUTBOX_PPR);
    assert_int_equal(r.items[1].state, HSS_OUTBOX_FAILED);
    rtr = &r.items[0];
    assert_int_equal(rtr->kind, HSS_OUTBOX_RTR);
    assert_int_equal(rtr->state, HSS_OUTBOX_PENDING);
    assert_int_equal(rtr->reason_code, CX_REASON_SERVER_CHANGE);
    assert_string_equal(rtr->dest_host, SCSCF_HOST);
    assert_string_equal(rtr->dest_realm, REALM);
    assert_string_equal(rtr->user_name, IMPI);
    assert_int_equal(rtr->n_impus, 2);
    assert_true((strcmp(rtr->impus[0], IMPU) == 0 &&
                 strcmp(rtr->impus[1], IMPU2) == 0) ||
                (strcmp(rtr->impus[0], IMPU2) == 0 &&
                 strcmp(rtr->impus[1], IMPU) == 0));
    assert_int_equal(rtr->next_attempt, NOW + 5);
    assert_int_equal(hss_store_impu_get(f->s.st, IMPU, &u), HSS_OK);
    assert_int_equal(u.reg_state, HSS_REG_NOT_REGISTERED);
    assert_int_equal(hss_store_impu_get(f->s.st, IMPU2, &u), HSS_OK);
    assert_int_equal(u.reg_state, HSS_REG_NOT_REGISTERED);
    assert_int_equal(hss_store_subscription_get(f->s.st, f->sub, sub), HSS_OK);
    assert_string_equal(sub->scscf_name, "");
    free(sub);
}

/* Without ppr_fallback_rtr a failed PPR changes nothing else. */
static void test_ppr_failure_no_fallback(void **state)
{
    struct fx *f = *state;
    struct cx_outbox_sent s;
    struct rows r = {.n = 0};
    struct hss_impu u;

    f->conf.outbox_max_attempts = 3;
    f->conf.ppr_fallback_rtr = false;
    ppr_in_flight(f, &s);
    assert_int_equal(
        cx_outbox_record(f->s.st, &s, CX_OUTBOX_PERMANENT, 5008, NOW, &f->conf),
        HSS_OUTBOX_FAILED);
    assert_int_equal(hss_store_outbox_each(f->s.st, -1, 0, collect, &r),
                     HSS_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.items[0].last_result, 5008);
    assert_int_equal(hss_store_impu_get(f->s.st, IMPU, &u), HSS_OK);
    assert_int_equal(u.reg_state, HSS_REG_REGISTERED);
}

/* An IMPU another IMPI keeps registered stays REGISTERED; the S-CSCF name
 * stays. The RTR still names it: this IMPI's registration ends. */
static void test_fallback_keeps_shared_registration(void **state)
{
    struct fx *f = *state;
    struct hss_impi_new ni = {.name = "alice-ims@ims.test",
                              .kind = HSS_IMPI_REGULAR,
                              .schemes = HSS_SCHEME_AKA,
                              .default_scheme = HSS_SCHEME_AKA};
    struct cx_outbox_sent s;
    struct hss_impu u;
    struct hss_assoc a;
    int64_t other;
    size_t n = 0;

    assert_int_equal(hss_store_impi_add(f->s.st, f->sub, &ni, &other), HSS_OK);
    assert_int_equal(hss_store_assoc_add(f->s.st, other, f->impu), HSS_OK);
    assert_int_equal(
        hss_store_assoc_set_registered(f->s.st, other, f->impu, true), HSS_OK);
    ppr_in_flight(f, &s);
    assert_int_equal(cx_outbox_ppr_fallback(f->s.st, &s, NOW, &n), HSS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(hss_store_impu_get(f->s.st, IMPU, &u), HSS_OK);
    assert_int_equal(u.reg_state, HSS_REG_REGISTERED);
    assert_int_equal(hss_store_impu_get(f->s.st, IMPU2, &u), HSS_OK);
    assert_int_equal(u.reg_state, HSS_REG_NOT_REGISTERED);
    assert_int_equal(hss_store_assoc_get(f->s.st, f->impi, f->impu, &a),
                     HSS_OK);
    assert_false(a.registered);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rtr_build, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtr_no_reason_info, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_rejects_unusable_items,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ppr_user_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ppr_waf_wwsf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ppr_auth_data_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_address_in_flight, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_address_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_refuses, setup, teardown),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_decide),
        cmocka_unit_test_setup_teardown(test_record_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ppr_failure_falls_back_to_rtr,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ppr_failure_no_fallback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fallback_keeps_shared_registration,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
