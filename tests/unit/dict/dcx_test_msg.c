/* dcx_test_msg.c - sample Cx requests and the codec round trip for tests.
 *
 * Owns the six sample requests (one per Cx command, each with grouped
 * AVPs) and the helpers declared in dcx_test_msg.h. Values are invented.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "dcx_test_msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_proto.h"

#define V3 CX_VENDOR_3GPP
#define ETSI CX_VENDOR_ETSI

#define TV_S(c, v, str)                                                        \
    {                                                                          \
        DCX_TV_OS, c, v, str, 0, 0, NULL                                       \
    }
#define TV_B(c, v, str, l)                                                     \
    {                                                                          \
        DCX_TV_OS, c, v, str, l, 0, NULL                                       \
    }
#define TV_U32(c, v, x)                                                        \
    {                                                                          \
        DCX_TV_U32, c, v, NULL, 0, x, NULL                                     \
    }
#define TV_I32(c, v, x)                                                        \
    {                                                                          \
        DCX_TV_I32, c, v, NULL, 0, (uint64_t)(x), NULL                         \
    }
#define TV_U64(c, v, x)                                                        \
    {                                                                          \
        DCX_TV_U64, c, v, NULL, 0, x, NULL                                     \
    }
#define TV_G(c, v, ch)                                                         \
    {                                                                          \
        DCX_TV_GROUP, c, v, NULL, 0, 0, ch                                     \
    }
#define TV_END                                                                 \
    {                                                                          \
        DCX_TV_END, 0, 0, NULL, 0, 0, NULL                                     \
    }

static const struct dcx_tv vsai[] = {
    TV_U32(CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP),
    TV_U32(CX_AVP_AUTH_APPLICATION_ID, 0, CX_APP_ID),
    TV_END,
};

static const struct dcx_tv features[] = {
    TV_U32(CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP),
    TV_U32(CX_AVP_FEATURE_LIST_ID, V3, CX_FEATURE_LIST_ID_1),
    TV_U32(CX_AVP_FEATURE_LIST, V3, CX_FEATURE_SIFC | CX_FEATURE_ALIAS_IND),
    TV_END,
};

/* Session-Id, DRMP, VSAI, Auth-Session-State, Origin-Host/Realm */
#define HEAD(sid)                                                              \
    TV_S(CX_AVP_SESSION_ID, 0, sid), TV_I32(CX_AVP_DRMP, 0, 7),                \
        TV_G(CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, vsai),                  \
        TV_I32(CX_AVP_AUTH_SESSION_STATE, 0,                                   \
               CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED),                     \
        TV_S(CX_AVP_ORIGIN_HOST, 0, "scscf.ims.example.org"),                  \
        TV_S(CX_AVP_ORIGIN_REALM, 0, "ims.example.org")
#define DEST_REALM TV_S(CX_AVP_DESTINATION_REALM, 0, "ims.example.org")
#define DEST_HOST TV_S(CX_AVP_DESTINATION_HOST, 0, "hss.ims.example.org")
#define IMPI TV_S(CX_AVP_USER_NAME, 0, "alice@ims.example.org")
#define IMPU TV_S(CX_AVP_PUBLIC_IDENTITY, V3, "sip:alice@ims.example.org")
#define SCSCF TV_S(CX_AVP_SERVER_NAME, V3, "sip:scscf.ims.example.org")
#define TAIL TV_S(CX_AVP_ROUTE_RECORD, 0, "icscf.ims.example.org")

static const struct dcx_tv uar[] = {
    HEAD("icscf;1;uar"),
    DEST_REALM,
    IMPI,
    TV_G(CX_AVP_SUPPORTED_FEATURES, V3, features),
    IMPU,
    TV_B(CX_AVP_VISITED_NETWORK_IDENTIFIER, V3, "visited\0net", 11),
    TV_I32(CX_AVP_USER_AUTHORIZATION_TYPE, V3,
           CX_UAT_REGISTRATION_AND_CAPABILITIES),
    TV_U32(CX_AVP_UAR_FLAGS, V3, CX_UAR_FLAG_EMERGENCY),
    TAIL,
    TV_END,
};
const struct dcx_sample dcx_sample_uar = {"3GPP/User-Authorization-Request",
                                          uar};

static const struct dcx_tv pcscf[] = {
    TV_S(CX_AVP_PCSCF_FQDN, V3, "pcscf.ims.example.org"),
    TV_B(CX_AVP_PCSCF_IP_ADDRESS, V3, "\x00\x01\xc0\x00\x02\x01", 6),
    TV_END,
};

