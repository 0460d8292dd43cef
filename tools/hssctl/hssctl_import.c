/* hssctl_import.c - `import` and `export` of subscribers, all or nothing.
 *
 * Owns the one bulk format (README.md "Bulk import format"): CSV with the
 * header  subscription,impi,impu,realm,password,k,opc,amf,sqn  (any order,
 * RFC 4180 quoting) or a JSON array of objects with the same keys. A file is
 * one transaction: the first bad row rejects the whole file with its line
 * number and reason, and nothing is written. Secrets in the file are turned
 * into H(A1) and sealed K/OPc right away; the read buffers are wiped. The
 * progress bar goes to stderr only when stderr is a terminal. `export` is
 * in hssctl_export.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hss_digest.h"
#include "hss_hex.h"
#include "hss_secret.h"
#include "hssctl.h"

#define COLS hssctl_import_cols

enum col {
    C_SUB,
    C_IMPI,
    C_IMPU,
    C_REALM,
    C_PW,
    C_K,
    C_OPC,
    C_AMF,
    C_SQN,
    N_COLS
};
const char *const hssctl_import_cols[] = {"subscription", "impi",     "impu",
                                          "realm",        "password", "k",
                                          "opc",          "amf",      "sqn"};

#define IMPORT_LINE_MAX 8192
#define IMPORT_FILE_MAX ((size_t)2 << 30) /* JSON is read whole: 2 GiB */

struct import {
    struct hssctl *c;
    const char *path;
    unsigned algos;
    int64_t line; /* line of the row being applied */
    int64_t rows, subs, impis, impus;
    char last_sub[HSS_NAME_MAX + 1];
    int64_t sub_id;
    char last_impi[HSS_IDENTITY_MAX + 1];
    struct hss_impi impi;
    size_t size, done; /* bytes, for the progress bar */
    bool progress;
};

static int row_fail(struct import *im, const char *fmt, ...)
    HSSCTL_PRINTF(2, 3);

static int row_fail(struct import *im, const char *fmt, ...)
{
    char msg[HSS_IDENTITY_MAX + 128];
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof(msg), fmt, ap) >= (int)sizeof(msg))
        msg[sizeof(msg) - 1] = '\0';
    va_end(ap);
    if (im->progress)
        fputc('\n', stderr);
    return hssctl_fail(im->c, 2, "%s:%lld: %s; nothing was imported", im->path,
                       (long long)im->line, msg);
}

static int row_store_fail(struct import *im, enum hss_rc rc, const char *what)
{
    char msg[160];

    snprintf(msg, sizeof(msg), "%s: %s (%s)", what, hss_rc_str(rc),
             hss_store_errmsg(im->c->st));
    return row_fail(im, "%s", msg);
}

static void progress(struct import *im)
{
    if (!im->progress || im->rows % 10000 != 0)
        return;
    fprintf(stderr, "\rhssctl: import: %lld rows (%3d%%)", (long long)im->rows,
            im->size ? (int)(100.0 * (double)im->done / (double)im->size) : 0);
}

/* ---- applying one row -------------------------------------------------- */

/* A store failure of hss_store_bulk_add, worded by the part that failed. */
static int row_bulk_fail(struct import *im, enum hss_rc rc,
                         const struct hss_bulk_row *b)
{
    static const char *const what[] = {[HSS_BULK_NONE] = "k/opc",
                                       [HSS_BULK_SUBSCRIPTION] = "subscription",
                                       [HSS_BULK_IMPI] = "impi",
                                       [HSS_BULK_IMPU] = "impu",
                                       [HSS_BULK_ASSOC] = "association",
                                       [HSS_BULK_DIGEST] = "H(A1)",
                                       [HSS_BULK_AKA] = "k/opc"};

    if (b->failed == HSS_BULK_DIGEST)
        return row_fail(im, "%s", "storing H(A1) failed");
    if (rc == HSS_EXISTS && b->failed == HSS_BULK_SUBSCRIPTION)
        return row_fail(im,
                        "subscription '%s' already exists (import only "
                        "creates; keep a subscription's rows together)",
                        b->subscription);
    if (rc == HSS_EXISTS &&
        (b->failed == HSS_BULK_IMPI || b->failed == HSS_BULK_IMPU))
        return row_fail(im, "%s '%s' already exists", what[b->failed],
                        b->failed == HSS_BULK_IMPI ? b->impi : b->impu);
    return row_store_fail(im, rc, what[b->failed]);
}

