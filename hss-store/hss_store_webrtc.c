/* hss_store_webrtc.c - WebRTC authorisation data (TS 33.203 Annex X):
 * allowed WAF/WWSF identities per subscription, WWSF identity pools, pool
 * members and leases (X.4).
 *
 * DESIGN. A pool is owned by one WWSF (and optionally its WAF). A member is
 * a subscription with exactly one IMPI (kind POOL) and one IMPU, in at most
 * one pool. A lease is active while released = 0; the schema allows one
 * active lease per member (partial unique index). A member is free when it
 * has no active lease and its quarantine is over. Acquisition is one
 * BEGIN IMMEDIATE transaction that first ends the pool's expired leases and
 * then takes the free member that has rested longest, so concurrent callers
 * never share a member. Ending a lease (release or expiry) quarantines the
 * member and de-registers it in the same transaction: association flags and
 * IMPU states cleared, S-CSCF cleared and, when an S-CSCF host was known and
 * an IMPU was registered, an RTR (PERMANENT_TERMINATION) queued in the
 * outbox.
 *
 * Minted credentials: for S-CSCFs without TNA a lease may carry a one-time
 * SIP Digest credential (hss_store_lease_digest_mint): H(A1) rows of the
 * member's IMPI marked with the lease id (digest.minted_lease_id, schema
 * v3) and the digest scheme allowed. Ending the lease deletes exactly the
 * rows marked with it, in the same transaction, and takes the digest scheme
 * away when no credential is left; rows the operator provisioned (NULL
 * mark) are never touched nor overwritten by a mint.
 *
 * Allowed identities: hss_store_waf_each / hss_store_wwsf_each yield the
 * subscription's own list plus, for every pool member (leased or not), the
 * pool's WAF / WWSF: REQ 3.2 ties pool identities to their WWSF for good.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include "hss_store_int.h"

/* ---- allowed WAF / WWSF ---- */

static enum hss_rc sub_str_run(struct hss_store *st, const char *sql,
                               int64_t sub_id, const char *what, const char *v,
                               bool remove)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_check_name(st, what, v, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, sql, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK ||
        hss_bind_text(s, ":v", v) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return remove ? hss_store_step_change(st, s, what)
                  : hss_store_step_done(st, s);
}

static const char SQL_WAF_ADD[] =
    "INSERT INTO allowed_waf (subscription_id, waf) VALUES (:id, :v)";

enum hss_rc hss_store_waf_add(struct hss_store *st, int64_t sub_id,
                              const char *waf)
{
    return sub_str_run(st, SQL_WAF_ADD, sub_id, "WAF identity", waf, false);
}

static const char SQL_WAF_REMOVE[] =
    "DELETE FROM allowed_waf WHERE subscription_id = :id AND waf = :v";

enum hss_rc hss_store_waf_remove(struct hss_store *st, int64_t sub_id,
                                 const char *waf)
{
    return sub_str_run(st, SQL_WAF_REMOVE, sub_id, "WAF identity", waf, true);
}

static const char SQL_WWSF_ADD[] =
    "INSERT INTO allowed_wwsf (subscription_id, wwsf) VALUES (:id, :v)";

enum hss_rc hss_store_wwsf_add(struct hss_store *st, int64_t sub_id,
                               const char *wwsf)
{
    return sub_str_run(st, SQL_WWSF_ADD, sub_id, "WWSF identity", wwsf, false);
}

static const char SQL_WWSF_REMOVE[] =
    "DELETE FROM allowed_wwsf WHERE subscription_id = :id AND wwsf = :v";

enum hss_rc hss_store_wwsf_remove(struct hss_store *st, int64_t sub_id,
                                  const char *wwsf)
{
    return sub_str_run(st, SQL_WWSF_REMOVE, sub_id, "WWSF identity", wwsf,
                       true);
}

static enum hss_rc str_each(struct hss_store *st, const char *sql,
                            int64_t sub_id, hss_str_cb cb, void *ctx)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt(st, sql, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_str_walk(st, s, cb, ctx);
}

