/* bytecode.c — reading a stock OCaml bytecode executable (ocamlc output).

   File layout (runtime/caml/exec.h of OCaml 4.13): arbitrary leading bytes (usually a
   "#!.../ocamlrun" line), the sections back to back, a table of contents of one 8-byte
   descriptor per section (4-character name, u32 BE length) in file order, then the trailer
   u32 BE num_sections and the 12-byte magic "Caml1999X0NN". Sections are therefore located
   from the end of the file, and the leading bytes never need parsing.

   CODE is a sequence of little-endian 32-bit words; instructions follow each other without
   gaps. Relative code offsets (verified against runtime/interp.c of 4.13.1):
     PUSH_RETADDR, BRANCH, BRANCHIF, BRANCHIFNOT, PUSHTRAP  ofs     target = word(ofs) + ofs
     CLOSURE nvars ofs                                      target = word(ofs) + ofs
     BEQ..BGEINT, BULTINT, BUGEINT  const ofs               target = word(ofs) + ofs
     CLOSUREREC nfuncs nvars ofs[0..nfuncs-1]               target[i] = word(ofs[0]) + ofs[i]
     SWITCH sizes tab[0..n-1]  (n = (sizes & 0xFFFF) + (sizes >> 16); int cases first)
                                                            target[i] = word(tab[0]) + tab[i]
   where word(x) is the word index of operand x in CODE. */
#include "bytecode.h"
#include "diag.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRAILER_SIZE 16
#define MAGIC_LEN 12

static const char *const opcode_names[BC_NUM_OPCODES] = {
    "ACC0", "ACC1", "ACC2", "ACC3", "ACC4", "ACC5", "ACC6", "ACC7", "ACC", "PUSH", "PUSHACC0",
    "PUSHACC1", "PUSHACC2", "PUSHACC3", "PUSHACC4", "PUSHACC5", "PUSHACC6", "PUSHACC7",
    "PUSHACC", "POP", "ASSIGN", "ENVACC1", "ENVACC2", "ENVACC3", "ENVACC4", "ENVACC",
    "PUSHENVACC1", "PUSHENVACC2", "PUSHENVACC3", "PUSHENVACC4", "PUSHENVACC", "PUSH_RETADDR",
    "APPLY", "APPLY1", "APPLY2", "APPLY3", "APPTERM", "APPTERM1", "APPTERM2", "APPTERM3",
    "RETURN", "RESTART", "GRAB", "CLOSURE", "CLOSUREREC", "OFFSETCLOSUREM3", "OFFSETCLOSURE0",
    "OFFSETCLOSURE3", "OFFSETCLOSURE", "PUSHOFFSETCLOSUREM3", "PUSHOFFSETCLOSURE0",
    "PUSHOFFSETCLOSURE3", "PUSHOFFSETCLOSURE", "GETGLOBAL", "PUSHGETGLOBAL", "GETGLOBALFIELD",
    "PUSHGETGLOBALFIELD", "SETGLOBAL", "ATOM0", "ATOM", "PUSHATOM0", "PUSHATOM", "MAKEBLOCK",
    "MAKEBLOCK1", "MAKEBLOCK2", "MAKEBLOCK3", "MAKEFLOATBLOCK", "GETFIELD0", "GETFIELD1",
    "GETFIELD2", "GETFIELD3", "GETFIELD", "GETFLOATFIELD", "SETFIELD0", "SETFIELD1",
    "SETFIELD2", "SETFIELD3", "SETFIELD", "SETFLOATFIELD", "VECTLENGTH", "GETVECTITEM",
    "SETVECTITEM", "GETBYTESCHAR", "SETBYTESCHAR", "BRANCH", "BRANCHIF", "BRANCHIFNOT",
    "SWITCH", "BOOLNOT", "PUSHTRAP", "POPTRAP", "RAISE", "CHECK_SIGNALS", "C_CALL1", "C_CALL2",
    "C_CALL3", "C_CALL4", "C_CALL5", "C_CALLN", "CONST0", "CONST1", "CONST2", "CONST3",
    "CONSTINT", "PUSHCONST0", "PUSHCONST1", "PUSHCONST2", "PUSHCONST3", "PUSHCONSTINT",
    "NEGINT", "ADDINT", "SUBINT", "MULINT", "DIVINT", "MODINT", "ANDINT", "ORINT", "XORINT",
    "LSLINT", "LSRINT", "ASRINT", "EQ", "NEQ", "LTINT", "LEINT", "GTINT", "GEINT", "OFFSETINT",
    "OFFSETREF", "ISINT", "GETMETHOD", "BEQ", "BNEQ", "BLTINT", "BLEINT", "BGTINT", "BGEINT",
    "ULTINT", "UGEINT", "BULTINT", "BUGEINT", "GETPUBMET", "GETDYNMET", "STOP", "EVENT",
    "BREAK", "RERAISE", "RAISE_NOTRACE", "GETSTRINGCHAR",
};

