/* hss_store_identity.c - read side of the identity model: subscriptions,
 * IMPI, IMPU, the IMPI<->IMPU association, implicit registration sets,
 * service profiles, S-CSCF capabilities and the visited-network check.
 *
 * Rules encoded here (documented in hss_store.h):
 *  - an IMPU with no explicit profile belongs to the subscription's default
 *    profile, the one with the lowest id; impu.service_profile_id is returned
 *    resolved (0 only when the subscription has no profile at all, and then
 *    hss_store_profile_each_of_subscription yields one implicit empty profile
 *    with id 0);
 *  - roaming: roaming_any, or no visited network listed, or vnid listed;
 *  - capabilities: the subscription's own set, else the global set stored
 *    under subscription id 0.
 * Iterators copy all rows first and call back after the statement is reset,
 * so callbacks may use the same handle freely.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include "hss_store_int.h"

/* ---- row readers ---- */

/* The HSS_IMPI_COLS / HSS_IMPU_COLS of a row, from column base on. */
static void read_impi_at(sqlite3_stmt *s, int b, struct hss_impi *out)
{
    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(s, b);
    out->subscription_id = sqlite3_column_int64(s, b + 1);
    hss_col_text(s, b + 2, out->name, sizeof(out->name));
    out->kind = (enum hss_impi_kind)sqlite3_column_int(s, b + 3);
    out->schemes = (unsigned)sqlite3_column_int(s, b + 4);
    out->default_scheme = (enum hss_scheme)sqlite3_column_int(s, b + 5);
    out->valid_from = sqlite3_column_int64(s, b + 6);
    out->valid_until = sqlite3_column_int64(s, b + 7);
    out->revoked = sqlite3_column_int(s, b + 8) != 0;
    out->locked_until = sqlite3_column_int64(s, b + 9);
    out->counters_set = sqlite3_column_int(s, b + 10) != 0;
}

static void read_impu_at(sqlite3_stmt *s, int b, struct hss_impu *out)
{
    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(s, b);
    out->subscription_id = sqlite3_column_int64(s, b + 1);
    hss_col_text(s, b + 2, out->name, sizeof(out->name));
    out->type = (enum hss_identity_type)sqlite3_column_int(s, b + 3);
    out->barred = sqlite3_column_int(s, b + 4) != 0;
    out->irs_id = sqlite3_column_int64(s, b + 5);
    out->service_profile_id = sqlite3_column_int64(s, b + 6);
    out->reg_state = (enum hss_reg_state)sqlite3_column_int(s, b + 7);
    out->psi_activated = sqlite3_column_int(s, b + 8) != 0;
    out->has_unreg_services = sqlite3_column_int(s, b + 9) != 0;
    hss_col_text(s, b + 10, out->display_name, sizeof(out->display_name));
}

bool hss_store_read_impi(sqlite3_stmt *s, void *row)
{
    read_impi_at(s, 0, row);
    return true;
}

bool hss_store_read_impu(sqlite3_stmt *s, void *row)
{
    read_impu_at(s, 0, row);
    return true;
}

static bool read_subscription(sqlite3_stmt *s, void *row)
{
    struct hss_subscription *out = row;

    memset(out, 0, sizeof(*out));
    out->id = sqlite3_column_int64(s, 0);
    hss_col_text(s, 1, out->name, sizeof(out->name));
    out->web_auth = sqlite3_column_int(s, 2) != 0;
    hss_col_text(s, 3, out->scscf_name, sizeof(out->scscf_name));
    hss_col_text(s, 4, out->scscf_host, sizeof(out->scscf_host));
    hss_col_text(s, 5, out->scscf_realm, sizeof(out->scscf_realm));
    hss_col_text(s, 6, out->charging_pecf, sizeof(out->charging_pecf));
    hss_col_text(s, 7, out->charging_secf, sizeof(out->charging_secf));
    hss_col_text(s, 8, out->charging_pccf, sizeof(out->charging_pccf));
    hss_col_text(s, 9, out->charging_sccf, sizeof(out->charging_sccf));
    out->roaming_any = sqlite3_column_int(s, 10) != 0;
    return true;
}

/* ---- walkers shared by the iterators ---- */

