/* dcx_load.c - turns the dict_cx tables into freeDiameter dictionary objects.
 *
 * Owns dcx_load() and the coexistence policy with other dictionaries
 * (dict_dcca_3gpp.fdx defines most Cx AVPs from TS 29.229 v11, dict_sip
 * and dict_nasreq the imported Digest-* and Framed-* AVPs):
 *  - vendors and the application are looked up by id and reused;
 *  - an AVP is looked up by code and vendor first; if present with the
 *    same base type it is reused as is (a flag or name difference is only
 *    logged), if present with another base type the load fails (LOG_F);
 *  - enumerated values go on the type of the AVP actually in the
 *    dictionary; a value already named there is kept;
 *  - rules already present are kept, conflicting ones are logged.
 * Everything we create carries the exact flags and type names that
 * dict_dcca_3gpp 1.2.1 uses, so that it still loads after us.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "dcx_tables.h"
#include "dict_cx.h"

#define DCX_LOG "dict_cx: "

/* How each format maps to a freeDiameter base type and derived type. */
struct dcx_format_def {
    enum dict_avp_basetype base;
    const char *type_name; /* NULL: none, or own Enumerated type */
};

static const struct dcx_format_def dcx_formats[] = {
    [DCX_OCTETSTRING] = {AVP_TYPE_OCTETSTRING, NULL},
    [DCX_UTF8STRING] = {AVP_TYPE_OCTETSTRING, "UTF8String"},
    [DCX_DIAMIDENT] = {AVP_TYPE_OCTETSTRING, "DiameterIdentity"},
    [DCX_DIAMURI] = {AVP_TYPE_OCTETSTRING, "DiameterURI"},
    [DCX_ADDRESS] = {AVP_TYPE_OCTETSTRING, "Address"},
    [DCX_TIME] = {AVP_TYPE_OCTETSTRING, "Time"},
    [DCX_UNSIGNED32] = {AVP_TYPE_UNSIGNED32, NULL},
    [DCX_UNSIGNED64] = {AVP_TYPE_UNSIGNED64, NULL},
    [DCX_ENUMERATED] = {AVP_TYPE_INTEGER32, NULL},
    [DCX_GROUPED] = {AVP_TYPE_GROUPED, NULL},
};

static int dcx_loaded;

/* For log messages: the RFC 6733 name of a base type. */
static const char *dcx_base_name(enum dict_avp_basetype base)
{
    switch (base) {
    case AVP_TYPE_GROUPED:
        return "Grouped";
    case AVP_TYPE_OCTETSTRING:
        return "OctetString";
    case AVP_TYPE_INTEGER32:
        return "Integer32";
    case AVP_TYPE_INTEGER64:
        return "Integer64";
    case AVP_TYPE_UNSIGNED32:
        return "Unsigned32";
    case AVP_TYPE_UNSIGNED64:
        return "Unsigned64";
    case AVP_TYPE_FLOAT32:
        return "Float32";
    case AVP_TYPE_FLOAT64:
        return "Float64";
    }
    return "?";
}

static struct dictionary *dcx_dict(void)
{
    return fd_g_config->cnf_dict;
}

/* Find or create a vendor; an existing one keeps its own name. */
static int dcx_vendor(uint32_t id, const char *name)
{
    struct dict_object *obj = NULL;
    struct dict_vendor_data data = {.vendor_id = id,
                                    .vendor_name = (char *)name};
    int ret;

    ret = fd_dict_search(dcx_dict(), DICT_VENDOR, VENDOR_BY_ID, &id, &obj,
                         ENOENT);
    if (ret == 0)
        return 0;
    ret = fd_dict_new(dcx_dict(), DICT_VENDOR, &data, NULL, NULL);
    if (ret != 0)
        LOG_F(DCX_LOG "cannot add vendor %u \"%s\": %s", id, name,
              strerror(ret));
    return ret;
}

/* Find or create the Cx application, child of vendor 10415. */
static int dcx_application(struct dict_object **app)
{
    application_id_t id = CX_APP_ID;
    vendor_id_t vid = CX_VENDOR_3GPP;
    struct dict_object *vendor = NULL;
    struct dict_application_data data = {
        .application_id = CX_APP_ID,
        .application_name = (char *)DCX_APP_NAME,
    };
    int ret;

    ret = fd_dict_search(dcx_dict(), DICT_APPLICATION, APPLICATION_BY_ID, &id,
                         app, ENOENT);
    if (ret == 0)
        return 0;
    ret = fd_dict_search(dcx_dict(), DICT_VENDOR, VENDOR_BY_ID, &vid, &vendor,
                         ENOENT);
    if (ret == 0)
        ret = fd_dict_new(dcx_dict(), DICT_APPLICATION, &data, vendor, app);
    if (ret != 0)
        LOG_F(DCX_LOG "cannot add application %u: %s", id, strerror(ret));
    return ret;
}

