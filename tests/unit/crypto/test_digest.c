/* test_digest.c - hss_digest.c against RFC 2617 §3.5 and RFC 7616 §3.9.1
 * (MD5, SHA-256), plus SHA-512-256 and no-qop values self-computed with an
 * independent implementation (Python hashlib), see SPEC §6.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hss_digest.h"

struct digest_case {
    enum hss_digest_alg alg;
    const char *user, *realm, *password, *nonce, *nc, *cnonce, *qop;
    const char *method, *uri, *ha1, *response;
};

#define RFC7616_NONCE "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static const struct digest_case cases[] = {
    /* RFC 2617 §3.5 */
    {HSS_DIGEST_MD5, "Mufasa", "testrealm@host.com", "Circle Of Life",
     "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth",
     "GET", "/dir/index.html", "939e7578ed9e3c518a452acee763bce9",
     "6629fae49393a05397450978507c4ef1"},
    /* RFC 7616 §3.9.1, MD5 */
    {HSS_DIGEST_MD5, "Mufasa", "http-auth@example.org", "Circle of Life",
     RFC7616_NONCE, "00000001", RFC7616_CNONCE, "auth", "GET",
     "/dir/index.html", "3d78807defe7de2157e2b0b6573a855f",
     "8ca523f5e9506fed4657c9700eebdbec"},
    /* RFC 7616 §3.9.1, SHA-256 */
    {HSS_DIGEST_SHA256, "Mufasa", "http-auth@example.org", "Circle of Life",
     RFC7616_NONCE, "00000001", RFC7616_CNONCE, "auth", "GET",
     "/dir/index.html",
     "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232",
     "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
    /* Same inputs, SHA-512-256: self-computed (SPEC §6), not an RFC value */
    {HSS_DIGEST_SHA512_256, "Mufasa", "http-auth@example.org", "Circle of Life",
     RFC7616_NONCE, "00000001", RFC7616_CNONCE, "auth", "GET",
     "/dir/index.html",
     "fb174f5c3c7802721517cae13b98e2b8dae2e0118cb705d94ee29946319204ce",
     "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0"},
    /* No qop (RFC 2069 form), RFC 2617 inputs: self-computed */
    {HSS_DIGEST_MD5, "Mufasa", "testrealm@host.com", "Circle Of Life",
     "dcd98b7102dd2f0e8b11d0f600bfb0c093", NULL, NULL, NULL, "GET",
     "/dir/index.html", "939e7578ed9e3c518a452acee763bce9",
     "670fd8c2df070c60b045671b8b24ff02"},
    /* No qop, RFC 7616 SHA-256 inputs: self-computed */
    {HSS_DIGEST_SHA256, "Mufasa", "http-auth@example.org", "Circle of Life",
     RFC7616_NONCE, NULL, NULL, NULL, "GET", "/dir/index.html",
     "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232",
     "a1306b0595a6c7fe96c448631fb5cfbd5107bd1fe1da729d978dd7446b812363"},
};

static void test_digest_ha1_vectors(void **state)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct digest_case *c = &cases[i];
        char out[HSS_DIGEST_HEX_MAX];

        assert_int_equal(hss_digest_ha1(c->alg, c->user, c->realm, c->password,
                                        strlen(c->password), out, sizeof(out)),
                         HSS_CRYPTO_OK);
        assert_string_equal(out, c->ha1);
    }
}

static void test_digest_response_vectors(void **state)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct digest_case *c = &cases[i];
        char out[HSS_DIGEST_HEX_MAX];

        assert_int_equal(hss_digest_response(c->alg, c->ha1, c->nonce, c->nc,
                                             c->cnonce, c->qop, c->method,
                                             c->uri, out, sizeof(out)),
                         HSS_CRYPTO_OK);
        assert_string_equal(out, c->response);
    }
}