const char *bc_opcode_name(int op)
{
    if (op < 0 || op >= BC_NUM_OPCODES) return "<unknown opcode>";
    return opcode_names[op];
}

int bc_operand_count(int op)
{
    switch (op) {
    case SWITCH: case CLOSUREREC:
        return -1;
    case ACC: case PUSHACC: case POP: case ASSIGN: case ENVACC: case PUSHENVACC:
    case PUSH_RETADDR: case APPLY: case APPTERM1: case APPTERM2: case APPTERM3: case RETURN:
    case GRAB: case OFFSETCLOSURE: case PUSHOFFSETCLOSURE: case GETGLOBAL: case PUSHGETGLOBAL:
    case SETGLOBAL: case ATOM: case PUSHATOM: case MAKEBLOCK1: case MAKEBLOCK2: case MAKEBLOCK3:
    case MAKEFLOATBLOCK: case GETFIELD: case GETFLOATFIELD: case SETFIELD: case SETFLOATFIELD:
    case BRANCH: case BRANCHIF: case BRANCHIFNOT: case PUSHTRAP:
    case C_CALL1: case C_CALL2: case C_CALL3: case C_CALL4: case C_CALL5:
    case CONSTINT: case PUSHCONSTINT: case OFFSETINT: case OFFSETREF:
        return 1;
    case APPTERM: case CLOSURE: case GETGLOBALFIELD: case PUSHGETGLOBALFIELD: case MAKEBLOCK:
    case C_CALLN: case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT:
    case BULTINT: case BUGEINT: case GETPUBMET:
        return 2;
    default:
        return (op >= 0 && op < BC_NUM_OPCODES) ? 0 : -2;   /* -2: not an opcode */
    }
}

/* Index in arg[] of the operand that is a relative code offset, or -1. */
static int branch_operand(int op)
{
    switch (op) {
    case PUSH_RETADDR: case BRANCH: case BRANCHIF: case BRANCHIFNOT: case PUSHTRAP:
        return 0;
    case CLOSURE: case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT:
    case BULTINT: case BUGEINT:
        return 1;
    default:
        return -1;
    }
}

/* ---- magic numbers ---- */

static const struct { const char *magic, *version; } known_magics[] = {
    { "Caml1999X008", "3.10/3.11" }, { "Caml1999X011", "4.00 to 4.06" },
    { "Caml1999X023", "4.07" }, { "Caml1999X025", "4.08" }, { "Caml1999X026", "4.09" },
    { "Caml1999X027", "4.10" }, { "Caml1999X028", "4.11" }, { "Caml1999X029", "4.12" },
    { "Caml1999X030", "4.13" }, { "Caml1999X031", "4.14" }, { "Caml1999X032", "5.0" },
    { "Caml1999X033", "5.1" }, { "Caml1999X034", "5.2" }, { "Caml1999X035", "5.3" },
};

static int magic_supported(const char *m)
{
    /* 4.14 uses the same instruction set, section layout and marshal format as 4.13. */
    return !strcmp(m, "Caml1999X030") || !strcmp(m, "Caml1999X031");
}

static const char *magic_version(const char *m)
{
    for (size_t i = 0; i < sizeof known_magics / sizeof known_magics[0]; i++)
        if (!strcmp(known_magics[i].magic, m)) return known_magics[i].version;
    return NULL;
}

static void printable(char *dst, const unsigned char *src, size_t n)
{
    for (size_t i = 0; i < n; i++) dst[i] = (src[i] >= 32 && src[i] < 127) ? (char)src[i] : '?';
    dst[n] = 0;
}

static const char *object_kind(char k)
{
    switch (k) {
    case 'I': return "a compiled interface (.cmi)";
    case 'O': return "a bytecode object file (.cmo)";
    case 'A': return "a bytecode library (.cma)";
    case 'Y': case 'y': return "a native object description (.cmx)";
    case 'Z': case 'z': return "a native library description (.cmxa)";
    case 'T': return "a typed tree (.cmt/.cmti)";
    case 'M': case 'N': return "a marshalled syntax tree";
    case 'D': return "a native plugin (.cmxs)";
    default: return "an OCaml compiled file";
    }
}

