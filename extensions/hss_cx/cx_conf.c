/* cx_conf.c - hss_cx.conf parsing, validation and dump (see cx_conf.h).
 *
 * The table CX_CONF_KEYS is the single source of truth: every key, its
 * type, bounds and default. Parsing walks the file's settings and looks each
 * up in the table, so an unknown key is an error with its line number.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_conf.h"

#include <libconfig.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum cx_conf_type {
    CX_CONF_STR,     /* char[CX_CONF_PATH_MAX] */
    CX_CONF_INT,     /* int, bounded */
    CX_CONF_BOOL,    /* bool */
    CX_CONF_TNA,     /* enum cx_tna_policy from a string */
    CX_CONF_STRLIST, /* tna_scscfs */
};

struct cx_conf_key {
    const char *name;
    enum cx_conf_type type;
    size_t offset;
    long min, max;
    const char *def; /* default, as text */
};

#define OFF(f) offsetof(struct cx_conf, f)

static const struct cx_conf_key CX_CONF_KEYS[] = {
    /* name                 type            field              min  max default
     */
    {"db_path", CX_CONF_STR, OFF(db_path), 1, 0, "/var/lib/webrtc-hss/hss.db"},
    {"key_path", CX_CONF_STR, OFF(key_path), 1, 0,
     "/var/lib/webrtc-hss/master.key"},
    {"create_key", CX_CONF_BOOL, OFF(create_key), 0, 1, "false"},
    {"db_busy_ms", CX_CONF_INT, OFF(db_busy_ms), 1, 600000, "5000"},
    {"db_sync_full", CX_CONF_BOOL, OFF(db_sync_full), 0, 1, "false"},
    {"db_handles", CX_CONF_INT, OFF(db_handles), 0, 256, "0"},
    {"db_mmap_mb", CX_CONF_INT, OFF(db_mmap_mb), 0, 1048576, "0"},
    {"db_cache_mb", CX_CONF_INT, OFF(db_cache_mb), 0, 65536, "64"},
    {"db_checkpoint_s", CX_CONF_INT, OFF(db_checkpoint_s), 1, 3600, "1"},
    {"db_wal_mb", CX_CONF_INT, OFF(db_wal_mb), 0, 65536, "256"},
    {"writer_nice", CX_CONF_INT, OFF(writer_nice), -20, 19, "-10"},
    {"writer_mmap_mb", CX_CONF_INT, OFF(writer_mmap_mb), 0, 1048576, "1024"},
    {"writer_cache_mb", CX_CONF_INT, OFF(writer_cache_mb), 0, 65536, "8"},
    {"tna_policy", CX_CONF_TNA, OFF(tna_policy), 0, 0, "web-enabled-only"},
    {"tna_scscfs", CX_CONF_STRLIST, OFF(tna_scscfs), 0, 0, ""},
    {"mar_window_s", CX_CONF_INT, OFF(mar_window_s), 1, 86400, "60"},
    {"mar_max_per_window", CX_CONF_INT, OFF(mar_max_per_window), 0, 1000000,
     "30"},
    {"mar_pending_s", CX_CONF_INT, OFF(mar_pending_s), 0, 86400, "300"},
    {"mar_pending_max", CX_CONF_INT, OFF(mar_pending_max), 1, 100000000,
     "1000000"},
    {"auth_failures_max", CX_CONF_INT, OFF(auth_failures_max), 0, 1000000, "5"},
    {"lock_s", CX_CONF_INT, OFF(lock_s), 1, 31536000, "900"},
    {"outbox_poll_ms", CX_CONF_INT, OFF(outbox_poll_ms), 10, 600000, "500"},
    {"outbox_timeout_ms", CX_CONF_INT, OFF(outbox_timeout_ms), 100, 600000,
     "3000"},
    {"outbox_max_attempts", CX_CONF_INT, OFF(outbox_max_attempts), 1, 100, "3"},
    {"outbox_backoff_s", CX_CONF_INT, OFF(outbox_backoff_s), 0, 3600, "2"},
    {"ppr_fallback_rtr", CX_CONF_BOOL, OFF(ppr_fallback_rtr), 0, 1, "true"},
    {"sweep_interval_s", CX_CONF_INT, OFF(sweep_interval_s), 1, 3600, "5"},
    {"quiet_hooks", CX_CONF_BOOL, OFF(quiet_hooks), 0, 1, "true"},
};

