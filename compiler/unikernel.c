/* unikernel.c — `ocaml-esp32 build|run DIR` for a unikernel directory (os/README.md).

   DIR/unikernel.conf (lines `key = value`, `#` comments):
     main      = Unikernel.Hello     the functor (or module) with a `start` function
     devices   = time console        the functor's arguments, in order; `start` receives one
                                     value per device (time mclock pclock console random)
     packages  = duration            extra ocamlfind packages
     name      = hello               image name (default: the directory's name)
     log-level = info                Logs level: debug info warning error app, or quiet (no
                                     reporter installed: Logs and Format are not linked in
                                     unless the unikernel uses them)

   Steps: the OCaml sources of DIR (*.mli, *.ml, in ocamldep order) are compiled one by one
   with `ocamlfind ocamlc -c` into the temporary directory (so the compiler's messages name
   DIR's files), then the generated main module oe_main.ml; the whole is linked with the OS
   library (build/os/oe_os.cma) into a bytecode executable. DIR's *.c files are compiled with
   xtensa-lx106-elf-gcc (the runtime's include path and target flags) and their global
   functions registered as primitives, so that `external` declarations can name them. */
#include "unikernel.h"
#include "diag.h"
#include "prims.h"
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


int uk_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- a growable vector of strings ---- */
typedef struct strv { char **v; int n, cap; } strv;

static void sv_push(strv *s, char *x)
{
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
    s->v[s->n] = NULL;
}

/* ---- configuration ---- */
typedef struct device { const char *name, *module, *connect; } device;
static const device devices[] = {
    { "time",    "Oe_devices.Time",    "Lwt.return ()" },
    { "mclock",  "Oe_devices.Mclock",  "Lwt.return ()" },
    { "pclock",  "Oe_devices.Pclock",  "Lwt.return ()" },
    { "console", "Oe_devices.Console", "Oe_devices.Console.connect \"console\"" },
    { "random",  "Oe_devices.Random",  "Lwt.return ()" },
};
#define N_DEVICES (int)(sizeof devices / sizeof devices[0])

/* Memory sizes a unikernel.conf may set (the command line's --heap etc. take precedence). */
static const struct { const char *key; size_t off; } size_keys[] = {
    { "heap", offsetof(tc_image_opts, heap_bytes) },
    { "minor", offsetof(tc_image_opts, minor_bytes) },
    { "stack", offsetof(tc_image_opts, stack_bytes) },
    { "c-heap", offsetof(tc_image_opts, c_heap_bytes) },
    { "c-stack", offsetof(tc_image_opts, c_stack_bytes) },
};
enum { N_SIZE_KEYS = sizeof size_keys / sizeof *size_keys };

/* "64K", "1M", "4096": bytes, rounded up to 16 */
static uint32_t conf_size(const char *where, const char *key, const char *val)
{
    char *end;
    unsigned long long v = strtoull(val, &end, 10);
    if (end != val && (*end == 'K' || *end == 'k')) { v <<= 10; end++; }
    else if (end != val && (*end == 'M' || *end == 'm')) { v <<= 20; end++; }
    if (end == val || *end || v == 0 || v > (96u << 20))
        diag_fatal(where, "%s: expected a size such as 32K (at most 96M), got '%s'", key, val);
    return (uint32_t)((v + 15) & ~15ull);
}

