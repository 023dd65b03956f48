/* misc_stubs.c — Stdlib externals of OCaml 4.13 features the target does not have: the
   eventlog (eventlog.c, OCaml built without instrumentation), AFL instrumentation (afl.c,
   unsupported build) and dynamic loading of shared libraries (dynlink.c), and the
   bytecode-only parts of meta.c. (Gc.Memprof is in memprof.c.) */
#include "runtime.h"

CAMLprim value caml_eventlog_resume(value unit) { (void)unit; return Val_unit; }
CAMLprim value caml_eventlog_pause(value unit) { (void)unit; return Val_unit; }
CAMLprim value caml_reset_afl_instrumentation(value full) { (void)full; return Val_unit; }
value caml_setup_afl(value unit) { (void)unit; return Val_unit; }

/* Dynlink primitives of the bytecode runtime (dynlink.c), used by compiler-libs (Dll): no
   shared library is ever loaded (the program's C primitives are all linked in), and none
   can be: the list of current libraries is empty and opening one fails. */
CAMLprim value caml_dynlink_get_current_libs(value unit) { (void)unit; return Atom(0); }

CAMLprim value caml_dynlink_open_lib(value mode, value filename)
{
    (void)mode; (void)filename;
    caml_failwith("dynlink: not supported on this target");
}

CAMLprim value caml_dynlink_close_lib(value handle) { (void)handle; return Val_unit; }

/* no symbol can be found (ocamlrun returns () for a missing one) */
CAMLprim value caml_dynlink_lookup_symbol(value handle, value symbolname)
{
    (void)handle; (void)symbolname;
    return Val_unit;
}

CAMLprim value caml_dynlink_add_primitive(value handle)
{
    (void)handle;
    caml_failwith("dynlink: not supported on this target");
}

/* Meta (meta.c), used by compiler-libs' Symtable and the toplevel. The global table is
   the program's own (generated code addresses it directly, so it cannot grow); the
   executable's sections and its bytecode are not in the image, and no bytecode can be
   loaded: those fail as in OCaml's native runtime. */
CAMLprim value caml_get_global_data(value unit) { (void)unit; return (value)caml_globals; }

CAMLprim value caml_get_section_table(value unit) { (void)unit; caml_raise_not_found(); }

CAMLprim value caml_realloc_global(value size)
{
    if (Long_val(size) >= caml_globals_count)
        caml_invalid_argument("Meta.realloc_global");
    return Val_unit;
}

CAMLprim value caml_reify_bytecode(value prog, value debuginfo, value digest)
{
    (void)prog; (void)debuginfo; (void)digest;
    caml_invalid_argument("Meta.reify_bytecode");
}

CAMLprim value caml_static_release_bytecode(value bc)
{
    (void)bc;
    caml_invalid_argument("Meta.static_release_bytecode");
}

CAMLprim value caml_get_current_environment(value unit)
{
    (void)unit;
    caml_invalid_argument("Meta.get_current_environment");
}

CAMLprim value caml_invoke_traced_function(value codeptr, value env, value arg)
{
    (void)codeptr; (void)env; (void)arg;
    caml_invalid_argument("Meta.invoke_traced_function");
}