enum hss_rc hss_store_impu_walk(struct hss_store *st, sqlite3_stmt *s,
                                hss_impu_cb cb, void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_impu)};
    enum hss_rc rc = hss_store_collect(st, s, hss_store_read_impu, &rows);
    size_t i;

    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, hss_vec_at(&rows, i)) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

struct str_row {
    char v[HSS_IDENTITY_MAX + 1];
};

static bool read_str(sqlite3_stmt *s, void *row)
{
    hss_col_text(s, 0, ((struct str_row *)row)->v, sizeof(struct str_row));
    return true;
}

enum hss_rc hss_store_str_walk(struct hss_store *st, sqlite3_stmt *s,
                               hss_str_cb cb, void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct str_row)};
    enum hss_rc rc = hss_store_collect(st, s, read_str, &rows);
    size_t i;

    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, ((struct str_row *)hss_vec_at(&rows, i))->v) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

/* Binds one int64 parameter and walks IMPU rows. */
static enum hss_rc impu_walk_by(struct hss_store *st, const char *sql,
                                const char *param, int64_t v, hss_impu_cb cb,
                                void *ctx)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt_i64(st, sql, param, v, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    return hss_store_impu_walk(st, s, cb, ctx);
}

/* ---- single-row lookups ---- */

#define SUBSCRIPTION_COLS                                                      \
    "id, name, web_auth, scscf_name, scscf_host, scscf_realm, "                \
    "charging_pecf, charging_secf, charging_pccf, charging_sccf, "             \
    "roaming_any"

static const char SQL_SUBSCRIPTION_GET[] =
    "SELECT " SUBSCRIPTION_COLS " FROM subscription WHERE id = :id";

enum hss_rc hss_store_subscription_get(struct hss_store *st, int64_t id,
                                       struct hss_subscription *out)
{
    return hss_store_get_by_id(st, SQL_SUBSCRIPTION_GET, id,
                               "no such subscription", read_subscription, out);
}

static const char SQL_SUBSCRIPTION_BY_NAME[] =
    "SELECT " SUBSCRIPTION_COLS " FROM subscription WHERE name = :name";

enum hss_rc hss_store_subscription_by_name(struct hss_store *st,
                                           const char *name,
                                           struct hss_subscription *out)
{
    return hss_store_get_by_name(
        st, SQL_SUBSCRIPTION_BY_NAME, "subscription name", name, HSS_NAME_MAX,
        "no such subscription", read_subscription, out);
}

static const char SQL_IMPI_GET[] =
    "SELECT " HSS_IMPI_COLS " FROM impi i WHERE i.name = :name";

enum hss_rc hss_store_impi_get(struct hss_store *st, const char *impi,
                               struct hss_impi *out)
{
    return hss_store_get_by_name(st, SQL_IMPI_GET, "IMPI", impi,
                                 HSS_IDENTITY_MAX, "no such IMPI",
                                 hss_store_read_impi, out);
}

static const char SQL_IMPU_GET[] =
    "SELECT " HSS_IMPU_COLS " FROM impu u WHERE u.name = :name";

static enum hss_rc impu_by_name(struct hss_store *st, const char *sql,
                                const char *impu, struct hss_impu *out)
{
    return hss_store_get_by_name(st, sql, "IMPU", impu, HSS_IDENTITY_MAX,
                                 "no such IMPU", hss_store_read_impu, out);
}

enum hss_rc hss_store_impu_get(struct hss_store *st, const char *impu,
                               struct hss_impu *out)
{
    return impu_by_name(st, SQL_IMPU_GET, impu, out);
}

static const char SQL_IMPU_GET_BRIEF[] =
    "SELECT " HSS_IMPU_BRIEF_COLS " FROM impu u WHERE u.name = :name";

enum hss_rc hss_store_impu_get_brief(struct hss_store *st, const char *impu,
                                     struct hss_impu *out)
{
    return impu_by_name(st, SQL_IMPU_GET_BRIEF, impu, out);
}

static const char SQL_SUBSCRIPTION_ACTIVE[] =
    "SELECT EXISTS (SELECT 1 FROM impu WHERE subscription_id = :id"
    " AND reg_state <> 0)";
static const char SQL_IMPI_SERVED[] =
    "SELECT EXISTS (SELECT 1 FROM impi_impu WHERE impi_id = :id"
    " AND (registered <> 0 OR auth_pending <> 0))";

