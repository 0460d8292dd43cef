/* test_hex.c - hss_hex.c: lower-case encoding, strict decoding (exact
 * length, even length, hex digits only) and untouched output on failure.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hss_hex.h"

static void test_hex_encode_lowercase(void **state)
{
    static const uint8_t in[] = {0x00, 0x01, 0xab, 0xcd, 0xef, 0xff, 0x9a};
    char out[15];

    assert_int_equal(hss_hex_encode(in, sizeof(in), out, sizeof(out)),
                     HSS_CRYPTO_OK);
    assert_string_equal(out, "0001abcdefff9a");
    assert_int_equal(hss_hex_encode(NULL, 0, out, 1), HSS_CRYPTO_OK);
    assert_string_equal(out, "");
}

static void test_hex_encode_bad_args_refused(void **state)
{
    static const uint8_t in[] = {0x12, 0x34};
    char out[5] = "xxxx";

    assert_int_equal(hss_hex_encode(in, 2, out, 4), HSS_CRYPTO_EINVAL);
    assert_string_equal(out, "xxxx");
    assert_int_equal(hss_hex_encode(NULL, 2, out, 5), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_hex_encode(in, 2, NULL, 5), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_hex_encode(in, 0, out, 0), HSS_CRYPTO_EINVAL);
}

static void test_hex_decode_both_cases(void **state)
{
    static const uint8_t want[] = {0x46, 0x5b, 0x5c, 0xe8, 0xab, 0xcd, 0xef};
    uint8_t out[7];

    assert_int_equal(hss_hex_decode("465b5ce8abcdef", 14, out, 7),
                     HSS_CRYPTO_OK);
    assert_memory_equal(out, want, 7);
    memset(out, 0, sizeof(out));
    assert_int_equal(hss_hex_decode("465B5CE8ABCDEF", 14, out, 7),
                     HSS_CRYPTO_OK);
    assert_memory_equal(out, want, 7);
    /* Not NUL-terminated input: only hex_len characters are read. */
    assert_int_equal(hss_hex_decode("4650junk", 4, out, 2), HSS_CRYPTO_OK);
    assert_int_equal(out[0], 0x46);
    assert_int_equal(out[1], 0x50);
}

static void test_hex_decode_odd_length_refused(void **state)
{
    uint8_t out[2] = {0xee, 0xee};

    assert_int_equal(hss_hex_decode("abc", 3, out, 2), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_hex_decode("abc", 3, out, 1), HSS_CRYPTO_EINVAL);
    assert_int_equal(out[0], 0xee);
    assert_int_equal(out[1], 0xee);
}

static void test_hex_decode_wrong_length_refused(void **state)
{
    uint8_t out[4] = {0xee, 0xee, 0xee, 0xee};

    assert_int_equal(hss_hex_decode("abcd", 4, out, 3), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_hex_decode("abcdef", 6, out, 2), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_hex_decode("", 0, out, 1), HSS_CRYPTO_EINVAL);
    assert_int_equal(out[0], 0xee);
    assert_int_equal(hss_hex_decode("", 0, out, 0), HSS_CRYPTO_OK);
}

/* Every byte value, in every position: accepted iff isxdigit(). */
static void test_hex_decode_non_hex_refused(void **state)
{
    for (int c = 0; c < 256; c++) {
        for (int pos = 0; pos < 4; pos++) {
            char in[4] = {'0', 'a', 'F', '9'};
            uint8_t out[2] = {0xee, 0xee};
            int rc;

            in[pos] = (char)c;
            rc = hss_hex_decode(in, 4, out, 2);
            if (isxdigit(c)) {
                assert_int_equal(rc, HSS_CRYPTO_OK);
            } else {
                assert_int_equal(rc, HSS_CRYPTO_EINVAL);
                assert_int_equal(out[0], 0xee);
                assert_int_equal(out[1], 0xee);
            }
        }
    }
}

static void test_hex_decode_null_refused(void **state)
{
    uint8_t out[1];

    assert_int_equal(hss_hex_decode(NULL, 2, out, 1), HSS_CRYPTO_EINVAL);
    assert_int_equal(hss_hex_decode("ab", 2, NULL, 1), HSS_CRYPTO_EINVAL);
}

static void test_hex_round_trip_all_bytes(void **state)
{
    uint8_t in[256], back[256];
    char hex[513];

    for (int i = 0; i < 256; i++)
        in[i] = (uint8_t)i;
    assert_int_equal(hss_hex_encode(in, 256, hex, sizeof(hex)), HSS_CRYPTO_OK);
    assert_int_equal(strlen(hex), 512);
    assert_int_equal(hss_hex_decode(hex, 512, back, 256), HSS_CRYPTO_OK);
    assert_memory_equal(in, back, 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_encode_lowercase),
        cmocka_unit_test(test_hex_encode_bad_args_refused),
        cmocka_unit_test(test_hex_decode_both_cases),
        cmocka_unit_test(test_hex_decode_odd_length_refused),
        cmocka_unit_test(test_hex_decode_wrong_length_refused),
        cmocka_unit_test(test_hex_decode_non_hex_refused),
        cmocka_unit_test(test_hex_decode_null_refused),
        cmocka_unit_test(test_hex_round_trip_all_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
