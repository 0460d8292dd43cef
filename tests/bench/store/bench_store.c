/* bench_store.c - hss_store benchmark: bulk fill, then the store work of the
 * Cx procedures (MAR digest, MAR AKA, SAR, UAR, LIR) with 1 and 2 threads.
 *
 * Usage: bench-store [-n SUBSCRIPTIONS] [-o OPS_PER_THREAD] [-d DIR] [-k]
 *   -n  subscriptions to provision (default 1000000)
 *   -o  operations per thread and procedure (default 20000)
 *   -d  directory for the database and key (default /tmp)
 *   -k  keep an existing filled database instead of re-filling
 * Each subscription has one IMPI, one IMPU, sealed MD5 and SHA-256 H(A1) and
 * sealed AKA credentials. Figures are printed, never asserted (STYLE G21).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hss_store.h"

#define BATCH 10000

static const char MD5[] = "0123456789abcdef0123456789abcdef";
static const char SHA[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

struct cfg {
    long n;
    long ops;
    char db[512];
    char key[512];
    bool keep;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct hss_store *bench_open(const struct cfg *c)
{
    struct hss_store_options o = {
        .db_path = c->db,
        .key_path = c->key,
        .create_key = true,
        .busy_timeout_ms = 30000,
    };
    struct hss_store *st = NULL;
    char err[256] = "";

    if (hss_store_open(&o, &st, err, sizeof(err)) != HSS_OK) {
        fprintf(stderr, "open: %s\n", err);
        exit(2);
    }
    return st;
}

static void die(struct hss_store *st, const char *what)
{
    fprintf(stderr, "%s: %s\n", what, hss_store_errmsg(st));
    exit(2);
}

static void names(long i, char *impi, char *impu, char *sub, size_t size)
{
    snprintf(sub, size, "sub%09ld", i);
    snprintf(impi, size, "user%09ld@ims.bench", i);
    snprintf(impu, size, "sip:user%09ld@ims.bench", i);
}

static void fill_one(struct hss_store *st, long i)
{
    char impi[64], impu[64], sub[64];
    struct hss_impi_new in = {
        .name = impi,
        .kind = HSS_IMPI_REGULAR,
        .schemes = HSS_SCHEME_AKA | HSS_SCHEME_DIGEST,
        .default_scheme = HSS_SCHEME_DIGEST,
    };
    struct hss_impu_new un = {.name = impu};
    struct hss_aka_cred aka = {
        .k = {1, 2}, .opc = {3, 4}, .amf = {0x80, 0}, .sqn = 32};
    int64_t s, pi, pu;

    names(i, impi, impu, sub, sizeof(sub));
    if (hss_store_subscription_add(st, sub, &s) != HSS_OK ||
        hss_store_impi_add(st, s, &in, &pi) != HSS_OK ||
        hss_store_impu_add(st, s, &un, &pu) != HSS_OK ||
        hss_store_assoc_add(st, pi, pu) != HSS_OK ||
        hss_store_digest_set(st, pi, "ims.bench", HSS_HA1_MD5, MD5, true) !=
            HSS_OK ||
        hss_store_digest_set(st, pi, "ims.bench", HSS_HA1_SHA256, SHA, true) !=
            HSS_OK ||
        hss_store_aka_set(st, pi, &aka) != HSS_OK)
        die(st, "fill");
}

static void fill(const struct cfg *c)
{
    struct hss_store *st = bench_open(c);
    double t0 = now_s(), t;
    struct stat sb;
    long i;

    if (hss_store_bulk_mode(st, true) != HSS_OK)
        die(st, "bulk mode");
    for (i = 0; i < c->n; i++) {
        if (i % BATCH == 0 && hss_store_begin(st, HSS_TX_WRITE) != HSS_OK)
            die(st, "begin");
        fill_one(st, i);
        if ((i % BATCH == BATCH - 1 || i == c->n - 1) &&
            hss_store_commit(st) != HSS_OK)
            die(st, "commit");
        if (i % 100000 == 99999) {
            fprintf(stderr, "  filled %ld (%.1f s)\n", i + 1, now_s() - t0);
        }
    }
    if (hss_store_bulk_mode(st, false) != HSS_OK)
        die(st, "bulk mode off");
    t = now_s() - t0;
    hss_store_close(st);
    stat(c->db, &sb);
    printf("fill: %ld subscriptions in %.1f s (%.0f subscriptions/s), "
           "database %.1f MiB (%.0f bytes/subscription)\n",
           c->n, t, (double)c->n / t, (double)sb.st_size / 1048576.0,
           (double)sb.st_size / (double)c->n);
}

/* ---- operations ---- */

