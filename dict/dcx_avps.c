/* dcx_avps.c - the AVP table of dict_cx: TS 29.229 Table 6.3.1 and imports.
 *
 * Owns one row per AVP Cx defines (codes 600-666, vendor 10415; 627 was
 * removed in Rel-6 and stays unused) or imports from other documents
 * (RFC 4740/5090 Digest-*, RFC 7155 Framed-*, RFC 7944 DRMP, ETSI ES 283
 * 034 Line-Identifier), with the named values of every Enumerated AVP.
 * Base RFC 6733 AVPs are not here: freeDiameter's core defines them.
 *
 * Flags follow the table: "M,V" must both be set; "V" alone means V set
 * and M not set, except Supported-Features (628) where M may be set
 * (§6.3.29) and Line-Identifier whose M bit sources disagree (left free).
 * These are the very flags dict_dcca_3gpp.fdx 1.2.1 uses for 600-653.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "dcx_tables.h"

#include "cx_proto.h"

#define V3 CX_VENDOR_3GPP

/* Server-Assignment-Type (§6.3.15); 12-14 are SWx-only but named. */
static const struct dcx_enumval sat_vals[] = {
    {"NO_ASSIGNMENT", CX_SAT_NO_ASSIGNMENT},
    {"REGISTRATION", CX_SAT_REGISTRATION},
    {"RE_REGISTRATION", CX_SAT_RE_REGISTRATION},
    {"UNREGISTERED_USER", CX_SAT_UNREGISTERED_USER},
    {"TIMEOUT_DEREGISTRATION", CX_SAT_TIMEOUT_DEREGISTRATION},
    {"USER_DEREGISTRATION", CX_SAT_USER_DEREGISTRATION},
    {"TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME",
     CX_SAT_TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME},
    {"USER_DEREGISTRATION_STORE_SERVER_NAME",
     CX_SAT_USER_DEREGISTRATION_STORE_SERVER_NAME},
    {"ADMINISTRATIVE_DEREGISTRATION", CX_SAT_ADMINISTRATIVE_DEREGISTRATION},
    {"AUTHENTICATION_FAILURE", CX_SAT_AUTHENTICATION_FAILURE},
    {"AUTHENTICATION_TIMEOUT", CX_SAT_AUTHENTICATION_TIMEOUT},
    {"DEREGISTRATION_TOO_MUCH_DATA", CX_SAT_DEREGISTRATION_TOO_MUCH_DATA},
    {"AAA_USER_DATA_REQUEST", CX_SAT_AAA_USER_DATA_REQUEST},
    {"PGW_UPDATE", CX_SAT_PGW_UPDATE},
    {"RESTORATION", CX_SAT_RESTORATION},
    {NULL, 0},
};

/* Reason-Code (§6.3.17) */
static const struct dcx_enumval reason_vals[] = {
    {"PERMANENT_TERMINATION", CX_REASON_PERMANENT_TERMINATION},
    {"NEW_SERVER_ASSIGNED", CX_REASON_NEW_SERVER_ASSIGNED},
    {"SERVER_CHANGE", CX_REASON_SERVER_CHANGE},
    {"REMOVE_S-CSCF", CX_REASON_REMOVE_SCSCF},
    {NULL, 0},
};

/* User-Authorization-Type (§6.3.24) */
static const struct dcx_enumval uat_vals[] = {
    {"REGISTRATION", CX_UAT_REGISTRATION},
    {"DE_REGISTRATION", CX_UAT_DE_REGISTRATION},
    {"REGISTRATION_AND_CAPABILITIES", CX_UAT_REGISTRATION_AND_CAPABILITIES},
    {NULL, 0},
};

/* User-Data-Already-Available (§6.3.26) */
static const struct dcx_enumval udaa_vals[] = {
    {"USER_DATA_NOT_AVAILABLE", CX_UDAA_USER_DATA_NOT_AVAILABLE},
    {"USER_DATA_ALREADY_AVAILABLE", CX_UDAA_USER_DATA_ALREADY_AVAILABLE},
    {NULL, 0},
};

