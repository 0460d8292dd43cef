/* test_cx_writer.c - the group-commit writer (cx_writer.c) with its own
 * jobs on a real store: items of one batch roll back alone, a batch that
 * cannot begin fails every job, the queue bound, and stop answering what is
 * left. Every job is finished exactly once.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cx_test_util.h"
#include "cx_writer.h"
#include "hss_store.h"

struct tjob {
    struct cx_writer_job job; /* first */
    const char *name;
    bool keep;  /* decide commits (else rolls back) */
    bool gate;  /* decide waits for gate_open */
    int64_t id; /* the subscription decide added */
    int decided, failed, finished;
};

static pthread_mutex_t g_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static bool g_gate_open, g_gate_entered;

static void tjob_decide(struct hss_store *st, struct cx_writer_job *job)
{
    struct tjob *t = (struct tjob *)job;

    if (t->gate) {
        pthread_mutex_lock(&g_mtx);
        g_gate_entered = true;
        pthread_cond_broadcast(&g_cond);
        while (!g_gate_open)
            pthread_cond_wait(&g_cond, &g_mtx);
        pthread_mutex_unlock(&g_mtx);
    }
    t->decided++;
    if (hss_store_begin(st, HSS_TX_WRITE) != HSS_OK)
        return;
    if (hss_store_subscription_add(st, t->name, &t->id) == HSS_OK && t->keep)
        (void)hss_store_commit(st);
    else
        hss_store_rollback(st);
}

static void tjob_fail(struct cx_writer_job *job, const char *why)
{
    (void)why;
    ((struct tjob *)job)->failed++;
}

static void tjob_finish(struct hss_store *st, struct cx_writer_job *job)
{
    (void)st;
    pthread_mutex_lock(&g_mtx);
    ((struct tjob *)job)->finished++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_mtx);
}

static const struct cx_writer_ops TJOB_OPS = {
    .decide = tjob_decide,
    .fail = tjob_fail,
    .finish = tjob_finish,
};

static void tjob_init(struct tjob *t, const char *name, bool keep, bool gate)
{
    memset(t, 0, sizeof(*t));
    t->job.ops = &TJOB_OPS;
    t->name = name;
    t->keep = keep;
    t->gate = gate;
}

static void gate_reset(void)
{
    pthread_mutex_lock(&g_mtx);
    g_gate_open = false;
    g_gate_entered = false;
    pthread_mutex_unlock(&g_mtx);
}

static void gate_wait_entered(void)
{
    pthread_mutex_lock(&g_mtx);
    while (!g_gate_entered)
        pthread_cond_wait(&g_cond, &g_mtx);
    pthread_mutex_unlock(&g_mtx);
}

static void gate_open(void)
{
    pthread_mutex_lock(&g_mtx);
    g_gate_open = true;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_mtx);
}

static void wait_finished(struct tjob *t)
{
    pthread_mutex_lock(&g_mtx);
    while (t->finished == 0)
        pthread_cond_wait(&g_cond, &g_mtx);
    pthread_mutex_unlock(&g_mtx);
}

/* Submits t and waits until the writer finished it. */
static void run_job(struct cx_writer *w, struct tjob *t)
{
    assert_true(cx_writer_submit(w, &t->job));
    wait_finished(t);
}

static struct hss_store *open_other(const struct cxt_store *s, int busy_ms)
{
    struct hss_store_options o = {
        .db_path = s->db,
        .key_path = s->key,
        .busy_timeout_ms = busy_ms,
    };
    struct hss_store *st = NULL;

    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    return st;
}

/* A rolled back insert's rowid is reused by the next one: check the name. */
static bool sub_named(struct hss_store *st, int64_t id, const char *name)
{
    struct hss_subscription sub;

    return hss_store_subscription_get(st, id, &sub) == HSS_OK &&
           strcmp(sub.name, name) == 0;
}

/* The gate job is the first batch alone; a, b, c queue behind it and form
 * the second batch, where b's decide rolls back to its savepoint. */
static void test_writer_item_rollback_keeps_the_others(void **state)
{
    struct cxt_store s;
    struct cx_writer *w = NULL;
    struct hss_store *check;
    struct tjob gate, a, b, c;
    size_t batches = 0, jobs = 0;

    (void)state;
    assert_int_equal(cxt_store_open(&s), 0);
    check = open_other(&s, 1000);
    gate_reset();
    tjob_init(&gate, "gate", true, true);
    tjob_init(&a, "a", true, false);
    tjob_init(&b, "b", false, false);
    tjob_init(&c, "c", true, false);
    assert_int_equal(cx_writer_start(s.st, 16, 64, 0, 0, &w), 0);
    s.st = NULL; /* the writer owns it */
    assert_true(cx_writer_submit(w, &gate.job));
    gate_wait_entered();
    assert_true(cx_writer_submit(w, &a.job));
    assert_true(cx_writer_submit(w, &b.job));
    assert_true(cx_writer_submit(w, &c.job));
    gate_open();
    wait_finished(&c);
    wait_finished(&b);
    wait_finished(&a);
    cx_writer_stats(w, &batches, &jobs, NULL);
    assert_int_equal(batches, 2);
    assert_int_equal(jobs, 4);
    assert_true(sub_named(check, a.id, "a"));
    assert_false(sub_named(check, b.id, "b"));
    assert_true(sub_named(check, c.id, "c"));
    assert_int_equal(a.failed + b.failed + c.failed, 0);
    cx_writer_stop(w, 1000);
    assert_int_equal(gate.finished + a.finished + b.finished + c.finished, 4);
    hss_store_close(check);
    cxt_store_close(&s);
}

