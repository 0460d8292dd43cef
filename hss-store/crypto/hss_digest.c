/* hss_digest.c - Digest H(A1) and request-digest (RFC 2617 §3.2.2.1-3,
 * RFC 7616 §3.4.1-3.4.3, RFC 8760 §2) with EVP MD5 / SHA-256 / SHA-512/256.
 *
 * Owns the algorithm table (token, EVP digest, hex length) and the order of
 * the colon-separated fields. Fields are fed to the hash one by one, so the
 * password and HA1 are never copied into a joined buffer; hash bytes are
 * wiped before returning.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_digest.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "hss_hex.h"
#include "hss_secret.h"

/* One input field of a hash: ptr/len; fields are joined with ':'. */
struct field {
    const void *p;
    size_t n;
};

#define FIELD_STR(s) ((struct field){(s), strlen(s)})
#define MAX_FIELDS 6

static const struct {
    const char *name;
    size_t hex_len;
} alg_table[] = {
    [HSS_DIGEST_MD5] = {"MD5", 32},
    [HSS_DIGEST_SHA256] = {"SHA-256", 64},
    [HSS_DIGEST_SHA512_256] = {"SHA-512-256", 64},
};

static int alg_valid(enum hss_digest_alg alg)
{
    return (unsigned int)alg < sizeof(alg_table) / sizeof(alg_table[0]);
}

/* Digests fetched once per process: with OpenSSL 3 a legacy EVP_md5()
 * handed to EVP_DigestInit_ex is fetched again from the provider at every
 * call, which dominated bulk provisioning (3 H(A1) per subscription). The
 * fetched objects are immutable and shared by all threads; they live until
 * the process ends. */
static EVP_MD *g_md[3];
static pthread_once_t g_md_once = PTHREAD_ONCE_INIT;

static void md_fetch_once(void)
{
    g_md[HSS_DIGEST_MD5] = EVP_MD_fetch(NULL, "MD5", NULL);
    g_md[HSS_DIGEST_SHA256] = EVP_MD_fetch(NULL, "SHA2-256", NULL);
    g_md[HSS_DIGEST_SHA512_256] = EVP_MD_fetch(NULL, "SHA2-512/256", NULL);
}

static const EVP_MD *alg_md(enum hss_digest_alg alg)
{
    (void)pthread_once(&g_md_once, md_fetch_once);
    if (alg_valid(alg) && g_md[alg] != NULL)
        return g_md[alg];
    switch (alg) { /* fetch failed: the implicit-fetch path still works */
    case HSS_DIGEST_MD5:
        return EVP_md5();
    case HSS_DIGEST_SHA256:
        return EVP_sha256();
    case HSS_DIGEST_SHA512_256:
        return EVP_sha512_256();
    }
    return NULL;
}

const char *hss_digest_alg_name(enum hss_digest_alg alg)
{
    return alg_valid(alg) ? alg_table[alg].name : NULL;
}

size_t hss_digest_hex_len(enum hss_digest_alg alg)
{
    return alg_valid(alg) ? alg_table[alg].hex_len : 0;
}

int hss_digest_alg_parse(const char *name, enum hss_digest_alg *out)
{
    if (name == NULL || out == NULL)
        return HSS_CRYPTO_EINVAL;
    for (size_t i = 0; i < sizeof(alg_table) / sizeof(alg_table[0]); i++) {
        if (strcasecmp(name, alg_table[i].name) == 0) {
            *out = (enum hss_digest_alg)i;
            return HSS_CRYPTO_OK;
        }
    }
    return HSS_CRYPTO_EINVAL;
}

/*
 * hex_out = lower-case hex of H(f[0] ":" f[1] ":" ... f[n-1]).
 * The caller has checked alg and hex_out_size.
 */
