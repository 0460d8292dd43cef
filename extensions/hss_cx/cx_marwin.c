/* cx_marwin.c - the MAR brute-force windows (see cx_marwin.h).
 *
 * An open-addressing hash table (linear probing, at most 3/4 full) of
 * IMPI id -> window. Closed windows (over, and no lock running) are
 * dropped as they are met: every note first looks at the next SWEEP_STEP
 * slots of a cursor going round the table and deletes the closed ones
 * (backward-shift deletion, no tombstones). With the table at most four
 * times its windows and each note opening at most one, the cursor goes
 * round at least about once per window, so the table holds the open
 * windows (MAR rate x window, and never more than the IMPIs there are)
 * plus at most about one window's worth of closed ones, not every IMPI
 * ever seen, and no note pays for a whole-table pass. Only growth rebuilds the
 * table: when an insert would pass 3/4, into the smallest capacity the open
 * windows fill to at most half.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_marwin.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MIN_CAP 1024u /* a power of two */
#define SWEEP_STEP 4  /* slots looked at per note */

struct slot {
    int64_t impi_id;
    int64_t generation; /* lease id, 0 = not a pool identity */
    int64_t ends;       /* window end (start + window_s); 0 = closed */
    int64_t start;
    int64_t lock_seen; /* stored locked_until last seen or set */
    int32_t count;
    uint8_t used;
};

struct cx_marwin {
    pthread_mutex_t mtx;
    struct slot *slots;
    size_t cap, used; /* cap a power of two; used = slots taken */
    size_t sweep;     /* next slot the sweep looks at */
};

static size_t slot_of(const struct cx_marwin *w, int64_t id)
{
    /* Fibonacci hashing: sequential ids spread over the table */
    uint64_t h = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);

    return (size_t)(h >> 32) & (w->cap - 1);
}

static bool slot_closed(const struct slot *s, int64_t now)
{
    return s->ends <= now && s->lock_seen <= now;
}

/* Finds id's slot, or the free slot where it goes. */
static struct slot *probe(struct cx_marwin *w, int64_t id)
{
    size_t i = slot_of(w, id);

    while (w->slots[i].used && w->slots[i].impi_id != id)
        i = (i + 1) & (w->cap - 1);
    return &w->slots[i];
}

/* Deletes slot i, moving back the slots after it in its cluster that may
 * live there (those whose home is not cyclically in (i, j]), so that every
 * probe still finds its key without tombstones. */
static void slot_remove(struct cx_marwin *w, size_t i)
{
    size_t mask = w->cap - 1, j = i, home;

    for (;;) {
        j = (j + 1) & mask;
        if (!w->slots[j].used)
            break;
        home = slot_of(w, w->slots[j].impi_id);
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue; /* j is where it may be */
        w->slots[i] = w->slots[j];
        i = j;
    }
    memset(&w->slots[i], 0, sizeof(w->slots[i]));
    w->used--;
}

/* Looks at the next SWEEP_STEP slots and deletes the closed windows. A
 * deletion may move another slot into the one just freed: the cursor
 * stays to look at it next. */
static void sweep(struct cx_marwin *w, int64_t now)
{
    for (int n = 0; n < SWEEP_STEP; n++) {
        size_t i = w->sweep & (w->cap - 1);

        if (w->slots[i].used && slot_closed(&w->slots[i], now))
            slot_remove(w, i);
        else
            w->sweep = i + 1;
    }
}

/* Rebuilds into cap slots, keeping the windows still open at now. */
static bool rebuild(struct cx_marwin *w, size_t cap, int64_t now)
{
    struct slot *old = w->slots, *s;
    size_t old_cap = w->cap;

    w->slots = calloc(cap, sizeof(*w->slots));
    if (w->slots == NULL) {
        w->slots = old;
        return false;
    }
    w->cap = cap;
    w->used = 0;
    w->sweep = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].used || slot_closed(&old[i], now))
            continue;
        s = probe(w, old[i].impi_id);
        *s = old[i];
        w->used++;
    }
    free(old);
    return true;
}

