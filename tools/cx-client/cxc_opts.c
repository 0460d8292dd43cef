/* cxc_opts.c - command-line and script-line options of cx-client.
 *
 * Owns the option table, value validation (numbers via strtoul with full
 * checks, enumerated names, hex, --raw-avp specs) and the usage text. A
 * usage error always names the option and what to fix.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cx_proto.h"

#ifndef CXC_DICT_DEFAULT
#define CXC_DICT_DEFAULT "dict_cx.fdx"
#endif
#ifndef CXC_FD_EXT_DIR
#define CXC_FD_EXT_DIR "/usr/lib/freeDiameter"
#endif

enum cxc_opt_id {
    O_USER_NAME,
    O_IMPU,
    O_SERVER_NAME,
    O_VISITED,
    O_AUTH_TYPE,
    O_SCHEME,
    O_AUTHZ_HEX,
    O_NUM_ITEMS,
    O_SAT,
    O_UDAA,
    O_ORIGINATING,
    O_UAR_FLAGS,
    O_RAW_AVP,
    O_OMIT,
    O_DEST_REALM,
    O_DEST_HOST,
    O_LISTEN,
    O_LISTEN_COUNT,
    /* global only from here */
    O_GLOBAL,
    O_HSS_HOST = O_GLOBAL,
    O_HSS_REALM,
    O_HSS_ADDR,
    O_HSS_PORT,
    O_IDENTITY,
    O_REALM,
    O_LOCAL_PORT,
    O_LISTEN_ADDR,
    O_DICT,
    O_LOAD_EXT,
    O_TLS_CRED,
    O_TLS_CA,
    O_NO_TLS_CRED,
    O_ACL_WL,
    O_TIMEOUT,
    O_CONNECT_TIMEOUT,
    O_RTA_RESULT,
    O_PPA_RESULT,
    O_SCRIPT,
    O_VERBOSE,
    O_HELP,
};

struct cxc_opt {
    const char *name;
    int nargs;
    enum cxc_opt_id id;
};

static const struct cxc_opt cxc_opt_table[] = {
    {"--user-name", 1, O_USER_NAME},
    {"--impu", 1, O_IMPU},
    {"--server-name", 1, O_SERVER_NAME},
    {"--visited-network", 1, O_VISITED},
    {"--auth-type", 1, O_AUTH_TYPE},
    {"--scheme", 1, O_SCHEME},
    {"--authorization-hex", 1, O_AUTHZ_HEX},
    {"--num-items", 1, O_NUM_ITEMS},
    {"--sat", 1, O_SAT},
    {"--udaa", 1, O_UDAA},
    {"--originating", 0, O_ORIGINATING},
    {"--uar-flags", 1, O_UAR_FLAGS},
    {"--raw-avp", 1, O_RAW_AVP},
    {"--omit", 1, O_OMIT},
    {"--dest-realm", 1, O_DEST_REALM},
    {"--dest-host", 1, O_DEST_HOST},
    {"--listen", 1, O_LISTEN},
    {"--listen-count", 1, O_LISTEN_COUNT},
    {"--hss-host", 1, O_HSS_HOST},
    {"--hss-realm", 1, O_HSS_REALM},
    {"--hss-addr", 1, O_HSS_ADDR},
    {"--hss-port", 1, O_HSS_PORT},
    {"--identity", 1, O_IDENTITY},
    {"--realm", 1, O_REALM},
    {"--local-port", 1, O_LOCAL_PORT},
    {"--listen-addr", 1, O_LISTEN_ADDR},
    {"--dict", 1, O_DICT},
    {"--load-ext", 1, O_LOAD_EXT},
    {"--tls-cred", 2, O_TLS_CRED},
    {"--tls-ca", 1, O_TLS_CA},
    {"--no-tls-cred", 0, O_NO_TLS_CRED},
    {"--acl-wl", 0, O_ACL_WL},
    {"--timeout", 1, O_TIMEOUT},
    {"--connect-timeout", 1, O_CONNECT_TIMEOUT},
    {"--rta-result", 1, O_RTA_RESULT},
    {"--ppa-result", 1, O_PPA_RESULT},
    {"--script", 1, O_SCRIPT},
    {"--verbose", 0, O_VERBOSE},
    {"-v", 0, O_VERBOSE},
    {"--help", 0, O_HELP},
    {"-h", 0, O_HELP},
};

