/* test_cx_mar.c - unit tests of the MAR procedure (cx_mar.c, cx_auth.c):
 * TS 29.228 §6.3.1 decisions against a real temporary store, AKA vectors
 * checked with an independent Milenage computation (TS 35.208 set 1 K/OPc),
 * AUTS resynchronisation, SIP Digest items (RFC 7616 §3.9.1 H(A1) values),
 * WebRTC credential separation (TS 33.203 X.2.2.1), decode and encode.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cx_mar.h"
#include "cx_test_util.h"
#include "cxt_msg.h" /* also the weak cx_config() the callbacks need */
#include "hss_aka.h"
#include "hss_digest.h"
#include "hss_milenage.h"

#define NOW INT64_C(1700000000)
#define SERVER "sip:scscf1.ims.example.net"
#define REG "alice@ims.example.net"
#define WEB "alice.webrtc@ims.example.net"
#define IMPU_ALICE "sip:alice@ims.example.net"
#define IMPU_WEB "sip:alice.webrtc@ims.example.net"
#define IMPU_WILD "sip:!.*!@ims.example.net"
#define MUF "Mufasa"
#define IMPU_MUF "sip:mufasa@example.org"
#define BOB "bob@ims.example.net"
#define IMPU_BOB "sip:bob@ims.example.net"

/* TS 35.208 test set 1 */
static const uint8_t K1[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
                               0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
static const uint8_t OPC1[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a,
                                 0x9f, 0x4e, 0x48, 0xa5, 0x99, 0x4e,
                                 0x37, 0xa0, 0x2b, 0xaf};
static const uint8_t AMF1[2] = {0xb9, 0xb9};
static const uint64_t SQN0 = (UINT64_C(31) << 5) | 3; /* SEQ 31, IND 3 */

/* RFC 7616 §3.9.1: Mufasa / http-auth@example.org / "Circle of Life" */
static const char RFC_REALM[] = "http-auth@example.org";
static const char RFC_MD5[] = "3d78807defe7de2157e2b0b6573a855f";
static const char RFC_SHA256[] =
    "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232";

struct fx {
    struct cxt_store s;
    struct cx_conf conf;
    int64_t sub_alice;
    int64_t impi_reg, impi_web, impi_muf, impi_bob;
    int64_t impu_alice, impu_web;
};

static int64_t add_impi(struct fx *f, int64_t sub, const char *name,
                        enum hss_impi_kind kind, unsigned schemes,
                        enum hss_scheme def)
{
    struct hss_impi_new n = {name, kind, schemes, def, 0};
    int64_t id = 0;

    assert_int_equal(hss_store_impi_add(f->s.st, sub, &n, &id), HSS_OK);
    return id;
}

static int64_t add_impu(struct fx *f, int64_t sub, const char *name,
                        enum hss_identity_type type)
{
    struct hss_impu_new n = {.name = name, .type = type};
    int64_t id = 0;

    assert_int_equal(hss_store_impu_add(f->s.st, sub, &n, &id), HSS_OK);
    return id;
}

static void add_aka(struct fx *f, int64_t impi)
{
    struct hss_aka_cred c;

    memcpy(c.k, K1, 16);
    memcpy(c.opc, OPC1, 16);
    memcpy(c.amf, AMF1, 2);
    c.sqn = SQN0;
    assert_int_equal(hss_store_aka_set(f->s.st, impi, &c), HSS_OK);
}

static void ha1(enum hss_digest_alg alg, const char *user, const char *realm,
                const char *pw, char out[HSS_DIGEST_HEX_MAX])
{
    assert_int_equal(hss_digest_ha1(alg, user, realm, pw, strlen(pw), out,
                                    HSS_DIGEST_HEX_MAX),
                     0);
}

static void add_digest(struct fx *f, int64_t impi, const char *user,
                       const char *realm, enum hss_digest_alg alg,
                       const char *pw, bool def)
{
    char h[HSS_DIGEST_HEX_MAX];
    enum hss_digest_algo_id id = alg == HSS_DIGEST_MD5 ? HSS_HA1_MD5
                                 : alg == HSS_DIGEST_SHA256
                                     ? HSS_HA1_SHA256
                                     : HSS_HA1_SHA512_256;

    ha1(alg, user, realm, pw, h);
    assert_int_equal(hss_store_digest_set(f->s.st, impi, realm, id, h, def),
                     HSS_OK);
}

static int setup(void **state)
{
    static struct fx f;
    int64_t sub_muf, sub_bob, impu;
    struct hss_store *st;

    memset(&f, 0, sizeof(f));
    assert_int_equal(cxt_store_open(&f.s), 0);
    st = f.s.st;
    cx_conf_defaults(&f.conf);
    assert_int_equal(hss_store_subscription_add(st, "alice", &f.sub_alice),
                     HSS_OK);
    f.impi_reg = add_impi(&f, f.sub_alice, REG, HSS_IMPI_REGULAR,
                          HSS_SCHEME_AKA | HSS_SCHEME_DIGEST, HSS_SCHEME_AKA);
    add_aka(&f, f.impi_reg);
    add_digest(&f, f.impi_reg, REG, "ims.example.net", HSS_DIGEST_MD5,
               "regular-pw", true);
    /* the WebRTC IMPI's mask allows AKA and it even has AKA material: it
     * must still never get a vector */
    f.impi_web =
        add_impi(&f, f.sub_alice, WEB, HSS_IMPI_WEBRTC,
                 HSS_SCHEME_AKA | HSS_SCHEME_DIGEST, HSS_SCHEME_DIGEST);
    add_aka(&f, f.impi_web);
    add_digest(&f, f.impi_web, WEB, "webrtc.example.net", HSS_DIGEST_MD5,
               "webrtc-pw", true);
    add_digest(&f, f.impi_web, WEB, "ims.example.net", HSS_DIGEST_MD5,
               "webrtc-pw", false);
    add_digest(&f, f.impi_web, WEB, "ims.example.net", HSS_DIGEST_SHA256,
               "webrtc-pw", false);
    f.impu_alice = add_impu(&f, f.sub_alice, IMPU_ALICE, HSS_ID_PUBLIC_USER);
    f.impu_web = add_impu(&f, f.sub_alice, IMPU_WEB, HSS_ID_PUBLIC_USER);
    assert_int_equal(hss_store_assoc_add(st, f.impi_reg, f.impu_alice), 0);
    assert_int_equal(hss_store_assoc_add(st, f.impi_web, f.impu_alice), 0);
    assert_int_equal(hss_store_assoc_add(st, f.impi_web, f.impu_web), 0);
    impu = add_impu(&f, f.sub_alice, IMPU_WILD, HSS_ID_WILDCARDED_PSI);
    (void)hss_store_assoc_add(st, f.impi_reg, impu);

    assert_int_equal(hss_store_subscription_add(st, "mufasa", &sub_muf), 0);
    f.impi_muf = add_impi(&f, sub_muf, MUF, HSS_IMPI_REGULAR, HSS_SCHEME_DIGEST,
                          HSS_SCHEME_DIGEST);
    add_digest(&f, f.impi_muf, MUF, RFC_REALM, HSS_DIGEST_MD5, "Circle of Life",
               true);
    add_digest(&f, f.impi_muf, MUF, RFC_REALM, HSS_DIGEST_SHA512_256,
               "Circle of Life", true);
    add_digest(&f, f.impi_muf, MUF, RFC_REALM, HSS_DIGEST_SHA256,
               "Circle of Life", true);
    impu = add_impu(&f, sub_muf, IMPU_MUF, HSS_ID_PUBLIC_USER);
    assert_int_equal(hss_store_assoc_add(st, f.impi_muf, impu), 0);

    assert_int_equal(hss_store_subscription_add(st, "bob", &sub_bob), 0);
    f.impi_bob = add_impi(&f, sub_bob, BOB, HSS_IMPI_REGULAR, HSS_SCHEME_AKA,
                          HSS_SCHEME_AKA);
    add_aka(&f, f.impi_bob);
    impu = add_impu(&f, sub_bob, IMPU_BOB, HSS_ID_PUBLIC_USER);
    assert_int_equal(hss_store_assoc_add(st, f.impi_bob, impu), 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    cxt_store_close(&f->s);
    return 0;
}

static void req_init(struct cx_mar_req *r, const char *impi, const char *impu,
                     enum cx_mar_scheme scheme, uint32_t n)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->impi, sizeof(r->impi), "%s", impi);
    snprintf(r->impu, sizeof(r->impu), "%s", impu);
    snprintf(r->server_name, sizeof(r->server_name), "%s", SERVER);
    snprintf(r->origin_host, sizeof(r->origin_host), "scscf1.ims.example.net");
    snprintf(r->origin_realm, sizeof(r->origin_realm), "ims.example.net");
    r->scheme = scheme;
    r->n_items = n;
}

