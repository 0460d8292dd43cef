/* cx_pending.c - authentications in flight (see cx_pending.h).
 *
 * A cx_idtab of subscription id -> entry under one mutex; an entry is
 * closed (deleted as the table's sweep meets it) once `until` has passed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_pending.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_idtab.h"
#include "hss_store.h"

/* Slots of the table a note looks at for closed entries when every
 * interned S-CSCF is referred to (a bounded part of the table per note). */
#define RECLAIM_SWEEP 1024

struct pair {
    int64_t impi_id, impu_id;
};

struct entry {
    int64_t generation;
    int64_t until;
    uint16_t name; /* 1 + index into names; 0 = none */
    uint16_t n;    /* pairs used */
    struct pair pairs[CX_PENDING_PAIRS];
};

/* the memory figures of cx_pending.h and the sample configuration */
_Static_assert(sizeof(struct entry) == 56, "cx_pending entry size");

struct scscf {
    char name[HSS_IDENTITY_MAX + 1];
    char host[HSS_IDENTITY_MAX + 1];
    char realm[HSS_IDENTITY_MAX + 1];
};

/* An interned S-CSCF is kept while entries refer to it (refs); a slot
 * nobody refers to any more takes the next new one. */
struct cx_pending {
    struct cx_idtab_guarded g;
    size_t n_names;
    struct scscf names[CX_PENDING_NAMES];
    uint32_t refs[CX_PENDING_NAMES];
};

static bool entry_closed(const void *e, int64_t now)
{
    return ((const struct entry *)e)->until <= now;
}

/* The entry no longer refers to its S-CSCF. */
static void release_name(struct cx_pending *p, struct entry *e)
{
    if (e->name > 0 && p->refs[e->name - 1] > 0)
        p->refs[e->name - 1]--;
    e->name = 0;
}

/* The table deleted a closed entry (under p's lock: every table call is). */
static void entry_dropped(void *ctx, const void *e)
{
    struct entry copy = *(const struct entry *)e;

    release_name(ctx, &copy);
}

struct cx_pending *cx_pending_new(size_t max_entries)
{
    struct cx_pending *p = calloc(1, sizeof(*p));

    if (p == NULL || cx_idtab_guarded_init(&p->g, sizeof(struct entry),
                                           entry_closed, max_entries) != 0) {
        free(p);
        return NULL;
    }
    cx_idtab_on_drop(p->g.tab, entry_dropped, p);
    return p;
}

