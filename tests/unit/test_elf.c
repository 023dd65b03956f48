/* test_elf.c — elf.c output checked by binutils: readelf must accept the object and show its
   sections, symbols and relocations; ld must link it against a gas object and produce the
   right words (checked by reading the linked executable). */
#include "elf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;
static void check(int ok, const char *what)
{
    if (ok) passed++;
    else failed++, printf("FAIL %s\n", what);
}

static char *run(const char *cmd)   /* stdout + stderr of cmd */
{
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t n = 0, cap = 65536;
    char *s = malloc(cap);
    for (size_t k; (k = fread(s + n, 1, cap - n - 1, p)) > 0; n += k)
        if (cap - n - 1 - k == 0) s = realloc(s, cap *= 2);
    s[n] = 0;
    if (pclose(p) != 0) { printf("command failed: %s\n%s\n", cmd, s); free(s); return NULL; }
    return s;
}

/* ---- a tiny reader for the linked executable ---- */
static uint8_t *img;
static size_t imglen;
static uint32_t rd32(size_t off) { return off + 4 <= imglen ? img[off] | img[off + 1] << 8 | img[off + 2] << 16 | (uint32_t)img[off + 3] << 24 : 0; }
static uint32_t rd16(size_t off) { return off + 2 <= imglen ? (uint32_t)(img[off] | img[off + 1] << 8) : 0; }
static int load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    imglen = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    free(img);
    img = malloc(imglen);
    int ok = fread(img, 1, imglen, f) == imglen;
    fclose(f);
    return ok;
}
static uint32_t shdr(int i, int field) { return rd32(rd32(32) + 40u * (uint32_t)i + 4u * (uint32_t)field); }
static int word_at(uint32_t addr, uint32_t *out)
{
    for (uint32_t i = 0; i < rd16(48); i++)
        if (shdr((int)i, 1) == 1 && addr >= shdr((int)i, 3) && addr + 4 <= shdr((int)i, 3) + shdr((int)i, 5)) {
            *out = rd32(shdr((int)i, 4) + addr - shdr((int)i, 3));
            return 1;
        }
    return 0;
}
static uint32_t sym(const char *name)
{
    for (uint32_t i = 0; i < rd16(48); i++) {
        if (shdr((int)i, 1) != 2) continue;
        uint32_t stroff = shdr((int)shdr((int)i, 6), 4);
        for (uint32_t k = 0; k < shdr((int)i, 5) / 16; k++) {
            uint32_t e = shdr((int)i, 4) + 16 * k;
            if (!strcmp((char *)img + stroff + rd32(e), name)) return rd32(e + 4);
        }
    }
    printf("symbol %s not found\n", name);
    return 0xdeadbeef;
}

static void expect_word(uint32_t addr, uint32_t want, const char *what)
{
    uint32_t got = 0;
    int ok = word_at(addr, &got) && got == want;
    if (!ok) printf("  %s: word at %#x = %#x, want %#x\n", what, addr, got, want);
    check(ok, what);
}

