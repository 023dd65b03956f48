/* runtime.h — internal interfaces shared by the runtime's subsystems, the assembly stubs
   (runtime/xtensa/stubs.S) and the platform layer. Not for user C code. */
#ifndef OE_RUNTIME_H
#define OE_RUNTIME_H
#include "caml/mlvalues.h"
#include "caml/memory.h"
#include "caml/alloc.h"
#include "caml/fail.h"
#include "caml/custom.h"
#include "caml/callback.h"

/* ---- state shared with generated code and stubs.S (see docs/architecture.md) ---- */
extern value *caml_young_ptr;     /* valid while in C; a14 while in OCaml */
extern value *caml_young_limit;   /* allocation triggers a GC below this */
extern value *caml_young_start, *caml_young_end;
extern value *caml_extern_sp;     /* OCaml sp while in C */
extern value *caml_stack_low, *caml_stack_high, *caml_stack_threshold;
extern value *caml_trapsp;        /* newest trap frame */
extern void *caml_c_sp;           /* C stack pointer of the innermost OCaml activation */
extern intnat caml_globals_count; /* emitted by the compiler (in .rodata) */

/* ---- sizes, fixed at link time (symbols defined by the linker script / ld --defsym;
   their *addresses* are the sizes in bytes) ---- */
extern char _oe_heap_size[], _oe_minor_size[], _oe_stack_size[];

/* ---- GC (gc_minor.c, gc_major.c) ---- */
void caml_init_gc(void);
void caml_minor_collection(void);           /* empties the minor heap */
void caml_gc_dispatch(void);                /* called by caml_call_gc */
void caml_oldify_one(value v, value *p);    /* minor GC: promote v, store result at p */
void caml_darken(value v);                  /* major GC: mark */
void caml_scan_roots(void (*f)(value v, value *p)); /* all roots: stack, globals, local,
                                                       global roots */
extern uintnat caml_stat_minor_collections, caml_stat_major_collections;
extern uintnat caml_peak_heap_bytes, caml_peak_stack_bytes;

/* ---- exceptions (fail.c + stubs.S) ---- */
Noreturn void caml_raise_exn_asm(value exn);     /* stubs.S: unwinds from C */
void caml_fatal_uncaught_exception(value exn);   /* prints like ocamlrun, exit 2 */
Noreturn void caml_fatal_error(const char *fmt, ...);

/* ---- startup (startup.c) ---- */
int caml_main(int argc, char **argv);      /* called by the platform's C entry */
void caml_do_exit(int code);               /* at_exit, flush, platform exit */
extern char **caml_argv;
extern int caml_argc;
value caml_start_program(void);            /* stubs.S */
value caml_callback_asm(value closure, intnat nargs, value *args); /* stubs.S */

/* ---- platform layer (platform/<p>/): the only things the runtime needs from below ---- */
intnat oe_platform_write(int fd, const void *buf, uintnat len);  /* bytes written or -1 */
intnat oe_platform_read(int fd, void *buf, uintnat len);         /* 0 at EOF, -1 error */
Noreturn void oe_platform_exit(int code);
uint64_t oe_platform_time_ns(void);      /* monotonic, from boot */
uint64_t oe_platform_cycles(void);
void oe_platform_sleep_until_ns(uint64_t t); /* waiti until the timer fires (or returns) */
#endif
