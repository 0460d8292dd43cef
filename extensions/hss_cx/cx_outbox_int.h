/* cx_outbox_int.h - the testable parts of cx_outbox.c: building RTR/PPR
 * from an outbox item, the retry decision, and recording an outcome
 * (including the PPR -> RTR fallback). The threads and freeDiameter
 * callbacks stay private to cx_outbox.c.
 *
 * TS 29.228 §6.2 (Cx-Deregister, Cx-Update_Subscr_Data), §6.5.2.x;
 * TS 29.229 §6.1.9-6.1.12.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_OUTBOX_INT_H
#define CX_OUTBOX_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cx_codec.h"
#include "hss_store.h"

struct cx_conf;
struct cx_pending;

/* Builds the RTR or PPR for item into *out (a new request, end-to-end id
 * allocated, Session-Id set). The store is read for PPR payloads. Returns
 * 0, EINVAL (item unusable: no destination, unknown kind, ...), ENOENT
 * (subscription / IMPI / payload data gone) or another errno from the
 * payload builders; *out is NULL on failure. */
int cx_outbox_build(struct hss_store *st, const struct hss_outbox_item *item,
                    struct msg **out);

/* Addresses an unaddressed item: a PPR carrying only SIP-Auth-Data-Item,
 * which hssctl queues for a changed SIP Digest password of an IMPI it did
 * not see registered, because only this process knows the authentications
 * in flight (TS 29.228 §6.5.2.4). Its destination is the S-CSCF that
 * serves the IMPI now: that of its authentication in flight in pend, else
 * the subscription's stored S-CSCF when the IMPI is registered or its
 * authentication-pending flag is stored. 0 with item->dest_host/realm set;
 * ENOENT when no S-CSCF serves the IMPI (nothing to send) or it is gone;
 * EINVAL for any other unaddressed item; EIO on a store error. */
int cx_outbox_address(struct hss_store *st, struct cx_pending *pend,
                      struct hss_outbox_item *item, int64_t now);

/* How one attempt ended. */
enum cx_outbox_outcome {
    CX_OUTBOX_ANSWERED_OK = 0, /* Result-Code 2001/2002 */
    CX_OUTBOX_TRANSIENT,       /* 3xxx/4xxx, no result, routing error */
    CX_OUTBOX_PERMANENT,       /* 5xxx: retrying cannot help (RFC 6733) */
    CX_OUTBOX_TIMEOUT,         /* no answer within outbox_timeout_ms */
};

/* Result of the retry decision. */
struct cx_outbox_next {
    enum hss_outbox_state state; /* DONE, PENDING (retry) or FAILED */
    int64_t next_attempt;        /* for PENDING: when to try again */
};

/* Pure: what to do after attempt number `attempt` (1 = the first) ended
 * with `outcome` at `now`. Retries wait backoff_s * 2^(attempt-1) seconds;
 * after max_attempts attempts (or at once on a permanent error) the item
 * is FAILED. */
struct cx_outbox_next cx_outbox_decide(enum cx_outbox_outcome outcome,
                                       int attempt, int max_attempts,
                                       int backoff_s, int64_t now);

/* Classifies a Result-Code / Experimental-Result-Code value (0 = the answer
 * carried neither). */
enum cx_outbox_outcome cx_outbox_classify(uint32_t code);

/* What the sender remembers about one request in flight. */
struct cx_outbox_sent {
    int64_t id;
    enum hss_outbox_kind kind;
    int attempt; /* 1 = first attempt */
    int64_t subscription_id;
    char dest_host[HSS_IDENTITY_MAX + 1];
    char dest_realm[HSS_IDENTITY_MAX + 1];
    char user_name[HSS_IDENTITY_MAX + 1];
};

/* Records the outcome of one attempt in the store (hss_store_outbox_finish)
 * and, for a PPR that ends FAILED with conf->ppr_fallback_rtr, runs the
 * fallback. result is the code seen (0 for a timeout). Logs one LOG_N line
 * per outcome (LOG_E on store errors). Returns the state written, or -1 on
 * a store error. */
int cx_outbox_record(struct hss_store *st, const struct cx_outbox_sent *s,
                     enum cx_outbox_outcome outcome, uint32_t result,
                     int64_t now, const struct cx_conf *conf);

/* PPR fallback, in one write transaction: the IMPUs registered through the
 * PPR's IMPI lose that registration (an IMPU no other IMPI keeps registered
 * becomes NOT_REGISTERED; the S-CSCF name is cleared when nothing of the
 * subscription stays registered/unregistered), and an RTR with Reason-Code
 * SERVER_CHANGE naming those IMPUs is queued to the same S-CSCF. Nothing is
 * queued when no IMPU was registered (*n_impus = 0). */
enum hss_rc cx_outbox_ppr_fallback(struct hss_store *st,
                                   const struct cx_outbox_sent *s, int64_t now,
                                   size_t *n_impus);

#endif /* CX_OUTBOX_INT_H */
