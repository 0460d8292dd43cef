/* cx_conf.h - configuration of the hss_cx extension (hss_cx.conf).
 *
 * One table of known keys drives parsing, defaults, validation and the
 * startup dump (STYLE G17). The file uses freeDiameter's look: `key = value;`
 * with `#` comments, parsed by libconfig. Unknown keys and bad values are
 * errors naming the file and line. No freeDiameter inside: unit-testable.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_CONF_H
#define CX_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define CX_CONF_PATH_MAX 1024
#define CX_CONF_NAME_MAX 256
#define CX_CONF_LIST_MAX 16

/* Trusted Node Authentication policy: which SAR(REGISTRATION) without a
 * preceding MAR (no authentication-pending flag) the HSS accepts. */
enum cx_tna_policy {
    CX_TNA_STRICT = 0,      /* never: every registration needs a MAR */
    CX_TNA_WEB_ENABLED = 1, /* only web-enabled subscriptions (default) */
    CX_TNA_OFF = 2,         /* no check (a plain, trusting HSS) */
};

struct cx_conf {
    char db_path[CX_CONF_PATH_MAX];  /* default /var/lib/webrtc-hss/hss.db */
    char key_path[CX_CONF_PATH_MAX]; /* default .../master.key */
    bool create_key;                 /* default false */
    int db_busy_ms;                  /* default 5000 */
    bool db_sync_full;               /* default false (NORMAL in WAL) */
    int db_handles;                  /* default 0 = AppServThreads + 2 */
    int db_mmap_mb;                  /* default 0 (PRAGMA mmap_size) */
    int db_cache_mb;                 /* default 64 per handle (cache_size) */
    int db_checkpoint_s;             /* default 1: PASSIVE WAL checkpoint */
    int db_wal_mb;   /* default 256: the writer checkpoints at this WAL size */
    int writer_nice; /* default -10: the MAR/SAR writer thread's nice */
    int writer_mmap_mb;  /* default 1024: mmap_size of the writer's handle */
    int writer_cache_mb; /* default 8: cache_size of the writer's handle */

    enum cx_tna_policy tna_policy; /* default web-enabled-only */
    char tna_scscfs[CX_CONF_LIST_MAX][CX_CONF_NAME_MAX]; /* empty = any */
    size_t n_tna_scscfs;

    int mar_window_s;       /* default 60 */
    int mar_max_per_window; /* default 30; 0 disables */
    int mar_pending_s;      /* default 300: authentications in flight are kept
                               in memory that long (cx_pending.h); 0 stores
                               them (auth-pending flag, S-CSCF name) instead */
    int mar_pending_max;    /* default 1000000 subscriptions held */
    int auth_failures_max;  /* default 5; 0 disables */
    int lock_s;             /* default 900 */

    int outbox_poll_ms;      /* default 500 */
    int outbox_timeout_ms;   /* default 3000 */
    int outbox_max_attempts; /* default 3 */
    int outbox_backoff_s;    /* default 2 (doubles per attempt) */
    bool ppr_fallback_rtr;   /* default true */
    int sweep_interval_s;    /* default 5 */

    bool quiet_hooks; /* default true */
};

/* Sets every default. */
void cx_conf_defaults(struct cx_conf *conf);

/* Parses `path` over the defaults already in *conf. path == NULL keeps the
 * defaults. Returns 0, or -1 with a one-line "file:line: reason" in err. On
 * failure *conf may hold partially applied values: do not use it. */
int cx_conf_parse(struct cx_conf *conf, const char *path, char *err,
                  size_t err_size);

/* Writes the effective configuration, one aligned line per key, through
 * `emit` (no secrets exist in the configuration). */
void cx_conf_dump(const struct cx_conf *conf,
                  void (*emit)(void *ctx, const char *line), void *ctx);

const char *cx_tna_policy_str(enum cx_tna_policy p);

/* The configuration in force for the whole extension: cx_config_load sets
 * it from a file (NULL = defaults) at init; cx_config() returns it (the
 * defaults when nothing was loaded, e.g. in unit tests). */
int cx_config_load(const char *path, char *err, size_t err_size);
const struct cx_conf *cx_config(void);

#endif /* CX_CONF_H */
