/* hss_store_cred.c - authentication credentials of an IMPI: IMS AKA material
 * (sealed K and OPc, AMF, SQN_HE) and digest H(A1) per (realm, algorithm).
 *
 * Secrets are sealed/opened by hss_store_seal.c with the row identity as
 * associated data; this file only moves the sealed blobs. Plaintext copies
 * on the stack are wiped with OPENSSL_cleanse before returning. H(A1) is
 * stored as its lowercase hex text (32 digits for MD5, 64 for SHA-256 and
 * SHA-512-256), sealed.
 *
 * Default realm: hss_store_digest_set(..., is_default = true) makes that
 * realm the IMPI's default (for every algorithm); the first realm stored for
 * an IMPI is the default until another is marked.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include <openssl/crypto.h>

#include "hss_store_int.h"

#define SQN_MAX ((UINT64_C(1) << 48) - 1)

/* ---- AKA ---- */

static const char SQL_AKA_GET[] =
    "SELECT i.name, a.k, a.opc, a.amf, a.sqn FROM aka a"
    " JOIN impi i ON i.id = a.impi_id WHERE a.impi_id = :id";

/* Opens the sealed column col of s into out[16]. */
static enum hss_rc open_col16(struct hss_store *st, sqlite3_stmt *s, int col,
                              const char *field, const char *impi,
                              uint8_t out[16])
{
    char aad[HSS_IDENTITY_MAX + 16];
    uint8_t plain[32];
    size_t len = 0;
    enum hss_rc rc;

    rc = hss_store_aad_aka(st, aad, sizeof(aad), field, impi);
    if (rc == HSS_OK)
        rc = hss_store_unseal(st, aad, sqlite3_column_blob(s, col),
                              (size_t)sqlite3_column_bytes(s, col), plain,
                              sizeof(plain), &len);
    if (rc == HSS_OK && len != 16)
        rc = hss_store_fail(st, HSS_CRYPTO, "sealed %s has wrong size", field);
    if (rc == HSS_OK)
        memcpy(out, plain, 16);
    OPENSSL_cleanse(plain, sizeof(plain));
    return rc;
}

enum hss_rc hss_store_aka_get(struct hss_store *st, int64_t impi_id,
                              struct hss_aka_cred *out)
{
    struct hss_aka_cred cred;
    char impi[HSS_IDENTITY_MAX + 1];
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt_i64(st, SQL_AKA_GET, ":id", impi_id, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "IMPI has no AKA credential");
    if (rc != HSS_OK)
        return rc;
    memset(&cred, 0, sizeof(cred));
    hss_col_text(s, 0, impi, sizeof(impi));
    rc = open_col16(st, s, 1, "k", impi, cred.k);
    if (rc == HSS_OK)
        rc = open_col16(st, s, 2, "opc", impi, cred.opc);
    if (rc == HSS_OK && sqlite3_column_bytes(s, 3) != 2)
        rc = hss_store_fail(st, HSS_SCHEMA, "AMF has wrong size");
    if (rc == HSS_OK) {
        memcpy(cred.amf, sqlite3_column_blob(s, 3), 2);
        cred.sqn = (uint64_t)sqlite3_column_int64(s, 4);
        *out = cred;
    }
    sqlite3_reset(s);
    OPENSSL_cleanse(&cred, sizeof(cred));
    return rc;
}

static const char SQL_AKA_SQN_SET[] =
    "UPDATE aka SET sqn = :v WHERE impi_id = :id";

enum hss_rc hss_store_aka_sqn_set(struct hss_store *st, int64_t impi_id,
                                  uint64_t sqn)
{
    if (sqn > SQN_MAX)
        return hss_store_fail(st, HSS_INVALID, "SQN exceeds 48 bits");
    return hss_store_set_i64(st, SQL_AKA_SQN_SET, impi_id, (int64_t)sqn,
                             "AKA credential");
}

static const char SQL_IMPI_NAME[] = "SELECT name FROM impi WHERE id = :id";

static enum hss_rc impi_name(struct hss_store *st, int64_t impi_id,
                             char name[HSS_IDENTITY_MAX + 1])
{
    return hss_store_get_by_id(st, SQL_IMPI_NAME, impi_id, "no such IMPI",
                               hss_store_read_identity, name);
}

static const char SQL_AKA_PUT[] =
    "INSERT OR REPLACE INTO aka (impi_id, k, opc, amf, sqn)"
    " VALUES (:id, :k, :opc, :amf, :sqn)";

enum hss_rc hss_store_aka_seal(struct hss_store *st, const char *impi,
                               const struct hss_aka_cred *cred,
                               struct hss_aka_sealed *out)
{
    char aad[HSS_IDENTITY_MAX + 16];
    enum hss_rc rc;

