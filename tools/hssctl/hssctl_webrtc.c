/* hssctl_webrtc.c - TS 33.203 Annex X provisioning: WebRTC identities and
 * the allowed WAF/WWSF identities.
 *
 * Owns `webrtc issue|rotate|revoke|expire` and `waf|wwsf add|remove`.
 * X.2.2 recommends that a WebRTC client gets its own IMPI with its own SIP
 * Digest password, so that a leaked password only affects the WIC: `issue`
 * creates that IMPI (kind webrtc, scheme digest only) bound to a chosen
 * subset of the subscription's IMPUs and stores only H(A1). `rotate`
 * replaces H(A1) and, when something is registered through the IMPI, queues
 * a PPR with the new SIP-Auth-Data-Item (TS 29.228 §6.5.2.4) in the same
 * transaction. `revoke` marks the IMPI revoked and de-registers exactly the
 * IMPUs registered through it (RTR PERMANENT_TERMINATION), leaving regular
 * registrations alone. WAF/WWSF changes of a registered subscription queue
 * a PPR with Allowed-WAF-WWSF-Identities (§6.5.2.5).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include "cx_proto.h"
#include "hss_secret.h"
#include "hssctl.h"

/* Binds the new IMPI to each --impu, which must belong to the subscription. */
static int bind_impus(struct hssctl *c, const struct hssctl_args *a,
                      const struct hss_subscription *s, int64_t impi_id)
{
    for (int k = 0; k < a->nmulti; k++) {
        struct hss_impu u;
        enum hss_rc rc;

        if (hssctl_impu_find(c, a->multi[k], &u) != 0)
            return 2;
        if (u.subscription_id != s->id)
            return hssctl_fail(c, 2,
                               "impu '%s' is not in subscription '%s'; "
                               "a WebRTC identity may only use its own "
                               "subscription's IMPUs",
                               u.name, s->name);
        rc = hss_store_assoc_add(c->st, impi_id, u.id);
        if (rc != HSS_OK && rc != HSS_EXISTS)
            return hssctl_store_fail(c, rc, "binding the impu");
    }
    return 0;
}

int hssctl_cmd_webrtc_issue(struct hssctl *c, const struct hssctl_args *a)
{
    const char *realm = hssctl_opt(c, a, "realm");
    const char *alg = hssctl_opt(c, a, "algorithms");
    const char *exp = hssctl_opt(c, a, "expires");
    struct hss_impi_new n = {a->pos[1], HSS_IMPI_WEBRTC, HSS_SCHEME_DIGEST,
                             HSS_SCHEME_DIGEST, 0};
    unsigned algos = HSSCTL_ALGOS_DEFAULT;
    struct hssctl_secret pw = {0};
    struct hss_subscription s;
    struct hss_impi impi;
    bool generated;
    int64_t dur = 0;
    char detail[400];
    int rc;

    if (!realm || !realm[0])
        return hssctl_fail(c, 1, "webrtc issue needs --realm REALM");
    if (a->nmulti == 0)
        return hssctl_fail(c, 1,
                           "webrtc issue needs at least one --impu "
                           "IMPU it may register");
    if (alg && hssctl_parse_algorithms(c, alg, &algos) != 0)
        return 1;
    if (exp && hssctl_parse_duration(c, "--expires", exp, &dur) != 0)
        return 1;
    n.valid_until = dur ? c->now + dur : 0;
    if (hssctl_sub_find(c, a->pos[0], &s) != 0)
        return 2;
    rc = hssctl_password_get(c, a, &pw, &generated);
    if (rc != 0)
        return rc;
    rc = hssctl_begin(c);
    if (rc == 0) {
        enum hss_rc src = hss_store_impi_add(c->st, s.id, &n, &impi.id);

        if (src == HSS_EXISTS)
            rc = hssctl_fail(c, 2,
                             "impi '%s' already exists; rotate it with "
                             "'hssctl webrtc rotate %s'",
                             n.name, n.name);
        else if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, "creating the WebRTC impi");
        if (rc == 0 && hss_store_impi_get(c->st, n.name, &impi) != HSS_OK)
            rc = hssctl_fail(c, 2, "the new impi vanished");
        if (rc == 0)
            rc = bind_impus(c, a, &s, impi.id);
        if (rc == 0)
            rc = hssctl_digest_store(c, &impi, realm, algos, &pw, false);
        if (snprintf(detail, sizeof(detail), "sub=%s realm=%s impus=%d", s.name,
                     realm, a->nmulti) >= (int)sizeof(detail))
            detail[sizeof(detail) - 1] = '\0'; /* audit detail is bounded */
        rc = hssctl_finish(c, rc, n.name, detail);
    }
    if (rc == 0)
        rc = hssctl_print_password_result(c, n.name, realm, algos, &pw,
                                          generated);
    hssctl_secret_wipe(&pw);
    return rc;
}

static int webrtc_impi(struct hssctl *c, const char *name, struct hss_impi *out)
{
    if (hssctl_impi_find(c, name, out) != 0)
        return 2;
    if (out->kind != HSS_IMPI_WEBRTC)
        return hssctl_fail(c, 2,
                           "impi '%s' is a %s identity, not webrtc; "
                           "use 'hssctl cred digest' or 'hssctl reg "
                           "deregister'",
                           name, hssctl_kind_str(out->kind));
    return 0;
}

