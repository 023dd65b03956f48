/* esp32_image.c — ESP32 app image writer, verifier and printer; complete flash image.
   See esp32_image.h and docs/esp32.md. */
#include "esp32_image.h"
#include "diag.h"
#include "toolchain.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The bootloader's hardware-free logic is compiled into the host tool from its one source. */
#include "../platform/esp32/bootloader/bl_plan.c"

static void seterr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

/* ---- SHA-256 ---- */
static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t h[8], const uint8_t *b)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void esp32_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    size_t i = 0;
    for (; i + 64 <= n; i += 64) sha_block(h, p + i);
    uint8_t tail[128] = { 0 };
    size_t rest = n - i;
    memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++) tail[tl - 1 - k] = (uint8_t)(bits >> (8 * k));
    for (size_t k = 0; k < tl; k += 64) sha_block(h, tail + k);
    for (int k = 0; k < 8; k++) {
        out[4 * k] = (uint8_t)(h[k] >> 24); out[4 * k + 1] = (uint8_t)(h[k] >> 16);
        out[4 * k + 2] = (uint8_t)(h[k] >> 8); out[4 * k + 3] = (uint8_t)h[k];
    }
}

/* ---- files ---- */
uint8_t *esp32_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) diag_fatal(path, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) buf = xrealloc(buf, cap *= 2);
        size_t k = fread(buf + n, 1, cap - n, f);
        if (k == 0) break;
        n += k;
    }
    if (ferror(f)) diag_fatal(path, "read error: %s", strerror(errno));
    fclose(f);
    *len = n;
    return buf;
}

void esp32_write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) diag_fatal(path, "cannot create: %s", strerror(errno));
    if (fwrite(p, 1, n, f) != n || fclose(f) != 0) diag_fatal(path, "write error: %s", strerror(errno));
}

/* ---- ELF input ---- */
typedef struct chunk { uint32_t addr, len; uint8_t *data; const char *name; } chunk;