static const struct dcx_tv sar[] = {
    HEAD("scscf;2;sar"),
    DEST_HOST,
    DEST_REALM,
    IMPI,
    IMPU,
    TV_S(CX_AVP_PUBLIC_IDENTITY, V3, "tel:+15551234567"),
    SCSCF,
    TV_I32(CX_AVP_SERVER_ASSIGNMENT_TYPE, V3, CX_SAT_REGISTRATION),
    TV_I32(CX_AVP_USER_DATA_ALREADY_AVAILABLE, V3,
           CX_UDAA_USER_DATA_NOT_AVAILABLE),
    TV_I32(CX_AVP_MULTIPLE_REGISTRATION_INDICATION, V3, 1),
    TV_I32(CX_AVP_SESSION_PRIORITY, V3, 2),
    TV_U32(CX_AVP_SAR_FLAGS, V3, CX_SAR_FLAG_PCSCF_RESTORE),
    TV_G(CX_AVP_FAILED_PCSCF, V3, pcscf),
    TV_END,
};
const struct dcx_sample dcx_sample_sar = {"3GPP/Server-Assignment-Request",
                                          sar};

static const struct dcx_tv lir[] = {
    HEAD("icscf;3;lir"),
    DEST_REALM,
    TV_I32(CX_AVP_ORIGINATING_REQUEST, V3, CX_ORIGINATING_REQUEST_ORIGINATING),
    TV_G(CX_AVP_SUPPORTED_FEATURES, V3, features),
    IMPU,
    TV_I32(CX_AVP_USER_AUTHORIZATION_TYPE, V3, CX_UAT_REGISTRATION),
    TV_I32(CX_AVP_SESSION_PRIORITY, V3, 0),
    TV_END,
};
const struct dcx_sample dcx_sample_lir = {"3GPP/Location-Info-Request", lir};

static const struct dcx_tv digest[] = {
    TV_S(CX_AVP_DIGEST_REALM, 0, "ims.example.org"),
    TV_S(CX_AVP_DIGEST_ALGORITHM, 0, "MD5"),
    TV_S(CX_AVP_DIGEST_QOP, 0, CX_DIGEST_QOP_AUTH),
    TV_S(CX_AVP_DIGEST_HA1, 0, "939e7578ed9e3c518a452acee763bce9"),
    TV_S(CX_AVP_ALTERNATE_DIGEST_ALGORITHM, V3, "SHA-256"),
    TV_S(CX_AVP_ALTERNATE_DIGEST_HA1, V3,
         "7987c2d0a2b9a4b4c8f3f0e0a1b2c3d4e5f60718293a4b5c6d7e8f9001122334"),
    TV_END,
};

static const struct dcx_tv sadi_digest[] = {
    TV_U32(CX_AVP_SIP_ITEM_NUMBER, V3, 1),
    TV_S(CX_AVP_SIP_AUTHENTICATION_SCHEME, V3, CX_SCHEME_SIP_DIGEST),
    TV_G(CX_AVP_SIP_DIGEST_AUTHENTICATE, V3, digest),
    TV_B(CX_AVP_FRAMED_IP_ADDRESS, 0, "\xc0\x00\x02\x0a", 4),
    TV_U64(CX_AVP_FRAMED_INTERFACE_ID, 0, 0x0123456789abcdefULL),
    TV_S(CX_AVP_LINE_IDENTIFIER, ETSI, "line-1"),
    TV_S(CX_AVP_LINE_IDENTIFIER, ETSI, "line-2"),
    TV_END,
};

static const struct dcx_tv mar[] = {
    HEAD("scscf;4;mar"),
    DEST_REALM,
    IMPI,
    IMPU,
    TV_G(CX_AVP_SIP_AUTH_DATA_ITEM, V3, sadi_digest),
    TV_U32(CX_AVP_SIP_NUMBER_AUTH_ITEMS, V3, 1),
    SCSCF,
    TAIL,
    TV_END,
};
const struct dcx_sample dcx_sample_mar = {"3GPP/Multimedia-Auth-Request", mar};

static const struct dcx_tv digest_no_ha1[] = {
    TV_S(CX_AVP_DIGEST_REALM, 0, "ims.example.org"),
    TV_S(CX_AVP_DIGEST_QOP, 0, CX_DIGEST_QOP_AUTH),
    TV_END,
};

static const struct dcx_tv sadi_no_ha1[] = {
    TV_S(CX_AVP_SIP_AUTHENTICATION_SCHEME, V3, CX_SCHEME_SIP_DIGEST),
    TV_G(CX_AVP_SIP_DIGEST_AUTHENTICATE, V3, digest_no_ha1),
    TV_END,
};

static const struct dcx_tv mar_no_ha1[] = {
    HEAD("scscf;5;mar"),
    DEST_REALM,
    IMPI,
    IMPU,
    TV_G(CX_AVP_SIP_AUTH_DATA_ITEM, V3, sadi_no_ha1),
    TV_U32(CX_AVP_SIP_NUMBER_AUTH_ITEMS, V3, 1),
    SCSCF,
    TV_END,
};
const struct dcx_sample dcx_sample_mar_no_ha1 = {"3GPP/Multimedia-Auth-Request",
                                                 mar_no_ha1};

