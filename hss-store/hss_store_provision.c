/* hss_store_provision.c - write side of the identity model (hssctl, tests):
 * subscriptions, IMPI, IMPU, associations, implicit registration sets,
 * service profiles, charging, visited networks, S-CSCF capabilities.
 *
 * Every input string is validated (non-empty where required, length, UTF-8,
 * no control characters) before any SQL runs. Deletes cascade through the
 * foreign keys of the schema (hss_store_migrate.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include "hss_store_int.h"

/* Runs a one-row INSERT and hands back the new rowid. */
static enum hss_rc insert_id(struct hss_store *st, sqlite3_stmt *s,
                             int64_t *id_out)
{
    enum hss_rc rc = hss_store_step_done(st, s);

    if (rc == HSS_OK && id_out != NULL)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

/* ---- subscriptions ---- */

static const char SQL_SUBSCRIPTION_ADD[] =
    "INSERT INTO subscription (name) VALUES (:name)";

enum hss_rc hss_store_subscription_add(struct hss_store *st, const char *name,
                                       int64_t *id_out)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_check_name(st, "subscription name", name, HSS_NAME_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_SUBSCRIPTION_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":name", name) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return insert_id(st, s, id_out);
}

static const char SQL_SUBSCRIPTION_DELETE[] =
    "DELETE FROM subscription WHERE id = :id";

enum hss_rc hss_store_subscription_delete(struct hss_store *st, int64_t sub_id)
{
    return hss_store_set_i64(st, SQL_SUBSCRIPTION_DELETE, sub_id, 0,
                             "subscription");
}

static const char SQL_SUBSCRIPTION_WEB_AUTH[] =
    "UPDATE subscription SET web_auth = :v WHERE id = :id";

enum hss_rc hss_store_subscription_set_web_auth(struct hss_store *st,
                                                int64_t sub_id, bool on)
{
    return hss_store_set_i64(st, SQL_SUBSCRIPTION_WEB_AUTH, sub_id, on,
                             "subscription");
}

static const char SQL_SUBSCRIPTION_ROAMING_ANY[] =
    "UPDATE subscription SET roaming_any = :v WHERE id = :id";

enum hss_rc hss_store_subscription_set_roaming_any(struct hss_store *st,
                                                   int64_t sub_id, bool any)
{
    return hss_store_set_i64(st, SQL_SUBSCRIPTION_ROAMING_ANY, sub_id, any,
                             "subscription");
}

static const char SQL_SUBSCRIPTION_CHARGING[] =
    "UPDATE subscription SET charging_pecf = :pecf, charging_secf = :secf,"
    " charging_pccf = :pccf, charging_sccf = :sccf WHERE id = :id";

enum hss_rc
hss_store_subscription_set_charging(struct hss_store *st, int64_t sub_id,
                                    const char *pecf, const char *secf,
                                    const char *pccf, const char *sccf)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "PECF", pecf, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "SECF", secf, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "PCCF", pccf, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "SCCF", sccf, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_SUBSCRIPTION_CHARGING, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_text(s, ":pecf", pecf) != SQLITE_OK ||
        hss_bind_text(s, ":secf", secf) != SQLITE_OK ||
        hss_bind_text(s, ":pccf", pccf) != SQLITE_OK ||
        hss_bind_text(s, ":sccf", sccf) != SQLITE_OK ||
        hss_bind_i64(s, ":id", sub_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_change(st, s, "subscription");
}

/* Shared shape of "(subscription, text) row" add/remove functions. */
static enum hss_rc sub_text_run(struct hss_store *st, const char *sql,
                                int64_t sub_id, const char *what, const char *v,
                                size_t max, bool remove)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_check_name(st, what, v, max);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, sql, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK ||
        hss_bind_text(s, ":v", v) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    if (remove)
        return hss_store_step_change(st, s, what);
    return hss_store_step_done(st, s);
}

static const char SQL_VISITED_ADD[] =
    "INSERT INTO visited_network (subscription_id, vnid) VALUES (:id, :v)";

enum hss_rc hss_store_visited_network_add(struct hss_store *st, int64_t sub_id,
                                          const char *vnid)
{
    return sub_text_run(st, SQL_VISITED_ADD, sub_id, "visited network", vnid,
                        HSS_NAME_MAX, false);
}