/* AVP names accepted by --omit (what cxc_build may add). */
static const char *const cxc_omittable[] = {
    "Session-Id",
    "Vendor-Specific-Application-Id",
    "Auth-Session-State",
    "Origin-Host",
    "Origin-Realm",
    "Destination-Host",
    "Destination-Realm",
    "User-Name",
    "Public-Identity",
    "Visited-Network-Identifier",
    "User-Authorization-Type",
    "UAR-Flags",
    "Server-Name",
    "SIP-Auth-Data-Item",
    "SIP-Authentication-Scheme",
    "SIP-Authorization",
    "SIP-Number-Auth-Items",
    "Server-Assignment-Type",
    "User-Data-Already-Available",
    "Originating-Request",
};

static const char *const cxc_sat_names[] = {
    "NO_ASSIGNMENT",
    "REGISTRATION",
    "RE_REGISTRATION",
    "UNREGISTERED_USER",
    "TIMEOUT_DEREGISTRATION",
    "USER_DEREGISTRATION",
    "TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME",
    "USER_DEREGISTRATION_STORE_SERVER_NAME",
    "ADMINISTRATIVE_DEREGISTRATION",
    "AUTHENTICATION_FAILURE",
    "AUTHENTICATION_TIMEOUT",
    "DEREGISTRATION_TOO_MUCH_DATA",
    "AAA_USER_DATA_REQUEST",
    "PGW_UPDATE",
    "RESTORATION",
};

static const char *const cxc_uat_names[] = {
    "REGISTRATION",
    "DE_REGISTRATION",
    "REGISTRATION_AND_CAPABILITIES",
};

/* Decimal (or 0x hex) unsigned number, whole string, <= max. */
static int cxc_ulong(const char *s, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long v;

    if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

/* A number or one of names[] (index = value). */
static int cxc_enum(const char *s, const char *const *names, size_t n,
                    unsigned long max, long *out)
{
    unsigned long v;

    for (size_t i = 0; i < n; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *out = (long)i;
            return 0;
        }
    if (cxc_ulong(s, max, &v) != 0)
        return -1;
    *out = (long)v;
    return 0;
}

static int cxc_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int cxc_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = strlen(s);

    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = cxc_hexval(s[i]), lo = cxc_hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return 0;
}

static void cxc_be(uint8_t *d, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[n - 1 - i] = (uint8_t)(v >> (8 * i));
}

/* TYPE of --raw-avp -> value bytes. TYPE may end in "+m" / "-m". */
static int cxc_raw_value(struct cxc_raw *r, const char *type, const char *val)
{
    char t[16];
    size_t tl = strlen(type);
    unsigned long long v;
    char *end = NULL;

    r->mandatory = -1;
    if (tl >= 2 && (strcmp(type + tl - 2, "+m") == 0 ||
                    strcmp(type + tl - 2, "-m") == 0)) {
        r->mandatory = type[tl - 2] == '+';
        tl -= 2;
    }
    if (tl == 0 || tl >= sizeof(t))
        return -1;
    memcpy(t, type, tl);
    t[tl] = '\0';
    if (strcmp(t, "utf8") == 0 || strcmp(t, "str") == 0) {
        size_t n = strlen(val);
        if (n > sizeof(r->data))
            return -1;
        memcpy(r->data, val, n);
        r->len = n;
        return 0;
    }
    if (strcmp(t, "hex") == 0)
        return cxc_hex(val, r->data, sizeof(r->data), &r->len);
    if (*val == '\0')
        return -1;
    errno = 0;
    if (t[0] == 'i') {
        long long s = strtoll(val, &end, 0);
        v = (unsigned long long)s;
        if (strcmp(t, "i32") == 0 && (s < INT32_MIN || s > INT32_MAX))
            return -1;
    } else {
        if (*val == '-')
            return -1;
        v = strtoull(val, &end, 0);
        if (strcmp(t, "u32") == 0 && v > UINT32_MAX)
            return -1;
    }
    if (errno != 0 || end == val || *end != '\0')
        return -1;
    if (strcmp(t, "u32") == 0 || strcmp(t, "i32") == 0)
        r->len = 4;
    else if (strcmp(t, "u64") == 0 || strcmp(t, "i64") == 0)
        r->len = 8;
    else
        return -1;
    cxc_be(r->data, v, r->len);
    return 0;
}

