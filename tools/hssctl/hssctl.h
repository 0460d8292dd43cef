/* hssctl.h - shared declarations of hssctl, the operator's provisioning CLI.
 *
 * Owns the types every command group shares: the invocation context (global
 * options, the open store, the output emitter), the command table entry, the
 * parsed arguments of one command, and the helpers for output, errors,
 * transactions with their audit entry, lookups and value parsing.
 *
 * Exit status (STYLE G22): 0 success, 1 usage error, 2 data error. Every
 * failure prints exactly one line "hssctl: ..." on stderr that says what to
 * fix. No secret ever reaches argv, stdout, stderr or the audit log.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSSCTL_H
#define HSSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hss_digest.h"
#include "hss_store.h"

#define HSSCTL_EXIT_OK 0
#define HSSCTL_EXIT_USAGE 1
#define HSSCTL_EXIT_DATA 2

#define HSSCTL_MAX_POS 4    /* positional arguments of one command */
#define HSSCTL_MAX_OPTS 16  /* options of one command */
#define HSSCTL_MAX_MULTI 64 /* values of a repeatable option */
#define HSSCTL_OUT_DEPTH 8

#define HSSCTL_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Text or JSON output of one command: one document on stdout. */
struct hssctl_out {
    bool json;
    int depth;
    bool first[HSSCTL_OUT_DEPTH]; /* nothing written yet at this depth */
    bool array[HSSCTL_OUT_DEPTH]; /* this level is an array */
    const char *pending[HSSCTL_OUT_DEPTH]; /* text: array key not printed */
    bool dash; /* text: next key starts a list item */
};

struct hssctl_cmd;

/* The invocation: global options and what every command needs. */
struct hssctl {
    const char *db_path;
    const char *key_path;
    const char *actor;
    bool json;
    bool yes;
    struct hss_store *st;         /* open for commands that need it */
    int64_t now;                  /* unix seconds, read once */
    const struct hssctl_cmd *cmd; /* the running command */
    struct hssctl_out out;
};

/* Parsed arguments of one command; strings point into argv. */
struct hssctl_args {
    const char *pos[HSSCTL_MAX_POS];
    int npos;
    const char *val[HSSCTL_MAX_OPTS];    /* last value; "" for a flag */
    const char *multi[HSSCTL_MAX_MULTI]; /* every value of the "..." opt */
    int nmulti;
};

typedef int (*hssctl_fn)(struct hssctl *c, const struct hssctl_args *a);

enum hssctl_cmd_flags {
    HSSCTL_NODB = 1u << 0, /* does not open the store (help) */
    HSSCTL_INIT = 1u << 1, /* opens the store creating the key (init) */
};

/* One command. opts: NULL-terminated strings "name=ARG\thelp" (takes a
 * value), "name=ARG...\thelp" (repeatable, values in args.multi) or
 * "name\thelp" (flag). */
struct hssctl_cmd {
    const char *name;  /* "sub visited add" */
    const char *usage; /* positional part: "SUB VNID" */
    int min_pos, max_pos;
    hssctl_fn fn;
    unsigned flags;
    const char *summary; /* one line */
    const char *const *opts;
};

/* ---- commands (one group per file) ------------------------------------- */

int hssctl_cmd_init(struct hssctl *c, const struct hssctl_args *a);
/* Before the store is opened by `init`: refuses an existing database and
 * creates missing parent directories (0700). 0, 1 or 2. */
