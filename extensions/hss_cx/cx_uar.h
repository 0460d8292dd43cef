/* cx_uar.h - User-Authorization-Request: the plain request/answer structs
 * and the decode / decide / encode steps of cx_uar.c (TS 29.228 §6.1.1,
 * TS 29.229 §6.1.1-6.1.2).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_UAR_H
#define CX_UAR_H

#include <stdbool.h>
#include <stdint.h>

#include "cx_codec.h"
#include "cx_conf.h"
#include "cx_pending.h"
#include "hss_store.h"

/* What the HSS needs from a UAR. */
struct cx_uar_req {
    char impi[HSS_IDENTITY_MAX + 1]; /* User-Name */
    char impu[HSS_IDENTITY_MAX + 1]; /* Public-Identity */
    char vnid[HSS_IDENTITY_MAX + 1]; /* Visited-Network-Identifier */
    uint32_t auth_type;              /* enum cx_uat; absent = REGISTRATION */
    uint32_t flags;                  /* UAR-Flags; absent = 0 */
};

/* What the UAA reports besides the common answer AVPs. */
struct cx_uar_ans {
    struct cx_result result;
    bool has_server_name;
    char server_name[HSS_IDENTITY_MAX + 1];
    bool has_caps; /* Server-Capabilities (may be empty) */
    struct hss_capabilities caps;
    char error[256]; /* store failure text for LOG_E, or "" */
};

/* Copies the identity-like AVP (code, vendor) of msg into buf (size
 * HSS_IDENTITY_MAX + 1). Returns 1 when copied, 0 when absent and optional,
 * -1 with *res set when absent and mandatory (DIAMETER_MISSING_AVP) or
 * empty / oversized / holding a NUL (DIAMETER_INVALID_AVP_VALUE). */
int cx_ident_take(struct msg *msg, uint32_t code, uint32_t vendor,
                  bool mandatory, char *buf, size_t size,
                  struct cx_result *res);

/* Fills *out from the request. Returns 0, or -1 with *res set to
 * DIAMETER_MISSING_AVP / DIAMETER_INVALID_AVP_VALUE (+ Failed-AVP). */
int cx_uar_decode(struct msg *req, struct cx_uar_req *out,
                  struct cx_result *res);

/* The decision table of TS 29.228 §6.1.1.1 plus the WebRTC checks of
 * TS 33.203 Annex X, in one read transaction at time `now`. No freeDiameter
 * inside; a store failure gives DIAMETER_UNABLE_TO_COMPLY and ans->error. */
void cx_uar_decide(struct hss_store *st, struct cx_pending *pend,
                   const struct cx_uar_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_uar_ans *ans);

/* Adds Server-Name / Server-Capabilities to an answer made by
 * cx_answer_new. Returns 0 or an errno. */
int cx_uar_encode(struct msg *ans_msg, const struct cx_uar_ans *ans);

/* The routing part of a UAA or LIA (shared with cx_lir.c): Server-Name
 * when server_name is not NULL, then Server-Capabilities {*Mandatory-
 * Capability, *Optional-Capability, *Server-Name} when caps is not NULL.
 * Returns 0 or an errno. */
int cx_route_add(struct msg *ans_msg, const char *server_name,
                 const struct hss_capabilities *caps);

#endif /* CX_UAR_H */
