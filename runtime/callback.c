/* callback.c — calling OCaml closures from C (caml/callback.h). The switch to OCaml code is
   caml_callback_asm (stubs.S); here: saving/restoring the local roots around it, and the
   variants that re-raise. */
#include "runtime.h"

value caml_callbackN_exn(value closure, int narg, value args[])
{
    struct caml__roots_block *saved_roots = caml_local_roots;
    struct caml__roots_block *saved_entry = caml_entry_local_roots;
    value res;
    caml_entry_local_roots = caml_local_roots;
    res = caml_callback_asm(closure, narg, args);
    caml_local_roots = saved_roots;
    caml_entry_local_roots = saved_entry;
    return res;
}

value caml_callback_exn(value closure, value arg)
{
    value args[1];
    args[0] = arg;
    return caml_callbackN_exn(closure, 1, args);
}

value caml_callback2_exn(value closure, value arg1, value arg2)
{
    value args[2];
    args[0] = arg1;
    args[1] = arg2;
    return caml_callbackN_exn(closure, 2, args);
}

value caml_callback3_exn(value closure, value arg1, value arg2, value arg3)
{
    value args[3];
    args[0] = arg1;
    args[1] = arg2;
    args[2] = arg3;
    return caml_callbackN_exn(closure, 3, args);
}

static value raise_if_exception(value res)
{
    if (Is_exception_result(res)) caml_raise(Extract_exception(res));
    return res;
}

value caml_callbackN(value closure, int narg, value args[])
{
    return raise_if_exception(caml_callbackN_exn(closure, narg, args));
}

value caml_callback(value closure, value arg)
{
    return raise_if_exception(caml_callback_exn(closure, arg));
}

value caml_callback2(value closure, value arg1, value arg2)
{
    return raise_if_exception(caml_callback2_exn(closure, arg1, arg2));
}

value caml_callback3(value closure, value arg1, value arg2, value arg3)
{
    return raise_if_exception(caml_callback3_exn(closure, arg1, arg2, arg3));
}
