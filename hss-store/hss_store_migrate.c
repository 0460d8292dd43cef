/* hss_store_migrate.c - the database schema and its migrations (STYLE G14).
 *
 * MIGRATIONS[i] takes the schema from user_version i to i + 1. Each step runs
 * in BEGIN IMMEDIATE ... COMMIT together with its user_version bump, so a
 * crash leaves either the old or the new version. A released script is never
 * edited: changes are new steps appended to the array.
 *
 *  v1  core: meta (key check value), subscriptions, service profiles, IMPI,
 *      IMPU, IMPI<->IMPU association, visited networks, S-CSCF capabilities
 *      and preferred names, AKA and digest credentials (sealed), allowed
 *      WAF/WWSF identities.
 *  v2  WebRTC pools and leases (TS 33.203 X.4), the outbox of HSS-initiated
 *      requests, the append-only audit log.
 *  v3  one-time SIP Digest credentials minted with a lease: digest rows
 *      carry the lease they belong to (minted_lease_id, NULL for those the
 *      operator provisioned) so that the lease end deletes exactly them.
 *
 * A database newer than MIGRATIONS is refused with HSS_SCHEMA.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include "hss_store_int.h"

static const char MIGRATION_1[] =
    "CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE subscription ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " web_auth INTEGER NOT NULL DEFAULT 0,"
    " scscf_name TEXT NOT NULL DEFAULT '',"
    " scscf_host TEXT NOT NULL DEFAULT '',"
    " scscf_realm TEXT NOT NULL DEFAULT '',"
    " charging_pecf TEXT NOT NULL DEFAULT '',"
    " charging_secf TEXT NOT NULL DEFAULT '',"
    " charging_pccf TEXT NOT NULL DEFAULT '',"
    " charging_sccf TEXT NOT NULL DEFAULT '',"
    " roaming_any INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE service_profile ("
    " id INTEGER PRIMARY KEY,"
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL,"
    " ifc_xml TEXT,"
    " smp_id INTEGER NOT NULL DEFAULT -1,"
    " UNIQUE (subscription_id, name));"
    "CREATE TABLE impi ("
    " id INTEGER PRIMARY KEY,"
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL UNIQUE,"
    " kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),"
    " schemes INTEGER NOT NULL,"
    " default_scheme INTEGER NOT NULL,"
    " valid_from INTEGER NOT NULL DEFAULT 0,"
    " valid_until INTEGER NOT NULL DEFAULT 0,"
    " revoked INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0,"
    " mar_window_start INTEGER NOT NULL DEFAULT 0,"
    " mar_count INTEGER NOT NULL DEFAULT 0,"
    " auth_failures INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX impi_subscription ON impi(subscription_id);"
    "CREATE TABLE impu ("
    " id INTEGER PRIMARY KEY,"
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL UNIQUE,"
    " type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 2),"
    " barred INTEGER NOT NULL DEFAULT 0,"
    " irs_id INTEGER NOT NULL DEFAULT 0,"
    " profile_id INTEGER REFERENCES service_profile(id) ON DELETE SET NULL,"
    " reg_state INTEGER NOT NULL DEFAULT 0 CHECK (reg_state BETWEEN 0 AND 2),"
    " psi_activated INTEGER NOT NULL DEFAULT 1,"
    " display_name TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX impu_subscription ON impu(subscription_id);"
    "CREATE INDEX impu_irs ON impu(irs_id);"
    "CREATE INDEX impu_profile ON impu(profile_id);"
    "CREATE TABLE impi_impu ("
    " impi_id INTEGER NOT NULL REFERENCES impi(id) ON DELETE CASCADE,"
    " impu_id INTEGER NOT NULL REFERENCES impu(id) ON DELETE CASCADE,"
    " auth_pending INTEGER NOT NULL DEFAULT 0,"
    " registered INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (impi_id, impu_id)) WITHOUT ROWID;"
    "CREATE INDEX impi_impu_impu ON impi_impu(impu_id);"
    "CREATE TABLE visited_network ("
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " vnid TEXT NOT NULL,"
    " PRIMARY KEY (subscription_id, vnid)) WITHOUT ROWID;"
    /* subscription_id 0 holds the global default set: no foreign key. */
    "CREATE TABLE capability ("
    " subscription_id INTEGER NOT NULL,"
    " mandatory INTEGER NOT NULL,"
    " value INTEGER NOT NULL,"
    " PRIMARY KEY (subscription_id, mandatory, value)) WITHOUT ROWID;"
    "CREATE TABLE preferred_scscf ("
    " subscription_id INTEGER NOT NULL,"
    " server_name TEXT NOT NULL,"
    " PRIMARY KEY (subscription_id, server_name)) WITHOUT ROWID;"
    "CREATE TRIGGER subscription_cleanup AFTER DELETE ON subscription BEGIN"
    " DELETE FROM capability WHERE subscription_id = OLD.id;"
    " DELETE FROM preferred_scscf WHERE subscription_id = OLD.id;"
    " END;"
    "CREATE TABLE aka ("
    " impi_id INTEGER PRIMARY KEY REFERENCES impi(id) ON DELETE CASCADE,"
    " k BLOB NOT NULL,"
    " opc BLOB NOT NULL,"
    " amf BLOB NOT NULL,"
    " sqn INTEGER NOT NULL);"
    "CREATE TABLE digest ("
    " impi_id INTEGER NOT NULL REFERENCES impi(id) ON DELETE CASCADE,"
    " realm TEXT NOT NULL,"
    " algo INTEGER NOT NULL CHECK (algo BETWEEN 0 AND 2),"
    " ha1 BLOB NOT NULL,"
    " is_default INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (impi_id, realm, algo)) WITHOUT ROWID;"
    "CREATE TABLE allowed_waf ("
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " waf TEXT NOT NULL,"
    " PRIMARY KEY (subscription_id, waf)) WITHOUT ROWID;"
    "CREATE TABLE allowed_wwsf ("
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " wwsf TEXT NOT NULL,"
    " PRIMARY KEY (subscription_id, wwsf)) WITHOUT ROWID;";

