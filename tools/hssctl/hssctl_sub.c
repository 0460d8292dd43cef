/* hssctl_sub.c - the `sub` commands: subscriptions and their settings.
 *
 * Owns create/show/list/delete of subscriptions and their subscription-level
 * data: Charging-Information names, visited networks and roaming, S-CSCF
 * capabilities and preferred S-CSCFs. `sub show` gathers everything about a
 * subscription in one read transaction: IMPIs (kind, schemes, state), IMPUs
 * (state, S-CSCF), WAF/WWSF identities, profiles, pool and lease.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>
#include <string.h>

#include "hss_secret.h"
#include "hssctl.h"

int hssctl_cmd_sub_create(struct hssctl *c, const struct hssctl_args *a)
{
    int64_t id = 0;
    enum hss_rc src;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    src = hss_store_subscription_add(c->st, a->pos[0], &id);
    if (src == HSS_EXISTS)
        rc = hssctl_fail(c, 2,
                         "subscription '%s' already exists; see "
                         "'hssctl sub show %s'",
                         a->pos[0], a->pos[0]);
    else if (src != HSS_OK)
        rc = hssctl_store_fail(c, src, "creating the subscription");
    rc = hssctl_finish(c, rc, a->pos[0], NULL);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "subscription", a->pos[0]);
    hssctl_out_int(c, "id", id);
    return hssctl_out_end(c);
}

/* ---- sub show ------------------------------------------------------------ */

struct show_ctx {
    struct hssctl *c;
    const struct hss_subscription *sub;
    int64_t impi_id; /* for the IMPU walk under one IMPI */
};

static int show_impu_of_impi_cb(void *p, const struct hss_impu *u)
{
    struct show_ctx *x = p;
    struct hss_assoc as = {0};

    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "impu", u->name);
    if (hss_store_assoc_get(x->c->st, x->impi_id, u->id, &as) == HSS_OK) {
        hssctl_out_bool(x->c, "registered", as.registered);
        hssctl_out_bool(x->c, "auth_pending", as.auth_pending);
    }
    hssctl_out_obj_end(x->c);
    return 0;
}

static void show_digest(struct hssctl *c, int64_t impi_id)
{
    char realm[HSS_NAME_MAX + 1] = "";
    char ha1[HSS_HA1_HEX_MAX + 1];
    bool any = false;

    hssctl_out_arr(c, "digest_algorithms");
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++) {
        enum hss_rc rc = hss_store_digest_get(c->st, impi_id, NULL, a, ha1,
                                              realm, sizeof(realm));

        hss_secret_wipe(ha1, sizeof(ha1));
        if (rc == HSS_OK) {
            hssctl_out_item(c, hssctl_algo_str(a));
            any = true;
        }
    }
    hssctl_out_arr_end(c);
    if (any)
        hssctl_out_str(c, "digest_realm", realm);
}

static int show_impi_cb(void *p, const struct hss_impi *i)
{
    struct show_ctx *x = p;
    struct hss_aka_cred aka;
    char schemes[32];
    bool has_aka;

    hssctl_schemes_str(i->schemes, schemes, sizeof(schemes));
    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "impi", i->name);
    hssctl_out_str(x->c, "kind", hssctl_kind_str(i->kind));
    hssctl_out_str(x->c, "schemes", schemes);
    hssctl_schemes_str(i->default_scheme, schemes, sizeof(schemes));
    hssctl_out_str(x->c, "default_scheme", schemes);
    hssctl_out_bool(x->c, "revoked", i->revoked);
    hssctl_out_time(x->c, "valid_until", i->valid_until);
    hssctl_out_bool(x->c, "expired",
                    i->valid_until != 0 && i->valid_until <= x->c->now);
    hssctl_out_time(x->c, "locked_until", i->locked_until);
    has_aka = hss_store_aka_get(x->c->st, i->id, &aka) == HSS_OK;
    hss_secret_wipe(&aka, sizeof(aka));
    hssctl_out_bool(x->c, "aka_credentials", has_aka);
    show_digest(x->c, i->id);
    x->impi_id = i->id;
    hssctl_out_arr(x->c, "impus");
    hss_store_impu_each_of_impi(x->c->st, i->id, show_impu_of_impi_cb, x);
    hssctl_out_arr_end(x->c);
    hssctl_out_obj_end(x->c);
    return 0;
}

