/* test_hss_store_seal.c - secrets at rest (hss_store_seal.c): tampering,
 * wrong key, row swap, key file permissions and size, rekey, key id.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "store_fixture.h"

static const char HA1[] = "0123456789abcdef0123456789abcdef";

static void raw_exec(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("raw sql: %s", msg);
    sqlite3_close(h);
}

static void write_key(const char *path, mode_t mode, size_t n)
{
    unsigned char key[40];
    int fd;
    size_t i;

    for (i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)(i * 7 + 1);
    unlink(path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, key, n), (ssize_t)n);
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
}

static struct fx_user provision(struct fx *f)
{
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_aka_cred c = {
        .k = {1, 2, 3}, .opc = {4, 5, 6}, .amf = {0x80, 0}, .sqn = 5};

    assert_int_equal(hss_store_aka_set(f->st, u.impi, &c), HSS_OK);
    assert_int_equal(
        hss_store_digest_set(f->st, u.impi, "ims.test", HSS_HA1_MD5, HA1, true),
        HSS_OK);
    return u;
}

static void test_hss_store_seal_values_not_in_clear(void **state)
{
    struct fx *f = *state;
    struct fx_user u = provision(f);
    struct hss_aka_cred c;
    char ha1[HSS_HA1_HEX_MAX + 1];
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;

    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT length(k), hex(ha1) FROM"
                                        " aka, digest",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 16 + 29);
    assert_null(strstr((const char *)sqlite3_column_text(s, 1),
                       "3031323334")); /* "01234" as hex */
    sqlite3_finalize(s);
    sqlite3_close(h);
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &c), HSS_OK);
    assert_int_equal(c.k[2], 3);
    assert_int_equal(
        hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_MD5, ha1, NULL, 0),
        HSS_OK);
    assert_string_equal(ha1, HA1);
}

static void test_hss_store_unseal_tampered_blob(void **state)
{
    struct fx *f = *state;
    struct fx_user u = provision(f);
    struct hss_aka_cred c = {.sqn = 77};
    char ha1[HSS_HA1_HEX_MAX + 1] = "untouched";

    raw_exec(f->db, "UPDATE aka SET k = substr(k, 1, 20) ||"
                    " (CASE WHEN substr(k, 21, 1) = x'00' THEN x'01'"
                    " ELSE x'00' END) || substr(k, 22)");
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &c), HSS_CRYPTO);
    assert_int_equal(c.sqn, 77); /* output untouched */
    raw_exec(f->db, "UPDATE digest SET ha1 = x'01020304'");
    assert_int_equal(
        hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_MD5, ha1, NULL, 0),
        HSS_CRYPTO);
    assert_string_equal(ha1, "untouched");
}

static void test_hss_store_unseal_row_swap(void **state)
{
    struct fx *f = *state;
    struct fx_user a = provision(f);
    struct fx_user b = fx_user_add(f->st, "bob", HSS_IMPI_REGULAR);
    struct hss_aka_cred c = {.k = {9}, .opc = {9}, .amf = {0, 0}};
    char sql[256];

    assert_int_equal(hss_store_aka_set(f->st, b.impi, &c), HSS_OK);
    snprintf(sql, sizeof(sql),
             "UPDATE aka SET k = (SELECT k FROM aka WHERE impi_id = %lld)"
             " WHERE impi_id = %lld",
             (long long)a.impi, (long long)b.impi);
    raw_exec(f->db, sql);
    assert_int_equal(hss_store_aka_get(f->st, b.impi, &c), HSS_CRYPTO);
    assert_int_equal(hss_store_aka_get(f->st, a.impi, &c), HSS_OK);
    /* K of a moved into a's own OPc column: field is in the AAD too. */
    raw_exec(f->db, "UPDATE aka SET opc = k");
    assert_int_equal(hss_store_aka_get(f->st, a.impi, &c), HSS_CRYPTO);
}

