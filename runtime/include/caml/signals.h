#ifndef CAML_SIGNALS_H
#define CAML_SIGNALS_H
#include "mlvalues.h"
#define caml_enter_blocking_section() ((void)0)
#define caml_leave_blocking_section() ((void)0)
#endif