/* CODE:VENDOR:TYPE:VALUE (VALUE may contain ':'). */
static int cxc_raw(struct cxc_req *r, const char *spec, char *err,
                   size_t errlen)
{
    char buf[64];
    const char *c1 = strchr(spec, ':'), *c2, *c3;
    unsigned long code, vendor;
    struct cxc_raw *raw;

    if (r->n_raw >= CXC_MAX_RAW)
        return cx_peer_errf(err, errlen, "too many --raw-avp (max %d)",
                            CXC_MAX_RAW);
    raw = &r->raw[r->n_raw];
    c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    c3 = c2 ? strchr(c2 + 1, ':') : NULL;
    if (c3 == NULL || (size_t)(c3 - spec) >= sizeof(buf))
        goto bad;
    memcpy(buf, spec, (size_t)(c3 - spec));
    buf[c1 - spec] = buf[c2 - spec] = '\0';
    buf[c3 - spec] = '\0';
    if (cxc_ulong(buf, UINT32_MAX, &code) != 0 ||
        cxc_ulong(buf + (c1 - spec) + 1, UINT32_MAX, &vendor) != 0 ||
        cxc_raw_value(raw, buf + (c2 - spec) + 1, c3 + 1) != 0)
        goto bad;
    raw->code = (uint32_t)code;
    raw->vendor = (uint32_t)vendor;
    r->n_raw++;
    return 0;
bad:
    return cx_peer_errf(err, errlen,
                        "--raw-avp '%s': expected CODE:VENDOR:"
                        "TYPE:VALUE, TYPE one of u32 i32 u64 i64 "
                        "utf8 hex, optionally suffixed +m or -m",
                        spec);
}

static int cxc_omit(struct cxc_req *r, const char *name, char *err,
                    size_t errlen)
{
    size_t n = sizeof(cxc_omittable) / sizeof(cxc_omittable[0]);

    if (r->n_omit >= CXC_MAX_OMIT)
        return cx_peer_errf(err, errlen, "too many --omit (max %d)",
                            CXC_MAX_OMIT);
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(name, cxc_omittable[i]) == 0) {
            r->omit[r->n_omit++] = cxc_omittable[i];
            return 0;
        }
    return cx_peer_errf(err, errlen,
                        "--omit %s: not an AVP cx-client adds "
                        "(e.g. User-Name, Public-Identity, "
                        "Destination-Realm)",
                        name);
}

void cxc_req_defaults(struct cxc_req *r)
{
    memset(r, 0, sizeof(*r));
    r->cmd = CXC_CMD_LISTEN;
    r->auth_type = r->num_items = r->sat = CXC_NONE;
    r->udaa = r->originating = r->uar_flags = CXC_NONE;
}

void cxc_opts_defaults(struct cxc_opts *o)
{
    memset(o, 0, sizeof(*o));
    cx_peer_conf_defaults(&o->peer, CXC_DICT_DEFAULT);
    o->timeout_ms = 5000;
    o->rta_result = CX_RC_SUCCESS;
    o->ppa_result = CX_RC_SUCCESS;
    cxc_req_defaults(&o->req);
}

static int cxc_result_opt(const char *v, long *out)
{
    unsigned long x;

    if (strcmp(v, "none") == 0) {
        *out = CXC_NONE;
        return 0;
    }
    if (cxc_ulong(v, UINT32_MAX, &x) != 0)
        return -1;
    *out = (long)x;
    return 0;
}

static int cxc_seconds(const char *v, unsigned long max, unsigned *ms)
{
    unsigned long s;

    if (cxc_ulong(v, max, &s) != 0)
        return -1;
    *ms = (unsigned)(s * 1000u);
    return 0;
}

