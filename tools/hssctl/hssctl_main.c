/* hssctl_main.c - entry point and command table of hssctl.
 *
 * Owns the global options (--db, --key, --actor, --json, --yes, --help), the
 * table of every command with its usage, options and one-line summary, the
 * argument parser (which refuses secrets on argv before anything else runs),
 * `help`, and opening/closing the store around a command.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hssctl.h"

static int hssctl_cmd_help(struct hssctl *c, const struct hssctl_args *a);

#define OPTS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NOOPTS ((const char *const[]){NULL})

/* The command table. Keep it sorted by group; `help` prints it in order. */
static const struct hssctl_cmd CMDS[] = {
    {"help", "[COMMAND...]", 0, 3, hssctl_cmd_help, HSSCTL_NODB,
     "show the commands, or the usage of one", NOOPTS},
    {"init", "", 0, 0, hssctl_cmd_init, HSSCTL_INIT,
     "create the database and the master key file (mode 0600)", NOOPTS},
    {"migrate", "", 0, 0, hssctl_cmd_migrate, 0,
     "apply pending schema migrations", NOOPTS},
    {"status", "", 0, 0, hssctl_cmd_status, 0,
     "schema version, counts, key id and database path", NOOPTS},

    {"sub create", "NAME", 1, 1, hssctl_cmd_sub_create, 0,
     "create a subscription", NOOPTS},
    {"sub show", "NAME", 1, 1, hssctl_cmd_sub_show, 0,
     "everything about a subscription", NOOPTS},
    {"sub list", "", 0, 0, hssctl_cmd_sub_list, 0, "list subscriptions",
     OPTS("prefix=TEXT\tonly names starting with TEXT",
          "web-auth=on|off\tonly subscriptions with web auth on/off",
          "registered\tonly subscriptions with an S-CSCF assigned",
          "limit=N\tat most N rows (default 100, 0 = all)",
          "offset=N\tskip the first N matching rows")},
    {"sub delete", "NAME", 1, 1, hssctl_cmd_sub_delete, 0,
     "delete a subscription and its identities (asks unless --yes)", NOOPTS},
    {"sub charging", "SUB", 1, 1, hssctl_cmd_sub_charging, 0,
     "set the Charging-Information function names",
     OPTS("pecf=NAME\tprimary event charging function",
          "secf=NAME\tsecondary event charging function",
          "pccf=NAME\tprimary charging collection function",
          "sccf=NAME\tsecondary charging collection function")},
    {"sub visited add", "SUB VNID", 2, 2, hssctl_cmd_sub_visited, 0,
     "allow registration from a visited network", NOOPTS},
    {"sub visited remove", "SUB VNID", 2, 2, hssctl_cmd_sub_visited, 0,
     "remove an allowed visited network", NOOPTS},
    {"sub roaming-any", "SUB on|off", 2, 2, hssctl_cmd_sub_roaming, 0,
     "allow registration from any visited network", NOOPTS},
    {"sub capability add", "SUB", 1, 1, hssctl_cmd_sub_capability, 0,
     "add an S-CSCF capability (exactly one of the options)",
     OPTS("mandatory=N\tmandatory capability N",
          "optional=N\toptional capability N")},
    {"sub scscf-pref add", "SUB SERVER_NAME", 2, 2, hssctl_cmd_sub_scscf_pref,
     0, "add a preferred S-CSCF (sip:...)", NOOPTS},
    {"default capability add", "", 0, 0, hssctl_cmd_sub_capability, 0,
     "add an S-CSCF capability every subscription without its own gets",
     OPTS("mandatory=N\tmandatory capability N",
          "optional=N\toptional capability N")},
    {"default scscf-pref add", "SERVER_NAME", 1, 1, hssctl_cmd_sub_scscf_pref,
     0, "add a preferred S-CSCF every subscription without its own gets",
     NOOPTS},
    {"sub web-auth", "SUB on|off", 2, 2, hssctl_cmd_sub_web_auth, 0,
     "enable web authentication (TS 33.203 X.3) for a subscription", NOOPTS},

    {"impi add", "SUB IMPI", 2, 2, hssctl_cmd_impi_add, 0,
     "add a private identity to a subscription",
     OPTS("kind=regular|webrtc|pool\tidentity kind (default regular)",
          "schemes=LIST\taka,digest (default aka)",
          "default-scheme=aka|digest\tscheme for MAR \"Unknown\"",
          "expires=DURATION\tvalidity from now (default never)")},
    {"impi delete", "IMPI", 1, 1, hssctl_cmd_impi_delete, 0,
     "delete a private identity (asks unless --yes)", NOOPTS},
    {"impi unlock", "IMPI", 1, 1, hssctl_cmd_impi_unlock, 0,
     "clear a brute-force lock", NOOPTS},
    {"impu add", "SUB IMPU", 2, 2, hssctl_cmd_impu_add, 0,
     "add a public identity to a subscription",
     OPTS("type=public|distinct-psi|wildcard-psi\tidentity type",
          "barred\tcreate it barred",
          "irs-with=IMPU\tjoin the implicit registration set of IMPU",
          "display-name=TEXT\tdisplay name",
          "impi=IMPI...\talso associate with these IMPIs")},
    {"impu delete", "IMPU", 1, 1, hssctl_cmd_impu_delete, 0,
     "delete a public identity (asks unless --yes)", NOOPTS},
    {"impu bar", "IMPU", 1, 1, hssctl_cmd_impu_bar, 0, "bar a public identity",
     NOOPTS},
    {"impu unbar", "IMPU", 1, 1, hssctl_cmd_impu_bar, 0,
     "unbar a public identity", NOOPTS},
    {"impu set-profile", "IMPU PROFILE", 2, 2, hssctl_cmd_impu_set_profile, 0,
     "use a service profile of its subscription", NOOPTS},
    {"assoc add", "IMPI IMPU", 2, 2, hssctl_cmd_assoc, 0,
     "associate a private and a public identity", NOOPTS},
    {"assoc remove", "IMPI IMPU", 2, 2, hssctl_cmd_assoc, 0,
     "remove an association", NOOPTS},
    {"profile add", "SUB NAME", 2, 2, hssctl_cmd_profile_add, 0,
     "add a service profile from a file of <InitialFilterCriteria>",
     OPTS("ifc-file=FILE\tXML file with <InitialFilterCriteria> elements")},

    {"cred aka", "IMPI", 1, 1, hssctl_cmd_cred_aka, 0,
     "set IMS AKA credentials (K and OP/OPc from files or stdin)",
     OPTS("k-file=FILE\tK as 32 hex digits in FILE",
          "k-stdin\tK from stdin (first line)",
          "opc-file=FILE\tOPc as 32 hex digits in FILE",
          "opc-stdin\tOPc from stdin (line after K)",
          "op-file=FILE\tOP in FILE (OPc is derived, OP is not stored)",
          "op-stdin\tOP from stdin (line after K)",
          "amf=HEX\tAMF, 4 hex digits (default 8000)",
          "sqn=N\tinitial SQN_HE (default 0)")},
    {"cred digest", "IMPI", 1, 1, hssctl_cmd_cred_digest, 0,
     "set SIP Digest credentials; only H(A1) is stored",
     OPTS("realm=REALM\tdigest realm (required)",
          "algorithms=LIST\tmd5,sha256,sha512-256 (default all)",
          "password-file=FILE\tread the password from FILE (first line)",
          "password-stdin\tread the password from the first line of stdin",
          "generate\tgenerate a 20-character password and print it once")},

    {"webrtc issue", "SUB WEBRTC_IMPI", 2, 2, hssctl_cmd_webrtc_issue, 0,
     "issue a separate WebRTC digest identity (TS 33.203 X.2.2)",
     OPTS("impu=IMPU...\tpublic identity it may register (repeatable)",
          "realm=REALM\tdigest realm (required)",
          "algorithms=LIST\tmd5,sha256,sha512-256 (default all)",
          "expires=DURATION\tvalidity (default never)",
          "password-file=FILE\tread the password from FILE (first line)",
          "password-stdin\tread the password from the first line of stdin",
          "generate\tgenerate a 20-character password and print it once")},
    {"webrtc rotate", "WEBRTC_IMPI", 1, 1, hssctl_cmd_webrtc_rotate, 0,
     "new password for a WebRTC identity; PPR if registered",
     OPTS("realm=REALM\tnew realm (default: the current one)",
          "algorithms=LIST\tmd5,sha256,sha512-256 (default: as before)",
          "password-file=FILE\tread the password from FILE (first line)",
          "password-stdin\tread the password from the first line of stdin",
          "generate\tgenerate a 20-character password and print it once")},
    {"webrtc revoke", "WEBRTC_IMPI", 1, 1, hssctl_cmd_webrtc_revoke, 0,
     "revoke a WebRTC identity and de-register what it registered", NOOPTS},
    {"webrtc expire", "IMPI DURATION|never", 2, 2, hssctl_cmd_webrtc_expire, 0,
     "set the validity of an identity from now", NOOPTS},
    {"waf add", "SUB NAME", 2, 2, hssctl_cmd_waf_wwsf, 0,
     "allow a WAF identity (PPR when registered)", NOOPTS},
    {"waf remove", "SUB NAME", 2, 2, hssctl_cmd_waf_wwsf, 0,
     "remove a WAF identity (PPR when registered)", NOOPTS},
    {"wwsf add", "SUB NAME", 2, 2, hssctl_cmd_waf_wwsf, 0,
     "allow a WWSF identity (PPR when registered)", NOOPTS},
    {"wwsf remove", "SUB NAME", 2, 2, hssctl_cmd_waf_wwsf, 0,
     "remove a WWSF identity (PPR when registered)", NOOPTS},

    {"pool create", "NAME", 1, 1, hssctl_cmd_pool_create, 0,
     "create a WWSF identity pool (TS 33.203 X.4)",
     OPTS("wwsf=NAME\towning WWSF identity (required)",
          "waf=NAME\tits WAF identity",
          "ttl=DURATION\tdefault lease duration (default 1h)",
          "quarantine=DURATION\trest before reuse (default 5m)",
          "release-on-dereg\tlease ends when the user de-registers")},
    {"pool add-members", "NAME", 1, 1, hssctl_cmd_pool_add_members, 0,
     "create member subscriptions from a pattern, in one transaction",
     OPTS("pattern=PATTERN\te.g. 'sip:web-{0001..5000}@ims.example.net'")},
    {"pool list", "", 0, 0, hssctl_cmd_pool_list, 0, "list pools", NOOPTS},
    {"pool members", "NAME", 1, 1, hssctl_cmd_pool_members, 0,
     "list the member identities of a pool", NOOPTS},
    {"pool leases", "NAME", 1, 1, hssctl_cmd_pool_leases, 0,
     "list the leases of a pool", OPTS("all\tinclude released leases")},
    {"lease acquire", "POOL", 1, 1, hssctl_cmd_lease_acquire, 0,
     "lease a free pool identity to a holder",
     OPTS("holder=ID\tweb user identity given by the WWSF (required)",
          "ttl=DURATION\tlease duration (default: the pool's)",
          "mint-digest\talso a one-time SIP Digest password for the leased "
          "IMPI (printed once, H(A1) stored, gone with the lease)",
          "realm=REALM\tdigest realm of --mint-digest (required with it)",
          "algorithms=LIST\tmd5,sha256,sha512-256 (default all)")},
    {"lease release", "ID", 1, 1, hssctl_cmd_lease_release, 0,
     "end a lease (de-registers through the outbox)", NOOPTS},
    {"lease renew", "ID", 1, 1, hssctl_cmd_lease_renew, 0,
     "extend a lease from now",
     OPTS("ttl=DURATION\tlease duration (default: the pool's)")},

    {"reg show", "IDENTITY", 1, 1, hssctl_cmd_reg_show, 0,
     "registration state of an IMPU or IMPI", NOOPTS},
    {"reg deregister", "IDENTITY", 1, 1, hssctl_cmd_reg_deregister, 0,
     "administrative de-registration (RTR through the outbox)",
     OPTS("reason=permanent|new-server|server-change|remove-scscf\t"
          "RTR reason (default permanent)")},
    {"outbox list", "", 0, 0, hssctl_cmd_outbox_list, 0,
     "list queued RTR/PPR requests",
     OPTS("state=pending|sent|done|failed\tonly this state",
          "limit=N\tat most N rows (default 100, 0 = all)")},
    {"audit list", "", 0, 0, hssctl_cmd_audit_list, 0, "list audit entries",
     OPTS("since=ID\tentries after ID",
          "limit=N\tat most N (default 100, 0 = all)")},

    {"import", "FILE.csv|FILE.json", 1, 1, hssctl_cmd_import, 0,
     "create subscribers from a file, all or nothing",
     OPTS("kind=subscribers\twhat the file holds (default subscribers)",
          "algorithms=LIST\tdigest algorithms (default all)")},
    {"export", "", 0, 0, hssctl_cmd_export, 0,
     "write subscribers in the import format, without secrets",
     OPTS("with-sealed\tinclude sealed secrets (not supported yet)",
          "output=FILE\twrite to FILE instead of stdout")},
};

