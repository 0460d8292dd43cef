/* dcx_cmds.c - the twelve Cx commands and their ABNF (TS 29.229 §6.1).
 *
 * Owns one rule table per command, each under the ABNF of the clause it
 * encodes. Names are "3GPP/..." (see dict_cx.h: dict_sip.fdx owns the
 * bare RFC 4740 names). Not encoded, because no dictionary we load
 * defines them and "*[AVP]" already admits them: [OC-Supported-Features],
 * [OC-OLR] (RFC 7683) and *[Load] (RFC 8583). "*[AVP]" needs no rule.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "dcx_tables.h"

#include "dict_cx.h"

#define V3 CX_VENDOR_3GPP

/* Lines every Cx message starts with, and the request-only ones. */
#define DCX_HEAD                                                               \
    DCX_FIXED(CX_AVP_SESSION_ID, 0), DCX_OPT(CX_AVP_DRMP, 0),                  \
        DCX_REQ(CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0)
#define DCX_ANSWER_RESULT                                                      \
    DCX_OPT(CX_AVP_RESULT_CODE, 0), DCX_OPT(CX_AVP_EXPERIMENTAL_RESULT, 0)
#define DCX_ORIGIN                                                             \
    DCX_REQ(CX_AVP_AUTH_SESSION_STATE, 0), DCX_REQ(CX_AVP_ORIGIN_HOST, 0),     \
        DCX_REQ(CX_AVP_ORIGIN_REALM, 0)
#define DCX_REQ_TAIL                                                           \
    DCX_ANY(CX_AVP_PROXY_INFO, 0), DCX_ANY(CX_AVP_ROUTE_RECORD, 0)
#define DCX_ANS_TAIL                                                           \
    DCX_OPT(CX_AVP_FAILED_AVP, 0), DCX_ANY(CX_AVP_PROXY_INFO, 0),              \
        DCX_ANY(CX_AVP_ROUTE_RECORD, 0)

/* `{ AVP }` lines of the four requests the HSS answers (UAR, SAR, LIR,
 * MAR) that hss_cx checks itself. freeDiameter 1.2.1 answers a request
 * missing a RULE_REQUIRED AVP on its own, before any handler runs, with a
 * DIAMETER_MISSING_AVP answer lacking Vendor-Specific-Application-Id and
 * Auth-Session-State: not a valid Cx answer (peers reject it). So these are
 * registered as "at most one", and the HSS decoders answer 5005 with
 * Failed-AVP in a complete Cx answer (TS 29.229 §6.1; tests/unit/cx). */
#define DCX_HSS_CHECKED(code, vendor)                                          \
    {                                                                          \
        code, vendor, RULE_OPTIONAL, -1, 1                                     \
    }

