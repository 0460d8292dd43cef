/* hss_store_seal.c - secrets at rest: the master key file, AES-256-GCM
 * sealing of K, OPc and H(A1), the key check value, key id and rekey.
 *
 * DESIGN. Nothing else in the store knows the sealed format:
 *
 *     version (1 byte, 0x01) || nonce (12 random bytes) || ciphertext || tag
 *
 * The GCM associated data is the identity of the row the value belongs to
 * ("aka.k:<impi>", "aka.opc:<impi>", "ha1:<impi>:<realm>:<algo>"), so a
 * sealed value copied or swapped into another row no longer opens
 * (HSS_CRYPTO). The meta row "kcv" holds a sealed known constant: opening
 * the database with another key fails at open with HSS_CRYPTO instead of
 * returning garbage later. The master key is 32 raw bytes in a file of mode
 * 0600 (anything readable by group/other is refused); key copies are wiped
 * with OPENSSL_cleanse and compared with CRYPTO_memcmp.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "hss_store_int.h"

#define SEAL_VERSION 0x01
#define NONCE_LEN 12
#define TAG_LEN 16

static const char KCV_AAD[] = "meta.kcv";
static const char KCV_PLAIN[] = "webrtc-hss master key check v1";

/* ---- master key file ---- */

static enum hss_rc key_create(struct hss_store *st, const char *path,
                              uint8_t key[HSS_KEY_LEN])
{
    uint8_t fresh[HSS_KEY_LEN];
    enum hss_rc rc = HSS_OK;
    ssize_t w;
    int fd;

    if (RAND_bytes(fresh, sizeof(fresh)) != 1)
        return hss_store_fail(st, HSS_CRYPTO, "RAND_bytes failed");
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = hss_store_fail(st, HSS_IO, "cannot create key file %s: %s", path,
                            strerror(errno));
        goto out;
    }
    w = write(fd, fresh, sizeof(fresh));
    if (w != (ssize_t)sizeof(fresh) || fsync(fd) != 0) {
        rc = hss_store_fail(st, HSS_IO, "cannot write key file %s", path);
        close(fd);
        unlink(path);
        goto out;
    }
    close(fd);
    memcpy(key, fresh, HSS_KEY_LEN);
out:
    OPENSSL_cleanse(fresh, sizeof(fresh));
    return rc;
}

enum hss_rc hss_store_key_load(struct hss_store *st, const char *path,
                               bool create, uint8_t key[HSS_KEY_LEN])
{
    uint8_t buf[HSS_KEY_LEN + 1];
    enum hss_rc rc = HSS_OK;
    struct stat sb;
    ssize_t n;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT && create)
        return key_create(st, path, key);
    if (fd < 0)
        return hss_store_fail(st, HSS_IO, "cannot open key file %s: %s", path,
                              strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = hss_store_fail(st, HSS_IO, "key file %s is not a regular file",
                            path);
        goto out;
    }
    if ((sb.st_mode & 077) != 0) {
        rc = hss_store_fail(st, HSS_IO,
                            "key file %s has mode %03o: must not be "
                            "accessible by group or others (chmod 600)",
                            path, (unsigned)(sb.st_mode & 0777));
        goto out;
    }
    n = read(fd, buf, sizeof(buf));
    if (n != HSS_KEY_LEN) {
        rc =
            hss_store_fail(st, HSS_IO, "key file %s must hold exactly %d bytes",
                           path, HSS_KEY_LEN);
        goto out;
    }
    memcpy(key, buf, HSS_KEY_LEN);
out:
    OPENSSL_cleanse(buf, sizeof(buf));
    close(fd);
    return rc;
}

/* ---- AES-256-GCM ---- */

/* A context keyed with key for encrypt (enc 1) or decrypt (enc 0); the
 * nonce is set per message. */
static EVP_CIPHER_CTX *ctx_keyed(const uint8_t *key, int enc)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

    if (ctx != NULL &&
        EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, NULL, enc) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

