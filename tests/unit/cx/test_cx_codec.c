/* test_cx_codec.c - the shared Cx codec helpers (cx_codec.c: answers,
 * results, AVP lookup) on real messages, and hss_cx.conf parsing
 * (cx_conf.c).
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
#include <unistd.h>

#include <cmocka.h>

#include "cx_conf.h"
#include "cx_test_util.h"
#include "cxt_msg.h"

/* ---- answers ----------------------------------------------------------- */

static int fd_setup(void **state)
{
    (void)state;
    if (cxt_fd_init() != 0 || cxt_identity_set() != 0)
        return -1;
    return 0;
}

static void assert_common_answer(struct msg *ans)
{
    struct msg_hdr *h = NULL;
    struct avp *vsai, *a;
    const uint8_t *d;
    size_t len;

    assert_int_equal(fd_msg_hdr(ans, &h), 0);
    assert_false(h->msg_flags & CMD_FLAG_REQUEST);
    assert_int_equal(h->msg_appl, CX_APP_ID);
    vsai = cx_avp_find(ans, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, NULL);
    assert_non_null(vsai);
    assert_int_equal(cxt_u32(vsai, CX_AVP_VENDOR_ID, 0, 0), CX_VENDOR_3GPP);
    assert_int_equal(cxt_u32(vsai, CX_AVP_AUTH_APPLICATION_ID, 0, 0),
                     CX_APP_ID);
    assert_int_equal(cxt_u32(ans, CX_AVP_AUTH_SESSION_STATE, 0, 0),
                     CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    a = cx_avp_find(ans, CX_AVP_ORIGIN_HOST, 0, NULL);
    assert_int_equal(cx_avp_get_bytes(a, &d, &len), 0);
    assert_int_equal(len, strlen("hss.test.example"));
    assert_memory_equal(d, "hss.test.example", len);
    a = cx_avp_find(ans, CX_AVP_ORIGIN_REALM, 0, NULL);
    assert_int_equal(cx_avp_get_bytes(a, &d, &len), 0);
    assert_memory_equal(d, "test.example", len);
    /* exactly one Session-Id, copied from the request */
    assert_int_equal(cx_avp_count(ans, CX_AVP_SESSION_ID, 0), 1);
}

static void test_answer_new_result_code(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_SAR);
    struct cx_result r = cx_result_ok();
    struct msg_hdr *h = NULL;

    (void)state;
    assert_int_equal(cx_answer_new(&m, &r), 0);
    assert_common_answer(m);
    assert_int_equal(cxt_u32(m, CX_AVP_RESULT_CODE, 0, 0), CX_RC_SUCCESS);
    assert_null(cx_avp_find(m, CX_AVP_EXPERIMENTAL_RESULT, 0, NULL));
    assert_null(cx_avp_find(m, CX_AVP_FAILED_AVP, 0, NULL));
    assert_int_equal(fd_msg_hdr(m, &h), 0);
    assert_false(h->msg_flags & CMD_FLAG_ERROR);
    /* and it survives the wire codec */
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    assert_common_answer(m);
    fd_msg_free(m);
}

static void test_answer_new_experimental(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_UAR);
    struct cx_result r = cx_result_er(CX_ER_USER_UNKNOWN);
    struct avp *er;

    (void)state;
    assert_int_equal(cx_answer_new(&m, &r), 0);
    assert_common_answer(m);
    assert_null(cx_avp_find(m, CX_AVP_RESULT_CODE, 0, NULL));
    er = cx_avp_find(m, CX_AVP_EXPERIMENTAL_RESULT, 0, NULL);
    assert_non_null(er);
    assert_int_equal(cxt_u32(er, CX_AVP_VENDOR_ID, 0, 0), CX_VENDOR_3GPP);
    assert_int_equal(cxt_u32(er, CX_AVP_EXPERIMENTAL_RESULT_CODE, 0, 0),
                     CX_ER_USER_UNKNOWN);
    fd_msg_free(m);
}

static void test_answer_new_failed_avp_missing(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    struct cx_result r =
        cx_result_missing(CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP);
    struct avp *fa;

    (void)state;
    assert_false(cx_result_is_success(&r));
    assert_int_equal(cx_answer_new(&m, &r), 0);
    assert_int_equal(cxt_u32(m, CX_AVP_RESULT_CODE, 0, 0), CX_RC_MISSING_AVP);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    fa = cx_avp_find(m, CX_AVP_FAILED_AVP, 0, NULL);
    assert_non_null(fa);
    assert_non_null(
        cx_avp_find(fa, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);
}

static void test_answer_new_failed_avp_copy(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_UAR);
    struct cx_result r;
    struct avp *bad, *fa, *copy;

    (void)state;
    assert_int_equal(
        cx_avp_add_u32(m, CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP, 7),
        0);
    bad = cx_avp_find(m, CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP, NULL);
    r = cx_result_invalid(bad);
    assert_int_equal(r.code, CX_RC_INVALID_AVP_VALUE);
    assert_int_equal(cx_answer_new(&m, &r), 0);
    fa = cx_avp_find(m, CX_AVP_FAILED_AVP, 0, NULL);
    assert_non_null(fa);
    copy =
        cx_avp_find(fa, CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP, NULL);
    assert_non_null(copy);
    assert_int_equal(
        cxt_u32(fa, CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP, 0), 7);
    fd_msg_free(m);
}

