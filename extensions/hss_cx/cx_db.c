/* cx_db.c - the pool of hss_store handles shared by the dispatch threads,
 * the outbox sender and the lease sweep.
 *
 * A store handle is not thread-safe (hss_store.h), so each concurrent user
 * borrows one for the length of a request and gives it back. The pool is
 * created in fd_ext_init (main thread) and closed in fd_ext_fini, which
 * freeDiameter calls after its dispatch threads stopped (STYLE G16).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_codec.h"
#include "cx_conf.h"
#include "cx_writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "hss_store.h"

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static struct hss_store **g_free; /* stack of free handles */
static struct hss_store **g_all;
static int g_n_free, g_n_all;

static struct hss_store_options g_opt; /* of the pool, for cx_db_open_own */

int cx_db_init(const char *db_path, const char *key_path, bool create_key,
               int busy_ms, bool sync_full, int n_handles, int mmap_mb,
               int cache_mb)
{
    struct hss_store_options opt = {
        .db_path = db_path,
        .key_path = key_path,
        .create_key = create_key,
        .busy_timeout_ms = busy_ms,
        .synchronous = sync_full ? 2 : 1,
        .read_only = false,
        .mmap_mb = mmap_mb,
        .cache_mb = cache_mb,
        .ckpt_manual = true,
    };
    char err[256] = "";

    if (n_handles < 1)
        return EINVAL;
    g_all = calloc((size_t)n_handles, sizeof(*g_all));
    g_free = calloc((size_t)n_handles, sizeof(*g_free));
    if (g_all == NULL || g_free == NULL) {
        cx_db_fini();
        return ENOMEM;
    }
    for (int i = 0; i < n_handles; i++) {
        enum hss_rc rc = hss_store_open(&opt, &g_all[i], err, sizeof(err));

        if (rc != HSS_OK) {
            LOG_E("hss_cx: cannot open the store %s: %s", db_path, err);
            cx_db_fini();
            return EINVAL;
        }
        /* only the first open may create the key and migrate */
        opt.create_key = false;
        g_free[i] = g_all[i];
        g_n_all = i + 1;
    }
    g_n_free = n_handles;
    g_opt = opt; /* paths point into the configuration in force */
    return 0;
}

struct hss_store *cx_db_open_own(int mmap_mb, int cache_mb)
{
    struct hss_store_options opt = g_opt;
    struct hss_store *st = NULL;
    char err[256] = "";

    if (g_opt.db_path == NULL)
        return NULL;
    opt.mmap_mb = mmap_mb;
    opt.cache_mb = cache_mb;
    if (hss_store_open(&opt, &st, err, sizeof(err)) != HSS_OK) {
        LOG_E("hss_cx: cannot open the store %s: %s", g_opt.db_path, err);
        return NULL;
    }
    return st;
}

/* While the WAL is over the writer's limit the sweep thread checkpoints
 * again at once, each round copying what the writer appended during the
 * previous one (log grows by that much), until a round had little to copy;
 * then it hands the rest to the writer, whose checkpoint between two
 * batches lets the WAL start over. The writer's stall stays short: about
 * what one short round leaves behind, plus two fsyncs. */
#define CX_DB_CATCHUP_FRAMES 1024 /* 4 MiB of 4 KiB pages */
#define CX_DB_CATCHUP_ROUNDS 16

void cx_db_checkpoint(void)
{
    struct hss_store *st = cx_db_borrow();
    int limit = cx_config()->db_wal_mb * 256;
    int log = -1, left = -1, prev = -1;

    if (st == NULL)
        return;
    for (int round = 0; round < CX_DB_CATCHUP_ROUNDS; round++) {
        if (hss_store_checkpoint_passive(st, &log, &left) != HSS_OK) {
            LOG_E("hss_cx: WAL checkpoint failed: %s", hss_store_errmsg(st));
            break;
        }
        if (limit <= 0 || log < limit)
            break; /* small, or the WAL started over: nothing to hand over */
        /* the pages this round copied, synced here rather than by the
         * writer's checkpoint (measured: its fsync alone took 160-230 ms,
         * the accumulated pages of every round) */
        if (hss_store_sync_db(st) != HSS_OK) {
            LOG_E("hss_cx: database sync failed: %s", hss_store_errmsg(st));
            break;
        }
        if ((prev >= 0 && log - prev <= CX_DB_CATCHUP_FRAMES) ||
            round == CX_DB_CATCHUP_ROUNDS - 1) {
            cx_writer_checkpointed();
            break;
        }
        prev = log;
    }
    cx_db_return(st);
}

struct hss_store *cx_db_borrow(void)
{
    struct hss_store *st = NULL;

    pthread_mutex_lock(&g_lock);
    while (g_n_free == 0 && g_n_all > 0)
        pthread_cond_wait(&g_cond, &g_lock);
    if (g_n_free > 0)
        st = g_free[--g_n_free];
    pthread_mutex_unlock(&g_lock);
    return st;
}

void cx_db_return(struct hss_store *st)
{
    if (st == NULL)
        return;
    hss_store_rollback(st); /* a forgotten transaction never leaks on */
    pthread_mutex_lock(&g_lock);
    g_free[g_n_free++] = st;
    pthread_cond_signal(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

void cx_db_fini(void)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < g_n_all; i++)
        hss_store_close(g_all[i]);
    free(g_all);
    free(g_free);
    g_all = g_free = NULL;
    g_n_all = g_n_free = 0;
    g_opt.db_path = NULL;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}
