/* hss_hex.h - strict hexadecimal encoding and decoding of byte strings.
 *
 * Used for keys and H(A1) values in configuration, the CLI and the store.
 * Decoding is strict (exact length, hex digits only) and does not branch on
 * the digit values, so it may be used on secrets.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_HEX_H
#define HSS_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "hss_crypto.h"

/*
 * hss_hex_encode - lower-case hex of n bytes, NUL-terminated.
 * in: n bytes (may be NULL only when n == 0); out: caller's buffer of
 * out_size bytes, at least 2 * n + 1.
 * Returns HSS_CRYPTO_OK, or HSS_CRYPTO_EINVAL (NULL, buffer too small;
 * out is then untouched).
 */
int hss_hex_encode(const uint8_t *in, size_t n, char *out, size_t out_size);

/*
 * hss_hex_decode - decode exactly out_len bytes from hex_len hex digits.
 * hex: the digits (upper or lower case, not necessarily NUL-terminated);
 * hex_len must equal 2 * out_len (so odd lengths are refused).
 * out: caller's buffer of out_len bytes.
 * Returns HSS_CRYPTO_OK, or HSS_CRYPTO_EINVAL for NULL, a wrong or odd
 * length, or a non-hex character; out is then untouched.
 */
HSS_CRYPTO_MUST_CHECK int hss_hex_decode(const char *hex, size_t hex_len,
                                         uint8_t *out, size_t out_len);

#endif /* HSS_HEX_H */
