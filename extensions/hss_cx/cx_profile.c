/* cx_profile.c - what the S-CSCF receives about a subscription: the
 * User-Data XML (TS 29.228 Annex E, CxDataType_Rel7 schema; SPEC §5.11),
 * Charging-Information (TS 29.229 §6.3.19) and Allowed-WAF-WWSF-Identities
 * (TS 29.229 §6.3.64-66, TS 33.203 Annex X).
 *
 * The XML goes through a small bounded builder: every text value is escaped
 * (& < > " '), the document is capped at CX_USERDATA_MAX bytes and any
 * overflow or allocation failure is an error, never a truncated document.
 * Element order follows the schema:
 *   IMSSubscription { PrivateID, ServiceProfile+ }
 *   ServiceProfile  { PublicIdentity+, CoreNetworkServicesAuthorization?,
 *                     InitialFilterCriteria* }
 *   PublicIdentity  { BarringIndication?, Identity,
 *                     Extension { IdentityType, WildcardedPSI?,
 *                                 Extension { DisplayName } ? } }
 * The operator's <InitialFilterCriteria> fragments were validated at
 * provisioning and are inserted verbatim.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hss_store.h"

#define CX_USERDATA_MAX (1024u * 1024u)

/* ---- bounded, escaping text builder ---------------------------------------
 */

struct cx_xb {
    char *buf;
    size_t len;
    size_t cap;
    int err; /* first error (ENOMEM, EINVAL); later appends are no-ops */
};

static void xb_raw(struct cx_xb *b, const char *s, size_t n)
{
    size_t need;

    if (b->err != 0)
        return;
    if (n > CX_USERDATA_MAX - b->len - 1 || b->len >= CX_USERDATA_MAX) {
        b->err = ENOMEM;
        return;
    }
    need = b->len + n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        char *p;

        while (cap < need)
            cap *= 2;
        if (cap > CX_USERDATA_MAX)
            cap = CX_USERDATA_MAX;
        p = realloc(b->buf, cap);
        if (p == NULL) {
            b->err = ENOMEM;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void xb_str(struct cx_xb *b, const char *s)
{
    xb_raw(b, s, strlen(s));
}

/* Escaped text. Control characters other than TAB, LF, CR cannot appear in
 * an XML 1.0 document at all, so they are an error (EINVAL). */
static void xb_text(struct cx_xb *b, const char *s)
{
    const char *run = s;

    for (; *s != '\0'; s++) {
        const char *rep = NULL;
        unsigned char c = (unsigned char)*s;

        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                if (b->err == 0)
                    b->err = EINVAL;
                return;
            }
            continue;
        }
        xb_raw(b, run, (size_t)(s - run));
        xb_str(b, rep);
        run = s + 1;
    }
    xb_raw(b, run, (size_t)(s - run));
}

static void xb_elem(struct cx_xb *b, const char *name, const char *text)
{
    xb_str(b, "<");
    xb_str(b, name);
    xb_str(b, ">");
    xb_text(b, text);
    xb_str(b, "</");
    xb_str(b, name);
    xb_str(b, ">");
}

static void xb_elem_int(struct cx_xb *b, const char *name, int64_t v)
{
    char num[24];

    snprintf(num, sizeof(num), "%" PRId64, v);
    xb_elem(b, name, num);
}

/* ---- collecting the subscription -------------------------------------------
 */

struct cx_prof_set {
    struct hss_service_profile *p; /* ifc_xml owned here */
    size_t n, cap;
    struct hss_impu *u;
    size_t nu, capu;
    bool nomem;
};

static void *grow(void *arr, size_t *cap, size_t n, size_t elem)
{
    size_t c = *cap ? *cap * 2 : 8;
    void *p;

    if (n < *cap)
        return arr;
    p = realloc(arr, c * elem);
    if (p != NULL)
        *cap = c;
    return p;
}

static int profile_cb(void *ctx, const struct hss_service_profile *p)
{
    struct cx_prof_set *set = ctx;
    struct hss_service_profile *arr =
        grow(set->p, &set->cap, set->n, sizeof(*arr));

    if (arr == NULL) {
        free(p->ifc_xml); /* ownership came with the callback */
        set->nomem = true;
        return 1;
    }
    set->p = arr;
    arr[set->n++] = *p;
    return 0;
}

static int impu_cb(void *ctx, const struct hss_impu *u)
{
    struct cx_prof_set *set = ctx;
    struct hss_impu *arr = grow(set->u, &set->capu, set->nu, sizeof(*arr));

    if (arr == NULL) {
        set->nomem = true;
        return 1;
    }
    set->u = arr;
    arr[set->nu++] = *u;
    return 0;
}

static void prof_set_free(struct cx_prof_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->p[i].ifc_xml);
    free(set->p);
    free(set->u);
}

/* The profile index an IMPU belongs to: its own, else the default (0). */
static size_t profile_of(const struct cx_prof_set *set,
                         const struct hss_impu *u)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->p[i].id == u->service_profile_id)
            return i;
    return 0;
}

static void public_identity(struct cx_xb *b, const struct hss_impu *u)
{
    xb_str(b, "<PublicIdentity>");
    if (u->barred)
        xb_str(b, "<BarringIndication>1</BarringIndication>");
    xb_elem(b, "Identity", u->name);
    xb_str(b, "<Extension>");
    xb_elem_int(b, "IdentityType", (int64_t)u->type);
    if (u->type == HSS_ID_WILDCARDED_PSI)
        xb_elem(b, "WildcardedPSI", u->name);
    if (u->display_name[0] != '\0') {
        xb_str(b, "<Extension>");
        xb_elem(b, "DisplayName", u->display_name);
        xb_str(b, "</Extension>");
    }
    xb_str(b, "</Extension></PublicIdentity>");
}

