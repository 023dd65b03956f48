/* runtime.h — internal interfaces shared by the runtime's subsystems, the assembly stubs
   (runtime/xtensa/stubs.S) and the platform layer. Not for user C code. */
#ifndef OE_RUNTIME_H
#define OE_RUNTIME_H
#include "include/caml/mlvalues.h"
#include "include/caml/memory.h"
#include "include/caml/alloc.h"
#include "include/caml/fail.h"
#include "include/caml/custom.h"
#include "include/caml/callback.h"

/* ---- state shared with generated code and stubs.S (see docs/architecture.md) ---- */
extern value *caml_young_ptr;     /* valid while in C; a14 while in OCaml */
extern value *caml_young_limit;   /* allocation triggers a GC below this */
extern value *caml_young_start, *caml_young_end;
extern value *caml_extern_sp;     /* OCaml sp while in C */
extern value *caml_stack_low, *caml_stack_high, *caml_stack_threshold;
extern value *caml_trapsp;        /* newest trap frame */
extern void *caml_c_sp;           /* C stack pointer of the innermost OCaml activation */
extern intnat caml_globals_count; /* emitted by the compiler (in .rodata) */

/* ---- memory, fixed at link time (symbols defined by the platform linker script / ld
   --defsym) ----
   [_oe_heap_start, _oe_heap_end) is the byte range of RAM reserved for the OCaml stack, the
   minor heap and the major heap. caml_init_gc carves it up, from low to high addresses:
       OCaml stack  [caml_stack_low, caml_stack_high)    _oe_stack_size bytes
       minor heap   [caml_young_start, caml_young_end)   _oe_minor_size bytes
       major heap   [caml_major_start, caml_major_end)   the rest
   The *addresses* of _oe_minor_size/_oe_stack_size (and of _oe_heap_size, unused by the runtime)
   are sizes in bytes. The three ranges are disjoint, so a raw stack address stored on the
   OCaml stack is never mistaken for a heap pointer. */
extern char _oe_heap_start[], _oe_heap_end[];
extern char _oe_heap_size[], _oe_minor_size[], _oe_stack_size[];

/* ---- GC (gc_minor.c, gc_major.c, finalise.c, weak.c, gc_stat.c) ----
   Contract with generated code and stubs.S:
   - Young blocks are allocated downwards with a WHITE header (color bits 0).
   - Roots are: every word of the OCaml stack in [caml_extern_sp, caml_stack_high) (a word is
     followed only if it points into the minor or major heap; ints, code addresses, stack
     addresses are ignored), caml_globals[0 .. caml_globals_count), the local roots chain,
     the global roots, and the runtime's internal tables. Anything live in a register must be
     pushed on the OCaml stack before a GC can run (caml_c_call pushes env; caml_call_gc
     pushes accu and env).
   - Stores of a pointer into a block that may be in the major heap must go through
     caml_modify (or caml_initialize for a block just allocated by caml_alloc_shr); fields of
     young blocks and caml_globals may be written directly.
   - caml_young_limit is normally caml_young_start; the runtime sets it to caml_young_end to
     ask for a collection at the next allocation (generated code must load it from memory at
     each allocation check for this to be timely; correctness does not depend on it). While
     Gc.Memprof samples, it is anywhere in between (memprof.c): reaching it does not always
     mean that a collection is needed.
   - caml_alloc_small_dispatch(bytes) is called by caml_call_gc with the state saved
     (caml_extern_sp, caml_young_ptr) and returns caml_young_ptr: then `bytes` fit above
     caml_young_limit (after a minor collection, or memprof's work). It may run finalisers
     and memprof callbacks (OCaml code) and may raise (Out_of_memory, or an exception
     escaping a callback) through caml_raise. */
extern value *caml_major_start, *caml_major_end;   /* major heap, word range */
void caml_init_gc(void);                    /* uses the linker symbols above */
void caml_init_gc_region(void *start, void *end, uintnat minor_bytes, uintnat stack_bytes);
void caml_minor_collection(void);           /* empties the minor heap (or raises
                                               Out_of_memory if the live young data cannot
                                               be promoted even after a major GC) */
