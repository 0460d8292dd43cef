/* hssctl_reg.c - registration state and the operations queue.
 *
 * Owns `reg show`, `reg deregister`, `outbox list` and `audit list`, and the
 * two helpers other groups use to reach an S-CSCF through the transactional
 * outbox (ARCHITECTURE "Transactional outbox"): de-registering what an IMPI
 * registered (RTR, TS 29.228 §6.5.2.1) and announcing changed data (PPR,
 * §6.5.2.4/§6.5.2.5). Both run inside the caller's write transaction so the
 * queued request and the state change commit together or not at all.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include "cx_proto.h"
#include "hssctl.h"

#define HSSCTL_MAX_IMPUS 256 /* IMPUs registered through one IMPI */
#define HSSCTL_MAX_IMPIS 256 /* IMPIs of one subscription */

struct impu_set {
    struct hss_impu u[HSSCTL_MAX_IMPUS];
    size_t n;
    int64_t irs_filter; /* 0 = every IMPU */
    bool overflow;
};

static int collect_impu_cb(void *p, const struct hss_impu *u)
{
    struct impu_set *s = p;

    if (s->irs_filter && u->irs_id != s->irs_filter)
        return 0;
    if (s->n >= HSSCTL_MAX_IMPUS) {
        s->overflow = true;
        return 1;
    }
    s->u[s->n++] = *u;
    return 0;
}

struct impi_set {
    struct hss_impi i[HSSCTL_MAX_IMPIS];
    size_t n;
};

static int collect_impi_cb(void *p, const struct hss_impi *i)
{
    struct impi_set *s = p;

    if (s->n >= HSSCTL_MAX_IMPIS)
        return 1;
    s->i[s->n++] = *i;
    return 0;
}

/* True when an IMPI of the subscription other than `except` still has the
 * IMPU registered through it. */
static bool held_elsewhere(struct hssctl *c, const struct impi_set *impis,
                           int64_t except, int64_t impu_id)
{
    for (size_t k = 0; k < impis->n; k++) {
        struct hss_assoc as;

        if (impis->i[k].id == except)
            continue;
        if (hss_store_assoc_get(c->st, impis->i[k].id, impu_id, &as) ==
                HSS_OK &&
            as.registered)
            return true;
    }
    return false;
}

static int any_active_cb(void *p, const struct hss_impu *u)
{
    if (u->reg_state != HSS_REG_NOT_REGISTERED) {
        *(bool *)p = true;
        return 1;
    }
    return 0;
}

/* Queues RTRs of at most 8 Public-Identities each. */
static int queue_rtr(struct hssctl *c, const struct hss_subscription *sub,
                     const char *impi, const struct impu_set *set, int reason,
                     const char *info)
{
    for (size_t k = 0; k < set->n; k += 8) {
        struct hss_outbox_item it = {0};
        enum hss_rc rc;

        it.kind = HSS_OUTBOX_RTR;
        it.subscription_id = sub->id;
        if (hssctl_strlcpy(it.dest_host, sub->scscf_host,
                           sizeof(it.dest_host)) ||
            hssctl_strlcpy(it.dest_realm, sub->scscf_realm,
                           sizeof(it.dest_realm)) ||
            hssctl_strlcpy(it.user_name, impi, sizeof(it.user_name)) ||
            hssctl_strlcpy(it.reason_info, info, sizeof(it.reason_info)))
            return hssctl_fail(c, 2, "identity too long for the outbox");
        for (size_t j = k; j < set->n && j < k + 8; j++)
            memcpy(it.impus[it.n_impus++], set->u[j].name, sizeof(it.impus[0]));
        it.reason_code = reason;
        rc = hss_store_outbox_add(c->st, &it, c->now);
        if (rc != HSS_OK)
            return hssctl_store_fail(c, rc, "queueing the RTR");
    }
    return 0;
}

