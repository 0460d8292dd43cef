/* cx_sar.c - Server-Assignment-Request handling (TS 29.228 §6.1.2,
 * TS 29.229 §6.1.3/6.1.4; SPEC §5.10 SAR table) with the WebRTC rules of
 * TS 33.203 Annex X (SPEC §1, §2.7, §9).
 *
 * Owns the decision table "Server-Assignment-Type x registration state ->
 * store action + result". decode -> decide (one BEGIN IMMEDIATE) -> encode.
 *
 * Choices where the specification leaves room (see also SPEC §5.10):
 * - REGISTRATION / RE_REGISTRATION of a pair already registered at the same
 *   S-CSCF is accepted again (Kamailio sends no SAR when a registration
 *   expires); a DIFFERENT stored S-CSCF that still serves an identity of the
 *   subscription (REGISTERED or UNREGISTERED) gives 5005 + Server-Name
 *   (TS 29.228 §8.1: a name is overwritten only by MAR).
 * - Trusted Node Authentication (Annex U, X.3, X.4): REGISTRATION or
 *   RE_REGISTRATION of a pair without the auth-pending flag and not yet
 *   registered at this S-CSCF is a TNA registration, governed by
 *   conf->tna_policy; refused ones answer DIAMETER_AUTHORIZATION_REJECTED
 *   and leave an audit entry.
 * - A pool member without an active lease, and a revoked or expired IMPI
 *   (any kind), cannot (re-)register: DIAMETER_AUTHORIZATION_REJECTED.
 * - NO_ASSIGNMENT from an S-CSCF other than the stored one answers
 *   DIAMETER_UNABLE_TO_COMPLY (TS 29.228 §6.1.2.1; §8.1 "shall not
 *   overwrite ... respond with an error").
 * - UNREGISTERED_USER for an identity that is REGISTERED answers 5007.
 * - *_STORE_SERVER_NAME: the HSS keeps the name (identities become
 *   UNREGISTERED) and answers DIAMETER_SUCCESS, never 2004.
 * - A de-registration (types 4-8, 11) from an S-CSCF other than the stored
 *   one changes nothing and answers DIAMETER_SUCCESS: it must not undo a
 *   registration that has moved to a new S-CSCF.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_sar.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx.h"
#include "cx_auth.h"
#include "cx_profile.h"

/* ---- decide: context and small helpers -------------------------------------
 */

struct sar_ctx {
    struct hss_store *st;
    struct cx_mem *mem; /* MAR windows (closed by a registration) and the
                           authentications in flight (cx_pending.h) */
    const struct cx_sar_req *req;
    int64_t now;
    const struct cx_conf *conf;
    struct cx_sar_ans *ans;
    bool has_impi;
    struct hss_impi impi;
    size_t n_impu;
    struct hss_subscription sub;
    struct hss_assoc assoc0; /* IMPI <-> impu[0], read by load_identities */
    bool pair_read;          /* impi, impu[0], assoc0, pool_member: one read */
    bool associated0;        /* with pair_read: IMPI and impu[0] associated */
    bool pool_member;        /* with pair_read: the subscription is in a pool */
    bool done;               /* the answer is decided */
    /* last: rows [0, n_impu) are written by load_impu before they are
     * read, so only impu[0] (read by type checks even when a request names
     * no IMPU) is zeroed with the fields above, not all ~14 KiB */
    struct hss_impu impu[CX_SAR_IMPU_MAX];
};
#define CTX_ZEROED (offsetof(struct sar_ctx, impu) + sizeof(struct hss_impu))

struct id_list {
    int64_t *ids;
    size_t n, cap;
    bool nomem;
};

static void ids_add(struct id_list *l, int64_t id)
{
    int64_t *p;

    for (size_t i = 0; i < l->n; i++)
        if (l->ids[i] == id)
            return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        p = realloc(l->ids, cap * sizeof(*p));
        if (p == NULL) {
            l->nomem = true;
            return;
        }
        l->ids = p;
        l->cap = cap;
    }
    l->ids[l->n++] = id;
}

struct impi_list {
    struct hss_impi *v;
    size_t n, cap;
    bool nomem;
};

static int impi_row_cb(void *ctx, const struct hss_impi *i)
{
    struct impi_list *l = ctx;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct hss_impi *p = realloc(l->v, cap * sizeof(*p));
        if (p == NULL) {
            l->nomem = true;
            return 1;
        }
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = *i;
    return 0;
}

/* Every IMPI of the subscription, in provisioning order. */
static enum hss_rc sub_impis(struct sar_ctx *c, struct impi_list *l)
{
    enum hss_rc rc =
        hss_store_impi_each_of_subscription(c->st, c->sub.id, impi_row_cb, l);