static const char SQL_VISITED_REMOVE[] =
    "DELETE FROM visited_network WHERE subscription_id = :id AND vnid = :v";

enum hss_rc hss_store_visited_network_remove(struct hss_store *st,
                                             int64_t sub_id, const char *vnid)
{
    return sub_text_run(st, SQL_VISITED_REMOVE, sub_id, "visited network", vnid,
                        HSS_NAME_MAX, true);
}

static const char SQL_SUB_EXISTS[] =
    "SELECT 1 FROM subscription WHERE id = :id";

/* Subscription id 0 is the global default set; others must exist. */
static enum hss_rc sub_or_global(struct hss_store *st, int64_t sub_id)
{
    sqlite3_stmt *s;
    enum hss_rc rc;

    if (sub_id == 0)
        return HSS_OK;
    rc = hss_store_stmt_i64(st, SQL_SUB_EXISTS, ":id", sub_id, NULL, 0, &s);
    if (rc != HSS_OK)
        return rc;
    return hss_store_fetch_one(st, s, "no such subscription", NULL, NULL);
}

static const char SQL_CAPABILITY_ADD[] =
    "INSERT INTO capability (subscription_id, mandatory, value)"
    " VALUES (:id, :m, :v)";

enum hss_rc hss_store_capability_add(struct hss_store *st, int64_t sub_id,
                                     bool mandatory, uint32_t value)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = sub_or_global(st, sub_id);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_CAPABILITY_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", sub_id) != SQLITE_OK ||
        hss_bind_i64(s, ":m", mandatory) != SQLITE_OK ||
        hss_bind_i64(s, ":v", value) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_done(st, s);
}

static const char SQL_PREFERRED_ADD[] =
    "INSERT INTO preferred_scscf (subscription_id, server_name)"
    " VALUES (:id, :v)";

enum hss_rc hss_store_preferred_scscf_add(struct hss_store *st, int64_t sub_id,
                                          const char *server_name)
{
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = sub_or_global(st, sub_id);
    if (rc != HSS_OK)
        return rc;
    return sub_text_run(st, SQL_PREFERRED_ADD, sub_id, "server name",
                        server_name, HSS_IDENTITY_MAX, false);
}

/* ---- IMPI ---- */

static enum hss_rc check_schemes(struct hss_store *st, unsigned schemes,
                                 enum hss_scheme def)
{
    unsigned all = HSS_SCHEME_AKA | HSS_SCHEME_DIGEST;

    if ((schemes & ~all) != 0)
        return hss_store_fail(st, HSS_INVALID, "unknown scheme bits");
    if (def != HSS_SCHEME_NONE && def != HSS_SCHEME_AKA &&
        def != HSS_SCHEME_DIGEST)
        return hss_store_fail(st, HSS_INVALID, "bad default scheme");
    if (def != HSS_SCHEME_NONE && (schemes & (unsigned)def) == 0)
        return hss_store_fail(st, HSS_INVALID,
                              "default scheme not among allowed schemes");
    return HSS_OK;
}

static const char SQL_IMPI_ADD[] =
    "INSERT INTO impi (subscription_id, name, kind, schemes, default_scheme,"
    " valid_until) VALUES (:sub, :name, :kind, :schemes, :def, :until)";

enum hss_rc hss_store_impi_add(struct hss_store *st, int64_t sub_id,
                               const struct hss_impi_new *n, int64_t *id_out)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK && n == NULL)
        rc = hss_store_fail(st, HSS_INVALID, "NULL argument");
    if (rc == HSS_OK)
        rc = hss_store_check_name(st, "IMPI", n->name, HSS_IDENTITY_MAX);
    if (rc == HSS_OK && (n->kind < HSS_IMPI_REGULAR || n->kind > HSS_IMPI_POOL))
        rc = hss_store_fail(st, HSS_INVALID, "bad IMPI kind");
    if (rc == HSS_OK && n->valid_until < 0)
        rc = hss_store_fail(st, HSS_INVALID, "negative valid_until");
    if (rc == HSS_OK)
        rc = check_schemes(st, n->schemes, n->default_scheme);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_IMPI_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":sub", sub_id) != SQLITE_OK ||
        hss_bind_text(s, ":name", n->name) != SQLITE_OK ||
        hss_bind_i64(s, ":kind", n->kind) != SQLITE_OK ||
        hss_bind_i64(s, ":schemes", n->schemes) != SQLITE_OK ||
        hss_bind_i64(s, ":def", n->default_scheme) != SQLITE_OK ||
        hss_bind_i64(s, ":until", n->valid_until) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return insert_id(st, s, id_out);
}