static void test_answer_protocol_error_sets_e_bit(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_MAR);
    struct cx_result r = cx_result_rc(CX_RC_UNABLE_TO_DELIVER);
    struct msg_hdr *h = NULL;

    (void)state;
    assert_int_equal(cx_answer_new(&m, &r), 0);
    assert_int_equal(fd_msg_hdr(m, &h), 0);
    assert_true(h->msg_flags & CMD_FLAG_ERROR);
    fd_msg_free(m);
}

static void test_result_is_success(void **state)
{
    struct cx_result ok = cx_result_ok();
    struct cx_result first = cx_result_er(CX_ER_FIRST_REGISTRATION);
    struct cx_result fail = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);

    (void)state;
    assert_true(cx_result_is_success(&ok));
    assert_true(cx_result_is_success(&first));
    assert_false(cx_result_is_success(&fail));
}

/* ---- AVP lookup ---------------------------------------------------------- */

static void test_avp_find_grouped_children_only(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_SAR);
    struct avp *g, *first, *second;
    uint32_t v;

    (void)state;
    /* Vendor-Id exists only inside the VSAI: not a direct child */
    assert_null(cx_avp_find(m, CX_AVP_VENDOR_ID, 0, NULL));
    g = cx_avp_find(m, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, NULL);
    assert_non_null(g);
    assert_non_null(cx_avp_find(g, CX_AVP_VENDOR_ID, 0, NULL));
    /* vendor must match: Vendor-Id code 266 under vendor 10415 is absent */
    assert_null(cx_avp_find(g, CX_AVP_VENDOR_ID, CX_VENDOR_3GPP, NULL));

    /* repeated AVPs inside a group, walked with `after` */
    assert_int_equal(
        cx_avp_add_group(m, CX_AVP_SERVER_CAPABILITIES, CX_VENDOR_3GPP, &g), 0);
    assert_int_equal(
        cx_avp_add_u32(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP, 10), 0);
    assert_int_equal(
        cx_avp_add_u32(g, CX_AVP_OPTIONAL_CAPABILITY, CX_VENDOR_3GPP, 20), 0);
    assert_int_equal(
        cx_avp_add_u32(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP, 11), 0);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    g = cx_avp_find(m, CX_AVP_SERVER_CAPABILITIES, CX_VENDOR_3GPP, NULL);
    assert_non_null(g);
    assert_int_equal(
        cx_avp_count(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP), 2);
    first = cx_avp_find(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP, NULL);
    second = cx_avp_find(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP, first);
    assert_int_equal(cx_avp_get_u32(first, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(cx_avp_get_u32(second, &v), 0);
    assert_int_equal(v, 11);
    assert_null(
        cx_avp_find(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP, second));
    assert_int_equal(
        cx_avp_count(m, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP), 0);
    fd_msg_free(m);
}

static void test_avp_get_ident_bounds(void **state)
{
    struct msg *m = cxt_req_new(CX_CMD_LIR);
    static const uint8_t with_nul[] = {'s', 'i', 'p', 0, 'x'};
    char out[8];
    struct avp *a;

    (void)state;
    assert_int_equal(cx_avp_add_str(m, CX_AVP_USER_NAME, 0, "1234567"), 0);
    a = cx_avp_find(m, CX_AVP_USER_NAME, 0, NULL);
    assert_int_equal(cx_avp_get_ident(a, out, sizeof(out)), 0);
    assert_string_equal(out, "1234567");
    assert_int_not_equal(cx_avp_get_ident(a, out, 7), 0); /* too long */
    assert_int_equal(
        cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, ""), 0);
    a = cx_avp_find(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, NULL);
    assert_int_not_equal(cx_avp_get_ident(a, out, sizeof(out)), 0);
    assert_int_equal(cx_avp_add_bytes(m, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP,
                                      with_nul, sizeof(with_nul)),
                     0);
    a = cx_avp_find(m, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, NULL);
    assert_int_not_equal(cx_avp_get_ident(a, out, sizeof(out)), 0);
    assert_int_not_equal(cx_avp_get_ident(NULL, out, sizeof(out)), 0);
    fd_msg_free(m);
}

/* ---- configuration ------------------------------------------------------ */

struct conf_file {
    char path[64];
};

