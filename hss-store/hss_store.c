/* hss_store.c - the store handle: open/close, transactions, the per-handle
 * prepared statement cache, error mapping, input validation and hss_rc_str().
 *
 * Owns the SQLite connection settings (WAL, foreign_keys, busy_timeout,
 * secure_delete, synchronous) and the rule that the database file is created
 * mode 0600. Schema changes live in hss_store_migrate.c, secrets in
 * hss_store_seal.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "hss_store_int.h"

const char *hss_rc_str(enum hss_rc rc)
{
    switch (rc) {
    case HSS_OK:
        return "ok";
    case HSS_NOT_FOUND:
        return "not found";
    case HSS_EXISTS:
        return "already exists";
    case HSS_INVALID:
        return "invalid input";
    case HSS_BUSY:
        return "database busy";
    case HSS_NOMEM:
        return "out of memory";
    case HSS_CRYPTO:
        return "crypto failure";
    case HSS_SCHEMA:
        return "schema mismatch";
    case HSS_IO:
        return "i/o error";
    case HSS_DB:
        return "database error";
    case HSS_EXHAUSTED:
        return "pool exhausted";
    case HSS_CONFLICT:
        return "conflict";
    }
    return "unknown";
}

/* ---- errors ---- */

enum hss_rc hss_store_fail(struct hss_store *st, enum hss_rc rc,
                           const char *fmt, ...)
{
    va_list ap;

    if (st == NULL)
        return rc;
    va_start(ap, fmt);
    vsnprintf(st->err, sizeof(st->err), fmt, ap);
    va_end(ap);
    return rc;
}

static enum hss_rc map_sqlite(int xrc)
{
    switch (xrc) {
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return HSS_NOT_FOUND;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
        return HSS_EXISTS;
    default:
        break;
    }
    switch (xrc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return HSS_BUSY;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
        return HSS_INVALID;
    case SQLITE_NOMEM:
        return HSS_NOMEM;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
        return HSS_IO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_SCHEMA:
        return HSS_SCHEMA;
    default:
        return HSS_DB;
    }
}

enum hss_rc hss_store_dberr(struct hss_store *st, int sqlite_rc)
{
    enum hss_rc rc = map_sqlite(sqlite_rc);

    return hss_store_fail(st, rc, "sqlite: %s (%d)",
                          st->db != NULL ? sqlite3_errmsg(st->db)
                                         : sqlite3_errstr(sqlite_rc),
                          sqlite_rc);
}

const char *hss_store_errmsg(const struct hss_store *st)
{
    return st != NULL ? st->err : "no store handle";
}

int64_t hss_store_rows_changed(const struct hss_store *st)
{
    return st != NULL && st->db != NULL ? sqlite3_total_changes64(st->db) : 0;
}

/* ---- statement cache ---- */

static size_t slot_hash(const char *sql)
{
    uintptr_t p = (uintptr_t)sql;

    p ^= p >> 17;
    p *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(p >> 7) & (HSS_STMT_SLOTS - 1);
}

enum hss_rc hss_store_stmt(struct hss_store *st, const char *sql,
                           sqlite3_stmt **out)
{
    size_t i = slot_hash(sql);
    size_t probes;
    int rc;

    for (probes = 0; probes < HSS_STMT_SLOTS; probes++) {
        struct hss_stmt_slot *slot = &st->slots[i];

        if (slot->sql == sql) {
            *out = slot->stmt;
            return HSS_OK;
        }
        if (slot->sql == NULL) {
            rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                    &slot->stmt, NULL);
            if (rc != SQLITE_OK) {
                slot->stmt = NULL;
                return hss_store_dberr(st, rc);
            }
            slot->sql = sql;
            *out = slot->stmt;
            return HSS_OK;
        }
        i = (i + 1) & (HSS_STMT_SLOTS - 1);
    }
    return hss_store_fail(st, HSS_DB, "statement cache full");
}

static void stmt_cache_clear(struct hss_store *st)
{
    size_t i;

    for (i = 0; i < HSS_STMT_SLOTS; i++) {
        sqlite3_finalize(st->slots[i].stmt);
        st->slots[i].stmt = NULL;
        st->slots[i].sql = NULL;
    }
}

/* Resets every cached statement still positioned on a row. A statement left
 * mid-result keeps its read snapshot open, so the handle would keep seeing
 * the database as it was (e.g. miss hssctl's revoke in another process).
 * Called at every transaction boundary and when a pool handle is returned. */
