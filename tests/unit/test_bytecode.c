/* test_bytecode.c — the bytecode executable reader (compiler/bytecode.c).

   Compiles OCaml programs with the host ocamlc in a temporary directory, reads them, and checks
   the result against an OCaml script that parses the same file independently (sections, DATA
   size via input_value, PRIM count). Checks the decoding invariants (every word covered, all
   branch targets on instruction starts, the operand conventions: a PUSH_RETADDR target follows
   an APPLY, a closure target that is a GRAB follows a RESTART). Bad files (not bytecode,
   truncated, wrong magic, corrupted CODE) are read in forked children that must exit with
   status 1 and a one-line message. */
#include "bytecode.h"
#include "diag.h"
#include "testlib.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


static char tmpdir[256];

static const char *prog1_ml =
"type t = A | B of int | C of string | D of float * float | E\n"
"exception My of int\n"
"let rec even n = n = 0 || odd (n - 1) and odd n = n <> 0 && even (n - 1)\n"
"class counter = object val mutable n = 0 method incr = n <- n + 1; n method get = n end\n"
"let f x = match x with A -> 1 | B n -> n | C s -> String.length s\n"
"  | D (a, b) -> int_of_float (a +. b) | E -> 5\n"
"let g = function 0 -> \"zero\" | 1 -> \"one\" | 2 -> \"two\" | 3 -> \"three\" | _ -> \"many\"\n"
"let add3 a b c = a + b + c\n"
"let () =\n"
"  let c = new counter in ignore (c#incr);\n"
"  let l = List.map f [A; B 3; C \"abc\"; D (1., 2.); E] in\n"
"  let p = add3 1 in\n"
"  Printf.printf \"%d %b %s %d %d\\n\" (List.fold_left (+) 0 l) (even 10) (g 2) c#get (p 2 3);\n"
"  (try raise (My 3) with My n -> print_int n);\n"
"  let r = ref 0 in for i = 0 to 10 do r := !r + i done;\n"
"  let h = Hashtbl.create 10 in Hashtbl.add h \"a\" !r; print_int (Hashtbl.find h \"a\");\n"
"  if !r > 3 && !r < 100 then print_newline ()\n";

static const char *prog2_ml = "let () = print_endline \"hello\"\n";

static const char *info_ml =
"let () =\n"
"  let ic = open_in_bin Sys.argv.(1) in\n"
"  let len = in_channel_length ic in\n"
"  seek_in ic (len - 16);\n"
"  let ns = input_binary_int ic in\n"
"  let magic = really_input_string ic 12 in\n"
"  seek_in ic (len - 16 - 8 * ns);\n"
"  let secs = List.init ns (fun _ ->\n"
"    let n = really_input_string ic 4 in let l = input_binary_int ic in (n, l)) in\n"
"  let total = List.fold_left (fun a (_, l) -> a + l) 0 secs in\n"
"  let pos = ref (len - 16 - 8 * ns - total) in\n"
"  let offs = List.map (fun (n, l) -> let o = !pos in pos := !pos + l; (n, o, l)) secs in\n"
"  Printf.printf \"%s %d\\n\" magic ns;\n"
"  List.iter (fun (n, o, l) -> Printf.printf \"%s %d %d\\n\" n o l) offs;\n"
"  let (_, o, _) = List.find (fun (n, _, _) -> n = \"DATA\") offs in\n"
"  seek_in ic o;\n"
"  let v : Obj.t = input_value ic in\n"
"  Printf.printf \"globals %d\\n\" (Obj.size v);\n"
"  let (_, o, l) = List.find (fun (n, _, _) -> n = \"PRIM\") offs in\n"
"  seek_in ic o;\n"
"  let s = really_input_string ic l in\n"
"  Printf.printf \"prims %d\\n\" (List.length (String.split_on_char '\\000' s) - 1)\n";

static void write_file(const char *name, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) { perror(path); exit(2); }
    fclose(f);
}

