/* cx_writer.c - the group-commit writer thread (see cx_writer.h).
 *
 * Durability: a job's answer is sent by its finish function, which runs
 * only after hss_store_batch_commit returned HSS_OK for the batch holding
 * the job's writes (or after the batch failed, and then the answer is
 * DIAMETER_UNABLE_TO_COMPLY). So an answer never announces a write that is
 * not committed, exactly as with one transaction per request.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include "cx_writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cx_codec.h"
#include "cx_conf.h"
#include "hss_store.h"

#define IDLE_WAIT_MS 1000 /* bound on one idle wait (stop is signalled) */

struct cx_writer {
    pthread_mutex_t mtx;
    pthread_cond_t cond; /* CLOCK_MONOTONIC: work queued, or stop */
    struct cx_writer_job *head, *tail;
    size_t n, queue_max, batch_max;
    bool stop;           /* no more submits; drain until deadline */
    int64_t deadline_ms; /* monotonic, set with stop */
    pthread_t thread;
    struct hss_store *st;
    size_t ckpt_frames;    /* checkpoint when the WAL reaches it; 0 never */
    atomic_bool ckpt_hint; /* the sweep thread just checkpointed */
    int nice;              /* the thread's nice value; 0 = leave it */
    int64_t ckpt_log_ms;   /* last failed checkpoint logged (monotonic) */
    size_t batches, jobs;  /* committed */
    size_t ckpts;          /* checkpoints run */
    size_t ckpt_ms, ckpt_max_ms; /* their time: total, longest */
};

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void wait_ms(struct cx_writer *w, long ms)
{
    struct timespec ts;

    cx_deadline(CLOCK_MONOTONIC, ms, &ts);
    (void)pthread_cond_timedwait(&w->cond, &w->mtx, &ts);
}

static void fail_all(struct cx_writer_job *list, const char *why)
{
    for (struct cx_writer_job *j = list; j != NULL; j = j->next)
        j->ops->fail(j, why);
}

static void finish_all(struct cx_writer *w, struct cx_writer_job *list)
{
    while (list != NULL) {
        struct cx_writer_job *next = list->next;

        list->next = NULL;
        list->ops->finish(w->st, list); /* frees the job */
        list = next;
    }
}

/* One BEGIN IMMEDIATE ... COMMIT around every decide of the list, then
 * every answer. */
static void run_batch(struct cx_writer *w, struct cx_writer_job *list, size_t n)
{
    char why[200];
    enum hss_rc rc = hss_store_batch_begin(w->st);

    if (rc != HSS_OK) {
        snprintf(why, sizeof(why), "batch begin: %s", hss_store_errmsg(w->st));
        LOG_E("hss_cx: writer: %s (%zu requests answered 5012)", why, n);
        fail_all(list, why);
        finish_all(w, list);
        return;
    }
    for (struct cx_writer_job *j = list; j != NULL; j = j->next)
        j->ops->decide(w->st, j);
    rc = hss_store_batch_commit(w->st);
    if (rc != HSS_OK) {
        snprintf(why, sizeof(why), "batch commit: %s", hss_store_errmsg(w->st));
        LOG_E("hss_cx: writer: %s (%zu requests answered 5012)", why, n);
        fail_all(list, why);
    } else {
        pthread_mutex_lock(&w->mtx);
        w->batches++;
        w->jobs += n;
        pthread_mutex_unlock(&w->mtx);
    }
    finish_all(w, list);
}

/* Under constant load the sweep thread's checkpoints never catch up with the
 * writer: it appends while they copy, the WAL never empties and grows
 * without bound (1.4 GB in 20 s of MARs), and every page read probes one
 * more WAL hash table per 4096 frames. So once the WAL is over ckpt_frames
 * the sweep catches up in rounds and hints (cx_writer_checkpoint_hint); the
 * writer then checkpoints between two batches - the only moment nobody
 * appends - copying the little appended since, and the next batch starts
 * the WAL over. */