static int chunk_cmp(const void *a, const void *b)
{
    const chunk *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Loadable (SHF_ALLOC, not NOBITS, non-empty) sections, merged into contiguous groups of the
   same region. Returns the count or -1. */
static int elf_groups(const uint8_t *elf, size_t n, chunk **out, uint32_t *entry, char *err, size_t errlen)
{
    if (n < 52 || memcmp(elf, "\x7f" "ELF", 4)) { seterr(err, errlen, "not an ELF file"); return -1; }
    if (elf[4] != 1 || elf[5] != 1) { seterr(err, errlen, "not a 32-bit little-endian ELF file"); return -1; }
    if (bl_rd16(elf + 18) != 94) { seterr(err, errlen, "not an Xtensa ELF file (e_machine %u)", bl_rd16(elf + 18)); return -1; }
    if (bl_rd16(elf + 16) != 2) { seterr(err, errlen, "not a linked executable (ELF type %u)", bl_rd16(elf + 16)); return -1; }
    *entry = bl_rd32(elf + 24);
    uint32_t shoff = bl_rd32(elf + 32);
    unsigned shentsize = bl_rd16(elf + 46), shnum = bl_rd16(elf + 48), shstrndx = bl_rd16(elf + 50);
    if (shentsize < 40 || shoff > n || (uint64_t)shnum * shentsize > n - shoff || shstrndx >= shnum) {
        seterr(err, errlen, "corrupt ELF section table");
        return -1;
    }
    const uint8_t *strsh = elf + shoff + shstrndx * shentsize;
    uint32_t stroff = bl_rd32(strsh + 16), strsize = bl_rd32(strsh + 20);
    if (stroff > n || strsize > n - stroff) { seterr(err, errlen, "corrupt ELF section names"); return -1; }
    chunk *c = xcalloc(shnum ? shnum : 1, sizeof *c);
    int nc = 0;
    for (unsigned i = 1; i < shnum; i++) {
        const uint8_t *sh = elf + shoff + i * shentsize;
        uint32_t name = bl_rd32(sh), type = bl_rd32(sh + 4), flags = bl_rd32(sh + 8);
        uint32_t addr = bl_rd32(sh + 12), off = bl_rd32(sh + 16), size = bl_rd32(sh + 20);
        if (!(flags & 2) || type == 8 /* NOBITS */ || size == 0) continue;
        const char *nm = name < strsize ? (const char *)elf + stroff + name : "?";
        if (off > n || size > n - off) { seterr(err, errlen, "section %s lies outside the file", nm); free(c); return -1; }
        c[nc].addr = addr;
        c[nc].len = size;
        c[nc].data = xmalloc(size + 4);
        memcpy(c[nc].data, elf + off, size);
        c[nc].name = nm;
        nc++;
    }
    qsort(c, (size_t)nc, sizeof *c, chunk_cmp);
    /* merge: contiguous (allowing a gap < 4 bytes of alignment), same region */
    int m = 0;
    for (int i = 0; i < nc; i++) {
        bl_region r = bl_region_of(c[i].addr, c[i].len);
        if (r == BL_REG_INVALID || r == BL_REG_PADDING) {
            seterr(err, errlen, "section %s [0x%08x, 0x%08x) is outside the ESP32's memory regions",
                   c[i].name, c[i].addr, c[i].addr + c[i].len);
            for (int k = 0; k < nc; k++) free(c[k].data);
            free(c);
            return -1;
        }
        if (m > 0) {
            chunk *p = &c[m - 1];
            uint32_t end = p->addr + p->len;
            if (c[i].addr < end) {
                seterr(err, errlen, "sections %s and %s overlap at 0x%08x", p->name, c[i].name, c[i].addr);
                for (int k = 0; k < nc; k++) free(c[k].data);
                free(c);
                return -1;
            }
            if (c[i].addr - end < 4 && bl_region_of(p->addr, c[i].addr + c[i].len - p->addr) == r) {
                uint32_t nl = c[i].addr + c[i].len - p->addr;
                p->data = xrealloc(p->data, nl + 4);
                memset(p->data + p->len, 0, c[i].addr - end);
                memcpy(p->data + (c[i].addr - p->addr), c[i].data, c[i].len);
                p->len = nl;
                free(c[i].data);
                continue;
            }
        }
        c[m++] = c[i];
    }
    for (int i = 0; i < m; i++) {          /* lengths to a multiple of 4, zero-filled */
        uint32_t nl = (c[i].len + 3) & ~3u;
        memset(c[i].data + c[i].len, 0, nl - c[i].len);
        c[i].len = nl;
    }
    *out = c;
    return m;
}

/* ---- image output buffer ---- */
typedef struct obuf { uint8_t *p; size_t n, cap; int nsegs; uint8_t sum; } obuf;

static void ob_put(obuf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        while (b->n + n > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
        b->p = xrealloc(b->p, b->cap);
    }
    if (d) memcpy(b->p + b->n, d, n);
    else memset(b->p + b->n, 0, n);
    b->n += n;
}

static int ob_segment(obuf *b, uint32_t addr, const uint8_t *data, uint32_t len, char *err, size_t errlen)
{
    if (b->nsegs >= BL_MAX_SEGMENTS) {
        seterr(err, errlen, "the image needs more than %d segments", BL_MAX_SEGMENTS);
        return -1;
    }
    uint8_t h[8];
    bl_wr32(h, addr);
    bl_wr32(h + 4, len);
    ob_put(b, h, 8);
    ob_put(b, data, len);
    b->sum = data ? bl_checksum(b->sum, data, len) : b->sum;   /* zeros do not change a XOR */
    b->nsegs++;
    return 0;
}

/* Bytes that must be consumed (by whole segments, headers included) before the next segment
   header so that a flash segment at addr lands at a file offset congruent to addr mod 64 KB. */
static uint32_t gap_before(size_t pos, uint32_t addr)
{
    uint32_t want = addr % BL_MMU_PAGE, have = (uint32_t)((pos + BL_SEG_HEADER_LEN) % BL_MMU_PAGE);
    uint32_t gap = (want - have) % BL_MMU_PAGE;
    if (gap != 0 && gap < BL_SEG_HEADER_LEN) gap += BL_MMU_PAGE;
    return gap;
}

uint8_t *esp32_image_build(const uint8_t *elf, size_t elf_len, esp32_image_opts *o,
                           size_t *len, char *err, size_t errlen)
{
    chunk *c;
    uint32_t entry;
    int nc = elf_groups(elf, elf_len, &c, &entry, err, errlen);
    if (nc < 0) return NULL;
    uint8_t *result = NULL;
    obuf b = { 0 };
    b.sum = BL_CHECKSUM_SEED;
    if (nc == 0) { seterr(err, errlen, "the ELF file has no loadable sections"); goto out; }
    if (bl_region_of(entry, 4) != BL_REG_IRAM && bl_region_of(entry, 4) != BL_REG_IROM) {
        seterr(err, errlen, "entry point 0x%08x is not in IRAM or IROM", entry);
        goto out;
    }
    /* order: DROM groups (the app descriptor must head the first one), then IROM groups,
       with RAM groups used to fill the alignment gaps and the rest after */
    chunk *flash[BL_MAX_SEGMENTS * 2], *ram[BL_MAX_SEGMENTS * 2];
    int nf = 0, nr = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nc; i++) {
            bl_region r = bl_region_of(c[i].addr, c[i].len);
            if (pass == 0 && r == BL_REG_DROM) flash[nf++] = &c[i];
            if (pass == 1 && r == BL_REG_IROM) flash[nf++] = &c[i];
            if (pass == 1 && bl_region_is_ram(r)) ram[nr++] = &c[i];
            if (nf >= BL_MAX_SEGMENTS || nr >= BL_MAX_SEGMENTS) {
                seterr(err, errlen, "too many separate loadable section groups (more than %d)", BL_MAX_SEGMENTS);
                goto out;
            }
        }
    if (o->ram_only && nf) {
        seterr(err, errlen, "section group at 0x%08x is flash-mapped: a bootloader must be RAM-only", flash[0]->addr);
        goto out;
    }
    uint8_t hdr[BL_IMAGE_HEADER_LEN] = { 0 };
    ob_put(&b, hdr, sizeof hdr);    /* filled in at the end */
    if (nf && o->app_desc_sha && flash[0]->len >= 256 &&
        bl_region_of(flash[0]->addr, 4) == BL_REG_DROM && bl_rd32(flash[0]->data) == ESP32_APP_DESC_MAGIC)
        esp32_sha256(elf, elf_len, flash[0]->data + ESP32_APP_DESC_SHA_OFF);
    int ri = 0;
    uint32_t roff = 0;   /* bytes of ram[ri] already written */
    o->padding = 0;
    o->irom_congruent = 0;
    for (int fi = 0; fi < nf; fi++) {
        chunk *s = flash[fi];
        uint32_t gap;
        if (!o->irom_congruent && bl_region_of(s->addr, 4) == BL_REG_IROM)
            o->irom_congruent = 0x400D0000u + (uint32_t)((b.n + BL_SEG_HEADER_LEN) % BL_MMU_PAGE);
        while ((gap = gap_before(b.n, s->addr)) != 0) {
            uint32_t room = gap - BL_SEG_HEADER_LEN;   /* data bytes of one segment filling the gap */
            if (ri < nr) {
                uint32_t left = ram[ri]->len - roff, take = left < room ? left : room;
                uint32_t after = room - take;
                if (after > 0 && after < BL_SEG_HEADER_LEN) take = take >= 8 ? take - 8 : 0;
                if (take > 0) {
                    if (ob_segment(&b, ram[ri]->addr + roff, ram[ri]->data + roff, take, err, errlen) < 0) goto out;
                    roff += take;
                    if (roff == ram[ri]->len) { ri++; roff = 0; }
                    continue;
                }
            }
            if (ob_segment(&b, 0, NULL, room, err, errlen) < 0) goto out;   /* padding */
            o->padding += gap;
        }
        /* esptool works around an esp-idf bootloader bug that left the last MMU page unmapped
           when a mapped segment ended less than 0x24 bytes past a 64 KB boundary: pad. */
        uint32_t slen = s->len;
        uint32_t end = (uint32_t)((b.n + BL_SEG_HEADER_LEN + slen) % BL_MMU_PAGE);
        if (end < 0x24) {
            slen += 0x24 - end;
            s->data = xrealloc(s->data, slen);
            memset(s->data + s->len, 0, slen - s->len);
            if (bl_region_of(s->addr, slen) == BL_REG_INVALID) {
                seterr(err, errlen, "section group at 0x%08x reaches the end of its region", s->addr);
                goto out;
            }
        }
        if (ob_segment(&b, s->addr, s->data, slen, err, errlen) < 0) goto out;
    }
    for (; ri < nr; ri++, roff = 0)
        if (ob_segment(&b, ram[ri]->addr + roff, ram[ri]->data + roff, ram[ri]->len - roff, err, errlen) < 0)
            goto out;
    /* footer: zeros to one byte less than a multiple of 16, the checksum, then SHA-256 */
    ob_put(&b, NULL, 15 - b.n % 16);
    ob_put(&b, &b.sum, 1);
    uint8_t *h = b.p;
    h[0] = BL_IMAGE_MAGIC;
    h[1] = (uint8_t)b.nsegs;
    h[2] = ESP32_SPI_MODE_DIO;
    h[3] = (uint8_t)(ESP32_SPI_SIZE_4MB << 4 | ESP32_SPI_SPEED_40M);
    bl_wr32(h + 4, entry);
    h[8] = 0xEE;                    /* WP pin: disabled */
    h[9] = h[10] = h[11] = 0;       /* SPI pin drive: default */
    bl_wr16(h + 12, BL_CHIP_ESP32);
    h[14] = 0;                      /* min chip revision (deprecated field) */
    bl_wr16(h + 15, 0);             /* min chip revision, major*100+minor */
    bl_wr16(h + 17, 399);           /* max chip revision: v3.99 (every ESP32 made so far) */
    h[23] = o->hash_appended ? 1 : 0;
    if (o->hash_appended) {
        uint8_t d[32];
        esp32_sha256(b.p, b.n, d);
        ob_put(&b, d, 32);
    }
    result = b.p;
    b.p = NULL;
    *len = b.n;
out:
    free(b.p);
    for (int i = 0; i < nc; i++) free(c[i].data);
    free(c);
    return result;
}

