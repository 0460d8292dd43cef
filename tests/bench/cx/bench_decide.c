/* bench_decide.c - what one Cx write request costs the writer thread.
 *
 * The HSS answers MAR and SAR from one writer thread (cx_writer.c), so its
 * MAR/SAR rate is bounded by the CPU time of one decide. This program runs
 * the extension's own decide functions (cx_mar_decide, cx_sar_decide) the
 * way the writer does - batches of up to 64 in one BEGIN IMMEDIATE - on a
 * provisioned database (run_bench.sh's users: bench{N}@localdomain,
 * sip:bench{N}@localdomain, SIP Digest MD5 + IMS AKA), with no freeDiameter
 * traffic around it, and prints the thread CPU time per request after one
 * unprinted warm-up round. It writes to the database it is given: pass a
 * copy.
 *
 * usage: bench-decide --db FILE --key FILE --users N [--requests R]
 *                     [--batch B] [--seed S]
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cx_conf.h"
#include "cx_mar.h"
#include "cx_sar.h"
#include "hss_store.h"

struct opts {
    const char *db, *key;
    long users, requests, batch;
    unsigned seed;
};

enum kind { K_MAR_DIGEST, K_MAR_AKA, K_SAR_REG, K_SAR_REREG, K_N };
static const char *const KIND_NAME[K_N] = {
    "MAR SIP Digest", "MAR AKA", "SAR REGISTRATION", "SAR RE_REGISTRATION"};

static double cpu_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double wall_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void names(long user, char *impi, char *impu, size_t size)
{
    snprintf(impi, size, "bench%ld@localdomain", user);
    snprintf(impu, size, "sip:bench%ld@localdomain", user);
}

/* One request of kind k for user; returns 1 when answered with success. */
static int one(struct hss_store *st, enum kind k, long user,
               const struct cx_conf *conf, int64_t now)
{
    static struct cx_mar_req mreq;
    static struct cx_mar_ans mans;
    static struct cx_sar_req sreq;
    static struct cx_sar_ans sans;
    int ok;

    if (k == K_MAR_DIGEST || k == K_MAR_AKA) {
        memset(&mreq, 0, sizeof(mreq));
        memset(&mans, 0, sizeof(mans));
        names(user, mreq.impi, mreq.impu, sizeof(mreq.impi));
        snprintf(mreq.server_name, sizeof(mreq.server_name),
                 "sip:scscf.localdomain");
        snprintf(mreq.origin_host, sizeof(mreq.origin_host),
                 "scscf.localdomain");
        snprintf(mreq.origin_realm, sizeof(mreq.origin_realm), "localdomain");
        mreq.n_items = 1;
        mreq.scheme = k == K_MAR_AKA ? CX_MAR_ASK_AKA : CX_MAR_ASK_DIGEST;
        cx_mar_decide(st, cx_mem_global(), &mreq, now, conf, &mans);
        ok = cx_result_is_success(&mans.result);
        cx_mar_ans_wipe(&mans);
        return ok;
    }
    memset(&sreq, 0, sizeof(sreq));
    memset(&sans, 0, sizeof(sans));
    names(user, sreq.impi, sreq.impus[0], sizeof(sreq.impi));
    sreq.n_impus = 1;
    snprintf(sreq.server_name, sizeof(sreq.server_name),
             "sip:scscf.localdomain");
    snprintf(sreq.origin_host, sizeof(sreq.origin_host), "scscf.localdomain");
    snprintf(sreq.origin_realm, sizeof(sreq.origin_realm), "localdomain");
    sreq.sat = k == K_SAR_REG ? CX_SAT_REGISTRATION : CX_SAT_RE_REGISTRATION;
    sreq.udaa = CX_UDAA_USER_DATA_NOT_AVAILABLE;
    cx_sar_decide(st, cx_mem_global(), &sreq, now, conf, &sans);
    ok = cx_result_is_success(&sans.result);
    cx_sar_ans_cleanup(&sans);
    return ok;
}

