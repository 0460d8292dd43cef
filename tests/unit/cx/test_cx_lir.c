/* test_cx_lir.c - LIR decision table against a real temporary store, and
 * LIR decoding of real messages (TS 29.228 §6.1.4, TS 29.229 §6.1.7).
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

#include "cx_lir.h"
#include "cx_test_util.h"
#include "cxt_msg.h"
#include "hss_store.h"

#define NOW 1700000000
#define IMPU "sip:carol@ims.test"
#define SCSCF "sip:scscf1.ims.test:6060"
#define UNREG_IFC                                                              \
    "<InitialFilterCriteria><Priority>0</Priority>"                            \
    "<ApplicationServer><ServerName>sip:vm.ims.test</ServerName>"              \
    "</ApplicationServer><ProfilePartIndicator>1</ProfilePartIndicator>"       \
    "</InitialFilterCriteria>"

struct fx {
    struct cxt_store s;
    struct cx_conf conf;
    int64_t sub, impu;
};

static int setup(void **state)
{
    static struct fx f;
    struct hss_impu_new nu = {.name = IMPU, .type = HSS_ID_PUBLIC_USER};

    memset(&f, 0, sizeof(f));
    if (cxt_store_open(&f.s) != 0)
        return -1;
    cx_conf_defaults(&f.conf);
    if (hss_store_subscription_add(f.s.st, "carol", &f.sub) != HSS_OK ||
        hss_store_impu_add(f.s.st, f.sub, &nu, &f.impu) != HSS_OK)
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

static struct cx_lir_ans run(struct fx *f, const char *impu, bool orig)
{
    struct cx_lir_req r;
    struct cx_lir_ans a;

    memset(&r, 0, sizeof(r));
    snprintf(r.impu, sizeof(r.impu), "%s", impu);
    r.originating = orig;
    cx_lir_decide(f->s.st, f->s.mem.pend, &r, NOW, &f->conf, &a);
    return a;
}

static void assign(struct fx *f, enum hss_reg_state state)
{
    assert_int_equal(hss_store_subscription_set_scscf(
                         f->s.st, f->sub, SCSCF, "scscf1.ims.test", "ims.test"),
                     HSS_OK);
    assert_int_equal(hss_store_impu_set_reg_state(f->s.st, f->impu, state),
                     HSS_OK);
}

static void unreg_services(struct fx *f)
{
    int64_t prof;
    struct hss_impu u;

    assert_int_equal(
        hss_store_profile_add(f->s.st, f->sub, "p1", UNREG_IFC, &prof), HSS_OK);
    assert_int_equal(hss_store_impu_set_profile(f->s.st, f->impu, prof),
                     HSS_OK);
    assert_int_equal(hss_store_impu_get(f->s.st, IMPU, &u), HSS_OK);
    assert_true(u.has_unreg_services);
}

/* ---- decide ---------------------------------------------------------- */

static void test_lir_unknown(void **state)
{
    struct cx_lir_ans a = run(*state, "sip:nobody@ims.test", false);

    assert_true(a.result.experimental);
    assert_int_equal(a.result.code, CX_ER_USER_UNKNOWN);
}

static void test_lir_registered(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;

    assign(f, HSS_REG_REGISTERED);
    a = run(f, IMPU, false);
    assert_false(a.result.experimental);
    assert_int_equal(a.result.code, CX_RC_SUCCESS);
    assert_true(a.has_server_name);
    assert_string_equal(a.server_name, SCSCF);
    assert_false(a.has_caps);
}

static void test_lir_unregistered_state(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;

    assign(f, HSS_REG_UNREGISTERED);
    a = run(f, IMPU, false);
    assert_false(a.result.experimental);
    assert_int_equal(a.result.code, CX_RC_SUCCESS);
    assert_string_equal(a.server_name, SCSCF);
}

static void test_lir_not_registered(void **state)
{
    struct cx_lir_ans a = run(*state, IMPU, false);

    assert_true(a.result.experimental);
    assert_int_equal(a.result.code, CX_ER_IDENTITY_NOT_REGISTERED);
    assert_false(a.has_server_name);
    assert_false(a.has_caps);
}

static void test_lir_unreg_services_capabilities(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;

    unreg_services(f);
    assert_int_equal(hss_store_capability_add(f->s.st, f->sub, true, 3),
                     HSS_OK);
    a = run(f, IMPU, false);
    assert_true(a.result.experimental);
    assert_int_equal(a.result.code, CX_ER_UNREGISTERED_SERVICE);
    assert_true(a.has_caps);
    assert_int_equal(a.caps.n_mandatory, 1);
    assert_int_equal(a.caps.mandatory[0], 3);
    assert_false(a.has_server_name);
}

