/* cx_marwin.h - the MAR brute-force windows, kept in memory.
 *
 * Kamailio's S-CSCF checks digest responses itself and never tells the HSS
 * about a failed one, so the HSS counts MARs per IMPI: more than `max` in
 * `window_s` locks the IMPI (cx_mar.c persists the lock in the store).
 * The counts themselves live here, not in the store: writing them cost
 * every MAR one more random B-tree page in the WAL (a third of a cold MAR's
 * pages) and every registration a second write to reset them.
 *
 * What that changes: a restart of the HSS forgets the open windows (an
 * attacker gets at most one fresh window per restart); locks stay durable.
 * A window is restarted, as the store's counters were, when the IMPI is
 * unlocked by someone else (hssctl impi unlock: the stored lock is not the
 * one this table set), when a pool identity's lease changes (the lease id
 * is the window's generation), and after a successful registration
 * (cx_marwin_reset).
 *
 * Memory: 48-byte slots, 4/3 to 4 of them per window held (an IMPI with
 * a MAR in the last window_s, or a closed window the sweep has not met
 * yet): 65-200 MB for a million open windows. Closed windows are deleted
 * a few slots per note, so no note pays for a whole-table pass; only
 * growth rebuilds the table, under the mutex: ~100 ms at a million
 * windows, once per doubling.
 * Thread-safe (one mutex): the writer thread and a dispatch thread that runs a
 * MAR itself when the writer's queue is full share it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_MARWIN_H
#define CX_MARWIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cx_marwin;

/* What one MAR finds (cx_marwin_note). */
enum cx_marwin_verdict {
    CX_MARWIN_OK,     /* counted, inside the limit */
    CX_MARWIN_LOCK,   /* counted, over the limit: lock until *until */
    CX_MARWIN_NOMEM,  /* the table could not grow: nothing counted */
    CX_MARWIN_INVALID /* bad parameters */
};

/* A new, empty table; NULL when out of memory. */
struct cx_marwin *cx_marwin_new(void);

/* Frees the table; NULL is a no-op. */
void cx_marwin_free(struct cx_marwin *w);

/* Counts one MAR of impi_id at now. generation: the IMPI's lease id (0 when
 * it is not a pool identity); a different one restarts the window.
 * stored_lock: the IMPI's locked_until as read from the store in the MAR's
 * transaction (the caller has refused the MAR if it is still running); a
 * stored lock other than the one this table set means someone unlocked the
 * IMPI, and the window restarts. Over the limit: CX_MARWIN_LOCK with
 * *until = now + lock_s, which the caller must persist. */
enum cx_marwin_verdict cx_marwin_note(struct cx_marwin *w, int64_t impi_id,
                                      int64_t generation, int64_t stored_lock,
                                      int64_t now, int window_s, int max,
                                      int lock_s, int64_t *until);

/* Closes impi_id's window (a successful registration). */
void cx_marwin_reset(struct cx_marwin *w, int64_t impi_id);

/* Slots in use (open or closed windows not yet dropped), for tests and the
 * stop log line. */
size_t cx_marwin_size(struct cx_marwin *w);

#endif /* CX_MARWIN_H */
