/* test_dict_cx.c - unit tests of dict_cx_core loaded alone (dcx_load).
 *
 * Owns the checks that every Cx command resolves by name and by code in
 * the Cx application, that every AVP of TS 29.229 Table 6.3.1 and every
 * imported AVP resolves by code+vendor and by name with the expected base
 * type and flags (an expected table written independently of dcx_avps.c),
 * that enumerated values are named, and that one request per command
 * survives bufferize / parse / parse_dict / parse_rules unchanged.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dcx_test_msg.h"
#include "dict_cx.h"

#define V3 CX_VENDOR_3GPP
#define M AVP_FLAG_MANDATORY
#define V AVP_FLAG_VENDOR
#define OS AVP_TYPE_OCTETSTRING
#define U32 AVP_TYPE_UNSIGNED32
#define U64 AVP_TYPE_UNSIGNED64
#define I32 AVP_TYPE_INTEGER32
#define GR AVP_TYPE_GROUPED

struct expect_avp {
    uint32_t code;
    uint32_t vendor;
    const char *name;
    enum dict_avp_basetype base;
    uint8_t val;
    uint8_t mask;
};

/* TS 29.229 Table 6.3.1 (627 unused) and the imported AVPs. */
static const struct expect_avp expect_avps[] = {
    {600, V3, "Visited-Network-Identifier", OS, M | V, M | V},
    {601, V3, "Public-Identity", OS, M | V, M | V},
    {602, V3, "Server-Name", OS, M | V, M | V},
    {603, V3, "Server-Capabilities", GR, M | V, M | V},
    {604, V3, "Mandatory-Capability", U32, M | V, M | V},
    {605, V3, "Optional-Capability", U32, M | V, M | V},
    {606, V3, "User-Data", OS, M | V, M | V},
    {607, V3, "SIP-Number-Auth-Items", U32, M | V, M | V},
    {608, V3, "SIP-Authentication-Scheme", OS, M | V, M | V},
    {609, V3, "SIP-Authenticate", OS, M | V, M | V},
    {610, V3, "SIP-Authorization", OS, M | V, M | V},
    {611, V3, "SIP-Authentication-Context", OS, M | V, M | V},
    {612, V3, "SIP-Auth-Data-Item", GR, M | V, M | V},
    {613, V3, "SIP-Item-Number", U32, M | V, M | V},
    {614, V3, "Server-Assignment-Type", I32, M | V, M | V},
    {615, V3, "Deregistration-Reason", GR, M | V, M | V},
    {616, V3, "Reason-Code", I32, M | V, M | V},
    {617, V3, "Reason-Info", OS, M | V, M | V},
    {618, V3, "Charging-Information", GR, M | V, M | V},
    {619, V3, "Primary-Event-Charging-Function-Name", OS, M | V, M | V},
    {620, V3, "Secondary-Event-Charging-Function-Name", OS, M | V, M | V},
    {621, V3, "Primary-Charging-Collection-Function-Name", OS, M | V, M | V},
    {622, V3, "Secondary-Charging-Collection-Function-Name", OS, M | V, M | V},
    {623, V3, "User-Authorization-Type", I32, M | V, M | V},
    {624, V3, "User-Data-Already-Available", I32, M | V, M | V},
    {625, V3, "Confidentiality-Key", OS, M | V, M | V},
    {626, V3, "Integrity-Key", OS, M | V, M | V},
    {628, V3, "Supported-Features", GR, V, V},
    {629, V3, "Feature-List-ID", U32, V, M | V},
    {630, V3, "Feature-List", U32, V, M | V},
    {631, V3, "Supported-Applications", GR, V, M | V},
    {632, V3, "Associated-Identities", GR, V, M | V},
    {633, V3, "Originating-Request", I32, M | V, M | V},
    {634, V3, "Wildcarded-Public-Identity", OS, V, M | V},
    {635, V3, "SIP-Digest-Authenticate", GR, V, M | V},
    {636, V3, "Wildcarded-IMPU", OS, V, M | V},
    {637, V3, "UAR-Flags", U32, V, M | V},
    {638, V3, "Loose-Route-Indication", I32, V, M | V},
    {639, V3, "SCSCF-Restoration-Info", GR, V, M | V},
    {640, V3, "Path", OS, V, M | V},
    {641, V3, "Contact", OS, V, M | V},
    {642, V3, "Subscription-Info", GR, V, M | V},
    {643, V3, "Call-ID-SIP-Header", OS, V, M | V},
    {644, V3, "From-SIP-Header", OS, V, M | V},
    {645, V3, "To-SIP-Header", OS, V, M | V},
    {646, V3, "Record-Route", OS, V, M | V},
    {647, V3, "Associated-Registered-Identities", GR, V, M | V},
    {648, V3, "Multiple-Registration-Indication", I32, V, M | V},
    {649, V3, "Restoration-Info", GR, V, M | V},
    {650, V3, "Session-Priority", I32, V, M | V},
    {651, V3, "Identity-with-Emergency-Registration", GR, V, M | V},
    {652, V3, "Priviledged-Sender-Indication", I32, V, M | V},
    {653, V3, "LIA-Flags", U32, V, M | V},
    {654, V3, "Initial-CSeq-Sequence-Number", U32, V, M | V},
    {655, V3, "SAR-Flags", U32, V, M | V},
    {656, V3, "Allowed-WAF-WWSF-Identities", GR, V, M | V},
    {657, V3, "WebRTC-Authentication-Function-Name", OS, V, M | V},
    {658, V3, "WebRTC-Web-Server-Function-Name", OS, V, M | V},
    {659, V3, "RTR-Flags", U32, V, M | V},
    {660, V3, "P-CSCF-Subscription-Info", GR, V, M | V},
    {661, V3, "Registration-Time-Out", OS, V, M | V},
    {662, V3, "Alternate-Digest-Algorithm", OS, V, M | V},
    {663, V3, "Alternate-Digest-HA1", OS, V, M | V},
    {664, V3, "Failed-PCSCF", GR, V, M | V},
    {665, V3, "PCSCF-FQDN", OS, V, M | V},
    {666, V3, "PCSCF-IP-Address", OS, V, M | V},
    /* imported */
    {104, 0, "Digest-Realm", OS, M, M | V},
    {110, 0, "Digest-QoP", OS, M, M | V},
    {111, 0, "Digest-Algorithm", OS, M, M | V},
    {121, 0, "Digest-HA1", OS, M, M | V},
    {8, 0, "Framed-IP-Address", OS, M, M | V},
    {96, 0, "Framed-Interface-Id", U64, M, M | V},
    {97, 0, "Framed-IPv6-Prefix", OS, M, M | V},
    {301, 0, "DRMP", I32, 0, M | V},
    {500, CX_VENDOR_ETSI, "Line-Identifier", OS, V, V},
};

