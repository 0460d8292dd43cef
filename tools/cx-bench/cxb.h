/* cxb.h - internal interfaces of cx-bench, the Cx load generator.
 *
 * Owns the model shared by the program's files: the options, the
 * scenarios (a chain of one to three Cx requests for one user), and the
 * figures one run of a scenario produces.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CXB_H
#define CXB_H

#include <stddef.h>
#include <stdint.h>

#include "cx_peer.h"

/* Exit statuses. */
#define CXB_EXIT_OK 0
#define CXB_EXIT_USAGE 1
#define CXB_EXIT_ERRORS 2 /* some requests failed or timed out */
#define CXB_EXIT_NOPEER 3

#define CXB_MAX_STEPS 3
#define CXB_MAX_SCENARIOS 16
#define CXB_MAX_ERR_KINDS 8

/* One Cx request as a scenario sends it. */
enum cxb_step {
    CXB_UAR,        /* UAR, User-Authorization-Type REGISTRATION */
    CXB_MAR_DIGEST, /* MAR "SIP Digest", one item */
    CXB_MAR_AKA,    /* MAR "Digest-AKAv1-MD5", one vector */
    CXB_SAR_REG,    /* SAR REGISTRATION, user data not available */
    CXB_SAR_REREG,  /* SAR RE_REGISTRATION, user data already available */
    CXB_LIR,        /* LIR, originating */
    CXB_N_STEPS
};

struct cxb_scenario {
    const char *name;  /* command-line name, e.g. "mar-digest" */
    const char *title; /* table label */
    enum cxb_step steps[CXB_MAX_STEPS];
    unsigned n_steps;
};

struct cxb_opts {
    struct cx_peer_conf peer;
    const char *domain;      /* identities bench{N}@domain, sip:bench{N}@.. */
    const char *server_name; /* Server-Name of MAR/SAR */
    uint64_t users;          /* pick N uniformly in [first, first+users) */
    uint64_t first;
    unsigned inflight;
    double seconds;
    double warmup;
    double rate; /* chains per second; 0: as fast as the window allows */
    unsigned timeout_ms;
    uint64_t seed;
    const char *label; /* first column of --tsv lines */
    const char *tsv;   /* append one line per scenario, or NULL */
    long server_pid;   /* >0: report this process's CPU time per chain */
    const struct cxb_scenario *sc[CXB_MAX_SCENARIOS];
    unsigned n_sc;
};

/* Pseudo result codes of cxb_err (real ones are < 10000; 0 is an answer
 * without any result AVP). */
#define CXB_CODE_TIMEOUT 0xffffffffu
#define CXB_CODE_NOT_SENT 0xfffffffeu

/* An unsuccessful outcome and how often it happened. */
struct cxb_err {
    uint32_t code;
    int experimental;
    uint64_t n;
};

/* Figures of one scenario run. Latencies in microseconds. */
struct cxb_result {
    double per_s; /* successful chains completed per second */
    double p50, p99, p999;
    uint64_t ok;      /* chains measured (started in the window, succeeded) */
    uint64_t errors;  /* chains that failed, warm-up included */
    uint64_t dropped; /* latency samples beyond the preallocated array */
    double server_cpu_us; /* server CPU per completed chain, -1 unknown */
    struct cxb_err err[CXB_MAX_ERR_KINDS];
    unsigned n_err;
};

/* cxb_opts.c */
const struct cxb_scenario *cxb_scenario_find(const char *name);
void cxb_opts_defaults(struct cxb_opts *o);
/* Returns 0, or -1 with the reason in err ("help" for --help). */
int cxb_opts_parse(int argc, char **argv, struct cxb_opts *o, char *err,
                   size_t errlen);
void cxb_usage(void);

/* cxb_build.c: resolves the dictionary objects once (after the core is
 * up); then builds requests and reads results without any search. */
int cxb_build_init(const struct cxb_opts *o, char *err, size_t errlen);
/* Builds request `step` for user n. Returns 0 or an errno. */
int cxb_build(enum cxb_step step, uint64_t n, struct msg **out);
/* Result-Code or Experimental-Result-Code of an answer (0 if none). */
uint32_t cxb_result_code(struct msg *ans, int *experimental);

/* cxb_run.c: runs one scenario (warm-up, then the measured window) and
 * fills *res. Returns 0, or an errno if the run could not start. */
int cxb_run(struct cx_peer *peer, const struct cxb_opts *o,
            const struct cxb_scenario *sc, struct cxb_result *res);

#endif /* CXB_H */