static size_t ckpts_run(struct cx_writer *w)
{
    size_t batches, jobs, ck[3];

    cx_writer_stats(w, &batches, &jobs, ck);
    return ck[0];
}

/* With ckpt_frames = 1 every commit is over the limit, but the writer
 * checkpoints only after the sweep thread's hint (then copies what came
 * since), once per hint. */
static void test_writer_checkpoints_after_the_hint(void **state)
{
    struct cxt_store s;
    struct hss_store_options o;
    struct hss_store *mine = NULL;
    struct cx_writer *w = NULL;
    struct tjob t[5];

    (void)state;
    assert_int_equal(cxt_store_open(&s), 0);
    memset(&o, 0, sizeof(o));
    o.db_path = s.db;
    o.key_path = s.key;
    o.ckpt_manual = true;
    assert_int_equal(hss_store_open(&o, &mine, NULL, 0), HSS_OK);
    for (int i = 0; i < 5; i++)
        tjob_init(&t[i], "t", true, false);
    assert_int_equal(cx_writer_start(mine, 16, 64, 1, 0, &w), 0);
    /* The checkpoint step follows a batch's answers: "job i finished" says
     * nothing of it, "job i+1 finished" says it ran for i's batch (one
     * thread, batches in order). A hint given after job i finished may be
     * taken by i's step or by i+1's. */
    run_job(w, &t[0]);
    run_job(w, &t[1]);
    assert_int_equal(ckpts_run(w), 0); /* t0 over the limit, but no hint */
    cx_writer_checkpoint_hint(w);
    run_job(w, &t[2]);
    run_job(w, &t[3]);
    assert_int_equal(ckpts_run(w), 1); /* t1's or t2's step took the hint */
    run_job(w, &t[4]);
    assert_int_equal(ckpts_run(w), 1); /* t3's step: no hint, none */
    cx_writer_stop(w, 1000);
    cxt_store_close(&s);
}

/* Another handle holds the write lock longer than the writer's busy
 * timeout: no batch can begin, every job fails and is finished. */
static void test_writer_batch_failure_fails_every_job(void **state)
{
    struct cxt_store s;
    struct cx_writer *w = NULL;
    struct hss_store *mine, *locker;
    struct tjob a, b;

    (void)state;
    assert_int_equal(cxt_store_open(&s), 0);
    mine = open_other(&s, 50);
    locker = open_other(&s, 1000);
    tjob_init(&a, "a", true, false);
    tjob_init(&b, "b", true, false);
    assert_int_equal(cx_writer_start(mine, 16, 64, 0, 0, &w), 0);
    assert_int_equal(hss_store_begin(locker, HSS_TX_WRITE), HSS_OK);
    assert_true(cx_writer_submit(w, &a.job));
    assert_true(cx_writer_submit(w, &b.job));
    wait_finished(&a);
    wait_finished(&b);
    hss_store_rollback(locker);
    assert_int_equal(a.decided + b.decided, 0);
    assert_int_equal(a.failed, 1);
    assert_int_equal(b.failed, 1);
    cx_writer_stop(w, 1000);
    assert_int_equal(a.finished + b.finished, 2);
    hss_store_close(locker);
    cxt_store_close(&s);
}

struct opener {
    int delay_ms;
};

static void *open_later(void *arg)
{
    struct timespec ts = {0, ((struct opener *)arg)->delay_ms * 1000000L};

    nanosleep(&ts, NULL);
    gate_open();
    return NULL;
}

/* Bounded queue; stop with no drain time left fails and finishes what is
 * queued, exactly once, and refuses new jobs. */
static void test_writer_queue_bound_and_stop(void **state)
{
    struct cxt_store s;
    struct cx_writer *w = NULL;
    struct tjob gate, a, b, late;
    struct opener op = {100};
    pthread_t t;

    (void)state;
    assert_int_equal(cxt_store_open(&s), 0);
    gate_reset();
    tjob_init(&gate, "gate", true, true);
    tjob_init(&a, "a", true, false);
    tjob_init(&b, "b", true, false);
    tjob_init(&late, "late", true, false);
    assert_int_equal(cx_writer_start(s.st, 1, 64, 0, 0, &w), 0);
    s.st = NULL;
    assert_true(cx_writer_submit(w, &gate.job));
    gate_wait_entered();
    assert_true(cx_writer_submit(w, &a.job));
    assert_false(cx_writer_submit(w, &b.job)); /* queue of 1 is full */
    assert_int_equal(pthread_create(&t, NULL, open_later, &op), 0);
    cx_writer_stop(w, 0);
    pthread_join(t, NULL);
    assert_int_equal(gate.finished, 1);
    assert_int_equal(gate.failed, 0);
    assert_int_equal(a.finished, 1);
    assert_int_equal(a.failed, 1);
    assert_int_equal(a.decided, 0);
    assert_int_equal(b.finished, 0);
    assert_false(cx_writer_submit(NULL, &late.job));
    cxt_store_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_item_rollback_keeps_the_others),
        cmocka_unit_test(test_writer_checkpoints_after_the_hint),
        cmocka_unit_test(test_writer_batch_failure_fails_every_job),
        cmocka_unit_test(test_writer_queue_bound_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
