/* cxb_build.c - the requests cx-bench sends and the result it reads back.
 *
 * Owns the AVP layout of each benchmark request (TS 29.229 §6.1, the same
 * layout as cx-client's) for user number N (bench{N}@domain,
 * sip:bench{N}@domain), and reading Result-Code / Experimental-Result-Code
 * out of an answer. Every dictionary object is resolved once by
 * cxb_build_init, so that the load generator spends its share of the
 * shared CPU on freeDiameter's work, not on dictionary searches.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxb.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cx_proto.h"

enum cxb_avp_ix {
    A_SESSION_ID,
    A_VSAI,
    A_VENDOR_ID,
    A_AUTH_APP_ID,
    A_AUTH_SESSION_STATE,
    A_ORIGIN_HOST,
    A_ORIGIN_REALM,
    A_DEST_REALM,
    A_USER_NAME,
    A_RESULT_CODE,
    A_EXP_RESULT,
    A_PUBLIC_IDENTITY,
    A_VISITED_NETWORK,
    A_USER_AUTH_TYPE,
    A_AUTH_ITEM,
    A_AUTH_SCHEME,
    A_NUM_ITEMS,
    A_SERVER_NAME,
    A_SAT,
    A_UDAA,
    A_ORIGINATING,
    A_N
};

static const struct {
    uint32_t code, vendor;
} cxb_avp_ids[A_N] = {
    [A_SESSION_ID] = {CX_AVP_SESSION_ID, 0},
    [A_VSAI] = {CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0},
    [A_VENDOR_ID] = {CX_AVP_VENDOR_ID, 0},
    [A_AUTH_APP_ID] = {CX_AVP_AUTH_APPLICATION_ID, 0},
    [A_AUTH_SESSION_STATE] = {CX_AVP_AUTH_SESSION_STATE, 0},
    [A_ORIGIN_HOST] = {CX_AVP_ORIGIN_HOST, 0},
    [A_ORIGIN_REALM] = {CX_AVP_ORIGIN_REALM, 0},
    [A_DEST_REALM] = {CX_AVP_DESTINATION_REALM, 0},
    [A_USER_NAME] = {CX_AVP_USER_NAME, 0},
    [A_RESULT_CODE] = {CX_AVP_RESULT_CODE, 0},
    [A_EXP_RESULT] = {CX_AVP_EXPERIMENTAL_RESULT, 0},
    [A_PUBLIC_IDENTITY] = {CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP},
    [A_VISITED_NETWORK] = {CX_AVP_VISITED_NETWORK_IDENTIFIER, CX_VENDOR_3GPP},
    [A_USER_AUTH_TYPE] = {CX_AVP_USER_AUTHORIZATION_TYPE, CX_VENDOR_3GPP},
    [A_AUTH_ITEM] = {CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP},
    [A_AUTH_SCHEME] = {CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_VENDOR_3GPP},
    [A_NUM_ITEMS] = {CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP},
    [A_SERVER_NAME] = {CX_AVP_SERVER_NAME, CX_VENDOR_3GPP},
    [A_SAT] = {CX_AVP_SERVER_ASSIGNMENT_TYPE, CX_VENDOR_3GPP},
    [A_UDAA] = {CX_AVP_USER_DATA_ALREADY_AVAILABLE, CX_VENDOR_3GPP},
    [A_ORIGINATING] = {CX_AVP_ORIGINATING_REQUEST, CX_VENDOR_3GPP},
};

/* Read-only after cxb_build_init (shared by the sender and the answer
 * callbacks without locks). */
static struct {
    struct dict_object *avp[A_N];
    struct dict_object *cmd[4]; /* UAR, SAR, LIR, MAR: code - 300 */
    const struct cxb_opts *o;
} cxb_d;

