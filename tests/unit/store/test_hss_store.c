/* test_hss_store.c - handle, transactions, errors and validation
 * (hss_store.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sys/stat.h>

#include "store_fixture.h"

static void test_hss_rc_str_every_code(void **state)
{
    int rc;

    (void)state;
    for (rc = HSS_OK; rc <= HSS_CONFLICT; rc++) {
        assert_non_null(hss_rc_str((enum hss_rc)rc));
        assert_string_not_equal(hss_rc_str((enum hss_rc)rc), "unknown");
    }
    assert_string_equal(hss_rc_str(HSS_NOT_FOUND), "not found");
}

static void test_hss_store_open_file_modes_0600(void **state)
{
    struct fx *f = *state;
    struct stat sb;

    assert_int_equal(stat(f->db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(f->key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(sb.st_size, 32);
}

static void test_hss_store_open_invalid_arguments(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = (struct hss_store *)&o;
    char err[128] = "";

    assert_int_equal(hss_store_open(NULL, &st, err, sizeof(err)), HSS_INVALID);
    assert_null(st);
    o.db_path = NULL;
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_INVALID);
    assert_null(st);
    assert_true(strlen(err) > 0);
    o = fx_opts(f);
    o.synchronous = 7;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_INVALID);
}

static void test_hss_store_open_missing_key_without_create(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    char path[160], err[256] = "";

    fx_path(f, "bad.key", path, sizeof(path));
    o.key_path = path;
    o.create_key = false;
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_IO);
    assert_null(st);
    assert_non_null(strstr(err, "bad.key"));
}

static void test_hss_store_open_second_handle_and_full_sync(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st2 = NULL;
    struct hss_subscription sub;
    int64_t id;

    o.synchronous = 2;
    assert_int_equal(hss_store_open(&o, &st2, NULL, 0), HSS_OK);
    assert_int_equal(hss_store_subscription_add(f->st, "a", &id), HSS_OK);
    assert_int_equal(hss_store_subscription_get(st2, id, &sub), HSS_OK);
    assert_string_equal(sub.name, "a");
    hss_store_close(st2);
}

static void test_hss_store_open_read_only_refuses_writes(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *ro = NULL;
    struct hss_subscription sub;
    int64_t id;

    assert_int_equal(hss_store_subscription_add(f->st, "a", &id), HSS_OK);
    o.read_only = true;
    assert_int_equal(hss_store_open(&o, &ro, NULL, 0), HSS_OK);
    assert_int_equal(hss_store_subscription_get(ro, id, &sub), HSS_OK);
    assert_int_equal(hss_store_subscription_add(ro, "b", &id), HSS_INVALID);
    assert_int_equal(hss_store_begin(ro, HSS_TX_WRITE), HSS_INVALID);
    hss_store_close(ro);
}

static void test_hss_store_close_null(void **state)
{
    (void)state;
    hss_store_close(NULL);
    assert_non_null(hss_store_errmsg(NULL));
}

static void test_hss_store_begin_commit_rollback(void **state)
{
    struct fx *f = *state;
    struct hss_subscription sub;
    int64_t id;

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_READ), HSS_CONFLICT);
    assert_int_equal(hss_store_subscription_add(f->st, "gone", &id), HSS_OK);
    hss_store_rollback(f->st);
    assert_int_equal(hss_store_subscription_get(f->st, id, &sub),
                     HSS_NOT_FOUND);
    hss_store_rollback(f->st); /* no-op */
    assert_int_equal(hss_store_commit(f->st), HSS_CONFLICT);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_subscription_add(f->st, "kept", &id), HSS_OK);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);
    assert_int_equal(hss_store_subscription_get(f->st, id, &sub), HSS_OK);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_READ), HSS_OK);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);
}

static void test_hss_store_begin_failed_op_keeps_caller_tx(void **state)
{
    struct fx *f = *state;
    struct hss_subscription sub;
    struct hss_impu_new un = {.name = "sip:x@t", .irs_id = 999};
    int64_t id, impu;

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_subscription_add(f->st, "a", &id), HSS_OK);
    /* A failing multi-statement op rolls back to its savepoint only. */
    assert_int_equal(hss_store_impu_add(f->st, id, &un, &impu), HSS_INVALID);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);
    assert_int_equal(hss_store_subscription_get(f->st, id, &sub), HSS_OK);
}

static void test_hss_store_errmsg_after_failure(void **state)
{
    struct fx *f = *state;
    struct hss_impi impi;

    assert_string_equal(hss_store_errmsg(f->st), "");
    assert_int_equal(hss_store_impi_get(f->st, "nobody@x", &impi),
                     HSS_NOT_FOUND);
    assert_string_equal(hss_store_errmsg(f->st), "no such IMPI");
}

static void test_hss_store_check_identity_validation(void **state)
{
    struct fx *f = *state;
    char longname[300];
    struct hss_impi impi;
    int64_t id;

    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(hss_store_impi_get(f->st, NULL, &impi), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, "", &impi), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, longname, &impi), HSS_INVALID);
    longname[255] = '\0'; /* exactly the limit is fine */
    assert_int_equal(hss_store_impi_get(f->st, longname, &impi), HSS_NOT_FOUND);
    assert_int_equal(hss_store_impi_get(f->st, "a\nb", &impi), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, "a\x7f", &impi), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, "\xc3\x28", &impi), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, "\xe2\x82", &impi), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, "\xed\xa0\x80", &impi),
                     HSS_INVALID); /* surrogate */
    assert_int_equal(hss_store_impi_get(f->st, "\xc0\xaf", &impi),
                     HSS_INVALID); /* overlong */
    assert_int_equal(hss_store_subscription_add(f->st, "j\xc3\xbcrgen", &id),
                     HSS_OK);
    assert_int_equal(hss_store_subscription_add(f->st, NULL, &id), HSS_INVALID);
    assert_int_equal(hss_store_impi_get(f->st, "x", NULL), HSS_INVALID);
}

static void test_hss_store_bulk_mode_on_off(void **state)
{
    struct fx *f = *state;
    int64_t id;

    assert_int_equal(hss_store_bulk_mode(f->st, true), HSS_OK);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_mode(f->st, false), HSS_CONFLICT);
    assert_int_equal(hss_store_subscription_add(f->st, "a", &id), HSS_OK);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);
    assert_int_equal(hss_store_bulk_mode(f->st, false), HSS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hss_rc_str_every_code),
        FX_TEST(test_hss_store_open_file_modes_0600),
        FX_TEST(test_hss_store_open_invalid_arguments),
        FX_TEST(test_hss_store_open_missing_key_without_create),
        FX_TEST(test_hss_store_open_second_handle_and_full_sync),
        FX_TEST(test_hss_store_open_read_only_refuses_writes),
        cmocka_unit_test(test_hss_store_close_null),
        FX_TEST(test_hss_store_begin_commit_rollback),
        FX_TEST(test_hss_store_begin_failed_op_keeps_caller_tx),
        FX_TEST(test_hss_store_errmsg_after_failure),
        FX_TEST(test_hss_store_check_identity_validation),
        FX_TEST(test_hss_store_bulk_mode_on_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