    if (rc == HSS_OK && l->nomem)
        rc = HSS_NOMEM;
    return rc;
}

static int impu_notreg_id_cb(void *ctx, const struct hss_impu *u)
{
    if (u->reg_state == HSS_REG_NOT_REGISTERED)
        ids_add(ctx, u->id);
    return 0;
}

/* Collects IMPU ids and, separately, the implicit sets they belong to. */
struct irs_walk {
    struct id_list *impus;
    struct id_list *active; /* those REGISTERED or UNREGISTERED */
    struct id_list sets;
};

static int impu_irs_cb(void *ctx, const struct hss_impu *u)
{
    struct irs_walk *w = ctx;

    ids_add(w->impus, u->id);
    if (u->reg_state != HSS_REG_NOT_REGISTERED)
        ids_add(w->active, u->id);
    if (u->irs_id != 0)
        ids_add(&w->sets, u->irs_id);
    return 0;
}

static int impu_state_cb(void *ctx, const struct hss_impu *u)
{
    struct irs_walk *w = ctx;

    ids_add(w->impus, u->id);
    if (u->reg_state != HSS_REG_NOT_REGISTERED)
        ids_add(w->active, u->id);
    return 0;
}

static bool ids_has(const struct id_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->ids[i] == id)
            return true;
    return false;
}

static int any_str_cb(void *ctx, const char *v)
{
    (void)v;
    *(bool *)ctx = true;
    return 1;
}

static void answer(struct sar_ctx *c, struct cx_result r, const char *why)
{
    c->ans->result = r;
    c->ans->why = why;
    c->done = true;
}

static bool single_identity_type(uint32_t sat)
{
    return sat == CX_SAT_REGISTRATION || sat == CX_SAT_RE_REGISTRATION ||
           sat == CX_SAT_UNREGISTERED_USER || sat == CX_SAT_NO_ASSIGNMENT ||
           sat == CX_SAT_AUTHENTICATION_FAILURE ||
           sat == CX_SAT_AUTHENTICATION_TIMEOUT;
}

static bool needs_impi(uint32_t sat)
{
    return sat == CX_SAT_REGISTRATION || sat == CX_SAT_RE_REGISTRATION ||
           sat == CX_SAT_AUTHENTICATION_FAILURE ||
           sat == CX_SAT_AUTHENTICATION_TIMEOUT;
}

static bool same_scscf(const struct sar_ctx *c)
{
    return strcmp(c->sub.scscf_name, c->req->server_name) == 0;
}

/* Some IMPU of the subscription is REGISTERED or UNREGISTERED. */
static enum hss_rc sub_active(struct sar_ctx *c, bool *active)
{
    *active = false;
    return hss_store_subscription_active(c->st, c->sub.id, active);
}

/* ---- decide: identities -------------------------------------------------- */

/* An IMPU a SAR may name: a public user identity or an activated PSI. */
static bool impu_known(const struct hss_impu *u)
{
    return u->type == HSS_ID_PUBLIC_USER || u->psi_activated;
}

static enum hss_rc load_impu(struct sar_ctx *c, const char *name)
{
    struct hss_impu *u = &c->impu[c->n_impu];
    /* SAR uses no profile field of these rows (User-Data reads its own) */
    enum hss_rc rc = hss_store_impu_get_brief(c->st, name, u);

    if (rc == HSS_NOT_FOUND || rc == HSS_INVALID ||
        (rc == HSS_OK && !impu_known(u))) {
        answer(c, cx_result_er(CX_ER_USER_UNKNOWN), "unknown IMPU");
        return HSS_OK;
    }
    if (rc == HSS_OK)
        c->n_impu++;
    return rc;
}

/* The usual shape, a User-Name and its first Public-Identity: both rows,
 * their association and the pool membership in one read. */
static enum hss_rc load_pair(struct sar_ctx *c)
{
    struct hss_pair p;
    enum hss_rc rc =
        hss_store_pair_get(c->st, c->req->impi, c->req->impus[0], &p);

    if (rc == HSS_NOT_FOUND || rc == HSS_INVALID ||
        (rc == HSS_OK && !impu_known(&p.impu))) {
        answer(c, cx_result_er(CX_ER_USER_UNKNOWN), "unknown identity");
        return HSS_OK;
    }
    if (rc != HSS_OK)
        return rc;
    c->impi = p.impi;
    c->has_impi = true;
    c->impu[0] = p.impu;
    c->n_impu = 1;
    c->pair_read = true;
    c->associated0 = p.associated;
    c->assoc0 = p.assoc;
    c->pool_member = p.pool_member;
    return HSS_OK;
}

