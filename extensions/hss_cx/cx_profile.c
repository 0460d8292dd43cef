/* cx_profile.c - User-Data XML, Charging-Information and Allowed-WAF-WWSF-
 * Identities (see cx_profile.h). Placeholder until the SAR work lands.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_profile.h"

int cx_userdata_build(struct hss_store *st, int64_t sub_id, const char *impi,
                      char **xml, size_t *len)
{
    return ENOSYS;
}

int cx_charging_add(struct msg *m, const struct hss_subscription *sub)
{
    return 0;
}

int cx_waf_wwsf_add(struct msg *m, struct hss_store *st, int64_t sub_id)
{
    return 0;
}