int main(void)
{
    char dir[] = "/tmp/test_elf_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256], cmd[1024];

    elf_obj *o = elf_new();
    int text = elf_section(o, ".text", ELF_TEXT, 4);
    int ro = elf_section(o, ".rodata", ELF_RODATA, 4);
    int data = elf_section(o, ".data", ELF_DATA, 4);
    int bss = elf_section(o, ".bss", ELF_BSS, 8);
    int late = elf_symbol_ref(o, "t_late");           /* referenced before defined */

    /* .text: [0] literal -> rodata + 8, [4] t_func: call0 ext; ret.n, [9] t_late: ret.n */
    static const uint8_t zero4[4];
    elf_append(o, text, zero4, 4);
    elf_reloc(o, text, 0, elf_section_symbol(o, ro), 1, 8);
    static const uint8_t fn[] = {0x05, 0x00, 0x00, 0x0d, 0xf0, 0x0d, 0xf0};
    uint32_t f_off = elf_append(o, text, fn, sizeof fn);
    elf_reloc(o, text, f_off, elf_symbol_ref(o, "ext"), 20, 0);
    elf_symbol(o, "t_func", text, f_off, 5, ELF_GLOBAL, ELF_FUNC);
    check(elf_symbol(o, "t_late", text, f_off + 5, 2, ELF_GLOBAL, ELF_FUNC) == late,
          "defining a referenced symbol keeps its handle");
    check(elf_size(o, text) == 11, "elf_size");

    /* .rodata: camlS_1 (local) "hello\0\0\0"; [8] -> t_func, [12] -> .data + 4, [16] -> ext_data+2 */
    elf_append(o, ro, "hello\0\0", 8);
    int s1 = elf_symbol(o, "camlS_1", ro, 0, 8, ELF_LOCAL, ELF_OBJECT);
    elf_append(o, ro, NULL, 12);
    elf_reloc(o, ro, 8, elf_symbol_ref(o, "t_func"), 1, 0);
    elf_reloc(o, ro, 12, elf_section_symbol(o, data), 1, 4);
    elf_reloc(o, ro, 16, elf_symbol_ref(o, "ext_data"), 1, 2);

    /* .data: [0] -> camlS_1 + 2, [4] caml_globals = 0x12345678, [8] -> t_bss, [12] -> t_late */
    elf_reloc(o, data, 0, s1, 1, 2);          /* a reloc may precede its bytes */
    elf_append(o, data, zero4, 4);
    uint8_t w[4] = {0x78, 0x56, 0x34, 0x12};
    elf_append(o, data, w, 4);
    elf_symbol(o, "caml_globals", data, 4, 4, ELF_GLOBAL, ELF_OBJECT);
    elf_append(o, data, zero4, 4);
    elf_reloc(o, data, 8, elf_symbol_ref(o, "t_bss"), 1, 0);
    elf_append(o, data, zero4, 2);
    elf_align(o, data, 4);
    check(elf_size(o, data) == 16, "elf_align pads");
    elf_reloc(o, data, 12, late, 1, 0);

    elf_append(o, bss, NULL, 64);
    elf_symbol(o, "t_bss", bss, 16, 8, ELF_GLOBAL, ELF_OBJECT);
    elf_symbol(o, "t_local_bss", bss, 0, 4, ELF_LOCAL, ELF_NOTYPE);

    snprintf(path, sizeof path, "%s/m.o", dir);
    elf_write(o, path);
    elf_free(o);

    /* readelf must accept it and show everything */
    snprintf(cmd, sizeof cmd, "xtensa-lx106-elf-readelf -a -W %s 2>&1", path);
    char *re = run(cmd);
    check(re != NULL, "readelf runs");
    if (re) {
        static const char *want[] = {
            "REL (Relocatable file)", "Tensilica Xtensa", "Flags:                             0x300",
            ".rela.text", ".rela.rodata", ".rela.data", "NOBITS", "R_XTENSA_SLOT0_OP",
            "R_XTENSA_32", "ext + 0", "ext_data + 2", ".data + 4", "camlS_1 + 2",
            "OBJECT  LOCAL  DEFAULT    2 camlS_1", "FUNC    GLOBAL DEFAULT    1 t_func",
            "OBJECT  GLOBAL DEFAULT    3 caml_globals", "OBJECT  GLOBAL DEFAULT    4 t_bss",
            "NOTYPE  LOCAL  DEFAULT    4 t_local_bss", "NOTYPE  GLOBAL DEFAULT  UND ext",
            "SECTION LOCAL  DEFAULT    1"};
        for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
            char what[128];
            snprintf(what, sizeof what, "readelf shows '%s'", want[i]);
            check(strstr(re, want[i]) != NULL, what);
        }
        check(!strstr(re, "Warning") && !strstr(re, "Error") && !strstr(re, "warning"),
              "readelf reports no problem");
        if (failed) printf("%s\n", re);
        free(re);
    }
    snprintf(cmd, sizeof cmd, "xtensa-lx106-elf-objdump -dr %s > /dev/null 2>&1", path);
    check(system(cmd) == 0, "objdump accepts it");

    /* link against gas */
    snprintf(cmd, sizeof cmd,
             "cd %s && printf '\\t.text\\n\\t.global ext\\n\\t.align 4\\next: ret\\n"
             "\\t.data\\n\\t.global ext_data\\n\\t.align 4\\next_data: .word 7, 8\\n' > g.s && "
             "xtensa-lx106-elf-as g.s -o g.o", dir);
    check(system(cmd) == 0, "gas object");
    for (int relax = 0; relax < 2; relax++) {
        snprintf(cmd, sizeof cmd,
                 "cd %s && xtensa-lx106-elf-ld %s -e t_func -Ttext=0x40100000 -Tdata=0x3ffe8000 "
                 "-Tbss=0x3fff0000 m.o g.o -o out.elf", dir, relax ? "" : "--no-relax");
        check(system(cmd) == 0, "ld links");
        snprintf(path, sizeof path, "%s/out.elf", dir);
        if (!load(path)) { check(0, "read linked elf"); continue; }
        uint32_t tf = sym("t_func"), rodata = sym("camlS_1"), gl = sym("caml_globals");
        expect_word(sym("ext_data"), 7, "gas data");
        expect_word(tf - 4, rodata + 8, "text literal -> .rodata+8");
        expect_word(rodata + 8, tf, "rodata -> t_func");
        expect_word(rodata + 12, gl, ".data+4 is caml_globals");
        expect_word(rodata + 16, sym("ext_data") + 2, "-> ext_data+2");
        expect_word(gl - 4, rodata + 2, "local symbol + 2");
        expect_word(gl, 0x12345678, "plain data");
        expect_word(gl + 4, sym("t_bss"), "-> bss symbol");
        expect_word(gl + 8, sym("t_late"), "-> late-defined symbol");
        check(sym("t_bss") == 0x3fff0010, "bss symbol address");
        check(sym("t_late") == tf + 5, "t_late address");
        /* call0 ext at t_func: target = (pc & ~3) + 4 + 4 * offset */
        uint32_t insn = 0;
        word_at(tf, &insn);
        uint32_t off18 = (insn >> 6) & 0x3ffff;
        int32_t soff = (int32_t)(off18 << 14) >> 14;
        uint32_t target = (tf & ~3u) + 4 + 4 * (uint32_t)soff;
        if (target != sym("ext")) printf("  call0 -> %#x, ext at %#x\n", target, sym("ext"));
        check((insn & 0x3f) == 5 && target == sym("ext"),
              relax ? "call0 ext resolved (relaxing ld)" : "call0 ext resolved (--no-relax)");
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) printf("(could not remove %s)\n", dir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
