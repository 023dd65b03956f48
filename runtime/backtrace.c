/* backtrace.c — Printexc's backtrace primitives. Generated code keeps no debug
   information, so backtraces are always empty and conversions fail the way ocamlrun's do
   for a program without debug info: Printexc then prints
   "(Program not linked with -g, cannot print stack backtrace)". */
#include "runtime.h"

/* Printexc.record_backtrace flag; the uncaught-exception printer may consult it. */
int caml_backtrace_active = 0;

CAMLprim value caml_record_backtrace(value flag)
{
    caml_backtrace_active = Bool_val(flag);
    return Val_unit;
}

CAMLprim value caml_backtrace_status(value unit)
{
    (void)unit;
    return Val_bool(caml_backtrace_active);
}

/* 0: no debug info and no error reading it (Printexc prints nothing extra) */
CAMLprim value caml_ml_debug_info_status(value unit)
{
    (void)unit;
    return Val_int(0);
}

CAMLprim value caml_get_exception_raw_backtrace(value unit)
{
    (void)unit;
    return Atom(0);
}

CAMLprim value caml_restore_raw_backtrace(value exn, value bt)
{
    (void)exn; (void)bt;
    return Val_unit;
}

CAMLprim value caml_get_current_callstack(value max_frames)
{
    (void)max_frames;
    return Atom(0);
}

CAMLprim value caml_raw_backtrace_length(value bt)
{
    return Val_long(Wosize_val(bt));
}

CAMLprim value caml_raw_backtrace_slot(value bt, value index)
{
    uintnat i = (uintnat)Long_val(index);
    if (i >= Wosize_val(bt))
        caml_invalid_argument("Printexc.get_raw_backtrace_slot: index out of bounds");
    /* unreachable with empty backtraces; a slot is an opaque integer */
    return Field(bt, i) | 1;
}

CAMLprim value caml_raw_backtrace_next_slot(value slot)
{
    (void)slot;
    return Val_none;
}

CAMLprim value caml_convert_raw_backtrace_slot(value slot)
{
    (void)slot;
    caml_failwith("No debug information available");
}

CAMLprim value caml_convert_raw_backtrace(value bt)
{
    (void)bt;
    caml_failwith("No debug information available");
}

/* deprecated: None when there is no debug information */
CAMLprim value caml_get_exception_backtrace(value unit)
{
    (void)unit;
    return Val_none;
}
