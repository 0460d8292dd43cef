/* cx_echo.c - cx_echo.fdx: the baseline of the Cx benchmark.
 *
 * Owns a trivial Cx server: it announces the Cx application and answers
 * every UAR, SAR, LIR and MAR at once with a canned success answer of the
 * same shape as hss_cx's (Vendor-Specific-Application-Id, Auth-Session-
 * State, Origin-*, Result-Code 2001 or Experimental-Result 2001, the echoed
 * identities, a fixed SIP-Auth-Data-Item in MAA, a fixed small User-Data
 * in SAA). No store, no crypto, no state: what is left is freeDiameter's
 * own cost, which cx-bench divides the HSS figures by. Like hss_cx it
 * registers empty per-message hooks, so both runs pay the same framework
 * costs. The fixed bytes are test constants, not secrets.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <freeDiameter/extension.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cx_proto.h"

/* Not declared by freeDiameter 1.2.1's extension.h. */
void fd_ext_fini(void);

static struct disp_hdl *echo_disp[4];
static struct fd_hook_hdl *echo_hook;

static const char ECHO_SERVER[] = "sip:scscf.localdomain";
static const char ECHO_USER_DATA[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><IMSSubscription>"
    "<PrivateID>bench@localdomain</PrivateID><ServiceProfile>"
    "<PublicIdentity><Identity>sip:bench@localdomain</Identity>"
    "</PublicIdentity></ServiceProfile></IMSSubscription>";
/* The shape of an MD5 H(A1): 32 hex digits (a constant, not a secret). */
static const char ECHO_HA1[] = "00112233445566778899aabbccddeeff";

/* ---- AVP helpers ---- */

/* Every AVP the answers use, resolved once at init (like hss_cx's
 * cx_dict) so that the baseline pays no dictionary search per AVP. */
static struct echo_avp {
    uint32_t code, vendor;
    struct dict_object *model;
} echo_avps[] = {
    {CX_AVP_USER_NAME, 0, NULL},
    {CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, NULL},
    {CX_AVP_VENDOR_ID, 0, NULL},
    {CX_AVP_AUTH_APPLICATION_ID, 0, NULL},
    {CX_AVP_AUTH_SESSION_STATE, 0, NULL},
    {CX_AVP_RESULT_CODE, 0, NULL},
    {CX_AVP_EXPERIMENTAL_RESULT, 0, NULL},
    {CX_AVP_EXPERIMENTAL_RESULT_CODE, 0, NULL},
    {CX_AVP_DIGEST_REALM, 0, NULL},
    {CX_AVP_DIGEST_ALGORITHM, 0, NULL},
    {CX_AVP_DIGEST_QOP, 0, NULL},
    {CX_AVP_DIGEST_HA1, 0, NULL},
    {CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, NULL},
    {CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, NULL},
    {CX_AVP_USER_DATA, CX_VENDOR_3GPP, NULL},
    {CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP, NULL},
    {CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, NULL},
    {CX_AVP_SIP_ITEM_NUMBER, CX_VENDOR_3GPP, NULL},
    {CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_VENDOR_3GPP, NULL},
    {CX_AVP_SIP_DIGEST_AUTHENTICATE, CX_VENDOR_3GPP, NULL},
};
#define ECHO_N_AVPS (sizeof(echo_avps) / sizeof(echo_avps[0]))

static int echo_models_init(void)
{
    for (size_t i = 0; i < ECHO_N_AVPS; i++) {
        struct dict_avp_request rq = {.avp_vendor = echo_avps[i].vendor,
                                      .avp_code = echo_avps[i].code};
        int rc = fd_dict_search(fd_g_config->cnf_dict, DICT_AVP,
                                AVP_BY_CODE_AND_VENDOR, &rq,
                                &echo_avps[i].model, ENOENT);
        if (rc != 0) {
            LOG_F("cx_echo: AVP %u (vendor %u) not in the dictionary",
                  echo_avps[i].code, echo_avps[i].vendor);
            return rc;
        }
    }
    return 0;
}

static struct dict_object *echo_model(uint32_t code, uint32_t vendor)
{
    for (size_t i = 0; i < ECHO_N_AVPS; i++)
        if (echo_avps[i].code == code && echo_avps[i].vendor == vendor)
            return echo_avps[i].model;
    return NULL;
}

static int echo_add(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                    union avp_value *val, struct avp **out)
{
    struct dict_object *model = echo_model(code, vendor);
    struct avp *a = NULL;
    int rc;

    if (model == NULL)
        return ENOENT;
    rc = fd_msg_avp_new(model, 0, &a);
    if (rc == 0 && val != NULL)
        rc = fd_msg_avp_setvalue(a, val);
    if (rc == 0)
        rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    if (rc != 0) {
        fd_msg_free(a);
        return rc;
    }
    if (out != NULL)
        *out = a;
    return 0;
}

static int echo_u32(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                    uint32_t v)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.u32 = v;
    return echo_add(parent, code, vendor, &val, NULL);
}

