/* bl_plan.c — see bl_plan.h. No library calls: this file runs in the bootloader too. */
#include "bl_plan.h"

static const struct { uint32_t lo, hi; bl_region r; } regions[] = {
    { 0x3F400000u, 0x3F800000u, BL_REG_DROM },
    { 0x400C2000u, 0x40C00000u, BL_REG_IROM },
    { 0x40070000u, 0x400A0000u, BL_REG_IRAM },
    { 0x3FFAE000u, 0x40000000u, BL_REG_DRAM },
    { 0x3FF80000u, 0x3FF82000u, BL_REG_RTC_FAST_D },
    { 0x400C0000u, 0x400C2000u, BL_REG_RTC_FAST_I },
    { 0x50000000u, 0x50002000u, BL_REG_RTC_SLOW },
};

bl_region bl_region_of(uint32_t addr, uint32_t len)
{
    if (addr == 0) return BL_REG_PADDING;
    uint64_t end = (uint64_t)addr + (len ? len : 1);
    for (unsigned i = 0; i < sizeof regions / sizeof *regions; i++)
        if (addr >= regions[i].lo && end <= regions[i].hi) return regions[i].r;
    return BL_REG_INVALID;
}

const char *bl_region_name(bl_region r)
{
    switch (r) {
    case BL_REG_PADDING: return "PADDING";
    case BL_REG_DROM: return "DROM";
    case BL_REG_IROM: return "IROM";
    case BL_REG_IRAM: return "IRAM";
    case BL_REG_DRAM: return "DRAM";
    case BL_REG_RTC_FAST_D: return "RTC_DRAM";
    case BL_REG_RTC_FAST_I: return "RTC_IRAM";
    case BL_REG_RTC_SLOW: return "RTC_SLOW";
    default: return "INVALID";
    }
}

int bl_region_is_flash(bl_region r) { return r == BL_REG_DROM || r == BL_REG_IROM; }
int bl_region_is_ram(bl_region r)
{
    return r == BL_REG_IRAM || r == BL_REG_DRAM || r == BL_REG_RTC_FAST_D ||
           r == BL_REG_RTC_FAST_I || r == BL_REG_RTC_SLOW;
}

const char *bl_strerror(bl_status s)
{
    switch (s) {
    case BL_OK: return "ok";
    case BL_ERR_TRUNCATED: return "truncated image";
    case BL_ERR_MAGIC: return "bad magic byte (expected 0xE9)";
    case BL_ERR_SEGCOUNT: return "bad segment count (expected 1 to 16)";
    case BL_ERR_SEGLEN: return "segment length is not a multiple of 4";
    case BL_ERR_SEGADDR: return "segment outside the ESP32's memory regions";
    case BL_ERR_ALIGN: return "flash-mapped segment not at a flash offset congruent to its address modulo 64 KB";
    case BL_ERR_CHECKSUM: return "checksum mismatch";
    case BL_ERR_CHIP: return "image is not for the ESP32 (chip id)";
    }
    return "unknown error";
}

uint8_t bl_checksum(uint8_t seed, const uint8_t *p, uint32_t n)
{
    uint8_t c = seed;
    for (uint32_t i = 0; i < n; i++) c ^= p[i];
    return c;
}

bl_status bl_parse_image(const uint8_t *img, uint32_t avail, uint32_t flash_offset,
                         bl_image *out, int *bad_seg)
{
    if (bad_seg) *bad_seg = -1;
    if (avail < 1) return BL_ERR_TRUNCATED;
    if (img[0] != BL_IMAGE_MAGIC) return BL_ERR_MAGIC;
    if (avail < BL_IMAGE_HEADER_LEN) return BL_ERR_TRUNCATED;
    out->nsegs = img[1];
    out->spi_mode = img[2];
    out->spi_speed = img[3] & 0xF;
    out->spi_size = img[3] >> 4;
    out->entry = bl_rd32(img + 4);
    out->wp_pin = img[8];
    out->spi_pin_drv[0] = img[9]; out->spi_pin_drv[1] = img[10]; out->spi_pin_drv[2] = img[11];
    out->chip_id = bl_rd16(img + 12);
    out->min_chip_rev = img[14];
    out->min_chip_rev_full = bl_rd16(img + 15);
    out->max_chip_rev_full = bl_rd16(img + 17);
    out->hash_appended = img[23];
    if (out->nsegs < 1 || out->nsegs > BL_MAX_SEGMENTS) return BL_ERR_SEGCOUNT;
    if (out->chip_id != BL_CHIP_ESP32) return BL_ERR_CHIP;
    uint32_t pos = BL_IMAGE_HEADER_LEN;
    uint8_t sum = BL_CHECKSUM_SEED;
    for (int i = 0; i < out->nsegs; i++) {
        if (bad_seg) *bad_seg = i;
        if (avail - pos < BL_SEG_HEADER_LEN) return BL_ERR_TRUNCATED;
        bl_segment *s = &out->seg[i];
        s->load_addr = bl_rd32(img + pos);
        s->len = bl_rd32(img + pos + 4);
        s->data_offset = pos + BL_SEG_HEADER_LEN;
        if (s->len > avail - s->data_offset) return BL_ERR_TRUNCATED;
        if (s->len & 3) return BL_ERR_SEGLEN;
        s->region = bl_region_of(s->load_addr, s->len);
        if (s->region == BL_REG_INVALID) return BL_ERR_SEGADDR;
        if (bl_region_is_flash(s->region) &&
            ((flash_offset + s->data_offset) % BL_MMU_PAGE) != (s->load_addr % BL_MMU_PAGE))
            return BL_ERR_ALIGN;
        sum = bl_checksum(sum, img + s->data_offset, s->len);
        pos = s->data_offset + s->len;
    }
    if (bad_seg) *bad_seg = -1;
    /* zero padding until the size is one less than a multiple of 16, then the checksum */
    out->checksum_offset = pos | 15u;
    if (out->checksum_offset >= avail) return BL_ERR_TRUNCATED;
    out->checksum_stored = img[out->checksum_offset];
    out->checksum_computed = sum;
    out->image_len = out->checksum_offset + 1 + (out->hash_appended == 1 ? 32u : 0u);
    if (out->image_len > avail) return BL_ERR_TRUNCATED;
    if (out->checksum_stored != sum) return BL_ERR_CHECKSUM;
    return BL_OK;
}

