/* cx_test_util.c - fixtures for the cx_core unit tests (cx_test_util.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_test_util.h"

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_codec.h"
#include "cx_marwin.h"
#include "dict_cx.h"
#include "hss_store.h"

int cxt_fd_init(void)
{
    static bool done;

    if (done)
        return 0;
    if (fd_core_initialize() != 0 || dcx_load() != 0 || cx_dict_init() != 0)
        return -1;
    done = true;
    return 0;
}

int cxt_store_open(struct cxt_store *s)
{
    struct hss_store_options opt = {0};
    char err[256];

    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/cxt.XXXXXX");
    if (mkdtemp(s->dir) == NULL)
        return -1;
    snprintf(s->db, sizeof(s->db), "%s/hss.db", s->dir);
    snprintf(s->key, sizeof(s->key), "%s/master.key", s->dir);
    opt.db_path = s->db;
    opt.key_path = s->key;
    opt.create_key = true;
    if (hss_store_open(&opt, &s->st, err, sizeof(err)) != HSS_OK) {
        fprintf(stderr, "cxt_store_open: %s\n", err);
        return -1;
    }
    return cx_mem_init(&s->mem, 0);
}

void cxt_store_close(struct cxt_store *s)
{
    char path[320];

    hss_store_close(s->st);
    s->st = NULL;
    cx_mem_fini(&s->mem);
    unlink(s->db);
    snprintf(path, sizeof(path), "%s-wal", s->db);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", s->db);
    unlink(path);
    unlink(s->key);
    rmdir(s->dir);
}

int cxt_pending_note(struct cx_pending *p, int64_t sub_id, int64_t generation,
                     int64_t impi_id, int64_t impu_id, const char *scscf,
                     int64_t now, int64_t until)
{
    const struct cx_pending_scscf s = {scscf, "scscf.localdomain",
                                       "localdomain"};

    return cx_pending_note(p, sub_id, generation, impi_id, impu_id, &s, now,
                           until);
}
