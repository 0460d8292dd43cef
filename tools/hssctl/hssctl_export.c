/* hssctl_export.c - `export`: subscribers in the import format, no secrets.
 *
 * Owns writing every subscription as rows of the bulk format (README.md
 * "Bulk import format"), CSV or a JSON array (--json), with the password,
 * k and opc columns empty; realm, amf and sqn are kept so the file can be
 * re-imported. Opened AKA material is wiped at once. An --output file is
 * created 0600.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hss_secret.h"
#include "hssctl.h"

#define N_COLS HSSCTL_IMPORT_NCOLS
#define COLS hssctl_import_cols

/* ---- export ---------------------------------------------------------------
 */

struct export
{
    struct hssctl *c;
    FILE *f;
    bool json;
    int64_t rows;
    const struct hss_subscription *sub;
    const struct hss_impi *impi; /* current IMPI, NULL for orphan IMPUs */
    char realm[HSS_NAME_MAX + 1];
    char amf[8];
    char sqn[24];
    int64_t impi_ids[256];
    size_t n_impis;
    bool impi_had_impu;
};

static void csv_field(FILE *f, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void export_row(struct export *x, const char *impu)
{
    const char *v[N_COLS] = {x->sub->name,
                             x->impi ? x->impi->name : "",
                             impu,
                             x->impi ? x->realm : "",
                             "",
                             "",
                             "",
                             x->impi ? x->amf : "",
                             x->impi ? x->sqn : ""};

    if (x->json) {
        fputs(x->rows ? ",\n{" : "{", x->f);
        for (int k = 0; k < N_COLS; k++) {
            if (!v[k][0])
                continue;
            if (k > 0)
                fputc(',', x->f);
            hssctl_json_str(x->f, COLS[k]);
            fputc(':', x->f);
            hssctl_json_str(x->f, v[k]);
        }
        fputc('}', x->f);
    } else {
        for (int k = 0; k < N_COLS; k++)
            csv_field(x->f, v[k], k == N_COLS - 1);
    }
    x->rows++;
}

static int export_impu_cb(void *p, const struct hss_impu *u)
{
    struct export *x = p;

    x->impi_had_impu = true;
    export_row(x, u->name);
    return 0;
}

static int export_impi_cb(void *p, const struct hss_impi *i)
{
    struct export *x = p;
    char ha1[HSS_HA1_HEX_MAX + 1];
    struct hss_aka_cred aka;

    x->impi = i;
    x->realm[0] = x->amf[0] = x->sqn[0] = '\0';
    for (int a = HSS_HA1_MD5; a <= HSS_HA1_SHA512_256 && !x->realm[0]; a++)
        if (hss_store_digest_get(x->c->st, i->id, NULL, a, ha1, x->realm,
                                 sizeof(x->realm)) != HSS_OK)
            x->realm[0] = '\0';
    hss_secret_wipe(ha1, sizeof(ha1));
    if (hss_store_aka_get(x->c->st, i->id, &aka) == HSS_OK) {
        snprintf(x->amf, sizeof(x->amf), "%02x%02x", aka.amf[0], aka.amf[1]);
        snprintf(x->sqn, sizeof(x->sqn), "%llu", (unsigned long long)aka.sqn);
    }
    hss_secret_wipe(&aka, sizeof(aka));
    if (x->n_impis < sizeof(x->impi_ids) / sizeof(x->impi_ids[0]))
        x->impi_ids[x->n_impis++] = i->id;
    x->impi_had_impu = false;
    hss_store_impu_each_of_impi(x->c->st, i->id, export_impu_cb, x);
    if (!x->impi_had_impu)
        export_row(x, "");
    return 0;
}

static int export_orphan_cb(void *p, const struct hss_impu *u)
{
    struct export *x = p;
    struct hss_assoc as;

    for (size_t k = 0; k < x->n_impis; k++)
        if (hss_store_assoc_get(x->c->st, x->impi_ids[k], u->id, &as) == HSS_OK)
            return 0;
    x->impi = NULL;
    export_row(x, u->name);
    return 0;
}

static int export_sub_cb(void *p, const struct hss_subscription *s)
{
    struct export *x = p;

    x->sub = s;
    x->n_impis = 0;
    hss_store_impi_each_of_subscription(x->c->st, s->id, export_impi_cb, x);
    hss_store_impu_each_of_subscription(x->c->st, s->id, export_orphan_cb, x);
    return ferror(x->f) ? 1 : 0;
}

int hssctl_cmd_export(struct hssctl *c, const struct hssctl_args *a)
{
    const char *path = hssctl_opt(c, a, "output");
    struct export x = {.c = c, .f = stdout, .json = c->json};
    enum hss_rc src;
    int rc;

    if (hssctl_flag(c, a, "with-sealed"))
        return hssctl_fail(c, 1,
                           "--with-sealed is not supported: the store "
                           "has no API that returns sealed values");
    if (path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        x.f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!x.f) {
            if (fd >= 0)
                close(fd);
            return hssctl_fail(c, 2, "cannot write '%s': %s", path,
                               strerror(errno));
        }
    }
    src = hss_store_begin(c->st, HSS_TX_READ);
    if (src != HSS_OK) {
        rc = hssctl_store_fail(c, src, "reading");
        goto out;
    }
    if (x.json)
        fputs("[\n", x.f);
    else
        for (int k = 0; k < N_COLS; k++)
            csv_field(x.f, COLS[k], k == N_COLS - 1);
    rc = hssctl_sub_each(c, export_sub_cb, &x);
    if (x.json)
        fputs("\n]\n", x.f);
    hss_store_rollback(c->st);
    if (rc == 0 && ferror(x.f))
        rc = hssctl_fail(c, 2, "writing the export failed");
out:
    if (x.f != stdout && fclose(x.f) != 0 && rc == 0)
        rc = hssctl_fail(c, 2, "writing '%s' failed", path);
    if (rc == 0 && path)
        fprintf(stderr, "hssctl: exported %lld rows to %s\n", (long long)x.rows,
                path);
    return rc;
}
