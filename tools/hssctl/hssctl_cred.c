/* hssctl_cred.c - `cred aka` and `cred digest`: credentials of an IMPI.
 *
 * Owns turning operator input into what the store keeps: K and OPc for IMS
 * AKA (OPc derived from OP with Milenage when OP is given; OP itself is never
 * stored), and for SIP Digest only H(A1) = H(IMPI:realm:password) per
 * algorithm (RFC 2617/7616/8760), computed with hss_crypto. The password and
 * every derived value are wiped before return; a generated password is
 * printed once, after the commit succeeded.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include "hss_digest.h"
#include "hss_hex.h"
#include "hss_milenage.h"
#include "hss_secret.h"
#include "hssctl.h"

enum hss_digest_alg hssctl_crypto_alg(enum hss_digest_algo_id a)
{
    switch (a) {
    case HSS_HA1_MD5:
        return HSS_DIGEST_MD5;
    case HSS_HA1_SHA256:
        return HSS_DIGEST_SHA256;
    case HSS_HA1_SHA512_256:
        return HSS_DIGEST_SHA512_256;
    }
    return HSS_DIGEST_SHA256;
}

int hssctl_digest_store(struct hssctl *c, const struct hss_impi *impi,
                        const char *realm, unsigned algos,
                        const struct hssctl_secret *password, bool clear_first)
{
    char ha1[HSS_DIGEST_HEX_MAX];
    enum hss_rc rc = HSS_OK;
    bool is_default = true;

    if (clear_first) {
        rc = hss_store_digest_clear(c->st, impi->id);
        if (rc != HSS_OK && rc != HSS_NOT_FOUND)
            return hssctl_store_fail(c, rc, "clearing the old H(A1)");
    }
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++) {
        if (!(algos & (1u << a)))
            continue;
        if (hss_digest_ha1(hssctl_crypto_alg(a), impi->name, realm,
                           password->buf, password->len, ha1,
                           sizeof(ha1)) != 0) {
            hss_secret_wipe(ha1, sizeof(ha1));
            return hssctl_fail(c, 2, "computing H(A1) failed");
        }
        rc = hss_store_digest_set(c->st, impi->id, realm, a, ha1, is_default);
        hss_secret_wipe(ha1, sizeof(ha1));
        if (rc != HSS_OK)
            return hssctl_store_fail(c, rc, "storing H(A1)");
    }
    return 0;
}

void hssctl_digest_current(struct hssctl *c, int64_t impi_id, char *realm,
                           size_t size, unsigned *algos)
{
    char ha1[HSS_HA1_HEX_MAX + 1];

    *algos = 0;
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++) {
        if (hss_store_digest_get(c->st, impi_id, NULL, a, ha1, realm, size) ==
            HSS_OK)
            *algos |= 1u << a;
        hss_secret_wipe(ha1, sizeof(ha1));
    }
}

int hssctl_digest_changed(struct hssctl *c, const struct hss_impi *impi,
                          size_t *n_ppr)
{
    struct hss_subscription sub;
    int rc = hssctl_sub_find_id(c, impi->subscription_id, &sub);

    if (rc == 0)
        rc = hssctl_ppr_queue_impi(c, &sub, impi, HSS_PPR_AUTH_DATA, n_ppr);
    return rc;
}

/* Prints the result of a password change; the password only if generated. */
int hssctl_print_password_result(struct hssctl *c, const char *impi,
                                 const char *realm, unsigned algos,
                                 const struct hssctl_secret *pw, bool generated)
{
    hssctl_out_begin(c);
    hssctl_out_str(c, "impi", impi);
    hssctl_out_str(c, "realm", realm);
    hssctl_out_arr(c, "algorithms");
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256; a++)
        if (algos & (1u << a))
            hssctl_out_item(c, hssctl_algo_str(a));
    hssctl_out_arr_end(c);
    if (generated)
        hssctl_out_str(c, "password", pw->buf);
    return hssctl_out_end(c);
}

int hssctl_cmd_cred_digest(struct hssctl *c, const struct hssctl_args *a)
{
    const char *realm = hssctl_opt(c, a, "realm");
    const char *alg = hssctl_opt(c, a, "algorithms");
    struct hssctl_secret pw = {0};
    unsigned algos = HSSCTL_ALGOS_DEFAULT;
    struct hss_impi impi;
    bool generated;
    int rc;

    if (!realm || !realm[0])
        return hssctl_fail(c, 1, "cred digest needs --realm REALM");
    if (alg && hssctl_parse_algorithms(c, alg, &algos) != 0)
        return 1;
    if (hssctl_impi_find(c, a->pos[0], &impi) != 0)
        return 2;
    if (!(impi.schemes & HSS_SCHEME_DIGEST))
        fprintf(stderr,
                "hssctl: warning: impi '%s' does not allow the "
                "digest scheme yet\n",
                impi.name);
    rc = hssctl_password_get(c, a, &pw, &generated);
    if (rc != 0)
        return rc;
    rc = hssctl_begin(c);
    if (rc == 0) {
        char old_realm[HSS_NAME_MAX + 1] = "";
        unsigned had;
        size_t n_ppr = 0;

        hssctl_digest_current(c, impi.id, old_realm, sizeof(old_realm), &had);
        rc = hssctl_digest_store(c, &impi, realm, algos, &pw, false);
        if (rc == 0 && had) /* a change, not a first password */
            rc = hssctl_digest_changed(c, &impi, &n_ppr);
        rc = hssctl_finish(c, rc, impi.name, realm);
    }
    if (rc == 0)
        rc = hssctl_print_password_result(c, impi.name, realm, algos, &pw,
                                          generated);
    hssctl_secret_wipe(&pw);
    return rc;
}

