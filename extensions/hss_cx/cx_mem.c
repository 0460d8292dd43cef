/* cx_mem.c - the in-memory state handed to the decisions (see cx_mem.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_mem.h"

int cx_mem_init(struct cx_mem *m, size_t pending_max)
{
    m->win = cx_marwin_new();
    m->pend = cx_pending_new(pending_max);
    if (m->win != NULL && m->pend != NULL)
        return 0;
    cx_mem_fini(m);
    return -1;
}

void cx_mem_fini(struct cx_mem *m)
{
    cx_marwin_free(m->win);
    cx_pending_free(m->pend);
    m->win = NULL;
    m->pend = NULL;
}

static struct cx_mem g_mem;

struct cx_mem *cx_mem_global(void)
{
    return &g_mem;
}

int cx_mem_global_init(size_t pending_max)
{
    return cx_mem_init(&g_mem, pending_max);
}

void cx_mem_global_fini(void)
{
    cx_mem_fini(&g_mem);
}
