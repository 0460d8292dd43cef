/* hssctl_pool.c - WWSF identity pools and their leases (TS 33.203 X.4).
 *
 * Owns `pool create|add-members|list|members|leases` and
 * `lease acquire|release|renew`. X.4.2 gives the WWSF a pool of
 * subscriptions, each with exactly one IMPI/IMPU pair, that it assigns
 * temporarily; `pool add-members` creates such subscriptions from a pattern
 * like 'sip:web-{0001..5000}@ims.example.net' (IMPI = the URI without
 * "sip:") in one transaction. Leases are the store's: acquire is atomic in
 * the store, release de-registers through the outbox.
 *
 * `lease acquire --mint-digest --realm R` also gives the leased IMPI a
 * one-time SIP Digest credential for S-CSCFs without Trusted Node
 * Authentication: a generated password (hssctl_secret_generate), printed
 * once for the WWSF to hand to the web user; only H(A1) per algorithm is
 * stored, marked as belonging to the lease, in the same transaction as the
 * lease and its audit entry. The store deletes it when the lease ends.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hss_digest.h"
#include "hss_secret.h"
#include "hssctl.h"

#define HSSCTL_POOL_MAX_MEMBERS 1000000

static int duration_opt(struct hssctl *c, const struct hssctl_args *a,
                        const char *name, int64_t dflt, int *out)
{
    const char *s = hssctl_opt(c, a, name);
    int64_t v = dflt;
    char what[32];

    snprintf(what, sizeof(what), "--%s", name);
    if (s && hssctl_parse_duration(c, what, s, &v) != 0)
        return 1;
    if (v > INT32_MAX)
        return hssctl_fail(c, 1, "%s is too long", what);
    *out = (int)v;
    return 0;
}

static void out_pool(struct hssctl *c, const struct hss_pool *p)
{
    hssctl_out_str(c, "pool", p->name);
    hssctl_out_int(c, "id", p->id);
    hssctl_out_str(c, "wwsf", p->wwsf);
    hssctl_out_str(c, "waf", p->waf);
    hssctl_out_int(c, "lease_ttl_s", p->lease_ttl_s);
    hssctl_out_int(c, "quarantine_s", p->quarantine_s);
    hssctl_out_bool(c, "release_on_dereg", p->release_on_dereg);
}

int hssctl_cmd_pool_create(struct hssctl *c, const struct hssctl_args *a)
{
    const char *wwsf = hssctl_opt(c, a, "wwsf");
    const char *waf = hssctl_opt(c, a, "waf");
    struct hss_pool p = {0};
    enum hss_rc src;
    int rc;

    if (!wwsf || !wwsf[0])
        return hssctl_fail(c, 1,
                           "pool create needs --wwsf NAME (the WWSF "
                           "that owns the pool)");
    if (hssctl_strlcpy(p.name, a->pos[0], sizeof(p.name)) ||
        hssctl_strlcpy(p.wwsf, wwsf, sizeof(p.wwsf)) ||
        hssctl_strlcpy(p.waf, waf ? waf : "", sizeof(p.waf)))
        return hssctl_fail(c, 1, "names are limited to %d bytes", HSS_NAME_MAX);
    if (duration_opt(c, a, "ttl", 3600, &p.lease_ttl_s) ||
        duration_opt(c, a, "quarantine", 300, &p.quarantine_s))
        return 1;
    p.release_on_dereg = hssctl_flag(c, a, "release-on-dereg");
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    src = hss_store_pool_add(c->st, &p, &p.id);
    if (src == HSS_EXISTS)
        rc = hssctl_fail(c, 2,
                         "pool '%s' already exists; see 'hssctl pool "
                         "list'",
                         p.name);
    else if (src != HSS_OK)
        rc = hssctl_store_fail(c, src, "creating the pool");
    rc = hssctl_finish(c, rc, p.name, p.wwsf);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    out_pool(c, &p);
    return hssctl_out_end(c);
}

/* ---- pattern --------------------------------------------------------------
 */

struct pattern {
    char prefix[HSS_IDENTITY_MAX + 1];
    char suffix[HSS_IDENTITY_MAX + 1];
    long long first, last;
    int width;
};

