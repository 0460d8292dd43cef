/* dcx_groups.c - the rules of every Cx grouped AVP (TS 29.229 §6.3).
 *
 * Owns one rule table per grouped AVP, each under the ABNF it encodes,
 * pasted from the clause cited. "*[AVP]" needs no rule: freeDiameter
 * accepts AVPs that no rule names. The loader adds these rules to the AVP
 * object whoever defined it (dict_dcca_3gpp 1.2.1 defines the Cx grouped
 * AVPs without rules).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "dcx_tables.h"

#include "cx_proto.h"

#define V3 CX_VENDOR_3GPP

/* §6.3.4
 * Server-Capabilities ::= <AVP header: 603 10415>
 *                         *[Mandatory-Capability]
 *                         *[Optional-Capability]
 *                         *[Server-Name]
 *                         *[AVP]
 */
static const struct dcx_rule server_capabilities[] = {
    DCX_ANY(CX_AVP_MANDATORY_CAPABILITY, V3),
    DCX_ANY(CX_AVP_OPTIONAL_CAPABILITY, V3),
    DCX_ANY(CX_AVP_SERVER_NAME, V3),
};

/* §6.3.13
 * SIP-Auth-Data-Item ::= <AVP header: 612 10415>
 *                        [SIP-Item-Number]
 *                        [SIP-Authentication-Scheme]
 *                        [SIP-Authenticate]
 *                        [SIP-Authorization]
 *                        [SIP-Authentication-Context]
 *                        [Confidentiality-Key]
 *                        [Integrity-Key]
 *                        [SIP-Digest-Authenticate]
 *                        [Framed-IP-Address]
 *                        [Framed-IPv6-Prefix]
 *                        [Framed-Interface-Id]
 *                       *[Line-Identifier]
 *                       *[AVP]
 */
static const struct dcx_rule sip_auth_data_item[] = {
    DCX_OPT(CX_AVP_SIP_ITEM_NUMBER, V3),
    DCX_OPT(CX_AVP_SIP_AUTHENTICATION_SCHEME, V3),
    DCX_OPT(CX_AVP_SIP_AUTHENTICATE, V3),
    DCX_OPT(CX_AVP_SIP_AUTHORIZATION, V3),
    DCX_OPT(CX_AVP_SIP_AUTHENTICATION_CONTEXT, V3),
    DCX_OPT(CX_AVP_CONFIDENTIALITY_KEY, V3),
    DCX_OPT(CX_AVP_INTEGRITY_KEY, V3),
    DCX_OPT(CX_AVP_SIP_DIGEST_AUTHENTICATE, V3),
    DCX_OPT(CX_AVP_FRAMED_IP_ADDRESS, 0),
    DCX_OPT(CX_AVP_FRAMED_IPV6_PREFIX, 0),
    DCX_OPT(CX_AVP_FRAMED_INTERFACE_ID, 0),
    DCX_ANY(CX_AVP_LINE_IDENTIFIER, CX_VENDOR_ETSI),
};

/* §6.3.16
 * Deregistration-Reason ::= <AVP header: 615 10415>
 *                           {Reason-Code}
 *                           [Reason-Info]
 *                          *[AVP]
 */
static const struct dcx_rule deregistration_reason[] = {
    DCX_REQ(CX_AVP_REASON_CODE, V3),
    DCX_OPT(CX_AVP_REASON_INFO, V3),
};

/* §6.3.19
 * Charging-Information ::= <AVP header: 618 10415>
 *                          [Primary-Event-Charging-Function-Name]
 *                          [Secondary-Event-Charging-Function-Name]
 *                          [Primary-Charging-Collection-Function-Name]
 *                          [Secondary-Charging-Collection-Function-Name]
 *                         *[AVP]
 */
static const struct dcx_rule charging_information[] = {
    DCX_OPT(CX_AVP_PRIMARY_EVENT_CHARGING_FUNCTION_NAME, V3),
    DCX_OPT(CX_AVP_SECONDARY_EVENT_CHARGING_FUNCTION_NAME, V3),
    DCX_OPT(CX_AVP_PRIMARY_CHARGING_COLLECTION_FUNCTION_NAME, V3),
    DCX_OPT(CX_AVP_SECONDARY_CHARGING_COLLECTION_FUNCTION_NAME, V3),
};