/* Called when the trailer is not a bytecode trailer: explain what the file looks like. */
_Noreturn static void not_bytecode(const char *path, const unsigned char *f, size_t n)
{
    if (n == 0) diag_fatal(path, "empty file, not an OCaml bytecode executable");
    if (n >= 4 && f[0] == 0x7f && f[1] == 'E' && f[2] == 'L' && f[3] == 'F')
        diag_fatal(path, "an ELF file (native executable or object?), not an OCaml bytecode "
                   "executable; compile with ocamlc, not ocamlopt");
    if (n >= MAGIC_LEN && !memcmp(f, "Caml1999", 8))
        diag_fatal(path, "%s, not an OCaml bytecode executable; link it with ocamlc",
                   object_kind((char)f[8]));
    if (n >= 2 && f[0] == '#' && f[1] == '!') {
        size_t e = 0;
        while (e < n && e < 512 && f[e] != '\n') e++;
        int runtime = 0;
        for (size_t i = 0; i + 8 <= e && !runtime; i++) runtime = !memcmp(f + i, "ocamlrun", 8);
        if (runtime)
            diag_fatal(path, "truncated OCaml bytecode executable (%zu bytes; no "
                       "Caml1999X trailer at the end)", n);
    }
    if (n < TRAILER_SIZE)
        diag_fatal(path, "not an OCaml bytecode executable (only %zu bytes)", n);
    diag_fatal(path, "not an OCaml bytecode executable (no Caml1999X magic number at the end "
               "of the file)");
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) diag_fatal(path, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) buf = xrealloc(buf, cap *= 2);
        size_t k = fread(buf + n, 1, cap - n, fp);
        n += k;
        if (k == 0) break;
    }
    if (ferror(fp)) diag_fatal(path, "read error: %s", strerror(errno));
    fclose(fp);
    *len = n;
    return buf;
}

static const bc_section *find_section(const bc_program *p, const char *name)
{
    const bc_section *found = NULL;
    for (uint32_t i = 0; i < p->nsections; i++)
        if (!strcmp(p->sections[i].name, name)) {
            if (found) diag_fatal(p->path, "section %s appears twice", name);
            found = &p->sections[i];
        }
    return found;
}

static void read_sections(bc_program *p, const unsigned char *f, size_t n)
{
    if (n < TRAILER_SIZE) not_bytecode(p->path, f, n);
    const unsigned char *tr = f + n - TRAILER_SIZE;
    const unsigned char *m = tr + 4;
    if (memcmp(m, "Caml1999X", 9)) not_bytecode(p->path, f, n);
    memcpy(p->magic, m, MAGIC_LEN);
    p->magic[MAGIC_LEN] = 0;
    if (!magic_supported(p->magic)) {
        char shown[MAGIC_LEN + 1];
        printable(shown, m, MAGIC_LEN);
        const char *v = magic_version(shown);
        if (v)
            diag_fatal(p->path, "bytecode executable of OCaml %s (magic %s); only OCaml 4.13 "
                       "(Caml1999X030) and 4.14 (Caml1999X031) are supported", v, shown);
        diag_fatal(p->path, "bytecode executable with unknown magic %s (not from a known OCaml "
                   "release); only OCaml 4.13 (Caml1999X030) and 4.14 (Caml1999X031) are "
                   "supported", shown);
    }
    uint32_t ns = be32(tr);
    size_t avail = n - TRAILER_SIZE;
    if (ns == 0 || ns > avail / 8)
        diag_fatal(p->path, "corrupt bytecode trailer: %u sections do not fit in %zu bytes "
                   "(truncated file?)", ns, n);
    const unsigned char *toc = tr - (size_t)ns * 8;
    size_t end = (size_t)(toc - f);   /* sections end here */
    p->nsections = ns;
    p->sections = xcalloc(ns, sizeof *p->sections);
    /* lay sections out backwards from the table of contents */
    for (uint32_t k = ns; k-- > 0;) {
        bc_section *s = &p->sections[k];
        memcpy(s->name, toc + 8 * k, 4);
        s->name[4] = 0;
        for (int c = 0; c < 4; c++)
            if (s->name[c] < 32 || s->name[c] > 126) s->name[c] = '?';
        uint32_t len = be32(toc + 8 * k + 4);
        if (len > end)
            diag_fatal(p->path, "corrupt bytecode file: section %s (%u bytes) extends before "
                       "the start of the file (truncated file?)", s->name, len);
        end -= len;
        s->offset = (uint32_t)end;
        s->length = len;
    }
}