void hss_store_seal_reset(struct hss_store *st)
{
    EVP_CIPHER_CTX_free(st->seal_ctx);
    EVP_CIPHER_CTX_free(st->open_ctx);
    st->seal_ctx = NULL;
    st->open_ctx = NULL;
}

/* The handle's cached context for its own key, else a new one for key
 * (kcv, rekey) that the caller frees when it differs from *cached. */
static EVP_CIPHER_CTX *ctx_for(struct hss_store *st, const uint8_t *key,
                               int enc)
{
    EVP_CIPHER_CTX **cached = enc ? &st->seal_ctx : &st->open_ctx;

    if (key != st->key)
        return ctx_keyed(key, enc);
    if (*cached == NULL)
        *cached = ctx_keyed(key, enc);
    return *cached;
}

static void ctx_done(struct hss_store *st, EVP_CIPHER_CTX *ctx)
{
    if (ctx != st->seal_ctx && ctx != st->open_ctx)
        EVP_CIPHER_CTX_free(ctx);
}

static enum hss_rc seal_with(struct hss_store *st, const uint8_t *key,
                             const char *aad, const uint8_t *in, size_t n,
                             uint8_t *out, size_t out_size, size_t *out_len)
{
    EVP_CIPHER_CTX *ctx = NULL;
    enum hss_rc rc = HSS_CRYPTO;
    uint8_t *nonce = out + 1;
    uint8_t *ct = out + 1 + NONCE_LEN;
    int len = 0;
    int fin = 0;

    if (n > 4096 || out_size < n + HSS_SEAL_OVERHEAD)
        return hss_store_fail(st, HSS_INVALID, "seal: bad sizes");
    out[0] = SEAL_VERSION;
    if (RAND_bytes(nonce, NONCE_LEN) != 1)
        return hss_store_fail(st, HSS_CRYPTO, "RAND_bytes failed");
    ctx = ctx_for(st, key, 1);
    if (ctx == NULL)
        return hss_store_fail(st, HSS_NOMEM, "EVP_CIPHER_CTX_new failed");
    if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) != 1 ||
        EVP_EncryptUpdate(ctx, NULL, &len, (const uint8_t *)aad,
                          (int)strlen(aad)) != 1 ||
        EVP_EncryptUpdate(ctx, ct, &len, in, (int)n) != 1 ||
        EVP_EncryptFinal_ex(ctx, ct + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, ct + n) != 1) {
        OPENSSL_cleanse(out, out_size);
        hss_store_fail(st, HSS_CRYPTO, "AES-GCM seal failed");
        goto out;
    }
    *out_len = n + HSS_SEAL_OVERHEAD;
    rc = HSS_OK;
out:
    ctx_done(st, ctx);
    return rc;
}

static enum hss_rc unseal_with(struct hss_store *st, const uint8_t *key,
                               const char *aad, const uint8_t *in, size_t n,
                               uint8_t *out, size_t out_size, size_t *out_len)
{
    EVP_CIPHER_CTX *ctx = NULL;
    enum hss_rc rc = HSS_CRYPTO;
    size_t ct_len;
    int len = 0;
    int fin = 0;

    if (in == NULL || n < HSS_SEAL_OVERHEAD || in[0] != SEAL_VERSION)
        return hss_store_fail(st, HSS_CRYPTO, "sealed value malformed (%s)",
                              aad);
    ct_len = n - HSS_SEAL_OVERHEAD;
    if (ct_len > out_size)
        return hss_store_fail(st, HSS_CRYPTO, "sealed value too long (%s)",
                              aad);
    ctx = ctx_for(st, key, 0);
    if (ctx == NULL)
        return hss_store_fail(st, HSS_NOMEM, "EVP_CIPHER_CTX_new failed");
    if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, in + 1) != 1 ||
        EVP_DecryptUpdate(ctx, NULL, &len, (const uint8_t *)aad,
                          (int)strlen(aad)) != 1 ||
        EVP_DecryptUpdate(ctx, out, &len, in + 1 + NONCE_LEN, (int)ct_len) !=
            1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
                            (void *)(in + 1 + NONCE_LEN + ct_len)) != 1 ||
        EVP_DecryptFinal_ex(ctx, out + len, &fin) != 1) {
        OPENSSL_cleanse(out, out_size);
        hss_store_fail(st, HSS_CRYPTO,
                       "sealed value does not open (%s): wrong key, "
                       "tampered or moved",
                       aad);
        goto out;
    }
    *out_len = ct_len;
    rc = HSS_OK;