/* Makes room for one more slot: past 3/4, rebuilds without the closed
 * windows into the smallest capacity (not below MIN_CAP) the open ones
 * fill to at most half. */
static bool reserve(struct cx_marwin *w, int64_t now)
{
    size_t open = 0, cap = MIN_CAP;

    if (w->used + 1 <= w->cap / 4 * 3)
        return true;
    for (size_t i = 0; i < w->cap; i++)
        if (w->slots[i].used && !slot_closed(&w->slots[i], now))
            open++;
    while (open + 1 > cap / 2) {
        if (cap > SIZE_MAX / 2 / sizeof(struct slot))
            return false;
        cap *= 2;
    }
    return rebuild(w, cap, now);
}

struct cx_marwin *cx_marwin_new(void)
{
    struct cx_marwin *w = calloc(1, sizeof(*w));

    if (w == NULL)
        return NULL;
    w->cap = MIN_CAP;
    w->slots = calloc(w->cap, sizeof(*w->slots));
    if (w->slots == NULL || pthread_mutex_init(&w->mtx, NULL) != 0) {
        free(w->slots);
        free(w);
        return NULL;
    }
    return w;
}

void cx_marwin_free(struct cx_marwin *w)
{
    if (w == NULL)
        return;
    pthread_mutex_destroy(&w->mtx);
    free(w->slots);
    free(w);
}

static void window_open(struct slot *s, int64_t generation, int64_t stored_lock,
                        int64_t now, int window_s)
{
    s->generation = generation;
    s->start = now;
    s->ends = now + window_s;
    s->lock_seen = stored_lock;
    s->count = 0;
}

enum cx_marwin_verdict cx_marwin_note(struct cx_marwin *w, int64_t impi_id,
                                      int64_t generation, int64_t stored_lock,
                                      int64_t now, int window_s, int max,
                                      int lock_s, int64_t *until)
{
    enum cx_marwin_verdict v = CX_MARWIN_OK;
    struct slot *s;

    if (w == NULL || until == NULL || window_s <= 0 || max <= 0 || lock_s < 0)
        return CX_MARWIN_INVALID;
    *until = 0;
    pthread_mutex_lock(&w->mtx);
    sweep(w, now);
    s = probe(w, impi_id);
    if (!s->used) {
        if (!reserve(w, now)) {
            pthread_mutex_unlock(&w->mtx);
            return CX_MARWIN_NOMEM;
        }
        s = probe(w, impi_id); /* the table may have been rebuilt */
        s->used = 1;
        s->impi_id = impi_id;
        w->used++;
        window_open(s, generation, stored_lock, now, window_s);
    } else if (s->generation != generation || s->lock_seen != stored_lock ||
               now >= s->ends || s->start > now) {
        /* a new lease, a lock changed by someone else, a window that is
         * over (or a clock that went back) */
        window_open(s, generation, stored_lock, now, window_s);
    }
    if (s->count < INT32_MAX)
        s->count++;
    if (s->count > max) {
        *until = now + lock_s;
        s->lock_seen = *until;
        v = CX_MARWIN_LOCK;
    }
    pthread_mutex_unlock(&w->mtx);
    return v;
}

void cx_marwin_reset(struct cx_marwin *w, int64_t impi_id)
{
    struct slot *s;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mtx);
    s = probe(w, impi_id);
    if (s->used) {
        s->ends = 0;
        s->count = 0;
    }
    pthread_mutex_unlock(&w->mtx);
}

size_t cx_marwin_size(struct cx_marwin *w)
{
    size_t n;

    if (w == NULL)
        return 0;
    pthread_mutex_lock(&w->mtx);
    n = w->used;
    pthread_mutex_unlock(&w->mtx);
    return n;
}

static struct cx_marwin *g_marwin;

struct cx_marwin *cx_marwin_global(void)
{
    return g_marwin;
}

int cx_marwin_global_init(void)
{
    if (g_marwin == NULL)
        g_marwin = cx_marwin_new();
    return g_marwin == NULL ? -1 : 0;
}

void cx_marwin_global_fini(void)
{
    cx_marwin_free(g_marwin);
    g_marwin = NULL;
}
