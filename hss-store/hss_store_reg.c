/* hss_store_reg.c - registration state written by MAR/SAR and the brute-force
 * counters of an IMPI (TS 29.228 §6.1.2, §6.3.1).
 *
 * Owns: the per-pair auth_pending/registered flags, the IMPU registration
 * state, the assigned S-CSCF of a subscription (name, Diameter host and
 * realm), the consecutive authentication failure count and the lock (the
 * MAR windows that may set it are the extension's, cx_marwin.h; the
 * columns mar_count/mar_window_start are only ever reset here). Every
 * counter update is one UPDATE ... RETURNING statement, atomic without an
 * explicit transaction.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_store_int.h"

static enum hss_rc assoc_set(struct hss_store *st, const char *sql,
                             int64_t impi_id, int64_t impu_id, bool v)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    rc = hss_store_stmt_i64(st, sql, ":impi", impi_id, ":impu", impu_id, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":v", v) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_change(st, s, "IMPI/IMPU association");
}

static const char SQL_ASSOC_AUTH_PENDING[] =
    "UPDATE impi_impu SET auth_pending = :v"
    " WHERE impi_id = :impi AND impu_id = :impu";

enum hss_rc hss_store_assoc_set_auth_pending(struct hss_store *st,
                                             int64_t impi_id, int64_t impu_id,
                                             bool pending)
{
    return assoc_set(st, SQL_ASSOC_AUTH_PENDING, impi_id, impu_id, pending);
}

static const char SQL_ASSOC_REGISTERED[] =
    "UPDATE impi_impu SET registered = :v"
    " WHERE impi_id = :impi AND impu_id = :impu";

enum hss_rc hss_store_assoc_set_registered(struct hss_store *st,
                                           int64_t impi_id, int64_t impu_id,
                                           bool registered)
{
    return assoc_set(st, SQL_ASSOC_REGISTERED, impi_id, impu_id, registered);
}

static const char SQL_IMPU_REG_STATE[] =
    "UPDATE impu SET reg_state = :v WHERE id = :id";

enum hss_rc hss_store_impu_set_reg_state(struct hss_store *st, int64_t impu_id,
                                         enum hss_reg_state state)
{
    if (state < HSS_REG_NOT_REGISTERED || state > HSS_REG_UNREGISTERED)
        return hss_store_fail(st, HSS_INVALID, "bad registration state");
    return hss_store_set_i64(st, SQL_IMPU_REG_STATE, impu_id, state, "IMPU");
}

static const char SQL_SUBSCRIPTION_SCSCF[] =
    "UPDATE subscription SET scscf_name = :name, scscf_host = :host,"
    " scscf_realm = :realm WHERE id = :id";
/* An UPDATE whose WHERE matches no row dirties no page. */
static const char SQL_SUBSCRIPTION_SCSCF_IF_CHANGED[] =
    "UPDATE subscription SET scscf_name = :name, scscf_host = :host,"
    " scscf_realm = :realm WHERE id = :id AND (scscf_name <> :name"
    " OR scscf_host <> :host OR scscf_realm <> :realm)";
static const char SQL_SUBSCRIPTION_SCSCF_REPLACE[] =
    "UPDATE subscription SET scscf_name = :name, scscf_host = :host,"
    " scscf_realm = :realm WHERE id = :id AND scscf_name <> '' AND"
    " (scscf_name <> :name OR scscf_host <> :host OR scscf_realm <> :realm)";
static const char SQL_SUBSCRIPTION_EXISTS[] =
    "SELECT 1 FROM subscription WHERE id = :id";

/* Runs one of the UPDATEs above, bound; 0 rows changed is HSS_OK. */
static enum hss_rc scscf_run(struct hss_store *st, const char *sql,
                             int64_t sub_id, const char *name, const char *host,
                             const char *realm)
{
    sqlite3_stmt *s;
    bool clear = name == NULL || name[0] == '\0';
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "S-CSCF name", name, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "S-CSCF host", host, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "S-CSCF realm", realm, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, sql, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":name", clear ? "" : name) != SQLITE_OK ||
        hss_bind_text(s, ":host", clear ? "" : host) != SQLITE_OK ||
        hss_bind_text(s, ":realm", clear ? "" : realm) != SQLITE_OK ||
        hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_done(st, s);
}

enum hss_rc hss_store_subscription_set_scscf(struct hss_store *st,
                                             int64_t sub_id, const char *name,
                                             const char *host,
                                             const char *realm)
{
    enum hss_rc rc =
        scscf_run(st, SQL_SUBSCRIPTION_SCSCF, sub_id, name, host, realm);

    if (rc == HSS_OK && sqlite3_changes(st->db) == 0)
        rc = hss_store_fail(st, HSS_NOT_FOUND, "no such subscription");
    return rc;
}