static void mar(struct fx *f, const struct cx_mar_req *r, int64_t now,
                struct cx_mar_ans *a)
{
    memset(a, 0, sizeof(*a));
    cx_mar_decide(f->s.st, &f->s.mem, r, now, &f->conf, a);
}

static void expect(const struct cx_mar_ans *a, bool experimental, uint32_t code)
{
    if (a->result.code != code || a->result.experimental != experimental)
        fail_msg("expected %s %u, got %s %u (%s; %s)",
                 experimental ? "ER" : "RC", code,
                 a->result.experimental ? "ER" : "RC", a->result.code,
                 a->outcome ? a->outcome : "-", a->errmsg);
}

static uint64_t sqn_u64(const uint8_t b[6])
{
    uint64_t v = 0;

    for (int i = 0; i < 6; i++)
        v = (v << 8) | b[i];
    return v;
}

static void sqn_bytes(uint64_t v, uint8_t b[6])
{
    for (int i = 5; i >= 0; i--, v >>= 8)
        b[i] = (uint8_t)v;
}

/* Recomputes the vector for its RAND with Milenage directly; returns its
 * SQN (recovered from AUTN with AK). */
static uint64_t check_vector(const struct hss_aka_vector *v)
{
    struct hss_milenage_out o, o1;
    uint8_t sqn[6];

    assert_int_equal(hss_milenage_compute(K1, OPC1, v->rand, NULL, NULL,
                                          HSS_MILENAGE_F2_F5 | HSS_MILENAGE_F3 |
                                              HSS_MILENAGE_F4,
                                          &o),
                     0);
    for (int i = 0; i < 6; i++)
        sqn[i] = v->autn[i] ^ o.ak[i];
    assert_int_equal(hss_milenage_compute(K1, OPC1, v->rand, sqn, AMF1,
                                          HSS_MILENAGE_F1, &o1),
                     0);
    assert_memory_equal(v->autn + 6, AMF1, 2);
    assert_memory_equal(v->autn + 8, o1.mac_a, 8);
    assert_memory_equal(v->xres, o.res, 8);
    assert_memory_equal(v->ck, o.ck, 16);
    assert_memory_equal(v->ik, o.ik, 16);
    return sqn_u64(sqn);
}

static uint64_t stored_sqn(struct fx *f, int64_t impi)
{
    struct hss_aka_cred c;

    assert_int_equal(hss_store_aka_get(f->s.st, impi, &c), HSS_OK);
    return c.sqn;
}

/* SEQ + 1, IND + 1 mod 32 (TS 33.102 C.3.2), written out independently */
static uint64_t next_sqn(uint64_t s)
{
    return (((s >> 5) + 1) << 5) | (((s & 31) + 1) & 31);
}

static void test_aka_single(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    assert_int_equal(a.used, HSS_SCHEME_AKA);
    assert_int_equal(a.n_vectors, 1);
    assert_false(a.has_digest);
    assert_true(check_vector(&a.vec[0]) == next_sqn(SQN0));
    assert_true(stored_sqn(f, f->impi_reg) == next_sqn(SQN0));
}

