/* test_aka.c - hss_aka.c: AUTN from TS 35.208 test set 1 (SPEC §7.2
 * derived values), AUTS re-synchronisation (TS 33.102 §6.3.3, §6.3.5) and
 * SQN = SEQ || IND arithmetic (Annex C.3.2), including exhaustion.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cx_proto.h"
#include "hss_aka.h"
#include "hss_hex.h"
#include "hss_milenage.h"

/* The wire sizes of the dictionary and of the crypto library agree. */
_Static_assert(HSS_AKA_RAND_LEN == CX_AKA_RAND_LEN, "RAND size");
_Static_assert(HSS_AKA_AUTN_LEN == CX_AKA_AUTN_LEN, "AUTN size");
_Static_assert(HSS_AKA_AUTS_LEN == CX_AKA_AUTS_LEN, "AUTS size");
_Static_assert(HSS_AKA_KEY_LEN == CX_AKA_KEY_LEN, "CK/IK size");
_Static_assert(HSS_AKA_XRES_LEN == CX_AKA_XRES_LEN, "XRES size");

/* TS 35.208 test set 1. */
#define K1 "465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1 "cd63cb71954a9f4e48a5994e37a02baf"
#define RAND1 "23553cbe9637a89d218ae64dae47bf35"
#define SQN1 UINT64_C(0xff9bb4d0b607)
#define AMF1 "b9b9"
/* Derived: AUTN = (SQN xor AK) || AMF || MAC-A; AUTS for SQN_MS = SQN1. */
#define AUTN1 "55f328b43577b9b94a9ffac354dfafb3"
#define AUTS1 "ba853f3c123ccf44e93596e355c6"

static void unhex(const char *s, uint8_t *out, size_t n)
{
    assert_int_equal(hss_hex_decode(s, strlen(s), out, n), HSS_CRYPTO_OK);
}

struct set1 {
    uint8_t k[16], opc[16], rand[16], amf[2], auts[14];
};

static void load(struct set1 *s)
{
    unhex(K1, s->k, 16);
    unhex(OPC1, s->opc, 16);
    unhex(RAND1, s->rand, 16);
    unhex(AMF1, s->amf, 2);
    unhex(AUTS1, s->auts, 14);
}

static void test_aka_vector_make_set1(void **state)
{
    struct set1 s;
    struct hss_aka_vector v;
    uint8_t exp[16];

    load(&s);
    assert_int_equal(hss_aka_vector_make(s.k, s.opc, s.amf, SQN1, s.rand, &v),
                     HSS_CRYPTO_OK);
    assert_memory_equal(v.rand, s.rand, 16);
    unhex(AUTN1, exp, 16);
    assert_memory_equal(v.autn, exp, 16);
    unhex("a54211d5e3ba50bf", exp, 8);
    assert_memory_equal(v.xres, exp, 8);
    unhex("b40ba9a3c58b2a05bbf0d987b21bf8cb", exp, 16);
    assert_memory_equal(v.ck, exp, 16);
    unhex("f769bcd751044604127672711c6d3441", exp, 16);
    assert_memory_equal(v.ik, exp, 16);
}

static void test_aka_vector_make_bad_args_refused(void **state)
{
    struct set1 s;
    struct hss_aka_vector v, before;

    load(&s);
    memset(&v, 0x77, sizeof(v));
    before = v;
    assert_int_equal(
        hss_aka_vector_make(s.k, s.opc, s.amf, HSS_AKA_SQN_MAX + 1, s.rand, &v),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_vector_make(NULL, s.opc, s.amf, 1, s.rand, &v),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_vector_make(s.k, NULL, s.amf, 1, s.rand, &v),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_vector_make(s.k, s.opc, NULL, 1, s.rand, &v),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_vector_make(s.k, s.opc, s.amf, 1, NULL, &v),
                     HSS_CRYPTO_EINVAL);
    assert_memory_equal(&v, &before, sizeof(v));
    assert_int_equal(hss_aka_vector_make(s.k, s.opc, s.amf, 1, s.rand, NULL),
                     HSS_CRYPTO_EINVAL);
}