static int cxc_req_opt(struct cxc_req *r, enum cxc_opt_id id, const char *v,
                       char *err, size_t errlen)
{
    unsigned long x;

    switch (id) {
    case O_USER_NAME:
        r->user_name = v;
        return 0;
    case O_SERVER_NAME:
        r->server_name = v;
        return 0;
    case O_VISITED:
        r->visited_network = v;
        return 0;
    case O_SCHEME:
        r->scheme = v;
        return 0;
    case O_DEST_REALM:
        r->dest_realm = v;
        return 0;
    case O_DEST_HOST:
        r->dest_host = v;
        return 0;
    case O_ORIGINATING:
        r->originating = CX_ORIGINATING_REQUEST_ORIGINATING;
        return 0;
    case O_IMPU:
        if (r->n_impu >= CXC_MAX_IMPU)
            return cx_peer_errf(err, errlen, "too many --impu (max %d)",
                                CXC_MAX_IMPU);
        r->impu[r->n_impu++] = v;
        return 0;
    case O_AUTH_TYPE:
        if (cxc_enum(v, cxc_uat_names, 3, UINT32_MAX, &r->auth_type) == 0)
            return 0;
        return cx_peer_errf(err, errlen,
                            "--auth-type %s: give a number or "
                            "REGISTRATION, DE_REGISTRATION, "
                            "REGISTRATION_AND_CAPABILITIES",
                            v);
    case O_SAT:
        if (cxc_enum(v, cxc_sat_names, 15, UINT32_MAX, &r->sat) == 0)
            return 0;
        return cx_peer_errf(err, errlen,
                            "--sat %s: give a number or a "
                            "Server-Assignment-Type name like REGISTRATION",
                            v);
    case O_AUTHZ_HEX:
        if (cxc_hex(v, r->authz, sizeof(r->authz), &r->authz_len) != 0)
            return cx_peer_errf(err, errlen,
                                "--authorization-hex: even number "
                                "of hex digits, at most %d bytes",
                                CXC_MAX_AUTHZ);
        r->has_authz = 1;
        return 0;
    case O_NUM_ITEMS:
    case O_UDAA:
    case O_UAR_FLAGS:
        if (cxc_ulong(v, id == O_UDAA ? 1 : UINT32_MAX, &x) != 0)
            return cx_peer_errf(err, errlen, "%s: bad number '%s'",
                                id == O_UDAA        ? "--udaa (0 or 1)"
                                : id == O_NUM_ITEMS ? "--num-items"
                                                    : "--uar-flags",
                                v);
        *(id == O_NUM_ITEMS ? &r->num_items
          : id == O_UDAA    ? &r->udaa
                            : &r->uar_flags) = (long)x;
        return 0;
    case O_RAW_AVP:
        return cxc_raw(r, v, err, errlen);
    case O_OMIT:
        return cxc_omit(r, v, err, errlen);
    case O_LISTEN:
        if (cxc_seconds(v, 86400, &r->listen_ms) != 0)
            return cx_peer_errf(err, errlen, "--listen: seconds 0..86400");
        return 0;
    case O_LISTEN_COUNT:
        if (cxc_ulong(v, 1000000, &x) != 0)
            return cx_peer_errf(err, errlen, "--listen-count: a number");
        r->listen_count = (unsigned)x;
        return 0;
    default:
        return cx_peer_errf(err, errlen, "option not allowed here");
    }
}

static int cxc_port(const char *v, unsigned *out, int zero_ok)
{
    unsigned long x;

    if (cxc_ulong(v, 65535, &x) != 0 || (x == 0 && !zero_ok))
        return -1;
    *out = (unsigned)x;
    return 0;
}