/* Parses k, opc, amf and sqn into *cred. */
static int row_aka(struct import *im, const char *const *f,
                   struct hss_aka_cred *cred)
{
    const char *amf = f[C_AMF];
    char *end = NULL;

    if (!f[C_OPC][0])
        return row_fail(im, "%s", "k without opc");
    if (hss_hex_decode(f[C_K], strlen(f[C_K]), cred->k, 16) != 0)
        return row_fail(im, "%s", "k must be 32 hex digits");
    if (hss_hex_decode(f[C_OPC], strlen(f[C_OPC]), cred->opc, 16) != 0)
        return row_fail(im, "%s", "opc must be 32 hex digits");
    if (amf[0] && hss_hex_decode(amf, strlen(amf), cred->amf, 2) != 0)
        return row_fail(im, "amf '%s' must be 4 hex digits", amf);
    if (f[C_SQN][0]) {
        errno = 0;
        cred->sqn = strtoull(f[C_SQN], &end, 10);
        if (*end || errno || f[C_SQN][0] == '-' || cred->sqn >= (1ULL << 48))
            return row_fail(im, "sqn '%s' must be a number below 2^48",
                            f[C_SQN]);
    }
    return 0;
}

/* IMPU of a row after the first of its subscription: new, or shared with
 * an earlier IMPI of the same subscription (then associated by id). */
static int row_impu_known(struct import *im, struct hss_bulk_row *b)
{
    struct hss_impu u;
    enum hss_rc rc = hss_store_impu_get(im->c->st, b->impu, &u);

    if (rc == HSS_NOT_FOUND)
        return 0;
    if (rc != HSS_OK)
        return row_store_fail(im, rc, "impu");
    if (u.subscription_id != im->sub_id)
        return row_fail(im, "impu '%s' already exists", b->impu);
    b->impu = NULL;
    b->impu_id = u.id;
    return 0;
}

/* H(A1) of the row's password for each algorithm (new IMPI only). */
static int row_ha1(struct import *im, const char *const *f,
                   struct hss_bulk_row *b, char ha1[][HSS_DIGEST_HEX_MAX])
{
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++) {
        if (!(im->algos & (1u << a)))
            continue;
        if (hss_digest_ha1(hssctl_crypto_alg(a), f[C_IMPI], f[C_REALM], f[C_PW],
                           strlen(f[C_PW]), ha1[a], HSS_DIGEST_HEX_MAX) != 0)
            return row_fail(im, "%s", "storing H(A1) failed");
        b->ha1_hex[a] = ha1[a];
    }
    return 0;
}

/* Credentials for an IMPI created by an earlier row: the single-row path. */
static int row_creds_later(struct import *im, const char *const *f,
                           const struct hss_aka_cred *cred)
{
    struct hssctl_secret pw = {0};
    enum hss_rc src;
    int rc = 0;

    if (f[C_PW][0]) {
        hssctl_strlcpy(pw.buf, f[C_PW], sizeof(pw.buf));
        pw.len = strlen(pw.buf);
        rc = hssctl_digest_store(im->c, &im->impi, f[C_REALM], im->algos, &pw,
                                 false);
        hssctl_secret_wipe(&pw);
        if (rc != 0)
            return row_fail(im, "%s", "storing H(A1) failed");
    }
    if (f[C_K][0]) {
        src = hss_store_aka_set(im->c->st, im->impi.id, cred);
        if (src != HSS_OK)
            return row_store_fail(im, src, "k/opc");
    }
    return 0;
}

/* Every check that needs no database, in the order of the old per-row
 * path, so that a bad row names the same first problem. */
static int row_check(struct import *im, const char *const *f,
                     struct hss_aka_cred *cred)
{
    const char *impu = f[C_IMPU];