int cxb_build_init(const struct cxb_opts *o, char *err, size_t errlen)
{
    for (size_t i = 0; i < A_N; i++) {
        cxb_d.avp[i] =
            cx_peer_avp_model(cxb_avp_ids[i].code, cxb_avp_ids[i].vendor);
        if (cxb_d.avp[i] == NULL) {
            (void)snprintf(err, errlen,
                           "AVP %u (vendor %u) not in the "
                           "dictionary (is dict_cx.fdx loaded?)",
                           cxb_avp_ids[i].code, cxb_avp_ids[i].vendor);
            return ENOENT;
        }
    }
    for (uint32_t c = 0; c < 4; c++) {
        cxb_d.cmd[c] = cx_peer_cmd_req(CX_CMD_UAR + c);
        if (cxb_d.cmd[c] == NULL) {
            (void)snprintf(err, errlen, "command %u not in the dictionary",
                           CX_CMD_UAR + c);
            return ENOENT;
        }
    }
    cxb_d.o = o;
    return 0;
}

/* ---- builders ---- */

/* Builder state: the first failure is kept, later adds are skipped. */
struct cxb_b {
    struct msg *m;
    int rc;
};

static struct avp *cxb_add(struct cxb_b *b, msg_or_avp *parent,
                           enum cxb_avp_ix ix, union avp_value *val)
{
    struct avp *a = NULL;

    if (b->rc != 0)
        return NULL;
    b->rc = fd_msg_avp_new(cxb_d.avp[ix], 0, &a);
    if (b->rc == 0 && val != NULL)
        b->rc = fd_msg_avp_setvalue(a, val);
    if (b->rc == 0)
        b->rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    if (b->rc != 0) {
        if (a != NULL)
            fd_msg_free(a);
        return NULL;
    }
    return a;
}

static void cxb_u32(struct cxb_b *b, msg_or_avp *parent, enum cxb_avp_ix ix,
                    uint32_t v)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.u32 = v;
    (void)cxb_add(b, parent, ix, &val);
}

static void cxb_str(struct cxb_b *b, msg_or_avp *parent, enum cxb_avp_ix ix,
                    const char *s)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.os.data = (uint8_t *)s; /* copied by fd_msg_avp_setvalue */
    val.os.len = strlen(s);
    (void)cxb_add(b, parent, ix, &val);
}