#define N_CMDS (sizeof(CMDS) / sizeof(CMDS[0]))

static const char *const GLOBAL_OPTS[] = {
    "db=PATH\tdatabase (default $HSS_DB, else ./var/hss.db)",
    "key=PATH\tmaster key file (default $HSS_KEY, else ./var/master.key)",
    "actor=NAME\tname in the audit log (default $USER)",
    "json\tone JSON document on stdout",
    "yes\tdo not ask for confirmation",
    "help\tshow the usage of the command",
    NULL};

/* ---- option specs ------------------------------------------------------ */

/* Length of the option name in a spec ("ttl=DURATION\t..." -> 3). */
static size_t spec_name_len(const char *spec)
{
    return strcspn(spec, "=\t");
}

static bool spec_takes_value(const char *spec)
{
    return spec[spec_name_len(spec)] == '=';
}

static bool spec_repeatable(const char *spec)
{
    const char *tab = strchr(spec, '\t');
    size_t n = tab ? (size_t)(tab - spec) : strlen(spec);

    return n >= 3 && memcmp(spec + n - 3, "...", 3) == 0;
}

static int spec_find(const char *const *opts, const char *name, size_t len)
{
    for (int i = 0; opts[i]; i++) {
        if (spec_name_len(opts[i]) == len && memcmp(opts[i], name, len) == 0)
            return i;
    }
    return -1;
}

