/* cx_peer.c - embedded libfdcore lifecycle for Cx client tools.
 *
 * Owns: the private temp dir (freeDiameter config, throwaway TLS pair made
 * by running `openssl req -x509`), routing freeDiameter logs to stderr,
 * silencing the per-message dump hooks, the bounded wait for the HSS peer
 * to be STATE_OPEN, and request sending with a bounded wait for the
 * answer. Does not know any Cx command layout (the callers build them).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_peer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cx_proto.h"

extern char **environ;

#define CX_PEER_PATH_MAX 512
#define CX_PEER_POLL_MS 20u
#define CX_PEER_OPENSSL_TIMEOUT_MS 20000u
/* Extra time given to freeDiameter to call the expiry callback. */
#define CX_PEER_GRACE_MS 2000u

struct cx_peer {
    char dir[CX_PEER_PATH_MAX]; /* private temp dir, "" if none */
    char conf[CX_PEER_PATH_MAX];
    char cert[CX_PEER_PATH_MAX];
    char key[CX_PEER_PATH_MAX];
    char acl[CX_PEER_PATH_MAX];
    int core_up; /* fd_core_initialize done */
    struct fd_hook_hdl *hook;
};

static int cx_peer_log_level = FD_LOG_ERROR;

/* ---- small utilities ---------------------------------------------- */

static void cx_peer_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void cx_peer_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int cx_peer_path(char *dst, size_t len, const char *dir,
                        const char *name)
{
    int n = snprintf(dst, len, "%s/%s", dir, name);

    return (n < 0 || (size_t)n >= len) ? ENAMETOOLONG : 0;
}

