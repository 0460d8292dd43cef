/* cx_peer_avp.c - dictionary look-ups and AVP builders for Cx clients.
 *
 * Owns: finding commands, applications and AVP models by number (so that
 * callers depend only on cx_proto.h, not on dictionary names), adding
 * typed AVPs to messages, and injecting raw AVPs the dictionary does not
 * know (defined on the fly in our own dictionary as OctetString).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_peer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cx_proto.h"

struct dictionary *cx_peer_dict(void)
{
    return fd_g_config ? fd_g_config->cnf_dict : NULL;
}

struct dict_object *cx_peer_cmd_req(uint32_t code)
{
    struct dict_object *o = NULL;
    command_code_t cc = code;

    (void)fd_dict_search(cx_peer_dict(), DICT_COMMAND, CMD_BY_CODE_R, &cc, &o,
                         ENOENT);
    return o;
}

struct dict_object *cx_peer_app(uint32_t app_id)
{
    struct dict_object *o = NULL;
    application_id_t id = app_id;

    (void)fd_dict_search(cx_peer_dict(), DICT_APPLICATION, APPLICATION_BY_ID,
                         &id, &o, ENOENT);
    return o;
}

struct dict_object *cx_peer_avp_model(uint32_t code, uint32_t vendor)
{
    struct dict_object *o = NULL;
    struct dict_avp_request rq = {.avp_vendor = vendor, .avp_code = code};

    (void)fd_dict_search(cx_peer_dict(), DICT_AVP, AVP_BY_CODE_AND_VENDOR, &rq,
                         &o, ENOENT);
    return o;
}

static int cx_peer_add_value(void *parent, uint32_t code, uint32_t vendor,
                             union avp_value *val)
{
    struct dict_object *model = cx_peer_avp_model(code, vendor);
    struct avp *a = NULL;
    int rc;

    if (model == NULL)
        return ENOENT;
    rc = fd_msg_avp_new(model, 0, &a);
    if (rc != 0)
        return rc;
    rc = fd_msg_avp_setvalue(a, val);
    if (rc == 0)
        rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    if (rc != 0)
        fd_msg_free(a);
    return rc;
}

int cx_peer_add_u32(void *parent, uint32_t code, uint32_t vendor, uint32_t v)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.u32 = v;
    return cx_peer_add_value(parent, code, vendor, &val);
}

int cx_peer_add_os(void *parent, uint32_t code, uint32_t vendor,
                   const uint8_t *data, size_t len)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.os.data = (uint8_t *)data; /* copied by fd_msg_avp_setvalue */
    val.os.len = len;
    return cx_peer_add_value(parent, code, vendor, &val);
}

int cx_peer_add_str(void *parent, uint32_t code, uint32_t vendor, const char *s)
{
    return cx_peer_add_os(parent, code, vendor, (const uint8_t *)s, strlen(s));
}

int cx_peer_add_group(void *parent, uint32_t code, uint32_t vendor,
                      struct avp **group)
{
    struct dict_object *model = cx_peer_avp_model(code, vendor);
    struct avp *a = NULL;
    int rc;

    *group = NULL;
    if (model == NULL)
        return ENOENT;
    rc = fd_msg_avp_new(model, 0, &a);
    if (rc != 0)
        return rc;
    rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    if (rc != 0) {
        fd_msg_free(a);
        return rc;
    }
    *group = a;
    return 0;
}

/* Defines vendor and AVP (OctetString, no fixed flags) in our local
 * dictionary when the dictionary does not know them. */
static struct dict_object *cx_peer_raw_model(uint32_t code, uint32_t vendor)
{
    struct dict_object *model = cx_peer_avp_model(code, vendor);
    struct dict_object *vnd = NULL;
    char vname[32], aname[48];
    struct dict_vendor_data vd = {vendor, vname};
    uint8_t v = vendor != 0 ? AVP_FLAG_VENDOR : 0;
    struct dict_avp_data ad = {code, vendor, aname, v, v, AVP_TYPE_OCTETSTRING};

