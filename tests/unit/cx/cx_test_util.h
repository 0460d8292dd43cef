/* cx_test_util.h - fixtures shared by the cx_core unit tests: a freeDiameter
 * core with the Cx dictionary (for codec tests) and a fresh temporary store.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_TEST_UTIL_H
#define CX_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "cx_mem.h"

struct hss_store;

/* Initialises libfdcore once per process and loads the Cx dictionary
 * (dcx_load) and cx_dict_init. Returns 0 or -1. */
int cxt_fd_init(void);

/* A fresh store in a new temporary directory (database + key), with its
 * own empty in-memory state (cx_mem.h: MAR windows, authentications in
 * flight). */
struct cxt_store {
    char dir[256];
    char db[300];
    char key[300];
    struct hss_store *st;
    struct cx_mem mem;
};
int cxt_store_open(struct cxt_store *s);
void cxt_store_close(struct cxt_store *s);

/* cx_pending_note for an S-CSCF named scscf at Diameter host
 * "scscf.localdomain", realm "localdomain". */
int cxt_pending_note(struct cx_pending *p, int64_t sub_id, int64_t generation,
                     int64_t impi_id, int64_t impu_id, const char *scscf,
                     int64_t now, int64_t until);

#endif /* CX_TEST_UTIL_H */
