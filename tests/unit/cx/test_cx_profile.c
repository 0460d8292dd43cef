/* test_cx_profile.c - User-Data XML (TS 29.228 Annex E, SPEC §5.11):
 * well-formedness (xmllint when installed), schema element order, XML
 * escaping of hostile values, barring, identity types, profiles; and the
 * Charging-Information / Allowed-WAF-WWSF-Identities AVP builders.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cx_profile.h"
#include "cx_test_util.h"
#include "cxt_msg.h"
#include "hss_store.h"

#define IFC                                                                    \
    "<InitialFilterCriteria><Priority>0</Priority><ApplicationServer>"         \
    "<ServerName>sip:as.ims.test</ServerName></ApplicationServer>"             \
    "</InitialFilterCriteria>"

struct fx {
    struct cxt_store s;
    int64_t sub, impi, impu, barred, psi, prof2;
};

static int setup(void **state)
{
    static struct fx f;
    struct hss_impi_new ni = {.name = "alice@ims.test",
                              .kind = HSS_IMPI_REGULAR,
                              .schemes = HSS_SCHEME_DIGEST,
                              .default_scheme = HSS_SCHEME_DIGEST};
    struct hss_impu_new nu = {.name = "sip:alice@ims.test",
                              .type = HSS_ID_PUBLIC_USER,
                              .display_name = "Al <&\"'> ice"};
    struct hss_store *st;
    int64_t p1;

    memset(&f, 0, sizeof(f));
    if (cxt_fd_init() != 0 || cxt_identity_set() != 0 ||
        cxt_store_open(&f.s) != 0)
        return -1;
    st = f.s.st;
    if (hss_store_subscription_add(st, "alice", &f.sub) != HSS_OK ||
        hss_store_profile_add(st, f.sub, "default", IFC, &p1) != HSS_OK ||
        hss_store_profile_add(st, f.sub, "second", NULL, &f.prof2) != HSS_OK ||
        hss_store_impi_add(st, f.sub, &ni, &f.impi) != HSS_OK ||
        hss_store_impu_add(st, f.sub, &nu, &f.impu) != HSS_OK)
        return -1;
    nu.name = "sip:bar'r&ed@ims.test";
    nu.display_name = NULL;
    nu.barred = true;
    if (hss_store_impu_add(st, f.sub, &nu, &f.barred) != HSS_OK)
        return -1;
    nu.name = "sip:conf@ims.test";
    nu.barred = false;
    nu.type = HSS_ID_DISTINCT_PSI;
    nu.service_profile_id = f.prof2;
    if (hss_store_impu_add(st, f.sub, &nu, &f.psi) != HSS_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    cxt_store_close(&f->s);
    return 0;
}

/* xmllint --noout on the document, when xmllint is installed. */
static void well_formed(const char *xml, size_t len)
{
    char path[] = "/tmp/cxt-ud.XXXXXX";
    int fd, status;
    pid_t pid;

    if (access("/usr/bin/xmllint", X_OK) != 0)
        return;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, len), (ssize_t)len);
    close(fd);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/usr/bin/xmllint", "xmllint", "--noout", path, (char *)NULL);
        _exit(127);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    unlink(path);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static const char *after(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);

    if (p == NULL)
        fail_msg("missing %s in %s", needle, hay);
    return p + strlen(needle);
}

static void test_userdata_well_formed_and_ordered(void **state)
{
    struct fx *f = *state;
    char *xml = NULL;
    size_t len = 0;
    const char *p;

    assert_int_equal(
        cx_userdata_build(f->s.st, f->sub, "alice@ims.test", &xml, &len), 0);
    assert_int_equal(strlen(xml), len);
    well_formed(xml, len);
    /* PrivateID, then the default profile (alice, barred, iFC) first */
    p = after(xml, "<IMSSubscription><PrivateID>alice@ims.test</PrivateID>");
    p = after(p, "<ServiceProfile><PublicIdentity><Identity>"
                 "sip:alice@ims.test</Identity><Extension><IdentityType>0"
                 "</IdentityType><Extension><DisplayName>");
    p = after(p, "<PublicIdentity><BarringIndication>1</BarringIndication>"
                 "<Identity>sip:bar&apos;r&amp;ed@ims.test</Identity>");
    p = after(p, IFC "</ServiceProfile>");
    p = after(p, "<ServiceProfile><PublicIdentity><Identity>"
                 "sip:conf@ims.test</Identity><Extension><IdentityType>1"
                 "</IdentityType></Extension></PublicIdentity>"
                 "</ServiceProfile>");
    assert_string_equal(p, "</IMSSubscription>");
    free(xml);
}