/* §6.3.29
 * Supported-Features ::= <AVP header: 628 10415>
 *                        {Vendor-Id}
 *                        {Feature-List-ID}
 *                        {Feature-List}
 *                       *[AVP]
 */
static const struct dcx_rule supported_features[] = {
    DCX_REQ(CX_AVP_VENDOR_ID, 0),
    DCX_REQ(CX_AVP_FEATURE_LIST_ID, V3),
    DCX_REQ(CX_AVP_FEATURE_LIST, V3),
};

/* §6.3.32
 * Supported-Applications ::= <AVP header: 631 10415>
 *                           *[Auth-Application-Id]
 *                           *[Acct-Application-Id]
 *                           *[Vendor-Specific-Application-Id]
 *                           *[AVP]
 */
static const struct dcx_rule supported_applications[] = {
    DCX_ANY(CX_AVP_AUTH_APPLICATION_ID, 0),
    DCX_ANY(CX_AVP_ACCT_APPLICATION_ID, 0),
    DCX_ANY(CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0),
};

/* §6.3.33 and §6.3.50
 * Associated-Identities ::= <AVP header: 632 10415>
 *                          *[User-Name]
 *                          *[AVP]
 * Associated-Registered-Identities ::= <AVP header: 647 10415>
 *                          *[User-Name]
 *                          *[AVP]
 */
static const struct dcx_rule user_names[] = {
    DCX_ANY(CX_AVP_USER_NAME, 0),
};

/* §6.3.36
 * SIP-Digest-Authenticate ::= <AVP header: 635 10415>
 *                             {Digest-Realm}
 *                             [Digest-Algorithm]
 *                             {Digest-QoP}
 *                             {Digest-HA1}
 *                             [Alternate-Digest-Algorithm]
 *                             [Alternate-Digest-HA1]
 *                            *[AVP]
 */
static const struct dcx_rule sip_digest_authenticate[] = {
    DCX_REQ(CX_AVP_DIGEST_REALM, 0),
    DCX_OPT(CX_AVP_DIGEST_ALGORITHM, 0),
    DCX_REQ(CX_AVP_DIGEST_QOP, 0),
    DCX_REQ(CX_AVP_DIGEST_HA1, 0),
    DCX_OPT(CX_AVP_ALTERNATE_DIGEST_ALGORITHM, V3),
    DCX_OPT(CX_AVP_ALTERNATE_DIGEST_HA1, V3),
};

/* §6.3.46
 * SCSCF-Restoration-Info ::= <AVP header: 639 10415>
 *                            {User-Name}
 *                          1*{Restoration-Info}
 *                            [Registration-Time-Out]
 *                            [SIP-Authentication-Scheme]
 *                           *[AVP]
 */
static const struct dcx_rule scscf_restoration_info[] = {
    DCX_REQ(CX_AVP_USER_NAME, 0),
    DCX_ONE_OR_MORE(CX_AVP_RESTORATION_INFO, V3),
    DCX_OPT(CX_AVP_REGISTRATION_TIME_OUT, V3),
    DCX_OPT(CX_AVP_SIP_AUTHENTICATION_SCHEME, V3),
};

/* §6.3.49
 * Subscription-Info ::= <AVP header: 642 10415>
 *                       {Call-ID-SIP-Header}
 *                       {From-SIP-Header}
 *                       {To-SIP-Header}
 *                       {Record-Route}
 *                       {Contact}
 *                      *[AVP]
 */
static const struct dcx_rule subscription_info[] = {
    DCX_REQ(CX_AVP_CALL_ID_SIP_HEADER, V3),
    DCX_REQ(CX_AVP_FROM_SIP_HEADER, V3),
    DCX_REQ(CX_AVP_TO_SIP_HEADER, V3),
    DCX_REQ(CX_AVP_RECORD_ROUTE, V3),
    DCX_REQ(CX_AVP_CONTACT, V3),
};

/* §6.3.52
 * Restoration-Info ::= <AVP header: 649 10415>
 *                      {Path}
 *                      {Contact}
 *                      [Initial-CSeq-Sequence-Number]
 *                      [Call-ID-SIP-Header]
 *                      [Subscription-Info]
 *                      [P-CSCF-Subscription-Info]
 *                     *[AVP]
 */
