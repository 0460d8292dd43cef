/* hssctl_secret.c - getting secrets into hssctl without leaking them.
 *
 * Owns every way a secret enters the tool: a file (one line), stdin (read
 * unbuffered, one line per secret, so that K and OPc can follow each other),
 * a no-echo prompt on the terminal (termios, asked twice), and generated
 * passwords (20 characters of [A-Za-z0-9] from hss_random_bytes with
 * rejection sampling, so every character is uniform). Also owns the list of
 * option names that would carry a secret on argv and are refused with a
 * message saying how to pass the value safely (argv is visible in ps and in
 * shell history). Buffers are wiped with hss_secret_wipe on every path.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "hss_hex.h"
#include "hss_rand.h"
#include "hss_secret.h"
#include "hssctl.h"

void hssctl_secret_wipe(struct hssctl_secret *s)
{
    hss_secret_wipe(s, sizeof(*s));
}

static const struct {
    const char *name;
    const char *instead;
} REFUSED[] = {
    {"password", "--password-file FILE, --password-stdin or the prompt"},
    {"passwd", "--password-file FILE, --password-stdin or the prompt"},
    {"k", "--k-file FILE or --k-stdin"},
    {"key-hex", "--k-file FILE or --k-stdin"},
    {"opc", "--opc-file FILE or --opc-stdin"},
    {"op", "--op-file FILE or --op-stdin"},
    {"ha1", "cred digest (H(A1) is computed from the password)"},
    {"secret", "a file or stdin"},
};

bool hssctl_secret_option_refused(const char *name)
{
    for (size_t i = 0; i < sizeof(REFUSED) / sizeof(REFUSED[0]); i++) {
        if (strcmp(name, REFUSED[i].name) == 0) {
            fprintf(stderr,
                    "hssctl: refusing --%s: a secret on the command "
                    "line is visible in ps and shell history; use %s\n",
                    name, REFUSED[i].instead);
            return true;
        }
    }
    return false;
}

/* Reads one line from fd byte by byte (no stdio buffer keeps a copy).
 * Returns 0, or -1 with *why set. */
static int read_line(int fd, struct hssctl_secret *out, const char **why)
{
    size_t n = 0;
    char ch;

    for (;;) {
        ssize_t r = read(fd, &ch, 1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *why = "read error";
            goto fail;
        }
        if (r == 0 || ch == '\n')
            break;
        if (n >= HSSCTL_SECRET_MAX) {
            *why = "longer than 256 bytes";
            goto fail;
        }
        out->buf[n++] = ch;
    }
    ch = 0;
    if (n > 0 && out->buf[n - 1] == '\r')
        n--;
    out->buf[n] = '\0';
    out->len = n;
    if (n == 0) {
        *why = "empty";
        goto fail;
    }
    return 0;
fail:
    hssctl_secret_wipe(out);
    return -1;
}

int hssctl_secret_from_file(struct hssctl *c, const char *what,
                            const char *path, struct hssctl_secret *out)
{
    const char *why = NULL;
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    int rc;

    if (fd < 0)
        return hssctl_fail(c, 2, "cannot read the %s file '%s': %s", what, path,
                           strerror(errno));
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
        fprintf(stderr,
                "hssctl: warning: '%s' is readable by other users; "
                "chmod 600 it\n",
                path);
    rc = read_line(fd, out, &why);
    close(fd);
    if (rc != 0)
        return hssctl_fail(c, 2, "the %s in '%s' is %s", what, path, why);
    return 0;
}

int hssctl_secret_from_stdin(struct hssctl *c, const char *what,
                             struct hssctl_secret *out)
{
    const char *why = NULL;

    if (read_line(STDIN_FILENO, out, &why) != 0)
        return hssctl_fail(c, 2, "the %s on stdin is %s", what, why);
    return 0;
}

/* ---- terminal prompt ------------------------------------------------------
 */

static struct termios saved_tio;
static volatile sig_atomic_t tio_saved;