static const char MIGRATION_2[] =
    "CREATE TABLE pool ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " wwsf TEXT NOT NULL,"
    " waf TEXT NOT NULL DEFAULT '',"
    " lease_ttl_s INTEGER NOT NULL,"
    " quarantine_s INTEGER NOT NULL DEFAULT 0,"
    " release_on_dereg INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE pool_member ("
    " subscription_id INTEGER PRIMARY KEY"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " pool_id INTEGER NOT NULL REFERENCES pool(id) ON DELETE CASCADE,"
    " quarantine_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX pool_member_pool ON pool_member(pool_id, quarantine_until);"
    "CREATE TABLE lease ("
    " id INTEGER PRIMARY KEY,"
    " pool_id INTEGER NOT NULL REFERENCES pool(id) ON DELETE CASCADE,"
    " subscription_id INTEGER NOT NULL"
    "  REFERENCES subscription(id) ON DELETE CASCADE,"
    " holder TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " expires INTEGER NOT NULL,"
    " released INTEGER NOT NULL DEFAULT 0,"
    " quarantine_until INTEGER NOT NULL DEFAULT 0);"
    /* At most one active lease per member, enforced by the schema. */
    "CREATE UNIQUE INDEX lease_one_active ON lease(subscription_id)"
    " WHERE released = 0;"
    "CREATE INDEX lease_expiry ON lease(expires) WHERE released = 0;"
    "CREATE INDEX lease_pool ON lease(pool_id);"
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY,"
    " kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"
    " state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
    " subscription_id INTEGER NOT NULL,"
    " dest_host TEXT NOT NULL DEFAULT '',"
    " dest_realm TEXT NOT NULL DEFAULT '',"
    " user_name TEXT NOT NULL DEFAULT '',"
    " impus TEXT NOT NULL DEFAULT ''," /* newline-joined */
    " reason_code INTEGER NOT NULL DEFAULT 0,"
    " reason_info TEXT NOT NULL DEFAULT '',"
    " ppr_what INTEGER NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL,"
    " last_result INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX outbox_due ON outbox(state, next_attempt);"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " ts INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " object TEXT NOT NULL DEFAULT '',"
    " detail TEXT NOT NULL DEFAULT '');"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    " SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    " SELECT RAISE(ABORT, 'audit log is append-only'); END;";

