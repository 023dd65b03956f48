/* test_debuginfo.c — the DBUG section reader and event lookup (compiler/xtensa/debuginfo.c).

   Compiles a small program with the host ocamlc, with and without -g. Without -g there are no
   events. With -g, the RAISE instructions of the program's own code find the events of their
   `raise` expressions (file, definition name, line, characters as ocamlrun prints them), an
   APPLY's return pc finds the event of its call, and the lookup follows ocamlrun's rule (the
   event at pc, else at pc + 1). The emitted table is checked in an ELF object's size. */
#include "bytecode.h"
#include "diag.h"
#include "elf.h"
#include "xtensa/asm.h"
#include "xtensa/debuginfo.h"
#include "xtensa/encode.h"
#include "testlib.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static char tmpdir[256];

/* line 2: "let f x = if x then raise Exit else 1": the raise is characters 20-30;
   line 3: the call "f true" is characters 17-23 */
static const char *prog_ml =
"exception E\n"
"let f x = if x then raise Exit else 1\n"
"let () = ignore (f true + 1)\n";

static void test_without_g(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/nog.byte", tmpdir);
    bc_program *p = bc_read(path);
    xt_dbg *d = xt_dbg_new(p);
    check(!xt_dbg_has_events(d), "no -g: no events");
    check(xt_dbg_lookup(d, 0) < 0, "no -g: lookup finds nothing");
    xt_dbg_free(d);
    bc_free(p);
}

static void test_with_g(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/g.byte", tmpdir);
    bc_program *p = bc_read(path);
    xt_dbg *d = xt_dbg_new(p);
    check(xt_dbg_has_events(d), "-g: events");
    int raises = 0, calls = 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        int pc = (int)in->pc;
        int ev;
        if (in->op == RAISE) ev = xt_dbg_lookup(d, (uint32_t)pc);
        else if (in->op == APPLY1) ev = xt_dbg_lookup(d, (uint32_t)pc + 1);
        else continue;
        if (ev < 0) continue;
        const char *file, *def;
        int32_t l, s, e;
        xt_dbg_event(d, ev, &file, &def, &l, &s, &e);
        if (strcmp(file, "prog.ml")) continue;
        if (in->op == RAISE) {
            raises++;
            check(!strcmp(def, "Prog.f") && l == 2 && s == 20 && e == 30,
                  "raise event: %s %d %d-%d", def, l, s, e);
        } else {
            calls++;
            check(!strcmp(def, "Prog") && l == 3 && s == 17 && e == 23,
                  "call event: %s %d %d-%d", def, l, s, e);
        }
    }
    check(raises == 1, "one raise in prog.ml (%d)", raises);
    check(calls == 1, "one call in prog.ml (%d)", calls);
    /* the pc + 1 rule, and nothing further */
    int found = 0;
    for (uint32_t pc = 1; pc < p->ncode && !found; pc++) {
        int a = xt_dbg_lookup(d, pc), b = xt_dbg_lookup(d, pc - 1);
        if (a >= 0 && xt_dbg_lookup(d, pc + 1) < 0 && b >= 0) found = 1;
    }
    check(found, "an event is found from the pc before it");

    /* the table: one entry per point (offsets 0 and 3 of a tiny code buffer) */
    xasm *a = xa_new();
    xlabel l0 = xa_label(a);
    xa_bind(a, l0);
    xa_insn(a, xe_ret_n());
    xa_insn(a, xe_ret_n());
    xa_insn(a, xe_ret_n());
    xa_finish(a);
    uint32_t raise_pc = 0;
    for (uint32_t i = 0; i < p->ninsns; i++)
        if (p->insns[i].op == RAISE) raise_pc = p->insns[i].pc;
    xt_dbg_point(d, l0, 3, raise_pc);
    xt_dbg_point(d, l0, 0, raise_pc + 1);
    elf_obj *o = elf_new();
    int ro = elf_section(o, ".rodata", ELF_RODATA, 4);
    xt_dbg_emit(d, a, o, ro);
    uint32_t size = elf_size(o, ro);
    check(size >= 4 * (3 + 2 * 2) && size % 4 == 0, "table size %u", size);
    elf_free(o);
    xa_free(a);
    xt_dbg_free(d);
    bc_free(p);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_debuginfo.XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    char path[512];
    snprintf(path, sizeof path, "%s/prog.ml", tmpdir);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); return 1; }
    fputs(prog_ml, f);
    fclose(f);
    if (sh("cd %s && ocamlc prog.ml -o nog.byte && ocamlc -g prog.ml -o g.byte", tmpdir)) {
        fprintf(stderr, "FAIL: ocamlc failed (is OCaml 4.13 installed?)\n");
        return 1;
    }
    test_without_g();
    test_with_g();
    sh("rm -rf %s", tmpdir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
