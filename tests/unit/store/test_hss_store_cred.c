/* test_hss_store_cred.c - AKA and digest credentials (hss_store_cred.c),
 * including SQN read-increment-write from two threads.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <pthread.h>

#include "store_fixture.h"

static const char MD5[] = "0123456789ABCDEF0123456789abcdef";
static const char SHA[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

static void test_hss_store_aka_set_get_sqn(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_aka_cred c = {.k = {0x46, 0x5b},
                             .opc = {0xcd, 0x63},
                             .amf = {0xb9, 0xb9},
                             .sqn = 0xff9bb4d0b607};
    struct hss_aka_cred got;

    assert_int_equal(hss_store_aka_get(f->st, u.impi, &got), HSS_NOT_FOUND);
    assert_int_equal(hss_store_aka_set(f->st, u.impi, &c), HSS_OK);
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &got), HSS_OK);
    /* field by field: the struct has padding after amf */
    assert_memory_equal(got.k, c.k, sizeof(c.k));
    assert_memory_equal(got.opc, c.opc, sizeof(c.opc));
    assert_memory_equal(got.amf, c.amf, sizeof(c.amf));
    assert_int_equal(got.sqn, c.sqn);
    assert_int_equal(hss_store_aka_sqn_set(f->st, u.impi, 0xffffffffffff),
                     HSS_OK);
    assert_int_equal(hss_store_aka_sqn_set(f->st, u.impi, 1ull << 48),
                     HSS_INVALID);
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &got), HSS_OK);
    assert_int_equal(got.sqn, 0xffffffffffff);
    c.sqn = 1ull << 48;
    assert_int_equal(hss_store_aka_set(f->st, u.impi, &c), HSS_INVALID);
    assert_int_equal(hss_store_aka_set(f->st, 999, &got), HSS_NOT_FOUND);
    assert_int_equal(hss_store_aka_sqn_set(f->st, 999, 1), HSS_NOT_FOUND);
    assert_int_equal(hss_store_aka_set(f->st, u.impi, NULL), HSS_INVALID);
    /* Replacing keeps one row. */
    c.sqn = 1;
    assert_int_equal(hss_store_aka_set(f->st, u.impi, &c), HSS_OK);
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &got), HSS_OK);
    assert_int_equal(got.sqn, 1);
}

/* a.test (MD5 + SHA-256, first: the default realm) and b.test (MD5). */
static void two_realms(struct hss_store *st, int64_t impi)
{
    assert_int_equal(
        hss_store_digest_set(st, impi, "a.test", HSS_HA1_MD5, MD5, false),
        HSS_OK);
    assert_int_equal(
        hss_store_digest_set(st, impi, "a.test", HSS_HA1_SHA256, SHA, false),
        HSS_OK);
    assert_int_equal(hss_store_digest_set(st, impi, "b.test", HSS_HA1_MD5,
                                          "ffffffffffffffffffffffffffffffff",
                                          false),
                     HSS_OK);
}