static void test_aka_auts_verify_set1(void **state)
{
    struct set1 s;
    uint64_t sqn_ms = 0;

    load(&s);
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms),
                     HSS_CRYPTO_OK);
    assert_true(sqn_ms == SQN1);
}

/* Build AUTS like a USIM would, for an arbitrary SQN_MS, and verify it. */
static void test_aka_auts_round_trip(void **state)
{
    static const uint8_t amf0[2] = {0, 0};
    static const uint64_t sqns[] = {0, 1, 0x20, UINT64_C(0x123456789abc),
                                    HSS_AKA_SQN_MAX};
    struct set1 s;

    load(&s);
    for (size_t i = 0; i < sizeof(sqns) / sizeof(sqns[0]); i++) {
        uint8_t sqn_b[6], ak_star[6], mac_a[8], auts[14];
        uint64_t got = ~UINT64_C(0);

        for (int j = 0; j < 6; j++)
            sqn_b[j] = (uint8_t)(sqns[i] >> (8 * (5 - j)));
        assert_int_equal(hss_milenage_f5star(s.k, s.opc, s.rand, ak_star),
                         HSS_CRYPTO_OK);
        assert_int_equal(
            hss_milenage_f1(s.k, s.opc, s.rand, sqn_b, amf0, mac_a, auts + 6),
            HSS_CRYPTO_OK);
        for (int j = 0; j < 6; j++)
            auts[j] = sqn_b[j] ^ ak_star[j];
        assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, auts, &got),
                         HSS_CRYPTO_OK);
        assert_true(got == sqns[i]);
    }
}

static void test_aka_auts_tampered_mac_refused(void **state)
{
    struct set1 s;
    uint64_t sqn_ms = 42;

    load(&s);
    for (int bit = 0; bit < 64; bit++) {
        uint8_t auts[14];

        memcpy(auts, s.auts, sizeof(auts));
        auts[6 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, auts, &sqn_ms),
                         HSS_CRYPTO_EVERIFY);
        assert_true(sqn_ms == 42);
    }
}

static void test_aka_auts_tampered_sqn_refused(void **state)
{
    struct set1 s;
    uint64_t sqn_ms = 42;

    load(&s);
    for (int bit = 0; bit < 48; bit++) {
        uint8_t auts[14];

        memcpy(auts, s.auts, sizeof(auts));
        auts[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, auts, &sqn_ms),
                         HSS_CRYPTO_EVERIFY);
        assert_true(sqn_ms == 42);
    }
}

static void test_aka_auts_wrong_key_refused(void **state)
{
    struct set1 s;
    uint64_t sqn_ms = 42;

    load(&s);
    s.k[15] ^= 0x01;
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms),
                     HSS_CRYPTO_EVERIFY);
    s.k[15] ^= 0x01;
    s.opc[0] ^= 0x80;
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms),
                     HSS_CRYPTO_EVERIFY);
    s.opc[0] ^= 0x80;
    s.rand[3] ^= 0x10;
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, s.auts, &sqn_ms),
                     HSS_CRYPTO_EVERIFY);
    assert_true(sqn_ms == 42);
}

static void test_aka_auts_null_refused(void **state)
{
    struct set1 s;
    uint64_t sqn_ms = 42;

    load(&s);
    assert_int_equal(hss_aka_auts_verify(NULL, s.opc, s.rand, s.auts, &sqn_ms),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_auts_verify(s.k, NULL, s.rand, s.auts, &sqn_ms),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, NULL, s.auts, &sqn_ms),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, NULL, &sqn_ms),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_auts_verify(s.k, s.opc, s.rand, s.auts, NULL),
                     HSS_CRYPTO_EINVAL);
    assert_true(sqn_ms == 42);
}

#define SQN(seq, ind) (((uint64_t)(seq) << HSS_AKA_IND_BITS) | (ind))