static const char SQL_IMPI_DELETE[] = "DELETE FROM impi WHERE id = :id";

enum hss_rc hss_store_impi_delete(struct hss_store *st, int64_t impi_id)
{
    return hss_store_set_i64(st, SQL_IMPI_DELETE, impi_id, 0, "IMPI");
}

static const char SQL_IMPI_REVOKED[] =
    "UPDATE impi SET revoked = :v WHERE id = :id";

enum hss_rc hss_store_impi_set_revoked(struct hss_store *st, int64_t impi_id,
                                       bool revoked)
{
    return hss_store_set_i64(st, SQL_IMPI_REVOKED, impi_id, revoked, "IMPI");
}

static const char SQL_IMPI_VALIDITY[] =
    "UPDATE impi SET valid_until = :v WHERE id = :id";

enum hss_rc hss_store_impi_set_validity(struct hss_store *st, int64_t impi_id,
                                        int64_t valid_until)
{
    if (valid_until < 0)
        return hss_store_fail(st, HSS_INVALID, "negative valid_until");
    return hss_store_set_i64(st, SQL_IMPI_VALIDITY, impi_id, valid_until,
                             "IMPI");
}

static const char SQL_IMPI_SCHEMES[] =
    "UPDATE impi SET schemes = :schemes, default_scheme = :def WHERE id = :id";

enum hss_rc hss_store_impi_set_schemes(struct hss_store *st, int64_t impi_id,
                                       unsigned schemes,
                                       enum hss_scheme default_scheme)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = check_schemes(st, schemes, default_scheme);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_IMPI_SCHEMES, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":schemes", schemes) != SQLITE_OK ||
        hss_bind_i64(s, ":def", default_scheme) != SQLITE_OK ||
        hss_bind_i64(s, ":id", impi_id) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_change(st, s, "IMPI");
}

/* ---- IMPU ---- */

static const char SQL_IRS_CHECK[] =
    "SELECT 1 FROM impu WHERE irs_id = :irs AND subscription_id = :sub";

/* HSS_OK when sql (id and :sub bound) returns a row; HSS_NOT_FOUND, with
 * no message, when it does not. */
static enum hss_rc in_subscription(struct hss_store *st, const char *sql,
                                   const char *param, int64_t id,
                                   int64_t sub_id)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt_i64(st, sql, param, id, ":sub", sub_id, &s);

    if (rc != HSS_OK)
        return rc;
    return hss_store_fetch_one(st, s, NULL, NULL, NULL);
}

/* An implicit set id must be the set of an IMPU of the same subscription. */
static enum hss_rc irs_check(struct hss_store *st, int64_t sub_id,
                             int64_t irs_id)
{
    enum hss_rc rc = in_subscription(st, SQL_IRS_CHECK, ":irs", irs_id, sub_id);

    if (rc == HSS_NOT_FOUND)
        rc = hss_store_fail(st, HSS_INVALID,
                            "implicit set %lld is not in this subscription",
                            (long long)irs_id);
    return rc;
}

static const char SQL_PROFILE_CHECK[] =
    "SELECT 1 FROM service_profile WHERE id = :id AND subscription_id = :sub";

static enum hss_rc profile_check(struct hss_store *st, int64_t sub_id,
                                 int64_t profile_id)
{
    enum hss_rc rc =
        in_subscription(st, SQL_PROFILE_CHECK, ":id", profile_id, sub_id);

    if (rc == HSS_NOT_FOUND)
        rc = hss_store_fail(st, HSS_INVALID,
                            "service profile is not in this subscription");
    return rc;
}

