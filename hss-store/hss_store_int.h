/* hss_store_int.h - private to libhss_store: the handle, the statement cache,
 * error and transaction helpers, input validation and the sealing interface.
 *
 * Nothing outside hss-store/ sources includes this file.
 *
 * Conventions every module follows:
 *  - SQL text is a `static const char SQL_...[]` right above the one function
 *    that runs it; hss_store_stmt() prepares it once per handle (keyed by the
 *    address of that array) with SQLITE_PREPARE_PERSISTENT and caches it.
 *  - Every statement is sqlite3_reset() on every path after use (at the one
 *    cleanup label of the function).
 *  - A function that writes more than one statement brackets its work with
 *    hss_store_op_begin()/hss_store_op_end(): its own BEGIN IMMEDIATE when the
 *    caller has no transaction open, else a SAVEPOINT inside the caller's, so
 *    a failure never leaves half a change behind.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_STORE_INT_H
#define HSS_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hss_store.h"

#define HSS_KEY_LEN 32     /* AES-256 master key */
#define HSS_STMT_SLOTS 512 /* statement cache size (power of two) */

/* Sealed value layout (hss_store_seal.c owns it): version, nonce, ct, tag. */
#define HSS_SEAL_OVERHEAD (1 + 12 + 16)

struct hss_stmt_slot {
    const char *sql; /* address of the static SQL text: the key */
    sqlite3_stmt *stmt;
};

struct hss_store {
    sqlite3 *db;
    uint8_t key[HSS_KEY_LEN]; /* master key; wiped at close */
    bool read_only;
    int synchronous; /* 1 NORMAL, 2 FULL */
    int cache_mb;    /* configured cache_size (0: SQLite's default) */
    /* Group commit (hss_store_batch_begin): one BEGIN IMMEDIATE holds many
     * callers' transactions, each a SAVEPOINT hss_item. */
    bool batch;      /* a batch transaction is open */
    bool batch_item; /* its SAVEPOINT hss_item is open */
    int wal_frames;  /* WAL size after this handle's last commit (frames;
                      * tracked on ckpt_manual handles only) */
    char err[256];
    struct hss_stmt_slot slots[HSS_STMT_SLOTS];
    /* AES-256-GCM contexts keyed with `key` once (hss_store_seal.c), so
     * each seal/open only sets a nonce; NULL until first use, freed (and
     * wiped by OpenSSL) at close and on rekey. */
    struct evp_cipher_ctx_st *seal_ctx, *open_ctx;
};

/* ---- errors (hss_store.c) ---- */