typedef struct config {
    uint32_t sizes[N_SIZE_KEYS];    /* 0 = not set */
    uint32_t cpu_mhz;               /* 0 = not set */
    char *main, *name, *log_level;
    strv packages;
    const device *devs[32];
    int ndevs;
} config;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static int valid_module_path(const char *s)
{
    if (!*s) return 0;
    for (const char *p = s; *p; p++) {
        int start = p == s || p[-1] == '.';
        if (start && !(*p >= 'A' && *p <= 'Z')) return 0;
        if (!(*p == '.' || *p == '_' || *p == '\'' || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return 0;
        if (*p == '.' && (p[1] == 0 || p[1] == '.')) return 0;
    }
    return 1;
}

static void read_config(const char *dir, config *c)
{
    char *path = fmt("%s/unikernel.conf", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        diag_fatal(dir, "not a unikernel directory: %s/unikernel.conf is missing (%s); a unikernel "
                   "directory holds unikernel.conf (main = Module.Functor, devices = ..., "
                   "packages = ...) and the OCaml sources, see examples/hello",
                   dir, strerror(errno));
    memset(c, 0, sizeof *c);
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *where = fmt("%s:%d", path, lineno);
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *l = trim(line);
        if (!*l) continue;
        char *eq = strchr(l, '=');
        if (!eq) diag_fatal(where, "expected `key = value`");
        *eq = 0;
        char *key = trim(l), *val = trim(eq + 1);
        if (!strcmp(key, "main")) {
            if (!valid_module_path(val))
                diag_fatal(where, "main: expected a module path such as Unikernel.Hello, got '%s'", val);
            c->main = xstrdup(val);
        } else if (!strcmp(key, "name")) {
            c->name = xstrdup(val);
        } else if (!strcmp(key, "log-level")) {
            static const char *const levels[] = { "debug", "info", "warning", "error", "app", "quiet" };
            int ok = 0;
            for (unsigned i = 0; i < sizeof levels / sizeof *levels; i++) ok |= !strcmp(val, levels[i]);
            if (!ok) diag_fatal(where, "log-level: expected debug, info, warning, error, app or quiet, got '%s'", val);
            c->log_level = xstrdup(val);
        } else if (!strcmp(key, "cpu-mhz")) {
            if (strcmp(val, "80") && strcmp(val, "160") && strcmp(val, "240"))
                diag_fatal(where, "cpu-mhz: the ESP32 runs at 80, 160 or 240 MHz, got '%s'", val);
            c->cpu_mhz = (uint32_t)atoi(val);
        } else if (!strcmp(key, "packages") || !strcmp(key, "devices")) {
            for (char *tok = strtok(val, " \t,"); tok; tok = strtok(NULL, " \t,")) {
                if (key[0] == 'p') { sv_push(&c->packages, xstrdup(tok)); continue; }
                int k = 0;
                while (k < N_DEVICES && strcmp(devices[k].name, tok)) k++;
                if (k == N_DEVICES)
                    diag_fatal(where, "unknown device '%s' (expected time, mclock, pclock, console or random)", tok);
                if (c->ndevs == 32) diag_fatal(where, "too many devices");
                c->devs[c->ndevs++] = &devices[k];
            }
        } else {
            int k = 0;
            while (k < N_SIZE_KEYS && strcmp(size_keys[k].key, key)) k++;
            if (k == N_SIZE_KEYS)
                diag_fatal(where, "unknown key '%s' (expected main, devices, packages, name, log-level, "
                                  "cpu-mhz, heap, minor, stack, c-heap or c-stack)", key);
            c->sizes[k] = conf_size(where, key, val);
        }
        free(where);
    }
    fclose(f);
    if (!c->main) diag_fatal(path, "no `main = Module.Functor` line");
    if (!c->log_level) c->log_level = "info";
    if (!c->name) {
        char *copy = xstrdup(dir);
        size_t n = strlen(copy);
        while (n > 1 && copy[n - 1] == '/') copy[--n] = 0;
        char *slash = strrchr(copy, '/');
        c->name = slash ? slash + 1 : copy;
        if (!strcmp(c->name, ".") || !strcmp(c->name, "..") || !*c->name) c->name = "unikernel";
    }
    free(path);
}

/* ---- files of the directory ---- */
static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && !strcmp(s + n - m, suf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_files(const char *dir, const char *suffix, strv *out)
{
    DIR *d = opendir(dir);
    if (!d) diag_fatal(dir, "cannot read the directory: %s", strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && has_suffix(e->d_name, suffix)) sv_push(out, xstrdup(e->d_name));
    closedir(d);
    if (out->n) qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_str);
}

static char *module_file(const char *dir, const char *main)
{
    /* the compilation unit of Unikernel.Hello is unikernel.ml (or Unikernel.ml) */
    const char *dot = strchr(main, '.');
    size_t n = dot ? (size_t)(dot - main) : strlen(main);
    char *unit = fmt("%.*s", (int)n, main);
    char *p = fmt("%s/%c%s.ml", dir, unit[0] - 'A' + 'a', unit + 1);
    if (access(p, R_OK) == 0) return unit;
    char *q = fmt("%s/%s.ml", dir, unit);
    if (access(q, R_OK) == 0) return unit;
    diag_fatal(dir, "main = %s: the module %s has no source file (%s missing)", main, unit, p);
}

/* ---- OCaml ---- */
static const char *ocamlfind(void)
{
    static const char *p;
    if (!p) p = tc_require("ocamlfind", "ocaml-findlib");
    return p;
}

static char *packages_arg(const config *c, const char *root)
{
    /* the OS library's own packages (recorded by the Makefile), then the unikernel's */
    char *base = xstrdup("lwt,logs,fmt,cstruct");
    char *pf = fmt("%s/build/os/packages", root);
    FILE *f = fopen(pf, "r");
    if (f) {
        char buf[256];
        if (fgets(buf, sizeof buf, f) && *trim(buf)) base = xstrdup(trim(buf));
        fclose(f);
    }
    char *s = base;
    for (int i = 0; i < c->packages.n; i++) s = fmt("%s,%s", s, c->packages.v[i]);
    return s;
}

/* The sources in dependency order (ocamldep -sort). */
static void sort_sources(const char *dir, strv *srcs, const char *pkgs)
{
    if (srcs->n < 2) return;
    strv argv = { 0 };
    sv_push(&argv, (char *)ocamlfind());
    sv_push(&argv, "ocamldep");
    sv_push(&argv, "-package");
    sv_push(&argv, (char *)pkgs);
    sv_push(&argv, "-sort");
    for (int i = 0; i < srcs->n; i++) sv_push(&argv, fmt("%s/%s", dir, srcs->v[i]));
    char *out;
    int rc = tc_run_capture(argv.v, 0, &out);
    if (rc != 0) diag_fatal(dir, "ocamlfind ocamldep failed (exit status %d)", rc);
    strv sorted = { 0 };
    for (char *tok = strtok(out, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
        char *slash = strrchr(tok, '/');
        sv_push(&sorted, xstrdup(slash ? slash + 1 : tok));
    }
    if (sorted.n == srcs->n) *srcs = sorted;
}

static void write_main(const char *path, const config *c, const char *conf)
{
    FILE *f = fopen(path, "w");
    if (!f) diag_fatal(path, "cannot write: %s", strerror(errno));
    fprintf(f, "(* Generated by ocaml-esp32 from %s (the role of `mirage configure`'s main.ml):\n"
               "   applies the unikernel to its devices and runs it with OS.Main.run. *)\n\n", conf);
    const char *lvl = c->log_level;
    if (!strcmp(lvl, "quiet")) fprintf(f, "(* log-level = quiet: no Logs reporter *)\n");
    else fprintf(f, "let () = Oe_logs.install ~level:(Some Logs.%c%s) ()\n", lvl[0] - 'a' + 'A', lvl + 1);
    fprintf(f, "module Oe_unikernel = %s", c->main);
    if (c->ndevs) {
        fprintf(f, " (");
        for (int i = 0; i < c->ndevs; i++) fprintf(f, "%s%s", i ? ") (" : "", c->devs[i]->module);
        fprintf(f, ")");
    }
    fprintf(f, "\n\nlet () =\n  OS.Main.run (\n");
    for (int i = 0; i < c->ndevs; i++)
        fprintf(f, "    Lwt.bind (%s) (fun device%d ->\n", c->devs[i]->connect, i);
    fprintf(f, "    Oe_unikernel.start");
    if (!c->ndevs) fprintf(f, " ()");
    for (int i = 0; i < c->ndevs; i++) fprintf(f, " device%d", i);
    for (int i = 0; i <= c->ndevs; i++) fprintf(f, ")");
    fprintf(f, "\n");
    if (fclose(f) != 0) diag_fatal(path, "cannot write: %s", strerror(errno));
}

static void compile_ml(const char *src, const char *out, const char *pkgs, const char *osdir,
                       const char *bdir)
{
    char *argv[] = { (char *)ocamlfind(), "ocamlc", "-c", "-no-check-prims", "-package", (char *)pkgs,
                     "-I", (char *)osdir, "-I", (char *)bdir, "-o", (char *)out, (char *)src, NULL };
    int rc = tc_run(argv);
    if (rc != 0) diag_fatal(src, "OCaml compilation failed (ocamlfind ocamlc exit status %d)", rc);
}

/* ---- C ---- */
static const char *compile_c(const char *src, const char *obj, const char *cpu, const char *root)
{
    const char *gcc = tc_require("xtensa-lx106-elf-gcc", "gcc-xtensa-lx106");
    char *argv[] = { (char *)gcc, "-std=c11", "-Wall", "-Wextra", "-O2", "-g",
                     "-mtext-section-literals", "-ffunction-sections", "-fdata-sections",
                     "--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs",
                     fmt("-I%s/runtime/include", root), fmt("-I%s/runtime", root),
                     strcmp(cpu, "lx106") ? "-DOE_CPU_ESP32=1" : "-DOE_CPU_LX106=1",
                     "-c", (char *)src, "-o", (char *)obj, NULL };
    int rc = tc_run(argv);
    if (rc != 0) diag_fatal(src, "C compilation failed (xtensa-lx106-elf-gcc exit status %d)", rc);
    return obj;
}

/* Global functions defined by obj become known primitives. */
static void register_c_symbols(const char *obj)
{
    const char *nm = tc_require("xtensa-lx106-elf-nm", "binutils-xtensa-lx106");
    char *argv[] = { (char *)nm, "-g", "--defined-only", (char *)obj, NULL };
    char *out;
    int rc = tc_run_capture(argv, 0, &out);
    if (rc != 0) diag_fatal(obj, "xtensa-lx106-elf-nm failed (exit status %d)", rc);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char addr[32], type[4], name[512];
        if (sscanf(line, "%31s %3s %511s", addr, type, name) == 3 && (type[0] == 'T'))
            prims_add_extra(xstrdup(name));
    }
}

const char *uk_build(const char *dir, tc_image_opts *img, char **default_elf)
{
    const char *root = tc_root();
    config c;
    read_config(dir, &c);
    for (int k = 0; k < N_SIZE_KEYS; k++) {
        uint32_t *field = (uint32_t *)((char *)img + size_keys[k].off);
        if (c.sizes[k] && !*field) *field = c.sizes[k];
    }
    /* the chip's clock; a QEMU build ignores it (QEMU has no clock to set) */
    if (c.cpu_mhz && !img->cpu_mhz && !strcmp(img->platform, "esp32")) img->cpu_mhz = c.cpu_mhz;
    char *conf = fmt("%s/unikernel.conf", dir);
    char *osdir = fmt("%s/build/os", root);
    char *oscma = fmt("%s/oe_os.cma", osdir);
    if (access(oscma, R_OK) != 0)
        diag_fatal(NULL, "the OS library is not built (%s missing): run `make` in %s", oscma, root);
    char *unit = module_file(dir, c.main);
    strv mls = { 0 }, mlis = { 0 }, cs = { 0 };
    list_files(dir, ".ml", &mls);
    list_files(dir, ".mli", &mlis);
    list_files(dir, ".c", &cs);
    for (int i = 0; i < mls.n; i++)
        if (!strcmp(mls.v[i], "oe_main.ml"))
            diag_fatal(dir, "oe_main.ml is the name of the generated main module: rename your file");
    (void)unit;

    char *bdir = fmt("%s/unikernel", tc_tmpdir());
    if (mkdir(bdir, 0700) != 0 && errno != EEXIST) diag_fatal(bdir, "mkdir: %s", strerror(errno));
    char *pkgs = packages_arg(&c, root);

    /* Check the packages first, for a clear message about a missing one. */
    for (char *p = xstrdup(pkgs), *tok = strtok(p, ","); tok; tok = strtok(NULL, ",")) {
        char *argv[] = { (char *)ocamlfind(), "query", tok, NULL };
        char *out;
        if (tc_run_capture(argv, 0, &out) != 0)
            diag_fatal(conf, "ocamlfind package '%s' not found (is its Debian package installed? "
                       "`apt-cache search ocaml %s`)", tok, tok);
        free(out);
    }

    /* OCaml: interfaces and implementations in dependency order, then the generated main. */
    strv srcs = { 0 };
    for (int i = 0; i < mlis.n; i++) sv_push(&srcs, mlis.v[i]);
    for (int i = 0; i < mls.n; i++) sv_push(&srcs, mls.v[i]);
    sort_sources(dir, &srcs, pkgs);
    strv cmos = { 0 };
    for (int i = 0; i < srcs.n; i++) {
        const char *s = srcs.v[i];
        int is_mli = has_suffix(s, ".mli");
        size_t base = strlen(s) - (is_mli ? 4 : 3);
        char *out = fmt("%s/%.*s.%s", bdir, (int)base, s, is_mli ? "cmi" : "cmo");
        compile_ml(fmt("%s/%s", dir, s), out, pkgs, osdir, bdir);
        if (!is_mli) sv_push(&cmos, out);
    }
    char *main_ml = fmt("%s/oe_main.ml", bdir);
    write_main(main_ml, &c, conf);
    compile_ml(main_ml, fmt("%s/oe_main.cmo", bdir), pkgs, osdir, bdir);
    sv_push(&cmos, fmt("%s/oe_main.cmo", bdir));

    char *byte = fmt("%s/%s.byte", bdir, c.name);
    strv argv = { 0 };
    sv_push(&argv, (char *)ocamlfind());
    sv_push(&argv, "ocamlc");
    sv_push(&argv, "-no-check-prims");
    sv_push(&argv, "-package");
    sv_push(&argv, pkgs);
    sv_push(&argv, "-linkpkg");
    sv_push(&argv, oscma);
    for (int i = 0; i < cmos.n; i++) sv_push(&argv, cmos.v[i]);
    sv_push(&argv, "-o");
    sv_push(&argv, byte);
    int rc = tc_run(argv.v);
    if (rc != 0) diag_fatal(dir, "linking the bytecode failed (ocamlfind ocamlc exit status %d)", rc);

    /* C files */
    if (cs.n) {
        const char **objs = xmalloc((size_t)cs.n * sizeof *objs);
        for (int i = 0; i < cs.n; i++) {
            char *obj = fmt("%s/%.*s.o", bdir, (int)(strlen(cs.v[i]) - 2), cs.v[i]);
            objs[i] = compile_c(fmt("%s/%s", dir, cs.v[i]), obj, img->cpu, root);
            register_c_symbols(obj);
        }
        img->extra_objs = objs;
        img->n_extra_objs = cs.n;
    }
    if (default_elf) {
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/') n--;
        *default_elf = fmt("%.*s/%s.elf", (int)n, dir, c.name);
    }
    return byte;
}