#define N_KEYS (sizeof(CX_CONF_KEYS) / sizeof(CX_CONF_KEYS[0]))

const char *cx_tna_policy_str(enum cx_tna_policy p)
{
    switch (p) {
    case CX_TNA_STRICT:
        return "strict";
    case CX_TNA_WEB_ENABLED:
        return "web-enabled-only";
    case CX_TNA_OFF:
        return "off";
    }
    return "?";
}

static int tna_parse(const char *s, enum cx_tna_policy *out)
{
    if (strcmp(s, "strict") == 0)
        *out = CX_TNA_STRICT;
    else if (strcmp(s, "web-enabled-only") == 0)
        *out = CX_TNA_WEB_ENABLED;
    else if (strcmp(s, "off") == 0)
        *out = CX_TNA_OFF;
    else
        return -1;
    return 0;
}

static int copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

/* Applies a default given as text; the table is trusted. */
static void key_default(struct cx_conf *conf, const struct cx_conf_key *k)
{
    char *field = (char *)conf + k->offset;

    switch (k->type) {
    case CX_CONF_STR:
        (void)copy_str(field, CX_CONF_PATH_MAX, k->def);
        break;
    case CX_CONF_INT: {
        long v = 0;
        (void)sscanf(k->def, "%ld", &v);
        *(int *)field = (int)v;
        break;
    }
    case CX_CONF_BOOL:
        *(bool *)field = strcmp(k->def, "true") == 0;
        break;
    case CX_CONF_TNA:
        (void)tna_parse(k->def, (enum cx_tna_policy *)field);
        break;
    case CX_CONF_STRLIST:
        conf->n_tna_scscfs = 0;
        break;
    }
}

void cx_conf_defaults(struct cx_conf *conf)
{
    memset(conf, 0, sizeof(*conf));
    for (size_t i = 0; i < N_KEYS; i++)
        key_default(conf, &CX_CONF_KEYS[i]);
}

static const struct cx_conf_key *key_find(const char *name)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(CX_CONF_KEYS[i].name, name) == 0)
            return &CX_CONF_KEYS[i];
    return NULL;
}

static const char *type_word(enum cx_conf_type t)
{
    switch (t) {
    case CX_CONF_STR:
    case CX_CONF_TNA:
        return "a quoted string";
    case CX_CONF_INT:
        return "an integer";
    case CX_CONF_BOOL:
        return "true or false";
    case CX_CONF_STRLIST:
        return "a list of quoted strings, e.g. [\"a\", \"b\"]";
    }
    return "?";
}

static int apply_list(struct cx_conf *conf, config_setting_t *s)
{
    int n = config_setting_length(s);

    if (n > CX_CONF_LIST_MAX)
        return -1;
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *v = e ? config_setting_get_string(e) : NULL;

        if (v == NULL || *v == '\0' ||
            copy_str(conf->tna_scscfs[i], CX_CONF_NAME_MAX, v) != 0)
            return -1;
    }
    conf->n_tna_scscfs = (size_t)n;
    return 0;
}

/* Applies one setting; returns 0 or -1 with the reason in why. */
static int apply(struct cx_conf *conf, const struct cx_conf_key *k,
                 config_setting_t *s, const char **why)
{
    char *field = (char *)conf + k->offset;
    int t = config_setting_type(s);

    switch (k->type) {
    case CX_CONF_STR: {
        const char *v = config_setting_get_string(s);
        if (t != CONFIG_TYPE_STRING || v == NULL)
            break;
        if (*v == '\0' || copy_str(field, CX_CONF_PATH_MAX, v) != 0) {
            *why = "empty or longer than 1023 bytes";
            return -1;
        }
        return 0;
    }
    case CX_CONF_INT: {
        long long v;
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            break;
        v = config_setting_get_int64(s);
        if (v < k->min || v > k->max) {
            *why = "out of range";
            return -1;
        }
        *(int *)field = (int)v;
        return 0;
    }
    case CX_CONF_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            break;
        *(bool *)field = config_setting_get_bool(s) != 0;
        return 0;
    case CX_CONF_TNA: {
        const char *v = config_setting_get_string(s);
        if (t != CONFIG_TYPE_STRING || v == NULL)
            break;
        if (tna_parse(v, (enum cx_tna_policy *)field) != 0) {
            *why = "must be \"strict\", \"web-enabled-only\" or \"off\"";
            return -1;
        }
        return 0;
    }
    case CX_CONF_STRLIST:
        if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
            break;
        if (apply_list(conf, s) != 0) {
            *why = "at most 16 non-empty strings of < 256 bytes";
            return -1;
        }
        return 0;
    }
    *why = NULL; /* wrong type: caller says which type is wanted */
    return -1;
}

