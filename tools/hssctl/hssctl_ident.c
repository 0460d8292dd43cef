/* hssctl_ident.c - private and public identities, associations, profiles.
 *
 * Owns `impi add|delete|unlock`, `impu add|delete|bar|unbar|set-profile`,
 * `assoc add|remove` and `profile add`. Service profiles hold the operator's
 * <InitialFilterCriteria> elements; they are checked to be well-formed XML
 * made only of such elements (libxml2, no network, no entities) before they
 * are stored as is.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "hssctl.h"

/* Maps a store result of a change to the exit code and message. */
static int change_rc(struct hssctl *c, enum hss_rc src, const char *what,
                     const char *name)
{
    if (src == HSS_OK)
        return 0;
    if (src == HSS_EXISTS)
        return hssctl_fail(c, 2, "%s '%s' already exists", what, name);
    return hssctl_store_fail(c, src, what);
}

static int print_done(struct hssctl *c, const char *key, const char *name,
                      int64_t id)
{
    hssctl_out_begin(c);
    hssctl_out_str(c, key, name);
    if (id > 0)
        hssctl_out_int(c, "id", id);
    hssctl_out_str(c, "done", c->cmd->name);
    return hssctl_out_end(c);
}

/* After a change of the User-Data: how many PPRs carry it to the S-CSCF. */
static int print_done_ppr(struct hssctl *c, const char *name, size_t n_ppr)
{
    hssctl_out_begin(c);
    hssctl_out_str(c, "impu", name);
    hssctl_out_str(c, "done", c->cmd->name);
    hssctl_out_int(c, "ppr_queued", (int64_t)n_ppr);
    return hssctl_out_end(c);
}

static int parse_kind(struct hssctl *c, const char *s, enum hss_impi_kind *k)
{
    if (!s || !strcmp(s, "regular"))
        *k = HSS_IMPI_REGULAR;
    else if (!strcmp(s, "webrtc"))
        *k = HSS_IMPI_WEBRTC;
    else if (!strcmp(s, "pool"))
        *k = HSS_IMPI_POOL;
    else
        return hssctl_fail(c, 1,
                           "--kind must be regular, webrtc or pool, "
                           "not '%s'",
                           s);
    return 0;
}

int hssctl_cmd_impi_add(struct hssctl *c, const struct hssctl_args *a)
{
    const char *sch = hssctl_opt(c, a, "schemes");
    const char *def = hssctl_opt(c, a, "default-scheme");
    const char *exp = hssctl_opt(c, a, "expires");
    struct hss_impi_new n = {a->pos[1], HSS_IMPI_REGULAR, HSS_SCHEME_AKA,
                             HSS_SCHEME_NONE, 0};
    struct hss_subscription s;
    char detail[96], schemes[32];
    int64_t id = 0, dur = 0;
    int rc;

    if (parse_kind(c, hssctl_opt(c, a, "kind"), &n.kind) != 0)
        return 1;
    if (n.kind == HSS_IMPI_WEBRTC)
        n.schemes = HSS_SCHEME_DIGEST;
    if (n.kind == HSS_IMPI_POOL)
        n.schemes = HSS_SCHEME_NONE;
    if (sch && hssctl_parse_schemes(c, sch, &n.schemes) != 0)
        return 1;
    if (def && hssctl_parse_scheme(c, def, &n.default_scheme) != 0)
        return 1;
    if (def && !(n.schemes & n.default_scheme))
        return hssctl_fail(c, 1, "--default-scheme %s is not in --schemes",
                           def);
    if (!def && n.schemes != HSS_SCHEME_NONE)
        n.default_scheme =
            (n.schemes & HSS_SCHEME_AKA) ? HSS_SCHEME_AKA : HSS_SCHEME_DIGEST;
    if (exp && hssctl_parse_duration(c, "--expires", exp, &dur) != 0)
        return 1;
    n.valid_until = dur ? c->now + dur : 0;
    hssctl_schemes_str(n.schemes, schemes, sizeof(schemes));
    snprintf(detail, sizeof(detail), "kind=%s schemes=%s",
             hssctl_kind_str(n.kind), schemes);
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = hssctl_sub_find(c, a->pos[0], &s);
    if (rc == 0)
        rc = change_rc(c, hss_store_impi_add(c->st, s.id, &n, &id), "impi",
                       n.name);
    rc = hssctl_finish(c, rc, n.name, detail);
    return rc ? rc : print_done(c, "impi", n.name, id);
}

