/* cxb_run.c - the load engine of cx-bench: N chains in flight for a fixed
 * time, latency of each, throughput and errors.
 *
 * Owns one run of one scenario. The main thread takes a free slot (at most
 * --inflight), picks a user uniformly, builds the first request and sends
 * it with an answer callback (cx_peer_send); the callback, on a
 * freeDiameter thread, sends the next request of the chain for the same
 * user or, at the end of the chain, records the latency into a
 * preallocated array and frees the slot. Any answer that is not 2xxx, and
 * any timeout, ends the chain as an error. With --rate the main thread
 * paces chain starts on a fixed schedule and a chain's latency counts from
 * its scheduled start, so a stalled server cannot hide its stall
 * (coordinated omission). Every wait is bounded.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxb.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CXB_NS 1000000000ull
#define CXB_SAMPLES_PER_S 200000ull /* array size per measured second */
#define CXB_SAMPLES_MAX 50000000ull
#define CXB_SLOT_WAIT_NS 100000000ull /* re-check the clock every 100 ms */
#define CXB_DRAIN_GRACE_MS 3000u

struct cxb_run;

struct cxb_slot {
    struct cxb_run *run;
    uint64_t user;
    uint64_t t0; /* chain start (scheduled start when paced), ns */
    unsigned step;
    int measured; /* started inside the measured window */
};

struct cxb_run {
    const struct cxb_scenario *sc;
    const struct cxb_opts *o;
    struct cx_peer *peer;
    uint64_t t_meas, t_end; /* measured window [t_meas, t_end), ns */
    struct cxb_slot *slots;
    unsigned *free_ix; /* stack of free slot indexes, under mtx */
    unsigned n_free;
    pthread_mutex_t mtx; /* free_ix, n_free, res->err */
    pthread_cond_t cond;
    uint32_t *lat; /* ns, clamped to UINT32_MAX */
    uint64_t lat_cap;
    atomic_uint_fast64_t n_lat;
    atomic_uint_fast64_t done_in_window;
    atomic_uint_fast64_t errors;
    atomic_uint_fast64_t dropped;
    atomic_uint_fast64_t completed; /* every successful chain */
    struct cxb_result *res;
};

static uint64_t cxb_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * CXB_NS + (uint64_t)ts.tv_nsec;
}

static struct timespec cxb_ts(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / CXB_NS), (long)(ns % CXB_NS)};

    return ts;
}

/* xorshift64*: the sender's private generator (one thread). */
static uint64_t cxb_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* ---- slots and outcomes ---- */

static void cxb_release(struct cxb_run *r, struct cxb_slot *s)
{
    pthread_mutex_lock(&r->mtx);
    r->free_ix[r->n_free++] = (unsigned)(s - r->slots);
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->mtx);
}

static void cxb_fail(struct cxb_run *r, struct cxb_slot *s, uint32_t code,
                     int experimental)
{
    struct cxb_result *res = r->res;
    unsigned i;

    atomic_fetch_add(&r->errors, 1);
    pthread_mutex_lock(&r->mtx);
    for (i = 0; i < res->n_err; i++)
        if (res->err[i].code == code &&
            res->err[i].experimental == experimental)
            break;
    if (i == res->n_err && i < CXB_MAX_ERR_KINDS) {
        res->err[i].code = code;
        res->err[i].experimental = experimental;
        res->n_err++;
    }
    if (i < res->n_err)
        res->err[i].n++;
    pthread_mutex_unlock(&r->mtx);
    cxb_release(r, s);
}

static void cxb_done(struct cxb_run *r, struct cxb_slot *s)
{
    uint64_t t1 = cxb_now(), d = t1 - s->t0;

    if (s->measured) {
        uint64_t i = atomic_fetch_add(&r->n_lat, 1);
        if (i < r->lat_cap)
            r->lat[i] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
        else
            atomic_fetch_add(&r->dropped, 1);
    }
    if (t1 >= r->t_meas && t1 < r->t_end)
        atomic_fetch_add(&r->done_in_window, 1);
    atomic_fetch_add(&r->completed, 1);
    cxb_release(r, s);
}

static void cxb_answer_cb(void *data, struct msg *ans);