static void test_lir_unreg_services_stored_scscf(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;

    unreg_services(f);
    /* S-CSCF stored (e.g. by MAR, auth pending), identity not registered */
    assign(f, HSS_REG_NOT_REGISTERED);
    a = run(f, IMPU, false);
    assert_false(a.result.experimental);
    assert_int_equal(a.result.code, CX_RC_SUCCESS);
    assert_string_equal(a.server_name, SCSCF);
}

/* The same with the S-CSCF of an authentication in flight, kept in memory
 * by the MAR (cx_pending.h); forgotten after mar_pending_s. */
static void test_lir_unreg_services_pending_scscf(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;
    struct cx_lir_req r;

    unreg_services(f);
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub, 0, 1, f->impu,
                                      SCSCF, NOW - 10, NOW + 1),
                     0);
    a = run(f, IMPU, false);
    assert_false(a.result.experimental);
    assert_int_equal(a.result.code, CX_RC_SUCCESS);
    assert_string_equal(a.server_name, SCSCF);
    memset(&r, 0, sizeof(r));
    snprintf(r.impu, sizeof(r.impu), "%s", IMPU);
    cx_lir_decide(f->s.st, f->s.mem.pend, &r, NOW + 1, &f->conf, &a);
    assert_true(a.result.experimental);
    assert_int_equal(a.result.code, CX_ER_UNREGISTERED_SERVICE);
    assert_false(a.has_server_name);
}

static void test_lir_originating_capabilities(void **state)
{
    struct cx_lir_ans a = run(*state, IMPU, true);

    assert_true(a.result.experimental);
    assert_int_equal(a.result.code, CX_ER_UNREGISTERED_SERVICE);
    assert_true(a.has_caps); /* empty: nothing provisioned */
    assert_int_equal(a.caps.n_mandatory + a.caps.n_optional, 0);
}

static void test_lir_originating_stored_scscf(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;

    assign(f, HSS_REG_NOT_REGISTERED);
    a = run(f, IMPU, true);
    assert_int_equal(a.result.code, CX_RC_SUCCESS);
    assert_string_equal(a.server_name, SCSCF);
    /* without Originating-Request nor unregistered services: 5003 */
    a = run(f, IMPU, false);
    assert_true(a.result.experimental);
    assert_int_equal(a.result.code, CX_ER_IDENTITY_NOT_REGISTERED);
}

static void test_lir_registration_and_capabilities(void **state)
{
    struct fx *f = *state;
    struct cx_lir_req r;
    struct cx_lir_ans a;

    assign(f, HSS_REG_REGISTERED);
    memset(&r, 0, sizeof(r));
    snprintf(r.impu, sizeof(r.impu), "%s", IMPU);
    r.has_auth_type = true;
    r.auth_type = CX_UAT_REGISTRATION_AND_CAPABILITIES;
    cx_lir_decide(f->s.st, f->s.mem.pend, &r, NOW, &f->conf, &a);
    assert_int_equal(a.result.code, CX_RC_SUCCESS);
    assert_false(a.result.experimental);
    assert_true(a.has_caps);
    assert_false(a.has_server_name);
}

static void test_lir_store_failure_unable_to_comply(void **state)
{
    struct fx *f = *state;
    struct cx_lir_ans a;

    assert_int_equal(hss_store_begin(f->s.st, HSS_TX_READ), HSS_OK);
    a = run(f, IMPU, false);
    hss_store_rollback(f->s.st);
    assert_false(a.result.experimental);
    assert_int_equal(a.result.code, CX_RC_UNABLE_TO_COMPLY);
    assert_true(a.error[0] != '\0');
}

/* ---- decode ---------------------------------------------------------- */

static int fd_setup(void **state)
{
    (void)state;
    if (cxt_fd_init() != 0 || cxt_identity_set() != 0)
        return -1;
    return 0;
}

static void test_lir_decode_kamailio_style(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_lir_req r;
    struct cx_result res = {0};

    (void)state;
    assert_non_null(m);
    assert_int_equal(
        cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, IMPU), 0);
    assert_int_equal(
        cxt_reparse(&m, CXT_VENDOR50_AVP, sizeof(CXT_VENDOR50_AVP)), 0);
    assert_int_equal(cx_lir_decode(m, &r, &res), 0);
    assert_string_equal(r.impu, IMPU);
    assert_false(r.originating);
    assert_false(r.has_auth_type);
    fd_msg_free(m);
}