uint32_t esp32_image_from_elf(const char *elf_path, const char *bin_path, uint32_t *irom_congruent)
{
    size_t n, len;
    uint8_t *elf = esp32_read_file(elf_path, &n);
    esp32_image_opts o = { .app_desc_sha = 1, .hash_appended = 1 };
    char err[256];
    uint8_t *img = esp32_image_build(elf, n, &o, &len, err, sizeof err);
    if (!img) diag_fatal(elf_path, "%s", err);
    if (len > ESP32_FLASH_SIZE - ESP32_APP_OFFSET)
        diag_fatal(elf_path, "the app image (%zu bytes) does not fit the %u-byte app partition", len,
                   ESP32_FLASH_SIZE - ESP32_APP_OFFSET);
    esp32_write_file(bin_path, img, len);
    free(img);
    free(elf);
    if (irom_congruent) *irom_congruent = o.irom_congruent;
    return o.padding;
}

/* ---- verification ---- */
int esp32_image_verify(const uint8_t *buf, size_t len, uint32_t flash_offset,
                       esp32_image_report *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    uint32_t avail = len > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)len;
    r->status = bl_parse_image(buf, avail, flash_offset, &r->im, &r->bad_seg);
    if (r->status != BL_OK && r->status != BL_ERR_CHECKSUM) {
        if (r->bad_seg >= 0)
            seterr(err, errlen, "%s (segment %d)", bl_strerror(r->status), r->bad_seg);
        else
            seterr(err, errlen, "%s", bl_strerror(r->status));
        return -1;
    }
    uint32_t csum_end = r->im.checksum_offset + 1;
    if (r->im.hash_appended == 1) {
        r->sha_present = 1;
        memcpy(r->sha_stored, buf + csum_end, 32);
        esp32_sha256(buf, csum_end, r->sha_computed);
        r->sha_valid = !memcmp(r->sha_stored, r->sha_computed, 32);
    }
    for (int i = 0; i < r->im.nsegs; i++)
        if (r->im.seg[i].region == BL_REG_DROM) {
            if (r->im.seg[i].len >= 256 && bl_rd32(buf + r->im.seg[i].data_offset) == ESP32_APP_DESC_MAGIC) {
                r->has_app_desc = 1;
                memcpy(r->app_desc, buf + r->im.seg[i].data_offset, 256);
            }
            break;
        }
    if (r->status == BL_ERR_CHECKSUM) {
        seterr(err, errlen, "checksum mismatch (stored 0x%02x, computed 0x%02x)",
               r->im.checksum_stored, r->im.checksum_computed);
        return -1;
    }
    if (r->sha_present && !r->sha_valid) {
        seterr(err, errlen, "appended SHA-256 does not match the image");
        return -1;
    }
    if (len > r->im.image_len) {
        for (size_t i = r->im.image_len; i < len; i++)
            if (buf[i] != 0xFF && buf[i] != 0) {
                seterr(err, errlen, "%zu unexpected bytes after the end of the image", len - r->im.image_len);
                return -1;
            }
    }
    return 0;
}

