/* state.c — the global state shared by the runtime, the assembly stubs and generated code
   (declared in runtime.h), and the table of atoms. */
#include "runtime.h"

value *caml_young_ptr, *caml_young_limit, *caml_young_start, *caml_young_end;
value *caml_extern_sp;
value *caml_stack_low, *caml_stack_high, *caml_stack_threshold;
value *caml_trapsp;
void *caml_c_sp;
struct caml__roots_block *caml_local_roots;
struct caml__roots_block *caml_entry_local_roots;

/* Zero-sized blocks: one black header per tag, in .rodata. Atom(t) points just past entry t;
   the extra last entry keeps Atom(255) inside the object. Atoms are outside both heaps, so
   the GC never looks at them. */
#define ATOM1(t) Make_header(0, (t), Caml_black)
#define ATOM4(t) ATOM1(t), ATOM1((t) + 1), ATOM1((t) + 2), ATOM1((t) + 3)
#define ATOM16(t) ATOM4(t), ATOM4((t) + 4), ATOM4((t) + 8), ATOM4((t) + 12)
#define ATOM64(t) ATOM16(t), ATOM16((t) + 16), ATOM16((t) + 32), ATOM16((t) + 48)
const header_t caml_atom_table[257] = {
    ATOM64(0), ATOM64(64), ATOM64(128), ATOM64(192), 0
};
