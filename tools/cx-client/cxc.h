/* cxc.h - internal interfaces of the cx-client program.
 *
 * Owns the option model shared by the program's files: global options
 * (connection, files, answers to HSS-initiated requests) and one request
 * (a subcommand with its AVP options), as given on the command line or on
 * one line of a --script file.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CXC_H
#define CXC_H

#include <stddef.h>
#include <stdint.h>

#include "cx_peer.h"

/* Exit statuses. */
#define CXC_EXIT_OK 0
#define CXC_EXIT_USAGE 1
#define CXC_EXIT_ERROR 2
#define CXC_EXIT_NOANSWER 3

#define CXC_MAX_IMPU 16
#define CXC_MAX_RAW 16
#define CXC_MAX_OMIT 16
#define CXC_MAX_AUTHZ 256
#define CXC_NONE (-1L) /* option not given */

enum cxc_cmd {
    CXC_CMD_UAR,
    CXC_CMD_SAR,
    CXC_CMD_LIR,
    CXC_CMD_MAR,
    CXC_CMD_LISTEN
};

struct cxc_raw {
    uint32_t code;
    uint32_t vendor;
    int mandatory; /* -1 dictionary default, 0 clear, 1 set */
    uint8_t data[512];
    size_t len;
};

/* One request (or a `listen`), all strings borrowed from argv/line. */
struct cxc_req {
    enum cxc_cmd cmd;
    const char *user_name;
    const char *impu[CXC_MAX_IMPU];
    unsigned n_impu;
    const char *server_name;
    const char *visited_network;
    const char *scheme;
    const char *dest_realm;
    const char *dest_host;
    long auth_type;
    long num_items;
    long sat;
    long udaa;
    long originating;
    long uar_flags;
    uint8_t authz[CXC_MAX_AUTHZ];
    size_t authz_len;
    int has_authz;
    struct cxc_raw raw[CXC_MAX_RAW];
    unsigned n_raw;
    const char *omit[CXC_MAX_OMIT];
    unsigned n_omit;
    unsigned listen_ms;    /* CXC_CMD_LISTEN, or --listen after */
    unsigned listen_count; /* 0: no count limit */
};

struct cxc_opts {
    struct cx_peer_conf peer;
    const char *script; /* NULL, a path, or "-" */
    unsigned timeout_ms;
    long rta_result; /* CXC_NONE: never answer */
    long ppa_result;
    int acl_wl;
    int have_req; /* a subcommand was given */
    struct cxc_req req;
};

/* cxc_opts.c: parse argv (global options allowed when opts != NULL;
 * script lines pass NULL). argv[0] is the first word to look at. On a
 * usage error writes the reason to err and returns -1. */
void cxc_opts_defaults(struct cxc_opts *o);
void cxc_req_defaults(struct cxc_req *r);
int cxc_opts_parse(int argc, char **argv, struct cxc_opts *o, struct cxc_req *r,
                   char *err, size_t errlen);
/* Checks required options of r for its command. */
int cxc_req_check(const struct cxc_req *r, char *err, size_t errlen);
void cxc_usage(void);

/* cxc_build.c: builds the request message of r. Returns 0, or an errno
 * with the reason in err. */
int cxc_build(const struct cxc_req *r, const struct cxc_opts *o,
              struct msg **out, char *err, size_t errlen);
/* Adds the answer to an HSS-initiated request (Result-Code rc). */
int cxc_build_answer(struct msg **req, uint32_t rc);

/* cxc_script.c: a parsed script, lines kept alive for the borrowed
 * strings of its requests. */
struct cxc_script {
    struct cxc_req *reqs;
    unsigned n;
    char **lines;
    unsigned n_lines;
};
int cxc_script_load(const char *path, struct cxc_script *s, char *err,
                    size_t errlen);
void cxc_script_free(struct cxc_script *s);

#endif /* CXC_H */