/* One SELECT EXISTS (...) bound to :id. */
static enum hss_rc exists_by_id(struct hss_store *st, const char *sql,
                                int64_t id, bool *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return HSS_INVALID;
    rc = hss_store_stmt_i64(st, sql, ":id", id, NULL, 0, &s);
    if (rc == HSS_OK)
        rc = hss_store_step_row(st, s);
    if (rc != HSS_OK)
        return rc;
    *out = sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    return HSS_OK;
}

enum hss_rc hss_store_subscription_active(struct hss_store *st, int64_t sub_id,
                                          bool *active)
{
    return exists_by_id(st, SQL_SUBSCRIPTION_ACTIVE, sub_id, active);
}

enum hss_rc hss_store_impi_served(struct hss_store *st, int64_t impi_id,
                                  bool *served)
{
    return exists_by_id(st, SQL_IMPI_SERVED, impi_id, served);
}

/* The IMPI, the IMPU and their association in one statement: seeks on
 * unique keys only (two names, impi_impu's and pool_member's primary
 * keys). */
static const char SQL_PAIR_GET[] =
    "SELECT " HSS_IMPI_COLS ", " HSS_IMPU_BRIEF_COLS ","
    " a.impi_id IS NOT NULL, a.auth_pending, a.registered,"
    " EXISTS (SELECT 1 FROM pool_member m"
    "  WHERE m.subscription_id = i.subscription_id)"
    " FROM impi i JOIN impu u ON u.name = :impu"
    " LEFT JOIN impi_impu a ON a.impi_id = i.id AND a.impu_id = u.id"
    " WHERE i.name = :impi";
#define PAIR_IMPU_BASE 11 /* columns of HSS_IMPI_COLS */
#define PAIR_MORE_BASE (PAIR_IMPU_BASE + 11)

static bool read_pair(sqlite3_stmt *s, void *row)
{
    struct hss_pair *p = row;

    read_impi_at(s, 0, &p->impi);
    read_impu_at(s, PAIR_IMPU_BASE, &p->impu);
    p->associated = sqlite3_column_int(s, PAIR_MORE_BASE) != 0;
    p->assoc.auth_pending = sqlite3_column_int(s, PAIR_MORE_BASE + 1) != 0;
    p->assoc.registered = sqlite3_column_int(s, PAIR_MORE_BASE + 2) != 0;
    p->pool_member = sqlite3_column_int(s, PAIR_MORE_BASE + 3) != 0;
    return true;
}

enum hss_rc hss_store_pair_get(struct hss_store *st, const char *impi,
                               const char *impu, struct hss_pair *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    memset(out, 0, sizeof(*out));
    rc = hss_store_check_name(st, "IMPI", impi, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_name(st, "IMPU", impu, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_PAIR_GET, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":impi", impi) != SQLITE_OK ||
        hss_bind_text(s, ":impu", impu) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_fetch_one(st, s, "no such IMPI or IMPU", read_pair, out);
}

static const char SQL_ASSOC_GET[] =
    "SELECT auth_pending, registered FROM impi_impu"
    " WHERE impi_id = :impi AND impu_id = :impu";

static bool read_assoc(sqlite3_stmt *s, void *row)
{
    struct hss_assoc *out = row;

    out->auth_pending = sqlite3_column_int(s, 0) != 0;
    out->registered = sqlite3_column_int(s, 1) != 0;
    return true;
}

enum hss_rc hss_store_assoc_get(struct hss_store *st, int64_t impi_id,
                                int64_t impu_id, struct hss_assoc *out)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt_i64(st, SQL_ASSOC_GET, ":impi", impi_id, ":impu",
                            impu_id, &s);
    if (rc != HSS_OK)
        return rc;
    return hss_store_fetch_one(st, s, "IMPI and IMPU are not associated",
                               read_assoc, out);
}

/* ---- iterators ---- */

/* Brief columns: the set is walked for ids, states and barring (UAR, SAR),
 * never for profiles. */
static const char SQL_IMPU_IN_IRS[] =
    "SELECT " HSS_IMPU_BRIEF_COLS " FROM impu u WHERE u.irs_id = :v"
    " ORDER BY u.id";

