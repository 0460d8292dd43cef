/* cx_auth.c - SIP Digest SIP-Auth-Data-Item construction (TS 29.229
 * §6.3.13, §6.3.36, §6.3.72-73; TS 29.228 §6.3.1 Table 6.3.7), shared by the
 * MAA (cx_mar.c) and the PPR after a WebRTC password rotation (cx_outbox.c).
 *
 * Owns the choice "which stored H(A1) goes where":
 * - realm: the one asked for when the IMPI has an H(A1) in it, otherwise the
 *   IMPI's default realm. Only the H(A1) of the IMPI named by the caller is
 *   ever read (TS 33.203 X.2.2.1: a WebRTC digest credential belongs to its
 *   own IMPI; no lookup by subscription exists here).
 * - algorithms, in the order MD5, SHA-256, SHA-512-256: the first one stored
 *   for that realm is the primary (Digest-Algorithm + Digest-HA1, mandatory
 *   in the grouped ABNF), the next one stored is the alternate (Alternate-
 *   Digest-Algorithm + Alternate-Digest-HA1). So MD5 stays in Digest-HA1 for
 *   backward compatibility when it exists (29.228 Table 6.3.7 NOTE 2), and an
 *   IMPI provisioned without MD5 gets its SHA-256 (or SHA-512-256) H(A1) in
 *   Digest-HA1 with a Digest-Algorithm naming it. SHA-256 is preferred over
 *   SHA-512-256 as the single alternate because more SIP user agents
 *   implement it (RFC 8760); the grouped AVP has room for one alternate.
 * Digest-Realm/-Algorithm/-QoP/-HA1 are the vendor-0 RFC 4590 AVPs (no V
 * bit: Kamailio ignores them otherwise); the Alternate-* AVPs are 3GPP.
 * Every H(A1) copy is wiped before returning.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "cx_auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hss_secret.h"

static const struct {
    enum hss_digest_algo_id id;
    const char *token;
} CX_DIGEST_ALGOS[] = {
    {HSS_HA1_MD5, "MD5"},
    {HSS_HA1_SHA256, "SHA-256"},
    {HSS_HA1_SHA512_256, "SHA-512-256"},
};
#define CX_N_DIGEST_ALGOS (sizeof(CX_DIGEST_ALGOS) / sizeof(CX_DIGEST_ALGOS[0]))

void cx_digest_cred_wipe(struct cx_digest_cred *c)
{
    if (c != NULL)
        hss_secret_wipe(c, sizeof(*c));
}

/* The credential of one realm (cx_auth.h): the first algorithm present, in
 * the order above, is the primary H(A1), the next one the alternate. */
enum hss_rc cx_digest_cred_load(struct hss_store *st, int64_t impi_id,
                                const char *realm, struct cx_digest_cred *out)
{
    struct hss_digest_realm set;
    struct cx_digest_cred c;
    enum hss_rc rc;

    memset(&c, 0, sizeof(c));
    rc = hss_store_digest_realm_get(
        st, impi_id, realm != NULL && realm[0] != '\0' ? realm : NULL, &set);
    for (size_t i = 0; rc == HSS_OK && i < CX_N_DIGEST_ALGOS; i++) {
        enum hss_digest_algo_id a = CX_DIGEST_ALGOS[i].id;

        if (!set.have[a])
            continue;
        if (c.algo == NULL) {
            memcpy(c.ha1, set.ha1[a], sizeof(c.ha1));
            c.algo = CX_DIGEST_ALGOS[i].token;
        } else if (c.alt_algo == NULL) {
            memcpy(c.alt_ha1, set.ha1[a], sizeof(c.alt_ha1));
            c.alt_algo = CX_DIGEST_ALGOS[i].token;
        }
    }
    if (rc == HSS_OK && c.algo == NULL)
        rc = HSS_NOT_FOUND;
    if (rc == HSS_OK) {
        snprintf(c.realm, sizeof(c.realm), "%s", set.realm);
        *out = c;
    }
    hss_secret_wipe(&set, sizeof(set));
    cx_digest_cred_wipe(&c);
    return rc;
}

int cx_digest_item_encode(msg_or_avp *parent, const struct cx_digest_cred *c,
                          uint32_t item_number)
{
    struct avp *item = NULL, *sda = NULL;
    int rc;

    if (c == NULL || c->algo == NULL)
        return EINVAL;
    rc = cx_avp_add_group(parent, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP,
                          &item);
    if (rc == 0 && item_number > 0)
        rc = cx_avp_add_u32(item, CX_AVP_SIP_ITEM_NUMBER, CX_VENDOR_3GPP,
                            item_number);
    if (rc == 0)
        rc = cx_avp_add_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
                            CX_VENDOR_3GPP, CX_SCHEME_SIP_DIGEST);
    if (rc == 0)
        rc = cx_avp_add_group(item, CX_AVP_SIP_DIGEST_AUTHENTICATE,
                              CX_VENDOR_3GPP, &sda);
    if (rc == 0)
        rc = cx_avp_add_str(sda, CX_AVP_DIGEST_REALM, 0, c->realm);
    if (rc == 0)
        rc = cx_avp_add_str(sda, CX_AVP_DIGEST_ALGORITHM, 0, c->algo);
    if (rc == 0)
        rc = cx_avp_add_str(sda, CX_AVP_DIGEST_QOP, 0, CX_DIGEST_QOP_AUTH);
    if (rc == 0)
        rc = cx_avp_add_str(sda, CX_AVP_DIGEST_HA1, 0, c->ha1);
    if (rc == 0 && c->alt_algo != NULL) {
        rc = cx_avp_add_str(sda, CX_AVP_ALTERNATE_DIGEST_ALGORITHM,
                            CX_VENDOR_3GPP, c->alt_algo);
        if (rc == 0)
            rc = cx_avp_add_str(sda, CX_AVP_ALTERNATE_DIGEST_HA1,
                                CX_VENDOR_3GPP, c->alt_ha1);
    }
    if (rc != 0 && item != NULL)
        (void)fd_msg_free(item); /* unlinks: no half-built item is left */
    return rc;
}

int cx_digest_item_add(msg_or_avp *parent, struct hss_store *st,
                       int64_t impi_id, const char *realm)
{
    struct cx_digest_cred c;
    enum hss_rc rc;
    int err;

    memset(&c, 0, sizeof(c));
    rc = cx_digest_cred_load(st, impi_id, realm, &c);
    if (rc == HSS_NOT_FOUND)
        return ENOENT;
    if (rc != HSS_OK)
        return EIO;
    err = cx_digest_item_encode(parent, &c, 0);
    cx_digest_cred_wipe(&c);
    return err;
}

bool cx_impi_usable(const struct hss_impi *impi, int64_t now)
{
    return !impi->revoked &&
           (impi->valid_from == 0 || impi->valid_from <= now) &&
           (impi->valid_until == 0 || now < impi->valid_until);
}

enum hss_rc cx_pair_lease(struct hss_store *st, const struct hss_pair *p,
                          int64_t now, bool *ok, int64_t *lease_id)
{
    struct hss_lease lease;
    enum hss_rc rc;

    *ok = !p->pool_member;
    *lease_id = 0;
    if (!p->pool_member)
        return HSS_OK;
    rc = hss_store_lease_active(st, p->impi.subscription_id, now, &lease);
    if (rc == HSS_OK) {
        *ok = true;
        *lease_id = lease.id;
    }
    return rc == HSS_NOT_FOUND ? HSS_OK : rc;
}