static void test_hss_store_digest_set_get_realms(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_WEBRTC);
    char ha1[HSS_HA1_HEX_MAX + 1], realm[64];

    assert_int_equal(hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_MD5, ha1,
                                          realm, sizeof(realm)),
                     HSS_NOT_FOUND);
    /* First realm becomes the default even without is_default. */
    two_realms(f->st, u.impi);
    assert_int_equal(hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_MD5, ha1,
                                          realm, sizeof(realm)),
                     HSS_OK);
    assert_string_equal(realm, "a.test");
    assert_string_equal(ha1, "0123456789abcdef0123456789abcdef");
    assert_int_equal(hss_store_digest_get(f->st, u.impi, "b.test", HSS_HA1_MD5,
                                          ha1, realm, sizeof(realm)),
                     HSS_OK);
    assert_string_equal(realm, "b.test");
    assert_int_equal(hss_store_digest_get(f->st, u.impi, "zzz", HSS_HA1_SHA256,
                                          ha1, realm, sizeof(realm)),
                     HSS_OK);
    assert_string_equal(realm, "a.test");
    assert_string_equal(ha1, SHA);
    /* Mark b.test as default: the fallback moves. */
    assert_int_equal(hss_store_digest_set(f->st, u.impi, "b.test", HSS_HA1_MD5,
                                          "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
                                          true),
                     HSS_OK);
    assert_int_equal(hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_MD5, ha1,
                                          realm, sizeof(realm)),
                     HSS_OK);
    assert_string_equal(realm, "b.test");
    assert_string_equal(ha1, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    assert_int_equal(
        hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_SHA256, ha1, NULL, 0),
        HSS_NOT_FOUND);
    assert_int_equal(hss_store_digest_clear(f->st, u.impi), HSS_OK);
    assert_int_equal(hss_store_digest_get(f->st, u.impi, "a.test", HSS_HA1_MD5,
                                          ha1, NULL, 0),
                     HSS_NOT_FOUND);
}

/* hss_store_digest_realm_get: every algorithm of one realm in one read,
 * the realm asked for or else the default realm, never a mix of realms. */
static void test_hss_store_digest_realm_get(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_WEBRTC);
    struct hss_digest_realm r;

    assert_int_equal(hss_store_digest_realm_get(f->st, u.impi, NULL, &r),
                     HSS_NOT_FOUND);
    two_realms(f->st, u.impi);
    /* no realm, or one without a credential: the default realm, whole */
    assert_int_equal(hss_store_digest_realm_get(f->st, u.impi, NULL, &r),
                     HSS_OK);
    assert_string_equal(r.realm, "a.test");
    assert_true(r.have[HSS_HA1_MD5] && r.have[HSS_HA1_SHA256]);
    assert_false(r.have[HSS_HA1_SHA512_256]);
    assert_string_equal(r.ha1[HSS_HA1_MD5], "0123456789abcdef0123456789abcdef");
    assert_string_equal(r.ha1[HSS_HA1_SHA256], SHA);
    assert_int_equal(hss_store_digest_realm_get(f->st, u.impi, "zzz", &r),
                     HSS_OK);
    assert_string_equal(r.realm, "a.test");
    /* a realm with a credential: only its rows (no SHA-256 from a.test) */
    assert_int_equal(hss_store_digest_realm_get(f->st, u.impi, "b.test", &r),
                     HSS_OK);
    assert_string_equal(r.realm, "b.test");
    assert_string_equal(r.ha1[HSS_HA1_MD5], "ffffffffffffffffffffffffffffffff");
    assert_false(r.have[HSS_HA1_SHA256]);
    /* b.test becomes the default: the fallback moves with it */
    assert_int_equal(hss_store_digest_set(f->st, u.impi, "b.test", HSS_HA1_MD5,
                                          "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
                                          true),
                     HSS_OK);
    assert_int_equal(hss_store_digest_realm_get(f->st, u.impi, NULL, &r),
                     HSS_OK);
    assert_string_equal(r.realm, "b.test");
    assert_string_equal(r.ha1[HSS_HA1_MD5], "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    assert_false(r.have[HSS_HA1_SHA256]);
    /* another IMPI's rows are never returned */
    assert_int_equal(hss_store_digest_realm_get(f->st, 999, "a.test", &r),
                     HSS_NOT_FOUND);
}

