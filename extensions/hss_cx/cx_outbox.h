/* cx_outbox.h - delivery of HSS-initiated requests (RTR, PPR) from the
 * store's outbox, and the periodic sweep (lease expiry).
 *
 * The outbox is written by whoever causes a de-registration or a profile
 * change (hssctl, SAR, lease expiry) in the same transaction as the change;
 * only this module talks Diameter for them: it claims due items, sends,
 * records the outcome, retries with backoff, and gives up after the
 * configured attempts (TS 29.228 §6.2, §6.5; ARCHITECTURE "outbox").
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_OUTBOX_H
#define CX_OUTBOX_H

/* Start/stop the outbox sender and the sweep threads. */
int cx_outbox_init(void);
void cx_outbox_fini(void);

#endif /* CX_OUTBOX_H */
