/* cx_lir.c - Location-Info-Request handling (TS 29.228 §6.1.4,
 * TS 29.229 §6.1.7-6.1.8).
 *
 * Owns the decision "IMPU registration state + unregistered services +
 * Originating-Request -> Server-Name / Server-Capabilities + result". Reads
 * the store only (one HSS_TX_READ transaction).
 *
 * Not implemented: wildcarded PSI / wildcarded IMPU matching (the store
 * keeps no wildcard patterns, so an identity matches by its exact name and
 * Wildcarded-Public-Identity is never returned), and PSI direct routing
 * (LIA-Flags, an AS name stored for a PSI): the store has no such field.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_lir.h"

#include <stdio.h>
#include <string.h>

#include "cx.h"
#include "cx_mem.h"
#include "cx_uar.h" /* cx_ident_take, cx_route_add */

/* ---- decode -------------------------------------------------------------- */

int cx_lir_decode(struct msg *req, struct cx_lir_req *out,
                  struct cx_result *res)
{
    struct avp *a;
    uint32_t v = 0;

    memset(out, 0, sizeof(*out));
    if (cx_ident_take(req, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, true,
                      out->impu, sizeof(out->impu), res) < 0)
        return -1;
    a = cx_avp_find(req, CX_AVP_ORIGINATING_REQUEST, CX_VENDOR_3GPP, NULL);
    if (a != NULL) {
        if (cx_avp_get_u32(a, &v) != 0 ||
            v != CX_ORIGINATING_REQUEST_ORIGINATING) {
            *res = cx_result_invalid(a);
            return -1;
        }
        out->originating = true;
    }
    a = cx_avp_find(req, CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP, NULL);
    if (a != NULL) {
        if (cx_avp_get_u32(a, &v) != 0 ||
            v > CX_UAT_REGISTRATION_AND_CAPABILITIES) {
            *res = cx_result_invalid(a);
            return -1;
        }
        out->has_auth_type = true;
        out->auth_type = v;
    }
    return 0;
}

/* ---- decide -------------------------------------------------------------- */

static void store_fail(struct hss_store *st, struct cx_lir_ans *ans,
                       const char *what, enum hss_rc rc)
{
    ans->result = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);
    snprintf(ans->error, sizeof(ans->error), "%s: %s (%s)", what,
             hss_rc_str(rc), hss_store_errmsg(st));
}

static void with_caps(struct hss_store *st, int64_t sub_id,
                      struct cx_result result, struct cx_lir_ans *ans)
{
    enum hss_rc rc = hss_store_capabilities_get(st, sub_id, &ans->caps);

    if (rc != HSS_OK) {
        store_fail(st, ans, "capabilities lookup", rc);
        return;
    }
    ans->has_caps = true;
    ans->result = result;
}

static void with_name(const char *name, struct cx_lir_ans *ans)
{
    snprintf(ans->server_name, sizeof(ans->server_name), "%s", name);
    ans->has_server_name = true;
    ans->result = cx_result_ok();
}

static void lir_locate(struct hss_store *st, struct cx_pending *pend,
                       const struct cx_lir_req *req,
                       const struct hss_impu *impu, int64_t now,
                       struct cx_lir_ans *ans)
{
    struct hss_subscription sub;
    bool assigned;
    enum hss_rc rc;

    if (req->has_auth_type &&
        req->auth_type == CX_UAT_REGISTRATION_AND_CAPABILITIES) {
        /* S-CSCF restoration: the I-CSCF wants capabilities to pick one */
        with_caps(st, impu->subscription_id, cx_result_ok(), ans);
        return;
    }
    rc =
        cx_pending_subscription_get(pend, st, impu->subscription_id, now, &sub);
    if (rc != HSS_OK) {
        store_fail(st, ans, "subscription lookup", rc);
        return;
    }
    assigned = sub.scscf_name[0] != '\0';
    if (assigned && (impu->reg_state == HSS_REG_REGISTERED ||
                     impu->reg_state == HSS_REG_UNREGISTERED)) {
        with_name(sub.scscf_name, ans);
        return;
    }
    if (impu->has_unreg_services || req->originating) {
        if (assigned)
            with_name(sub.scscf_name, ans);
        else
            with_caps(st, impu->subscription_id,
                      cx_result_er(CX_ER_UNREGISTERED_SERVICE), ans);
        return;
    }
    ans->result = cx_result_er(CX_ER_IDENTITY_NOT_REGISTERED);
}

void cx_lir_decide(struct hss_store *st, struct cx_pending *pend,
                   const struct cx_lir_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_lir_ans *ans)
{
    struct hss_impu impu;
    enum hss_rc rc;

    (void)conf; /* no policy-dependent rule yet */
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
    rc = hss_store_impu_get(st, req->impu, &impu);
    if (rc == HSS_NOT_FOUND || rc == HSS_INVALID ||
        (rc == HSS_OK && impu.type != HSS_ID_PUBLIC_USER &&
         !impu.psi_activated))
        ans->result = cx_result_er(CX_ER_USER_UNKNOWN);
    else if (rc != HSS_OK)
        store_fail(st, ans, "identity lookup", rc);
    else
        lir_locate(st, pend, req, &impu, now, ans);
    hss_store_rollback(st); /* read-only: nothing to commit */
}

/* ---- encode -------------------------------------------------------------- */

int cx_lir_encode(struct msg *ans_msg, const struct cx_lir_ans *ans)
{
    return cx_route_add(ans_msg, ans->has_server_name ? ans->server_name : NULL,
                        ans->has_caps ? &ans->caps : NULL);
}

/* ---- glue ---------------------------------------------------------------- */

static void lir_log(const struct cx_lir_req *req, const struct cx_lir_ans *a)
{
    if (a->error[0] != '\0')
        LOG_E("cx: LIR %s: DIAMETER_UNABLE_TO_COMPLY: %s", req->impu, a->error);
    LOG_D("cx: LIR impu=%s orig=%d -> %s %u%s%s", req->impu,
          req->originating ? 1 : 0, a->result.experimental ? "ER" : "RC",
          a->result.code, a->has_server_name ? " server=" : "",
          a->has_server_name ? a->server_name : "");
}

int cx_lir_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act)
{
    struct cx_lir_req req;
    struct cx_lir_ans ans;

    (void)avp, (void)sess, (void)opaque;
    *act = DISP_ACT_CONT;
    memset(&ans, 0, sizeof(ans));
    if (cx_lir_decode(*msg, &req, &ans.result) == 0) {
        struct hss_store *st = cx_db_borrow();
        cx_lir_decide(st, cx_mem_global()->pend, &req, cx_now(), cx_config(),
                      &ans);
        cx_db_return(st);
    }
    lir_log(&req, &ans);
    if (cx_answer_new(msg, &ans.result) != 0 || cx_lir_encode(*msg, &ans) != 0)
        return cx_answer_fail(msg, act, "LIR: cannot build the answer");
    return cx_answer_send(msg);
}
