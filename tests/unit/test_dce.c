/* test_dce.c — the dead-code analysis (compiler/dce.c) and its use by the code generator.

   Small OCaml programs are compiled with the host ocamlc; every function of interest holds
   a marker constant (x + 7000001 compiles to OFFSETINT 7000001), so "is the function
   emitted" is "is the instruction holding its marker live". Checks that unused functions
   of used modules are removed, that functions reached only in indirect ways (functors,
   first-class modules, records of closures, objects, Printexc printers, Hashtbl.Make,
   recursive modules, let rec, exception handlers, lazy values) are kept, that an unknown
   primitive is an error only in live code, and that --no-dce (XT_F_NO_DCE) keeps all.
   Then the known callees built on it (compiler/callees.c): functions of modules, functor
   results and captured closures are known at their call sites, fields that are written
   after initialisation (refs, mutable records, a module block changed through Obj) are
   not, and nothing is known where two closures meet. */
#include "bytecode.h"
#include "dce.h"
#include "callees.h"
#include "xtensa/emit.h"
#include "testlib.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[256];

/* Writes name.ml and compiles it to name.byte (primitives: ocamlrun's and the made-up
   caml_no_such_primitive_anywhere); returns the path of the bytecode or NULL. */
static const char *build(const char *name, const char *src)
{
    static char byte[512];
    char ml[512];
    snprintf(ml, sizeof ml, "%s/%s.ml", tmp, name);
    snprintf(byte, sizeof byte, "%s/%s.byte", tmp, name);
    FILE *f = fopen(ml, "w");
    if (!f) { perror(ml); exit(2); }
    fputs(src, f);
    fclose(f);
    if (sh("cd %s && { ocamlrun -p; echo caml_no_such_primitive_anywhere; } > prims.txt && "
           "ocamlc -use-prims prims.txt %s.ml -o %s.byte", tmp, name, name)) {
        check(0, "ocamlc failed on %s.ml", name);
        return NULL;
    }
    return byte;
}

/* 1: the instruction holding marker m is live, 0: it is dead, -1: no such instruction. */
static int marker(const bc_program *p, const dce_info *d, int32_t m)
{
    int found = -1;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        if ((in->op == OFFSETINT || in->op == CONSTINT || in->op == PUSHCONSTINT) && in->arg[0] == m) {
            if (d->live[i]) return 1;
            found = 0;
        }
    }
    return found;
}

static void expect(const bc_program *p, const dce_info *d, int32_t m, int live, const char *what)
{
    int r = marker(p, d, m);
    if (r < 0) check(0, "%s: marker %d not found in the bytecode", what, (int)m);
    else check(r == live, "%s (marker %d) should be %s", what, (int)m, live ? "kept" : "removed");
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Compiles byte with flags in a child (errors exit); returns the exit status. */
static int compile_child(const char *byte, unsigned flags, const char *obj)
{
    char err[512];
    snprintf(err, sizeof err, "%s/child.err", tmp);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err, "w", stderr)) _exit(99);
        bc_program *p = bc_read(byte);
        xt_options o = { .cpu = XT_CPU_ESP32, .flags = flags };
        xt_compile(p, &o, obj);
        bc_free(p);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return memmem(buf, n, needle, strlen(needle)) != NULL;
}

/* A module of ten functions of which two are used: the other eight are removed; the
   object is smaller than without DCE and closures of removed functions point at
   caml_dead_code. */