static void cx_peer_ms_sleep(unsigned ms)
{
    struct timespec ts = {ms / 1000u, (long)(ms % 1000u) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static uint64_t cx_peer_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A value written inside "..." in the freeDiameter config: no quote, no
 * backslash, no control character. */
static int cx_peer_qstring_ok(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return 0;
    return 1;
}

/* A Diameter identity usable as certificate CN and acl_wl entry. */
static int cx_peer_fqdn_ok(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 255)
        return 0;
    for (; *s != '\0'; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* ---- freeDiameter logging and hooks --------------------------------- */

static void cx_peer_log_cb(int level, const char *fmt, va_list ap)
{
    if (level < cx_peer_log_level)
        return;
    flockfile(stderr);
    fputs("freeDiameter: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
}

/* Registered for the per-message hooks so that libfdcore 1.2.1 does not
 * format a text dump of every message under its global hook lock. */
static void cx_peer_quiet_hook_cb(enum fd_hook_type type, struct msg *msg,
                                  struct peer_hdr *peer, void *other,
                                  struct fd_hook_permsgdata *pmd, void *regdata)
{
}

/* ---- temp dir, TLS credentials, configuration ----------------------- */

static int cx_peer_mkdir(struct cx_peer *p, char *err, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    char tmpl[CX_PEER_PATH_MAX];
    int n;

    if (tmp == NULL || *tmp == '\0')
        tmp = "/tmp";
    n = snprintf(tmpl, sizeof(tmpl), "%s/cx-client.XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof(tmpl)) {
        cx_peer_err(err, errlen, "TMPDIR path too long");
        return ENAMETOOLONG;
    }
    if (mkdtemp(tmpl) == NULL) {
        int e = errno;
        cx_peer_err(err, errlen, "mkdtemp %s: %s", tmpl, strerror(e));
        return e;
    }
    memcpy(p->dir, tmpl, (size_t)n + 1);
    return 0;
}

static int cx_peer_wait_child(pid_t pid, unsigned timeout_ms, int *status)
{
    uint64_t deadline = cx_peer_now_ms() + timeout_ms;

    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 0;
        if (r < 0 && errno != EINTR)
            return errno;
        if (cx_peer_now_ms() >= deadline) {
            (void)kill(pid, SIGKILL);
            (void)waitpid(pid, status, 0);
            return ETIMEDOUT;
        }
        cx_peer_ms_sleep(CX_PEER_POLL_MS);
    }
}

/* openssl req -x509: a self-signed EC P-256 pair whose CN is our
 * identity (freeDiameter checks the CN against Identity). */
static int cx_peer_gen_cert(struct cx_peer *p, const char *cn, char *err,
                            size_t errlen)
{
    char subj[300];
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int rc, status = 0;

    if (cx_peer_path(p->cert, sizeof(p->cert), p->dir, "cert.pem") != 0 ||
        cx_peer_path(p->key, sizeof(p->key), p->dir, "key.pem") != 0 ||
        snprintf(subj, sizeof(subj), "/CN=%s", cn) >= (int)sizeof(subj)) {
        cx_peer_err(err, errlen, "certificate path too long");
        return ENAMETOOLONG;
    }
    /* posix_spawnp does not modify argv; the cast only drops const. */
    const char *argv[] = {
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "7",
        "-subj",
        subj,
        "-keyout",
        p->key,
        "-out",
        p->cert,
        NULL,
    };
    rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0) {
        cx_peer_err(err, errlen, "posix_spawn: %s", strerror(rc));
        return rc;
    }
    rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawnp(&pid, "openssl", &fa, NULL, (char *const *)argv,
                          environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        cx_peer_err(err, errlen, "cannot run openssl: %s", strerror(rc));
        return rc;
    }
    rc = cx_peer_wait_child(pid, CX_PEER_OPENSSL_TIMEOUT_MS, &status);
    if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        rc = EIO;
    if (rc != 0)
        cx_peer_err(err, errlen, "openssl req -x509 failed (%s)",
                    rc == EIO ? "exit status" : strerror(rc));
    return rc;
}

static int cx_peer_write_acl(struct cx_peer *p, const struct cx_peer_conf *c,
                             char *err, size_t errlen)
{
    FILE *f;
    int rc = 0;

    if (cx_peer_path(p->acl, sizeof(p->acl), p->dir, "acl_wl.conf") != 0)
        return ENAMETOOLONG;
    f = fopen(p->acl, "w");
    if (f == NULL) {
        rc = errno;
        cx_peer_err(err, errlen, "%s: %s", p->acl, strerror(rc));
        return rc;
    }
    fprintf(f, "ALLOW_IPSEC %s\n", c->hss_host);
    if (c->hss_realm != NULL && cx_peer_fqdn_ok(c->hss_realm))
        fprintf(f, "ALLOW_IPSEC *.%s\n", c->hss_realm);
    if (fclose(f) != 0) {
        rc = errno;
        cx_peer_err(err, errlen, "%s: %s", p->acl, strerror(rc));
    }
    return rc;
}

static int cx_peer_check_conf(const struct cx_peer_conf *c, char *err,
                              size_t errlen)
{
    if (!cx_peer_fqdn_ok(c->identity) || !cx_peer_fqdn_ok(c->realm) ||
        !cx_peer_fqdn_ok(c->hss_host)) {
        cx_peer_err(err, errlen,
                    "identity, realm and HSS host must be "
                    "plain host names");
        return EINVAL;
    }
    if (!cx_peer_qstring_ok(c->hss_addr) ||
        !cx_peer_qstring_ok(c->listen_addr) || c->hss_port == 0 ||
        c->hss_port > 65535 || c->local_port > 65535) {
        cx_peer_err(err, errlen, "bad HSS/listen address or port");
        return EINVAL;
    }
    if (!cx_peer_qstring_ok(c->dict_path) || access(c->dict_path, R_OK) != 0) {
        cx_peer_err(err, errlen,
                    "dictionary extension '%s' not readable "
                    "(use --dict or CX_DICT)",
                    c->dict_path ? c->dict_path : "(none)");
        return ENOENT;
    }
    for (unsigned i = 0; i < c->n_ext && i < CX_PEER_MAX_EXT; i++)
        if (!cx_peer_qstring_ok(c->ext[i]) || access(c->ext[i], R_OK)) {
            cx_peer_err(err, errlen, "extension '%s' not readable",
                        c->ext[i] ? c->ext[i] : "(null)");
            return ENOENT;
        }
    if ((c->tls_cert != NULL && !cx_peer_qstring_ok(c->tls_cert)) ||
        (c->tls_key != NULL && !cx_peer_qstring_ok(c->tls_key)) ||
        (c->tls_ca != NULL && !cx_peer_qstring_ok(c->tls_ca)) ||
        (c->acl_wl_path != NULL && !cx_peer_qstring_ok(c->acl_wl_path))) {
        cx_peer_err(err, errlen, "bad TLS or acl_wl path");
        return EINVAL;
    }
    return 0;
}

static void cx_peer_conf_body(FILE *f, struct cx_peer *p,
                              const struct cx_peer_conf *c)
{
    const char *cert = c->tls_cert ? c->tls_cert : p->cert;
    const char *key = c->tls_cert ? c->tls_key : p->key;
    const char *ca = c->tls_ca ? c->tls_ca : cert;

    fprintf(f, "# written by cx-client (cx_peer.c); removed at exit\n");
    fprintf(f, "Identity = \"%s\";\nRealm = \"%s\";\n", c->identity, c->realm);
    fprintf(f, "Port = %u;\nSecPort = 0;\nNo_SCTP;\nNoRelay;\n", c->local_port);
    if (c->local_port != 0)
        fprintf(f, "ListenOn = \"%s\";\n", c->listen_addr);
    fprintf(f, "AppServThreads = 2;\n");
    if (!c->no_tls_cred)
        fprintf(f, "TLS_Cred = \"%s\", \"%s\";\nTLS_CA = \"%s\";\n", cert, key,
                ca);
    for (unsigned i = 0; i < c->n_ext && i < CX_PEER_MAX_EXT; i++)
        fprintf(f, "LoadExtension = \"%s\";\n", c->ext[i]);
    fprintf(f, "LoadExtension = \"%s\";\n", c->dict_path);
    if (c->acl_wl_path != NULL)
        fprintf(f, "LoadExtension = \"%s\" : \"%s\";\n", c->acl_wl_path,
                p->acl);
    fprintf(f,
            "ConnectPeer = \"%s\" { ConnectTo = \"%s\"; Port = %u; "
            "No_TLS; No_SCTP; };\n",
            c->hss_host, c->hss_addr, c->hss_port);
}

static int cx_peer_write_conf(struct cx_peer *p, const struct cx_peer_conf *c,
                              char *err, size_t errlen)
{
    FILE *f;
    int rc;

    if (c->tls_cert == NULL && !c->no_tls_cred) {
        rc = cx_peer_gen_cert(p, c->identity, err, errlen);
        if (rc != 0)
            return rc;
    }
    if (c->acl_wl_path != NULL) {
        rc = cx_peer_write_acl(p, c, err, errlen);
        if (rc != 0)
            return rc;
    }
    if (cx_peer_path(p->conf, sizeof(p->conf), p->dir, "client.conf") != 0)
        return ENAMETOOLONG;
    f = fopen(p->conf, "w");
    if (f == NULL) {
        rc = errno;
        cx_peer_err(err, errlen, "%s: %s", p->conf, strerror(rc));
        return rc;
    }
    cx_peer_conf_body(f, p, c);
    if (fclose(f) != 0) {
        rc = errno;
        cx_peer_err(err, errlen, "%s: %s", p->conf, strerror(rc));
        return rc;
    }
    return 0;
}

static void cx_peer_rmdir(struct cx_peer *p)
{
    const char *files[] = {p->conf, p->cert, p->key, p->acl};

    if (p->dir[0] == '\0')
        return;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (files[i][0] != '\0')
            (void)unlink(files[i]);
    (void)rmdir(p->dir);
    p->dir[0] = '\0';
}

/* ---- core lifecycle ---------------------------------------------------- */

static int cx_peer_hooks(struct cx_peer *p)
{
    uint32_t mask =
        HOOK_MASK(HOOK_MESSAGE_RECEIVED, HOOK_MESSAGE_LOCAL,
                  HOOK_MESSAGE_SENDING, HOOK_MESSAGE_SENT,
                  HOOK_MESSAGE_ROUTING_FORWARD, HOOK_MESSAGE_ROUTING_LOCAL);

    return fd_hook_register(mask, cx_peer_quiet_hook_cb, NULL, NULL, &p->hook);
}

/* Advertise Cx (auth, vendor 10415) in our CER so that the HSS routes
 * RTR/PPR to us and accepts our requests. */
static int cx_peer_support_cx(char *err, size_t errlen)
{
    struct dict_object *app = cx_peer_app(CX_APP_ID);
    struct dict_object *vnd = NULL;
    vendor_id_t vid = CX_VENDOR_3GPP;
    int rc;

    if (app == NULL) {
        cx_peer_err(err, errlen,
                    "dictionary has no application %u (is "
                    "dict_cx.fdx loaded?)",
                    CX_APP_ID);
        return ENOENT;
    }
    (void)fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID, &vid,
                         &vnd, ENOENT);
    rc = fd_disp_app_support(app, vnd, 1, 0);
    if (rc != 0)
        cx_peer_err(err, errlen, "fd_disp_app_support: %s", strerror(rc));
    return rc;
}

static enum cx_peer_rc cx_peer_wait_open(const struct cx_peer_conf *c,
                                         char *err, size_t errlen)
{
    uint64_t deadline = cx_peer_now_ms() + c->connect_timeout_ms;
    int state = -1;

    for (;;) {
        struct peer_hdr *hdr = NULL;
        if (fd_peer_getbyid((DiamId_t)c->hss_host, strlen(c->hss_host), 0,
                            &hdr) == 0 &&
            hdr != NULL) {
            state = fd_peer_get_state(hdr);
            if (state == STATE_OPEN)
                return CX_PEER_OK;
        }
        if (cx_peer_now_ms() >= deadline)
            break;
        cx_peer_ms_sleep(CX_PEER_POLL_MS);
    }
    cx_peer_err(err, errlen,
                "HSS peer %s at %s:%u not open after %u ms "
                "(state %s)",
                c->hss_host, c->hss_addr, c->hss_port, c->connect_timeout_ms,
                state < 0 ? "unknown" : STATE_STR(state));
    return CX_PEER_NOPEER;
}

static enum cx_peer_rc cx_peer_boot(struct cx_peer *p,
                                    const struct cx_peer_conf *c, char *err,
                                    size_t errlen)
{
    int rc;

    cx_peer_log_level = c->log_level;
    (void)fd_log_handler_register(cx_peer_log_cb);
    rc = fd_core_initialize();
    if (rc != 0) {
        cx_peer_err(err, errlen, "fd_core_initialize: %s", strerror(rc));
        return CX_PEER_ERROR;
    }
    p->core_up = 1;
    rc = fd_core_parseconf(p->conf);
    if (rc != 0) {
        cx_peer_err(err, errlen,
                    "freeDiameter rejected %s (%s); run with "
                    "-v for details",
                    p->conf, strerror(rc));
        return CX_PEER_ERROR;
    }
    if (cx_peer_hooks(p) != 0 || cx_peer_support_cx(err, errlen) != 0) {
        if (err != NULL && err[0] == '\0')
            cx_peer_err(err, errlen, "fd_hook_register failed");
        return CX_PEER_ERROR;
    }
    if (c->setup_cb != NULL && c->setup_cb(c->setup_data) != 0) {
        cx_peer_err(err, errlen, "handler registration failed");
        return CX_PEER_ERROR;
    }
    rc = fd_core_start();
    if (rc != 0) {
        cx_peer_err(err, errlen, "fd_core_start: %s", strerror(rc));
        return CX_PEER_ERROR;
    }
    return cx_peer_wait_open(c, err, errlen);
}

enum cx_peer_rc cx_peer_start(const struct cx_peer_conf *conf,
                              struct cx_peer **out, char *err, size_t errlen)
{
    struct cx_peer *p;
    enum cx_peer_rc rc;

    *out = NULL;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (cx_peer_check_conf(conf, err, errlen) != 0)
        return CX_PEER_ERROR;
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        cx_peer_err(err, errlen, "out of memory");
        return CX_PEER_ERROR;
    }
    if (cx_peer_mkdir(p, err, errlen) != 0 ||
        cx_peer_write_conf(p, conf, err, errlen) != 0) {
        cx_peer_stop(p);
        return CX_PEER_ERROR;
    }
    rc = cx_peer_boot(p, conf, err, errlen);
    if (rc != CX_PEER_OK) {
        cx_peer_stop(p);
        return rc;
    }
    *out = p;
    return CX_PEER_OK;
}

