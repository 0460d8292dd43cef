/* cx_json.c - render a Diameter message as one line of JSON.
 *
 * Owns the JSON format documented in cx_json.h. The message is walked in
 * its wire form (fd_msg_bufferize) rather than as the parsed object tree:
 * the public freeDiameter API gives no access to the bytes of AVPs that
 * the dictionary does not know, and tests need exactly those. Names and
 * types still come from the dictionary (by code + vendor), grouped AVPs
 * are descended recursively, every length is bounds-checked.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CX_JSON_MAX_DEPTH 16
#define CX_JSON_MAX_OUT (64u * 1024u * 1024u)
#define CX_JSON_NTP_OFFSET 2208988800u /* 1900-01-01 -> 1970-01-01 */

struct cx_json_buf {
    char *p;
    size_t len;
    size_t cap;
    int failed;
};

/* ---- output buffer ---------------------------------------------------- */

static void cx_json_put(struct cx_json_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *np;
        while (cap < b->len + n + 1 && cap <= CX_JSON_MAX_OUT)
            cap *= 2;
        if (cap > CX_JSON_MAX_OUT || (np = realloc(b->p, cap)) == NULL) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void cx_json_puts(struct cx_json_buf *b, const char *s)
{
    cx_json_put(b, s, strlen(s));
}

static void cx_json_printf(struct cx_json_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void cx_json_printf(struct cx_json_buf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        b->failed = 1;
        return;
    }
    cx_json_put(b, tmp, (size_t)n);
}

/* ---- UTF-8 and strings -------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
static size_t cx_json_utf8_seq(const uint8_t *s, size_t n)
{
    uint32_t cp;
    size_t len;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static int cx_json_utf8_ok(const uint8_t *s, size_t n, int printable)
{
    size_t i = 0;

    while (i < n) {
        size_t k = cx_json_utf8_seq(s + i, n - i);
        if (k == 0)
            return 0;
        if (printable && k == 1 && (s[i] < 0x20 || s[i] == 0x7F) &&
            s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
        i += k;
    }
    return 1;
}

/* Writes a JSON string literal; the caller has checked the UTF-8. */
static void cx_json_str(struct cx_json_buf *b, const uint8_t *s, size_t n)
{
    size_t start = 0;

    cx_json_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        char u[8];
        switch (s[i]) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        default:
            if (s[i] < 0x20 || s[i] == 0x7F) {
                (void)snprintf(u, sizeof(u), "\\u%04x", s[i]);
                esc = u;
            }
        }
        if (esc != NULL) {
            cx_json_put(b, (const char *)s + start, i - start);
            cx_json_puts(b, esc);
            start = i + 1;
        }
    }
    cx_json_put(b, (const char *)s + start, n - start);
    cx_json_put(b, "\"", 1);
}

static void cx_json_hex(struct cx_json_buf *b, const uint8_t *s, size_t n)
{
    static const char digits[] = "0123456789abcdef";

    cx_json_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[s[i] >> 4], digits[s[i] & 0x0F]};
        cx_json_put(b, two, 2);
    }
    cx_json_put(b, "\"", 1);
}