    if (!f[C_IMPI][0] && !impu[0])
        return row_fail(im, "%s", "a row needs an impi or an impu");
    if (!f[C_IMPI][0] && (f[C_PW][0] || f[C_K][0]))
        return row_fail(im, "%s", "credentials need an impi");
    if (impu[0] && strncmp(impu, "sip:", 4) && strncmp(impu, "sips:", 5) &&
        strncmp(impu, "tel:", 4))
        return row_fail(im, "impu '%s' is not a sip:, sips: or tel: URI", impu);
    if (f[C_PW][0] && !f[C_REALM][0])
        return row_fail(im, "%s", "password without realm");
    if (f[C_PW][0] && strlen(f[C_PW]) > HSSCTL_SECRET_MAX)
        return row_fail(im, "%s", "password longer than 256 bytes");
    if (f[C_K][0])
        return row_aka(im, f, cred);
    if (f[C_OPC][0])
        return row_fail(im, "%s", "opc without k");
    return 0;
}

/* Fills the bulk row: what is new is named, what exists is given by id. */
static void row_plan(struct import *im, const char *const *f,
                     struct hss_bulk_row *b, bool new_sub, bool new_impi)
{
    b->subscription = new_sub ? f[C_SUB] : NULL;
    b->sub_id = new_sub ? 0 : im->sub_id;
    b->impi = new_impi ? f[C_IMPI] : NULL;
    b->impi_id = f[C_IMPI][0] && !new_impi ? im->impi.id : 0;
    b->impu = f[C_IMPU][0] ? f[C_IMPU] : NULL;
    b->realm = f[C_REALM];
    if (f[C_K][0])
        b->schemes |= HSS_SCHEME_AKA;
    if (f[C_PW][0])
        b->schemes |= HSS_SCHEME_DIGEST;
    b->default_scheme = (b->schemes & HSS_SCHEME_AKA) ? HSS_SCHEME_AKA
                        : b->schemes                  ? HSS_SCHEME_DIGEST
                                                      : HSS_SCHEME_NONE;
}

/* Remembers what the row created for the rows that follow. */
static void row_done(struct import *im, const char *const *f,
                     const struct hss_bulk_row *b)
{
    if (b->subscription) {
        hssctl_strlcpy(im->last_sub, b->subscription, sizeof(im->last_sub));
        im->last_impi[0] = '\0';
        im->sub_id = b->sub_id;
        im->subs++;
    }
    if (b->impi) {
        memset(&im->impi, 0, sizeof(im->impi));
        im->impi.id = b->impi_id;
        im->impi.subscription_id = b->sub_id;
        hssctl_strlcpy(im->impi.name, f[C_IMPI], sizeof(im->impi.name));
        hssctl_strlcpy(im->last_impi, f[C_IMPI], sizeof(im->last_impi));
        im->impis++;
    }
    if (b->impu)
        im->impus++;
}

static int row_apply(struct import *im, const char *const *f)
{
    struct hss_aka_cred cred = {.amf = {0x80, 0x00}};
    char ha1[HSS_HA1_SHA512_256 + 1][HSS_DIGEST_HEX_MAX];
    struct hss_bulk_row b = {0};
    bool new_sub, new_impi;
    enum hss_rc src;
    int rc;

    im->rows++;
    if (!f[C_SUB][0])
        return row_fail(im, "%s", "empty subscription");
    new_sub = strcmp(f[C_SUB], im->last_sub) != 0;
    new_impi = f[C_IMPI][0] && (new_sub || strcmp(f[C_IMPI], im->last_impi));
    rc = row_check(im, f, &cred);
    if (rc == 0) {
        row_plan(im, f, &b, new_sub, new_impi);
        if (!new_sub && b.impu)
            rc = row_impu_known(im, &b);
    }
    if (rc == 0 && new_impi && f[C_PW][0])
        rc = row_ha1(im, f, &b, ha1);
    if (rc == 0 && new_impi && f[C_K][0])
        b.aka = &cred;
    if (rc == 0) {
        src = hss_store_bulk_add(im->c->st, &b);
        rc = src == HSS_OK ? 0 : row_bulk_fail(im, src, &b);
    }
    if (rc == 0)
        row_done(im, f, &b);
    if (rc == 0 && !new_impi && f[C_IMPI][0])
        rc = row_creds_later(im, f, &cred);
    hss_secret_wipe(ha1, sizeof(ha1));
    hss_secret_wipe(&cred, sizeof(cred));
    progress(im);
    return rc;
}

/* ---- CSV ---------------------------------------------------------------- */