/* Records a one-line message in the handle and returns rc. */
enum hss_rc hss_store_fail(struct hss_store *st, enum hss_rc rc,
                           const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps a SQLite result code to enum hss_rc and records sqlite3_errmsg. */
enum hss_rc hss_store_dberr(struct hss_store *st, int sqlite_rc);
/* HSS_OK when st may write; HSS_INVALID for NULL, or (recorded) for a
 * handle opened read-only. */
enum hss_rc hss_store_writable(struct hss_store *st);

/* ---- statements (hss_store.c) ---- */

/* The cached statement for sql (prepared on first use). */
enum hss_rc hss_store_stmt(struct hss_store *st, const char *sql,
                           sqlite3_stmt **out);
/* Steps a statement that returns no row; resets it in every case. */
enum hss_rc hss_store_step_done(struct hss_store *st, sqlite3_stmt *s);
/* Steps once: HSS_OK on a row (the caller reads then resets),
 * HSS_NOT_FOUND when there is none, else an error. */
enum hss_rc hss_store_step_row(struct hss_store *st, sqlite3_stmt *s);

/* As hss_store_step_done, then HSS_NOT_FOUND (message names `what`) when
 * the statement changed no row. */
enum hss_rc hss_store_step_change(struct hss_store *st, sqlite3_stmt *s,
                                  const char *what);
/* Runs sql (":id" and, when present, ":v" parameters) expecting one row
 * changed: the shape of every "set one column of one row" function. */
enum hss_rc hss_store_set_i64(struct hss_store *st, const char *sql, int64_t id,
                              int64_t v, const char *what);
/* Records the last bind failure of the handle and resets s. */
enum hss_rc hss_store_bind_fail(struct hss_store *st, sqlite3_stmt *s);
/* The cached statement for sql with up to two int64 parameters bound (p2
 * NULL: only p1; p1 NULL: none). On a bind failure the statement is reset
 * and the error recorded. */
enum hss_rc hss_store_stmt_i64(struct hss_store *st, const char *sql,
                               const char *p1, int64_t v1, const char *p2,
                               int64_t v2, sqlite3_stmt **out);

/* Copies the current row of s into row; false when out of memory. */
typedef bool (*hss_row_reader)(sqlite3_stmt *s, void *row);
/* Readers of column 0: an int64_t, a text of HSS_IDENTITY_MAX bytes. */
bool hss_store_read_i64(sqlite3_stmt *s, void *row);
bool hss_store_read_identity(sqlite3_stmt *s, void *row);
/* hss_store_stmt_i64, then hss_store_step_change(what), or step_done when
 * what is NULL: the shape of "change the row of these ids". */
enum hss_rc hss_store_run_i64(struct hss_store *st, const char *sql,
                              const char *p1, int64_t v1, const char *p2,
                              int64_t v2, const char *what);

/* Steps a bound statement once and reads its row with read (NULL: none)
 * into out, then resets it. No row: HSS_NOT_FOUND, with `missing` as the
 * message unless it is NULL (the caller words its own). */
enum hss_rc hss_store_fetch_one(struct hss_store *st, sqlite3_stmt *s,
                                const char *missing, hss_row_reader read,
                                void *out);
/* The shape of every "get one row by name" function: NULL check, name
 * check (`what`, 1..max bytes), sql bound with :name, hss_store_fetch_one
 * with "no such <noun>". */
enum hss_rc hss_store_get_by_name(struct hss_store *st, const char *sql,
                                  const char *what, const char *name,
                                  size_t max, const char *missing,
                                  hss_row_reader read, void *out);
/* The same by the int64 parameter :id. */
enum hss_rc hss_store_get_by_id(struct hss_store *st, const char *sql,
                                int64_t id, const char *missing,
                                hss_row_reader read, void *out);

/* Named-parameter binding; 0 on success, else a SQLite code. */
int hss_bind_i64(sqlite3_stmt *s, const char *name, int64_t v);
int hss_bind_text(sqlite3_stmt *s, const char *name, const char *v);
int hss_bind_blob(sqlite3_stmt *s, const char *name, const void *p, size_t n);
/* Copies column i as text into buf (always NUL-terminated, "" for NULL). */
void hss_col_text(sqlite3_stmt *s, int i, char *buf, size_t size);

/* ---- transactions (hss_store.c) ---- */

struct hss_op {
    bool own;       /* we opened BEGIN IMMEDIATE */
    bool savepoint; /* we opened a SAVEPOINT in the caller's tx */
};
enum hss_rc hss_store_op_begin(struct hss_store *st, struct hss_op *op);
/* Commits/releases when rc == HSS_OK, else rolls back; returns final rc. */
enum hss_rc hss_store_op_end(struct hss_store *st, struct hss_op *op,
                             enum hss_rc rc);
bool hss_store_in_tx(const struct hss_store *st);

/* ---- validation (hss_store.c) ---- */

/* Non-NULL, 1..max bytes, valid UTF-8, no control characters. */
enum hss_rc hss_store_check_name(struct hss_store *st, const char *what,
                                 const char *s, size_t max);
/* As above but NULL/"" allowed (0..max). */
enum hss_rc hss_store_check_opt(struct hss_store *st, const char *what,
                                const char *s, size_t max);
/* Valid UTF-8 of at most max bytes; control characters other than TAB, CR,
 * LF allowed only when allow_ws (XML fragments). */
bool hss_store_utf8_ok(const char *s, size_t len, bool allow_ws);

/* ---- growable row buffer for iterators (hss_store.c) ---- */

struct hss_vec {
    unsigned char *items;
    size_t n, cap, size;
};
/* A zeroed new slot, or NULL when out of memory. */
void *hss_vec_push(struct hss_vec *v);
void hss_vec_free(struct hss_vec *v);
/* Row i (i < v->n). */
void *hss_vec_at(const struct hss_vec *v, size_t i);
/* Steps a bound statement to its end, appending every row (read into a
 * zeroed slot of rows->size bytes) to rows; resets it in every case.
 * Iterators call back only after this, so callbacks may use the handle. */
enum hss_rc hss_store_collect(struct hss_store *st, sqlite3_stmt *s,
                              hss_row_reader read, struct hss_vec *rows);

/* ---- migrations (hss_store_migrate.c) ---- */

/* Migrates up to version target (0 = this binary's latest). */
enum hss_rc hss_store_migrate_apply(struct hss_store *st, int target);
enum hss_rc hss_store_user_version(struct hss_store *st, int *version);

/* ---- sealing (hss_store_seal.c) ---- */

/* Reads a master key file (mode must be 0600 or stricter, size 32);
 * creates it when missing and create is set. */
enum hss_rc hss_store_key_load(struct hss_store *st, const char *path,
                               bool create, uint8_t key[HSS_KEY_LEN]);
/* Seals n bytes under st->key with aad; out gets n + HSS_SEAL_OVERHEAD. */
enum hss_rc hss_store_seal(struct hss_store *st, const char *aad,
                           const uint8_t *in, size_t n, uint8_t *out,
                           size_t out_size, size_t *out_len);
/* Opens a sealed blob; HSS_CRYPTO when it does not authenticate. */
enum hss_rc hss_store_unseal(struct hss_store *st, const char *aad,
                             const uint8_t *in, size_t n, uint8_t *out,
                             size_t out_size, size_t *out_len)
    __attribute__((warn_unused_result));
/* Frees the cached cipher contexts (close, rekey). */
void hss_store_seal_reset(struct hss_store *st);
/* Writes the key check value (new database) or verifies it. */
enum hss_rc hss_store_kcv_check(struct hss_store *st);
/* AAD strings: "aka.k:<impi>", "aka.opc:<impi>", "ha1:<impi>:<realm>:<a>". */
enum hss_rc hss_store_aad_aka(struct hss_store *st, char *buf, size_t size,
                              const char *field, const char *impi);
enum hss_rc hss_store_aad_ha1(struct hss_store *st, char *buf, size_t size,
                              const char *impi, const char *realm, int algo);

/* ---- credentials (hss_store_cred.c) ---- */

struct hss_aka_sealed {
    uint8_t k[16 + HSS_SEAL_OVERHEAD];
    uint8_t opc[16 + HSS_SEAL_OVERHEAD];
    size_t k_len, opc_len;
};
/* Seals K and OPc of cred for the IMPI named impi (SQN checked). */
enum hss_rc hss_store_aka_seal(struct hss_store *st, const char *impi,
                               const struct hss_aka_cred *cred,
                               struct hss_aka_sealed *out);
/* Binds :id, :k, :opc, :amf, :sqn of an aka INSERT. */
enum hss_rc hss_store_aka_bind(struct hss_store *st, sqlite3_stmt *s,
                               int64_t impi_id, const struct hss_aka_cred *cred,
                               const struct hss_aka_sealed *sealed);
/* Validates (length, hex) and seals a H(A1) for (impi, realm, algo). */
enum hss_rc hss_store_ha1_seal(struct hss_store *st, const char *impi,
                               const char *realm, enum hss_digest_algo_id algo,
                               const char *ha1_hex, uint8_t *blob,
                               size_t blob_size, size_t *blob_len);

/* ---- shared row readers ---- */

/* hss_store_identity.c: reads an impi/impu row selected with the columns of
 * HSS_IMPI_COLS / HSS_IMPU_COLS. */
#define HSS_IMPI_COLS                                                          \
    "i.id, i.subscription_id, i.name, i.kind, i.schemes, i.default_scheme, "   \
    "i.valid_from, i.valid_until, i.revoked, i.locked_until, "                 \
    "(i.auth_failures <> 0 OR i.mar_count <> 0 OR i.mar_window_start <> 0)"
/* The same columns without resolving the service profile (own profile id,
 * 0 = default; has_unreg_services false): three correlated subqueries
 * fewer, ~30% of an IMPU read (hss_store_impu_get_brief). */
#define HSS_IMPU_BRIEF_COLS                                                    \
    "u.id, u.subscription_id, u.name, u.type, u.barred, u.irs_id, "            \
    "COALESCE(u.profile_id, 0), u.reg_state, u.psi_activated, 0, "             \
    "u.display_name"
#define HSS_IMPU_COLS                                                          \
    "u.id, u.subscription_id, u.name, u.type, u.barred, u.irs_id, "            \
    "COALESCE(u.profile_id, (SELECT min(p.id) FROM service_profile p "         \
    "WHERE p.subscription_id = u.subscription_id), 0), u.reg_state, "          \
    "u.psi_activated, COALESCE((SELECT instr(p.ifc_xml, "                      \
    "'<ProfilePartIndicator>1</ProfilePartIndicator>') > 0 "                   \
    "FROM service_profile p WHERE p.id = COALESCE(u.profile_id, "              \
    "(SELECT min(q.id) FROM service_profile q "                                \
    "WHERE q.subscription_id = u.subscription_id))), 0), u.display_name"
bool hss_store_read_impi(sqlite3_stmt *s, void *row);
bool hss_store_read_impu(sqlite3_stmt *s, void *row);
/* Runs an IMPU-returning statement (already bound) and calls cb per row. */
enum hss_rc hss_store_impu_walk(struct hss_store *st, sqlite3_stmt *s,
                                hss_impu_cb cb, void *ctx);
/* Runs a one-text-column statement (already bound) and calls cb per row. */
enum hss_rc hss_store_str_walk(struct hss_store *st, sqlite3_stmt *s,
                               hss_str_cb cb, void *ctx);

/* hss_store_webrtc.c: ends the registration of a pool member subscription and
 * queues the RTR when an S-CSCF host is known (inside an open transaction). */
enum hss_rc hss_store_member_deregister(struct hss_store *st, int64_t sub_id,
                                        int64_t now);

#endif /* HSS_STORE_INT_H */