static int show_impu_cb(void *p, const struct hss_impu *brief)
{
    struct show_ctx *x = p;
    struct hss_impu full;
    const struct hss_impu *u = brief;

    /* the walk gives brief rows; the profile shown is the resolved one */
    if (hss_store_impu_get(x->c->st, brief->name, &full) == HSS_OK)
        u = &full;

    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "impu", u->name);
    hssctl_out_str(x->c, "type", hssctl_idtype_str(u->type));
    hssctl_out_bool(x->c, "barred", u->barred);
    hssctl_out_str(x->c, "state", hssctl_reg_str(u->reg_state));
    hssctl_out_str(x->c, "scscf",
                   u->reg_state != HSS_REG_NOT_REGISTERED ? x->sub->scscf_name
                                                          : "");
    hssctl_out_int(x->c, "irs", u->irs_id);
    hssctl_out_int(x->c, "profile_id", u->service_profile_id);
    if (u->display_name[0])
        hssctl_out_str(x->c, "display_name", u->display_name);
    hssctl_out_obj_end(x->c);
    return 0;
}

static int show_str_cb(void *p, const char *v)
{
    hssctl_out_item(p, v);
    return 0;
}

static int show_profile_cb(void *p, const struct hss_service_profile *sp)
{
    struct hssctl *c = p;

    hssctl_out_obj(c, NULL);
    hssctl_out_int(c, "id", sp->id);
    hssctl_out_str(c, "name", sp->name);
    hssctl_out_int(c, "ifc_bytes",
                   sp->ifc_xml ? (int64_t)strlen(sp->ifc_xml) : 0);
    hssctl_out_obj_end(c);
    free(sp->ifc_xml); /* ownership passes to the callback */
    return 0;
}

static void show_settings(struct hssctl *c, const struct hss_subscription *s)
{
    struct hss_capabilities caps = {0};

    hssctl_out_obj(c, "charging");
    hssctl_out_str(c, "pecf", s->charging_pecf);
    hssctl_out_str(c, "secf", s->charging_secf);
    hssctl_out_str(c, "pccf", s->charging_pccf);
    hssctl_out_str(c, "sccf", s->charging_sccf);
    hssctl_out_obj_end(c);
    if (hss_store_capabilities_get(c->st, s->id, &caps) != HSS_OK)
        return;
    hssctl_out_obj(c, "capabilities");
    hssctl_out_arr(c, "mandatory");
    for (size_t i = 0; i < caps.n_mandatory; i++) {
        char n[16];

        snprintf(n, sizeof(n), "%u", caps.mandatory[i]);
        hssctl_out_item(c, n);
    }
    hssctl_out_arr_end(c);
    hssctl_out_arr(c, "optional");
    for (size_t i = 0; i < caps.n_optional; i++) {
        char n[16];

        snprintf(n, sizeof(n), "%u", caps.optional[i]);
        hssctl_out_item(c, n);
    }
    hssctl_out_arr_end(c);
    hssctl_out_arr(c, "preferred_scscf");
    for (size_t i = 0; i < caps.n_server_names; i++)
        hssctl_out_item(c, caps.server_names[i]);
    hssctl_out_arr_end(c);
    hssctl_out_obj_end(c);
}

static void show_pool(struct hssctl *c, const struct hss_subscription *s)
{
    struct hss_pool pool;
    struct hss_lease lease;

    if (hss_store_pool_of_subscription(c->st, s->id, &pool) != HSS_OK)
        return;
    hssctl_out_str(c, "pool", pool.name);
    if (hss_store_lease_active(c->st, s->id, c->now, &lease) != HSS_OK)
        return;
    hssctl_out_obj(c, "lease");
    hssctl_out_int(c, "id", lease.id);
    hssctl_out_str(c, "holder", lease.holder);
    hssctl_out_time(c, "expires", lease.expires);
    hssctl_out_obj_end(c);
}

