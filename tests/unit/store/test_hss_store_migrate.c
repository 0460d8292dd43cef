/* test_hss_store_migrate.c - schema migrations (hss_store_migrate.c):
 * from version 0, from the historic version 1, refusal of a newer schema
 * (v2 -> v3 with data: test_hss_store_webrtc.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <sqlite3.h>

#include "store_fixture.h"

static int raw_user_version(const char *db, int set)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    int v = -1;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (set >= 0) {
        char sql[64];

        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", set);
        assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

static void test_hss_store_migrate_from_version_0(void **state)
{
    struct fx *f = *state;
    int v = -1;

    /* The fixture opened an empty file: version 0 -> latest. */
    assert_int_equal(hss_store_db_version(f->st, &v), HSS_OK);
    assert_int_equal(v, hss_store_schema_version());
    assert_int_equal(v, 3);
    assert_int_equal(hss_store_migrate(f->st), HSS_OK); /* idempotent */
}

static void test_hss_store_migrate_from_version_1(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    struct hss_subscription sub;
    struct hss_pool p = {.name = "p", .wwsf = "wwsf.test", .lease_ttl_s = 60};
    int64_t id, pool;
    int v = -1;

    hss_store_close(f->st);
    f->st = NULL;
    unlink(f->db);
    o.schema_target = 1;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    assert_int_equal(hss_store_db_version(st, &v), HSS_OK);
    assert_int_equal(v, 1);
    assert_int_equal(hss_store_subscription_add(st, "old", &id), HSS_OK);
    hss_store_close(st);
    assert_int_equal(raw_user_version(f->db, -1), 1);

    f->st = fx_open(f);
    assert_int_equal(hss_store_db_version(f->st, &v), HSS_OK);
    assert_int_equal(v, 3);
    assert_int_equal(hss_store_subscription_get(f->st, id, &sub), HSS_OK);
    assert_string_equal(sub.name, "old");
    assert_int_equal(hss_store_pool_add(f->st, &p, &pool), HSS_OK);
}

static void test_hss_store_migrate_explicit_call(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    int v = -1;

    hss_store_close(f->st);
    f->st = NULL;
    unlink(f->db);
    o.schema_target = 1;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    assert_int_equal(hss_store_migrate(st), HSS_OK);
    assert_int_equal(hss_store_db_version(st, &v), HSS_OK);
    assert_int_equal(v, 3);
    hss_store_close(st);
}

static void test_hss_store_migrate_refuses_newer(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    char err[256] = "";

    hss_store_close(f->st);
    f->st = NULL;
    raw_user_version(f->db, 99);
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_SCHEMA);
    assert_null(st);
    assert_non_null(strstr(err, "newer"));
    o.read_only = true;
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_SCHEMA);
    assert_int_equal(raw_user_version(f->db, -1), 99); /* untouched */
}

static void test_hss_store_migrate_read_only_old_refused(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;

    hss_store_close(f->st);
    f->st = NULL;
    unlink(f->db);
    o.schema_target = 1;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    hss_store_close(st);
    o.schema_target = 0;
    o.read_only = true;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_SCHEMA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_migrate_from_version_0),
        FX_TEST(test_hss_store_migrate_from_version_1),
        FX_TEST(test_hss_store_migrate_explicit_call),
        FX_TEST(test_hss_store_migrate_refuses_newer),
        FX_TEST(test_hss_store_migrate_read_only_old_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