static enum hss_rc load_identities(struct sar_ctx *c)
{
    const struct cx_sar_req *r = c->req;
    enum hss_rc rc = HSS_OK;
    int64_t sub_id;

    if (r->impi[0] != '\0' && r->n_impus > 0) {
        rc = load_pair(c);
    } else if (r->impi[0] != '\0') {
        rc = hss_store_impi_get(c->st, r->impi, &c->impi);
        if (rc == HSS_NOT_FOUND || rc == HSS_INVALID) {
            answer(c, cx_result_er(CX_ER_USER_UNKNOWN), "unknown IMPI");
            return HSS_OK;
        }
        c->has_impi = true;
    }
    for (size_t i = c->n_impu; rc == HSS_OK && !c->done && i < r->n_impus; i++)
        rc = load_impu(c, r->impus[i]);
    if (rc == HSS_OK && !c->done && r->n_impus == 0 && r->wildcard[0])
        rc = load_impu(c, r->wildcard);
    if (rc != HSS_OK || c->done)
        return rc;
    sub_id = c->has_impi ? c->impi.subscription_id : c->impu[0].subscription_id;
    for (size_t i = 0; i < c->n_impu; i++) {
        struct hss_assoc as;

        if (c->impu[i].subscription_id != sub_id) {
            answer(c, cx_result_er(CX_ER_IDENTITIES_DONT_MATCH),
                   "identities of different subscriptions");
            return HSS_OK;
        }
        if (!c->has_impi)
            continue;
        if (i == 0 && c->pair_read)
            rc = c->associated0 ? HSS_OK : HSS_NOT_FOUND;
        else
            rc = hss_store_assoc_get(c->st, c->impi.id, c->impu[i].id, &as);
        if (rc == HSS_NOT_FOUND) {
            answer(c, cx_result_er(CX_ER_IDENTITIES_DONT_MATCH),
                   "IMPU not associated with IMPI");
            return HSS_OK;
        }
        if (rc != HSS_OK)
            return rc;
        if (i == 0 && !c->pair_read)
            c->assoc0 = as;
    }
    return hss_store_subscription_get(c->st, sub_id, &c->sub);
}

/* ---- decide: the profile part of a successful answer ----------------------
 */

/* User-Name (the request's IMPI, else the first IMPI of the subscription
 * associated with the IMPU), User-Data when wanted, Associated-Identities
 * (the other IMPIs) when the subscription has more than one. */
static enum hss_rc fill_profile(struct sar_ctx *c, bool with_user_data)
{
    struct cx_sar_ans *a = c->ans;
    struct impi_list l = {0};
    enum hss_rc rc = sub_impis(c, &l);
    int err;

    for (size_t i = 0; rc == HSS_OK && !c->has_impi && i < l.n; i++) {
        struct hss_assoc as;
        rc = hss_store_assoc_get(c->st, l.v[i].id, c->impu[0].id, &as);
        if (rc == HSS_NOT_FOUND) {
            rc = HSS_OK;
            continue;
        }
        if (rc == HSS_OK)
            snprintf(a->user_name, sizeof(a->user_name), "%s", l.v[i].name);
        break;
    }
    if (c->has_impi)
        snprintf(a->user_name, sizeof(a->user_name), "%s", c->impi.name);
    else if (rc == HSS_OK && a->user_name[0] == '\0' && l.n > 0)
        snprintf(a->user_name, sizeof(a->user_name), "%s", l.v[0].name);
    for (size_t i = 0; rc == HSS_OK && l.n > 1 && i < l.n; i++)
        if (strcmp(l.v[i].name, a->user_name) != 0 &&
            a->n_assoc < CX_SAR_ASSOC_MAX)
            snprintf(a->assoc[a->n_assoc++], sizeof(a->assoc[0]), "%s",
                     l.v[i].name);
    free(l.v);
    if (rc != HSS_OK)
        return rc;
    a->with_profile = true;
    a->sub_id = c->sub.id;
    a->sub = c->sub;
    if (!with_user_data)
        return HSS_OK;
    err = cx_userdata_build(c->st, c->sub.id, a->user_name, &a->user_data,
                            &a->user_data_len);
    if (err != 0) {
        snprintf(a->detail, sizeof(a->detail),
                 "User-Data of subscription %" PRId64 " not built: %s",
                 c->sub.id, strerror(err));
        return HSS_DB;
    }
    return HSS_OK;
}

/* ---- decide: WebRTC policy (TS 33.203 Annex X, Annex U) -------------------
 */

