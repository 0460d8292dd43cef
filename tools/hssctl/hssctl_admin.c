/* hssctl_admin.c - `init`, `migrate` and `status`.
 *
 * Owns the life of the database file as the operator sees it: creating it
 * together with a fresh master key (both mode 0600, the directory created
 * 0700 when missing), applying migrations (PRAGMA user_version, STYLE G14)
 * and a status summary: schema versions, counts, the public key id (never
 * the key) and the paths in use.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hssctl.h"

int hssctl_cmd_init(struct hssctl *c, const struct hssctl_args *a)
{
    char keyid[80] = "";
    enum hss_rc rc;

    (void)a;
    rc = hss_store_key_id(c->st, keyid, sizeof(keyid));
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading the key id");
    if (hssctl_begin(c) != 0 || hssctl_finish(c, 0, c->db_path, keyid) != 0)
        return 2;
    hssctl_out_begin(c);
    hssctl_out_str(c, "database", c->db_path);
    hssctl_out_str(c, "key_file", c->key_path);
    hssctl_out_str(c, "key_id", keyid);
    hssctl_out_int(c, "schema_version", hss_store_schema_version());
    return hssctl_out_end(c);
}

/* Called by main before opening: refuses to re-initialise. */
int hssctl_init_prepare(struct hssctl *c)
{
    struct stat sb;
    char dir[4096];
    const char *slash;

    if (stat(c->db_path, &sb) == 0)
        return hssctl_fail(c, 2,
                           "'%s' already exists; nothing to do (see "
                           "'hssctl status')",
                           c->db_path);
    for (int k = 0; k < 2; k++) {
        const char *path = k == 0 ? c->db_path : c->key_path;

        slash = strrchr(path, '/');
        if (!slash || slash == path)
            continue;
        if ((size_t)(slash - path) >= sizeof(dir))
            return hssctl_fail(c, 1, "path '%s' is too long", path);
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return hssctl_fail(c, 2, "cannot create directory '%s': %s", dir,
                               strerror(errno));
    }
    return 0;
}

int hssctl_cmd_migrate(struct hssctl *c, const struct hssctl_args *a)
{
    int before = 0, after = 0;
    enum hss_rc rc;

    (void)a;
    rc = hss_store_db_version(c->st, &before);
    if (rc == HSS_OK)
        rc = hss_store_migrate(c->st);
    if (rc == HSS_OK)
        rc = hss_store_db_version(c->st, &after);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "migrating");
    if (after != before &&
        (hssctl_begin(c) != 0 || hssctl_finish(c, 0, c->db_path, NULL) != 0))
        return 2;
    hssctl_out_begin(c);
    hssctl_out_int(c, "schema_version_before", before);
    hssctl_out_int(c, "schema_version", after);
    return hssctl_out_end(c);
}

int hssctl_cmd_status(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_store_counts n;
    char keyid[80] = "";
    int version = 0;
    enum hss_rc rc;

    (void)a;
    rc = hss_store_db_version(c->st, &version);
    if (rc == HSS_OK)
        rc = hss_store_key_id(c->st, keyid, sizeof(keyid));
    if (rc == HSS_OK)
        rc = hss_store_counts_get(c->st, c->now, &n);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading the status");
    hssctl_out_begin(c);
    hssctl_out_str(c, "database", c->db_path);
    hssctl_out_str(c, "key_file", c->key_path);
    hssctl_out_str(c, "key_id", keyid);
    hssctl_out_int(c, "schema_version", version);
    hssctl_out_int(c, "binary_schema_version", hss_store_schema_version());
    hssctl_out_obj(c, "counts");
    hssctl_out_int(c, "subscriptions", n.subscriptions);
    hssctl_out_int(c, "impis", n.impis);
    hssctl_out_int(c, "impus", n.impus);
    hssctl_out_int(c, "registered_impus", n.registered_impus);
    hssctl_out_int(c, "pools", n.pools);
    hssctl_out_int(c, "active_leases", n.active_leases);
    hssctl_out_int(c, "outbox_pending", n.outbox_pending);
    hssctl_out_obj_end(c);
    return hssctl_out_end(c);
}
