/* cx_writer.h - group commit of the Cx write requests (MAR, SAR).
 *
 * One writer thread owns a store handle. A dispatch callback decodes its
 * request into a job and queues it (keeping the freeDiameter message); the
 * writer takes up to batch_max queued jobs, opens ONE BEGIN IMMEDIATE
 * (hss_store_batch_begin), runs each job's decide function - unchanged: its
 * own hss_store_begin/commit become a SAVEPOINT/RELEASE of the batch, its
 * rollback a ROLLBACK TO - COMMITs once, and only then finishes every job
 * (encodes and sends its answer). No answer leaves before the commit that
 * holds its writes: durability is that of one transaction per request. A
 * batch whose COMMIT fails turns every answer of the batch into
 * DIAMETER_UNABLE_TO_COMPLY (the job's fail function); none is dropped.
 *
 * The queue is bounded: when it is full (or the writer is stopped) submit
 * refuses and the caller runs the request itself on its own thread, in its
 * own transaction, as before group commit - never an error to the peer.
 *
 * The core (cx_writer_start/submit/stop) is free of freeDiameter so the
 * unit tests drive it with their own jobs and store; cx_writer_init/fini
 * are the extension's instance.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_WRITER_H
#define CX_WRITER_H

#include <stdbool.h>
#include <stddef.h>

struct hss_store;
struct cx_writer_job;

/* What the writer does with one job, in this order, on the writer thread:
 *  decide - inside the open batch (skipped when the batch could not begin);
 *  fail   - only when the batch did not begin or its COMMIT failed: make the
 *           answer UNABLE_TO_COMPLY and drop any secret / data it holds;
 *  finish - after the COMMIT (or the failure): build and send the answer,
 *           then free the job. st is the writer's handle, outside any
 *           transaction (reads only), or NULL at shutdown. */
struct cx_writer_ops {
    void (*decide)(struct hss_store *st, struct cx_writer_job *job);
    void (*fail)(struct cx_writer_job *job, const char *why);
    void (*finish)(struct hss_store *st, struct cx_writer_job *job);
};

/* Embedded (first member) in each command's job. */
struct cx_writer_job {
    struct cx_writer_job *next;
    const struct cx_writer_ops *ops;
};

struct cx_writer;

/* Starts a writer thread on st (the writer owns it from now on and closes
 * it at stop). queue_max >= 1 jobs may wait; a batch takes at most
 * batch_max >= 1. After a batch whose commit left ckpt_frames or more
 * frames in the WAL the writer runs a PASSIVE checkpoint itself (0: never;
 * st must be opened with ckpt_manual for the WAL size to be known). nice:
 * the writer thread's own nice value (0: unchanged; a refusal is logged,
 * not an error). Returns 0 or an errno. */
int cx_writer_start(struct hss_store *st, size_t queue_max, size_t batch_max,
                    size_t ckpt_frames, int nice, struct cx_writer **out);

/* Another handle just checkpointed the WAL: the writer's own checkpoint
 * (when the WAL is over ckpt_frames) waits for this, so that it only copies
 * what was appended since and keeps its stall short. */
void cx_writer_checkpoint_hint(struct cx_writer *w);

/* Queues job; false when the queue is full or the writer stopping: the
 * caller keeps the job and runs it itself. */
bool cx_writer_submit(struct cx_writer *w, struct cx_writer_job *job);

/* Stops accepting jobs, lets the writer run what is queued for at most
 * drain_ms, then fails and finishes whatever is left (answers
 * UNABLE_TO_COMPLY), joins the thread and closes the store. Every queued
 * job is finished exactly once. NULL is accepted. */
void cx_writer_stop(struct cx_writer *w, int drain_ms);

/* Batches and jobs committed so far, and the writer's WAL checkpoints:
 * ckpts = {count, total ms, longest ms} (tests, logs; may be NULL). */
void cx_writer_stats(struct cx_writer *w, size_t *batches, size_t *jobs,
                     size_t ckpts[3]);

/* ---- the extension's writer ------------------------------------------ */

#define CX_WRITER_QUEUE_MAX 1024
#define CX_WRITER_BATCH_MAX 64
#define CX_WRITER_DRAIN_MS 2000

/* Opens the writer's own store handle (cx_db_open_own, writer_mmap_mb
 * mapped, writer_cache_mb of cache) and starts it.
 * Returns 0 or an errno. */
int cx_writer_init(void);
/* cx_writer_submit on the extension's writer (false when there is none). */
bool cx_writer_queue(struct cx_writer_job *job);

/* cx_writer_checkpoint_hint on the extension's writer (sweep thread). */
void cx_writer_checkpointed(void);
void cx_writer_fini(void);

#endif /* CX_WRITER_H */