static const char *spi_mode_name(unsigned m)
{
    static const char *const n[] = { "QIO", "QOUT", "DIO", "DOUT" };
    return m < 4 ? n[m] : "unknown";
}
static const char *spi_speed_name(unsigned s)
{
    switch (s) { case 0: return "40MHz"; case 1: return "26MHz"; case 2: return "20MHz"; case 0xF: return "80MHz"; }
    return "unknown";
}
static const char *spi_size_name(unsigned s)
{
    static const char *const n[] = { "1MB", "2MB", "4MB", "8MB", "16MB", "32MB", "64MB", "128MB" };
    return s < 8 ? n[s] : "unknown";
}

static void print_hex(FILE *out, const uint8_t *p, int n)
{
    for (int i = 0; i < n; i++) fprintf(out, "%02x", p[i]);
}

static void print_str_field(FILE *out, const char *label, const uint8_t *p, int n)
{
    fprintf(out, "  %-15s ", label);
    for (int i = 0; i < n && p[i]; i++) fputc(p[i] >= 32 && p[i] < 127 ? p[i] : '?', out);
    fputc('\n', out);
}

static void print_app_image(FILE *out, const esp32_image_report *r, uint32_t base)
{
    const bl_image *im = &r->im;
    fprintf(out, "Image header:\n");
    fprintf(out, "  magic           0x%02x\n", BL_IMAGE_MAGIC);
    fprintf(out, "  segments        %d\n", im->nsegs);
    fprintf(out, "  flash mode      %s (%u)\n", spi_mode_name(im->spi_mode), im->spi_mode);
    fprintf(out, "  flash speed     %s (%u)\n", spi_speed_name(im->spi_speed), im->spi_speed);
    fprintf(out, "  flash size      %s (%u)\n", spi_size_name(im->spi_size), im->spi_size);
    fprintf(out, "  entry point     0x%08x (%s)\n", im->entry, bl_region_name(bl_region_of(im->entry, 4)));
    fprintf(out, "Extended header:\n");
    fprintf(out, "  WP pin          0x%02x%s\n", im->wp_pin, im->wp_pin == 0xEE ? " (disabled)" : "");
    fprintf(out, "  SPI pin drive   %u %u %u\n", im->spi_pin_drv[0], im->spi_pin_drv[1], im->spi_pin_drv[2]);
    fprintf(out, "  chip id         %u (%s)\n", im->chip_id, im->chip_id == BL_CHIP_ESP32 ? "ESP32" : "other");
    fprintf(out, "  min chip rev    %u (full: v%u.%u)\n", im->min_chip_rev, im->min_chip_rev_full / 100,
            im->min_chip_rev_full % 100);
    fprintf(out, "  max chip rev    v%u.%u\n", im->max_chip_rev_full / 100, im->max_chip_rev_full % 100);
    fprintf(out, "  hash appended   %u\n", im->hash_appended);
    fprintf(out, "Segments:\n");
    fprintf(out, "  %-3s %-10s %-10s %-10s %s\n", "#", "load addr", "length", "file off", "region");
    for (int i = 0; i < im->nsegs; i++) {
        const bl_segment *s = &im->seg[i];
        fprintf(out, "  %-3d 0x%08x 0x%08x 0x%08x %s", i, s->load_addr, s->len, base + s->data_offset,
                bl_region_name(s->region));
        if (bl_region_is_flash(s->region))
            fprintf(out, " (MMU entries %d..%d)", bl_mmu_index(s->load_addr),
                    bl_mmu_index(s->load_addr + (s->len ? s->len - 1 : 0)));
        fputc('\n', out);
    }
    fprintf(out, "Checksum:         0x%02x (%s)\n", im->checksum_stored,
            im->checksum_stored == im->checksum_computed ? "valid" : "invalid");
    if (r->sha_present) {
        fprintf(out, "Validation hash:  ");
        print_hex(out, r->sha_stored, 32);
        fprintf(out, " (%s)\n", r->sha_valid ? "valid" : "invalid");
    } else {
        fprintf(out, "Validation hash:  none\n");
    }
    if (r->has_app_desc) {
        const uint8_t *d = r->app_desc;
        fprintf(out, "Application description (esp_app_desc_t):\n");
        fprintf(out, "  magic           0x%08x\n", bl_rd32(d));
        fprintf(out, "  secure version  %u\n", bl_rd32(d + 4));
        print_str_field(out, "version", d + 0x10, 32);
        print_str_field(out, "project name", d + 0x30, 32);
        print_str_field(out, "compile time", d + 0x50, 16);
        print_str_field(out, "compile date", d + 0x60, 16);
        print_str_field(out, "IDF version", d + 0x70, 32);
        fprintf(out, "  ELF SHA-256     ");
        print_hex(out, d + ESP32_APP_DESC_SHA_OFF, 32);
        fprintf(out, "\n  MMU page size   %u\n", d[0xB4] ? 1u << d[0xB4] : 65536u);
    }
    fprintf(out, "Image size:       %u bytes\n", im->image_len);
}

