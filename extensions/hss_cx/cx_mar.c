/* cx_mar.c - Multimedia-Auth-Request handling (TS 29.228 §6.3.1,
 * TS 29.229 §6.1.7/6.1.8; TS 33.102 §6.3.5 for AKA resynchronisation).
 *
 * Owns the decision "identities + IMPI state + requested scheme -> AKA
 * vectors or one SIP Digest item, or the result code that refuses them",
 * and the MAR-side state: the S-CSCF name (and Diameter host/realm, for
 * RTR/PPR) and the authentication-pending flag. Does not build digest items
 * (cx_auth.c) nor compute Milenage (hss_crypto) nor touch SQL (hss-store).
 *
 * Order of checks (first failure answers):
 *  1. IMPI and IMPU known, IMPU not a wildcarded PSI -> else USER_UNKNOWN;
 *     associated -> else IDENTITIES_DONT_MATCH.
 *  2. IMPI not revoked, inside valid_from/valid_until, a pool identity
 *     (TS 33.203 X.4) only under an active lease, not locked; then the MAR
 *     is counted in the IMPI's brute-force window (in memory,
 *     cx_marwin.h), which may lock it (stored) -> else Result-Code
 *     DIAMETER_AUTHORIZATION_REJECTED (lock audited).
 *  3. Scheme: "Digest-AKAv1-MD5", "SIP Digest" (or Kamailio's "Digest-MD5"),
 *     "Unknown" -> the IMPI's default; must be in the IMPI's mask; a WebRTC
 *     IMPI never gets AKA (TS 33.203 X.2.2.1) -> else AUTH_SCHEME_NOT_
 *     SUPPORTED.
 *  4. AKA: resync first when SIP-Authorization came (a bad AUTS is refused
 *     with AUTHORIZATION_REJECTED and audited), then up to 5 vectors with
 *     fresh SQNs, the last SQN stored. Digest: the IMPI's own H(A1).
 *  5. The IMPU not registered through this IMPI: the authentication in
 *     flight (auth-pending, Server-Name) is kept in memory (cx_pending.h);
 *     a stored Server-Name that differs is overwritten (+ Origin-Host/
 *     Realm). Registered: the stored name is overwritten when it differs.
 *     Nothing is written when nothing changes.
 * All of it in one BEGIN IMMEDIATE transaction: two MARs never share an SQN.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_mar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cx.h"
#include "cx_writer.h"
#include "hss_rand.h"
#include "hss_secret.h"

/* ---- decode -------------------------------------------------------------- */

static enum cx_mar_scheme scheme_parse(const char *s)
{
    if (strcmp(s, CX_SCHEME_IMS_AKA) == 0)
        return CX_MAR_ASK_AKA;
    if (strcmp(s, CX_SCHEME_SIP_DIGEST) == 0)
        return CX_MAR_ASK_DIGEST;
    /* Kamailio's ims_auth asks "Digest-MD5" when configured for MD5 digest:
     * it means "send the clear-text password", which this HSS never has.
     * Kamailio picks the vector type from the scheme of each returned item,
     * so a standard SIP-Digest-Authenticate item with scheme "SIP Digest"
     * (H(A1), no password) serves it. */
    if (strcmp(s, "Digest-MD5") == 0)
        return CX_MAR_ASK_DIGEST;
    if (strcasecmp(s, CX_SCHEME_UNKNOWN) == 0)
        return CX_MAR_ASK_UNKNOWN;
    return CX_MAR_ASK_OTHER;
}

static int need_ident(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                      char *out, size_t size, struct cx_result *res)
{
    struct avp *a = cx_avp_find(parent, code, vendor, NULL);

    if (a == NULL) {
        *res = cx_result_missing(code, vendor);
        return -1;
    }
    if (cx_avp_get_ident(a, out, size) != 0) {
        *res = cx_result_invalid(a);
        return -1;
    }
    return 0;
}

static int decode_item(struct avp *item, struct cx_mar_req *out,
                       struct cx_result *res)
{
    struct avp *a = cx_avp_find(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
                                CX_VENDOR_3GPP, NULL);
    const uint8_t *data = NULL;
    size_t len = 0;