void cx_peer_stop(struct cx_peer *p)
{
    if (p == NULL)
        return;
    if (p->core_up) {
        /* Answers sent by dispatch callbacks (RTA, PPA) sit in the peer's
         * send queue; a shutdown right away can drop the last one, and the
         * HSS then sees a timeout. A short, bounded grace lets it leave. */
        cx_peer_ms_sleep(300);
        /* Our own shutdown is logged as FATAL by libfdcore: hide it
         * unless the user asked for details. */
        if (cx_peer_log_level > FD_LOG_NOTICE)
            cx_peer_log_level = FD_LOG_FATAL + 1;
        (void)fd_core_shutdown();
        (void)fd_core_wait_shutdown_complete();
        p->core_up = 0;
    }
    cx_peer_rmdir(p);
    free(p);
}

/* ---- sending ----------------------------------------------------------- */

struct cx_peer_pending {
    cx_peer_answer_cb cb;
    void *data;
};

static void cx_peer_answer_cb_fd(void *data, struct msg **ans)
{
    struct cx_peer_pending *pd = data;
    struct msg *m = *ans;

    *ans = NULL;
    pd->cb(pd->data, m);
    free(pd);
}

static void cx_peer_expire_cb_fd(void *data, DiamId_t sentto, size_t len,
                                 struct msg **req)
{
    struct cx_peer_pending *pd = data;