static void test_hss_store_digest_set_invalid(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_WEBRTC);
    char ha1[HSS_HA1_HEX_MAX + 1], realm[4];

    assert_int_equal(
        hss_store_digest_set(f->st, u.impi, "r", HSS_HA1_MD5, SHA, false),
        HSS_INVALID); /* wrong length */
    assert_int_equal(hss_store_digest_set(f->st, u.impi, "r", HSS_HA1_MD5,
                                          "0123456789abcdef0123456789abcdeg",
                                          false),
                     HSS_INVALID);
    assert_int_equal(
        hss_store_digest_set(f->st, u.impi, "", HSS_HA1_MD5, MD5, false),
        HSS_INVALID);
    assert_int_equal(hss_store_digest_set(f->st, u.impi, "r",
                                          (enum hss_digest_algo_id)9, MD5,
                                          false),
                     HSS_INVALID);
    assert_int_equal(
        hss_store_digest_set(f->st, u.impi, "r", HSS_HA1_MD5, NULL, false),
        HSS_INVALID);
    assert_int_equal(
        hss_store_digest_set(f->st, 999, "r", HSS_HA1_MD5, MD5, false),
        HSS_NOT_FOUND);
    assert_int_equal(hss_store_digest_set(f->st, u.impi, "long.realm",
                                          HSS_HA1_MD5, MD5, false),
                     HSS_OK);
    assert_int_equal(hss_store_digest_get(f->st, u.impi, NULL, HSS_HA1_MD5, ha1,
                                          realm, sizeof(realm)),
                     HSS_INVALID); /* realm_out too small */
}

#define SQN_ROUNDS 200

struct sqn_thread {
    struct fx *f;
    int64_t impi;
    uint64_t seen[SQN_ROUNDS];
    int ok;
};

static void *sqn_worker(void *arg)
{
    struct sqn_thread *t = arg;
    struct hss_store *st = fx_open(t->f);
    int i;

    for (i = 0; i < SQN_ROUNDS; i++) {
        struct hss_aka_cred c;

        if (hss_store_begin(st, HSS_TX_WRITE) != HSS_OK ||
            hss_store_aka_get(st, t->impi, &c) != HSS_OK ||
            hss_store_aka_sqn_set(st, t->impi, c.sqn + 32) != HSS_OK ||
            hss_store_commit(st) != HSS_OK) {
            hss_store_rollback(st);
            break;
        }
        t->seen[i] = c.sqn + 32;
        t->ok++;
    }
    hss_store_close(st);
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static void test_hss_store_aka_sqn_set_two_threads(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_aka_cred c = {.k = {1}, .opc = {2}, .sqn = 0};
    struct sqn_thread t[2];
    uint64_t all[2 * SQN_ROUNDS];
    pthread_t th[2];
    int i;

    assert_int_equal(hss_store_aka_set(f->st, u.impi, &c), HSS_OK);
    for (i = 0; i < 2; i++) {
        memset(&t[i], 0, sizeof(t[i]));
        t[i].f = f;
        t[i].impi = u.impi;
        assert_int_equal(pthread_create(&th[i], NULL, sqn_worker, &t[i]), 0);
    }
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(t[0].ok, SQN_ROUNDS);
    assert_int_equal(t[1].ok, SQN_ROUNDS);
    for (i = 0; i < SQN_ROUNDS; i++) {
        /* strictly increasing per thread */
        if (i > 0) {
            assert_true(t[0].seen[i] > t[0].seen[i - 1]);
            assert_true(t[1].seen[i] > t[1].seen[i - 1]);
        }
        all[i] = t[0].seen[i];
        all[SQN_ROUNDS + i] = t[1].seen[i];
    }
    qsort(all, 2 * SQN_ROUNDS, sizeof(all[0]), cmp_u64);
    for (i = 0; i < 2 * SQN_ROUNDS; i++)
        assert_int_equal(all[i], (uint64_t)(i + 1) * 32); /* no duplicate */
    assert_int_equal(hss_store_aka_get(f->st, u.impi, &c), HSS_OK);
    assert_int_equal(c.sqn, 2 * SQN_ROUNDS * 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_aka_set_get_sqn),
        FX_TEST(test_hss_store_digest_set_get_realms),
        FX_TEST(test_hss_store_digest_realm_get),
        FX_TEST(test_hss_store_digest_set_invalid),
        FX_TEST(test_hss_store_aka_sqn_set_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