/* Pool membership and lease (X.4). */
static enum hss_rc pool_state(struct sar_ctx *c, struct hss_pool *pool,
                              bool *member, struct hss_lease *lease,
                              bool *leased)
{
    enum hss_rc rc;

    *member = *leased = false;
    if (c->pair_read && !c->pool_member)
        return HSS_OK; /* read with the identities: not a pool identity */
    rc = hss_store_pool_of_subscription(c->st, c->sub.id, pool);
    if (rc == HSS_NOT_FOUND)
        return HSS_OK;
    if (rc != HSS_OK)
        return rc;
    *member = true;
    rc = hss_store_lease_active(c->st, c->sub.id, c->now, lease);
    if (rc == HSS_NOT_FOUND)
        return HSS_OK;
    *leased = rc == HSS_OK;
    return rc;
}

/* Enabled for web authentication: the web_auth flag, a non-empty WAF/WWSF
 * list, or a pool member under an active lease. */
static enum hss_rc web_enabled(struct sar_ctx *c, bool leased, bool *web)
{
    enum hss_rc rc = HSS_OK;

    *web = c->sub.web_auth || leased;
    if (!*web)
        rc = hss_store_waf_each(c->st, c->sub.id, any_str_cb, web);
    if (rc == HSS_OK && !*web)
        rc = hss_store_wwsf_each(c->st, c->sub.id, any_str_cb, web);
    return rc;
}

static bool tna_scscf_listed(const struct cx_conf *conf, const char *name)
{
    if (conf->n_tna_scscfs == 0)
        return true;
    for (size_t i = 0; i < conf->n_tna_scscfs; i++)
        if (strcmp(conf->tna_scscfs[i], name) == 0)
            return true;
    return false;
}

/* A registration without a preceding MAR: allowed by the policy? */
static enum hss_rc tna_check(struct sar_ctx *c, bool leased, bool *ok)
{
    bool web = false;
    enum hss_rc rc = HSS_OK;

    switch (c->conf->tna_policy) {
    case CX_TNA_OFF:
        *ok = true;
        break;
    case CX_TNA_WEB_ENABLED:
        rc = web_enabled(c, leased, &web);
        *ok = web && tna_scscf_listed(c->conf, c->req->server_name);
        break;
    case CX_TNA_STRICT:
        *ok = false;
        break;
    }
    if (rc == HSS_OK && !*ok)
        rc = hss_store_audit(c->st, c->now, "hss_cx", "tna-refused",
                             c->impu[0].name, c->req->server_name);
    return rc;
}

/* ---- decide: per Server-Assignment-Type -----------------------------------
 */

/* Every IMPU of the implicit registration set of impu (impu included) in
 * all, those not REGISTERED yet in todo. */
struct reg_walk {
    struct id_list all, todo;
};

static void reg_walk_add(struct reg_walk *w, const struct hss_impu *u)
{
    ids_add(&w->all, u->id);
    if (u->reg_state != HSS_REG_REGISTERED)
        ids_add(&w->todo, u->id);
}

static int impu_reg_cb(void *ctx, const struct hss_impu *u)
{
    reg_walk_add(ctx, u);
    return 0;
}

static enum hss_rc irs_ids(struct sar_ctx *c, const struct hss_impu *impu,
                           struct reg_walk *w)
{
    enum hss_rc rc;

    reg_walk_add(w, impu);
    rc = hss_store_impu_each_in_irs(c->st, impu->irs_id, impu_reg_cb, w);
    if (rc == HSS_OK && (w->all.nomem || w->todo.nomem))
        rc = HSS_NOMEM;
    return rc;
}

/* The stored S-CSCF name, host and realm are those of this request. */
static bool same_scscf_route(const struct sar_ctx *c)
{
    return same_scscf(c) &&
           strcmp(c->sub.scscf_host, c->req->origin_host) == 0 &&
           strcmp(c->sub.scscf_realm, c->req->origin_realm) == 0;
}

/* The subscription row as hss_store_subscription_set_scscf left it. */
static void set_sub_scscf(struct hss_subscription *sub,
                          const struct cx_sar_req *r)
{
    bool clear = r->server_name[0] == '\0'; /* as the store does */

    snprintf(sub->scscf_name, sizeof(sub->scscf_name), "%s", r->server_name);
    snprintf(sub->scscf_host, sizeof(sub->scscf_host), "%s",
             clear ? "" : r->origin_host);
    snprintf(sub->scscf_realm, sizeof(sub->scscf_realm), "%s",
             clear ? "" : r->origin_realm);
}

/* This IMPI's registration of one member of the implicit set, written only
 * when it is not registered through it yet. */