static int echo_os(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                   const uint8_t *data, size_t len)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.os.data = (uint8_t *)data; /* copied by fd_msg_avp_setvalue */
    val.os.len = len;
    return echo_add(parent, code, vendor, &val, NULL);
}

static int echo_str(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                    const char *s)
{
    return echo_os(parent, code, vendor, (const uint8_t *)s, strlen(s));
}

/* Copies the first (code, vendor) AVP of the request into the answer. */
static int echo_copy(struct msg *req, struct msg *ans, uint32_t code,
                     uint32_t vendor)
{
    struct dict_object *model = echo_model(code, vendor);
    struct avp *a = NULL;
    struct avp_hdr *h = NULL;

    if (model == NULL || fd_msg_search_avp(req, model, &a) != 0 || a == NULL)
        return 0; /* absent: nothing to echo */
    if (fd_msg_avp_hdr(a, &h) != 0 || h->avp_value == NULL)
        return 0;
    return echo_os(ans, code, vendor, h->avp_value->os.data,
                   h->avp_value->os.len);
}

/* ---- canned bodies ---- */

static int echo_result(struct msg *ans, uint32_t cmd)
{
    struct avp *g = NULL;
    int rc;

    if (cmd != CX_CMD_UAR)
        return echo_u32(ans, CX_AVP_RESULT_CODE, 0, CX_RC_SUCCESS);
    rc = echo_add(ans, CX_AVP_EXPERIMENTAL_RESULT, 0, NULL, &g);
    if (rc == 0)
        rc = echo_u32(g, CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP);
    if (rc == 0)
        rc = echo_u32(g, CX_AVP_EXPERIMENTAL_RESULT_CODE, 0,
                      CX_ER_FIRST_REGISTRATION);
    return rc;
}

static int echo_auth_item(struct msg *ans)
{
    struct avp *item = NULL, *dig = NULL;
    const uint32_t V = CX_VENDOR_3GPP;
    int rc = echo_u32(ans, CX_AVP_SIP_NUMBER_AUTH_ITEMS, V, 1);

    if (rc == 0)
        rc = echo_add(ans, CX_AVP_SIP_AUTH_DATA_ITEM, V, NULL, &item);
    if (rc == 0)
        rc = echo_u32(item, CX_AVP_SIP_ITEM_NUMBER, V, 1);
    if (rc == 0)
        rc = echo_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, V,
                      CX_SCHEME_SIP_DIGEST);
    if (rc == 0)
        rc = echo_add(item, CX_AVP_SIP_DIGEST_AUTHENTICATE, V, NULL, &dig);
    if (rc == 0)
        rc = echo_str(dig, CX_AVP_DIGEST_REALM, 0, "localdomain");
    if (rc == 0)
        rc = echo_str(dig, CX_AVP_DIGEST_ALGORITHM, 0, "MD5");
    if (rc == 0)
        rc = echo_str(dig, CX_AVP_DIGEST_QOP, 0, CX_DIGEST_QOP_AUTH);
    if (rc == 0)
        rc = echo_str(dig, CX_AVP_DIGEST_HA1, 0, ECHO_HA1);
    return rc;
}

static int echo_body(struct msg *req, struct msg *ans, uint32_t cmd)
{
    const uint32_t V = CX_VENDOR_3GPP;
    int rc = echo_result(ans, cmd);

    if (rc == 0 && cmd != CX_CMD_LIR)
        rc = echo_copy(req, ans, CX_AVP_USER_NAME, 0);
    switch (cmd) {
    case CX_CMD_MAR:
        if (rc == 0)
            rc = echo_copy(req, ans, CX_AVP_PUBLIC_IDENTITY, V);
        if (rc == 0)
            rc = echo_auth_item(ans);
        break;
    case CX_CMD_SAR:
        if (rc == 0)
            rc = echo_str(ans, CX_AVP_USER_DATA, V, ECHO_USER_DATA);
        break;
    default: /* UAA, LIA */
        if (rc == 0)
            rc = echo_str(ans, CX_AVP_SERVER_NAME, V, ECHO_SERVER);
        break;
    }
    return rc;
}

/* ---- dispatch ---- */

