/* hss_store_outbox.c - the transactional outbox of HSS-initiated Cx requests
 * (RTR, PPR), the append-only audit log and the counts for `hssctl status`.
 *
 * Outbox rows are written in the same transaction as the change that needs
 * them; the Cx extension claims due rows (PENDING -> SENT, attempts + 1),
 * sends them and records the outcome with hss_store_outbox_finish(). The
 * Public-Identity list is stored newline-joined (identities never contain
 * control characters). Audit rows cannot be updated or deleted (schema
 * triggers); callers never pass secret values.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include "hss_store_int.h"

#define IMPUS_TEXT_MAX (8 * (HSS_IDENTITY_MAX + 1))

/* ---- outbox ---- */

static enum hss_rc item_check(struct hss_store *st,
                              const struct hss_outbox_item *it)
{
    enum hss_rc rc = HSS_OK;
    size_t i;

    if (it->kind != HSS_OUTBOX_RTR && it->kind != HSS_OUTBOX_PPR)
        return hss_store_fail(st, HSS_INVALID, "bad outbox kind");
    if (it->n_impus > 8)
        return hss_store_fail(st, HSS_INVALID, "more than 8 IMPUs");
    rc = hss_store_check_opt(st, "destination host", it->dest_host,
                             HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "destination realm", it->dest_realm,
                                 HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "user name", it->user_name,
                                 HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "reason info", it->reason_info,
                                 HSS_NAME_MAX);
    for (i = 0; rc == HSS_OK && i < it->n_impus; i++)
        rc = hss_store_check_name(st, "IMPU", it->impus[i], HSS_IDENTITY_MAX);
    return rc;
}

static void impus_join(const struct hss_outbox_item *it, char *buf)
{
    size_t off = 0;
    size_t i;

    for (i = 0; i < it->n_impus; i++) {
        size_t n = strlen(it->impus[i]);

        if (i > 0)
            buf[off++] = '\n';
        memcpy(buf + off, it->impus[i], n);
        off += n;
    }
    buf[off] = '\0';
}

static void impus_split(const char *text, struct hss_outbox_item *it)
{
    const char *p = text;

    it->n_impus = 0;
    while (*p != '\0' && it->n_impus < 8) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

        if (n > HSS_IDENTITY_MAX)
            n = HSS_IDENTITY_MAX;
        memcpy(it->impus[it->n_impus], p, n);
        it->impus[it->n_impus][n] = '\0';
        it->n_impus++;
        if (nl == NULL)
            break;
        p = nl + 1;
    }
}

static const char SQL_OUTBOX_ADD[] =
    "INSERT INTO outbox (kind, state, subscription_id, dest_host, dest_realm,"
    " user_name, impus, reason_code, reason_info, ppr_what, attempts,"
    " next_attempt, created) VALUES (:kind, 0, :sub, :host, :realm, :user,"
    " :impus, :reason, :info, :what, 0, :now, :now)";

