/* custom.c — the table of custom operations known by identifier (used by input_value):
   int32/int64/nativeint (ints.c), bigarrays (bigarray.c, if linked), and the ones
   registered at run time by C code. */
#include <string.h>
#include "runtime.h"

extern const struct custom_operations caml_ba_ops __attribute__((weak));

struct custom_ops_entry {
    struct custom_ops_entry *next;
    const struct custom_operations *ops;
};
static struct custom_ops_entry *registered;

void caml_register_custom_operations(const struct custom_operations *ops)
{
    struct custom_ops_entry *e = caml_stat_alloc(sizeof(*e));
    e->ops = ops;
    e->next = registered;
    registered = e;
}

const struct custom_operations *caml_find_custom_operations(const char *id)
{
    const struct custom_ops_entry *e;
    if (strcmp(id, caml_int32_ops.identifier) == 0) return &caml_int32_ops;
    if (strcmp(id, caml_int64_ops.identifier) == 0) return &caml_int64_ops;
    if (strcmp(id, caml_nativeint_ops.identifier) == 0) return &caml_nativeint_ops;
    if (&caml_ba_ops != NULL && strcmp(id, caml_ba_ops.identifier) == 0) return &caml_ba_ops;
    for (e = registered; e != NULL; e = e->next)
        if (strcmp(id, e->ops->identifier) == 0) return e->ops;
    return NULL;
}
