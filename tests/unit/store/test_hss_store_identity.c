/* test_hss_store_identity.c - identity model read and write side
 * (hss_store_identity.c, hss_store_provision.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "store_fixture.h"

struct names {
    char v[8][300];
    size_t n;
};

static int impu_name_cb(void *ctx, const struct hss_impu *u)
{
    struct names *n = ctx;

    snprintf(n->v[n->n++], sizeof(n->v[0]), "%s", u->name);
    return 0;
}

static int impi_name_cb(void *ctx, const struct hss_impi *i)
{
    struct names *n = ctx;

    snprintf(n->v[n->n++], sizeof(n->v[0]), "%s", i->name);
    return 0;
}

static int stop_cb(void *ctx, const struct hss_impu *u)
{
    (void)u;
    (*(int *)ctx)++;
    return 1;
}

static void test_hss_store_subscription_add_get_delete(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_subscription s;
    struct hss_impi impi;
    struct hss_impu impu;
    int64_t id;

    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_string_equal(s.name, "alice");
    assert_false(s.web_auth);
    assert_false(s.roaming_any);
    assert_string_equal(s.scscf_name, "");
    assert_int_equal(hss_store_subscription_by_name(f->st, "alice", &s),
                     HSS_OK);
    assert_int_equal(s.id, u.sub);
    assert_int_equal(hss_store_subscription_add(f->st, "alice", &id),
                     HSS_EXISTS);
    assert_int_equal(hss_store_subscription_set_web_auth(f->st, u.sub, true),
                     HSS_OK);
    assert_int_equal(hss_store_subscription_set_charging(
                         f->st, u.sub, "aaa://ccf1", NULL, "p", ""),
                     HSS_OK);
    assert_int_equal(hss_store_subscription_get(f->st, u.sub, &s), HSS_OK);
    assert_true(s.web_auth);
    assert_string_equal(s.charging_pecf, "aaa://ccf1");
    assert_string_equal(s.charging_pccf, "p");
    assert_int_equal(hss_store_subscription_delete(f->st, u.sub), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &impi),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_impu_get(f->st, "sip:alice@ims.test", &impu),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_subscription_delete(f->st, u.sub),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_subscription_set_web_auth(f->st, 999, true),
                     HSS_NOT_FOUND);
}

static void test_hss_store_impi_add_get_update(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_WEBRTC);
    struct hss_impi_new bad = {.name = "x@t", .schemes = 8};
    struct hss_impi i;
    int64_t id;

    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_int_equal(i.id, u.impi);
    assert_int_equal(i.subscription_id, u.sub);
    assert_int_equal(i.kind, HSS_IMPI_WEBRTC);
    assert_int_equal(i.default_scheme, HSS_SCHEME_DIGEST);
    assert_false(i.revoked);
    assert_int_equal(hss_store_impi_add(f->st, u.sub, &bad, &id), HSS_INVALID);
    bad.schemes = HSS_SCHEME_AKA;
    bad.default_scheme = HSS_SCHEME_DIGEST; /* not allowed */
    assert_int_equal(hss_store_impi_add(f->st, u.sub, &bad, &id), HSS_INVALID);
    bad.default_scheme = HSS_SCHEME_AKA;
    assert_int_equal(hss_store_impi_add(f->st, 4242, &bad, &id), HSS_NOT_FOUND);
    bad.name = "alice@ims.test";
    assert_int_equal(hss_store_impi_add(f->st, u.sub, &bad, &id), HSS_EXISTS);
    assert_int_equal(hss_store_impi_add(f->st, u.sub, NULL, &id), HSS_INVALID);
    assert_int_equal(hss_store_impi_set_revoked(f->st, u.impi, true), HSS_OK);
    assert_int_equal(hss_store_impi_set_validity(f->st, u.impi, 5000), HSS_OK);
    assert_int_equal(hss_store_impi_set_schemes(f->st, u.impi, HSS_SCHEME_AKA,
                                                HSS_SCHEME_AKA),
                     HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_true(i.revoked);
    assert_int_equal(i.valid_until, 5000);
    assert_int_equal(i.schemes, HSS_SCHEME_AKA);
    assert_int_equal(hss_store_impi_delete(f->st, u.impi), HSS_OK);
    assert_int_equal(hss_store_impi_delete(f->st, u.impi), HSS_NOT_FOUND);
}

