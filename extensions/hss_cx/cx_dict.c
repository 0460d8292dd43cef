/* cx_dict.c - resolves the dictionary objects hss_cx uses, once, at init.
 *
 * After cx_dict_init() the tables below are read-only, so dispatch threads
 * share them without locks (STYLE G15). AVPs are indexed directly by code:
 * base/imported AVPs (vendor 0) by code < 700, 3GPP AVPs 600..699.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_codec.h"

#include <errno.h>

#define BASE_MAX 700u
#define TGPP_MIN 600u
#define TGPP_MAX 700u

static struct dict_object *g_avp_base[BASE_MAX];
static struct dict_object *g_avp_3gpp[TGPP_MAX - TGPP_MIN];
static struct dict_object *g_avp_etsi_line_id;
static struct dict_object *g_cmd_req[6];
static struct dict_object *g_cmd_ans[6];
static struct dict_object *g_app;

/* Vendor-0 AVPs the extension reads or writes. */
static const uint32_t BASE_AVPS[] = {
    CX_AVP_USER_NAME,           CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID,
    CX_AVP_SESSION_ID,          CX_AVP_ORIGIN_HOST,
    CX_AVP_VENDOR_ID,           CX_AVP_RESULT_CODE,
    CX_AVP_AUTH_SESSION_STATE,  CX_AVP_AUTH_APPLICATION_ID,
    CX_AVP_FAILED_AVP,          CX_AVP_DESTINATION_REALM,
    CX_AVP_DESTINATION_HOST,    CX_AVP_ORIGIN_REALM,
    CX_AVP_EXPERIMENTAL_RESULT, CX_AVP_EXPERIMENTAL_RESULT_CODE,
    CX_AVP_DIGEST_REALM,        CX_AVP_DIGEST_QOP,
    CX_AVP_DIGEST_ALGORITHM,    CX_AVP_DIGEST_HA1,
};

static int find_avp(uint32_t code, uint32_t vendor, struct dict_object **out)
{
    struct dict_avp_request req = {.avp_vendor = vendor, .avp_code = code};
    int rc = fd_dict_search(fd_g_config->cnf_dict, DICT_AVP,
                            AVP_BY_CODE_AND_VENDOR, &req, out, ENOENT);

    if (rc != 0)
        LOG_E("hss_cx: AVP %u (vendor %u) is not in the dictionary; is "
              "dict_cx.fdx loaded?",
              code, vendor);
    return rc;
}

int cx_dict_init(void)
{
    application_id_t app_id = CX_APP_ID;
    int rc;

    rc = fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION,
                        APPLICATION_BY_ID, &app_id, &g_app, ENOENT);
    if (rc != 0) {
        LOG_E("hss_cx: Cx application %u not in the dictionary; load "
              "dict_cx.fdx before hss_cx.fdx",
              CX_APP_ID);
        return rc;
    }
    for (uint32_t i = 0; i < 6; i++) {
        command_code_t code = CX_CMD_UAR + i;

        rc = fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_CODE_R,
                            &code, &g_cmd_req[i], ENOENT);
        if (rc == 0)
            rc = fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
                                CMD_BY_CODE_A, &code, &g_cmd_ans[i], ENOENT);
        if (rc != 0) {
            LOG_E("hss_cx: Cx command %u not in the dictionary", code);
            return rc;
        }
    }
    for (size_t i = 0; i < sizeof(BASE_AVPS) / sizeof(BASE_AVPS[0]); i++) {
        rc = find_avp(BASE_AVPS[i], 0, &g_avp_base[BASE_AVPS[i]]);
        if (rc != 0)
            return rc;
    }
    for (uint32_t code = TGPP_MIN; code <= CX_AVP_PCSCF_IP_ADDRESS; code++) {
        if (code == 627) /* User-Data-Request-Type: removed from Cx */
            continue;
        rc = find_avp(code, CX_VENDOR_3GPP, &g_avp_3gpp[code - TGPP_MIN]);
        if (rc != 0)
            return rc;
    }
    (void)find_avp(CX_AVP_LINE_IDENTIFIER, CX_VENDOR_ETSI, &g_avp_etsi_line_id);
    return 0;
}

struct dict_object *cx_dict_avp(uint32_t code, uint32_t vendor)
{
    if (vendor == 0 && code < BASE_MAX)
        return g_avp_base[code];
    if (vendor == CX_VENDOR_3GPP && code >= TGPP_MIN && code < TGPP_MAX)
        return g_avp_3gpp[code - TGPP_MIN];
    if (vendor == CX_VENDOR_ETSI && code == CX_AVP_LINE_IDENTIFIER)
        return g_avp_etsi_line_id;
    return NULL;
}

struct dict_object *cx_dict_cmd(uint32_t code, bool is_request)
{
    if (code < CX_CMD_UAR || code > CX_CMD_PPR)
        return NULL;
    return is_request ? g_cmd_req[code - CX_CMD_UAR]
                      : g_cmd_ans[code - CX_CMD_UAR];
}

struct dict_object *cx_dict_app(void)
{
    return g_app;
}
