/* cxc_build.c - build UAR/MAR/SAR/LIR requests and RTA/PPA answers.
 *
 * Owns the AVP layout of the requests cx-client sends (TS 29.229 §6.1,
 * the ABNF order of SPEC §5.3), the defaults that make a bare command
 * valid, and --omit / --raw-avp for deliberately malformed requests.
 * Commands and AVPs are found by number (cx_proto.h), never by name.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cx_proto.h"

static int cxc_omitted(const struct cxc_req *r, const char *name)
{
    for (unsigned i = 0; i < r->n_omit; i++)
        if (strcmp(r->omit[i], name) == 0)
            return 1;
    return 0;
}

/* Builder state: the first failure is kept, later adds are skipped. */
struct cxc_b {
    const struct cxc_req *r;
    struct msg *m;
    int rc;
    const char *what;
};

static void cxc_b_str(struct cxc_b *b, void *parent, const char *name,
                      uint32_t code, uint32_t vendor, const char *v)
{
    if (b->rc != 0 || v == NULL || cxc_omitted(b->r, name))
        return;
    b->rc = cx_peer_add_str(parent, code, vendor, v);
    b->what = name;
}

static void cxc_b_u32(struct cxc_b *b, void *parent, const char *name,
                      uint32_t code, uint32_t vendor, long v)
{
    if (b->rc != 0 || v == CXC_NONE || cxc_omitted(b->r, name))
        return;
    b->rc = cx_peer_add_u32(parent, code, vendor, (uint32_t)v);
    b->what = name;
}

