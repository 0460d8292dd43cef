/* cxb_main.c - cx-bench: a Cx load generator on an embedded libfdcore.
 *
 * Owns the program flow: options -> one connection to the HSS as an
 * S-CSCF (cx_peer, the same embedding as cx-client) -> each scenario run
 * in turn (cxb_run.c) -> one table row per scenario on stdout, optionally
 * one tab-separated line per scenario appended to --tsv for run_bench.sh
 * -> the failed answers listed on stderr.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxb.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void cxb_print_header(const struct cxb_opts *o)
{
    printf("cx-bench: %s at %s:%u, %" PRIu64 " users, %u in flight, "
           "%g s per scenario after %g s warm-up",
           o->peer.hss_host, o->peer.hss_addr, o->peer.hss_port, o->users,
           o->inflight, o->seconds, o->warmup);
    if (o->rate > 0)
        printf(", paced at %g/s", o->rate);
    printf("\n%-22s %10s %9s %9s %9s %8s %9s\n", "scenario", "req/s", "p50 us",
           "p99 us", "p99.9 us", "errors", "srv cpu");
    fflush(stdout);
}

static void cxb_print_row(const struct cxb_scenario *sc,
                          const struct cxb_result *r)
{
    printf("%-22s %10.1f %9.1f %9.1f %9.1f %8" PRIu64, sc->title, r->per_s,
           r->p50, r->p99, r->p999, r->errors);
    if (r->server_cpu_us >= 0)
        printf(" %9.1f", r->server_cpu_us);
    else
        printf(" %9s", "-");
    putchar('\n');
    fflush(stdout);
}

static void cxb_print_errors(const struct cxb_scenario *sc,
                             const struct cxb_result *r)
{
    for (unsigned i = 0; i < r->n_err; i++) {
        const struct cxb_err *e = &r->err[i];
        if (e->code == CXB_CODE_TIMEOUT)
            fprintf(stderr, "cx-bench: %s: %" PRIu64 " timeouts\n", sc->name,
                    e->n);
        else if (e->code == CXB_CODE_NOT_SENT)
            fprintf(stderr, "cx-bench: %s: %" PRIu64 " requests not sent\n",
                    sc->name, e->n);
        else
            fprintf(stderr, "cx-bench: %s: %" PRIu64 " answers %s %u\n",
                    sc->name, e->n,
                    e->experimental ? "Experimental-Result-Code"
                                    : "Result-Code",
                    e->code);
    }
    if (r->dropped > 0)
        fprintf(stderr,
                "cx-bench: %s: %" PRIu64 " latencies beyond the "
                "sample array were not counted\n",
                sc->name, r->dropped);
}

static int cxb_tsv(const struct cxb_opts *o, const struct cxb_scenario *sc,
                   const struct cxb_result *r)
{
    FILE *f;

    if (o->tsv == NULL)
        return 0;
    f = fopen(o->tsv, "a");
    if (f == NULL) {
        fprintf(stderr, "cx-bench: %s: %s\n", o->tsv, strerror(errno));
        return -1;
    }
    fprintf(f,
            "%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%" PRIu64 "\t%" PRIu64 "\t%.1f\n",
            o->label, sc->name, r->per_s, r->p50, r->p99, r->p999, r->errors,
            r->ok, r->server_cpu_us);
    if (fclose(f) != 0) {
        fprintf(stderr, "cx-bench: %s: %s\n", o->tsv, strerror(errno));
        return -1;
    }
    return 0;
}

static int cxb_session(const struct cxb_opts *o)
{
    struct cx_peer *peer = NULL;
    struct cxb_result res;
    char err[512] = "";
    enum cx_peer_rc prc;
    int status = CXB_EXIT_OK;

    prc = cx_peer_start(&o->peer, &peer, err, sizeof(err));
    if (prc != CX_PEER_OK) {
        fprintf(stderr, "cx-bench: %s\n", err);
        return prc == CX_PEER_NOPEER ? CXB_EXIT_NOPEER : CXB_EXIT_USAGE;
    }
    if (cxb_build_init(o, err, sizeof(err)) != 0) {
        fprintf(stderr, "cx-bench: %s\n", err);
        cx_peer_stop(peer);
        return CXB_EXIT_USAGE;
    }
    cxb_print_header(o);
    for (unsigned i = 0; i < o->n_sc; i++) {
        int rc = cxb_run(peer, o, o->sc[i], &res);
        if (rc != 0 && rc != ETIMEDOUT) {
            fprintf(stderr, "cx-bench: %s: %s\n", o->sc[i]->name, strerror(rc));
            status = CXB_EXIT_ERRORS;
            break;
        }
        cxb_print_row(o->sc[i], &res);
        cxb_print_errors(o->sc[i], &res);
        if (cxb_tsv(o, o->sc[i], &res) != 0 || res.errors > 0 ||
            rc == ETIMEDOUT)
            status = CXB_EXIT_ERRORS;
        if (rc == ETIMEDOUT) {
            fprintf(stderr,
                    "cx-bench: %s: answers still missing after the "
                    "drain; stopping\n",
                    o->sc[i]->name);
            break;
        }
    }
    cx_peer_stop(peer);
    return status;
}

int main(int argc, char **argv)
{
    struct cxb_opts o;
    char err[512];

    cxb_opts_defaults(&o);
    if (cxb_opts_parse(argc - 1, argv + 1, &o, err, sizeof(err)) != 0) {
        if (strcmp(err, "help") == 0) {
            cxb_usage();
            return CXB_EXIT_OK;
        }
        fprintf(stderr, "cx-bench: %s\n", err);
        return CXB_EXIT_USAGE;
    }
    return cxb_session(&o);
}