static int pattern_parse(struct hssctl *c, const char *s, struct pattern *p)
{
    const char *open = strchr(s, '{');
    const char *dots = open ? strstr(open, "..") : NULL;
    const char *close = dots ? strchr(dots, '}') : NULL;
    char *end;

    if (strncmp(s, "sip:", 4) != 0 || !close || strchr(close + 1, '{') ||
        (size_t)(open - s) > HSS_IDENTITY_MAX ||
        strlen(close + 1) > HSS_IDENTITY_MAX)
        return hssctl_fail(c, 1,
                           "--pattern must look like "
                           "'sip:web-{0001..5000}@ims.example.net'");
    memcpy(p->prefix, s, (size_t)(open - s));
    p->prefix[open - s] = '\0';
    memcpy(p->suffix, close + 1, strlen(close + 1) + 1);
    errno = 0;
    p->first = strtoll(open + 1, &end, 10);
    if (end != dots || open[1] < '0' || open[1] > '9' || errno)
        return hssctl_fail(c, 1, "bad range start in --pattern '%s'", s);
    p->last = strtoll(dots + 2, &end, 10);
    if (end != close || dots[2] < '0' || dots[2] > '9' || errno)
        return hssctl_fail(c, 1, "bad range end in --pattern '%s'", s);
    if (p->last < p->first || p->last - p->first >= HSSCTL_POOL_MAX_MEMBERS)
        return hssctl_fail(c, 1,
                           "the range in --pattern must be increasing "
                           "and hold at most %d members",
                           HSSCTL_POOL_MAX_MEMBERS);
    p->width = (int)(dots - open - 1);
    if (!strchr(p->suffix, '@') && !strchr(p->prefix, '@'))
        return hssctl_fail(c, 1,
                           "--pattern needs user@domain so that the "
                           "IMPI is a NAI");
    return 0;
}

/* Creates one member: subscription + IMPI + IMPU (kind pool) + pool link. */
static int member_add(struct hssctl *c, const struct hss_pool *pool,
                      const char *impu)
{
    const char *impi = impu + 4; /* without "sip:" */
    struct hss_impi_new in = {impi, HSS_IMPI_POOL, HSS_SCHEME_NONE,
                              HSS_SCHEME_NONE, 0};
    struct hss_impu_new un = {impu, HSS_ID_PUBLIC_USER, false, 0, 0, NULL};
    int64_t sub_id, impi_id, impu_id;
    enum hss_rc rc;

    rc = hss_store_subscription_add(c->st, impi, &sub_id);
    if (rc == HSS_OK)
        rc = hss_store_impi_add(c->st, sub_id, &in, &impi_id);
    if (rc == HSS_OK)
        rc = hss_store_impu_add(c->st, sub_id, &un, &impu_id);
    if (rc == HSS_OK)
        rc = hss_store_assoc_add(c->st, impi_id, impu_id);
    if (rc == HSS_OK)
        rc = hss_store_pool_member_add(c->st, pool->id, sub_id);
    if (rc == HSS_EXISTS)
        return hssctl_fail(c, 2, "'%s' already exists; nothing was added",
                           impu);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, impu);
    return 0;
}

int hssctl_cmd_pool_add_members(struct hssctl *c, const struct hssctl_args *a)
{
    const char *pat = hssctl_opt(c, a, "pattern");
    struct pattern p;
    struct hss_pool pool;
    char impu[HSS_IDENTITY_MAX + 2];
    char detail[HSS_IDENTITY_MAX + 32];
    int rc;

    if (!pat)
        return hssctl_fail(c, 1,
                           "pool add-members needs --pattern "
                           "'sip:web-{0001..5000}@domain'");
    if (pattern_parse(c, pat, &p) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = hssctl_pool_find(c, a->pos[0], &pool);
    for (long long n = p.first; rc == 0 && n <= p.last; n++) {
        int len = snprintf(impu, sizeof(impu), "%s%0*lld%s", p.prefix, p.width,
                           n, p.suffix);

        if (len < 0 || len > HSS_IDENTITY_MAX)
            rc = hssctl_fail(c, 1, "'%s...' is longer than %d bytes", p.prefix,
                             HSS_IDENTITY_MAX);
        else
            rc = member_add(c, &pool, impu);
    }
    snprintf(detail, sizeof(detail), "pattern=%s count=%lld", pat,
             p.last - p.first + 1);
    rc = hssctl_finish(c, rc, a->pos[0], detail);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "pool", pool.name);
    hssctl_out_int(c, "added", p.last - p.first + 1);
    return hssctl_out_end(c);
}

