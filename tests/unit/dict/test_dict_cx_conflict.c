/* test_dict_cx_conflict.c - dcx_load() after a foreign definition of a Cx AVP.
 *
 * Owns the coexistence policy checks, each in its own process (built
 * twice): with DCX_CONFLICT=0 an earlier dictionary defined
 * Allowed-WAF-WWSF-Identities (656) with other flags and another name:
 * dcx_load() reuses that object and adds the rules to it. With
 * DCX_CONFLICT=1 WebRTC-Authentication-Function-Name (657) was defined as
 * Unsigned32: dcx_load() must fail with EEXIST (and a LOG_F naming it).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "dict_cx.h"

static int predefine(uint32_t code, const char *name, uint8_t flags,
                     enum dict_avp_basetype base)
{
    struct dict_vendor_data vd = {CX_VENDOR_3GPP, (char *)"3GPP"};
    struct dict_avp_data ad = {
        .avp_code = code,
        .avp_vendor = CX_VENDOR_3GPP,
        .avp_name = (char *)name,
        .avp_flag_mask = flags,
        .avp_flag_val = flags,
        .avp_basetype = base,
    };
    struct dictionary *d = fd_g_config->cnf_dict;

    if (fd_dict_new(d, DICT_VENDOR, &vd, NULL, NULL) != 0)
        return -1;
    return fd_dict_new(d, DICT_AVP, &ad, NULL, NULL);
}

static int group_setup(void **state)
{
    (void)state;
    if (fd_core_initialize() != 0)
        return -1;
#if DCX_CONFLICT
    return predefine(CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME,
                     "Foreign-WAF-Name", AVP_FLAG_VENDOR, AVP_TYPE_UNSIGNED32);
#else
    return predefine(CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, "Foreign-WAF-WWSF",
                     AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY, AVP_TYPE_GROUPED);
#endif
}

#if DCX_CONFLICT
static void test_dcx_load_fails_on_base_type_conflict(void **state)
{
    (void)state;
    assert_int_equal(dcx_load(), EEXIST);
}
#else
static void test_dcx_load_reuses_compatible_avp(void **state)
{
    struct dict_avp_request r = {
        .avp_vendor = CX_VENDOR_3GPP,
        .avp_code = CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
    };
    struct dict_object *avp = NULL;
    struct dict_object *rule = NULL;
    struct dict_avp_data ad;
    struct dict_rule_request rr;

    (void)state;
    assert_int_equal(dcx_load(), 0);
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_AVP,
                                    AVP_BY_CODE_AND_VENDOR, &r, &avp, ENOENT),
                     0);
    assert_int_equal(fd_dict_getval(avp, &ad), 0);
    assert_string_equal(ad.avp_name, "Foreign-WAF-WWSF");
    /* The grouped rules went onto the foreign object. */
    r.avp_code = CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME;
    rr.rule_parent = avp;
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_AVP,
                                    AVP_BY_CODE_AND_VENDOR, &r, &rr.rule_avp,
                                    ENOENT),
                     0);
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_RULE,
                                    RULE_BY_AVP_AND_PARENT, &rr, &rule, ENOENT),
                     0);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#if DCX_CONFLICT
        cmocka_unit_test(test_dcx_load_fails_on_base_type_conflict),
#else
        cmocka_unit_test(test_dcx_load_reuses_compatible_avp),
#endif
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