void caml_major_collection(void);           /* full stop-the-world mark and sweep; does NOT
                                               move anything (the minor heap is marked
                                               through, not emptied) */
void caml_full_major(void);                 /* minor + major (+ a second major round so that
                                               finalised values are reclaimed) */
value *caml_alloc_small_dispatch(uintnat bytes); /* called by caml_call_gc: generated code
                                               could not allocate `bytes` (header included)
                                               below caml_young_limit; returns caml_young_ptr,
                                               the block then fits above caml_young_limit */
value *caml_alloc_blocks_dispatch(uintnat bytes, uintnat block_bytes); /* caml_call_gc_blocks:
                                               the same, for equal blocks allocated at once */
void caml_request_minor_gc(void);           /* sets caml_young_limit = caml_young_end */
void caml_request_major_gc(void);           /* major GC at the end of the next minor GC */
void caml_scan_roots(void (*f)(value v, value *p)); /* all roots: stack, globals, local,
                                                       global roots, internal tables */
void caml_scan_root_locations(void (*f)(value *p), int minor); /* same, by location;
                                               minor=1 also includes the values that are only
                                               weak for the major GC (finalisable values) */
void caml_ref_table_add(value *p);          /* remembered set (major field -> young) */
void caml_final_do_calls(void);             /* runs pending finalisers (may raise) */
int caml_is_major(value v);
void caml_darken(value v);                  /* no-op: marking is stop-the-world */
/* Statistics (words are sizeof(value) bytes). */
extern uintnat caml_stat_minor_collections, caml_stat_major_collections;
extern uintnat caml_stat_forced_major_collections, caml_stat_compactions;
extern uintnat caml_peak_heap_bytes, caml_peak_stack_bytes;
extern double caml_stat_minor_words, caml_stat_promoted_words, caml_stat_major_words;
extern uintnat caml_major_heap_words, caml_major_free_words; /* region size, free in it */
extern uintnat caml_major_top_words;  /* part of the region the heap has grown into (the
                                         lowest block ever allocated to the end; Gc.stat) */
extern uintnat caml_space_overhead, caml_verb_gc, caml_custom_major_ratio,
    caml_custom_minor_ratio, caml_custom_minor_max_bsz;
/* ephemerons (weak.c, gc_major.c): layout [link; data; key0; key1; ...], Abstract_tag,
   always in the major heap; an empty slot holds caml_ephe_none. */
#define CAML_EPHE_LINK_OFFSET 0
#define CAML_EPHE_DATA_OFFSET 1
#define CAML_EPHE_FIRST_KEY 2
extern value caml_ephe_none;
extern value caml_ephe_list_head;
/* finalisers (finalise.c), driven by the major GC */
void caml_final_scan_roots(void (*f)(value *p), int minor);
void caml_final_update_first(int (*is_dead)(value v), void (*mark)(value v));
void caml_final_update_last(int (*is_dead)(value v));
void caml_final_reset(void);   /* host tests */
/* named values (startup.c) */
void caml_scan_named_values(void (*f)(value *p));

/* ---- exceptions (fail.c + stubs.S) ---- */
Noreturn void caml_raise_exn_asm(value exn);     /* stubs.S: unwinds from C */
void caml_fatal_uncaught_exception(value exn);   /* prints like ocamlrun, exit 2 */
/* backtraces (backtrace.c): recording on (Printexc.record_backtrace, OCAMLRUNPARAM=b)? */
extern int caml_backtrace_active;
void caml_stash_backtrace_c(value exn);          /* caml_raise: record a raise from C */
void caml_print_exception_backtrace(void);       /* on stderr, like Printexc */
int caml_backtrace_pos(void);
/* up to max raw backtrace slots of the current call stack (C call site first) into *buf
   (malloc'd and grown as needed, *cap entries); returns how many */