struct expect_cmd {
    const char *name;
    uint32_t code;
    int request;
};

static const struct expect_cmd expect_cmds[] = {
    {DCX_NAME_UAR, 300, 1}, {DCX_NAME_UAA, 300, 0}, {DCX_NAME_SAR, 301, 1},
    {DCX_NAME_SAA, 301, 0}, {DCX_NAME_LIR, 302, 1}, {DCX_NAME_LIA, 302, 0},
    {DCX_NAME_MAR, 303, 1}, {DCX_NAME_MAA, 303, 0}, {DCX_NAME_RTR, 304, 1},
    {DCX_NAME_RTA, 304, 0}, {DCX_NAME_PPR, 305, 1}, {DCX_NAME_PPA, 305, 0},
};

static struct dictionary *dict(void)
{
    return fd_g_config->cnf_dict;
}

static int group_setup(void **state)
{
    (void)state;
    if (fd_core_initialize() != 0)
        return -1;
    return dcx_load() == 0 ? 0 : -1;
}

static void test_dcx_load_second_call_is_noop(void **state)
{
    (void)state;
    assert_int_equal(dcx_load(), 0);
}

static void test_dcx_load_application_and_vendors(void **state)
{
    application_id_t app_id = CX_APP_ID;
    vendor_id_t vid = CX_VENDOR_ETSI;
    struct dict_object *obj = NULL;
    struct dict_vendor_data vd;

    (void)state;
    assert_int_equal(fd_dict_search(dict(), DICT_APPLICATION, APPLICATION_BY_ID,
                                    &app_id, &obj, ENOENT),
                     0);
    assert_int_equal(
        fd_dict_search(dict(), DICT_VENDOR, VENDOR_BY_ID, &vid, &obj, ENOENT),
        0);
    assert_int_equal(fd_dict_getval(obj, &vd), 0);
    assert_string_equal(vd.vendor_name, "ETSI");
}

