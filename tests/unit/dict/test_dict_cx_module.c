/* test_dict_cx_module.c - the built dict_cx.fdx as freeDiameterd sees it.
 *
 * Owns the module-ABI checks: dlopen(RTLD_NOW) of DCX_FDX_PATH succeeds,
 * fd_ext_init, fd_ext_fini and fd_ext_depends are exported, the depends
 * list is exactly {"dict_cx", NULL}, internal symbols (dcx_*) are not
 * exported, and fd_ext_init loads the Cx commands into the dictionary.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "dict_cx.h"

#ifndef DCX_FDX_PATH
#error "DCX_FDX_PATH must name the built dict_cx.fdx"
#endif

typedef int (*dcx_ext_init_fn)(int major, int minor, char *conffile);

static int group_setup(void **state)
{
    void *h;

    if (fd_core_initialize() != 0)
        return -1;
    h = dlopen(DCX_FDX_PATH, RTLD_NOW | RTLD_GLOBAL);
    if (h == NULL) {
        print_error("dlopen: %s\n", dlerror());
        return -1;
    }
    *state = h;
    return 0;
}

static int group_teardown(void **state)
{
    return dlclose(*state) == 0 ? 0 : -1;
}

static void test_module_exports_extension_abi(void **state)
{
    const char *const *depends;

    assert_non_null(dlsym(*state, "fd_ext_init"));
    assert_non_null(dlsym(*state, "fd_ext_fini"));
    depends = dlsym(*state, "fd_ext_depends");
    assert_non_null(depends);
    assert_string_equal(depends[0], "dict_cx");
    assert_null(depends[1]);
}

static void test_module_hides_internals(void **state)
{
    static const char *const hidden[] = {
        "dcx_load", "dcx_avps", "dcx_groups", "dcx_cmds", "dcx_n_avps",
    };
    size_t i;

    for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
        assert_null(dlsym(*state, hidden[i]));
}

static void test_module_init_loads_dictionary(void **state)
{
    dcx_ext_init_fn init;
    struct dict_object *cmd = NULL;

    *(void **)(&init) = dlsym(*state, "fd_ext_init");
    assert_non_null(init);
    assert_int_equal(
        init(FD_PROJECT_VERSION_MAJOR, FD_PROJECT_VERSION_MINOR, NULL), 0);
    assert_int_equal(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
                                    CMD_BY_NAME, DCX_NAME_MAR, &cmd, ENOENT),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_exports_extension_abi),
        cmocka_unit_test(test_module_hides_internals),
        cmocka_unit_test(test_module_init_loads_dictionary),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