static enum hss_rc register_member(struct sar_ctx *c, int64_t impu_id)
{
    struct hss_assoc as;
    enum hss_rc rc = HSS_OK;

    if (c->n_impu > 0 && impu_id == c->impu[0].id)
        as = c->assoc0; /* read by load_identities, kept current */
    else
        rc = hss_store_assoc_get(c->st, c->impi.id, impu_id, &as);

    if (rc == HSS_OK && !as.registered)
        rc = hss_store_assoc_set_registered(c->st, c->impi.id, impu_id, true);
    if (rc == HSS_OK && c->n_impu > 0 && impu_id == c->impu[0].id)
        c->assoc0.registered = true;
    if (rc == HSS_NOT_FOUND) /* an IRS member not tied to this IMPI */
        rc = HSS_OK;
    return rc;
}

/* The checks REGISTRATION and UNREGISTERED_USER share: a pool member
 * needs an active lease (X.4), and a subscription with a registered IMPU
 * served by another S-CSCF answers IDENTITY_ALREADY_REGISTERED with that
 * S-CSCF's name. Answers (c->done) when refused; *leased and *lease_id
 * (the active lease, 0 when none) for the caller. */
static enum hss_rc assignment_allowed(struct sar_ctx *c, bool *leased,
                                      int64_t *lease_id)
{
    struct hss_pool pool;
    struct hss_lease lease;
    bool member, active = false;
    enum hss_rc rc = pool_state(c, &pool, &member, &lease, leased);

    *lease_id = rc == HSS_OK && *leased ? lease.id : 0;
    if (rc == HSS_OK && member && !*leased) {
        answer(c, cx_result_rc(CX_RC_AUTHORIZATION_REJECTED),
               "pool identity without an active lease");
        return HSS_OK;
    }
    /* whether the subscription is active matters only when another
     * S-CSCF is recorded: the common case reads nothing more */
    if (rc == HSS_OK && c->sub.scscf_name[0] && !same_scscf(c))
        rc = sub_active(c, &active);
    if (rc == HSS_OK && active) {
        snprintf(c->ans->server_name, sizeof(c->ans->server_name), "%s",
                 c->sub.scscf_name);
        answer(c, cx_result_er(CX_ER_IDENTITY_ALREADY_REGISTERED),
               "served by another S-CSCF");
    }
    return rc;
}

static enum hss_rc sar_register(struct sar_ctx *c)
{
    const struct cx_sar_req *r = c->req;
    const struct hss_impu *u = &c->impu[0];
    struct hss_assoc as;
    struct reg_walk irs = {0};
    bool leased, changed, pending, ok = false;
    int64_t lease_id;
    enum hss_rc rc;

    if (!cx_impi_usable(&c->impi, c->now)) {
        answer(c, cx_result_rc(CX_RC_AUTHORIZATION_REJECTED),
               "IMPI revoked or not valid now");
        return HSS_OK;
    }
    rc = assignment_allowed(c, &leased, &lease_id);
    if (rc != HSS_OK || c->done)
        return rc;
    as = c->assoc0; /* read in this transaction by load_identities */
    /* an authentication in flight, stored or (under this lease) in memory */
    pending =
        as.auth_pending || cx_pending_has(c->mem->pend, c->sub.id, lease_id,
                                          c->impi.id, u->id, c->now);
    if (rc == HSS_OK && !pending && !(as.registered && same_scscf(c))) {
        rc = tna_check(c, leased, &ok);
        if (rc == HSS_OK && !ok) {
            answer(c, cx_result_rc(CX_RC_AUTHORIZATION_REJECTED),
                   "registration without authentication refused (TNA)");
            return HSS_OK;
        }
    }
    /* Writes only what changes: a re-registration at the same S-CSCF
     * usually changes nothing, and a skipped UPDATE dirties no page. */
    changed = rc == HSS_OK && !same_scscf_route(c);
    if (changed)
        rc = hss_store_subscription_set_scscf(c->st, c->sub.id, r->server_name,
                                              r->origin_host, r->origin_realm);
    if (rc == HSS_OK && as.auth_pending) {
        rc = hss_store_assoc_set_auth_pending(c->st, c->impi.id, u->id, false);
        c->assoc0.auth_pending = false;
    }
    if (rc == HSS_OK)
        rc = irs_ids(c, u, &irs);
    for (size_t i = 0; rc == HSS_OK && i < irs.todo.n; i++) {
        rc = hss_store_impu_set_reg_state(c->st, irs.todo.ids[i],
                                          HSS_REG_REGISTERED);
        if (rc == HSS_NOT_FOUND)
            rc = HSS_OK;
    }
    for (size_t i = 0; rc == HSS_OK && i < irs.all.n; i++)
        rc = register_member(c, irs.all.ids[i]);
    free(irs.all.ids);
    free(irs.todo.ids);
    /* nothing to write (and no page dirtied) when they are zero already,
     * as read by load_identities in this transaction */
    if (rc == HSS_OK && c->impi.counters_set)
        rc = hss_store_impi_reset_counters(c->st, c->impi.id);
    if (rc == HSS_OK && changed) /* what the UPDATE wrote, no re-read */
        set_sub_scscf(&c->sub, r);
    if (rc == HSS_OK)
        rc = fill_profile(c, r->sat == CX_SAT_REGISTRATION ||
                                 r->udaa == CX_UDAA_USER_DATA_NOT_AVAILABLE);
    /* the memory follows only a registration that is answered: a store
     * error rolls the writes back and leaves both as they were */
    if (rc == HSS_OK) {
        cx_marwin_reset(c->mem->win, c->impi.id);
        cx_pending_end(c->mem->pend, c->sub.id, c->impi.id, u->id);
        answer(c, cx_result_ok(), "registered");
    }
    return rc;
}

