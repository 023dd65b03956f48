/* callees.h — which function does an application certainly call? (for direct calls)

   A must-analysis over the live code (dce.h): at APPLY / APPTERM instruction i, is the
   applied value always a closure of one function f, whatever path led there? Closures are
   known from CLOSURE / CLOSUREREC / OFFSETCLOSURE, through the environment they were
   captured into, the stack, function results, and the fields of blocks that are never
   written after their creation (dce_info.blk_unsafe), such as module blocks stored by
   SETGLOBAL: a call to a function of another module (GETGLOBALFIELD) or of an enclosing
   scope (ENVACC) is then direct. See callees.c for the rules and why they are sound. */
#ifndef OE_CALLEES_H
#define OE_CALLEES_H
#include "bytecode.h"
#include "dce.h"

typedef struct callees callees;

/* Never fails: when the analysis meets anything unexpected, no callee is known. */
callees *callees_analyse(const bc_program *p, const dce_info *d);
void callees_free(callees *k);

/* For APPLY* / APPTERM* at instruction i: the entry instruction index of the function it
   certainly applies, else -1. */
int32_t callees_at(const callees *k, uint32_t i);

/* Arity of the function entered at instruction `entry` (GRAB n: n + 1, else 1), and *body =
   the instruction where an exact application continues (after the GRAB); -1 if unsure. */
int32_t callees_arity(const bc_program *p, int32_t entry, uint32_t *body);

/* Number of applications with a known callee (statistics). */
uint32_t callees_count(const callees *k);
#endif
