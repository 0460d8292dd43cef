/* cx_main.c - hss_cx.fdx entry and exit: the whole lifecycle in one file.
 *
 * init (main thread, before any request): configuration, dictionary
 * objects, store pool, quiet message hooks, the MAR/SAR writer
 * (cx_writer.c), dispatch handlers, background workers. fini (after
 * freeDiameter stopped its dispatch threads): the same in reverse.
 * Everything else lives in the cx_core library that tests link.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx.h"
#include "cx_mem.h"
#include "cx_outbox.h"
#include "cx_writer.h"

#include <freeDiameter/extension.h>

#include <errno.h>
#include <malloc.h>
#include <string.h>

static struct disp_hdl *g_disp[5];
static struct fd_hook_hdl *g_hook_quiet, *g_hook_errors;

/* Not declared by freeDiameter 1.2.1's extension.h. */
void fd_ext_fini(void);

static void conf_line(void *ctx, const char *line)
{
    (void)ctx;
    LOG_N("hss_cx: %s", line);
}

/* freeDiameter 1.2.1 formats a full text dump of every message (under a
 * global lock, whatever the log level) for any hook type that has no
 * registered callback. These callbacks keep the hot path quiet. */
static void hook_quiet_cb(enum fd_hook_type type, struct msg *msg,
                          struct peer_hdr *peer, void *other,
                          struct fd_hook_permsgdata *pmd, void *regdata)
{
}

/* Problems still deserve one concise line, without a message dump. */
static void hook_errors_cb(enum fd_hook_type type, struct msg *msg,
                           struct peer_hdr *peer, void *other,
                           struct fd_hook_permsgdata *pmd, void *regdata)
{
    const char *what = type == HOOK_MESSAGE_DROPPED ? "dropped a message"
                       : type == HOOK_MESSAGE_ROUTING_ERROR
                           ? "could not route a message"
                           : "received a message it cannot parse";
    struct msg_hdr *h = NULL;

    if (msg != NULL && fd_msg_hdr(msg, &h) == 0)
        LOG_E("hss_cx: freeDiameter %s (command %u, app %u) from %s: %s", what,
              h->msg_code, h->msg_appl, peer ? peer->info.pi_diamid : "?",
              other ? (const char *)other : "");
    else
        LOG_E("hss_cx: freeDiameter %s from %s", what,
              peer ? peer->info.pi_diamid : "?");
}

static int hooks_init(void)
{
    int rc = fd_hook_register(
        HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL,
                  HOOK_MESSAGE_SENDING, HOOK_MESSAGE_SENT,
                  HOOK_MESSAGE_FAILOVER, HOOK_MESSAGE_ROUTING_FORWARD,
                  HOOK_MESSAGE_ROUTING_LOCAL),
        hook_quiet_cb, NULL, NULL, &g_hook_quiet);

    if (rc == 0)
        rc = fd_hook_register(HOOK_MASK(HOOK_MESSAGE_DROPPED,
                                        HOOK_MESSAGE_ROUTING_ERROR,
                                        HOOK_MESSAGE_PARSING_ERROR),
                              hook_errors_cb, NULL, NULL, &g_hook_errors);
    return rc;
}

/* Any other command of the Cx application (e.g. an RTR sent to the HSS). */
static int cx_unsupported_cb(struct msg **msg, struct avp *avp,
                             struct session *sess, void *opaque,
                             enum disp_action *act)
{
    struct cx_result r = cx_result_rc(CX_RC_COMMAND_UNSUPPORTED);
    struct msg_hdr *h = NULL;

    *act = DISP_ACT_CONT;
    if (fd_msg_hdr(*msg, &h) != 0 || !(h->msg_flags & CMD_FLAG_REQUEST))
        return 0; /* not a request: nothing to answer */
    if (cx_answer_new(msg, &r) != 0)
        return cx_answer_fail(msg, act, "cannot build 3001 answer");
    return cx_answer_send(msg);
}

static int disp_init(void)
{
    static const struct {
        uint32_t code;
        int (*cb)(struct msg **, struct avp *, struct session *, void *,
                  enum disp_action *);
    } CMDS[] = {
        {CX_CMD_UAR, cx_uar_cb},
        {CX_CMD_SAR, cx_sar_cb},
        {CX_CMD_LIR, cx_lir_cb},
        {CX_CMD_MAR, cx_mar_cb},
    };
    struct disp_when when;
    int rc;

    memset(&when, 0, sizeof(when));
    when.app = cx_dict_app();
    rc = fd_disp_register(cx_unsupported_cb, DISP_HOW_APPID, &when, NULL,
                          &g_disp[4]);
    for (size_t i = 0; rc == 0 && i < 4; i++) {
        when.command = cx_dict_cmd(CMDS[i].code, true);
        rc = fd_disp_register(CMDS[i].cb, DISP_HOW_CC, &when, NULL, &g_disp[i]);
    }
    return rc;
}

