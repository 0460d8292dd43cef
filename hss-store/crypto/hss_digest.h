/* hss_digest.h - HTTP/SIP Digest H(A1) and request-digest (RFC 2617 §3.2.2,
 * RFC 7616 §3.4, RFC 8760 for SIP) with MD5, SHA-256 and SHA-512/256.
 *
 * The HSS hands H(A1) to the S-CSCF (Digest-HA1 / Alternate-Digest-HA1,
 * TS 29.229 §6.3.72-73); the response function exists for tests and tools.
 * Only the non-"-sess" algorithms and qop "auth" / no qop are supported.
 * H(A1) is password-equivalent for its realm: wipe hex outputs after use.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_DIGEST_H
#define HSS_DIGEST_H

#include <stddef.h>

#include "hss_crypto.h"

enum hss_digest_alg {
    HSS_DIGEST_MD5,        /* "MD5", 32 hex digits */
    HSS_DIGEST_SHA256,     /* "SHA-256", 64 hex digits */
    HSS_DIGEST_SHA512_256, /* "SHA-512-256" (FIPS 180-4 SHA-512/256) */
};

/* Buffer size that fits every hex output below, with its NUL. */
#define HSS_DIGEST_HEX_MAX 65

/*
 * hss_digest_alg_name - the RFC 7616 algorithm token ("MD5", "SHA-256",
 * "SHA-512-256"). Returns a static string, or NULL for an unknown value.
 */
const char *hss_digest_alg_name(enum hss_digest_alg alg);

/*
 * hss_digest_alg_parse - the algorithm for a token, case-insensitively.
 * name: NUL-terminated token; out: set on success only.
 * Returns HSS_CRYPTO_OK, or HSS_CRYPTO_EINVAL (NULL, unknown or "-sess").
 */
HSS_CRYPTO_MUST_CHECK int hss_digest_alg_parse(const char *name,
                                               enum hss_digest_alg *out);

/*
 * hss_digest_hex_len - number of hex digits of a hash of alg (32 or 64),
 * without the NUL; 0 for an unknown value.
 */
size_t hss_digest_hex_len(enum hss_digest_alg alg);

/*
 * hss_digest_ha1 - HA1 = H(username ":" realm ":" password), lower-case hex.
 * username, realm: NUL-terminated; password: password_len bytes (need not
 * be NUL-terminated); hex_out: caller's buffer of hex_out_size bytes, at
 * least hss_digest_hex_len(alg) + 1.
 * Returns HSS_CRYPTO_OK; HSS_CRYPTO_EINVAL (NULL, unknown alg, buffer too
 * small); HSS_CRYPTO_EFAIL (OpenSSL). hex_out untouched on failure.
 */
int hss_digest_ha1(enum hss_digest_alg alg, const char *username,
                   const char *realm, const char *password, size_t password_len,
                   char *hex_out, size_t hex_out_size);

/*
 * hss_digest_response - request-digest for qop "auth":
 *   H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" H(method ":" uri))
 * or, when qop is NULL (RFC 2069 compatibility):
 *   H(HA1 ":" nonce ":" H(method ":" uri)).
 * ha1_hex: hss_digest_hex_len(alg) hex digits (as from hss_digest_ha1);
 * nc, cnonce: required with qop, ignored without; qop: NULL or "auth"
 * ("auth-int" is refused: it needs the body). All strings NUL-terminated.
 * hex_out: as for hss_digest_ha1(). Compare the result with the client's
 * value using hss_secret_equal(), never strcmp().
 * Returns as hss_digest_ha1(); hex_out untouched on failure.
 */
int hss_digest_response(enum hss_digest_alg alg, const char *ha1_hex,
                        const char *nonce, const char *nc, const char *cnonce,
                        const char *qop, const char *method, const char *uri,
                        char *hex_out, size_t hex_out_size);

#endif /* HSS_DIGEST_H */