static void test_hss_store_impu_add_irs_and_iterators(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct fx_user b = fx_user_add(f->st, "bob", HSS_IMPI_REGULAR);
    struct hss_impu_new n2 = {
        .name = "tel:+4930123", .irs_id = u.impu, .display_name = "Alice"};
    struct hss_impu_new bad = {.name = "sip:x@t", .irs_id = b.impu};
    struct names names = {0};
    struct hss_impu impu;
    int64_t id2, id;
    int calls = 0;

    assert_int_equal(hss_store_impu_add(f->st, u.sub, &n2, &id2), HSS_OK);
    assert_int_equal(hss_store_impu_add(f->st, u.sub, &bad, &id),
                     HSS_INVALID); /* set of another subscription */
    assert_int_equal(hss_store_impu_get(f->st, "tel:+4930123", &impu), HSS_OK);
    assert_int_equal(impu.irs_id, u.impu);
    assert_string_equal(impu.display_name, "Alice");
    assert_int_equal(impu.reg_state, HSS_REG_NOT_REGISTERED);
    assert_int_equal(
        hss_store_impu_each_in_irs(f->st, u.impu, impu_name_cb, &names),
        HSS_OK);
    assert_int_equal(names.n, 2);
    assert_string_equal(names.v[0], "sip:alice@ims.test");
    assert_string_equal(names.v[1], "tel:+4930123");
    names.n = 0;
    assert_int_equal(
        hss_store_impu_each_of_impi(f->st, u.impi, impu_name_cb, &names),
        HSS_OK);
    assert_int_equal(names.n, 1); /* tel URI not associated yet */
    assert_int_equal(hss_store_assoc_add(f->st, u.impi, id2), HSS_OK);
    assert_int_equal(hss_store_assoc_add(f->st, u.impi, id2), HSS_EXISTS);
    assert_int_equal(
        hss_store_impu_each_of_subscription(f->st, u.sub, stop_cb, &calls),
        HSS_OK);
    assert_int_equal(calls, 1); /* non-zero return stops the walk */
    assert_int_equal(hss_store_impu_set_irs(f->st, id2, 0), HSS_OK);
    assert_int_equal(hss_store_impu_get(f->st, "tel:+4930123", &impu), HSS_OK);
    assert_int_equal(impu.irs_id, id2);
    assert_int_equal(hss_store_impu_set_irs(f->st, id2, b.impu), HSS_INVALID);
    assert_int_equal(hss_store_impu_set_barred(f->st, id2, true), HSS_OK);
    assert_int_equal(hss_store_impu_get(f->st, "tel:+4930123", &impu), HSS_OK);
    assert_true(impu.barred);
    names.n = 0;
    assert_int_equal(
        hss_store_impi_each_of_subscription(f->st, u.sub, impi_name_cb, &names),
        HSS_OK);
    assert_int_equal(names.n, 1);
    assert_int_equal(hss_store_impu_delete(f->st, id2), HSS_OK);
    assert_int_equal(hss_store_impu_delete(f->st, id2), HSS_NOT_FOUND);
}