static int cxc_global_opt(struct cxc_opts *o, enum cxc_opt_id id, char **v,
                          char *err, size_t errlen)
{
    struct cx_peer_conf *p = &o->peer;

    switch (id) {
    case O_HSS_HOST:
        p->hss_host = v[0];
        return 0;
    case O_HSS_REALM:
        p->hss_realm = v[0];
        return 0;
    case O_HSS_ADDR:
        p->hss_addr = v[0];
        return 0;
    case O_IDENTITY:
        p->identity = v[0];
        return 0;
    case O_REALM:
        p->realm = v[0];
        return 0;
    case O_LISTEN_ADDR:
        p->listen_addr = v[0];
        return 0;
    case O_DICT:
        p->dict_path = v[0];
        return 0;
    case O_TLS_CA:
        p->tls_ca = v[0];
        return 0;
    case O_NO_TLS_CRED:
        p->no_tls_cred = 1;
        return 0;
    case O_ACL_WL:
        o->acl_wl = 1;
        return 0;
    case O_SCRIPT:
        o->script = v[0];
        return 0;
    case O_VERBOSE:
        p->log_level =
            p->log_level > FD_LOG_NOTICE ? FD_LOG_NOTICE : FD_LOG_DEBUG;
        return 0;
    case O_TLS_CRED:
        p->tls_cert = v[0];
        p->tls_key = v[1];
        return 0;
    case O_LOAD_EXT:
        if (p->n_ext >= CX_PEER_MAX_EXT)
            return cx_peer_errf(err, errlen, "too many --load-ext (max %d)",
                                CX_PEER_MAX_EXT);
        p->ext[p->n_ext++] = v[0];
        return 0;
    case O_HSS_PORT:
    case O_LOCAL_PORT:
        if (cxc_port(v[0], id == O_HSS_PORT ? &p->hss_port : &p->local_port,
                     id == O_LOCAL_PORT) != 0)
            return cx_peer_errf(err, errlen, "%s: port number expected",
                                id == O_HSS_PORT ? "--hss-port"
                                                 : "--local-port");
        return 0;
    case O_TIMEOUT:
    case O_CONNECT_TIMEOUT:
        if (cxc_seconds(v[0], 3600,
                        id == O_TIMEOUT ? &o->timeout_ms
                                        : &p->connect_timeout_ms) != 0 ||
            (id == O_TIMEOUT ? o->timeout_ms : p->connect_timeout_ms) == 0)
            return cx_peer_errf(err, errlen, "%s: seconds 1..3600",
                                id == O_TIMEOUT ? "--timeout"
                                                : "--connect-timeout");
        return 0;
    case O_RTA_RESULT:
    case O_PPA_RESULT:
        if (cxc_result_opt(v[0], id == O_RTA_RESULT ? &o->rta_result
                                                    : &o->ppa_result) != 0)
            return cx_peer_errf(err, errlen, "%s: a Result-Code number or none",
                                id == O_RTA_RESULT ? "--rta-result"
                                                   : "--ppa-result");
        return 0;
    default:
        return cx_peer_errf(err, errlen, "unknown option");
    }
}

static int cxc_subcommand(const char *w, enum cxc_cmd *cmd)
{
    static const struct {
        const char *name;
        enum cxc_cmd cmd;
    } subs[] = {
        {"uar", CXC_CMD_UAR}, {"sar", CXC_CMD_SAR},       {"lir", CXC_CMD_LIR},
        {"mar", CXC_CMD_MAR}, {"listen", CXC_CMD_LISTEN},
    };

    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(w, subs[i].name) == 0) {
            *cmd = subs[i].cmd;
            return 0;
        }
    return -1;
}

static const struct cxc_opt *cxc_find(const char *w)
{
    for (size_t i = 0; i < sizeof(cxc_opt_table) / sizeof(cxc_opt_table[0]);
         i++)
        if (strcmp(w, cxc_opt_table[i].name) == 0)
            return &cxc_opt_table[i];
    return NULL;
}

/* `listen [SECONDS [COUNT]]` positional words. */
static int cxc_listen_pos(struct cxc_req *r, const char *w, unsigned *npos,
                          char *err, size_t errlen)
{
    enum cxc_opt_id id = *npos == 0 ? O_LISTEN : O_LISTEN_COUNT;

    if (r->cmd != CXC_CMD_LISTEN || *npos >= 2)
        return cx_peer_errf(err, errlen, "unexpected word '%s'", w);
    (*npos)++;
    return cxc_req_opt(r, id, w, err, errlen);
}