static void cxc_b_header(struct cxc_b *b, const struct cxc_opts *o)
{
    const struct cxc_req *r = b->r;
    const char *realm = r->dest_realm ? r->dest_realm : o->peer.hss_realm;

    if (!cxc_omitted(r, "Session-Id")) {
        /* The pid keeps concurrent cx-client processes (same identity,
         * same second) from producing the same Session-Id. */
        char opt[32];
        int n = snprintf(opt, sizeof(opt), "cxc%ld", (long)getpid());
        b->rc = fd_msg_new_session(b->m, (os0_t)opt, (size_t)n);
        b->what = "Session-Id";
    }
    if (b->rc == 0 && !cxc_omitted(r, "Vendor-Specific-Application-Id")) {
        struct avp *g = NULL;
        b->what = "Vendor-Specific-Application-Id";
        b->rc = cx_peer_add_group(b->m, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID,
                                  0, &g);
        if (b->rc == 0)
            b->rc = cx_peer_add_u32(g, CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP);
        if (b->rc == 0)
            b->rc =
                cx_peer_add_u32(g, CX_AVP_AUTH_APPLICATION_ID, 0, CX_APP_ID);
    }
    cxc_b_u32(b, b->m, "Auth-Session-State", CX_AVP_AUTH_SESSION_STATE, 0,
              CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    cxc_b_str(b, b->m, "Origin-Host", CX_AVP_ORIGIN_HOST, 0, o->peer.identity);
    cxc_b_str(b, b->m, "Origin-Realm", CX_AVP_ORIGIN_REALM, 0, o->peer.realm);
    cxc_b_str(b, b->m, "Destination-Host", CX_AVP_DESTINATION_HOST, 0,
              r->dest_host);
    cxc_b_str(b, b->m, "Destination-Realm", CX_AVP_DESTINATION_REALM, 0, realm);
}

static void cxc_b_impus(struct cxc_b *b)
{
    for (unsigned i = 0; i < b->r->n_impu; i++)
        cxc_b_str(b, b->m, "Public-Identity", CX_AVP_PUBLIC_IDENTITY,
                  CX_VENDOR_3GPP, b->r->impu[i]);
}

static void cxc_b_auth_item(struct cxc_b *b)
{
    const struct cxc_req *r = b->r;
    struct avp *g = NULL;

    if (b->rc != 0 || cxc_omitted(r, "SIP-Auth-Data-Item"))
        return;
    b->what = "SIP-Auth-Data-Item";
    b->rc =
        cx_peer_add_group(b->m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, &g);
    if (b->rc != 0)
        return;
    cxc_b_str(b, g, "SIP-Authentication-Scheme",
              CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_VENDOR_3GPP,
              r->scheme ? r->scheme : CX_SCHEME_UNKNOWN);
    if (b->rc == 0 && r->has_authz && !cxc_omitted(r, "SIP-Authorization")) {
        b->what = "SIP-Authorization";
        b->rc = cx_peer_add_os(g, CX_AVP_SIP_AUTHORIZATION, CX_VENDOR_3GPP,
                               r->authz, r->authz_len);
    }
}

/* Body AVPs of each command, in TS 29.229 ABNF order. */
static void cxc_b_body(struct cxc_b *b, const struct cxc_opts *o,
                       const char *server)
{
    const struct cxc_req *r = b->r;
    const uint32_t V = CX_VENDOR_3GPP;

    switch (r->cmd) {
    case CXC_CMD_UAR:
        cxc_b_str(b, b->m, "User-Name", CX_AVP_USER_NAME, 0, r->user_name);
        cxc_b_impus(b);
        cxc_b_str(b, b->m, "Visited-Network-Identifier",
                  CX_AVP_VISITED_NETWORK_IDENTIFIER, V,
                  r->visited_network ? r->visited_network : o->peer.realm);
        cxc_b_u32(b, b->m, "User-Authorization-Type",
                  CX_AVP_USER_AUTHORIZATION_TYPE, V, r->auth_type);
        cxc_b_u32(b, b->m, "UAR-Flags", CX_AVP_UAR_FLAGS, V, r->uar_flags);
        break;
    case CXC_CMD_MAR:
        cxc_b_str(b, b->m, "User-Name", CX_AVP_USER_NAME, 0, r->user_name);
        cxc_b_impus(b);
        cxc_b_auth_item(b);
        cxc_b_u32(b, b->m, "SIP-Number-Auth-Items",
                  CX_AVP_SIP_NUMBER_AUTH_ITEMS, V,
                  r->num_items != CXC_NONE ? r->num_items : 1);
        cxc_b_str(b, b->m, "Server-Name", CX_AVP_SERVER_NAME, V, server);
        break;
    case CXC_CMD_SAR:
        cxc_b_str(b, b->m, "User-Name", CX_AVP_USER_NAME, 0, r->user_name);
        cxc_b_impus(b);
        cxc_b_str(b, b->m, "Server-Name", CX_AVP_SERVER_NAME, V, server);
        cxc_b_u32(b, b->m, "Server-Assignment-Type",
                  CX_AVP_SERVER_ASSIGNMENT_TYPE, V,
                  r->sat != CXC_NONE ? r->sat : CX_SAT_REGISTRATION);
        cxc_b_u32(b, b->m, "User-Data-Already-Available",
                  CX_AVP_USER_DATA_ALREADY_AVAILABLE, V,
                  r->udaa != CXC_NONE ? r->udaa
                                      : CX_UDAA_USER_DATA_NOT_AVAILABLE);
        break;
    case CXC_CMD_LIR:
        cxc_b_u32(b, b->m, "Originating-Request", CX_AVP_ORIGINATING_REQUEST, V,
                  r->originating);
        cxc_b_impus(b);
        cxc_b_u32(b, b->m, "User-Authorization-Type",
                  CX_AVP_USER_AUTHORIZATION_TYPE, V, r->auth_type);
        break;
    case CXC_CMD_LISTEN:
        break;
    }
}

static void cxc_b_raw(struct cxc_b *b)
{
    for (unsigned i = 0; i < b->r->n_raw && b->rc == 0; i++) {
        const struct cxc_raw *x = &b->r->raw[i];
        b->what = "--raw-avp";
        b->rc = cx_peer_add_raw(b->m, x->code, x->vendor, x->mandatory, x->data,
                                x->len);
    }
}

int cxc_build(const struct cxc_req *r, const struct cxc_opts *o,
              struct msg **out, char *err, size_t errlen)
{
    static const uint32_t codes[] = {
        [CXC_CMD_UAR] = CX_CMD_UAR,
        [CXC_CMD_SAR] = CX_CMD_SAR,
        [CXC_CMD_LIR] = CX_CMD_LIR,
        [CXC_CMD_MAR] = CX_CMD_MAR,
    };
    struct cxc_b b = {r, NULL, 0, "command"};
    struct dict_object *cmd;
    char server[300];

    *out = NULL;
    if (r->cmd == CXC_CMD_LISTEN)
        return EINVAL;
    cmd = cx_peer_cmd_req(codes[r->cmd]);
    if (cmd == NULL) {
        (void)snprintf(err, errlen,
                       "command %u not in the dictionary (is "
                       "dict_cx.fdx loaded?)",
                       codes[r->cmd]);
        return ENOENT;
    }
    if (snprintf(server, sizeof(server), "sip:%s", o->peer.identity) >=
        (int)sizeof(server))
        return ENAMETOOLONG;
    b.rc = fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &b.m);
    if (b.rc == 0)
        cxc_b_header(&b, o);
    cxc_b_body(&b, o, r->server_name ? r->server_name : server);
    cxc_b_raw(&b);
    if (b.rc != 0) {
        (void)snprintf(err, errlen, "cannot add %s: %s%s", b.what,
                       strerror(b.rc),
                       b.rc == ENOENT ? " (AVP not in dictionary)" : "");
        if (b.m != NULL)
            fd_msg_free(b.m);
        return b.rc;
    }
    *out = b.m;
    return 0;
}

int cxc_build_answer(struct msg **req, uint32_t rc)
{
    struct msg *ans = *req;
    int e = fd_msg_new_answer_from_req(cx_peer_dict(), &ans, 0);

    if (e != 0)
        return e;
    *req = ans; /* the request is now attached to the answer */
    e = cx_peer_add_cx_app(ans);
    if (e == 0)
        e = cx_peer_add_u32(ans, CX_AVP_RESULT_CODE, 0, rc);
    if (e == 0)
        e = fd_msg_add_origin(ans, 0);
    return e;
}
