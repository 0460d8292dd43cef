/* cxb_opts.c - command-line options and scenarios of cx-bench.
 *
 * Owns the scenario table (each a chain of Cx requests for one user), the
 * option table, value validation (strtoull/strtod with full checks) and the
 * usage text. A usage error names the option and what to fix.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxb.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CXB_DICT_DEFAULT
#define CXB_DICT_DEFAULT "dict_cx.fdx"
#endif

static const struct cxb_scenario cxb_scenarios[] = {
    {"uar", "UAR", {CXB_UAR}, 1},
    {"lir", "LIR", {CXB_LIR}, 1},
    {"mar-digest", "MAR SIP Digest", {CXB_MAR_DIGEST}, 1},
    {"mar-aka", "MAR AKA", {CXB_MAR_AKA}, 1},
    {"sar-reg", "SAR REGISTRATION", {CXB_SAR_REG}, 1},
    {"sar-rereg", "SAR RE_REGISTRATION", {CXB_SAR_REREG}, 1},
    {"full-reg",
     "full registration",
     {CXB_UAR, CXB_MAR_DIGEST, CXB_SAR_REG},
     3},
};
#define CXB_N_SCENARIOS (sizeof(cxb_scenarios) / sizeof(cxb_scenarios[0]))

const struct cxb_scenario *cxb_scenario_find(const char *name)
{
    for (size_t i = 0; i < CXB_N_SCENARIOS; i++)
        if (strcmp(cxb_scenarios[i].name, name) == 0)
            return &cxb_scenarios[i];
    return NULL;
}

void cxb_opts_defaults(struct cxb_opts *o)
{
    memset(o, 0, sizeof(*o));
    cx_peer_conf_defaults(&o->peer, CXB_DICT_DEFAULT);
    o->domain = "localdomain";
    o->server_name = "sip:scscf.localdomain";
    o->users = 1000000;
    o->inflight = 64;
    o->seconds = 10;
    o->warmup = 2;
    o->timeout_ms = 5000;
    o->label = "run";
}

void cxb_usage(void)
{
    printf(
        "usage: cx-bench [options]\n"
        "\n"
        "Keeps N Cx requests in flight against an HSS for a fixed time and\n"
        "prints requests/s and latency p50/p99/p99.9 per scenario. Users\n"
        "are picked uniformly among bench{N}@DOMAIN / sip:bench{N}@DOMAIN.\n"
        "\n"
        "load:\n"
        "  --scenarios LIST    comma-separated, or \"all\" (default): uar,\n"
        "                      lir, mar-digest, mar-aka, sar-reg, sar-rereg,\n"
        "                      full-reg (UAR -> MAR digest -> SAR, one user,\n"
        "                      latency of the whole chain)\n"
        "  --users N           user numbers [first, first+N) (1000000)\n"
        "  --first N           first user number (0)\n"
        "  --domain D          identity domain (localdomain)\n"
        "  --server-name URI   Server-Name of MAR/SAR (sip:scscf.localdomain)\n"
        "  --inflight N        chains in flight (64)\n"
        "  --seconds S         measured time per scenario (10)\n"
        "  --warmup S          unmeasured time before it (2)\n"
        "  --rate R            start R chains/s on a fixed schedule; latency\n"
        "                      counts from the scheduled start (0: no pacing)\n"
        "  --timeout MS        per request (5000)\n"
        "  --seed N            user picking seed\n"
        "output:\n"
        "  --label TEXT        first column of --tsv lines (run)\n"
        "  --tsv FILE          append: label scenario req/s p50 p99 p99.9\n"
        "                      errors measured server-cpu (latencies and\n"
        "                      CPU per chain in us)\n"
        "  --server-pid PID    the server runs on this machine: report its\n"
        "                      CPU time (/proc) per completed chain\n"
        "connection (like cx-client):\n"
        "  --hss-host H (hss.localdomain)  --hss-realm R (localdomain)\n"
        "  --hss-addr A (127.0.0.1)        --hss-port P (3868)\n"
        "  --identity H (scscf.localdomain) --realm R (localdomain)\n"
        "  --dict PATH (or CX_DICT)        --connect-timeout MS (10000)\n"
        "  -v, --verbose                   freeDiameter notices on stderr\n"
        "\n"
        "exit status: 0 all answers 2xxx, 1 usage, 2 some requests failed\n"
        "or timed out (listed), 3 the HSS peer did not open.\n");
}

/* ---- values ---- */