    pd->cb(pd->data, NULL);
    free(pd);
    /* Disposing of the request here keeps libfdcore from logging it as
     * "discarded" with a full dump. */
    fd_msg_free(*req);
    *req = NULL;
}

enum cx_peer_rc cx_peer_send(struct cx_peer *peer, struct msg **req,
                             unsigned timeout_ms, cx_peer_answer_cb cb,
                             void *data)
{
    struct cx_peer_pending *pd = malloc(sizeof(*pd));
    struct timespec ts;
    int rc;

    if (pd == NULL) {
        fd_msg_free(*req);
        *req = NULL;
        return CX_PEER_ERROR;
    }
    pd->cb = cb;
    pd->data = data;
    cx_peer_deadline(timeout_ms, &ts);
    rc = fd_msg_send_timeout(req, cx_peer_answer_cb_fd, pd,
                             cx_peer_expire_cb_fd, &ts);
    if (rc != 0) {
        free(pd);
        if (*req != NULL) {
            fd_msg_free(*req);
            *req = NULL;
        }
        return CX_PEER_ERROR;
    }
    return CX_PEER_OK;
}

/* Shared between the waiting thread and the callback. Freed by the
 * waiter once done is set; leaked on purpose if the framework never calls
 * back (the callback could still run later). */
struct cx_peer_waiter {
    pthread_mutex_t mtx;
    pthread_cond_t cond;
    int done;
    struct msg *ans;
};

