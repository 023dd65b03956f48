#!/bin/sh
# Lists the OCaml primitives the runtime defines ("CAMLprim value caml_xxx(") as
# P("caml_xxx") lines for compiler/prims.c.
[ $# -gt 0 ] || exit 0
grep -ho 'CAMLprim value [a-zA-Z0-9_]*' "$@" | sed 's/CAMLprim value \(.*\)/P("\1")/' | sort -u
