/* cx_codec.h - the freeDiameter edge of hss_cx: dictionary objects, AVP
 * helpers, answers with the right result, and the store-handle pool.
 *
 * Only this layer and the per-command encode/decode functions include
 * freeDiameter. Decision functions (cx_*_decide) see plain C structs.
 *
 * Dictionary objects are resolved once at init (cx_dict_init) into a
 * read-only table; AVPs are then found in O(1) by (code, vendor).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_CODEC_H
#define CX_CODEC_H

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cx_proto.h"

struct hss_store;

/* ---- dictionary ---------------------------------------------------------- */

/* Resolves the Cx application, its commands and every AVP hss_cx uses.
 * Returns 0 or an errno (a missing object is logged by name). */
int cx_dict_init(void);

/* The dictionary object of AVP (code, vendor); NULL if unknown. */
struct dict_object *cx_dict_avp(uint32_t code, uint32_t vendor);
/* Request (is_request) or answer command object for a Cx command code. */
struct dict_object *cx_dict_cmd(uint32_t code, bool is_request);
struct dict_object *cx_dict_app(void);

/* ---- building AVPs ------------------------------------------------------- */

/* Each adds one AVP as the last child of parent (a struct msg * or a grouped
 * struct avp *). Return 0 or an errno; on error nothing was added. */
int cx_avp_add_u32(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                   uint32_t value);
int cx_avp_add_str(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                   const char *value);
int cx_avp_add_bytes(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                     const uint8_t *data, size_t len);
/* Adds an empty grouped AVP and returns it in *group for its children. */
int cx_avp_add_group(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                     struct avp **group);
/* Vendor-Specific-Application-Id {Vendor-Id 10415, Auth-Application-Id}. */
int cx_avp_add_vsai(struct msg *msg);

/* ---- reading AVPs -------------------------------------------------------- */

/* First child AVP of parent (message or grouped AVP) with (code, vendor)
 * after `after` (NULL = from the start); NULL when there is none. Walks
 * only the direct children, never the grandchildren. */
struct avp *cx_avp_find(msg_or_avp *parent, uint32_t code, uint32_t vendor,
                        struct avp *after);
/* Number of direct children with (code, vendor). */
size_t cx_avp_count(msg_or_avp *parent, uint32_t code, uint32_t vendor);
/* Value accessors: 0, or EINVAL when the AVP has no value of that kind. */
int cx_avp_get_u32(struct avp *avp, uint32_t *out);
int cx_avp_get_bytes(struct avp *avp, const uint8_t **data, size_t *len);

/* Copies an identity-like string AVP into out (NUL-terminated). Fails with
 * EINVAL when empty, longer than out_size - 1, or containing a NUL byte. */
int cx_avp_get_ident(struct avp *avp, char *out, size_t out_size);

/* ---- results and answers --------------------------------------------------
 */

/* What an answer reports. experimental selects Experimental-Result
 * (vendor 10415) over Result-Code. failed_code/failed_vendor name the AVP
 * for Failed-AVP (0 = none); failed_avp, when set, is copied instead. */
struct cx_result {
    uint32_t code;
    bool experimental;
    uint32_t failed_code;
    uint32_t failed_vendor;
    struct avp *failed_avp;
    const char *error_message; /* static text for Error-Message, or NULL */
};

/* Result shorthands. */
struct cx_result cx_result_ok(void);        /* RC 2001 */
struct cx_result cx_result_rc(uint32_t rc); /* Result-Code */
struct cx_result cx_result_er(uint32_t er); /* Experimental */
/* DIAMETER_MISSING_AVP with a Failed-AVP naming (code, vendor). */
struct cx_result cx_result_missing(uint32_t code, uint32_t vendor);
/* DIAMETER_INVALID_AVP_VALUE with a copy of the offending AVP. */
struct cx_result cx_result_invalid(struct avp *avp);
bool cx_result_is_success(const struct cx_result *r);

/* Turns the request *msg into its answer (the request stays reachable via
 * fd_msg_answ_getq) carrying Vendor-Specific-Application-Id, Auth-Session-
 * State NO_STATE_MAINTAINED, Origin-Host/Realm and the result. On failure
 * *msg is unchanged (still the request) and an errno is returned. */
int cx_answer_new(struct msg **msg, const struct cx_result *r);

/* Sends the answer in *msg; on any failure logs and frees it. Sets *msg to
 * NULL. Always returns 0 so a dispatch callback can `return` it. */
int cx_answer_send(struct msg **msg);

/* Last resort for a dispatch callback that could not build its answer:
 * answers DIAMETER_UNABLE_TO_COMPLY (request or half-built answer in *msg),
 * never drops silently. Always returns 0. */
int cx_answer_fail(struct msg **msg, enum disp_action *act, const char *why);

/* Appends Experimental-Result {Vendor-Id, Experimental-Result-Code} or
 * Result-Code, plus Failed-AVP / Error-Message, to an answer. */
int cx_answer_add_result(struct msg *ans, const struct cx_result *r);

/* ---- store handles ---------------------------------------------------------
 */

/* Pool of store handles, one per concurrent user (dispatch threads, outbox,
 * sweep). Borrow blocks until a handle is free (bounded by the pool size
 * being larger than the number of threads). Handles are opened with
 * mmap_mb / cache_mb and without WAL auto-checkpoint (the sweep thread
 * checkpoints: cx_db_checkpoint). */
int cx_db_init(const char *db_path, const char *key_path, bool create_key,
               int busy_ms, bool sync_full, int n_handles, int mmap_mb,
               int cache_mb);
/* Opens one more handle with the pool's options but mmap_mb of mapping and
 * cache_mb of page cache (a thread that owns it: the writer); NULL on
 * failure (logged). */
struct hss_store *cx_db_open_own(int mmap_mb, int cache_mb);
/* PASSIVE WAL checkpoints on a pool handle (sweep thread): one, or while the
 * WAL is over db_wal_mb, rounds until little is left, then the writer is
 * told to finish (cx_writer_checkpointed). */
void cx_db_checkpoint(void);
struct hss_store *cx_db_borrow(void);
void cx_db_return(struct hss_store *st);
void cx_db_fini(void);

/* Current time in unix seconds (the real clock; decisions take it as a
 * parameter so tests pass their own). */
int64_t cx_now(void);

/* *ts = now on clock + ms milliseconds: the absolute deadline that
 * pthread_cond_timedwait (CLOCK_MONOTONIC condition) and
 * fd_msg_send_timeout (CLOCK_REALTIME) take. */
void cx_deadline(clockid_t clock, long ms, struct timespec *ts);

#endif /* CX_CODEC_H */
