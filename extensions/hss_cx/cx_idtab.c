/* cx_idtab.c - id -> entry table with time-closed entries (see cx_idtab.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_idtab.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CAP 1024u /* a power of two */
#define SWEEP_STEP 4  /* slots looked at per insert */
#define ENTRY_MAX 1024u

/* A slot: this header, then the owner's entry. */
struct hdr {
    int64_t id;
    uint64_t used;
};

struct cx_idtab {
    unsigned char *slots;
    size_t stride;     /* header + entry, a multiple of 8 */
    size_t entry_size; /* the owner's bytes */
    size_t cap, used;  /* cap a power of two; used = slots taken */
    size_t max;        /* bound on used, 0 = none */
    size_t sweep;      /* next slot the sweep looks at */
    cx_idtab_closed_fn closed;
    cx_idtab_drop_fn drop; /* may be NULL */
    void *drop_ctx;
};

static struct hdr *slot_at(const struct cx_idtab *t, size_t i)
{
    return (struct hdr *)(void *)(t->slots + i * t->stride);
}

static void *entry_of(struct hdr *h)
{
    return h + 1;
}

static size_t home_of(const struct cx_idtab *t, int64_t id)
{
    /* Fibonacci hashing: sequential ids spread over the table */
    uint64_t h = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);

    return (size_t)(h >> 32) & (t->cap - 1);
}

static bool slot_closed(const struct cx_idtab *t, struct hdr *h, int64_t now)
{
    return t->closed(entry_of(h), now);
}

/* The table is about to delete h's closed entry: the owner hears of it. */
static void slot_dropped(const struct cx_idtab *t, struct hdr *h)
{
    if (t->drop != NULL)
        t->drop(t->drop_ctx, entry_of(h));
}

/* Finds id's slot, or the free slot where it goes. */
static struct hdr *probe(const struct cx_idtab *t, int64_t id)
{
    size_t i = home_of(t, id);

    while (slot_at(t, i)->used && slot_at(t, i)->id != id)
        i = (i + 1) & (t->cap - 1);
    return slot_at(t, i);
}

/* Deletes slot i, moving back the slots after it in its cluster that may
 * live there (those whose home is not cyclically in (i, j]), so that every
 * probe still finds its key without tombstones. */
static void slot_remove(struct cx_idtab *t, size_t i)
{
    size_t mask = t->cap - 1, j = i, home;

    for (;;) {
        j = (j + 1) & mask;
        if (!slot_at(t, j)->used)
            break;
        home = home_of(t, slot_at(t, j)->id);
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue; /* j is where it may be */
        memcpy(slot_at(t, i), slot_at(t, j), t->stride);
        i = j;
    }
    memset(slot_at(t, i), 0, t->stride);
    t->used--;
}

/* Looks at the next SWEEP_STEP slots and deletes the closed entries. A
 * deletion may move another slot into the one just freed: the cursor
 * stays to look at it next. */
static void sweep(struct cx_idtab *t, int64_t now, size_t steps)
{
    for (size_t n = 0; n < steps; n++) {
        size_t i = t->sweep & (t->cap - 1);

        if (slot_at(t, i)->used && slot_closed(t, slot_at(t, i), now)) {
            slot_dropped(t, slot_at(t, i));
            slot_remove(t, i);
        } else
            t->sweep = i + 1;
    }
}

/* Rebuilds into cap slots, keeping the entries still open at now. */
static bool rebuild(struct cx_idtab *t, size_t cap, int64_t now)
{
    unsigned char *old = t->slots;
    size_t old_cap = t->cap;

    t->slots = calloc(cap, t->stride);
    if (t->slots == NULL) {
        t->slots = old;
        return false;
    }
    t->cap = cap;
    t->used = 0;
    t->sweep = 0;
    for (size_t i = 0; i < old_cap; i++) {
        struct hdr *h = (struct hdr *)(void *)(old + i * t->stride);

        if (!h->used)
            continue;
        if (slot_closed(t, h, now)) {
            slot_dropped(t, h);
            continue;
        }
        memcpy(probe(t, h->id), h, t->stride);
        t->used++;
    }
    free(old);
    return true;
}