int bl_plan_steps(const bl_image *im, uint32_t image_flash_offset, bl_step *steps)
{
    for (int i = 0; i < im->nsegs; i++) {
        const bl_segment *s = &im->seg[i];
        steps[i].flash_addr = image_flash_offset + s->data_offset;
        steps[i].vaddr = s->load_addr;
        steps[i].len = s->len;
        steps[i].action = bl_region_is_flash(s->region) ? BL_ACT_MAP
                        : bl_region_is_ram(s->region) ? BL_ACT_COPY : BL_ACT_SKIP;
    }
    return im->nsegs;
}

static int overlaps(uint32_t a, uint32_t len, uint32_t lo, uint32_t hi)
{
    return len && a < hi && (uint64_t)a + len > lo;
}

int bl_plan_check(const bl_step *steps, int nsteps)
{
    for (int i = 0; i < nsteps; i++)
        if (steps[i].action == BL_ACT_COPY &&
            (overlaps(steps[i].vaddr, steps[i].len, BL_LOADER_IRAM_LOW, BL_LOADER_IRAM_HIGH) ||
             overlaps(steps[i].vaddr, steps[i].len, BL_LOADER_DRAM_LOW, BL_LOADER_DRAM_HIGH)))
            return i;
    return -1;
}

int bl_mmu_index(uint32_t vaddr)
{
    if (vaddr >= BL_DROM_LOW && vaddr < BL_DROM_HIGH) return (int)((vaddr - BL_DROM_LOW) / BL_MMU_PAGE);
    if (vaddr >= BL_IROM_LOW && vaddr < BL_IROM_HIGH)
        return (int)(BL_MMU_IROM_FIRST + (vaddr - BL_MMU_IROM_BASE_VADDR) / BL_MMU_PAGE);
    return -1;
}

int bl_mmu_map(uint32_t vaddr, uint32_t flash_addr, uint32_t len, bl_mmu_entry *out, int max, int *n)
{
    if ((vaddr ^ flash_addr) & (BL_MMU_PAGE - 1)) return -1;
    if (len == 0) return 0;
    uint32_t first = vaddr & ~(BL_MMU_PAGE - 1);
    uint32_t last = (uint32_t)((uint64_t)vaddr + len - 1) & ~(BL_MMU_PAGE - 1);
    uint32_t page = flash_addr / BL_MMU_PAGE;
    int idx0 = bl_mmu_index(first), idx1 = bl_mmu_index(last);
    if (idx0 < 0 || idx1 < 0 || idx1 - idx0 != (int)((last - first) / BL_MMU_PAGE)) return -1;
    if ((first < BL_DROM_HIGH) != (last < BL_DROM_HIGH)) return -1;
    for (int idx = idx0; idx <= idx1; idx++, page++) {
        if (page >= BL_MMU_INVALID) return -1;         /* beyond 16 MB of flash */
        int dup = 0;
        for (int k = 0; k < *n; k++)
            if (out[k].index == idx) {
                if (out[k].page != page) return -1;   /* two segments disagree on a page */
                dup = 1;
            }
        if (dup) continue;
        if (*n >= max) return -1;
        out[*n].index = (uint16_t)idx;
        out[*n].page = (uint16_t)page;
        (*n)++;
    }
    return 0;
}

int bl_mmu_plan(const bl_step *steps, int nsteps, bl_mmu_entry *out, int max, int *n)
{
    *n = 0;
    for (int i = 0; i < nsteps; i++)
        if (steps[i].action == BL_ACT_MAP &&
            bl_mmu_map(steps[i].vaddr, steps[i].flash_addr, steps[i].len, out, max, n) < 0)
            return -1;
    return 0;
}

