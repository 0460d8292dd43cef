/* cx_pending.h - the authentications in flight (MAR -> SAR), kept in memory.
 *
 * TS 29.228 §6.3.1: a MAR for an identity that is not registered stores the
 * S-CSCF name and sets the authentication-pending flag of the IMPI/IMPU
 * pair, so that the I-CSCF's UAR for the REGISTER carrying the answer
 * routes to the same S-CSCF (2002), and the SAR REGISTRATION that follows
 * is known to come after an authentication (not a Trusted Node
 * Authentication, cx_sar.c). SAR REGISTRATION, AUTHENTICATION_FAILURE or
 * _TIMEOUT end that state; a registration stores the S-CSCF durably.
 *
 * That state lives here, not in the store: writing it was two random B-tree
 * pages in the WAL per MAR of a user not registered, measured as two
 * fifths of the HSS's MAR throughput. What that changes:
 * - a restart of the HSS forgets the authentications in flight. The SAR
 *   REGISTRATION of such a user is then taken for a registration without
 *   authentication and refused by tna_policy (unless its subscription may
 *   use web credentials); the S-CSCF fails that registration and the UE
 *   registers again, with a MAR. Fail-closed, never a registration lost;
 * - an authentication nobody ends is forgotten after `mar_pending_s`
 *   (cx_conf), as if the S-CSCF had sent AUTHENTICATION_TIMEOUT;
 * - hssctl, another process, does not see it (it shows the stored flags).
 * A pool identity's authentication counts only under the lease it started
 * in (the generation): the next holder does not inherit it.
 *
 * Keyed by subscription (the S-CSCF name is the subscription's, as in the
 * store), with up to CX_PENDING_PAIRS pairs each and the S-CSCFs interned
 * (Server-Name, with the Diameter host and realm the MAR came from, where a
 * PPR for the authentication goes, TS 29.228 §6.5.2.4): CX_PENDING_NAMES
 * distinct ones in use at once, a slot no entry refers to any more being
 * taken by the next new one. When any of these is full,
 * or the table is at its bound, cx_pending_note fails and the caller
 * stores the state as before: nothing is ever dropped.
 * Thread-safe (one mutex): MAR and SAR run on the writer thread (or a
 * dispatch thread when its queue is full), UAR and LIR on dispatch threads.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_PENDING_H
#define CX_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hss_store.h"

#define CX_PENDING_PAIRS 2  /* IMPI/IMPU pairs per subscription */
#define CX_PENDING_NAMES 64 /* S-CSCFs (name, host, realm) in use at once */

struct cx_pending;

/* The S-CSCF of an authentication: the MAR's Server-Name, and its
 * Origin-Host and Origin-Realm (may be empty: no PPR can reach it then). */
struct cx_pending_scscf {
    const char *name;
    const char *host;
    const char *realm;
};

/* A new, empty table holding at most max_entries subscriptions (0 = no
 * bound); NULL when out of memory. */
struct cx_pending *cx_pending_new(size_t max_entries);

/* Frees the table; NULL is a no-op. */
void cx_pending_free(struct cx_pending *p);

/* impi_id's authentication for impu_id, of subscription sub_id, is in
 * flight at S-CSCF scscf until `until`. generation: the subscription's
 * lease id (0 when it is not a pool member); a different one forgets what
 * the entry held. The S-CSCF replaces the entry's (the last MAR's, as the
 * store would). 0 when recorded; -1 when full (see above) or on bad
 * parameters (no name, a name, host or realm over HSS_IDENTITY_MAX): the
 * caller must then store the state itself. */
int cx_pending_note(struct cx_pending *p, int64_t sub_id, int64_t generation,
                    int64_t impi_id, int64_t impu_id,
                    const struct cx_pending_scscf *scscf, int64_t now,
                    int64_t until);

/* Whether the pair's authentication is in flight at now under generation. */
bool cx_pending_has(struct cx_pending *p, int64_t sub_id, int64_t generation,
                    int64_t impi_id, int64_t impu_id, int64_t now);

/* The S-CSCF name of sub_id's authentications in flight at now into
 * out[size] (any generation: it only routes); false, and out = "", when
 * there is none. */
bool cx_pending_scscf(struct cx_pending *p, int64_t sub_id, int64_t now,
                      char *out, size_t size);

/* Whether impi_id has an authentication in flight in sub_id at now (any
 * generation, any IMPU) at an S-CSCF with a Diameter host: then its host
 * and realm into host[hsize] and realm[rsize] (else both ""). Where a PPR
 * carrying a changed SIP Digest password goes (TS 29.228 §6.5.2.4). */
bool cx_pending_impi_route(struct cx_pending *p, int64_t sub_id,
                           int64_t impi_id, int64_t now, char *host,
                           size_t hsize, char *realm, size_t rsize);

/* Ends the pair's authentication; the subscription's entry, and with it
 * its S-CSCF name, goes with its last pair. impi_id 0: every pair of
 * impu_id; impu_id 0: every pair of impi_id. */
void cx_pending_end(struct cx_pending *p, int64_t sub_id, int64_t impi_id,
                    int64_t impu_id);

/* Subscription sub_id as the store has it in st's open transaction; when
 * it has no S-CSCF stored, the name of its authentications in flight
 * (host and realm stay empty): what UAR and LIR route to (TS 29.228
 * §6.1.1.1, §6.1.4.1). A hss_store_subscription_get return code. */
enum hss_rc cx_pending_subscription_get(struct cx_pending *p,
                                        struct hss_store *st, int64_t sub_id,
                                        int64_t now,
                                        struct hss_subscription *out);

/* Subscriptions held (including expired ones not deleted yet). */
size_t cx_pending_size(struct cx_pending *p);

#endif /* CX_PENDING_H */
