/* test_dict_cx_order.c - dict_cx beside Debian's dict_dcca_3gpp and dict_sip.
 *
 * Owns the load-order checks. Built twice: DCX_LOAD_FIRST=0 dlopens
 * dict_nasreq, dict_dcca, dict_dcca_3gpp and dict_sip from FD_EXT_DIR and
 * runs their fd_ext_init before dcx_load(); DCX_LOAD_FIRST=1 runs
 * dcx_load() first. Each program initialises freeDiameter once. Both then
 * check that every load succeeded, that dict_sip kept its RFC 4740 command
 * names, and that Cx messages still round-trip through the ABNF.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dcx_test_msg.h"
#include "dict_cx.h"

#ifndef FD_EXT_DIR
#error "FD_EXT_DIR must name the directory of Debian's .fdx files"
#endif

/* Dependencies first, as freeDiameterd requires (fd_ext_depends). */
static const char *const debian_dicts[] = {
    "dict_nasreq",
    "dict_dcca",
    "dict_dcca_3gpp",
    "dict_sip",
};

typedef int (*dcx_ext_init_fn)(int major, int minor, char *conffile);

static int load_debian_dicts(void)
{
    size_t i;

    for (i = 0; i < sizeof(debian_dicts) / sizeof(debian_dicts[0]); i++) {
        char path[512];
        void *h;
        dcx_ext_init_fn init;
        int n;

        n = snprintf(path, sizeof(path), "%s/%s.fdx", FD_EXT_DIR,
                     debian_dicts[i]);
        if (n < 0 || (size_t)n >= sizeof(path))
            return -1;
        h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
        if (h == NULL) {
            fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
            return -1;
        }
        *(void **)(&init) = dlsym(h, "fd_ext_init");
        if (init == NULL || init(FD_PROJECT_VERSION_MAJOR,
                                 FD_PROJECT_VERSION_MINOR, NULL) != 0) {
            fprintf(stderr, "%s: fd_ext_init failed\n", debian_dicts[i]);
            return -1;
        }
    }
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (fd_core_initialize() != 0)
        return -1;
#if DCX_LOAD_FIRST
    if (dcx_load() != 0)
        return -1;
    return load_debian_dicts();
#else
    if (load_debian_dicts() != 0)
        return -1;
    return dcx_load();
#endif
}

static void test_order_cx_commands_present(void **state)
{
    static const char *const names[] = {
        DCX_NAME_UAR, DCX_NAME_UAA, DCX_NAME_SAR, DCX_NAME_SAA,
        DCX_NAME_LIR, DCX_NAME_LIA, DCX_NAME_MAR, DCX_NAME_MAA,
        DCX_NAME_RTR, DCX_NAME_RTA, DCX_NAME_PPR, DCX_NAME_PPA,
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct dict_object *cmd = NULL;

        assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
                                        CMD_BY_NAME, names[i], &cmd, ENOENT),
                         0);
    }
}

static void test_order_dict_sip_keeps_rfc4740_names(void **state)
{
    struct dict_object *cmd = NULL;
    struct dict_cmd_data cd;

    (void)state;
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
                                    CMD_BY_NAME, "User-Authorization-Request",
                                    &cmd, ENOENT),
                     0);
    assert_int_equal(fd_dict_getval(cmd, &cd), 0);
    assert_int_not_equal(cd.cmd_code, CX_CMD_UAR);
}

static void test_order_shared_avp_keeps_enum_names(void **state)
{
    struct dict_avp_request r = {.avp_vendor = CX_VENDOR_3GPP,
                                 .avp_code = CX_AVP_SERVER_ASSIGNMENT_TYPE};
    struct dict_object *avp = NULL;
    struct dict_object *type = NULL;
    struct dict_object *ev = NULL;
    struct dict_enumval_request req;

    (void)state;
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_AVP,
                                    AVP_BY_CODE_AND_VENDOR, &r, &avp, ENOENT),
                     0);
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE,
                                    TYPE_OF_AVP, avp, &type, ENOENT),
                     0);
    memset(&req, 0, sizeof(req));
    req.type_obj = type;
    req.search.enum_name = (char *)"USER_DEREGISTRATION";
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_ENUMVAL,
                                    ENUMVAL_BY_STRUCT, &req, &ev, ENOENT),
                     0);
}

static void test_order_roundtrip_all_commands(void **state)
{
    (void)state;
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_uar), 0);
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_sar), 0);
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_lir), 0);
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_mar), 0);
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_rtr), 0);
    assert_int_equal(dcx_test_sample_ok(&dcx_sample_ppr), 0);
}

static void test_order_rules_still_enforced(void **state)
{
    struct msg *msg = NULL;
    struct msg *out = NULL;

    (void)state;
    assert_int_equal(dcx_test_build(&dcx_sample_mar_no_ha1, &msg), 0);
    assert_int_equal(dcx_test_roundtrip(msg, &out), EBADMSG);
    fd_msg_free(msg);
    if (out != NULL)
        fd_msg_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_cx_commands_present),
        cmocka_unit_test(test_order_dict_sip_keeps_rfc4740_names),
        cmocka_unit_test(test_order_shared_avp_keeps_enum_names),
        cmocka_unit_test(test_order_roundtrip_all_commands),
        cmocka_unit_test(test_order_rules_still_enforced),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
