/* hssctl_import.c - placeholder, replaced below. */
#include "hssctl.h"
int hssctl_cmd_import(struct hssctl *c, const struct hssctl_args *a)
{
    (void)a;
    return hssctl_fail(c, 2, "not yet");
}
int hssctl_cmd_export(struct hssctl *c, const struct hssctl_args *a)
{
    (void)a;
    return hssctl_fail(c, 2, "not yet");
}
