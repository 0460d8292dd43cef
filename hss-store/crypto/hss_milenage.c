/* hss_milenage.c - MILENAGE f1, f1*, f2, f3, f4, f5, f5* and OPc
 * (TS 35.206 §4.1), verified against TS 35.208 §4.3 test sets.
 *
 * Owns the AES-128 kernel E_K (EVP AES-128-ECB without padding, one context
 * per call, reused for every block of that call) and the OUTi formulas:
 *   TEMP = E_K(RAND xor OPc)
 *   OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc,
 *          IN1 = SQN || AMF || SQN || AMF
 *   OUTi = E_K(rot(TEMP xor OPc, ri) xor ci) xor OPc, i = 2..5
 * with r1..r5 = 64, 0, 32, 64, 96 bits and c1..c5 = 0, 1, 2, 4, 8 (last
 * octet). Every intermediate is wiped before returning.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_milenage.h"

#include <string.h>

#include <openssl/evp.h>

#include "hss_secret.h"

#define BLOCK 16

/* E_K as an EVP context keyed with k. Returns NULL on OpenSSL failure. */
static EVP_CIPHER_CTX *aes_new(const uint8_t k[16])
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

    if (ctx == NULL)
        return NULL;
    if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, k, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* out = E_K(in) for one block. Returns 0 or HSS_CRYPTO_EFAIL. */
static int aes_block(EVP_CIPHER_CTX *ctx, const uint8_t in[BLOCK],
                     uint8_t out[BLOCK])
{
    int outl = 0;

    if (EVP_EncryptUpdate(ctx, out, &outl, in, BLOCK) != 1 || outl != BLOCK)
        return HSS_CRYPTO_EFAIL;
    return HSS_CRYPTO_OK;
}

/* out = in rotated cyclically left by r bytes (r = ri / 8). */
static void rot_bytes(const uint8_t in[BLOCK], unsigned int r,
                      uint8_t out[BLOCK])
{
    for (unsigned int i = 0; i < BLOCK; i++)
        out[i] = in[(i + r) % BLOCK];
}

/* OUTi for i = 2..5: E_K(rot(TEMP xor OPc, r) xor c) xor OPc. */
static int out_i(EVP_CIPHER_CTX *ctx, const uint8_t temp[BLOCK],
                 const uint8_t opc[BLOCK], unsigned int r, uint8_t c,
                 uint8_t out[BLOCK])
{
    uint8_t x[BLOCK], in[BLOCK];
    int rc;

    for (unsigned int i = 0; i < BLOCK; i++)
        x[i] = temp[i] ^ opc[i];
    rot_bytes(x, r, in);
    in[BLOCK - 1] ^= c;
    rc = aes_block(ctx, in, out);
    for (unsigned int i = 0; i < BLOCK; i++)
        out[i] ^= opc[i];
    hss_secret_wipe(x, sizeof(x));
    hss_secret_wipe(in, sizeof(in));
    return rc;
}

/* OUT1: E_K(TEMP xor rot(IN1 xor OPc, 64) xor c1) xor OPc, c1 = 0. */
static int out_1(EVP_CIPHER_CTX *ctx, const uint8_t temp[BLOCK],
                 const uint8_t opc[BLOCK], const uint8_t sqn[6],
                 const uint8_t amf[2], uint8_t out[BLOCK])
{
    uint8_t in1[BLOCK], rot[BLOCK];
    int rc;

    memcpy(in1, sqn, 6);
    memcpy(in1 + 6, amf, 2);
    memcpy(in1 + 8, in1, 8);
    for (unsigned int i = 0; i < BLOCK; i++)
        in1[i] ^= opc[i];
    rot_bytes(in1, 8, rot);
    for (unsigned int i = 0; i < BLOCK; i++)
        rot[i] ^= temp[i];
    rc = aes_block(ctx, rot, out);
    for (unsigned int i = 0; i < BLOCK; i++)
        out[i] ^= opc[i];
    hss_secret_wipe(in1, sizeof(in1));
    hss_secret_wipe(rot, sizeof(rot));
    return rc;
}

/* Fill r with the OUTi requested in which; TEMP is computed once. */
static int compute_blocks(EVP_CIPHER_CTX *ctx, const uint8_t opc[BLOCK],
                          const uint8_t rand[BLOCK], const uint8_t sqn[6],
                          const uint8_t amf[2], unsigned int which,
                          struct hss_milenage_out *r)
{
    uint8_t temp[BLOCK], blk[BLOCK];
    int rc;