out:
    ctx_done(st, ctx);
    return rc;
}

enum hss_rc hss_store_seal(struct hss_store *st, const char *aad,
                           const uint8_t *in, size_t n, uint8_t *out,
                           size_t out_size, size_t *out_len)
{
    return seal_with(st, st->key, aad, in, n, out, out_size, out_len);
}

enum hss_rc hss_store_unseal(struct hss_store *st, const char *aad,
                             const uint8_t *in, size_t n, uint8_t *out,
                             size_t out_size, size_t *out_len)
{
    return unseal_with(st, st->key, aad, in, n, out, out_size, out_len);
}

enum hss_rc hss_store_aad_aka(struct hss_store *st, char *buf, size_t size,
                              const char *field, const char *impi)
{
    int n = snprintf(buf, size, "aka.%s:%s", field, impi);

    if (n < 0 || (size_t)n >= size)
        return hss_store_fail(st, HSS_INVALID, "AAD too long");
    return HSS_OK;
}

enum hss_rc hss_store_aad_ha1(struct hss_store *st, char *buf, size_t size,
                              const char *impi, const char *realm, int algo)
{
    int n = snprintf(buf, size, "ha1:%s:%s:%d", impi, realm, algo);

    if (n < 0 || (size_t)n >= size)
        return hss_store_fail(st, HSS_INVALID, "AAD too long");
    return HSS_OK;
}

/* ---- key check value ---- */

static const char SQL_KCV_GET[] = "SELECT v FROM meta WHERE k = 'kcv'";
static const char SQL_KCV_PUT[] =
    "INSERT OR REPLACE INTO meta (k, v) VALUES ('kcv', :v)";

static enum hss_rc kcv_write(struct hss_store *st, const uint8_t *key)
{
    uint8_t blob[sizeof(KCV_PLAIN) + HSS_SEAL_OVERHEAD];
    sqlite3_stmt *s;
    size_t len = 0;
    enum hss_rc rc;

    rc = seal_with(st, key, KCV_AAD, (const uint8_t *)KCV_PLAIN,
                   sizeof(KCV_PLAIN) - 1, blob, sizeof(blob), &len);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_stmt(st, SQL_KCV_PUT, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_blob(s, ":v", blob, len) != SQLITE_OK) {
        sqlite3_reset(s);
        return hss_store_dberr(st, sqlite3_errcode(st->db));
    }
    return hss_store_step_done(st, s);
}

enum hss_rc hss_store_kcv_check(struct hss_store *st)
{
    uint8_t plain[sizeof(KCV_PLAIN)];
    uint8_t blob[sizeof(KCV_PLAIN) + HSS_SEAL_OVERHEAD + 8];
    sqlite3_stmt *s;
    size_t n = 0;
    size_t plain_len = 0;
    enum hss_rc rc;

    rc = hss_store_stmt(st, SQL_KCV_GET, &s);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND) {
        if (st->read_only)
            return hss_store_fail(st, HSS_SCHEMA,
                                  "database has no key check "
                                  "value");
        return kcv_write(st, st->key);
    }
    if (rc != HSS_OK)
        return rc;
    n = (size_t)sqlite3_column_bytes(s, 0);
    if (n > sizeof(blob))
        n = 0;
    else if (n > 0)
        memcpy(blob, sqlite3_column_blob(s, 0), n);
    sqlite3_reset(s);
    rc = unseal_with(st, st->key, KCV_AAD, blob, n, plain, sizeof(plain),
                     &plain_len);
    if (rc != HSS_OK || plain_len != sizeof(KCV_PLAIN) - 1 ||
        CRYPTO_memcmp(plain, KCV_PLAIN, plain_len) != 0)
        return hss_store_fail(st, HSS_CRYPTO,
                              "master key does not match this database");
    return HSS_OK;
}

