/* cx_auth.h - SIP-Auth-Data-Item construction shared by MAA (cx_mar.c) and
 * PPR after a WebRTC password rotation (cx_outbox.c); the IMPI admission
 * checks UAR, MAR and SAR share.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_AUTH_H
#define CX_AUTH_H

#include "cx_codec.h"
#include "hss_store.h"

/* Adds one SIP-Auth-Data-Item {SIP-Authentication-Scheme "SIP Digest",
 * SIP-Digest-Authenticate {Digest-Realm, Digest-Algorithm MD5, Digest-QoP,
 * Digest-HA1, [Alternate-Digest-Algorithm, Alternate-Digest-HA1]}} for the
 * IMPI's digest credential in `realm` (NULL = its default realm). Digest
 * AVPs are vendor-0 (Kamailio ignores them otherwise). Returns 0, ENOENT
 * when the IMPI has no digest credential, EIO on a store or crypto error.
 * The H(A1) copies are wiped before returning. */
int cx_digest_item_add(msg_or_avp *parent, struct hss_store *st,
                       int64_t impi_id, const char *realm);

/* The digest credential of one IMPI for one realm, as it goes on the wire:
 * the primary H(A1) (Digest-Algorithm / Digest-HA1) and at most one
 * alternate (Alternate-Digest-Algorithm / Alternate-Digest-HA1). Holds
 * H(A1) values: wipe with cx_digest_cred_wipe(). */
struct cx_digest_cred {
    char realm[HSS_NAME_MAX + 1];
    const char *algo; /* "MD5", "SHA-256", "SHA-512-256" */
    char ha1[HSS_HA1_HEX_MAX + 1];
    const char *alt_algo; /* NULL = no alternate */
    char alt_ha1[HSS_HA1_HEX_MAX + 1];
};

/* Reads the IMPI's digest credential for `realm` (the realm is used only
 * when the IMPI has an H(A1) for it; otherwise, or when realm is NULL, its
 * default realm). No freeDiameter inside; runs in the caller's transaction
 * when one is open. Returns HSS_OK, HSS_NOT_FOUND (no digest credential) or
 * the store's error; *out is filled only on HSS_OK. */
enum hss_rc cx_digest_cred_load(struct hss_store *st, int64_t impi_id,
                                const char *realm, struct cx_digest_cred *out);

/* Adds SIP-Auth-Data-Item {[SIP-Item-Number] (when item_number > 0),
 * SIP-Authentication-Scheme "SIP Digest", SIP-Digest-Authenticate {...}}
 * for a loaded credential. Returns 0 or an errno. */
int cx_digest_item_encode(msg_or_avp *parent, const struct cx_digest_cred *c,
                          uint32_t item_number);

void cx_digest_cred_wipe(struct cx_digest_cred *c);

/* The IMPI may be used at now: not revoked, inside valid_from/valid_until
 * (TS 33.203 Annex X: a revoked or expired WebRTC credential). */
bool cx_impi_usable(const struct hss_impi *impi, int64_t now);

/* X.4: a pool identity is used only while leased. *ok = the pair's
 * subscription is no pool member, or has an active lease; *lease_id = that
 * lease (0 when none or not a member: the generation of the in-memory MAR
 * state, cx_mem.h). */
enum hss_rc cx_pair_lease(struct hss_store *st, const struct hss_pair *p,
                          int64_t now, bool *ok, int64_t *lease_id);

#endif /* CX_AUTH_H */