/* Makes room for one more slot: past 3/4, rebuilds without the closed
 * entries into the smallest capacity (not below MIN_CAP) the open ones
 * fill to at most half. */
static bool reserve(struct cx_idtab *t, int64_t now)
{
    size_t open = 0, cap = MIN_CAP;

    if (t->used + 1 <= t->cap / 4 * 3)
        return true;
    for (size_t i = 0; i < t->cap; i++)
        if (slot_at(t, i)->used && !slot_closed(t, slot_at(t, i), now))
            open++;
    while (open + 1 > cap / 2) {
        if (cap > SIZE_MAX / 2 / t->stride)
            return false;
        cap *= 2;
    }
    return rebuild(t, cap, now);
}

struct cx_idtab *cx_idtab_new(size_t entry_size, cx_idtab_closed_fn closed,
                              size_t max_entries)
{
    struct cx_idtab *t;

    if (entry_size == 0 || entry_size > ENTRY_MAX || closed == NULL)
        return NULL;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    t->entry_size = entry_size;
    t->stride = sizeof(struct hdr) + (entry_size + 7) / 8 * 8;
    t->closed = closed;
    t->max = max_entries;
    t->cap = MIN_CAP;
    t->slots = calloc(t->cap, t->stride);
    if (t->slots == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

void cx_idtab_on_drop(struct cx_idtab *t, cx_idtab_drop_fn drop, void *ctx)
{
    t->drop = drop;
    t->drop_ctx = ctx;
}

void cx_idtab_free(struct cx_idtab *t)
{
    if (t == NULL)
        return;
    free(t->slots);
    free(t);
}

int cx_idtab_guarded_init(struct cx_idtab_guarded *g, size_t entry_size,
                          cx_idtab_closed_fn closed, size_t max_entries)
{
    g->tab = cx_idtab_new(entry_size, closed, max_entries);
    if (g->tab != NULL && pthread_mutex_init(&g->mtx, NULL) == 0)
        return 0;
    cx_idtab_free(g->tab);
    g->tab = NULL;
    return -1;
}

void cx_idtab_guarded_fini(struct cx_idtab_guarded *g)
{
    pthread_mutex_destroy(&g->mtx);
    cx_idtab_free(g->tab);
    g->tab = NULL;
}

size_t cx_idtab_guarded_size(struct cx_idtab_guarded *g)
{
    size_t n;

    if (g == NULL)
        return 0;
    pthread_mutex_lock(&g->mtx);
    n = cx_idtab_size(g->tab);
    pthread_mutex_unlock(&g->mtx);
    return n;
}

void *cx_idtab_find(struct cx_idtab *t, int64_t id)
{
    struct hdr *h = probe(t, id);

    return h->used ? entry_of(h) : NULL;
}

void *cx_idtab_insert(struct cx_idtab *t, int64_t id, int64_t now, bool *fresh)
{
    struct hdr *h;

    sweep(t, now, SWEEP_STEP);
    h = probe(t, id);
    *fresh = !h->used;
    if (h->used)
        return entry_of(h);
    if ((t->max > 0 && t->used >= t->max) || !reserve(t, now))
        return NULL;
    h = probe(t, id); /* the table may have been rebuilt */
    h->used = 1;
    h->id = id;
    t->used++;
    return entry_of(h);
}

void cx_idtab_sweep(struct cx_idtab *t, int64_t now, size_t n)
{
    sweep(t, now, n < t->cap ? n : t->cap);
}

void cx_idtab_remove(struct cx_idtab *t, int64_t id)
{
    struct hdr *h = probe(t, id);

    if (h->used)
        slot_remove(t, (size_t)((unsigned char *)h - t->slots) / t->stride);
}

size_t cx_idtab_size(const struct cx_idtab *t)
{
    return t->used;
}