static char *tpath(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* ---- checks on a good program ---- */

static int insn_len(const bc_insn *in)
{
    if (in->op == SWITCH) return 2 + (int)in->ntargets;
    if (in->op == CLOSUREREC) return 3 + (int)in->ntargets;
    return 1 + bc_operand_count(in->op);
}

static int is_branch1(int op)
{
    return op == PUSH_RETADDR || op == BRANCH || op == BRANCHIF || op == BRANCHIFNOT ||
           op == PUSHTRAP;
}
static int is_branch2(int op)
{
    return op == CLOSURE || op == BEQ || op == BNEQ || op == BLTINT || op == BLEINT ||
           op == BGTINT || op == BGEINT || op == BULTINT || op == BUGEINT;
}

static int has_prim(const bc_program *p, const char *name)
{
    for (uint32_t i = 0; i < p->nprims; i++)
        if (!strcmp(p->prims[i], name)) return 1;
    return 0;
}

static void check_program(const char *name, int expect_closurerec2)
{
    bc_program *p = bc_read(tpath(name));
    check(!strcmp(p->magic, "Caml1999X030"), "%s: magic %s", name, p->magic);

    /* independent view from OCaml */
    char cmd_out[64];
    snprintf(cmd_out, sizeof cmd_out, "%s.info", name);
    if (sh("cd %s && ocaml info.ml %s > %s 2>&1", tmpdir, name, cmd_out)) {
        check(0, "%s: info.ml failed", name);
    } else {
        FILE *f = fopen(tpath(cmd_out), "r");
        char magic[32];
        unsigned ns = 0;
        if (fscanf(f, "%31s %u", magic, &ns) != 2) ns = 0;
        check(!strcmp(magic, p->magic) && ns == p->nsections, "%s: OCaml sees %s with %u "
              "sections, we %s with %u", name, magic, ns, p->magic, p->nsections);
        for (unsigned i = 0; i < ns && i < p->nsections; i++) {
            char sn[8];
            unsigned off, len;
            if (fscanf(f, "%7s %u %u", sn, &off, &len) != 3) { check(0, "info parse"); break; }
            const bc_section *s = &p->sections[i];
            check(!strcmp(sn, s->name) && off == s->offset && len == s->length,
                  "%s: section %u: OCaml %s@%u+%u, we %s@%u+%u", name, i, sn, off, len, s->name,
                  s->offset, s->length);
            if (!strcmp(sn, "CODE"))
                check(len / 4 == p->ncode, "%s: ncode %u vs %u", name, p->ncode, len / 4);
        }
        unsigned globals = 0, nprims = 0;
        if (fscanf(f, " globals %u prims %u", &globals, &nprims) != 2) check(0, "info parse 2");
        check(!p->data.is_int && p->data.b->kind == ML_BLOCK && p->data.b->size == globals,
              "%s: DATA has %u globals, OCaml says %u", name,
              p->data.is_int ? 0 : p->data.b->size, globals);
        check(p->nprims == nprims, "%s: %u prims, OCaml says %u", name, p->nprims, nprims);
        fclose(f);
    }

    check(has_prim(p, "caml_ml_output") && has_prim(p, "caml_register_named_value"),
          "%s: PRIM lacks caml_ml_output/caml_register_named_value", name);

    /* coverage and insn_at */
    uint32_t pc = 0, starts = 0;
    int cover_ok = 1, at_ok = 1;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        if (in->pc != pc || in->op >= BC_NUM_OPCODES) cover_ok = 0;
        if (p->insn_at[in->pc] != (int32_t)i) at_ok = 0;
        pc += (uint32_t)insn_len(in);
    }
    for (uint32_t w = 0; w < p->ncode; w++) starts += p->insn_at[w] >= 0;
    check(cover_ok && pc == p->ncode, "%s: instructions do not tile CODE (%u of %u words)",
          name, pc, p->ncode);
    check(at_ok && starts == p->ninsns, "%s: insn_at inconsistent", name);
    check(p->ninsns > 100 && p->insns[p->ninsns - 1].op == STOP, "%s: %u insns, last %s", name,
          p->ninsns, p->ninsns ? bc_opcode_name(p->insns[p->ninsns - 1].op) : "-");

    /* targets and conventions */
    int bad_target = 0, bad_retaddr = 0, bad_grab = 0, nswitch = 0, nrec2 = 0, nretaddr = 0;
    int ngrab_targets = 0, nccall = 0, bad_prim = 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        uint32_t tg[1024];
        uint32_t nt = 0;
        if (is_branch1(in->op)) tg[nt++] = (uint32_t)in->arg[0];
        if (is_branch2(in->op)) tg[nt++] = (uint32_t)in->arg[1];
        for (uint32_t k = 0; k < in->ntargets && nt < 1024; k++) tg[nt++] = in->targets[k];
        if (in->op == SWITCH) {
            nswitch++;
            uint32_t sz = (uint32_t)in->arg[0];
            if (in->ntargets != (sz & 0xFFFF) + (sz >> 16)) bad_target++;
        }
        if (in->op == CLOSUREREC && in->arg[0] >= 2 && in->ntargets == (uint32_t)in->arg[0])
            nrec2++;
        for (uint32_t k = 0; k < nt; k++) {
            if (tg[k] >= p->ncode || p->insn_at[tg[k]] < 0) { bad_target++; continue; }
            int32_t ti = p->insn_at[tg[k]];
            if (in->op == PUSH_RETADDR) {
                nretaddr++;
                if (ti == 0 || p->insns[ti - 1].op != APPLY) bad_retaddr++;
            }
            if ((in->op == CLOSURE || in->op == CLOSUREREC) && p->insns[ti].op == GRAB) {
                ngrab_targets++;
                if (ti == 0 || p->insns[ti - 1].op != RESTART) bad_grab++;
            }
        }
        if (in->op >= C_CALL1 && in->op <= C_CALLN) {
            nccall++;
            if ((uint32_t)in->arg[in->op == C_CALLN ? 1 : 0] >= p->nprims) bad_prim++;
        }
    }
    check(bad_target == 0, "%s: %d bad branch targets", name, bad_target);
    check(nretaddr > 0 && bad_retaddr == 0, "%s: %d of %d PUSH_RETADDR targets not after APPLY",
          name, bad_retaddr, nretaddr);
    check(ngrab_targets > 0 && bad_grab == 0, "%s: %d of %d GRAB closure targets not after "
          "RESTART", name, bad_grab, ngrab_targets);
    check(nswitch > 0, "%s: no SWITCH decoded", name);
    check(nccall > 0 && bad_prim == 0, "%s: C calls %d, bad prim %d", name, nccall, bad_prim);
    if (expect_closurerec2) check(nrec2 > 0, "%s: no CLOSUREREC with 2+ functions", name);
    bc_free(p);
}