intnat caml_oe_collect_callstack(uint32_t **buf, intnat *cap, intnat max);
/* Gc.Memprof (memprof.c): the real return address of a C call whose saved return address
   (caml_c_sp - 16) memprof may have redirected; queued callbacks (Gc primitives) */
uintnat caml_memprof_call_site(uintnat ra);
void caml_memprof_run_pending(void);
void caml_memprof_set_suspended(int s);     /* no sampling nor callbacks while s */
void caml_memprof_discard_marshal(void);
int caml_oe_intern_active(void);
void caml_set_backtrace_pos(int pos);
CAMLprim value caml_record_backtrace(value flag);
Noreturn void caml_fatal_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* caml_local_roots as it was when the innermost OCaml activation was entered from C: caml_raise
   restores it (the C frames between are discarded). Saved/restored by caml_callbackN_exn and
   caml_main; NULL at the outermost level. caml_c_sp == NULL means no OCaml activation is
   running: caml_raise then treats the exception as uncaught. */
extern struct caml__roots_block *caml_entry_local_roots;
char *caml_format_exception(value exn, char *buf, uintnat size); /* "Failure(\"x\")" */

/* ---- startup (startup.c) ---- */
int caml_main(int argc, char **argv);      /* called by the platform's C entry */
void caml_do_exit(int code);               /* at_exit, flush, platform exit */
extern char **caml_argv;
extern int caml_argc;
value caml_start_program(void);            /* stubs.S */
/* stubs.S: runs closure applied to args[0..nargs) on the OCaml stack (below caml_extern_sp);
   returns the result, or Make_exception_result(exn) if an exception escaped. Must save and
   restore caml_c_sp, caml_extern_sp and the trap pointer of the caller. C code calls it only
   through caml_callbackN_exn (callback.c), which also saves caml_local_roots. */
value caml_callback_asm(value closure, intnat nargs, value *args);

/* ---- platform layer (platform/<p>/): the only things the runtime needs from below ----
   Descriptors 0, 1, 2 are the console. Functions that can fail return a negative errno
   value (-ENOENT, ...; the target C library's <errno.h> numbering) on failure. */
intnat oe_platform_write(int fd, const void *buf, uintnat len);  /* bytes written, or -errno */
intnat oe_platform_read(int fd, void *buf, uintnat len);         /* 0 at EOF, or -errno */
/* 1 if reading the console (fd 0) would return at once (data, or end of input), else 0:
   what lets the OS layer poll it instead of blocking every thread */
int oe_platform_input_ready(int fd);
/* Files (QEMU: the host's files through semihosting, paths relative to QEMU's working
   directory; the ESP32: none, open fails with -ENOENT). flags: OE_O_* below. */
#define OE_O_RDONLY 0
#define OE_O_WRONLY 1
#define OE_O_RDWR 2
#define OE_O_ACCMODE 3
#define OE_O_APPEND 4
#define OE_O_CREAT 8
#define OE_O_TRUNC 16
#define OE_O_EXCL 32
#define OE_O_NONBLOCK 64
intnat oe_platform_open(const char *path, int flags, int perm);  /* descriptor, or -errno */
int oe_platform_close(int fd);                                   /* 0, or -errno */
/* whence: 0 SEEK_SET, 1 SEEK_CUR, 2 SEEK_END; returns the new offset, or -errno (-ESPIPE
   for the console) */
int64_t oe_platform_lseek(int fd, int64_t offset, int whence);
Noreturn void oe_platform_exit(int code);
uint64_t oe_platform_time_ns(void);      /* monotonic, from boot */
uint64_t oe_platform_cycles(void);
void oe_platform_sleep_until_ns(uint64_t t); /* waiti until the timer fires (or returns) */
/* GPIO (examples/blink, the OS library's Gpio module). Pins as the chip numbers them; mode:
   0 input, 1 output, 2 input with pull-up, 3 input with pull-down. config returns 0, or -1 for
   a pin that cannot do it. On QEMU the pins are simulated and every output change is logged
   on stderr. */
int oe_gpio_config(int pin, int mode);
void oe_gpio_set(int pin, int level);
int oe_gpio_get(int pin);
#endif