static enum hss_rc sar_unregistered_user(struct sar_ctx *c)
{
    const struct cx_sar_req *r = c->req;
    struct id_list irs = {0};
    bool leased;
    int64_t lease_id;
    enum hss_rc rc = assignment_allowed(c, &leased, &lease_id);

    if (rc != HSS_OK || c->done)
        return rc;
    if (c->impu[0].reg_state == HSS_REG_REGISTERED) {
        answer(c, cx_result_er(CX_ER_IN_ASSIGNMENT_TYPE),
               "UNREGISTERED_USER for a registered identity");
        return HSS_OK;
    }
    if (rc == HSS_OK)
        rc = hss_store_subscription_set_scscf(c->st, c->sub.id, r->server_name,
                                              r->origin_host, r->origin_realm);
    if (rc == HSS_OK) /* NOT_REGISTERED members of the set move */
        rc = hss_store_impu_each_in_irs(c->st, c->impu[0].irs_id,
                                        impu_notreg_id_cb, &irs);
    if (rc == HSS_OK && irs.nomem)
        rc = HSS_NOMEM;
    if (rc == HSS_OK && c->impu[0].reg_state == HSS_REG_NOT_REGISTERED)
        ids_add(&irs, c->impu[0].id);
    for (size_t i = 0; rc == HSS_OK && !irs.nomem && i < irs.n; i++)
        rc = hss_store_impu_set_reg_state(c->st, irs.ids[i],
                                          HSS_REG_UNREGISTERED);
    free(irs.ids);
    if (rc == HSS_OK)
        rc = hss_store_subscription_get(c->st, c->sub.id, &c->sub);
    if (rc == HSS_OK)
        rc = fill_profile(c, r->udaa == CX_UDAA_USER_DATA_NOT_AVAILABLE);
    if (rc == HSS_OK)
        answer(c, cx_result_ok(), "unregistered user");
    return rc;
}

static enum hss_rc sar_no_assignment(struct sar_ctx *c)
{
    enum hss_rc rc;

    if (!same_scscf(c)) {
        answer(c, cx_result_rc(CX_RC_UNABLE_TO_COMPLY),
               "NO_ASSIGNMENT from an S-CSCF that is not assigned");
        return HSS_OK;
    }
    rc = fill_profile(c, c->req->udaa == CX_UDAA_USER_DATA_NOT_AVAILABLE);
    if (rc == HSS_OK)
        answer(c, cx_result_ok(), "profile");
    return rc;
}

/* The IMPUs a de-registration is about: the request's, else those
 * registered through its IMPI; each with its implicit registration set. */
static enum hss_rc dereg_targets(struct sar_ctx *c, struct id_list *t,
                                 struct id_list *active)
{
    struct irs_walk w = {.impus = t, .active = active};
    enum hss_rc rc = HSS_OK;

    for (size_t i = 0; i < c->n_impu; i++)
        (void)impu_irs_cb(&w, &c->impu[i]);
    if (c->n_impu == 0 && c->has_impi)
        rc = hss_store_impu_each_registered_by_impi(c->st, c->impi.id,
                                                    impu_irs_cb, &w);
    for (size_t i = 0; rc == HSS_OK && i < w.sets.n; i++)
        rc =
            hss_store_impu_each_in_irs(c->st, w.sets.ids[i], impu_state_cb, &w);
    if (rc == HSS_OK && (t->nomem || active->nomem || w.sets.nomem))
        rc = HSS_NOMEM;
    free(w.sets.ids);
    return rc;
}

