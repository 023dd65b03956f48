/* prims.h — the C primitives the target runtime provides. */
#ifndef OE_PRIMS_H
#define OE_PRIMS_H

/* Non-zero if the runtime defines the primitive `name` (e.g. "caml_ml_output"). The list is
   build/host/prims.inc, generated from the runtime sources by tools/gen-prims.sh. */
int prims_known(const char *name);

/* Also accept `name` (a global function defined by a user C object linked into the image);
   the string must stay valid. */
void prims_add_extra(const char *name);

/* The known primitives, sorted (strcmp order); *n receives their number. */
const char *const *prims_list(unsigned *n);
#endif