static void test_unused(void)
{
    const char *byte = build("ten",
        "module Ten = struct\n"
        "  let f1 x = x + 7000001  let f2 x = x + 7000002  let f3 x = x + 7000003\n"
        "  let f4 x = x + 7000004  let f5 x = x + 7000005  let f6 x = f5 x + 7000006\n"
        "  let f7 x = x + 7000007  let f8 x = f1 x + 7000008  let f9 x = x + 7000009\n"
        "  let f10 x = f9 x + 7000010\n"
        "end\n"
        "module Sub = struct module Inner = struct let used x = x + 7000011 let dead x = x + 7000012 end end\n"
        "let () = print_int (Ten.f3 1 + Ten.f6 2 + Sub.Inner.used 3)\n");
    if (!byte) return;
    bc_program *p = bc_read(byte);
    dce_info *d = dce_analyse(p);
    check(d->fallback == NULL, "ten: analysis gave up: %s", d->fallback ? d->fallback : "");
    static const int live[] = { 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0 };
    for (int k = 0; k < 12; k++) {
        char what[64];
        snprintf(what, sizeof what, "ten: function %d", k + 1);
        expect(p, d, 7000001 + k, live[k], what);
    }
    check(d->nlive_funcs < d->nfuncs / 2, "ten: %u of %u functions live (expected under half)",
          d->nlive_funcs, d->nfuncs);
    dce_info *all = dce_all_live(p);
    check(marker(p, all, 7000001) == 1 && all->nlive_insns == p->ninsns, "dce_all_live keeps all");
    dce_free(all);
    dce_free(d);
    bc_free(p);

    char o1[512], o2[512];
    snprintf(o1, sizeof o1, "%s/ten_dce.o", tmp);
    snprintf(o2, sizeof o2, "%s/ten_all.o", tmp);
    check(compile_child(byte, XT_F_NO_PRIM_CHECK, o1) == 0, "ten: compile with DCE");
    check(compile_child(byte, XT_F_NO_PRIM_CHECK | XT_F_NO_DCE, o2) == 0, "ten: compile with --no-dce");
    long s1 = file_size(o1), s2 = file_size(o2);
    check(s1 > 0 && s2 > 0 && 2 * s1 < s2, "ten: object with DCE (%ld bytes) under half of without (%ld)", s1, s2);
    check(file_contains(o1, "caml_dead_code"), "ten: dead closures refer to caml_dead_code");
    check(!file_contains(o2, "caml_dead_code"), "ten: --no-dce never refers to caml_dead_code");
}

