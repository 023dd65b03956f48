/* emit.h — the code generator: bytecode program → Xtensa ELF relocatable object.

   Each bytecode instruction becomes a short sequence of Xtensa instructions using the
   register convention of docs/architecture.md (a2 accu, a12 sp, a13 env, a14 young_ptr,
   a15 extra_args). The object holds .text (code + literal pools), .rodata (static blocks
   decoded from DATA, jump tables) and .data (the global table). */
#ifndef OE_XTENSA_EMIT_H
#define OE_XTENSA_EMIT_H
#include "bytecode.h"

typedef enum xt_cpu {
    XT_CPU_ESP32,   /* LX6: may use quos/quou/rems/remu, min/max, sext, nsau */
    XT_CPU_LX106    /* ESP8266 core: base ISA + density + mull + nsa only */
} xt_cpu;

/* xt_options.flags */
enum {
    XT_F_NO_PRIM_CHECK = 1,  /* tests only: call unknown primitives instead of rejecting them */
    XT_F_NO_DCE = 2,         /* emit every function, even those live code cannot reach */
    XT_F_LONG_CALLS = 4      /* every call to the runtime as l32r + callx0 (any distance) */
};

/* Calls to the runtime (linked before the generated code) use the short call0 (+-512 KB)
   where the call's offset in the generated code plus this bound on the text linked before
   it is within reach, else l32r + callx0. If the bound proves too small (large user C code
   in a unikernel), the link fails with a relocation error and `build` retries with
   XT_F_LONG_CALLS. */
#define XT_EXTERN_TEXT_BOUND (160u * 1024)

typedef struct xt_options {
    xt_cpu cpu;
    unsigned flags;     /* XT_F_* */
    const char *runparam;   /* OCAMLRUNPARAM for the program (string caml_runparam), or NULL */
} xt_options;

/* Compiles prog to the relocatable object out_o: only the functions and constants that the
   dead-code analysis (dce.h) finds reachable, unless XT_F_NO_DCE. Errors (unsupported instruction, unknown
   primitive, out-of-range constant) are diag_fatal naming the program and the pc. */
void xt_compile(const bc_program *prog, const xt_options *opt, const char *out_o);
#endif