static const char MIGRATION_3[] =
    "ALTER TABLE digest ADD COLUMN minted_lease_id INTEGER"
    " REFERENCES lease(id) ON DELETE CASCADE;"
    "CREATE INDEX digest_minted ON digest(minted_lease_id)"
    " WHERE minted_lease_id IS NOT NULL;";

static const char *const MIGRATIONS[] = {
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
};

#define N_MIGRATIONS ((int)(sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0])))

/* The version bumps: constant text, one per step (PRAGMA takes no binding). */
static const char *const VERSION_BUMP[] = {
    "PRAGMA user_version = 1",
    "PRAGMA user_version = 2",
    "PRAGMA user_version = 3",
};

_Static_assert(sizeof(VERSION_BUMP) == sizeof(MIGRATIONS),
               "one user_version bump per migration");

int hss_store_schema_version(void)
{
    return N_MIGRATIONS;
}

static const char SQL_USER_VERSION[] = "PRAGMA user_version";

enum hss_rc hss_store_user_version(struct hss_store *st, int *version)
{
    sqlite3_stmt *s;
    enum hss_rc rc = hss_store_stmt(st, SQL_USER_VERSION, &s);

    if (rc != HSS_OK)
        return rc;
    rc = hss_store_step_row(st, s);
    if (rc == HSS_OK) {
        *version = sqlite3_column_int(s, 0);
        sqlite3_reset(s);
    }
    return rc;
}

enum hss_rc hss_store_db_version(struct hss_store *st, int *version)
{
    if (st == NULL || version == NULL)
        return HSS_INVALID;
    return hss_store_user_version(st, version);
}

/* Applies MIGRATIONS[step] and its version bump in one transaction; the
 * version is re-read under the write lock so two processes opening an old
 * database at once do not both run a step. */
static enum hss_rc migrate_step(struct hss_store *st, int step, bool *done)
{
    char *msg = NULL;
    int version = 0;
    enum hss_rc rc;
    int src;

    *done = false;
    src = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return hss_store_dberr(st, src);
    rc = hss_store_user_version(st, &version);
    if (rc != HSS_OK)
        goto out;
    if (version != step) {
        *done = true; /* someone else migrated meanwhile */
        goto out;
    }
    src = sqlite3_exec(st->db, MIGRATIONS[step], NULL, NULL, &msg);
    if (src == SQLITE_OK)
        src = sqlite3_exec(st->db, VERSION_BUMP[step], NULL, NULL, &msg);
    if (src != SQLITE_OK) {
        rc = hss_store_fail(st, HSS_SCHEMA, "migration to version %d: %s",
                            step + 1, msg != NULL ? msg : "failed");
        goto out;
    }
    src = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        rc = hss_store_dberr(st, src);
out:
    sqlite3_free(msg);
    if (rc != HSS_OK || *done)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

enum hss_rc hss_store_migrate_apply(struct hss_store *st, int target)
{
    int version = 0;
    enum hss_rc rc;
    bool raced;

    if (target <= 0 || target > N_MIGRATIONS)
        target = N_MIGRATIONS;
    for (;;) {
        rc = hss_store_user_version(st, &version);
        if (rc != HSS_OK)
            return rc;
        if (version > N_MIGRATIONS)
            return hss_store_fail(st, HSS_SCHEMA,
                                  "database schema version %d is newer than "
                                  "this binary (%d): upgrade webrtc-hss",
                                  version, N_MIGRATIONS);
        if (version < 0)
            return hss_store_fail(st, HSS_SCHEMA,
                                  "database schema version %d is invalid",
                                  version);
        if (version >= target)
            return HSS_OK;
        rc = migrate_step(st, version, &raced);
        if (rc != HSS_OK)
            return rc;
    }
}

enum hss_rc hss_store_migrate(struct hss_store *st)
{
    enum hss_rc rc = hss_store_writable(st);

    if (rc != HSS_OK)
        return rc;
    if (hss_store_in_tx(st))
        return hss_store_fail(st, HSS_CONFLICT,
                              "migrate cannot run inside a transaction");
    return hss_store_migrate_apply(st, 0);
}