enum hss_rc hss_store_outbox_add(struct hss_store *st,
                                 struct hss_outbox_item *item, int64_t now)
{
    char impus[IMPUS_TEXT_MAX];
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || item == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = item_check(st, item);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_OUTBOX_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    impus_join(item, impus);
    if (hss_bind_i64(s, ":kind", item->kind) != SQLITE_OK ||
        hss_bind_i64(s, ":sub", item->subscription_id) != SQLITE_OK ||
        hss_bind_text(s, ":host", item->dest_host) != SQLITE_OK ||
        hss_bind_text(s, ":realm", item->dest_realm) != SQLITE_OK ||
        hss_bind_text(s, ":user", item->user_name) != SQLITE_OK ||
        hss_bind_text(s, ":impus", impus) != SQLITE_OK ||
        hss_bind_i64(s, ":reason", item->reason_code) != SQLITE_OK ||
        hss_bind_text(s, ":info", item->reason_info) != SQLITE_OK ||
        hss_bind_i64(s, ":what", item->ppr_what) != SQLITE_OK ||
        hss_bind_i64(s, ":now", now) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_done(st, s);
    if (rc == HSS_OK) {
        item->id = sqlite3_last_insert_rowid(st->db);
        item->state = HSS_OUTBOX_PENDING;
        item->attempts = 0;
        item->next_attempt = now;
        item->created = now;
        item->last_result = 0;
    }
    return rc;
}

#define OUTBOX_COLS                                                            \
    "id, kind, state, subscription_id, dest_host, dest_realm, user_name, "     \
    "impus, reason_code, reason_info, ppr_what, attempts, next_attempt, "      \
    "created, last_result"

static bool read_item(sqlite3_stmt *s, void *row)
{
    struct hss_outbox_item *it = row;
    char impus[IMPUS_TEXT_MAX];

    memset(it, 0, sizeof(*it));
    it->id = sqlite3_column_int64(s, 0);
    it->kind = (enum hss_outbox_kind)sqlite3_column_int(s, 1);
    it->state = (enum hss_outbox_state)sqlite3_column_int(s, 2);
    it->subscription_id = sqlite3_column_int64(s, 3);
    hss_col_text(s, 4, it->dest_host, sizeof(it->dest_host));
    hss_col_text(s, 5, it->dest_realm, sizeof(it->dest_realm));
    hss_col_text(s, 6, it->user_name, sizeof(it->user_name));
    hss_col_text(s, 7, impus, sizeof(impus));
    impus_split(impus, it);
    it->reason_code = sqlite3_column_int(s, 8);
    hss_col_text(s, 9, it->reason_info, sizeof(it->reason_info));
    it->ppr_what = (unsigned)sqlite3_column_int(s, 10);
    it->attempts = sqlite3_column_int(s, 11);
    it->next_attempt = sqlite3_column_int64(s, 12);
    it->created = sqlite3_column_int64(s, 13);
    it->last_result = (uint32_t)sqlite3_column_int64(s, 14);
    return true;
}

static const char SQL_OUTBOX_DUE[] =
    "SELECT " OUTBOX_COLS " FROM outbox WHERE state = 0"
    " AND next_attempt <= :now ORDER BY next_attempt, id LIMIT :max";
static const char SQL_OUTBOX_MARK_SENT[] =
    "UPDATE outbox SET state = 1, attempts = attempts + 1 WHERE id = :id";

enum hss_rc hss_store_outbox_claim(struct hss_store *st, int64_t now,
                                   size_t max, hss_outbox_cb cb, void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_outbox_item)};
    struct hss_outbox_item *items;
    struct hss_op op;
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t i;

    if (st == NULL || cb == NULL || max == 0 || max > 100000)
        return hss_store_fail(st, HSS_INVALID, "bad claim arguments");
    rc = hss_store_op_begin(st, &op);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_stmt(st, SQL_OUTBOX_DUE, &s);
    if (rc != HSS_OK)
        goto out;
    if (hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_i64(s, ":max", (int64_t)max) != SQLITE_OK) {
        rc = hss_store_bind_fail(st, s);
        goto out;
    }
    rc = hss_store_collect(st, s, read_item, &rows);
    items = (struct hss_outbox_item *)rows.items;
    for (i = 0; rc == HSS_OK && i < rows.n; i++) {
        rc = hss_store_set_i64(st, SQL_OUTBOX_MARK_SENT, items[i].id, 0,
                               "outbox item");
        items[i].state = HSS_OUTBOX_SENT;
        items[i].attempts++;
    }
out:
    rc = hss_store_op_end(st, &op, rc);
    /* Callbacks run after the commit: the claim is durable first. */
    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, hss_vec_at(&rows, i)) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

static const char SQL_OUTBOX_FINISH[] =
    "UPDATE outbox SET state = :state, last_result = :result,"
    " next_attempt = :next WHERE id = :id";

enum hss_rc hss_store_outbox_finish(struct hss_store *st, int64_t id,
                                    enum hss_outbox_state state,
                                    uint32_t result, int64_t next_attempt)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    if (state < HSS_OUTBOX_PENDING || state > HSS_OUTBOX_FAILED)
        return hss_store_fail(st, HSS_INVALID, "bad outbox state");
    rc = hss_store_stmt(st, SQL_OUTBOX_FINISH, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":state", state) != SQLITE_OK ||
        hss_bind_i64(s, ":result", result) != SQLITE_OK ||
        hss_bind_i64(s, ":next", next_attempt) != SQLITE_OK ||
        hss_bind_i64(s, ":id", id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_change(st, s, "outbox item");
}

