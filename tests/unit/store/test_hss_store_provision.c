/* test_hss_store_provision.c - unit tests of hss_store_bulk_add (the bulk
 * provisioning path of hssctl import): rows read back through the
 * single-row API, existing rows referenced by id, the whole transaction
 * rolled back on a duplicate or bad input, and the open-transaction rule.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "store_fixture.h"

static const char HA1_MD5[] = "0123456789ABCDEF0123456789abcdef";
static const char HA1_SHA256[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/* A new subscription, IMPI and IMPU with H(A1) (md5, sha256) and AKA. */
static struct hss_bulk_row full_row(const char *sub, const char *impi,
                                    const char *impu,
                                    const struct hss_aka_cred *aka)
{
    struct hss_bulk_row r = {
        .subscription = sub,
        .impi = impi,
        .schemes = HSS_SCHEME_AKA | HSS_SCHEME_DIGEST,
        .default_scheme = HSS_SCHEME_AKA,
        .impu = impu,
        .realm = "ims.test",
        .ha1_hex = {[HSS_HA1_MD5] = HA1_MD5, [HSS_HA1_SHA256] = HA1_SHA256},
        .aka = aka,
    };
    return r;
}

static void test_hss_store_bulk_add_reads_back(void **state)
{
    struct fx *f = *state;
    struct hss_aka_cred aka = {
        .k = {1, 2, 3}, .opc = {4, 5}, .amf = {0x80, 0}, .sqn = 42};
    struct hss_bulk_row r =
        full_row("b1", "b1@ims.test", "sip:b1@ims.test", &aka);
    struct hss_aka_cred got;
    struct hss_subscription sub;
    struct hss_impi impi;
    struct hss_impu impu;
    struct hss_assoc as;
    char ha1[HSS_HA1_HEX_MAX + 1], realm[HSS_NAME_MAX + 1];

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &r), HSS_OK);
    assert_int_equal(r.failed, HSS_BULK_NONE);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);

    assert_int_equal(hss_store_subscription_by_name(f->st, "b1", &sub), HSS_OK);
    assert_int_equal(sub.id, r.sub_id);
    assert_int_equal(hss_store_impi_get(f->st, "b1@ims.test", &impi), HSS_OK);
    assert_int_equal(impi.id, r.impi_id);
    assert_int_equal(impi.subscription_id, r.sub_id);
    assert_int_equal(impi.kind, HSS_IMPI_REGULAR);
    assert_int_equal(impi.schemes, HSS_SCHEME_AKA | HSS_SCHEME_DIGEST);
    assert_int_equal(impi.default_scheme, HSS_SCHEME_AKA);
    assert_int_equal(hss_store_impu_get(f->st, "sip:b1@ims.test", &impu),
                     HSS_OK);
    assert_int_equal(impu.id, r.impu_id);
    assert_int_equal(impu.irs_id, impu.id); /* an implicit set of its own */
    assert_int_equal(impu.type, HSS_ID_PUBLIC_USER);
    assert_int_equal(hss_store_assoc_get(f->st, r.impi_id, r.impu_id, &as),
                     HSS_OK);
    /* H(A1) stored lowercase; the realm is the IMPI's default. */
    assert_int_equal(hss_store_digest_get(f->st, r.impi_id, NULL, HSS_HA1_MD5,
                                          ha1, realm, sizeof(realm)),
                     HSS_OK);
    assert_string_equal(ha1, "0123456789abcdef0123456789abcdef");
    assert_string_equal(realm, "ims.test");
    assert_int_equal(hss_store_digest_get(f->st, r.impi_id, "ims.test",
                                          HSS_HA1_SHA256, ha1, NULL, 0),
                     HSS_OK);
    assert_string_equal(ha1, HA1_SHA256);
    assert_int_equal(hss_store_digest_get(f->st, r.impi_id, "ims.test",
                                          HSS_HA1_SHA512_256, ha1, NULL, 0),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_aka_get(f->st, r.impi_id, &got), HSS_OK);
    assert_memory_equal(got.k, aka.k, sizeof(aka.k));
    assert_memory_equal(got.opc, aka.opc, sizeof(aka.opc));
    assert_memory_equal(got.amf, aka.amf, sizeof(aka.amf));
    assert_int_equal(got.sqn, 42);
}