/* ---- failures, in a child ---- */

static int run_child(const char *path, char *err, size_t errsz)
{
    int fd[2];
    if (pipe(fd)) { perror("pipe"); exit(2); }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        bc_program *p = bc_read(path);
        bc_free(p);
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while (n < errsz - 1 && (k = read(fd[0], err + n, errsz - 1 - n)) > 0) n += (size_t)k;
    err[n] = 0;
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* bc_read(path) must fail with one line containing every given substring (NULL-terminated). */
static void expect_fail(const char *path, const char *what, ...)
{
    char err[4096];
    int st = run_child(path, err, sizeof err);
    int ok = st == 1, lines = 0;
    char prefix[600];
    snprintf(prefix, sizeof prefix, "ocaml-esp32: error: %s: ", path);
    if (strncmp(err, prefix, strlen(prefix))) ok = 0;
    for (char *q = err; *q; q++) lines += *q == '\n';
    if (lines != 1) ok = 0;
    va_list ap;
    va_start(ap, what);
    const char *s;
    while ((s = va_arg(ap, const char *)))
        if (!strstr(err, s)) ok = 0;
    va_end(ap);
    check(ok, "%s: status %d, message: %s", what, st, err);
}

static void expect_ok(const char *path, const char *what)
{
    char err[4096];
    int st = run_child(path, err, sizeof err);
    check(st == 0 && !err[0], "%s: status %d: %s", what, st, err);
}

static unsigned char *orig;
static size_t orig_len;

static void put_le(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)v; b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16); b[3] = (unsigned char)(v >> 24);
}

