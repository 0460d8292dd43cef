/* cx_uar.c - User-Authorization-Request handling (TS 29.228 §6.1.1,
 * TS 29.229 §6.1.1-6.1.2), with the WebRTC checks of TS 33.203 Annex X.
 *
 * Owns the decision "IMPI/IMPU + barring + WebRTC validity/lease + roaming +
 * registration state -> Server-Name / Server-Capabilities + result". Reads
 * the store only (one HSS_TX_READ transaction): the UAR never changes state.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_uar.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cx.h"
#include "cx_auth.h"
#include "cx_mem.h"

/* ---- decode -------------------------------------------------------------- */

int cx_ident_take(struct msg *msg, uint32_t code, uint32_t vendor,
                  bool mandatory, char *buf, size_t size, struct cx_result *res)
{
    struct avp *a = cx_avp_find(msg, code, vendor, NULL);

    if (a == NULL) {
        if (!mandatory)
            return 0;
        *res = cx_result_missing(code, vendor);
        return -1;
    }
    if (cx_avp_get_ident(a, buf, size) != 0) {
        *res = cx_result_invalid(a);
        return -1;
    }
    return 1;
}

/* Optional Unsigned32/Enumerated AVP: *out untouched when absent. */
static int take_u32(struct msg *msg, uint32_t code, uint32_t max, uint32_t *out,
                    struct cx_result *res)
{
    struct avp *a = cx_avp_find(msg, code, CX_VENDOR_3GPP, NULL);
    uint32_t v = 0;

    if (a == NULL)
        return 0;
    if (cx_avp_get_u32(a, &v) != 0 || v > max) {
        *res = cx_result_invalid(a);
        return -1;
    }
    *out = v;
    return 0;
}

int cx_uar_decode(struct msg *req, struct cx_uar_req *out,
                  struct cx_result *res)
{
    memset(out, 0, sizeof(*out));
    out->auth_type = CX_UAT_REGISTRATION; /* absent: Kamailio omits it */
    if (cx_ident_take(req, CX_AVP_USER_NAME, 0, true, out->impi,
                      sizeof(out->impi), res) < 0 ||
        cx_ident_take(req, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, true,
                      out->impu, sizeof(out->impu), res) < 0 ||
        cx_ident_take(req, CX_AVP_VISITED_NETWORK_IDENTIFIER, CX_VENDOR_3GPP,
                      true, out->vnid, sizeof(out->vnid), res) < 0)
        return -1;
    if (take_u32(req, CX_AVP_USER_AUTHORIZATION_TYPE,
                 CX_UAT_REGISTRATION_AND_CAPABILITIES, &out->auth_type,
                 res) != 0 ||
        take_u32(req, CX_AVP_UAR_FLAGS, UINT32_MAX, &out->flags, res) != 0)
        return -1;
    return 0;
}

/* ---- decide -------------------------------------------------------------- */

/* Records a store failure: UNABLE_TO_COMPLY plus a line for LOG_E. */
static void store_fail(struct hss_store *st, struct cx_uar_ans *ans,
                       const char *what, enum hss_rc rc)
{
    ans->result = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);
    snprintf(ans->error, sizeof(ans->error), "%s: %s (%s)", what,
             hss_rc_str(rc), hss_store_errmsg(st));
}

static int impu_not_barred_cb(void *ctx, const struct hss_impu *impu)
{
    if (impu->barred)
        return 0;
    *(bool *)ctx = true;
    return 1; /* stop: one is enough */
}

/* TS 33.203 Annex X: a revoked or expired WebRTC credential, or a pool
 * identity without an active lease, may not register. *ok = false then. */
static enum hss_rc webrtc_allowed(struct hss_store *st,
                                  const struct hss_pair *p, int64_t now,
                                  bool *ok)
{
    int64_t lease_id;

    *ok = cx_impi_usable(&p->impi, now);
    return *ok ? cx_pair_lease(st, p, now, ok, &lease_id) : HSS_OK;
}

/* Identity lookups and association (steps 1-2). Returns 0 to go on, 1 when
 * ans->result is final. */
static int uar_identities(struct hss_store *st, const struct cx_uar_req *req,
                          struct hss_pair *p, struct cx_uar_ans *ans)
{
    /* UAR uses no profile field of the IMPU: its brief columns */
    enum hss_rc rc = hss_store_pair_get(st, req->impi, req->impu, p);