    if (model != NULL)
        return model;
    (void)snprintf(vname, sizeof(vname), "cx-client-vendor-%u", vendor);
    (void)snprintf(aname, sizeof(aname), "cx-client-raw-%u-%u", vendor, code);
    if (vendor != 0) {
        (void)fd_dict_search(cx_peer_dict(), DICT_VENDOR, VENDOR_BY_ID, &vendor,
                             &vnd, ENOENT);
        if (vnd == NULL &&
            fd_dict_new(cx_peer_dict(), DICT_VENDOR, &vd, NULL, &vnd) != 0)
            return NULL;
    }
    if (fd_dict_new(cx_peer_dict(), DICT_AVP, &ad, NULL, &model) != 0)
        return NULL;
    return model;
}

/* Wire bytes (network order) -> value of the model's base type. */
static int cx_peer_raw_value(enum dict_avp_basetype t, const uint8_t *d,
                             size_t len, union avp_value *v)
{
    uint64_t x = 0;

    memset(v, 0, sizeof(*v));
    switch (t) {
    case AVP_TYPE_OCTETSTRING:
        v->os.data = (uint8_t *)d; /* copied by fd_msg_avp_setvalue */
        v->os.len = len;
        return 0;
    case AVP_TYPE_INTEGER32:
    case AVP_TYPE_UNSIGNED32:
    case AVP_TYPE_FLOAT32:
        if (len != 4)
            return EINVAL;
        break;
    case AVP_TYPE_INTEGER64:
    case AVP_TYPE_UNSIGNED64:
    case AVP_TYPE_FLOAT64:
        if (len != 8)
            return EINVAL;
        break;
    case AVP_TYPE_GROUPED:
        return EINVAL;
    }
    for (size_t i = 0; i < len; i++)
        x = (x << 8) | d[i];
    /* The union members share storage: u32 also sets the bits of i32 and
     * f32, u64 those of i64 and f64. */
    if (len == 4)
        v->u32 = (uint32_t)x;
    else
        v->u64 = x;
    return 0;
}

int cx_peer_add_raw(void *parent, uint32_t code, uint32_t vendor, int mandatory,
                    const uint8_t *data, size_t len)
{
    struct dict_object *model = cx_peer_avp_model(code, vendor);
    struct dict_avp_data ad;
    struct avp_hdr *h = NULL;
    struct avp *a = NULL;
    union avp_value val;
    int rc;

    if (model == NULL)
        model = cx_peer_raw_model(code, vendor);
    if (model == NULL || fd_dict_getval(model, &ad) != 0)
        return ENOENT;
    rc = cx_peer_raw_value(ad.avp_basetype, data, len, &val);
    if (rc != 0)
        return rc;
    rc = fd_msg_avp_new(model, 0, &a);
    if (rc != 0)
        return rc;
    rc = fd_msg_avp_setvalue(a, &val);
    if (rc == 0)
        rc = fd_msg_avp_hdr(a, &h);
    if (rc == 0) {
        if (mandatory == 0)
            h->avp_flags &= (uint8_t)~AVP_FLAG_MANDATORY;
        else if (mandatory > 0)
            h->avp_flags |= AVP_FLAG_MANDATORY;
        rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
    }
    if (rc != 0)
        fd_msg_free(a);
    return rc;
}

int cx_peer_add_cx_app(void *parent)
{
    struct avp *vsai = NULL;
    int rc = cx_peer_add_group(parent, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0,
                               &vsai);

    if (rc == 0)
        rc = cx_peer_add_u32(vsai, CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP);
    if (rc == 0)
        rc = cx_peer_add_u32(vsai, CX_AVP_AUTH_APPLICATION_ID, 0, CX_APP_ID);
    if (rc == 0)
        rc = cx_peer_add_u32(parent, CX_AVP_AUTH_SESSION_STATE, 0,
                             CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    return rc;
}