static void test_dcx_load_commands_by_name_and_code(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(expect_cmds) / sizeof(expect_cmds[0]); i++) {
        const struct expect_cmd *e = &expect_cmds[i];
        struct dict_object *by_name = NULL;
        struct dict_object *by_code = NULL;
        struct dict_object *app = NULL;
        struct dict_cmd_data cd;
        struct dict_application_data ad;
        command_code_t code = e->code;

        assert_int_equal(fd_dict_search(dict(), DICT_COMMAND, CMD_BY_NAME,
                                        e->name, &by_name, ENOENT),
                         0);
        assert_int_equal(fd_dict_getval(by_name, &cd), 0);
        assert_int_equal(cd.cmd_code, e->code);
        if (e->request) {
            assert_int_equal(cd.cmd_flag_val,
                             CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE);
            assert_int_equal(fd_dict_search(dict(), DICT_COMMAND, CMD_BY_CODE_R,
                                            &code, &by_code, ENOENT),
                             0);
        } else {
            assert_int_equal(cd.cmd_flag_val & cd.cmd_flag_mask,
                             CMD_FLAG_PROXIABLE);
            assert_int_equal(fd_dict_search(dict(), DICT_COMMAND, CMD_BY_CODE_A,
                                            &code, &by_code, ENOENT),
                             0);
        }
        assert_ptr_equal(by_name, by_code);
        assert_int_equal(fd_dict_search(dict(), DICT_APPLICATION,
                                        APPLICATION_OF_COMMAND, by_name, &app,
                                        ENOENT),
                         0);
        assert_int_equal(fd_dict_getval(app, &ad), 0);
        assert_int_equal(ad.application_id, CX_APP_ID);
    }
}

static void test_dcx_load_every_avp(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(expect_avps) / sizeof(expect_avps[0]); i++) {
        const struct expect_avp *e = &expect_avps[i];
        struct dict_avp_request by_code = {.avp_vendor = e->vendor,
                                           .avp_code = e->code};
        struct dict_avp_request by_name = {.avp_vendor = e->vendor,
                                           .avp_name = (char *)e->name};
        struct dict_object *o1 = NULL;
        struct dict_object *o2 = NULL;
        struct dict_avp_data d;

        print_message("AVP %u/%u %s\n", e->code, e->vendor, e->name);
        assert_int_equal(fd_dict_search(dict(), DICT_AVP,
                                        AVP_BY_CODE_AND_VENDOR, &by_code, &o1,
                                        ENOENT),
                         0);
        assert_int_equal(fd_dict_search(dict(), DICT_AVP,
                                        AVP_BY_NAME_AND_VENDOR, &by_name, &o2,
                                        ENOENT),
                         0);
        assert_ptr_equal(o1, o2);
        assert_int_equal(fd_dict_getval(o1, &d), 0);
        assert_string_equal(d.avp_name, e->name);
        assert_int_equal(d.avp_basetype, e->base);
        assert_int_equal(d.avp_flag_mask, e->mask);
        assert_int_equal(d.avp_flag_val & d.avp_flag_mask, e->val);
    }
    /* 627 (User-Data-Request-Type) was removed from the spec. */
    {
        struct dict_avp_request r = {.avp_vendor = V3, .avp_code = 627};
        struct dict_object *o = NULL;

        assert_int_equal(fd_dict_search(dict(), DICT_AVP,
                                        AVP_BY_CODE_AND_VENDOR, &r, &o, ENOENT),
                         ENOENT);
    }
}