static void test_hss_store_assoc_add_get_remove(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct fx_user b = fx_user_add(f->st, "bob", HSS_IMPI_REGULAR);
    struct hss_assoc as = {.auth_pending = true, .registered = true};

    assert_int_equal(hss_store_assoc_get(f->st, a.impi, a.impu, &as), HSS_OK);
    assert_false(as.auth_pending);
    assert_false(as.registered);
    assert_int_equal(hss_store_assoc_add(f->st, a.impi, b.impu), HSS_INVALID);
    assert_int_equal(hss_store_assoc_add(f->st, a.impi, 9999), HSS_NOT_FOUND);
    assert_int_equal(hss_store_assoc_get(f->st, a.impi, b.impu, &as),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_assoc_remove(f->st, a.impi, a.impu), HSS_OK);
    assert_int_equal(hss_store_assoc_get(f->st, a.impi, a.impu, &as),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_assoc_remove(f->st, a.impi, a.impu),
                     HSS_NOT_FOUND);
}

/* UAR's and MAR's one read: both identities, the pair, the pool. */
static void test_hss_store_pair_get(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct fx_user b = fx_user_add(f->st, "bob", HSS_IMPI_POOL);
    struct hss_pool pool = {.name = "p", .wwsf = "w", .lease_ttl_s = 60};
    struct hss_pair p;

    assert_int_equal(hss_store_assoc_set_registered(f->st, a.impi, a.impu, 1),
                     HSS_OK);
    assert_int_equal(
        hss_store_pair_get(f->st, "alice@ims.test", "sip:alice@ims.test", &p),
        HSS_OK);
    assert_int_equal(p.impi.id, a.impi);
    assert_int_equal(p.impi.subscription_id, a.sub);
    assert_string_equal(p.impi.name, "alice@ims.test");
    assert_int_equal(p.impu.id, a.impu);
    assert_string_equal(p.impu.name, "sip:alice@ims.test");
    assert_int_equal(p.impu.type, HSS_ID_PUBLIC_USER);
    assert_true(p.associated);
    assert_true(p.assoc.registered);
    assert_false(p.assoc.auth_pending);
    assert_false(p.pool_member);
    /* known, not associated */
    assert_int_equal(
        hss_store_pair_get(f->st, "alice@ims.test", "sip:bob@ims.test", &p),
        HSS_OK);
    assert_int_equal(p.impu.id, b.impu);
    assert_false(p.associated);
    assert_false(p.assoc.registered);
    /* a pool member */
    assert_int_equal(hss_store_pool_add(f->st, &pool, &pool.id), HSS_OK);
    assert_int_equal(hss_store_pool_member_add(f->st, pool.id, b.sub), HSS_OK);
    assert_int_equal(
        hss_store_pair_get(f->st, "bob@ims.test", "sip:bob@ims.test", &p),
        HSS_OK);
    assert_true(p.pool_member);
    assert_true(p.associated);
    /* unknown either way, bad names */
    assert_int_equal(
        hss_store_pair_get(f->st, "nobody@ims.test", "sip:alice@ims.test", &p),
        HSS_NOT_FOUND);
    assert_int_equal(
        hss_store_pair_get(f->st, "alice@ims.test", "sip:nobody@ims.test", &p),
        HSS_NOT_FOUND);
    assert_int_equal(hss_store_pair_get(f->st, "", "sip:alice@ims.test", &p),
                     HSS_INVALID);
    assert_int_equal(hss_store_pair_get(f->st, "alice@ims.test", NULL, &p),
                     HSS_INVALID);
    assert_int_equal(
        hss_store_pair_get(f->st, "alice@ims.test", "sip:alice@ims.test", NULL),
        HSS_INVALID);
}