int cx_conf_parse(struct cx_conf *conf, const char *path, char *err,
                  size_t err_size)
{
    config_t cfg;
    config_setting_t *root;
    int rc = -1;

    if (path == NULL)
        return 0;
    config_init(&cfg);
    if (config_read_file(&cfg, path) != CONFIG_TRUE) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            snprintf(err, err_size, "%s: cannot read the file", path);
        else
            snprintf(err, err_size, "%s:%d: %s", path, config_error_line(&cfg),
                     config_error_text(&cfg));
        goto out;
    }
    root = config_root_setting(&cfg);
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(s);
        const struct cx_conf_key *k = name ? key_find(name) : NULL;
        const char *why = NULL;

        if (k == NULL) {
            snprintf(err, err_size, "%s:%u: unknown key '%s'", path,
                     config_setting_source_line(s), name ? name : "?");
            goto out;
        }
        if (apply(conf, k, s, &why) != 0) {
            if (why != NULL)
                snprintf(err, err_size, "%s:%u: %s: %s", path,
                         config_setting_source_line(s), k->name, why);
            else
                snprintf(err, err_size, "%s:%u: %s must be %s", path,
                         config_setting_source_line(s), k->name,
                         type_word(k->type));
            goto out;
        }
    }
    rc = 0;
out:
    config_destroy(&cfg);
    return rc;
}

void cx_conf_dump(const struct cx_conf *conf,
                  void (*emit)(void *ctx, const char *line), void *ctx)
{
    char line[CX_CONF_PATH_MAX + 64];

    for (size_t i = 0; i < N_KEYS; i++) {
        const struct cx_conf_key *k = &CX_CONF_KEYS[i];
        const char *field = (const char *)conf + k->offset;
        char val[CX_CONF_PATH_MAX];

        switch (k->type) {
        case CX_CONF_STR:
            snprintf(val, sizeof(val), "%s", field);
            break;
        case CX_CONF_INT:
            snprintf(val, sizeof(val), "%d", *(const int *)field);
            break;
        case CX_CONF_BOOL:
            snprintf(val, sizeof(val), "%s",
                     *(const bool *)field ? "true" : "false");
            break;
        case CX_CONF_TNA:
            snprintf(val, sizeof(val), "%s",
                     cx_tna_policy_str(*(const enum cx_tna_policy *)field));
            break;
        case CX_CONF_STRLIST: {
            size_t used = 0;
            val[0] = '\0';
            for (size_t j = 0; j < conf->n_tna_scscfs; j++) {
                int n = snprintf(val + used, sizeof(val) - used, "%s%s",
                                 j ? ", " : "", conf->tna_scscfs[j]);
                if (n < 0 || (size_t)n >= sizeof(val) - used)
                    break;
                used += (size_t)n;
            }
            if (conf->n_tna_scscfs == 0)
                snprintf(val, sizeof(val), "(any)");
            break;
        }
        }
        snprintf(line, sizeof(line), " %-20s : %s", k->name, val);
        emit(ctx, line);
    }
}

/* The configuration in force: written once by cx_config_load at init (main
 * thread, before any dispatch thread runs), read-only afterwards. */
static struct cx_conf g_conf_in_force;
static bool g_conf_loaded;

int cx_config_load(const char *path, char *err, size_t err_size)
{
    struct cx_conf conf;

    cx_conf_defaults(&conf);
    if (cx_conf_parse(&conf, path, err, err_size) != 0)
        return -1;
    g_conf_in_force = conf;
    g_conf_loaded = true;
    return 0;
}

const struct cx_conf *cx_config(void)
{
    if (!g_conf_loaded) {
        cx_conf_defaults(&g_conf_in_force);
        g_conf_loaded = true;
    }
    return &g_conf_in_force;
}