struct reader {
    int fd;
    char *buf;
    size_t cap, pos, end;
    bool eof;
};

/* Next line (without its newline, NUL-terminated in place); NULL at end.
 * *too_long is set for a line longer than IMPORT_LINE_MAX. */
static char *reader_line(struct reader *r, size_t *len, bool *too_long)
{
    for (;;) {
        char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
        ssize_t n;

        if (nl || (r->eof && r->pos < r->end)) {
            char *line = r->buf + r->pos;

            if (!nl)
                nl = r->buf + r->end; /* last line without newline */
            *len = (size_t)(nl - line);
            r->pos = *len + r->pos + (nl < r->buf + r->end ? 1 : 0);
            *nl = '\0';
            if (*len && line[*len - 1] == '\r')
                line[--*len] = '\0';
            return line;
        }
        if (r->eof)
            return NULL;
        if (r->end - r->pos > IMPORT_LINE_MAX) {
            *too_long = true;
            return NULL;
        }
        hss_secret_wipe(r->buf, r->pos);
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        hss_secret_wipe(r->buf + r->end, r->pos);
        r->pos = 0;
        n = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            r->eof = true;
        else
            r->end += (size_t)n;
    }
}

/* Splits a CSV line in place into at most max fields (RFC 4180 quotes).
 * Returns the field count, or -1 for a malformed quote. */
static int csv_split(char *line, char **fields, int max)
{
    char *in = line, *out = line;
    int n = 0;

    for (;;) {
        if (n == max)
            return max + 1;
        fields[n++] = out;
        if (*in == '"') {
            in++;
            for (;;) {
                if (*in == '\0')
                    return -1;
                if (*in == '"' && in[1] == '"') {
                    *out++ = '"';
                    in += 2;
                } else if (*in == '"') {
                    in++;
                    break;
                } else {
                    *out++ = *in++;
                }
            }
            if (*in != ',' && *in != '\0')
                return -1;
        } else {
            while (*in && *in != ',')
                *out++ = *in++;
        }
        if (*in == '\0') {
            *out = '\0';
            return n;
        }
        *out++ = '\0';
        in++;
    }
}

static int csv_header(struct import *im, char *line, int *map, int *nf)
{
    char *fields[N_COLS + 1];
    bool seen[N_COLS] = {false};

    *nf = csv_split(line, fields, N_COLS);
    if (*nf < 0 || *nf > N_COLS)
        return row_fail(im, "%s",
                        "bad header; expected "
                        "subscription,impi,impu,realm,password,k,opc,amf,"
                        "sqn");
    for (int i = 0; i < *nf; i++) {
        map[i] = -1;
        for (int k = 0; k < N_COLS; k++)
            if (strcmp(fields[i], COLS[k]) == 0)
                map[i] = k;
        if (map[i] < 0 || seen[map[i]])
            return row_fail(im, "unknown or repeated column '%s'", fields[i]);
        seen[map[i]] = true;
    }
    if (!seen[C_SUB] || (!seen[C_IMPI] && !seen[C_IMPU]))
        return row_fail(im, "%s",
                        "the header needs subscription and impi "
                        "and/or impu");
    return 0;
}

static int import_csv(struct import *im, int fd)
{
    struct reader r = {
        fd, malloc(4 * IMPORT_LINE_MAX), 4 * IMPORT_LINE_MAX, 0, 0, false};
    int map[N_COLS], nf = 0, rc = 0;
    bool too_long = false;
    size_t len;
    char *line;

    if (!r.buf)
        return hssctl_fail(im->c, 2, "out of memory");
    while (rc == 0 && (line = reader_line(&r, &len, &too_long))) {
        char *fields[N_COLS + 1];
        const char *row[N_COLS];
        int n;

        im->line++;
        im->done += len + 1;
        if (im->line == 1) {
            rc = csv_header(im, line, map, &nf);
            continue;
        }
        if (len == 0)
            continue;
        n = csv_split(line, fields, N_COLS);
        if (n != nf) {
            rc = row_fail(im, "%s",
                          n < 0 ? "unterminated quote"
                                : "wrong number of fields");
            break;
        }
        for (int k = 0; k < N_COLS; k++)
            row[k] = "";
        for (int k = 0; k < n; k++)
            row[map[k]] = fields[k];
        rc = row_apply(im, row);
        hss_secret_wipe(line, len);
    }
    if (rc == 0 && too_long) {
        im->line++;
        rc = row_fail(im, "%s", "line longer than 8192 bytes");
    }
    if (rc == 0 && im->line == 0)
        rc = hssctl_fail(im->c, 2, "%s is empty; nothing was imported",
                         im->path);
    hss_secret_wipe(r.buf, r.cap);
    free(r.buf);
    return rc;
}

