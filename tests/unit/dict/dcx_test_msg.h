/* dcx_test_msg.h - shared helpers of the dict_cx tests: Cx messages as data.
 *
 * Owns a tiny description language for AVP trees (struct dcx_tv), one
 * sample request per Cx command, and build / wire round-trip / compare
 * helpers over the real freeDiameter codec. Used by test_dict_cx.c and
 * test_dict_cx_order.c; never linked into the product.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DCX_TEST_MSG_H
#define DCX_TEST_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

enum dcx_tv_kind {
    DCX_TV_END = 0, /* terminates a list */
    DCX_TV_OS,      /* OctetString and derived: s (len or strlen) */
    DCX_TV_U32,
    DCX_TV_I32,
    DCX_TV_U64,
    DCX_TV_GROUP, /* children */
};

/* One AVP of a sample message. */
struct dcx_tv {
    enum dcx_tv_kind kind;
    uint32_t code;
    uint32_t vendor;
    const char *s;
    size_t len;
    uint64_t n;
    const struct dcx_tv *children;
};

/* A sample request: command name and top-level AVPs. */
struct dcx_sample {
    const char *cmd_name;
    const struct dcx_tv *avps;
};

extern const struct dcx_sample dcx_sample_uar;
extern const struct dcx_sample dcx_sample_sar;
extern const struct dcx_sample dcx_sample_lir;
extern const struct dcx_sample dcx_sample_mar;
extern const struct dcx_sample dcx_sample_rtr;
extern const struct dcx_sample dcx_sample_ppr;
/* MAR whose SIP-Digest-Authenticate lacks the mandatory Digest-HA1. */
extern const struct dcx_sample dcx_sample_mar_no_ha1;
/* RTR without the mandatory Deregistration-Reason. */
extern const struct dcx_sample dcx_sample_rtr_no_reason;

/* Build the message of a sample; 0 or an errno. */
int dcx_test_build(const struct dcx_sample *sample, struct msg **msg);

/*
 * Serialise msg (fd_msg_bufferize), parse the bytes back
 * (fd_msg_parse_buffer, fd_msg_parse_dict) into *out, then check the
 * ABNF (fd_msg_parse_rules). Returns 0, or the first failing errno;
 * EBADMSG from the rules check still leaves *out set (caller frees).
 */
int dcx_test_roundtrip(struct msg *msg, struct msg **out);

/* Compare a parsed message with its sample; 0 if equal, else -1 (logged). */
int dcx_test_compare(struct msg *msg, const struct dcx_sample *sample);

/* build + roundtrip + compare + free, for the common case; 0 on success. */
int dcx_test_sample_ok(const struct dcx_sample *sample);

#endif /* DCX_TEST_MSG_H */
