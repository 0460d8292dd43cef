/* hssctl_test_helper.c - test-only helper for the hssctl CLI tests.
 *
 * hssctl cannot register anybody (only the Cx extension does) and never
 * prints H(A1). The CLI tests need both: this helper plays the part of the
 * S-CSCF's SAR through the real store API ("register") and reads back a
 * stored H(A1) so the test can compare it with an independent computation
 * ("ha1"). It is never installed.
 *
 *   hssctl_test_helper register DB KEY IMPI IMPU SCSCF HOST REALM
 *   hssctl_test_helper ha1 DB KEY IMPI REALM md5|sha256|sha512-256
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "hss_store.h"

static int do_register(struct hss_store *st, char **v)
{
    struct hss_impi i;
    struct hss_impu u;
    enum hss_rc rc = hss_store_begin(st, HSS_TX_WRITE);

    if (rc == HSS_OK)
        rc = hss_store_impi_get(st, v[0], &i);
    if (rc == HSS_OK)
        rc = hss_store_impu_get(st, v[1], &u);
    if (rc == HSS_OK)
        rc = hss_store_assoc_set_registered(st, i.id, u.id, true);
    if (rc == HSS_OK)
        rc = hss_store_impu_set_reg_state(st, u.id, HSS_REG_REGISTERED);
    if (rc == HSS_OK)
        rc = hss_store_subscription_set_scscf(st, i.subscription_id, v[2], v[3],
                                              v[4]);
    if (rc == HSS_OK)
        rc = hss_store_commit(st);
    if (rc != HSS_OK)
        hss_store_rollback(st);
    return rc;
}

static int do_ha1(struct hss_store *st, char **v)
{
    char ha1[HSS_HA1_HEX_MAX + 1];
    enum hss_digest_algo_id a = HSS_HA1_MD5;
    struct hss_impi i;
    enum hss_rc rc;

    if (strcmp(v[2], "sha256") == 0)
        a = HSS_HA1_SHA256;
    else if (strcmp(v[2], "sha512-256") == 0)
        a = HSS_HA1_SHA512_256;
    rc = hss_store_impi_get(st, v[0], &i);
    if (rc == HSS_OK)
        rc = hss_store_digest_get(st, i.id, v[1], a, ha1, NULL, 0);
    if (rc == HSS_OK)
        printf("%s\n", ha1);
    return rc;
}

int main(int argc, char **argv)
{
    struct hss_store_options opt = {0};
    struct hss_store *st = NULL;
    char err[256] = "";
    enum hss_rc rc;

    if (argc < 4)
        return 1;
    opt.db_path = argv[2];
    opt.key_path = argv[3];
    rc = hss_store_open(&opt, &st, err, sizeof(err));
    if (rc != HSS_OK) {
        fprintf(stderr, "helper: open: %s %s\n", hss_rc_str(rc), err);
        return 2;
    }
    if (strcmp(argv[1], "register") == 0 && argc == 9)
        rc = do_register(st, argv + 4);
    else if (strcmp(argv[1], "ha1") == 0 && argc == 7)
        rc = do_ha1(st, argv + 4);
    else
        rc = HSS_INVALID;
    if (rc != HSS_OK)
        fprintf(stderr, "helper: %s: %s (%s)\n", argv[1], hss_rc_str(rc),
                hss_store_errmsg(st));
    hss_store_close(st);
    return rc == HSS_OK ? 0 : 2;
}