static void stmt_cache_reset(struct hss_store *st)
{
    sqlite3_stmt *s = NULL;

    while ((s = sqlite3_next_stmt(st->db, s)) != NULL)
        if (sqlite3_stmt_busy(s))
            sqlite3_reset(s);
}

enum hss_rc hss_store_step_done(struct hss_store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    enum hss_rc out = HSS_OK;

    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = hss_store_dberr(st, rc);
    sqlite3_reset(s);
    return out;
}

enum hss_rc hss_store_step_row(struct hss_store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW)
        return HSS_OK;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return HSS_NOT_FOUND;
    }
    {
        enum hss_rc e = hss_store_dberr(st, rc);

        sqlite3_reset(s);
        return e;
    }
}

enum hss_rc hss_store_step_change(struct hss_store *st, sqlite3_stmt *s,
                                  const char *what)
{
    enum hss_rc rc = hss_store_step_done(st, s);

    if (rc == HSS_OK && sqlite3_changes(st->db) == 0)
        rc = hss_store_fail(st, HSS_NOT_FOUND, "no such %s", what);
    return rc;
}

enum hss_rc hss_store_bind_fail(struct hss_store *st, sqlite3_stmt *s)
{
    enum hss_rc rc = hss_store_dberr(st, sqlite3_errcode(st->db));

    sqlite3_reset(s);
    return rc;
}

enum hss_rc hss_store_writable(struct hss_store *st)
{
    if (st == NULL)
        return HSS_INVALID;
    if (st->read_only)
        return hss_store_fail(st, HSS_INVALID, "store opened read-only");
    return HSS_OK;
}

enum hss_rc hss_store_set_i64(struct hss_store *st, const char *sql, int64_t id,
                              int64_t v, const char *what)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_stmt(st, sql, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", id) != SQLITE_OK ||
        (sqlite3_bind_parameter_index(s, ":v") > 0 &&
         hss_bind_i64(s, ":v", v) != SQLITE_OK))
        return hss_store_bind_fail(st, s);
    return hss_store_step_change(st, s, what);
}

enum hss_rc hss_store_stmt_i64(struct hss_store *st, const char *sql,
                               const char *p1, int64_t v1, const char *p2,
                               int64_t v2, sqlite3_stmt **out)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, sql, &s);

    if (rc != HSS_OK)
        return rc;
    if ((p1 != NULL && hss_bind_i64(s, p1, v1) != SQLITE_OK) ||
        (p2 != NULL && hss_bind_i64(s, p2, v2) != SQLITE_OK))
        return hss_store_bind_fail(st, s);
    *out = s;
    return HSS_OK;
}

enum hss_rc hss_store_run_i64(struct hss_store *st, const char *sql,
                              const char *p1, int64_t v1, const char *p2,
                              int64_t v2, const char *what)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt_i64(st, sql, p1, v1, p2, v2, &s);

    if (rc != HSS_OK)
        return rc;
    if (what != NULL)
        return hss_store_step_change(st, s, what);
    return hss_store_step_done(st, s);
}

bool hss_store_read_i64(sqlite3_stmt *s, void *row)
{
    *(int64_t *)row = sqlite3_column_int64(s, 0);
    return true;
}

bool hss_store_read_identity(sqlite3_stmt *s, void *row)
{
    hss_col_text(s, 0, row, HSS_IDENTITY_MAX + 1);
    return true;
}

enum hss_rc hss_store_fetch_one(struct hss_store *st, sqlite3_stmt *s,
                                const char *missing, hss_row_reader read,
                                void *out)
{
    enum hss_rc rc = hss_store_step_row(st, s);

    if (rc == HSS_NOT_FOUND && missing != NULL)
        return hss_store_fail(st, rc, "%s", missing);
    if (rc != HSS_OK)
        return rc;
    if (read != NULL && !read(s, out))
        rc = hss_store_fail(st, HSS_NOMEM, "out of memory");
    sqlite3_reset(s);
    return rc;
}

enum hss_rc hss_store_get_by_name(struct hss_store *st, const char *sql,
                                  const char *what, const char *name,
                                  size_t max, const char *missing,
                                  hss_row_reader read, void *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_check_name(st, what, name, max);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, sql, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":name", name) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_fetch_one(st, s, missing, read, out);
}