enum op { OP_MAR_DIGEST, OP_MAR_AKA, OP_SAR, OP_UAR, OP_LIR, OP_COUNT };

static const char *const OP_NAME[OP_COUNT] = {
    "MAR digest (impi+impu+assoc+digest_get)",
    "MAR AKA (write tx: aka_get+sqn_set)",
    "SAR REGISTRATION (write tx, 6 calls)",
    "UAR (impi+impu+assoc+visited+sub)",
    "LIR (impu_get+subscription_get)",
};

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static enum hss_rc op_run(struct hss_store *st, enum op op, long i)
{
    char impi[64], impu[64], sub[64], ha1[HSS_HA1_HEX_MAX + 1];
    struct hss_impi pi;
    struct hss_impu pu;
    struct hss_assoc as;
    struct hss_aka_cred aka;
    struct hss_subscription s;
    enum hss_rc rc;
    bool ok;

    names(i, impi, impu, sub, sizeof(sub));
    switch (op) {
    case OP_MAR_DIGEST:
        rc = hss_store_impi_get(st, impi, &pi);
        if (rc == HSS_OK)
            rc = hss_store_impu_get(st, impu, &pu);
        if (rc == HSS_OK)
            rc = hss_store_assoc_get(st, pi.id, pu.id, &as);
        if (rc == HSS_OK)
            rc = hss_store_digest_get(st, pi.id, "ims.bench", HSS_HA1_MD5, ha1,
                                      NULL, 0);
        return rc;
    case OP_MAR_AKA:
        rc = hss_store_impi_get(st, impi, &pi);
        if (rc == HSS_OK)
            rc = hss_store_begin(st, HSS_TX_WRITE);
        if (rc == HSS_OK)
            rc = hss_store_aka_get(st, pi.id, &aka);
        if (rc == HSS_OK)
            rc = hss_store_aka_sqn_set(st, pi.id, aka.sqn + 32);
        if (rc == HSS_OK)
            rc = hss_store_commit(st);
        hss_store_rollback(st);
        return rc;
    case OP_SAR:
        rc = hss_store_begin(st, HSS_TX_WRITE);
        if (rc == HSS_OK)
            rc = hss_store_impi_get(st, impi, &pi);
        if (rc == HSS_OK)
            rc = hss_store_impu_get(st, impu, &pu);
        if (rc == HSS_OK)
            rc = hss_store_subscription_set_scscf(st, pu.subscription_id,
                                                  "sip:scscf.bench:6060",
                                                  "scscf.bench", "bench");
        if (rc == HSS_OK)
            rc = hss_store_assoc_set_registered(st, pi.id, pu.id, true);
        if (rc == HSS_OK)
            rc = hss_store_assoc_set_auth_pending(st, pi.id, pu.id, false);
        if (rc == HSS_OK)
            rc = hss_store_impu_set_reg_state(st, pu.id, HSS_REG_REGISTERED);
        if (rc == HSS_OK)
            rc = hss_store_commit(st);
        hss_store_rollback(st);
        return rc;
    case OP_UAR:
        rc = hss_store_impi_get(st, impi, &pi);
        if (rc == HSS_OK)
            rc = hss_store_impu_get(st, impu, &pu);
        if (rc == HSS_OK)
            rc = hss_store_assoc_get(st, pi.id, pu.id, &as);
        if (rc == HSS_OK)
            rc = hss_store_visited_allowed(st, pu.subscription_id,
                                           "visited.bench", &ok);
        if (rc == HSS_OK)
            rc = hss_store_subscription_get(st, pu.subscription_id, &s);
        return rc;
    case OP_LIR:
        rc = hss_store_impu_get(st, impu, &pu);
        if (rc == HSS_OK)
            rc = hss_store_subscription_get(st, pu.subscription_id, &s);
        return rc;
    case OP_COUNT:
        break;
    }
    return HSS_INVALID;
}