static const struct dcx_tv dereg[] = {
    TV_I32(CX_AVP_REASON_CODE, V3, CX_REASON_NEW_SERVER_ASSIGNED),
    TV_S(CX_AVP_REASON_INFO, V3, "moved to another S-CSCF"),
    TV_END,
};

static const struct dcx_tv assoc[] = {
    TV_S(CX_AVP_USER_NAME, 0, "alice@ims.example.org"),
    TV_S(CX_AVP_USER_NAME, 0, "alice-webrtc@ims.example.org"),
    TV_END,
};

static const struct dcx_tv rtr[] = {
    HEAD("hss;6;rtr"),
    DEST_HOST,
    DEST_REALM,
    IMPI,
    TV_G(CX_AVP_ASSOCIATED_IDENTITIES, V3, assoc),
    IMPU,
    TV_G(CX_AVP_DEREGISTRATION_REASON, V3, dereg),
    TV_U32(CX_AVP_RTR_FLAGS, V3, 1),
    TV_END,
};
const struct dcx_sample dcx_sample_rtr = {
    "3GPP/Registration-Termination-Request", rtr};

static const struct dcx_tv rtr_no_reason[] = {
    HEAD("hss;7;rtr"), DEST_HOST, DEST_REALM, IMPI, TV_END,
};
const struct dcx_sample dcx_sample_rtr_no_reason = {
    "3GPP/Registration-Termination-Request", rtr_no_reason};

static const struct dcx_tv waf_wwsf[] = {
    TV_S(CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME, V3,
         "waf.webrtc.example.org"),
    TV_S(CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME, V3,
         "wwsf1.webrtc.example.org"),
    TV_S(CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME, V3,
         "wwsf2.webrtc.example.org"),
    TV_END,
};

static const struct dcx_tv charging[] = {
    TV_S(CX_AVP_PRIMARY_EVENT_CHARGING_FUNCTION_NAME, V3,
         "aaa://ecf.ims.example.org"),
    TV_S(CX_AVP_PRIMARY_CHARGING_COLLECTION_FUNCTION_NAME, V3,
         "aaa://ccf.ims.example.org"),
    TV_END,
};

static const struct dcx_tv sadi_aka[] = {
    TV_S(CX_AVP_SIP_AUTHENTICATION_SCHEME, V3, CX_SCHEME_IMS_AKA),
    TV_B(CX_AVP_CONFIDENTIALITY_KEY, V3, "0123456789abcdef", 16),
    TV_B(CX_AVP_INTEGRITY_KEY, V3, "fedcba9876543210", 16),
    TV_END,
};

static const struct dcx_tv ppr[] = {
    HEAD("hss;8;ppr"),
    DEST_HOST,
    DEST_REALM,
    IMPI,
    TV_G(CX_AVP_SUPPORTED_FEATURES, V3, features),
    TV_S(CX_AVP_USER_DATA, V3, "<IMSSubscription/>"),
    TV_G(CX_AVP_CHARGING_INFORMATION, V3, charging),
    TV_G(CX_AVP_SIP_AUTH_DATA_ITEM, V3, sadi_aka),
    TV_G(CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, V3, waf_wwsf),
    TV_END,
};
const struct dcx_sample dcx_sample_ppr = {"3GPP/Push-Profile-Request", ppr};

static size_t tv_len(const struct dcx_tv *tv)
{
    return tv->len != 0 ? tv->len : strlen(tv->s);
}

static int tv_add(msg_or_avp *parent, const struct dcx_tv *tv)
{
    for (; tv->kind != DCX_TV_END; tv++) {
        struct dict_avp_request req = {.avp_vendor = tv->vendor,
                                       .avp_code = tv->code};
        struct dict_object *model = NULL;
        struct avp *avp = NULL;
        union avp_value val;
        int ret;

        memset(&val, 0, sizeof(val));
        ret = fd_dict_search(fd_g_config->cnf_dict, DICT_AVP,
                             AVP_BY_CODE_AND_VENDOR, &req, &model, ENOENT);
        if (ret == 0)
            ret = fd_msg_avp_new(model, 0, &avp);
        if (ret != 0) {
            fprintf(stderr, "no AVP %u/%u: %d\n", tv->code, tv->vendor, ret);
            return ret;
        }
        switch (tv->kind) {
        case DCX_TV_OS:
            val.os.data = (uint8_t *)tv->s;
            val.os.len = tv_len(tv);
            break;
        case DCX_TV_U32:
            val.u32 = (uint32_t)tv->n;
            break;
        case DCX_TV_I32:
            val.i32 = (int32_t)tv->n;
            break;
        case DCX_TV_U64:
            val.u64 = tv->n;
            break;
        default:
            break;
        }
        if (tv->kind == DCX_TV_GROUP)
            ret = tv_add(avp, tv->children);
        else
            ret = fd_msg_avp_setvalue(avp, &val);
        if (ret == 0)
            ret = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, avp);
        if (ret != 0) {
            fd_msg_free(avp);
            return ret;
        }
    }
    return 0;
}

