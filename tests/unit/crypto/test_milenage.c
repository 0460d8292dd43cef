/* test_milenage.c - hss_milenage.c against the MILENAGE conformance test
 * data of TS 35.208 §4.3 (test sets 1 to 6; set 1 also in TS 35.207).
 *
 * Sets 1-6 were taken from TS 35.208 as reproduced in several independent
 * public test suites that agree with one another (and set 1 with SPEC §7.2).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hss_hex.h"
#include "hss_milenage.h"

struct test_set {
    const char *k, *rand, *sqn, *amf, *op, *opc;
    const char *f1, *f1star, *f2, *f5, *f3, *f4, *f5star;
};

/* TS 35.208 §4.3.1 - §4.3.6. */
static const struct test_set sets[] = {
    {"465b5ce8b199b49faa5f0a2ee238a6bc", "23553cbe9637a89d218ae64dae47bf35",
     "ff9bb4d0b607", "b9b9", "cdc202d5123e20f62b6d676ac72cb318",
     "cd63cb71954a9f4e48a5994e37a02baf", "4a9ffac354dfafb3", "01cfaf9ec4e871e9",
     "a54211d5e3ba50bf", "aa689c648370", "b40ba9a3c58b2a05bbf0d987b21bf8cb",
     "f769bcd751044604127672711c6d3441", "451e8beca43b"},
    {"0396eb317b6d1c36f19c1c84cd6ffd16", "c00d603103dcee52c4478119494202e8",
     "fd8eef40df7d", "af17", "ff53bade17df5d4e793073ce9d7579fa",
     "53c15671c60a4b731c55b4a441c0bde2", "5df5b31807e258b0", "a8c016e51ef4a343",
     "d3a628ed988620f0", "c47783995f72", "58c433ff7a7082acd424220f2b67c556",
     "21a8c1f929702adb3e738488b9f5c5da", "30f1197061c1"},
    {"fec86ba6eb707ed08905757b1bb44b8f", "9f7c8d021accf4db213ccff0c7f71a6a",
     "9d0277595ffc", "725c", "dbc59adcb6f9a0ef735477b7fadf8374",
     "1006020f0a478bf6b699f15c062e42b3", "9cabc3e99baf7281", "95814ba2b3044324",
     "8011c48c0c214ed2", "33484dc2136b", "5dbdbb2954e8f3cde665b046179a5098",
     "59a92d3b476a0443487055cf88b2307b", "deacdd848cc6"},
    {"9e5944aea94b81165c82fbf9f32db751", "ce83dbc54ac0274a157c17f80d017bd6",
     "0b604a81eca8", "9e09", "223014c5806694c007ca1eeef57f004f",
     "a64a507ae1a2a98bb88eb4210135dc87", "74a58220cba84c49", "ac2cc74a96871837",
     "f365cd683cd92e96", "f0b9c08ad02e", "e203edb3971574f5a94b0d61b816345d",
     "0c4524adeac041c4dd830d20854fc46b", "6085a86c6f63"},
    {"4ab1deb05ca6ceb051fc98e77d026a84", "74b0cd6031a1c8339b2b6ce2b8c4a186",
     "e880a1b580b6", "9f07", "2d16c5cd1fdf6b22383584e3bef2a8d8",
     "dcf07cbd51855290b92a07a9891e523e", "49e785dd12626ef2", "9e85790336bb3fa2",
     "5860fc1bce351e7e", "31e11a609118", "7657766b373d1c2138f307e3de9242f9",
     "1c42e960d89b8fa99f2744e0708ccb53", "fe2555e54aa9"},
    {"6c38a116ac280c454f59332ee35c8c4f", "ee6466bc96202c5a557abbeff8babf63",
     "414b98222181", "4464", "1ba00a1a7c6700ac8c3ff3e96ad08725",
     "3803ef5363b947c6aaa225e58fae3934", "078adfb488241a57", "80246b8d0186bcf1",
     "16c8233f05a0ac28", "45b0f69ab06c", "3f8c7587fe8e4b233af676aede30ba3b",
     "a7466cc1e6b2a1337d49d3b66e95d7b4", "1f53cd2b1113"},
};

#define NSETS (sizeof(sets) / sizeof(sets[0]))

/* Decode a test constant of exactly n bytes. */
static void unhex(const char *s, uint8_t *out, size_t n)
{
    assert_int_equal(hss_hex_decode(s, strlen(s), out, n), HSS_CRYPTO_OK);
}

static void assert_hex(const uint8_t *got, size_t n, const char *want)
{
    uint8_t exp[32];

    assert_true(n <= sizeof(exp));
    unhex(want, exp, n);
    assert_memory_equal(got, exp, n);
}

struct inputs {
    uint8_t k[16], rand[16], sqn[6], amf[2], op[16], opc[16];
};

static void load(const struct test_set *t, struct inputs *in)
{
    unhex(t->k, in->k, 16);
    unhex(t->rand, in->rand, 16);
    unhex(t->sqn, in->sqn, 6);
    unhex(t->amf, in->amf, 2);
    unhex(t->op, in->op, 16);
    unhex(t->opc, in->opc, 16);
}

static void test_milenage_opc_sets(void **state)
{
    for (size_t i = 0; i < NSETS; i++) {
        struct inputs in;
        uint8_t opc[16];

        load(&sets[i], &in);
        assert_int_equal(hss_milenage_opc(in.k, in.op, opc), HSS_CRYPTO_OK);
        assert_memory_equal(opc, in.opc, 16);
    }
}