    if (cred->sqn > SQN_MAX)
        return hss_store_fail(st, HSS_INVALID, "SQN exceeds 48 bits");
    rc = hss_store_aad_aka(st, aad, sizeof(aad), "k", impi);
    if (rc == HSS_OK)
        rc = hss_store_seal(st, aad, cred->k, 16, out->k, sizeof(out->k),
                            &out->k_len);
    if (rc == HSS_OK)
        rc = hss_store_aad_aka(st, aad, sizeof(aad), "opc", impi);
    if (rc == HSS_OK)
        rc = hss_store_seal(st, aad, cred->opc, 16, out->opc, sizeof(out->opc),
                            &out->opc_len);
    return rc;
}

enum hss_rc hss_store_aka_bind(struct hss_store *st, sqlite3_stmt *s,
                               int64_t impi_id, const struct hss_aka_cred *cred,
                               const struct hss_aka_sealed *sealed)
{
    if (hss_bind_i64(s, ":id", impi_id) != SQLITE_OK ||
        hss_bind_blob(s, ":k", sealed->k, sealed->k_len) != SQLITE_OK ||
        hss_bind_blob(s, ":opc", sealed->opc, sealed->opc_len) != SQLITE_OK ||
        hss_bind_blob(s, ":amf", cred->amf, 2) != SQLITE_OK ||
        hss_bind_i64(s, ":sqn", (int64_t)cred->sqn) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return HSS_OK;
}

enum hss_rc hss_store_aka_set(struct hss_store *st, int64_t impi_id,
                              const struct hss_aka_cred *cred)
{
    struct hss_aka_sealed sealed;
    char impi[HSS_IDENTITY_MAX + 1];
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || cred == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    if (st->read_only)
        return hss_store_fail(st, HSS_INVALID, "store opened read-only");
    if (cred->sqn > SQN_MAX)
        return hss_store_fail(st, HSS_INVALID, "SQN exceeds 48 bits");
    rc = impi_name(st, impi_id, impi);
    if (rc == HSS_OK)
        rc = hss_store_aka_seal(st, impi, cred, &sealed);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_AKA_PUT, &s);
    if (rc == HSS_OK)
        rc = hss_store_aka_bind(st, s, impi_id, cred, &sealed);
    if (rc != HSS_OK)
        return rc;
    return hss_store_step_done(st, s);
}

/* ---- digest H(A1) ---- */

static size_t ha1_hex_len(enum hss_digest_algo_id algo)
{
    switch (algo) {
    case HSS_HA1_MD5:
        return 32;
    case HSS_HA1_SHA256:
    case HSS_HA1_SHA512_256:
        return 64;
    }
    return 0;
}

/* Opens one row's sealed H(A1) into out->ha1[algo]. */
static enum hss_rc realm_row(struct hss_store *st, sqlite3_stmt *s,
                             struct hss_digest_realm *out)
{
    char impi[HSS_IDENTITY_MAX + 1];
    char aad[HSS_IDENTITY_MAX + HSS_NAME_MAX + 16];
    uint8_t plain[HSS_HA1_HEX_MAX + 1];
    int64_t algo = sqlite3_column_int64(s, 2);
    size_t len = 0;
    enum hss_rc rc;

    if (algo < HSS_HA1_MD5 || algo > HSS_HA1_SHA512_256)
        return hss_store_fail(st, HSS_SCHEMA, "digest algorithm out of range");
    hss_col_text(s, 0, impi, sizeof(impi));
    hss_col_text(s, 1, out->realm, sizeof(out->realm));
    rc = hss_store_aad_ha1(st, aad, sizeof(aad), impi, out->realm, (int)algo);
    if (rc == HSS_OK)
        rc = hss_store_unseal(st, aad, sqlite3_column_blob(s, 3),
                              (size_t)sqlite3_column_bytes(s, 3), plain,
                              sizeof(plain), &len);
    if (rc == HSS_OK && len != ha1_hex_len((enum hss_digest_algo_id)algo))
        rc = hss_store_fail(st, HSS_CRYPTO, "sealed H(A1) has wrong size");
    if (rc == HSS_OK) {
        memcpy(out->ha1[algo], plain, len);
        out->ha1[algo][len] = '\0';
        out->have[algo] = true;
    }
    OPENSSL_cleanse(plain, sizeof(plain));
    return rc;
}

/* The row of the realm asked for, else the row of the default realm. */
static const char SQL_DIGEST_GET[] =
    "SELECT i.name, d.realm, d.algo, d.ha1 FROM digest d JOIN impi i"
    " ON i.id = d.impi_id WHERE d.impi_id = :id AND d.algo = :algo"
    " AND (d.realm = :realm OR d.is_default <> 0)"
    " ORDER BY (d.realm = :realm) DESC LIMIT 1";