void cx_pending_free(struct cx_pending *p)
{
    if (p == NULL)
        return;
    cx_idtab_guarded_fini(&p->g);
    free(p);
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* The index of the S-CSCF, interned if new (in a slot no entry refers to
 * any more, else a new one); -1 when all CX_PENDING_NAMES are in use. */
static int name_index(struct cx_pending *p, const struct cx_pending_scscf *s)
{
    const char *host = or_empty(s->host), *realm = or_empty(s->realm);
    size_t i, free_slot = p->n_names;

    for (i = 0; i < p->n_names; i++) {
        const struct scscf *q = &p->names[i];

        if (strcmp(q->name, s->name) == 0 && strcmp(q->host, host) == 0 &&
            strcmp(q->realm, realm) == 0)
            return (int)i;
        if (p->refs[i] == 0 && free_slot == p->n_names)
            free_slot = i;
    }
    if (free_slot == CX_PENDING_NAMES)
        return -1;
    if (free_slot == p->n_names)
        p->n_names++;
    snprintf(p->names[free_slot].name, sizeof(p->names[0].name), "%s", s->name);
    snprintf(p->names[free_slot].host, sizeof(p->names[0].host), "%s", host);
    snprintf(p->names[free_slot].realm, sizeof(p->names[0].realm), "%s", realm);
    return (int)free_slot;
}

/* A name is required; none of the three may be longer than the store's. */
static bool scscf_ok(const struct cx_pending_scscf *s)
{
    return s != NULL && s->name != NULL && s->name[0] != '\0' &&
           strlen(s->name) <= HSS_IDENTITY_MAX &&
           strlen(or_empty(s->host)) <= HSS_IDENTITY_MAX &&
           strlen(or_empty(s->realm)) <= HSS_IDENTITY_MAX;
}

static int pair_index(const struct entry *e, int64_t impi_id, int64_t impu_id)
{
    for (int i = 0; i < e->n; i++)
        if (e->pairs[i].impi_id == impi_id && e->pairs[i].impu_id == impu_id)
            return i;
    return -1;
}

int cx_pending_note(struct cx_pending *p, int64_t sub_id, int64_t generation,
                    int64_t impi_id, int64_t impu_id,
                    const struct cx_pending_scscf *scscf, int64_t now,
                    int64_t until)
{
    struct entry *e;
    bool fresh;
    int name, rc = -1;

    if (p == NULL || !scscf_ok(scscf) || until <= now)
        return -1;
    pthread_mutex_lock(&p->g.mtx);
    name = name_index(p, scscf);
    if (name < 0) { /* closed entries may hold S-CSCFs nobody uses now */
        cx_idtab_sweep(p->g.tab, now, RECLAIM_SWEEP);
        name = name_index(p, scscf);
    }
    e = name < 0 ? NULL : cx_idtab_insert(p->g.tab, sub_id, now, &fresh);
    if (e == NULL)
        goto out;
    if (fresh || e->until <= now || e->generation != generation) {
        if (!fresh)
            release_name(p, e);
        memset(e, 0, sizeof(*e));
        e->generation = generation;
    }
    if (pair_index(e, impi_id, impu_id) < 0) {
        if (e->n == CX_PENDING_PAIRS)
            goto out; /* a reset entry has none: this one is open */
        e->pairs[e->n].impi_id = impi_id;
        e->pairs[e->n].impu_id = impu_id;
        e->n++;
    }
    if (e->name != name + 1) {
        release_name(p, e);
        p->refs[name]++;
        e->name = (uint16_t)(name + 1);
    }
    e->until = until;
    rc = 0;
out:
    pthread_mutex_unlock(&p->g.mtx);
    return rc;
}

/* sub_id's entry when open at now, under the lock. */
static struct entry *open_entry(struct cx_pending *p, int64_t sub_id,
                                int64_t now)
{
    struct entry *e = cx_idtab_find(p->g.tab, sub_id);

    return e != NULL && e->until > now && e->name > 0 ? e : NULL;
}

bool cx_pending_has(struct cx_pending *p, int64_t sub_id, int64_t generation,
                    int64_t impi_id, int64_t impu_id, int64_t now)
{
    struct entry *e;
    bool has;

    if (p == NULL)
        return false;
    pthread_mutex_lock(&p->g.mtx);
    e = open_entry(p, sub_id, now);
    has = e != NULL && e->generation == generation &&
          pair_index(e, impi_id, impu_id) >= 0;
    pthread_mutex_unlock(&p->g.mtx);
    return has;
}

bool cx_pending_scscf(struct cx_pending *p, int64_t sub_id, int64_t now,
                      char *out, size_t size)
{
    struct entry *e;

    if (size > 0)
        out[0] = '\0';
    if (p == NULL || size == 0)
        return false;
    pthread_mutex_lock(&p->g.mtx);
    e = open_entry(p, sub_id, now);
    if (e != NULL)
        snprintf(out, size, "%s", p->names[e->name - 1].name);
    pthread_mutex_unlock(&p->g.mtx);
    return e != NULL;
}

bool cx_pending_impi_route(struct cx_pending *p, int64_t sub_id,
                           int64_t impi_id, int64_t now, char *host,
                           size_t hsize, char *realm, size_t rsize)
{
    const struct scscf *s = NULL;
    struct entry *e;

    if (hsize > 0)
        host[0] = '\0';
    if (rsize > 0)
        realm[0] = '\0';
    if (p == NULL || hsize == 0 || rsize == 0)
        return false;
    pthread_mutex_lock(&p->g.mtx);
    e = open_entry(p, sub_id, now);
    for (int i = 0; e != NULL && s == NULL && i < e->n; i++)
        if (e->pairs[i].impi_id == impi_id && p->names[e->name - 1].host[0])
            s = &p->names[e->name - 1];
    if (s != NULL) {
        snprintf(host, hsize, "%s", s->host);
        snprintf(realm, rsize, "%s", s->realm);
    }
    pthread_mutex_unlock(&p->g.mtx);
    return s != NULL;
}

void cx_pending_end(struct cx_pending *p, int64_t sub_id, int64_t impi_id,
                    int64_t impu_id)
{
    struct entry *e;

    if (p == NULL)
        return;
    pthread_mutex_lock(&p->g.mtx);
    e = cx_idtab_find(p->g.tab, sub_id);
    for (int i = 0; e != NULL && i < e->n;) {
        const struct pair *q = &e->pairs[i];

        if ((impi_id == 0 || q->impi_id == impi_id) &&
            (impu_id == 0 || q->impu_id == impu_id))
            e->pairs[i] = e->pairs[--e->n];
        else
            i++;
    }
    if (e != NULL && e->n == 0) {
        release_name(p, e);
        cx_idtab_remove(p->g.tab, sub_id);
    }
    pthread_mutex_unlock(&p->g.mtx);
}

enum hss_rc cx_pending_subscription_get(struct cx_pending *p,
                                        struct hss_store *st, int64_t sub_id,
                                        int64_t now,
                                        struct hss_subscription *out)
{
    enum hss_rc rc = hss_store_subscription_get(st, sub_id, out);

    if (rc == HSS_OK && out->scscf_name[0] == '\0')
        (void)cx_pending_scscf(p, sub_id, now, out->scscf_name,
                               sizeof(out->scscf_name));
    return rc;
}

size_t cx_pending_size(struct cx_pending *p)
{
    return p != NULL ? cx_idtab_guarded_size(&p->g) : 0;
}