static int cxb_u64(const char *opt, const char *s, uint64_t min, uint64_t max,
                   uint64_t *out, char *err, size_t errlen)
{
    char *end = NULL;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < min ||
        v > max)
        return cx_peer_errf(err, errlen,
                            "%s: '%s' is not a number in %llu..%llu", opt, s,
                            (unsigned long long)min, (unsigned long long)max);
    *out = v;
    return 0;
}

static int cxb_dbl(const char *opt, const char *s, double min, double max,
                   double *out, char *err, size_t errlen)
{
    char *end = NULL;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < min ||
        v > max)
        return cx_peer_errf(err, errlen, "%s: '%s' is not a number in %g..%g",
                            opt, s, min, max);
    *out = v;
    return 0;
}

/* "all" or a comma-separated list of scenario names (copied: the list is
 * parsed in a local buffer, names point into the static table). */
static int cxb_scenarios_parse(const char *s, struct cxb_opts *o, char *err,
                               size_t errlen)
{
    char buf[256];
    size_t len = strlen(s), start = 0;

    o->n_sc = 0;
    if (strcmp(s, "all") == 0) {
        for (size_t i = 0; i < CXB_N_SCENARIOS; i++)
            o->sc[o->n_sc++] = &cxb_scenarios[i];
        return 0;
    }
    if (len >= sizeof(buf))
        return cx_peer_errf(err, errlen, "--scenarios: list too long");
    memcpy(buf, s, len + 1);
    for (size_t i = 0; i <= len; i++) {
        const struct cxb_scenario *sc;
        if (buf[i] != ',' && buf[i] != '\0')
            continue;
        buf[i] = '\0';
        sc = cxb_scenario_find(buf + start);
        if (sc == NULL)
            return cx_peer_errf(
                err, errlen, "--scenarios: unknown scenario '%s'", buf + start);
        if (o->n_sc >= CXB_MAX_SCENARIOS)
            return cx_peer_errf(err, errlen, "--scenarios: too many");
        o->sc[o->n_sc++] = sc;
        start = i + 1;
    }
    return 0;
}

/* ---- the option table ---- */

enum cxb_opt_id {
    O_SCENARIOS,
    O_USERS,
    O_FIRST,
    O_DOMAIN,
    O_SERVER_NAME,
    O_INFLIGHT,
    O_SECONDS,
    O_WARMUP,
    O_RATE,
    O_TIMEOUT,
    O_SEED,
    O_LABEL,
    O_TSV,
    O_SERVER_PID,
    O_HSS_HOST,
    O_HSS_REALM,
    O_HSS_ADDR,
    O_HSS_PORT,
    O_IDENTITY,
    O_REALM,
    O_DICT,
    O_CONNECT_TIMEOUT,
    O_VERBOSE,
    O_HELP,
};

static const struct {
    const char *name;
    int has_arg;
    enum cxb_opt_id id;
} cxb_opt_table[] = {
    {"--scenarios", 1, O_SCENARIOS},
    {"--users", 1, O_USERS},
    {"--first", 1, O_FIRST},
    {"--domain", 1, O_DOMAIN},
    {"--server-name", 1, O_SERVER_NAME},
    {"--inflight", 1, O_INFLIGHT},
    {"--seconds", 1, O_SECONDS},
    {"--warmup", 1, O_WARMUP},
    {"--rate", 1, O_RATE},
    {"--timeout", 1, O_TIMEOUT},
    {"--seed", 1, O_SEED},
    {"--label", 1, O_LABEL},
    {"--tsv", 1, O_TSV},
    {"--server-pid", 1, O_SERVER_PID},
    {"--hss-host", 1, O_HSS_HOST},
    {"--hss-realm", 1, O_HSS_REALM},
    {"--hss-addr", 1, O_HSS_ADDR},
    {"--hss-port", 1, O_HSS_PORT},
    {"--identity", 1, O_IDENTITY},
    {"--realm", 1, O_REALM},
    {"--dict", 1, O_DICT},
    {"--connect-timeout", 1, O_CONNECT_TIMEOUT},
    {"--verbose", 0, O_VERBOSE},
    {"-v", 0, O_VERBOSE},
    {"--help", 0, O_HELP},
    {"-h", 0, O_HELP},
};