enum hss_rc hss_store_digest_get(struct hss_store *st, int64_t impi_id,
                                 const char *realm,
                                 enum hss_digest_algo_id algo,
                                 char ha1_hex[HSS_HA1_HEX_MAX + 1],
                                 char *realm_out, size_t realm_out_size)
{
    struct hss_digest_realm row;
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || ha1_hex == NULL || ha1_hex_len(algo) == 0)
        return hss_store_fail(st, HSS_INVALID, "bad digest arguments");
    rc = hss_store_check_opt(st, "realm", realm, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_DIGEST_GET, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", impi_id) != SQLITE_OK ||
        hss_bind_i64(s, ":algo", algo) != SQLITE_OK ||
        hss_bind_text(s, ":realm", realm != NULL ? realm : "") != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "no digest credential");
    if (rc != HSS_OK)
        return rc;
    memset(&row, 0, sizeof(row));
    rc = realm_row(st, s, &row);
    sqlite3_reset(s);
    if (rc == HSS_OK && realm_out != NULL &&
        realm_out_size <= strlen(row.realm))
        rc = hss_store_fail(st, HSS_INVALID, "realm_out too small");
    if (rc == HSS_OK) {
        memcpy(ha1_hex, row.ha1[algo], sizeof(row.ha1[algo]));
        if (realm_out != NULL)
            memcpy(realm_out, row.realm, strlen(row.realm) + 1);
    }
    OPENSSL_cleanse(&row, sizeof(row));
    return rc;
}

/* The rows of one realm in algorithm order, seeking on the primary key
 * only (no sorter): first the realm asked for; if the IMPI has no row
 * there, the realm of its default rows (the lowest algorithm's: SQLite
 * returns the bare column of the min() row). */
static const char SQL_DIGEST_REALM_ROWS[] =
    "SELECT i.name, d.realm, d.algo, d.ha1 FROM digest d JOIN impi i"
    " ON i.id = d.impi_id WHERE d.impi_id = :id AND d.realm = :realm"
    " ORDER BY d.algo";
static const char SQL_DIGEST_DEFAULT_ROWS[] =
    "SELECT i.name, d.realm, d.algo, d.ha1 FROM digest d JOIN impi i"
    " ON i.id = d.impi_id WHERE d.impi_id = :id AND d.realm = ("
    "  SELECT realm FROM (SELECT realm, min(algo) FROM digest"
    "   WHERE impi_id = :id AND is_default <> 0))"
    " ORDER BY d.algo";

/* Runs one of the two above; *n: rows read (unsealed into out). */
static enum hss_rc realm_rows(struct hss_store *st, const char *sql,
                              int64_t impi_id, const char *realm,
                              struct hss_digest_realm *out, int *n)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, sql, &s);

    *n = 0;
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", impi_id) != SQLITE_OK ||
        (realm != NULL && hss_bind_text(s, ":realm", realm) != SQLITE_OK))
        return hss_store_bind_fail(st, s);
    while ((rc = hss_store_step_row(st, s)) == HSS_OK) {
        (*n)++;
        rc = realm_row(st, s, out);
        if (rc != HSS_OK)
            break;
    }
    sqlite3_reset(s);
    return rc == HSS_NOT_FOUND ? HSS_OK : rc;
}

enum hss_rc hss_store_digest_realm_get(struct hss_store *st, int64_t impi_id,
                                       const char *realm,
                                       struct hss_digest_realm *out)
{
    enum hss_rc rc;
    int n = 0;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "bad digest arguments");
    memset(out, 0, sizeof(*out));
    rc = hss_store_check_opt(st, "realm", realm, HSS_NAME_MAX);
    if (rc == HSS_OK && realm != NULL && realm[0] != '\0')
        rc = realm_rows(st, SQL_DIGEST_REALM_ROWS, impi_id, realm, out, &n);
    if (rc == HSS_OK && n == 0)
        rc = realm_rows(st, SQL_DIGEST_DEFAULT_ROWS, impi_id, NULL, out, &n);
    if (rc == HSS_OK && n == 0)
        return hss_store_fail(st, HSS_NOT_FOUND, "no digest credential");
    if (rc != HSS_OK)
        OPENSSL_cleanse(out, sizeof(*out));
    return rc;
}

/* Lowercase copy of a hex H(A1) of the algorithm's length. */
static enum hss_rc ha1_normalise(struct hss_store *st,
                                 enum hss_digest_algo_id algo, const char *in,
                                 char out[HSS_HA1_HEX_MAX + 1])
{
    size_t want = ha1_hex_len(algo);
    size_t i;

    if (want == 0 || in == NULL)
        return hss_store_fail(st, HSS_INVALID, "bad digest algorithm");
    if (strnlen(in, want + 1) != want)
        return hss_store_fail(st, HSS_INVALID, "H(A1) must be %zu hex digits",
                              want);
    for (i = 0; i < want; i++) {
        char c = in[i];

        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return hss_store_fail(st, HSS_INVALID, "H(A1) is not hex");
        out[i] = c;
    }
    out[want] = '\0';
    return HSS_OK;
}

