/* cx_mem.h - the state the HSS keeps in memory only, handed to the
 * decisions together: the MAR brute-force windows (cx_marwin.h) and the
 * authentications in flight (cx_pending.h). Both are lost on a restart,
 * by design; the README's Durability section says what that means.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_MEM_H
#define CX_MEM_H

#include <stddef.h>

#include "cx_marwin.h"
#include "cx_pending.h"

struct cx_mem {
    struct cx_marwin *win;
    struct cx_pending *pend;
};

/* Both tables, new (0) or none (-1, nothing allocated). pending_max: the
 * bound of cx_pending_new. */
int cx_mem_init(struct cx_mem *m, size_t pending_max);
void cx_mem_fini(struct cx_mem *m);

/* The extension's, set up by cx_mem_global_init (cx_main). */
struct cx_mem *cx_mem_global(void);
int cx_mem_global_init(size_t pending_max);
void cx_mem_global_fini(void);

#endif /* CX_MEM_H */