static const char SQL_IMPU_ADD[] =
    "INSERT INTO impu (subscription_id, name, type, barred, irs_id,"
    " profile_id, display_name)"
    " VALUES (:sub, :name, :type, :barred, :irs, nullif(:prof, 0), :disp)";
static const char SQL_IMPU_OWN_IRS[] =
    "UPDATE impu SET irs_id = id WHERE id = :id";

static enum hss_rc impu_check_new(struct hss_store *st,
                                  const struct hss_impu_new *n)
{
    enum hss_rc rc;

    if (n == NULL)
        return hss_store_fail(st, HSS_INVALID, "NULL argument");
    rc = hss_store_check_name(st, "IMPU", n->name, HSS_IDENTITY_MAX);
    if (rc == HSS_OK)
        rc = hss_store_check_opt(st, "display name", n->display_name,
                                 HSS_NAME_MAX);
    if (rc == HSS_OK &&
        (n->type < HSS_ID_PUBLIC_USER || n->type > HSS_ID_WILDCARDED_PSI))
        rc = hss_store_fail(st, HSS_INVALID, "bad identity type");
    if (rc == HSS_OK && (n->irs_id < 0 || n->service_profile_id < 0))
        rc = hss_store_fail(st, HSS_INVALID, "negative id");
    return rc;
}

enum hss_rc hss_store_impu_add(struct hss_store *st, int64_t sub_id,
                               const struct hss_impu_new *n, int64_t *id_out)
{
    struct hss_op op = {0};
    sqlite3_stmt *s;
    int64_t id = 0;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = impu_check_new(st, n);
    if (rc == HSS_OK)
        rc = hss_store_op_begin(st, &op);
    if (rc != HSS_OK)
        return rc;
    if (n->irs_id != 0)
        rc = irs_check(st, sub_id, n->irs_id);
    if (rc == HSS_OK && n->service_profile_id != 0)
        rc = profile_check(st, sub_id, n->service_profile_id);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_IMPU_ADD, &s);
    if (rc != HSS_OK)
        goto out;
    if (hss_bind_i64(s, ":sub", sub_id) != SQLITE_OK ||
        hss_bind_text(s, ":name", n->name) != SQLITE_OK ||
        hss_bind_i64(s, ":type", n->type) != SQLITE_OK ||
        hss_bind_i64(s, ":barred", n->barred) != SQLITE_OK ||
        hss_bind_i64(s, ":irs", n->irs_id) != SQLITE_OK ||
        hss_bind_i64(s, ":prof", n->service_profile_id) != SQLITE_OK ||
        hss_bind_text(s, ":disp", n->display_name) != SQLITE_OK) {
        rc = hss_store_bind_fail(st, s);
        goto out;
    }
    rc = insert_id(st, s, &id);
    if (rc == HSS_OK && n->irs_id == 0)
        rc = hss_store_set_i64(st, SQL_IMPU_OWN_IRS, id, 0, "IMPU");
out:
    rc = hss_store_op_end(st, &op, rc);
    if (rc == HSS_OK && id_out != NULL)
        *id_out = id;
    return rc;
}

static const char SQL_IMPU_DELETE[] = "DELETE FROM impu WHERE id = :id";

enum hss_rc hss_store_impu_delete(struct hss_store *st, int64_t impu_id)
{
    return hss_store_set_i64(st, SQL_IMPU_DELETE, impu_id, 0, "IMPU");
}

static const char SQL_IMPU_BARRED[] =
    "UPDATE impu SET barred = :v WHERE id = :id";

enum hss_rc hss_store_impu_set_barred(struct hss_store *st, int64_t impu_id,
                                      bool barred)
{
    return hss_store_set_i64(st, SQL_IMPU_BARRED, impu_id, barred, "IMPU");
}

static const char SQL_IMPU_SUB_OF[] =
    "SELECT subscription_id FROM impu WHERE id = :id";

static enum hss_rc impu_subscription(struct hss_store *st, int64_t impu_id,
                                     int64_t *sub_id)
{
    return hss_store_get_by_id(st, SQL_IMPU_SUB_OF, impu_id, "no such IMPU",
                               hss_store_read_i64, sub_id);
}

static const char SQL_IMPU_IRS[] = "UPDATE impu SET irs_id = :v WHERE id = :id";