/* ---- listings ------------------------------------------------------------ */

/* The store has no pool listing: pools are found through the audit log of
 * `pool create` (every pool hssctl created) and looked up by name. */
struct pool_list_ctx {
    struct hssctl *c;
    char (*names)[HSS_NAME_MAX + 1];
    size_t n, cap;
};

static int pool_audit_cb(void *p, const struct hss_audit_entry *e)
{
    struct pool_list_ctx *x = p;

    if (strcmp(e->action, "pool create") != 0)
        return 0;
    for (size_t k = 0; k < x->n; k++)
        if (strcmp(x->names[k], e->object) == 0)
            return 0;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        void *nn = realloc(x->names, cap * sizeof(*x->names));

        if (!nn)
            return 1;
        x->names = nn;
        x->cap = cap;
    }
    snprintf(x->names[x->n++], sizeof(x->names[0]), "%s", e->object);
    return 0;
}

int hssctl_cmd_pool_list(struct hssctl *c, const struct hssctl_args *a)
{
    struct pool_list_ctx x = {c, NULL, 0, 0};
    enum hss_rc rc =
        hss_store_audit_each(c->st, 0, SIZE_MAX, pool_audit_cb, &x);

    (void)a;
    if (rc != HSS_OK) {
        free(x.names);
        return hssctl_store_fail(c, rc, "reading the audit log");
    }
    hssctl_out_begin(c);
    hssctl_out_arr(c, "pools");
    for (size_t k = 0; k < x.n; k++) {
        struct hss_pool p;

        if (hss_store_pool_get(c->st, x.names[k], &p) != HSS_OK)
            continue;
        hssctl_out_obj(c, NULL);
        out_pool(c, &p);
        hssctl_out_obj_end(c);
    }
    hssctl_out_arr_end(c);
    free(x.names);
    return hssctl_out_end(c);
}

struct members_ctx {
    struct hssctl *c;
    int64_t pool_id;
    int64_t n;
};

static int member_impu_cb(void *p, const struct hss_impu *u)
{
    struct members_ctx *x = p;

    hssctl_out_str(x->c, "impu", u->name);
    hssctl_out_str(x->c, "state", hssctl_reg_str(u->reg_state));
    return 1;
}

static int member_impi_cb(void *p, const struct hss_impi *i)
{
    struct members_ctx *x = p;

    hssctl_out_str(x->c, "impi", i->name);
    return 1;
}

static int members_cb(void *p, const struct hss_subscription *s)
{
    struct members_ctx *x = p;
    struct hss_pool pool;
    struct hss_lease lease;

    if (hss_store_pool_of_subscription(x->c->st, s->id, &pool) != HSS_OK ||
        pool.id != x->pool_id)
        return 0;
    x->n++;
    hssctl_out_obj(x->c, NULL);
    hssctl_out_str(x->c, "subscription", s->name);
    hss_store_impi_each_of_subscription(x->c->st, s->id, member_impi_cb, x);
    hss_store_impu_each_of_subscription(x->c->st, s->id, member_impu_cb, x);
    if (hss_store_lease_active(x->c->st, s->id, x->c->now, &lease) == HSS_OK) {
        hssctl_out_int(x->c, "lease", lease.id);
        hssctl_out_str(x->c, "holder", lease.holder);
    }
    hssctl_out_obj_end(x->c);
    return 0;
}

int hssctl_cmd_pool_members(struct hssctl *c, const struct hssctl_args *a)
{
    struct members_ctx x = {c, 0, 0};
    struct hss_pool pool;
    enum hss_rc src;
    int rc;

    src = hss_store_begin(c->st, HSS_TX_READ);
    if (src != HSS_OK)
        return hssctl_store_fail(c, src, "reading");
    rc = hssctl_pool_find(c, a->pos[0], &pool);
    if (rc == 0) {
        x.pool_id = pool.id;
        hssctl_out_begin(c);
        hssctl_out_str(c, "pool", pool.name);
        hssctl_out_arr(c, "members");
        rc = hssctl_sub_each(c, members_cb, &x);
        hssctl_out_arr_end(c);
        hssctl_out_int(c, "count", x.n);
    }
    hss_store_rollback(c->st);
    return rc ? rc : hssctl_out_end(c);
}