/* Sends the current step of slot s; on failure the chain ends. */
static void cxb_send_step(struct cxb_run *r, struct cxb_slot *s)
{
    struct msg *m = NULL;

    if (cxb_build(r->sc->steps[s->step], s->user, &m) != 0) {
        cxb_fail(r, s, CXB_CODE_NOT_SENT, 0);
        return;
    }
    if (cx_peer_send(r->peer, &m, r->o->timeout_ms, cxb_answer_cb, s) !=
        CX_PEER_OK)
        cxb_fail(r, s, CXB_CODE_NOT_SENT, 0);
}

/* On a freeDiameter thread: the answer of the current step (or NULL on
 * timeout). Next step, or the end of the chain. */
static void cxb_answer_cb(void *data, struct msg *ans)
{
    struct cxb_slot *s = data;
    struct cxb_run *r = s->run;
    int exp = 0;
    uint32_t code;

    if (ans == NULL) {
        cxb_fail(r, s, CXB_CODE_TIMEOUT, 0);
        return;
    }
    code = cxb_result_code(ans, &exp);
    fd_msg_free(ans);
    if (code < 2000 || code > 2999) {
        cxb_fail(r, s, code, exp);
        return;
    }
    if (++s->step < r->sc->n_steps) {
        cxb_send_step(r, s);
        return;
    }
    cxb_done(r, s);
}

/* ---- the sender ---- */

/* Waits for a free slot until deadline; NULL when none came in time. */
static struct cxb_slot *cxb_take(struct cxb_run *r, uint64_t deadline)
{
    struct cxb_slot *s = NULL;

    pthread_mutex_lock(&r->mtx);
    while (r->n_free == 0) {
        uint64_t now = cxb_now(), until = now + CXB_SLOT_WAIT_NS;
        struct timespec ts;
        if (now >= deadline)
            break;
        /* the condition variable uses CLOCK_MONOTONIC (cxb_run_init) */
        ts = cxb_ts(until < deadline ? until : deadline);
        (void)pthread_cond_timedwait(&r->cond, &r->mtx, &ts);
    }
    if (r->n_free > 0)
        s = &r->slots[r->free_ix[--r->n_free]];
    pthread_mutex_unlock(&r->mtx);
    return s;
}