/* Validates a hex H(A1) without keeping a copy. */
static enum hss_rc ha1_check(struct hss_store *st, enum hss_digest_algo_id algo,
                             const char *in)
{
    char hex[HSS_HA1_HEX_MAX + 1];
    enum hss_rc rc = ha1_normalise(st, algo, in, hex);

    OPENSSL_cleanse(hex, sizeof(hex));
    return rc;
}

static const char SQL_DIGEST_PUT[] =
    "INSERT OR REPLACE INTO digest (impi_id, realm, algo, ha1, is_default)"
    " VALUES (:id, :realm, :algo, :ha1, :def OR NOT EXISTS (SELECT 1 FROM"
    " digest WHERE impi_id = :id AND is_default <> 0 AND realm <> :realm)"
    " OR EXISTS (SELECT 1 FROM digest WHERE impi_id = :id AND"
    " is_default <> 0 AND realm = :realm))";
static const char SQL_DIGEST_DEFAULT[] =
    "UPDATE digest SET is_default = (realm = :realm) WHERE impi_id = :id";

static enum hss_rc digest_put(struct hss_store *st, int64_t impi_id,
                              const char *realm, enum hss_digest_algo_id algo,
                              const uint8_t *blob, size_t blob_len,
                              bool is_default)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, SQL_DIGEST_PUT, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", impi_id) != SQLITE_OK ||
        hss_bind_text(s, ":realm", realm) != SQLITE_OK ||
        hss_bind_i64(s, ":algo", algo) != SQLITE_OK ||
        hss_bind_blob(s, ":ha1", blob, blob_len) != SQLITE_OK ||
        hss_bind_i64(s, ":def", is_default) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_done(st, s);
    if (rc != HSS_OK || !is_default)
        return rc;
    rc = hss_store_stmt(st, SQL_DIGEST_DEFAULT, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", impi_id) != SQLITE_OK ||
        hss_bind_text(s, ":realm", realm) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_done(st, s);
}

enum hss_rc hss_store_ha1_seal(struct hss_store *st, const char *impi,
                               const char *realm, enum hss_digest_algo_id algo,
                               const char *ha1_hex, uint8_t *blob,
                               size_t blob_size, size_t *blob_len)
{
    char hex[HSS_HA1_HEX_MAX + 1];
    char aad[HSS_IDENTITY_MAX + HSS_NAME_MAX + 16];
    enum hss_rc rc = ha1_normalise(st, algo, ha1_hex, hex);

    if (rc == HSS_OK)
        rc = hss_store_aad_ha1(st, aad, sizeof(aad), impi, realm, algo);
    if (rc == HSS_OK)
        rc = hss_store_seal(st, aad, (const uint8_t *)hex, strlen(hex), blob,
                            blob_size, blob_len);
    OPENSSL_cleanse(hex, sizeof(hex));
    return rc;
}

enum hss_rc hss_store_digest_set(struct hss_store *st, int64_t impi_id,
                                 const char *realm,
                                 enum hss_digest_algo_id algo,
                                 const char *ha1_hex, bool is_default)
{
    uint8_t blob[HSS_HA1_HEX_MAX + HSS_SEAL_OVERHEAD];
    char impi[HSS_IDENTITY_MAX + 1];
    struct hss_op op = {0};
    size_t blob_len = 0;
    enum hss_rc rc;

    rc = hss_store_writable(st);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_check_name(st, "realm", realm, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = ha1_check(st, algo, ha1_hex);
    if (rc == HSS_OK)
        rc = impi_name(st, impi_id, impi);
    if (rc == HSS_OK)
        rc = hss_store_ha1_seal(st, impi, realm, algo, ha1_hex, blob,
                                sizeof(blob), &blob_len);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_op_begin(st, &op);
    if (rc == HSS_OK)
        rc = digest_put(st, impi_id, realm, algo, blob, blob_len, is_default);
    return hss_store_op_end(st, &op, rc);
}

static const char SQL_DIGEST_CLEAR[] = "DELETE FROM digest WHERE impi_id = :id";

enum hss_rc hss_store_digest_clear(struct hss_store *st, int64_t impi_id)
{
    enum hss_rc rc = hss_store_set_i64(st, SQL_DIGEST_CLEAR, impi_id, 0,
                                       "digest credential");

    /* Clearing an IMPI without digest credentials is not an error. */
    return rc == HSS_NOT_FOUND ? HSS_OK : rc;
}