/* Originating-Request (§6.3.34) */
static const struct dcx_enumval orig_vals[] = {
    {"ORIGINATING", CX_ORIGINATING_REQUEST_ORIGINATING},
    {NULL, 0},
};

/* Loose-Route-Indication (§6.3.45) */
static const struct dcx_enumval lri_vals[] = {
    {"LOOSE_ROUTE_NOT_REQUIRED", 0},
    {"LOOSE_ROUTE_REQUIRED", 1},
    {NULL, 0},
};

/* Multiple-Registration-Indication (§6.3.51) */
static const struct dcx_enumval mri_vals[] = {
    {"NOT_MULTIPLE_REGISTRATION", 0},
    {"MULTIPLE_REGISTRATION", 1},
    {NULL, 0},
};

/* Session-Priority (§6.3.56): PRIORITY-0 is the highest. */
static const struct dcx_enumval prio_vals[] = {
    {"PRIORITY-0", 0}, {"PRIORITY-1", 1}, {"PRIORITY-2", 2},
    {"PRIORITY-3", 3}, {"PRIORITY-4", 4}, {NULL, 0},
};

/* Priviledged-Sender-Indication (§6.3.58, the spelling is the spec's) */
static const struct dcx_enumval psi_vals[] = {
    {"NOT_PRIVILEDGED_SENDER", 0},
    {"PRIVILEDGED_SENDER", 1},
    {NULL, 0},
};

/* DRMP (RFC 7944 §9.1): PRIORITY_0 is the lowest, PRIORITY_15 highest. */
static const struct dcx_enumval drmp_vals[] = {
    {"PRIORITY_0", 0},   {"PRIORITY_1", 1},   {"PRIORITY_2", 2},
    {"PRIORITY_3", 3},   {"PRIORITY_4", 4},   {"PRIORITY_5", 5},
    {"PRIORITY_6", 6},   {"PRIORITY_7", 7},   {"PRIORITY_8", 8},
    {"PRIORITY_9", 9},   {"PRIORITY_10", 10}, {"PRIORITY_11", 11},
    {"PRIORITY_12", 12}, {"PRIORITY_13", 13}, {"PRIORITY_14", 14},
    {"PRIORITY_15", 15}, {NULL, 0},
};