static void cxb_sleep_until(uint64_t t)
{
    struct timespec ts = cxb_ts(t);

    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static void cxb_send_loop(struct cxb_run *r, uint64_t t_start)
{
    const struct cxb_opts *o = r->o;
    uint64_t seed = o->seed ? o->seed : 0x9e3779b97f4a7c15ull;
    double interval = o->rate > 0 ? (double)CXB_NS / o->rate : 0;

    for (uint64_t k = 0;; k++) {
        uint64_t t0 = cxb_now();
        struct cxb_slot *s;
        if (interval > 0) {
            uint64_t due = t_start + (uint64_t)((double)k * interval);
            if (due >= r->t_end)
                break;
            if (due > t0)
                cxb_sleep_until(due);
            t0 = due;
        }
        if (cxb_now() >= r->t_end)
            break;
        s = cxb_take(r, r->t_end);
        if (s == NULL)
            break;
        if (interval == 0)
            t0 = cxb_now();
        s->run = r;
        s->user = o->first + cxb_rand(&seed) % o->users;
        s->t0 = t0;
        s->step = 0;
        s->measured = t0 >= r->t_meas;
        cxb_send_step(r, s);
    }
}

/* Waits (bounded) until every chain came back. */
static void cxb_drain(struct cxb_run *r, unsigned n_slots)
{
    uint64_t deadline =
        cxb_now() +
        ((uint64_t)r->o->timeout_ms * CXB_MAX_STEPS + CXB_DRAIN_GRACE_MS) *
            1000000ull;

    pthread_mutex_lock(&r->mtx);
    while (r->n_free < n_slots && cxb_now() < deadline) {
        struct timespec ts = cxb_ts(cxb_now() + CXB_SLOT_WAIT_NS);
        (void)pthread_cond_timedwait(&r->cond, &r->mtx, &ts);
    }
    pthread_mutex_unlock(&r->mtx);
}

/* ---- figures ---- */

static int cxb_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[n], in microseconds. */
static double cxb_pct(const uint32_t *v, uint64_t n, double p)
{
    uint64_t rank;

    if (n == 0)
        return 0;
    rank = (uint64_t)(p * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return (double)v[rank - 1] / 1000.0;
}

static void cxb_figures(struct cxb_run *r)
{
    struct cxb_result *res = r->res;
    uint64_t n = atomic_load(&r->n_lat);
    double window = (double)(r->t_end - r->t_meas) / (double)CXB_NS;

    if (n > r->lat_cap)
        n = r->lat_cap;
    qsort(r->lat, (size_t)n, sizeof(r->lat[0]), cxb_cmp_u32);
    res->ok = n;
    res->p50 = cxb_pct(r->lat, n, 0.50);
    res->p99 = cxb_pct(r->lat, n, 0.99);
    res->p999 = cxb_pct(r->lat, n, 0.999);
    res->per_s = (double)atomic_load(&r->done_in_window) / window;
    res->errors = atomic_load(&r->errors);
    res->dropped = atomic_load(&r->dropped);
}

/* CPU time (user + system) of process pid in microseconds, -1 if
 * unknown. /proc/PID/stat: fields 14 and 15, after the ")" of the name. */
static double cxb_proc_cpu_us(long pid)
{
    char path[64], buf[1024], *p;
    unsigned long long ut = 0, st = 0;
    size_t n;
    FILE *f;

    if (pid <= 0 || snprintf(path, sizeof(path), "/proc/%ld/stat", pid) >=
                        (int)sizeof(path))
        return -1;
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime stime */
    if (p == NULL || sscanf(p + 1,
                            " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                            "%llu %llu",
                            &ut, &st) != 2)
        return -1;
    return (double)(ut + st) * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

/* ---- one run ---- */

static int cxb_run_init(struct cxb_run *r, unsigned n)
{
    pthread_condattr_t ca;
    double secs = r->o->seconds + 1;
    uint64_t cap = (uint64_t)(secs * (double)CXB_SAMPLES_PER_S);

    if (r->o->rate > CXB_SAMPLES_PER_S)
        cap = (uint64_t)(secs * r->o->rate);
    r->lat_cap = cap > CXB_SAMPLES_MAX ? CXB_SAMPLES_MAX : cap;
    r->slots = calloc(n, sizeof(*r->slots));
    r->free_ix = calloc(n, sizeof(*r->free_ix));
    r->lat = malloc((size_t)r->lat_cap * sizeof(*r->lat));
    if (r->slots == NULL || r->free_ix == NULL || r->lat == NULL)
        return ENOMEM;
    for (unsigned i = 0; i < n; i++)
        r->free_ix[i] = n - 1 - i;
    r->n_free = n;
    /* touch the array now, not while measuring */
    memset(r->lat, 0, (size_t)r->lat_cap * sizeof(*r->lat));
    pthread_mutex_init(&r->mtx, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cond, &ca);
    pthread_condattr_destroy(&ca);
    return 0;
}

int cxb_run(struct cx_peer *peer, const struct cxb_opts *o,
            const struct cxb_scenario *sc, struct cxb_result *res)
{
    struct cxb_run *r = calloc(1, sizeof(*r));
    unsigned n = o->inflight;
    uint64_t t_start;
    double cpu0, cpu1;
    int rc;

    memset(res, 0, sizeof(*res));
    if (r == NULL)
        return ENOMEM;
    r->sc = sc;
    r->o = o;
    r->peer = peer;
    r->res = res;
    rc = cxb_run_init(r, n);
    if (rc == 0) {
        t_start = cxb_now();
        r->t_meas = t_start + (uint64_t)(o->warmup * (double)CXB_NS);
        r->t_end = r->t_meas + (uint64_t)(o->seconds * (double)CXB_NS);
        cpu0 = cxb_proc_cpu_us(o->server_pid);
        cxb_send_loop(r, t_start);
        cxb_drain(r, n);
        cpu1 = cxb_proc_cpu_us(o->server_pid);
        res->server_cpu_us = -1;
        if (cpu0 >= 0 && cpu1 >= 0 && atomic_load(&r->completed) > 0)
            res->server_cpu_us =
                (cpu1 - cpu0) / (double)atomic_load(&r->completed);
        pthread_mutex_lock(&r->mtx);
        if (r->n_free < n)
            rc = ETIMEDOUT; /* chains still out: r must stay allocated */
        pthread_mutex_unlock(&r->mtx);
        cxb_figures(r);
        if (rc == ETIMEDOUT)
            return rc; /* r leaked on purpose: callbacks may still come */
        pthread_cond_destroy(&r->cond);
        pthread_mutex_destroy(&r->mtx);
    }
    free(r->lat);
    free(r->free_ix);
    free(r->slots);
    free(r);
    return rc;
}