enum hss_rc hss_store_subscription_set_scscf_if_changed(
    struct hss_store *st, int64_t sub_id, const char *name, const char *host,
    const char *realm, bool *changed)
{
    sqlite3_stmt *s;
    enum hss_rc rc = scscf_run(st, SQL_SUBSCRIPTION_SCSCF_IF_CHANGED, sub_id,
                               name, host, realm);

    if (changed != NULL)
        *changed = rc == HSS_OK && sqlite3_changes(st->db) > 0;
    if (rc != HSS_OK || sqlite3_changes(st->db) > 0)
        return rc;
    rc = hss_store_stmt_i64(st, SQL_SUBSCRIPTION_EXISTS, ":id", sub_id, NULL, 0,
                            &s);
    if (rc != HSS_OK)
        return rc;
    return hss_store_fetch_one(st, s, "no such subscription", NULL, NULL);
}

enum hss_rc hss_store_subscription_replace_scscf(struct hss_store *st,
                                                 int64_t sub_id,
                                                 const char *name,
                                                 const char *host,
                                                 const char *realm)
{
    if (name == NULL || name[0] == '\0')
        return hss_store_fail(st, HSS_INVALID, "empty S-CSCF name");
    return scscf_run(st, SQL_SUBSCRIPTION_SCSCF_REPLACE, sub_id, name, host,
                     realm);
}

/* The MAR windows live in the extension's memory (cx_marwin.h); only the
 * lock they decide is stored. */
static const char SQL_IMPI_LOCK[] =
    "UPDATE impi SET locked_until = :v WHERE id = :id";

enum hss_rc hss_store_impi_lock(struct hss_store *st, int64_t impi_id,
                                int64_t until)
{
    return hss_store_set_i64(st, SQL_IMPI_LOCK, impi_id, until, "IMPI");
}

/* Steps an UPDATE ... RETURNING <locked> to completion. */
static enum hss_rc counter_run(struct hss_store *st, sqlite3_stmt *s,
                               bool *locked)
{
    enum hss_rc rc = hss_store_step_row(st, s);
    bool l;

    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "no such IMPI");
    if (rc != HSS_OK)
        return rc;
    l = sqlite3_column_int(s, 0) != 0;
    /* Run to completion so the UPDATE is done before the reset. */
    rc = hss_store_step_done(st, s);
    if (rc == HSS_OK && locked != NULL)
        *locked = l;
    return rc;
}

/* Consecutive failures: the IMPI is locked when the count reaches
 * max_failures (and stays locked while a lock runs). */
static const char SQL_IMPI_NOTE_FAILURE[] =
    "UPDATE impi SET auth_failures = auth_failures + 1,"
    " locked_until = CASE"
    "  WHEN locked_until > :now THEN locked_until"
    "  WHEN auth_failures + 1 >= :max THEN :now + :lock"
    "  ELSE locked_until END"
    " WHERE id = :id RETURNING locked_until > :now";

enum hss_rc hss_store_impi_note_auth_failure(struct hss_store *st,
                                             int64_t impi_id, int64_t now,
                                             int max_failures, int lock_s,
                                             bool *locked)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL)
        return HSS_INVALID;
    if (max_failures <= 0 || lock_s < 0)
        return hss_store_fail(st, HSS_INVALID, "bad failure parameters");
    rc = hss_store_stmt(st, SQL_IMPI_NOTE_FAILURE, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":now", now) != SQLITE_OK ||
        hss_bind_i64(s, ":max", max_failures) != SQLITE_OK ||
        hss_bind_i64(s, ":lock", lock_s) != SQLITE_OK ||
        hss_bind_i64(s, ":id", impi_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return counter_run(st, s, locked);
}

static const char SQL_IMPI_RESET_COUNTERS[] =
    "UPDATE impi SET mar_count = 0, mar_window_start = 0, auth_failures = 0"
    " WHERE id = :id";

enum hss_rc hss_store_impi_reset_counters(struct hss_store *st, int64_t impi_id)
{
    return hss_store_set_i64(st, SQL_IMPI_RESET_COUNTERS, impi_id, 0, "IMPI");
}

static const char SQL_IMPI_UNLOCK[] =
    "UPDATE impi SET locked_until = 0, mar_count = 0, mar_window_start = 0,"
    " auth_failures = 0 WHERE id = :id";

enum hss_rc hss_store_impi_unlock(struct hss_store *st, int64_t impi_id)
{
    return hss_store_set_i64(st, SQL_IMPI_UNLOCK, impi_id, 0, "IMPI");
}