/* Later rows of a subscription name what they reuse by id. */
static void test_hss_store_bulk_add_existing_by_id(void **state)
{
    struct fx *f = *state;
    struct hss_bulk_row r =
        full_row("b2", "b2@ims.test", "sip:b2@ims.test", NULL);
    struct hss_bulk_row more = {.schemes = HSS_SCHEME_DIGEST};
    struct hss_bulk_row second = {.impi = "b2-web@ims.test"};
    struct hss_assoc as;

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &r), HSS_OK);
    /* Another IMPU for the same IMPI. */
    more.sub_id = r.sub_id;
    more.impi_id = r.impi_id;
    more.impu = "tel:+4930123";
    assert_int_equal(hss_store_bulk_add(f->st, &more), HSS_OK);
    /* A second IMPI sharing the first IMPU. */
    second.sub_id = r.sub_id;
    second.impu_id = r.impu_id;
    assert_int_equal(hss_store_bulk_add(f->st, &second), HSS_OK);
    assert_int_equal(hss_store_commit(f->st), HSS_OK);

    assert_int_equal(hss_store_assoc_get(f->st, r.impi_id, more.impu_id, &as),
                     HSS_OK);
    assert_int_equal(hss_store_assoc_get(f->st, second.impi_id, r.impu_id, &as),
                     HSS_OK);
    assert_int_equal(
        hss_store_assoc_get(f->st, second.impi_id, more.impu_id, &as),
        HSS_NOT_FOUND);
}

static int64_t subscriptions(struct hss_store *st)
{
    struct hss_store_counts c;

    assert_int_equal(hss_store_counts_get(st, 0, &c), HSS_OK);
    return c.subscriptions;
}

/* A duplicate rolls the whole batch back and names the part that failed. */
static void test_hss_store_bulk_add_duplicate_rolls_back(void **state)
{
    struct fx *f = *state;
    struct hss_bulk_row a =
        full_row("d1", "d1@ims.test", "sip:d1@ims.test", NULL);
    struct hss_bulk_row b =
        full_row("d2", "d2@ims.test", "sip:d1@ims.test", NULL);
    struct hss_bulk_row c = full_row("d1", "d3@ims.test", NULL, NULL);
    struct hss_impi impi;

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &a), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &b), HSS_EXISTS);
    assert_int_equal(b.failed, HSS_BULK_IMPU);
    /* The transaction is gone: nothing of the batch remains. */
    assert_int_equal(hss_store_commit(f->st), HSS_CONFLICT);
    assert_int_equal(subscriptions(f->st), 0);
    assert_int_equal(hss_store_impi_get(f->st, "d1@ims.test", &impi),
                     HSS_NOT_FOUND);

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &a), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &c), HSS_EXISTS);
    assert_int_equal(c.failed, HSS_BULK_SUBSCRIPTION);
    assert_int_equal(subscriptions(f->st), 0);
}

static void test_hss_store_bulk_add_invalid(void **state)
{
    struct fx *f = *state;
    struct hss_aka_cred aka = {.sqn = UINT64_C(1) << 48};
    struct hss_bulk_row r = full_row("i1", "i1@ims.test", NULL, NULL);
    struct hss_bulk_row creds = {.impi_id = 1, .ha1_hex = {HA1_MD5}};

    /* Outside a transaction. */
    assert_int_equal(hss_store_bulk_add(f->st, &r), HSS_CONFLICT);
    assert_int_equal(hss_store_bulk_add(NULL, &r), HSS_INVALID);

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, NULL), HSS_INVALID);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    r.ha1_hex[HSS_HA1_MD5] = "not hex";
    assert_int_equal(hss_store_bulk_add(f->st, &r), HSS_INVALID);
    assert_int_equal(r.failed, HSS_BULK_DIGEST);
    assert_int_equal(subscriptions(f->st), 0);

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    r = full_row("i1", "i1@ims.test", NULL, &aka);
    assert_int_equal(hss_store_bulk_add(f->st, &r), HSS_INVALID);
    assert_int_equal(r.failed, HSS_BULK_AKA);
    assert_string_equal(hss_store_errmsg(f->st), "SQN exceeds 48 bits");

    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    r = full_row("", "i1@ims.test", NULL, NULL);
    assert_int_equal(hss_store_bulk_add(f->st, &r), HSS_INVALID);
    assert_int_equal(r.failed, HSS_BULK_SUBSCRIPTION);

    /* Credentials only with a new IMPI. */
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_bulk_add(f->st, &creds), HSS_INVALID);
    assert_int_equal(subscriptions(f->st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_bulk_add_reads_back),
        FX_TEST(test_hss_store_bulk_add_existing_by_id),
        FX_TEST(test_hss_store_bulk_add_duplicate_rolls_back),
        FX_TEST(test_hss_store_bulk_add_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
