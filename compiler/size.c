/* size.c — `ocaml-esp32 size [--run] [--limits FLASH_KB,RAM_KB] [-t esp32] [options] INPUT`.

   INPUT is a linked image (.elf), a bytecode executable or a unikernel directory (those two
   are built first, with the same options as `build`; -t esp32 measures the chip's layout,
   whose IRAM holds the vectors, startup and clock code). The table classifies the ELF's
   allocated sections:
     flash code     .text (QEMU: the CODE region), .flash.text (ESP32)
     flash rodata   .rodata, .flash.rodata
     static IRAM    .iram.text (ESP32; none on QEMU)
     static DRAM    .data + .bss (.data also occupies flash: its initial image)
     reservations   .c_heap, .c_stack, and .oe_heap = OCaml stack + minor heap + major heap
                    (sizes from the _oe_*_size symbols)
   --run runs the program in QEMU (`ocaml-esp32 run --stats`) and adds the measured peaks:
   heap (minor heap + live major heap), OCaml stack, C stack; the RAM actually needed is then
   static DRAM + IRAM + peak heap + peak OCaml stack + peak C stack. --limits makes the command
   fail (exit 3) if flash (code + rodata + data) or that RAM figure exceed the limits. */
#include "size.h"
#include "diag.h"
#include "toolchain.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct image {
    uint8_t *buf;
    size_t len;
} image;

static uint32_t rd32(const image *im, size_t off)
{
    if (off + 4 > im->len) diag_fatal(NULL, "truncated ELF file");
    const uint8_t *p = im->buf + off;
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const image *im, size_t off)
{
    if (off + 2 > im->len) diag_fatal(NULL, "truncated ELF file");
    return (uint16_t)(im->buf[off] | im->buf[off + 1] << 8);
}

typedef struct figures {
    uint32_t code, rodata, iram, data, bss, c_heap, c_stack, oe_heap;
    uint32_t ml_heap, ml_minor, ml_stack;        /* from the _oe_*_size symbols */
} figures;

static void read_elf(const char *path, figures *f)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) diag_fatal(path, "cannot open the image");
    image im = { NULL, 0 };
    size_t cap = 0;
    for (;;) {
        if (im.len == cap) im.buf = xrealloc(im.buf, cap = cap ? 2 * cap : 1 << 16);
        size_t n = fread(im.buf + im.len, 1, cap - im.len, fp);
        if (!n) break;
        im.len += n;
    }
    fclose(fp);
    if (im.len < 52 || memcmp(im.buf, "\177ELF", 4) || im.buf[4] != 1 || im.buf[5] != 1 ||
        rd16(&im, 18) != 94 /* EM_XTENSA */)
        diag_fatal(path, "not an Xtensa ELF32 image (expected what `ocaml-esp32 build` writes)");
    uint32_t shoff = rd32(&im, 32);
    uint16_t shentsize = rd16(&im, 46), shnum = rd16(&im, 48), shstrndx = rd16(&im, 50);
    if (shentsize < 40 || shstrndx >= shnum) diag_fatal(path, "bad ELF section table");
    uint32_t strtab_off = rd32(&im, shoff + (size_t)shstrndx * shentsize + 16);
    memset(f, 0, sizeof *f);
    uint32_t symoff = 0, symsize = 0, symstr = 0;
    for (unsigned i = 0; i < shnum; i++) {
        size_t sh = shoff + (size_t)i * shentsize;
        uint32_t name = rd32(&im, sh), type = rd32(&im, sh + 4), flags = rd32(&im, sh + 8);
        uint32_t off = rd32(&im, sh + 16), size = rd32(&im, sh + 20), link = rd32(&im, sh + 24);
        if (strtab_off + name >= im.len) diag_fatal(path, "bad ELF section name");
        const char *n = (const char *)im.buf + strtab_off + name;
        if (type == 2 /* SHT_SYMTAB */) {
            symoff = off;
            symsize = size;
            symstr = rd32(&im, shoff + (size_t)link * shentsize + 16);
        }
        if (!(flags & 2 /* SHF_ALLOC */)) continue;
        if (!strcmp(n, ".text") || !strcmp(n, ".flash.text")) f->code += size;
        else if (!strcmp(n, ".rodata") || !strcmp(n, ".flash.rodata")) f->rodata += size;
        else if (!strcmp(n, ".iram.text")) f->iram += size;
        else if (!strcmp(n, ".data")) f->data += size;
        else if (!strcmp(n, ".bss")) f->bss += size;
        else if (!strcmp(n, ".c_heap")) f->c_heap += size;
        else if (!strcmp(n, ".c_stack")) f->c_stack += size;
        else if (!strcmp(n, ".oe_heap")) f->oe_heap += size;
    }
    for (uint32_t s = 0; symoff && s + 16 <= symsize; s += 16) {
        uint32_t name = rd32(&im, symoff + s), val = rd32(&im, symoff + s + 4);
        if (symstr + name >= im.len) continue;
        const char *n = (const char *)im.buf + symstr + name;
        if (!strcmp(n, "_oe_heap_size")) f->ml_heap = val;
        else if (!strcmp(n, "_oe_minor_size")) f->ml_minor = val;
        else if (!strcmp(n, "_oe_stack_size")) f->ml_stack = val;
    }
    free(im.buf);
}