static void cx_peer_wait_cb(void *data, struct msg *ans)
{
    struct cx_peer_waiter *w = data;

    pthread_mutex_lock(&w->mtx);
    w->ans = ans;
    w->done = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mtx);
}

enum cx_peer_rc cx_peer_send_wait(struct cx_peer *peer, struct msg **req,
                                  unsigned timeout_ms, struct msg **ans)
{
    struct cx_peer_waiter *w = calloc(1, sizeof(*w));
    uint64_t wait_ms = (uint64_t)timeout_ms + CX_PEER_GRACE_MS;
    struct timespec ts;
    enum cx_peer_rc rc;
    int done;

    *ans = NULL;
    if (w == NULL) {
        fd_msg_free(*req);
        *req = NULL;
        return CX_PEER_ERROR;
    }
    pthread_mutex_init(&w->mtx, NULL);
    pthread_cond_init(&w->cond, NULL);
    rc = cx_peer_send(peer, req, timeout_ms, cx_peer_wait_cb, w);
    if (rc != CX_PEER_OK) {
        free(w);
        return rc;
    }
    cx_peer_deadline(wait_ms, &ts);
    pthread_mutex_lock(&w->mtx);
    while (!w->done)
        if (pthread_cond_timedwait(&w->cond, &w->mtx, &ts) == ETIMEDOUT)
            break;
    done = w->done;
    pthread_mutex_unlock(&w->mtx);
    if (!done)
        return CX_PEER_TIMEOUT; /* w leaked: see struct comment */
    *ans = w->ans;
    pthread_mutex_destroy(&w->mtx);
    pthread_cond_destroy(&w->cond);
    free(w);
    return *ans != NULL ? CX_PEER_OK : CX_PEER_TIMEOUT;
}

void cx_peer_deadline(unsigned ms, struct timespec *ts)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += (time_t)(ms / 1000u);
    ts->tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

void cx_peer_conf_defaults(struct cx_peer_conf *conf, const char *dict_default)
{
    const char *env = getenv("CX_DICT");

    memset(conf, 0, sizeof(*conf));
    conf->identity = "scscf.localdomain";
    conf->realm = "localdomain";
    conf->listen_addr = "127.0.0.1";
    conf->hss_host = "hss.localdomain";
    conf->hss_realm = "localdomain";
    conf->hss_addr = "127.0.0.1";
    conf->hss_port = 3868;
    conf->dict_path = (env != NULL && *env != '\0') ? env : dict_default;
    conf->connect_timeout_ms = 10000;
    conf->log_level = FD_LOG_ERROR;
}

int cx_peer_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