static void expect_enum(uint32_t code, uint32_t vendor, const char *name,
                        int32_t value)
{
    struct dict_avp_request r = {.avp_vendor = vendor, .avp_code = code};
    struct dict_object *avp = NULL;
    struct dict_object *type = NULL;
    struct dict_object *ev = NULL;
    struct dict_enumval_request req;
    struct dict_enumval_data data;

    assert_int_equal(fd_dict_search(dict(), DICT_AVP, AVP_BY_CODE_AND_VENDOR,
                                    &r, &avp, ENOENT),
                     0);
    assert_int_equal(
        fd_dict_search(dict(), DICT_TYPE, TYPE_OF_AVP, avp, &type, ENOENT), 0);
    memset(&req, 0, sizeof(req));
    req.type_obj = type;
    req.search.enum_value.i32 = value;
    assert_int_equal(fd_dict_search(dict(), DICT_ENUMVAL, ENUMVAL_BY_STRUCT,
                                    &req, &ev, ENOENT),
                     0);
    assert_int_equal(fd_dict_getval(ev, &data), 0);
    assert_string_equal(data.enum_name, name);
}

static void test_dcx_load_enum_values_named(void **state)
{
    (void)state;
    expect_enum(614, V3, "NO_ASSIGNMENT", 0);
    expect_enum(614, V3, "ADMINISTRATIVE_DEREGISTRATION", 8);
    expect_enum(614, V3, "DEREGISTRATION_TOO_MUCH_DATA", 11);
    expect_enum(616, V3, "REMOVE_S-CSCF", 3);
    expect_enum(623, V3, "REGISTRATION_AND_CAPABILITIES", 2);
    expect_enum(624, V3, "USER_DATA_ALREADY_AVAILABLE", 1);
    expect_enum(633, V3, "ORIGINATING", 0);
    expect_enum(638, V3, "LOOSE_ROUTE_REQUIRED", 1);
    expect_enum(648, V3, "MULTIPLE_REGISTRATION", 1);
    expect_enum(650, V3, "PRIORITY-4", 4);
    expect_enum(652, V3, "PRIVILEDGED_SENDER", 1);
    expect_enum(301, 0, "PRIORITY_15", 15);
}

static void test_roundtrip_uar(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_uar), 0);
}

static void test_roundtrip_sar(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_sar), 0);
}

static void test_roundtrip_lir(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_lir), 0);
}

static void test_roundtrip_mar_sip_digest(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_mar), 0);
}

static void test_roundtrip_rtr_deregistration_reason(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_rtr), 0);
}

static void test_roundtrip_ppr_allowed_waf_wwsf(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_ppr), 0);
}

/* The ABNF is enforced: a missing {} AVP fails fd_msg_parse_rules. */
static void expect_rules_reject(const struct dcx_sample *sample)
{
    struct msg *msg = NULL;
    struct msg *out = NULL;

    assert_int_equal(dcx_test_build(sample, &msg), 0);
    assert_int_equal(dcx_test_roundtrip(msg, &out), EBADMSG);
    fd_msg_free(msg);
    if (out != NULL)
        fd_msg_free(out);
}

static void test_rules_reject_digest_without_ha1(void **state)
{
    (void)state;
    expect_rules_reject(&dcx_sample_mar_no_ha1);
}

static void test_rules_reject_rtr_without_reason(void **state)
{
    (void)state;
    expect_rules_reject(&dcx_sample_rtr_no_reason);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dcx_load_second_call_is_noop),
        cmocka_unit_test(test_dcx_load_application_and_vendors),
        cmocka_unit_test(test_dcx_load_commands_by_name_and_code),
        cmocka_unit_test(test_dcx_load_every_avp),
        cmocka_unit_test(test_dcx_load_enum_values_named),
        cmocka_unit_test(test_roundtrip_uar),
        cmocka_unit_test(test_roundtrip_sar),
        cmocka_unit_test(test_roundtrip_lir),
        cmocka_unit_test(test_roundtrip_mar_sip_digest),
        cmocka_unit_test(test_roundtrip_rtr_deregistration_reason),
        cmocka_unit_test(test_roundtrip_ppr_allowed_waf_wwsf),
        cmocka_unit_test(test_rules_reject_digest_without_ha1),
        cmocka_unit_test(test_rules_reject_rtr_without_reason),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
