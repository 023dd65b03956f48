/* known.h — statically known closures, for direct calls.

   Inside the body of a function created by CLOSURE / CLOSUREREC, env is that function's
   closure, so OFFSETCLOSURE k designates a known sibling of the same CLOSUREREC group; an
   APPLY / APPTERM of exactly the callee's arity can then jump straight to its body. */
#ifndef OE_XTENSA_KNOWN_H
#define OE_XTENSA_KNOWN_H
#include "bytecode.h"
#include <stdint.h>

typedef struct xt_known xt_known;

xt_known *xt_known_new(const bc_program *p);
void xt_known_free(xt_known *k);

/* The entry instruction index of the function whose closure is env + ofs_words when
   instruction i runs (env being the closure of i's function), or -1 if unknown. */
int32_t xt_known_offsetclosure(const xt_known *k, uint32_t i, int32_t ofs_words);

/* Arity of the function entered at instruction `entry` (GRAB n: n + 1, else 1), and *body =
   the instruction where an exact application continues (after the GRAB); -1 if unsure. */
int32_t xt_known_arity(const xt_known *k, int32_t entry, uint32_t *body);
#endif
