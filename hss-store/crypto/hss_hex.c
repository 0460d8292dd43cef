/* hss_hex.c - strict hex encode/decode (see hss_hex.h).
 *
 * Decoding validates the whole input before writing anything, and maps
 * digits with arithmetic masks instead of branches or tables indexed by the
 * digit, so decoding a key does not leak it through timing.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_hex.h"

static const char hex_digits[] = "0123456789abcdef";

/* Value 0..15 of hex digit c, or -1; no data-dependent branch. */
static int hex_nibble(unsigned char c)
{
    int dec = (int)c - '0';                 /* '0'..'9' -> 0..9 */
    int alpha = (int)(c | 0x20) - 'a' + 10; /* 'a'..'f', 'A'..'F' -> 10..15 */
    /* (x >> 8) is -1 for -256 <= x < 0 and 0 for 0 <= x < 256. */
    int dec_ok = ~(dec >> 8) & ((dec - 10) >> 8);
    int alpha_ok = ~((alpha - 10) >> 8) & ((alpha - 16) >> 8);
    int bad = ~(dec_ok | alpha_ok);

    return (dec & dec_ok) | (alpha & alpha_ok) | bad;
}

int hss_hex_encode(const uint8_t *in, size_t n, char *out, size_t out_size)
{
    if (out == NULL || (in == NULL && n != 0))
        return HSS_CRYPTO_EINVAL;
    if (n > (SIZE_MAX - 1) / 2 || out_size < 2 * n + 1)
        return HSS_CRYPTO_EINVAL;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex_digits[in[i] >> 4];
        out[2 * i + 1] = hex_digits[in[i] & 0x0f];
    }
    out[2 * n] = '\0';
    return HSS_CRYPTO_OK;
}

int hss_hex_decode(const char *hex, size_t hex_len, uint8_t *out,
                   size_t out_len)
{
    int bad = 0;

    if (hex == NULL || out == NULL)
        return HSS_CRYPTO_EINVAL;
    if (hex_len % 2 != 0 || out_len > SIZE_MAX / 2 || hex_len != 2 * out_len)
        return HSS_CRYPTO_EINVAL;
    for (size_t i = 0; i < hex_len; i++)
        bad |= hex_nibble((unsigned char)hex[i]);
    if (bad < 0)
        return HSS_CRYPTO_EINVAL;
    for (size_t i = 0; i < out_len; i++) {
        int hi = hex_nibble((unsigned char)hex[2 * i]);
        int lo = hex_nibble((unsigned char)hex[2 * i + 1]);
        out[i] = (uint8_t)((hi << 4) | lo);
    }
    return HSS_CRYPTO_OK;
}
