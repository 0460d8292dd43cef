/* hssctl_out.c - text and JSON output, and the one-line error messages.
 *
 * Owns the emitter every command writes its result through: the same calls
 * produce either an indented "key: value" text block for people or exactly
 * one JSON document (properly escaped) for scripts (--json). Text output
 * replaces control characters so that a stored value cannot drive the
 * terminal. Also owns hssctl_fail()/hssctl_store_fail(): the single place
 * that writes "hssctl: ..." on stderr.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "hssctl.h"

void hssctl_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void text_str(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, stdout);
}

static void indent(int n)
{
    for (int i = 0; i < n; i++)
        fputs("  ", stdout);
}

/* Text: prints headers of arrays still waiting for their first item. */
static void text_flush_pending(struct hssctl_out *o)
{
    for (int d = 1; d <= o->depth; d++) {
        if (o->pending[d]) {
            indent(d - 2);
            text_str(o->pending[d]);
            fputs(":\n", stdout);
            o->pending[d] = NULL;
        }
    }
}

/* Starts a member (JSON: comma and key; text: indentation and key). */
static void member(struct hssctl *c, const char *key)
{
    struct hssctl_out *o = &c->out;

    if (o->json) {
        if (!o->first[o->depth])
            fputc(',', stdout);
        o->first[o->depth] = false;
        if (key && !o->array[o->depth]) {
            hssctl_json_str(stdout, key);
            fputc(':', stdout);
        }
        return;
    }
    text_flush_pending(o);
    o->first[o->depth] = false;
    if (o->dash) {
        indent(o->depth - 2);
        fputs("- ", stdout);
        o->dash = false;
    } else {
        indent(o->depth - 1);
    }
    if (key) {
        text_str(key);
        fputs(": ", stdout);
    }
}

static void push(struct hssctl_out *o, bool array)
{
    if (o->depth + 1 < HSSCTL_OUT_DEPTH)
        o->depth++;
    o->first[o->depth] = true;
    o->array[o->depth] = array;
    o->pending[o->depth] = NULL;
}

void hssctl_out_begin(struct hssctl *c)
{
    c->out.depth = 0;
    push(&c->out, false);
    if (c->out.json)
        fputc('{', stdout);
}

int hssctl_out_end(struct hssctl *c)
{
    if (c->out.json)
        fputs("}\n", stdout);
    c->out.depth = 0;
    if (ferror(stdout))
        return hssctl_fail(c, 2, "cannot write the output");
    return 0;
}

void hssctl_out_str(struct hssctl *c, const char *key, const char *val)
{
    member(c, key);
    if (c->out.json) {
        hssctl_json_str(stdout, val ? val : "");
    } else {
        text_str(val ? val : "");
        fputc('\n', stdout);
    }
}

void hssctl_out_int(struct hssctl *c, const char *key, int64_t val)
{
    member(c, key);
    printf("%" PRId64 "%s", val, c->out.json ? "" : "\n");
}

void hssctl_out_bool(struct hssctl *c, const char *key, bool val)
{
    member(c, key);
    if (c->out.json)
        fputs(val ? "true" : "false", stdout);
    else
        puts(val ? "yes" : "no");
}

/* Unix seconds: a number in JSON, ISO 8601 UTC in text, 0 = never. */
void hssctl_out_time(struct hssctl *c, const char *key, int64_t ts)
{
    char buf[32] = "never";
    time_t t = (time_t)ts;
    struct tm tm;

    if (c->out.json) {
        hssctl_out_int(c, key, ts);
        return;
    }
    if (ts != 0 && gmtime_r(&t, &tm))
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    hssctl_out_str(c, key, buf);
}

void hssctl_out_obj(struct hssctl *c, const char *key)
{
    bool in_array = c->out.array[c->out.depth];

    if (c->out.json) {
        member(c, key);
        fputc('{', stdout);
    } else if (in_array) {
        text_flush_pending(&c->out);
        c->out.first[c->out.depth] = false;
    } else {
        member(c, NULL);
        text_str(key ? key : "");
        fputs(":\n", stdout);
    }
    push(&c->out, false);
    if (!c->out.json && in_array)
        c->out.dash = true;
}

void hssctl_out_obj_end(struct hssctl *c)
{
    if (c->out.json)
        fputc('}', stdout);
    c->out.dash = false;
    if (c->out.depth > 1)
        c->out.depth--;
}

void hssctl_out_arr(struct hssctl *c, const char *key)
{
    if (c->out.json) {
        member(c, key);
        fputc('[', stdout);
        push(&c->out, true);
        return;
    }
    text_flush_pending(&c->out);
    c->out.first[c->out.depth] = false;
    push(&c->out, true);
    c->out.pending[c->out.depth] = key;
}

void hssctl_out_arr_end(struct hssctl *c)
{
    struct hssctl_out *o = &c->out;

    if (o->json) {
        fputc(']', stdout);
    } else if (o->pending[o->depth]) {
        indent(o->depth - 2);
        text_str(o->pending[o->depth]);
        fputs(": (none)\n", stdout);
        o->pending[o->depth] = NULL;
    }
    if (o->depth > 1)
        o->depth--;
}

void hssctl_out_item(struct hssctl *c, const char *val)
{
    struct hssctl_out *o = &c->out;

    if (o->json) {
        member(c, NULL);
        hssctl_json_str(stdout, val);
        return;
    }
    text_flush_pending(o);
    indent(o->depth - 1);
    fputs("- ", stdout);
    text_str(val);
    fputc('\n', stdout);
}

int hssctl_fail(struct hssctl *c, int code, const char *fmt, ...)
{
    va_list ap;

    (void)c;
    fflush(stdout);
    fputs("hssctl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int hssctl_store_fail(struct hssctl *c, enum hss_rc rc, const char *what)
{
    const char *detail = c->st ? hss_store_errmsg(c->st) : "";

    if (rc == HSS_BUSY)
        return hssctl_fail(c, 2,
                           "%s: database busy (the HSS holds a long "
                           "write lock); retry",
                           what);
    if (detail[0])
        return hssctl_fail(c, 2, "%s: %s (%s)", what, hss_rc_str(rc), detail);
    return hssctl_fail(c, 2, "%s: %s", what, hss_rc_str(rc));
}
