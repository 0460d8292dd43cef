/* cx_sar.h - Server-Assignment-Request: the plain request/answer structs
 * and the decision function (TS 29.228 §6.1.2, TS 29.229 §6.1.3/6.1.4),
 * so unit tests drive the logic with a real store and no freeDiameter.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_SAR_H
#define CX_SAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_codec.h"
#include "cx_conf.h"
#include "cx_mem.h"
#include "hss_store.h"

/* Public-Identity AVPs decoded from one SAR; more is answered
 * DIAMETER_AVP_OCCURS_TOO_MANY_TIMES. */
#define CX_SAR_IMPU_MAX 16
/* Associated-Identities listed in one SAA. */
#define CX_SAR_ASSOC_MAX 8

struct cx_sar_req {
    char impi[HSS_IDENTITY_MAX + 1]; /* "" = absent */
    char impus[CX_SAR_IMPU_MAX][HSS_IDENTITY_MAX + 1];
    size_t n_impus;
    char wildcard[HSS_IDENTITY_MAX + 1]; /* "" = absent */
    char server_name[HSS_IDENTITY_MAX + 1];
    uint32_t sat;  /* enum cx_sat */
    uint32_t udaa; /* enum cx_udaa */
    char origin_host[HSS_IDENTITY_MAX + 1];
    char origin_realm[HSS_IDENTITY_MAX + 1];
    uint32_t sar_flags;
};

struct cx_sar_ans {
    struct cx_result result;
    char user_name[HSS_IDENTITY_MAX + 1];   /* SAA User-Name, "" = none */
    char server_name[HSS_IDENTITY_MAX + 1]; /* with IDENTITY_ALREADY_REG. */
    bool with_profile; /* User-Data, Charging-Information, WAF/WWSF */
    char *user_data;   /* malloc'd XML, freed by cx_sar_ans_cleanup */
    size_t user_data_len;
    int64_t sub_id;
    struct hss_subscription sub; /* for Charging-Information */
    char assoc[CX_SAR_ASSOC_MAX][HSS_IDENTITY_MAX + 1];
    size_t n_assoc;   /* Associated-Identities */
    const char *why;  /* short static text for the log line */
    bool store_error; /* UNABLE_TO_COMPLY from a store failure */
    char detail[160]; /* its one-line reason (no secrets) */
};

/* Reads a SAR into *out. Returns 0, or -1 with *res set (MISSING_AVP,
 * INVALID_AVP_VALUE, AVP_OCCURS_TOO_MANY_TIMES). Unknown AVPs (e.g.
 * Kamailio's vendor-50 AVP 494) are ignored. */
int cx_sar_decode(struct msg *req, struct cx_sar_req *out,
                  struct cx_result *res);

/* The whole SAR decision in one HSS_TX_WRITE transaction (committed on
 * every answer, rolled back on store errors, which answer
 * DIAMETER_UNABLE_TO_COMPLY). ans must be zeroed by the caller; release
 * it with cx_sar_ans_cleanup. No freeDiameter inside. */
void cx_sar_decide(struct hss_store *st, struct cx_mem *mem,
                   const struct cx_sar_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_sar_ans *ans);

/* Adds the SAA-specific AVPs to an answer made by cx_answer_new. st is
 * read for Allowed-WAF-WWSF-Identities. Returns 0 or an errno. */
int cx_sar_encode(struct msg *ans_msg, struct hss_store *st,
                  const struct cx_sar_ans *ans);

void cx_sar_ans_cleanup(struct cx_sar_ans *ans);

#endif /* CX_SAR_H */