/* §6.1.1
 * < User-Authorization-Request> ::= < Diameter Header: 300, REQ, PXY,
 *                                                      16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ Destination-Host ]  { Destination-Realm }  { User-Name }
 *      [ OC-Supported-Features ]  *[ Supported-Features ]
 *      { Public-Identity }  { Visited-Network-Identifier }
 *      [ User-Authorization-Type ]  [ UAR-Flags ]
 *      *[ AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule uar[] = {
    DCX_HEAD,
    DCX_ORIGIN,
    DCX_OPT(CX_AVP_DESTINATION_HOST, 0),
    DCX_REQ(CX_AVP_DESTINATION_REALM, 0),
    DCX_HSS_CHECKED(CX_AVP_USER_NAME, 0),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_HSS_CHECKED(CX_AVP_PUBLIC_IDENTITY, V3),
    DCX_HSS_CHECKED(CX_AVP_VISITED_NETWORK_IDENTIFIER, V3),
    DCX_OPT(CX_AVP_USER_AUTHORIZATION_TYPE, V3),
    DCX_OPT(CX_AVP_UAR_FLAGS, V3),
    DCX_REQ_TAIL,
};

/* §6.1.2
 * < User-Authorization-Answer> ::= < Diameter Header: 300, PXY, 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      [ Result-Code ]  [ Experimental-Result ]
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ OC-Supported-Features ]  [ OC-OLR ]  *[ Load ]
 *      *[ Supported-Features ]  [ Server-Name ]  [ Server-Capabilities ]
 *      *[ AVP ]  [ Failed-AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule uaa[] = {
    DCX_HEAD,
    DCX_ANSWER_RESULT,
    DCX_ORIGIN,
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_OPT(CX_AVP_SERVER_NAME, V3),
    DCX_OPT(CX_AVP_SERVER_CAPABILITIES, V3),
    DCX_ANS_TAIL,
};

/* §6.1.3
 * < Server-Assignment-Request> ::= < Diameter Header: 301, REQ, PXY,
 *                                                     16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ Destination-Host ]  { Destination-Realm }  [ User-Name ]
 *      [ OC-Supported-Features ]  *[ Supported-Features ]
 *      *[ Public-Identity ]  [ Wildcarded-Public-Identity ]
 *      { Server-Name }  { Server-Assignment-Type }
 *      { User-Data-Already-Available }  [ SCSCF-Restoration-Info ]
 *      [ Multiple-Registration-Indication ]  [ Session-Priority ]
 *      [ SAR-Flags ]  [ Failed-PCSCF ]
 *      *[ AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule sar[] = {
    DCX_HEAD,
    DCX_ORIGIN,
    DCX_OPT(CX_AVP_DESTINATION_HOST, 0),
    DCX_REQ(CX_AVP_DESTINATION_REALM, 0),
    DCX_OPT(CX_AVP_USER_NAME, 0),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_ANY(CX_AVP_PUBLIC_IDENTITY, V3),
    DCX_OPT(CX_AVP_WILDCARDED_PUBLIC_IDENTITY, V3),
    DCX_HSS_CHECKED(CX_AVP_SERVER_NAME, V3),
    DCX_HSS_CHECKED(CX_AVP_SERVER_ASSIGNMENT_TYPE, V3),
    DCX_HSS_CHECKED(CX_AVP_USER_DATA_ALREADY_AVAILABLE, V3),
    DCX_OPT(CX_AVP_SCSCF_RESTORATION_INFO, V3),
    DCX_OPT(CX_AVP_MULTIPLE_REGISTRATION_INDICATION, V3),
    DCX_OPT(CX_AVP_SESSION_PRIORITY, V3),
    DCX_OPT(CX_AVP_SAR_FLAGS, V3),
    DCX_OPT(CX_AVP_FAILED_PCSCF, V3),
    DCX_REQ_TAIL,
};

/* §6.1.4
 * < Server-Assignment-Answer> ::= < Diameter Header: 301, PXY, 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      [ Result-Code ]  [ Experimental-Result ]
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ User-Name ]  [ OC-Supported-Features ]  [ OC-OLR ]  *[ Load ]
 *      *[ Supported-Features ]  [ User-Data ]  [ Charging-Information ]
 *      [ Associated-Identities ]  [ Loose-Route-Indication ]
 *      *[ SCSCF-Restoration-Info ]  [ Associated-Registered-Identities ]
 *      [ Server-Name ]  [ Wildcarded-Public-Identity ]
 *      [ Priviledged-Sender-Indication ]  [ Allowed-WAF-WWSF-Identities ]
 *      *[ AVP ]  [ Failed-AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule saa[] = {
    DCX_HEAD,
    DCX_ANSWER_RESULT,
    DCX_ORIGIN,
    DCX_OPT(CX_AVP_USER_NAME, 0),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_OPT(CX_AVP_USER_DATA, V3),
    DCX_OPT(CX_AVP_CHARGING_INFORMATION, V3),
    DCX_OPT(CX_AVP_ASSOCIATED_IDENTITIES, V3),
    DCX_OPT(CX_AVP_LOOSE_ROUTE_INDICATION, V3),
    DCX_ANY(CX_AVP_SCSCF_RESTORATION_INFO, V3),
    DCX_OPT(CX_AVP_ASSOCIATED_REGISTERED_IDENTITIES, V3),
    DCX_OPT(CX_AVP_SERVER_NAME, V3),
    DCX_OPT(CX_AVP_WILDCARDED_PUBLIC_IDENTITY, V3),
    DCX_OPT(CX_AVP_PRIVILEDGED_SENDER_INDICATION, V3),
    DCX_OPT(CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, V3),
    DCX_ANS_TAIL,
};

/* §6.1.5
 * < Location-Info-Request> ::= < Diameter Header: 302, REQ, PXY,
 *                                                 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ Destination-Host ]  { Destination-Realm }
 *      [ Originating-Request ]  [ OC-Supported-Features ]
 *      *[ Supported-Features ]  { Public-Identity }
 *      [ User-Authorization-Type ]  [ Session-Priority ]
 *      *[ AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule lir[] = {
    DCX_HEAD,
    DCX_ORIGIN,
    DCX_OPT(CX_AVP_DESTINATION_HOST, 0),
    DCX_REQ(CX_AVP_DESTINATION_REALM, 0),
    DCX_OPT(CX_AVP_ORIGINATING_REQUEST, V3),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_HSS_CHECKED(CX_AVP_PUBLIC_IDENTITY, V3),
    DCX_OPT(CX_AVP_USER_AUTHORIZATION_TYPE, V3),
    DCX_OPT(CX_AVP_SESSION_PRIORITY, V3),
    DCX_REQ_TAIL,
};

/* §6.1.6
 * < Location-Info-Answer> ::= < Diameter Header: 302, PXY, 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      [ Result-Code ]  [ Experimental-Result ]
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ OC-Supported-Features ]  [ OC-OLR ]  *[ Load ]
 *      *[ Supported-Features ]  [ Server-Name ]  [ Server-Capabilities ]
 *      [ Wildcarded-Public-Identity ]  [ LIA-Flags ]
 *      *[ AVP ]  [ Failed-AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule lia[] = {
    DCX_HEAD,
    DCX_ANSWER_RESULT,
    DCX_ORIGIN,
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_OPT(CX_AVP_SERVER_NAME, V3),
    DCX_OPT(CX_AVP_SERVER_CAPABILITIES, V3),
    DCX_OPT(CX_AVP_WILDCARDED_PUBLIC_IDENTITY, V3),
    DCX_OPT(CX_AVP_LIA_FLAGS, V3),
    DCX_ANS_TAIL,
};

/* §6.1.7
 * < Multimedia-Auth-Request > ::= < Diameter Header: 303, REQ, PXY,
 *                                                    16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      { Destination-Realm }  [ Destination-Host ]  { User-Name }
 *      [ OC-Supported-Features ]  *[ Supported-Features ]
 *      { Public-Identity }  { SIP-Auth-Data-Item }
 *      { SIP-Number-Auth-Items }  { Server-Name }
 *      *[ AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule mar[] = {
    DCX_HEAD,
    DCX_ORIGIN,
    DCX_REQ(CX_AVP_DESTINATION_REALM, 0),
    DCX_OPT(CX_AVP_DESTINATION_HOST, 0),
    DCX_HSS_CHECKED(CX_AVP_USER_NAME, 0),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_HSS_CHECKED(CX_AVP_PUBLIC_IDENTITY, V3),
    DCX_HSS_CHECKED(CX_AVP_SIP_AUTH_DATA_ITEM, V3),
    DCX_HSS_CHECKED(CX_AVP_SIP_NUMBER_AUTH_ITEMS, V3),
    DCX_HSS_CHECKED(CX_AVP_SERVER_NAME, V3),
    DCX_REQ_TAIL,
};

/* §6.1.8
 * < Multimedia-Auth-Answer > ::= < Diameter Header: 303, PXY, 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      [ Result-Code ]  [ Experimental-Result ]
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ User-Name ]  [ OC-Supported-Features ]  [ OC-OLR ]  *[ Load ]
 *      *[ Supported-Features ]  [ Public-Identity ]
 *      [ SIP-Number-Auth-Items ]  *[ SIP-Auth-Data-Item ]
 *      *[ AVP ]  [ Failed-AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule maa[] = {
    DCX_HEAD,
    DCX_ANSWER_RESULT,
    DCX_ORIGIN,
    DCX_OPT(CX_AVP_USER_NAME, 0),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_OPT(CX_AVP_PUBLIC_IDENTITY, V3),
    DCX_OPT(CX_AVP_SIP_NUMBER_AUTH_ITEMS, V3),
    DCX_ANY(CX_AVP_SIP_AUTH_DATA_ITEM, V3),
    DCX_ANS_TAIL,
};

/* §6.1.9
 * < Registration-Termination-Request > ::= < Diameter Header: 304, REQ,
 *                                                   PXY, 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      { Destination-Host }  { Destination-Realm }  { User-Name }
 *      [ Associated-Identities ]  *[ Supported-Features ]
 *      *[ Public-Identity ]  { Deregistration-Reason }  [ RTR-Flags ]
 *      *[ AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule rtr[] = {
    DCX_HEAD,
    DCX_ORIGIN,
    DCX_REQ(CX_AVP_DESTINATION_HOST, 0),
    DCX_REQ(CX_AVP_DESTINATION_REALM, 0),
    DCX_REQ(CX_AVP_USER_NAME, 0),
    DCX_OPT(CX_AVP_ASSOCIATED_IDENTITIES, V3),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_ANY(CX_AVP_PUBLIC_IDENTITY, V3),
    DCX_REQ(CX_AVP_DEREGISTRATION_REASON, V3),
    DCX_OPT(CX_AVP_RTR_FLAGS, V3),
    DCX_REQ_TAIL,
};

/* §6.1.10
 * < Registration-Termination-Answer > ::= < Diameter Header: 304, PXY,
 *                                                       16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      [ Result-Code ]  [ Experimental-Result ]
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      [ Associated-Identities ]  *[ Supported-Features ]
 *      *[ Identity-with-Emergency-Registration ]
 *      *[ AVP ]  [ Failed-AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule rta[] = {
    DCX_HEAD,
    DCX_ANSWER_RESULT,
    DCX_ORIGIN,
    DCX_OPT(CX_AVP_ASSOCIATED_IDENTITIES, V3),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_ANY(CX_AVP_IDENTITY_WITH_EMERGENCY_REGISTRATION, V3),
    DCX_ANS_TAIL,
};

/* §6.1.11
 * < Push-Profile-Request > ::= < Diameter Header: 305, REQ, PXY,
 *                                                 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      { Destination-Host }  { Destination-Realm }  { User-Name }
 *      *[ Supported-Features ]  [ User-Data ]  [ Charging-Information ]
 *      [ SIP-Auth-Data-Item ]  [ Allowed-WAF-WWSF-Identities ]
 *      *[ AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule ppr[] = {
    DCX_HEAD,
    DCX_ORIGIN,
    DCX_REQ(CX_AVP_DESTINATION_HOST, 0),
    DCX_REQ(CX_AVP_DESTINATION_REALM, 0),
    DCX_REQ(CX_AVP_USER_NAME, 0),
    DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_OPT(CX_AVP_USER_DATA, V3),
    DCX_OPT(CX_AVP_CHARGING_INFORMATION, V3),
    DCX_OPT(CX_AVP_SIP_AUTH_DATA_ITEM, V3),
    DCX_OPT(CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, V3),
    DCX_REQ_TAIL,
};

/* §6.1.12
 * < Push-Profile-Answer > ::= < Diameter Header: 305, PXY, 16777216 >
 *      < Session-Id >  [ DRMP ]  { Vendor-Specific-Application-Id }
 *      [ Result-Code ]  [ Experimental-Result ]
 *      { Auth-Session-State }  { Origin-Host }  { Origin-Realm }
 *      *[ Supported-Features ]
 *      *[ AVP ]  [ Failed-AVP ]  *[ Proxy-Info ]  *[ Route-Record ]
 */