static int full_flash_like(const uint8_t *buf, size_t len)
{
    if (len < ESP32_APP_OFFSET + BL_IMAGE_HEADER_LEN || buf[ESP32_BOOTLOADER_OFFSET] != BL_IMAGE_MAGIC) return 0;
    for (size_t i = 0; i < ESP32_BOOTLOADER_OFFSET; i++)
        if (buf[i] != 0xFF) return 0;
    return 1;
}

int esp32_image_info(const char *path, FILE *out)
{
    size_t len;
    uint8_t *buf = esp32_read_file(path, &len);
    esp32_image_report *r = xmalloc(sizeof *r);
    char err[200];
    int status = 0;
    if (full_flash_like(buf, len)) {
        fprintf(out, "%s: complete flash image (%zu bytes, written at flash offset 0)\n", path, len);
        fprintf(out, "== Bootloader at 0x%05x ==\n", ESP32_BOOTLOADER_OFFSET);
        if (esp32_image_verify(buf + ESP32_BOOTLOADER_OFFSET, BL_PART_TABLE_OFFSET - ESP32_BOOTLOADER_OFFSET,
                               ESP32_BOOTLOADER_OFFSET, r, err, sizeof err) < 0) {
            if (r->status == BL_ERR_CHECKSUM) print_app_image(out, r, ESP32_BOOTLOADER_OFFSET);
            fflush(out);
            diag_fatal(path, "bootloader: %s", err);
        }
        print_app_image(out, r, ESP32_BOOTLOADER_OFFSET);
        fprintf(out, "== Partition table at 0x%05x ==\n", BL_PART_TABLE_OFFSET);
        bl_partition p[BL_PART_TABLE_MAX / 32];
        int np, md5;
        bl_pt_status ps = bl_partitions_decode(buf + BL_PART_TABLE_OFFSET, BL_PART_TABLE_MAX, p,
                                               (int)(BL_PART_TABLE_MAX / 32), &np, &md5);
        if (ps != BL_PT_OK) {
            fflush(out);
            diag_fatal(path, "partition table: %s", ps == BL_PT_BAD_MD5 ? "MD5 mismatch"
                                                    : ps == BL_PT_EMPTY ? "empty" : "corrupt entry");
        }
        fprintf(out, "  %-16s %-4s %-7s %-10s %-10s\n", "label", "type", "subtype", "offset", "size");
        for (int i = 0; i < np; i++)
            fprintf(out, "  %-16s %-4s 0x%02x    0x%08x 0x%08x\n", p[i].label,
                    p[i].type == BL_PART_TYPE_APP ? "app" : p[i].type == BL_PART_TYPE_DATA ? "data" : "?",
                    p[i].subtype, p[i].offset, p[i].size);
        fprintf(out, "  MD5             %s\n", md5 ? "valid" : "absent");
        int a = bl_partitions_pick_app(p, np);
        if (a < 0) { fflush(out); diag_fatal(path, "partition table: no app partition"); }
        if (p[a].offset >= len) { fflush(out); diag_fatal(path, "app partition at 0x%x lies beyond the end of the file", p[a].offset); }
        fprintf(out, "== App at 0x%05x ==\n", p[a].offset);
        size_t alen = len - p[a].offset < p[a].size ? len - p[a].offset : p[a].size;
        if (esp32_image_verify(buf + p[a].offset, alen, p[a].offset, r, err, sizeof err) < 0) {
            if (r->status == BL_ERR_CHECKSUM || r->status == BL_OK) print_app_image(out, r, p[a].offset);
            fflush(out);
            diag_fatal(path, "app: %s", err);
        }
        print_app_image(out, r, p[a].offset);
    } else {
        if (esp32_image_verify(buf, len, 0, r, err, sizeof err) < 0) {
            if (r->status == BL_ERR_CHECKSUM || r->status == BL_OK) {
                fprintf(out, "%s: ESP32 app image\n", path);
                print_app_image(out, r, 0);
            }
            fflush(out);
            diag_fatal(path, "%s", err);
        }
        fprintf(out, "%s: ESP32 app image, valid\n", path);
        print_app_image(out, r, 0);
    }
    free(r);
    free(buf);
    return status;
}

