/* hss_milenage.h - the MILENAGE algorithm set (TS 35.206 §4; test data in
 * TS 35.207/35.208): OPc derivation and functions f1, f1*, f2, f3, f4, f5,
 * f5*, with AES-128 as the kernel E_K.
 *
 * All functions are pure: byte arrays in, byte arrays out. Sizes are in
 * bytes; every array parameter must be at least as long as declared. The
 * caller owns (and must wipe, see hss_secret.h) every output.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_MILENAGE_H
#define HSS_MILENAGE_H

#include <stdint.h>

#include "hss_crypto.h"

#define HSS_MILENAGE_K_LEN 16
#define HSS_MILENAGE_OP_LEN 16
#define HSS_MILENAGE_OPC_LEN 16
#define HSS_MILENAGE_RAND_LEN 16
#define HSS_MILENAGE_SQN_LEN 6
#define HSS_MILENAGE_AMF_LEN 2
#define HSS_MILENAGE_MAC_LEN 8
#define HSS_MILENAGE_RES_LEN 8
#define HSS_MILENAGE_CK_LEN 16
#define HSS_MILENAGE_IK_LEN 16
#define HSS_MILENAGE_AK_LEN 6

/* Which outputs hss_milenage_compute() should produce (bit mask). */
enum hss_milenage_which {
    HSS_MILENAGE_F1 = 1 << 0,     /* mac_a and mac_s (OUT1) */
    HSS_MILENAGE_F2_F5 = 1 << 1,  /* res and ak (OUT2) */
    HSS_MILENAGE_F3 = 1 << 2,     /* ck (OUT3) */
    HSS_MILENAGE_F4 = 1 << 3,     /* ik (OUT4) */
    HSS_MILENAGE_F5STAR = 1 << 4, /* ak_star (OUT5) */
    HSS_MILENAGE_ALL = 0x1f,
};

/* All MILENAGE outputs; a secret: wipe it with hss_secret_wipe(). */
struct hss_milenage_out {
    uint8_t mac_a[HSS_MILENAGE_MAC_LEN];  /* f1 */
    uint8_t mac_s[HSS_MILENAGE_MAC_LEN];  /* f1* */
    uint8_t res[HSS_MILENAGE_RES_LEN];    /* f2 */
    uint8_t ck[HSS_MILENAGE_CK_LEN];      /* f3 */
    uint8_t ik[HSS_MILENAGE_IK_LEN];      /* f4 */
    uint8_t ak[HSS_MILENAGE_AK_LEN];      /* f5 */
    uint8_t ak_star[HSS_MILENAGE_AK_LEN]; /* f5* */
};

/*
 * hss_milenage_opc - OPc = E_K(OP) xor OP (TS 35.206 §4.1).
 * k: subscriber key; op: operator variant; opc: output.
 * Returns HSS_CRYPTO_OK, HSS_CRYPTO_EINVAL (NULL) or HSS_CRYPTO_EFAIL
 * (OpenSSL); opc is untouched on failure.
 */
int hss_milenage_opc(const uint8_t k[16], const uint8_t op[16],
                     uint8_t opc[16]);

/*
 * hss_milenage_compute - the requested MILENAGE outputs in one pass: one
 * AES context, TEMP = E_K(RAND xor OPc) computed once, then one block per
 * requested OUTi (TS 35.206 §4.1). This is the hot-path entry point.
 * k, opc, rand: inputs; sqn, amf: needed only with HSS_MILENAGE_F1 (may be
 * NULL otherwise); which: mask of enum hss_milenage_which (non-zero);
 * out: filled on success, fields not requested are set to zero.
 * Returns HSS_CRYPTO_OK, HSS_CRYPTO_EINVAL or HSS_CRYPTO_EFAIL; out is
 * untouched on failure.
 */
int hss_milenage_compute(const uint8_t k[16], const uint8_t opc[16],
                         const uint8_t rand[16], const uint8_t sqn[6],
                         const uint8_t amf[2], unsigned int which,
                         struct hss_milenage_out *out);

/*
 * hss_milenage_f1 - f1 (network authentication, MAC-A) and f1*
 * (re-synchronisation, MAC-S) over SQN || AMF (TS 35.206 §4.1, OUT1).
 * mac_a, mac_s: outputs (both required).
 * Returns as hss_milenage_compute(); outputs untouched on failure.
 */
int hss_milenage_f1(const uint8_t k[16], const uint8_t opc[16],
                    const uint8_t rand[16], const uint8_t sqn[6],
                    const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8]);

/*
 * hss_milenage_f2345 - f2 (RES), f3 (CK), f4 (IK) and f5 (AK).
 * Returns as hss_milenage_compute(); outputs untouched on failure.
 */
int hss_milenage_f2345(const uint8_t k[16], const uint8_t opc[16],
                       const uint8_t rand[16], uint8_t res[8], uint8_t ck[16],
                       uint8_t ik[16], uint8_t ak[6]);

/*
 * hss_milenage_f5star - f5* (AK for re-synchronisation, OUT5).
 * Returns as hss_milenage_compute(); ak_star untouched on failure.
 */
int hss_milenage_f5star(const uint8_t k[16], const uint8_t opc[16],
                        const uint8_t rand[16], uint8_t ak_star[6]);

#endif /* HSS_MILENAGE_H */