static void out_lease(struct hssctl *c, const struct hss_lease *l)
{
    hssctl_out_int(c, "lease", l->id);
    hssctl_out_str(c, "impi", l->impi);
    hssctl_out_str(c, "impu", l->impu);
    hssctl_out_str(c, "holder", l->holder);
    hssctl_out_time(c, "created", l->created);
    hssctl_out_time(c, "expires", l->expires);
    hssctl_out_time(c, "released", l->released);
}

static int lease_cb(void *p, const struct hss_lease *l)
{
    struct hssctl *c = p;

    hssctl_out_obj(c, NULL);
    out_lease(c, l);
    hssctl_out_obj_end(c);
    return 0;
}

int hssctl_cmd_pool_leases(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_pool pool;
    enum hss_rc rc;

    if (hssctl_pool_find(c, a->pos[0], &pool) != 0)
        return 2;
    hssctl_out_begin(c);
    hssctl_out_str(c, "pool", pool.name);
    hssctl_out_arr(c, "leases");
    rc = hss_store_lease_each(c->st, pool.id, !hssctl_flag(c, a, "all"), c->now,
                              lease_cb, c);
    hssctl_out_arr_end(c);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "reading leases");
    return hssctl_out_end(c);
}

/* ---- leases ------------------------------------------------------------- */

/* Options of `lease acquire --mint-digest`. */
struct mint {
    bool on;
    const char *realm;
    unsigned algos;
    struct hssctl_secret pw;
};

static int mint_opts(struct hssctl *c, const struct hssctl_args *a,
                     struct mint *m)
{
    const char *alg = hssctl_opt(c, a, "algorithms");

    m->on = hssctl_flag(c, a, "mint-digest");
    m->realm = hssctl_opt(c, a, "realm");
    m->algos = HSSCTL_ALGOS_DEFAULT;
    if (!m->on && (m->realm || alg))
        return hssctl_fail(c, 1,
                           "--realm and --algorithms go with "
                           "--mint-digest");
    if (m->on && (!m->realm || !m->realm[0]))
        return hssctl_fail(c, 1,
                           "lease acquire --mint-digest needs --realm "
                           "REALM");
    if (alg && hssctl_parse_algorithms(c, alg, &m->algos) != 0)
        return 1;
    return 0;
}

/* Inside the lease's transaction: H(A1) of IMPI:realm:password per
 * algorithm, stored as the lease's minted credential. */
static int mint_store(struct hssctl *c, const struct hss_lease *l,
                      const struct mint *m)
{
    char ha1[HSS_DIGEST_HEX_MAX];
    enum hss_rc rc;

    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++) {
        if (!(m->algos & (1u << a)))
            continue;
        if (hss_digest_ha1(hssctl_crypto_alg(a), l->impi, m->realm, m->pw.buf,
                           m->pw.len, ha1, sizeof(ha1)) != 0) {
            hss_secret_wipe(ha1, sizeof(ha1));
            return hssctl_fail(c, 2, "computing H(A1) failed");
        }
        rc =
            hss_store_lease_digest_mint(c->st, l->id, c->now, m->realm, a, ha1);
        hss_secret_wipe(ha1, sizeof(ha1));
        if (rc == HSS_CONFLICT)
            return hssctl_fail(c, 2,
                               "impi '%s' already has a digest credential "
                               "for realm '%s' provisioned by the operator; "
                               "nothing was leased",
                               l->impi, m->realm);
        if (rc != HSS_OK)
            return hssctl_store_fail(c, rc, "storing the minted H(A1)");
    }
    return 0;
}

static void out_mint(struct hssctl *c, const struct mint *m)
{
    hssctl_out_str(c, "realm", m->realm);
    hssctl_out_arr(c, "algorithms");
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++)
        if (m->algos & (1u << a))
            hssctl_out_item(c, hssctl_algo_str(a));
    hssctl_out_arr_end(c);
    hssctl_out_str(c, "password", m->pw.buf);
}

/* Lease (and minted credential) and audit entry in one BEGIN IMMEDIATE:
 * the store's acquire runs in a savepoint of it, so two hssctl never get
 * the same member and a failed mint leases nothing. */