static void test_milenage_f1_sets(void **state)
{
    for (size_t i = 0; i < NSETS; i++) {
        struct inputs in;
        uint8_t mac_a[8], mac_s[8];

        load(&sets[i], &in);
        assert_int_equal(hss_milenage_f1(in.k, in.opc, in.rand, in.sqn, in.amf,
                                         mac_a, mac_s),
                         HSS_CRYPTO_OK);
        assert_hex(mac_a, 8, sets[i].f1);
        assert_hex(mac_s, 8, sets[i].f1star);
    }
}

static void test_milenage_f2345_sets(void **state)
{
    for (size_t i = 0; i < NSETS; i++) {
        struct inputs in;
        uint8_t res[8], ck[16], ik[16], ak[6];

        load(&sets[i], &in);
        assert_int_equal(
            hss_milenage_f2345(in.k, in.opc, in.rand, res, ck, ik, ak),
            HSS_CRYPTO_OK);
        assert_hex(res, 8, sets[i].f2);
        assert_hex(ck, 16, sets[i].f3);
        assert_hex(ik, 16, sets[i].f4);
        assert_hex(ak, 6, sets[i].f5);
    }
}

static void test_milenage_f5star_sets(void **state)
{
    for (size_t i = 0; i < NSETS; i++) {
        struct inputs in;
        uint8_t ak_star[6];

        load(&sets[i], &in);
        assert_int_equal(hss_milenage_f5star(in.k, in.opc, in.rand, ak_star),
                         HSS_CRYPTO_OK);
        assert_hex(ak_star, 6, sets[i].f5star);
    }
}

static void test_milenage_compute_all_sets(void **state)
{
    for (size_t i = 0; i < NSETS; i++) {
        struct inputs in;
        struct hss_milenage_out o;

        load(&sets[i], &in);
        assert_int_equal(hss_milenage_compute(in.k, in.opc, in.rand, in.sqn,
                                              in.amf, HSS_MILENAGE_ALL, &o),
                         HSS_CRYPTO_OK);
        assert_hex(o.mac_a, 8, sets[i].f1);
        assert_hex(o.mac_s, 8, sets[i].f1star);
        assert_hex(o.res, 8, sets[i].f2);
        assert_hex(o.ck, 16, sets[i].f3);
        assert_hex(o.ik, 16, sets[i].f4);
        assert_hex(o.ak, 6, sets[i].f5);
        assert_hex(o.ak_star, 6, sets[i].f5star);
    }
}

static void test_milenage_compute_partial_zeroes_rest(void **state)
{
    static const uint8_t zero[16];
    struct inputs in;
    struct hss_milenage_out o;

    load(&sets[0], &in);
    memset(&o, 0xa5, sizeof(o));
    assert_int_equal(hss_milenage_compute(in.k, in.opc, in.rand, NULL, NULL,
                                          HSS_MILENAGE_F3, &o),
                     HSS_CRYPTO_OK);
    assert_hex(o.ck, 16, sets[0].f3);
    assert_memory_equal(o.mac_a, zero, 8);
    assert_memory_equal(o.ik, zero, 16);
    assert_memory_equal(o.ak_star, zero, 6);
}

static void test_milenage_bad_args_refused(void **state)
{
    struct inputs in;
    struct hss_milenage_out o, before;
    uint8_t b8[8], b8b[8], b16[16], b16b[16], b6[6];

    load(&sets[0], &in);
    memset(&o, 0x5a, sizeof(o));
    before = o;
    assert_int_equal(hss_milenage_opc(NULL, in.op, b16), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_milenage_opc(in.k, NULL, b16), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_milenage_opc(in.k, in.op, NULL), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_milenage_compute(in.k, in.opc, in.rand, NULL, in.amf,
                                          HSS_MILENAGE_F1, &o),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_milenage_compute(in.k, in.opc, in.rand, in.sqn, in.amf, 0, &o),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_milenage_compute(in.k, in.opc, in.rand, in.sqn, in.amf, 0x20, &o),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_milenage_compute(in.k, NULL, in.rand, in.sqn, in.amf,
                                          HSS_MILENAGE_ALL, &o),
                     HSS_CRYPTO_EINVAL);
    assert_memory_equal(&o, &before, sizeof(o));
    assert_int_equal(hss_milenage_compute(in.k, in.opc, in.rand, in.sqn, in.amf,
                                          HSS_MILENAGE_ALL, NULL),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_milenage_f1(in.k, in.opc, NULL, in.sqn, in.amf, b8, b8b),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_milenage_f1(in.k, in.opc, in.rand, in.sqn, in.amf, b8, NULL),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_milenage_f2345(NULL, in.opc, in.rand, b8, b16, b16b, b6),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_milenage_f2345(in.k, in.opc, in.rand, b8, b16, NULL, b6),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_milenage_f5star(in.k, in.opc, in.rand, NULL),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_milenage_f5star(in.k, in.opc, NULL, b6),
                     HSS_CRYPTO_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_milenage_opc_sets),
        cmocka_unit_test(test_milenage_f1_sets),
        cmocka_unit_test(test_milenage_f2345_sets),
        cmocka_unit_test(test_milenage_f5star_sets),
        cmocka_unit_test(test_milenage_compute_all_sets),
        cmocka_unit_test(test_milenage_compute_partial_zeroes_rest),
        cmocka_unit_test(test_milenage_bad_args_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
