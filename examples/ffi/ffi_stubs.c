/* ffi_stubs.c — C functions called from OCaml through `external` (compiled for the target by
   `ocaml-esp32 build`, with the runtime's headers: the usual OCaml C API). */
#include <stdio.h>
#include <string.h>
#include <caml/mlvalues.h>
#include <caml/alloc.h>
#include <caml/memory.h>

/* One argument: int -> int. */
value ffi_triple(value n)
{
    return Val_long(3 * Long_val(n));
}

/* Six arguments. OCaml's bytecode calls primitives of more than 5 arguments with an array
   (value *argv, int argc): the first name in the `external` declaration is that entry; the
   second is the native-code one (same arguments, one by one). */
value ffi_weighted_sum_native(value a, value b, value c, value d, value e, value f)
{
    return Val_long(1 * Long_val(a) + 2 * Long_val(b) + 3 * Long_val(c) + 4 * Long_val(d) +
                    5 * Long_val(e) + 6 * Long_val(f));
}

value ffi_weighted_sum_byte(value *argv, int argc)
{
    (void)argc;
    return ffi_weighted_sum_native(argv[0], argv[1], argv[2], argv[3], argv[4], argv[5]);
}

/* Allocates: string -> int -> string * int, ("<s> has <n> letters", length). */
value ffi_describe(value s, value n)
{
    CAMLparam2(s, n);
    CAMLlocal2(text, pair);
    char buf[96];
    snprintf(buf, sizeof buf, "%s has %ld letters", String_val(s), (long)Long_val(n));
    text = caml_copy_string(buf);
    pair = caml_alloc_tuple(2);
    Store_field(pair, 0, text);
    Store_field(pair, 1, Val_long((long)strlen(buf)));
    CAMLreturn(pair);
}
