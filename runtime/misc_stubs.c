/* misc_stubs.c — Stdlib externals of OCaml 4.13 features the target does not have:
   Gc.Memprof (memprof.c: accepted, never samples), the eventlog (eventlog.c, OCaml built
   without instrumentation) and AFL instrumentation (afl.c, unsupported build). */
#include "runtime.h"

static int memprof_started;

CAMLprim value caml_memprof_start(value lv, value szv, value tracker)
{
    double l = Double_val(lv);
    (void)tracker;
    if (memprof_started) caml_failwith("Gc.Memprof.start: already started.");
    if (Long_val(szv) < 0 || !(l >= 0.) || l > 1.) caml_invalid_argument("Gc.Memprof.start");
    memprof_started = 1;
    return Val_unit;
}

CAMLprim value caml_memprof_stop(value unit)
{
    (void)unit;
    if (!memprof_started) caml_failwith("Gc.Memprof.stop: not started.");
    memprof_started = 0;
    return Val_unit;
}

CAMLprim value caml_eventlog_resume(value unit) { (void)unit; return Val_unit; }
CAMLprim value caml_eventlog_pause(value unit) { (void)unit; return Val_unit; }
CAMLprim value caml_reset_afl_instrumentation(value full) { (void)full; return Val_unit; }
value caml_setup_afl(value unit) { (void)unit; return Val_unit; }