int hssctl_cmd_sub_show(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_subscription s;
    struct show_ctx x = {c, &s, 0};
    enum hss_rc rc = hss_store_begin(c->st, HSS_TX_READ);

    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading");
    if (hssctl_sub_find(c, a->pos[0], &s) != 0) {
        hss_store_rollback(c->st);
        return 2;
    }
    hssctl_out_begin(c);
    hssctl_out_str(c, "subscription", s.name);
    hssctl_out_int(c, "id", s.id);
    hssctl_out_bool(c, "web_auth", s.web_auth);
    hssctl_out_bool(c, "roaming_any", s.roaming_any);
    hssctl_out_str(c, "scscf", s.scscf_name);
    hssctl_out_str(c, "scscf_host", s.scscf_host);
    hssctl_out_str(c, "scscf_realm", s.scscf_realm);
    hssctl_out_arr(c, "impis");
    hss_store_impi_each_of_subscription(c->st, s.id, show_impi_cb, &x);
    hssctl_out_arr_end(c);
    hssctl_out_arr(c, "impus");
    hss_store_impu_each_of_subscription(c->st, s.id, show_impu_cb, &x);
    hssctl_out_arr_end(c);
    hssctl_out_arr(c, "waf");
    hss_store_waf_each(c->st, s.id, show_str_cb, c);
    hssctl_out_arr_end(c);
    hssctl_out_arr(c, "wwsf");
    hss_store_wwsf_each(c->st, s.id, show_str_cb, c);
    hssctl_out_arr_end(c);
    hssctl_out_arr(c, "profiles");
    hss_store_profile_each_of_subscription(c->st, s.id, show_profile_cb, c);
    hssctl_out_arr_end(c);
    show_settings(c, &s);
    show_pool(c, &s);
    hss_store_rollback(c->st);
    return hssctl_out_end(c);
}

/* ---- sub list ------------------------------------------------------------ */

struct list_ctx {
    struct hssctl *c;
    const char *prefix;
    int web_auth; /* -1 any */
    bool registered;
    int64_t limit, offset, matched, shown;
};

static int list_cb(void *p, const struct hss_subscription *s)
{
    struct list_ctx *x = p;

    if (x->prefix && strncmp(s->name, x->prefix, strlen(x->prefix)) != 0)
        return 0;
    if (x->web_auth >= 0 && s->web_auth != (x->web_auth == 1))
        return 0;
    if (x->registered && !s->scscf_name[0])
        return 0;
    if (x->matched++ < x->offset)
        return 0;
    if (x->limit > 0 && x->shown >= x->limit)
        return 1;
    x->shown++;
    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "subscription", s->name);
    hssctl_out_int(x->c, "id", s->id);
    hssctl_out_bool(x->c, "web_auth", s->web_auth);
    hssctl_out_str(x->c, "scscf", s->scscf_name);
    hssctl_out_obj_end(x->c);
    return 0;
}

int hssctl_cmd_sub_list(struct hssctl *c, const struct hssctl_args *a)
{
    struct list_ctx x = {c,   hssctl_opt(c, a, "prefix"),
                         -1,  hssctl_flag(c, a, "registered"),
                         100, 0,
                         0,   0};
    const char *wa = hssctl_opt(c, a, "web-auth");
    const char *lim = hssctl_opt(c, a, "limit");
    const char *off = hssctl_opt(c, a, "offset");
    enum hss_rc src;
    bool on;
    int rc;

    if (wa) {
        if (hssctl_parse_onoff(c, "--web-auth", wa, &on) != 0)
            return 1;
        x.web_auth = on;
    }
    if (lim && hssctl_parse_i64(c, "--limit", lim, 0, INT64_MAX, &x.limit))
        return 1;
    if (off && hssctl_parse_i64(c, "--offset", off, 0, INT64_MAX, &x.offset))
        return 1;
    src = hss_store_begin(c->st, HSS_TX_READ);
    if (src != HSS_OK)
        return hssctl_store_fail(c, src, "reading");
    hssctl_out_begin(c);
    hssctl_out_arr(c, "subscriptions");
    rc = hssctl_sub_each(c, list_cb, &x);
    hssctl_out_arr_end(c);
    hssctl_out_int(c, "shown", x.shown);
    hssctl_out_int(c, "offset", x.offset);
    hss_store_rollback(c->st);
    if (rc != 0)
        return rc;
    return hssctl_out_end(c);
}