static void test_userdata_escapes_hostile_values(void **state)
{
    struct fx *f = *state;
    char *xml = NULL;
    size_t len = 0;

    assert_int_equal(cx_userdata_build(f->s.st, f->sub, "<&\"'>@x", &xml, &len),
                     0);
    well_formed(xml, len);
    assert_non_null(
        strstr(xml, "<PrivateID>&lt;&amp;&quot;&apos;&gt;@x</PrivateID>"));
    assert_non_null(strstr(
        xml, "<DisplayName>Al &lt;&amp;&quot;&apos;&gt; ice</DisplayName>"));
    assert_null(strstr(xml, "<&"));
    free(xml);
    /* control characters cannot be written in XML 1.0 at all */
    assert_int_equal(cx_userdata_build(f->s.st, f->sub, "a\001b", &xml, &len),
                     EINVAL);
}

static void test_userdata_unknown_subscription(void **state)
{
    struct fx *f = *state;
    char *xml = NULL;
    size_t len = 0;
    int64_t empty;

    assert_int_equal(cx_userdata_build(f->s.st, 987654, "x@y", &xml, &len),
                     ENOENT);
    assert_int_equal(hss_store_subscription_add(f->s.st, "empty", &empty),
                     HSS_OK);
    assert_int_equal(cx_userdata_build(f->s.st, empty, "x@y", &xml, &len),
                     ENOENT);
    assert_null(xml);
}

static struct msg *answer_msg(void)
{
    struct msg *m = cxt_req_new(CX_CMD_SAR);

    assert_non_null(m);
    return m;
}

static void test_charging_only_non_empty(void **state)
{
    struct hss_subscription sub;
    struct msg *m = answer_msg();
    struct avp *g;

    (void)state;
    memset(&sub, 0, sizeof(sub));
    assert_int_equal(cx_charging_add(m, &sub), 0);
    assert_null(
        cx_avp_find(m, CX_AVP_CHARGING_INFORMATION, CX_VENDOR_3GPP, NULL));
    snprintf(sub.charging_pccf, sizeof(sub.charging_pccf),
             "aaa://ccf.ims.test");
    snprintf(sub.charging_sccf, sizeof(sub.charging_sccf),
             "aaa://ccf2.ims.test");
    assert_int_equal(cx_charging_add(m, &sub), 0);
    g = cx_avp_find(m, CX_AVP_CHARGING_INFORMATION, CX_VENDOR_3GPP, NULL);
    assert_non_null(g);
    assert_null(cx_avp_find(g, CX_AVP_PRIMARY_EVENT_CHARGING_FUNCTION_NAME,
                            CX_VENDOR_3GPP, NULL));
    assert_non_null(
        cx_avp_find(g, CX_AVP_PRIMARY_CHARGING_COLLECTION_FUNCTION_NAME,
                    CX_VENDOR_3GPP, NULL));
    assert_non_null(
        cx_avp_find(g, CX_AVP_SECONDARY_CHARGING_COLLECTION_FUNCTION_NAME,
                    CX_VENDOR_3GPP, NULL));
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    fd_msg_free(m);
}

static void test_waf_wwsf_present_and_absent(void **state)
{
    struct fx *f = *state;
    struct msg *m = answer_msg();
    struct avp *g;

    assert_int_equal(cx_waf_wwsf_add(m, f->s.st, f->sub), 0);
    assert_null(cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES,
                            CX_VENDOR_3GPP, NULL));
    assert_int_equal(hss_store_wwsf_add(f->s.st, f->sub, "wwsf.a.test"),
                     HSS_OK);
    assert_int_equal(hss_store_wwsf_add(f->s.st, f->sub, "wwsf.b.test"),
                     HSS_OK);
    assert_int_equal(hss_store_waf_add(f->s.st, f->sub, "waf.a.test"), HSS_OK);
    assert_int_equal(cx_waf_wwsf_add(m, f->s.st, f->sub), 0);
    g = cx_avp_find(m, CX_AVP_ALLOWED_WAF_WWSF_IDENTITIES, CX_VENDOR_3GPP,
                    NULL);
    assert_non_null(g);
    assert_int_equal(cx_avp_count(g, CX_AVP_WEBRTC_AUTHENTICATION_FUNCTION_NAME,
                                  CX_VENDOR_3GPP),
                     1);
    assert_int_equal(
        cx_avp_count(g, CX_AVP_WEBRTC_WEB_SERVER_FUNCTION_NAME, CX_VENDOR_3GPP),
        2);
    assert_int_equal(cxt_reparse(&m, NULL, 0), 0);
    fd_msg_free(m);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_userdata_well_formed_and_ordered),
        T(test_userdata_escapes_hostile_values),
        T(test_userdata_unknown_subscription),
        T(test_charging_only_non_empty),
        T(test_waf_wwsf_present_and_absent),
    };
#undef T
    return cmocka_run_group_tests_name("cx_profile", tests, NULL, NULL) != 0;
}