/* irs_id 0 or the IMPU's own id: a set of its own; otherwise the set of
 * another IMPU of the same subscription. */
enum hss_rc hss_store_impu_set_irs(struct hss_store *st, int64_t impu_id,
                                   int64_t irs_id)
{
    int64_t sub_id = 0;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK && irs_id < 0)
        rc = hss_store_fail(st, HSS_INVALID, "negative implicit set id");
    if (rc == HSS_OK)
        rc = impu_subscription(st, impu_id, &sub_id);
    if (rc != HSS_OK)
        return rc;
    if (irs_id == 0)
        irs_id = impu_id;
    if (irs_id != impu_id) {
        rc = irs_check(st, sub_id, irs_id);
        if (rc != HSS_OK)
            return rc;
    }
    return hss_store_set_i64(st, SQL_IMPU_IRS, impu_id, irs_id, "IMPU");
}

static const char SQL_IMPU_PROFILE[] =
    "UPDATE impu SET profile_id = nullif(:v, 0) WHERE id = :id";

enum hss_rc hss_store_impu_set_profile(struct hss_store *st, int64_t impu_id,
                                       int64_t profile_id)
{
    int64_t sub_id = 0;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK && profile_id < 0)
        rc = hss_store_fail(st, HSS_INVALID, "negative profile id");
    if (rc == HSS_OK)
        rc = impu_subscription(st, impu_id, &sub_id);
    if (rc == HSS_OK && profile_id != 0)
        rc = profile_check(st, sub_id, profile_id);
    if (rc != HSS_OK)
        return rc;
    return hss_store_set_i64(st, SQL_IMPU_PROFILE, impu_id, profile_id, "IMPU");
}

/* ---- associations ---- */

static const char SQL_ASSOC_SUBS[] =
    "SELECT (SELECT subscription_id FROM impi WHERE id = :impi),"
    " (SELECT subscription_id FROM impu WHERE id = :impu)";
static const char SQL_ASSOC_ADD[] =
    "INSERT INTO impi_impu (impi_id, impu_id) VALUES (:impi, :impu)";

enum hss_rc hss_store_assoc_add(struct hss_store *st, int64_t impi_id,
                                int64_t impu_id)
{
    sqlite3_stmt *s;
    bool same = false, missing = true;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_stmt_i64(st, SQL_ASSOC_SUBS, ":impi", impi_id, ":impu",
                                impu_id, &s);
    if (rc != HSS_OK)
        return rc;
    rc = hss_store_step_row(st, s);
    if (rc != HSS_OK)
        return rc;
    missing = sqlite3_column_type(s, 0) == SQLITE_NULL ||
              sqlite3_column_type(s, 1) == SQLITE_NULL;
    same = sqlite3_column_int64(s, 0) == sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    if (missing)
        return hss_store_fail(st, HSS_NOT_FOUND, "no such IMPI or IMPU");
    if (!same)
        return hss_store_fail(st, HSS_INVALID,
                              "IMPI and IMPU belong to different "
                              "subscriptions");
    return hss_store_run_i64(st, SQL_ASSOC_ADD, ":impi", impi_id, ":impu",
                             impu_id, NULL);
}

static const char SQL_ASSOC_REMOVE[] =
    "DELETE FROM impi_impu WHERE impi_id = :impi AND impu_id = :impu";

enum hss_rc hss_store_assoc_remove(struct hss_store *st, int64_t impi_id,
                                   int64_t impu_id)
{
    enum hss_rc rc = hss_store_writable(st);

    if (rc != HSS_OK)
        return rc;
    return hss_store_run_i64(st, SQL_ASSOC_REMOVE, ":impi", impi_id, ":impu",
                             impu_id, "association");
}

/* ---- service profiles ---- */

#define IFC_XML_MAX (1024 * 1024)

static const char SQL_PROFILE_ADD[] =
    "INSERT INTO service_profile (subscription_id, name, ifc_xml)"
    " VALUES (:sub, :name, :xml)";