    if (rc == HSS_NOT_FOUND || rc == HSS_INVALID ||
        (rc == HSS_OK && p->impu.type != HSS_ID_PUBLIC_USER)) {
        ans->result = cx_result_er(CX_ER_USER_UNKNOWN);
        return 1;
    }
    if (rc != HSS_OK) {
        store_fail(st, ans, "identity lookup", rc);
        return 1;
    }
    if (!p->associated) {
        ans->result = cx_result_er(CX_ER_IDENTITIES_DONT_MATCH);
        return 1;
    }
    return 0;
}

/* Authorisation (steps 3-4): barring, WebRTC validity and lease, roaming.
 * Returns 0 to go on, 1 when ans->result is final. */
static int uar_authorize(struct hss_store *st, const struct cx_uar_req *req,
                         const struct hss_pair *p, int64_t now,
                         struct cx_uar_ans *ans)
{
    const struct hss_impu *impu = &p->impu;
    bool ok = false;
    enum hss_rc rc;

    if (impu->barred && !(req->flags & CX_UAR_FLAG_EMERGENCY)) {
        rc = hss_store_impu_each_in_irs(st, impu->irs_id, impu_not_barred_cb,
                                        &ok);
        if (rc != HSS_OK) {
            store_fail(st, ans, "implicit set walk", rc);
            return 1;
        }
        if (!ok) {
            ans->result = cx_result_rc(CX_RC_AUTHORIZATION_REJECTED);
            return 1;
        }
    }
    rc = webrtc_allowed(st, p, now, &ok);
    if (rc != HSS_OK) {
        store_fail(st, ans, "credential/lease check", rc);
        return 1;
    }
    if (!ok) {
        ans->result = cx_result_rc(CX_RC_AUTHORIZATION_REJECTED);
        return 1;
    }
    if (req->auth_type == CX_UAT_DE_REGISTRATION)
        return 0; /* no roaming check when leaving */
    rc = hss_store_visited_allowed(st, impu->subscription_id, req->vnid, &ok);
    if (rc != HSS_OK && rc != HSS_INVALID) {
        store_fail(st, ans, "roaming check", rc);
        return 1;
    }
    if (rc == HSS_INVALID || !ok) {
        ans->result = cx_result_er(CX_ER_ROAMING_NOT_ALLOWED);
        return 1;
    }
    return 0;
}

static void with_caps(struct hss_store *st, int64_t sub_id,
                      struct cx_result result, struct cx_uar_ans *ans)
{
    enum hss_rc rc = hss_store_capabilities_get(st, sub_id, &ans->caps);

    if (rc != HSS_OK) {
        store_fail(st, ans, "capabilities lookup", rc);
        return;
    }
    ans->has_caps = true;
    ans->result = result;
}

static void with_name(const char *name, struct cx_result result,
                      struct cx_uar_ans *ans)
{
    snprintf(ans->server_name, sizeof(ans->server_name), "%s", name);
    ans->has_server_name = true;
    ans->result = result;
}

/* Step 5: the registration state picks the answer. */
static void uar_assign(struct hss_store *st, struct cx_pending *pend,
                       const struct cx_uar_req *req,
                       const struct hss_impu *impu, int64_t now,
                       struct cx_uar_ans *ans)
{
    struct hss_subscription sub;
    bool dereg = req->auth_type == CX_UAT_DE_REGISTRATION;
    enum hss_rc rc;

    if (req->auth_type == CX_UAT_REGISTRATION_AND_CAPABILITIES) {
        with_caps(st, impu->subscription_id, cx_result_ok(), ans);
        return;
    }
    rc =
        cx_pending_subscription_get(pend, st, impu->subscription_id, now, &sub);
    if (rc != HSS_OK) {
        store_fail(st, ans, "subscription lookup", rc);
        return;
    }
    /* Registered / Unregistered, or Not registered with an S-CSCF stored
     * for another identity or an authentication in flight (MAR, kept in
     * memory): that S-CSCF.
     * DE_REGISTRATION is answered DIAMETER_SUCCESS with the name. */
    if (sub.scscf_name[0] != '\0') {
        with_name(sub.scscf_name,
                  dereg ? cx_result_ok()
                        : cx_result_er(CX_ER_SUBSEQUENT_REGISTRATION),
                  ans);
        return;
    }
    if (dereg) {
        ans->result = cx_result_er(CX_ER_IDENTITY_NOT_REGISTERED);
        return;
    }
    with_caps(st, impu->subscription_id, cx_result_er(CX_ER_FIRST_REGISTRATION),
              ans);
}