const char *hssctl_opt(const struct hssctl *c, const struct hssctl_args *a,
                       const char *name)
{
    int i = spec_find(c->cmd->opts, name, strlen(name));

    return i < 0 ? NULL : a->val[i];
}

bool hssctl_flag(const struct hssctl *c, const struct hssctl_args *a,
                 const char *name)
{
    return hssctl_opt(c, a, name) != NULL;
}

/* ---- help -------------------------------------------------------------- */

static void print_opts(FILE *f, const char *const *opts)
{
    for (int i = 0; opts[i]; i++) {
        const char *tab = strchr(opts[i], '\t');
        int n = tab ? (int)(tab - opts[i]) : (int)strlen(opts[i]);

        fprintf(f, "  --%-30.*s %s\n", n, opts[i], tab ? tab + 1 : "");
    }
}

static void print_cmd_help(FILE *f, const struct hssctl_cmd *cmd)
{
    fprintf(f, "usage: hssctl [global options] %s%s%s%s\n\n%s.\n", cmd->name,
            cmd->usage[0] ? " " : "", cmd->usage,
            cmd->opts[0] ? " [options]" : "", cmd->summary);
    if (cmd->opts[0]) {
        fputs("\noptions:\n", f);
        print_opts(f, cmd->opts);
    }
    fputs("\nglobal options:\n", f);
    print_opts(f, GLOBAL_OPTS);
    fputs("\nSee tools/hssctl/README.md or hssctl(1) for details.\n", f);
}