static void test_digest_ha1_exact_buffer_and_too_small(void **state)
{
    char out[33];

    memset(out, 'x', sizeof(out));
    assert_int_equal(hss_digest_ha1(HSS_DIGEST_MD5, "Mufasa",
                                    "testrealm@host.com", "Circle Of Life", 14,
                                    out, 33),
                     HSS_CRYPTO_OK);
    assert_string_equal(out, "939e7578ed9e3c518a452acee763bce9");
    memset(out, 'x', sizeof(out));
    assert_int_equal(hss_digest_ha1(HSS_DIGEST_MD5, "Mufasa",
                                    "testrealm@host.com", "Circle Of Life", 14,
                                    out, 32),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(out[0], 'x');
    assert_int_equal(hss_digest_ha1(HSS_DIGEST_SHA256, "Mufasa", "r", "p", 1,
                                    out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
}

static void test_digest_ha1_password_length_counts(void **state)
{
    char a[HSS_DIGEST_HEX_MAX], b[HSS_DIGEST_HEX_MAX];
    static const char pw[] = "Circle Of Life\0tail";

    /* password_len, not the NUL, decides: embedded bytes are hashed. */
    assert_int_equal(hss_digest_ha1(HSS_DIGEST_MD5, "Mufasa",
                                    "testrealm@host.com", pw, 14, a, sizeof(a)),
                     HSS_CRYPTO_OK);
    assert_string_equal(a, "939e7578ed9e3c518a452acee763bce9");
    assert_int_equal(hss_digest_ha1(HSS_DIGEST_MD5, "Mufasa",
                                    "testrealm@host.com", pw, sizeof(pw) - 1, b,
                                    sizeof(b)),
                     HSS_CRYPTO_OK);
    assert_string_not_equal(a, b);
    /* Empty password is valid input. */
    assert_int_equal(
        hss_digest_ha1(HSS_DIGEST_SHA512_256, "u", "r", "", 0, b, sizeof(b)),
        HSS_CRYPTO_OK);
    assert_int_equal(strlen(b), 64);
}

static void test_digest_null_and_bad_args_refused(void **state)
{
    const char *h = "939e7578ed9e3c518a452acee763bce9";
    char out[HSS_DIGEST_HEX_MAX];

    memset(out, 'x', sizeof(out));
    assert_int_equal(
        hss_digest_ha1(HSS_DIGEST_MD5, NULL, "r", "p", 1, out, sizeof(out)),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_digest_ha1(HSS_DIGEST_MD5, "u", NULL, "p", 1, out, sizeof(out)),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(
        hss_digest_ha1(HSS_DIGEST_MD5, "u", "r", NULL, 1, out, sizeof(out)),
        HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_ha1(HSS_DIGEST_MD5, "u", "r", "p", 1, NULL, 65),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_ha1((enum hss_digest_alg)7, "u", "r", "p", 1,
                                    out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, NULL, "n", "1", "c",
                                         "auth", "GET", "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, h, NULL, "1", "c",
                                         "auth", "GET", "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, h, "n", NULL, "c",
                                         "auth", "GET", "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, h, "n", "1", NULL,
                                         "auth", "GET", "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, h, "n", "1", "c",
                                         "auth-int", "GET", "/", out,
                                         sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, h, "n", "1", "c",
                                         "auth", NULL, "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(HSS_DIGEST_MD5, h, "n", "1", "c",
                                         "auth", "GET", NULL, out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    /* HA1 of the wrong length for the algorithm, or not hex. */
    assert_int_equal(hss_digest_response(HSS_DIGEST_SHA256, h, "n", "1", "c",
                                         "auth", "GET", "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_response(
                         HSS_DIGEST_MD5, "939e7578ed9e3c518a452acee763bceZ",
                         "n", "1", "c", "auth", "GET", "/", out, sizeof(out)),
                     HSS_CRYPTO_EINVAL);
    assert_int_equal(out[0], 'x');
}

static void test_digest_alg_names(void **state)
{
    enum hss_digest_alg alg = HSS_DIGEST_MD5;

    assert_string_equal(hss_digest_alg_name(HSS_DIGEST_MD5), "MD5");
    assert_string_equal(hss_digest_alg_name(HSS_DIGEST_SHA256), "SHA-256");
    assert_string_equal(hss_digest_alg_name(HSS_DIGEST_SHA512_256),
                        "SHA-512-256");
    assert_null(hss_digest_alg_name((enum hss_digest_alg)3));
    assert_int_equal(hss_digest_hex_len(HSS_DIGEST_MD5), 32);
    assert_int_equal(hss_digest_hex_len(HSS_DIGEST_SHA256), 64);
    assert_int_equal(hss_digest_hex_len(HSS_DIGEST_SHA512_256), 64);
    assert_int_equal(hss_digest_hex_len((enum hss_digest_alg)3), 0);

    assert_int_equal(hss_digest_alg_parse("sha-256", &alg), HSS_CRYPTO_OK);
    assert_int_equal(alg, HSS_DIGEST_SHA256);
    assert_int_equal(hss_digest_alg_parse("Sha-512-256", &alg), HSS_CRYPTO_OK);
    assert_int_equal(alg, HSS_DIGEST_SHA512_256);
    assert_int_equal(hss_digest_alg_parse("md5", &alg), HSS_CRYPTO_OK);
    assert_int_equal(alg, HSS_DIGEST_MD5);
    assert_int_equal(hss_digest_alg_parse("MD5-sess", &alg), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_alg_parse("SHA256", &alg), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_alg_parse("", &alg), HSS_CRYPTO_EINVAL);
    assert_int_equal(alg, HSS_DIGEST_MD5);
    assert_int_equal(hss_digest_alg_parse(NULL, &alg), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_digest_alg_parse("MD5", NULL), HSS_CRYPTO_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_ha1_vectors),
        cmocka_unit_test(test_digest_response_vectors),
        cmocka_unit_test(test_digest_ha1_exact_buffer_and_too_small),
        cmocka_unit_test(test_digest_ha1_password_length_counts),
        cmocka_unit_test(test_digest_null_and_bad_args_refused),
        cmocka_unit_test(test_digest_alg_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