int hssctl_cmd_webrtc_rotate(struct hssctl *c, const struct hssctl_args *a)
{
    const char *alg = hssctl_opt(c, a, "algorithms");
    const char *new_realm = hssctl_opt(c, a, "realm");
    char realm[HSS_NAME_MAX + 1] = "";
    struct hssctl_secret pw = {0};
    struct hss_impi impi;
    unsigned algos = 0;
    size_t n_ppr = 0;
    bool generated;
    int rc;

    if (alg && hssctl_parse_algorithms(c, alg, &algos) != 0)
        return 1;
    if (webrtc_impi(c, a->pos[0], &impi) != 0)
        return 2;
    if (impi.revoked)
        return hssctl_fail(c, 2,
                           "impi '%s' is revoked; issue a new one with "
                           "'hssctl webrtc issue'",
                           impi.name);
    rc = hssctl_password_get(c, a, &pw, &generated);
    if (rc != 0)
        return rc;
    rc = hssctl_begin(c);
    if (rc == 0) {
        unsigned have;

        hssctl_digest_current(c, impi.id, realm, sizeof(realm), &have);
        algos = algos ? algos : (have ? have : HSSCTL_ALGOS_DEFAULT);
        if (new_realm && hssctl_strlcpy(realm, new_realm, sizeof(realm)))
            rc = hssctl_fail(c, 1, "--realm is too long");
        else if (!realm[0])
            rc = hssctl_fail(c, 2,
                             "impi '%s' has no digest realm yet; pass "
                             "--realm REALM",
                             impi.name);
        if (rc == 0)
            rc = hssctl_digest_store(c, &impi, realm, algos, &pw, true);
        if (rc == 0 && have) /* a change, not a first password */
            rc = hssctl_digest_changed(c, &impi, &n_ppr);
        rc = hssctl_finish(c, rc, impi.name, realm);
    }
    if (rc == 0)
        rc = hssctl_print_password_result(c, impi.name, realm, algos, &pw,
                                          generated);
    hssctl_secret_wipe(&pw);
    return rc;
}

int hssctl_cmd_webrtc_revoke(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_impi impi;
    enum hss_rc src;
    size_t n = 0;
    int rc;

    if (webrtc_impi(c, a->pos[0], &impi) != 0)
        return 2;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    src = hss_store_impi_set_revoked(c->st, impi.id, true);
    if (src != HSS_OK)
        rc = hssctl_store_fail(c, src, "revoking");
    if (rc == 0)
        rc = hssctl_dereg_impi(c, &impi, CX_REASON_PERMANENT_TERMINATION,
                               "WebRTC credential revoked", &n);
    rc = hssctl_finish(c, rc, impi.name, NULL);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "impi", impi.name);
    hssctl_out_bool(c, "revoked", true);
    hssctl_out_int(c, "deregistered_impus", (int64_t)n);
    return hssctl_out_end(c);
}

int hssctl_cmd_webrtc_expire(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_impi impi;
    int64_t dur, until;
    enum hss_rc src;
    int rc;

    if (hssctl_parse_duration(c, "duration", a->pos[1], &dur) != 0)
        return 1;
    until = dur ? c->now + dur : 0;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = hssctl_impi_find(c, a->pos[0], &impi);
    if (rc == 0) {
        src = hss_store_impi_set_validity(c->st, impi.id, until);
        if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, "setting the validity");
    }
    rc = hssctl_finish(c, rc, a->pos[0], a->pos[1]);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "impi", a->pos[0]);
    hssctl_out_time(c, "valid_until", until);
    return hssctl_out_end(c);
}

/* ---- WAF / WWSF ------------------------------------------------------------
 */

int hssctl_cmd_waf_wwsf(struct hssctl *c, const struct hssctl_args *a)
{
    const char *cmd = c->cmd->name;
    bool waf = strncmp(cmd, "waf ", 4) == 0;
    bool add = strstr(cmd, " add") != NULL;
    struct hss_subscription s;
    enum hss_rc src;
    size_t n_ppr = 0;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    rc = hssctl_sub_find(c, a->pos[0], &s);
    if (rc == 0) {
        if (waf)
            src = add ? hss_store_waf_add(c->st, s.id, a->pos[1])
                      : hss_store_waf_remove(c->st, s.id, a->pos[1]);
        else
            src = add ? hss_store_wwsf_add(c->st, s.id, a->pos[1])
                      : hss_store_wwsf_remove(c->st, s.id, a->pos[1]);
        if (src == HSS_EXISTS)
            rc = hssctl_fail(c, 2, "'%s' is already allowed for '%s'",
                             a->pos[1], s.name);
        else if (src == HSS_NOT_FOUND)
            rc = hssctl_fail(c, 2,
                             "'%s' is not allowed for '%s'; see "
                             "'hssctl sub show %s'",
                             a->pos[1], s.name, s.name);
        else if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, cmd);
    }
    if (rc == 0)
        rc = hssctl_ppr_queue(c, &s, HSS_PPR_WAF_WWSF, &n_ppr);
    rc = hssctl_finish(c, rc, a->pos[0], a->pos[1]);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "subscription", a->pos[0]);
    hssctl_out_str(c, waf ? "waf" : "wwsf", a->pos[1]);
    hssctl_out_bool(c, "allowed", add);
    hssctl_out_int(c, "ppr_queued", (int64_t)n_ppr);
    return hssctl_out_end(c);
}