/* ---- complete flash image ---- */
void esp32_default_partitions(bl_partition *p, int *n)
{
    memset(p, 0, sizeof *p);
    p[0].type = BL_PART_TYPE_APP;
    p[0].subtype = BL_PART_SUB_FACTORY;
    p[0].offset = ESP32_APP_OFFSET;
    p[0].size = ESP32_FLASH_SIZE - ESP32_APP_OFFSET;
    strcpy(p[0].label, "factory");
    *n = 1;
}

uint8_t *esp32_full_flash_build(const uint8_t *app, size_t app_len, const uint8_t *boot_elf,
                                size_t boot_elf_len, size_t *len, char *err, size_t errlen)
{
    esp32_image_report *r = xmalloc(sizeof *r);
    uint8_t *out = NULL, *boot = NULL;
    if (esp32_image_verify(app, app_len, ESP32_APP_OFFSET, r, err, errlen) < 0) goto done;
    bl_partition p[1];
    int np;
    esp32_default_partitions(p, &np);
    if (app_len > p[0].size) { seterr(err, errlen, "the app (%zu bytes) does not fit its partition", app_len); goto done; }
    esp32_image_opts bo = { .app_desc_sha = 0, .hash_appended = 1, .ram_only = 1 };
    size_t blen;
    char berr[200];
    boot = esp32_image_build(boot_elf, boot_elf_len, &bo, &blen, berr, sizeof berr);
    if (!boot) { seterr(err, errlen, "bootloader: %s", berr); goto done; }
    if (blen > BL_PART_TABLE_OFFSET - ESP32_BOOTLOADER_OFFSET) {
        seterr(err, errlen, "bootloader image too large (%zu bytes)", blen);
        goto done;
    }
    *len = ESP32_APP_OFFSET + app_len;
    out = xmalloc(*len);
    memset(out, 0xFF, ESP32_APP_OFFSET);
    memcpy(out + ESP32_BOOTLOADER_OFFSET, boot, blen);
    if (!bl_partitions_encode(p, np, out + BL_PART_TABLE_OFFSET)) {
        seterr(err, errlen, "partition table too large");
        free(out);
        out = NULL;
        goto done;
    }
    memcpy(out + ESP32_APP_OFFSET, app, app_len);
done:
    free(boot);
    free(r);
    return out;
}