/* writes a copy of the good program with CODE word w set to v */
static const char *patched_code(const bc_program *p, const bc_section *code, uint32_t w,
                                uint32_t v)
{
    unsigned char *c = malloc(orig_len);
    memcpy(c, orig, orig_len);
    put_le(c + code->offset + 4 * w, v);
    (void)p;
    write_file("patched.byte", c, orig_len);
    free(c);
    return tpath("patched.byte");
}

static const bc_insn *find_op(const bc_program *p, int op, int nth)
{
    for (uint32_t i = 0; i < p->ninsns; i++)
        if (p->insns[i].op == op && nth-- == 0) return &p->insns[i];
    return NULL;
}

static void test_failures(void)
{
    char msg[256];
    expect_fail(tpath("does-not-exist"), "missing file", "cannot open", NULL);
    write_file("empty", "", 0);
    expect_fail(tpath("empty"), "empty file", "empty file", NULL);
    write_file("text.txt", "let x = 1\nthis is a text file, long enough to hold a trailer\n", 52);
    expect_fail(tpath("text.txt"), "text file", "not an OCaml bytecode executable", NULL);
    write_file("tiny", "ab", 2);
    expect_fail(tpath("tiny"), "tiny file", "not an OCaml bytecode executable", NULL);
    char self[512];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl > 0) {
        self[sl] = 0;
        expect_fail(self, "ELF file", "ELF", NULL);
    }
    expect_fail(tpath("prog2.cmo"), "cmo file", "bytecode object file (.cmo)", NULL);
    expect_fail(tpath("prog2.cmi"), "cmi file", "compiled interface (.cmi)", NULL);

    /* truncations */
    write_file("half.byte", orig, orig_len / 2);
    expect_fail(tpath("half.byte"), "truncated to half", "truncated OCaml bytecode executable",
                NULL);
    write_file("cut1.byte", orig, orig_len - 1);
    expect_fail(tpath("cut1.byte"), "truncated by 1 byte", "truncated", NULL);
    /* keep only the table of contents and the trailer */
    bc_program *p = bc_read(tpath("prog1.byte"));
    size_t toc = 16 + 8 * (size_t)p->nsections;
    write_file("toconly.byte", orig + orig_len - toc, toc);
    expect_fail(tpath("toconly.byte"), "only the trailer", "extends before the start", NULL);

    /* magic numbers */
    static const struct { const char *num, *want1, *want2; } mg[] = {
        { "028", "Caml1999X028", "4.11" }, { "029", "Caml1999X029", "4.12" },
        { "032", "Caml1999X032", "5.0" }, { "023", "Caml1999X023", "4.07" },
        { "099", "unknown magic Caml1999X099", "4.13" },
    };
    unsigned char *c = malloc(orig_len);
    for (size_t i = 0; i < sizeof mg / sizeof mg[0]; i++) {
        memcpy(c, orig, orig_len);
        memcpy(c + orig_len - 3, mg[i].num, 3);
        write_file("magic.byte", c, orig_len);
        snprintf(msg, sizeof msg, "magic X%s", mg[i].num);
        expect_fail(tpath("magic.byte"), msg, mg[i].want1, mg[i].want2, "supported", NULL);
    }
    memcpy(c, orig, orig_len);
    memcpy(c + orig_len - 3, "031", 3);
    write_file("magic414.byte", c, orig_len);
    expect_ok(tpath("magic414.byte"), "magic X031 (4.14) accepted");
    /* num_sections */
    memcpy(c, orig, orig_len);
    put_le(c + orig_len - 16, 0xFFFFFF7F);   /* big-endian 0x7FFFFFFF */
    write_file("nsec.byte", c, orig_len);
    expect_fail(tpath("nsec.byte"), "huge num_sections", "corrupt bytecode trailer", NULL);
    free(c);

    /* CODE corruptions */
    const bc_section *code = NULL;
    for (uint32_t i = 0; i < p->nsections; i++)
        if (!strcmp(p->sections[i].name, "CODE")) code = &p->sections[i];
    const bc_insn *br = find_op(p, BRANCH, 0);
    char want[128];
    if (br) {
        snprintf(want, sizeof want, "CODE word %u: BRANCH branch target", br->pc);
        expect_fail(patched_code(p, code, br->pc + 1, p->ncode), "branch past end", want,
                    "outside CODE", NULL);
        expect_fail(patched_code(p, code, br->pc + 1, (uint32_t)-(int32_t)(br->pc + 2)),
                    "branch before start", want, "outside CODE", NULL);
        /* aim at the operand word of an instruction that has one */
        const bc_insn *k = find_op(p, CONSTINT, 0);
        if (!k) k = find_op(p, GETGLOBAL, 0);
        int32_t ofs = (int32_t)(k->pc + 1) - (int32_t)(br->pc + 1);
        expect_fail(patched_code(p, code, br->pc + 1, (uint32_t)ofs), "branch into operand",
                    want, "not the start of an instruction", NULL);
    } else {
        check(0, "no BRANCH in prog1");
    }
    const bc_insn *in = &p->insns[p->ninsns / 2];
    snprintf(want, sizeof want, "CODE word %u: unknown opcode 200", in->pc);
    expect_fail(patched_code(p, code, in->pc, 200), "unknown opcode", want, NULL);
    const bc_insn *cc = find_op(p, C_CALL1, 0);
    snprintf(want, sizeof want, "CODE word %u: C_CALL1 primitive index %u out of range", cc->pc,
             p->nprims);
    expect_fail(patched_code(p, code, cc->pc + 1, p->nprims), "bad prim", want, NULL);
    const bc_insn *gg = find_op(p, GETGLOBAL, 0);
    snprintf(want, sizeof want, "CODE word %u: GETGLOBAL global index %u out of range", gg->pc,
             p->data.b->size);
    expect_fail(patched_code(p, code, gg->pc + 1, p->data.b->size), "bad global", want, NULL);
    const bc_insn *sg = find_op(p, SETGLOBAL, 0);
    snprintf(want, sizeof want, "CODE word %u: SETGLOBAL global index", sg->pc);
    expect_fail(patched_code(p, code, sg->pc + 1, 0x7FFFFFFF), "bad setglobal", want, NULL);
    const bc_insn *last = &p->insns[p->ninsns - 1];
    snprintf(want, sizeof want, "CODE word %u: CONSTINT needs 1 operand word(s), only 0 left",
             last->pc);
    expect_fail(patched_code(p, code, last->pc, CONSTINT), "operand past end", want, NULL);
    snprintf(want, sizeof want, "CODE word %u: BEQ needs 2 operand", last->pc);
    expect_fail(patched_code(p, code, last->pc, BEQ), "2 operands past end", want, NULL);
    const bc_insn *sw = find_op(p, SWITCH, 0);
    if (sw) {
        snprintf(want, sizeof want, "CODE word %u: SWITCH table of", sw->pc);
        expect_fail(patched_code(p, code, sw->pc + 1, 0xFFFFFFFF), "switch size", want,
                    "runs past the end", NULL);
        snprintf(want, sizeof want, "CODE word %u: SWITCH branch target", sw->pc);
        expect_fail(patched_code(p, code, sw->pc + 2 + sw->ntargets - 1, 0x40000000),
                    "switch target", want, "outside CODE", NULL);
    }
    const bc_insn *cr = find_op(p, CLOSUREREC, 0);
    if (cr) {
        snprintf(want, sizeof want, "CODE word %u: CLOSUREREC branch target", cr->pc);
        /* second function's offset: make it point at the word holding nvars */
        /* offsets are relative to the first offset word (pc + 3): -1 is the nvars word */
        expect_fail(patched_code(p, code, cr->pc + 3 + (cr->ntargets > 1), (uint32_t)-1),
                    "closurerec target", want, "not the start of an instruction", NULL);
        snprintf(want, sizeof want, "CODE word %u: CLOSUREREC with 0 functions", cr->pc);
        expect_fail(patched_code(p, code, cr->pc + 1, 0), "closurerec 0", want, NULL);
    }
    const bc_insn *cl = find_op(p, CLOSURE, 0);
    if (cl) {
        snprintf(want, sizeof want, "CODE word %u: CLOSURE branch target", cl->pc);
        expect_fail(patched_code(p, code, cl->pc + 2, 0), "closure target = its own operand",
                    want, "not the start", NULL);
    }
    bc_free(p);
}