int cxc_opts_parse(int argc, char **argv, struct cxc_opts *o, struct cxc_req *r,
                   char *err, size_t errlen)
{
    int have_cmd = 0;
    unsigned npos = 0;

    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        const struct cxc_opt *opt = cxc_find(w);
        if (opt == NULL && w[0] != '-') {
            if (have_cmd) {
                if (cxc_listen_pos(r, w, &npos, err, errlen) != 0)
                    return -1;
                continue;
            }
            if (cxc_subcommand(w, &r->cmd) != 0)
                return cx_peer_errf(err, errlen,
                                    "unknown subcommand '%s' "
                                    "(uar, mar, sar, lir, listen)",
                                    w);
            have_cmd = 1;
            continue;
        }
        if (opt == NULL)
            return cx_peer_errf(err, errlen, "unknown option '%s' (see --help)",
                                w);
        if (i + opt->nargs >= argc)
            return cx_peer_errf(err, errlen, "%s needs %d value(s)", w,
                                opt->nargs);
        if (opt->id >= O_GLOBAL) {
            if (o == NULL)
                return cx_peer_errf(err, errlen,
                                    "%s is a global option, not "
                                    "allowed in a script line",
                                    w);
            if (opt->id == O_HELP)
                return cx_peer_errf(err, errlen, "help");
            if (cxc_global_opt(o, opt->id, argv + i + 1, err, errlen) != 0)
                return -1;
        } else if (cxc_req_opt(r, opt->id, argv[i + 1], err, errlen) != 0) {
            return -1;
        }
        i += opt->nargs;
    }
    if (o != NULL)
        o->have_req = have_cmd;
    else if (!have_cmd)
        return cx_peer_errf(err, errlen, "no subcommand");
    return 0;
}

static int cxc_omitted(const struct cxc_req *r, const char *name)
{
    for (unsigned i = 0; i < r->n_omit; i++)
        if (strcmp(r->omit[i], name) == 0)
            return 1;
    return 0;
}

int cxc_req_check(const struct cxc_req *r, char *err, size_t errlen)
{
    int need_user = r->cmd == CXC_CMD_UAR || r->cmd == CXC_CMD_MAR;

    if (r->cmd == CXC_CMD_LISTEN) {
        if (r->listen_ms == 0)
            return cx_peer_errf(err, errlen, "listen: give SECONDS (1..86400)");
        return 0;
    }
    if (need_user && r->user_name == NULL && !cxc_omitted(r, "User-Name"))
        return cx_peer_errf(err, errlen,
                            "--user-name is required (or --omit "
                            "User-Name)");
    if (r->n_impu == 0 && !cxc_omitted(r, "Public-Identity"))
        return cx_peer_errf(err, errlen,
                            "--impu is required (or --omit "
                            "Public-Identity)");
    if (r->n_impu > 1 && r->cmd != CXC_CMD_SAR)
        return cx_peer_errf(err, errlen, "only sar takes several --impu");
    return 0;
}

void cxc_usage(void)
{
    fputs(
        "usage: cx-client [GLOBAL OPTIONS] uar|mar|sar|lir [REQUEST OPTIONS]\n"
        "       cx-client [GLOBAL OPTIONS] listen SECONDS [COUNT]\n"
        "       cx-client [GLOBAL OPTIONS] --script FILE|-\n"
        "Request options:\n"
        "  --user-name IMPI  --impu IMPU (sar: repeatable)  --server-name URI\n"
        "  --visited-network ID  --auth-type N|REGISTRATION|DE_REGISTRATION|\n"
        "  REGISTRATION_AND_CAPABILITIES  --scheme S  --authorization-hex HEX\n"
        "  --num-items N  --sat N|NAME  --udaa 0|1  --originating  --uar-flags "
        "N\n"
        "  --dest-realm R  --dest-host H  --raw-avp "
        "CODE:VENDOR:TYPE[+m|-m]:VALUE\n"
        "  (TYPE u32 i32 u64 i64 utf8 hex)  --omit AVP-NAME (repeatable)\n"
        "  --listen SECONDS  --listen-count N\n"
        "Global options:\n"
        "  --hss-host ID (hss.localdomain)  --hss-realm R (localdomain)\n"
        "  --hss-addr IP (127.0.0.1)  --hss-port N (3868)\n"
        "  --identity ID (scscf.localdomain)  --realm R (localdomain)\n"
        "  --local-port N (0: do not listen)  --listen-addr IP (127.0.0.1)\n"
        "  --dict PATH (or env CX_DICT)  --load-ext PATH (repeatable)\n"
        "  --tls-cred CERT KEY  --tls-ca CA  --no-tls-cred  --acl-wl\n"
        "  --timeout S (5)  --connect-timeout S (10)\n"
        "  --rta-result N|none (2001)  --ppa-result N|none (2001)\n"
        "  --script FILE|-  -v|--verbose (twice: debug)  -h|--help\n"
        "Prints each answer / received request as one JSON line on stdout.\n"
        "Exit: 0 answered, 1 usage, 2 other error, 3 no connection or "
        "answer.\n",
        stderr);
}