/* ---- key id ---- */

enum hss_rc hss_store_key_id(struct hss_store *st, char *out, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t md[32];
    unsigned md_len = 0;
    size_t i;

    if (st == NULL || out == NULL || size < 17)
        return hss_store_fail(st, HSS_INVALID, "key id needs 17 bytes");
    if (EVP_Digest(st->key, sizeof(st->key), md, &md_len, EVP_sha256(), NULL) !=
        1)
        return hss_store_fail(st, HSS_CRYPTO, "SHA-256 failed");
    for (i = 0; i < 8; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[16] = '\0';
    return HSS_OK;
}

/* ---- rekey ---- */

static const char SQL_REKEY_AKA_NEXT[] =
    "SELECT a.impi_id, i.name, a.k, a.opc FROM aka a"
    " JOIN impi i ON i.id = a.impi_id"
    " WHERE a.impi_id > :last ORDER BY a.impi_id LIMIT 1";
static const char SQL_REKEY_AKA_PUT[] =
    "UPDATE aka SET k = :k, opc = :opc WHERE impi_id = :id";

/* Re-seals one sealed column value from the old to the new key. */
static enum hss_rc reseal(struct hss_store *st, const uint8_t *new_key,
                          const char *aad, sqlite3_stmt *s, int col,
                          uint8_t *out, size_t out_size, size_t *out_len)
{
    uint8_t plain[128];
    size_t plain_len = 0;
    enum hss_rc rc;

    rc = unseal_with(st, st->key, aad, sqlite3_column_blob(s, col),
                     (size_t)sqlite3_column_bytes(s, col), plain, sizeof(plain),
                     &plain_len);
    if (rc == HSS_OK)
        rc = seal_with(st, new_key, aad, plain, plain_len, out, out_size,
                       out_len);
    OPENSSL_cleanse(plain, sizeof(plain));
    return rc;
}

static enum hss_rc rekey_aka(struct hss_store *st, const uint8_t *new_key)
{
    uint8_t k[64], opc[64];
    char impi[HSS_IDENTITY_MAX + 1];
    char aad[HSS_IDENTITY_MAX + 16];
    size_t k_len = 0, opc_len = 0;
    sqlite3_stmt *sel, *put;
    int64_t last = 0;
    enum hss_rc rc;

    rc = hss_store_stmt(st, SQL_REKEY_AKA_NEXT, &sel);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_REKEY_AKA_PUT, &put);
    while (rc == HSS_OK) {
        if (hss_bind_i64(sel, ":last", last) != SQLITE_OK) {
            rc = hss_store_dberr(st, sqlite3_errcode(st->db));
            break;
        }
        rc = hss_store_step_row(st, sel);
        if (rc == HSS_NOT_FOUND)
            return HSS_OK;
        if (rc != HSS_OK)
            break;
        last = sqlite3_column_int64(sel, 0);
        hss_col_text(sel, 1, impi, sizeof(impi));
        rc = hss_store_aad_aka(st, aad, sizeof(aad), "k", impi);
        if (rc == HSS_OK)
            rc = reseal(st, new_key, aad, sel, 2, k, sizeof(k), &k_len);
        if (rc == HSS_OK)
            rc = hss_store_aad_aka(st, aad, sizeof(aad), "opc", impi);
        if (rc == HSS_OK)
            rc = reseal(st, new_key, aad, sel, 3, opc, sizeof(opc), &opc_len);
        sqlite3_reset(sel);
        if (rc != HSS_OK)
            break;
        if (hss_bind_blob(put, ":k", k, k_len) != SQLITE_OK ||
            hss_bind_blob(put, ":opc", opc, opc_len) != SQLITE_OK ||
            hss_bind_i64(put, ":id", last) != SQLITE_OK) {
            sqlite3_reset(put);
            rc = hss_store_dberr(st, sqlite3_errcode(st->db));
            break;
        }
        rc = hss_store_step_done(st, put);
    }
    return rc;
}