/* Clears the registrations in `set` made through `impi`. */
static int clear_regs(struct hssctl *c, const struct hss_subscription *sub,
                      const struct hss_impi *impi, const struct impu_set *set)
{
    struct impi_set *impis = calloc(1, sizeof(*impis));
    enum hss_rc rc = HSS_OK;
    bool active = false;

    if (!impis)
        return hssctl_fail(c, 2, "out of memory");
    rc = hss_store_impi_each_of_subscription(c->st, sub->id, collect_impi_cb,
                                             impis);
    for (size_t k = 0; rc == HSS_OK && k < set->n; k++) {
        int64_t u = set->u[k].id;

        rc = hss_store_assoc_set_registered(c->st, impi->id, u, false);
        if (rc == HSS_OK)
            rc = hss_store_assoc_set_auth_pending(c->st, impi->id, u, false);
        if (rc == HSS_OK && !held_elsewhere(c, impis, impi->id, u))
            rc = hss_store_impu_set_reg_state(c->st, u, HSS_REG_NOT_REGISTERED);
    }
    free(impis);
    if (rc == HSS_OK)
        rc = hss_store_impu_each_of_subscription(c->st, sub->id, any_active_cb,
                                                 &active);
    if (rc == HSS_OK && !active)
        rc = hss_store_subscription_set_scscf(c->st, sub->id, NULL, NULL, NULL);
    return rc == HSS_OK ? 0
                        : hssctl_store_fail(c, rc, "clearing registrations");
}

static int dereg(struct hssctl *c, const struct hss_impi *impi, int64_t irs,
                 int reason, const char *info, size_t *n_out)
{
    struct impu_set *set = calloc(1, sizeof(*set));
    struct hss_subscription sub;
    enum hss_rc src;
    int rc;

    *n_out = 0;
    if (!set)
        return hssctl_fail(c, 2, "out of memory");
    set->irs_filter = irs;
    rc = hssctl_sub_find_id(c, impi->subscription_id, &sub);
    if (rc == 0) {
        src = hss_store_impu_each_registered_by_impi(c->st, impi->id,
                                                     collect_impu_cb, set);
        if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, "reading registrations");
        else if (set->overflow)
            rc = hssctl_fail(c, 2,
                             "more than %d IMPUs registered through "
                             "'%s'",
                             HSSCTL_MAX_IMPUS, impi->name);
    }
    if (rc == 0 && set->n > 0 && !sub.scscf_host[0])
        fprintf(stderr,
                "hssctl: warning: subscription '%s' has no S-CSCF "
                "host; state cleared, no RTR queued\n",
                sub.name);
    else if (rc == 0 && set->n > 0)
        rc = queue_rtr(c, &sub, impi->name, set, reason, info);
    if (rc == 0 && set->n > 0)
        rc = clear_regs(c, &sub, impi, set);
    if (rc == 0)
        *n_out = set->n;
    free(set);
    return rc;
}

int hssctl_dereg_impi(struct hssctl *c, const struct hss_impi *impi, int reason,
                      const char *reason_info, size_t *n_out)
{
    return dereg(c, impi, 0, reason, reason_info, n_out);
}

static int first_cb(void *p, const struct hss_impu *u)
{
    (void)u;
    *(bool *)p = true;
    return 1;
}

int hssctl_impi_registered(struct hssctl *c, const struct hss_impi *impi,
                           bool *registered)
{
    enum hss_rc rc;

    *registered = false;
    rc = hss_store_impu_each_registered_by_impi(c->st, impi->id, first_cb,
                                                registered);
    return rc == HSS_OK ? 0 : hssctl_store_fail(c, rc, "reading registrations");
}

/* Queues one PPR for impi, to the subscription's S-CSCF when addressed
 * (else without a destination, see below); *n_out incremented. */
static int queue_ppr(struct hssctl *c, const struct hss_subscription *sub,
                     const struct hss_impi *impi, unsigned what, bool addressed,
                     size_t *n_out)
{
    struct hss_outbox_item it = {0};
    enum hss_rc rc;

    it.kind = HSS_OUTBOX_PPR;
    it.subscription_id = sub->id;
    if (addressed) {
        memcpy(it.dest_host, sub->scscf_host, sizeof(it.dest_host));
        memcpy(it.dest_realm, sub->scscf_realm, sizeof(it.dest_realm));
    }
    memcpy(it.user_name, impi->name, sizeof(it.user_name));
    it.ppr_what = what;
    rc = hss_store_outbox_add(c->st, &it, c->now);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "queueing the PPR");
    ++*n_out;
    return 0;
}

