/* cxc_script.c - read a cx-client --script file into requests.
 *
 * Owns the script syntax: one subcommand with its request options per
 * line, words split on blanks, "double quotes" group words (\" and \\
 * inside quotes), empty lines and lines starting with # ignored. The
 * whole script is parsed before any connection is made, so a usage error
 * is reported with its line number and nothing is sent.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CXC_SCRIPT_MAX_LINES 10000u
#define CXC_SCRIPT_MAX_LINE 4096u
#define CXC_SCRIPT_MAX_WORDS 128

/* Splits line in place into words. Returns the count or -1. */
static int cxc_split(char *line, char **words, int max)
{
    int n = 0;
    char *r = line, *w = line;

    for (;;) {
        while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
            r++;
        if (*r == '\0')
            return n;
        if (n >= max)
            return -1;
        words[n++] = w;
        int quoted = 0;
        while (*r != '\0' && (quoted || (*r != ' ' && *r != '\t' &&
                                         *r != '\r' && *r != '\n'))) {
            if (*r == '"') {
                quoted = !quoted;
                r++;
                continue;
            }
            if (quoted && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
                r++;
            *w++ = *r++;
        }
        if (quoted)
            return -1;
        if (*r != '\0')
            r++;
        *w++ = '\0';
    }
}

static int cxc_script_add(struct cxc_script *s, char *line, unsigned lineno,
                          char *err, size_t errlen)
{
    char *words[CXC_SCRIPT_MAX_WORDS];
    char msg[256];
    struct cxc_req *req;
    int n = cxc_split(line, words, CXC_SCRIPT_MAX_WORDS);

    if (n < 0) {
        (void)snprintf(err, errlen,
                       "script line %u: unbalanced quote or "
                       "more than %d words",
                       lineno, CXC_SCRIPT_MAX_WORDS);
        return -1;
    }
    if (n == 0)
        return 0;
    req = &s->reqs[s->n];
    cxc_req_defaults(req);
    if (cxc_opts_parse(n, words, NULL, req, msg, sizeof(msg)) != 0 ||
        cxc_req_check(req, msg, sizeof(msg)) != 0) {
        (void)snprintf(err, errlen, "script line %u: %s", lineno, msg);
        return -1;
    }
    s->n++;
    return 0;
}

static int cxc_script_line(struct cxc_script *s, const char *buf,
                           unsigned lineno, char *err, size_t errlen)
{
    const char *p = buf;
    char *copy;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '\n' || *p == '\r' || *p == '#')
        return 0;
    copy = strdup(p);
    if (copy == NULL) {
        (void)snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->lines[s->n_lines++] = copy;
    return cxc_script_add(s, copy, lineno, err, errlen);
}

int cxc_script_load(const char *path, struct cxc_script *s, char *err,
                    size_t errlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char buf[CXC_SCRIPT_MAX_LINE + 2];
    unsigned lineno = 0;
    int rc = 0;

    memset(s, 0, sizeof(*s));
    if (f == NULL) {
        (void)snprintf(err, errlen, "--script %s: %s", path, strerror(errno));
        return -1;
    }
    s->reqs = calloc(CXC_SCRIPT_MAX_LINES, sizeof(*s->reqs));
    s->lines = calloc(CXC_SCRIPT_MAX_LINES, sizeof(*s->lines));
    if (s->reqs == NULL || s->lines == NULL) {
        (void)snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
        lineno++;
        if (strlen(buf) > CXC_SCRIPT_MAX_LINE ||
            lineno > CXC_SCRIPT_MAX_LINES) {
            (void)snprintf(err, errlen,
                           "script line %u: too long or too "
                           "many lines (max %u x %u)",
                           lineno, CXC_SCRIPT_MAX_LINES, CXC_SCRIPT_MAX_LINE);
            rc = -1;
            break;
        }
        rc = cxc_script_line(s, buf, lineno, err, errlen);
    }
    if (rc == 0 && ferror(f)) {
        (void)snprintf(err, errlen, "--script %s: read error", path);
        rc = -1;
    }
    if (f != stdin)
        fclose(f);
    if (rc != 0)
        cxc_script_free(s);
    return rc;
}

void cxc_script_free(struct cxc_script *s)
{
    if (s->lines != NULL)
        for (unsigned i = 0; i < s->n_lines; i++)
            free(s->lines[i]);
    free(s->lines);
    free(s->reqs);
    memset(s, 0, sizeof(*s));
}
