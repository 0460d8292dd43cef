/* hss_rand.h - the project's only source of randomness (RAND_bytes).
 *
 * Everything else in hss_crypto is pure and takes random values (RAND,
 * nonces) as parameters; callers draw them here.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_RAND_H
#define HSS_RAND_H

#include <stddef.h>
#include <stdint.h>

#include "hss_crypto.h"

/*
 * hss_random_bytes - fill buf with n bytes from OpenSSL's CSPRNG.
 * buf: caller's buffer (may be NULL only if n == 0).
 * Returns HSS_CRYPTO_OK; HSS_CRYPTO_EINVAL for a NULL buffer;
 * HSS_CRYPTO_EFAIL if RAND_bytes failed (buf contents then unspecified:
 * do not use them).
 */
HSS_CRYPTO_MUST_CHECK int hss_random_bytes(uint8_t *buf, size_t n);

#endif /* HSS_RAND_H */
