/* dcx_tables.h - shapes of the dictionary tables, shared inside dict/.
 *
 * Owns the plain-data descriptions the loader (dcx_load.c) walks: one row
 * per AVP (dcx_avps.c), one rule list per grouped AVP (dcx_groups.c) and
 * per command (dcx_cmds.c). No freeDiameter object lives here; the loader
 * turns rows into dictionary objects. Not installed, not for other modules.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DCX_TABLES_H
#define DCX_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>

/* Diameter data formats used by Cx (RFC 6733 §4.2-4.3). */
enum dcx_format {
    DCX_OCTETSTRING,
    DCX_UTF8STRING,
    DCX_DIAMIDENT,
    DCX_DIAMURI,
    DCX_ADDRESS,
    DCX_TIME,
    DCX_UNSIGNED32,
    DCX_UNSIGNED64,
    DCX_ENUMERATED,
    DCX_GROUPED,
};

/* Flag shorthands: value and mask of the M and V bits. */
#define DCX_MV                                                                 \
    AVP_FLAG_MANDATORY | AVP_FLAG_VENDOR, AVP_FLAG_MANDATORY | AVP_FLAG_VENDOR
#define DCX_V_NOT_M AVP_FLAG_VENDOR, AVP_FLAG_MANDATORY | AVP_FLAG_VENDOR
#define DCX_V_M_MAY AVP_FLAG_VENDOR, AVP_FLAG_VENDOR
#define DCX_M_NOT_V AVP_FLAG_MANDATORY, AVP_FLAG_MANDATORY | AVP_FLAG_VENDOR
#define DCX_NOT_MV 0, AVP_FLAG_MANDATORY | AVP_FLAG_VENDOR

/* One named value of an Enumerated AVP; lists end with a NULL name. */
struct dcx_enumval {
    const char *name;
    int32_t value;
};

/* One AVP definition. */
struct dcx_avp {
    uint32_t code;
    uint32_t vendor;
    const char *name;
    enum dcx_format format;
    uint8_t flag_val;
    uint8_t flag_mask;
    const struct dcx_enumval *enums; /* Enumerated only, else NULL */
};

/* One line of an ABNF: the AVP (code, vendor), where and how often. */
struct dcx_rule {
    uint32_t code;
    uint32_t vendor;
    enum rule_position position;
    int min; /* -1: default (0 optional, 1 otherwise) */
    int max; /* -1: unbounded */
};

/* The rules of one grouped AVP, identified by code and vendor. */
struct dcx_group {
    uint32_t code;
    uint32_t vendor;
    const struct dcx_rule *rules;
    size_t n_rules;
};

/* One command: name, code, request or answer, and its ABNF. */
struct dcx_cmd {
    const char *name;
    uint32_t code;
    int request; /* 1: R bit set (request), 0: answer */
    const struct dcx_rule *rules;
    size_t n_rules;
};

/* ABNF shorthands, as in the specification text. */
#define DCX_FIXED(code, vendor)                                                \
    {                                                                          \
        code, vendor, RULE_FIXED_HEAD, -1, 1                                   \
    }
#define DCX_REQ(code, vendor)                                                  \
    {                                                                          \
        code, vendor, RULE_REQUIRED, -1, 1                                     \
    }
#define DCX_OPT(code, vendor)                                                  \
    {                                                                          \
        code, vendor, RULE_OPTIONAL, -1, 1                                     \
    }
#define DCX_ANY(code, vendor)                                                  \
    {                                                                          \
        code, vendor, RULE_OPTIONAL, -1, -1                                    \
    }
#define DCX_ONE_OR_MORE(code, vendor)                                          \
    {                                                                          \
        code, vendor, RULE_REQUIRED, 1, -1                                     \
    }

#define DCX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

extern const struct dcx_avp dcx_avps[];
extern const size_t dcx_n_avps;
extern const struct dcx_group dcx_groups[];
extern const size_t dcx_n_groups;
extern const struct dcx_cmd dcx_cmds[];
extern const size_t dcx_n_cmds;

#endif /* DCX_TABLES_H */
