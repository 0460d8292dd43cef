/* cx_uar.c - User-Authorization-Request handling (TS 29.228, TS 29.229).
 *
 * Placeholder until the procedure lands: answers DIAMETER_UNABLE_TO_COMPLY
 * with every mandatory answer AVP, so a peer is never left without an
 * answer.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx.h"

int cx_uar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act)
{
    struct cx_result r = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);

    *act = DISP_ACT_CONT;
    if (cx_answer_new(msg, &r) != 0)
        return cx_answer_fail(msg, act, "UAR: cannot build the answer");
    return cx_answer_send(msg);
}