static void test_aka_multi_increasing(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;
    uint64_t last = SQN0, s;
    const uint32_t asks[] = {3, 10, 0, 2};
    const size_t gets[] = {3, 5, 1, 2};

    for (size_t k = 0; k < 4; k++) {
        req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, asks[k]);
        mar(f, &r, NOW + (int64_t)k, &a);
        expect(&a, false, CX_RC_SUCCESS);
        assert_int_equal(a.n_vectors, gets[k]);
        for (size_t i = 0; i < a.n_vectors; i++) {
            s = check_vector(&a.vec[i]);
            assert_true(s == next_sqn(last));
            assert_true(s > last);
            last = s;
        }
        assert_true(stored_sqn(f, f->impi_reg) == last);
    }
    /* fresh RANDs */
    assert_memory_not_equal(a.vec[0].rand, a.vec[1].rand, 16);
}

/* RAND || AUTS as a UE holding sqn_ms would send it (TS 33.102 §6.3.3). */
static void build_auts(uint64_t sqn_ms, const uint8_t rand[16],
                       struct cx_mar_req *r)
{
    static const uint8_t amf0[2] = {0, 0};
    uint8_t sqn[6], ak_star[6], mac_a[8], mac_s[8];

    sqn_bytes(sqn_ms, sqn);
    assert_int_equal(hss_milenage_f5star(K1, OPC1, rand, ak_star), 0);
    assert_int_equal(hss_milenage_f1(K1, OPC1, rand, sqn, amf0, mac_a, mac_s),
                     0);
    for (int i = 0; i < 6; i++)
        r->resync_auts[i] = sqn[i] ^ ak_star[i];
    memcpy(r->resync_auts + 6, mac_s, 8);
    memcpy(r->resync_rand, rand, 16);
    r->resync = true;
}

static void test_aka_resync(void **state)
{
    struct fx *f = *state;
    static const uint8_t rand[16] = {0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37,
                                     0xa8, 0x9d, 0x21, 0x8a, 0xe6, 0x4d,
                                     0xae, 0x47, 0xbf, 0x35};
    uint64_t sqn_ms = (UINT64_C(5000) << 5) | 7, s;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 2);
    build_auts(sqn_ms, rand, &r);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    assert_int_equal(a.n_vectors, 2);
    s = check_vector(&a.vec[0]);
    assert_true(s > sqn_ms);
    assert_true((s >> 5) == (sqn_ms >> 5) + 2); /* re-based on SEQ_MS */
    assert_true(check_vector(&a.vec[1]) == next_sqn(s));
    assert_true(stored_sqn(f, f->impi_reg) == next_sqn(s));

    /* a second resync with the UE further ahead re-bases again */
    sqn_ms = (UINT64_C(90000) << 5) | 1;
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 1);
    build_auts(sqn_ms, rand, &r);
    mar(f, &r, NOW + 1, &a);
    expect(&a, false, CX_RC_SUCCESS);
    assert_true(check_vector(&a.vec[0]) > sqn_ms);
}

static int audit_find_cb(void *ctx, const struct hss_audit_entry *e)
{
    const char **want = ctx;

    if (strcmp(e->action, want[0]) == 0 && strcmp(e->object, want[1]) == 0 &&
        strcmp(e->actor, "hss_cx") == 0)
        want[2] = "found";
    return 0;
}

static bool audited(struct fx *f, const char *action, const char *object)
{
    const char *want[3] = {action, object, NULL};

    assert_int_equal(
        hss_store_audit_each(f->s.st, 0, 1000, audit_find_cb, want), HSS_OK);
    return want[2] != NULL;
}

static void test_aka_resync_tampered(void **state)
{
    struct fx *f = *state;
    static const uint8_t rand[16] = {1, 2,  3,  4,  5,  6,  7,  8,
                                     9, 10, 11, 12, 13, 14, 15, 16};
    struct cx_mar_req r;
    struct cx_mar_ans a;

    for (int byte = 0; byte < 14; byte += 13) {
        req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 1);
        build_auts((UINT64_C(5000) << 5) | 7, rand, &r);
        r.resync_auts[byte] ^= 0x01; /* SQN_MS bit, then MAC-S bit */
        mar(f, &r, NOW, &a);
        expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
        assert_int_equal(a.n_vectors, 0);
        assert_true(stored_sqn(f, f->impi_reg) == SQN0);
    }
    assert_true(audited(f, "resync-refused", REG));
}

static void expect_digest(const struct cx_mar_ans *a, const char *realm,
                          const char *algo, const char *h, const char *alt,
                          const char *alt_h)
{
    expect(a, false, CX_RC_SUCCESS);
    assert_int_equal(a->used, HSS_SCHEME_DIGEST);
    assert_true(a->has_digest);
    assert_int_equal(a->n_vectors, 0);
    assert_string_equal(a->digest.realm, realm);
    assert_string_equal(a->digest.algo, algo);
    assert_string_equal(a->digest.ha1, h);
    if (alt == NULL) {
        assert_null(a->digest.alt_algo);
    } else {
        assert_string_equal(a->digest.alt_algo, alt);
        assert_string_equal(a->digest.alt_ha1, alt_h);
    }
}

static void test_digest_rfc7616(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;
    char h[HSS_DIGEST_HEX_MAX];

    /* the provisioning path gives the RFC's H(A1) values */
    ha1(HSS_DIGEST_MD5, MUF, RFC_REALM, "Circle of Life", h);
    assert_string_equal(h, RFC_MD5);
    ha1(HSS_DIGEST_SHA256, MUF, RFC_REALM, "Circle of Life", h);
    assert_string_equal(h, RFC_SHA256);
    /* IMPU domain example.org has no credential: the default realm; MD5
     * primary, SHA-256 preferred over SHA-512-256 as the alternate */
    req_init(&r, MUF, IMPU_MUF, CX_MAR_ASK_DIGEST, 3);
    mar(f, &r, NOW, &a);
    expect_digest(&a, RFC_REALM, "MD5", RFC_MD5, "SHA-256", RFC_SHA256);
    /* "Unknown" -> the IMPI's default scheme (digest) */
    req_init(&r, MUF, IMPU_MUF, CX_MAR_ASK_UNKNOWN, 1);
    mar(f, &r, NOW, &a);
    expect_digest(&a, RFC_REALM, "MD5", RFC_MD5, "SHA-256", RFC_SHA256);
}