/* ---- sub delete ---------------------------------------------------------- */

static int count_registered_cb(void *p, const struct hss_impu *u)
{
    if (u->reg_state != HSS_REG_NOT_REGISTERED)
        ++*(int *)p;
    return 0;
}

int hssctl_cmd_sub_delete(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_subscription s;
    int registered = 0;
    enum hss_rc src;
    int rc;

    if (hssctl_sub_find(c, a->pos[0], &s) != 0)
        return 2;
    if (hssctl_confirm(c, "delete subscription", s.name) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    hss_store_impu_each_of_subscription(c->st, s.id, count_registered_cb,
                                        &registered);
    if (registered > 0) {
        rc = hssctl_fail(c, 2,
                         "subscription '%s' has %d registered IMPU(s); "
                         "de-register first with 'hssctl reg deregister "
                         "IMPU'",
                         s.name, registered);
    } else {
        src = hss_store_subscription_delete(c->st, s.id);
        if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, "deleting the subscription");
    }
    rc = hssctl_finish(c, rc, s.name, NULL);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "deleted", s.name);
    return hssctl_out_end(c);
}

/* ---- subscription settings ----------------------------------------------- */

/* Runs one setter inside a write transaction with its audit entry. */
/* name NULL: the defaults every subscription falls back to (store id 0:
 * S-CSCF capabilities and preferred S-CSCF names). */
#define DEFAULTS_NAME "(defaults)"

/* One change of a subscription (or of the defaults, name NULL) by fn; with
 * ppr_what, the PPRs that carry it to the S-CSCF are queued with it. */
static int
sub_change_ppr(struct hssctl *c, const char *name, const char *detail,
               enum hss_rc (*fn)(struct hssctl *, int64_t, const void *),
               const void *arg, unsigned ppr_what)
{
    struct hss_subscription s = {.id = 0};
    enum hss_rc src;
    size_t n_ppr = 0;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    if (name != NULL)
        rc = hssctl_sub_find(c, name, &s);
    else
        name = DEFAULTS_NAME;
    if (rc == 0) {
        src = fn(c, s.id, arg);
        if (src == HSS_EXISTS)
            rc =
                hssctl_fail(c, 2, "'%s' is already set for '%s'", detail, name);
        else if (src == HSS_NOT_FOUND)
            rc = hssctl_fail(c, 2,
                             "'%s' is not set for '%s'; see 'hssctl "
                             "sub show %s'",
                             detail, name, name);
        else if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, c->cmd->name);
    }
    if (rc == 0 && ppr_what != 0 && s.id > 0)
        rc = hssctl_ppr_queue(c, &s, ppr_what, &n_ppr);
    rc = hssctl_finish(c, rc, name, detail);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "subscription", name);
    hssctl_out_str(c, "changed", detail);
    if (ppr_what != 0)
        hssctl_out_int(c, "ppr_queued", (int64_t)n_ppr);
    return hssctl_out_end(c);
}

static int sub_change(struct hssctl *c, const char *name, const char *detail,
                      enum hss_rc (*fn)(struct hssctl *, int64_t, const void *),
                      const void *arg)
{
    return sub_change_ppr(c, name, detail, fn, arg, 0);
}

static enum hss_rc charging_fn(struct hssctl *c, int64_t id, const void *arg)
{
    const char *const *v = arg;

    return hss_store_subscription_set_charging(c->st, id, v[0], v[1], v[2],
                                               v[3]);
}

int hssctl_cmd_sub_charging(struct hssctl *c, const struct hssctl_args *a)
{
    const char *v[4] = {hssctl_opt(c, a, "pecf"), hssctl_opt(c, a, "secf"),
                        hssctl_opt(c, a, "pccf"), hssctl_opt(c, a, "sccf")};
    char detail[HSS_NAME_MAX + 1];

    if (!v[0] && !v[1] && !v[2] && !v[3])
        return hssctl_fail(c, 1,
                           "give at least one of --pecf, --secf, "
                           "--pccf, --sccf");
    snprintf(detail, sizeof(detail), "pecf=%s secf=%s pccf=%s sccf=%s",
             v[0] ? v[0] : "", v[1] ? v[1] : "", v[2] ? v[2] : "",
             v[3] ? v[3] : "");
    return sub_change_ppr(c, a->pos[0], detail, charging_fn, v,
                          HSS_PPR_CHARGING);
}

