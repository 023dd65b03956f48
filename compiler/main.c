/* main.c — the ocaml-esp32 command line. */
#include "bytecode.h"
#include "diag.h"
#include "esp32_flash.h"
#include "esp32_image.h"
#include "size.h"
#include "toolchain.h"
#include "unikernel.h"
#include "xtensa/emit.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage:\n"
          "  ocaml-esp32 build [options] PROG.byte [-o OUT.elf]\n"
          "  ocaml-esp32 run   [options] PROG.byte [-- ARGS...]\n"
          "  ocaml-esp32 build|run [options] DIR     a unikernel directory (DIR/unikernel.conf,\n"
          "                      os/README.md); build writes DIR/NAME.elf by default\n"
          "  ocaml-esp32 size [--run] [-t esp32] [--limits FLASH_KB,RAM_KB] [options] IMAGE.elf|PROG.byte|DIR\n"
          "                      flash/RAM footprint (-t esp32: the chip's layout); --run adds\n"
          "                      the peaks measured in QEMU\n"
          "options:\n"
          "  --cpu esp32|lx106   instruction profile (default esp32; QEMU runs it on dc233c)\n"
          "  --heap BYTES        major heap size (suffix K or M allowed; default 128K)\n"
          "  --minor BYTES       minor heap size (default 32K)\n"
          "  --stack BYTES       OCaml stack size (default 32K)\n"
          "  --c-heap BYTES      C heap size: malloc, which holds bigarray data (default 32K)\n"
          "  --c-stack BYTES     C stack size (default 32K)\n"
          "  --timeout SECONDS   run: stop QEMU after this long (exit status 124)\n"
          "  --stats             at exit, print executed instructions and peak heap/stack\n"
          "  --no-dce            keep functions that no live code can call (debugging)\n"
          "  -t qemu|esp32       build: platform (default qemu; esp32 writes an app image)\n"
          "  --full-flash FILE   build -t esp32: also a complete image for a blank chip\n"
          "  --cpu-mhz 80|160|240  build -t esp32: CPU clock (default 160)\n"
          "  --keep-elf FILE     build -t esp32: also keep the linked ELF (for size, objdump)\n"
          "  -o FILE             build: output image (default PROG.elf)\n"
          "ESP32 chip (docs/esp32.md):\n"
          "  ocaml-esp32 elf2image PROG.elf -o APP.bin [--full-flash FLASH.bin] [--bootloader BOOT.elf]\n"
          "  ocaml-esp32 image-info APP.bin       verify and describe an app (or complete flash) image\n"
          "  ocaml-esp32 flash [--port DEV] [--baud N] [--offset N] [--no-reset] [--no-verify] APP.bin\n"
          "  ocaml-esp32 monitor [--port DEV] [--baud N] [--no-reset] [--timeout SECONDS]\n", f);
}

static uint32_t parse_size(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno) diag_fatal(NULL, "%s: expected a size in bytes, got '%s'", opt, s);
    if (*end == 'K' || *end == 'k') { v <<= 10; end++; }
    else if (*end == 'M' || *end == 'm') { v <<= 20; end++; }
    if (*end || v == 0 || v > (96u << 20))
        diag_fatal(NULL, "%s: expected a size between 1 and 96M, got '%s'", opt, s);
    return (uint32_t)((v + 15) & ~15ull);
}

typedef struct cli {
    tc_image_opts img;
    xt_options xt;
    const char *input, *output;
    const char *timeout;
    const char *full_flash;   /* build -t esp32: also write a complete flash image here */
    const char *keep_elf;     /* build -t esp32: also keep the linked ELF here */
    char **prog_args;
    int nprog_args;
} cli;

