/* cx_outbox.c - delivery of HSS-initiated requests from the store's outbox
 * (RTR: TS 29.228 §6.2.1 / TS 29.229 §6.1.9; PPR: TS 29.228 §6.2.2,
 * §6.5.2.x / TS 29.229 §6.1.11) and the periodic lease sweep.
 *
 * Writers (hssctl, SAR, lease release/expiry) put an item in the outbox in
 * the same transaction as the change; this module is the only one that
 * sends. One sender thread claims due items every outbox_poll_ms (they
 * become SENT), builds each request while it holds a store handle, gives
 * the handle back, then sends with fd_msg_send_timeout. The answer and
 * expiry callbacks borrow a handle only to record the outcome: DONE on
 * 2001/2002, PENDING again after a backoff on a transient error or a
 * timeout, FAILED at once on a permanent (5xxx) error or after
 * outbox_max_attempts. The state change itself was applied by the writer,
 * so a final timeout is final (Kamailio never answers PPR, nor an RTR for
 * an IMPU it does not know).
 *
 * Decisions (documented in the design notes of the report):
 * - A PPR that ends FAILED, with ppr_fallback_rtr, de-registers the IMPUs
 *   registered through its IMPI and queues an RTR with Reason-Code
 *   SERVER_CHANGE (TS 29.228 §6.2.1: the S-CSCF de-registers and asks the
 *   UE to re-register, which fetches the new profile through SAR; this is
 *   also SPEC §5.10's answer to PPA 5008 DIAMETER_ERROR_TOO_MUCH_DATA).
 * - An empty WAF/WWSF list is pushed as an empty Allowed-WAF-WWSF-Identities
 *   group (ABNF `*[...] *[...]` allows it): an absent AVP in a PPR means "no
 *   change" (TS 29.228 §6.5.2.5), so omitting it would leave the old list in
 *   force at the S-CSCF.
 * - Items left SENT by a previous run (crash, shutdown with requests in
 *   flight) are made PENDING again at start-up: delivery is at least once.
 *
 * A sweep thread calls hss_store_lease_expire every sweep_interval_s: the
 * store ends the leases, clears registrations and queues the RTRs in one
 * transaction. IMPI locks need nothing: they are comparisons against now.
 * The same thread checkpoints the WAL (PASSIVE) every db_checkpoint_s, off
 * the request path.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_outbox.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cx.h"
#include "cx_auth.h"
#include "cx_mem.h"
#include "cx_outbox_int.h"
#include "cx_profile.h"
#include "hss_store.h"

#define OUTBOX_BATCH 16       /* items claimed per pass */
#define FALLBACK_MAX_IMPUS 64 /* IMPUs one fallback de-registers */
#define FINI_WAIT_MS 2000     /* bound on waiting for running callbacks */

/* ---- building RTR / PPR ------------------------------------------------- */

static int rc_errno(enum hss_rc rc)
{
    return rc == HSS_NOT_FOUND ? ENOENT : rc == HSS_NOMEM ? ENOMEM : EIO;
}

/* Session-Id, VSAI, Auth-Session-State, Origin-*, Destination-*,
 * User-Name: common to RTR and PPR (TS 29.229 §6.1.9, §6.1.11). */
static int add_header(struct msg *m, const struct hss_outbox_item *it)
{
    static const char SID_OPT[] = "outbox";
    int rc = fd_msg_new_session(m, (os0_t)SID_OPT, sizeof(SID_OPT) - 1);

    if (rc == 0)
        rc = cx_avp_add_vsai(m);
    if (rc == 0)
        rc = cx_avp_add_u32(m, CX_AVP_AUTH_SESSION_STATE, 0,
                            CX_AUTH_SESSION_STATE_NO_STATE_MAINTAINED);
    if (rc == 0)
        rc = fd_msg_add_origin(m, 0);
    if (rc == 0)
        rc = cx_avp_add_str(m, CX_AVP_DESTINATION_HOST, 0, it->dest_host);
    if (rc == 0)
        rc = cx_avp_add_str(m, CX_AVP_DESTINATION_REALM, 0, it->dest_realm);
    if (rc == 0)
        rc = cx_avp_add_str(m, CX_AVP_USER_NAME, 0, it->user_name);
    return rc;
}

