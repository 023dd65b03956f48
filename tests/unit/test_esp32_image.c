/* test_esp32_image.c — ESP32 app images: a tiny program linked at test time with
   xtensa-lx106-elf-as/ld and platform/esp32/esp32.ld is turned into an image, parsed back and
   checked field by field (both checksums); every corruption (byte flips, truncation) is
   detected; segments land only at valid ESP32 addresses; the linker script turns overflows
   into link errors; the bootloader's host-testable logic (loading plan, MMU pages,
   partition table, MD5) and the complete flash image are checked; `image-info` prints one
   error line and exits 1 on a corrupt image. Run from the repository root. */
#include "esp32_image.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;
static void check(int ok, const char *what)
{
    if (ok) passed++;
    else failed++, printf("FAIL %s\n", what);
}
#define CHECKF(ok, ...) do { char m_[600]; snprintf(m_, sizeof m_, __VA_ARGS__); check(ok, m_); } while (0)

static char tmp[64];

static int sh(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static void write_text(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    fputs(s, f);
    fclose(f);
}

/* The test program: one section per ESP32 region the app linker script knows, filled with
   recognisable words. */
static const char *app_asm =
    "    .section .rodata_desc, \"a\"\n"
    "    .word 0xABCD5432, 0, 0, 0\n"
    "    .asciz \"9.9\"\n    .space 28\n"          /* version */
    "    .asciz \"imgtest\"\n    .space 24\n"      /* project name */
    "    .space 256 - 16 - 64\n"
    "    .section .rodata.k, \"a\"\n"
    "    .global table\ntable:\n"
    "    .rept 300\n    .word 0x11223344\n    .endr\n"
    "    .section .iram.text._start, \"ax\"\n"
    "    .literal_position\n"
    "    .global _start\n    .align 4\n_start:\n"
    "    movi a2, table\n    l32i a2, a2, 0\n    movi a3, main\n    movi a4, dword\n    movi a5, bssword\n"
    "    j _start\n"
    "    .section .iram.vectors, \"ax\"\n    .global _oe_vectors\n    .align 4\n_oe_vectors:\n"
    "    .word 0x5A5A5A5A\n"
    "    .section .text.main, \"ax\"\n    .global main\n    .align 4\nmain:\n"
    "    .rept 5000\n    .word 0x77665544\n    .endr\n"
    "    .section .data.d, \"aw\"\n    .global dword\ndword:\n"
    "    .word 0xCAFEF00D, 0x01020304\n"
    "    .section .bss.b, \"aw\", @nobits\nbssword:\n    .space 64\n";

static int link_app(const char *asm_text, const char *ldflags, const char *elf)
{
    char s[256], o[256], cmd[1024];
    snprintf(s, sizeof s, "%s/a.S", tmp);
    snprintf(o, sizeof o, "%s/a.o", tmp);
    write_text(s, asm_text);
    snprintf(cmd, sizeof cmd, "xtensa-lx106-elf-gcc -c -mtext-section-literals %s -o %s", s, o);
    if (sh(cmd)) return -1;
    snprintf(cmd, sizeof cmd, "xtensa-lx106-elf-ld %s %s -o %s 2>%s/ld.err", ldflags, o, elf, tmp);
    return sh(cmd) ? -1 : 0;
}

static const bl_segment *find_seg(const bl_image *im, uint32_t addr)
{
    for (int i = 0; i < im->nsegs; i++)
        if (im->seg[i].load_addr == addr) return &im->seg[i];
    return NULL;
}

static int all_words(const uint8_t *p, uint32_t n, uint32_t w)
{
    for (uint32_t i = 0; i + 4 <= n; i += 4)
        if (bl_rd32(p + i) != w) return 0;
    return 1;
}

/* ---- known answers for the hashes ---- */
static void hashes(void)
{
    uint8_t d[32];
    char hex[65];
    esp32_sha256((const uint8_t *)"abc", 3, d);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", d[i]);
    check(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "SHA-256(abc)");
    esp32_sha256((const uint8_t *)"", 0, d);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", d[i]);
    check(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "SHA-256(empty)");
    const char *m56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    esp32_sha256((const uint8_t *)m56, strlen(m56), d);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", d[i]);
    check(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"), "SHA-256(56-byte message)");
    bl_md5 c;
    uint8_t m[16];
    bl_md5_init(&c);
    bl_md5_update(&c, (const uint8_t *)"abc", 3);
    bl_md5_final(&c, m);
    for (int i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", m[i]);
    check(!strcmp(hex, "900150983cd24fb0d6963f7d28e17f72"), "MD5(abc)");
    bl_md5_init(&c);
    const char *q = "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
    bl_md5_update(&c, (const uint8_t *)q, (uint32_t)strlen(q));
    bl_md5_final(&c, m);
    for (int i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", m[i]);
    check(!strcmp(hex, "57edf4a22be3c955ac49da2e2107b67a"), "MD5(80 digits)");
}

/* ---- regions and the MMU ---- */
static void regions_and_mmu(void)
{
    check(bl_region_of(0x3F400020, 16) == BL_REG_DROM, "DROM address");
    check(bl_region_of(0x3F7FFFF0, 32) == BL_REG_INVALID, "DROM overrun is invalid");
    check(bl_region_of(0x400D0020, 4) == BL_REG_IROM, "IROM address");
    check(bl_region_of(0x40080000, 0x20000) == BL_REG_IRAM, "IRAM, whole app part");
    check(bl_region_of(0x4009FFFC, 8) == BL_REG_INVALID, "IRAM overrun is invalid");
    check(bl_region_of(0x3FFB0000, 0x50000) == BL_REG_DRAM, "DRAM up to 0x40000000");
    check(bl_region_of(0x3FFFFFFC, 8) == BL_REG_INVALID, "DRAM overrun is invalid");
    check(bl_region_of(0x50000000, 0x2000) == BL_REG_RTC_SLOW, "RTC slow");
    check(bl_region_of(0x3FF80000, 4) == BL_REG_RTC_FAST_D && bl_region_of(0x400C0000, 4) == BL_REG_RTC_FAST_I, "RTC fast");
    check(bl_region_of(0x20000000, 4) == BL_REG_INVALID, "0x20000000 is nothing");
    check(bl_region_of(0, 64) == BL_REG_PADDING, "address 0 is padding");
    check(bl_mmu_index(0x3F400000) == 0 && bl_mmu_index(0x3F7FFFFF) == 63, "DROM MMU entries 0..63");
    check(bl_mmu_index(0x400D0020) == 77, "0x400D0000 is MMU entry 77");
    check(bl_mmu_index(0x400C2000) == 76 && bl_mmu_index(0x40BFFFFF) == 255, "IROM MMU entries 76..255");
    check(bl_mmu_index(0x3F800000) == -1 && bl_mmu_index(0x40080000) == -1, "unmapped addresses");
    bl_mmu_entry e[8];
    int n = 0;
    check(bl_mmu_map(0x3F400020, 0x10020, 0x20000, e, 8, &n) == 0 && n == 3 &&
          e[0].index == 0 && e[0].page == 1 && e[2].index == 2 && e[2].page == 3,
          "DROM 128 KB + 0x20 at flash 0x10020: entries 0-2 -> pages 1-3");
    n = 0;
    check(bl_mmu_map(0x3F400020, 0x10024, 16, e, 8, &n) < 0, "non-congruent mapping refused");
    n = 0;
    check(bl_mmu_map(0x3F400000, 0x10000, 0x10000, e, 8, &n) == 0 && n == 1 &&
          bl_mmu_map(0x3F400000, 0x20000, 4, e, 8, &n) < 0, "two segments disagreeing on a page refused");
    n = 0;
    check(bl_mmu_map(0x3F7F0000, 0x10000, 0x20000, e, 8, &n) < 0, "mapping past the DROM window refused");
}

/* ---- the image round trip ---- */
static uint8_t *img;
static size_t img_len;
static uint8_t *elf;
static size_t elf_len;

static void round_trip(void)
{
    char elfp[128], ldf[256];
    snprintf(elfp, sizeof elfp, "%s/app.elf", tmp);
    snprintf(ldf, sizeof ldf, "-Lplatform/esp32 -T platform/esp32/esp32.ld --gc-sections");
    if (link_app(app_asm, ldf, elfp) < 0) { check(0, "linking the test app with esp32.ld"); return; }
    check(1, "linking the test app with esp32.ld");
    elf = esp32_read_file(elfp, &elf_len);
    esp32_image_opts o = { .app_desc_sha = 1, .hash_appended = 1 };
    char err[256] = "";
    img = esp32_image_build(elf, elf_len, &o, &img_len, err, sizeof err);
    CHECKF(img != NULL, "image built (%s)", err);
    if (!img) return;
    esp32_image_report r;
    int v = esp32_image_verify(img, img_len, ESP32_APP_OFFSET, &r, err, sizeof err);
    CHECKF(v == 0, "image verifies (%s)", err);
    const bl_image *im = &r.im;
    check(img[0] == 0xE9, "magic 0xE9");
    check(im->spi_mode == 2 && im->spi_speed == 0 && im->spi_size == 2, "DIO, 40 MHz, 4 MB");
    check(im->entry == bl_rd32(elf + 24), "entry point = ELF entry");
    check(bl_region_of(im->entry, 4) == BL_REG_IRAM, "entry point in IRAM");
    check(im->wp_pin == 0xEE && im->chip_id == 0 && im->min_chip_rev == 0 && im->hash_appended == 1,
          "extended header: WP 0xEE, chip ESP32, rev 0, hash appended");
    check(im->max_chip_rev_full == 399, "max chip revision v3.99");
    check(im->nsegs == img[1] && im->nsegs >= 4 && im->nsegs <= 16, "segment count");
    const bl_segment *drom = find_seg(im, 0x3F400020), *irom = find_seg(im, 0x400D0020);
    const bl_segment *iram = find_seg(im, 0x40080000), *dram = find_seg(im, 0x3FFB0000);
    check(drom && irom && iram && dram, "one segment per region group (DROM, IROM, IRAM, DRAM)");
    if (!(drom && irom && iram && dram)) return;
    check(im->seg[0].load_addr == 0x3F400020, "DROM segment first (app descriptor)");
    check(bl_rd32(img + drom->data_offset) == ESP32_APP_DESC_MAGIC, "app descriptor magic at DROM start");
    check(all_words(img + drom->data_offset + 256, 300 * 4, 0x11223344), "DROM data = .rodata");
    check(irom->len >= 20000 && all_words(img + irom->data_offset, 20000, 0x77665544), "IROM data = .text");
    check(bl_rd32(img + dram->data_offset) == 0xCAFEF00D && bl_rd32(img + dram->data_offset + 4) == 0x01020304,
          "DRAM data = .data");
    check(r.has_app_desc && !memcmp(r.app_desc + 0x30, "imgtest", 8) && !memcmp(r.app_desc + 0x10, "9.9", 4),
          "app descriptor: project name and version");
    uint8_t d[32];
    esp32_sha256(elf, elf_len, d);
    check(!memcmp(r.app_desc + ESP32_APP_DESC_SHA_OFF, d, 32), "app descriptor holds the ELF's SHA-256");
    for (int i = 0; i < im->nsegs; i++) {
        const bl_segment *s = &im->seg[i];
        CHECKF(s->region != BL_REG_INVALID, "segment %d at a valid address", i);
        CHECKF(s->len % 4 == 0, "segment %d length multiple of 4", i);
        if (bl_region_is_flash(s->region))
            CHECKF((ESP32_APP_OFFSET + s->data_offset) % 0x10000 == s->load_addr % 0x10000,
                   "flash segment %d congruent mod 64 KB", i);
        if (s->region == BL_REG_PADDING) CHECKF(all_words(img + s->data_offset, s->len, 0), "padding %d is zeros", i);
    }
    /* checksum and hash recomputed here from the raw bytes */
    uint8_t sum = 0xEF;
    for (int i = 0; i < im->nsegs; i++)
        for (uint32_t k = 0; k < im->seg[i].len; k++) sum ^= img[im->seg[i].data_offset + k];
    check((im->checksum_offset + 1) % 16 == 0, "checksum at the end of a 16-byte block");
    check(img[im->checksum_offset] == sum && r.im.checksum_computed == sum, "XOR checksum (seed 0xEF)");
    esp32_sha256(img, im->checksum_offset + 1, d);
    check(img_len == im->checksum_offset + 1 + 32 && !memcmp(img + im->checksum_offset + 1, d, 32),
          "SHA-256 of everything before it appended");
    for (uint32_t k = im->seg[im->nsegs - 1].data_offset + im->seg[im->nsegs - 1].len; k < im->checksum_offset; k++)
        if (img[k]) { check(0, "zero padding before the checksum"); break; }

    /* the bootloader's plan for this image at 0x10000 */
    bl_step st[16];
    int ns = bl_plan_steps(im, ESP32_APP_OFFSET, st);
    int maps = 0, copies = 0, skips = 0;
    for (int i = 0; i < ns; i++) {
        maps += st[i].action == BL_ACT_MAP;
        copies += st[i].action == BL_ACT_COPY;
        skips += st[i].action == BL_ACT_SKIP;
        check(st[i].flash_addr == ESP32_APP_OFFSET + im->seg[i].data_offset, "plan: flash address of each segment");
    }
    check(maps == 2 && copies == 2 && skips == ns - 4, "plan: map DROM+IROM, copy IRAM+DRAM, skip padding");
    check(bl_plan_check(st, ns) == -1, "plan: nothing overwrites the bootloader");
    bl_mmu_entry mm[256];
    int nm;
    check(bl_mmu_plan(st, ns, mm, 256, &nm) == 0, "MMU plan computed");
    int saw_drom = 0, saw_irom = 0;
    for (int i = 0; i < nm; i++) {
        if (mm[i].index == 0 && mm[i].page == (ESP32_APP_OFFSET + drom->data_offset) / 0x10000) saw_drom = 1;
        if (mm[i].index == 77 && mm[i].page == (ESP32_APP_OFFSET + irom->data_offset) / 0x10000) saw_irom = 1;
    }
    check(saw_drom && saw_irom, "MMU: entry 0 -> DROM's flash page, entry 77 -> IROM's flash page");
    bl_step bad = { BL_ACT_COPY, 0x10000, 0x3FFF8000, 16 };
    check(bl_plan_check(&bad, 1) == 0, "plan: a RAM segment over the bootloader's DRAM is refused");
    bad.vaddr = 0x4007FFF0;
    check(bl_plan_check(&bad, 1) == 0, "plan: a RAM segment over the bootloader's IRAM is refused");
}

/* The tool relinks the flash code at the address the writer reports (irom_congruent): the
   image then needs no padding, and the flash page where DROM ends is mapped twice (DROM entry
   0 and IROM entry 77). */
static void compact_layout(void)
{
    esp32_image_opts o = { .app_desc_sha = 1, .hash_appended = 1 };
    char err[256] = "";
    size_t len1, len2;
    uint8_t *i1 = esp32_image_build(elf, elf_len, &o, &len1, err, sizeof err);
    CHECKF(i1 && o.padding > 0 && (o.irom_congruent >> 16) == 0x400D, "default layout pads (%u bytes)", o.padding);
    char elfp[128], ldf[256];
    snprintf(elfp, sizeof elfp, "%s/app2.elf", tmp);
    snprintf(ldf, sizeof ldf, "-Lplatform/esp32 -T platform/esp32/esp32.ld --gc-sections --defsym=_oe_irom_start=0x%x",
             o.irom_congruent);
    uint32_t want = o.irom_congruent;
    if (link_app(app_asm, ldf, elfp) < 0) { check(0, "relinking at the congruent address"); free(i1); return; }
    size_t n2;
    uint8_t *e2 = esp32_read_file(elfp, &n2);
    uint8_t *i2 = esp32_image_build(e2, n2, &o, &len2, err, sizeof err);
    CHECKF(i2 != NULL, "compact image built (%s)", err);
    if (!i2) { free(i1); free(e2); return; }
    CHECKF(o.padding == 0 && len2 + 0x8000 < len1, "no padding: %zu bytes instead of %zu", len2, len1);
    esp32_image_report r;
    CHECKF(esp32_image_verify(i2, len2, ESP32_APP_OFFSET, &r, err, sizeof err) == 0, "compact image verifies (%s)", err);
    const bl_segment *irom = find_seg(&r.im, want);
    check(irom && irom == &r.im.seg[1], "IROM right after DROM, at the address asked for");
    bl_step st[16];
    int ns = bl_plan_steps(&r.im, ESP32_APP_OFFSET, st);
    bl_mmu_entry mm[256];
    int nm, saw0 = 0, saw77 = 0;
    check(bl_mmu_plan(st, ns, mm, 256, &nm) == 0, "compact: MMU plan computed");
    for (int i = 0; i < nm; i++) {
        if (mm[i].index == 0 && mm[i].page == ESP32_APP_OFFSET / 0x10000) saw0 = 1;
        if (mm[i].index == 77 && mm[i].page == ESP32_APP_OFFSET / 0x10000) saw77 = 1;
    }
    check(saw0 && saw77, "compact: the app's first flash page mapped as DROM (entry 0) and IROM (entry 77)");
    free(i1);
    free(i2);
    free(e2);
}

static void corruption(void)
{
    if (!img) return;
    esp32_image_report r;
    char err[256];
    uint8_t *c = malloc(img_len);
    /* every byte of the headers, checksum and hash; a spread of data bytes */
    int tried = 0, caught = 0;
    for (size_t pos = 0; pos < img_len; pos += (pos < 64 || pos + 64 > img_len) ? 1 : 97) {
        memcpy(c, img, img_len);
        c[pos] ^= 0x01;
        tried++;
        if (esp32_image_verify(c, img_len, ESP32_APP_OFFSET, &r, err, sizeof err) < 0) caught++;
        else printf("  undetected flip at %zu\n", pos);
    }
    CHECKF(tried == caught, "every flipped byte detected (%d of %d)", caught, tried);
    /* a data byte flipped: the checksum names it */
    memcpy(c, img, img_len);
    c[img_len / 2] ^= 0x80;
    check(esp32_image_verify(c, img_len, ESP32_APP_OFFSET, &r, err, sizeof err) < 0 &&
          strstr(err, "checksum") != NULL, "a data flip is a checksum mismatch");
    /* data flip + checksum patched: only the SHA-256 catches it */
    memcpy(c, img, img_len);
    c[img_len / 2] ^= 0x80;
    c[r.im.checksum_offset] ^= 0x80;
    check(esp32_image_verify(c, img_len, ESP32_APP_OFFSET, &r, err, sizeof err) < 0 &&
          strstr(err, "SHA-256") != NULL, "checksum-preserving corruption caught by the SHA-256");
    int tr = 0, tc = 0;
    for (size_t len = 0; len < img_len; len += len < 64 ? 1 : 1013) {
        tr++;
        if (esp32_image_verify(img, len, ESP32_APP_OFFSET, &r, err, sizeof err) < 0) tc++;
    }
    tr++;
    if (esp32_image_verify(img, img_len - 1, ESP32_APP_OFFSET, &r, err, sizeof err) < 0 && strstr(err, "truncated")) tc++;
    CHECKF(tr == tc, "every truncation detected (%d of %d)", tc, tr);
    check(esp32_image_verify(img, img_len, ESP32_APP_OFFSET + 4, &r, err, sizeof err) < 0 &&
          strstr(err, "64 KB"), "image at a non-aligned flash offset: mapping error");
    /* a hand-made image with a DROM segment at the wrong flash offset */
    uint8_t h[64] = { 0xE9, 1, 2, 0x20 };
    bl_wr32(h + 4, 0x40080000);
    h[8] = 0xEE;
    bl_wr32(h + 24, 0x3F400000);
    bl_wr32(h + 28, 4);
    h[47] = 0xEF;
    check(bl_parse_image(h, 48, 0, &r.im, NULL) == BL_ERR_ALIGN, "DROM segment not congruent: BL_ERR_ALIGN");
    bl_wr32(h + 24, 0x3FFB0000);
    check(bl_parse_image(h, 48, 0, &r.im, NULL) == BL_OK, "the same as a DRAM segment parses");
    bl_wr32(h + 24, 0x60000000);
    check(bl_parse_image(h, 48, 0, &r.im, NULL) == BL_ERR_SEGADDR, "segment at 0x60000000: BL_ERR_SEGADDR");
    bl_wr32(h + 24, 0x3FFB0000);
    bl_wr32(h + 28, 6);
    check(bl_parse_image(h, 48, 0, &r.im, NULL) != BL_OK, "segment length 6 refused");
    bl_wr32(h + 28, 4);
    h[1] = 17;
    check(bl_parse_image(h, 48, 0, &r.im, NULL) == BL_ERR_SEGCOUNT, "17 segments refused");
    h[1] = 1;
    h[12] = 2;
    check(bl_parse_image(h, 48, 0, &r.im, NULL) == BL_ERR_CHIP, "chip id 2 (ESP32-S2) refused");
    free(c);
}

/* Link errors and writer errors for programs that do not fit or sit at wrong addresses. */
static void writer_errors(void)
{
    char elfp[128], err[256];
    snprintf(elfp, sizeof elfp, "%s/bad.elf", tmp);
    const char *base = "-Lplatform/esp32 -T platform/esp32/esp32.ld";
    char big[2048];
    snprintf(big, sizeof big, "%s    .section .data.big, \"aw\"\n    .space 0x60000, 1\n", app_asm);
    check(link_app(big, base, elfp) < 0, "384 KB of .data: link error (DRAM overflow)");
    snprintf(big, sizeof big, "%s    .section .iram.text.big, \"ax\"\n    .space 0x21000, 0\n", app_asm);
    check(link_app(big, base, elfp) < 0, "132 KB of IRAM code: link error (IRAM overflow)");
    snprintf(big, sizeof big, "%s    .section .rodata.big, \"a\"\n    .space 0x400000, 0\n", app_asm);
    check(link_app(big, base, elfp) < 0, "4 MB of .rodata: link error (DROM overflow)");
    /* an ELF with code at an address the ESP32 does not have */
    if (link_app("    .text\n    .global _start\n_start:\n    nop\n    nop\n", "-Ttext=0x20000000", elfp) == 0) {
        size_t n, len;
        uint8_t *e = esp32_read_file(elfp, &n);
        esp32_image_opts o = { .app_desc_sha = 1, .hash_appended = 1 };
        uint8_t *i = esp32_image_build(e, n, &o, &len, err, sizeof err);
        check(i == NULL && strstr(err, "outside the ESP32"), "section at 0x20000000 refused by the writer");
        free(i);
        free(e);
    } else check(0, "linking the 0x20000000 program");
    size_t len;
    esp32_image_opts o = { .app_desc_sha = 1, .hash_appended = 1 };
    check(esp32_image_build((const uint8_t *)"not an elf file at all..........................................",
                            60, &o, &len, err, sizeof err) == NULL && strstr(err, "ELF"), "non-ELF input refused");
}

/* ---- partition table ---- */
static void partitions(void)
{
    bl_partition p[3];
    int n;
    esp32_default_partitions(p, &n);
    uint8_t t[BL_PART_TABLE_MAX];
    uint32_t used = bl_partitions_encode(p, n, t);
    check(used == 64, "one entry + MD5 entry = 64 bytes");
    static const uint8_t want[32] = { 0xAA, 0x50, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3F, 0x00,
                                      'f', 'a', 'c', 't', 'o', 'r', 'y', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    check(!memcmp(t, want, 32), "factory entry bytes: AA 50, app/factory, 0x10000, 0x3F0000, label, flags");
    check(t[32] == 0xEB && t[33] == 0xEB && t[34] == 0xFF && t[47] == 0xFF, "MD5 entry marker EB EB FF..");
    check(t[64] == 0xFF && t[BL_PART_TABLE_MAX - 1] == 0xFF, "rest of the table is 0xFF");
    bl_partition q[8];
    int nq, md5;
    check(bl_partitions_decode(t, BL_PART_TABLE_MAX, q, 8, &nq, &md5) == BL_PT_OK && nq == 1 && md5 &&
          q[0].offset == 0x10000 && q[0].size == 0x3F0000 && !strcmp(q[0].label, "factory"), "decode round trip");
    /* three partitions, the app not first */
    memset(p, 0, sizeof p);
    p[0].type = 1; p[0].subtype = 2; p[0].offset = 0x9000; p[0].size = 0x6000; strcpy(p[0].label, "nvs");
    p[1].type = 1; p[1].subtype = 1; p[1].offset = 0xF000; p[1].size = 0x1000; strcpy(p[1].label, "phy_init");
    p[2].type = 0; p[2].subtype = 0x10; p[2].offset = 0x10000; p[2].size = 0x100000; strcpy(p[2].label, "ota_0");
    bl_partitions_encode(p, 3, t);
    check(bl_partitions_decode(t, BL_PART_TABLE_MAX, q, 8, &nq, &md5) == BL_PT_OK && nq == 3 &&
          bl_partitions_pick_app(q, nq) == 2, "no factory: the first app partition is booted");
    t[5] ^= 1;
    check(bl_partitions_decode(t, BL_PART_TABLE_MAX, q, 8, &nq, &md5) == BL_PT_BAD_MD5, "a flipped entry byte: MD5 mismatch");
    t[5] ^= 1;
    t[32] = 0x12;
    check(bl_partitions_decode(t, BL_PART_TABLE_MAX, q, 8, &nq, &md5) == BL_PT_BAD_ENTRY, "a bad entry magic");
    memset(t, 0xFF, sizeof t);
    check(bl_partitions_decode(t, BL_PART_TABLE_MAX, q, 8, &nq, &md5) == BL_PT_EMPTY, "blank flash: no table");
    check(bl_partitions_pick_app(q, 0) == -1, "no app partition");
}

/* ---- complete flash image (with a tiny bootloader linked here, and the real one if built) ---- */
static void full_flash(void)
{
    if (!img) return;
    char bootp[128], err[256];
    snprintf(bootp, sizeof bootp, "%s/boot.elf", tmp);
    const char *boot_asm =
        "    .section .text._bl_start, \"ax\"\n    .global _bl_start\n    .align 4\n_bl_start:\n"
        "    j _bl_start\n    .section .rodata.m, \"a\"\nmsg:\n    .asciz \"boot\"\n";
    if (link_app(boot_asm, "-T platform/esp32/bootloader/bootloader.ld", bootp) < 0) {
        check(0, "linking a test bootloader with bootloader.ld");
        return;
    }
    const char *boots[2] = { bootp, "build/target/esp32/bootloader.elf" };
    for (int b = 0; b < 2; b++) {
        if (b == 1 && access(boots[1], R_OK) != 0) { printf("  (real bootloader not built: skipped)\n"); continue; }
        size_t bl, len;
        uint8_t *be = esp32_read_file(boots[b], &bl);
        uint8_t *f = esp32_full_flash_build(img, img_len, be, bl, &len, err, sizeof err);
        CHECKF(f != NULL, "complete flash image with %s (%s)", boots[b], f ? "" : err);
        if (!f) { free(be); continue; }
        int blank = 1;
        for (int i = 0; i < 0x1000; i++) blank &= f[i] == 0xFF;
        check(blank && len == ESP32_APP_OFFSET + img_len, "0x0-0xFFF blank, app at 0x10000");
        esp32_image_report r;
        check(esp32_image_verify(f + 0x1000, 0x7000, 0x1000, &r, err, sizeof err) == 0, "bootloader image at 0x1000 verifies");
        int ram_only = 1;
        for (int i = 0; i < r.im.nsegs; i++) ram_only &= bl_region_is_ram(r.im.seg[i].region);
        check(ram_only && bl_region_of(r.im.entry, 4) == BL_REG_IRAM, "bootloader: RAM segments only, IRAM entry");
        int inside = 1;
        for (int i = 0; i < r.im.nsegs; i++) {
            uint32_t a = r.im.seg[i].load_addr, e = a + r.im.seg[i].len;
            inside &= (a >= BL_LOADER_IRAM_LOW && e <= BL_LOADER_IRAM_HIGH) ||
                      (a >= BL_LOADER_DRAM_LOW && e <= BL_LOADER_DRAM_HIGH);
        }
        check(inside, "bootloader lies inside the areas app segments may not touch");
        bl_partition q[8];
        int nq, md5;
        check(bl_partitions_decode(f + 0x8000, BL_PART_TABLE_MAX, q, 8, &nq, &md5) == BL_PT_OK && md5 &&
              q[bl_partitions_pick_app(q, nq)].offset == 0x10000, "partition table at 0x8000 points at 0x10000");
        check(!memcmp(f + 0x10000, img, img_len), "app copied at 0x10000");
        /* what the bootloader does, on the host: parse the app where the table says */
        check(bl_parse_image(f + 0x10000, (uint32_t)(len - 0x10000), 0x10000, &r.im, NULL) == BL_OK, "bootloader-side parse of the app");
        free(f);
        free(be);
    }
    /* a "bootloader" with a flash-mapped section is refused */
    size_t n, len;
    snprintf(bootp, sizeof bootp, "%s/app.elf", tmp);
    uint8_t *e = esp32_read_file(bootp, &n);
    uint8_t *f = esp32_full_flash_build(img, img_len, e, n, &len, err, sizeof err);
    check(f == NULL && strstr(err, "RAM-only"), "a bootloader with flash-mapped sections is refused");
    free(f);
    free(e);
}

/* `image-info` on good and corrupt files, through a child process (it exits on errors). */
static int run_info(const char *path, char *out, size_t outlen, int *lines_err)
{
    int po[2], pe[2];
    if (pipe(po) || pipe(pe)) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]); close(pe[0]);
        exit(esp32_image_info(path, stdout));
    }
    close(po[1]);
    close(pe[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < outlen && (k = read(po[0], out + n, outlen - 1 - n)) > 0) n += (size_t)k;
    out[n] = 0;
    char eb[4096];
    size_t en = 0;
    while (en + 1 < sizeof eb && (k = read(pe[0], eb + en, sizeof eb - 1 - en)) > 0) en += (size_t)k;
    eb[en] = 0;
    *lines_err = 0;
    for (size_t i = 0; i < en; i++) *lines_err += eb[i] == '\n';
    if (en) printf("  image-info stderr: %s", eb);
    close(po[0]);
    close(pe[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void info_cli(void)
{
    if (!img) return;
    char p[128], out[16384];
    int le;
    snprintf(p, sizeof p, "%s/app.bin", tmp);
    esp32_write_file(p, img, img_len);
    int rc = run_info(p, out, sizeof out, &le);
    check(rc == 0 && le == 0, "image-info: valid image, exit 0, nothing on stderr");
    check(strstr(out, "DIO") && strstr(out, "40MHz") && strstr(out, "4MB") && strstr(out, "IROM") &&
          strstr(out, "DROM") && strstr(out, "IRAM") && strstr(out, "DRAM") && strstr(out, "(valid)") &&
          strstr(out, "imgtest") && strstr(out, "chip id         0 (ESP32)"), "image-info output names every field");
    uint8_t *c = malloc(img_len);
    memcpy(c, img, img_len);
    c[img_len / 2] ^= 4;
    esp32_write_file(p, c, img_len);
    rc = run_info(p, out, sizeof out, &le);
    check(rc == 1 && le == 1 && strstr(out, "(invalid)"), "image-info: corrupt image, one error line, exit 1");
    esp32_write_file(p, img, img_len / 3);
    rc = run_info(p, out, sizeof out, &le);
    check(rc == 1 && le == 1, "image-info: truncated image, one error line, exit 1");
    c[0] = 0x7F;
    esp32_write_file(p, c, 100);
    rc = run_info(p, out, sizeof out, &le);
    check(rc == 1 && le == 1, "image-info: not an image, one error line, exit 1");
    free(c);
}

int main(void)
{
    if (access("platform/esp32/esp32.ld", R_OK) != 0 && getenv("OCAML_ESP32_ROOT")) {
        if (chdir(getenv("OCAML_ESP32_ROOT")) != 0) perror("chdir");
    }
    snprintf(tmp, sizeof tmp, "/tmp/test_esp32_image.XXXXXX");
    if (!mkdtemp(tmp)) { perror("mkdtemp"); return 2; }
    hashes();
    regions_and_mmu();
    round_trip();
    compact_layout();
    corruption();
    writer_errors();
    partitions();
    full_flash();
    info_cli();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    sh(cmd);
    free(img);
    free(elf);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
