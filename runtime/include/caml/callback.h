/* callback.h — calling OCaml closures from C. */
#ifndef CAML_CALLBACK_H
#define CAML_CALLBACK_H
#include "mlvalues.h"
value caml_callback(value closure, value arg);
value caml_callback2(value closure, value arg1, value arg2);
value caml_callback3(value closure, value arg1, value arg2, value arg3);
value caml_callbackN(value closure, int narg, value args[]);
value caml_callback_exn(value closure, value arg);
value caml_callback2_exn(value closure, value arg1, value arg2);
value caml_callback3_exn(value closure, value arg1, value arg2, value arg3);
value caml_callbackN_exn(value closure, int narg, value args[]);
const value *caml_named_value(const char *name);
#endif
