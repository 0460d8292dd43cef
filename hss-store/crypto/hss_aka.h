/* hss_aka.h - UMTS/IMS AKA authentication vectors, AUTS re-synchronisation
 * and SQN management on the HE/AuC side (TS 33.102 §6.3.2, §6.3.3,
 * §6.3.5 and Annex C.3.2), over MILENAGE (hss_milenage.h).
 *
 * Pure functions; RAND is a parameter (draw it with hss_random_bytes()).
 *
 * SQN scheme (TS 33.102 Annex C.1 / C.3.2): a 48-bit SQN = SEQ (43 bits) ||
 * IND (5 bits, HSS_AKA_IND_BITS). The store keeps SQN_HE = the last SQN
 * handed out. hss_aka_sqn_next() gives the SQN for the next vector:
 * SEQ + 1 with IND rotating (IND + 1 mod 32), so consecutive vectors use
 * different IND slots of the USIM's array. Nothing wraps: when SEQ would
 * pass 2^43 - 1 the helpers refuse with HSS_CRYPTO_ERANGE (a wrapped SQN
 * would be rejected by every USIM; the subscription needs re-keying).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_AKA_H
#define HSS_AKA_H

#include <stdint.h>

#include "hss_crypto.h"

#define HSS_AKA_RAND_LEN 16
#define HSS_AKA_AUTN_LEN 16
#define HSS_AKA_AUTS_LEN 14
#define HSS_AKA_XRES_LEN 8
#define HSS_AKA_KEY_LEN 16 /* CK, IK */

#define HSS_AKA_SQN_MAX ((UINT64_C(1) << 48) - 1)
#define HSS_AKA_IND_BITS 5
#define HSS_AKA_IND_MASK ((UINT64_C(1) << HSS_AKA_IND_BITS) - 1)
#define HSS_AKA_SEQ_MAX (HSS_AKA_SQN_MAX >> HSS_AKA_IND_BITS)

/* One authentication vector (quintet, TS 33.102 §6.3.2). Holds secrets
 * (xres, ck, ik): wipe it with hss_secret_wipe() when done. */
struct hss_aka_vector {
    uint8_t rand[HSS_AKA_RAND_LEN];
    uint8_t autn[HSS_AKA_AUTN_LEN]; /* (SQN xor AK) || AMF || MAC-A */
    uint8_t xres[HSS_AKA_XRES_LEN];
    uint8_t ck[HSS_AKA_KEY_LEN];
    uint8_t ik[HSS_AKA_KEY_LEN];
};

/*
 * hss_aka_vector_make - build a quintet for (k, opc) with the given AMF,
 * SQN and RAND (one AES context, five block encryptions).
 * sqn: the SQN for this vector (<= HSS_AKA_SQN_MAX), normally from
 * hss_aka_sqn_next(); rand: 16 random bytes chosen by the caller.
 * out: filled on success (out->rand is a copy of rand).
 * Returns HSS_CRYPTO_OK; HSS_CRYPTO_EINVAL (NULL, sqn above 48 bits);
 * HSS_CRYPTO_EFAIL (OpenSSL). out is untouched on failure.
 */
int hss_aka_vector_make(const uint8_t k[16], const uint8_t opc[16],
                        const uint8_t amf[2], uint64_t sqn,
                        const uint8_t rand[16], struct hss_aka_vector *out);

/*
 * hss_aka_auts_verify - check a re-synchronisation token (TS 33.102
 * §6.3.3, §6.3.5): SQN_MS = AUTS[0..5] xor f5*_K(RAND), then MAC-S =
 * f1*_K(SQN_MS || RAND || AMF = 0x0000) is compared in constant time with
 * AUTS[6..13].
 * rand: the RAND the UE answered; auts: the 14 octets from the UE;
 * sqn_ms: receives SQN_MS (48 bits) only when the MAC verifies.
 * Returns HSS_CRYPTO_OK only for a valid AUTS; HSS_CRYPTO_EVERIFY for a
 * wrong MAC-S; HSS_CRYPTO_EINVAL / HSS_CRYPTO_EFAIL otherwise. *sqn_ms is
 * untouched on any failure.
 */
HSS_CRYPTO_MUST_CHECK int hss_aka_auts_verify(const uint8_t k[16],
                                              const uint8_t opc[16],
                                              const uint8_t rand[16],
                                              const uint8_t auts[14],
                                              uint64_t *sqn_ms);

/*
 * hss_aka_sqn_next - SQN for the next vector after SQN_HE = sqn_he:
 * SEQ + 1, IND + 1 modulo 32 (Annex C.3.2, IND length 5).
 * sqn_next: receives the new SQN, which is also the new SQN_HE to store.
 * Returns HSS_CRYPTO_OK; HSS_CRYPTO_EINVAL (NULL, sqn_he above 48 bits);
 * HSS_CRYPTO_ERANGE if SEQ is already HSS_AKA_SEQ_MAX (no wrap).
 * *sqn_next is untouched on failure.
 */
HSS_CRYPTO_MUST_CHECK int hss_aka_sqn_next(uint64_t sqn_he, uint64_t *sqn_next);

/*
 * hss_aka_sqn_resync - SQN_HE to store after a verified AUTS carrying
 * sqn_ms (TS 33.102 §6.3.5, Annex C): SEQ_MS + 1 with the IND of SQN_MS,
 * so that it is strictly above SQN_MS whether the caller uses it directly
 * or passes it through hss_aka_sqn_next() first.
 * Returns HSS_CRYPTO_OK; HSS_CRYPTO_EINVAL (NULL, sqn_ms above 48 bits);
 * HSS_CRYPTO_ERANGE if SEQ_MS is HSS_AKA_SEQ_MAX. *sqn_he untouched on
 * failure.
 */
HSS_CRYPTO_MUST_CHECK int hss_aka_sqn_resync(uint64_t sqn_ms, uint64_t *sqn_he);

#endif /* HSS_AKA_H */
