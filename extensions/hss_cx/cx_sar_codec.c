/* cx_sar_codec.c - Server-Assignment-Request decode, Server-Assignment-
 * Answer encode and the dispatch callback (TS 29.229 §6.1.3/6.1.4).
 *
 * The decision table lives in cx_sar.c; this file is the freeDiameter edge:
 * request AVPs -> struct cx_sar_req, struct cx_sar_ans -> answer AVPs.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_sar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx.h"
#include "cx_profile.h"
#include "cx_writer.h"

/* ---- decode ----------------------------------------------------------------
 */

static int ident(struct msg *m, uint32_t code, uint32_t vendor, bool needed,
                 char *out, size_t size, struct cx_result *res)
{
    struct avp *a = cx_avp_find(m, code, vendor, NULL);

    out[0] = '\0';
    if (a == NULL) {
        if (needed)
            *res = cx_result_missing(code, vendor);
        return needed ? -1 : 0;
    }
    if (cx_avp_get_ident(a, out, size) != 0) {
        *res = cx_result_invalid(a);
        return -1;
    }
    return 0;
}

static int enum_u32(struct msg *m, uint32_t code, uint32_t max, uint32_t *out,
                    struct cx_result *res)
{
    struct avp *a = cx_avp_find(m, code, CX_VENDOR_3GPP, NULL);

    if (a == NULL) {
        *res = cx_result_missing(code, CX_VENDOR_3GPP);
        return -1;
    }
    if (cx_avp_get_u32(a, out) != 0 || *out > max) {
        *res = cx_result_invalid(a);
        return -1;
    }
    return 0;
}

int cx_sar_decode(struct msg *req, struct cx_sar_req *out,
                  struct cx_result *res)
{
    const uint32_t V = CX_VENDOR_3GPP;
    struct avp *a = NULL;
    struct cx_result ignore;

    memset(out, 0, sizeof(*out));
    while ((a = cx_avp_find(req, CX_AVP_PUBLIC_IDENTITY, V, a)) != NULL) {
        if (out->n_impus == CX_SAR_IMPU_MAX) {
            *res = cx_result_rc(CX_RC_AVP_OCCURS_TOO_MANY_TIMES);
            res->failed_avp = a;
            return -1;
        }
        if (cx_avp_get_ident(a, out->impus[out->n_impus],
                             sizeof(out->impus[0])) != 0) {
            *res = cx_result_invalid(a);
            return -1;
        }
        out->n_impus++;
    }
    if (ident(req, CX_AVP_USER_NAME, 0, false, out->impi, sizeof(out->impi),
              res) != 0 ||
        ident(req, CX_AVP_WILDCARDED_PUBLIC_IDENTITY, V, false, out->wildcard,
              sizeof(out->wildcard), res) != 0 ||
        ident(req, CX_AVP_SERVER_NAME, V, true, out->server_name,
              sizeof(out->server_name), res) != 0 ||
        enum_u32(req, CX_AVP_SERVER_ASSIGNMENT_TYPE, CX_SAT_RESTORATION,
                 &out->sat, res) != 0 ||
        enum_u32(req, CX_AVP_USER_DATA_ALREADY_AVAILABLE,
                 CX_UDAA_USER_DATA_ALREADY_AVAILABLE, &out->udaa, res) != 0)
        return -1;
    /* Origin-* were checked by freeDiameter; a bad one only loses RTR/PPR
     * routing data, never the request. */
    (void)ident(req, CX_AVP_ORIGIN_HOST, 0, false, out->origin_host,
                sizeof(out->origin_host), &ignore);
    (void)ident(req, CX_AVP_ORIGIN_REALM, 0, false, out->origin_realm,
                sizeof(out->origin_realm), &ignore);
    a = cx_avp_find(req, CX_AVP_SAR_FLAGS, V, NULL);
    if (a != NULL && cx_avp_get_u32(a, &out->sar_flags) != 0) {
        *res = cx_result_invalid(a);
        return -1;
    }
    return 0;
}

/* ---- encode
 * ------------------------------------------------------------------ */

