/* cx_auth.h - SIP-Auth-Data-Item construction shared by MAA (cx_mar.c) and
 * PPR after a WebRTC password rotation (cx_outbox.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_AUTH_H
#define CX_AUTH_H

#include "cx_codec.h"

struct hss_store;

/* Adds one SIP-Auth-Data-Item {SIP-Authentication-Scheme "SIP Digest",
 * SIP-Digest-Authenticate {Digest-Realm, Digest-Algorithm MD5, Digest-QoP,
 * Digest-HA1, [Alternate-Digest-Algorithm, Alternate-Digest-HA1]}} for the
 * IMPI's digest credential in `realm` (NULL = its default realm). Digest
 * AVPs are vendor-0 (Kamailio ignores them otherwise). Returns 0, ENOENT
 * when the IMPI has no digest credential, EIO on a store or crypto error.
 * The H(A1) copies are wiped before returning. */
int cx_digest_item_add(msg_or_avp *parent, struct hss_store *st,
                       int64_t impi_id, const char *realm);

#endif /* CX_AUTH_H */