static void disp_fini(void)
{
    for (size_t i = 0; i < 5; i++)
        if (g_disp[i] != NULL)
            (void)fd_disp_unregister(&g_disp[i], NULL);
}

/* Advertise Cx (Vendor-Specific-Application-Id 10415/16777216) in CER/CEA
 * and make freeDiameter route Cx requests to our local handlers. */
static int app_support(void)
{
    vendor_id_t vid = CX_VENDOR_3GPP;
    struct dict_object *vendor = NULL;
    int rc = fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID,
                            &vid, &vendor, ENOENT);

    if (rc == 0)
        rc = fd_disp_app_support(cx_dict_app(), vendor, 1, 0);
    if (rc != 0)
        LOG_F("hss_cx: cannot announce support of Cx: %s", strerror(rc));
    return rc;
}

/* glibc returns freed memory at the top of a thread's heap to the kernel
 * (madvise) as soon as it exceeds a threshold that it keeps adjusting; the
 * store frees and re-allocates page buffers on every statement, so each
 * request paid a madvise and a TLB shoot-down on every CPU. Fixed
 * thresholds keep that memory in the process instead. */
static void malloc_tune(void)
{
    if (mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024) != 1 ||
        mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024) != 1)
        LOG_N("hss_cx: mallopt refused; memory trimming left as it is");
}

static int cx_main(char *conffile)
{
    const struct cx_conf *conf;
    char err[512] = "";
    int handles, rc;

    if (cx_config_load(conffile, err, sizeof(err)) != 0) {
        LOG_F("hss_cx: configuration error: %s", err);
        return EINVAL;
    }
    LOG_N("hss_cx: configuration (%s):", conffile ? conffile : "defaults");
    conf = cx_config();
    cx_conf_dump(conf, conf_line, NULL);

    malloc_tune();
    rc = cx_dict_init();
    if (rc != 0)
        return rc;
    rc = app_support();
    if (rc != 0)
        return rc;
    handles =
        conf->db_handles > 0 ? conf->db_handles : fd_g_config->cnf_dispthr + 2;
    rc = cx_db_init(conf->db_path, conf->key_path, conf->create_key,
                    conf->db_busy_ms, conf->db_sync_full, handles,
                    conf->db_mmap_mb, conf->db_cache_mb);
    if (rc != 0)
        return rc;
    if (conf->quiet_hooks && (rc = hooks_init()) != 0) {
        LOG_F("hss_cx: cannot register message hooks: %s", strerror(rc));
        cx_db_fini();
        return rc;
    }
    if (cx_mem_global_init((size_t)conf->mar_pending_max) != 0) {
        LOG_F("hss_cx: cannot allocate the MAR windows and pending table");
        cx_db_fini();
        return ENOMEM;
    }
    rc = cx_writer_init();
    if (rc != 0) {
        LOG_F("hss_cx: cannot start the writer: %s", strerror(rc));
        cx_mem_global_fini();
        cx_db_fini();
        return rc;
    }
    rc = disp_init();
    if (rc != 0) {
        LOG_F("hss_cx: cannot register Cx handlers: %s", strerror(rc));
        disp_fini();
        cx_writer_fini();
        cx_mem_global_fini();
        cx_db_fini();
        return rc;
    }
    rc = cx_outbox_init();
    if (rc != 0) {
        LOG_F("hss_cx: cannot start the outbox and sweep: %s", strerror(rc));
        disp_fini();
        cx_writer_fini();
        cx_mem_global_fini();
        cx_db_fini();
        return rc;
    }
    LOG_N("hss_cx: serving Cx (application %u) with %d store handles",
          CX_APP_ID, handles);
    return 0;
}

void fd_ext_fini(void)
{
    /* dispatch threads have stopped: nothing is queued any more; the
     * writer answers (or fails, bounded) what is left */
    cx_writer_fini();
    cx_outbox_fini();
    disp_fini();
    if (g_hook_quiet != NULL)
        (void)fd_hook_unregister(g_hook_quiet);
    if (g_hook_errors != NULL)
        (void)fd_hook_unregister(g_hook_errors);
    /* what this stop forgets, by design (README "Durability") */
    LOG_N("hss_cx: forgetting %zu subscriptions with authentications in "
          "flight and %zu MAR windows",
          cx_pending_size(cx_mem_global()->pend),
          cx_marwin_size(cx_mem_global()->win));
    cx_mem_global_fini();
    cx_db_fini();
    LOG_N("hss_cx: stopped");
}

EXTENSION_ENTRY("hss_cx", cx_main, "dict_cx");
