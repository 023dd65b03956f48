/* test_emit.c — the code generator (compiler/xtensa/emit.c, data.c) and the stubs.

   1. Compiles a full-stdlib program with the host ocamlc, translates it for both cpu
      profiles, and checks the object with xtensa-lx106-elf-objdump/nm (sections, the
      symbols of docs/architecture.md).
   2. Rejections: an unknown primitive and an out-of-range integer constant are one-line
      errors with exit status 1 (forked children).
   3. End to end: the programs in tests/unit/emit/ (prelude_mini.ml + body, built with
      -nopervasives against a handful of primitives) are linked with runtime/xtensa/stubs.S,
      runtime/interp_support.c, runtime/softfloat and a tiny runtime (emit_minirt.c: no GC,
      heap handed out in slices so that the caml_call_gc path runs), run in QEMU on both
      cpus, and their output compared with the same body under the host ocamlrun
      (prelude_std.ml). Skipped when QEMU or the platform library is missing. */
#include "bytecode.h"
#include "diag.h"
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

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    fputs(text, f);
    fclose(f);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    return s;
}

static int exists(const char *p) { return access(p, R_OK) == 0; }

static void compile(const char *byte, xt_cpu cpu, unsigned flags, const char *obj)
{
    bc_program *p = bc_read(byte);
    xt_options o = { cpu, flags, NULL };
    xt_compile(p, &o, obj);
    bc_free(p);
}

