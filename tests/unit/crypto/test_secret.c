/* test_secret.c - hss_secret.c (wipe, constant-time equality, return-code
 * texts) and hss_rand.c (RAND_bytes wrapper).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hss_crypto.h"
#include "hss_rand.h"
#include "hss_secret.h"

static void test_secret_wipe_zeroes(void **state)
{
    static const uint8_t zero[32];
    uint8_t buf[32];

    memset(buf, 0xa5, sizeof(buf));
    hss_secret_wipe(buf, sizeof(buf));
    assert_memory_equal(buf, zero, sizeof(buf));
    hss_secret_wipe(NULL, 16); /* no crash */
    hss_secret_wipe(buf, 0);
}

static void test_secret_equal(void **state)
{
    uint8_t a[16], b[16];

    memset(a, 0x11, sizeof(a));
    memcpy(b, a, sizeof(b));
    assert_int_equal(hss_secret_equal(a, b, sizeof(a)), 1);
    for (size_t i = 0; i < sizeof(b); i++) {
        b[i] ^= 0x80;
        assert_int_equal(hss_secret_equal(a, b, sizeof(a)), 0);
        b[i] ^= 0x80;
    }
    assert_int_equal(hss_secret_equal(a, b, 0), 1);
    assert_int_equal(hss_secret_equal(NULL, b, 16), 0);
    assert_int_equal(hss_secret_equal(a, NULL, 16), 0);
}

static void test_random_bytes(void **state)
{
    uint8_t a[32], b[32];

    assert_int_equal(hss_random_bytes(a, sizeof(a)), HSS_CRYPTO_OK);
    assert_int_equal(hss_random_bytes(b, sizeof(b)), HSS_CRYPTO_OK);
    /* 2^-256 chance of a false failure. */
    assert_int_equal(hss_secret_equal(a, b, sizeof(a)), 0);
    assert_int_equal(hss_random_bytes(NULL, 0), HSS_CRYPTO_OK);
    assert_int_equal(hss_random_bytes(NULL, 1), HSS_CRYPTO_EINVAL);
}

static void test_crypto_rc_str(void **state)
{
    assert_string_equal(hss_crypto_rc_str(HSS_CRYPTO_OK), "ok");
    assert_string_equal(hss_crypto_rc_str(HSS_CRYPTO_EVERIFY),
                        "verification failed");
    assert_string_equal(hss_crypto_rc_str(12345), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_wipe_zeroes),
        cmocka_unit_test(test_secret_equal),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_crypto_rc_str),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