enum hss_rc hss_store_get_by_id(struct hss_store *st, const char *sql,
                                int64_t id, const char *missing,
                                hss_row_reader read, void *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt_i64(st, sql, ":id", id, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    return hss_store_fetch_one(st, s, missing, read, out);
}

static int param_index(sqlite3_stmt *s, const char *name)
{
    return sqlite3_bind_parameter_index(s, name);
}

int hss_bind_i64(sqlite3_stmt *s, const char *name, int64_t v)
{
    int i = param_index(s, name);

    return i > 0 ? sqlite3_bind_int64(s, i, v) : SQLITE_RANGE;
}

int hss_bind_text(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = param_index(s, name);

    if (i <= 0)
        return SQLITE_RANGE;
    return sqlite3_bind_text(s, i, v != NULL ? v : "", -1, SQLITE_STATIC);
}

int hss_bind_blob(sqlite3_stmt *s, const char *name, const void *p, size_t n)
{
    int i = param_index(s, name);

    if (i <= 0)
        return SQLITE_RANGE;
    return sqlite3_bind_blob(s, i, p, (int)n, SQLITE_STATIC);
}

void hss_col_text(sqlite3_stmt *s, int i, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);

    if (size == 0)
        return;
    if (t == NULL)
        n = 0;
    if (n >= size)
        n = size - 1;
    if (n > 0)
        memcpy(buf, t, n);
    buf[n] = '\0';
}

/* ---- transactions ---- */

static const char SQL_BEGIN_DEFERRED[] = "BEGIN";
static const char SQL_BEGIN_IMMEDIATE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT hss_op";
static const char SQL_RELEASE[] = "RELEASE hss_op";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO hss_op";

static enum hss_rc run_const(struct hss_store *st, const char *sql)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, sql, &s);

    if (rc != HSS_OK)
        return rc;
    return hss_store_step_done(st, s);
}

bool hss_store_in_tx(const struct hss_store *st)
{
    return sqlite3_get_autocommit(st->db) == 0;
}

static const char SQL_ITEM_SAVEPOINT[] = "SAVEPOINT hss_item";
static const char SQL_ITEM_RELEASE[] = "RELEASE hss_item";
static const char SQL_ITEM_ROLLBACK_TO[] = "ROLLBACK TO hss_item";

/* Batch state: an item's "transaction" is a SAVEPOINT inside the batch. */
static enum hss_rc item_begin(struct hss_store *st)
{
    enum hss_rc rc;

    if (st->batch_item)
        return hss_store_fail(st, HSS_CONFLICT, "transaction already open");
    /* SQLite rolls the whole transaction back after some I/O and memory
     * errors; a SAVEPOINT would then open a new, autocommitted one. */
    if (!hss_store_in_tx(st))
        return hss_store_fail(st, HSS_DB, "batch transaction was lost");
    rc = run_const(st, SQL_ITEM_SAVEPOINT);
    st->batch_item = rc == HSS_OK;
    return rc;
}

static void item_rollback(struct hss_store *st)
{
    st->batch_item = false;
    if (!hss_store_in_tx(st))
        return;
    (void)run_const(st, SQL_ITEM_ROLLBACK_TO);
    (void)run_const(st, SQL_ITEM_RELEASE);
}

enum hss_rc hss_store_begin(struct hss_store *st, enum hss_tx kind)
{
    if (st == NULL)
        return HSS_INVALID;
    if (kind == HSS_TX_WRITE && st->read_only)
        return hss_store_fail(st, HSS_INVALID, "store opened read-only");
    stmt_cache_reset(st);
    if (st->batch)
        return item_begin(st);
    if (hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT, "transaction already open");
    return run_const(st, kind == HSS_TX_WRITE ? SQL_BEGIN_IMMEDIATE
                                              : SQL_BEGIN_DEFERRED);
}

enum hss_rc hss_store_commit(struct hss_store *st)
{
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    if (st->batch && !st->batch_item)
        return hss_store_fail(st, HSS_CONFLICT, "no transaction open");
    if (!hss_store_in_tx(st)) {
        st->batch_item = false;
        return hss_store_fail(st, st->batch ? HSS_DB : HSS_CONFLICT,
                              st->batch ? "batch transaction was lost"
                                        : "no transaction open");
    }
    stmt_cache_reset(st);
    if (st->batch) {
        rc = run_const(st, SQL_ITEM_RELEASE);
        if (rc != HSS_OK)
            item_rollback(st);
        st->batch_item = false;
        return rc;
    }
    rc = run_const(st, SQL_COMMIT);
    if (rc != HSS_OK)
        hss_store_rollback(st);
    return rc;
}