char *cx_json_quote(const char *s, size_t len)
{
    struct cx_json_buf b = {0};

    if (!cx_json_utf8_ok((const uint8_t *)s, len, 0))
        return NULL;
    cx_json_str(&b, (const uint8_t *)s, len);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- AVP values ---------------------------------------------------------- */

static uint64_t cx_json_be(const uint8_t *d, size_t n)
{
    uint64_t x = 0;

    for (size_t i = 0; i < n; i++)
        x = (x << 8) | d[i];
    return x;
}

static void cx_json_octets(struct cx_json_buf *b, const uint8_t *d, size_t n)
{
    cx_json_puts(b, "{\"hex\":");
    cx_json_hex(b, d, n);
    if (n > 0 && cx_json_utf8_ok(d, n, 1)) {
        cx_json_puts(b, ",\"text\":");
        cx_json_str(b, d, n);
    }
    cx_json_puts(b, "}");
}

static void cx_json_address(struct cx_json_buf *b, const uint8_t *d, size_t n)
{
    char txt[INET6_ADDRSTRLEN];
    uint16_t family = n >= 2 ? (uint16_t)cx_json_be(d, 2) : 0;

    if ((family == 1 && n == 6 &&
         inet_ntop(AF_INET, d + 2, txt, sizeof(txt)) != NULL) ||
        (family == 2 && n == 18 &&
         inet_ntop(AF_INET6, d + 2, txt, sizeof(txt)) != NULL)) {
        cx_json_str(b, (const uint8_t *)txt, strlen(txt));
        return;
    }
    cx_json_octets(b, d, n);
}

static int cx_json_is_string_type(const char *tn)
{
    static const char *const names[] = {
        "UTF8String",   "DiameterIdentity", "DiameterURI",
        "IPFilterRule", "QoSFilterRule",
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(tn, names[i]) == 0)
            return 1;
    return 0;
}

static void cx_json_octet_value(struct cx_json_buf *b, const char *tn,
                                const uint8_t *d, size_t n)
{
    if (cx_json_is_string_type(tn) && cx_json_utf8_ok(d, n, 0))
        cx_json_str(b, d, n);
    else if (strcmp(tn, "Address") == 0)
        cx_json_address(b, d, n);
    else if (strcmp(tn, "Time") == 0 && n == 4)
        cx_json_printf(b, "%lld",
                       (long long)cx_json_be(d, 4) - CX_JSON_NTP_OFFSET);
    else
        cx_json_octets(b, d, n);
}

static void cx_json_float(struct cx_json_buf *b, double v)
{
    if (isfinite(v))
        cx_json_printf(b, "%.17g", v);
    else
        cx_json_puts(b, "null");
}

/* Fixed-size numeric value; returns 0 if the size does not match. */
static int cx_json_number(struct cx_json_buf *b, enum dict_avp_basetype t,
                          const uint8_t *d, size_t n)
{
    uint64_t x;

    if (((t == AVP_TYPE_INTEGER32 || t == AVP_TYPE_UNSIGNED32 ||
          t == AVP_TYPE_FLOAT32) &&
         n != 4) ||
        ((t == AVP_TYPE_INTEGER64 || t == AVP_TYPE_UNSIGNED64 ||
          t == AVP_TYPE_FLOAT64) &&
         n != 8))
        return 0;
    x = cx_json_be(d, n);
    switch (t) {
    case AVP_TYPE_INTEGER32:
        cx_json_printf(b, "%ld", (long)(int32_t)(uint32_t)x);
        return 1;
    case AVP_TYPE_UNSIGNED32:
        cx_json_printf(b, "%lu", (unsigned long)x);
        return 1;
    case AVP_TYPE_INTEGER64:
        cx_json_printf(b, "%lld", (long long)(int64_t)x);
        return 1;
    case AVP_TYPE_UNSIGNED64:
        cx_json_printf(b, "%llu", (unsigned long long)x);
        return 1;
    case AVP_TYPE_FLOAT32: {
        uint32_t u = (uint32_t)x;
        float f;
        memcpy(&f, &u, sizeof(f));
        cx_json_float(b, f);
        return 1;
    }
    case AVP_TYPE_FLOAT64: {
        double f;
        memcpy(&f, &x, sizeof(f));
        cx_json_float(b, f);
        return 1;
    }
    case AVP_TYPE_GROUPED:
    case AVP_TYPE_OCTETSTRING:
        break;
    }
    return 0;
}

/* ---- AVP walk ------------------------------------------------------------ */

struct cx_json_avp {
    uint32_t code;
    uint8_t flags;
    uint32_t vendor;
    const uint8_t *data;
    size_t len;
};

/* Reads the AVP at buf[*off..end); advances *off past padding. */
static int cx_json_next(const uint8_t *buf, size_t end, size_t *off,
                        struct cx_json_avp *a)
{
    size_t o = *off, hl, alen;

    if (end - o < 8)
        return EBADMSG;
    a->code = (uint32_t)cx_json_be(buf + o, 4);
    a->flags = buf[o + 4];
    alen = (size_t)cx_json_be(buf + o + 5, 3);
    hl = (a->flags & AVP_FLAG_VENDOR) ? 12 : 8;
    if (alen < hl || alen > end - o)
        return EBADMSG;
    a->vendor = hl == 12 ? (uint32_t)cx_json_be(buf + o + 8, 4) : 0;
    a->data = buf + o + hl;
    a->len = alen - hl;
    alen = (alen + 3u) & ~(size_t)3u;
    *off = alen > end - o ? end : o + alen;
    return 0;
}

/* Checks that data[0..len) is a well-formed sequence of AVPs. */
static int cx_json_avps_ok(const uint8_t *d, size_t len)
{
    size_t off = 0;
    struct cx_json_avp a;

    while (off < len)
        if (cx_json_next(d, len, &off, &a) != 0)
            return 0;
    return 1;
}

static void cx_json_avp_list(struct cx_json_buf *b, struct dictionary *dict,
                             const uint8_t *d, size_t len, int depth);

static void cx_json_one(struct cx_json_buf *b, struct dictionary *dict,
                        const struct cx_json_avp *a, int depth)
{
    struct dict_avp_request rq = {a->vendor, a->code, NULL};
    struct dict_object *model = NULL, *type = NULL;
    struct dict_avp_data ad;
    struct dict_type_data td;
    const char *tn = "";

    (void)fd_dict_search(dict, DICT_AVP, AVP_BY_CODE_AND_VENDOR, &rq, &model,
                         ENOENT);
    if (model == NULL || fd_dict_getval(model, &ad) != 0) {
        cx_json_printf(b, "{\"code\":%lu,\"vendor\":%lu,\"hex\":",
                       (unsigned long)a->code, (unsigned long)a->vendor);
        cx_json_hex(b, a->data, a->len);
        cx_json_puts(b, "}");
        return;
    }
    if (fd_dict_search(dict, DICT_TYPE, TYPE_OF_AVP, model, &type, ENOENT) ==
            0 &&
        type != NULL && fd_dict_getval(type, &td) == 0 && td.type_name != NULL)
        tn = td.type_name;
    cx_json_puts(b, "{\"name\":");
    cx_json_str(b, (const uint8_t *)ad.avp_name, strlen(ad.avp_name));
    cx_json_printf(b, ",\"code\":%lu,\"vendor\":%lu,", (unsigned long)a->code,
                   (unsigned long)a->vendor);
    if (ad.avp_basetype == AVP_TYPE_GROUPED) {
        if (depth < CX_JSON_MAX_DEPTH && cx_json_avps_ok(a->data, a->len)) {
            cx_json_puts(b, "\"avps\":");
            cx_json_avp_list(b, dict, a->data, a->len, depth + 1);
        } else {
            cx_json_puts(b, "\"hex\":");
            cx_json_hex(b, a->data, a->len);
        }
    } else if (ad.avp_basetype == AVP_TYPE_OCTETSTRING) {
        cx_json_puts(b, "\"value\":");
        cx_json_octet_value(b, tn, a->data, a->len);
    } else {
        cx_json_puts(b, "\"value\":");
        if (!cx_json_number(b, ad.avp_basetype, a->data, a->len))
            cx_json_octets(b, a->data, a->len);
    }
    cx_json_puts(b, "}");
}

static void cx_json_avp_list(struct cx_json_buf *b, struct dictionary *dict,
                             const uint8_t *d, size_t len, int depth)
{
    size_t off = 0;
    int first = 1;
    struct cx_json_avp a;

    cx_json_puts(b, "[");
    while (off < len && cx_json_next(d, len, &off, &a) == 0) {
        if (!first)
            cx_json_puts(b, ",");
        first = 0;
        cx_json_one(b, dict, &a, depth);
    }
    cx_json_puts(b, "]");
}

/* ---- message ---------------------------------------------------------------
 */

static const char *cx_json_cx_name(uint32_t code, int request)
{
    static const char *const names[][2] = {
        {"UAA", "UAR"}, {"SAA", "SAR"}, {"LIA", "LIR"},
        {"MAA", "MAR"}, {"RTA", "RTR"}, {"PPA", "PPR"},
    };

    if (code >= 300 && code <= 305)
        return names[code - 300][request ? 1 : 0];
    return NULL;
}

/* Result-Code and Experimental-Result of the top level. */
static void cx_json_results(struct cx_json_buf *b, const uint8_t *d, size_t len)
{
    size_t off = 0;
    struct cx_json_avp a;
    long long rc = -1, er_vendor = -1, er_code = -1;

    while (off < len && cx_json_next(d, len, &off, &a) == 0) {
        if (a.code == 268 && a.vendor == 0 && a.len == 4 && rc < 0)
            rc = (long long)cx_json_be(a.data, 4);
        if (a.code == 297 && a.vendor == 0 && er_code < 0) {
            size_t o2 = 0;
            struct cx_json_avp c;
            while (o2 < a.len && cx_json_next(a.data, a.len, &o2, &c) == 0) {
                if (c.code == 266 && c.vendor == 0 && c.len == 4)
                    er_vendor = (long long)cx_json_be(c.data, 4);
                if (c.code == 298 && c.vendor == 0 && c.len == 4)
                    er_code = (long long)cx_json_be(c.data, 4);
            }
        }
    }
    cx_json_puts(b, ",\"result_code\":");
    if (rc >= 0)
        cx_json_printf(b, "%lld", rc);
    else
        cx_json_puts(b, "null");
    cx_json_puts(b, ",\"experimental_result\":");
    if (er_code >= 0)
        cx_json_printf(b, "{\"vendor\":%lld,\"code\":%lld}",
                       er_vendor < 0 ? 0 : er_vendor, er_code);
    else
        cx_json_puts(b, "null");
}

static void cx_json_cmd_name(struct cx_json_buf *b, struct dictionary *dict,
                             uint32_t code, int request)
{
    const char *n = cx_json_cx_name(code, request);
    struct dict_object *cmd = NULL;
    struct dict_cmd_data cd;
    command_code_t cc = code;

    if (n == NULL &&
        fd_dict_search(dict, DICT_COMMAND,
                       request ? CMD_BY_CODE_R : CMD_BY_CODE_A, &cc, &cmd,
                       ENOENT) == 0 &&
        cmd != NULL && fd_dict_getval(cmd, &cd) == 0)
        n = cd.cmd_name;
    if (n != NULL)
        cx_json_str(b, (const uint8_t *)n, strlen(n));
    else
        cx_json_puts(b, "null");
}

char *cx_json_wire(struct dictionary *dict, const uint8_t *buf, size_t len)
{
    struct cx_json_buf b = {0};
    uint32_t code, app;
    int request, ebit;

    if (len < 20 || cx_json_be(buf + 1, 3) != len)
        return NULL;
    request = (buf[4] & CMD_FLAG_REQUEST) != 0;
    ebit = (buf[4] & CMD_FLAG_ERROR) != 0;
    code = (uint32_t)cx_json_be(buf + 5, 3);
    app = (uint32_t)cx_json_be(buf + 8, 4);
    cx_json_puts(&b, "{\"command\":");
    cx_json_cmd_name(&b, dict, code, request);
    cx_json_printf(&b,
                   ",\"code\":%lu,\"request\":%s,\"e_bit\":%s,"
                   "\"application\":%lu",
                   (unsigned long)code, request ? "true" : "false",
                   ebit ? "true" : "false", (unsigned long)app);
    cx_json_results(&b, buf + 20, len - 20);
    cx_json_puts(&b, ",\"avps\":");
    cx_json_avp_list(&b, dict, buf + 20, len - 20, 0);
    cx_json_puts(&b, "}");
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

char *cx_json_msg(struct dictionary *dict, struct msg *msg)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char *out;

    if (fd_msg_bufferize(msg, &buf, &len) != 0)
        return NULL;
    out = cx_json_wire(dict, buf, len);
    free(buf);
    return out;
}
