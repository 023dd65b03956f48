/* bytecode.h — reading a stock OCaml bytecode executable (ocamlc output). */
#ifndef OE_BYTECODE_H
#define OE_BYTECODE_H
#include <stddef.h>
#include <stdint.h>
#include "marshal.h"

/* Opcodes of the OCaml 4.13 bytecode instruction set, in their numeric order. */
enum bc_opcode {
    ACC0, ACC1, ACC2, ACC3, ACC4, ACC5, ACC6, ACC7, ACC, PUSH, PUSHACC0, PUSHACC1, PUSHACC2,
    PUSHACC3, PUSHACC4, PUSHACC5, PUSHACC6, PUSHACC7, PUSHACC, POP, ASSIGN, ENVACC1, ENVACC2,
    ENVACC3, ENVACC4, ENVACC, PUSHENVACC1, PUSHENVACC2, PUSHENVACC3, PUSHENVACC4, PUSHENVACC,
    PUSH_RETADDR, APPLY, APPLY1, APPLY2, APPLY3, APPTERM, APPTERM1, APPTERM2, APPTERM3, RETURN,
    RESTART, GRAB, CLOSURE, CLOSUREREC, OFFSETCLOSUREM3, OFFSETCLOSURE0, OFFSETCLOSURE3,
    OFFSETCLOSURE, PUSHOFFSETCLOSUREM3, PUSHOFFSETCLOSURE0, PUSHOFFSETCLOSURE3,
    PUSHOFFSETCLOSURE, GETGLOBAL, PUSHGETGLOBAL, GETGLOBALFIELD, PUSHGETGLOBALFIELD, SETGLOBAL,
    ATOM0, ATOM, PUSHATOM0, PUSHATOM, MAKEBLOCK, MAKEBLOCK1, MAKEBLOCK2, MAKEBLOCK3,
    MAKEFLOATBLOCK, GETFIELD0, GETFIELD1, GETFIELD2, GETFIELD3, GETFIELD, GETFLOATFIELD,
    SETFIELD0, SETFIELD1, SETFIELD2, SETFIELD3, SETFIELD, SETFLOATFIELD, VECTLENGTH, GETVECTITEM,
    SETVECTITEM, GETBYTESCHAR, SETBYTESCHAR, BRANCH, BRANCHIF, BRANCHIFNOT, SWITCH, BOOLNOT,
    PUSHTRAP, POPTRAP, RAISE, CHECK_SIGNALS, C_CALL1, C_CALL2, C_CALL3, C_CALL4, C_CALL5,
    C_CALLN, CONST0, CONST1, CONST2, CONST3, CONSTINT, PUSHCONST0, PUSHCONST1, PUSHCONST2,
    PUSHCONST3, PUSHCONSTINT, NEGINT, ADDINT, SUBINT, MULINT, DIVINT, MODINT, ANDINT, ORINT,
    XORINT, LSLINT, LSRINT, ASRINT, EQ, NEQ, LTINT, LEINT, GTINT, GEINT, OFFSETINT, OFFSETREF,
    ISINT, GETMETHOD, BEQ, BNEQ, BLTINT, BLEINT, BGTINT, BGEINT, ULTINT, UGEINT, BULTINT,
    BUGEINT, GETPUBMET, GETDYNMET, STOP, EVENT, BREAK, RERAISE, RAISE_NOTRACE, GETSTRINGCHAR,
    BC_NUM_OPCODES
};

/* One decoded instruction. Operands are raw 32-bit words of the CODE section; branch operands
   are converted to absolute word indices into code (targets):
     PUSH_RETADDR/BRANCH/BRANCHIF/BRANCHIFNOT/PUSHTRAP: arg[0] = target
     CLOSURE: arg[0] = nvars, arg[1] = target;  BEQ..BUGEINT: arg[0] = constant, arg[1] = target
     SWITCH: arg[0] = sizes word (low 16 bits: int cases, high 16: tag cases), targets[]
     CLOSUREREC: arg[0] = nfuncs, arg[1] = nvars, targets[] = the nfuncs code starts
   Every target is the start of an instruction (insn_at[target] >= 0). */
typedef struct bc_insn {
    uint32_t pc;          /* word index of the opcode in CODE */
    uint16_t op;          /* enum bc_opcode */
    uint16_t nargs;       /* number of operand words (not counting SWITCH/CLOSUREREC tables) */
    int32_t arg[3];       /* operands (branch operands converted to absolute targets) */
    uint32_t *targets;    /* SWITCH: ntargets absolute targets (int cases then tag cases);
                             CLOSUREREC: nfuncs absolute code targets; else NULL */
    uint32_t ntargets;
} bc_insn;

typedef struct bc_section { char name[5]; uint32_t offset, length; } bc_section;

typedef struct bc_program {
    const char *path;
    char magic[13];          /* "Caml1999X030" (4.13) or "Caml1999X031" (4.14) */
    uint32_t *code;          /* CODE, host-endian 32-bit words */
    uint32_t ncode;          /* number of words */
    bc_insn *insns;          /* decoded, in code order */
    uint32_t ninsns;
    int32_t *insn_at;        /* ncode entries: index into insns of the insn starting at that
                                word, or -1 */
    char **prims;            /* PRIM: primitive names */
    uint32_t nprims;
    ml_value data;           /* DATA: the global table, decoded (a block) */
    ml_heap *heap;           /* owns the decoded data */
    bc_section *sections;    /* all sections, in file order (CODE, DATA, PRIM included) */
    uint32_t nsections;
    unsigned char *file;     /* the whole file; section bytes are file + offset */
    size_t file_size;
} bc_program;

/* Reads and validates path; any problem is a diag_fatal with a clear message. */
bc_program *bc_read(const char *path);
void bc_free(bc_program *p);
const char *bc_opcode_name(int op);
/* Number of operand words of op (excluding tables); -1 for SWITCH/CLOSUREREC (variable),
   -2 for a number that is not an opcode. */
int bc_operand_count(int op);
#endif
