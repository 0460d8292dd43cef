/* cx_mar.h - Multimedia-Auth-Request: the plain request/answer structs and
 * the decode -> decide -> encode entry points (TS 29.228 §6.3.1,
 * TS 29.229 §6.1.7/6.1.8).
 *
 * cx_mar_decide() is pure (no freeDiameter inside): request + store + clock
 * + configuration -> answer, in one store transaction. Unit tests call it
 * directly with a real temporary store.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_MAR_H
#define CX_MAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_auth.h"
#include "cx_codec.h"
#include "cx_conf.h"
#include "cx_mem.h"
#include "hss_aka.h"
#include "hss_store.h"

/* At most this many AKA vectors per MAA, whatever SIP-Number-Auth-Items
 * asks for (bounds the work one request can cause). */
#define CX_MAR_MAX_VECTORS 5
#define CX_MAR_SCHEME_MAX 64
/* MAR SIP-Authorization for AKA resynchronisation: RAND(16) || AUTS(14). */
#define CX_MAR_RESYNC_LEN (CX_AKA_RAND_LEN + CX_AKA_AUTS_LEN)

/* The scheme the S-CSCF asked for (SIP-Authentication-Scheme). */
enum cx_mar_scheme {
    CX_MAR_ASK_AKA,     /* "Digest-AKAv1-MD5" */
    CX_MAR_ASK_DIGEST,  /* "SIP Digest", or Kamailio's "Digest-MD5" */
    CX_MAR_ASK_UNKNOWN, /* "Unknown" (any case): the IMPI's default */
    CX_MAR_ASK_OTHER,   /* anything else: AUTH_SCHEME_NOT_SUPPORTED */
};

struct cx_mar_req {
    char impi[HSS_IDENTITY_MAX + 1];        /* User-Name */
    char impu[HSS_IDENTITY_MAX + 1];        /* Public-Identity */
    char server_name[HSS_IDENTITY_MAX + 1]; /* Server-Name */
    char origin_host[HSS_IDENTITY_MAX + 1]; /* the S-CSCF's Diameter id */
    char origin_realm[HSS_IDENTITY_MAX + 1];
    uint32_t n_items;                       /* SIP-Number-Auth-Items */
    char scheme_str[CX_MAR_SCHEME_MAX + 1]; /* as received (for the log) */
    enum cx_mar_scheme scheme;
    bool resync; /* SIP-Authorization present */
    uint8_t resync_rand[CX_AKA_RAND_LEN];
    uint8_t resync_auts[CX_AKA_AUTS_LEN];
};

struct cx_mar_ans {
    struct cx_result result;
    enum hss_scheme used;                          /* scheme of the items */
    size_t n_vectors;                              /* AKA items */
    struct hss_aka_vector vec[CX_MAR_MAX_VECTORS]; /* secrets: wipe */
    bool has_digest;                               /* one digest item */
    struct cx_digest_cred digest;                  /* secrets: wipe */
    const char *outcome;                           /* static text for the log */
    char errmsg[160];                              /* store error, for LOG_E */
};

/* Fills *out from the MAR in req. Returns 0, or -1 with *res set to
 * DIAMETER_MISSING_AVP / DIAMETER_INVALID_AVP_VALUE (+ Failed-AVP). Fields
 * decoded before the failure (User-Name, Public-Identity) stay usable. */
int cx_mar_decode(struct msg *req, struct cx_mar_req *out,
                  struct cx_result *res);

/* The decision (see cx_mar.c): one HSS_TX_WRITE transaction, committed or
 * rolled back on every path; the MAR is counted in mem->win (the
 * brute-force windows, cx_marwin.h) and a pending authentication kept in
 * mem->pend (cx_pending.h). ans must be zeroed by the caller. */
void cx_mar_decide(struct hss_store *st, struct cx_mem *mem,
                   const struct cx_mar_req *req, int64_t now,
                   const struct cx_conf *conf, struct cx_mar_ans *ans);

/* Adds the MAA-specific AVPs (User-Name and Public-Identity always; on
 * success SIP-Number-Auth-Items and the items) to ans_msg, which already
 * carries the result (cx_answer_new). Returns 0 or an errno. */
int cx_mar_encode(struct msg *ans_msg, const struct cx_mar_req *req,
                  const struct cx_mar_ans *ans);

/* Wipes every secret the answer struct holds. */
void cx_mar_ans_wipe(struct cx_mar_ans *ans);

/* The domain of a SIP/SIPS URI or NAI (after '@', else the URI host), up
 * to ';', '?', ':' or '>'. Returns false when there is none (tel: URI). */
bool cx_mar_impu_domain(const char *impu, char *out, size_t out_size);

#endif /* CX_MAR_H */
