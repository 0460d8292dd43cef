/* cx_auth.c - SIP-Auth-Data-Item construction (see cx_auth.h).
 * Placeholder until the MAR work lands.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_auth.h"

int cx_digest_item_add(msg_or_avp *parent, struct hss_store *st,
                       int64_t impi_id, const char *realm)
{
    return ENOSYS;
}
