/* cx_outbox.c - RTR/PPR delivery and the lease sweep (see cx_outbox.h).
 * Placeholder until the outbox work lands.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_outbox.h"

#include "cx.h"

int cx_outbox_init(void)
{
    return 0;
}

void cx_outbox_fini(void)
{
}