int hssctl_ppr_queue_impi(struct hssctl *c, const struct hss_subscription *sub,
                          const struct hss_impi *impi, unsigned what,
                          size_t *n_out)
{
    bool registered = false;
    int err =
        sub->scscf_host[0] ? hssctl_impi_registered(c, impi, &registered) : 0;

    if (err != 0)
        return err;
    /* A changed password also concerns an authentication in flight
     * (TS 29.228 §6.5.2.4), which only the HSS knows: that PPR goes
     * unaddressed, and the HSS sends it to the S-CSCF serving the IMPI
     * then, or drops it when none does (cx_outbox_address). */
    if (!registered && what != HSS_PPR_AUTH_DATA)
        return 0;
    return queue_ppr(c, sub, impi, what, registered, n_out);
}

struct ppr_ctx {
    struct hssctl *c;
    const struct hss_subscription *sub;
    unsigned what;
    size_t n;
    int rc;
};

static int ppr_impi_cb(void *p, const struct hss_impi *i)
{
    struct ppr_ctx *x = p;

    x->rc = hssctl_ppr_queue_impi(x->c, x->sub, i, x->what, &x->n);
    return x->rc;
}

/* The first IMPU in UNREGISTERED state. */
static int unreg_impu_cb(void *p, const struct hss_impu *u)
{
    if (u->reg_state != HSS_REG_UNREGISTERED)
        return 0;
    *(int64_t *)p = u->id;
    return 1;
}

/* The IMPIs of a subscription associated with one IMPU, each with its
 * association (reg show, and the IMPI a PPR names). */
typedef int (*impi_assoc_fn)(void *ctx, const struct hss_impi *i,
                             const struct hss_assoc *as);

struct impi_walk {
    struct hssctl *c;
    int64_t impu_id;
    impi_assoc_fn fn;
    void *ctx;
};

static int impi_walk_cb(void *p, const struct hss_impi *i)
{
    struct impi_walk *w = p;
    struct hss_assoc as;

    if (hss_store_assoc_get(w->c->st, i->id, w->impu_id, &as) != HSS_OK)
        return 0;
    return w->fn(w->ctx, i, &as);
}

/* fn for each IMPI of sub_id associated with impu_id, until it returns
 * non-zero. */
static enum hss_rc impi_each_of_impu(struct hssctl *c, int64_t sub_id,
                                     int64_t impu_id, impi_assoc_fn fn,
                                     void *ctx)
{
    struct impi_walk w = {c, impu_id, fn, ctx};

    return hss_store_impi_each_of_subscription(c->st, sub_id, impi_walk_cb, &w);
}

static int first_impi_cb(void *ctx, const struct hss_impi *i,
                         const struct hss_assoc *as)
{
    (void)as;
    *(struct hss_impi *)ctx = *i;
    return 1;
}

/* TS 29.228 §6.5.2.1: the S-CSCF that serves a subscription's
 * unregistered-user services (UNREGISTERED state, SAR UNREGISTERED_USER)
 * holds its User-Data and charging addresses too. Its SAA named the first
 * IMPI associated with the IMPU (cx_sar.c): the PPR names it too. */
static int ppr_queue_unregistered(struct hssctl *c,
                                  const struct hss_subscription *sub,
                                  unsigned what, size_t *n_out)
{
    struct hss_impi impi = {.id = 0};
    int64_t impu_id = 0;
    enum hss_rc rc = hss_store_impu_each_of_subscription(
        c->st, sub->id, unreg_impu_cb, &impu_id);

    if (rc == HSS_OK && impu_id > 0)
        rc = impi_each_of_impu(c, sub->id, impu_id, first_impi_cb, &impi);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading identities");
    return impi.id > 0 ? queue_ppr(c, sub, &impi, what, true, n_out) : 0;
}