static int echo_answer(struct msg **msg, uint32_t cmd)
{
    struct msg *req = *msg;
    struct avp *vsai = NULL;
    int rc = fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0);

    if (rc != 0)
        return rc;
    rc = echo_add(*msg, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, NULL, &vsai);
    if (rc == 0)
        rc = echo_u32(vsai, CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP);
    if (rc == 0)
        rc = echo_u32(vsai, CX_AVP_AUTH_APPLICATION_ID, 0, CX_APP_ID);
    if (rc == 0)
        rc = echo_u32(*msg, CX_AVP_AUTH_SESSION_STATE, 0,
                      CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    if (rc == 0)
        rc = fd_msg_add_origin(*msg, 0);
    if (rc == 0)
        rc = echo_body(req, *msg, cmd);
    return rc;
}

/* Answers (a 5012 if the canned answer cannot be completed) and always
 * returns 0 (STYLE G8); only when not even an empty answer can be made
 * (out of memory) is the request dropped. */
static int echo_cb(struct msg **msg, struct avp *avp, struct session *sess,
                   void *opaque, enum disp_action *act)
{
    static char unable[] = "DIAMETER_UNABLE_TO_COMPLY";
    uint32_t cmd = (uint32_t)(uintptr_t)opaque;
    struct msg_hdr *h = NULL;

    *act = DISP_ACT_CONT;
    if (echo_answer(msg, cmd) != 0) {
        LOG_E("cx_echo: cannot build the answer to command %u", cmd);
        /* still the request when no answer could be made at all */
        if (fd_msg_hdr(*msg, &h) != 0 || (h->msg_flags & CMD_FLAG_REQUEST) ||
            fd_msg_rescode_set(*msg, unable, NULL, NULL, 1) != 0) {
            fd_msg_free(*msg);
            *msg = NULL;
            return 0;
        }
    }
    if (fd_msg_send(msg, NULL, NULL) != 0 && *msg != NULL) {
        fd_msg_free(*msg);
        *msg = NULL;
    }
    return 0;
}

static void echo_quiet_cb(enum fd_hook_type type, struct msg *msg,
                          struct peer_hdr *peer, void *other,
                          struct fd_hook_permsgdata *pmd, void *regdata)
{
}

static int echo_register(struct dict_object *app)
{
    static const uint32_t CMDS[4] = {CX_CMD_UAR, CX_CMD_SAR, CX_CMD_LIR,
                                     CX_CMD_MAR};
    struct disp_when when;
    int rc = 0;

    memset(&when, 0, sizeof(when));
    when.app = app;
    for (size_t i = 0; rc == 0 && i < 4; i++) {
        command_code_t cc = CMDS[i];
        when.command = NULL;
        rc = fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_CODE_R,
                            &cc, &when.command, ENOENT);
        if (rc == 0)
            rc = fd_disp_register(echo_cb, DISP_HOW_CC, &when,
                                  (void *)(uintptr_t)CMDS[i], &echo_disp[i]);
    }
    return rc;
}

static int echo_main(char *conffile)
{
    application_id_t aid = CX_APP_ID;
    vendor_id_t vid = CX_VENDOR_3GPP;
    struct dict_object *app = NULL, *vnd = NULL;
    int rc;

    (void)conffile;
    rc = echo_models_init();
    if (rc == 0)
        rc = fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION,
                            APPLICATION_BY_ID, &aid, &app, ENOENT);
    if (rc == 0)
        rc = fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID,
                            &vid, &vnd, ENOENT);
    if (rc == 0)
        rc = fd_disp_app_support(app, vnd, 1, 0);
    if (rc == 0)
        rc = fd_hook_register(
            HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL,
                      HOOK_MESSAGE_SENDING, HOOK_MESSAGE_SENT,
                      HOOK_MESSAGE_FAILOVER, HOOK_MESSAGE_ROUTING_FORWARD,
                      HOOK_MESSAGE_ROUTING_LOCAL),
            echo_quiet_cb, NULL, NULL, &echo_hook);
    if (rc == 0)
        rc = echo_register(app);
    if (rc != 0) {
        LOG_F("cx_echo: cannot start: %s", strerror(rc));
        fd_ext_fini();
        return rc;
    }
    LOG_N("cx_echo: answering Cx with canned answers (benchmark baseline)");
    return 0;
}

void fd_ext_fini(void)
{
    for (size_t i = 0; i < 4; i++)
        if (echo_disp[i] != NULL)
            (void)fd_disp_unregister(&echo_disp[i], NULL);
    if (echo_hook != NULL)
        (void)fd_hook_unregister(echo_hook);
    echo_hook = NULL;
}

EXTENSION_ENTRY("cx_echo", echo_main, "dict_cx");
