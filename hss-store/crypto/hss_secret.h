/* hss_secret.h - wiping and constant-time comparison of secret bytes
 * (STYLE G11: one wipe primitive, CRYPTO_memcmp for secret-derived data).
 *
 * Use these for K, OPc, CK, IK, XRES, HA1, MACs and anything derived from
 * them; never memset()/memcmp() such data.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_SECRET_H
#define HSS_SECRET_H

#include <stddef.h>

/*
 * hss_secret_wipe - overwrite n bytes at p with zeros in a way the compiler
 * cannot optimise away (OPENSSL_cleanse).
 * p: buffer, may be NULL (then nothing happens); n: its size in bytes.
 */
void hss_secret_wipe(void *p, size_t n);

/*
 * hss_secret_equal - constant-time equality of two n-byte buffers
 * (CRYPTO_memcmp: the time depends on n only, never on the contents).
 * Answers "equal or not", never an ordering.
 * Returns 1 if equal, 0 if different or if a or b is NULL (n == 0 with
 * non-NULL buffers is equal).
 */
__attribute__((warn_unused_result)) int
hss_secret_equal(const void *a, const void *b, size_t n);

#endif /* HSS_SECRET_H */