/* ---- JSON: an array of flat objects -----------------------------------------
 */

struct json {
    char *p, *end;
    int64_t line;
};

static void json_ws(struct json *j)
{
    while (j->p < j->end && strchr(" \t\r\n", *j->p) && *j->p) {
        if (*j->p == '\n')
            j->line++;
        j->p++;
    }
}

static void put_utf8(char **o, unsigned cp)
{
    if (cp < 0x80) {
        *(*o)++ = (char)cp;
    } else if (cp < 0x800) {
        *(*o)++ = (char)(0xc0 | cp >> 6);
        *(*o)++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *(*o)++ = (char)(0xe0 | cp >> 12);
        *(*o)++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *(*o)++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *(*o)++ = (char)(0xf0 | cp >> 18);
        *(*o)++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *(*o)++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *(*o)++ = (char)(0x80 | (cp & 0x3f));
    }
}

static int hex4(const char *s, unsigned *out)
{
    uint8_t b[2];

    if (hss_hex_decode(s, 4, b, 2) != 0)
        return -1;
    *out = (unsigned)b[0] << 8 | b[1];
    return 0;
}

/* A string at j->p, decoded in place (never longer); NULL if malformed. */
static char *json_string(struct json *j)
{
    char *out, *start;

    if (j->p >= j->end || *j->p != '"')
        return NULL;
    start = out = ++j->p;
    while (j->p < j->end && *j->p != '"') {
        unsigned cp, lo;

        if ((unsigned char)*j->p < 0x20)
            return NULL;
        if (*j->p != '\\') {
            *out++ = *j->p++;
            continue;
        }
        if (++j->p >= j->end)
            return NULL;
        switch (*j->p) {
        case '"':
        case '\\':
        case '/':
            *out++ = *j->p;
            break;
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 't':
            *out++ = '\t';
            break;
        case 'u':
            if (j->end - j->p < 5 || hex4(j->p + 1, &cp) != 0 || cp == 0)
                return NULL;
            j->p += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (j->end - j->p < 7 || j->p[1] != '\\' || j->p[2] != 'u' ||
                    hex4(j->p + 3, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
                    return NULL;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                j->p += 6;
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                return NULL;
            }
            put_utf8(&out, cp);
            break;
        default:
            return NULL;
        }
        j->p++;
    }
    if (j->p >= j->end)
        return NULL;
    *out = '\0';
    j->p++;
    return start;
}

/* A value: string, integer (kept as its text) or null (""). */
static char *json_value(struct json *j)
{
    char *start = j->p;

    if (j->p < j->end && *j->p == '"')
        return json_string(j);
    if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
        *j->p = '\0';
        j->p += 4;
        return start;
    }
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    if (j->p == start || j->p >= j->end || !strchr(" \t\r\n,}", *j->p))
        return NULL;
    /* The byte before the number (':' or blank) is consumed: move the
     * digits one left so the NUL does not overwrite the delimiter. */
    memmove(start - 1, start, (size_t)(j->p - start));
    j->p[-1] = '\0';
    return start - 1;
}

static int json_object(struct import *im, struct json *j)
{
    const char *row[N_COLS];
    char *wipe_from = j->p;
    int rc;

    for (int k = 0; k < N_COLS; k++)
        row[k] = "";
    im->line = j->line;
    j->p++; /* '{' */
    json_ws(j);
    while (j->p < j->end && *j->p != '}') {
        char *key = json_string(j);
        char *val;
        int col = -1;

        json_ws(j);
        if (!key || j->p >= j->end || *j->p != ':')
            return row_fail(im, "%s", "expected \"key\": value");
        j->p++;
        json_ws(j);
        val = json_value(j);
        if (!val)
            return row_fail(im, "%s",
                            "values are strings, integers or "
                            "null");
        for (int k = 0; k < N_COLS; k++)
            if (strcmp(key, COLS[k]) == 0)
                col = k;
        if (col < 0)
            return row_fail(im, "unknown key '%s'", key);
        row[col] = val;
        json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            json_ws(j);
        }
    }
    if (j->p >= j->end)
        return row_fail(im, "%s", "unterminated object");
    j->p++;
    im->done = (size_t)(j->p - (j->end - im->size));
    rc = row_apply(im, row);
    hss_secret_wipe(wipe_from, (size_t)(j->p - wipe_from));
    return rc;
}