enum hss_rc hss_store_impu_each_in_irs(struct hss_store *st, int64_t irs_id,
                                       hss_impu_cb cb, void *ctx)
{
    return impu_walk_by(st, SQL_IMPU_IN_IRS, ":v", irs_id, cb, ctx);
}

static const char SQL_IMPU_OF_SUB[] =
    "SELECT " HSS_IMPU_BRIEF_COLS " FROM impu u WHERE u.subscription_id = :v"
    " ORDER BY u.id";

enum hss_rc hss_store_impu_each_of_subscription(struct hss_store *st,
                                                int64_t sub_id, hss_impu_cb cb,
                                                void *ctx)
{
    return impu_walk_by(st, SQL_IMPU_OF_SUB, ":v", sub_id, cb, ctx);
}

static const char SQL_IMPU_OF_IMPI[] =
    "SELECT " HSS_IMPU_COLS " FROM impi_impu a JOIN impu u ON u.id = a.impu_id"
    " WHERE a.impi_id = :v ORDER BY u.id";

enum hss_rc hss_store_impu_each_of_impi(struct hss_store *st, int64_t impi_id,
                                        hss_impu_cb cb, void *ctx)
{
    return impu_walk_by(st, SQL_IMPU_OF_IMPI, ":v", impi_id, cb, ctx);
}

static const char SQL_IMPU_REG_BY_IMPI[] =
    "SELECT " HSS_IMPU_COLS " FROM impi_impu a JOIN impu u ON u.id = a.impu_id"
    " WHERE a.impi_id = :v AND a.registered <> 0 ORDER BY u.id";

enum hss_rc hss_store_impu_each_registered_by_impi(struct hss_store *st,
                                                   int64_t impi_id,
                                                   hss_impu_cb cb, void *ctx)
{
    return impu_walk_by(st, SQL_IMPU_REG_BY_IMPI, ":v", impi_id, cb, ctx);
}

static const char SQL_IMPI_OF_SUB[] =
    "SELECT " HSS_IMPI_COLS " FROM impi i WHERE i.subscription_id = :v"
    " ORDER BY i.id";

enum hss_rc hss_store_impi_each_of_subscription(struct hss_store *st,
                                                int64_t sub_id, hss_impi_cb cb,
                                                void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_impi)};
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t i;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_stmt_i64(st, SQL_IMPI_OF_SUB, ":v", sub_id, NULL, 0, &s);
    if (rc == HSS_OK)
        rc = hss_store_collect(st, s, hss_store_read_impi, &rows);
    for (i = 0; rc == HSS_OK && i < rows.n; i++)
        if (cb(ctx, hss_vec_at(&rows, i)) != 0)
            break;
    hss_vec_free(&rows);
    return rc;
}

/* ---- roaming and capabilities ---- */

static const char SQL_VISITED_ALLOWED[] =
    "SELECT s.roaming_any,"
    " EXISTS (SELECT 1 FROM visited_network v WHERE v.subscription_id = s.id),"
    " EXISTS (SELECT 1 FROM visited_network v WHERE v.subscription_id = s.id"
    "  AND v.vnid = :vnid)"
    " FROM subscription s WHERE s.id = :id";

enum hss_rc hss_store_visited_allowed(struct hss_store *st, int64_t sub_id,
                                      const char *vnid, bool *allowed)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (st == NULL || allowed == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_check_opt(st, "visited network", vnid, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_VISITED_ALLOWED, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":vnid", vnid) != SQLITE_OK ||
        hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    rc = hss_store_step_row(st, s);
    if (rc == HSS_NOT_FOUND)
        return hss_store_fail(st, rc, "no such subscription");
    if (rc != HSS_OK)
        return rc;
    *allowed = sqlite3_column_int(s, 0) != 0 || sqlite3_column_int(s, 1) == 0 ||
               (vnid != NULL && sqlite3_column_int(s, 2) != 0);
    sqlite3_reset(s);
    return HSS_OK;
}

/* Rows of the subscription's own set if it has any, else of the global set
 * (subscription id 0). */
static const char SQL_CAPS_GET[] =
    "SELECT mandatory, value FROM capability WHERE subscription_id ="
    " (CASE WHEN EXISTS (SELECT 1 FROM capability WHERE subscription_id = :id)"
    "  THEN :id ELSE 0 END) ORDER BY mandatory DESC, value";
