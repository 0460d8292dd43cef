/* cx_codec.c - AVP helpers and answer construction shared by every Cx
 * command (see cx_codec.h).
 *
 * Every answer is built here so each one carries Vendor-Specific-
 * Application-Id, Auth-Session-State, Origin-* and exactly one of
 * Result-Code / Experimental-Result (TS 29.229 §6.1, §6.2).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t cx_now(void)
{
    return (int64_t)time(NULL);
}

void cx_deadline(clockid_t clock, long ms, struct timespec *ts)
{
    clock_gettime(clock, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* ---- building ------------------------------------------------------------ */

static int avp_new(uint32_t code, uint32_t vendor, struct avp **out)
{
    struct dict_object *model = cx_dict_avp(code, vendor);

    if (model == NULL)
        return ENOENT;
    return fd_msg_avp_new(model, 0, out);
}

static int add_with_value(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                          union avp_value *val)
{
    struct avp *avp = NULL;
    int rc = avp_new(code, vendor, &avp);

    if (rc != 0)
        return rc;
    if (val != NULL)
        rc = fd_msg_avp_setvalue(avp, val);
    if (rc == 0)
        rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, avp);
    if (rc != 0)
        fd_msg_free(avp);
    return rc;
}

int cx_avp_add_u32(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                   uint32_t value)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    val.u32 = value;
    return add_with_value(parent, code, vendor, &val);
}

int cx_avp_add_bytes(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                     const uint8_t *data, size_t len)
{
    union avp_value val;

    memset(&val, 0, sizeof(val));
    /* setvalue copies the bytes; the cast only satisfies the API's type */
    val.os.data = (uint8_t *)data;
    val.os.len = len;
    return add_with_value(parent, code, vendor, &val);
}

int cx_avp_add_str(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                   const char *value)
{
    if (value == NULL)
        return EINVAL;
    return cx_avp_add_bytes(parent, code, vendor, (const uint8_t *)value,
                            strlen(value));
}

int cx_avp_add_group(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                     struct avp **group)
{
    struct avp *avp = NULL;
    int rc = avp_new(code, vendor, &avp);

    if (rc != 0)
        return rc;
    rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, avp);
    if (rc != 0) {
        fd_msg_free(avp);
        return rc;
    }
    *group = avp;
    return 0;
}

int cx_avp_add_vsai(struct msg *msg)
{
    struct avp *g = NULL;
    int rc =
        cx_avp_add_group(msg, CX_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0, &g);

    if (rc == 0)
        rc = cx_avp_add_u32(g, CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP);
    if (rc == 0)
        rc = cx_avp_add_u32(g, CX_AVP_AUTH_APPLICATION_ID, 0, CX_APP_ID);
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

struct avp *cx_avp_find(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                        struct avp *after)
{
    struct avp *cur = NULL;
    int rc;

    if (after == NULL)
        rc = fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &cur, NULL);
    else
        rc = fd_msg_browse(after, MSG_BRW_NEXT, &cur, NULL);
    while (rc == 0 && cur != NULL) {
        struct avp_hdr *h = NULL;

        if (fd_msg_avp_hdr(cur, &h) == 0 && h->avp_code == code) {
            uint32_t v = (h->avp_flags & AVP_FLAG_VENDOR) ? h->avp_vendor : 0;
            if (v == vendor)
                return cur;
        }
        rc = fd_msg_browse(cur, MSG_BRW_NEXT, &cur, NULL);
    }
    return NULL;
}

size_t cx_avp_count(msg_or_avp *parent, uint32_t code, uint32_t vendor)
{
    size_t n = 0;

    for (struct avp *a = cx_avp_find(parent, code, vendor, NULL); a != NULL;
         a = cx_avp_find(parent, code, vendor, a))
        n++;
    return n;
}

int cx_avp_get_u32(struct avp *avp, uint32_t *out)
{
    struct avp_hdr *h = NULL;

    if (avp == NULL || fd_msg_avp_hdr(avp, &h) != 0 || h->avp_value == NULL)
        return EINVAL;
    *out = h->avp_value->u32;
    return 0;
}

int cx_avp_get_bytes(struct avp *avp, const uint8_t **data, size_t *len)
{
    struct avp_hdr *h = NULL;

    if (avp == NULL || fd_msg_avp_hdr(avp, &h) != 0 || h->avp_value == NULL)
        return EINVAL;
    *data = h->avp_value->os.data;
    *len = h->avp_value->os.len;
    return 0;
}

int cx_avp_get_ident(struct avp *avp, char *out, size_t out_size)
{
    const uint8_t *data = NULL;
    size_t len = 0;

    if (cx_avp_get_bytes(avp, &data, &len) != 0 || len == 0 ||
        len >= out_size || memchr(data, '\0', len) != NULL)
        return EINVAL;
    memcpy(out, data, len);
    out[len] = '\0';
    return 0;
}

/* ---- results ------------------------------------------------------------- */

struct cx_result cx_result_rc(uint32_t rc)
{
    struct cx_result r = {.code = rc, .experimental = false};
    return r;
}

struct cx_result cx_result_er(uint32_t er)
{
    struct cx_result r = {.code = er, .experimental = true};
    return r;
}

struct cx_result cx_result_ok(void)
{
    return cx_result_rc(CX_RC_SUCCESS);
}

struct cx_result cx_result_missing(uint32_t code, uint32_t vendor)
{
    struct cx_result r = cx_result_rc(CX_RC_MISSING_AVP);

    r.failed_code = code;
    r.failed_vendor = vendor;
    return r;
}