/* Functions reached only indirectly are kept. */
static void test_kept(void)
{
    const char *byte = build("kept",
        "module F (X : sig val v : int end) = struct\n"
        "  let get () = X.v + 7100001\n"
        "  let unused () = X.v + 7100002\n"
        "end\n"
        "module FI = F (struct let v = 1 end)\n"
        "module type T = sig val h : int -> int end\n"
        "let fcm = (module struct let h x = x + 7100003 end : T)\n"
        "let use (module M : T) = M.h 1\n"
        "type r = { fa : int -> int; fb : int -> int }\n"
        "let r = { fa = (fun x -> x + 7100004); fb = (fun x -> x + 7100014) }\n"
        "class c = object method m x = x + 7100005 end\n"
        "class d = object inherit c method! m x = x + 7100015 method n x = x + 7100016 end\n"
        "let () = Printexc.register_printer (fun e -> if e = Exit then Some (string_of_int (Hashtbl.hash e + 7100006)) else None)\n"
        "module H = Hashtbl.Make (struct type t = int let equal a b = a = b let hash x = x + 7100007 end)\n"
        "module rec RA : sig val f : int -> int end = struct let f x = if x > 0 then RB.g (x - 1) else x + 7100008 end\n"
        "and RB : sig val g : int -> int end = struct let g x = RA.f x + 7100009 end\n"
        "let rec ev n = if n = 0 then n + 7100010 else od (n - 1)\n"
        "and od n = if n = 0 then n + 7100011 else ev (n - 1)\n"
        "let g x = try if x > 0 then raise Exit else x with Exit -> x + 7100012\n"
        "let lz = lazy (Sys.opaque_identity 1 + 7100013)\n"
        "let () =\n"
        "  let t = H.create 4 in H.replace t 1 2;\n"
        "  let o : c = if Sys.opaque_identity true then new c else (new d :> c) in\n"
        "  Printf.printf \"%d %d %d %d %d %d %d %d %d %s\\n\" (FI.get ()) (use fcm) (r.fa 1) (o#m 1)\n"
        "    (RA.f 3) (ev 5) (g 1) (Lazy.force lz) (H.find t 1) (Printexc.to_string Exit)\n");
    if (!byte) return;
    bc_program *p = bc_read(byte);
    dce_info *d = dce_analyse(p);
    check(d->fallback == NULL, "kept: analysis gave up: %s", d->fallback ? d->fallback : "");
    static const struct { int32_t m; int live; const char *what; } cases[] = {
        { 7100001, 1, "function of a functor application" },
        { 7100002, 0, "unused function of a functor application" },
        { 7100003, 1, "first-class module" },
        { 7100004, 1, "record of closures (used field)" },
        { 7100014, 0, "record of closures (field never read)" },
        { 7100005, 1, "method" },
        { 7100015, 1, "overriding method" },
        { 7100016, 1, "method only reachable through the method table" },
        { 7100006, 1, "Printexc printer" },
        { 7100007, 1, "Hashtbl.Make argument" },
        { 7100008, 1, "recursive module RA" },
        { 7100009, 1, "recursive module RB" },
        { 7100010, 1, "let rec (first)" },
        { 7100011, 1, "let rec (second)" },
        { 7100012, 1, "exception handler" },
        { 7100013, 1, "lazy value" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        expect(p, d, cases[k].m, cases[k].live, cases[k].what);
    dce_free(d);
    bc_free(p);
}

/* A function that is only partially applied keeps its RESTART + GRAB (a stub), not its
   body; applying the partial application keeps the body. */
static void test_partial(void)
{
    const char *byte = build("pap",
        "let pp a b c = a + b * c + 7300001\n"
        "let used a b c = a - b - c + 7300002\n"
        "let p1 = pp 1\n"
        "let p2 = used 1 2\n"
        "let () = print_int (p2 3)\n");
    if (!byte) return;
    bc_program *p = bc_read(byte);
    dce_info *d = dce_analyse(p);
    check(d->fallback == NULL, "pap: analysis gave up: %s", d->fallback ? d->fallback : "");
    expect(p, d, 7300001, 0, "body of a partially applied, never run function");
    expect(p, d, 7300002, 1, "body of an applied partial application");
    int grabs = 0;
    for (uint32_t i = 1; i < p->ninsns; i++)
        if (p->insns[i].op == GRAB && d->live[i] && d->live[i - 1] && !d->live[i + 1]) grabs++;
    check(grabs == 1, "pap: one RESTART + GRAB stub (found %d)", grabs);
    dce_free(d);
    bc_free(p);
}

/* The entry instruction of the function whose body holds marker m (functions are
   contiguous: the last closure target at or before the marker), or -1. */
static int32_t entry_of_marker(const bc_program *p, int32_t m)
{
    int32_t at = -1, entry = -1;
    for (uint32_t i = 0; i < p->ninsns && at < 0; i++)
        if (p->insns[i].op == OFFSETINT && p->insns[i].arg[0] == m) at = (int32_t)i;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        uint32_t one = (uint32_t)in->arg[1], n = in->op == CLOSURE ? 1 : in->op == CLOSUREREC ? in->ntargets : 0;
        const uint32_t *t = in->op == CLOSURE ? &one : in->targets;
        for (uint32_t j = 0; j < n; j++) {
            int32_t e = p->insn_at[t[j]];
            if (e <= at && e > entry) entry = e;
        }
    }
    return entry;
}

/* The first application after the constant m (an argument of the call). */
static int32_t site_of_marker(const bc_program *p, int32_t m)
{
    uint32_t i = 0;
    while (i < p->ninsns && !((p->insns[i].op == CONSTINT || p->insns[i].op == PUSHCONSTINT) && p->insns[i].arg[0] == m)) i++;
    for (; i < p->ninsns; i++) {
        int op = p->insns[i].op;
        if ((op >= APPLY && op <= APPLY3) || (op >= APPTERM && op <= APPTERM3)) return (int32_t)i;
    }
    return -1;
}

static void test_callees(void)
{
    const char *byte = build("callees",
        "module M = struct\n"
        "  let f x = x + 7400001\n"
        "  let g x y = x * y + 7400002\n"
        "  let r = ref (fun x -> x + 7400003)\n"
        "  type t = { mutable h : int -> int; k : int -> int }\n"
        "  let t = { h = (fun x -> x + 7400004); k = (fun x -> x + 7400005) }\n"
        "end\n"
        "module type S = sig val f : int -> int end\n"
        "module N = struct let f x = x + 7400006 end\n"
        "module F (X : sig val v : int end) = struct let f x = x + X.v + 7400007 end\n"
        "module A = F (struct let v = 1 end)\n"
        "module B = F (struct let v = 2 end)\n"
        "module Q = struct let f x = x + 7400010 end\n"
        "module R = struct let f x = x + 7400011 end\n"
        "let choose = if Sys.opaque_identity true then M.f else N.f\n"
        "let captured = List.map (fun x -> Q.f x) [1]\n"
        "let poke = List.iter (fun () -> Obj.set_field (Obj.repr (module R : S)) 0 (Obj.repr succ)) [()]\n"
        "let () =\n"
        "  let local y = y + 7400008 in\n"
        "  let via_env z = local (7500009 - z) + local z in\n"
        "  M.r := (fun x -> x - 1);\n"
        "  M.t.h <- (fun x -> x - 2);\n"
        "  Obj.set_field (Obj.repr (module N : S)) 0 (Obj.repr (fun x -> x - 3));\n"
        "  let s = M.f 7500001 + M.g 7500002 3 + !M.r 7500003 + M.t.h 7500004 + M.t.k 7500005\n"
        "    + N.f 7500006 + A.f 7500007 + B.f 7500011 + via_env 1 + via_env 2 + choose 7500010\n"
        "    + Q.f 7500013 + R.f 7500014 in\n"
        "  let part = M.g 7500012 in\n"
        "  print_int (s + part 1)\n");
    if (!byte) return;
    bc_program *p = bc_read(byte);
    dce_info *d = dce_analyse(p);
    check(d->fallback == NULL, "callees: analysis gave up: %s", d->fallback ? d->fallback : "");
    callees *k = callees_analyse(p, d);
    static const struct { int32_t site, fn; const char *what; } cases[] = {
        { 7500001, 7400001, "function of a module" },
        { 7500002, 7400002, "function of a module, 2 arguments" },
        { 7500003, 0, "closure in a ref that is assigned" },
        { 7500004, 0, "closure in a mutable field that is assigned" },
        { 7500005, 0, "closure in an immutable field of a record with a mutable field" },
        { 7500006, 0, "function of a module block changed through Obj" },
        { 7500007, 7400007, "function of a functor application" },
        { 7500011, 7400007, "function of another application of the same functor" },
        { 7500009, 7400008, "closure captured by the calling closure" },
        { 7500010, 0, "one of two closures" },
        { 7500012, 7400002, "partial application (callee known, arity differs)" },
        { 7500013, 7400010, "function of a module captured by an escaping closure" },
        { 7500014, 0, "function of a module changed through Obj in a closure" },
    };
    for (size_t j = 0; j < sizeof cases / sizeof *cases; j++) {
        int32_t site = site_of_marker(p, cases[j].site);
        int32_t want = cases[j].fn ? entry_of_marker(p, cases[j].fn) : -1;
        if (site < 0 || (cases[j].fn && want < 0)) { check(0, "callees: %s: marker not found", cases[j].what); continue; }
        int32_t got = callees_at(k, (uint32_t)site);
        check(got == want, "callees: %s: callee %d, expected %d", cases[j].what, (int)got, (int)want);
    }
    uint32_t body;
    int32_t g = entry_of_marker(p, 7400002);
    check(callees_arity(p, g, &body) == 2 && body == (uint32_t)g + 1, "callees: arity of g is 2, body after its GRAB");
    callees_free(k);
    /* without the analysis of blocks (all unsafe), module fields are not known */
    memset(d->blk_unsafe, 1, p->ninsns);
    k = callees_analyse(p, d);
    check(callees_at(k, (uint32_t)site_of_marker(p, 7500001)) == -1, "callees: unsafe blocks: M.f is not known");
    check(callees_at(k, (uint32_t)site_of_marker(p, 7500009)) == entry_of_marker(p, 7400008),
          "callees: unsafe blocks: a captured closure is still known");
    callees_free(k);
    dce_free(d);
    bc_free(p);
}

/* An unknown primitive is an error only when live code calls it. */
static void test_prims(void)
{
    const char *byte = build("deadprim",
        "external nope : int -> int = \"caml_no_such_primitive_anywhere\"\n"
        "let dead x = nope x + 7200001\n"
        "let () = print_int 3\n");
    if (!byte) return;
    char obj[512];
    snprintf(obj, sizeof obj, "%s/deadprim.o", tmp);
    check(compile_child(byte, 0, obj) == 0, "unknown primitive in dead code is accepted");
    check(compile_child(byte, XT_F_NO_DCE, obj) == 1, "unknown primitive with --no-dce is rejected");
    byte = build("liveprim",
        "external nope : int -> int = \"caml_no_such_primitive_anywhere\"\n"
        "let live x = nope x + 7200002\n"
        "let () = print_int (live 3)\n");
    if (!byte) return;
    check(compile_child(byte, 0, obj) == 1, "unknown primitive in live code is rejected");
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/test_dce.XXXXXX");
    if (!mkdtemp(tmp)) { perror("mkdtemp"); return 2; }
    test_unused();
    test_kept();
    test_partial();
    test_prims();
    test_callees();
    if (!failed) sh("rm -rf %s", tmp);
    else fprintf(stderr, "test_dce: files kept in %s\n", tmp);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