int hssctl_cmd_impi_delete(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_impi i;
    bool registered;
    int rc;

    if (hssctl_impi_find(c, a->pos[0], &i) != 0)
        return 2;
    /* its registrations would outlive it at the S-CSCF */
    if (hssctl_impi_registered(c, &i, &registered) != 0)
        return 2;
    if (registered)
        return hssctl_fail(c, 2,
                           "impi '%s' has registered IMPUs; de-register "
                           "first with 'hssctl reg deregister %s'",
                           i.name, i.name);
    if (hssctl_confirm(c, "delete impi", i.name) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = change_rc(c, hss_store_impi_delete(c->st, i.id), "deleting impi",
                   i.name);
    rc = hssctl_finish(c, rc, i.name, NULL);
    return rc ? rc : print_done(c, "impi", i.name, 0);
}

int hssctl_cmd_impi_unlock(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_impi i;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    rc = hssctl_impi_find(c, a->pos[0], &i);
    if (rc == 0)
        rc = change_rc(c, hss_store_impi_unlock(c->st, i.id), "unlocking",
                       i.name);
    rc = hssctl_finish(c, rc, a->pos[0], NULL);
    return rc ? rc : print_done(c, "impi", a->pos[0], 0);
}

/* ---- impu ------------------------------------------------------------- */

static int parse_type(struct hssctl *c, const char *s,
                      enum hss_identity_type *t)
{
    if (!s || !strcmp(s, "public"))
        *t = HSS_ID_PUBLIC_USER;
    else if (!strcmp(s, "distinct-psi"))
        *t = HSS_ID_DISTINCT_PSI;
    else if (!strcmp(s, "wildcard-psi"))
        *t = HSS_ID_WILDCARDED_PSI;
    else
        return hssctl_fail(c, 1,
                           "--type must be public, distinct-psi or "
                           "wildcard-psi, not '%s'",
                           s);
    return 0;
}

/* Associates the new IMPU with every --impi given; 0 or 2. */
static int impu_assoc_all(struct hssctl *c, const struct hssctl_args *a,
                          int64_t impu_id)
{
    for (int k = 0; k < a->nmulti; k++) {
        struct hss_impi i;
        enum hss_rc src;

        if (hssctl_impi_find(c, a->multi[k], &i) != 0)
            return 2;
        src = hss_store_assoc_add(c->st, i.id, impu_id);
        if (src == HSS_INVALID)
            return hssctl_fail(c, 2,
                               "impi '%s' belongs to another "
                               "subscription",
                               i.name);
        if (src != HSS_OK)
            return hssctl_store_fail(c, src, "associating");
    }
    return 0;
}

int hssctl_cmd_impu_add(struct hssctl *c, const struct hssctl_args *a)
{
    const char *irs = hssctl_opt(c, a, "irs-with");
    struct hss_impu_new n = {a->pos[1],
                             HSS_ID_PUBLIC_USER,
                             hssctl_flag(c, a, "barred"),
                             0,
                             0,
                             hssctl_opt(c, a, "display-name")};
    struct hss_subscription s;
    struct hss_impu other;
    int64_t id = 0;
    int rc;

    if (parse_type(c, hssctl_opt(c, a, "type"), &n.type) != 0)
        return 1;
    if (strncmp(n.name, "sip:", 4) && strncmp(n.name, "sips:", 5) &&
        strncmp(n.name, "tel:", 4))
        return hssctl_fail(c, 1,
                           "an IMPU is a sip:, sips: or tel: URI, not "
                           "'%s'",
                           n.name);
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = hssctl_sub_find(c, a->pos[0], &s);
    if (rc == 0 && irs) {
        rc = hssctl_impu_find(c, irs, &other);
        if (rc == 0 && other.subscription_id != s.id)
            rc = hssctl_fail(c, 2,
                             "impu '%s' belongs to another "
                             "subscription; an implicit set stays inside "
                             "one",
                             irs);
        n.irs_id = other.irs_id;
    }
    if (rc == 0)
        rc = change_rc(c, hss_store_impu_add(c->st, s.id, &n, &id), "impu",
                       n.name);
    if (rc == 0)
        rc = impu_assoc_all(c, a, id);
    rc = hssctl_finish(c, rc, n.name, irs ? irs : NULL);
    return rc ? rc : print_done(c, "impu", n.name, id);
}

int hssctl_cmd_impu_delete(struct hssctl *c, const struct hssctl_args *a)
{
    struct hss_impu u;
    int rc;

    if (hssctl_impu_find(c, a->pos[0], &u) != 0)
        return 2;
    if (u.reg_state == HSS_REG_REGISTERED)
        return hssctl_fail(c, 2,
                           "impu '%s' is registered; de-register "
                           "first with 'hssctl reg deregister %s'",
                           u.name, u.name);
    if (hssctl_confirm(c, "delete impu", u.name) != 0)
        return 1;
    rc = hssctl_begin(c);
    if (rc != 0)
        return rc;
    rc = change_rc(c, hss_store_impu_delete(c->st, u.id), "deleting impu",
                   u.name);
    rc = hssctl_finish(c, rc, u.name, NULL);
    return rc ? rc : print_done(c, "impu", u.name, 0);
}

int hssctl_cmd_impu_bar(struct hssctl *c, const struct hssctl_args *a)
{
    bool bar = strcmp(c->cmd->name, "impu bar") == 0;
    struct hss_impu u;
    size_t n_ppr = 0;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    rc = hssctl_impu_find(c, a->pos[0], &u);
    if (rc == 0)
        rc = change_rc(c, hss_store_impu_set_barred(c->st, u.id, bar),
                       "barring", u.name);
    if (rc == 0) /* the BarringIndication of the S-CSCF's User-Data */
        rc = hssctl_ppr_queue_sub(c, u.subscription_id, HSS_PPR_USER_DATA,
                                  &n_ppr);
    rc = hssctl_finish(c, rc, a->pos[0], bar ? "barred" : "unbarred");
    return rc ? rc : print_done_ppr(c, a->pos[0], n_ppr);
}

struct profile_find {
    const char *name;
    int64_t id;
};

static int profile_find_cb(void *p, const struct hss_service_profile *sp)
{
    struct profile_find *f = p;
    bool match = strcmp(sp->name, f->name) == 0 && sp->id > 0;

    free(sp->ifc_xml); /* ownership passes to the callback */
    if (match)
        f->id = sp->id;
    return match;
}

int hssctl_cmd_impu_set_profile(struct hssctl *c, const struct hssctl_args *a)
{
    struct profile_find f = {a->pos[1], 0};
    struct hss_impu u;
    enum hss_rc src;
    size_t n_ppr = 0;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    rc = hssctl_impu_find(c, a->pos[0], &u);
    if (rc == 0) {
        src = hss_store_profile_each_of_subscription(c->st, u.subscription_id,
                                                     profile_find_cb, &f);
        if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, "reading profiles");
        else if (f.id == 0)
            rc = hssctl_fail(c, 2,
                             "profile '%s' not found in the "
                             "subscription of '%s'; add it with 'hssctl "
                             "profile add'",
                             f.name, u.name);
    }
    if (rc == 0)
        rc = change_rc(c, hss_store_impu_set_profile(c->st, u.id, f.id),
                       "setting the profile", u.name);
    if (rc == 0)
        rc = hssctl_ppr_queue_sub(c, u.subscription_id, HSS_PPR_USER_DATA,
                                  &n_ppr);
    rc = hssctl_finish(c, rc, a->pos[0], a->pos[1]);
    return rc ? rc : print_done_ppr(c, a->pos[0], n_ppr);
}