/* *[Public-Identity] {Deregistration-Reason}. Associated-Identities is not
 * sent: an item de-registers exactly the IMPI it names (a revoked WebRTC
 * IMPI must not take the user's other IMPIs down). */
static int add_rtr_body(struct msg *m, const struct hss_outbox_item *it)
{
    struct avp *reason = NULL;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < it->n_impus && i < 8; i++)
        rc = cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP,
                            it->impus[i]);
    if (rc == 0)
        rc = cx_avp_add_group(m, CX_AVP_DEREGISTRATION_REASON, CX_VENDOR_3GPP,
                              &reason);
    if (rc == 0)
        rc = cx_avp_add_u32(reason, CX_AVP_REASON_CODE, CX_VENDOR_3GPP,
                            (uint32_t)it->reason_code);
    if (rc == 0 && it->reason_info[0] != '\0')
        rc = cx_avp_add_str(reason, CX_AVP_REASON_INFO, CX_VENDOR_3GPP,
                            it->reason_info);
    return rc;
}

static int add_user_data(struct msg *m, struct hss_store *st,
                         const struct hss_outbox_item *it)
{
    char *xml = NULL;
    size_t len = 0;
    int rc =
        cx_userdata_build(st, it->subscription_id, it->user_name, &xml, &len);

    if (rc == 0)
        rc = cx_avp_add_bytes(m, CX_AVP_USER_DATA, CX_VENDOR_3GPP,
                              (const uint8_t *)xml, len);
    free(xml);
    return rc;
}

static int add_charging(struct msg *m, struct hss_store *st,
                        const struct hss_outbox_item *it)
{
    struct hss_subscription *sub = calloc(1, sizeof(*sub));
    enum hss_rc hrc;
    int rc;

    if (sub == NULL)
        return ENOMEM;
    hrc = hss_store_subscription_get(st, it->subscription_id, sub);
    rc = hrc == HSS_OK ? cx_charging_add(m, sub) : rc_errno(hrc);
    free(sub);
    return rc;
}

static int add_auth_data(struct msg *m, struct hss_store *st,
                         const struct hss_outbox_item *it)
{
    struct hss_impi impi;
    enum hss_rc hrc = hss_store_impi_get(st, it->user_name, &impi);

    if (hrc != HSS_OK)
        return rc_errno(hrc);
    return cx_digest_item_add(m, st, impi.id, NULL);
}

int cx_outbox_address(struct hss_store *st, struct cx_pending *pend,
                      struct hss_outbox_item *item, int64_t now)
{
    struct hss_subscription *sub;
    struct hss_impi impi;
    bool served = false;
    enum hss_rc rc;

    if (item->kind != HSS_OUTBOX_PPR || item->ppr_what != HSS_PPR_AUTH_DATA)
        return EINVAL;
    rc = hss_store_impi_get(st, item->user_name, &impi);
    if (rc != HSS_OK)
        return rc_errno(rc);
    if (cx_pending_impi_route(pend, impi.subscription_id, impi.id, now,
                              item->dest_host, sizeof(item->dest_host),
                              item->dest_realm, sizeof(item->dest_realm)))
        return 0;
    rc = hss_store_impi_served(st, impi.id, &served);
    if (rc != HSS_OK || !served)
        return rc != HSS_OK ? rc_errno(rc) : ENOENT;
    sub = malloc(sizeof(*sub));
    if (sub == NULL)
        return ENOMEM;
    rc = hss_store_subscription_get(st, impi.subscription_id, sub);
    if (rc == HSS_OK && sub->scscf_host[0] != '\0') {
        memcpy(item->dest_host, sub->scscf_host, sizeof(item->dest_host));
        memcpy(item->dest_realm, sub->scscf_realm, sizeof(item->dest_realm));
    }
    free(sub);
    if (rc != HSS_OK)
        return rc_errno(rc);
    return item->dest_host[0] != '\0' ? 0 : ENOENT;
}

/* An empty list still goes out, as an empty group (see the file comment). */
static int add_waf_wwsf(struct msg *m, struct hss_store *st,
                        const struct hss_outbox_item *it)
{
    size_t before =
        cx_avp_count(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, CX_VENDOR_3GPP);
    struct avp *group = NULL;
    int rc = cx_waf_wwsf_add(m, st, it->subscription_id);

    if (rc == 0 && cx_avp_count(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
                                CX_VENDOR_3GPP) == before)
        rc = cx_avp_add_group(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
                              CX_VENDOR_3GPP, &group);
    return rc;
}