static void print_usage(FILE *f)
{
    fputs("usage: hssctl [global options] COMMAND [arguments] [options]\n"
          "\nThe operator's provisioning tool of webrtc-hss. Works on the "
          "database of the\nrunning HSS. Secrets are read from files, stdin "
          "or the terminal, never argv.\n\ncommands:\n",
          f);
    for (size_t i = 0; i < N_CMDS; i++) {
        char head[64];

        snprintf(head, sizeof(head), "%s %s", CMDS[i].name, CMDS[i].usage);
        fprintf(f, "  %-36s %s\n", head, CMDS[i].summary);
    }
    fputs("\nglobal options:\n", f);
    print_opts(f, GLOBAL_OPTS);
    fputs("\n'hssctl help COMMAND' or 'hssctl COMMAND --help' shows one "
          "command.\nExit status: 0 success, 1 usage error, 2 data "
          "error.\n",
          f);
}

/* Longest command whose words match argv[0..]; *nwords gets their count. */
static const struct hssctl_cmd *cmd_match(int argc, char **argv, int *nwords)
{
    const struct hssctl_cmd *best = NULL;
    int best_n = 0;

    for (size_t i = 0; i < N_CMDS; i++) {
        const char *p = CMDS[i].name;
        int n = 0;

        while (*p && n < argc) {
            size_t len = strcspn(p, " ");

            if (strlen(argv[n]) != len || memcmp(argv[n], p, len) != 0)
                break;
            n++;
            p += len;
            if (*p == ' ')
                p++;
        }
        if (*p == '\0' && n > best_n) {
            best = &CMDS[i];
            best_n = n;
        }
    }
    *nwords = best_n;
    return best;
}

