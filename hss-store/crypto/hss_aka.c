/* hss_aka.c - AKA quintets, AUTS verification and SQN = SEQ || IND
 * arithmetic for the HE/AuC (TS 33.102 §6.3.2, §6.3.3, §6.3.5, Annex
 * C.3.2). See hss_aka.h for the SQN scheme and its no-wrap rule.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_aka.h"

#include <string.h>

#include "hss_milenage.h"
#include "hss_secret.h"

/* Dummy AMF for MAC-S in AUTS (TS 33.102 §6.3.3). */
static const uint8_t auts_amf[2] = {0x00, 0x00};

static void sqn_to_bytes(uint64_t sqn, uint8_t out[6])
{
    for (int i = 5; i >= 0; i--) {
        out[i] = (uint8_t)(sqn & 0xff);
        sqn >>= 8;
    }
}

static uint64_t sqn_from_bytes(const uint8_t in[6])
{
    uint64_t sqn = 0;

    for (int i = 0; i < 6; i++)
        sqn = (sqn << 8) | in[i];
    return sqn;
}

int hss_aka_vector_make(const uint8_t k[16], const uint8_t opc[16],
                        const uint8_t amf[2], uint64_t sqn,
                        const uint8_t rand[16], struct hss_aka_vector *out)
{
    struct hss_milenage_out m;
    struct hss_aka_vector v;
    uint8_t sqn_b[HSS_MILENAGE_SQN_LEN];
    int rc;

    if (k == NULL || opc == NULL || amf == NULL || rand == NULL ||
        out == NULL || sqn > HSS_AKA_SQN_MAX)
        return HSS_CRYPTO_EINVAL;
    sqn_to_bytes(sqn, sqn_b);
    rc = hss_milenage_compute(k, opc, rand, sqn_b, amf,
                              HSS_MILENAGE_F1 | HSS_MILENAGE_F2_F5 |
                                  HSS_MILENAGE_F3 | HSS_MILENAGE_F4,
                              &m);
    if (rc == HSS_CRYPTO_OK) {
        memcpy(v.rand, rand, sizeof(v.rand));
        for (int i = 0; i < 6; i++)
            v.autn[i] = sqn_b[i] ^ m.ak[i];
        memcpy(v.autn + 6, amf, 2);
        memcpy(v.autn + 8, m.mac_a, 8);
        memcpy(v.xres, m.res, sizeof(v.xres));
        memcpy(v.ck, m.ck, sizeof(v.ck));
        memcpy(v.ik, m.ik, sizeof(v.ik));
        memcpy(out, &v, sizeof(v));
    }
    hss_secret_wipe(&m, sizeof(m));
    hss_secret_wipe(&v, sizeof(v));
    hss_secret_wipe(sqn_b, sizeof(sqn_b));
    return rc;
}

int hss_aka_auts_verify(const uint8_t k[16], const uint8_t opc[16],
                        const uint8_t rand[16], const uint8_t auts[14],
                        uint64_t *sqn_ms)
{
    uint8_t ak_star[HSS_MILENAGE_AK_LEN], sqn_b[HSS_MILENAGE_SQN_LEN];
    uint8_t mac_a[HSS_MILENAGE_MAC_LEN], mac_s[HSS_MILENAGE_MAC_LEN];
    int rc;

    if (k == NULL || opc == NULL || rand == NULL || auts == NULL ||
        sqn_ms == NULL)
        return HSS_CRYPTO_EINVAL;
    rc = hss_milenage_f5star(k, opc, rand, ak_star);
    if (rc != HSS_CRYPTO_OK)
        goto out;
    for (int i = 0; i < 6; i++)
        sqn_b[i] = auts[i] ^ ak_star[i];
    rc = hss_milenage_f1(k, opc, rand, sqn_b, auts_amf, mac_a, mac_s);
    if (rc != HSS_CRYPTO_OK)
        goto out;
    if (!hss_secret_equal(mac_s, auts + 6, sizeof(mac_s))) {
        rc = HSS_CRYPTO_EVERIFY;
        goto out;
    }
    *sqn_ms = sqn_from_bytes(sqn_b);
out:
    hss_secret_wipe(ak_star, sizeof(ak_star));
    hss_secret_wipe(sqn_b, sizeof(sqn_b));
    hss_secret_wipe(mac_a, sizeof(mac_a));
    hss_secret_wipe(mac_s, sizeof(mac_s));
    return rc;
}

int hss_aka_sqn_next(uint64_t sqn_he, uint64_t *sqn_next)
{
    uint64_t seq, ind;

    if (sqn_next == NULL || sqn_he > HSS_AKA_SQN_MAX)
        return HSS_CRYPTO_EINVAL;
    seq = sqn_he >> HSS_AKA_IND_BITS;
    ind = sqn_he & HSS_AKA_IND_MASK;
    if (seq >= HSS_AKA_SEQ_MAX)
        return HSS_CRYPTO_ERANGE;
    *sqn_next =
        ((seq + 1) << HSS_AKA_IND_BITS) | ((ind + 1) & HSS_AKA_IND_MASK);
    return HSS_CRYPTO_OK;
}

int hss_aka_sqn_resync(uint64_t sqn_ms, uint64_t *sqn_he)
{
    uint64_t seq;

    if (sqn_he == NULL || sqn_ms > HSS_AKA_SQN_MAX)
        return HSS_CRYPTO_EINVAL;
    seq = sqn_ms >> HSS_AKA_IND_BITS;
    if (seq >= HSS_AKA_SEQ_MAX)
        return HSS_CRYPTO_ERANGE;
    *sqn_he = ((seq + 1) << HSS_AKA_IND_BITS) | (sqn_ms & HSS_AKA_IND_MASK);
    return HSS_CRYPTO_OK;
}