int hssctl_ppr_queue(struct hssctl *c, const struct hss_subscription *sub,
                     unsigned what, size_t *n_out)
{
    struct ppr_ctx x = {c, sub, what, 0, 0};
    enum hss_rc rc;

    *n_out = 0;
    if (!sub->scscf_host[0])
        return 0;
    rc = hss_store_impi_each_of_subscription(c->st, sub->id, ppr_impi_cb, &x);
    if (x.rc != 0)
        return x.rc;
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading identities");
    if (x.n == 0 && (what & (HSS_PPR_USER_DATA | HSS_PPR_CHARGING)))
        x.rc = ppr_queue_unregistered(c, sub, what, &x.n);
    *n_out = x.n;
    return x.rc;
}

int hssctl_ppr_queue_sub(struct hssctl *c, int64_t sub_id, unsigned what,
                         size_t *n_out)
{
    struct hss_subscription s;
    int rc = hssctl_sub_find_id(c, sub_id, &s);

    *n_out = 0;
    return rc == 0 ? hssctl_ppr_queue(c, &s, what, n_out) : rc;
}

/* ---- reg show ------------------------------------------------------------ */

struct reg_ctx {
    struct hssctl *c;
    int64_t impi_id;
};

static int reg_impi_of_impu_cb(void *p, const struct hss_impi *i,
                               const struct hss_assoc *as)
{
    struct reg_ctx *x = p;

    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "impi", i->name);
    hssctl_out_str(x->c, "kind", hssctl_kind_str(i->kind));
    hssctl_out_bool(x->c, "registered", as->registered);
    hssctl_out_bool(x->c, "auth_pending", as->auth_pending);
    hssctl_out_time(x->c, "locked_until", i->locked_until);
    hssctl_out_obj_end(x->c);
    return 0;
}

static int reg_impu_of_impi_cb(void *p, const struct hss_impu *u)
{
    struct reg_ctx *x = p;
    struct hss_assoc as = {0};

    hss_store_assoc_get(x->c->st, x->impi_id, u->id, &as);
    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "impu", u->name);
    hssctl_out_str(x->c, "state", hssctl_reg_str(u->reg_state));
    hssctl_out_bool(x->c, "registered_via_this_impi", as.registered);
    hssctl_out_bool(x->c, "auth_pending", as.auth_pending);
    hssctl_out_obj_end(x->c);
    return 0;
}

static void out_scscf(struct hssctl *c, const struct hss_subscription *s)
{
    hssctl_out_str(c, "subscription", s->name);
    hssctl_out_str(c, "scscf", s->scscf_name);
    hssctl_out_str(c, "scscf_host", s->scscf_host);
    hssctl_out_str(c, "scscf_realm", s->scscf_realm);
}

int hssctl_cmd_reg_show(struct hssctl *c, const struct hssctl_args *a)
{
    struct reg_ctx x = {c, 0};
    struct hss_subscription s;
    struct hss_impu u;
    struct hss_impi i;

    if (hss_store_impu_get(c->st, a->pos[0], &u) == HSS_OK) {
        if (hssctl_sub_find_id(c, u.subscription_id, &s) != 0)
            return 2;
        hssctl_out_begin(c);
        hssctl_out_str(c, "impu", u.name);
        hssctl_out_str(c, "state", hssctl_reg_str(u.reg_state));
        hssctl_out_bool(c, "barred", u.barred);
        out_scscf(c, &s);
        hssctl_out_arr(c, "impis");
        impi_each_of_impu(c, s.id, u.id, reg_impi_of_impu_cb, &x);
        hssctl_out_arr_end(c);
        return hssctl_out_end(c);
    }
    if (hss_store_impi_get(c->st, a->pos[0], &i) != HSS_OK)
        return hssctl_fail(c, 2,
                           "identity '%s' not found as IMPU or IMPI; "
                           "see 'hssctl sub show SUB'",
                           a->pos[0]);
    if (hssctl_sub_find_id(c, i.subscription_id, &s) != 0)
        return 2;
    x.impi_id = i.id;
    hssctl_out_begin(c);
    hssctl_out_str(c, "impi", i.name);
    hssctl_out_str(c, "kind", hssctl_kind_str(i.kind));
    hssctl_out_bool(c, "revoked", i.revoked);
    hssctl_out_bool(c, "locked", i.locked_until > c->now);
    hssctl_out_time(c, "locked_until", i.locked_until);
    hssctl_out_time(c, "valid_until", i.valid_until);
    out_scscf(c, &s);
    hssctl_out_arr(c, "impus");
    hss_store_impu_each_of_impi(c->st, i.id, reg_impu_of_impi_cb, &x);
    hssctl_out_arr_end(c);
    return hssctl_out_end(c);
}