static void test_aka_sqn_next_increments_seq_and_rotates_ind(void **state)
{
    uint64_t sqn = 0, next = 0;

    assert_int_equal(hss_aka_sqn_next(0, &next), HSS_CRYPTO_OK);
    assert_true(next == SQN(1, 1));
    assert_int_equal(hss_aka_sqn_next(SQN(7, 30), &next), HSS_CRYPTO_OK);
    assert_true(next == SQN(8, 31));
    assert_int_equal(hss_aka_sqn_next(SQN(8, 31), &next), HSS_CRYPTO_OK);
    assert_true(next == SQN(9, 0));
    /* 100 steps: SEQ strictly increasing, IND cycling through 32 slots. */
    for (int i = 0; i < 100; i++) {
        assert_int_equal(hss_aka_sqn_next(sqn, &next), HSS_CRYPTO_OK);
        assert_true((next >> HSS_AKA_IND_BITS) ==
                    (sqn >> HSS_AKA_IND_BITS) + 1);
        assert_true((next & HSS_AKA_IND_MASK) == (uint64_t)((i + 1) % 32));
        sqn = next;
    }
}

static void test_aka_sqn_next_exhausted_refused(void **state)
{
    uint64_t next = 42;

    assert_int_equal(hss_aka_sqn_next(SQN(HSS_AKA_SEQ_MAX - 1, 31), &next),
                     HSS_CRYPTO_OK);
    assert_true(next == SQN(HSS_AKA_SEQ_MAX, 0));
    next = 42;
    assert_int_equal(hss_aka_sqn_next(SQN(HSS_AKA_SEQ_MAX, 0), &next),
                     HSS_CRYPTO_ERANGE);
    assert_int_equal(hss_aka_sqn_next(HSS_AKA_SQN_MAX, &next),
                     HSS_CRYPTO_ERANGE);
    assert_int_equal(hss_aka_sqn_next(HSS_AKA_SQN_MAX + 1, &next),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_sqn_next(0, NULL), HSS_CRYPTO_EINVAL);
    assert_true(next == 42);
}

static void test_aka_sqn_resync(void **state)
{
    uint64_t he = 42, next = 0;

    /* SPEC §7.2: SQN_MS = ff9bb4d0b607 -> SEQ_MS + 1, IND kept. */
    assert_int_equal(hss_aka_sqn_resync(SQN1, &he), HSS_CRYPTO_OK);
    assert_true(he == SQN1 + 32);
    assert_true((he >> HSS_AKA_IND_BITS) == (SQN1 >> HSS_AKA_IND_BITS) + 1);
    assert_true((he & HSS_AKA_IND_MASK) == (SQN1 & HSS_AKA_IND_MASK));
    /* The next vector after a resync is fresh for the USIM. */
    assert_int_equal(hss_aka_sqn_next(he, &next), HSS_CRYPTO_OK);
    assert_true((next >> HSS_AKA_IND_BITS) > (SQN1 >> HSS_AKA_IND_BITS));
    assert_int_equal(hss_aka_sqn_resync(0, &he), HSS_CRYPTO_OK);
    assert_true(he == SQN(1, 0));

    he = 42;
    assert_int_equal(hss_aka_sqn_resync(SQN(HSS_AKA_SEQ_MAX, 3), &he),
                     HSS_CRYPTO_ERANGE);
    assert_int_equal(hss_aka_sqn_resync(HSS_AKA_SQN_MAX + 1, &he),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_aka_sqn_resync(1, NULL), HSS_CRYPTO_EINVAL);
    assert_true(he == 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aka_vector_make_set1),
        cmocka_unit_test(test_aka_vector_make_bad_args_refused),
        cmocka_unit_test(test_aka_auts_verify_set1),
        cmocka_unit_test(test_aka_auts_round_trip),
        cmocka_unit_test(test_aka_auts_tampered_mac_refused),
        cmocka_unit_test(test_aka_auts_tampered_sqn_refused),
        cmocka_unit_test(test_aka_auts_wrong_key_refused),
        cmocka_unit_test(test_aka_auts_null_refused),
        cmocka_unit_test(test_aka_sqn_next_increments_seq_and_rotates_ind),
        cmocka_unit_test(test_aka_sqn_next_exhausted_refused),
        cmocka_unit_test(test_aka_sqn_resync),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