    for (unsigned int i = 0; i < BLOCK; i++)
        blk[i] = rand[i] ^ opc[i];
    rc = aes_block(ctx, blk, temp);
    if (rc == HSS_CRYPTO_OK && (which & HSS_MILENAGE_F1)) {
        rc = out_1(ctx, temp, opc, sqn, amf, blk);
        memcpy(r->mac_a, blk, 8);
        memcpy(r->mac_s, blk + 8, 8);
    }
    if (rc == HSS_CRYPTO_OK && (which & HSS_MILENAGE_F2_F5)) {
        rc = out_i(ctx, temp, opc, 0, 0x01, blk);
        memcpy(r->ak, blk, 6);
        memcpy(r->res, blk + 8, 8);
    }
    if (rc == HSS_CRYPTO_OK && (which & HSS_MILENAGE_F3))
        rc = out_i(ctx, temp, opc, 4, 0x02, r->ck);
    if (rc == HSS_CRYPTO_OK && (which & HSS_MILENAGE_F4))
        rc = out_i(ctx, temp, opc, 8, 0x04, r->ik);
    if (rc == HSS_CRYPTO_OK && (which & HSS_MILENAGE_F5STAR)) {
        rc = out_i(ctx, temp, opc, 12, 0x08, blk);
        memcpy(r->ak_star, blk, 6);
    }
    hss_secret_wipe(temp, sizeof(temp));
    hss_secret_wipe(blk, sizeof(blk));
    return rc;
}

int hss_milenage_compute(const uint8_t k[16], const uint8_t opc[16],
                         const uint8_t rand[16], const uint8_t sqn[6],
                         const uint8_t amf[2], unsigned int which,
                         struct hss_milenage_out *out)
{
    struct hss_milenage_out r;
    EVP_CIPHER_CTX *ctx;
    int rc;

    if (k == NULL || opc == NULL || rand == NULL || out == NULL)
        return HSS_CRYPTO_EINVAL;
    if (which == 0 || (which & ~(unsigned int)HSS_MILENAGE_ALL) != 0)
        return HSS_CRYPTO_EINVAL;
    if ((which & HSS_MILENAGE_F1) && (sqn == NULL || amf == NULL))
        return HSS_CRYPTO_EINVAL;
    ctx = aes_new(k);
    if (ctx == NULL)
        return HSS_CRYPTO_EFAIL;
    memset(&r, 0, sizeof(r));
    rc = compute_blocks(ctx, opc, rand, sqn, amf, which, &r);
    EVP_CIPHER_CTX_free(ctx); /* cleanses the key schedule */
    if (rc == HSS_CRYPTO_OK)
        memcpy(out, &r, sizeof(r));
    hss_secret_wipe(&r, sizeof(r));
    return rc;
}

int hss_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
    uint8_t blk[BLOCK];
    EVP_CIPHER_CTX *ctx;
    int rc;

    if (k == NULL || op == NULL || opc == NULL)
        return HSS_CRYPTO_EINVAL;
    ctx = aes_new(k);
    if (ctx == NULL)
        return HSS_CRYPTO_EFAIL;
    rc = aes_block(ctx, op, blk);
    EVP_CIPHER_CTX_free(ctx);
    if (rc == HSS_CRYPTO_OK) {
        for (unsigned int i = 0; i < BLOCK; i++)
            opc[i] = blk[i] ^ op[i];
    }
    hss_secret_wipe(blk, sizeof(blk));
    return rc;
}

int hss_milenage_f1(const uint8_t k[16], const uint8_t opc[16],
                    const uint8_t rand[16], const uint8_t sqn[6],
                    const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8])
{
    struct hss_milenage_out r;
    int rc;

    if (mac_a == NULL || mac_s == NULL)
        return HSS_CRYPTO_EINVAL;
    rc = hss_milenage_compute(k, opc, rand, sqn, amf, HSS_MILENAGE_F1, &r);
    if (rc == HSS_CRYPTO_OK) {
        memcpy(mac_a, r.mac_a, sizeof(r.mac_a));
        memcpy(mac_s, r.mac_s, sizeof(r.mac_s));
    }
    hss_secret_wipe(&r, sizeof(r));
    return rc;
}

int hss_milenage_f2345(const uint8_t k[16], const uint8_t opc[16],
                       const uint8_t rand[16], uint8_t res[8], uint8_t ck[16],
                       uint8_t ik[16], uint8_t ak[6])
{
    struct hss_milenage_out r;
    int rc;

    if (res == NULL || ck == NULL || ik == NULL || ak == NULL)
        return HSS_CRYPTO_EINVAL;
    rc = hss_milenage_compute(
        k, opc, rand, NULL, NULL,
        HSS_MILENAGE_F2_F5 | HSS_MILENAGE_F3 | HSS_MILENAGE_F4, &r);
    if (rc == HSS_CRYPTO_OK) {
        memcpy(res, r.res, sizeof(r.res));
        memcpy(ck, r.ck, sizeof(r.ck));
        memcpy(ik, r.ik, sizeof(r.ik));
        memcpy(ak, r.ak, sizeof(r.ak));
    }
    hss_secret_wipe(&r, sizeof(r));
    return rc;
}

int hss_milenage_f5star(const uint8_t k[16], const uint8_t opc[16],
                        const uint8_t rand[16], uint8_t ak_star[6])
{
    struct hss_milenage_out r;
    int rc;

    if (ak_star == NULL)
        return HSS_CRYPTO_EINVAL;
    rc =
        hss_milenage_compute(k, opc, rand, NULL, NULL, HSS_MILENAGE_F5STAR, &r);
    if (rc == HSS_CRYPTO_OK)
        memcpy(ak_star, r.ak_star, sizeof(r.ak_star));
    hss_secret_wipe(&r, sizeof(r));
    return rc;
}