/* Takes the pairs (IMPI(s), impu) out of registration and sets the IMPU's
 * state from what remains: REGISTERED while another IMPI still has it
 * registered, else UNREGISTERED (keep_name, for an identity that was
 * served) or NOT_REGISTERED. */
static enum hss_rc dereg_one(struct sar_ctx *c, const struct impi_list *all,
                             int64_t impu_id, bool was_active, bool keep_name)
{
    struct hss_assoc as;
    bool still = false;
    enum hss_rc rc = HSS_OK;
    enum hss_reg_state next;

    for (size_t i = 0; rc == HSS_OK && i < all->n; i++) {
        bool mine = !c->has_impi || all->v[i].id == c->impi.id;

        if (mine)
            cx_pending_end(c->mem->pend, c->sub.id, all->v[i].id, impu_id);
        rc = hss_store_assoc_get(c->st, all->v[i].id, impu_id, &as);
        if (rc == HSS_NOT_FOUND) {
            rc = HSS_OK;
            continue;
        }
        if (rc == HSS_OK && mine && (as.registered || as.auth_pending)) {
            rc = hss_store_assoc_set_registered(c->st, all->v[i].id, impu_id,
                                                false);
            if (rc == HSS_OK)
                rc = hss_store_assoc_set_auth_pending(c->st, all->v[i].id,
                                                      impu_id, false);
        } else if (rc == HSS_OK && as.registered) {
            still = true;
        }
    }
    if (rc != HSS_OK)
        return rc;
    if (still)
        next = HSS_REG_REGISTERED;
    else if (keep_name && was_active)
        next = HSS_REG_UNREGISTERED;
    else
        next = HSS_REG_NOT_REGISTERED;
    return hss_store_impu_set_reg_state(c->st, impu_id, next);
}

/* Lease end when a pool user de-registers and the pool says so (X.4). */
static enum hss_rc dereg_lease(struct sar_ctx *c)
{
    struct hss_pool pool;
    struct hss_lease lease;
    bool member, leased;
    enum hss_rc rc = pool_state(c, &pool, &member, &lease, &leased);

    if (rc != HSS_OK || !member || !leased || !pool.release_on_dereg)
        return rc;
    return hss_store_lease_release(c->st, lease.id, c->now);
}

static enum hss_rc sar_deregister(struct sar_ctx *c)
{
    uint32_t sat = c->req->sat;
    bool keep = sat == CX_SAT_TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME ||
                sat == CX_SAT_USER_DEREGISTRATION_STORE_SERVER_NAME;
    struct id_list t = {0}, act = {0};
    struct impi_list all = {0};
    bool active = false;
    enum hss_rc rc;

    if (c->sub.scscf_name[0] != '\0' && !same_scscf(c)) {
        answer(c, cx_result_ok(),
               "de-registration from a former S-CSCF "
               "ignored");
        return HSS_OK;
    }
    rc = dereg_targets(c, &t, &act);
    if (rc == HSS_OK)
        rc = sub_impis(c, &all);
    for (size_t i = 0; rc == HSS_OK && i < t.n; i++)
        rc = dereg_one(c, &all, t.ids[i], ids_has(&act, t.ids[i]), keep);
    free(t.ids);
    free(act.ids);
    free(all.v);
    if (rc == HSS_OK && !keep)
        rc = sub_active(c, &active);
    if (rc == HSS_OK && !keep && !active)
        rc = hss_store_subscription_set_scscf(c->st, c->sub.id, NULL, NULL,
                                              NULL);
    if (rc == HSS_OK && !active && sat != CX_SAT_DEREGISTRATION_TOO_MUCH_DATA &&
        !keep)
        rc = dereg_lease(c);
    if (rc == HSS_OK)
        answer(c, cx_result_ok(),
               keep ? "de-registered, name kept" : "de-registered");
    return rc;
}

static enum hss_rc sar_auth_failed(struct sar_ctx *c)
{
    bool active = false, locked = false;
    bool was_locked = c->impi.locked_until > c->now;
    enum hss_rc rc = hss_store_assoc_set_auth_pending(c->st, c->impi.id,
                                                      c->impu[0].id, false);

    /* the S-CSCF name kept with it goes when no other pair is pending */
    cx_pending_end(c->mem->pend, c->sub.id, c->impi.id, c->impu[0].id);