/* ---- reg deregister --------------------------------------------------------
 */

static int parse_reason(struct hssctl *c, const char *s, int *out)
{
    static const struct {
        const char *name;
        int code;
    } reasons[] = {
        {"permanent", CX_REASON_PERMANENT_TERMINATION},
        {"new-server", CX_REASON_NEW_SERVER_ASSIGNED},
        {"server-change", CX_REASON_SERVER_CHANGE},
        {"remove-scscf", CX_REASON_REMOVE_SCSCF},
    };

    *out = CX_REASON_PERMANENT_TERMINATION;
    if (!s)
        return 0;
    for (size_t k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++) {
        if (strcmp(s, reasons[k].name) == 0) {
            *out = reasons[k].code;
            return 0;
        }
    }
    return hssctl_fail(c, 1,
                       "--reason must be permanent, new-server, "
                       "server-change or remove-scscf, not '%s'",
                       s);
}

struct dereg_ctx {
    struct hssctl *c;
    int64_t irs;
    int reason;
    size_t n;
    int rc;
};

static int dereg_impi_cb(void *p, const struct hss_impi *i)
{
    struct dereg_ctx *x = p;
    size_t n = 0;

    x->rc = dereg(x->c, i, x->irs, x->reason,
                  "administrative "
                  "de-registration",
                  &n);
    x->n += n;
    return x->rc;
}

int hssctl_cmd_reg_deregister(struct hssctl *c, const struct hssctl_args *a)
{
    struct dereg_ctx x = {c, 0, 0, 0, 0};
    struct impi_set *impis = NULL;
    struct hss_impu u;
    struct hss_impi i;
    int rc;

    if (parse_reason(c, hssctl_opt(c, a, "reason"), &x.reason) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    if (hss_store_impi_get(c->st, a->pos[0], &i) == HSS_OK) {
        rc = dereg_impi_cb(&x, &i);
    } else if (hss_store_impu_get(c->st, a->pos[0], &u) == HSS_OK) {
        /* Every IMPI that registered the IMPU's implicit set. */
        x.irs = u.irs_id;
        impis = calloc(1, sizeof(*impis));
        rc = impis ? 0 : hssctl_fail(c, 2, "out of memory");
        if (rc == 0)
            hss_store_impi_each_of_subscription(c->st, u.subscription_id,
                                                collect_impi_cb, impis);
        for (size_t k = 0; rc == 0 && impis && k < impis->n; k++)
            rc = dereg_impi_cb(&x, &impis->i[k]);
        free(impis);
    } else {
        rc = hssctl_fail(c, 2,
                         "identity '%s' not found as IMPI or IMPU; "
                         "see 'hssctl reg show'",
                         a->pos[0]);
    }
    rc = hssctl_finish(c, rc, a->pos[0], hssctl_opt(c, a, "reason"));
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "identity", a->pos[0]);
    hssctl_out_int(c, "deregistered_impus", (int64_t)x.n);
    return hssctl_out_end(c);
}

/* ---- outbox and audit -----------------------------------------------------
 */

static const char *outbox_state_str(enum hss_outbox_state s)
{
    switch (s) {
    case HSS_OUTBOX_PENDING:
        return "pending";
    case HSS_OUTBOX_SENT:
        return "sent";
    case HSS_OUTBOX_DONE:
        return "done";
    case HSS_OUTBOX_FAILED:
        return "failed";
    }
    return "unknown";
}