    if (a == NULL) {
        *res =
            cx_result_missing(CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_VENDOR_3GPP);
        return -1;
    }
    if (cx_avp_get_bytes(a, &data, &len) != 0 || len == 0 ||
        memchr(data, '\0', len) != NULL) {
        *res = cx_result_invalid(a);
        return -1;
    }
    if (len > CX_MAR_SCHEME_MAX)
        len = CX_MAR_SCHEME_MAX; /* no scheme is that long: OTHER */
    memcpy(out->scheme_str, data, len);
    out->scheme_str[len] = '\0';
    out->scheme = scheme_parse(out->scheme_str);

    a = cx_avp_find(item, CX_AVP_SIP_AUTHORIZATION, CX_VENDOR_3GPP, NULL);
    if (a == NULL)
        return 0;
    if (cx_avp_get_bytes(a, &data, &len) != 0 || len != CX_MAR_RESYNC_LEN) {
        *res = cx_result_invalid(a);
        return -1;
    }
    memcpy(out->resync_rand, data, CX_AKA_RAND_LEN);
    memcpy(out->resync_auts, data + CX_AKA_RAND_LEN, CX_AKA_AUTS_LEN);
    out->resync = true;
    return 0;
}

int cx_mar_decode(struct msg *req, struct cx_mar_req *out,
                  struct cx_result *res)
{
    struct avp *a;

    memset(out, 0, sizeof(*out));
    if (need_ident(req, CX_AVP_USER_NAME, 0, out->impi, sizeof(out->impi),
                   res) != 0 ||
        need_ident(req, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, out->impu,
                   sizeof(out->impu), res) != 0 ||
        need_ident(req, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, out->server_name,
                   sizeof(out->server_name), res) != 0)
        return -1;
    a = cx_avp_find(req, CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP, NULL);
    if (a == NULL) {
        *res = cx_result_missing(CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP);
        return -1;
    }
    if (cx_avp_get_u32(a, &out->n_items) != 0) {
        *res = cx_result_invalid(a);
        return -1;
    }
    a = cx_avp_find(req, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, NULL);
    if (a == NULL) {
        *res = cx_result_missing(CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP);
        return -1;
    }
    if (decode_item(a, out, res) != 0)
        return -1;
    /* mandatory in the base protocol (freeDiameter checked them): kept only
     * to reach this S-CSCF later with RTR/PPR */
    (void)cx_avp_get_ident(cx_avp_find(req, CX_AVP_ORIGIN_HOST, 0, NULL),
                           out->origin_host, sizeof(out->origin_host));
    (void)cx_avp_get_ident(cx_avp_find(req, CX_AVP_ORIGIN_REALM, 0, NULL),
                           out->origin_realm, sizeof(out->origin_realm));
    return 0;
}

