/* hss_secret.c - wipe and constant-time compare for secret bytes, plus the
 * return-code texts of hss_crypto (STYLE G7, G11).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hss_secret.h"

#include <openssl/crypto.h>

#include "hss_crypto.h"

void hss_secret_wipe(void *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
    OPENSSL_cleanse(p, n);
}

int hss_secret_equal(const void *a, const void *b, size_t n)
{
    if (a == NULL || b == NULL)
        return 0;
    return CRYPTO_memcmp(a, b, n) == 0;
}

const char *hss_crypto_rc_str(int rc)
{
    switch ((enum hss_crypto_rc)rc) {
    case HSS_CRYPTO_OK:
        return "ok";
    case HSS_CRYPTO_EINVAL:
        return "invalid argument";
    case HSS_CRYPTO_EFAIL:
        return "OpenSSL failure";
    case HSS_CRYPTO_EVERIFY:
        return "verification failed";
    case HSS_CRYPTO_ERANGE:
        return "value out of range";
    }
    return "unknown";
}