void hss_store_rollback(struct hss_store *st)
{
    if (st == NULL || st->db == NULL)
        return;
    stmt_cache_reset(st);
    if (st->batch) {
        if (st->batch_item)
            item_rollback(st);
        return;
    }
    if (!hss_store_in_tx(st))
        return;
    (void)run_const(st, SQL_ROLLBACK);
}

enum hss_rc hss_store_batch_begin(struct hss_store *st)
{
    enum hss_rc rc;

    rc = hss_store_writable(st);
    if (rc != HSS_OK)
        return rc;
    if (st->batch || hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT, "transaction already open");
    stmt_cache_reset(st);
    rc = run_const(st, SQL_BEGIN_IMMEDIATE);
    st->batch = rc == HSS_OK;
    st->batch_item = false;
    return rc;
}

enum hss_rc hss_store_batch_commit(struct hss_store *st)
{
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    if (!st->batch)
        return hss_store_fail(st, HSS_CONFLICT, "no batch open");
    stmt_cache_reset(st);
    if (st->batch_item)
        item_rollback(st);
    st->batch = false;
    if (!hss_store_in_tx(st))
        return hss_store_fail(st, HSS_DB, "batch transaction was lost");
    rc = run_const(st, SQL_COMMIT);
    if (rc != HSS_OK)
        hss_store_rollback(st);
    return rc;
}

void hss_store_batch_rollback(struct hss_store *st)
{
    if (st == NULL || st->db == NULL || !st->batch)
        return;
    st->batch = false;
    st->batch_item = false;
    hss_store_rollback(st);
}

enum hss_rc hss_store_op_begin(struct hss_store *st, struct hss_op *op)
{
    enum hss_rc rc;

    op->own = false;
    op->savepoint = false;
    if (st->read_only)
        return hss_store_fail(st, HSS_INVALID, "store opened read-only");
    if (hss_store_in_tx(st)) {
        rc = run_const(st, SQL_SAVEPOINT);
        op->savepoint = rc == HSS_OK;
        return rc;
    }
    rc = run_const(st, SQL_BEGIN_IMMEDIATE);
    op->own = rc == HSS_OK;
    return rc;
}

enum hss_rc hss_store_op_end(struct hss_store *st, struct hss_op *op,
                             enum hss_rc rc)
{
    if (op->own) {
        if (rc == HSS_OK)
            rc = run_const(st, SQL_COMMIT);
        if (rc != HSS_OK)
            hss_store_rollback(st);
    } else if (op->savepoint) {
        if (rc != HSS_OK)
            (void)run_const(st, SQL_ROLLBACK_TO);
        (void)run_const(st, SQL_RELEASE);
    }
    op->own = false;
    op->savepoint = false;
    return rc;
}

/* ---- validation ---- */

bool hss_store_utf8_ok(const char *s, size_t len, bool allow_ws)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t need;
        uint32_t cp;
        size_t k;

        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) {
                if (!allow_ws || (c != '\t' && c != '\n' && c != '\r'))
                    return false;
            }
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= need)
            return false;
        for (k = 1; k <= need; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
            (cp >= 0x80 && cp <= 0x9f))
            return false;
        i += need + 1;
    }
    return true;
}

enum hss_rc hss_store_check_opt(struct hss_store *st, const char *what,
                                const char *s, size_t max)
{
    size_t n;

    if (s == NULL)
        return HSS_OK;
    n = strnlen(s, max + 1);
    if (n > max)
        return hss_store_fail(st, HSS_INVALID, "%s longer than %zu bytes", what,
                              max);
    if (!hss_store_utf8_ok(s, n, false))
        return hss_store_fail(st, HSS_INVALID,
                              "%s is not valid UTF-8 or has control "
                              "characters",
                              what);
    return HSS_OK;
}

enum hss_rc hss_store_check_name(struct hss_store *st, const char *what,
                                 const char *s, size_t max)
{
    if (s == NULL || s[0] == '\0')
        return hss_store_fail(st, HSS_INVALID, "%s is empty", what);
    return hss_store_check_opt(st, what, s, max);
}