int cx_sar_encode(struct msg *m, struct hss_store *st,
                  const struct cx_sar_ans *a)
{
    const uint32_t V = CX_VENDOR_3GPP;
    struct avp *g = NULL;
    int rc = 0;

    if (!cx_result_is_success(&a->result)) {
        if (a->server_name[0] != '\0')
            rc = cx_avp_add_str(m, CX_AVP_SERVER_NAME, V, a->server_name);
        return rc;
    }
    if (a->user_name[0] != '\0')
        rc = cx_avp_add_str(m, CX_AVP_USER_NAME, 0, a->user_name);
    if (rc == 0 && a->user_data != NULL)
        rc = cx_avp_add_bytes(m, CX_AVP_USER_DATA, V,
                              (const uint8_t *)a->user_data, a->user_data_len);
    if (rc == 0 && a->with_profile)
        rc = cx_charging_add(m, &a->sub);
    if (rc == 0 && a->n_assoc > 0)
        rc = cx_avp_add_group(m, CX_AVP_ASSOCIATED_IDENTITIES, V, &g);
    for (size_t i = 0; rc == 0 && i < a->n_assoc; i++)
        rc = cx_avp_add_str(g, CX_AVP_USER_NAME, 0, a->assoc[i]);
    /* Allowed WAF/WWSF identities travel with the profile (29.228 §6.6) */
    if (rc == 0 && a->user_data != NULL)
        rc = cx_waf_wwsf_add(m, st, a->sub_id);
    return rc;
}

/* ---- glue -------------------------------------------------------------------
 */

/* Logs, builds and sends the SAA for a decided request (st: read for
 * Allowed-WAF-WWSF-Identities, outside any transaction; may be NULL when
 * the request was not decoded); releases the answer. Returns 0. */
static int sar_answer(struct msg **msg, struct hss_store *st,
                      const struct cx_sar_req *req, struct cx_sar_ans *ans,
                      enum disp_action *act)
{
    int rc;

    if (ans->store_error)
        LOG_E("cx: SAR type %u %s / %s: %s", req->sat, req->impi, req->impus[0],
              ans->detail);
    LOG_D("cx: SAR type %u %s / %s from %s: %s%u (%s)", req->sat, req->impi,
          req->impus[0], req->server_name,
          ans->result.experimental ? "er:" : "rc:", ans->result.code,
          ans->why ? ans->why : "decode");
    rc = cx_answer_new(msg, &ans->result);
    if (rc == 0)
        rc = cx_sar_encode(*msg, st, ans);
    cx_sar_ans_cleanup(ans);
    if (rc != 0)
        return cx_answer_fail(msg, act, "SAR: cannot build the answer");
    return cx_answer_send(msg);
}

/* ---- group commit (cx_writer.h) ------------------------------------------ */

struct sar_job {
    struct cx_writer_job job; /* first */
    struct msg *msg;          /* the request, answered by sar_job_finish */
    struct cx_sar_req req;
    struct cx_sar_ans ans;
};

static void sar_job_decide(struct hss_store *st, struct cx_writer_job *job)
{
    struct sar_job *j = (struct sar_job *)job;

    cx_sar_decide(st, cx_mem_global(), &j->req, cx_now(), cx_config(), &j->ans);
}

static void sar_job_fail(struct cx_writer_job *job, const char *why)
{
    struct cx_sar_ans *a = &((struct sar_job *)job)->ans;

    cx_sar_ans_cleanup(a);
    a->with_profile = false;
    a->user_name[0] = '\0';
    a->server_name[0] = '\0';
    a->n_assoc = 0;
    a->result = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);
    a->why = "store error";
    a->store_error = true;
    snprintf(a->detail, sizeof(a->detail), "%s", why);
}

static void sar_job_finish(struct hss_store *st, struct cx_writer_job *job)
{
    struct sar_job *j = (struct sar_job *)job;
    enum disp_action act = DISP_ACT_CONT;

    (void)sar_answer(&j->msg, st, &j->req, &j->ans, &act);
    free(j);
}

static const struct cx_writer_ops SAR_JOB_OPS = {
    .decide = sar_job_decide,
    .fail = sar_job_fail,
    .finish = sar_job_finish,
};

int cx_sar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act)
{
    struct sar_job *j = calloc(1, sizeof(*j));
    struct hss_store *st = NULL;
    int rc;

    *act = DISP_ACT_CONT;
    if (j == NULL)
        return cx_answer_fail(msg, act, "SAR: out of memory");
    j->job.ops = &SAR_JOB_OPS;
    if (cx_sar_decode(*msg, &j->req, &j->ans.result) == 0) {
        j->msg = *msg;
        if (cx_writer_queue(&j->job)) {
            *msg = NULL; /* the writer answers it */
            return 0;
        }
        /* writer queue full: the request runs here, in its own transaction */
        j->msg = NULL;
        st = cx_db_borrow();
        cx_sar_decide(st, cx_mem_global(), &j->req, cx_now(), cx_config(),
                      &j->ans);
    }
    rc = sar_answer(msg, st, &j->req, &j->ans, act);
    if (st != NULL)
        cx_db_return(st);
    free(j);
    return rc;
}