static void service_profiles(struct cx_xb *b, const struct cx_prof_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        const struct hss_service_profile *p = &set->p[i];
        bool any = false;

        for (size_t j = 0; j < set->nu; j++) {
            if (profile_of(set, &set->u[j]) != i)
                continue;
            if (!any)
                xb_str(b, "<ServiceProfile>");
            any = true;
            public_identity(b, &set->u[j]);
        }
        if (!any)
            continue; /* a profile nobody uses is not sent */
        if (p->subscribed_media_profile_id >= 0) {
            xb_str(b, "<CoreNetworkServicesAuthorization>");
            xb_elem_int(b, "SubscribedMediaProfileId",
                        p->subscribed_media_profile_id);
            xb_str(b, "</CoreNetworkServicesAuthorization>");
        }
        if (p->ifc_xml != NULL)
            xb_str(b, p->ifc_xml);
        xb_str(b, "</ServiceProfile>");
    }
}

int cx_userdata_build(struct hss_store *st, int64_t sub_id, const char *impi,
                      char **xml, size_t *len)
{
    struct cx_prof_set set = {0};
    struct cx_xb b = {0};
    enum hss_rc rc;
    int ret = 0;

    rc = hss_store_profile_each_of_subscription(st, sub_id, profile_cb, &set);
    if (rc == HSS_OK && !set.nomem)
        /* brief columns: profile_of resolves the default itself */
        rc = hss_store_impu_each_of_subscription(st, sub_id, impu_cb, &set);
    if (rc != HSS_OK) {
        LOG_E("cx: User-Data of subscription %" PRId64 ": %s", sub_id,
              hss_store_errmsg(st));
        ret = rc == HSS_NOT_FOUND ? ENOENT : EIO;
        goto out;
    }
    if (set.nomem) {
        ret = ENOMEM;
        goto out;
    }
    if (set.nu == 0 || set.n == 0) {
        ret = ENOENT;
        goto out;
    }
    xb_str(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
               "<IMSSubscription>");
    xb_elem(&b, "PrivateID", impi != NULL ? impi : "");
    service_profiles(&b, &set);
    xb_str(&b, "</IMSSubscription>");
    if (b.err != 0) {
        ret = b.err;
        goto out;
    }
    *xml = b.buf;
    *len = b.len;
    b.buf = NULL;
out:
    free(b.buf);
    prof_set_free(&set);
    return ret;
}

/* ---- Charging-Information ------------------------------------------------ */

int cx_charging_add(struct msg *m, const struct hss_subscription *sub)
{
    static const uint32_t codes[4] = {
        CX_AVP_PRIMARY_EVENT_CHARGING_FUNCTION_NAME,
        CX_AVP_SECONDARY_EVENT_CHARGING_FUNCTION_NAME,
        CX_AVP_PRIMARY_CHARGING_COLLECTION_FUNCTION_NAME,
        CX_AVP_SECONDARY_CHARGING_COLLECTION_FUNCTION_NAME,
    };
    const char *vals[4] = {sub->charging_pecf, sub->charging_secf,
                           sub->charging_pccf, sub->charging_sccf};
    struct avp *g = NULL;
    int rc = 0;

    if (!vals[0][0] && !vals[1][0] && !vals[2][0] && !vals[3][0])
        return 0;
    rc = cx_avp_add_group(m, CX_AVP_CHARGING_INFORMATION, CX_VENDOR_3GPP, &g);
    for (size_t i = 0; rc == 0 && i < 4; i++)
        if (vals[i][0] != '\0')
            rc = cx_avp_add_str(g, codes[i], CX_VENDOR_3GPP, vals[i]);
    return rc;
}

/* ---- Allowed-WAF-WWSF-Identities ------------------------------------------
 */

struct cx_waf_ctx {
    struct msg *m;
    struct avp *group; /* created with the first name */
    uint32_t code;
    int rc;
};

static int waf_name_cb(void *ctx, const char *value)
{
    struct cx_waf_ctx *w = ctx;

    if (w->group == NULL)
        w->rc = cx_avp_add_group(w->m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
                                 CX_VENDOR_3GPP, &w->group);
    if (w->rc == 0)
        w->rc = cx_avp_add_str(w->group, w->code, CX_VENDOR_3GPP, value);
    return w->rc != 0;
}

int cx_waf_wwsf_add(struct msg *m, struct hss_store *st, int64_t sub_id)
{
    struct cx_waf_ctx w = {.m = m,
                           .code = CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME};
    enum hss_rc rc;

    /* ABNF order: *[WebRTC-Authentication-Function-Name] first, then
     * *[WebRTC-Web-Server-Function-Name]. */
    rc = hss_store_waf_each(st, sub_id, waf_name_cb, &w);
    if (rc == HSS_OK && w.rc == 0) {
        w.code = CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME;
        rc = hss_store_wwsf_each(st, sub_id, waf_name_cb, &w);
    }
    if (rc != HSS_OK) {
        LOG_E("cx: WAF/WWSF list of subscription %" PRId64 ": %s", sub_id,
              hss_store_errmsg(st));
        return EIO;
    }
    return w.rc;
}