enum hss_rc hss_store_profile_add(struct hss_store *st, int64_t sub_id,
                                  const char *name, const char *ifc_xml,
                                  int64_t *id_out)
{
    sqlite3_stmt *s;
    size_t len;
    enum hss_rc rc = hss_store_writable(st);

    if (rc == HSS_OK)
        rc = hss_store_check_name(st, "profile name", name, HSS_NAME_MAX);
    if (rc != HSS_OK)
        return rc;
    if (ifc_xml != NULL) {
        len = strnlen(ifc_xml, IFC_XML_MAX + 1);
        if (len > IFC_XML_MAX || !hss_store_utf8_ok(ifc_xml, len, true))
            return hss_store_fail(st, HSS_INVALID,
                                  "iFC XML too long or not UTF-8");
    }
    rc = hss_store_stmt(st, SQL_PROFILE_ADD, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":sub", sub_id) != SQLITE_OK ||
        hss_bind_text(s, ":name", name) != SQLITE_OK ||
        (ifc_xml != NULL
             ? hss_bind_text(s, ":xml", ifc_xml)
             : sqlite3_bind_null(s, sqlite3_bind_parameter_index(s, ":xml"))) !=
            SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return insert_id(st, s, id_out);
}

/* ---- bulk provisioning ---- */

static enum hss_rc bulk_check(struct hss_store *st, struct hss_bulk_row *r)
{
    bool ha1 = false;
    enum hss_rc rc = HSS_OK;
    int a;

    if (!hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT,
                              "bulk rows need an open write transaction");
    for (a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++)
        ha1 = ha1 || r->ha1_hex[a] != NULL;
    r->failed = HSS_BULK_NONE;
    if ((ha1 || r->aka != NULL) && r->impi == NULL)
        return hss_store_fail(st, HSS_INVALID,
                              "bulk credentials need a new IMPI");
    r->failed = HSS_BULK_SUBSCRIPTION;
    if (r->subscription != NULL)
        rc = hss_store_check_name(st, "subscription name", r->subscription,
                                  HSS_NAME_MAX);
    if (rc == HSS_OK && r->impi != NULL) {
        r->failed = HSS_BULK_IMPI;
        rc = hss_store_check_name(st, "IMPI", r->impi, HSS_IDENTITY_MAX);
        if (rc == HSS_OK)
            rc = check_schemes(st, r->schemes, r->default_scheme);
    }
    if (rc == HSS_OK && r->impu != NULL) {
        r->failed = HSS_BULK_IMPU;
        rc = hss_store_check_name(st, "IMPU", r->impu, HSS_IDENTITY_MAX);
    }
    if (rc == HSS_OK && ha1) {
        r->failed = HSS_BULK_DIGEST;
        rc = hss_store_check_name(st, "realm", r->realm, HSS_NAME_MAX);
    }
    return rc;
}

static const char SQL_BULK_IMPU_NEXT[] =
    "SELECT coalesce(max(id), 0) + 1 FROM impu";
static const char SQL_BULK_IMPU[] =
    "INSERT INTO impu (id, subscription_id, name, type, irs_id)"
    " VALUES (:id, :sub, :name, 0, :id)";

/* The new IMPU is its own implicit set: its id (the next rowid, stable in
 * the write transaction) is chosen first so that one INSERT VALUES writes
 * irs_id too. INSERT ... SELECT would need a statement journal per row. */
static enum hss_rc bulk_impu(struct hss_store *st, struct hss_bulk_row *r)
{
    sqlite3_stmt *s;
    int64_t id = 0;
    enum hss_rc rc = hss_store_stmt(st, SQL_BULK_IMPU_NEXT, &s);

    if (rc == HSS_OK)
        rc = hss_store_fetch_one(st, s, NULL, hss_store_read_i64, &id);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_BULK_IMPU, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", id) != SQLITE_OK ||
        hss_bind_i64(s, ":sub", r->sub_id) != SQLITE_OK ||
        hss_bind_text(s, ":name", r->impu) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return insert_id(st, s, &r->impu_id);
}

static const char SQL_BULK_ASSOC[] =
    "INSERT OR IGNORE INTO impi_impu (impi_id, impu_id) VALUES (:impi, :impu)";

static enum hss_rc bulk_assoc(struct hss_store *st, struct hss_bulk_row *r)
{
    return hss_store_run_i64(st, SQL_BULK_ASSOC, ":impi", r->impi_id, ":impu",
                             r->impu_id, NULL);
}

