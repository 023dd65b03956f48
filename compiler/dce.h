/* dce.h — dead-code elimination: which functions and global constants a program can use.

   ocamlc links whole compilation units; this analysis finds the functions (closure code
   regions) that live code can ever call, so that the code generator emits only those, and
   the global-table constants that live code reads. See dce.c for the design and the
   soundness argument. When the analysis meets anything it does not understand it gives up
   and declares everything live (info->fallback says why): a missed function would be a
   silently wrong program. */
#ifndef OE_DCE_H
#define OE_DCE_H
#include "bytecode.h"

typedef struct dce_info {
    uint8_t *live;          /* per instruction index: emit it (all 1 on fallback) */
    uint8_t *global_read;   /* per global: read by live code or the runtime (all 1 on fallback) */
    uint8_t *blk_unsafe;    /* per instruction index: a MAKEBLOCK whose blocks may be written
                               after their creation, by live code or by code the analysis does
                               not follow (they escaped); all 1 on fallback */
    uint32_t nglobals;
    uint32_t nfuncs, nlive_funcs;   /* closure code regions (plus the init code) */
    uint32_t ninsns, nlive_insns;
    const char *fallback;   /* NULL, or why the analysis gave up (everything is live) */
} dce_info;

/* Analyses prog. Never fails: on anything unexpected the result keeps everything. */
dce_info *dce_analyse(const bc_program *prog);
/* Everything live (for --no-dce). */
dce_info *dce_all_live(const bc_program *prog);
void dce_free(dce_info *d);
#endif