static int cxb_opt_number(enum cxb_opt_id id, const char *name, const char *v,
                          struct cxb_opts *o, char *err, size_t errlen)
{
    uint64_t u = 0;
    int rc = 0;

    switch (id) {
    case O_USERS:
        return cxb_u64(name, v, 1, UINT64_MAX / 2, &o->users, err, errlen);
    case O_FIRST:
        return cxb_u64(name, v, 0, UINT64_MAX / 2, &o->first, err, errlen);
    case O_INFLIGHT:
        rc = cxb_u64(name, v, 1, 100000, &u, err, errlen);
        o->inflight = (unsigned)u;
        return rc;
    case O_SECONDS:
        return cxb_dbl(name, v, 0.1, 86400, &o->seconds, err, errlen);
    case O_WARMUP:
        return cxb_dbl(name, v, 0, 3600, &o->warmup, err, errlen);
    case O_RATE:
        return cxb_dbl(name, v, 0, 10000000, &o->rate, err, errlen);
    case O_TIMEOUT:
        rc = cxb_u64(name, v, 1, 600000, &u, err, errlen);
        o->timeout_ms = (unsigned)u;
        return rc;
    case O_SERVER_PID:
        rc = cxb_u64(name, v, 1, 4194304, &u, err, errlen);
        o->server_pid = (long)u;
        return rc;
    case O_SEED:
        return cxb_u64(name, v, 0, UINT64_MAX, &o->seed, err, errlen);
    case O_HSS_PORT:
        rc = cxb_u64(name, v, 1, 65535, &u, err, errlen);
        o->peer.hss_port = (unsigned)u;
        return rc;
    case O_CONNECT_TIMEOUT:
        rc = cxb_u64(name, v, 1, 600000, &u, err, errlen);
        o->peer.connect_timeout_ms = (unsigned)u;
        return rc;
    default:
        return cx_peer_errf(err, errlen, "%s: internal error", name);
    }
}

static int cxb_opt_apply(enum cxb_opt_id id, const char *name, const char *v,
                         struct cxb_opts *o, char *err, size_t errlen)
{
    switch (id) {
    case O_SCENARIOS:
        return cxb_scenarios_parse(v, o, err, errlen);
    case O_DOMAIN:
        o->domain = v;
        return 0;
    case O_SERVER_NAME:
        o->server_name = v;
        return 0;
    case O_LABEL:
        o->label = v;
        return 0;
    case O_TSV:
        o->tsv = v;
        return 0;
    case O_HSS_HOST:
        o->peer.hss_host = v;
        return 0;
    case O_HSS_REALM:
        o->peer.hss_realm = v;
        return 0;
    case O_HSS_ADDR:
        o->peer.hss_addr = v;
        return 0;
    case O_IDENTITY:
        o->peer.identity = v;
        return 0;
    case O_REALM:
        o->peer.realm = v;
        return 0;
    case O_DICT:
        o->peer.dict_path = v;
        return 0;
    case O_VERBOSE:
        o->peer.log_level = FD_LOG_NOTICE;
        return 0;
    case O_HELP:
        return cx_peer_errf(err, errlen, "help");
    default:
        return cxb_opt_number(id, name, v, o, err, errlen);
    }
}

int cxb_opts_parse(int argc, char **argv, struct cxb_opts *o, char *err,
                   size_t errlen)
{
    const size_t n_opts = sizeof(cxb_opt_table) / sizeof(cxb_opt_table[0]);

    for (int i = 0; i < argc; i++) {
        size_t k;
        for (k = 0; k < n_opts; k++)
            if (strcmp(argv[i], cxb_opt_table[k].name) == 0)
                break;
        if (k == n_opts)
            return cx_peer_errf(err, errlen, "unknown option '%s' (see --help)",
                                argv[i]);
        if (cxb_opt_table[k].has_arg && i + 1 >= argc)
            return cx_peer_errf(err, errlen, "%s needs a value", argv[i]);
        if (cxb_opt_apply(cxb_opt_table[k].id, argv[i],
                          cxb_opt_table[k].has_arg ? argv[i + 1] : NULL, o, err,
                          errlen) != 0)
            return -1;
        i += cxb_opt_table[k].has_arg;
    }
    if (o->n_sc == 0)
        return cxb_scenarios_parse("all", o, err, errlen);
    return 0;
}
