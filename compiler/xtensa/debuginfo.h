/* debuginfo.h — the debug information of exception backtraces (ocamlc -g).

   A bytecode executable linked with -g has a DBUG section: per compilation unit, the unit's
   code offset and its list of debug events (Instruct.debug_event), each with a bytecode
   position and a source location. ocamlrun records, when an exception is raised with
   backtraces on, the bytecode pcs it finds on its stack (return addresses, the pc of the
   raising instruction, the pc after the C_CALL of a raising primitive) and maps each one to
   the event at that pc (or at pc + 1).

   The code generator tells this module the native code position of every point that can
   appear in a backtrace (xt_dbg_point: a label bound at the return address of a call, or
   just after the call to the raise stub) together with the pc ocamlrun would have recorded
   there. xt_dbg_emit then writes the table `caml_debug_info` (.rodata) that the runtime
   (runtime/backtrace.c) searches:
     word 0  number of entries n
     word 1  1 if every return point of the program is an entry (the program has debug
             events), 0 if only the entries below matter (no -g: the runtime then accepts any
             code address that looks like a return frame)
     word 2  number of events m
     then n entries of 2 words, sorted by code offset:
             code offset (from caml_code_begin), info = (event index + 1) << 1 | is_raise
             (event index + 1 = 0: no event, an "unknown location")
     then m events of 5 words: file name offset, definition name offset (in the string
             table), line number, start character, end character
     then the string table (NUL-terminated strings).
   is_raise is ocamlrun's test: the bytecode word at the recorded pc is RAISE or RERAISE.
   Without -g the table keeps only the entries whose is_raise is set (frames that ocamlrun
   would not print). */
#ifndef OE_XTENSA_DEBUGINFO_H
#define OE_XTENSA_DEBUGINFO_H
#include "bytecode.h"
#include "elf.h"
#include "xtensa/asm.h"

typedef struct xt_dbg xt_dbg;

/* Decodes prog's DBUG section if it has one (malformed debug information is ignored with a
   warning: the program then gets no locations). */
xt_dbg *xt_dbg_new(const bc_program *prog);
/* Does the program carry debug events (was it linked with -g)? */
int xt_dbg_has_events(const xt_dbg *d);
/* The native position `delta` bytes after label l (bound by the caller) corresponds to
   ocamlrun's recorded pc `pc` (a word index into CODE). For a return address, bind l before
   the call (delta = its size): a label bound after it could denote the code after a literal
   pool placed there. */
void xt_dbg_point(xt_dbg *d, xlabel l, uint32_t delta, uint32_t pc);
/* After xa_finish(a): writes the table into section sec of o (symbol caml_debug_info). */
void xt_dbg_emit(xt_dbg *d, xasm *a, elf_obj *o, int sec);
void xt_dbg_free(xt_dbg *d);

/* For tests: the event ocamlrun would find for pc (-1: none) and its fields. */
int xt_dbg_lookup(const xt_dbg *d, uint32_t pc);
void xt_dbg_event(const xt_dbg *d, int ev, const char **file, const char **defname,
                  int32_t *lnum, int32_t *startchr, int32_t *endchr);
#endif