void cx_uar_decide(struct hss_store *st, struct cx_pending *pend,
                   const struct cx_uar_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_uar_ans *ans)
{
    struct hss_pair p;
    enum hss_rc rc;

    (void)conf; /* no UAR policy knob yet */
    memset(ans, 0, sizeof(*ans));
    if (st == NULL) {
        ans->result = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);
        snprintf(ans->error, sizeof(ans->error), "no store handle");
        return;
    }
    rc = hss_store_begin(st, HSS_TX_READ);
    if (rc != HSS_OK) {
        store_fail(st, ans, "begin", rc);
        return;
    }
    if (uar_identities(st, req, &p, ans) == 0 &&
        uar_authorize(st, req, &p, now, ans) == 0)
        uar_assign(st, pend, req, &p.impu, now, ans);
    hss_store_rollback(st); /* read-only: nothing to commit */
}

/* ---- encode -------------------------------------------------------------- */

static int server_caps_add(struct msg *ans_msg,
                           const struct hss_capabilities *caps)
{
    struct avp *g = NULL;
    int rc = cx_avp_add_group(ans_msg, CX_AVP_SERVER_CAPABILITIES,
                              CX_VENDOR_3GPP, &g);

    for (size_t i = 0; rc == 0 && i < caps->n_mandatory; i++)
        rc = cx_avp_add_u32(g, CX_AVP_MANDATORY_CAPABILITY, CX_VENDOR_3GPP,
                            caps->mandatory[i]);
    for (size_t i = 0; rc == 0 && i < caps->n_optional; i++)
        rc = cx_avp_add_u32(g, CX_AVP_OPTIONAL_CAPABILITY, CX_VENDOR_3GPP,
                            caps->optional[i]);
    for (size_t i = 0; rc == 0 && i < caps->n_server_names; i++)
        rc = cx_avp_add_str(g, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP,
                            caps->server_names[i]);
    return rc;
}

int cx_route_add(struct msg *ans_msg, const char *server_name,
                 const struct hss_capabilities *caps)
{
    int rc = 0;

    if (server_name != NULL)
        rc = cx_avp_add_str(ans_msg, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP,
                            server_name);
    if (rc == 0 && caps != NULL)
        rc = server_caps_add(ans_msg, caps);
    return rc;
}

int cx_uar_encode(struct msg *ans_msg, const struct cx_uar_ans *ans)
{
    return cx_route_add(ans_msg, ans->has_server_name ? ans->server_name : NULL,
                        ans->has_caps ? &ans->caps : NULL);
}

/* ---- glue ---------------------------------------------------------------- */

static void uar_log(const struct cx_uar_req *req, const struct cx_uar_ans *a)
{
    if (a->error[0] != '\0')
        LOG_E("cx: UAR %s / %s: DIAMETER_UNABLE_TO_COMPLY: %s", req->impi,
              req->impu, a->error);
    LOG_D("cx: UAR impi=%s impu=%s vnid=%s type=%u flags=%u -> %s %u%s%s",
          req->impi, req->impu, req->vnid, req->auth_type, req->flags,
          a->result.experimental ? "ER" : "RC", a->result.code,
          a->has_server_name ? " server=" : "",
          a->has_server_name ? a->server_name : "");
}

int cx_uar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act)
{
    struct cx_uar_req req;
    struct cx_uar_ans ans;

    (void)avp, (void)sess, (void)opaque;
    *act = DISP_ACT_CONT;
    memset(&ans, 0, sizeof(ans));
    if (cx_uar_decode(*msg, &req, &ans.result) == 0) {
        struct hss_store *st = cx_db_borrow();
        cx_uar_decide(st, cx_mem_global()->pend, &req, cx_now(), cx_config(),
                      &ans);
        cx_db_return(st);
    }
    uar_log(&req, &ans);
    if (cx_answer_new(msg, &ans.result) != 0 || cx_uar_encode(*msg, &ans) != 0)
        return cx_answer_fail(msg, act, "UAR: cannot build the answer");
    return cx_answer_send(msg);
}