static const char SQL_WAF_EACH[] =
    "SELECT waf FROM allowed_waf WHERE subscription_id = :id"
    " UNION SELECT p.waf FROM pool p JOIN pool_member m ON m.pool_id = p.id"
    " WHERE m.subscription_id = :id AND p.waf <> '' ORDER BY 1";

enum hss_rc hss_store_waf_each(struct hss_store *st, int64_t sub_id,
                               hss_str_cb cb, void *ctx)
{
    return str_each(st, SQL_WAF_EACH, sub_id, cb, ctx);
}

static const char SQL_WWSF_EACH[] =
    "SELECT wwsf FROM allowed_wwsf WHERE subscription_id = :id"
    " UNION SELECT p.wwsf FROM pool p JOIN pool_member m ON m.pool_id = p.id"
    " WHERE m.subscription_id = :id ORDER BY 1";

enum hss_rc hss_store_wwsf_each(struct hss_store *st, int64_t sub_id,
                                hss_str_cb cb, void *ctx)
{
    return str_each(st, SQL_WWSF_EACH, sub_id, cb, ctx);
}

/* ---- pools ---- */

static const char SQL_POOL_ADD[] =
    "INSERT INTO pool (name, wwsf, waf, lease_ttl_s, quarantine_s,"
    " release_on_dereg) VALUES (:name, :wwsf, :waf, :ttl, :q, :rod)";

