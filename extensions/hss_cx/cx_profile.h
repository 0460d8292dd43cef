/* cx_profile.h - what an S-CSCF receives about a subscription: the IMS
 * subscription User-Data XML (TS 29.228 Annex E / CxDataType schema),
 * Charging-Information and Allowed-WAF-WWSF-Identities (TS 29.229 §6.3.19,
 * §6.3.64-66). Shared by SAA (cx_sar.c) and PPR (cx_outbox.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_PROFILE_H
#define CX_PROFILE_H

#include "cx_codec.h"

struct hss_store;
struct hss_subscription;

/* Builds the <IMSSubscription> document for the subscription sub_id as seen
 * through the private identity impi (its <PrivateID>): every service
 * profile with its public identities (barring, identity type, display
 * name), initial filter criteria and core network services authorisation.
 * Text is XML-escaped. *xml is malloc'd and NUL-terminated, owned by the
 * caller. Returns 0, ENOENT (no such subscription / no IMPU), ENOMEM, or
 * EIO on a store error (logged). */
int cx_userdata_build(struct hss_store *st, int64_t sub_id, const char *impi,
                      char **xml, size_t *len);

/* Adds Charging-Information when the subscription has any function name;
 * adds nothing (returns 0) otherwise. */
int cx_charging_add(struct msg *m, const struct hss_subscription *sub);

/* Adds Allowed-WAF-WWSF-Identities listing the subscription's allowed WAF
 * and WWSF identities (including those of its pool); adds nothing and
 * returns 0 when the list is empty. */
int cx_waf_wwsf_add(struct msg *m, struct hss_store *st, int64_t sub_id);

#endif /* CX_PROFILE_H */