static const struct dcx_rule restoration_info[] = {
    DCX_REQ(CX_AVP_PATH, V3),
    DCX_REQ(CX_AVP_CONTACT, V3),
    DCX_OPT(CX_AVP_INITIAL_CSEQ_SEQUENCE_NUMBER, V3),
    DCX_OPT(CX_AVP_CALL_ID_SIP_HEADER, V3),
    DCX_OPT(CX_AVP_SUBSCRIPTION_INFO, V3),
    DCX_OPT(CX_AVP_P_CSCF_SUBSCRIPTION_INFO, V3),
};

/* §6.3.57
 * Identity-with-Emergency-Registration ::= <AVP header: 651 10415>
 *                                          {User-Name}
 *                                          {Public-Identity}
 *                                         *[AVP]
 */
static const struct dcx_rule identity_with_emergency_registration[] = {
    DCX_REQ(CX_AVP_USER_NAME, 0),
    DCX_REQ(CX_AVP_PUBLIC_IDENTITY, V3),
};

/* §6.3.64
 * Allowed-WAF-WWSF-Identities ::= <AVP header: 656 10415>
 *                                *[WebRTC-Authentication-Function-Name]
 *                                *[WebRTC-Web-Server-Function-Name]
 *                                *[AVP]
 */
static const struct dcx_rule allowed_waf_wwsf_identities[] = {
    DCX_ANY(CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME, V3),
    DCX_ANY(CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME, V3),
};

/* §6.3.70
 * P-CSCF-Subscription-Info ::= <AVP header: 660 10415>
 *                              {Call-ID-SIP-Header}
 *                              {From-SIP-Header}
 *                              {To-SIP-Header}
 *                              {Contact}
 *                             *[AVP]
 */
static const struct dcx_rule p_cscf_subscription_info[] = {
    DCX_REQ(CX_AVP_CALL_ID_SIP_HEADER, V3),
    DCX_REQ(CX_AVP_FROM_SIP_HEADER, V3),
    DCX_REQ(CX_AVP_TO_SIP_HEADER, V3),
    DCX_REQ(CX_AVP_CONTACT, V3),
};

/* §6.3.74
 * Failed-PCSCF ::= <AVP header: 664 10415>
 *                  [PCSCF-FQDN]
 *                 *[PCSCF-IP-Address]
 *                 *[AVP]
 */
static const struct dcx_rule failed_pcscf[] = {
    DCX_OPT(CX_AVP_PCSCF_FQDN, V3),
    DCX_ANY(CX_AVP_PCSCF_IP_ADDRESS, V3),
};

#define DCX_GROUP(code, rules)                                                 \
    {                                                                          \
        code, V3, rules, DCX_COUNT(rules)                                      \
    }

const struct dcx_group dcx_groups[] = {
    DCX_GROUP(CX_AVP_SERVER_CAPABILITIES, server_capabilities),
    DCX_GROUP(CX_AVP_SIP_AUTH_DATA_ITEM, sip_auth_data_item),
    DCX_GROUP(CX_AVP_DEREGISTRATION_REASON, deregistration_reason),
    DCX_GROUP(CX_AVP_CHARGING_INFORMATION, charging_information),
    DCX_GROUP(CX_AVP_SUPPORTED_FEATURES, supported_features),
    DCX_GROUP(CX_AVP_SUPPORTED_APPLICATIONS, supported_applications),
    DCX_GROUP(CX_AVP_ASSOCIATED_IDENTITIES, user_names),
    DCX_GROUP(CX_AVP_SIP_DIGEST_AUTHENTICATE, sip_digest_authenticate),
    DCX_GROUP(CX_AVP_SCSCF_RESTORATION_INFO, scscf_restoration_info),
    DCX_GROUP(CX_AVP_SUBSCRIPTION_INFO, subscription_info),
    DCX_GROUP(CX_AVP_ASSOCIATED_REGISTERED_IDENTITIES, user_names),
    DCX_GROUP(CX_AVP_RESTORATION_INFO, restoration_info),
    DCX_GROUP(CX_AVP_IDENTITY_WITH_EMERGENCY_REGISTRATION,
              identity_with_emergency_registration),
    DCX_GROUP(CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, allowed_waf_wwsf_identities),
    DCX_GROUP(CX_AVP_P_CSCF_SUBSCRIPTION_INFO, p_cscf_subscription_info),
    DCX_GROUP(CX_AVP_FAILED_PCSCF, failed_pcscf),
};

const size_t dcx_n_groups = DCX_COUNT(dcx_groups);