static void maybe_checkpoint(struct cx_writer *w)
{
    enum hss_rc rc;
    int64_t now;

    if (w->ckpt_frames == 0 ||
        (size_t)hss_store_wal_frames(w->st) < w->ckpt_frames ||
        !atomic_exchange(&w->ckpt_hint, false))
        return;
    now = mono_ms();
    rc = hss_store_checkpoint(w->st, true);
    if (rc == HSS_OK) {
        now = mono_ms() - now;
        pthread_mutex_lock(&w->mtx);
        w->ckpts++;
        w->ckpt_ms += (size_t)now;
        if ((size_t)now > w->ckpt_max_ms)
            w->ckpt_max_ms = (size_t)now;
        pthread_mutex_unlock(&w->mtx);
        return;
    }
    if (rc == HSS_BUSY) { /* another checkpoint is running: next batch */
        atomic_store(&w->ckpt_hint, true);
        return;
    }
    now = mono_ms();
    if (now - w->ckpt_log_ms >= 10000) { /* at most one line per 10 s */
        w->ckpt_log_ms = now;
        LOG_E("hss_cx: writer: WAL checkpoint failed: %s",
              hss_store_errmsg(w->st));
    }
}

/* Every MAR and SAR passes through this one thread: when the dispatch and
 * connection threads (and, on a small host, the S-CSCF) preempt it, the
 * whole pipeline waits. A lower nice value for this thread alone gave +16%
 * (-10) to +25% (-20) MAR/SAR throughput on 2 CPUs. Needs CAP_SYS_NICE (or
 * RLIMIT_NICE); without it the thread keeps the process's nice value. */
static void writer_nice(const struct cx_writer *w)
{
    if (w->nice == 0)
        return;
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), w->nice) != 0)
        LOG_N("hss_cx: writer: cannot set nice %d (%s); it keeps the "
              "process's priority",
              w->nice, strerror(errno));
}

static void *writer_main(void *arg)
{
    struct cx_writer *w = arg;

    writer_nice(w);

    for (;;) {
        struct cx_writer_job *list, *last;
        bool expired;
        size_t n = 0;

        pthread_mutex_lock(&w->mtx);
        while (w->n == 0 && !w->stop)
            wait_ms(w, IDLE_WAIT_MS);
        if (w->n == 0) { /* and stopping */
            pthread_mutex_unlock(&w->mtx);
            break;
        }
        expired = w->stop && mono_ms() >= w->deadline_ms;
        list = last = w->head;
        for (n = 1; n < w->batch_max && last->next != NULL; n++)
            last = last->next;
        w->head = last->next;
        if (w->head == NULL)
            w->tail = NULL;
        last->next = NULL;
        w->n -= n;
        pthread_mutex_unlock(&w->mtx);
        if (expired) {
            fail_all(list, "HSS stopping");
            finish_all(w, list);
        } else {
            run_batch(w, list, n);
            maybe_checkpoint(w);
        }
    }
    return NULL;
}

int cx_writer_start(struct hss_store *st, size_t queue_max, size_t batch_max,
                    size_t ckpt_frames, int nice, struct cx_writer **out)
{
    struct cx_writer *w;
    pthread_condattr_t ca;
    int rc;

    *out = NULL;
    if (st == NULL || queue_max < 1 || batch_max < 1)
        return EINVAL;
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return ENOMEM;
    w->st = st;
    w->queue_max = queue_max;
    w->batch_max = batch_max;
    w->ckpt_frames = ckpt_frames;
    w->nice = nice;
    w->ckpt_log_ms = -10000;
    pthread_mutex_init(&w->mtx, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    rc = pthread_create(&w->thread, NULL, writer_main, w);
    if (rc == 0) /* "top -H" shows it by name; at most 15 characters */
        (void)pthread_setname_np(w->thread, "hss-cx-writer");
    if (rc != 0) {
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->mtx);
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

bool cx_writer_submit(struct cx_writer *w, struct cx_writer_job *job)
{
    bool ok;

    if (w == NULL || job == NULL)
        return false;
    job->next = NULL;
    pthread_mutex_lock(&w->mtx);
    ok = !w->stop && w->n < w->queue_max;
    if (ok) {
        if (w->tail != NULL)
            w->tail->next = job;
        else
            w->head = job;
        w->tail = job;
        w->n++;
        pthread_cond_signal(&w->cond);
    }
    pthread_mutex_unlock(&w->mtx);
    return ok;
}

void cx_writer_stop(struct cx_writer *w, int drain_ms)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mtx);
    w->stop = true;
    w->deadline_ms = mono_ms() + (drain_ms > 0 ? drain_ms : 0);
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->mtx);
    /* bounded: after the deadline the thread only fails and finishes what
     * is left, at most one batch (its busy timeout) being under way */
    pthread_join(w->thread, NULL);
    hss_store_close(w->st);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->mtx);
    free(w);
}

