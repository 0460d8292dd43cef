/* cx_marwin.c - the MAR brute-force windows (see cx_marwin.h).
 *
 * A cx_idtab of IMPI id -> window under one mutex. A window is closed (and
 * deleted as the table's sweep meets it) when it is over and no lock it set
 * is running, so the table holds the open windows (MAR rate x window, and
 * never more than the IMPIs there are) plus at most about one window's
 * worth of closed ones, not every IMPI ever seen.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_marwin.h"

#include <pthread.h>
#include <stdlib.h>

#include "cx_idtab.h"

struct window {
    int64_t generation; /* lease id, 0 = not a pool identity */
    int64_t ends;       /* window end (start + window_s); 0 = closed */
    int64_t start;
    int64_t lock_seen; /* stored locked_until last seen or set */
    int32_t count;
};

struct cx_marwin {
    struct cx_idtab_guarded g;
};

static bool window_closed(const void *entry, int64_t now)
{
    const struct window *s = entry;

    return s->ends <= now && s->lock_seen <= now;
}

struct cx_marwin *cx_marwin_new(void)
{
    struct cx_marwin *w = calloc(1, sizeof(*w));

    if (w != NULL && cx_idtab_guarded_init(&w->g, sizeof(struct window),
                                           window_closed, 0) != 0) {
        free(w);
        w = NULL;
    }
    return w;
}

void cx_marwin_free(struct cx_marwin *w)
{
    if (w == NULL)
        return;
    cx_idtab_guarded_fini(&w->g);
    free(w);
}

static void window_open(struct window *s, int64_t generation,
                        int64_t stored_lock, int64_t now, int window_s)
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
    struct window *s;
    bool fresh;

    if (w == NULL || until == NULL || window_s <= 0 || max <= 0 || lock_s < 0)
        return CX_MARWIN_INVALID;
    *until = 0;
    pthread_mutex_lock(&w->g.mtx);
    s = cx_idtab_insert(w->g.tab, impi_id, now, &fresh);
    if (s == NULL) {
        pthread_mutex_unlock(&w->g.mtx);
        return CX_MARWIN_NOMEM;
    }
    if (fresh) {
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
    pthread_mutex_unlock(&w->g.mtx);
    return v;
}

void cx_marwin_reset(struct cx_marwin *w, int64_t impi_id)
{
    struct window *s;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->g.mtx);
    s = cx_idtab_find(w->g.tab, impi_id);
    if (s != NULL) {
        s->ends = 0;
        s->count = 0;
    }
    pthread_mutex_unlock(&w->g.mtx);
}

size_t cx_marwin_size(struct cx_marwin *w)
{
    return w != NULL ? cx_idtab_guarded_size(&w->g) : 0;
}