bool cx_mar_impu_domain(const char *impu, char *out, size_t out_size)
{
    const char *p = impu, *end, *at;
    size_t n;

    if (strncasecmp(p, "tel:", 4) == 0)
        return false;
    if (strncasecmp(p, "sip:", 4) == 0)
        p += 4;
    else if (strncasecmp(p, "sips:", 5) == 0)
        p += 5;
    end = p + strcspn(p, ";?>");
    for (at = end; at > p && at[-1] != '@'; at--)
        ;
    if (at > p)
        p = at; /* after the last '@' of the user part */
    if (*p == '[')
        end = p + strcspn(p, "]") + (p[strcspn(p, "]")] == ']' ? 1 : 0);
    else if (memchr(p, ':', (size_t)(end - p)) != NULL)
        end = memchr(p, ':', (size_t)(end - p));
    n = (size_t)(end - p);
    if (n == 0 || n >= out_size)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

/* ---- decide -------------------------------------------------------------- */

static void refuse_er(struct cx_mar_ans *ans, uint32_t er, const char *why)
{
    ans->result = cx_result_er(er);
    ans->outcome = why;
}

static void refuse_rc(struct cx_mar_ans *ans, uint32_t rc, const char *why)
{
    ans->result = cx_result_rc(rc);
    ans->outcome = why;
}

static void store_fail(struct cx_mar_ans *ans, struct hss_store *st,
                       const char *what)
{
    refuse_rc(ans, CX_RC_UNABLE_TO_COMPLY, "store error");
    snprintf(ans->errmsg, sizeof(ans->errmsg), "%s: %s", what,
             st != NULL ? hss_store_errmsg(st) : "no store handle");
}

/* Step 1. false when refused (or a store error). */
static bool check_identities(struct hss_store *st, const struct cx_mar_req *req,
                             struct hss_pair *p, struct cx_mar_ans *ans)
{
    /* MAR uses no profile field of the IMPU: its brief columns */
    enum hss_rc rc = hss_store_pair_get(st, req->impi, req->impu, p);

    if (rc == HSS_NOT_FOUND || rc == HSS_INVALID) {
        refuse_er(ans, CX_ER_USER_UNKNOWN, "unknown identity");
        return false;
    }
    if (rc != HSS_OK) {
        store_fail(ans, st, "identity lookup");
        return false;
    }
    if (p->impu.type == HSS_ID_WILDCARDED_PSI) {
        refuse_er(ans, CX_ER_USER_UNKNOWN, "wildcarded PSI");
        return false;
    }
    if (!p->associated) {
        refuse_er(ans, CX_ER_IDENTITIES_DONT_MATCH, "not associated");
        return false;
    }
    return true;
}

/* Step 2, brute force: counts the MAR in the IMPI's window (cx_marwin.h);
 * over the limit, stores and audits the lock. false when refused. */
static bool count_mar(struct hss_store *st, struct cx_marwin *win,
                      const struct cx_mar_req *req, const struct hss_impi *impi,
                      int64_t lease_id, int64_t now, const struct cx_conf *conf,
                      struct cx_mar_ans *ans)
{
    char detail[HSS_IDENTITY_MAX + 96];
    int64_t until = 0;
    enum cx_marwin_verdict v;

    if (conf->mar_max_per_window <= 0)
        return true;
    v = cx_marwin_note(win, impi->id, lease_id, impi->locked_until, now,
                       conf->mar_window_s, conf->mar_max_per_window,
                       conf->lock_s, &until);
    if (v == CX_MARWIN_OK)
        return true;
    if (v != CX_MARWIN_LOCK) {
        refuse_rc(ans, CX_RC_UNABLE_TO_COMPLY, "store error");
        snprintf(ans->errmsg, sizeof(ans->errmsg), "MAR window: %s",
                 v == CX_MARWIN_NOMEM ? "out of memory" : "no table");
        return false;
    }
    snprintf(detail, sizeof(detail),
             "more than %d MARs in %d s (last from %s); locked %d s",
             conf->mar_max_per_window, conf->mar_window_s, req->server_name,
             conf->lock_s);
    if (hss_store_impi_lock(st, impi->id, until) != HSS_OK ||
        hss_store_audit(st, now, "hss_cx", "lock", impi->name, detail) !=
            HSS_OK) {
        store_fail(ans, st, "lock");
        return false;
    }
    refuse_rc(ans, CX_RC_AUTHORIZATION_REJECTED, "locked by MAR rate");
    return false;
}

/* Step 2: revoked / validity / lease / lock / brute-force window.
 * *lease_id: as lease_allows says. */
static bool check_admitted(struct hss_store *st, struct cx_marwin *win,
                           const struct cx_mar_req *req,
                           const struct hss_pair *p, int64_t now,
                           const struct cx_conf *conf, int64_t *lease_id,
                           struct cx_mar_ans *ans)
{
    const struct hss_impi *impi = &p->impi;
    bool leased = false;
    enum hss_rc rc;

    if (!cx_impi_usable(impi, now)) {
        refuse_rc(ans, CX_RC_AUTHORIZATION_REJECTED, "revoked or not valid");
        return false;
    }
    /* a digest credential minted with a lease dies with it, and so does
     * any other credential's use */
    rc = cx_pair_lease(st, p, now, &leased, lease_id);
    if (rc != HSS_OK) {
        store_fail(ans, st, "lease check");
        return false;
    }
    if (!leased) {
        refuse_rc(ans, CX_RC_AUTHORIZATION_REJECTED,
                  "pool identity without an active lease");
        return false;
    }
    if (impi->locked_until > now) {
        refuse_rc(ans, CX_RC_AUTHORIZATION_REJECTED, "locked");
        return false;
    }
    return count_mar(st, win, req, impi, *lease_id, now, conf, ans);
}

/* Step 3: the scheme to answer with, in ans->used. */
static bool choose_scheme(const struct cx_mar_req *req,
                          const struct hss_impi *impi, struct cx_mar_ans *ans)
{
    unsigned want = HSS_SCHEME_NONE;

    if (req->scheme == CX_MAR_ASK_AKA)
        want = HSS_SCHEME_AKA;
    else if (req->scheme == CX_MAR_ASK_DIGEST)
        want = HSS_SCHEME_DIGEST;
    else if (req->scheme == CX_MAR_ASK_UNKNOWN)
        want = (unsigned)impi->default_scheme;
    if (want != HSS_SCHEME_AKA && want != HSS_SCHEME_DIGEST) {
        refuse_er(ans, CX_ER_AUTH_SCHEME_NOT_SUPPORTED, "scheme unknown");
        return false;
    }
    if ((impi->schemes & want) == 0 ||
        (want == HSS_SCHEME_AKA && impi->kind == HSS_IMPI_WEBRTC)) {
        refuse_er(ans, CX_ER_AUTH_SCHEME_NOT_SUPPORTED, "scheme not allowed");
        return false;
    }
    ans->used = (enum hss_scheme)want;
    return true;
}

/* SQN_HE to start from: the stored one, or re-based from a verified AUTS.
 * Returns 1 to go on, 0 when refused. */
static int aka_base_sqn(struct hss_store *st, const struct cx_mar_req *req,
                        const struct hss_impi *impi,
                        const struct hss_aka_cred *cred, int64_t now,
                        struct cx_mar_ans *ans, uint64_t *sqn)
{
    uint64_t sqn_ms = 0;
    int crc;

    *sqn = cred->sqn;
    if (!req->resync)
        return 1;
    crc = hss_aka_auts_verify(cred->k, cred->opc, req->resync_rand,
                              req->resync_auts, &sqn_ms);
    if (crc == HSS_CRYPTO_EVERIFY) {
        if (hss_store_audit(st, now, "hss_cx", "resync-refused", impi->name,
                            "AUTS MAC-S did not verify") != HSS_OK)
            store_fail(ans, st, "audit");
        else
            refuse_rc(ans, CX_RC_AUTHORIZATION_REJECTED, "bad AUTS");
        return 0;
    }
    if (crc != HSS_CRYPTO_OK || hss_aka_sqn_resync(sqn_ms, sqn) != 0) {
        refuse_rc(ans, CX_RC_UNABLE_TO_COMPLY, "resync failed");
        snprintf(ans->errmsg, sizeof(ans->errmsg), "AUTS/SQN: %s",
                 hss_crypto_rc_str(crc));
        return 0;
    }
    return 1;
}

/* Step 4, AKA: vectors with consecutive fresh SQNs; the last one stored. */
static bool make_vectors(struct hss_store *st, const struct cx_mar_req *req,
                         const struct hss_impi *impi, int64_t now,
                         struct cx_mar_ans *ans)
{
    struct hss_aka_cred cred;
    uint8_t rand[HSS_AKA_RAND_LEN];
    size_t n = req->n_items == 0 ? 1 : req->n_items;
    uint64_t sqn = 0;
    bool ok = false;
    enum hss_rc rc;
    int crc = 0;

    memset(&cred, 0, sizeof(cred));
    rc = hss_store_aka_get(st, impi->id, &cred);
    if (rc == HSS_NOT_FOUND) {
        refuse_er(ans, CX_ER_AUTH_SCHEME_NOT_SUPPORTED, "no AKA credential");
        return false;
    }
    if (rc != HSS_OK) {
        store_fail(ans, st, "AKA credential");
        return false;
    }
    if (aka_base_sqn(st, req, impi, &cred, now, ans, &sqn) == 0)
        goto out;
    if (n > CX_MAR_MAX_VECTORS)
        n = CX_MAR_MAX_VECTORS;
    for (size_t i = 0; i < n && crc == 0; i++) {
        crc = hss_aka_sqn_next(sqn, &sqn);
        if (crc == 0)
            crc = hss_random_bytes(rand, sizeof(rand));
        if (crc == 0)
            crc = hss_aka_vector_make(cred.k, cred.opc, cred.amf, sqn, rand,
                                      &ans->vec[i]);
    }
    if (crc != 0) {
        refuse_rc(ans, CX_RC_UNABLE_TO_COMPLY, "vector generation failed");
        snprintf(ans->errmsg, sizeof(ans->errmsg), "AKA vectors: %s",
                 hss_crypto_rc_str(crc));
        goto out;
    }
    if (hss_store_aka_sqn_set(st, impi->id, sqn) != HSS_OK) {
        store_fail(ans, st, "SQN update");
        goto out;
    }
    ans->n_vectors = n;
    ok = true;
out:
    if (!ok)
        hss_secret_wipe(ans->vec, sizeof(ans->vec));
    hss_secret_wipe(&cred, sizeof(cred));
    hss_secret_wipe(rand, sizeof(rand));
    return ok;
}

/* Step 4, digest: the H(A1) of this IMPI only, realm of the IMPU domain
 * when it has a credential there, else its default realm. */
static bool load_digest(struct hss_store *st, const struct cx_mar_req *req,
                        const struct hss_impi *impi, struct cx_mar_ans *ans)
{
    char realm[HSS_NAME_MAX + 1];
    bool have = cx_mar_impu_domain(req->impu, realm, sizeof(realm));
    enum hss_rc rc =
        cx_digest_cred_load(st, impi->id, have ? realm : NULL, &ans->digest);

    if (rc == HSS_NOT_FOUND) {
        refuse_er(ans, CX_ER_AUTH_SCHEME_NOT_SUPPORTED, "no digest credential");
        return false;
    }
    if (rc != HSS_OK) {
        store_fail(ans, st, "digest credential");
        return false;
    }
    ans->has_digest = true;
    return true;
}

/* Step 5: S-CSCF name and authentication-pending flag.
 * Pending unless this IMPI already registered this IMPU: the IMPU may be
 * registered through another IMPI of the user (a WebRTC IMPI beside the
 * regular one), and this IMPI's SAR must then not look like a registration
 * without authentication. A pending authentication is kept in memory
 * (cx_pending.h): the store then only sees a different S-CSCF name
 * overwrite one already stored. When memory does not take it
 * (mar_pending_s = 0, table full, or the flag is stored already), the name
 * and the flag are stored. The flags were read by check_identities in this
 * transaction and nothing since wrote them. A note kept for a MAR whose
 * transaction then fails only expires: the S-CSCF got no challenge. */
static bool record_state(struct hss_store *st, struct cx_pending *pend,
                         const struct cx_mar_req *req, const struct hss_pair *p,
                         int64_t lease_id, int64_t now,
                         const struct cx_conf *conf, struct cx_mar_ans *ans)
{
    const struct cx_pending_scscf scscf = {req->server_name, req->origin_host,
                                           req->origin_realm};
    bool pending = !p->assoc.registered;
    bool in_mem = pending && !p->assoc.auth_pending &&
                  conf->mar_pending_s > 0 &&
                  cx_pending_note(pend, p->impi.subscription_id, lease_id,
                                  p->impi.id, p->impu.id, &scscf, now,
                                  now + conf->mar_pending_s) == 0;
    enum hss_rc rc = in_mem ? hss_store_subscription_replace_scscf(
                                  st, p->impi.subscription_id, req->server_name,
                                  req->origin_host, req->origin_realm)
                            : hss_store_subscription_set_scscf_if_changed(
                                  st, p->impi.subscription_id, req->server_name,
                                  req->origin_host, req->origin_realm, NULL);

    if (rc == HSS_OK && pending && !in_mem && !p->assoc.auth_pending)
        rc = hss_store_assoc_set_auth_pending(st, p->impi.id, p->impu.id, true);
    if (rc != HSS_OK) {
        store_fail(ans, st, "S-CSCF / auth-pending update");
        return false;
    }
    return true;
}

void cx_mar_decide(struct hss_store *st, struct cx_mem *mem,
                   const struct cx_mar_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_mar_ans *ans)
{
    struct hss_pair p;
    int64_t lease_id = 0;
    bool ok;

    if (st == NULL || hss_store_begin(st, HSS_TX_WRITE) != HSS_OK) {
        store_fail(ans, st, "begin");
        return;
    }
    ok = check_identities(st, req, &p, ans) &&
         check_admitted(st, mem->win, req, &p, now, conf, &lease_id, ans) &&
         choose_scheme(req, &p.impi, ans);
    if (ok && ans->used == HSS_SCHEME_AKA)
        ok = make_vectors(st, req, &p.impi, now, ans);
    else if (ok)
        ok = load_digest(st, req, &p.impi, ans);
    if (ok)
        ok = record_state(st, mem->pend, req, &p, lease_id, now, conf, ans);
    if (ok) {
        ans->result = cx_result_ok();
        ans->outcome =
            ans->used == HSS_SCHEME_AKA ? "AKA vectors" : "digest item";
    }
    /* refusals keep their writes (lock, audit); only a store
     * or crypto error rolls back */
    if (ans->result.code == CX_RC_UNABLE_TO_COMPLY &&
        !ans->result.experimental) {
        hss_store_rollback(st);
    } else if (hss_store_commit(st) != HSS_OK) {
        store_fail(ans, st, "commit");
        hss_store_rollback(st);
    }
    if (!cx_result_is_success(&ans->result)) {
        cx_mar_ans_wipe(ans);
        ans->n_vectors = 0;
        ans->has_digest = false;
    }
}

void cx_mar_ans_wipe(struct cx_mar_ans *ans)
{
    hss_secret_wipe(ans->vec, sizeof(ans->vec));
    cx_digest_cred_wipe(&ans->digest);
}

/* ---- encode and dispatch ----------------------------------------------------
 */

static int aka_item_add(struct msg *m, const struct hss_aka_vector *v,
                        uint32_t number)
{
    uint8_t challenge[HSS_AKA_RAND_LEN + HSS_AKA_AUTN_LEN];
    struct avp *item = NULL;
    int rc;

    memcpy(challenge, v->rand, HSS_AKA_RAND_LEN);
    memcpy(challenge + HSS_AKA_RAND_LEN, v->autn, HSS_AKA_AUTN_LEN);
    rc = cx_avp_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, &item);
    if (rc == 0)
        rc = cx_avp_add_u32(item, CX_AVP_SIP_ITEM_NUMBER, CX_VENDOR_3GPP,
                            number);
    if (rc == 0)
        rc = cx_avp_add_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
                            CX_VENDOR_3GPP, CX_SCHEME_IMS_AKA);
    if (rc == 0)
        rc = cx_avp_add_bytes(item, CX_AVP_SIP_AUTHENTICATE, CX_VENDOR_3GPP,
                              challenge, sizeof(challenge));
    if (rc == 0)
        rc = cx_avp_add_bytes(item, CX_AVP_SIP_AUTHORIZATION, CX_VENDOR_3GPP,
                              v->xres, sizeof(v->xres));
    if (rc == 0)
        rc = cx_avp_add_bytes(item, CX_AVP_CONFIDENTIALITY_KEY, CX_VENDOR_3GPP,
                              v->ck, sizeof(v->ck));
    if (rc == 0)
        rc = cx_avp_add_bytes(item, CX_AVP_INTEGRITY_KEY, CX_VENDOR_3GPP, v->ik,
                              sizeof(v->ik));
    hss_secret_wipe(challenge, sizeof(challenge));
    return rc;
}