int hssctl_cmd_assoc(struct hssctl *c, const struct hssctl_args *a)
{
    bool add = strcmp(c->cmd->name, "assoc add") == 0;
    struct hss_impi i;
    struct hss_impu u;
    enum hss_rc src;
    int rc = hssctl_begin(c);

    if (rc != 0)
        return rc;
    rc = hssctl_impi_find(c, a->pos[0], &i);
    if (rc == 0)
        rc = hssctl_impu_find(c, a->pos[1], &u);
    if (rc == 0 && !add) { /* the S-CSCF keeps a registration */
        struct hss_assoc as;

        if (hss_store_assoc_get(c->st, i.id, u.id, &as) == HSS_OK &&
            as.registered)
            rc = hssctl_fail(c, 2,
                             "'%s' is registered through '%s'; de-register "
                             "first with 'hssctl reg deregister %s'",
                             u.name, i.name, i.name);
    }
    if (rc == 0) {
        src = add ? hss_store_assoc_add(c->st, i.id, u.id)
                  : hss_store_assoc_remove(c->st, i.id, u.id);
        if (src == HSS_INVALID)
            rc = hssctl_fail(c, 2,
                             "'%s' and '%s' belong to different "
                             "subscriptions",
                             i.name, u.name);
        else if (src == HSS_EXISTS)
            rc = hssctl_fail(c, 2, "'%s' and '%s' are already associated",
                             i.name, u.name);
        else if (src == HSS_NOT_FOUND)
            rc = hssctl_fail(c, 2, "'%s' and '%s' are not associated", i.name,
                             u.name);
        else if (src != HSS_OK)
            rc = hssctl_store_fail(c, src, c->cmd->name);
    }
    rc = hssctl_finish(c, rc, a->pos[0], a->pos[1]);
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "impi", a->pos[0]);
    hssctl_out_str(c, "impu", a->pos[1]);
    hssctl_out_bool(c, "associated", add);
    return hssctl_out_end(c);
}

