/* cx_lir.h - Location-Info-Request: the plain request/answer structs and
 * the decode / decide / encode steps of cx_lir.c (TS 29.228 §6.1.4,
 * TS 29.229 §6.1.7-6.1.8).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_LIR_H
#define CX_LIR_H

#include <stdbool.h>
#include <stdint.h>

#include "cx_codec.h"
#include "cx_conf.h"
#include "cx_pending.h"
#include "hss_store.h"

/* What the HSS needs from a LIR (Kamailio sends only Public-Identity). */
struct cx_lir_req {
    char impu[HSS_IDENTITY_MAX + 1]; /* Public-Identity */
    bool originating;                /* Originating-Request present */
    bool has_auth_type;
    uint32_t auth_type; /* enum cx_uat, when has_auth_type */
};

/* What the LIA reports besides the common answer AVPs. */
struct cx_lir_ans {
    struct cx_result result;
    bool has_server_name;
    char server_name[HSS_IDENTITY_MAX + 1];
    bool has_caps; /* Server-Capabilities (may be empty) */
    struct hss_capabilities caps;
    char error[256]; /* store failure text for LOG_E, or "" */
};

/* Fills *out from the request. Returns 0, or -1 with *res set to
 * DIAMETER_MISSING_AVP / DIAMETER_INVALID_AVP_VALUE (+ Failed-AVP). */
int cx_lir_decode(struct msg *req, struct cx_lir_req *out,
                  struct cx_result *res);

/* The decision table of TS 29.228 §6.1.4.1 in one read transaction. No
 * freeDiameter inside; a store failure gives DIAMETER_UNABLE_TO_COMPLY and
 * ans->error. Wildcarded PSIs are matched by exact name only. */
void cx_lir_decide(struct hss_store *st, struct cx_pending *pend,
                   const struct cx_lir_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_lir_ans *ans);

/* Adds Server-Name / Server-Capabilities to an answer made by
 * cx_answer_new. Returns 0 or an errno. */
int cx_lir_encode(struct msg *ans_msg, const struct cx_lir_ans *ans);

#endif /* CX_LIR_H */