static void conf_write(struct conf_file *f, const char *text)
{
    int fd;
    size_t n = strlen(text);

    snprintf(f->path, sizeof(f->path), "/tmp/cx-conf.XXXXXX");
    fd = mkstemp(f->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

/* Parses text over the defaults; returns cx_conf_parse's result. */
static int conf_try(const char *text, struct cx_conf *c, char *err,
                    size_t err_size)
{
    struct conf_file f;
    int rc;

    cx_conf_defaults(c);
    conf_write(&f, text);
    err[0] = '\0';
    rc = cx_conf_parse(c, f.path, err, err_size);
    if (rc != 0 && strstr(err, f.path) == NULL)
        fail_msg("error does not name the file: %s", err);
    unlink(f.path);
    return rc;
}

static void test_conf_defaults(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    cx_conf_defaults(&c);
    assert_string_equal(c.db_path, "/var/lib/webrtc-hss/hss.db");
    assert_string_equal(c.key_path, "/var/lib/webrtc-hss/master.key");
    assert_false(c.create_key);
    assert_int_equal(c.db_busy_ms, 5000);
    assert_false(c.db_sync_full);
    assert_int_equal(c.db_handles, 0);
    assert_int_equal(c.db_mmap_mb, 0);
    assert_int_equal(c.writer_mmap_mb, 1024);
    assert_int_equal(c.writer_cache_mb, 8);
    assert_int_equal(c.db_cache_mb, 64);
    assert_int_equal(c.db_checkpoint_s, 1);
    assert_int_equal(c.tna_policy, CX_TNA_WEB_ENABLED);
    assert_int_equal(c.n_tna_scscfs, 0);
    assert_int_equal(c.mar_window_s, 60);
    assert_int_equal(c.mar_max_per_window, 30);
    assert_int_equal(c.mar_pending_s, 300);
    assert_int_equal(c.mar_pending_max, 1000000);
    assert_int_equal(c.auth_failures_max, 5);
    assert_int_equal(c.lock_s, 900);
    assert_int_equal(c.outbox_poll_ms, 500);
    assert_int_equal(c.outbox_timeout_ms, 3000);
    assert_int_equal(c.outbox_max_attempts, 3);
    assert_int_equal(c.outbox_backoff_s, 2);
    assert_true(c.ppr_fallback_rtr);
    assert_int_equal(c.sweep_interval_s, 5);
    assert_true(c.quiet_hooks);
    /* NULL path keeps the defaults */
    assert_int_equal(cx_conf_parse(&c, NULL, err, sizeof(err)), 0);
    assert_int_equal(c.db_busy_ms, 5000);
    assert_string_equal(cx_tna_policy_str(CX_TNA_STRICT), "strict");
    assert_string_equal(cx_tna_policy_str(CX_TNA_OFF), "off");
}

static void test_conf_every_key(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    assert_int_equal(conf_try("# every key\n"
                              "db_path = \"/tmp/x.db\";\n"
                              "key_path = \"/tmp/x.key\";\n"
                              "create_key = true;\n"
                              "db_busy_ms = 100;\n"
                              "db_sync_full = true;\n"
                              "db_handles = 8;\n"
                              "tna_policy = \"strict\";\n"
                              "tna_scscfs = [\"sip:a.test\", \"sip:b.test\"];\n"
                              "mar_window_s = 10;\n"
                              "mar_max_per_window = 0;\n"
                              "mar_pending_s = 0;\n"
                              "mar_pending_max = 5;\n"
                              "writer_cache_mb = 2;\n"
                              "auth_failures_max = 3;\n"
                              "lock_s = 60;\n"
                              "outbox_poll_ms = 50;\n"
                              "outbox_timeout_ms = 1000;\n"
                              "outbox_max_attempts = 5;\n"
                              "outbox_backoff_s = 0;\n"
                              "ppr_fallback_rtr = false;\n"
                              "sweep_interval_s = 30;\n"
                              "quiet_hooks = false;\n",
                              &c, err, sizeof(err)),
                     0);
    assert_string_equal(c.db_path, "/tmp/x.db");
    assert_string_equal(c.key_path, "/tmp/x.key");
    assert_true(c.create_key);
    assert_int_equal(c.db_busy_ms, 100);
    assert_true(c.db_sync_full);
    assert_int_equal(c.db_handles, 8);
    assert_int_equal(c.tna_policy, CX_TNA_STRICT);
    assert_int_equal(c.n_tna_scscfs, 2);
    assert_string_equal(c.tna_scscfs[1], "sip:b.test");
    assert_int_equal(c.mar_window_s, 10);
    assert_int_equal(c.mar_max_per_window, 0);
    assert_int_equal(c.mar_pending_s, 0);
    assert_int_equal(c.mar_pending_max, 5);
    assert_int_equal(c.writer_cache_mb, 2);
    assert_int_equal(c.auth_failures_max, 3);
    assert_int_equal(c.lock_s, 60);
    assert_int_equal(c.outbox_poll_ms, 50);
    assert_int_equal(c.outbox_timeout_ms, 1000);
    assert_int_equal(c.outbox_max_attempts, 5);
    assert_int_equal(c.outbox_backoff_s, 0);
    assert_false(c.ppr_fallback_rtr);
    assert_int_equal(c.sweep_interval_s, 30);
    assert_false(c.quiet_hooks);
    assert_int_equal(conf_try("tna_policy = \"off\";\n", &c, err, sizeof(err)),
                     0);
    assert_int_equal(c.tna_policy, CX_TNA_OFF);
}

static void test_conf_unknown_key_names_line(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    assert_int_equal(conf_try("db_busy_ms = 10;\n\nno_such_key = 1;\n", &c, err,
                              sizeof(err)),
                     -1);
    assert_non_null(strstr(err, ":3:"));
    assert_non_null(strstr(err, "no_such_key"));
}

static void test_conf_bad_type(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    assert_int_equal(conf_try("db_busy_ms = \"fast\";\n", &c, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, ":1:"));
    assert_non_null(strstr(err, "integer"));
    assert_int_equal(conf_try("create_key = 1;\n", &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "true or false"));
    assert_int_equal(conf_try("db_path = 3;\n", &c, err, sizeof(err)), -1);
}

static void test_conf_out_of_range(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    assert_int_equal(conf_try("db_busy_ms = 0;\n", &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "out of range"));
    assert_int_equal(
        conf_try("outbox_max_attempts = 101;\n", &c, err, sizeof(err)), -1);
    assert_int_equal(conf_try("lock_s = 99999999999;\n", &c, err, sizeof(err)),
                     -1);
    assert_int_equal(conf_try("db_handles = -1;\n", &c, err, sizeof(err)), -1);
    /* a pending table of no subscriptions cannot be had: 0 is not "off" */
    assert_int_equal(conf_try("mar_pending_max = 0;\n", &c, err, sizeof(err)),
                     -1);
    assert_int_equal(conf_try("mar_pending_s = 86401;\n", &c, err, sizeof(err)),
                     -1);
}

static void test_conf_bad_tna_policy(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    assert_int_equal(
        conf_try("tna_policy = \"sometimes\";\n", &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "tna_policy"));
    assert_int_equal(conf_try("tna_scscfs = [\"\"];\n", &c, err, sizeof(err)),
                     -1);
}

static void test_conf_syntax_error_names_line(void **state)
{
    struct cx_conf c;
    char err[256];

    (void)state;
    assert_int_equal(
        conf_try("db_busy_ms = 10;\ndb_handles = ;\n", &c, err, sizeof(err)),
        -1);
    assert_non_null(strstr(err, ":2:"));
}

static void test_conf_missing_file(void **state)
{
    struct cx_conf c;
    char err[256] = "";

    (void)state;
    cx_conf_defaults(&c);
    assert_int_equal(
        cx_conf_parse(&c, "/nonexistent/hss_cx.conf", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/hss_cx.conf"));
}

static void count_line(void *ctx, const char *line)
{
    (void)line;
    (*(int *)ctx)++;
}

static void test_conf_dump_every_key(void **state)
{
    struct cx_conf c;
    int n = 0;

    (void)state;
    cx_conf_defaults(&c);
    cx_conf_dump(&c, count_line, &n);
    assert_int_equal(n, 28);
}

int main(void)
{
    const struct CMUnitTest codec[] = {
        cmocka_unit_test(test_answer_new_result_code),
        cmocka_unit_test(test_answer_new_experimental),
        cmocka_unit_test(test_answer_new_failed_avp_missing),
        cmocka_unit_test(test_answer_new_failed_avp_copy),
        cmocka_unit_test(test_answer_protocol_error_sets_e_bit),
        cmocka_unit_test(test_result_is_success),
        cmocka_unit_test(test_avp_find_grouped_children_only),
        cmocka_unit_test(test_avp_get_ident_bounds),
    };
    const struct CMUnitTest conf[] = {
        cmocka_unit_test(test_conf_defaults),
        cmocka_unit_test(test_conf_every_key),
        cmocka_unit_test(test_conf_unknown_key_names_line),
        cmocka_unit_test(test_conf_bad_type),
        cmocka_unit_test(test_conf_out_of_range),
        cmocka_unit_test(test_conf_bad_tna_policy),
        cmocka_unit_test(test_conf_syntax_error_names_line),
        cmocka_unit_test(test_conf_missing_file),
        cmocka_unit_test(test_conf_dump_every_key),
    };
    int fails = cmocka_run_group_tests_name("codec", codec, fd_setup, NULL);

    fails += cmocka_run_group_tests_name("conf", conf, NULL, NULL);
    return fails != 0;
}