static void test_digest_webrtc_separation(void **state)
{
    struct fx *f = *state;
    char reg[HSS_DIGEST_HEX_MAX], web[HSS_DIGEST_HEX_MAX];
    char web256[HSS_DIGEST_HEX_MAX], webdef[HSS_DIGEST_HEX_MAX];
    struct cx_mar_req r;
    struct cx_mar_ans a;

    ha1(HSS_DIGEST_MD5, REG, "ims.example.net", "regular-pw", reg);
    ha1(HSS_DIGEST_MD5, WEB, "ims.example.net", "webrtc-pw", web);
    ha1(HSS_DIGEST_SHA256, WEB, "ims.example.net", "webrtc-pw", web256);
    ha1(HSS_DIGEST_MD5, WEB, "webrtc.example.net", "webrtc-pw", webdef);

    /* realm of the IMPU domain, which the WebRTC IMPI has (not default) */
    req_init(&r, WEB, IMPU_WEB, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect_digest(&a, "ims.example.net", "MD5", web, "SHA-256", web256);
    /* same shared IMPU, each IMPI gets its own H(A1), never the other's */
    req_init(&r, WEB, IMPU_ALICE, CX_MAR_ASK_UNKNOWN, 1);
    mar(f, &r, NOW, &a);
    expect_digest(&a, "ims.example.net", "MD5", web, "SHA-256", web256);
    assert_string_not_equal(a.digest.ha1, reg);
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect_digest(&a, "ims.example.net", "MD5", reg, NULL, NULL);
    assert_string_not_equal(a.digest.ha1, web);
    /* a tel: IMPU has no domain: the default realm */
    assert_false(cx_mar_impu_domain("tel:+15551234", r.impi, 64));
    assert_true(cx_mar_impu_domain("sips:a@b.example:5061;x=y", r.impi, 64));
    assert_string_equal(r.impi, "b.example");
    assert_true(cx_mar_impu_domain("sip:host.example", r.impi, 64));
    assert_string_equal(r.impi, "host.example");
    (void)webdef;
}

static void test_webrtc_never_aka(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    req_init(&r, WEB, IMPU_WEB, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);
    assert_int_equal(a.n_vectors, 0);
    assert_true(stored_sqn(f, f->impi_web) == SQN0);
    /* Unknown on the regular IMPI: its default, AKA */
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_UNKNOWN, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    assert_int_equal(a.used, HSS_SCHEME_AKA);
    (void)check_vector(&a.vec[0]);
}

static void test_identity_errors(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    req_init(&r, "nobody@ims.example.net", IMPU_ALICE, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_USER_UNKNOWN);
    req_init(&r, REG, "sip:nobody@ims.example.net", CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_USER_UNKNOWN);
    req_init(&r, REG, IMPU_WILD, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_USER_UNKNOWN);
    req_init(&r, REG, IMPU_BOB, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_IDENTITIES_DONT_MATCH);
    req_init(&r, REG, IMPU_WEB, CX_MAR_ASK_AKA, 1); /* same sub, no assoc */
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_IDENTITIES_DONT_MATCH);
}

static void test_scheme_errors(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_OTHER, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);
    req_init(&r, BOB, IMPU_BOB, CX_MAR_ASK_DIGEST, 1); /* AKA-only mask */
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);
    req_init(&r, MUF, IMPU_MUF, CX_MAR_ASK_AKA, 1); /* digest-only mask */
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);
    /* allowed by the mask but nothing provisioned */
    assert_int_equal(hss_store_digest_clear(f->s.st, f->impi_reg), HSS_OK);
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);
}

static void test_revoked_expired(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    req_init(&r, WEB, IMPU_WEB, CX_MAR_ASK_DIGEST, 1);
    assert_int_equal(hss_store_impi_set_revoked(f->s.st, f->impi_web, true),
                     HSS_OK);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    assert_false(a.has_digest);
    assert_int_equal(hss_store_impi_set_revoked(f->s.st, f->impi_web, false),
                     HSS_OK);
    assert_int_equal(hss_store_impi_set_validity(f->s.st, f->impi_web, NOW),
                     HSS_OK);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    mar(f, &r, NOW - 1, &a);
    expect(&a, false, CX_RC_SUCCESS);
}

/* 3 MARs a minute, then 900 s locked; r: a digest MAR of the WebRTC IMPI */
static void lockout_conf(struct fx *f, struct cx_mar_req *r)
{
    f->conf.mar_max_per_window = 3;
    f->conf.mar_window_s = 60;
    f->conf.lock_s = 900;
    req_init(r, WEB, IMPU_WEB, CX_MAR_ASK_DIGEST, 1);
}