static int outbox_cb(void *p, const struct hss_outbox_item *it)
{
    struct hssctl *c = p;

    hssctl_out_obj(c, NULL);
    hssctl_out_int(c, "id", it->id);
    hssctl_out_str(c, "kind", it->kind == HSS_OUTBOX_RTR ? "RTR" : "PPR");
    hssctl_out_str(c, "state", outbox_state_str(it->state));
    hssctl_out_str(c, "user_name", it->user_name);
    hssctl_out_str(c, "dest_host", it->dest_host);
    hssctl_out_str(c, "dest_realm", it->dest_realm);
    hssctl_out_arr(c, "impus");
    for (size_t k = 0; k < it->n_impus && k < 8; k++)
        hssctl_out_item(c, it->impus[k]);
    hssctl_out_arr_end(c);
    if (it->kind == HSS_OUTBOX_RTR) {
        hssctl_out_int(c, "reason_code", it->reason_code);
        hssctl_out_str(c, "reason_info", it->reason_info);
    } else {
        hssctl_out_arr(c, "ppr_what");
        if (it->ppr_what & HSS_PPR_USER_DATA)
            hssctl_out_item(c, "user-data");
        if (it->ppr_what & HSS_PPR_CHARGING)
            hssctl_out_item(c, "charging");
        if (it->ppr_what & HSS_PPR_AUTH_DATA)
            hssctl_out_item(c, "auth-data");
        if (it->ppr_what & HSS_PPR_WAF_WWSF)
            hssctl_out_item(c, "waf-wwsf");
        hssctl_out_arr_end(c);
    }
    hssctl_out_int(c, "attempts", it->attempts);
    hssctl_out_time(c, "created", it->created);
    hssctl_out_time(c, "next_attempt", it->next_attempt);
    hssctl_out_int(c, "last_result", it->last_result);
    hssctl_out_obj_end(c);
    return 0;
}

int hssctl_cmd_outbox_list(struct hssctl *c, const struct hssctl_args *a)
{
    static const char *const states[] = {"pending", "sent", "done", "failed"};
    const char *st = hssctl_opt(c, a, "state");
    const char *lim = hssctl_opt(c, a, "limit");
    int64_t limit = 100;
    int state = -1;
    enum hss_rc rc;

    for (int k = 0; st && k < 4; k++)
        if (strcmp(st, states[k]) == 0)
            state = k;
    if (st && state < 0)
        return hssctl_fail(c, 1,
                           "--state must be pending, sent, done or "
                           "failed, not '%s'",
                           st);
    if (lim && hssctl_parse_i64(c, "--limit", lim, 0, 1000000, &limit))
        return 1;
    hssctl_out_begin(c);
    hssctl_out_arr(c, "outbox");
    rc = hss_store_outbox_each(c->st, state, (size_t)limit, outbox_cb, c);
    hssctl_out_arr_end(c);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading the outbox");
    return hssctl_out_end(c);
}

static int audit_cb(void *p, const struct hss_audit_entry *e)
{
    struct hssctl *c = p;

    hssctl_out_obj(c, NULL);
    hssctl_out_int(c, "id", e->id);
    hssctl_out_time(c, "ts", e->ts);
    hssctl_out_str(c, "actor", e->actor);
    hssctl_out_str(c, "action", e->action);
    hssctl_out_str(c, "object", e->object);
    hssctl_out_str(c, "detail", e->detail);
    hssctl_out_obj_end(c);
    return 0;
}

int hssctl_cmd_audit_list(struct hssctl *c, const struct hssctl_args *a)
{
    const char *since = hssctl_opt(c, a, "since");
    const char *lim = hssctl_opt(c, a, "limit");
    int64_t since_id = 0, limit = 100;
    enum hss_rc rc;

    if (since && hssctl_parse_i64(c, "--since", since, 0, INT64_MAX, &since_id))
        return 1;
    if (lim && hssctl_parse_i64(c, "--limit", lim, 0, 1000000, &limit))
        return 1;
    hssctl_out_begin(c);
    hssctl_out_arr(c, "audit");
    rc = hss_store_audit_each(c->st, since_id, (size_t)limit, audit_cb, c);
    hssctl_out_arr_end(c);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading the audit log");
    return hssctl_out_end(c);
}