/* Order matters only in that every AVP a grouped rule names is here. */
const struct dcx_avp dcx_avps[] = {
    /* Imported, vendor 0: RFC 4740 as updated by RFC 5090 */
    {CX_AVP_DIGEST_REALM, 0, "Digest-Realm", DCX_UTF8STRING, DCX_M_NOT_V, NULL},
    {CX_AVP_DIGEST_QOP, 0, "Digest-QoP", DCX_UTF8STRING, DCX_M_NOT_V, NULL},
    {CX_AVP_DIGEST_ALGORITHM, 0, "Digest-Algorithm", DCX_UTF8STRING,
     DCX_M_NOT_V, NULL},
    {CX_AVP_DIGEST_HA1, 0, "Digest-HA1", DCX_UTF8STRING, DCX_M_NOT_V, NULL},
    /* Imported, vendor 0: RFC 7155 (NASREQ), used by GIBA */
    {CX_AVP_FRAMED_IP_ADDRESS, 0, "Framed-IP-Address", DCX_OCTETSTRING,
     DCX_M_NOT_V, NULL},
    {CX_AVP_FRAMED_INTERFACE_ID, 0, "Framed-Interface-Id", DCX_UNSIGNED64,
     DCX_M_NOT_V, NULL},
    {CX_AVP_FRAMED_IPV6_PREFIX, 0, "Framed-IPv6-Prefix", DCX_OCTETSTRING,
     DCX_M_NOT_V, NULL},
    /* Imported, vendor 0: RFC 7944, the M bit MUST NOT be set */
    {CX_AVP_DRMP, 0, "DRMP", DCX_ENUMERATED, DCX_NOT_MV, drmp_vals},
    /* Imported, vendor ETSI: ES 283 034 via §6.3.42 (NASS-Bundled) */
    {CX_AVP_LINE_IDENTIFIER, CX_VENDOR_ETSI, "Line-Identifier", DCX_OCTETSTRING,
     DCX_V_M_MAY, NULL},

    /* TS 29.229 Table 6.3.1 */
    {CX_AVP_VISITED_NETWORK_IDENTIFIER, V3, "Visited-Network-Identifier",
     DCX_OCTETSTRING, DCX_MV, NULL},
    {CX_AVP_PUBLIC_IDENTITY, V3, "Public-Identity", DCX_UTF8STRING, DCX_MV,
     NULL},
    {CX_AVP_SERVER_NAME, V3, "Server-Name", DCX_UTF8STRING, DCX_MV, NULL},
    {CX_AVP_SERVER_CAPABILITIES, V3, "Server-Capabilities", DCX_GROUPED, DCX_MV,
     NULL},
    {CX_AVP_MANDATORY_CAPABILITY, V3, "Mandatory-Capability", DCX_UNSIGNED32,
     DCX_MV, NULL},
    {CX_AVP_OPTIONAL_CAPABILITY, V3, "Optional-Capability", DCX_UNSIGNED32,
     DCX_MV, NULL},
    {CX_AVP_USER_DATA, V3, "User-Data", DCX_OCTETSTRING, DCX_MV, NULL},
    {CX_AVP_SIP_NUMBER_AUTH_ITEMS, V3, "SIP-Number-Auth-Items", DCX_UNSIGNED32,
     DCX_MV, NULL},
    {CX_AVP_SIP_AUTHENTICATION_SCHEME, V3, "SIP-Authentication-Scheme",
     DCX_UTF8STRING, DCX_MV, NULL},
    {CX_AVP_SIP_AUTHENTICATE, V3, "SIP-Authenticate", DCX_OCTETSTRING, DCX_MV,
     NULL},
    {CX_AVP_SIP_AUTHORIZATION, V3, "SIP-Authorization", DCX_OCTETSTRING, DCX_MV,
     NULL},
    {CX_AVP_SIP_AUTHENTICATION_CONTEXT, V3, "SIP-Authentication-Context",
     DCX_OCTETSTRING, DCX_MV, NULL},
    {CX_AVP_SIP_AUTH_DATA_ITEM, V3, "SIP-Auth-Data-Item", DCX_GROUPED, DCX_MV,
     NULL},
    {CX_AVP_SIP_ITEM_NUMBER, V3, "SIP-Item-Number", DCX_UNSIGNED32, DCX_MV,
     NULL},
    {CX_AVP_SERVER_ASSIGNMENT_TYPE, V3, "Server-Assignment-Type",
     DCX_ENUMERATED, DCX_MV, sat_vals},
    {CX_AVP_DEREGISTRATION_REASON, V3, "Deregistration-Reason", DCX_GROUPED,
     DCX_MV, NULL},
    {CX_AVP_REASON_CODE, V3, "Reason-Code", DCX_ENUMERATED, DCX_MV,
     reason_vals},
    {CX_AVP_REASON_INFO, V3, "Reason-Info", DCX_UTF8STRING, DCX_MV, NULL},
    {CX_AVP_CHARGING_INFORMATION, V3, "Charging-Information", DCX_GROUPED,
     DCX_MV, NULL},
    {CX_AVP_PRIMARY_EVENT_CHARGING_FUNCTION_NAME, V3,
     "Primary-Event-Charging-Function-Name", DCX_DIAMURI, DCX_MV, NULL},
    {CX_AVP_SECONDARY_EVENT_CHARGING_FUNCTION_NAME, V3,
     "Secondary-Event-Charging-Function-Name", DCX_DIAMURI, DCX_MV, NULL},
    {CX_AVP_PRIMARY_CHARGING_COLLECTION_FUNCTION_NAME, V3,
     "Primary-Charging-Collection-Function-Name", DCX_DIAMURI, DCX_MV, NULL},
    {CX_AVP_SECONDARY_CHARGING_COLLECTION_FUNCTION_NAME, V3,
     "Secondary-Charging-Collection-Function-Name", DCX_DIAMURI, DCX_MV, NULL},
    {CX_AVP_USER_AUTHORIZATION_TYPE, V3, "User-Authorization-Type",
     DCX_ENUMERATED, DCX_MV, uat_vals},
    {CX_AVP_USER_DATA_ALREADY_AVAILABLE, V3, "User-Data-Already-Available",
     DCX_ENUMERATED, DCX_MV, udaa_vals},
    {CX_AVP_CONFIDENTIALITY_KEY, V3, "Confidentiality-Key", DCX_OCTETSTRING,
     DCX_MV, NULL},
    {CX_AVP_INTEGRITY_KEY, V3, "Integrity-Key", DCX_OCTETSTRING, DCX_MV, NULL},
    /* 627 User-Data-Request-Type: removed in V6.5.0, not defined */
    {CX_AVP_SUPPORTED_FEATURES, V3, "Supported-Features", DCX_GROUPED,
     DCX_V_M_MAY, NULL},
    {CX_AVP_FEATURE_LIST_ID, V3, "Feature-List-ID", DCX_UNSIGNED32, DCX_V_NOT_M,
     NULL},
    {CX_AVP_FEATURE_LIST, V3, "Feature-List", DCX_UNSIGNED32, DCX_V_NOT_M,
     NULL},
    {CX_AVP_SUPPORTED_APPLICATIONS, V3, "Supported-Applications", DCX_GROUPED,
     DCX_V_NOT_M, NULL},
    {CX_AVP_ASSOCIATED_IDENTITIES, V3, "Associated-Identities", DCX_GROUPED,
     DCX_V_NOT_M, NULL},
    {CX_AVP_ORIGINATING_REQUEST, V3, "Originating-Request", DCX_ENUMERATED,
     DCX_MV, orig_vals},
    {CX_AVP_WILDCARDED_PUBLIC_IDENTITY, V3, "Wildcarded-Public-Identity",
     DCX_UTF8STRING, DCX_V_NOT_M, NULL},
    {CX_AVP_SIP_DIGEST_AUTHENTICATE, V3, "SIP-Digest-Authenticate", DCX_GROUPED,
     DCX_V_NOT_M, NULL},
    {CX_AVP_WILDCARDED_IMPU, V3, "Wildcarded-IMPU", DCX_UTF8STRING, DCX_V_NOT_M,
     NULL},
    {CX_AVP_UAR_FLAGS, V3, "UAR-Flags", DCX_UNSIGNED32, DCX_V_NOT_M, NULL},
    {CX_AVP_LOOSE_ROUTE_INDICATION, V3, "Loose-Route-Indication",
     DCX_ENUMERATED, DCX_V_NOT_M, lri_vals},
    {CX_AVP_SCSCF_RESTORATION_INFO, V3, "SCSCF-Restoration-Info", DCX_GROUPED,
     DCX_V_NOT_M, NULL},
    {CX_AVP_PATH, V3, "Path", DCX_OCTETSTRING, DCX_V_NOT_M, NULL},
    {CX_AVP_CONTACT, V3, "Contact", DCX_OCTETSTRING, DCX_V_NOT_M, NULL},
    {CX_AVP_SUBSCRIPTION_INFO, V3, "Subscription-Info", DCX_GROUPED,
     DCX_V_NOT_M, NULL},
    {CX_AVP_CALL_ID_SIP_HEADER, V3, "Call-ID-SIP-Header", DCX_OCTETSTRING,
     DCX_V_NOT_M, NULL},
    {CX_AVP_FROM_SIP_HEADER, V3, "From-SIP-Header", DCX_OCTETSTRING,
     DCX_V_NOT_M, NULL},
    {CX_AVP_TO_SIP_HEADER, V3, "To-SIP-Header", DCX_OCTETSTRING, DCX_V_NOT_M,
     NULL},
    {CX_AVP_RECORD_ROUTE, V3, "Record-Route", DCX_OCTETSTRING, DCX_V_NOT_M,
     NULL},
    {CX_AVP_ASSOCIATED_REGISTERED_IDENTITIES, V3,
     "Associated-Registered-Identities", DCX_GROUPED, DCX_V_NOT_M, NULL},
    {CX_AVP_MULTIPLE_REGISTRATION_INDICATION, V3,
     "Multiple-Registration-Indication", DCX_ENUMERATED, DCX_V_NOT_M, mri_vals},
    {CX_AVP_RESTORATION_INFO, V3, "Restoration-Info", DCX_GROUPED, DCX_V_NOT_M,
     NULL},
    {CX_AVP_SESSION_PRIORITY, V3, "Session-Priority", DCX_ENUMERATED,
     DCX_V_NOT_M, prio_vals},
    {CX_AVP_IDENTITY_WITH_EMERGENCY_REGISTRATION, V3,
     "Identity-with-Emergency-Registration", DCX_GROUPED, DCX_V_NOT_M, NULL},
    {CX_AVP_PRIVILEDGED_SENDER_INDICATION, V3, "Priviledged-Sender-Indication",
     DCX_ENUMERATED, DCX_V_NOT_M, psi_vals},
    {CX_AVP_LIA_FLAGS, V3, "LIA-Flags", DCX_UNSIGNED32, DCX_V_NOT_M, NULL},
    {CX_AVP_INITIAL_CSEQ_SEQUENCE_NUMBER, V3, "Initial-CSeq-Sequence-Number",
     DCX_UNSIGNED32, DCX_V_NOT_M, NULL},
    {CX_AVP_SAR_FLAGS, V3, "SAR-Flags", DCX_UNSIGNED32, DCX_V_NOT_M, NULL},
    {CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, V3, "Allowed-WAF-WWSF-Identities",
     DCX_GROUPED, DCX_V_NOT_M, NULL},
    {CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME, V3,
     "WebRTC-Authentication-Function-Name", DCX_UTF8STRING, DCX_V_NOT_M, NULL},
    {CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME, V3,
     "WebRTC-Web-Server-Function-Name", DCX_UTF8STRING, DCX_V_NOT_M, NULL},
    {CX_AVP_RTR_FLAGS, V3, "RTR-Flags", DCX_UNSIGNED32, DCX_V_NOT_M, NULL},
    {CX_AVP_P_CSCF_SUBSCRIPTION_INFO, V3, "P-CSCF-Subscription-Info",
     DCX_GROUPED, DCX_V_NOT_M, NULL},
    {CX_AVP_REGISTRATION_TIME_OUT, V3, "Registration-Time-Out", DCX_TIME,
     DCX_V_NOT_M, NULL},
    {CX_AVP_ALTERNATE_DIGEST_ALGORITHM, V3, "Alternate-Digest-Algorithm",
     DCX_UTF8STRING, DCX_V_NOT_M, NULL},
    {CX_AVP_ALTERNATE_DIGEST_HA1, V3, "Alternate-Digest-HA1", DCX_UTF8STRING,
     DCX_V_NOT_M, NULL},
    {CX_AVP_FAILED_PCSCF, V3, "Failed-PCSCF", DCX_GROUPED, DCX_V_NOT_M, NULL},
    {CX_AVP_PCSCF_FQDN, V3, "PCSCF-FQDN", DCX_DIAMIDENT, DCX_V_NOT_M, NULL},
    {CX_AVP_PCSCF_IP_ADDRESS, V3, "PCSCF-IP-Address", DCX_ADDRESS, DCX_V_NOT_M,
     NULL},
};

const size_t dcx_n_avps = DCX_COUNT(dcx_avps);