static void test_lockout(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;
    struct hss_impi impi;

    lockout_conf(f, &r);
    for (int i = 0; i < 3; i++) {
        mar(f, &r, NOW + i, &a);
        expect(&a, false, CX_RC_SUCCESS);
    }
    assert_false(audited(f, "lock", WEB));
    mar(f, &r, NOW + 3, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    assert_false(a.has_digest);
    assert_true(audited(f, "lock", WEB));
    assert_int_equal(hss_store_impi_get(f->s.st, WEB, &impi), HSS_OK);
    assert_true(impi.locked_until > NOW + 3);
    mar(f, &r, NOW + 10, &a); /* still locked */
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    /* the other IMPI of the subscription is not affected */
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW + 10, &a);
    expect(&a, false, CX_RC_SUCCESS);

    /* The windows are in memory, the lock in the store: a restart (a fresh
     * table) keeps the IMPI locked; hssctl impi unlock gives it a fresh
     * window at once, not the rest of the old one. */
    lockout_conf(f, &r);
    cx_marwin_free(f->s.mem.win);
    f->s.mem.win = cx_marwin_new();
    assert_non_null(f->s.mem.win);
    mar(f, &r, NOW + 11, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(hss_store_impi_unlock(f->s.st, impi.id), HSS_OK);
    for (int i = 0; i < 3; i++) {
        mar(f, &r, NOW + 12, &a);
        expect(&a, false, CX_RC_SUCCESS);
    }
    mar(f, &r, NOW + 12, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    assert_int_equal(hss_store_impi_unlock(f->s.st, impi.id), HSS_OK);
    mar(f, &r, NOW + 13, &a);
    expect(&a, false, CX_RC_SUCCESS);
}

/* A pool identity (X.4): its own subscription, an IMPI with no scheme of its
 * own and one IMPU, member of the new pool *pool. Returns the IMPI's id. */
static int64_t add_pool_identity(struct fx *f, const char *impi_name,
                                 const char *impu_name, struct hss_pool *pool)
{
    struct hss_store *st = f->s.st;
    int64_t sub, id, impu;

    assert_int_equal(hss_store_subscription_add(st, impi_name, &sub), 0);
    id = add_impi(f, sub, impi_name, HSS_IMPI_POOL, HSS_SCHEME_NONE,
                  HSS_SCHEME_NONE);
    impu = add_impu(f, sub, impu_name, HSS_ID_PUBLIC_USER);
    assert_int_equal(hss_store_assoc_add(st, id, impu), HSS_OK);
    assert_int_equal(hss_store_pool_add(st, pool, &pool->id), HSS_OK);
    assert_int_equal(hss_store_pool_member_add(st, pool->id, sub), HSS_OK);
    return id;
}

/* TS 33.203 X.4: a pool identity authenticates only while leased; the
 * one-time digest credential minted with the lease answers the MAR and
 * dies with the lease. */
static void test_pool_lease(void **state)
{
    static const char impi_name[] = "web-01@ims.example.net";
    static const char impu_name[] = "sip:web-01@ims.example.net";
    struct fx *f = *state;
    struct hss_pool pool = {
        .name = "web", .wwsf = "wwsf.example.net", .lease_ttl_s = 600};
    char md5[HSS_DIGEST_HEX_MAX], sha[HSS_DIGEST_HEX_MAX];
    char got[HSS_HA1_HEX_MAX + 1];
    struct hss_store *st = f->s.st;
    struct hss_lease lease;
    struct hss_impi impi;
    struct cx_mar_req r;
    struct cx_mar_ans a;
    int64_t id;

    id = add_pool_identity(f, impi_name, impu_name, &pool);

    /* no lease: refused before the scheme is even looked at */
    req_init(&r, impi_name, impu_name, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);

    /* leased without a credential: the scheme is not allowed */
    assert_int_equal(
        hss_store_lease_acquire(st, pool.id, "user-1", NOW, 0, &lease), HSS_OK);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);

    /* leased with a minted credential: its H(A1), digest by default */
    ha1(HSS_DIGEST_MD5, impi_name, "ims.example.net", "minted-pw", md5);
    ha1(HSS_DIGEST_SHA256, impi_name, "ims.example.net", "minted-pw", sha);
    assert_int_equal(hss_store_lease_digest_mint(st, lease.id, NOW,
                                                 "ims.example.net", HSS_HA1_MD5,
                                                 md5),
                     HSS_OK);
    assert_int_equal(hss_store_lease_digest_mint(st, lease.id, NOW,
                                                 "ims.example.net",
                                                 HSS_HA1_SHA256, sha),
                     HSS_OK);
    mar(f, &r, NOW + 1, &a);
    expect_digest(&a, "ims.example.net", "MD5", md5, "SHA-256", sha);
    req_init(&r, impi_name, impu_name, CX_MAR_ASK_UNKNOWN, 1);
    mar(f, &r, NOW + 1, &a);
    expect_digest(&a, "ims.example.net", "MD5", md5, "SHA-256", sha);
    req_init(&r, impi_name, impu_name, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW + 1, &a);
    expect(&a, true, CX_ER_AUTH_SCHEME_NOT_SUPPORTED);

    /* expired but not yet swept: refused all the same */
    req_init(&r, impi_name, impu_name, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, lease.expires, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
    assert_false(a.has_digest);

    /* released: the credential and the scheme are gone */
    assert_int_equal(hss_store_lease_release(st, lease.id, NOW + 2), HSS_OK);
    assert_int_equal(
        hss_store_digest_get(st, id, NULL, HSS_HA1_MD5, got, NULL, 0),
        HSS_NOT_FOUND);
    assert_int_equal(hss_store_impi_get(st, impi_name, &impi), HSS_OK);
    assert_int_equal(impi.schemes, HSS_SCHEME_NONE);
    assert_int_equal(impi.default_scheme, HSS_SCHEME_NONE);
    mar(f, &r, NOW + 3, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
}

/* The next holder of a pool identity does not inherit the MAR window of
 * the previous one (the window's generation is the lease). */
static void test_pool_new_lease_new_window(void **state)
{
    static const char impi_name[] = "web-02@ims.example.net";
    static const char impu_name[] = "sip:web-02@ims.example.net";
    struct fx *f = *state;
    struct hss_pool pool = {
        .name = "web2", .wwsf = "wwsf.example.net", .lease_ttl_s = 600};
    char md5[HSS_DIGEST_HEX_MAX];
    struct hss_store *st = f->s.st;
    struct hss_lease lease;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    f->conf.mar_max_per_window = 3;
    f->conf.mar_window_s = 60;
    (void)add_pool_identity(f, impi_name, impu_name, &pool);
    ha1(HSS_DIGEST_MD5, impi_name, "ims.example.net", "minted-pw", md5);
    req_init(&r, impi_name, impu_name, CX_MAR_ASK_DIGEST, 1);
    for (int holder = 0; holder < 2; holder++) {
        assert_int_equal(hss_store_lease_acquire(st, pool.id,
                                                 holder ? "user-2" : "user-1",
                                                 NOW + holder, 0, &lease),
                         HSS_OK);
        assert_int_equal(hss_store_lease_digest_mint(st, lease.id, NOW,
                                                     "ims.example.net",
                                                     HSS_HA1_MD5, md5),
                         HSS_OK);
        for (int i = 0; i < 3; i++) {
            mar(f, &r, NOW + holder, &a);
            expect(&a, false, CX_RC_SUCCESS);
        }
        if (holder == 0)
            assert_int_equal(hss_store_lease_release(st, lease.id, NOW),
                             HSS_OK);
    }
    mar(f, &r, NOW + 1, &a);
    expect(&a, false, CX_RC_AUTHORIZATION_REJECTED);
}

/* The stored auth-pending flag and S-CSCF name of a pair. */
static void stored_state(struct fx *f, int64_t impi, int64_t impu, bool pending,
                         const char *scscf)
{
    struct hss_subscription sub;
    struct hss_assoc as;

    assert_int_equal(hss_store_assoc_get(f->s.st, impi, impu, &as), HSS_OK);
    assert_int_equal(as.auth_pending, pending);
    assert_int_equal(hss_store_subscription_get(f->s.st, f->sub_alice, &sub),
                     HSS_OK);
    assert_string_equal(sub.scscf_name, scscf);
}

/* An identity not registered: the authentication in flight is kept in
 * memory (cx_pending.h), nothing is written; registered: a different
 * S-CSCF overwrites the stored one. */
static void test_state(void **state)
{
    struct fx *f = *state;
    struct hss_subscription sub;
    struct cx_mar_req r;
    struct cx_mar_ans a;
    int64_t rows = hss_store_rows_changed(f->s.st);

    req_init(&r, WEB, IMPU_WEB, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    /* a digest MAR of an identity not registered writes no row at all */
    assert_int_equal(hss_store_rows_changed(f->s.st), rows);
    stored_state(f, f->impi_web, f->impu_web, false, "");
    assert_true(cx_pending_has(f->s.mem.pend, f->sub_alice, 0, f->impi_web,
                               f->impu_web, NOW));
    assert_false(cx_pending_has(f->s.mem.pend, f->sub_alice, 0, f->impi_reg,
                                f->impu_web, NOW));
    /* what UAR and LIR see: the S-CSCF of the authentication in flight,
     * until mar_pending_s has passed */
    assert_int_equal(cx_pending_subscription_get(f->s.mem.pend, f->s.st,
                                                 f->sub_alice, NOW, &sub),
                     HSS_OK);
    assert_string_equal(sub.scscf_name, SERVER);
    assert_int_equal(
        cx_pending_subscription_get(f->s.mem.pend, f->s.st, f->sub_alice,
                                    NOW + f->conf.mar_pending_s, &sub),
        HSS_OK);
    assert_string_equal(sub.scscf_name, "");

    /* IMPU registered through this IMPI, another S-CSCF: name overwritten
     * in the store, nothing pending (pending is per association) */
    assert_int_equal(hss_store_impu_set_reg_state(f->s.st, f->impu_alice,
                                                  HSS_REG_REGISTERED),
                     HSS_OK);
    assert_int_equal(hss_store_assoc_set_registered(f->s.st, f->impi_reg,
                                                    f->impu_alice, true),
                     HSS_OK);
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 1);
    snprintf(r.server_name, sizeof(r.server_name), "sip:scscf2.example.net");
    snprintf(r.origin_host, sizeof(r.origin_host), "scscf2.example.net");
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    stored_state(f, f->impi_reg, f->impu_alice, false,
                 "sip:scscf2.example.net");
    assert_int_equal(hss_store_subscription_get(f->s.st, f->sub_alice, &sub),
                     HSS_OK);
    assert_string_equal(sub.scscf_host, "scscf2.example.net");
    assert_false(cx_pending_has(f->s.mem.pend, f->sub_alice, 0, f->impi_reg,
                                f->impu_alice, NOW));
    /* the same IMPU, registered through the regular IMPI only: a MAR of
     * the WebRTC IMPI for it is pending, in memory; its S-CSCF differs
     * from the stored one, which it overwrites as TS 29.228 §6.3.1 says */
    req_init(&r, WEB, IMPU_ALICE, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    stored_state(f, f->impi_web, f->impu_alice, false, SERVER);
    assert_int_equal(hss_store_subscription_get(f->s.st, f->sub_alice, &sub),
                     HSS_OK);
    assert_string_equal(sub.scscf_host, "scscf1.ims.example.net");
    assert_true(cx_pending_has(f->s.mem.pend, f->sub_alice, 0, f->impi_web,
                               f->impu_alice, NOW));
}

/* When memory does not take an authentication in flight (mar_pending_s =
 * 0, or the table at its bound), the flag and the name are stored as
 * before, and nothing is lost. */
static void test_state_stored(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;

    f->conf.mar_pending_s = 0;
    req_init(&r, WEB, IMPU_WEB, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    stored_state(f, f->impi_web, f->impu_web, true, SERVER);
    assert_int_equal(cx_pending_size(f->s.mem.pend), 0);

    /* a table of one subscription, held by another one */
    f->conf.mar_pending_s = 300;
    cx_pending_free(f->s.mem.pend);
    f->s.mem.pend = cx_pending_new(1);
    assert_non_null(f->s.mem.pend);
    assert_int_equal(cxt_pending_note(f->s.mem.pend, f->sub_alice + 1000, 0, 1,
                                      1, SERVER, NOW, NOW + 300),
                     0);
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 1);
    snprintf(r.server_name, sizeof(r.server_name), "sip:scscf2.example.net");
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    stored_state(f, f->impi_reg, f->impu_alice, true, "sip:scscf2.example.net");
    assert_false(cx_pending_has(f->s.mem.pend, f->sub_alice, 0, f->impi_reg,
                                f->impu_alice, NOW));
}

/* ---- codec ------------------------------------------------------------- */

enum {
    M_USER = 1,
    M_IMPU = 2,
    M_SERVER = 4,
    M_NUM = 8,
    M_ITEM = 16,
    M_SCHEME = 32,
    M_ALL = 63
};

static struct msg *mar_msg(unsigned parts, const char *impu, const char *scheme,
                           size_t authz_len)
{
    struct msg *m = NULL;
    struct avp *item = NULL;
    uint8_t authz[40] = {0};

    assert_int_equal(cxt_fd_init(), 0);
    assert_int_equal(
        fd_msg_new(cx_dict_cmd(CX_CMD_MAR, true), MSGFL_ALLOC_ETEID, &m), 0);
    if (parts & M_USER)
        assert_int_equal(cx_avp_add_str(m, CX_AVP_USER_NAME, 0, REG), 0);
    if (parts & M_IMPU)
        assert_int_equal(
            cx_avp_add_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, impu), 0);
    if (parts & M_SERVER)
        assert_int_equal(
            cx_avp_add_str(m, CX_AVP_SERVER_NAME, CX_VENDOR_3GPP, SERVER), 0);
    if (parts & M_NUM)
        assert_int_equal(
            cx_avp_add_u32(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP, 2),
            0);
    if (parts & M_ITEM)
        assert_int_equal(cx_avp_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM,
                                          CX_VENDOR_3GPP, &item),
                         0);
    if ((parts & M_ITEM) && (parts & M_SCHEME))
        assert_int_equal(cx_avp_add_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
                                        CX_VENDOR_3GPP, scheme),
                         0);
    if ((parts & M_ITEM) && authz_len > 0)
        assert_int_equal(cx_avp_add_bytes(item, CX_AVP_SIP_AUTHORIZATION,
                                          CX_VENDOR_3GPP, authz, authz_len),
                         0);
    assert_int_equal(cx_avp_add_str(m, CX_AVP_ORIGIN_HOST, 0, "scscf.x"), 0);
    return m;
}

static void decode_expect(struct msg *m, uint32_t rc, uint32_t failed_code,
                          bool failed_copy)
{
    struct cx_mar_req r;
    struct cx_result res = cx_result_ok();

    assert_int_equal(cx_mar_decode(m, &r, &res), -1);
    assert_int_equal(res.code, rc);
    assert_false(res.experimental);
    if (failed_copy)
        assert_non_null(res.failed_avp);
    else
        assert_int_equal(res.failed_code, failed_code);
    fd_msg_free(m);
}

static void test_decode(void **state)
{
    struct cx_mar_req r;
    struct cx_result res = cx_result_ok();
    struct msg *m;

    (void)state;
    decode_expect(mar_msg(M_ALL & ~M_USER, IMPU_ALICE, "SIP Digest", 0),
                  CX_RC_MISSING_AVP, CX_AVP_USER_NAME, false);
    decode_expect(mar_msg(M_ALL, "", "SIP Digest", 0), CX_RC_INVALID_AVP_VALUE,
                  0, true);
    decode_expect(mar_msg(M_ALL & ~M_SERVER, IMPU_ALICE, "SIP Digest", 0),
                  CX_RC_MISSING_AVP, CX_AVP_SERVER_NAME, false);
    decode_expect(mar_msg(M_ALL & ~M_NUM, IMPU_ALICE, "SIP Digest", 0),
                  CX_RC_MISSING_AVP, CX_AVP_SIP_NUMBER_AUTH_ITEMS, false);
    decode_expect(mar_msg(M_ALL & ~M_ITEM, IMPU_ALICE, "SIP Digest", 0),
                  CX_RC_MISSING_AVP, CX_AVP_SIP_AUTH_DATA_ITEM, false);
    decode_expect(mar_msg(M_ALL & ~M_SCHEME, IMPU_ALICE, "SIP Digest", 0),
                  CX_RC_MISSING_AVP, CX_AVP_SIP_AUTHENTICATION_SCHEME, false);
    decode_expect(mar_msg(M_ALL, IMPU_ALICE, CX_SCHEME_IMS_AKA, 29),
                  CX_RC_INVALID_AVP_VALUE, 0, true);

    m = mar_msg(M_ALL, IMPU_ALICE, CX_SCHEME_IMS_AKA, 30);
    assert_int_equal(cx_mar_decode(m, &r, &res), 0);
    assert_string_equal(r.impi, REG);
    assert_string_equal(r.impu, IMPU_ALICE);
    assert_string_equal(r.server_name, SERVER);
    assert_string_equal(r.origin_host, "scscf.x");
    assert_int_equal(r.n_items, 2);
    assert_int_equal(r.scheme, CX_MAR_ASK_AKA);
    assert_true(r.resync);
    fd_msg_free(m);
    const char *names[] = {"SIP Digest", "Digest-MD5",   "unknown",
                           "UNKNOWN",    "NASS-Bundled", "Digest-AKAv2-MD5"};
    const enum cx_mar_scheme want[] = {CX_MAR_ASK_DIGEST,  CX_MAR_ASK_DIGEST,
                                       CX_MAR_ASK_UNKNOWN, CX_MAR_ASK_UNKNOWN,
                                       CX_MAR_ASK_OTHER,   CX_MAR_ASK_OTHER};
    for (size_t i = 0; i < 6; i++) {
        m = mar_msg(M_ALL, IMPU_ALICE, names[i], 0);
        assert_int_equal(cx_mar_decode(m, &r, &res), 0);
        assert_int_equal(r.scheme, want[i]);
        assert_false(r.resync);
        fd_msg_free(m);
    }
}

static struct avp *child(msg_or_avp *p, uint32_t code, uint32_t vendor)
{
    struct avp *a = cx_avp_find(p, code, vendor, NULL);

    if (a == NULL)
        fail_msg("AVP %u/%u missing", code, vendor);
    return a;
}

static void assert_avp_str(msg_or_avp *p, uint32_t code, uint32_t vendor,
                           const char *want)
{
    const uint8_t *d = NULL;
    size_t n = 0;

    assert_int_equal(cx_avp_get_bytes(child(p, code, vendor), &d, &n), 0);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(d, want, n);
}

static uint32_t avp_u32(msg_or_avp *p, uint32_t code)
{
    uint32_t v = 0;

    assert_int_equal(cx_avp_get_u32(child(p, code, CX_VENDOR_3GPP), &v), 0);
    return v;
}

static struct msg *answer_msg(void)
{
    struct msg *m = NULL;

    assert_int_equal(cxt_fd_init(), 0);
    assert_int_equal(fd_msg_new(cx_dict_cmd(CX_CMD_MAR, false), 0, &m), 0);
    return m;
}

static void test_encode(void **state)
{
    struct fx *f = *state;
    struct cx_mar_req r;
    struct cx_mar_ans a;
    struct avp *item, *sda;
    const uint8_t *d;
    size_t n;
    struct msg *m;

    /* digest: vendor-0 Digest-*, 3GPP Alternate-* */
    req_init(&r, WEB, IMPU_WEB, CX_MAR_ASK_DIGEST, 1);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    m = answer_msg();
    assert_int_equal(cx_mar_encode(m, &r, &a), 0);
    assert_avp_str(m, CX_AVP_USER_NAME, 0, WEB);
    assert_avp_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, IMPU_WEB);
    assert_int_equal(avp_u32(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS), 1);
    assert_int_equal(cx_avp_count(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP),
                     1);
    item = child(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP);
    assert_avp_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_VENDOR_3GPP,
                   "SIP Digest");
    sda = child(item, CX_AVP_SIP_DIGEST_AUTHENTICATE, CX_VENDOR_3GPP);
    assert_avp_str(sda, CX_AVP_DIGEST_REALM, 0, "ims.example.net");
    assert_avp_str(sda, CX_AVP_DIGEST_ALGORITHM, 0, "MD5");
    assert_avp_str(sda, CX_AVP_DIGEST_QOP, 0, "auth");
    assert_avp_str(sda, CX_AVP_DIGEST_HA1, 0, a.digest.ha1);
    assert_avp_str(sda, CX_AVP_ALTERNATE_DIGEST_ALGORITHM, CX_VENDOR_3GPP,
                   "SHA-256");
    assert_avp_str(sda, CX_AVP_ALTERNATE_DIGEST_HA1, CX_VENDOR_3GPP,
                   a.digest.alt_ha1);
    cx_mar_ans_wipe(&a);
    fd_msg_free(m);

    /* AKA: two numbered items, RAND||AUTN, XRES, CK, IK */
    req_init(&r, REG, IMPU_ALICE, CX_MAR_ASK_AKA, 2);
    mar(f, &r, NOW, &a);
    expect(&a, false, CX_RC_SUCCESS);
    m = answer_msg();
    assert_int_equal(cx_mar_encode(m, &r, &a), 0);
    assert_int_equal(avp_u32(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS), 2);
    item = NULL;
    for (uint32_t i = 1; i <= 2; i++) {
        item = cx_avp_find(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, item);
        assert_non_null(item);
        assert_int_equal(avp_u32(item, CX_AVP_SIP_ITEM_NUMBER), i);
        assert_avp_str(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_VENDOR_3GPP,
                       CX_SCHEME_IMS_AKA);
        assert_int_equal(
            cx_avp_get_bytes(
                child(item, CX_AVP_SIP_AUTHENTICATE, CX_VENDOR_3GPP), &d, &n),
            0);
        assert_int_equal(n, 32);
        assert_memory_equal(d, a.vec[i - 1].rand, 16);
        assert_memory_equal(d + 16, a.vec[i - 1].autn, 16);
        assert_int_equal(
            cx_avp_get_bytes(
                child(item, CX_AVP_SIP_AUTHORIZATION, CX_VENDOR_3GPP), &d, &n),
            0);
        assert_int_equal(n, 8);
        assert_memory_equal(d, a.vec[i - 1].xres, 8);
        assert_int_equal(
            cx_avp_get_bytes(
                child(item, CX_AVP_CONFIDENTIALITY_KEY, CX_VENDOR_3GPP), &d,
                &n),
            0);
        assert_memory_equal(d, a.vec[i - 1].ck, 16);
        assert_int_equal(
            cx_avp_get_bytes(child(item, CX_AVP_INTEGRITY_KEY, CX_VENDOR_3GPP),
                             &d, &n),
            0);
        assert_memory_equal(d, a.vec[i - 1].ik, 16);
    }
    cx_mar_ans_wipe(&a);
    fd_msg_free(m);

    /* errors still echo User-Name and Public-Identity, and no items */
    req_init(&r, REG, IMPU_BOB, CX_MAR_ASK_AKA, 1);
    mar(f, &r, NOW, &a);
    expect(&a, true, CX_ER_IDENTITIES_DONT_MATCH);
    m = answer_msg();
    assert_int_equal(cx_mar_encode(m, &r, &a), 0);
    assert_avp_str(m, CX_AVP_USER_NAME, 0, REG);
    assert_avp_str(m, CX_AVP_PUBLIC_IDENTITY, CX_VENDOR_3GPP, IMPU_BOB);
    assert_null(
        cx_avp_find(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP, NULL));
    assert_null(
        cx_avp_find(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS, CX_VENDOR_3GPP, NULL));
    fd_msg_free(m);
}