static void parse(cli *c, int argc, char **argv, int is_run)
{
    memset(c, 0, sizeof *c);
    c->img.cpu = "esp32";
    c->img.platform = "qemu";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED() do { if (!next) diag_fatal(NULL, "option %s needs an argument", a); i++; } while (0)
        if (!strcmp(a, "--")) {
            if (!is_run) diag_fatal(NULL, "'--' (program arguments) is only for `run`");
            c->prog_args = argv + i + 1;
            c->nprog_args = argc - i - 1;
            break;
        } else if (!strcmp(a, "--cpu")) {
            NEED();
            if (strcmp(next, "esp32") && strcmp(next, "lx106"))
                diag_fatal(NULL, "--cpu: unknown cpu '%s' (expected esp32 or lx106)", next);
            c->img.cpu = next;
        } else if (!strcmp(a, "-t") || !strcmp(a, "--target")) {
            NEED();
            if (strcmp(next, "qemu") && strcmp(next, "esp32"))
                diag_fatal(NULL, "%s: unknown platform '%s' (expected qemu or esp32)", a, next);
            c->img.platform = next;
        } else if (!strcmp(a, "--full-flash")) {
            NEED();
            if (is_run) diag_fatal(NULL, "--full-flash is only for `build -t esp32`");
            c->full_flash = next;
        } else if (!strcmp(a, "--keep-elf")) {
            NEED();
            c->keep_elf = next;
        } else if (!strcmp(a, "--cpu-mhz")) {
            NEED();
            c->img.cpu_mhz = tc_parse_cpu_mhz(a, next);
        } else if (!strcmp(a, "--heap")) { NEED(); c->img.heap_bytes = parse_size(a, next); }
        else if (!strcmp(a, "--minor")) { NEED(); c->img.minor_bytes = parse_size(a, next); }
        else if (!strcmp(a, "--stack")) { NEED(); c->img.stack_bytes = parse_size(a, next); }
        else if (!strcmp(a, "--c-heap")) { NEED(); c->img.c_heap_bytes = parse_size(a, next); }
        else if (!strcmp(a, "--c-stack")) { NEED(); c->img.c_stack_bytes = parse_size(a, next); }
        else if (!strcmp(a, "--stats")) c->img.stats = 1;
        else if (!strcmp(a, "--no-dce")) c->xt.flags |= XT_F_NO_DCE;
        else if (!strcmp(a, "--timeout")) {
            NEED();
            char *end;
            long t = strtol(next, &end, 10);
            if (*end || t <= 0) diag_fatal(NULL, "--timeout: expected a positive number of seconds, got '%s'", next);
            c->timeout = next;
        } else if (!strcmp(a, "-o")) {
            NEED();
            if (is_run) diag_fatal(NULL, "-o is only for `build`");
            c->output = next;
        } else if (a[0] == '-' && a[1]) {
            diag_fatal(NULL, "unknown option '%s' (see ocaml-esp32 --help)", a);
        } else if (c->input) {
            diag_fatal(NULL, "more than one input file ('%s' and '%s')", c->input, a);
        } else {
            c->input = a;
        }
#undef NEED
    }
    if (!c->input) diag_fatal(NULL, "no input file (expected a bytecode executable made by ocamlc)");
    int chip = !strcmp(c->img.platform, "esp32");
    if (chip && !strcmp(c->img.cpu, "lx106"))
        diag_fatal(NULL, "-t esp32 needs --cpu esp32 (the lx106 profile is the ESP8266's core)");
    if (chip && is_run)
        diag_fatal(NULL, "`run` executes in QEMU: build with -t esp32 and use `flash` for the chip");
    if (c->full_flash && !chip) diag_fatal(NULL, "--full-flash is only for `build -t esp32`");
    if (c->keep_elf && !chip) diag_fatal(NULL, "--keep-elf is only for `build -t esp32` (the QEMU image is an ELF)");
    if (c->img.cpu_mhz && !chip) diag_fatal(NULL, "--cpu-mhz is only for `build -t esp32` (QEMU has no clock to set)");
    c->xt.cpu = strcmp(c->img.cpu, "lx106") ? XT_CPU_ESP32 : XT_CPU_LX106;
}

static void build_image(cli *c, const char *out)
{
    bc_program *prog = bc_read(c->input);
    char obj[4200];
    snprintf(obj, sizeof obj, "%s/prog.o", tc_tmpdir());
    xt_compile(prog, &c->xt, obj);
    char *err = NULL;
    int rc = tc_link_try(obj, &c->img, out, &err);
    if (rc != 0 && err && strstr(err, "dangerous relocation") && !(c->xt.flags & XT_F_LONG_CALLS)) {
        /* a call0 to the runtime out of reach: more C code linked before the program than
           XT_EXTERN_TEXT_BOUND assumes (xtensa/emit.h); every runtime call long, once more */
        xt_options xt = c->xt;
        xt.flags |= XT_F_LONG_CALLS;
        xt_compile(prog, &xt, obj);
        tc_link(obj, &c->img, out);
    } else if (rc != 0) {
        if (err) diag_fatal(out, "linking failed: %s", err);
        diag_fatal(out, "linking failed (xtensa-lx106-elf-ld exit status %d)", rc);
    }
    free(err);
    bc_free(prog);
}