static void restore_tty_cb(int sig)
{
    if (tio_saved)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int prompt_once(const char *text, struct hssctl_secret *out)
{
    struct termios tio;
    const char *why = NULL;
    int rc;

    if (tcgetattr(STDIN_FILENO, &saved_tio) != 0)
        return -1;
    tio = saved_tio;
    tio.c_lflag &= ~(tcflag_t)ECHO;
    tio.c_lflag |= ECHONL;
    tio_saved = 1;
    signal(SIGINT, restore_tty_cb);
    signal(SIGTERM, restore_tty_cb);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio) != 0) {
        tio_saved = 0;
        return -1;
    }
    fputs(text, stderr);
    fflush(stderr);
    rc = read_line(STDIN_FILENO, out, &why);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
    tio_saved = 0;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return rc;
}

int hssctl_secret_prompt(struct hssctl *c, const char *what,
                         struct hssctl_secret *out)
{
    struct hssctl_secret again;
    char text[64];
    bool same;

    snprintf(text, sizeof(text), "%s: ", what);
    if (prompt_once(text, out) != 0)
        return hssctl_fail(c, 2, "no %s entered", what);
    snprintf(text, sizeof(text), "%s again: ", what);
    if (prompt_once(text, &again) != 0) {
        hssctl_secret_wipe(out);
        return hssctl_fail(c, 2, "no %s entered", what);
    }
    same = out->len == again.len &&
           hss_secret_equal(out->buf, again.buf, out->len);
    hssctl_secret_wipe(&again);
    if (!same) {
        hssctl_secret_wipe(out);
        return hssctl_fail(c, 2, "the two entries differ; nothing changed");
    }
    return 0;
}

/* ---- generation ------------------------------------------------------------
 */

int hssctl_secret_generate(struct hssctl *c, struct hssctl_secret *out)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "abcdefghijklmnopqrstuvwxyz0123456789";
    const unsigned limit = 62 * 4; /* 248: largest multiple of 62 <= 256 */
    uint8_t rnd[64];
    size_t n = 0;

    while (n < HSSCTL_GEN_PASSWORD_LEN) {
        if (hss_random_bytes(rnd, sizeof(rnd)) != HSS_CRYPTO_OK) {
            hss_secret_wipe(rnd, sizeof(rnd));
            hssctl_secret_wipe(out);
            return hssctl_fail(c, 2, "the random generator failed");
        }
        for (size_t i = 0; i < sizeof(rnd) && n < HSSCTL_GEN_PASSWORD_LEN;
             i++) {
            if (rnd[i] < limit)
                out->buf[n++] = alphabet[rnd[i] % 62];
        }
    }
    hss_secret_wipe(rnd, sizeof(rnd));
    out->buf[n] = '\0';
    out->len = n;
    return 0;
}

int hssctl_password_get(struct hssctl *c, const struct hssctl_args *a,
                        struct hssctl_secret *out, bool *generated)
{
    const char *file = hssctl_opt(c, a, "password-file");
    bool from_stdin = hssctl_flag(c, a, "password-stdin");
    bool gen = hssctl_flag(c, a, "generate");

    *generated = false;
    if ((file != NULL) + from_stdin + gen > 1)
        return hssctl_fail(c, 1,
                           "give only one of --password-file, "
                           "--password-stdin and --generate");
    if (gen) {
        *generated = true;
        return hssctl_secret_generate(c, out);
    }
    if (file)
        return hssctl_secret_from_file(c, "password", file, out);
    if (from_stdin)
        return hssctl_secret_from_stdin(c, "password", out);
    if (!isatty(STDIN_FILENO))
        return hssctl_fail(c, 1,
                           "no password source: use --password-file "
                           "FILE, --password-stdin or --generate (or run "
                           "on a terminal to be asked)");
    return hssctl_secret_prompt(c, "password", out);
}

int hssctl_secret_hex(struct hssctl *c, const char *what,
                      const struct hssctl_secret *s, uint8_t *out, size_t n)
{
    size_t len = s->len;

    while (len > 0 && (s->buf[len - 1] == ' ' || s->buf[len - 1] == '\t'))
        len--;
    if (hss_hex_decode(s->buf, len, out, n) != HSS_CRYPTO_OK)
        return hssctl_fail(c, 2, "the %s must be exactly %zu hex digits", what,
                           2 * n);
    return 0;
}