/* ---- profile add ------------------------------------------------------- */

#define HSSCTL_IFC_MAX (1024 * 1024)

/* Reads the file into a malloc'd, NUL-terminated buffer; NULL on error. */
static char *read_file(struct hssctl *c, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;

    if (!f) {
        hssctl_fail(c, 2, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    buf = malloc(HSSCTL_IFC_MAX + 1);
    *len = buf ? fread(buf, 1, HSSCTL_IFC_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || *len > HSSCTL_IFC_MAX) {
        free(buf);
        hssctl_fail(c, 2, "'%s' is larger than 1 MiB", path);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

/* The file must be well-formed XML made of <InitialFilterCriteria> elements
 * (a fragment: wrapped in a root element for parsing). */
static int ifc_validate(struct hssctl *c, const char *path, const char *xml,
                        size_t len)
{
    static const char open_tag[] = "<ifc-file>";
    static const char close_tag[] = "</ifc-file>";
    size_t n = sizeof(open_tag) - 1 + len + sizeof(close_tag) - 1;
    char *doc_text = malloc(n + 1);
    xmlDocPtr doc;
    int count = 0, rc = 0;

    if (!doc_text)
        return hssctl_fail(c, 2, "out of memory");
    memcpy(doc_text, open_tag, sizeof(open_tag) - 1);
    memcpy(doc_text + sizeof(open_tag) - 1, xml, len);
    memcpy(doc_text + sizeof(open_tag) - 1 + len, close_tag, sizeof(close_tag));
    doc = xmlReadMemory(doc_text, (int)n, path, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    free(doc_text);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        char msg[160] = "parse error";

        if (e && e->message) {
            snprintf(msg, sizeof(msg), "%s", e->message);
            msg[strcspn(msg, "\n")] = '\0';
        }
        return hssctl_fail(c, 2,
                           "'%s' is not well-formed XML (line %d: "
                           "%s)",
                           path, e ? e->line : 0, msg);
    }
    for (xmlNodePtr k = xmlDocGetRootElement(doc)->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(k->name, (const xmlChar *)"InitialFilterCriteria")) {
            rc = hssctl_fail(c, 2,
                             "'%s' line %d: <%s> found; the file "
                             "holds only <InitialFilterCriteria> elements",
                             path, (int)k->line, (const char *)k->name);
            break;
        }
        count++;
    }
    if (rc == 0 && count == 0)
        rc = hssctl_fail(c, 2, "'%s' has no <InitialFilterCriteria> element",
                         path);
    xmlFreeDoc(doc);
    return rc;
}

int hssctl_cmd_profile_add(struct hssctl *c, const struct hssctl_args *a)
{
    const char *path = hssctl_opt(c, a, "ifc-file");
    struct hss_subscription s;
    int64_t id = 0;
    size_t len = 0;
    char *xml;
    int rc;

    if (!path)
        return hssctl_fail(c, 1, "profile add needs --ifc-file FILE");
    xml = read_file(c, path, &len);
    if (!xml)
        return 2;
    rc = ifc_validate(c, path, xml, len);
    if (rc == 0)
        rc = hssctl_begin(c);
    if (rc == 0) {
        rc = hssctl_sub_find(c, a->pos[0], &s);
        if (rc == 0)
            rc = change_rc(
                c, hss_store_profile_add(c->st, s.id, a->pos[1], xml, &id),
                "profile", a->pos[1]);
        rc = hssctl_finish(c, rc, a->pos[0], a->pos[1]);
    }
    free(xml);
    return rc ? rc : print_done(c, "profile", a->pos[1], id);
}
