/* hss_rand.c - RAND_bytes wrapper, the only non-pure function of
 * hss_crypto (STYLE G12: randomness is drawn here and passed as input).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_rand.h"

#include <limits.h>

#include <openssl/rand.h>

int hss_random_bytes(uint8_t *buf, size_t n)
{
    if (buf == NULL && n != 0)
        return HSS_CRYPTO_EINVAL;
    while (n > 0) {
        int chunk = n > INT_MAX ? INT_MAX : (int)n;

        if (RAND_bytes(buf, chunk) != 1)
            return HSS_CRYPTO_EFAIL;
        buf += chunk;
        n -= (size_t)chunk;
    }
    return HSS_CRYPTO_OK;
}