static int cmd_build(int argc, char **argv)
{
    cli c;
    parse(&c, argc, argv, 0);
    int chip = !strcmp(c.img.platform, "esp32");
    char *out = (char *)c.output;
    if (uk_is_dir(c.input)) c.input = uk_build(c.input, &c.img, out ? NULL : &out);
    if (!out) {
        size_t n = strlen(c.input);
        out = xmalloc(n + 5);
        memcpy(out, c.input, n + 1);
        if (n > 5 && !strcmp(out + n - 5, ".byte")) out[n - 5] = 0;
        strcat(out, ".elf");
    }
    if (!chip) {
        build_image(&c, out);
        return 0;
    }
    /* The chip boots an app image, not an ELF: link aside, then convert. */
    size_t n = strlen(out);
    if (!c.output && n > 4 && !strcmp(out + n - 4, ".elf")) strcpy(out + n - 4, ".bin");
    char elf[4200];
    if (c.keep_elf) snprintf(elf, sizeof elf, "%s", c.keep_elf);
    else snprintf(elf, sizeof elf, "%s/prog.elf", tc_tmpdir());
    build_image(&c, elf);
    uint32_t irom;
    if (esp32_image_from_elf(elf, out, &irom) > 0 && irom) {
        /* the flash code's first page can share the flash page where the read-only data
           ends: link it at the address congruent to where it lands, no padding needed */
        c.img.irom_start = irom;
        build_image(&c, elf);
        esp32_image_from_elf(elf, out, NULL);
    }
    if (c.full_flash) esp32_full_flash_image(out, NULL, c.full_flash);
    return 0;
}

/* QEMU's -semihosting-config takes a comma-separated list: a ',' inside a value is doubled. */
static char *semihosting_config(cli *c)
{
    size_t len = 32;
    len += 2 * strlen(c->input) + 8;
    for (int i = 0; i < c->nprog_args; i++) len += 2 * strlen(c->prog_args[i]) + 8;
    char *s = xmalloc(len), *p = s;
    p += sprintf(p, "enable=on");
    for (int i = -1; i < c->nprog_args; i++) {
        const char *a = i < 0 ? c->input : c->prog_args[i];
        p += sprintf(p, ",arg=");
        for (; *a; a++) {
            if (*a == ',') *p++ = ',';
            *p++ = *a;
        }
    }
    *p = 0;
    return s;
}

static int cmd_run(int argc, char **argv)
{
    cli c;
    parse(&c, argc, argv, 1);
    if (uk_is_dir(c.input)) c.input = uk_build(c.input, &c.img, NULL);
    const char *qemu = tc_require("qemu-system-xtensa", "qemu-system-misc");
    char elf[4200];
    snprintf(elf, sizeof elf, "%s/prog.elf", tc_tmpdir());
    /* the program sees OCAMLRUNPARAM (e.g. b: backtraces) as under ocamlrun */
    c.xt.runparam = getenv("OCAMLRUNPARAM");
    if (!c.xt.runparam) c.xt.runparam = getenv("CAMLRUNPARAM");
    build_image(&c, elf);
    char *qargv[32];
    int n = 0;
    if (c.timeout) {
        qargv[n++] = (char *)tc_require("timeout", "coreutils");
        qargv[n++] = (char *)c.timeout;
    }
    qargv[n++] = (char *)qemu;
    qargv[n++] = "-M"; qargv[n++] = "sim";
    qargv[n++] = "-cpu"; qargv[n++] = c.xt.cpu == XT_CPU_LX106 ? "lx106" : "dc233c";
    qargv[n++] = "-semihosting-config"; qargv[n++] = semihosting_config(&c);
    qargv[n++] = "-display"; qargv[n++] = "none";
    qargv[n++] = "-serial"; qargv[n++] = "none";
    qargv[n++] = "-monitor"; qargv[n++] = "none";
    qargv[n++] = "-icount"; qargv[n++] = "shift=0,sleep=off";
    qargv[n++] = "-kernel"; qargv[n++] = elf;
    qargv[n] = NULL;
    return tc_run(qargv);
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) { usage(stdout); return 0; }
    if (!strcmp(cmd, "build")) return cmd_build(argc - 2, argv + 2);
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "size")) return size_cmd(argc - 2, argv + 2);
    if (!strcmp(cmd, "image-info")) return esp32_cmd_image_info(argc - 2, argv + 2);
    if (!strcmp(cmd, "elf2image")) return esp32_cmd_elf2image(argc - 2, argv + 2);
    if (!strcmp(cmd, "flash")) return esp32_cmd_flash(argc - 2, argv + 2);
    if (!strcmp(cmd, "monitor")) return esp32_cmd_monitor(argc - 2, argv + 2);
    diag_fatal(NULL, "unknown command '%s' (expected build or run; see ocaml-esp32 --help)", cmd);
}