    if (rc == HSS_OK && c->impu[0].reg_state == HSS_REG_NOT_REGISTERED &&
        same_scscf(c))
        rc = sub_active(c, &active);
    if (rc == HSS_OK && c->impu[0].reg_state == HSS_REG_NOT_REGISTERED &&
        same_scscf(c) && !active)
        rc = hss_store_subscription_set_scscf(c->st, c->sub.id, NULL, NULL,
                                              NULL);
    if (rc == HSS_OK && c->req->sat == CX_SAT_AUTHENTICATION_FAILURE &&
        c->conf->auth_failures_max > 0)
        rc = hss_store_impi_note_auth_failure(c->st, c->impi.id, c->now,
                                              c->conf->auth_failures_max,
                                              c->conf->lock_s, &locked);
    if (rc == HSS_OK && locked && !was_locked)
        rc = hss_store_audit(c->st, c->now, "hss_cx", "impi-locked",
                             c->impi.name, "too many authentication failures");
    if (rc == HSS_OK)
        answer(c, cx_result_ok(), "authentication failure noted");
    return rc;
}

/* ---- decide
 * ------------------------------------------------------------------ */

/* Checks that need no store: type range, identity counts (§6.1.2.1). */
static bool precheck(const struct cx_sar_req *r, struct cx_sar_ans *a)
{
    if (r->sat > CX_SAT_DEREGISTRATION_TOO_MUCH_DATA) {
        a->result = cx_result_er(CX_ER_IN_ASSIGNMENT_TYPE);
        a->why = "Server-Assignment-Type not used on Cx";
    } else if (single_identity_type(r->sat) && r->n_impus > 1) {
        a->result = cx_result_rc(CX_RC_AVP_OCCURS_TOO_MANY_TIMES);
        a->result.failed_code = CX_AVP_PUBLIC_IDENTITY;
        a->result.failed_vendor = CX_VENDOR_3GPP;
        a->why = "several Public-Identity for a single-identity type";
    } else if (needs_impi(r->sat) && r->impi[0] == '\0') {
        a->result = cx_result_missing(CX_AVP_USER_NAME, 0);
        a->why = "no User-Name";
    } else if (r->n_impus == 0 && r->wildcard[0] == '\0' &&
               (single_identity_type(r->sat) || r->impi[0] == '\0')) {
        a->result = cx_result_missing(CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP);
        a->why = "no Public-Identity";
    } else {
        return true;
    }
    return false;
}

static enum hss_rc sar_run(struct sar_ctx *c)
{
    uint32_t sat = c->req->sat;
    enum hss_rc rc = load_identities(c);

    if (rc != HSS_OK || c->done)
        return rc;
    if ((needs_impi(sat) && c->impu[0].type != HSS_ID_PUBLIC_USER)) {
        answer(c, cx_result_er(CX_ER_IN_ASSIGNMENT_TYPE),
               "assignment type not allowed for a PSI");
        return HSS_OK;
    }
    switch (sat) {
    case CX_SAT_REGISTRATION:
    case CX_SAT_RE_REGISTRATION:
        return sar_register(c);
    case CX_SAT_UNREGISTERED_USER:
        return sar_unregistered_user(c);
    case CX_SAT_NO_ASSIGNMENT:
        return sar_no_assignment(c);
    case CX_SAT_AUTHENTICATION_FAILURE:
    case CX_SAT_AUTHENTICATION_TIMEOUT:
        return sar_auth_failed(c);
    default:
        return sar_deregister(c);
    }
}

void cx_sar_decide(struct hss_store *st, struct cx_mem *mem,
                   const struct cx_sar_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_sar_ans *ans)
{
    struct sar_ctx *c;
    enum hss_rc rc;

    if (!precheck(req, ans))
        return;
    c = malloc(sizeof(*c));
    if (c == NULL) {
        rc = HSS_NOMEM;
        goto fail;
    }
    memset(c, 0, CTX_ZEROED);
    c->st = st;
    c->mem = mem;
    c->req = req;
    c->now = now;
    c->conf = conf;
    c->ans = ans;
    rc = hss_store_begin(st, HSS_TX_WRITE);
    if (rc == HSS_OK)
        rc = sar_run(c);
    if (rc == HSS_OK)
        rc = hss_store_commit(st);
    free(c);
    if (rc == HSS_OK)
        return;
fail:
    hss_store_rollback(st);
    free(ans->user_data);
    ans->user_data = NULL;
    ans->with_profile = false;
    ans->user_name[0] = '\0';
    ans->n_assoc = 0;
    ans->result = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);
    ans->why = "store error";
    ans->store_error = true;
    if (ans->detail[0] == '\0')
        snprintf(ans->detail, sizeof(ans->detail), "%s: %s", hss_rc_str(rc),
                 st != NULL ? hss_store_errmsg(st) : "no store");
}

void cx_sar_ans_cleanup(struct cx_sar_ans *ans)
{
    free(ans->user_data);
    ans->user_data = NULL;
}