/* ---- row buffers ---- */

void *hss_vec_push(struct hss_vec *v)
{
    void *slot;

    if (v->n == v->cap) {
        size_t cap = v->cap != 0 ? v->cap * 2 : 8;
        unsigned char *p = realloc(v->items, cap * v->size);

        if (p == NULL)
            return NULL;
        v->items = p;
        v->cap = cap;
    }
    slot = v->items + v->n * v->size;
    memset(slot, 0, v->size);
    v->n++;
    return slot;
}

void *hss_vec_at(const struct hss_vec *v, size_t i)
{
    return v->items + i * v->size;
}

enum hss_rc hss_store_collect(struct hss_store *st, sqlite3_stmt *s,
                              hss_row_reader read, struct hss_vec *rows)
{
    enum hss_rc rc;

    while ((rc = hss_store_step_row(st, s)) == HSS_OK) {
        void *row = hss_vec_push(rows);

        if (row == NULL || !read(s, row)) {
            sqlite3_reset(s);
            return hss_store_fail(st, HSS_NOMEM, "out of memory");
        }
    }
    return rc == HSS_NOT_FOUND ? HSS_OK : rc;
}

void hss_vec_free(struct hss_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->n = 0;
    v->cap = 0;
}

/* ---- open / close ---- */

static const char SQL_PRAGMA_WAL[] = "PRAGMA journal_mode = WAL";
static const char SQL_PRAGMA_FK[] = "PRAGMA foreign_keys = ON";
static const char SQL_PRAGMA_SECDEL[] = "PRAGMA secure_delete = ON";
static const char SQL_PRAGMA_SYNC_NORMAL[] = "PRAGMA synchronous = NORMAL";
static const char SQL_PRAGMA_SYNC_FULL[] = "PRAGMA synchronous = FULL";

/* Creates the database file mode 0600 when missing, so SQLite never creates
 * it with the process umask. O_EXCL matters: an existing database must never
 * be opened and closed here, because close() drops every POSIX lock this
 * process holds on the file - including those of other open handles (the
 * Cx pool). SQLite would then believe no connection is left, and another
 * process (hssctl) closing its connection would checkpoint and delete the
 * WAL under the running HSS: stale reads and lost writes. */
static enum hss_rc db_file_create(struct hss_store *st, const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd < 0) {
        if (errno == EEXIST)
            return HSS_OK;
        return hss_store_fail(st, HSS_IO, "cannot create %s: %s", path,
                              strerror(errno));
    }
    close(fd);
    return HSS_OK;
}

/* PRAGMA name = v. PRAGMAs take no bound parameters; v is an integer the
 * caller computed (never text), so formatting it cannot inject SQL. */
static enum hss_rc run_pragma(struct hss_store *st, const char *name,
                              long long v)
{
    char sql[96];
    int rc;

    if (snprintf(sql, sizeof(sql), "PRAGMA %s = %lld", name, v) >=
        (int)sizeof(sql))
        return hss_store_fail(st, HSS_INVALID, "PRAGMA %s too long", name);
    rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? HSS_OK : hss_store_dberr(st, rc);
}

static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    ((struct hss_store *)arg)->wal_frames = frames;
    return SQLITE_OK;
}

int hss_store_wal_frames(const struct hss_store *st)
{
    return st != NULL ? st->wal_frames : 0;
}

static enum hss_rc connection_setup(struct hss_store *st,
                                    const struct hss_store_options *opt)
{
    enum hss_rc rc;
    int ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;

    if (sqlite3_busy_timeout(st->db, ms) != SQLITE_OK)
        return hss_store_dberr(st, sqlite3_errcode(st->db));
    if (!st->read_only) {
        rc = run_const(st, SQL_PRAGMA_WAL);
        if (rc != HSS_OK)
            return rc;
    }
    rc = run_const(st, SQL_PRAGMA_FK);
    if (rc == HSS_OK)
        rc = run_const(st, SQL_PRAGMA_SECDEL);
    if (rc == HSS_OK)
        rc = run_const(st, st->synchronous == 2 ? SQL_PRAGMA_SYNC_FULL
                                                : SQL_PRAGMA_SYNC_NORMAL);
    if (rc == HSS_OK && opt->mmap_mb > 0)
        rc = run_pragma(st, "mmap_size", (long long)opt->mmap_mb << 20);
    if (rc == HSS_OK && opt->cache_mb > 0)
        rc = run_pragma(st, "cache_size", -((long long)opt->cache_mb << 10));
    if (rc == HSS_OK && opt->ckpt_manual && !st->read_only) {
        rc = run_pragma(st, "wal_autocheckpoint", 0);
        /* after the pragma, which would replace it */
        if (rc == HSS_OK)
            (void)sqlite3_wal_hook(st->db, wal_hook, st);
    }
    return rc;
}