static enum hss_rc visited_add_fn(struct hssctl *c, int64_t id, const void *arg)
{
    return hss_store_visited_network_add(c->st, id, arg);
}

static enum hss_rc visited_remove_fn(struct hssctl *c, int64_t id,
                                     const void *arg)
{
    return hss_store_visited_network_remove(c->st, id, arg);
}

int hssctl_cmd_sub_visited(struct hssctl *c, const struct hssctl_args *a)
{
    bool add = strcmp(c->cmd->name, "sub visited add") == 0;

    return sub_change(c, a->pos[0], a->pos[1],
                      add ? visited_add_fn : visited_remove_fn, a->pos[1]);
}

static enum hss_rc roaming_fn(struct hssctl *c, int64_t id, const void *arg)
{
    return hss_store_subscription_set_roaming_any(c->st, id,
                                                  *(const bool *)arg);
}

int hssctl_cmd_sub_roaming(struct hssctl *c, const struct hssctl_args *a)
{
    bool on;

    if (hssctl_parse_onoff(c, "roaming-any", a->pos[1], &on) != 0)
        return 1;
    return sub_change(c, a->pos[0], on ? "roaming-any=on" : "roaming-any=off",
                      roaming_fn, &on);
}

/* "default capability add" / "default scscf-pref add" share the handlers
 * of their "sub ..." twins. */
static bool is_default_cmd(const struct hssctl *c)
{
    return strncmp(c->cmd->name, "default ", 8) == 0;
}

struct cap_arg {
    bool mandatory;
    uint32_t value;
};

static enum hss_rc cap_fn(struct hssctl *c, int64_t id, const void *arg)
{
    const struct cap_arg *ca = arg;

    return hss_store_capability_add(c->st, id, ca->mandatory, ca->value);
}

int hssctl_cmd_sub_capability(struct hssctl *c, const struct hssctl_args *a)
{
    const char *m = hssctl_opt(c, a, "mandatory");
    const char *o = hssctl_opt(c, a, "optional");
    struct cap_arg ca = {m != NULL, 0};
    char detail[48];
    int64_t v;

    if ((m != NULL) == (o != NULL))
        return hssctl_fail(c, 1,
                           "give exactly one of --mandatory N or "
                           "--optional N");
    if (hssctl_parse_i64(c, "capability", m ? m : o, 0, UINT32_MAX, &v))
        return 1;
    ca.value = (uint32_t)v;
    snprintf(detail, sizeof(detail), "%s=%u", m ? "mandatory" : "optional",
             ca.value);
    return sub_change(c, is_default_cmd(c) ? NULL : a->pos[0], detail, cap_fn,
                      &ca);
}

static enum hss_rc scscf_pref_fn(struct hssctl *c, int64_t id, const void *arg)
{
    return hss_store_preferred_scscf_add(c->st, id, arg);
}

int hssctl_cmd_sub_scscf_pref(struct hssctl *c, const struct hssctl_args *a)
{
    bool dflt = is_default_cmd(c);
    const char *uri = a->pos[dflt ? 0 : 1];

    if (strncmp(uri, "sip:", 4) != 0 && strncmp(uri, "sips:", 5) != 0)
        return hssctl_fail(c, 1,
                           "an S-CSCF name is a SIP URI (sip:...), "
                           "not '%s'",
                           uri);
    return sub_change(c, dflt ? NULL : a->pos[0], uri, scscf_pref_fn, uri);
}

static enum hss_rc web_auth_fn(struct hssctl *c, int64_t id, const void *arg)
{
    return hss_store_subscription_set_web_auth(c->st, id, *(const bool *)arg);
}

int hssctl_cmd_sub_web_auth(struct hssctl *c, const struct hssctl_args *a)
{
    bool on;

    if (hssctl_parse_onoff(c, "web-auth", a->pos[1], &on) != 0)
        return 1;
    return sub_change(c, a->pos[0], on ? "web-auth=on" : "web-auth=off",
                      web_auth_fn, &on);
}