static void test_hss_store_visited_allowed_policy(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    bool ok = false;

    /* Nothing listed: no restriction. */
    assert_int_equal(hss_store_visited_allowed(f->st, a.sub, "v1.net", &ok),
                     HSS_OK);
    assert_true(ok);
    assert_int_equal(hss_store_visited_network_add(f->st, a.sub, "home.net"),
                     HSS_OK);
    assert_int_equal(hss_store_visited_network_add(f->st, a.sub, "home.net"),
                     HSS_EXISTS);
    assert_int_equal(hss_store_visited_allowed(f->st, a.sub, "v1.net", &ok),
                     HSS_OK);
    assert_false(ok);
    assert_int_equal(hss_store_visited_allowed(f->st, a.sub, "home.net", &ok),
                     HSS_OK);
    assert_true(ok);
    assert_int_equal(hss_store_visited_allowed(f->st, a.sub, NULL, &ok),
                     HSS_OK);
    assert_false(ok);
    assert_int_equal(hss_store_subscription_set_roaming_any(f->st, a.sub, true),
                     HSS_OK);
    assert_int_equal(hss_store_visited_allowed(f->st, a.sub, "v1.net", &ok),
                     HSS_OK);
    assert_true(ok);
    assert_int_equal(hss_store_visited_network_remove(f->st, a.sub, "home.net"),
                     HSS_OK);
    assert_int_equal(hss_store_visited_network_remove(f->st, a.sub, "home.net"),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_visited_allowed(f->st, 999, "x", &ok),
                     HSS_NOT_FOUND);
}

static void test_hss_store_capabilities_get_fallback(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_capabilities c;

    assert_int_equal(hss_store_capabilities_get(f->st, a.sub, &c), HSS_OK);
    assert_int_equal(c.n_mandatory + c.n_optional + c.n_server_names, 0);
    assert_int_equal(hss_store_capability_add(f->st, 0, true, 7), HSS_OK);
    assert_int_equal(hss_store_preferred_scscf_add(f->st, 0, "sip:g.test"),
                     HSS_OK);
    assert_int_equal(hss_store_capabilities_get(f->st, a.sub, &c), HSS_OK);
    assert_int_equal(c.n_mandatory, 1);
    assert_int_equal(c.mandatory[0], 7);
    assert_string_equal(c.server_names[0], "sip:g.test");
    assert_int_equal(hss_store_capability_add(f->st, a.sub, false, 3), HSS_OK);
    assert_int_equal(hss_store_capability_add(f->st, a.sub, true, 1), HSS_OK);
    assert_int_equal(hss_store_capability_add(f->st, a.sub, true, 1),
                     HSS_EXISTS);
    assert_int_equal(hss_store_capability_add(f->st, 999, true, 1),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_capabilities_get(f->st, a.sub, &c), HSS_OK);
    assert_int_equal(c.n_mandatory, 1);
    assert_int_equal(c.mandatory[0], 1);
    assert_int_equal(c.n_optional, 1);
    assert_int_equal(c.optional[0], 3);
    assert_int_equal(c.n_server_names, 1); /* names fall back separately */
    assert_int_equal(hss_store_preferred_scscf_add(f->st, a.sub, "sip:s1.test"),
                     HSS_OK);
    assert_int_equal(hss_store_capabilities_get(f->st, a.sub, &c), HSS_OK);
    assert_string_equal(c.server_names[0], "sip:s1.test");
}

struct profiles {
    int64_t id[4];
    char xml[4][128];
    size_t n;
};

static int profile_cb(void *ctx, const struct hss_service_profile *p)
{
    struct profiles *ps = ctx;

    ps->id[ps->n] = p->id;
    snprintf(ps->xml[ps->n], sizeof(ps->xml[0]), "%s",
             p->ifc_xml != NULL ? p->ifc_xml : "(null)");
    ps->n++;
    free(p->ifc_xml); /* ownership passes to the callback */
    return 0;
}

static void test_hss_store_subscription_active(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    bool active = true;

    assert_int_equal(hss_store_subscription_active(f->st, a.sub, &active),
                     HSS_OK);
    assert_false(active);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, a.impu, HSS_REG_UNREGISTERED),
        HSS_OK);
    assert_int_equal(hss_store_subscription_active(f->st, a.sub, &active),
                     HSS_OK);
    assert_true(active);
    assert_int_equal(
        hss_store_impu_set_reg_state(f->st, a.impu, HSS_REG_NOT_REGISTERED),
        HSS_OK);
    assert_int_equal(hss_store_subscription_active(f->st, a.sub, &active),
                     HSS_OK);
    assert_false(active);
    assert_int_equal(hss_store_subscription_active(f->st, 999, &active),
                     HSS_OK);
    assert_false(active);
    assert_int_equal(hss_store_subscription_active(f->st, a.sub, NULL),
                     HSS_INVALID);
}

