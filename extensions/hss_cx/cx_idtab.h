/* cx_idtab.h - a table of store id -> small fixed-size entry that closes
 * with time, for the state the HSS keeps in memory (cx_marwin.h, the MAR
 * brute-force windows; cx_pending.h, the authentications in flight).
 *
 * An open-addressing hash table (linear probing, at most 3/4 full).
 * Closed entries (the owner's `closed` callback says so at `now`) are
 * deleted as they are met: every insert first looks at the next few slots
 * of a cursor going round the table and deletes the closed ones
 * (backward-shift deletion, no tombstones). With the table at most four
 * times its open entries and each insert adding at most one, the cursor
 * goes round at least about once per entry, so the table holds the open
 * entries plus at most about one lifetime's worth of closed ones, and no
 * insert pays for a whole-table pass. Only growth rebuilds the table: when
 * an insert would pass 3/4, into the smallest capacity the open entries
 * fill to at most half (~100 ms at a million entries, once per doubling).
 *
 * Not thread-safe: the owner holds its own lock around every call. A
 * pointer returned by find or insert is valid until the next insert or
 * remove.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_IDTAB_H
#define CX_IDTAB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cx_idtab;

/* Whether an entry is over at now (it may then be deleted). */
typedef bool (*cx_idtab_closed_fn)(const void *entry, int64_t now);

/* A new, empty table of entries of entry_size bytes (at most 1 KiB);
 * max_entries bounds the slots held (0 = no bound). NULL when out of
 * memory or on bad parameters. */
struct cx_idtab *cx_idtab_new(size_t entry_size, cx_idtab_closed_fn closed,
                              size_t max_entries);

/* Called with ctx when the table deletes a closed entry on its own (the
 * sweep of an insert, a rebuild): the owner may release what the entry
 * referred to. Not called for cx_idtab_remove (the owner asked) nor by
 * cx_idtab_free. */
typedef void (*cx_idtab_drop_fn)(void *ctx, const void *entry);

/* Sets (or, with NULL, clears) the table's drop callback. */
void cx_idtab_on_drop(struct cx_idtab *t, cx_idtab_drop_fn drop, void *ctx);

/* Frees the table; NULL is a no-op. */
void cx_idtab_free(struct cx_idtab *t);

/* A table and the mutex its owner holds around every call on it (the
 * in-memory state of cx_marwin.h and cx_pending.h). */
struct cx_idtab_guarded {
    pthread_mutex_t mtx;
    struct cx_idtab *tab;
};

/* cx_idtab_new and the mutex: 0, or -1 with nothing held. */
int cx_idtab_guarded_init(struct cx_idtab_guarded *g, size_t entry_size,
                          cx_idtab_closed_fn closed, size_t max_entries);
/* Frees what init made. */
void cx_idtab_guarded_fini(struct cx_idtab_guarded *g);
/* cx_idtab_size under the mutex; 0 for NULL. */
size_t cx_idtab_guarded_size(struct cx_idtab_guarded *g);

/* id's entry, NULL when it has none (closed entries not yet deleted are
 * returned: the owner judges them). */
void *cx_idtab_find(struct cx_idtab *t, int64_t id);

/* id's entry, added zero-filled (*fresh = true) when it had none. NULL
 * when the table is at max_entries or cannot grow. */
void *cx_idtab_insert(struct cx_idtab *t, int64_t id, int64_t now, bool *fresh);

/* Looks at the next n slots of the sweep's cursor and deletes the closed
 * entries there (what every insert does for a few slots). */
void cx_idtab_sweep(struct cx_idtab *t, int64_t now, size_t n);

/* Deletes id's entry, if any. */
void cx_idtab_remove(struct cx_idtab *t, int64_t id);

/* Slots in use (open entries and closed ones not deleted yet). */
size_t cx_idtab_size(const struct cx_idtab *t);

#endif /* CX_IDTAB_H */