static void test_lir_decode_options(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_lir_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_ORIGINATING_REQUEST,
                                    CX_VENDOR_3GPP,
                                    CX_ORIGINATING_REQUEST_ORIGINATING),
                     0);
    assert_int_equal(
        cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, IMPU), 0);
    assert_int_equal(cx_avp_add_u32(m, CX_AVP_USER_AUTHORIZATION_TYPE,
                                    CX_VENDOR_3GPP,
                                    CX_UAT_REGISTRATION_AND_CAPABILITIES),
                     0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(cx_lir_decode(m, &r, &res), 0);
    assert_true(r.originating);
    assert_true(r.has_auth_type);
    assert_int_equal(r.auth_type, CX_UAT_REGISTRATION_AND_CAPABILITIES);
    fd_msg_free(m);
}

static void test_lir_decode_bad_originating_invalid(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_lir_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(
        cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, IMPU), 0);
    assert_int_equal(
        cx_avp_add_u32(m, CX_AVP_ORIGINATING_REQUEST, CX_VENDOR_3GPP, 5), 0);
    assert_int_equal(cx_lir_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_INVALID_AVP_VALUE);
    assert_non_null(res.failed_avp);
    fd_msg_free(m);
}

static void test_lir_decode_missing_public_identity(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_lir_req r;
    struct cx_result res = {0};
    struct avp *fa;

    (void)state;
    assert_int_equal(cx_lir_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_MISSING_AVP);
    assert_int_equal(res.failed_code, CX_AVP_PUBLIC_IDENTITY);
    assert_int_equal(res.failed_vendor, CX_VENDOR_3GPP);
    assert_int_equal(cx_answer_new(&m, &res), 0);
    fa = cx_avp_find(m, CX_AVP_FAILED_AVP, 0, NULL);
    assert_non_null(fa);
    assert_non_null(
        cx_avp_find(fa, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);
}

static void test_lir_decode_empty_identity_invalid(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_lir_req r;
    struct cx_result res = {0};

    (void)state;
    assert_int_equal(
        cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, ""), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_int_equal(cx_lir_decode(m, &r, &res), -1);
    assert_int_equal(res.code, CX_RC_INVALID_AVP_VALUE);
    fd_msg_free(m);
}

/* The LIA of a stored S-CSCF / capabilities, as encoded on the wire. */
static void test_lir_encode_name_and_caps(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_lir_ans a;
    struct avp *caps, *sn;
    const uint8_t *data;
    size_t len;

    (void)state;
    memset(&a, 0, sizeof(a));
    a.result = cx_result_er(CX_ER_UNREGISTERED_SERVICE);
    a.has_caps = true;
    a.caps.n_mandatory = 2;
    a.caps.mandatory[0] = 1;
    a.caps.mandatory[1] = 2;
    a.caps.n_optional = 1;
    a.caps.optional[0] = 9;
    a.caps.n_server_names = 1;
    snprintf(a.caps.server_names[0], sizeof(a.caps.server_names[0]),
             "sip:s1.ims.test");
    assert_int_equal(cx_answer_new(&m, &a.result), 0);
    assert_int_equal(cx_lir_encode(m, &a), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_null(cx_avp_find(m, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, NULL));
    caps = cx_avp_find(m, CX_AVP_SERVER_CAPABILITIES, CX_VENDOR_3GPP, NULL);
    assert_non_null(caps);
    assert_int_equal(
        cx_avp_count(caps, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP), 2);
    assert_int_equal(
        cxt_u32(caps, CX_AVP_OPTIONAL_CAPABILITY, CX_VENDOR_3GPP, 0), 9);
    sn = cx_avp_find(caps, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, NULL);
    assert_int_equal(cx_avp_get_bytes(sn, &data, &len), 0);
    assert_memory_equal(data, "sip:s1.ims.test", len);
    fd_msg_free(m);
}

int main(void)
{
    const struct CMUnitTest decide[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_lir_unknown),
        T(test_lir_registered),
        T(test_lir_unregistered_state),
        T(test_lir_not_registered),
        T(test_lir_unreg_services_capabilities),
        T(test_lir_unreg_services_stored_scscf),
        T(test_lir_unreg_services_pending_scscf),
        T(test_lir_originating_capabilities),
        T(test_lir_originating_stored_scscf),
        T(test_lir_registration_and_capabilities),
        T(test_lir_store_failure_unable_to_comply),
#undef T
    };
    const struct CMUnitTest decode[] = {
        cmocka_unit_test(test_lir_decode_kamailio_style),
        cmocka_unit_test(test_lir_decode_options),
        cmocka_unit_test(test_lir_decode_bad_originating_invalid),
        cmocka_unit_test(test_lir_decode_missing_public_identity),
        cmocka_unit_test(test_lir_decode_empty_identity_invalid),
        cmocka_unit_test(test_lir_encode_name_and_caps),
    };
    int fails = cmocka_run_group_tests_name("lir_decide", decide, NULL, NULL);

    fails += cmocka_run_group_tests_name("lir_decode", decode, fd_setup, NULL);
    return fails != 0;
}