static int hssctl_cmd_help(struct hssctl *c, const struct hssctl_args *a)
{
    char *words[HSSCTL_MAX_POS];
    const struct hssctl_cmd *cmd;
    int n;

    if (a->npos == 0) {
        print_usage(stdout);
        return 0;
    }
    for (int i = 0; i < a->npos; i++)
        words[i] = (char *)a->pos[i];
    cmd = cmd_match(a->npos, words, &n);
    if (!cmd || n != a->npos)
        return hssctl_fail(c, HSSCTL_EXIT_USAGE,
                           "unknown command '%s'; list them with "
                           "'hssctl help'",
                           a->pos[0]);
    print_cmd_help(stdout, cmd);
    return 0;
}

/* ---- argument parsing --------------------------------------------------- */

/* Global option at argv[*i]: 1 consumed, 0 not global, -1 error. */
static int global_opt(struct hssctl *c, int argc, char **argv, int *i,
                      bool *help)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg) - 2;
    int k = spec_find(GLOBAL_OPTS, arg + 2, len);
    const char *val = NULL;

    if (strcmp(arg, "-h") == 0) {
        *help = true;
        return 1;
    }
    if (strncmp(arg, "--", 2) != 0 || k < 0)
        return 0;
    if (spec_takes_value(GLOBAL_OPTS[k])) {
        if (eq) {
            val = eq + 1;
        } else if (*i + 1 < argc) {
            val = argv[++*i];
        } else {
            hssctl_fail(c, 1, "option --%.*s needs a value", (int)len, arg + 2);
            return -1;
        }
    } else if (eq) {
        hssctl_fail(c, 1, "option --%.*s takes no value", (int)len, arg + 2);
        return -1;
    }
    switch (k) {
    case 0:
        c->db_path = val;
        break;
    case 1:
        c->key_path = val;
        break;
    case 2:
        c->actor = val;
        break;
    case 3:
        c->json = true;
        break;
    case 4:
        c->yes = true;
        break;
    default:
        *help = true;
        break;
    }
    return 1;
}