/* [User-Data] [Charging-Information] [SIP-Auth-Data-Item]
 * [Allowed-WAF-WWSF-Identities], in the ABNF's order. */
static int add_ppr_body(struct msg *m, struct hss_store *st,
                        const struct hss_outbox_item *it)
{
    unsigned what = it->ppr_what;
    int rc = 0;

    if ((what & (HSS_PPR_USER_DATA | HSS_PPR_CHARGING | HSS_PPR_AUTH_DATA |
                 HSS_PPR_WAF_WWSF)) == 0)
        return EINVAL;
    if (what & HSS_PPR_USER_DATA)
        rc = add_user_data(m, st, it);
    if (rc == 0 && (what & HSS_PPR_CHARGING))
        rc = add_charging(m, st, it);
    if (rc == 0 && (what & HSS_PPR_AUTH_DATA))
        rc = add_auth_data(m, st, it);
    if (rc == 0 && (what & HSS_PPR_WAF_WWSF))
        rc = add_waf_wwsf(m, st, it);
    return rc;
}

int cx_outbox_build(struct hss_store *st, const struct hss_outbox_item *item,
                    struct msg **out)
{
    struct dict_object *model;
    struct msg *m = NULL;
    int rc;

    *out = NULL;
    if (item->dest_host[0] == '\0' || item->dest_realm[0] == '\0' ||
        item->user_name[0] == '\0')
        return EINVAL;
    if (item->kind == HSS_OUTBOX_RTR)
        model = cx_dict_cmd(CX_CMD_RTR, true);
    else if (item->kind == HSS_OUTBOX_PPR)
        model = cx_dict_cmd(CX_CMD_PPR, true);
    else
        return EINVAL;
    if (model == NULL)
        return ENOENT;
    rc = fd_msg_new(model, MSGFL_ALLOC_ETEID, &m);
    if (rc != 0)
        return rc;
    rc = add_header(m, item);
    if (rc == 0)
        rc = item->kind == HSS_OUTBOX_RTR ? add_rtr_body(m, item)
                                          : add_ppr_body(m, st, item);
    if (rc != 0) {
        fd_msg_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

/* ---- outcome decisions ----------------------------------------------------
 */

enum cx_outbox_outcome cx_outbox_classify(uint32_t code)
{
    if (code == CX_RC_SUCCESS || code == CX_RC_LIMITED_SUCCESS)
        return CX_OUTBOX_ANSWERED_OK;
    if (code >= 5000 && code < 6000)
        return CX_OUTBOX_PERMANENT;
    return CX_OUTBOX_TRANSIENT;
}

struct cx_outbox_next cx_outbox_decide(enum cx_outbox_outcome outcome,
                                       int attempt, int max_attempts,
                                       int backoff_s, int64_t now)
{
    struct cx_outbox_next n = {.state = HSS_OUTBOX_FAILED, .next_attempt = now};
    int64_t wait;
    int shift;

    if (outcome == CX_OUTBOX_ANSWERED_OK) {
        n.state = HSS_OUTBOX_DONE;
        return n;
    }
    if (outcome == CX_OUTBOX_PERMANENT || attempt >= max_attempts)
        return n;
    shift = attempt < 1 ? 0 : attempt - 1;
    if (shift > 20)
        shift = 20;
    wait = (int64_t)(backoff_s < 0 ? 0 : backoff_s) << shift;
    n.state = HSS_OUTBOX_PENDING;
    n.next_attempt = now + wait;
    return n;
}

static const char *kind_str(enum hss_outbox_kind k)
{
    return k == HSS_OUTBOX_RTR ? "RTR" : k == HSS_OUTBOX_PPR ? "PPR" : "?";
}

/* ---- PPR -> RTR fallback ----------------------------------------------------
 */

struct name_list {
    char (*names)[HSS_IDENTITY_MAX + 1];
    int64_t *ids;
    size_t n, max;
};

static int collect_impu(void *ctx, const struct hss_impu *impu)
{
    struct name_list *l = ctx;

    if (l->n == l->max)
        return 1;
    memcpy(l->names[l->n], impu->name, sizeof(l->names[0]));
    l->ids[l->n++] = impu->id;
    return 0;
}

static int collect_impi(void *ctx, const struct hss_impi *impi)
{
    struct name_list *l = ctx;

    if (l->n == l->max)
        return 1;
    l->ids[l->n++] = impi->id;
    return 0;
}

static int any_still_assigned(void *ctx, const struct hss_impu *impu)
{
    bool *any = ctx;

    if (impu->reg_state != HSS_REG_NOT_REGISTERED)
        *any = true;
    return *any ? 1 : 0;
}

/* Does any IMPI of the subscription other than impi_id keep impu_id
 * registered? */
static enum hss_rc kept_by_other(struct hss_store *st,
                                 const struct name_list *impis, int64_t impi_id,
                                 int64_t impu_id, bool *kept)
{
    *kept = false;
    for (size_t i = 0; i < impis->n && !*kept; i++) {
        struct hss_assoc a;
        enum hss_rc rc;

        if (impis->ids[i] == impi_id)
            continue;
        rc = hss_store_assoc_get(st, impis->ids[i], impu_id, &a);
        if (rc == HSS_OK)
            *kept = a.registered;
        else if (rc != HSS_NOT_FOUND)
            return rc;
    }
    return HSS_OK;
}

/* Queues RTRs (8 IMPUs per item) to the PPR's S-CSCF. */
static enum hss_rc queue_rtrs(struct hss_store *st,
                              const struct cx_outbox_sent *s,
                              const struct name_list *impus, int64_t now)
{
    static const char INFO[] = "profile update not delivered";
    struct hss_outbox_item *it = calloc(1, sizeof(*it));
    enum hss_rc rc = HSS_OK;

    if (it == NULL)
        return HSS_NOMEM;
    for (size_t i = 0; rc == HSS_OK && i < impus->n; i += 8) {
        memset(it, 0, sizeof(*it));
        it->kind = HSS_OUTBOX_RTR;
        it->subscription_id = s->subscription_id;
        memcpy(it->dest_host, s->dest_host, sizeof(it->dest_host));
        memcpy(it->dest_realm, s->dest_realm, sizeof(it->dest_realm));
        memcpy(it->user_name, s->user_name, sizeof(it->user_name));
        for (size_t j = i; j < impus->n && j < i + 8; j++)
            memcpy(it->impus[it->n_impus++], impus->names[j],
                   sizeof(it->impus[0]));
        it->reason_code = CX_REASON_SERVER_CHANGE;
        memcpy(it->reason_info, INFO, sizeof(INFO));
        rc = hss_store_outbox_add(st, it, now);
    }
    free(it);
    return rc;
}

/* The fallback inside the caller's write transaction. */
static enum hss_rc fallback_in_tx(struct hss_store *st,
                                  const struct cx_outbox_sent *s, int64_t now,
                                  size_t *n_impus)
{
    struct name_list impus = {.max = FALLBACK_MAX_IMPUS};
    struct name_list impis = {.max = FALLBACK_MAX_IMPUS};
    struct hss_impi impi;
    enum hss_rc rc;
    bool any = false;

    *n_impus = 0;
    impus.names = calloc(impus.max, sizeof(impus.names[0]));
    impus.ids = calloc(impus.max, sizeof(impus.ids[0]));
    impis.ids = calloc(impis.max, sizeof(impis.ids[0]));
    rc = impus.names && impus.ids && impis.ids ? HSS_OK : HSS_NOMEM;
    if (rc == HSS_OK)
        rc = hss_store_impi_get(st, s->user_name, &impi);
    if (rc == HSS_OK)
        rc = hss_store_impu_each_registered_by_impi(st, impi.id, collect_impu,
                                                    &impus);
    if (rc == HSS_OK)
        rc = hss_store_impi_each_of_subscription(st, impi.subscription_id,
                                                 collect_impi, &impis);
    for (size_t i = 0; rc == HSS_OK && i < impus.n; i++) {
        bool kept = false;

        rc = hss_store_assoc_set_registered(st, impi.id, impus.ids[i], false);
        if (rc == HSS_OK)
            rc = kept_by_other(st, &impis, impi.id, impus.ids[i], &kept);
        if (rc == HSS_OK && !kept)
            rc = hss_store_impu_set_reg_state(st, impus.ids[i],
                                              HSS_REG_NOT_REGISTERED);
    }
    if (rc == HSS_OK && impus.n > 0)
        rc = hss_store_impu_each_of_subscription(st, impi.subscription_id,
                                                 any_still_assigned, &any);
    if (rc == HSS_OK && impus.n > 0 && !any)
        rc = hss_store_subscription_set_scscf(st, impi.subscription_id, NULL,
                                              NULL, NULL);
    if (rc == HSS_OK)
        rc = queue_rtrs(st, s, &impus, now);
    if (rc == HSS_OK)
        *n_impus = impus.n;
    free(impus.names);
    free(impus.ids);
    free(impis.ids);
    return rc;
}

enum hss_rc cx_outbox_ppr_fallback(struct hss_store *st,
                                   const struct cx_outbox_sent *s, int64_t now,
                                   size_t *n_impus)
{
    enum hss_rc rc = hss_store_begin(st, HSS_TX_WRITE);

    if (rc != HSS_OK)
        return rc;
    rc = fallback_in_tx(st, s, now, n_impus);
    if (rc == HSS_OK)
        rc = hss_store_commit(st);
    if (rc != HSS_OK)
        hss_store_rollback(st);
    return rc;
}

/* ---- recording an outcome -------------------------------------------------
 */

static void log_outcome(const struct cx_outbox_sent *s,
                        enum cx_outbox_outcome outcome, uint32_t result,
                        const struct cx_outbox_next *n, int64_t now)
{
    const char *why = outcome == CX_OUTBOX_TIMEOUT ? "no answer" : "answer";

    if (n->state == HSS_OUTBOX_DONE)
        LOG_N("hss_cx: %s #%lld to %s for %s: done (%u)", kind_str(s->kind),
              (long long)s->id, s->dest_host, s->user_name, result);
    else if (n->state == HSS_OUTBOX_PENDING)
        LOG_N("hss_cx: %s #%lld to %s for %s: %s (%u) on attempt %d, retry "
              "in %lld s",
              kind_str(s->kind), (long long)s->id, s->dest_host, s->user_name,
              why, result, s->attempt, (long long)(n->next_attempt - now));
    else
        LOG_N("hss_cx: %s #%lld to %s for %s: failed, %s (%u) on attempt %d",
              kind_str(s->kind), (long long)s->id, s->dest_host, s->user_name,
              why, result, s->attempt);
}

int cx_outbox_record(struct hss_store *st, const struct cx_outbox_sent *s,
                     enum cx_outbox_outcome outcome, uint32_t result,
                     int64_t now, const struct cx_conf *conf)
{
    struct cx_outbox_next n =
        cx_outbox_decide(outcome, s->attempt, conf->outbox_max_attempts,
                         conf->outbox_backoff_s, now);
    bool fallback = n.state == HSS_OUTBOX_FAILED && s->kind == HSS_OUTBOX_PPR &&
                    conf->ppr_fallback_rtr;
    size_t n_impus = 0;
    enum hss_rc rc = hss_store_begin(st, HSS_TX_WRITE);

    if (rc == HSS_OK)
        rc =
            hss_store_outbox_finish(st, s->id, n.state, result, n.next_attempt);
    if (rc == HSS_OK && fallback)
        rc = fallback_in_tx(st, s, now, &n_impus);
    if (rc == HSS_OK)
        rc = hss_store_commit(st);
    if (rc != HSS_OK) {
        hss_store_rollback(st);
        LOG_E("hss_cx: %s #%lld: cannot record the outcome (%u): %s: %s",
              kind_str(s->kind), (long long)s->id, result, hss_rc_str(rc),
              hss_store_errmsg(st));
        return -1;
    }
    log_outcome(s, outcome, result, &n, now);
    if (fallback && n_impus > 0)
        LOG_N("hss_cx: PPR #%lld failed: %zu IMPU(s) of %s de-registered, "
              "RTR (SERVER_CHANGE) queued",
              (long long)s->id, n_impus, s->user_name);
    else if (fallback) /* e.g. the PPR of an authentication in flight */
        LOG_N("hss_cx: PPR #%lld failed: nothing is registered through %s, "
              "no RTR",
              (long long)s->id, s->user_name);
    return (int)n.state;
}

/* ---- threads and callbacks -------------------------------------------------
 */

static pthread_mutex_t g_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond; /* CLOCK_MONOTONIC, wakes the threads */
static pthread_cond_t g_cb_idle = PTHREAD_COND_INITIALIZER;
static bool g_inited, g_stop, g_running;
static int g_cb_active;
static pthread_t g_sender, g_sweeper;
static bool g_sender_on, g_sweeper_on;

/* A callback may touch the pool only between cb_enter and cb_leave. */
static bool cb_enter(void)
{
    bool ok;

    pthread_mutex_lock(&g_mtx);
    ok = g_running;
    if (ok)
        g_cb_active++;
    pthread_mutex_unlock(&g_mtx);
    return ok;
}

static void cb_leave(void)
{
    pthread_mutex_lock(&g_mtx);
    if (--g_cb_active == 0)
        pthread_cond_broadcast(&g_cb_idle);
    pthread_mutex_unlock(&g_mtx);
}

static void finish_sent(struct cx_outbox_sent *s,
                        enum cx_outbox_outcome outcome, uint32_t result)
{
    if (cb_enter()) {
        struct hss_store *st = cx_db_borrow();

        if (st != NULL)
            (void)cx_outbox_record(st, s, outcome, result, cx_now(),
                                   cx_config());
        cx_db_return(st);
        cb_leave();
    }
    free(s);
}

/* Result-Code, else Experimental-Result-Code; 0 when neither. */
static uint32_t answer_code(struct msg *ans)
{
    struct avp *a = cx_avp_find(ans, CX_AVP_RESULT_CODE, 0, NULL);
    uint32_t code = 0;

    if (a == NULL) {
        struct avp *er = cx_avp_find(ans, CX_AVP_EXPERIMENTAL_RESULT, 0, NULL);

        if (er != NULL)
            a = cx_avp_find(er, CX_AVP_EXPERIMENTAL_RESULT_CODE, 0, NULL);
    }
    if (a != NULL && cx_avp_get_u32(a, &code) != 0)
        code = 0;
    return code;
}

static void answer_cb(void *data, struct msg **ans)
{
    uint32_t code = answer_code(*ans);

    fd_msg_free(*ans);
    *ans = NULL;
    finish_sent(data, cx_outbox_classify(code), code);
}

static void expiry_cb(void *data, DiamId_t sentto, size_t sentto_len,
                      struct msg **req)
{
    (void)sentto;
    (void)sentto_len;
    /* disposed of here: a request left in *req is logged as dropped */
    fd_msg_free(*req);
    *req = NULL;
    finish_sent(data, CX_OUTBOX_TIMEOUT, 0);
}

/* Which attempt a claimed item is making (the claim counts it). */
static int attempt_of(const struct hss_outbox_item *it)
{
    return it->attempts < 1 ? 1 : it->attempts;
}

static void send_one(struct msg *m, const struct hss_outbox_item *it)
{
    struct cx_outbox_sent *s = calloc(1, sizeof(*s));
    struct timespec ts;
    int rc = ENOMEM;

    if (s != NULL) {
        s->id = it->id;
        s->kind = it->kind;
        s->attempt = attempt_of(it);
        s->subscription_id = it->subscription_id;
        memcpy(s->dest_host, it->dest_host, sizeof(s->dest_host));
        memcpy(s->dest_realm, it->dest_realm, sizeof(s->dest_realm));
        memcpy(s->user_name, it->user_name, sizeof(s->user_name));
        cx_deadline(CLOCK_REALTIME, cx_config()->outbox_timeout_ms, &ts);
        rc = fd_msg_send_timeout(&m, answer_cb, s, expiry_cb, &ts);
    }
    if (rc == 0)
        return;
    LOG_E("hss_cx: %s #%lld to %s: cannot send: %s", kind_str(it->kind),
          (long long)it->id, it->dest_host, strerror(rc));
    if (m != NULL)
        fd_msg_free(m);
    if (s != NULL)
        finish_sent(s, CX_OUTBOX_TRANSIENT, 0);
}

struct batch {
    struct hss_outbox_item items[OUTBOX_BATCH];
    struct msg *msgs[OUTBOX_BATCH];
    size_t n;
};

static int claim_cb(void *ctx, const struct hss_outbox_item *item)
{
    struct batch *b = ctx;

    if (b->n == OUTBOX_BATCH)
        return 1;
    b->items[b->n++] = *item;
    return 0;
}

/* Claims and builds with a handle; sends without one. Returns the number
 * of items claimed. */
static size_t outbox_pass(struct batch *b)
{
    struct hss_store *st = cx_db_borrow();
    int64_t now = cx_now();
    enum hss_rc rc;

    b->n = 0;
    if (st == NULL)
        return 0;
    rc = hss_store_outbox_claim(st, now, OUTBOX_BATCH, claim_cb, b);
    if (rc != HSS_OK) {
        LOG_E("hss_cx: outbox claim failed: %s: %s", hss_rc_str(rc),
              hss_store_errmsg(st));
        cx_db_return(st);
        return 0;
    }
    for (size_t i = 0; i < b->n; i++) {
        struct hss_outbox_item *it = &b->items[i];
        int err = 0;

        b->msgs[i] = NULL;
        if (it->dest_host[0] == '\0')
            err = cx_outbox_address(st, cx_mem_global()->pend, it, now);
        if (err == 0)
            err = cx_outbox_build(st, it, &b->msgs[i]);
        if (err == 0)
            continue;
        if (err == ENOENT && it->dest_host[0] == '\0') {
            LOG_N("hss_cx: %s #%lld for %s: nothing to send: no S-CSCF "
                  "serves the IMPI now (no authentication in flight, not "
                  "registered, or the IMPI is gone)",
                  kind_str(it->kind), (long long)it->id, it->user_name);
            rc = hss_store_outbox_finish(st, it->id, HSS_OUTBOX_DONE, 0, now);
        } else {
            LOG_E("hss_cx: %s #%lld for %s: cannot build: %s; marked failed",
                  kind_str(it->kind), (long long)it->id, it->user_name,
                  strerror(err));
            rc = hss_store_outbox_finish(st, it->id, HSS_OUTBOX_FAILED,
                                         CX_RC_UNABLE_TO_COMPLY, now);
        }
        if (rc != HSS_OK)
            LOG_E("hss_cx: outbox #%lld: cannot record its state: %s",
                  (long long)it->id, hss_store_errmsg(st));
    }
    cx_db_return(st);
    for (size_t i = 0; i < b->n; i++)
        if (b->msgs[i] != NULL)
            send_one(b->msgs[i], &b->items[i]);
    return b->n;
}

static void sweep_pass(void)
{
    struct hss_store *st = cx_db_borrow();
    size_t count = 0;
    enum hss_rc rc;

    if (st == NULL)
        return;
    rc = hss_store_lease_expire(st, cx_now(), &count);
    if (rc != HSS_OK)
        LOG_E("hss_cx: lease sweep failed: %s: %s", hss_rc_str(rc),
              hss_store_errmsg(st));
    else if (count > 0)
        LOG_N("hss_cx: lease sweep: %zu expired lease(s) released", count);
    cx_db_return(st);
}

/* Sleeps up to ms milliseconds; false when asked to stop. */
static bool wait_or_stop(long ms)
{
    struct timespec ts;
    bool stop;

    cx_deadline(CLOCK_MONOTONIC, ms, &ts);
    pthread_mutex_lock(&g_mtx);
    while (!g_stop && pthread_cond_timedwait(&g_cond, &g_mtx, &ts) != ETIMEDOUT)
        ;
    stop = g_stop;
    pthread_mutex_unlock(&g_mtx);
    return !stop;
}

static void *sender_main(void *arg)
{
    struct batch *b = arg;

    while (wait_or_stop(cx_config()->outbox_poll_ms)) {
        /* drain: a full batch means more may be due */
        while (outbox_pass(b) == OUTBOX_BATCH && wait_or_stop(0))
            ;
    }
    free(b);
    return NULL;
}

static int64_t mono_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

/* Wakes every db_checkpoint_s for a PASSIVE WAL checkpoint (the serving
 * handles never checkpoint on a request), and runs the lease sweep when
 * sweep_interval_s has passed since the last one. */
static void *sweeper_main(void *arg)
{
    const struct cx_conf *conf = cx_config();
    int tick = conf->db_checkpoint_s < conf->sweep_interval_s
                   ? conf->db_checkpoint_s
                   : conf->sweep_interval_s;
    int64_t next_sweep = mono_s() + conf->sweep_interval_s;

    (void)arg;
    while (wait_or_stop((long)tick * 1000L)) {
        cx_db_checkpoint();
        if (mono_s() >= next_sweep) {
            sweep_pass();
            next_sweep = mono_s() + conf->sweep_interval_s;
        }
    }
    return NULL;
}

struct id_list {
    int64_t ids[64];
    size_t n;
};

static int collect_sent(void *ctx, const struct hss_outbox_item *item)
{
    struct id_list *l = ctx;

    if (l->n == 64)
        return 1;
    l->ids[l->n++] = item->id;
    return 0;
}

/* Items left SENT by a previous run go back to PENDING. */
static void requeue_sent(void)
{
    struct hss_store *st = cx_db_borrow();
    struct id_list l;
    size_t total = 0;
    enum hss_rc rc = HSS_OK;

    if (st == NULL)
        return;
    for (int round = 0; rc == HSS_OK && round < 1000; round++) {
        l.n = 0;
        rc = hss_store_outbox_each(st, HSS_OUTBOX_SENT, 64, collect_sent, &l);
        for (size_t i = 0; rc == HSS_OK && i < l.n; i++)
            rc = hss_store_outbox_finish(st, l.ids[i], HSS_OUTBOX_PENDING, 0,
                                         cx_now());
        total += l.n;
        if (l.n == 0)
            break;
    }
    if (rc != HSS_OK)
        LOG_E("hss_cx: outbox: cannot requeue items in flight: %s",
              hss_store_errmsg(st));
    else if (total > 0)
        LOG_N("hss_cx: outbox: %zu item(s) left in flight requeued", total);
    cx_db_return(st);
}

int cx_outbox_init(void)
{
    pthread_condattr_t ca;
    struct batch *b = calloc(1, sizeof(*b));
    int rc;

    if (b == NULL)
        return ENOMEM;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (!g_inited)
        pthread_cond_init(&g_cond, &ca);
    pthread_condattr_destroy(&ca);
    g_inited = true;
    g_stop = false;
    g_running = true;
    g_cb_active = 0;
    requeue_sent();
    rc = pthread_create(&g_sender, NULL, sender_main, b);
    if (rc != 0) {
        free(b);
        LOG_F("hss_cx: cannot start the outbox sender: %s", strerror(rc));
        cx_outbox_fini();
        return rc;
    }
    g_sender_on = true;
    rc = pthread_create(&g_sweeper, NULL, sweeper_main, NULL);
    if (rc != 0) {
        LOG_F("hss_cx: cannot start the lease sweep: %s", strerror(rc));
        cx_outbox_fini();
        return rc;
    }
    g_sweeper_on = true;
    LOG_N("hss_cx: outbox sender (every %d ms) and lease sweep (every %d s) "
          "started",
          cx_config()->outbox_poll_ms, cx_config()->sweep_interval_s);
    return 0;
}

/* Stops the threads, then waits (bounded) for callbacks that already
 * entered; later callbacks see g_running false and only free their data.
 * Requests still in flight stay SENT and are requeued at the next start. */
void cx_outbox_fini(void)
{
    struct timespec ts;

    if (!g_inited)
        return;
    pthread_mutex_lock(&g_mtx);
    g_stop = true;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_mtx);
    if (g_sender_on)
        pthread_join(g_sender, NULL);
    if (g_sweeper_on)
        pthread_join(g_sweeper, NULL);
    g_sender_on = g_sweeper_on = false;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += FINI_WAIT_MS / 1000;
    pthread_mutex_lock(&g_mtx);
    g_running = false;
    while (g_cb_active > 0 &&
           pthread_cond_timedwait(&g_cb_idle, &g_mtx, &ts) != ETIMEDOUT)
        ;
    if (g_cb_active > 0)
        LOG_E("hss_cx: outbox: %d answer callback(s) still running at stop",
              g_cb_active);
    pthread_mutex_unlock(&g_mtx);
}