int dcx_test_build(const struct dcx_sample *sample, struct msg **msg)
{
    struct dict_object *cmd = NULL;
    int ret;

    *msg = NULL;
    ret = fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_NAME,
                         sample->cmd_name, &cmd, ENOENT);
    if (ret == 0)
        ret = fd_msg_new(cmd, MSGFL_ALLOC_ETEID, msg);
    if (ret == 0)
        ret = tv_add(*msg, sample->avps);
    if (ret != 0 && *msg != NULL) {
        fd_msg_free(*msg);
        *msg = NULL;
    }
    return ret;
}

int dcx_test_roundtrip(struct msg *msg, struct msg **out)
{
    struct fd_pei pei;
    uint8_t *buf = NULL;
    size_t len = 0;
    int ret;

    *out = NULL;
    ret = fd_msg_bufferize(msg, &buf, &len);
    if (ret != 0)
        return ret;
    ret = fd_msg_parse_buffer(&buf, len, out);
    if (ret != 0) {
        free(buf);
        return ret;
    }
    memset(&pei, 0, sizeof(pei));
    ret = fd_msg_parse_dict(*out, fd_g_config->cnf_dict, &pei);
    if (ret == 0)
        ret = fd_msg_parse_rules(*out, fd_g_config->cnf_dict, &pei);
    if (ret != 0)
        fprintf(stderr, "parse: %d (%s)\n", ret,
                pei.pei_errcode != NULL ? pei.pei_errcode : "-");
    /* On a rules error the parser may build a Failed-AVP for us to free. */
    if (pei.pei_avp_free && pei.pei_avp != NULL)
        fd_msg_free(pei.pei_avp);
    return ret;
}

static int tv_compare(msg_or_avp *parent, const struct dcx_tv *tv)
{
    struct avp *avp = NULL;

    if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &avp, NULL) != 0)
        return -1;
    for (; tv->kind != DCX_TV_END; tv++) {
        struct avp_hdr *h = NULL;
        int same = 0;

        if (avp == NULL || fd_msg_avp_hdr(avp, &h) != 0) {
            fprintf(stderr, "AVP %u missing\n", tv->code);
            return -1;
        }
        if (h->avp_code != tv->code || h->avp_vendor != tv->vendor) {
            fprintf(stderr, "AVP %u/%u where %u/%u expected\n", h->avp_code,
                    h->avp_vendor, tv->code, tv->vendor);
            return -1;
        }
        switch (tv->kind) {
        case DCX_TV_OS:
            same = h->avp_value != NULL && h->avp_value->os.len == tv_len(tv) &&
                   memcmp(h->avp_value->os.data, tv->s, tv_len(tv)) == 0;
            break;
        case DCX_TV_U32:
            same = h->avp_value != NULL && h->avp_value->u32 == tv->n;
            break;
        case DCX_TV_I32:
            same = h->avp_value != NULL && h->avp_value->i32 == (int32_t)tv->n;
            break;
        case DCX_TV_U64:
            same = h->avp_value != NULL && h->avp_value->u64 == tv->n;
            break;
        case DCX_TV_GROUP:
            same = tv_compare(avp, tv->children) == 0;
            break;
        default:
            break;
        }
        if (!same) {
            fprintf(stderr, "AVP %u/%u: value differs\n", tv->code, tv->vendor);
            return -1;
        }
        if (fd_msg_browse(avp, MSG_BRW_NEXT, &avp, NULL) != 0)
            return -1;
    }
    if (avp != NULL) {
        fprintf(stderr, "unexpected extra AVP\n");
        return -1;
    }
    return 0;
}

int dcx_test_compare(struct msg *msg, const struct dcx_sample *sample)
{
    return tv_compare(msg, sample->avps);
}

int dcx_test_sample_ok(const struct dcx_sample *sample)
{
    struct msg *msg = NULL;
    struct msg *out = NULL;
    int ret;

    ret = dcx_test_build(sample, &msg);
    if (ret == 0)
        ret = dcx_test_roundtrip(msg, &out);
    if (ret == 0)
        ret = dcx_test_compare(out, sample);
    if (msg != NULL)
        fd_msg_free(msg);
    if (out != NULL)
        fd_msg_free(out);
    return ret;
}