/* ---- partition table ---- */
uint32_t bl_partitions_encode(const bl_partition *p, int n, uint8_t *out)
{
    if (n < 0 || (uint32_t)(n + 1) * 32u > BL_PART_TABLE_MAX) return 0;
    for (uint32_t i = 0; i < BL_PART_TABLE_MAX; i++) out[i] = 0xFF;
    for (int i = 0; i < n; i++) {
        uint8_t *e = out + 32 * i;
        bl_wr16(e, BL_PART_MAGIC);
        e[2] = p[i].type;
        e[3] = p[i].subtype;
        bl_wr32(e + 4, p[i].offset);
        bl_wr32(e + 8, p[i].size);
        int k = 0;
        for (; k < 16 && p[i].label[k]; k++) e[12 + k] = (uint8_t)p[i].label[k];
        for (; k < 16; k++) e[12 + k] = 0;
        bl_wr32(e + 28, p[i].flags);
    }
    uint8_t *m = out + 32 * n;
    bl_wr16(m, BL_PART_MD5_MAGIC);    /* 0xEB 0xEB, then 14 bytes 0xFF, then the MD5 */
    bl_md5 c;
    bl_md5_init(&c);
    bl_md5_update(&c, out, 32u * (uint32_t)n);
    bl_md5_final(&c, m + 16);
    return 32u * (uint32_t)(n + 1);
}

bl_pt_status bl_partitions_decode(const uint8_t *tbl, uint32_t len, bl_partition *out, int max,
                                  int *n, int *has_md5)
{
    *n = 0;
    *has_md5 = 0;
    if (len > BL_PART_TABLE_MAX) len = BL_PART_TABLE_MAX;
    for (uint32_t off = 0; off + 32 <= len; off += 32) {
        const uint8_t *e = tbl + off;
        uint16_t magic = bl_rd16(e);
        if (magic == 0xFFFF) break;                       /* end of table */
        if (magic == BL_PART_MD5_MAGIC) {
            bl_md5 c;
            uint8_t d[16];
            bl_md5_init(&c);
            bl_md5_update(&c, tbl, off);
            bl_md5_final(&c, d);
            for (int k = 0; k < 16; k++)
                if (d[k] != e[16 + k]) return BL_PT_BAD_MD5;
            *has_md5 = 1;
            break;
        }
        if (magic != BL_PART_MAGIC) return BL_PT_BAD_ENTRY;
        if (*n >= max) return BL_PT_TOO_MANY;
        bl_partition *p = &out[(*n)++];
        p->type = e[2];
        p->subtype = e[3];
        p->offset = bl_rd32(e + 4);
        p->size = bl_rd32(e + 8);
        for (int k = 0; k < 16; k++) p->label[k] = (char)e[12 + k];
        p->label[16] = 0;
        p->flags = bl_rd32(e + 28);
    }
    return *n ? BL_PT_OK : BL_PT_EMPTY;
}

int bl_partitions_pick_app(const bl_partition *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i].type == BL_PART_TYPE_APP && p[i].subtype == BL_PART_SUB_FACTORY) return i;
    for (int i = 0; i < n; i++)
        if (p[i].type == BL_PART_TYPE_APP) return i;
    return -1;
}

/* ---- MD5 (RFC 1321) ---- */
static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const uint8_t md5_r[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

static void md5_block(uint32_t h[4], const uint8_t *blk)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++) w[i] = bl_rd32(blk + 4 * i);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g, round = i >> 4;
        switch (round) {
        case 0: f = (b & c) | (~b & d); g = i; break;
        case 1: f = (d & b) | (~d & c); g = (5 * i + 1) & 15; break;
        case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15; break;
        default: f = c ^ (b | ~d); g = (7 * i) & 15; break;
        }
        uint32_t t = a + f + md5_k[i] + w[g];
        int s = md5_r[round * 4 + (i & 3)];
        a = d; d = c; c = b;
        b = b + ((t << s) | (t >> (32 - s)));
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
}

void bl_md5_init(bl_md5 *c)
{
    c->h[0] = 0x67452301; c->h[1] = 0xefcdab89; c->h[2] = 0x98badcfe; c->h[3] = 0x10325476;
    c->len = 0;
}

void bl_md5_update(bl_md5 *c, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        c->buf[c->len & 63] = p[i];
        c->len++;
        if ((c->len & 63) == 0) md5_block(c->h, c->buf);
    }
}

void bl_md5_final(bl_md5 *c, uint8_t out[16])
{
    uint64_t bits = c->len * 8;
    uint8_t b = 0x80;
    bl_md5_update(c, &b, 1);
    b = 0;
    while ((c->len & 63) != 56) bl_md5_update(c, &b, 1);
    uint8_t lenb[8];
    for (int i = 0; i < 8; i++) lenb[i] = (uint8_t)(bits >> (8 * i));
    bl_md5_update(c, lenb, 8);
    for (int i = 0; i < 4; i++) bl_wr32(out + 4 * i, c->h[i]);
}