static const struct dcx_rule ppa[] = {
    DCX_HEAD,     DCX_ANSWER_RESULT,
    DCX_ORIGIN,   DCX_ANY(CX_AVP_SUPPORTED_FEATURES, V3),
    DCX_ANS_TAIL,
};

#define DCX_CMD(name, code, request, rules)                                    \
    {                                                                          \
        name, code, request, rules, DCX_COUNT(rules)                           \
    }

const struct dcx_cmd dcx_cmds[] = {
    DCX_CMD(DCX_NAME_UAR, CX_CMD_UAR, 1, uar),
    DCX_CMD(DCX_NAME_UAA, CX_CMD_UAR, 0, uaa),
    DCX_CMD(DCX_NAME_SAR, CX_CMD_SAR, 1, sar),
    DCX_CMD(DCX_NAME_SAA, CX_CMD_SAR, 0, saa),
    DCX_CMD(DCX_NAME_LIR, CX_CMD_LIR, 1, lir),
    DCX_CMD(DCX_NAME_LIA, CX_CMD_LIR, 0, lia),
    DCX_CMD(DCX_NAME_MAR, CX_CMD_MAR, 1, mar),
    DCX_CMD(DCX_NAME_MAA, CX_CMD_MAR, 0, maa),
    DCX_CMD(DCX_NAME_RTR, CX_CMD_RTR, 1, rtr),
    DCX_CMD(DCX_NAME_RTA, CX_CMD_RTR, 0, rta),
    DCX_CMD(DCX_NAME_PPR, CX_CMD_PPR, 1, ppr),
    DCX_CMD(DCX_NAME_PPA, CX_CMD_PPR, 0, ppa),
};

const size_t dcx_n_cmds = DCX_COUNT(dcx_cmds);
