/* interp_support.c — C helpers for the rare paths of generated code and stubs.S
   (docs/architecture.md): blocks too big for the minor heap, partial applications built by
   GRAB, method lookup. Called through caml_c_call unless noted. */
#include "runtime.h"

/* A major block of wosize fields: fields [first, first+n) from src[0..n), the others
   Val_unit (closure code pointers and infix headers are stored by the caller afterwards;
   caml_alloc_shr never triggers a GC, so nothing moves meanwhile). */
value caml_oe_alloc_major(intnat wosize, intnat tag, intnat first, value *src, intnat n)
{
    value b = caml_alloc_shr((mlsize_t)wosize, (tag_t)tag);
    for (intnat i = 0; i < wosize; i++) {
        if (i >= first && i < first + n) caml_initialize(&Field(b, i), src[i - first]);
        else Field(b, i) = Val_unit;
    }
    return b;
}

/* MAKEFLOATBLOCK of more than Max_young_wosize / 2 elements: src[i] are boxed floats. */
value caml_oe_make_float_block(intnat size, value *src)
{
    value b = caml_alloc_shr((mlsize_t)size * Double_wosize, Double_array_tag);
    for (intnat i = 0; i < size; i++) Store_double_flat_field(b, i, Double_val(src[i]));
    return b;
}

/* GRAB with too few arguments (from caml_grab in stubs.S, via caml_c_call): the OCaml
   stack holds env (pushed by caml_c_call) then the nargs arguments. Builds the partial
   application [code = the function's RESTART, closinfo, env, args...]. The stack is read
   after the allocation, since a GC may move the values it holds. */
value caml_oe_grab_closure(value code, intnat nargs)
{
    mlsize_t wosize = (mlsize_t)nargs + 3;
    value *sp;
    value clos;
    if (wosize <= Max_young_wosize) {
        clos = caml_alloc_small(wosize, Closure_tag);
        sp = caml_extern_sp;
        Field(clos, 2) = sp[0];
        for (intnat i = 0; i < nargs; i++) Field(clos, i + 3) = sp[i + 1];
    } else {
        clos = caml_alloc_shr(wosize, Closure_tag);
        sp = caml_extern_sp;
        caml_initialize(&Field(clos, 2), sp[0]);
        for (intnat i = 0; i < nargs; i++) caml_initialize(&Field(clos, i + 3), sp[i + 1]);
    }
    Field(clos, 0) = code;
    Field(clos, 1) = Make_closinfo(0, 2);
    return clos;
}

/* GETPUBMET / GETDYNMET (called directly with call0: no allocation, no exception).
   The method table of a class is [Val_int(n), mask, meth_0, tag_0, ..., meth_n-1, tag_n-1]
   sorted by tag; Field(meths, 0) = Val_int(n) = 2n+1 is the index of the last tag. */
value caml_oe_get_method(value obj, value tag)
{
    value meths = Field(obj, 0);
    intnat li = 3, hi = Field(meths, 0), mi;
    while (li < hi) {
        mi = ((li + hi) >> 1) | 1;
        if (tag < Field(meths, mi)) hi = mi - 2;
        else li = mi;
    }
    return Field(meths, li - 1);
}

/* Emitted by ocamlc (4.13) before code that needs more stack than the interpreter's usual
   margin. The OCaml stack has a fixed size here, so there is nothing to grow: either the
   requested words fit above the threshold, or the program gets Stack_overflow now rather than
   running past the end of the stack. */
CAMLprim value caml_ensure_stack_capacity(value required_space)
{
    intnat words = Long_val(required_space);
    if (words < 0 || caml_extern_sp - caml_stack_threshold < words)
        caml_raise_stack_overflow();
    return Val_unit;
}

/* The code address of closures whose function the compiler's dead-code analysis removed
   (compiler/dce.c): such closures are never applied, so reaching this is a compiler bug.
   Entered by a jump from generated code (it never returns). */
Noreturn void caml_dead_code(void)
{
    static const char msg[] = "ocaml-esp32: internal error: dead code called\n";
    oe_platform_write(2, msg, sizeof msg - 1);
    oe_platform_exit(134);
}
