/* cx_peer.h - an embedded libfdcore acting as one Cx client node.
 *
 * Owns the life of the process-wide freeDiameter core for tools that talk
 * to the HSS (cx-client, later cx-bench): it writes a private freeDiameter
 * configuration (temp dir, throwaway TLS credentials), starts the core,
 * waits for the HSS peer to be open, sends requests with a bounded wait
 * for their answers, and shuts everything down again. It also offers the
 * small dictionary/AVP helpers every request builder needs.
 *
 * libfdcore is a singleton: at most one cx_peer may exist per process.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_PEER_H
#define CX_PEER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

/* Return codes of the cx_peer_* functions. */
enum cx_peer_rc {
    CX_PEER_OK = 0,
    CX_PEER_ERROR,   /* local failure: config, dictionary, memory, ... */
    CX_PEER_NOPEER,  /* the HSS peer did not reach STATE_OPEN in time */
    CX_PEER_TIMEOUT, /* no answer before the deadline */
};

#define CX_PEER_MAX_EXT 8

struct cx_peer_conf {
    const char *identity;    /* own Diameter identity */
    const char *realm;       /* own realm */
    const char *listen_addr; /* ListenOn, "127.0.0.1" or "::1" */
    unsigned local_port;     /* 0: no listening socket */
    const char *hss_host;    /* Diameter identity of the HSS */
    const char *hss_addr;    /* ConnectTo */
    unsigned hss_port;
    const char *dict_path;            /* dict_cx.fdx, loaded after ext[] */
    const char *ext[CX_PEER_MAX_EXT]; /* extra extensions, loaded first */
    unsigned n_ext;
    const char *acl_wl_path; /* acl_wl.fdx or NULL: accept HSS realm */
    const char *hss_realm;   /* for the acl_wl file */
    const char *tls_cert;    /* NULL: generate a throwaway pair */
    const char *tls_key;
    const char *tls_ca; /* NULL: tls_cert */
    int no_tls_cred;    /* 1: write no TLS_Cred at all */
    unsigned connect_timeout_ms;
    int log_level; /* FD_LOG_* threshold for stderr */
    /* Called after the configuration is parsed and before the core starts
     * (register dispatch handlers here). Non-zero aborts the start. */
    int (*setup_cb)(void *data);
    void *setup_data;
};

struct cx_peer;

/* Answer callback of cx_peer_send: ans is NULL on timeout; the callee owns
 * ans (fd_msg_free). Runs on a freeDiameter thread. */
typedef void (*cx_peer_answer_cb)(void *data, struct msg *ans);

/* The node both tools start from: scscf.localdomain (realm localdomain) on
 * 127.0.0.1 without a listening socket, talking to hss.localdomain at
 * 127.0.0.1:3868, dict_cx.fdx from $CX_DICT when set and not empty, else
 * dict_default; 10 s for the peer to open; freeDiameter errors only. */
void cx_peer_conf_defaults(struct cx_peer_conf *conf, const char *dict_default);
/* *ts = CLOCK_REALTIME now + ms: the deadline fd_msg_send_timeout and a
 * pthread_cond_timedwait on a default condition take. */
void cx_peer_deadline(unsigned ms, struct timespec *ts);

/* Writes a one-line message into err (option parsers) and returns -1. */
int cx_peer_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Writes the config, starts the core and waits for the HSS peer.
 * On failure *err holds a one-line reason and the core is stopped. */
enum cx_peer_rc cx_peer_start(const struct cx_peer_conf *conf,
                              struct cx_peer **out, char *err, size_t errlen);

/* Stops the core and removes the temp dir. Accepts NULL. */
void cx_peer_stop(struct cx_peer *peer);

/* Sends *req (taken, *req set to NULL) and calls cb exactly once, with the
 * answer or with NULL after timeout_ms. */
enum cx_peer_rc cx_peer_send(struct cx_peer *peer, struct msg **req,
                             unsigned timeout_ms, cx_peer_answer_cb cb,
                             void *data);

/* Sends *req and waits for its answer (*ans, caller frees). */
enum cx_peer_rc cx_peer_send_wait(struct cx_peer *peer, struct msg **req,
                                  unsigned timeout_ms, struct msg **ans);

/* Dictionary helpers (valid after cx_peer_start). */
struct dictionary *cx_peer_dict(void);
struct dict_object *cx_peer_cmd_req(uint32_t code);
struct dict_object *cx_peer_avp_model(uint32_t code, uint32_t vendor);
struct dict_object *cx_peer_app(uint32_t app_id);

/* AVP builders: add one AVP at the end of parent (msg or grouped AVP).
 * Return 0 or an errno value. The model is looked up by code+vendor. */
int cx_peer_add_u32(void *parent, uint32_t code, uint32_t vendor, uint32_t v);
int cx_peer_add_os(void *parent, uint32_t code, uint32_t vendor,
                   const uint8_t *data, size_t len);
int cx_peer_add_str(void *parent, uint32_t code, uint32_t vendor,
                    const char *s);
int cx_peer_add_group(void *parent, uint32_t code, uint32_t vendor,
                      struct avp **group);
/* An AVP the dictionary may not know (then defined locally as an
 * OctetString): data are the wire bytes of the value (4 or 8 for numeric
 * types). mandatory: -1 dictionary default, 0 clear M, 1 set M. */
int cx_peer_add_raw(void *parent, uint32_t code, uint32_t vendor, int mandatory,
                    const uint8_t *data, size_t len);

/* Vendor-Specific-Application-Id + Auth-Session-State(1) for Cx. */
int cx_peer_add_cx_app(void *parent);

#endif /* CX_PEER_H */