/* ---- cred aka ---------------------------------------------------------- */

/* Reads K (first) then OP or OPc, from files or stdin lines. */
static int read_aka_secrets(struct hssctl *c, const struct hssctl_args *a,
                            struct hss_aka_cred *cred)
{
    const char *kf = hssctl_opt(c, a, "k-file");
    const char *opcf = hssctl_opt(c, a, "opc-file");
    const char *opf = hssctl_opt(c, a, "op-file");
    bool ks = hssctl_flag(c, a, "k-stdin");
    bool opcs = hssctl_flag(c, a, "opc-stdin");
    bool ops = hssctl_flag(c, a, "op-stdin");
    struct hssctl_secret s = {0};
    uint8_t op[16];
    int rc;

    if ((kf != NULL) + ks != 1)
        return hssctl_fail(c, 1,
                           "give K with exactly one of --k-file FILE "
                           "or --k-stdin");
    if ((opcf != NULL) + opcs + (opf != NULL) + ops != 1)
        return hssctl_fail(c, 1,
                           "give exactly one of --opc-file, "
                           "--opc-stdin, --op-file or --op-stdin");
    rc = kf ? hssctl_secret_from_file(c, "K", kf, &s)
            : hssctl_secret_from_stdin(c, "K", &s);
    if (rc == 0)
        rc = hssctl_secret_hex(c, "K", &s, cred->k, sizeof(cred->k));
    hssctl_secret_wipe(&s);
    if (rc != 0)
        return rc;
    if (opcf || opcs) {
        rc = opcf ? hssctl_secret_from_file(c, "OPc", opcf, &s)
                  : hssctl_secret_from_stdin(c, "OPc", &s);
        if (rc == 0)
            rc = hssctl_secret_hex(c, "OPc", &s, cred->opc, sizeof(cred->opc));
        hssctl_secret_wipe(&s);
        return rc;
    }
    rc = opf ? hssctl_secret_from_file(c, "OP", opf, &s)
             : hssctl_secret_from_stdin(c, "OP", &s);
    if (rc == 0)
        rc = hssctl_secret_hex(c, "OP", &s, op, sizeof(op));
    if (rc == 0 && hss_milenage_opc(cred->k, op, cred->opc) != 0)
        rc = hssctl_fail(c, 2, "deriving OPc from OP failed");
    hssctl_secret_wipe(&s);
    hss_secret_wipe(op, sizeof(op));
    return rc;
}

int hssctl_cmd_cred_aka(struct hssctl *c, const struct hssctl_args *a)
{
    const char *amf = hssctl_opt(c, a, "amf");
    const char *sqn = hssctl_opt(c, a, "sqn");
    struct hss_aka_cred cred = {0};
    struct hss_impi impi;
    int64_t sqn_v = 0;
    char detail[64];
    int rc;

    if (!amf)
        amf = "8000";
    if (hss_hex_decode(amf, strlen(amf), cred.amf, sizeof(cred.amf)) != 0)
        return hssctl_fail(c, 1, "--amf must be 4 hex digits, not '%s'", amf);
    if (sqn &&
        hssctl_parse_i64(c, "--sqn", sqn, 0, (1LL << 48) - 1, &sqn_v) != 0)
        return 1;
    cred.sqn = (uint64_t)sqn_v;
    if (hssctl_impi_find(c, a->pos[0], &impi) != 0)
        return 2;
    if (!(impi.schemes & HSS_SCHEME_AKA))
        fprintf(stderr,
                "hssctl: warning: impi '%s' does not allow the aka "
                "scheme yet\n",
                impi.name);
    rc = read_aka_secrets(c, a, &cred);
    if (rc == 0)
        rc = hssctl_begin(c);
    if (rc == 0) {
        enum hss_rc src = hss_store_aka_set(c->st, impi.id, &cred);

        rc = src == HSS_OK ? 0 : hssctl_store_fail(c, src, "storing K/OPc");
        snprintf(detail, sizeof(detail), "amf=%s sqn=%lld", amf,
                 (long long)sqn_v);
        rc = hssctl_finish(c, rc, impi.name, detail);
    }
    hss_secret_wipe(&cred, sizeof(cred));
    if (rc != 0)
        return rc;
    hssctl_out_begin(c);
    hssctl_out_str(c, "impi", impi.name);
    hssctl_out_str(c, "amf", amf);
    hssctl_out_int(c, "sqn", sqn_v);
    return hssctl_out_end(c);
}