static const char SQL_BULK_DIGEST[] =
    "INSERT INTO digest (impi_id, realm, algo, ha1, is_default)"
    " VALUES (:id, :realm, :algo, :ha1, 1)";

static enum hss_rc bulk_digest(struct hss_store *st, struct hss_bulk_row *r,
                               enum hss_digest_algo_id algo)
{
    uint8_t blob[HSS_HA1_HEX_MAX + HSS_SEAL_OVERHEAD];
    size_t blob_len = 0;
    sqlite3_stmt *s;
    enum hss_rc rc;

    rc = hss_store_ha1_seal(st, r->impi, r->realm, algo, r->ha1_hex[algo], blob,
                            sizeof(blob), &blob_len);
    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_BULK_DIGEST, &s);
    if (rc != HSS_OK)
        return rc;
    if (hss_bind_i64(s, ":id", r->impi_id) != SQLITE_OK ||
        hss_bind_text(s, ":realm", r->realm) != SQLITE_OK ||
        hss_bind_i64(s, ":algo", algo) != SQLITE_OK ||
        hss_bind_blob(s, ":ha1", blob, blob_len) != SQLITE_OK)
        return hss_store_bind_fail(st, s);
    return hss_store_step_done(st, s);
}

static const char SQL_BULK_AKA[] = "INSERT INTO aka (impi_id, k, opc, amf, sqn)"
                                   " VALUES (:id, :k, :opc, :amf, :sqn)";

static enum hss_rc bulk_aka(struct hss_store *st, struct hss_bulk_row *r)
{
    struct hss_aka_sealed sealed;
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_aka_seal(st, r->impi, r->aka, &sealed);

    if (rc == HSS_OK)
        rc = hss_store_stmt(st, SQL_BULK_AKA, &s);
    if (rc == HSS_OK)
        rc = hss_store_aka_bind(st, s, r->impi_id, r->aka, &sealed);
    if (rc != HSS_OK)
        return rc;
    return hss_store_step_done(st, s);
}

/* Runs the parts in order; r->failed names the one that failed. */
static enum hss_rc bulk_parts(struct hss_store *st, struct hss_bulk_row *r)
{
    struct hss_impi_new impi = {r->impi, HSS_IMPI_REGULAR, r->schemes,
                                r->default_scheme, 0};
    enum hss_rc rc = HSS_OK;
    int a;

    r->failed = HSS_BULK_SUBSCRIPTION;
    if (r->subscription != NULL)
        rc = hss_store_subscription_add(st, r->subscription, &r->sub_id);
    if (rc == HSS_OK && r->impi != NULL) {
        r->failed = HSS_BULK_IMPI;
        rc = hss_store_impi_add(st, r->sub_id, &impi, &r->impi_id);
    }
    if (rc == HSS_OK && r->impu != NULL) {
        r->failed = HSS_BULK_IMPU;
        rc = bulk_impu(st, r);
    }
    if (rc == HSS_OK && r->impi_id != 0 && r->impu_id != 0) {
        r->failed = HSS_BULK_ASSOC;
        rc = bulk_assoc(st, r);
    }
    for (a = HSS_HA1_MD5; rc == HSS_OK && a <= HSS_HA1_SHA512_256; a++) {
        r->failed = HSS_BULK_DIGEST;
        if (r->ha1_hex[a] != NULL)
            rc = bulk_digest(st, r, a);
    }
    if (rc == HSS_OK && r->aka != NULL) {
        r->failed = HSS_BULK_AKA;
        rc = bulk_aka(st, r);
    }
    if (rc == HSS_OK)
        r->failed = HSS_BULK_NONE;
    return rc;
}

enum hss_rc hss_store_bulk_add(struct hss_store *st, struct hss_bulk_row *row)
{
    enum hss_rc rc = hss_store_writable(st);

    if (rc != HSS_OK)
        return rc;
    if (row == NULL)
        rc = hss_store_fail(st, HSS_INVALID, "NULL argument");
    if (rc == HSS_OK)
        rc = bulk_check(st, row);
    if (rc == HSS_OK)
        rc = bulk_parts(st, row);
    if (rc != HSS_OK)
        hss_store_rollback(st);
    return rc;
}