static int hash_fields(enum hss_digest_alg alg, const struct field *f, size_t n,
                       char *hex_out, size_t hex_out_size)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    if (ctx == NULL)
        return HSS_CRYPTO_EFAIL;
    ok = EVP_DigestInit_ex(ctx, alg_md(alg), NULL) == 1;
    for (size_t i = 0; ok && i < n; i++) {
        if (i > 0)
            ok = EVP_DigestUpdate(ctx, ":", 1) == 1;
        if (ok && f[i].n > 0)
            ok = EVP_DigestUpdate(ctx, f[i].p, f[i].n) == 1;
    }
    if (ok)
        ok = EVP_DigestFinal_ex(ctx, md, &md_len) == 1;
    EVP_MD_CTX_free(ctx);
    if (ok)
        ok = 2 * (size_t)md_len == alg_table[alg].hex_len &&
             hss_hex_encode(md, md_len, hex_out, hex_out_size) == HSS_CRYPTO_OK;
    hss_secret_wipe(md, sizeof(md));
    return ok ? HSS_CRYPTO_OK : HSS_CRYPTO_EFAIL;
}

int hss_digest_ha1(enum hss_digest_alg alg, const char *username,
                   const char *realm, const char *password, size_t password_len,
                   char *hex_out, size_t hex_out_size)
{
    struct field f[3];

    if (!alg_valid(alg) || username == NULL || realm == NULL ||
        password == NULL || hex_out == NULL ||
        hex_out_size < alg_table[alg].hex_len + 1)
        return HSS_CRYPTO_EINVAL;
    f[0] = FIELD_STR(username);
    f[1] = FIELD_STR(realm);
    f[2] = (struct field){password, password_len};
    return hash_fields(alg, f, 3, hex_out, hex_out_size);
}

/* ha1_hex is exactly hex_len hex digits; checked without leaking them. */
static int ha1_hex_valid(enum hss_digest_alg alg, const char *ha1_hex)
{
    uint8_t raw[HSS_DIGEST_HEX_MAX / 2];
    size_t len = alg_table[alg].hex_len;
    int ok;

    ok = strnlen(ha1_hex, len + 1) == len &&
         hss_hex_decode(ha1_hex, len, raw, len / 2) == HSS_CRYPTO_OK;
    hss_secret_wipe(raw, sizeof(raw));
    return ok;
}

int hss_digest_response(enum hss_digest_alg alg, const char *ha1_hex,
                        const char *nonce, const char *nc, const char *cnonce,
                        const char *qop, const char *method, const char *uri,
                        char *hex_out, size_t hex_out_size)
{
    char ha2[HSS_DIGEST_HEX_MAX];
    struct field f[MAX_FIELDS];
    size_t n = 0;
    int rc;

    if (!alg_valid(alg) || ha1_hex == NULL || nonce == NULL || method == NULL ||
        uri == NULL || hex_out == NULL ||
        hex_out_size < alg_table[alg].hex_len + 1)
        return HSS_CRYPTO_EINVAL;
    if (qop != NULL &&
        (strcmp(qop, "auth") != 0 || nc == NULL || cnonce == NULL))
        return HSS_CRYPTO_EINVAL;
    if (!ha1_hex_valid(alg, ha1_hex))
        return HSS_CRYPTO_EINVAL;

    f[0] = FIELD_STR(method);
    f[1] = FIELD_STR(uri);
    rc = hash_fields(alg, f, 2, ha2, sizeof(ha2));
    if (rc != HSS_CRYPTO_OK)
        return rc;
    f[n++] = FIELD_STR(ha1_hex);
    f[n++] = FIELD_STR(nonce);
    if (qop != NULL) {
        f[n++] = FIELD_STR(nc);
        f[n++] = FIELD_STR(cnonce);
        f[n++] = FIELD_STR(qop);
    }
    f[n++] = FIELD_STR(ha2);
    rc = hash_fields(alg, f, n, hex_out, hex_out_size);
    hss_secret_wipe(ha2, sizeof(ha2));
    return rc;
}