static void test_hss_store_profile_default_and_explicit(void **state)
{
    struct fx *f = *state;
    struct fx_user a = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct fx_user b = fx_user_add(f->st, "bob", HSS_IMPI_REGULAR);
    static const char ifc[] = "<InitialFilterCriteria><Priority>0</Priority>\n"
                              "<ProfilePartIndicator>1</ProfilePartIndicator>"
                              "</InitialFilterCriteria>";
    struct profiles ps = {0};
    struct hss_impu u;
    int64_t p1, p2;

    assert_int_equal(
        hss_store_profile_each_of_subscription(f->st, a.sub, profile_cb, &ps),
        HSS_OK);
    assert_int_equal(ps.n, 1);
    assert_int_equal(ps.id[0], 0); /* implicit default */
    assert_string_equal(ps.xml[0], "(null)");
    assert_int_equal(hss_store_profile_add(f->st, a.sub, "base", "<a/>", &p1),
                     HSS_OK);
    assert_int_equal(hss_store_profile_add(f->st, a.sub, "unreg", ifc, &p2),
                     HSS_OK);
    assert_int_equal(hss_store_profile_add(f->st, a.sub, "base", NULL, &p2),
                     HSS_EXISTS);
    assert_int_equal(hss_store_impu_get(f->st, "sip:alice@ims.test", &u),
                     HSS_OK);
    assert_int_equal(u.service_profile_id, p1); /* resolved default */
    assert_false(u.has_unreg_services);
    assert_int_equal(hss_store_impu_set_profile(f->st, a.impu, p2), HSS_OK);
    assert_int_equal(hss_store_impu_get(f->st, "sip:alice@ims.test", &u),
                     HSS_OK);
    assert_int_equal(u.service_profile_id, p2);
    assert_true(u.has_unreg_services);
    /* brief: the IMPU's own profile, nothing resolved */
    assert_int_equal(hss_store_impu_get_brief(f->st, "sip:alice@ims.test", &u),
                     HSS_OK);
    assert_int_equal(u.id, a.impu);
    assert_int_equal(u.service_profile_id, p2);
    assert_false(u.has_unreg_services);
    assert_int_equal(hss_store_impu_get_brief(f->st, "sip:bob@ims.test", &u),
                     HSS_OK);
    assert_int_equal(u.service_profile_id, 0); /* default, not resolved */
    assert_int_equal(hss_store_impu_get_brief(f->st, "sip:nobody@ims.test", &u),
                     HSS_NOT_FOUND);
    assert_int_equal(hss_store_impu_set_profile(f->st, b.impu, p1),
                     HSS_INVALID);
    ps.n = 0;
    assert_int_equal(
        hss_store_profile_each_of_subscription(f->st, a.sub, profile_cb, &ps),
        HSS_OK);
    assert_int_equal(ps.n, 2);
    assert_string_equal(ps.xml[0], "<a/>");
    assert_int_equal(hss_store_profile_add(f->st, a.sub, "bad", "\x01", &p2),
                     HSS_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_hss_store_subscription_add_get_delete),
        FX_TEST(test_hss_store_impi_add_get_update),
        FX_TEST(test_hss_store_impu_add_irs_and_iterators),
        FX_TEST(test_hss_store_assoc_add_get_remove),
        FX_TEST(test_hss_store_pair_get),
        FX_TEST(test_hss_store_visited_allowed_policy),
        FX_TEST(test_hss_store_capabilities_get_fallback),
        FX_TEST(test_hss_store_subscription_active),
        FX_TEST(test_hss_store_profile_default_and_explicit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
