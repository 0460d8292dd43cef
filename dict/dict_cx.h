/* dict_cx.h - public face of the Cx/Dx dictionary (TS 29.229 §6).
 *
 * Owns the names under which dict_cx registers the Diameter Multimedia
 * application and its twelve commands, and the one loader entry point.
 * Numeric codes (commands, AVPs, enum values) live in cx_proto.h: other
 * modules look AVPs up by code and vendor (AVP_BY_CODE_AND_VENDOR) and
 * commands by the names below (CMD_BY_NAME) or by code (CMD_BY_CODE_R).
 *
 * Command names carry a "3GPP/" prefix because Debian's dict_sip.fdx
 * already owns the bare RFC 4740 names ("User-Authorization-Request",
 * "Multimedia-Auth-Request", ...) with other command codes; a second
 * definition under the same name would be refused with EEXIST.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DICT_CX_H
#define DICT_CX_H

#include "cx_proto.h"

/* Dictionary names of the vendors and the application. */
#define DCX_VENDOR_NAME_3GPP "3GPP"
#define DCX_VENDOR_NAME_ETSI "ETSI"
#define DCX_APP_NAME "3GPP Cx/Dx (Diameter Multimedia)"

/* Command names, TS 29.229 §6.1.1-6.1.12. */
#define DCX_NAME_UAR "3GPP/User-Authorization-Request"
#define DCX_NAME_UAA "3GPP/User-Authorization-Answer"
#define DCX_NAME_SAR "3GPP/Server-Assignment-Request"
#define DCX_NAME_SAA "3GPP/Server-Assignment-Answer"
#define DCX_NAME_LIR "3GPP/Location-Info-Request"
#define DCX_NAME_LIA "3GPP/Location-Info-Answer"
#define DCX_NAME_MAR "3GPP/Multimedia-Auth-Request"
#define DCX_NAME_MAA "3GPP/Multimedia-Auth-Answer"
#define DCX_NAME_RTR "3GPP/Registration-Termination-Request"
#define DCX_NAME_RTA "3GPP/Registration-Termination-Answer"
#define DCX_NAME_PPR "3GPP/Push-Profile-Request"
#define DCX_NAME_PPA "3GPP/Push-Profile-Answer"

/*
 * dcx_load - add the Cx/Dx objects to freeDiameter's global dictionary.
 *
 * Needs fd_core_initialize() to have run (the base RFC 6733 AVPs are
 * looked up, never redefined). Objects that another dictionary already
 * holds with a compatible definition (same code, vendor and base type)
 * are reused, so dict_dcca_3gpp.fdx and dict_sip.fdx may be loaded
 * before or after this one. A second call is a no-op.
 *
 * Returns 0, or an errno value (EEXIST for a genuine conflict, logged
 * with LOG_F naming the object); the dictionary may then be partial.
 */
int dcx_load(void);

#endif /* DICT_CX_H */