static const char *self_exe(void)
{
    static char p[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", p, sizeof p - 1);
    if (n <= 0) diag_fatal(NULL, "cannot locate the ocaml-esp32 executable");
    p[n] = 0;
    return p;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static void row(const char *what, uint32_t bytes, const char *note)
{
    printf("  %-22s %9lu  %7.1f KB  %s\n", what, (unsigned long)bytes, bytes / 1024.0, note);
}

int size_cmd(int argc, char **argv)
{
    int run = 0, chip = 0;
    long lim_flash = 0, lim_ram = 0;
    const char *input = NULL;
    char **pass = xcalloc((size_t)argc + 1, sizeof *pass);
    int npass = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--run")) run = 1;
        else if (!strcmp(a, "--limits")) {
            if (i + 1 >= argc || sscanf(argv[i + 1], "%ld,%ld", &lim_flash, &lim_ram) != 2 ||
                lim_flash <= 0 || lim_ram <= 0)
                diag_fatal(NULL, "--limits: expected FLASH_KB,RAM_KB (e.g. 300,64)");
            i++;
        } else if (!strcmp(a, "-t") || !strcmp(a, "--target")) {
            if (i + 1 >= argc || (strcmp(argv[i + 1], "esp32") && strcmp(argv[i + 1], "qemu")))
                diag_fatal(NULL, "size: %s: expected qemu or esp32", a);
            chip = !strcmp(argv[++i], "esp32");
        } else if (!strcmp(a, "--cpu") || !strcmp(a, "--heap") || !strcmp(a, "--minor") ||
                   !strcmp(a, "--stack") || !strcmp(a, "--timeout") || !strcmp(a, "--c-heap") ||
                   !strcmp(a, "--c-stack")) {
            if (i + 1 >= argc) diag_fatal(NULL, "option %s needs an argument", a);
            pass[npass++] = argv[i];
            pass[npass++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            diag_fatal(NULL, "size: unknown option '%s' (see ocaml-esp32 --help)", a);
        } else if (input) {
            diag_fatal(NULL, "size: more than one input ('%s' and '%s')", input, a);
        } else input = a;
    }
    if (!input) diag_fatal(NULL, "size: no input (an image .elf, a bytecode executable or a unikernel directory)");
    int is_elf = has_suffix(input, ".elf");
    if (run && is_elf)
        diag_fatal(input, "size --run needs the program (PROG.byte or a unikernel directory), not an image");

    const char *elf = input;
    char *bin = NULL;     /* -t esp32: the app image, whose size is what flashing writes */
    if (!is_elf) {
        char *out = xmalloc(strlen(tc_tmpdir()) + 16);
        sprintf(out, "%s/size.elf", tc_tmpdir());
        char **bargv = xcalloc((size_t)npass + 12, sizeof *bargv);
        int n = 0;
        bargv[n++] = (char *)self_exe();
        bargv[n++] = "build";
        for (int i = 0; i < npass; i++)
            if (strcmp(pass[i], "--timeout") && (i == 0 || strcmp(pass[i - 1], "--timeout"))) bargv[n++] = pass[i];
        bargv[n++] = (char *)input;
        bargv[n++] = "-o";
        if (chip) {   /* the chip's layout: the app image aside, its ELF measured */
            bargv[n++] = bin = fmt("%s/size.bin", tc_tmpdir());
            bargv[n++] = "-t";
            bargv[n++] = "esp32";
            bargv[n++] = "--keep-elf";
        }
        bargv[n++] = out;
        int rc = tc_run(bargv);
        if (rc != 0) return rc;
        elf = out;
    }
    figures f;
    read_elf(elf, &f);

    unsigned long peak_heap = 0, peak_stack = 0, peak_c_stack = 0;
    int have_peaks = 0, run_rc = 0;
    if (run) {
        char **rargv = xcalloc((size_t)npass + 8, sizeof *rargv);
        int n = 0;
        rargv[n++] = (char *)self_exe();
        rargv[n++] = "run";
        rargv[n++] = "--stats";
        for (int i = 0; i < npass; i++) rargv[n++] = pass[i];
        rargv[n++] = (char *)input;
        char *err;
        run_rc = tc_run_capture(rargv, 1, &err);
        for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n")) {
            unsigned long long insns;
            if (sscanf(line, "ocaml-esp32 stats: instructions %llu, peak heap %lu, peak stack %lu, "
                       "peak C stack %lu", &insns, &peak_heap, &peak_stack, &peak_c_stack) == 4)
                have_peaks = 1;
            else fprintf(stderr, "%s\n", line);
        }
        fflush(stderr);
        if (!have_peaks)
            diag_fatal(input, "the run printed no statistics (exit status %d)", run_rc);
    }

    uint32_t flash = f.code + f.rodata + f.data + f.iram;   /* what the image stores */
    long image_bytes = -1;
    if (bin) {
        FILE *bf = fopen(bin, "rb");
        if (bf && fseek(bf, 0, SEEK_END) == 0) image_bytes = ftell(bf);
        if (bf) fclose(bf);
        if (image_bytes < 0) diag_fatal(bin, "cannot read the app image");
        flash = (uint32_t)image_bytes;   /* headers, checksum and hash included */
    }
    uint32_t static_ram = f.data + f.bss + f.iram;
    printf("%s:\n", elf == input ? input : input);
    row("flash code", f.code, "");
    row("flash rodata", f.rodata, "");
    row("static IRAM", f.iram, f.iram ? "" : "(none on this layout)");
    row("static DRAM", f.data + f.bss, "");
    printf("  %-22s %9s  (data %lu + bss %lu; data also in flash)\n", "", "", (unsigned long)f.data,
           (unsigned long)f.bss);
    if (image_bytes >= 0) row("flash total", flash, "the app image: segments, headers, checksum, SHA-256");
    else row("flash total", flash, f.iram ? "code + rodata + data + IRAM" : "code + rodata + data");
    printf("reserved at link time:\n");
    row("OCaml major heap", f.ml_heap, "");
    row("OCaml minor heap", f.ml_minor, "");
    row("OCaml stack", f.ml_stack, "");
    row("C heap", f.c_heap, "");
    row("C stack", f.c_stack, "");

    /* The limit applies to everything the image reserves: a program that runs within its
       reservations (checked by --run) uses at most that much RAM, whatever it touched. */
    uint32_t ram_reserved = static_ram + f.oe_heap + f.c_heap + f.c_stack, ram_used;
    row("RAM reserved total", ram_reserved, "static + reservations");
    if (have_peaks) {
        printf("measured (peaks of the run, exit status %d):\n", run_rc);
        row("heap (minor + major)", (uint32_t)peak_heap, "");
        row("OCaml stack", (uint32_t)peak_stack, "");
        row("C stack", (uint32_t)peak_c_stack, "");
        ram_used = static_ram + (uint32_t)(peak_heap + peak_stack + peak_c_stack);
        row("RAM used", ram_used, "static + peaks (C heap not measured)");
    }
    if (lim_flash) {
        int ok = flash <= (uint32_t)lim_flash * 1024 && ram_reserved <= (uint32_t)lim_ram * 1024 &&
                 (!have_peaks || run_rc == 0);
        printf("limits: flash %lu / %ld KB, RAM reserved %lu / %ld KB%s: %s\n",
               (unsigned long)(flash + 1023) / 1024, lim_flash,
               (unsigned long)(ram_reserved + 1023) / 1024, lim_ram,
               have_peaks ? (run_rc == 0 ? ", the run fits in it" : ", but the run failed") : "",
               ok ? "OK" : "EXCEEDED");
        if (!ok) return 3;
    }
    return 0;
}