enum hss_rc hss_store_pool_add(struct hss_store *st, const struct hss_pool *p,
                               int64_t *id_out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || p == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_check_name(st, "pool name", p->name, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_name(st, "WWSF", p->wwsf, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "WAF", p->waf, HSS_NAME_MAX);
    if (rc == HSS_OK && (p->lease_ttl_s <= 0 || p->quarantine_s < 0))
        rc = hss_store_fail(st, HSS_INVALID, "bad lease TTL or quarantine");
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_POOL_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":name", p->name) != SQLITE_OK ||
        hss_bind_text(s, ":wwsf", p->wwsf) != SQLITE_OK ||
        hss_bind_text(s, ":waf", p->waf) != SQLITE_OK ||
        hss_bind_i64(s, ":ttl", p->lease_ttl_s) != SQLITE_OK ||
        hss_bind_i64(s, ":q", p->quarantine_s) != SQLITE_OK ||
        hss_bind_i64(s, ":rod", p->release_on_dereg) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_done(st, s);
    if (rc == HSS_OK && id_out != NULL)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

#define POOL_COLS                                                              \
    "p.id, p.name, p.wwsf, p.waf, p.lease_ttl_s, p.quarantine_s, "             \
    "p.release_on_dereg"

static bool read_pool(sqlite3_stmt *s, void *row)
{
    struct hss_pool *out = row;

    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(s, 0);
    hss_col_text(s, 1, out->name, sizeof(out->name));
    hss_col_text(s, 2, out->wwsf, sizeof(out->wwsf));
    hss_col_text(s, 3, out->waf, sizeof(out->waf));
    out->lease_ttl_s = sqlite3_column_int(s, 4);
    out->quarantine_s = sqlite3_column_int(s, 5);
    out->release_on_dereg = sqlite3_column_int(s, 6) != 0;
    return true;
}

static const char SQL_POOL_GET[] =
    "SELECT " POOL_COLS " FROM pool p WHERE p.name = :name";

enum hss_rc hss_store_pool_get(struct hss_store *st, const char *name,
                               struct hss_pool *out)
{
    return hss_store_get_by_name(st, SQL_POOL_GET, "pool name", name,
                                 HSS_NAME_MAX, "no such pool", read_pool, out);
}

static const char SQL_POOL_OF_SUB[] =
    "SELECT " POOL_COLS " FROM pool p JOIN pool_member m ON m.pool_id = p.id"
    " WHERE m.subscription_id = :id";

enum hss_rc hss_store_pool_of_subscription(struct hss_store *st, int64_t sub_id,
                                           struct hss_pool *out)
{
    return hss_store_get_by_id(st, SQL_POOL_OF_SUB, sub_id, "no such pool",
                               read_pool, out);
}

static const char SQL_MEMBER_SHAPE[] =
    "SELECT EXISTS (SELECT 1 FROM subscription WHERE id = :id),"
    " (SELECT count(*) FROM impi WHERE subscription_id = :id),"
    " (SELECT count(*) FROM impi WHERE subscription_id = :id AND kind = 2),"
    " (SELECT count(*) FROM impu WHERE subscription_id = :id)";
static const char SQL_MEMBER_ADD[] =
    "INSERT INTO pool_member (subscription_id, pool_id) VALUES (:id, :pool)";

enum hss_rc hss_store_pool_member_add(struct hss_store *st, int64_t pool_id,
                                      int64_t sub_id)
{
    sqlite3_stmt *s;
    bool exists, shape;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_stmt(st, SQL_MEMBER_SHAPE, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc != HSS_OK)
        return rc;
    exists = sqlite3_column_int(s, 0) != 0;
    shape = sqlite3_column_int(s, 1) == 1 && sqlite3_column_int(s, 2) == 1 &&
            sqlite3_column_int(s, 3) == 1;
    sqlite3_reset(s);
    if (!exists)
        return hss_store_fail(st, HSS_NOT_FOUND, "no such subscription");
    if (!shape)
        return hss_store_fail(st, HSS_INVALID,
                              "a pool member needs exactly one IMPI (kind "
                              "pool) and one IMPU");
    rc = hss_store_stmt(st, SQL_MEMBER_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK ||
        hss_bind_i64(s, ":pool", pool_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_done(st, s);
}

/* ---- member de-registration (lease end) ---- */

static const char SQL_MEMBER_REG[] =
    "SELECT s.scscf_host, s.scscf_realm, i.name, u.name FROM subscription s"
    " JOIN impi i ON i.subscription_id = s.id"
    " JOIN impu u ON u.subscription_id = s.id"
    " WHERE s.id = :id AND u.reg_state <> 0 ORDER BY u.id LIMIT 8";
static const char SQL_MEMBER_CLEAR_ASSOC[] =
    "UPDATE impi_impu SET registered = 0, auth_pending = 0 WHERE impi_id IN"
    " (SELECT id FROM impi WHERE subscription_id = :id)";
static const char SQL_MEMBER_CLEAR_IMPU[] =
    "UPDATE impu SET reg_state = 0 WHERE subscription_id = :id";
static const char SQL_MEMBER_CLEAR_SCSCF[] =
    "UPDATE subscription SET scscf_name = '', scscf_host = '',"
    " scscf_realm = '' WHERE id = :id";

/* Collects the RTR for a member whose IMPUs are (un)registered at a known
 * S-CSCF host; item->n_impus stays 0 when there is nothing to send. */
static enum hss_rc member_rtr(struct hss_store *st, int64_t sub_id,
                              struct hss_outbox_item *item)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, SQL_MEMBER_REG, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    while ((rc = hss_store_step_row(st, s)) == HSS_OK) {
        hss_col_text(s, 0, item->dest_host, sizeof(item->dest_host));
        hss_col_text(s, 1, item->dest_realm, sizeof(item->dest_realm));
        hss_col_text(s, 2, item->user_name, sizeof(item->user_name));
        if (item->n_impus < 8) {
            hss_col_text(s, 3, item->impus[item->n_impus],
                         sizeof(item->impus[0]));
            item->n_impus++;
        }
    }
    if (rc != HSS_NOT_FOUND)
        return rc;
    if (item->dest_host[0] == '\0')
        item->n_impus = 0;
    return HSS_OK;
}

enum hss_rc hss_store_member_deregister(struct hss_store *st, int64_t sub_id,
                                        int64_t now)
{
    static const char *const clear[] = {
        SQL_MEMBER_CLEAR_ASSOC,
        SQL_MEMBER_CLEAR_IMPU,
        SQL_MEMBER_CLEAR_SCSCF,
    };
    struct hss_outbox_item item;
    enum hss_rc rc;
    size_t i;

    memset(&item, 0, sizeof(item));
    rc = member_rtr(st, sub_id, &item);
    for (i = 0; rc == HSS_OK && i < sizeof(clear) / sizeof(clear[0]); i++) {
        rc = hss_store_set_i64(st, clear[i], sub_id, 0, "subscription");
        if (rc == HSS_NOT_FOUND)
            rc = HSS_OK; /* nothing to clear */
    }
    if (rc != HSS_OK || item.n_impus == 0)
        return rc;
    item.kind = HSS_OUTBOX_RTR;
    item.subscription_id = sub_id;
    item.reason_code = 0; /* PERMANENT_TERMINATION */
    memcpy(item.reason_info, "identity returned to pool",
           sizeof("identity returned to pool"));
    return hss_store_outbox_add(st, &item, now);
}

/* ---- leases ---- */

#define LEASE_COLS                                                             \
    "l.id, l.pool_id, l.subscription_id,"                                      \
    " (SELECT name FROM impi WHERE subscription_id = l.subscription_id"        \
    "  ORDER BY id LIMIT 1),"                                                  \
    " (SELECT name FROM impu WHERE subscription_id = l.subscription_id"        \
    "  ORDER BY id LIMIT 1),"                                                  \
    " l.holder, l.created, l.expires, l.released"

static bool read_lease(sqlite3_stmt *s, void *row)
{
    struct hss_lease *out = row;

    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(s, 0);
    out->pool_id = sqlite3_column_int64(s, 1);
    out->subscription_id = sqlite3_column_int64(s, 2);
    hss_col_text(s, 3, out->impi, sizeof(out->impi));
    hss_col_text(s, 4, out->impu, sizeof(out->impu));
    hss_col_text(s, 5, out->holder, sizeof(out->holder));
    out->created = sqlite3_column_int64(s, 6);
    out->expires = sqlite3_column_int64(s, 7);
    out->released = sqlite3_column_int64(s, 8);
    return true;
}

static const char SQL_LEASE_BY_ID[] =
    "SELECT " LEASE_COLS " FROM lease l WHERE l.id = :id";

static enum hss_rc lease_by_id(struct hss_store *st, int64_t id,
                               struct hss_lease *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, SQL_LEASE_BY_ID, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "no such lease");
    if (rc != HSS_OK)
        return rc;
    read_lease(s, out);
    sqlite3_reset(s);
    return HSS_OK;
}

static const char SQL_LEASE_END[] =
    "UPDATE lease SET released = :now, quarantine_until = :now +"
    " (SELECT quarantine_s FROM pool WHERE id = lease.pool_id)"
    " WHERE id = :id AND released = 0";
static const char SQL_MEMBER_QUARANTINE[] =
    "UPDATE pool_member SET quarantine_until = :now +"
    " (SELECT quarantine_s FROM pool WHERE id = pool_member.pool_id)"
    " WHERE subscription_id = :id";

static const char SQL_MINTED_DELETE[] =
    "DELETE FROM digest WHERE minted_lease_id = :id";
/* Digest scheme off (and a digest default moved to AKA or none) for the
 * member's IMPIs that have no credential left. */
static const char SQL_MINTED_SCHEME_RESET[] =
    "UPDATE impi SET schemes = schemes & ~2, default_scheme = CASE WHEN"
    " default_scheme = 2 THEN (schemes & 1) ELSE default_scheme END"
    " WHERE subscription_id = :id AND (schemes & 2) <> 0 AND NOT EXISTS"
    " (SELECT 1 FROM digest d WHERE d.impi_id = impi.id)";

/* Deletes the credentials minted with the lease (inside the transaction
 * that ends it) and resets the scheme mask when none is left. */
static enum hss_rc minted_clear(struct hss_store *st, int64_t lease_id,
                                int64_t sub_id)
{
    enum hss_rc rc = hss_store_set_i64(st, SQL_MINTED_DELETE, lease_id, 0,
                                       "minted credential");

    if (rc == HSS_NOT_FOUND)
        return HSS_OK; /* nothing minted: the operator's schemes stay */
    if (rc == HSS_OK)
        rc = hss_store_set_i64(st, SQL_MINTED_SCHEME_RESET, sub_id, 0,
                               "pool IMPI");
    return rc == HSS_NOT_FOUND ? HSS_OK : rc;
}

/* Ends one active lease inside an open transaction. */
/* A pool identity starts every lease clean: the previous holder's MAR
 * counters and brute-force lock must not follow it to the next holder. */
static const char SQL_MEMBER_COUNTERS_RESET[] =
    "UPDATE impi SET locked_until = 0, mar_count = 0, mar_window_start = 0,"
    " auth_failures = 0 WHERE subscription_id = :id";

static enum hss_rc lease_end(struct hss_store *st, int64_t lease_id,
                             int64_t sub_id, int64_t now)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, SQL_LEASE_END, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_i64(s, ":id", lease_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_change(st, s, "active lease");
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_MEMBER_QUARANTINE, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_done(st, s);
    if (rc == HSS_OK)
        rc = minted_clear(st, lease_id, sub_id);
    if (rc == HSS_OK)
        rc = hss_store_run_i64(st, SQL_MEMBER_COUNTERS_RESET, ":id", sub_id,
                               NULL, 0, NULL);
    if (rc == HSS_OK)
        rc = hss_store_member_deregister(st, sub_id, now);
    return rc;
}

enum hss_rc hss_store_lease_release(struct hss_store *st, int64_t lease_id,
                                    int64_t now)
{
    struct hss_lease l;
    struct hss_op op;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_op_begin(st, &op);
    if (rc != HSS_OK)
        return rc;
    rc = lease_by_id(st, lease_id, &l);
    if (rc == HSS_OK && l.released != 0)
        rc = hss_store_fail(st, HSS_CONFLICT, "lease already released");
    if (rc == HSS_OK)
        rc = lease_end(st, lease_id, l.subscription_id, now);
    return hss_store_op_end(st, &op, rc);
}

static const char SQL_LEASE_EXPIRED[] =
    "SELECT id, subscription_id FROM lease WHERE released = 0"
    " AND expires <= :now AND (:pool = 0 OR pool_id = :pool)"
    " ORDER BY expires LIMIT 1";

/* Ends expired leases (of one pool, or all when pool_id is 0). */
static enum hss_rc expire_in_tx(struct hss_store *st, int64_t pool_id,
                                int64_t now, size_t *count)
{
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t n = 0;

    for (;;) {
        int64_t id, sub;

        rc = hss_store_stmt(st, SQL_LEASE_EXPIRED, &s);
        if (rc != HSS_OK)
            break;
        if (hss_bind_i64(s, ":now", now) != SQLITE_OK ||
            hss_bind_i64(s, ":pool", pool_id) != SQLITE_OK) {
            rc = hss_store_bind_fail(st, s);
            break;
        }
        rc = hss_store_step_row(st, s);
        if (rc == HSS_NOT_FOUND) {
            rc = HSS_OK;
            break;
        }
        if (rc != HSS_OK)
            break;
        id = sqlite3_column_int64(s, 0);
        sub = sqlite3_column_int64(s, 1);
        sqlite3_reset(s);
        rc = lease_end(st, id, sub, now);
        if (rc != HSS_OK)
            break;
        n++;
    }
    if (rc == HSS_OK && count != NULL)
        *count = n;
    return rc;
}

enum hss_rc hss_store_lease_expire(struct hss_store *st, int64_t now,
                                   size_t *count)
{
    struct hss_op op;
    size_t n = 0;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_op_begin(st, &op);
    if (rc == HSS_OK)
        rc = expire_in_tx(st, 0, now, &n);
    rc = hss_store_op_end(st, &op, rc);
    if (rc == HSS_OK && count != NULL)
        *count = n;
    return rc;
}

static const char SQL_POOL_TTL[] =
    "SELECT lease_ttl_s FROM pool WHERE id = :id";
static const char SQL_FREE_MEMBER[] =
    "SELECT m.subscription_id FROM pool_member m WHERE m.pool_id = :pool"
    " AND m.quarantine_until <= :now AND NOT EXISTS (SELECT 1 FROM lease l"
    " WHERE l.subscription_id = m.subscription_id AND l.released = 0)"
    " ORDER BY m.quarantine_until, m.subscription_id LIMIT 1";
static const char SQL_LEASE_ADD[] =
    "INSERT INTO lease (pool_id, subscription_id, holder, created, expires)"
    " VALUES (:pool, :sub, :holder, :now, :expires)";

/* Picks a free member and inserts its lease; *lease_id gets the new id. */
static enum hss_rc lease_take(struct hss_store *st, int64_t pool_id,
                              const char *holder, int64_t now, int ttl_s,
                              int64_t *lease_id)
{
    sqlite3_stmt *s;
    int64_t sub;
    enum hss_rc rc = hss_store_stmt(st, SQL_POOL_TTL, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", pool_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "no such pool");
    if (rc != HSS_OK)
        return rc;
    if (ttl_s <= 0)
        ttl_s = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    rc = hss_store_stmt(st, SQL_FREE_MEMBER, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":pool", pool_id) != SQLITE_OK ||
        hss_bind_i64(s, ":now", now) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, HSS_EXHAUSTED, "pool has no free member");
    if (rc != HSS_OK)
        return rc;
    sub = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    rc = hss_store_stmt(st, SQL_LEASE_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":pool", pool_id) != SQLITE_OK ||
        hss_bind_i64(s, ":sub", sub) != SQLITE_OK ||
        hss_bind_text(s, ":holder", holder) != SQLITE_OK ||
        hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_i64(s, ":expires", now + ttl_s) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_done(st, s);
    if (rc == HSS_OK)
        *lease_id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

enum hss_rc hss_store_lease_acquire(struct hss_store *st, int64_t pool_id,
                                    const char *holder, int64_t now, int ttl_s,
                                    struct hss_lease *out)
{
    struct hss_lease l;
    struct hss_op op;
    int64_t id = 0;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_check_name(st, "lease holder", holder, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_op_begin(st, &op);
    if (rc != HSS_OK)
        return rc;
    rc = expire_in_tx(st, pool_id, now, NULL);
    if (rc == HSS_OK)
        rc = lease_take(st, pool_id, holder, now, ttl_s, &id);
    if (rc == HSS_OK)
        rc = lease_by_id(st, id, &l);
    rc = hss_store_op_end(st, &op, rc);
    if (rc == HSS_OK)
        *out = l;
    return rc;
}

static const char SQL_LEASE_RENEW[] =
    "UPDATE lease SET expires = :now + (CASE WHEN :ttl > 0 THEN :ttl ELSE"
    " (SELECT lease_ttl_s FROM pool WHERE id = lease.pool_id) END)"
    " WHERE id = :id AND released = 0 AND expires > :now";

enum hss_rc hss_store_lease_renew(struct hss_store *st, int64_t lease_id,
                                  int64_t now, int ttl_s)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_stmt(st, SQL_LEASE_RENEW, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_i64(s, ":ttl", ttl_s) != SQLITE_OK ||
        hss_bind_i64(s, ":id", lease_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_change(st, s, "active lease");
    if (rc == HSS_NOT_FOUND)
        rc = hss_store_fail(st, HSS_CONFLICT,
                            "lease unknown, released or expired");
    return rc;
}

static const char SQL_LEASE_ACTIVE[] =
    "SELECT " LEASE_COLS " FROM lease l WHERE l.subscription_id = :id"
    " AND l.released = 0 AND l.expires > :now";

enum hss_rc hss_store_lease_active(struct hss_store *st, int64_t sub_id,
                                   int64_t now, struct hss_lease *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt(st, SQL_LEASE_ACTIVE, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK ||
        hss_bind_i64(s, ":now", now) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "no active lease");
    if (rc != HSS_OK)
        return rc;
    read_lease(s, out);
    sqlite3_reset(s);
    return HSS_OK;
}

static const char SQL_LEASE_EACH[] =
    "SELECT " LEASE_COLS " FROM lease l WHERE (:pool <= 0 OR l.pool_id = :pool)"
    " AND (:active = 0 OR (l.released = 0 AND l.expires > :now))"
    " ORDER BY l.id";

enum hss_rc hss_store_lease_each(struct hss_store *st, int64_t pool_id,
                                 bool active_only, int64_t now, hss_lease_cb cb,
                                 void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_lease)};
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t i;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt(st, SQL_LEASE_EACH, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":pool", pool_id) != SQLITE_OK ||
        hss_bind_i64(s, ":active", active_only) != SQLITE_OK ||
        hss_bind_i64(s, ":now", now) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_collect(st, s, read_lease, &rows);
    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, hss_vec_at(&rows, i)) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

/* ---- one-time digest credential of a lease ---- */

static const char SQL_MINT_TARGET[] =
    "SELECT i.id, EXISTS (SELECT 1 FROM digest d WHERE d.impi_id = i.id"
    " AND d.realm = :realm AND d.algo = :algo AND (d.minted_lease_id IS NULL"
    " OR d.minted_lease_id <> :lease))"
    " FROM lease l JOIN impi i ON i.subscription_id = l.subscription_id"
    " WHERE l.id = :lease AND l.released = 0 AND l.expires > :now"
    " ORDER BY i.id LIMIT 1";
static const char SQL_MINT_MARK[] =
    "UPDATE digest SET minted_lease_id = :lease WHERE impi_id = :impi"
    " AND realm = :realm AND algo = :algo";
static const char SQL_MINT_SCHEME[] =
    "UPDATE impi SET schemes = schemes | 2, default_scheme = CASE WHEN"
    " default_scheme = 0 THEN 2 ELSE default_scheme END WHERE id = :id";

/* The IMPI a mint for (realm, algo) may write; HSS_CONFLICT when the lease
 * is not active or the operator holds that credential. */
static enum hss_rc mint_target(struct hss_store *st, int64_t lease_id,
                               int64_t now, const char *realm,
                               enum hss_digest_algo_id algo, int64_t *impi_id)
{
    sqlite3_stmt *s;
    bool taken;
    enum hss_rc rc = hss_store_stmt(st, SQL_MINT_TARGET, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":lease", lease_id) != SQLITE_OK ||
        hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_text(s, ":realm", realm) != SQLITE_OK ||
        hss_bind_i64(s, ":algo", algo) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, HSS_CONFLICT,
                              "lease unknown, released or expired");
    if (rc != HSS_OK)
        return rc;
    *impi_id = sqlite3_column_int64(s, 0);
    taken = sqlite3_column_int(s, 1) != 0;
    sqlite3_reset(s);
    if (taken)
        return hss_store_fail(st, HSS_CONFLICT,
                              "the pool IMPI has a digest credential the "
                              "operator provisioned for this realm");
    return HSS_OK;
}

static enum hss_rc mint_mark(struct hss_store *st, int64_t lease_id,
                             int64_t impi_id, const char *realm,
                             enum hss_digest_algo_id algo)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, SQL_MINT_MARK, &s);

    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":lease", lease_id) != SQLITE_OK ||
        hss_bind_i64(s, ":impi", impi_id) != SQLITE_OK ||
        hss_bind_text(s, ":realm", realm) != SQLITE_OK ||
        hss_bind_i64(s, ":algo", algo) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_change(st, s, "minted credential");
}

enum hss_rc hss_store_lease_digest_mint(struct hss_store *st, int64_t lease_id,
                                        int64_t now, const char *realm,
                                        enum hss_digest_algo_id algo,
                                        const char *ha1_hex)
{
    struct hss_op op;
    int64_t impi_id = 0;
    enum hss_rc rc;

    if (st == NULL || ha1_hex == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_check_name(st, "realm", realm, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_op_begin(st, &op);
    if (rc != HSS_OK)
        return rc;
    rc = mint_target(st, lease_id, now, realm, algo, &impi_id);
    if (rc == HSS_OK)
        rc = hss_store_digest_set(st, impi_id, realm, algo, ha1_hex, false);
    if (rc == HSS_OK)
        rc = mint_mark(st, lease_id, impi_id, realm, algo);
    if (rc == HSS_OK)
        rc = hss_store_set_i64(st, SQL_MINT_SCHEME, impi_id, 0, "pool IMPI");
    return hss_store_op_end(st, &op, rc);
}
