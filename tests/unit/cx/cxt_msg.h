/* cxt_msg.h - message helpers for the UAR/LIR/codec unit tests: build a Cx
 * request, push it through the real wire codec (bufferize + parse, with
 * optional raw AVP bytes appended, e.g. an unknown vendor AVP), and read
 * the answer's AVPs. Header-only (static inline), test code only.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CXT_MSG_H
#define CXT_MSG_H

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_codec.h"
#include "cx_conf.h"

/* cx_config() lives in cx_main.c, outside cx_core; the dispatch callbacks
 * in cx_core reference it. Weak, so a real definition wins. */
__attribute__((weak)) const struct cx_conf *cx_config(void);
__attribute__((weak)) const struct cx_conf *cx_config(void)
{
    static struct cx_conf conf;
    static int done;

    if (!done) {
        cx_conf_defaults(&conf);
        done = 1;
    }
    return &conf;
}

/* libfdcore's own initialisation of the Origin-* AVP models; normally run
 * by fd_core_parseconf, which the unit tests do not call. Exported by
 * libfdcore 1.2.1 but not declared in its public headers. */
int fd_msg_init(void);

/* Gives the test core a Diameter identity, so answers get Origin-*.
 * Returns 0 or -1. */
static inline int cxt_identity_set(void)
{
    static char host[] = "hss.test.example";
    static char realm[] = "test.example";

    if (fd_msg_init() != 0)
        return -1;

    fd_g_config->cnf_diamid = host;
    fd_g_config->cnf_diamid_len = strlen(host);
    fd_g_config->cnf_diamrlm = realm;
    fd_g_config->cnf_diamrlm_len = strlen(realm);
    return 0;
}

/* A new request of Cx command `code` with Session-Id, VSAI,
 * Auth-Session-State, Origin-*, Destination-Realm. NULL on failure. */
static inline struct msg *cxt_req_new(uint32_t code)
{
    struct msg *m = NULL;

    if (fd_msg_new(cx_dict_cmd(code, true), MSGFL_ALLOC_ETEID, &m) != 0)
        return NULL;
    if (cx_avp_add_str(m, CX_AVP_SESSION_ID, 0, "icscf.test;1;2") != 0 ||
        cx_avp_add_vsai(m) != 0 ||
        cx_avp_add_u32(m, CX_AVP_AUTH_SESSION_STATE, 0,
                       CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED) != 0 ||
        cx_avp_add_str(m, CX_AVP_ORIGIN_HOST, 0, "icscf.test.example") != 0 ||
        cx_avp_add_str(m, CX_AVP_ORIGIN_REALM, 0, "test.example") != 0 ||
        cx_avp_add_str(m, CX_AVP_DESTINATION_REALM, 0, "test.example") != 0) {
        fd_msg_free(m);
        return NULL;
    }
    return m;
}

/* Serialises *m, appends `extra` raw bytes (whole AVPs), parses the bytes
 * back with the dictionary, and replaces *m by the parsed message. Returns
 * 0 or -1 (then *m is unchanged). */
static inline int cxt_reparse(struct msg **m, const uint8_t *extra,
                              size_t extra_len)
{
    uint8_t *buf = NULL, *all;
    size_t len = 0, total;
    struct msg *parsed = NULL;

    if (fd_msg_bufferize(*m, &buf, &len) != 0)
        return -1;
    total = len + extra_len;
    all = malloc(total);
    if (all == NULL) {
        free(buf);
        return -1;
    }
    memcpy(all, buf, len);
    if (extra_len > 0)
        memcpy(all + len, extra, extra_len);
    free(buf);
    all[1] = (uint8_t)(total >> 16);
    all[2] = (uint8_t)(total >> 8);
    all[3] = (uint8_t)total;
    if (fd_msg_parse_buffer(&all, total, &parsed) != 0) {
        free(all);
        return -1;
    }
    if (fd_msg_parse_dict(parsed, fd_g_config->cnf_dict, NULL) != 0) {
        fd_msg_free(parsed);
        return -1;
    }
    fd_msg_free(*m);
    *m = parsed;
    return 0;
}

/* An AVP 494 of vendor 50 without the M bit (value 4 bytes): what some
 * I-CSCFs add and the HSS must ignore. */
static const uint8_t CXT_VENDOR50_AVP[16] = {
    0x00, 0x00, 0x01, 0xee, /* code 494 */
    0x80, 0x00, 0x00, 0x10, /* flags V, length 16 */
    0x00, 0x00, 0x00, 0x32, /* vendor 50 */
    0x00, 0x00, 0x00, 0x01, /* value */
};

/* u32 value of child (code, vendor) of parent, or `dflt` when absent. */
static inline uint32_t cxt_u32(msg_or_avp *parent, uint32_t code,
                               uint32_t vendor, uint32_t dflt)
{
    uint32_t v = dflt;
    struct avp *a = cx_avp_find(parent, code, vendor, NULL);

    if (a == NULL || cx_avp_get_u32(a, &v) != 0)
        return dflt;
    return v;
}

#endif /* CXT_MSG_H */