static void test_hss_store_open_wrong_key_refused(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    char path[160], err[256] = "";

    provision(f);
    fx_path(f, "other.key", path, sizeof(path));
    write_key(path, 0600, 32);
    o.key_path = path;
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_CRYPTO);
    assert_null(st);
    assert_string_equal(err, "master key does not match this database");
}

static void test_hss_store_key_load_mode_0644_refused(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    char err[256] = "";

    hss_store_close(f->st);
    f->st = NULL;
    assert_int_equal(chmod(f->key, 0644), 0);
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_IO);
    assert_null(st);
    assert_non_null(strstr(err, "chmod 600"));
    assert_int_equal(chmod(f->key, 0640), 0);
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_IO);
    assert_int_equal(chmod(f->key, 0400), 0);
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_OK);
    hss_store_close(st);
    assert_int_equal(chmod(f->key, 0600), 0);
}

static void test_hss_store_key_load_wrong_size_refused(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    char path[160], err[256] = "";

    fx_path(f, "bad.key", path, sizeof(path));
    o.key_path = path;
    o.create_key = false;
    write_key(path, 0600, 31);
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_IO);
    assert_non_null(strstr(err, "32 bytes"));
    write_key(path, 0600, 33);
    assert_int_equal(hss_store_open(&o, &st, err, sizeof(err)), HSS_IO);
    assert_null(st);
}

static void test_hss_store_key_id_stable_hex(void **state)
{
    struct fx *f = *state;
    char a[17], b[17];
    struct hss_store *st2 = fx_open(f);
    char small[8];

    assert_int_equal(hss_store_key_id(f->st, a, sizeof(a)), HSS_OK);
    assert_int_equal(hss_store_key_id(st2, b, sizeof(b)), HSS_OK);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 16);
    assert_true(strspn(a, "0123456789abcdef") == 16);
    assert_int_equal(hss_store_key_id(f->st, small, sizeof(small)),
                     HSS_INVALID);
    hss_store_close(st2);
}

static void test_hss_store_rekey_reseals_everything(void **state)
{
    struct fx *f = *state;
    struct fx_user u = provision(f);
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    struct hss_aka_cred c;
    char path[160], before[17], after[17];
    char ha1[HSS_HA1_HEX_MAX + 1];

    fx_path(f, "new.key", path, sizeof(path));
    write_key(path, 0600, 32);
    assert_int_equal(hss_store_key_id(f->st, before, sizeof(before)), HSS_OK);
    assert_int_equal(hss_store_rekey(f->st, path), HSS_OK);
    assert_int_equal(hss_store_key_id(f->st, after, sizeof(after)), HSS_OK);
    assert_string_not_equal(before, after);
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &c), HSS_OK);
    assert_int_equal(c.opc[2], 6);
    /* The old key no longer opens the database, the new one does. */
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_CRYPTO);
    o.key_path = path;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    assert_int_equal(
        hss_store_digest_get(st, u.impi, "ims.test", HSS_HA1_MD5, ha1, NULL, 0),
        HSS_OK);
    assert_string_equal(ha1, HA1);
    hss_store_close(st);
}

static void test_hss_store_rekey_bad_key_keeps_old(void **state)
{
    struct fx *f = *state;
    struct fx_user u = provision(f);
    struct hss_aka_cred c;
    char path[160];

    fx_path(f, "bad.key", path, sizeof(path));
    write_key(path, 0644, 32);
    assert_int_equal(hss_store_rekey(f->st, path), HSS_IO);
    assert_int_equal(hss_store_rekey(f->st, NULL), HSS_INVALID);
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &c), HSS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_seal_values_not_in_clear),
        FX_TEST(test_hss_store_unseal_tampered_blob),
        FX_TEST(test_hss_store_unseal_row_swap),
        FX_TEST(test_hss_store_open_wrong_key_refused),
        FX_TEST(test_hss_store_key_load_mode_0644_refused),
        FX_TEST(test_hss_store_key_load_wrong_size_refused),
        FX_TEST(test_hss_store_key_id_stable_hex),
        FX_TEST(test_hss_store_rekey_reseals_everything),
        FX_TEST(test_hss_store_rekey_bad_key_keeps_old),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
