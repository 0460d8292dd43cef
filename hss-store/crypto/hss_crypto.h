/* hss_crypto.h - shared return codes and attributes of the hss_crypto library.
 *
 * Every hss_crypto function that can fail returns 0 (HSS_CRYPTO_OK) on
 * success and one of the negative codes below on failure. On failure no
 * output buffer has been written (STYLE G7 "fail atomically") unless the
 * function comment says otherwise.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_CRYPTO_H
#define HSS_CRYPTO_H

/* Result must be looked at: verification and range-checked functions. */
#define HSS_CRYPTO_MUST_CHECK __attribute__((warn_unused_result))

enum hss_crypto_rc {
    HSS_CRYPTO_OK = 0,
    HSS_CRYPTO_EINVAL = -1,  /* NULL or malformed argument */
    HSS_CRYPTO_EFAIL = -2,   /* OpenSSL reported an error */
    HSS_CRYPTO_EVERIFY = -3, /* MAC did not verify */
    HSS_CRYPTO_ERANGE = -4,  /* value out of range (SQN exhausted) */
};

/*
 * hss_crypto_rc_str - constant English text for a return code.
 * Returns a static string, never NULL ("unknown" for foreign values).
 */
const char *hss_crypto_rc_str(int rc);

#endif /* HSS_CRYPTO_H */
