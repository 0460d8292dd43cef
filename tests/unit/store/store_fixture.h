/* store_fixture.h - shared cmocka fixture of the hss_store unit tests: a
 * fresh temporary directory with a database and a master key per test, and
 * small provisioning helpers.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef STORE_FIXTURE_H
#define STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hss_store.h"

struct fx {
    char dir[64];
    char db[128];
    char key[128];
    struct hss_store *st;
};

static inline void fx_path(const struct fx *f, const char *name, char *out,
                           size_t size)
{
    snprintf(out, size, "%s/%s", f->dir, name);
}

static inline struct hss_store_options fx_opts(const struct fx *f)
{
    struct hss_store_options o = {
        .db_path = f->db,
        .key_path = f->key,
        .create_key = true,
    };
    return o;
}

static inline struct hss_store *fx_open(struct fx *f)
{
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    char err[256] = "";

    if (hss_store_open(&o, &st, err, sizeof(err)) != HSS_OK)
        fail_msg("open: %s", err);
    return st;
}

static inline int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/hss-store-test-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    fx_path(f, "hss.db", f->db, sizeof(f->db));
    fx_path(f, "master.key", f->key, sizeof(f->key));
    f->st = fx_open(f);
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state)
{
    static const char *const files[] = {
        "hss.db",    "hss.db-wal", "hss.db-shm", "master.key",
        "other.key", "new.key",    "bad.key",
    };
    struct fx *f = *state;
    char path[160];
    size_t i;

    hss_store_close(f->st);
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        fx_path(f, files[i], path, sizeof(path));
        unlink(path);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* A subscription "name" with IMPI "name@ims.test" and IMPU
 * "sip:name@ims.test", associated. */
struct fx_user {
    int64_t sub, impi, impu;
};

static inline struct fx_user fx_user_add(struct hss_store *st, const char *name,
                                         enum hss_impi_kind kind)
{
    char impi[128], impu[128];
    struct fx_user u = {0};
    struct hss_impi_new in = {
        .name = impi,
        .kind = kind,
        .schemes = HSS_SCHEME_AKA | HSS_SCHEME_DIGEST,
        .default_scheme = HSS_SCHEME_DIGEST,
    };
    struct hss_impu_new un = {.name = impu};

    snprintf(impi, sizeof(impi), "%s@ims.test", name);
    snprintf(impu, sizeof(impu), "sip:%s@ims.test", name);
    assert_int_equal(hss_store_subscription_add(st, name, &u.sub), HSS_OK);
    assert_int_equal(hss_store_impi_add(st, u.sub, &in, &u.impi), HSS_OK);
    assert_int_equal(hss_store_impu_add(st, u.sub, &un, &u.impu), HSS_OK);
    assert_int_equal(hss_store_assoc_add(st, u.impi, u.impu), HSS_OK);
    return u;
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

#endif /* STORE_FIXTURE_H */