void cx_writer_stats(struct cx_writer *w, size_t *batches, size_t *jobs,
                     size_t ckpts[3])
{
    pthread_mutex_lock(&w->mtx);
    *batches = w->batches;
    *jobs = w->jobs;
    if (ckpts != NULL) {
        ckpts[0] = w->ckpts;
        ckpts[1] = w->ckpt_ms;
        ckpts[2] = w->ckpt_max_ms;
    }
    pthread_mutex_unlock(&w->mtx);
}

/* ---- the extension's writer ------------------------------------------ */

/* Set in init before the dispatch handlers are registered, cleared in fini
 * after freeDiameter stopped its dispatch threads: read without a lock. */
static struct cx_writer *g_writer;

int cx_writer_init(void)
{
    const struct cx_conf *conf = cx_config();
    /* Mapped: the other handles' commits, which make SQLite drop a
     * mapping, are rare for this one (the writer makes nearly all of
     * them), and at 1M subscribers it saves 5 of 8 preads per request.
     * Its page cache is small: reads come from the mapping, and SQLite
     * walks the whole cache's hash at the end of many write transactions
     * (6 % of the writer's instructions at 1M with 64 MiB, 0.6 % with 8). */
    struct hss_store *st =
        cx_db_open_own(conf->writer_mmap_mb, conf->writer_cache_mb);
    int wal_mb = conf->db_wal_mb;
    int rc;

    if (st == NULL)
        return EINVAL;
    /* 256 frames of SQLite's default 4 KiB page per MiB */
    rc = cx_writer_start(st, CX_WRITER_QUEUE_MAX, CX_WRITER_BATCH_MAX,
                         (size_t)wal_mb * 256, conf->writer_nice, &g_writer);
    if (rc != 0) {
        hss_store_close(st);
        return rc;
    }
    LOG_N("hss_cx: writer started (group commit of MAR/SAR, batches of up "
          "to %d, queue %d, WAL checkpointed at %d MiB, nice %d, %d MiB "
          "mapped, %d MiB cache)",
          CX_WRITER_BATCH_MAX, CX_WRITER_QUEUE_MAX, wal_mb, conf->writer_nice,
          conf->writer_mmap_mb, conf->writer_cache_mb);
    return 0;
}

void cx_writer_checkpoint_hint(struct cx_writer *w)
{
    if (w != NULL)
        atomic_store(&w->ckpt_hint, true);
}

void cx_writer_checkpointed(void)
{
    cx_writer_checkpoint_hint(g_writer);
}

bool cx_writer_queue(struct cx_writer_job *job)
{
    return g_writer != NULL && cx_writer_submit(g_writer, job);
}

void cx_writer_fini(void)
{
    size_t batches = 0, jobs = 0, ckpts[3] = {0, 0, 0};

    if (g_writer == NULL)
        return;
    cx_writer_stats(g_writer, &batches, &jobs, ckpts);
    cx_writer_stop(g_writer, CX_WRITER_DRAIN_MS);
    g_writer = NULL;
    LOG_N("hss_cx: writer stopped: %zu requests in %zu batches; %zu WAL "
          "checkpoints, %zu ms in all, longest %zu ms",
          jobs, batches, ckpts[0], ckpts[1], ckpts[2]);
}
