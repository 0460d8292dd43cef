/* hssctl_util.c - steps every command group shares.
 *
 * Owns the friendly lookups ("impi 'x' not found; list with ..."), the write
 * transaction of a command together with its audit entry, the walk over all
 * subscriptions (composed from hss_store_subscription_get because the store
 * has no listing function), the confirmation prompt, and the strict parsers
 * for numbers, durations, on/off, schemes and digest algorithms.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hssctl.h"

int hssctl_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if (n >= size)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

/* ---- lookups ------------------------------------------------------------ */

static int not_found(struct hssctl *c, enum hss_rc rc, const char *what,
                     const char *name, const char *list)
{
    char buf[64];

    if (rc == HSS_NOT_FOUND)
        return hssctl_fail(c, 2, "%s '%s' not found; list with '%s'", what,
                           name, list);
    snprintf(buf, sizeof(buf), "looking up %s", what);
    return hssctl_store_fail(c, rc, buf);
}

int hssctl_sub_find(struct hssctl *c, const char *name,
                    struct hss_subscription *out)
{
    enum hss_rc rc = hss_store_subscription_by_name(c->st, name, out);

    return rc == HSS_OK
               ? 0
               : not_found(c, rc, "subscription", name, "hssctl sub list");
}

int hssctl_sub_find_id(struct hssctl *c, int64_t id,
                       struct hss_subscription *out)
{
    enum hss_rc rc = hss_store_subscription_get(c->st, id, out);

    return rc == HSS_OK ? 0 : hssctl_store_fail(c, rc, "subscription");
}

int hssctl_impi_find(struct hssctl *c, const char *name, struct hss_impi *out)
{
    enum hss_rc rc = hss_store_impi_get(c->st, name, out);

    return rc == HSS_OK ? 0
                        : not_found(c, rc, "impi", name, "hssctl sub show SUB");
}

int hssctl_impu_find(struct hssctl *c, const char *name, struct hss_impu *out)
{
    enum hss_rc rc = hss_store_impu_get(c->st, name, out);

    return rc == HSS_OK ? 0
                        : not_found(c, rc, "impu", name, "hssctl sub show SUB");
}

int hssctl_pool_find(struct hssctl *c, const char *name, struct hss_pool *out)
{
    enum hss_rc rc = hss_store_pool_get(c->st, name, out);

    return rc == HSS_OK ? 0
                        : not_found(c, rc, "pool", name, "hssctl pool list");
}

/* ---- write transaction + audit ----------------------------------------- */

int hssctl_begin(struct hssctl *c)
{
    enum hss_rc rc = hss_store_begin(c->st, HSS_TX_WRITE);

    return rc == HSS_OK ? 0 : hssctl_store_fail(c, rc, "starting a change");
}

int hssctl_finish(struct hssctl *c, int rc, const char *object,
                  const char *detail)
{
    enum hss_rc src;

    if (rc != 0) {
        hss_store_rollback(c->st);
        return rc;
    }
    src = hss_store_audit(c->st, c->now, c->actor, c->cmd->name, object,
                          detail ? detail : "");
    if (src != HSS_OK) {
        hss_store_rollback(c->st);
        return hssctl_store_fail(c, src, "writing the audit entry");
    }
    src = hss_store_commit(c->st);
    if (src != HSS_OK) {
        hss_store_rollback(c->st);
        return hssctl_store_fail(c, src, "committing");
    }
    return 0;
}

/* ---- subscription walk --------------------------------------------------- */

int hssctl_sub_each(struct hssctl *c, hssctl_sub_cb cb, void *ctx)
{
    struct hss_store_counts counts;
    struct hss_subscription s;
    enum hss_rc rc;
    int64_t seen = 0;
    int64_t misses = 0;

    rc = hss_store_counts_get(c->st, c->now, &counts);
    if (rc != HSS_OK)
        return hssctl_store_fail(c, rc, "counting subscriptions");
    /* Ids are assigned increasingly; stop once every row was seen. The
     * miss bound guards against a count that changed under us. */
    for (int64_t id = 1; seen < counts.subscriptions; id++) {
        rc = hss_store_subscription_get(c->st, id, &s);
        if (rc == HSS_NOT_FOUND) {
            if (++misses > counts.subscriptions + 1000000)
                break;
            continue;
        }
        if (rc != HSS_OK)
            return hssctl_store_fail(c, rc, "reading subscriptions");
        seen++;
        if (cb(ctx, &s) != 0)
            break;
    }
    return 0;
}

/* ---- confirmation -------------------------------------------------------- */

int hssctl_confirm(struct hssctl *c, const char *what, const char *name)
{
    char line[16];

    if (c->yes)
        return 0;
    if (!isatty(STDIN_FILENO))
        return hssctl_fail(c, 1,
                           "refusing to %s '%s' without confirmation; "
                           "add --yes",
                           what, name);
    fprintf(stderr, "hssctl: %s '%s'? [y/N] ", what, name);
    if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y'))
        return hssctl_fail(c, 1, "not confirmed; nothing changed");
    return 0;
}

/* ---- parsers ------------------------------------------------------------ */