static void read_prims(bc_program *p, const unsigned char *f)
{
    const bc_section *s = find_section(p, "PRIM");
    if (!s || s->length == 0) return;
    const unsigned char *b = f + s->offset;
    if (b[s->length - 1] != 0)
        diag_fatal(p->path, "corrupt PRIM section: last primitive name not NUL-terminated");
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->length; i++) n += b[i] == 0;
    p->prims = xcalloc(n, sizeof *p->prims);
    uint32_t i = 0;
    while (i < s->length) {
        size_t l = strlen((const char *)b + i);
        if (l == 0) diag_fatal(p->path, "corrupt PRIM section: empty primitive name at byte %u", i);
        p->prims[p->nprims++] = xstrdup((const char *)b + i);
        i += (uint32_t)l + 1;
    }
}

_Noreturn __attribute__((format(printf, 3, 4)))
static void code_error(const bc_program *p, uint32_t pc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_fatal(p->path, "CODE word %u: %s", pc, msg);
}

/* word index of a relative offset operand + the offset; fatal if outside CODE */
static uint32_t abs_target(const bc_program *p, uint32_t pc, int op, uint32_t base, int32_t ofs)
{
    int64_t t = (int64_t)base + ofs;
    if (t < 0 || t >= (int64_t)p->ncode)
        code_error(p, pc, "%s branch target %lld outside CODE (%u words)", bc_opcode_name(op),
                   (long long)t, p->ncode);
    return (uint32_t)t;
}

static void check_target(const bc_program *p, const bc_insn *in, uint32_t t)
{
    if (p->insn_at[t] < 0)
        code_error(p, in->pc, "%s branch target %u is not the start of an instruction",
                   bc_opcode_name(in->op), t);
}