static int dcx_find_avp(uint32_t code, uint32_t vendor,
                        struct dict_object **obj)
{
    struct dict_avp_request req = {.avp_vendor = vendor, .avp_code = code};

    *obj = NULL;
    return fd_dict_search(dcx_dict(), DICT_AVP, AVP_BY_CODE_AND_VENDOR, &req,
                          obj, ENOENT);
}

/* The derived type an AVP of this row gets when we create it. */
static int dcx_avp_type(const struct dcx_avp *row, struct dict_object **type)
{
    const struct dcx_format_def *f = &dcx_formats[row->format];
    struct dict_type_data data = {.type_base = f->base};
    char name[96];
    int n;
    int ret;

    *type = NULL;
    if (row->format != DCX_ENUMERATED) {
        if (f->type_name == NULL)
            return 0;
        ret = fd_dict_search(dcx_dict(), DICT_TYPE, TYPE_BY_NAME, f->type_name,
                             type, ENOENT);
        if (ret != 0)
            LOG_F(DCX_LOG "base type %s missing for AVP %s", f->type_name,
                  row->name);
        return ret;
    }
    /* dict_dcca_3gpp 1.2.1 names its types "3GPP/Enumerated(<AVP>)". */
    n = snprintf(name, sizeof(name), "%sEnumerated(%s)",
                 row->vendor == CX_VENDOR_3GPP ? "3GPP/" : "", row->name);
    if (n < 0 || (size_t)n >= sizeof(name))
        return ENAMETOOLONG;
    data.type_name = name;
    ret = fd_dict_new(dcx_dict(), DICT_TYPE, &data, NULL, type);
    if (ret != 0)
        LOG_F(DCX_LOG "cannot add type %s: %s", name, strerror(ret));
    return ret;
}

/* Reuse an AVP another dictionary defined, if its base type agrees. */
static int dcx_avp_reuse(const struct dcx_avp *row, struct dict_object *obj)
{
    struct dict_avp_data have;
    int ret;

    ret = fd_dict_getval(obj, &have);
    if (ret != 0)
        return ret;
    if (have.avp_basetype != dcx_formats[row->format].base) {
        LOG_F(DCX_LOG "AVP %s (%u, vendor %u) already defined as \"%s\" "
                      "of base type %s, Cx needs %s: dictionaries incompatible",
              row->name, row->code, row->vendor, have.avp_name,
              dcx_base_name(have.avp_basetype),
              dcx_base_name(dcx_formats[row->format].base));
        return EEXIST;
    }
    if (have.avp_flag_mask != row->flag_mask ||
        (have.avp_flag_val & have.avp_flag_mask) !=
            (row->flag_val & row->flag_mask))
        LOG_N(DCX_LOG "AVP %s (%u) keeps flags %02x/%02x of an earlier "
                      "dictionary (TS 29.229: %02x/%02x)",
              row->name, row->code, have.avp_flag_val, have.avp_flag_mask,
              row->flag_val, row->flag_mask);
    if (strcmp(have.avp_name, row->name) != 0)
        LOG_N(DCX_LOG "AVP %u (vendor %u) keeps the name \"%s\"", row->code,
              row->vendor, have.avp_name);
    return 0;
}

/* Add the named values of an Enumerated AVP to its type, if it has one. */
static int dcx_avp_enums(const struct dcx_avp *row, struct dict_object *avp)
{
    struct dict_object *type = NULL;
    const struct dcx_enumval *e;
    int ret;

    ret =
        fd_dict_search(dcx_dict(), DICT_TYPE, TYPE_OF_AVP, avp, &type, ENOENT);
    if (ret != 0 || type == NULL) {
        LOG_N(DCX_LOG "AVP %s has no derived type, values not named",
              row->name);
        return 0;
    }
    for (e = row->enums; e->name != NULL; e++) {
        struct dict_enumval_request req = {.type_obj = type};
        struct dict_enumval_data data = {.enum_name = (char *)e->name};
        struct dict_object *found = NULL;

        req.search.enum_value.i32 = e->value;
        data.enum_value.i32 = e->value;
        ret = fd_dict_search(dcx_dict(), DICT_ENUMVAL, ENUMVAL_BY_STRUCT, &req,
                             &found, ENOENT);
        if (ret == 0)
            continue; /* this value already has a name */
        ret = fd_dict_new(dcx_dict(), DICT_ENUMVAL, &data, type, NULL);
        if (ret != 0) {
            LOG_F(DCX_LOG "cannot name value %d \"%s\" of AVP %s: %s", e->value,
                  e->name, row->name, strerror(ret));
            return ret;
        }
    }
    return 0;
}