int hssctl_parse_i64(struct hssctl *c, const char *what, const char *s,
                     int64_t min, int64_t max, int64_t *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (s[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        return hssctl_fail(c, 1, "%s '%s' is not a number in %lld..%lld", what,
                           s, (long long)min, (long long)max);
    *out = v;
    return 0;
}

int hssctl_parse_duration(struct hssctl *c, const char *what, const char *s,
                          int64_t *out)
{
    static const char units[] = "smhdw";
    static const int64_t mults[] = {1, 60, 3600, 86400, 604800};
    const int64_t max = (int64_t)3650 * 86400; /* ten years */
    char *end = NULL;
    long long v;
    int64_t mult = 1;

    if (strcmp(s, "never") == 0) {
        *out = 0;
        return 0;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || errno != 0)
        goto bad;
    if (*end) {
        const char *u = strchr(units, *end);

        if (!u || end[1] != '\0')
            goto bad;
        mult = mults[u - units];
    }
    if (v <= 0 || v > max / mult)
        goto bad;
    *out = v * mult;
    return 0;
bad:
    return hssctl_fail(c, 1,
                       "%s '%s' is not a duration (e.g. 90s, 5m, 1h, "
                       "30d, never; at most ten years)",
                       what, s);
}

int hssctl_parse_onoff(struct hssctl *c, const char *what, const char *s,
                       bool *out)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *out = true;
        return 0;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *out = false;
        return 0;
    }
    return hssctl_fail(c, 1, "%s must be on or off, not '%s'", what, s);
}

int hssctl_parse_scheme(struct hssctl *c, const char *s, enum hss_scheme *out)
{
    if (strcasecmp(s, "aka") == 0) {
        *out = HSS_SCHEME_AKA;
        return 0;
    }
    if (strcasecmp(s, "digest") == 0) {
        *out = HSS_SCHEME_DIGEST;
        return 0;
    }
    return hssctl_fail(c, 1, "unknown scheme '%s'; use aka or digest", s);
}

/* Splits a comma list and feeds each word to fn; 0 or 1. */
static int each_word(struct hssctl *c, const char *list, const char *what,
                     int (*fn)(struct hssctl *, const char *, unsigned *),
                     unsigned *mask)
{
    char word[32];
    const char *p = list;

    *mask = 0;
    while (*p) {
        size_t n = strcspn(p, ",");

        if (n == 0 || n >= sizeof(word))
            return hssctl_fail(c, 1, "bad %s list '%s'", what, list);
        memcpy(word, p, n);
        word[n] = '\0';
        if (fn(c, word, mask) != 0)
            return 1;
        p += n;
        if (*p == ',')
            p++;
    }
    if (*mask == 0)
        return hssctl_fail(c, 1, "empty %s list", what);
    return 0;
}

static int scheme_word(struct hssctl *c, const char *w, unsigned *mask)
{
    enum hss_scheme s = HSS_SCHEME_NONE;

    if (hssctl_parse_scheme(c, w, &s) != 0)
        return 1;
    *mask |= s;
    return 0;
}

int hssctl_parse_schemes(struct hssctl *c, const char *s, unsigned *out)
{
    return each_word(c, s, "scheme", scheme_word, out);
}

static int algo_word(struct hssctl *c, const char *w, unsigned *mask)
{
    if (!strcasecmp(w, "md5"))
        *mask |= 1u << HSS_HA1_MD5;
    else if (!strcasecmp(w, "sha256") || !strcasecmp(w, "sha-256"))
        *mask |= 1u << HSS_HA1_SHA256;
    else if (!strcasecmp(w, "sha512-256") || !strcasecmp(w, "sha-512-256"))
        *mask |= 1u << HSS_HA1_SHA512_256;
    else
        return hssctl_fail(c, 1,
                           "unknown digest algorithm '%s'; use md5, "
                           "sha256 or sha512-256",
                           w);
    return 0;
}

int hssctl_parse_algorithms(struct hssctl *c, const char *s, unsigned *out)
{
    return each_word(c, s, "algorithm", algo_word, out);
}

/* ---- names -------------------------------------------------------------- */

const char *hssctl_kind_str(enum hss_impi_kind k)
{
    switch (k) {
    case HSS_IMPI_REGULAR:
        return "regular";
    case HSS_IMPI_WEBRTC:
        return "webrtc";
    case HSS_IMPI_POOL:
        return "pool";
    }
    return "unknown";
}

const char *hssctl_reg_str(enum hss_reg_state s)
{
    switch (s) {
    case HSS_REG_NOT_REGISTERED:
        return "not-registered";
    case HSS_REG_REGISTERED:
        return "registered";
    case HSS_REG_UNREGISTERED:
        return "unregistered";
    }
    return "unknown";
}

const char *hssctl_idtype_str(enum hss_identity_type t)
{
    switch (t) {
    case HSS_ID_PUBLIC_USER:
        return "public";
    case HSS_ID_DISTINCT_PSI:
        return "distinct-psi";
    case HSS_ID_WILDCARDED_PSI:
        return "wildcard-psi";
    }
    return "unknown";
}

const char *hssctl_algo_str(enum hss_digest_algo_id a)
{
    switch (a) {
    case HSS_HA1_MD5:
        return "md5";
    case HSS_HA1_SHA256:
        return "sha256";
    case HSS_HA1_SHA512_256:
        return "sha512-256";
    }
    return "unknown";
}

void hssctl_schemes_str(unsigned schemes, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s", (schemes & HSS_SCHEME_AKA) ? "aka" : "",
             (schemes & HSS_SCHEME_AKA) && (schemes & HSS_SCHEME_DIGEST) ? ","
                                                                         : "",
             (schemes & HSS_SCHEME_DIGEST) ? "digest" : "");
    if (!buf[0])
        snprintf(buf, size, "none");
}