int cx_mar_encode(struct msg *ans_msg, const struct cx_mar_req *req,
                  const struct cx_mar_ans *ans)
{
    int rc = 0;

    /* always echoed: Kamailio's 403 reason is misleading without them */
    if (req->impi[0] != '\0')
        rc = cx_avp_add_str(ans_msg, CX_AVP_USER_NAME, 0, req->impi);
    if (rc == 0 && req->impu[0] != '\0')
        rc = cx_avp_add_str(ans_msg, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP,
                            req->impu);
    if (rc != 0 || !cx_result_is_success(&ans->result))
        return rc;
    rc = cx_avp_add_u32(ans_msg, CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP,
                        ans->has_digest ? 1u : (uint32_t)ans->n_vectors);
    if (rc == 0 && ans->has_digest)
        rc = cx_digest_item_encode(ans_msg, &ans->digest, 1);
    for (size_t i = 0; rc == 0 && !ans->has_digest && i < ans->n_vectors; i++)
        rc = aka_item_add(ans_msg, &ans->vec[i], (uint32_t)i + 1);
    return rc;
}

/* Builds, logs and sends the MAA for a decided request; wipes the answer's
 * secrets. Returns 0 (always answers). */
static int mar_answer(struct msg **msg, const struct cx_mar_req *req,
                      struct cx_mar_ans *ans, enum disp_action *act)
{
    int rc = cx_answer_new(msg, &ans->result);