static int lease_take(struct hssctl *c, const struct hss_pool *pool,
                      const char *holder, int ttl, const struct mint *m,
                      struct hss_lease *l)
{
    char detail[HSS_NAME_MAX * 2 + 64];
    enum hss_rc src;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    src = hss_store_lease_acquire(c->st, pool->id, holder, c->now, ttl, l);
    if (src == HSS_EXHAUSTED)
        rc = hssctl_fail(c, 2,
                         "pool '%s' has no free member; see 'hssctl "
                         "pool leases %s'",
                         pool->name, pool->name);
    else if (src != HSS_OK)
        rc = hssctl_store_fail(c, src, "acquiring a lease");
    if (rc == 0 && m->on)
        rc = mint_store(c, l, m);
    if (snprintf(detail, sizeof(detail), "lease=%lld holder=%s%s%s",
                 (long long)l->id, holder, m->on ? " minted-digest realm=" : "",
                 m->on ? m->realm : "") >= (int)sizeof(detail))
        detail[sizeof(detail) - 1] = '\0'; /* audit detail is bounded */
    return hssctl_finish(c, rc, rc == 0 ? l->impi : pool->name, detail);
}

int hssctl_cmd_lease_acquire(struct hssctl *c, const struct hssctl_args *a)
{
    const char *holder = hssctl_opt(c, a, "holder");
    struct mint m = {0};
    struct hss_lease l = {0};
    struct hss_pool pool;
    int ttl = 0, rc;

    if (!holder || !holder[0])
        return hssctl_fail(c, 1, "lease acquire needs --holder ID");
    if (duration_opt(c, a, "ttl", 0, &ttl) != 0 || mint_opts(c, a, &m) != 0)
        return 1;
    if (hssctl_pool_find(c, a->pos[0], &pool) != 0)
        return 2;
    rc = m.on ? hssctl_secret_generate(c, &m.pw) : 0;
    if (rc == 0)
        rc = lease_take(c, &pool, holder, ttl, &m, &l);
    if (rc == 0) {
        hssctl_out_begin(c);
        out_lease(c, &l);
        if (m.on)
            out_mint(c, &m); /* the only time the password is shown */
        rc = hssctl_out_end(c);
    }
    hssctl_secret_wipe(&m.pw);
    return rc;
}

static int lease_id_arg(struct hssctl *c, const char *s, int64_t *id)
{
    return hssctl_parse_i64(c, "lease id", s, 1, INT64_MAX, id);
}

static int lease_change_rc(struct hssctl *c, enum hss_rc src, const char *id)
{
    if (src == HSS_OK)
        return 0;
    if (src == HSS_NOT_FOUND)
        return hssctl_fail(c, 2,
                           "lease %s not found; list with 'hssctl "
                           "pool leases POOL'",
                           id);
    if (src == HSS_CONFLICT)
        return hssctl_fail(c, 2,
                           "lease %s is not active (released, expired "
                           "or unknown); see 'hssctl pool leases POOL --all'",
                           id);
    return hssctl_store_fail(c, src, c->cmd->name);
}

int hssctl_cmd_lease_release(struct hssctl *c, const struct hssctl_args *a)
{
    int64_t id;
    int rc;

    if (lease_id_arg(c, a->pos[0], &id) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = lease_change_rc(c, hss_store_lease_release(c->st, id, c->now),
                         a->pos[0]);
    rc = hssctl_finish(c, rc, a->pos[0], NULL);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_int(c, "lease", id);
    hssctl_out_bool(c, "released", true);
    return hssctl_out_end(c);
}

int hssctl_cmd_lease_renew(struct hssctl *c, const struct hssctl_args *a)
{
    int64_t id;
    int ttl = 0, rc;

    if (lease_id_arg(c, a->pos[0], &id) != 0)
        return 1;
    if (duration_opt(c, a, "ttl", 0, &ttl) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = lease_change_rc(c, hss_store_lease_renew(c->st, id, c->now, ttl),
                         a->pos[0]);
    rc = hssctl_finish(c, rc, a->pos[0], hssctl_opt(c, a, "ttl"));
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_int(c, "lease", id);
    hssctl_out_bool(c, "renewed", true);
    return hssctl_out_end(c);
}