static int import_json(struct import *im, char *text, size_t len)
{
    struct json j = {text, text + len, 1};
    int rc = 0;

    json_ws(&j);
    im->line = j.line;
    if (j.p >= j.end || *j.p != '[')
        return row_fail(im, "%s", "a JSON import is an array of objects");
    j.p++;
    json_ws(&j);
    while (rc == 0 && j.p < j.end && *j.p == '{') {
        rc = json_object(im, &j);
        json_ws(&j);
        if (rc == 0 && j.p < j.end && *j.p == ',') {
            j.p++;
            json_ws(&j);
        }
    }
    if (rc == 0 && (j.p >= j.end || *j.p != ']')) {
        im->line = j.line;
        rc = row_fail(im, "%s", "expected an object or the closing ']'");
    }
    return rc;
}

static int read_all(struct import *im, int fd, char **out, size_t *len)
{
    char *buf = malloc(im->size + 1);
    size_t got = 0;

    if (!buf)
        return hssctl_fail(im->c, 2, "out of memory for '%s'", im->path);
    while (got < im->size) {
        ssize_t n = read(fd, buf + got, im->size - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

/* ---- the command -----------------------------------------------------------
 */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int import_run(struct import *im, int fd, bool json)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (!json)
        return import_csv(im, fd);
    rc = read_all(im, fd, &text, &len);
    if (rc == 0)
        rc = import_json(im, text, len);
    if (text) {
        hss_secret_wipe(text, len);
        free(text);
    }
    return rc;
}

int hssctl_cmd_import(struct hssctl *c, const struct hssctl_args *a)
{
    const char *kind = hssctl_opt(c, a, "kind");
    const char *alg = hssctl_opt(c, a, "algorithms");
    struct import im = {
        .c = c, .path = a->pos[0], .algos = HSSCTL_ALGOS_DEFAULT};
    bool json = ends_with(a->pos[0], ".json");
    char detail[128];
    struct stat sb;
    int fd, rc;

    if (kind && strcmp(kind, "subscribers") != 0)
        return hssctl_fail(c, 1, "--kind must be subscribers, not '%s'", kind);
    if (!json && !ends_with(a->pos[0], ".csv"))
        return hssctl_fail(c, 1,
                           "import reads FILE.csv or FILE.json, not "
                           "'%s'",
                           a->pos[0]);
    if (alg && hssctl_parse_algorithms(c, alg, &im.algos) != 0)
        return 1;
    fd = open(a->pos[0], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = hssctl_fail(c, 2, "cannot read '%s': %s", a->pos[0],
                         fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return rc;
    }
    im.size = (size_t)sb.st_size;
    if (json && im.size > IMPORT_FILE_MAX) {
        close(fd);
        return hssctl_fail(c, 2, "'%s' is over 2 GiB; split it or use CSV",
                           a->pos[0]);
    }
    im.progress = isatty(STDERR_FILENO);
    hss_store_bulk_mode(c->st, true);
    rc = hssctl_begin(c);
    if (rc == 0) {
        rc = import_run(&im, fd, json);
        snprintf(detail, sizeof(detail), "rows=%lld subscriptions=%lld",
                 (long long)im.rows, (long long)im.subs);
        rc = hssctl_finish(c, rc, a->pos[0], detail);
    }
    close(fd);
    hss_store_bulk_mode(c->st, false);
    if (im.progress && rc == 0)
        fputc('\n', stderr);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "file", a->pos[0]);
    hssctl_out_int(c, "rows", im.rows);
    hssctl_out_int(c, "subscriptions", im.subs);
    hssctl_out_int(c, "impis", im.impis);
    hssctl_out_int(c, "impus", im.impus);
    return hssctl_out_end(c);
}