/* One "--name[=value]" of the command at argv[*i]. Returns 0 or 1. */
static int cmd_opt(struct hssctl *c, struct hssctl_args *a, int argc,
                   char **argv, int *i)
{
    const char *arg = argv[*i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    int k = spec_find(c->cmd->opts, arg, len);
    const char *val = "";
    char name[64];

    if (len >= sizeof(name))
        len = sizeof(name) - 1;
    memcpy(name, arg, len);
    name[len] = '\0';
    if (hssctl_secret_option_refused(name))
        return 1;
    if (k < 0)
        return hssctl_fail(c, 1,
                           "'%s' has no option --%s; see 'hssctl %s "
                           "--help'",
                           c->cmd->name, name, c->cmd->name);
    if (spec_takes_value(c->cmd->opts[k])) {
        if (eq)
            val = eq + 1;
        else if (*i + 1 < argc)
            val = argv[++*i];
        else
            return hssctl_fail(c, 1, "option --%s needs a value", name);
    } else if (eq) {
        return hssctl_fail(c, 1, "option --%s takes no value", name);
    }
    if (spec_repeatable(c->cmd->opts[k])) {
        if (a->nmulti >= HSSCTL_MAX_MULTI)
            return hssctl_fail(c, 1, "too many --%s options (max %d)", name,
                               HSSCTL_MAX_MULTI);
        a->multi[a->nmulti++] = val;
    } else if (a->val[k]) {
        return hssctl_fail(c, 1, "option --%s given twice", name);
    }
    a->val[k] = val;
    return 0;
}

static int parse_args(struct hssctl *c, struct hssctl_args *a, int argc,
                      char **argv, bool *help)
{
    bool only_pos = false;

    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int g;

        if (!only_pos && strcmp(arg, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (!only_pos && arg[0] == '-' && arg[1] != '\0') {
            g = global_opt(c, argc, argv, &i, help);
            if (g < 0)
                return 1;
            if (g > 0)
                continue;
            if (arg[1] != '-')
                return hssctl_fail(c, 1,
                                   "unknown option '%s'; see "
                                   "'hssctl %s --help'",
                                   arg, c->cmd->name);
            if (cmd_opt(c, a, argc, argv, &i) != 0)
                return 1;
            continue;
        }
        if (a->npos >= c->cmd->max_pos)
            return hssctl_fail(c, 1,
                               "unexpected argument '%s'; usage: "
                               "hssctl %s %s",
                               arg, c->cmd->name, c->cmd->usage);
        a->pos[a->npos++] = arg;
    }
    if (!*help && a->npos < c->cmd->min_pos)
        return hssctl_fail(c, 1, "missing argument; usage: hssctl %s %s",
                           c->cmd->name, c->cmd->usage);
    return 0;
}

/* ---- store ------------------------------------------------------------- */

static int open_store(struct hssctl *c)
{
    struct hss_store_options opt = {0};
    char err[256] = "";
    struct stat sb;
    enum hss_rc rc;

    if ((c->cmd->flags & HSSCTL_INIT) && hssctl_init_prepare(c) != 0)
        return 2;
    if (!(c->cmd->flags & HSSCTL_INIT) && stat(c->db_path, &sb) != 0)
        return hssctl_fail(c, 2,
                           "database '%s' not found; create it with "
                           "'hssctl init' or pass --db PATH",
                           c->db_path);
    if (!(c->cmd->flags & HSSCTL_INIT) && stat(c->key_path, &sb) != 0)
        return hssctl_fail(c, 2,
                           "master key file '%s' not found; pass "
                           "--key PATH or set HSS_KEY",
                           c->key_path);
    opt.db_path = c->db_path;
    opt.key_path = c->key_path;
    opt.create_key = (c->cmd->flags & HSSCTL_INIT) != 0;
    rc = hss_store_open(&opt, &c->st, err, sizeof(err));
    if (rc == HSS_CRYPTO)
        return hssctl_fail(c, 2,
                           "master key '%s' does not open '%s' (%s); "
                           "check --key",
                           c->key_path, c->db_path, err);
    if (rc != HSS_OK)
        return hssctl_fail(c, 2, "cannot open '%s': %s (%s)", c->db_path,
                           hss_rc_str(rc), err);
    return 0;
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);

    return v && v[0] ? v : dflt;
}

int main(int argc, char **argv)
{
    struct hssctl c = {0};
    struct hssctl_args a = {0};
    bool help = false;
    int i = 1, n = 0, rc;

    c.db_path = env_or("HSS_DB", "./var/hss.db");
    c.key_path = env_or("HSS_KEY", "./var/master.key");
    c.actor = env_or("USER", "unknown");
    c.now = (int64_t)time(NULL);

    /* Global options before the command. */
    while (i < argc && argv[i][0] == '-') {
        int g = global_opt(&c, argc, argv, &i, &help);

        if (g < 0)
            return 1;
        if (g == 0)
            return hssctl_fail(&c, 1,
                               "unknown option '%s'; see 'hssctl "
                               "help'",
                               argv[i]);
        i++;
    }
    if (i >= argc) {
        print_usage(help ? stdout : stderr);
        return help ? 0 : 1;
    }
    c.cmd = cmd_match(argc - i, argv + i, &n);
    if (!c.cmd)
        return hssctl_fail(&c, 1,
                           "unknown command '%s'; list them with "
                           "'hssctl help'",
                           argv[i]);
    if (parse_args(&c, &a, argc - i - n, argv + i + n, &help) != 0)
        return 1;
    c.out.json = c.json;
    if (help) {
        print_cmd_help(stdout, c.cmd);
        return 0;
    }
    if (!c.actor[0])
        return hssctl_fail(&c, 1, "--actor must not be empty");
    if (!(c.cmd->flags & HSSCTL_NODB) && open_store(&c) != 0)
        return 2;
    rc = c.cmd->fn(&c, &a);
    hss_store_close(c.st);
    if (fflush(stdout) != 0 && rc == 0)
        rc = hssctl_fail(&c, 2, "cannot write the output: %s", strerror(errno));
    return rc;
}