void esp32_full_flash_image(const char *app_bin, const char *bootloader_elf, const char *out_path)
{
    char *def = NULL;
    if (!bootloader_elf) {
        const char *root = tc_root();
        def = xmalloc(strlen(root) + 64);
        sprintf(def, "%s/build/target/esp32/bootloader.elf", root);
        bootloader_elf = def;
    }
    size_t alen, blen, len;
    uint8_t *app = esp32_read_file(app_bin, &alen);
    uint8_t *boot = esp32_read_file(bootloader_elf, &blen);
    char err[256];
    uint8_t *img = esp32_full_flash_build(app, alen, boot, blen, &len, err, sizeof err);
    if (!img) diag_fatal(out_path, "%s", err);
    esp32_write_file(out_path, img, len);
    free(img);
    free(app);
    free(boot);
    free(def);
}

/* ---- command line: `ocaml-esp32 image-info FILE` and `ocaml-esp32 elf2image ELF -o BIN` ---- */
int esp32_cmd_image_info(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-')
        diag_fatal(NULL, "usage: ocaml-esp32 image-info FILE.bin");
    return esp32_image_info(argv[0], stdout);
}

int esp32_cmd_elf2image(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *full = NULL, *boot = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") && next) out = argv[++i];
        else if (!strcmp(a, "--full-flash") && next) full = argv[++i];
        else if (!strcmp(a, "--bootloader") && next) boot = argv[++i];
        else if (a[0] == '-') diag_fatal(NULL, "elf2image: unknown option or missing argument '%s'", a);
        else if (in) diag_fatal(NULL, "elf2image: more than one input ('%s' and '%s')", in, a);
        else in = a;
    }
    if (!in || !out)
        diag_fatal(NULL, "usage: ocaml-esp32 elf2image PROG.elf -o APP.bin [--full-flash FLASH.bin] [--bootloader BOOT.elf]");
    esp32_image_from_elf(in, out, NULL);
    if (full) esp32_full_flash_image(out, boot, full);
    return 0;
}