/* Runs compile in a child; returns its exit status, stderr in *msg. */
static int compile_child(const char *byte, unsigned flags, char **msg)
{
    char err[512], obj[512];
    snprintf(err, sizeof err, "%s/child.err", tmp);
    snprintf(obj, sizeof obj, "%s/child.o", tmp);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err, "w", stderr)) _exit(99);
        compile(byte, XT_CPU_ESP32, flags, obj);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    *msg = read_all(err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_object(void)
{
    char ml[512], byte[512];
    snprintf(ml, sizeof ml, "%s/std.ml", tmp);
    snprintf(byte, sizeof byte, "%s/std.byte", tmp);
    write_file(ml,
        "type t = A | B of int | C of string\n"
        "class counter = object val mutable n = 0 method incr = n <- n + 1; n end\n"
        "let f = function A -> 1 | B n -> n / 3 | C s -> String.length s\n"
        "let () = let c = new counter in ignore c#incr;\n"
        "  Printf.printf \"%d %d %f\\n\" (f (B 9)) c#incr (float_of_int (f A) /. 3.)\n");
    if (sh("ocamlc %s -o %s", ml, byte)) { check(0, "ocamlc failed on std.ml"); return; }
    static const struct { xt_cpu cpu; const char *name; } cpus[] = {
        { XT_CPU_ESP32, "esp32" }, { XT_CPU_LX106, "lx106" } };
    for (int k = 0; k < 2; k++) {
        char obj[512];
        snprintf(obj, sizeof obj, "%s/std_%s.o", tmp, cpus[k].name);
        compile(byte, cpus[k].cpu, XT_F_NO_PRIM_CHECK, obj);
        check(sh("xtensa-lx106-elf-objdump -d %s > %s.dis 2>&1", obj, obj) == 0,
              "%s: objdump -d rejects the object", cpus[k].name);
        check(sh("xtensa-lx106-elf-readelf -h %s | grep -q 'Xtensa'", obj) == 0,
              "%s: not an Xtensa ELF", cpus[k].name);
        static const char *const syms[] = {
            " T caml_program$", " T caml_code_begin$", " T caml_code_end$",
            " D caml_globals$", " R caml_globals_count$", " U caml_c_call$",
            " U caml_apply1$", " U caml_call_gc$", " U caml_oe_get_method$",
            " U caml_atom_table$" };
        for (size_t s = 0; s < sizeof syms / sizeof *syms; s++)
            check(sh("xtensa-lx106-elf-nm %s | grep -q '%s'", obj, syms[s]) == 0,
                  "%s: symbol '%s' missing", cpus[k].name, syms[s]);
        /* lx106 has no DIV32: the division goes through __divsi3 */
        int has_div = sh("xtensa-lx106-elf-nm %s | grep -q ' U __divsi3$'", obj) == 0;
        check(k == 1 ? has_div : !has_div, "%s: __divsi3 use", cpus[k].name);
        /* a relocatable link must resolve every text-internal reference */
        check(sh("xtensa-lx106-elf-ld -r %s -o %s.r.o", obj, obj) == 0,
              "%s: ld -r fails", cpus[k].name);
    }
}

static void test_rejections(void)
{
    char ml[512], byte[512], prims[512];
    char *msg = NULL;
    snprintf(ml, sizeof ml, "%s/rej.ml", tmp);
    snprintf(byte, sizeof byte, "%s/rej.byte", tmp);
    snprintf(prims, sizeof prims, "%s/rej.prims", tmp);
    write_file(ml, "external frob : int -> int = \"caml_no_such_primitive\"\n"
                   "let _ = frob 3\n");
    write_file(prims, "caml_no_such_primitive\n");
    if (sh("ocamlc -nopervasives -nostdlib -I $(ocamlc -where) -use-prims %s %s -o %s",
           prims, ml, byte)) { check(0, "ocamlc rej.ml"); return; }
    int rc = compile_child(byte, 0, &msg);
    check(rc == 1 && msg && strstr(msg, "primitive caml_no_such_primitive is not provided by "
                                         "the ocaml-esp32 runtime"),
          "unknown primitive: exit %d, message '%s'", rc, msg ? msg : "");
    free(msg);

    write_file(ml, "external id : int -> int = \"%identity\"\n"
                   "external p : int -> unit = \"oe_t_print_int\"\n"
                   "let () = p (id 1073741824)\n");
    write_file(prims, "oe_t_print_int\n");
    if (sh("ocamlc -nopervasives -nostdlib -I $(ocamlc -where) -use-prims %s %s -o %s",
           prims, ml, byte)) { check(0, "ocamlc rej.ml (2)"); return; }
    rc = compile_child(byte, XT_F_NO_PRIM_CHECK, &msg);
    check(rc == 1 && msg && strstr(msg, "1073741824 does not fit in 31 bits"),
          "big constant: exit %d, message '%s'", rc, msg ? msg : "");
    free(msg);
}

/* Applications of module functions to their arity become direct jumps (callees.h): the
   object refers to no apply stub; a closure read from a ref that is assigned keeps it. */
static void test_direct_calls(void)
{
    char ml[512], byte[512], prims[512], obj[512];
    snprintf(ml, sizeof ml, "%s/direct.ml", tmp);
    snprintf(byte, sizeof byte, "%s/direct.byte", tmp);
    snprintf(prims, sizeof prims, "%s/direct.prims", tmp);
    snprintf(obj, sizeof obj, "%s/direct.o", tmp);
    static const char *const prelude =
        "external p : int -> unit = \"oe_t_print_int\"\n"
        "external ( + ) : int -> int -> int = \"%addint\"\n"
        "external ( = ) : int -> int -> bool = \"%equal\"\n"
        "type 'a ref = { mutable contents : 'a }\n"
        "module M = struct\n"
        "  let f x = x + 1  let g x y = x + y  let h a b c d = a + b + c + d\n"
        "  let rec loop n a b c = if n = 0 then a else loop (n + -1) b c (a + b + c)\n"
        "end\n"
        "let () = p (M.f 1); p (M.g 2 3); p (M.h 1 2 3 4); p (M.loop 5 1 2 3)\n";
    write_file(prims, "oe_t_print_int\n");
    for (int mutated = 0; mutated < 2; mutated++) {
        FILE *f = fopen(ml, "w");
        fputs(prelude, f);
        if (mutated) fputs("let r = { contents = M.f }\nlet () = r.contents <- M.g 1; p (r.contents 2)\n", f);
        fclose(f);
        if (sh("ocamlc -nopervasives -nostdlib -I $(ocamlc -where) -use-prims %s %s -o %s",
               prims, ml, byte)) { check(0, "ocamlc direct.ml"); return; }
        compile(byte, XT_CPU_ESP32, XT_F_NO_PRIM_CHECK, obj);
        int stubs = sh("xtensa-lx106-elf-nm %s | grep -q ' U caml_apply'", obj) == 0;
        if (mutated) check(stubs, "direct: a closure read from an assigned field is applied by a stub");
        else check(!stubs, "direct: applications of module functions need no apply stub");
    }
}

/* ---- end to end under QEMU ---- */

static const char *const emit_prims[] = {
    "oe_t_print_int", "oe_t_print_string", "oe_t_callback2", "oe_t_sum6_byte",
    "oe_t_gc_calls", "oe_t_gc_blocks", "caml_obj_dup", "caml_ml_string_length", "caml_fresh_oo_id",
    "caml_int_of_float", "caml_floatarray_unsafe_get", "caml_ensure_stack_capacity", "caml_float_of_int", "caml_add_float", "caml_mul_float", NULL };

static int build_minirt(const char *cpu)
{
    const char *cf = "-std=c11 -Wall -Wextra -Werror -O2 -mtext-section-literals "
                     "-ffunction-sections -Iruntime/include -Iruntime "
                     "-I/usr/lib/xtensa-lx106-elf/include";
    int rc = 0;
    rc |= sh("mkdir -p %s/rt_%s", tmp, cpu);
    rc |= sh("xtensa-lx106-elf-gcc %s -c tests/unit/emit_minirt.c -o %s/rt_%s/minirt.o", cf, tmp, cpu);
    rc |= sh("xtensa-lx106-elf-gcc %s -c runtime/interp_support.c -o %s/rt_%s/is.o", cf, tmp, cpu);
    rc |= sh("for f in runtime/softfloat/*.c; do xtensa-lx106-elf-gcc %s -c $f "
             "-o %s/rt_%s/sf_$(basename $f .c).o || exit 1; done", cf, tmp, cpu);
    rc |= sh("xtensa-lx106-elf-gcc -Iruntime/include -Iruntime -mtext-section-literals "
             "-c runtime/xtensa/stubs.S -o %s/rt_%s/stubs.o", tmp, cpu);
    return rc;
}

static void run_program(const char *name)
{
    char d[512];
    snprintf(d, sizeof d, "%s/%s", tmp, name);
    if (sh("mkdir -p %s && cat tests/unit/emit/prelude_mini.ml tests/unit/emit/%s.ml > %s/m.ml"
           " && cat tests/unit/emit/prelude_std.ml tests/unit/emit/%s.ml > %s/s.ml",
           d, name, d, name, d)) { check(0, "%s: setup", name); return; }
    char prims[600];
    snprintf(prims, sizeof prims, "%s/prims.txt", d);
    FILE *f = fopen(prims, "w");
    for (int k = 0; emit_prims[k]; k++) fprintf(f, "%s\n", emit_prims[k]);
    fclose(f);
    if (sh("cd %s && ocamlc -w -a -nopervasives -nostdlib -I $(ocamlc -where) -use-prims "
           "prims.txt m.ml -o m.byte && ocamlc -w -a s.ml -o s.byte && ocamlrun s.byte > "
           "expected.txt", d)) { check(0, "%s: ocamlc/ocamlrun", name); return; }
    static const char *const cpus[] = { "esp32", "lx106" };
    for (int k = 0; k < 2; k++) {
        char byte[600], obj[600];
        snprintf(byte, sizeof byte, "%s/m.byte", d);
        snprintf(obj, sizeof obj, "%s/m_%s.o", d, cpus[k]);
        compile(byte, k ? XT_CPU_LX106 : XT_CPU_ESP32, XT_F_NO_PRIM_CHECK, obj);
        if (sh("xtensa-lx106-elf-ld -Lplatform/qemu -T platform/qemu/%s.ld --gc-sections "
               "--defsym=_oe_heap_size=4M %s %s/rt_%s/*.o --start-group "
               "build/target/%s/qemu-platform.a /usr/lib/xtensa-lx106-elf/lib/libc.a "
               "/usr/lib/gcc/xtensa-lx106-elf/12.2.0/libgcc.a --end-group -o %s/m_%s.elf",
               cpus[k], obj, tmp, cpus[k], cpus[k], d, cpus[k])) {
            check(0, "%s/%s: link", name, cpus[k]);
            continue;
        }
        int rc = sh("timeout 60 qemu-system-xtensa -M sim -cpu %s -semihosting -display none "
                    "-serial none -monitor none -kernel %s/m_%s.elf > %s/got_%s.txt",
                    k ? "lx106" : "dc233c", d, cpus[k], d, cpus[k]);
        check(rc == 0, "%s/%s: exit status %d", name, cpus[k], rc);
        check(sh("diff %s/expected.txt %s/got_%s.txt >&2", d, d, cpus[k]) == 0,
              "%s/%s: output differs from ocamlrun", name, cpus[k]);
    }
}

static void test_run(void)
{
    if (sh("command -v qemu-system-xtensa >/dev/null") || !exists("build/target/esp32/qemu-platform.a")
        || !exists("build/target/lx106/qemu-platform.a") || !exists("tests/unit/emit/core.ml")) {
        fprintf(stderr, "test_emit: QEMU, the platform libraries or tests/unit/emit missing: "
                "end-to-end runs skipped\n");
        return;
    }
    if (build_minirt("esp32") || build_minirt("lx106")) { check(0, "building the mini runtime"); return; }
    static const char *const progs[] = { "core", "more", "calls" };
    for (size_t k = 0; k < sizeof progs / sizeof *progs; k++) run_program(progs[k]);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/test_emit.XXXXXX");
    if (!mkdtemp(tmp)) { perror("mkdtemp"); return 2; }
    test_object();
    test_rejections();
    test_direct_calls();
    test_run();
    if (!failed) sh("rm -rf %s", tmp);
    else fprintf(stderr, "test_emit: files kept in %s\n", tmp);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