/* cx_digest_item_add (the PPR entry point): default realm when none given */
static void test_digest_item_add(void **state)
{
    struct fx *f = *state;
    struct avp *item, *sda;
    struct msg *m = answer_msg();
    char h[HSS_DIGEST_HEX_MAX];

    ha1(HSS_DIGEST_MD5, WEB, "webrtc.example.net", "webrtc-pw", h);
    assert_int_equal(cx_digest_item_add(m, f->s.st, f->impi_web, NULL), 0);
    item = child(m, CX_AVP_SIP_AUTH_DATA_ITEM, CX_VENDOR_3GPP);
    sda = child(item, CX_AVP_SIP_DIGEST_AUTHENTICATE, CX_VENDOR_3GPP);
    assert_avp_str(sda, CX_AVP_DIGEST_REALM, 0, "webrtc.example.net");
    assert_avp_str(sda, CX_AVP_DIGEST_HA1, 0, h);
    assert_null(
        cx_avp_find(sda, CX_AVP_ALTERNATE_DIGEST_HA1, CX_VENDOR_3GPP, NULL));
    assert_int_equal(cx_digest_item_add(m, f->s.st, f->impi_bob, NULL), ENOENT);
    fd_msg_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_aka_single),
        T(test_aka_multi_increasing),
        T(test_aka_resync),
        T(test_aka_resync_tampered),
        T(test_digest_rfc7616),
        T(test_digest_webrtc_separation),
        T(test_webrtc_never_aka),
        T(test_identity_errors),
        T(test_scheme_errors),
        T(test_revoked_expired),
        T(test_lockout),
        T(test_pool_lease),
        T(test_pool_new_lease_new_window),
        T(test_state),
        T(test_state_stored),
        T(test_decode),
        T(test_encode),
        T(test_digest_item_add),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