static const char SQL_SCSCF_NAMES_GET[] =
    "SELECT server_name FROM preferred_scscf WHERE subscription_id ="
    " (CASE WHEN EXISTS (SELECT 1 FROM preferred_scscf"
    "  WHERE subscription_id = :id) THEN :id ELSE 0 END)"
    " ORDER BY server_name LIMIT 4";

enum hss_rc hss_store_capabilities_get(struct hss_store *st, int64_t sub_id,
                                       struct hss_capabilities *out)
{
    struct hss_capabilities caps;
    sqlite3_stmt *s = NULL;
    enum hss_rc rc;

    if (st == NULL || out == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    memset(&caps, 0, sizeof(caps));
    rc = hss_store_stmt_i64(st, SQL_CAPS_GET, ":id", sub_id, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    while ((rc = hss_store_step_row(st, s)) == HSS_OK) {
        uint32_t v = (uint32_t)sqlite3_column_int64(s, 1);

        if (sqlite3_column_int(s, 0) != 0) {
            if (caps.n_mandatory < 16)
                caps.mandatory[caps.n_mandatory++] = v;
        } else if (caps.n_optional < 16) {
            caps.optional[caps.n_optional++] = v;
        }
    }
    if (rc != HSS_NOT_FOUND)
        return rc;
    rc =
        hss_store_stmt_i64(st, SQL_SCSCF_NAMES_GET, ":id", sub_id, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    while ((rc = hss_store_step_row(st, s)) == HSS_OK) {
        if (caps.n_server_names < 4) {
            hss_col_text(s, 0, caps.server_names[caps.n_server_names],
                         sizeof(caps.server_names[0]));
            caps.n_server_names++;
        }
    }
    if (rc != HSS_NOT_FOUND)
        return rc;
    *out = caps;
    return HSS_OK;
}

/* ---- service profiles ---- */

static const char SQL_PROFILES_OF_SUB[] =
    "SELECT id, name, ifc_xml, smp_id FROM service_profile"
    " WHERE subscription_id = :id ORDER BY id";

static void profiles_free(struct hss_vec *rows)
{
    size_t i;

    for (i = 0; i < rows->n; i++)
        free(((struct hss_service_profile *)rows->items)[i].ifc_xml);
    hss_vec_free(rows);
}

static bool profile_read(sqlite3_stmt *s, void *row)
{
    struct hss_service_profile *p = row;
    const unsigned char *xml = sqlite3_column_text(s, 2);

    p->id = sqlite3_column_int64(s, 0);
    hss_col_text(s, 1, p->name, sizeof(p->name));
    p->subscribed_media_profile_id = sqlite3_column_int(s, 3);
    if (xml == NULL)
        return true;
    p->ifc_xml = strdup((const char *)xml);
    return p->ifc_xml != NULL;
}

enum hss_rc hss_store_profile_each_of_subscription(struct hss_store *st,
                                                   int64_t sub_id,
                                                   hss_profile_cb cb, void *ctx)
{
    struct hss_vec rows = {.size = sizeof(struct hss_service_profile)};
    struct hss_service_profile *p;
    sqlite3_stmt *s;
    enum hss_rc rc;
    size_t i;

    if (st == NULL || cb == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc =
        hss_store_stmt_i64(st, SQL_PROFILES_OF_SUB, ":id", sub_id, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_collect(st, s, profile_read, &rows);
    if (rc != HSS_OK)
        goto out;
    if (rows.n == 0) {
        /* The implicit default profile: no iFC, all IMPUs. */
        p = hss_vec_push(&rows);
        if (p == NULL) {
            rc = hss_store_fail(st, HSS_NOMEM, "out of memory");
            goto out;
        }
        memcpy(p->name, "default", sizeof("default"));
        p->subscribed_media_profile_id = -1;
    }
    for (i = 0; i < rows.n; i++) {
        struct hss_service_profile *row = hss_vec_at(&rows, i);
        int stop = cb(ctx, row);

        row->ifc_xml = NULL; /* ownership passed to the callback */
        if (stop != 0)
            break;
    }
out:
    profiles_free(&rows);
    return rc;
}
