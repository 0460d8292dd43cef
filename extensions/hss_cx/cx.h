/* cx.h - internals shared by the hss_cx files: the configuration in force
 * and the entry points of each command module.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_H
#define CX_H

#include "cx_codec.h"
#include "cx_conf.h"

/* Dispatch callbacks, one per Cx request the HSS serves (cx_<cmd>.c).
 * Each always answers and returns 0 (STYLE G8). */
int cx_uar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act);
int cx_mar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act);
int cx_sar_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act);
int cx_lir_cb(struct msg **msg, struct avp *avp, struct session *sess,
              void *opaque, enum disp_action *act);

#endif /* CX_H */