    if (rc == 0)
        rc = cx_mar_encode(*msg, req, ans);
    cx_mar_ans_wipe(ans);
    if (ans->result.code == CX_RC_UNABLE_TO_COMPLY && !ans->result.experimental)
        LOG_E("hss_cx: MAR %s: %s", req->impi, ans->errmsg);
    LOG_D("hss_cx: MAR %s %s scheme '%s' -> %s %u (%s)", req->impi, req->impu,
          req->scheme_str, ans->result.experimental ? "ER" : "RC",
          ans->result.code, ans->outcome);
    if (rc != 0)
        return cx_answer_fail(msg, act, "MAR: cannot build the answer");
    return cx_answer_send(msg);
}

/* ---- group commit (cx_writer.h) ------------------------------------------ */

struct mar_job {
    struct cx_writer_job job; /* first */
    struct msg *msg;          /* the request, answered by mar_job_finish */
    struct cx_mar_req req;
    struct cx_mar_ans ans;
};

static void mar_job_decide(struct hss_store *st, struct cx_writer_job *job)
{
    struct mar_job *j = (struct mar_job *)job;

    cx_mar_decide(st, cx_mem_global(), &j->req, cx_now(), cx_config(), &j->ans);
}

static void mar_job_fail(struct cx_writer_job *job, const char *why)
{
    struct mar_job *j = (struct mar_job *)job;

    cx_mar_ans_wipe(&j->ans);
    j->ans.n_vectors = 0;
    j->ans.has_digest = false;
    j->ans.result = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);
    j->ans.outcome = "store error";
    snprintf(j->ans.errmsg, sizeof(j->ans.errmsg), "%s", why);
}

