/* asm.h — an assembler buffer for Xtensa code: labels, branch relaxation, literal pools.

   The code generator appends instructions (already encoded by encode.h, or symbolic
   branches/literal loads); xa_finish lays them out: every conditional branch whose target is
   out of its short range becomes an inverted short branch over a `j`; a `j` out of range
   becomes `l32r a0, =target; jx a0` (a0 is clobbered, which our code allows), a call0 out of
   range `l32r a0, =target; callx0 a0`; literal pools
   are placed at pool boundaries (jumped over) so that every l32r reaches its literal
   (l32r reaches backwards only, at most 256 KB). Literals are deduplicated per pool. */
#ifndef OE_XTENSA_ASM_H
#define OE_XTENSA_ASM_H
#include <stddef.h>
#include <stdint.h>

typedef struct xasm xasm;
typedef int xlabel;

/* Branch conditions: register-register (beq, bne, blt, bge, bltu, bgeu, bany, bnone, ball,
   bnall, bbc, bbs), register-immediate (XC_EQ..XC_GEU only: beqi, bnei, blti, bgei, bltui,
   bgeui; immediates must be encodable as b4const/b4constu or the call aborts), and
   register-zero (XC_EQ, XC_NE, XC_LT, XC_GE: beqz, bnez, bltz, bgez). */
enum xcond { XC_EQ, XC_NE, XC_LT, XC_GE, XC_LTU, XC_GEU, XC_ANY, XC_NONE, XC_ALL, XC_NALL,
             XC_BC, XC_BS };

/* Relocation types we emit (Xtensa ELF numbering). */
enum { XR_32 = 1, XR_SLOT0_OP = 20 };

typedef struct xa_reloc {
    uint32_t offset;       /* in the text section */
    int type;              /* XR_32 (a literal word) or XR_SLOT0_OP (a call0 instruction) */
    const char *sym;       /* external symbol, or NULL: relative to the text section itself */
    int32_t addend;        /* with sym == NULL: the target's offset in the text section */
} xa_reloc;

xasm *xa_new(void);
void xa_free(xasm *a);

xlabel xa_label(xasm *a);               /* a new, unbound label */
void xa_bind(xasm *a, xlabel l);        /* binds l to the current position */

/* Appends one encoded instruction (2 or 3 bytes, length derived from op0). */
void xa_insn(xasm *a, uint32_t bits);

void xa_br(xasm *a, enum xcond c, int s, int t, xlabel l);       /* b<c> as, at, l */
void xa_bri(xasm *a, enum xcond c, int s, int32_t imm, xlabel l);/* b<c>i as, imm, l */
int xa_bri_ok(enum xcond c, int32_t imm);                         /* imm encodable? */
void xa_brz(xasm *a, enum xcond c, int s, xlabel l);             /* b<c>z as, l */
void xa_bbi(xasm *a, int if_set, int s, int bit, xlabel l);      /* bbsi/bbci as, bit, l */
void xa_j(xasm *a, xlabel l);
/* Calls. call0 reaches +-512 KB; a call that may not reach becomes `l32r a0, =target;
   callx0 a0` (6 bytes; a0 holds the return address anyway). For external symbols the
   assembler cannot know the distance: xa_set_extern_bias tells it that they lie at most
   `bias` bytes before the start of this text (the runtime and C libraries are linked before
   the generated code, platform/qemu/common.ld.inc); a call at offset x keeps the short form
   iff x + bias is within call0's reach. Default bias 0; UINT32_MAX / 2 makes every external
   call long. */
void xa_set_extern_bias(xasm *a, uint32_t bias);
void xa_call0(xasm *a, const char *sym);     /* call0 an external symbol (4-aligned target) */
xlabel xa_call0_ret(xasm *a, const char *sym); /* the same; returns a label denoting the
                                                  call's return address (its end, either form) */
void xa_call0_label(xasm *a, xlabel l);      /* call0 a local label (must be 4-aligned) */

void xa_l32r_const(xasm *a, int r, uint32_t v);
void xa_l32r_sym(xasm *a, int r, const char *sym, int32_t addend);  /* r = &sym + addend */
void xa_l32r_label(xasm *a, int r, xlabel l);                       /* r = address of l */
void xa_movi(xasm *a, int r, int32_t v);   /* movi/movi.n when it fits, else l32r */
void xa_addi(xasm *a, int rd, int rs, int32_t v); /* rd = rs + v for any v (uses a0 if needed) */

void xa_pool_boundary(xasm *a);  /* a literal pool may go here */
void xa_align(xasm *a, int n);   /* pad to a multiple of n bytes (4 for call0 targets) */

/* Lays out the code; afterwards the accessors below are valid. */
void xa_finish(xasm *a);
uint32_t xa_label_offset(xasm *a, xlabel l);
const uint8_t *xa_code(xasm *a, size_t *len);
const xa_reloc *xa_relocs(xasm *a, size_t *n);
#endif