static const char SQL_OUTBOX_EACH[] =
    "SELECT " OUTBOX_COLS " FROM outbox WHERE (:state < 0 OR state = :state)"
    " ORDER BY id DESC LIMIT :limit";

/* limit 0 means no limit. */
enum hss_rc hss_store_outbox_each(struct hss_store *st, int state, size_t limit,
                                  hss_outbox_cb cb, void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_outbox_item)};
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t i;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt(st, SQL_OUTBOX_EACH, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":state", state) != SQLITE_OK ||
        hss_bind_i64(s, ":limit", limit != 0 ? (int64_t)limit : -1) !=
            SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_collect(st, s, read_item, &rows);
    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, hss_vec_at(&rows, i)) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

/* ---- audit ---- */

static const char SQL_AUDIT_ADD[] =
    "INSERT INTO audit (ts, actor, action, object, detail)"
    " VALUES (:ts, :actor, :action, :object, :detail)";

enum hss_rc hss_store_audit(struct hss_store *st, int64_t now,
                            const char *actor, const char *action,
                            const char *object, const char *detail)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_check_name(st, "actor", actor, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_name(st, "action", action, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "object", object, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "detail", detail, 511);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_AUDIT_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":ts", now) != SQLITE_OK ||
        hss_bind_text(s, ":actor", actor) != SQLITE_OK ||
        hss_bind_text(s, ":action", action) != SQLITE_OK ||
        hss_bind_text(s, ":object", object) != SQLITE_OK ||
        hss_bind_text(s, ":detail", detail) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_done(st, s);
}

static bool read_audit(sqlite3_stmt *s, void *row)
{
    struct hss_audit_entry *e = row;

    e->id = sqlite3_column_int64(s, 0);
    e->ts = sqlite3_column_int64(s, 1);
    hss_col_text(s, 2, e->actor, sizeof(e->actor));
    hss_col_text(s, 3, e->action, sizeof(e->action));
    hss_col_text(s, 4, e->object, sizeof(e->object));
    hss_col_text(s, 5, e->detail, sizeof(e->detail));
    return true;
}

static const char SQL_AUDIT_EACH[] =
    "SELECT id, ts, actor, action, object, detail FROM audit"
    " WHERE id > :since ORDER BY id LIMIT :limit";

/* Entries with id > since_id, oldest first; limit 0 means no limit. */
enum hss_rc hss_store_audit_each(struct hss_store *st, int64_t since_id,
                                 size_t limit, hss_audit_cb cb, void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_audit_entry)};
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t i;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt(st, SQL_AUDIT_EACH, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":since", since_id) != SQLITE_OK ||
        hss_bind_i64(s, ":limit", limit != 0 ? (int64_t)limit : -1) !=
            SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_collect(st, s, read_audit, &rows);
    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, hss_vec_at(&rows, i)) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

/* ---- counts ---- */

static const char SQL_COUNTS[] =
    "SELECT (SELECT count(*) FROM subscription), (SELECT count(*) FROM impi),"
    " (SELECT count(*) FROM impu),"
    " (SELECT count(*) FROM impu WHERE reg_state = 1),"
    " (SELECT count(*) FROM pool),"
    " (SELECT count(*) FROM lease WHERE released = 0 AND expires > :now),"
    " (SELECT count(*) FROM outbox WHERE state = 0)";

static bool read_counts(sqlite3_stmt *s, void *row)
{
    struct hss_store_counts *out = row;

    out->subscriptions = sqlite3_column_int64(s, 0);
    out->impis = sqlite3_column_int64(s, 1);
    out->impus = sqlite3_column_int64(s, 2);
    out->registered_impus = sqlite3_column_int64(s, 3);
    out->pools = sqlite3_column_int64(s, 4);
    out->active_leases = sqlite3_column_int64(s, 5);
    out->outbox_pending = sqlite3_column_int64(s, 6);
    return true;
}

enum hss_rc hss_store_counts_get(struct hss_store *st, int64_t now,
                                 struct hss_store_counts *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt_i64(st, SQL_COUNTS, ":now", now, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    return hss_store_fetch_one(st, s, NULL, read_counts, out);
}