static void mar_job_finish(struct hss_store *st, struct cx_writer_job *job)
{
    struct mar_job *j = (struct mar_job *)job;
    enum disp_action act = DISP_ACT_CONT;

    (void)st;
    (void)mar_answer(&j->msg, &j->req, &j->ans, &act);
    hss_secret_wipe(j, sizeof(*j));
    free(j);
}

static const struct cx_writer_ops MAR_JOB_OPS = {
    .decide = mar_job_decide,
    .fail = mar_job_fail,
    .finish = mar_job_finish,
};

/* Hands a decoded MAR to the writer; false when it cannot take it (the
 * caller then runs it on its own thread). */
static bool mar_queue(struct msg **msg, const struct cx_mar_req *req)
{
    struct mar_job *j = calloc(1, sizeof(*j));

    if (j == NULL)
        return false;
    j->job.ops = &MAR_JOB_OPS;
    j->msg = *msg;
    j->req = *req;
    j->ans.outcome = "bad request";
    if (!cx_writer_queue(&j->job)) {
        free(j);
        return false;
    }
    *msg = NULL; /* the writer answers it */
    return true;
}

int cx_mar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act)
{
    struct cx_mar_req req;
    struct cx_mar_ans ans;
    struct hss_store *st;

    *act = DISP_ACT_CONT;
    memset(&ans, 0, sizeof(ans));
    ans.outcome = "bad request";
    if (cx_mar_decode(*msg, &req, &ans.result) == 0) {
        if (mar_queue(msg, &req))
            return 0;
        /* writer queue full: the request runs here, in its own transaction */
        st = cx_db_borrow();
        cx_mar_decide(st, cx_mem_global(), &req, cx_now(), cx_config(), &ans);
        cx_db_return(st);
    }
    return mar_answer(msg, &req, &ans, act);
}