static enum hss_rc store_open(struct hss_store *st,
                              const struct hss_store_options *opt)
{
    enum hss_rc rc;
    int flags = SQLITE_OPEN_NOMUTEX;
    int version = 0;

    if (opt->db_path == NULL || opt->db_path[0] == '\0' ||
        opt->key_path == NULL || opt->key_path[0] == '\0')
        return hss_store_fail(st, HSS_INVALID, "db_path and key_path needed");
    if (opt->synchronous != 0 && opt->synchronous != 1 && opt->synchronous != 2)
        return hss_store_fail(st, HSS_INVALID, "synchronous must be 1 or 2");
    st->read_only = opt->read_only;
    st->synchronous = opt->synchronous == 2 ? 2 : 1;
    if (opt->mmap_mb < 0 || opt->cache_mb < 0)
        return hss_store_fail(st, HSS_INVALID, "negative mmap/cache size");
    st->cache_mb = opt->cache_mb;
    rc = hss_store_key_load(st, opt->key_path,
                            opt->create_key && !opt->read_only, st->key);
    if (rc != HSS_OK)
        return rc;
    if (opt->read_only) {
        flags |= SQLITE_OPEN_READONLY;
    } else {
        rc = db_file_create(st, opt->db_path);
        if (rc != HSS_OK)
            return rc;
        flags |= SQLITE_OPEN_READWRITE;
    }
    if (sqlite3_open_v2(opt->db_path, &st->db, flags, NULL) != SQLITE_OK) {
        if (st->db == NULL)
            return hss_store_fail(st, HSS_NOMEM, "sqlite3_open_v2 failed");
        return hss_store_fail(st, HSS_IO, "cannot open %s: %s", opt->db_path,
                              sqlite3_errmsg(st->db));
    }
    sqlite3_extended_result_codes(st->db, 1);
    rc = connection_setup(st, opt);
    if (rc != HSS_OK)
        return rc;
    if (!opt->read_only) {
        rc = hss_store_migrate_apply(st, opt->schema_target);
    } else {
        rc = hss_store_user_version(st, &version);
        if (rc == HSS_OK && version != hss_store_schema_version())
            rc = hss_store_fail(st, HSS_SCHEMA,
                                "database schema version %d, this binary "
                                "needs %d (open read-write to migrate)",
                                version, hss_store_schema_version());
    }
    if (rc != HSS_OK)
        return rc;
    return hss_store_kcv_check(st);
}

/* SQLite's memory statistics take a global mutex on every allocation and
 * free: ~60 pairs per MAR/SAR, 3% of a request (callgrind). The store never
 * reads them. Only possible before SQLite initialises; if something else
 * in the process initialised it first, the call is refused and nothing
 * changes. */
static pthread_once_t g_sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum hss_rc hss_store_open(const struct hss_store_options *opt,
                           struct hss_store **out, char *errbuf,
                           size_t errbuf_size)
{
    struct hss_store *st;
    enum hss_rc rc;

    (void)pthread_once(&g_sqlite_once, sqlite_setup);
    if (out != NULL)
        *out = NULL;
    if (opt == NULL || out == NULL) {
        if (errbuf != NULL && errbuf_size > 0)
            snprintf(errbuf, errbuf_size, "invalid arguments");
        return HSS_INVALID;
    }
    st = calloc(1, sizeof(*st));
    if (st == NULL) {
        if (errbuf != NULL && errbuf_size > 0)
            snprintf(errbuf, errbuf_size, "out of memory");
        return HSS_NOMEM;
    }
    rc = store_open(st, opt);
    if (rc != HSS_OK) {
        if (errbuf != NULL && errbuf_size > 0)
            snprintf(errbuf, errbuf_size, "%s", st->err);
        hss_store_close(st);
        return rc;
    }
    st->err[0] = '\0';
    *out = st;
    return HSS_OK;
}