struct worker {
    const struct cfg *c;
    enum op op;
    uint64_t seed;
    long done, failed;
    pthread_t th;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct hss_store *st = bench_open(w->c);
    long k;

    for (k = 0; k < w->c->ops; k++) {
        long i = (long)(xorshift(&w->seed) % (uint64_t)w->c->n);

        if (op_run(st, w->op, i) == HSS_OK)
            w->done++;
        else
            w->failed++;
    }
    hss_store_close(st);
    return NULL;
}

static void measure(const struct cfg *c, enum op op, int threads)
{
    struct worker w[2];
    double t0, t;
    long done = 0, failed = 0;
    int i;

    for (i = 0; i < threads; i++) {
        memset(&w[i], 0, sizeof(w[i]));
        w[i].c = c;
        w[i].op = op;
        w[i].seed = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1 + op * 7);
    }
    t0 = now_s();
    for (i = 0; i < threads; i++)
        pthread_create(&w[i].th, NULL, worker_main, &w[i]);
    for (i = 0; i < threads; i++) {
        pthread_join(w[i].th, NULL);
        done += w[i].done;
        failed += w[i].failed;
    }
    t = now_s() - t0;
    printf("| %-41s | %d | %8ld | %8.1f | %9.0f | %6ld |\n", OP_NAME[op],
           threads, done, t * 1e6 * threads / (double)(done + failed),
           (double)done / t, failed);
}

int main(int argc, char **argv)
{
    struct cfg c = {.n = 1000000, .ops = 20000};
    const char *dir = "/tmp";
    struct stat sb;
    int opt, op, threads;

    while ((opt = getopt(argc, argv, "n:o:d:k")) != -1) {
        switch (opt) {
        case 'n':
            c.n = strtol(optarg, NULL, 10);
            break;
        case 'o':
            c.ops = strtol(optarg, NULL, 10);
            break;
        case 'd':
            dir = optarg;
            break;
        case 'k':
            c.keep = true;
            break;
        default:
            fprintf(stderr, "usage: %s [-n N] [-o OPS] [-d DIR] [-k]\n",
                    argv[0]);
            return 1;
        }
    }
    if (c.n <= 0 || c.ops <= 0) {
        fprintf(stderr, "-n and -o must be positive\n");
        return 1;
    }
    snprintf(c.db, sizeof(c.db), "%s/bench-store-%ld.db", dir, c.n);
    snprintf(c.key, sizeof(c.key), "%s/bench-store-%ld.key", dir, c.n);
    if (!c.keep || stat(c.db, &sb) != 0) {
        unlink(c.db);
        unlink(c.key);
        fill(&c);
    }
    printf("\n%ld ops per thread, user picked uniformly among %ld\n\n", c.ops,
           c.n);
    printf("| %-41s | T | ok ops   | us/op*T  | ops/s     | failed |\n",
           "operation");
    printf("|-------------------------------------------|---|----------|"
           "----------|-----------|--------|\n");
    for (op = 0; op < OP_COUNT; op++)
        for (threads = 1; threads <= 2; threads++)
            measure(&c, (enum op)op, threads);
    printf("\nus/op*T = wall time per operation x threads (per-thread cost)"
           "\n");
    return 0;
}