static void cxb_header(struct cxb_b *b)
{
    const struct cx_peer_conf *p = &cxb_d.o->peer;
    struct avp *vsai;

    b->rc = fd_msg_new_session(b->m, (os0_t) "cxb", 3);
    vsai = cxb_add(b, b->m, A_VSAI, NULL);
    if (vsai != NULL) {
        cxb_u32(b, vsai, A_VENDOR_ID, CX_VENDOR_3GPP);
        cxb_u32(b, vsai, A_AUTH_APP_ID, CX_APP_ID);
    }
    cxb_u32(b, b->m, A_AUTH_SESSION_STATE,
            CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    cxb_str(b, b->m, A_ORIGIN_HOST, p->identity);
    cxb_str(b, b->m, A_ORIGIN_REALM, p->realm);
    cxb_str(b, b->m, A_DEST_REALM, p->hss_realm);
}

static void cxb_mar_body(struct cxb_b *b, const char *scheme)
{
    struct avp *item = cxb_add(b, b->m, A_AUTH_ITEM, NULL);

    if (item != NULL)
        cxb_str(b, item, A_AUTH_SCHEME, scheme);
    cxb_u32(b, b->m, A_NUM_ITEMS, 1);
    cxb_str(b, b->m, A_SERVER_NAME, cxb_d.o->server_name);
}

static void cxb_body(struct cxb_b *b, enum cxb_step step, const char *impi,
                     const char *impu)
{
    if (step != CXB_LIR)
        cxb_str(b, b->m, A_USER_NAME, impi);
    else
        cxb_u32(b, b->m, A_ORIGINATING, CX_ORIGINATING_REQUEST_ORIGINATING);
    cxb_str(b, b->m, A_PUBLIC_IDENTITY, impu);
    switch (step) {
    case CXB_UAR:
        cxb_str(b, b->m, A_VISITED_NETWORK, cxb_d.o->peer.realm);
        cxb_u32(b, b->m, A_USER_AUTH_TYPE, CX_UAT_REGISTRATION);
        break;
    case CXB_MAR_DIGEST:
        cxb_mar_body(b, CX_SCHEME_SIP_DIGEST);
        break;
    case CXB_MAR_AKA:
        cxb_mar_body(b, CX_SCHEME_IMS_AKA);
        break;
    case CXB_SAR_REG:
    case CXB_SAR_REREG:
        cxb_str(b, b->m, A_SERVER_NAME, cxb_d.o->server_name);
        cxb_u32(b, b->m, A_SAT,
                step == CXB_SAR_REG ? CX_SAT_REGISTRATION
                                    : CX_SAT_RE_REGISTRATION);
        cxb_u32(b, b->m, A_UDAA,
                step == CXB_SAR_REG ? CX_UDAA_USER_DATA_NOT_AVAILABLE
                                    : CX_UDAA_USER_DATA_ALREADY_AVAILABLE);
        break;
    case CXB_LIR:
    case CXB_N_STEPS:
        break;
    }
}

int cxb_build(enum cxb_step step, uint64_t n, struct msg **out)
{
    static const uint32_t CODES[CXB_N_STEPS] = {
        [CXB_UAR] = CX_CMD_UAR,       [CXB_MAR_DIGEST] = CX_CMD_MAR,
        [CXB_MAR_AKA] = CX_CMD_MAR,   [CXB_SAR_REG] = CX_CMD_SAR,
        [CXB_SAR_REREG] = CX_CMD_SAR, [CXB_LIR] = CX_CMD_LIR,
    };
    struct cxb_b b = {NULL, 0};
    char impi[128], impu[136];
    const char *dom = cxb_d.o->domain;

    *out = NULL;
    if ((unsigned)step >= CXB_N_STEPS)
        return EINVAL;
    if (snprintf(impi, sizeof(impi), "bench%" PRIu64 "@%s", n, dom) >=
            (int)sizeof(impi) ||
        snprintf(impu, sizeof(impu), "sip:bench%" PRIu64 "@%s", n, dom) >=
            (int)sizeof(impu))
        return ENAMETOOLONG;
    b.rc = fd_msg_new(cxb_d.cmd[CODES[step] - CX_CMD_UAR], MSGFL_ALLOC_ETEID,
                      &b.m);
    if (b.rc == 0)
        cxb_header(&b);
    cxb_body(&b, step, impi, impu);
    if (b.rc != 0) {
        if (b.m != NULL)
            fd_msg_free(b.m);
        return b.rc;
    }
    *out = b.m;
    return 0;
}

/* ---- answers ---- */

static uint32_t cxb_avp_u32(struct avp *a)
{
    struct avp_hdr *h = NULL;

    if (fd_msg_avp_hdr(a, &h) != 0 || h->avp_value == NULL)
        return 0;
    return h->avp_value->u32;
}

/* libfdproto 1.2.1 searches messages only: the Experimental-Result-Code
 * inside the grouped AVP is found by walking its children (bounded). */
static uint32_t cxb_er_code(struct avp *er)
{
    struct avp *c = NULL;
    struct avp_hdr *h = NULL;

    if (fd_msg_browse(er, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
        return 0;
    for (unsigned i = 0; c != NULL && i < 16; i++) {
        if (fd_msg_avp_hdr(c, &h) == 0 &&
            h->avp_code == CX_AVP_EXPERIMENTAL_RESULT_CODE)
            return cxb_avp_u32(c);
        if (fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL) != 0)
            return 0;
    }
    return 0;
}

uint32_t cxb_result_code(struct msg *ans, int *experimental)
{
    struct avp *a = NULL;

    *experimental = 0;
    if (fd_msg_search_avp(ans, cxb_d.avp[A_RESULT_CODE], &a) == 0 && a != NULL)
        return cxb_avp_u32(a);
    a = NULL;
    if (fd_msg_search_avp(ans, cxb_d.avp[A_EXP_RESULT], &a) != 0 || a == NULL)
        return 0;
    *experimental = 1;
    return cxb_er_code(a);
}