void hss_store_close(struct hss_store *st)
{
    if (st == NULL)
        return;
    if (st->db != NULL) {
        hss_store_batch_rollback(st);
        hss_store_rollback(st);
        stmt_cache_clear(st);
        sqlite3_close(st->db);
    }
    hss_store_seal_reset(st);
    OPENSSL_cleanse(st->key, sizeof(st->key));
    free(st);
}

/* ---- bulk provisioning mode ---- */

static const char SQL_PRAGMA_SYNC_OFF[] = "PRAGMA synchronous = OFF";
static const char SQL_PRAGMA_CACHE_BIG[] = "PRAGMA cache_size = -262144";
static const char SQL_PRAGMA_CACHE_DEFAULT[] = "PRAGMA cache_size = -2000";
static const char SQL_CHECKPOINT[] = "PRAGMA wal_checkpoint(TRUNCATE)";

enum hss_rc hss_store_bulk_mode(struct hss_store *st, bool on)
{
    enum hss_rc rc;
    sqlite3_stmt *s;

    if (st == NULL)
        return HSS_INVALID;
    if (hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT,
                              "bulk mode cannot change inside a transaction");
    if (on) {
        rc = run_const(st, SQL_PRAGMA_SYNC_OFF);
        if (rc == HSS_OK)
            rc = run_const(st, SQL_PRAGMA_CACHE_BIG);
        return rc;
    }
    rc = run_const(st, st->synchronous == 2 ? SQL_PRAGMA_SYNC_FULL
                                            : SQL_PRAGMA_SYNC_NORMAL);
    if (rc == HSS_OK && st->cache_mb > 0)
        rc = run_pragma(st, "cache_size", -((long long)st->cache_mb << 10));
    else if (rc == HSS_OK)
        rc = run_const(st, SQL_PRAGMA_CACHE_DEFAULT);
    if (rc != HSS_OK)
        return rc;
    /* Fold the large WAL back into the database; returns one row. */
    rc = hss_store_stmt(st, SQL_CHECKPOINT, &s);
    if (rc == HSS_OK)
        rc = hss_store_step_done(st, s);
    return rc;
}

/* ---- checkpoints ---- */

static enum hss_rc checkpoint(struct hss_store *st, int mode, int *log,
                              int *left)
{
    int rc, n_log = -1, n_done = -1;

    if (st == NULL || st->db == NULL)
        return HSS_INVALID;
    if (st->read_only)
        return hss_store_fail(st, HSS_INVALID, "store opened read-only");
    if (hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT,
                              "checkpoint inside a transaction");
    stmt_cache_reset(st);
    rc = sqlite3_wal_checkpoint_v2(st->db, "main", mode, &n_log, &n_done);
    if (rc == SQLITE_OK && n_log >= 0 && n_done >= n_log)
        st->wal_frames = 0; /* the next write starts the WAL over */
    if (log != NULL)
        *log = n_log;
    if (left != NULL)
        *left = n_log >= 0 && n_done >= 0 ? n_log - n_done : -1;
    return rc == SQLITE_OK ? HSS_OK : hss_store_dberr(st, rc);
}

enum hss_rc hss_store_sync_db(struct hss_store *st)
{
    sqlite3_file *f = NULL;
    int rc;

    if (st == NULL || st->db == NULL)
        return HSS_INVALID;
    rc = sqlite3_file_control(st->db, "main", SQLITE_FCNTL_FILE_POINTER, &f);
    if (rc != SQLITE_OK || f == NULL || f->pMethods == NULL)
        return hss_store_fail(st, HSS_DB, "no database file handle");
    /* this handle's own descriptor: flushes the file's dirty pages without
     * opening (and later closing, which would drop SQLite's POSIX locks)
     * another descriptor of the file */
    rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
    return rc == SQLITE_OK ? HSS_OK : hss_store_dberr(st, rc);
}

enum hss_rc hss_store_checkpoint(struct hss_store *st, bool passive)
{
    return checkpoint(
        st, passive ? SQLITE_CHECKPOINT_PASSIVE : SQLITE_CHECKPOINT_TRUNCATE,
        NULL, NULL);
}

enum hss_rc hss_store_checkpoint_passive(struct hss_store *st, int *log,
                                         int *left)
{
    return checkpoint(st, SQLITE_CHECKPOINT_PASSIVE, log, left);
}