static int dcx_avp_define(const struct dcx_avp *row)
{
    struct dict_object *obj = NULL;
    struct dict_object *type = NULL;
    struct dict_avp_data data = {
        .avp_code = row->code,
        .avp_vendor = row->vendor,
        .avp_name = (char *)row->name,
        .avp_flag_mask = row->flag_mask,
        .avp_flag_val = row->flag_val,
        .avp_basetype = dcx_formats[row->format].base,
    };
    int ret;

    if (dcx_find_avp(row->code, row->vendor, &obj) == 0) {
        ret = dcx_avp_reuse(row, obj);
    } else {
        ret = dcx_avp_type(row, &type);
        if (ret == 0)
            ret = fd_dict_new(dcx_dict(), DICT_AVP, &data, type, &obj);
        if (ret != 0)
            LOG_F(DCX_LOG "cannot add AVP %s (%u, vendor %u): %s", row->name,
                  row->code, row->vendor, strerror(ret));
    }
    if (ret == 0 && row->enums != NULL)
        ret = dcx_avp_enums(row, obj);
    return ret;
}

/* Add one ABNF to a grouped AVP or a command. */
static int dcx_rules(struct dict_object *parent, const char *what,
                     const struct dcx_rule *rules, size_t n)
{
    unsigned order = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct dcx_rule *r = &rules[i];
        struct dict_rule_data data = {
            .rule_position = r->position,
            .rule_min = r->min,
            .rule_max = r->max,
        };
        int ret;

        if (dcx_find_avp(r->code, r->vendor, &data.rule_avp) != 0) {
            LOG_F(DCX_LOG "%s: AVP %u (vendor %u) is not in the dictionary",
                  what, r->code, r->vendor);
            return ENOENT;
        }
        if (r->position == RULE_FIXED_HEAD)
            data.rule_order = ++order;
        ret = fd_dict_new(dcx_dict(), DICT_RULE, &data, parent, NULL);
        if (ret == EEXIST) {
            LOG_N(DCX_LOG "%s: keeping an earlier rule for AVP %u", what,
                  r->code);
        } else if (ret != 0) {
            LOG_F(DCX_LOG "%s: cannot add rule for AVP %u: %s", what, r->code,
                  strerror(ret));
            return ret;
        }
    }
    return 0;
}

static int dcx_groups_define(void)
{
    size_t i;
    int ret;

    for (i = 0; i < dcx_n_groups; i++) {
        const struct dcx_group *g = &dcx_groups[i];
        struct dict_object *avp = NULL;
        char what[32];

        snprintf(what, sizeof(what), "grouped AVP %u", g->code);
        ret = dcx_find_avp(g->code, g->vendor, &avp);
        if (ret == 0)
            ret = dcx_rules(avp, what, g->rules, g->n_rules);
        if (ret != 0)
            return ret;
    }
    return 0;
}

static int dcx_cmds_define(struct dict_object *app)
{
    size_t i;
    int ret;

    for (i = 0; i < dcx_n_cmds; i++) {
        const struct dcx_cmd *c = &dcx_cmds[i];
        struct dict_object *cmd = NULL;
        struct dict_cmd_data data = {
            .cmd_code = c->code,
            .cmd_name = (char *)c->name,
            .cmd_flag_mask = CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
            .cmd_flag_val = CMD_FLAG_PROXIABLE,
        };

        /* §6.1: requests have R and P set (E clear), answers P set. */
        if (c->request) {
            data.cmd_flag_mask |= CMD_FLAG_ERROR;
            data.cmd_flag_val |= CMD_FLAG_REQUEST;
        }
        ret = fd_dict_new(dcx_dict(), DICT_COMMAND, &data, app, &cmd);
        if (ret != 0) {
            LOG_F(DCX_LOG "cannot add command %s (%u): %s", c->name, c->code,
                  strerror(ret));
            return ret;
        }
        ret = dcx_rules(cmd, c->name, c->rules, c->n_rules);
        if (ret != 0)
            return ret;
    }
    return 0;
}

int dcx_load(void)
{
    struct dict_object *app = NULL;
    size_t i;
    int ret;

    if (dcx_loaded)
        return 0;
    ret = dcx_vendor(CX_VENDOR_3GPP, DCX_VENDOR_NAME_3GPP);
    if (ret != 0)
        goto out;
    ret = dcx_vendor(CX_VENDOR_ETSI, DCX_VENDOR_NAME_ETSI);
    if (ret != 0)
        goto out;
    ret = dcx_application(&app);
    if (ret != 0)
        goto out;
    for (i = 0; i < dcx_n_avps; i++) {
        ret = dcx_avp_define(&dcx_avps[i]);
        if (ret != 0)
            goto out;
    }
    ret = dcx_groups_define();
    if (ret != 0)
        goto out;
    ret = dcx_cmds_define(app);
    if (ret != 0)
        goto out;
    dcx_loaded = 1;
    LOG_N(DCX_LOG "Cx/Dx dictionary loaded: application %u, %zu AVPs, "
                  "%zu commands",
          CX_APP_ID, dcx_n_avps, dcx_n_cmds);
out:
    return ret;
}