struct cx_result cx_result_invalid(struct avp *avp)
{
    struct cx_result r = cx_result_rc(CX_RC_INVALID_AVP_VALUE);

    r.failed_avp = avp;
    return r;
}

bool cx_result_is_success(const struct cx_result *r)
{
    return r->code >= 2000 && r->code < 3000;
}

/* An AVP standing for (code, vendor) in Failed-AVP: a copy of the value of
 * `orig` when given, otherwise an empty value of the AVP's type. */
static int failed_avp_build(struct avp *fa, const struct cx_result *r)
{
    uint32_t code = r->failed_code, vendor = r->failed_vendor;
    union avp_value val, *src = NULL;
    struct dict_avp_data data;
    struct dict_object *model;
    struct avp *copy = NULL;
    int rc;

    if (r->failed_avp != NULL) {
        struct avp_hdr *h = NULL;
        if (fd_msg_avp_hdr(r->failed_avp, &h) != 0)
            return EINVAL;
        code = h->avp_code;
        vendor = (h->avp_flags & AVP_FLAG_VENDOR) ? h->avp_vendor : 0;
        src = h->avp_value;
    }
    model = cx_dict_avp(code, vendor);
    if (model == NULL || fd_dict_getval(model, &data) != 0)
        return ENOENT;
    memset(&val, 0, sizeof(val));
    if (src != NULL)
        val = *src;
    rc = fd_msg_avp_new(model, 0, &copy);
    if (rc != 0)
        return rc;
    if (data.avp_basetype != AVP_TYPE_GROUPED)
        rc = fd_msg_avp_setvalue(copy, &val);
    if (rc == 0)
        rc = fd_msg_avp_add(fa, MSG_BRW_LAST_CHILD, copy);
    if (rc != 0)
        fd_msg_free(copy);
    return rc;
}

int cx_answer_add_result(struct msg *ans, const struct cx_result *r)
{
    int rc;

    if (r->experimental) {
        struct avp *g = NULL;
        rc = cx_avp_add_group(ans, CX_AVP_EXPERIMENTAL_RESULT, 0, &g);
        if (rc == 0)
            rc = cx_avp_add_u32(g, CX_AVP_VENDOR_ID, 0, CX_VENDOR_3GPP);
        if (rc == 0)
            rc = cx_avp_add_u32(g, CX_AVP_EXPERIMENTAL_RESULT_CODE, 0, r->code);
    } else {
        rc = cx_avp_add_u32(ans, CX_AVP_RESULT_CODE, 0, r->code);
        if (rc == 0 && r->code >= 3000 && r->code < 4000) {
            struct msg_hdr *h = NULL;
            if (fd_msg_hdr(ans, &h) == 0)
                h->msg_flags |= CMD_FLAG_ERROR;
        }
    }
    if (rc == 0 && (r->failed_code != 0 || r->failed_avp != NULL)) {
        struct avp *fa = NULL;
        rc = cx_avp_add_group(ans, CX_AVP_FAILED_AVP, 0, &fa);
        if (rc == 0 && failed_avp_build(fa, r) != 0)
            LOG_N("hss_cx: could not fill Failed-AVP for AVP %u",
                  r->failed_code);
    }
    return rc;
}

int cx_answer_new(struct msg **msg, const struct cx_result *r)
{
    struct msg *req = *msg, *ans;
    int rc;

    rc = fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0);
    if (rc != 0)
        return rc;
    ans = *msg;
    rc = cx_avp_add_vsai(ans);
    if (rc == 0)
        rc = cx_answer_add_result(ans, r);
    if (rc == 0)
        rc = cx_avp_add_u32(ans, CX_AVP_AUTH_SESSION_STATE, 0,
                            CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    if (rc == 0)
        rc = fd_msg_add_origin(ans, 0);
    if (rc != 0) {
        /* give the caller its request back, untouched */
        (void)fd_msg_answ_detach(ans);
        fd_msg_free(ans);
        *msg = req;
    }
    return rc;
}

int cx_answer_send(struct msg **msg)
{
    int rc;

    if (*msg == NULL)
        return 0;
    rc = fd_msg_send(msg, NULL, NULL);
    if (rc != 0) {
        LOG_E("hss_cx: sending an answer failed: %s", strerror(rc));
        if (*msg != NULL)
            fd_msg_free(*msg);
    }
    *msg = NULL;
    return 0;
}

int cx_answer_fail(struct msg **msg, enum disp_action *act, const char *why)
{
    struct msg_hdr *h = NULL;
    struct cx_result r = cx_result_rc(CX_RC_UNABLE_TO_COMPLY);

    LOG_E("hss_cx: answering DIAMETER_UNABLE_TO_COMPLY: %s", why);
    if (*msg == NULL)
        return 0;
    if (fd_msg_hdr(*msg, &h) == 0 && !(h->msg_flags & CMD_FLAG_REQUEST)) {
        /* a half-built answer: start again from its request */
        struct msg *req = NULL;
        if (fd_msg_answ_getq(*msg, &req) == 0 && req != NULL &&
            fd_msg_answ_detach(*msg) == 0) {
            fd_msg_free(*msg);
            *msg = req;
        }
    }
    if (cx_answer_new(msg, &r) != 0) {
        /* freeDiameter answers UNABLE_TO_COMPLY itself for DISP_ACT_ERROR
         * when the request is left in *msg */
        *act = DISP_ACT_ERROR;
        return 0;
    }
    *act = DISP_ACT_CONT;
    return cx_answer_send(msg);
}
