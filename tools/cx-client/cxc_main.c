/* cxc_main.c - cx-client: an I-CSCF/S-CSCF on the Cx interface for tests.
 *
 * Owns the program flow: options or script -> one connection to the HSS
 * (cx_peer) -> each request sent in turn, its answer printed as one JSON
 * line -> optional listening for HSS-initiated RTR/PPR, which are printed
 * and answered (or deliberately left unanswered, like Kamailio's PPR).
 * stdout lines are written under one mutex and flushed one by one.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cxc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cx_json.h"
#include "cx_proto.h"

/* State shared with the dispatch threads. */
static struct {
    pthread_mutex_t mtx; /* stdout and the counter */
    pthread_cond_t cond;
    unsigned received; /* HSS-initiated requests seen */
    long rta_result;
    long ppa_result;
    struct disp_hdl *rtr_hdl;
    struct disp_hdl *ppr_hdl;
} cxc_g = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL, NULL};

/* One JSON line on stdout; returns 0 or -1 if msg cannot be rendered. */
static int cxc_print(struct msg *msg, int count)
{
    char *line = cx_json_msg(cx_peer_dict(), msg);

    pthread_mutex_lock(&cxc_g.mtx);
    if (line != NULL) {
        fputs(line, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    if (count) {
        cxc_g.received++;
        pthread_cond_broadcast(&cxc_g.cond);
    }
    pthread_mutex_unlock(&cxc_g.mtx);
    if (line == NULL) {
        fprintf(stderr, "cx-client: cannot render a message as JSON\n");
        return -1;
    }
    free(line);
    return 0;
}

/* RTR/PPR handler: print, then answer with the configured Result-Code or
 * drop silently for "none". Always returns 0 (a non-zero return would
 * make freeDiameter drop the request without an answer). */
static int cxc_hss_req_cb(struct msg **msg, struct avp *avp,
                          struct session *sess, void *opaque,
                          enum disp_action *act)
{
    long rc = *(const long *)opaque;

    (void)cxc_print(*msg, 1);
    *act = DISP_ACT_CONT;
    if (rc == CXC_NONE) {
        fd_msg_free(*msg);
        *msg = NULL;
        return 0;
    }
    if (cxc_build_answer(msg, (uint32_t)rc) != 0) {
        fprintf(stderr, "cx-client: cannot build the answer\n");
        fd_msg_free(*msg);
        *msg = NULL;
        return 0;
    }
    *act = DISP_ACT_SEND;
    return 0;
}

/* cx_peer setup hook: register RTR and PPR handlers in Cx. */
static int cxc_register_cb(void *data)
{
    struct disp_when when = {0};
    int rc;

    when.app = cx_peer_app(CX_APP_ID);
    when.command = cx_peer_cmd_req(CX_CMD_RTR);
    if (when.app == NULL || when.command == NULL)
        return ENOENT;
    rc = fd_disp_register(cxc_hss_req_cb, DISP_HOW_CC, &when, &cxc_g.rta_result,
                          &cxc_g.rtr_hdl);
    when.command = cx_peer_cmd_req(CX_CMD_PPR);
    if (rc == 0 && when.command == NULL)
        rc = ENOENT;
    if (rc == 0)
        rc = fd_disp_register(cxc_hss_req_cb, DISP_HOW_CC, &when,
                              &cxc_g.ppa_result, &cxc_g.ppr_hdl);
    return rc;
}

static void cxc_unregister(void)
{
    void *opaque = NULL;

    if (cxc_g.rtr_hdl != NULL)
        (void)fd_disp_unregister(&cxc_g.rtr_hdl, &opaque);
    if (cxc_g.ppr_hdl != NULL)
        (void)fd_disp_unregister(&cxc_g.ppr_hdl, &opaque);
}

/* Waits until ms elapse or count (0: any number) more requests came. */
static void cxc_listen(unsigned ms, unsigned count)
{
    struct timespec ts;
    unsigned start;

    cx_peer_deadline(ms, &ts);
    pthread_mutex_lock(&cxc_g.mtx);
    start = cxc_g.received;
    while (count == 0 || cxc_g.received - start < count)
        if (pthread_cond_timedwait(&cxc_g.cond, &cxc_g.mtx, &ts) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&cxc_g.mtx);
}

/* Sends one request and prints its answer. Returns an exit status. */
static int cxc_run_req(struct cx_peer *peer, const struct cxc_opts *o,
                       const struct cxc_req *r)
{
    struct msg *req = NULL, *ans = NULL;
    char err[256];
    enum cx_peer_rc prc;
    int rc;

    if (r->cmd == CXC_CMD_LISTEN) {
        cxc_listen(r->listen_ms, r->listen_count);
        return CXC_EXIT_OK;
    }
    if (cxc_build(r, o, &req, err, sizeof(err)) != 0) {
        fprintf(stderr, "cx-client: %s\n", err);
        return CXC_EXIT_ERROR;
    }
    prc = cx_peer_send_wait(peer, &req, o->timeout_ms, &ans);
    if (prc == CX_PEER_TIMEOUT) {
        fprintf(stderr, "cx-client: no answer within %u ms\n", o->timeout_ms);
        return CXC_EXIT_NOANSWER;
    }
    if (prc != CX_PEER_OK) {
        fprintf(stderr, "cx-client: cannot send the request\n");
        return CXC_EXIT_ERROR;
    }
    rc = cxc_print(ans, 0) == 0 ? CXC_EXIT_OK : CXC_EXIT_ERROR;
    fd_msg_free(ans);
    if (rc == CXC_EXIT_OK && r->listen_ms > 0)
        cxc_listen(r->listen_ms, r->listen_count);
    return rc;
}

/* Worst status wins: usage < error < no answer is not an order, so keep
 * the first failure. */
static int cxc_worse(int cur, int next)
{
    return cur != CXC_EXIT_OK ? cur : next;
}

static int cxc_session(struct cxc_opts *o, const struct cxc_script *s)
{
    struct cx_peer *peer = NULL;
    char err[512];
    enum cx_peer_rc prc;
    int rc = CXC_EXIT_OK;

    cxc_g.rta_result = o->rta_result;
    cxc_g.ppa_result = o->ppa_result;
    o->peer.setup_cb = cxc_register_cb;
    if (o->acl_wl)
        o->peer.acl_wl_path = CXC_FD_EXT_DIR "/acl_wl.fdx";
    prc = cx_peer_start(&o->peer, &peer, err, sizeof(err));
    if (prc != CX_PEER_OK) {
        fprintf(stderr, "cx-client: %s\n", err);
        return prc == CX_PEER_NOPEER ? CXC_EXIT_NOANSWER : CXC_EXIT_ERROR;
    }
    if (s != NULL)
        for (unsigned i = 0; i < s->n; i++)
            rc = cxc_worse(rc, cxc_run_req(peer, o, &s->reqs[i]));
    if (o->have_req)
        rc = cxc_worse(rc, cxc_run_req(peer, o, &o->req));
    else if (o->req.listen_ms > 0)
        cxc_listen(o->req.listen_ms, o->req.listen_count);
    cxc_unregister();
    cx_peer_stop(peer);
    return rc;
}

int main(int argc, char **argv)
{
    struct cxc_opts o;
    struct cxc_script script;
    char err[512];
    int rc;

    cxc_opts_defaults(&o);
    if (cxc_opts_parse(argc - 1, argv + 1, &o, &o.req, err, sizeof(err)) != 0) {
        if (strcmp(err, "help") == 0) {
            cxc_usage();
            return CXC_EXIT_OK;
        }
        fprintf(stderr, "cx-client: %s\n", err);
        return CXC_EXIT_USAGE;
    }
    if (!o.have_req && o.script == NULL) {
        fprintf(stderr, "cx-client: give a subcommand (uar, mar, sar, lir, "
                        "listen) or --script FILE; see --help\n");
        return CXC_EXIT_USAGE;
    }
    if (o.have_req && cxc_req_check(&o.req, err, sizeof(err)) != 0) {
        fprintf(stderr, "cx-client: %s\n", err);
        return CXC_EXIT_USAGE;
    }
    if (o.script == NULL)
        return cxc_session(&o, NULL);
    if (cxc_script_load(o.script, &script, err, sizeof(err)) != 0) {
        fprintf(stderr, "cx-client: %s\n", err);
        return CXC_EXIT_USAGE;
    }
    rc = cxc_session(&o, &script);
    cxc_script_free(&script);
    return rc;
}