static void decode_code(bc_program *p)
{
    uint32_t n = p->ncode;
    const uint32_t *c = p->code;
    p->insns = xcalloc(n ? n : 1, sizeof *p->insns);
    p->insn_at = xmalloc((n ? n : 1) * sizeof *p->insn_at);
    for (uint32_t i = 0; i < n; i++) p->insn_at[i] = -1;
    uint32_t globals = (!p->data.is_int && p->data.b && p->data.b->kind == ML_BLOCK)
                       ? p->data.b->size : 0;

    /* pass 1: split into instructions, raw operands */
    uint32_t pc = 0;
    while (pc < n) {
        uint32_t opw = c[pc];
        if (opw >= BC_NUM_OPCODES) code_error(p, pc, "unknown opcode %u", opw);
        bc_insn *in = &p->insns[p->ninsns];
        in->pc = pc;
        in->op = (uint16_t)opw;
        const char *name = bc_opcode_name((int)opw);
        uint32_t left = n - pc - 1;            /* words after the opcode */
        int na = bc_operand_count((int)opw);
        uint32_t len;
        if (na >= 0) {
            if ((uint32_t)na > left)
                code_error(p, pc, "%s needs %d operand word(s), only %u left in CODE", name,
                           na, left);
            in->nargs = (uint16_t)na;
            for (int k = 0; k < na; k++) in->arg[k] = (int32_t)c[pc + 1 + k];
            len = 1 + (uint32_t)na;
        } else if (opw == SWITCH) {
            if (left < 1) code_error(p, pc, "SWITCH without its size word");
            uint32_t sizes = c[pc + 1];
            uint32_t nt = (sizes & 0xFFFF) + (sizes >> 16);
            if (nt > left - 1)
                code_error(p, pc, "SWITCH table of %u entries (%u int + %u tag cases) runs past "
                           "the end of CODE", nt, sizes & 0xFFFF, sizes >> 16);
            in->nargs = 1;
            in->arg[0] = (int32_t)sizes;
            in->ntargets = nt;
            in->targets = xmalloc((nt ? nt : 1) * sizeof *in->targets);
            uint32_t base = pc + 2;
            for (uint32_t k = 0; k < nt; k++)
                in->targets[k] = abs_target(p, pc, SWITCH, base, (int32_t)c[base + k]);
            len = 2 + nt;
        } else { /* CLOSUREREC */
            if (left < 2) code_error(p, pc, "CLOSUREREC needs nfuncs and nvars operands");
            uint32_t nf = c[pc + 1];
            if (nf == 0) code_error(p, pc, "CLOSUREREC with 0 functions");
            if (nf > left - 2)
                code_error(p, pc, "CLOSUREREC offset table of %u entries runs past the end of "
                           "CODE", nf);
            in->nargs = 2;
            in->arg[0] = (int32_t)nf;
            in->arg[1] = (int32_t)c[pc + 2];
            in->ntargets = nf;
            in->targets = xmalloc(nf * sizeof *in->targets);
            uint32_t base = pc + 3;
            for (uint32_t k = 0; k < nf; k++)
                in->targets[k] = abs_target(p, pc, CLOSUREREC, base, (int32_t)c[base + k]);
            len = 3 + nf;
        }
        int bo = branch_operand((int)opw);
        if (bo >= 0)
            in->arg[bo] = (int32_t)abs_target(p, pc, (int)opw, pc + 1 + (uint32_t)bo, in->arg[bo]);
        p->insn_at[pc] = (int32_t)p->ninsns++;
        pc += len;
    }

    /* pass 2: targets on instruction starts, primitive and global indices */
    for (uint32_t i = 0; i < p->ninsns; i++) {
        bc_insn *in = &p->insns[i];
        const char *name = bc_opcode_name(in->op);
        int bo = branch_operand(in->op);
        if (bo >= 0) check_target(p, in, (uint32_t)in->arg[bo]);
        for (uint32_t k = 0; k < in->ntargets; k++) check_target(p, in, in->targets[k]);
        switch (in->op) {
        case C_CALL1: case C_CALL2: case C_CALL3: case C_CALL4: case C_CALL5: case C_CALLN: {
            uint32_t prim = (uint32_t)in->arg[in->op == C_CALLN ? 1 : 0];
            if (prim >= p->nprims)
                code_error(p, in->pc, "%s primitive index %u out of range (PRIM has %u names)",
                           name, prim, p->nprims);
            if (in->op == C_CALLN && in->arg[0] < 1)
                code_error(p, in->pc, "C_CALLN with %d arguments", in->arg[0]);
            break;
        }
        case GETGLOBAL: case PUSHGETGLOBAL: case SETGLOBAL: case GETGLOBALFIELD:
        case PUSHGETGLOBALFIELD:
            if ((uint32_t)in->arg[0] >= globals)
                code_error(p, in->pc, "%s global index %u out of range (DATA has %u globals)",
                           name, (uint32_t)in->arg[0], globals);
            break;
        default:
            break;
        }
    }
    p->insns = xrealloc(p->insns, (p->ninsns ? p->ninsns : 1) * sizeof *p->insns);
}

bc_program *bc_read(const char *path)
{
    bc_program *p = xcalloc(1, sizeof *p);
    p->path = xstrdup(path);
    size_t n;
    unsigned char *f = read_file(path, &n);
    p->file = f;
    p->file_size = n;
    read_sections(p, f, n);

    const bc_section *code = find_section(p, "CODE");
    const bc_section *data = find_section(p, "DATA");
    if (!code) diag_fatal(path, "bytecode executable without a CODE section");
    if (!data) diag_fatal(path, "bytecode executable without a DATA section");
    if (code->length % 4)
        diag_fatal(path, "CODE section length %u is not a multiple of 4", code->length);
    p->ncode = code->length / 4;
    p->code = xmalloc((p->ncode ? p->ncode : 1) * sizeof *p->code);
    for (uint32_t i = 0; i < p->ncode; i++) {
        const unsigned char *w = f + code->offset + 4 * i;
        p->code[i] = (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16
                     | (uint32_t)w[3] << 24;
    }
    read_prims(p, f);

    char where[1024];
    snprintf(where, sizeof where, "%s: DATA section", path);
    p->data = ml_unmarshal(f + data->offset, data->length, where, &p->heap);
    if (p->data.is_int || p->data.b->kind != ML_BLOCK)
        diag_fatal(path, "DATA section does not hold the global table (a block)");

    decode_code(p);
    return p;
}

void bc_free(bc_program *p)
{
    if (!p) return;
    for (uint32_t i = 0; i < p->ninsns; i++) free(p->insns[i].targets);
    free(p->insns);
    free(p->insn_at);
    free(p->code);
    for (uint32_t i = 0; i < p->nprims; i++) free(p->prims[i]);
    free(p->prims);
    ml_heap_free(p->heap);
    free(p->sections);
    free(p->file);
    free((char *)p->path);
    free(p);
}