static const char SQL_REKEY_HA1_NEXT[] =
    "SELECT d.impi_id, i.name, d.realm, d.algo, d.ha1 FROM digest d"
    " JOIN impi i ON i.id = d.impi_id"
    " WHERE (d.impi_id, d.realm, d.algo) > (:id, :realm, :algo)"
    " ORDER BY d.impi_id, d.realm, d.algo LIMIT 1";
static const char SQL_REKEY_HA1_PUT[] =
    "UPDATE digest SET ha1 = :ha1"
    " WHERE impi_id = :id AND realm = :realm AND algo = :algo";

static enum hss_rc rekey_digest(struct hss_store *st, const uint8_t *new_key)
{
    uint8_t ha1[HSS_HA1_HEX_MAX + HSS_SEAL_OVERHEAD];
    char impi[HSS_IDENTITY_MAX + 1];
    char realm[HSS_NAME_MAX + 1] = "";
    char aad[HSS_IDENTITY_MAX + HSS_NAME_MAX + 16];
    sqlite3_stmt *sel, *put;
    size_t ha1_len = 0;
    int64_t id = 0;
    int algo = -1;
    enum hss_rc rc;

    rc = hss_store_stmt(st, SQL_REKEY_HA1_NEXT, &sel);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_REKEY_HA1_PUT, &put);
    while (rc == HSS_OK) {
        if (hss_bind_i64(sel, ":id", id) != SQLITE_OK ||
            hss_bind_text(sel, ":realm", realm) != SQLITE_OK ||
            hss_bind_i64(sel, ":algo", algo) != SQLITE_OK) {
            rc = hss_store_dberr(st, sqlite3_errcode(st->db));
            break;
        }
        rc = hss_store_step_row(st, sel);
        if (rc == HSS_NOT_FOUND)
            return HSS_OK;
        if (rc != HSS_OK)
            break;
        id = sqlite3_column_int64(sel, 0);
        hss_col_text(sel, 1, impi, sizeof(impi));
        hss_col_text(sel, 2, realm, sizeof(realm));
        algo = sqlite3_column_int(sel, 3);
        rc = hss_store_aad_ha1(st, aad, sizeof(aad), impi, realm, algo);
        if (rc == HSS_OK)
            rc = reseal(st, new_key, aad, sel, 4, ha1, sizeof(ha1), &ha1_len);
        sqlite3_reset(sel);
        if (rc != HSS_OK)
            break;
        if (hss_bind_blob(put, ":ha1", ha1, ha1_len) != SQLITE_OK ||
            hss_bind_i64(put, ":id", id) != SQLITE_OK ||
            hss_bind_text(put, ":realm", realm) != SQLITE_OK ||
            hss_bind_i64(put, ":algo", algo) != SQLITE_OK) {
            sqlite3_reset(put);
            rc = hss_store_dberr(st, sqlite3_errcode(st->db));
            break;
        }
        rc = hss_store_step_done(st, put);
    }
    return rc;
}

enum hss_rc hss_store_rekey(struct hss_store *st, const char *new_key_path)
{
    uint8_t new_key[HSS_KEY_LEN];
    struct hss_op op;
    enum hss_rc rc;

    if (st == NULL || new_key_path == NULL || new_key_path[0] == '\0')
        return hss_store_fail(st, HSS_INVALID, "rekey needs a key path");
    if (hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT,
                              "rekey cannot run inside a transaction");
    rc = hss_store_key_load(st, new_key_path, false, new_key);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_op_begin(st, &op);
    if (rc == HSS_OK)
        rc = rekey_aka(st, new_key);
    if (rc == HSS_OK)
        rc = rekey_digest(st, new_key);
    if (rc == HSS_OK)
        rc = kcv_write(st, new_key);
    rc = hss_store_op_end(st, &op, rc);
    if (rc == HSS_OK) {
        memcpy(st->key, new_key, HSS_KEY_LEN);
        hss_store_seal_reset(st); /* the cached contexts hold the old key */
    }
    OPENSSL_cleanse(new_key, sizeof(new_key));
    return rc;
}