int hssctl_init_prepare(struct hssctl *c);
int hssctl_cmd_migrate(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_status(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_sub_create(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_show(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_list(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_delete(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_charging(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_visited(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_roaming(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_capability(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_scscf_pref(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_impi_add(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_impi_delete(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_impi_unlock(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_impu_add(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_impu_delete(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_impu_bar(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_impu_set_profile(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_assoc(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_profile_add(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_cred_aka(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_cred_digest(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_webrtc_issue(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_webrtc_rotate(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_webrtc_revoke(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_webrtc_expire(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_waf_wwsf(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_sub_web_auth(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_pool_create(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_pool_add_members(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_pool_list(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_pool_members(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_pool_leases(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_lease_acquire(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_lease_release(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_lease_renew(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_reg_show(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_reg_deregister(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_outbox_list(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_audit_list(struct hssctl *c, const struct hssctl_args *a);

int hssctl_cmd_import(struct hssctl *c, const struct hssctl_args *a);
int hssctl_cmd_export(struct hssctl *c, const struct hssctl_args *a);

/* ---- arguments (hssctl_main.c) ------------------------------------------ */

/* Value of option `name` of the running command, NULL when absent ("" for
 * a flag that is present). */
const char *hssctl_opt(const struct hssctl *c, const struct hssctl_args *a,
                       const char *name);
bool hssctl_flag(const struct hssctl *c, const struct hssctl_args *a,
                 const char *name);

/* ---- output (hssctl_out.c) ---------------------------------------------- */

void hssctl_out_begin(struct hssctl *c);
int hssctl_out_end(struct hssctl *c); /* exit code: 2 if stdout failed */
void hssctl_out_str(struct hssctl *c, const char *key, const char *val);
void hssctl_out_int(struct hssctl *c, const char *key, int64_t val);
void hssctl_out_bool(struct hssctl *c, const char *key, bool val);
void hssctl_out_time(struct hssctl *c, const char *key, int64_t ts);
void hssctl_out_obj(struct hssctl *c, const char *key); /* NULL in array */
void hssctl_out_obj_end(struct hssctl *c);
void hssctl_out_arr(struct hssctl *c, const char *key);
void hssctl_out_arr_end(struct hssctl *c);
void hssctl_out_item(struct hssctl *c, const char *val); /* array string */
/* Writes s as a JSON string (with quotes) to f. */
void hssctl_json_str(FILE *f, const char *s);

/* Prints "hssctl: <message>" on stderr; returns code. */
int hssctl_fail(struct hssctl *c, int code, const char *fmt, ...)
    HSSCTL_PRINTF(3, 4);
/* A store failure: "hssctl: <what>: <rc text> (<detail>)"; returns 2. */
int hssctl_store_fail(struct hssctl *c, enum hss_rc rc, const char *what);

/* ---- common steps (hssctl_util.c) ---------------------------------------- */

/* Friendly lookups: on failure they print the hint and return 2. */
int hssctl_sub_find(struct hssctl *c, const char *name,
                    struct hss_subscription *out);
int hssctl_sub_find_id(struct hssctl *c, int64_t id,
                       struct hss_subscription *out);
int hssctl_impi_find(struct hssctl *c, const char *name, struct hss_impi *out);
int hssctl_impu_find(struct hssctl *c, const char *name, struct hss_impu *out);
int hssctl_pool_find(struct hssctl *c, const char *name, struct hss_pool *out);

/* Write transaction of a command: begin, then finish with the audit entry
 * (action = command name, object, detail without secrets) and commit. On a
 * non-zero rc finish rolls back and returns rc; else it returns the result
 * of audit + commit (0 or 2). */
int hssctl_begin(struct hssctl *c);
int hssctl_finish(struct hssctl *c, int rc, const char *object,
                  const char *detail);

/* Walks every subscription (by id, inside the caller's read transaction or
 * a consistent snapshot); the store has no listing function. A non-zero
 * callback return stops the walk. */
typedef int (*hssctl_sub_cb)(void *ctx, const struct hss_subscription *s);
int hssctl_sub_each(struct hssctl *c, hssctl_sub_cb cb, void *ctx);

/* Asks "prompt [y/N]" on a TTY unless --yes; 0 to proceed, else 1. */
int hssctl_confirm(struct hssctl *c, const char *what, const char *name);

/* Value parsers: 0 on success, else print the reason and return 1. */
int hssctl_parse_i64(struct hssctl *c, const char *what, const char *s,
                     int64_t min, int64_t max, int64_t *out);
int hssctl_parse_duration(struct hssctl *c, const char *what, const char *s,
                          int64_t *out); /* "never" => 0 */
int hssctl_parse_onoff(struct hssctl *c, const char *what, const char *s,
                       bool *out);
int hssctl_parse_schemes(struct hssctl *c, const char *s, unsigned *out);
int hssctl_parse_scheme(struct hssctl *c, const char *s, enum hss_scheme *out);
/* "md5,sha256,sha512-256" into a bit mask of 1 << enum hss_digest_algo_id */
int hssctl_parse_algorithms(struct hssctl *c, const char *s, unsigned *out);

const char *hssctl_kind_str(enum hss_impi_kind k);
const char *hssctl_reg_str(enum hss_reg_state s);
const char *hssctl_idtype_str(enum hss_identity_type t);
const char *hssctl_algo_str(enum hss_digest_algo_id a);
/* "aka,digest" into buf */
void hssctl_schemes_str(unsigned schemes, char *buf, size_t size);

/* Fixed-size string copy that fails (returns -1) instead of truncating. */
int hssctl_strlcpy(char *dst, const char *src, size_t size);

/* Column names of the bulk format, in their canonical order. */
#define HSSCTL_IMPORT_NCOLS 9
extern const char *const hssctl_import_cols[HSSCTL_IMPORT_NCOLS];

/* ---- registration helpers (hssctl_reg.c) -------------------------------- */

/* Inside the caller's write transaction: queues RTRs (user_name = impi,
 * Public-Identities = impus, dest = the subscription's S-CSCF, reason) for
 * the IMPUs registered through impi and clears those registrations, IMPU
 * state only where no other IMPI still holds it. *n_out gets how many IMPUs
 * were de-registered. Returns 0 or 2. */
int hssctl_dereg_impi(struct hssctl *c, const struct hss_impi *impi, int reason,
                      const char *reason_info, size_t *n_out);
/* Queues a PPR (what = enum hss_ppr_what bits) for every IMPI of the
 * subscription that has a registered IMPU; *n_out gets how many. */
int hssctl_ppr_queue(struct hssctl *c, const struct hss_subscription *sub,
                     unsigned what, size_t *n_out);

/* Whether an IMPU is registered through impi; 0, or 2 with the store's
 * error reported. */
int hssctl_impi_registered(struct hssctl *c, const struct hss_impi *impi,
                           bool *registered);

/* hssctl_ppr_queue for the subscription sub_id, after a change of its
 * profile (User-Data) or charging addresses (TS 29.228 §6.5.2.1-2). */
int hssctl_ppr_queue_sub(struct hssctl *c, int64_t sub_id, unsigned what,
                         size_t *n_out);

/* Queues one PPR for impi when an IMPU is registered through it (*n_out
 * incremented). A PPR of HSS_PPR_AUTH_DATA alone (a changed SIP Digest
 * password) is queued in any case, unaddressed when nothing is registered
 * through impi: the HSS then addresses it to the S-CSCF of an
 * authentication in flight, or drops it (TS 29.228 §6.5.2.4). */
int hssctl_ppr_queue_impi(struct hssctl *c, const struct hss_subscription *sub,
                          const struct hss_impi *impi, unsigned what,
                          size_t *n_out);

/* ---- secrets (hssctl_secret.c) ------------------------------------------ */

#define HSSCTL_SECRET_MAX 256
#define HSSCTL_GEN_PASSWORD_LEN 20

/* A secret read from a file, stdin or the terminal; wipe with
 * hssctl_secret_wipe() on every path. */
struct hssctl_secret {
    char buf[HSSCTL_SECRET_MAX + 1];
    size_t len;
};
void hssctl_secret_wipe(struct hssctl_secret *s);
/* One line from a file (the whole file, trailing newline removed). */
int hssctl_secret_from_file(struct hssctl *c, const char *what,
                            const char *path, struct hssctl_secret *out);
/* One line from stdin (unbuffered: later lines stay for the next call). */
int hssctl_secret_from_stdin(struct hssctl *c, const char *what,
                             struct hssctl_secret *out);
/* Asks twice on the terminal with echo off. */
int hssctl_secret_prompt(struct hssctl *c, const char *what,
                         struct hssctl_secret *out);
/* A random password of HSSCTL_GEN_PASSWORD_LEN chars of [A-Za-z0-9]. */
int hssctl_secret_generate(struct hssctl *c, struct hssctl_secret *out);
/* Password per the command's --password-file/--password-stdin/--generate
 * options, else the prompt on a TTY. *generated tells whether to print it. */
int hssctl_password_get(struct hssctl *c, const struct hssctl_args *a,
                        struct hssctl_secret *out, bool *generated);
/* Exactly `n` bytes from hex text in a secret; wipes nothing itself. */
int hssctl_secret_hex(struct hssctl *c, const char *what,
                      const struct hssctl_secret *s, uint8_t *out, size_t n);
/* If `name` (an option name without dashes) is one that would carry a
 * secret, prints how to pass it safely and returns true. */
bool hssctl_secret_option_refused(const char *name);

/* ---- credentials (hssctl_cred.c) ---------------------------------------- */

/* Inside the caller's transaction: computes H(A1) of impi:realm:password
 * for each algorithm in algos (bits of 1 << hss_digest_algo_id) and stores
 * it; clear_first drops the IMPI's previous digest credentials. */
int hssctl_digest_store(struct hssctl *c, const struct hss_impi *impi,
                        const char *realm, unsigned algos,
                        const struct hssctl_secret *password, bool clear_first);

/* The realm (into realm[size]) and the algorithms (bits as above) the IMPI
 * has H(A1) for now; *algos = 0 when it has none. */
void hssctl_digest_current(struct hssctl *c, int64_t impi_id, char *realm,
                           size_t size, unsigned *algos);

/* Inside the caller's transaction, after impi's SIP Digest password
 * changed: queues the PPR carrying the new SIP-Auth-Data-Item
 * (hssctl_ppr_queue_impi, TS 29.228 §6.5.2.4); *n_ppr incremented. */
int hssctl_digest_changed(struct hssctl *c, const struct hss_impi *impi,
                          size_t *n_ppr);

/* The hss_crypto digest algorithm for a stored H(A1) algorithm id. */
enum hss_digest_alg hssctl_crypto_alg(enum hss_digest_algo_id a);

/* Result of a password change; shows the password only when generated. */
int hssctl_print_password_result(struct hssctl *c, const char *impi,
                                 const char *realm, unsigned algos,
                                 const struct hssctl_secret *pw,
                                 bool generated);

#define HSSCTL_ALGOS_DEFAULT 0x7u /* md5, sha256, sha512-256 */

#endif /* HSSCTL_H */