static void test_api(void)
{
    check(BC_NUM_OPCODES == 149 && GETSTRINGCHAR == 148 && SWITCH == 87 && C_CALLN == 98,
          "opcode numbering differs from OCaml 4.13");
    check(!strcmp(bc_opcode_name(STOP), "STOP") && !strcmp(bc_opcode_name(ACC0), "ACC0") &&
          !strcmp(bc_opcode_name(GETSTRINGCHAR), "GETSTRINGCHAR") &&
          !strcmp(bc_opcode_name(PUSHOFFSETCLOSUREM3), "PUSHOFFSETCLOSUREM3") &&
          !strcmp(bc_opcode_name(BUGEINT), "BUGEINT"), "opcode names");
    check(bc_operand_count(SWITCH) == -1 && bc_operand_count(CLOSUREREC) == -1 &&
          bc_operand_count(CLOSURE) == 2 && bc_operand_count(BRANCH) == 1 &&
          bc_operand_count(GETPUBMET) == 2 && bc_operand_count(GETDYNMET) == 0 &&
          bc_operand_count(C_CALLN) == 2 && bc_operand_count(APPTERM) == 2 &&
          bc_operand_count(APPTERM1) == 1 && bc_operand_count(RESTART) == 0 &&
          bc_operand_count(GRAB) == 1 && bc_operand_count(PUSHACC4) == 0 &&
          bc_operand_count(OFFSETCLOSURE) == 1 && bc_operand_count(MAKEBLOCK) == 2 &&
          bc_operand_count(BGEINT) == 2 && bc_operand_count(ULTINT) == 0,
          "operand counts");
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_bytecode.XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 2; }
    write_file("prog1.ml", prog1_ml, strlen(prog1_ml));
    write_file("prog2.ml", prog2_ml, strlen(prog2_ml));
    write_file("info.ml", info_ml, strlen(info_ml));
    if (sh("cd %s && ocamlc prog1.ml -o prog1.byte && ocamlc -g prog2.ml -o prog2.byte && "
           "ocamlc -c prog2.ml && ./prog1.byte > prog1.out", tmpdir)) {
        fprintf(stderr, "FAIL: ocamlc failed (is OCaml 4.13 installed?)\n");
        printf("%d passed, %d failed\n", passed, failed + 1);
        return 1;
    }
    test_api();
    for (int i = 1; i <= 2; i++) {
        char name[32], err[4096];
        snprintf(name, sizeof name, "prog%d.byte", i);
        /* read in a child first: a fatal error in the parent would end the test early */
        int st = run_child(tpath(name), err, sizeof err);
        check(st == 0, "%s: bc_read failed (status %d): %s", name, st, err);
        if (st == 0) check_program(name, i == 1);
    }
    orig = slurp(tpath("prog1.byte"), &orig_len);
    test_failures();
    free(orig);
    if (!failed) sh("rm -rf %s", tmpdir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