/* R requests of kind k for random users, in batches; prints one row. */
static int run(struct hss_store *st, enum kind k, const struct opts *o,
               const struct cx_conf *conf, bool print)
{
    long done = 0, failed = 0;
    double cpu0 = cpu_us(), wall0 = wall_us(), cpu, wall;
    int64_t now = (int64_t)time(NULL);

    while (done < o->requests) {
        long n = o->requests - done < o->batch ? o->requests - done : o->batch;

        if (hss_store_batch_begin(st) != HSS_OK) {
            fprintf(stderr, "bench-decide: batch begin: %s\n",
                    hss_store_errmsg(st));
            return -1;
        }
        for (long i = 0; i < n; i++)
            failed += !one(st, k, (long)(rand() % o->users), conf, now);
        if (hss_store_batch_commit(st) != HSS_OK) {
            fprintf(stderr, "bench-decide: batch commit: %s\n",
                    hss_store_errmsg(st));
            return -1;
        }
        done += n;
    }
    cpu = cpu_us() - cpu0;
    wall = wall_us() - wall0;
    if (print)
        printf("%-20s %9ld %10.1f %10.1f %9.0f %7ld\n", KIND_NAME[k], done,
               cpu / (double)done, wall / (double)done,
               (double)done / (wall / 1e6), failed);
    /* what the HSS's checkpoint thread would do, outside the timing */
    (void)hss_store_checkpoint(st, false);
    return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
    o->requests = 20000;
    o->batch = 64;
    o->seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *v = argv[i + 1];
        char *end = NULL;
        long n;

        if (strcmp(argv[i], "--db") == 0) {
            o->db = v;
            continue;
        }
        if (strcmp(argv[i], "--key") == 0) {
            o->key = v;
            continue;
        }
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || n < 1) {
            fprintf(stderr, "bench-decide: %s needs a positive integer\n",
                    argv[i]);
            return -1;
        }
        if (strcmp(argv[i], "--users") == 0)
            o->users = n;
        else if (strcmp(argv[i], "--requests") == 0)
            o->requests = n;
        else if (strcmp(argv[i], "--batch") == 0)
            o->batch = n;
        else if (strcmp(argv[i], "--seed") == 0)
            o->seed = (unsigned)n;
        else {
            fprintf(stderr, "bench-decide: unknown option %s\n", argv[i]);
            return -1;
        }
    }
    if (argc % 2 == 0 || o->db == NULL || o->key == NULL || o->users < 1) {
        fprintf(stderr, "usage: bench-decide --db FILE --key FILE --users N "
                        "[--requests R] [--batch B] [--seed S]\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    struct cx_conf conf;
    struct hss_store *st = NULL;
    struct hss_store_options so;
    char err[256] = "";

    if (parse(argc, argv, &o) != 0)
        return 2;
    cx_conf_defaults(&conf);
    conf.tna_policy = CX_TNA_OFF; /* SARs without a MAR, as run_bench.sh */
    /* the MAR counter runs as in the HSS, but random users repeating
     * within the window must not be locked */
    conf.mar_max_per_window = 1000000;
    memset(&so, 0, sizeof(so));
    so.db_path = o.db;
    so.key_path = o.key;
    so.busy_timeout_ms = conf.db_busy_ms;
    so.synchronous = conf.db_sync_full ? 2 : 1;
    so.mmap_mb = conf.writer_mmap_mb; /* as the writer's handle */
    so.cache_mb = conf.writer_cache_mb;
    so.ckpt_manual = true;
    if (cx_mem_global_init((size_t)conf.mar_pending_max) != 0) {
        fprintf(stderr, "bench-decide: out of memory\n");
        return 1;
    }
    if (hss_store_open(&so, &st, err, sizeof(err)) != HSS_OK) {
        fprintf(stderr, "bench-decide: %s\n", err);
        return 1;
    }
    srand(o.seed);
    printf("bench-decide: %ld users, %ld requests per kind, batches of %ld, "
           "one thread\n",
           o.users, o.requests, o.batch);
    printf("%-20s %9s %10s %10s %9s %7s\n", "request", "count", "cpu us/req",
           "wall us/req", "req/s", "refused");
    /* warm-up: one round of every kind, not printed (first touches of the
     * mapped database file would otherwise land on the first row) */
    for (int k = 0; k < K_N; k++)
        if (run(st, (enum kind)k, &o, &conf, false) != 0) {
            hss_store_close(st);
            cx_mem_global_fini();
            return 1;
        }
    for (int k = 0; k < K_N; k++)
        if (run(st, (enum kind)k, &o, &conf, true) != 0) {
            hss_store_close(st);
            cx_mem_global_fini();
            return 1;
        }
    hss_store_close(st);
    cx_mem_global_fini();
    return 0;
}
