/* dict_cx_main.c - the freeDiameter extension shell of dict_cx.fdx.
 *
 * Owns only the extension ABI (fd_ext_init via EXTENSION_ENTRY,
 * fd_ext_depends, fd_ext_fini); the dictionary itself is in dict_cx_core
 * (dcx_load.c and the tables). No dependency is declared: dict_cx loads
 * alone, before or after dict_dcca_3gpp.fdx and dict_sip.fdx.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <freeDiameter/extension.h>

#include "dict_cx.h"

/* 1.2.1's extension.h does not declare it (STYLE G19). */
void fd_ext_fini(void);

static int dcx_entry(char *conffile)
{
    (void)conffile; /* dict_cx takes no configuration */
    return dcx_load();
}

/* Dictionary objects live as long as the daemon: nothing to undo. */
void fd_ext_fini(void)
{
}

EXTENSION_ENTRY("dict_cx", dcx_entry)
