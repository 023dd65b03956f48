/* bl_plan.h — the hardware-free half of the ESP32 second-stage bootloader: ESP32 memory
   regions, app image header parsing, the segment-loading plan, flash MMU page computation,
   partition table encode/decode and MD5. Plain C11 with no library calls, so the same file
   is compiled into the bootloader (xtensa-lx106-elf-gcc, freestanding) and into the host
   tool (compiler/esp32_image.c includes bl_plan.c), where tests/unit/test_esp32_image.c
   exercises it.

   Facts (ESP32 Technical Reference Manual, "System and Memory": address map, cache, MMU;
   esp-idf esp_image_format.h, esp_app_format.h, esp_flash_partitions.h): see docs/esp32.md. */
#ifndef OE_BL_PLAN_H
#define OE_BL_PLAN_H
#include <stddef.h>
#include <stdint.h>

/* ---- memory regions of the ESP32 (addresses as seen by the PRO CPU) ---- */
typedef enum {
    BL_REG_INVALID = 0,
    BL_REG_PADDING,   /* load address 0: a padding segment, never loaded */
    BL_REG_DROM,      /* flash through cache, data:         0x3F400000-0x3F7FFFFF */
    BL_REG_IROM,      /* flash through cache, instructions: 0x400C2000-0x40BFFFFF */
    BL_REG_IRAM,      /* SRAM0 (instruction bus):           0x40070000-0x4009FFFF */
    BL_REG_DRAM,      /* SRAM1+SRAM2 (data bus):            0x3FFAE000-0x3FFFFFFF */
    BL_REG_RTC_FAST_D,/* RTC fast memory, data bus:         0x3FF80000-0x3FF81FFF */
    BL_REG_RTC_FAST_I,/* RTC fast memory, instruction bus:  0x400C0000-0x400C1FFF */
    BL_REG_RTC_SLOW,  /* RTC slow memory:                   0x50000000-0x50001FFF */
} bl_region;

#define BL_DROM_LOW    0x3F400000u
#define BL_DROM_HIGH   0x3F800000u
#define BL_IROM_LOW    0x400C2000u
#define BL_IROM_HIGH   0x40C00000u
#define BL_IRAM_LOW    0x40070000u
#define BL_IRAM_HIGH   0x400A0000u
#define BL_DRAM_LOW    0x3FFAE000u
#define BL_DRAM_HIGH   0x40000000u
#define BL_MMU_PAGE    0x10000u          /* flash MMU page: 64 KB */
#define BL_MMU_ENTRIES 256u              /* DPORT_PRO_FLASH_MMU_TABLE entries */
#define BL_MMU_INVALID 0x100u            /* entry value: page not mapped */
#define BL_MMU_IROM_BASE_VADDR 0x40000000u /* entry 64 maps this 64 KB page */
#define BL_MMU_IROM_FIRST 64u

/* The region [addr, addr+len) lies entirely in, or BL_REG_INVALID. len 0 counts as 1 byte. */
bl_region bl_region_of(uint32_t addr, uint32_t len);
const char *bl_region_name(bl_region r);
int bl_region_is_flash(bl_region r);   /* DROM or IROM (mapped, not copied) */
int bl_region_is_ram(bl_region r);     /* copied to RAM by the bootloader */

/* ---- app image format (esp_image_header_t + esp_image_segment_header_t) ---- */
#define BL_IMAGE_MAGIC      0xE9
#define BL_IMAGE_HEADER_LEN 24      /* 8-byte common header + 16-byte extended header */
#define BL_SEG_HEADER_LEN   8
#define BL_MAX_SEGMENTS     16
#define BL_CHECKSUM_SEED    0xEF
#define BL_CHIP_ESP32       0x0000

typedef struct bl_segment {
    uint32_t load_addr;
    uint32_t len;
    uint32_t data_offset;    /* offset of the data from the start of the image */
    bl_region region;
} bl_segment;

typedef struct bl_image {
    uint8_t spi_mode, spi_speed, spi_size;   /* raw header nibbles/bytes */
    uint32_t entry;
    uint8_t wp_pin, spi_pin_drv[3];
    uint16_t chip_id;
    uint8_t min_chip_rev;
    uint16_t min_chip_rev_full, max_chip_rev_full;
    uint8_t hash_appended;
    int nsegs;
    bl_segment seg[BL_MAX_SEGMENTS];
    uint32_t checksum_offset;  /* offset of the checksum byte (the image's 16-byte boundary - 1) */
    uint8_t checksum_stored, checksum_computed;
    uint32_t image_len;        /* through the checksum byte, plus 32 if hash_appended */
} bl_image;

typedef enum {
    BL_OK = 0,
    BL_ERR_TRUNCATED,      /* the data ends before the header / a segment / the footer */
    BL_ERR_MAGIC,          /* first byte is not 0xE9 */
    BL_ERR_SEGCOUNT,       /* 0 or more than 16 segments */
    BL_ERR_SEGLEN,         /* a segment length that is not a multiple of 4 */
    BL_ERR_SEGADDR,        /* a segment outside every ESP32 memory region */
    BL_ERR_ALIGN,          /* a flash-mapped segment whose flash offset and address differ mod 64 KB */
    BL_ERR_CHECKSUM,       /* the XOR checksum does not match */
    BL_ERR_CHIP,           /* chip id is not ESP32 */
} bl_status;
const char *bl_strerror(bl_status s);

/* Parses and checks an image held in img[0..avail). flash_offset is where img[0] sits in
   flash (used for the 64 KB congruence of mapped segments; pass 0 if the image is a file
   that will be written at a 64 KB-aligned offset). On error, *bad_seg (if not NULL) is the
   index of the offending segment or -1. */
bl_status bl_parse_image(const uint8_t *img, uint32_t avail, uint32_t flash_offset,
                         bl_image *out, int *bad_seg);

/* XOR of bytes, starting from seed. */
uint8_t bl_checksum(uint8_t seed, const uint8_t *p, uint32_t n);

/* ---- the loading plan: what the bootloader does with each segment ---- */
typedef enum { BL_ACT_SKIP, BL_ACT_COPY, BL_ACT_MAP } bl_action;
typedef struct bl_step {
    bl_action action;
    uint32_t flash_addr;   /* absolute flash address of the segment data */
    uint32_t vaddr;        /* load address */
    uint32_t len;
} bl_step;
/* One step per segment, in image order. Returns the number of steps. */
int bl_plan_steps(const bl_image *im, uint32_t image_flash_offset, bl_step *steps);
/* Our bootloader occupies these while it copies: a COPY step must not overlap them. */
#define BL_LOADER_IRAM_LOW  0x40078000u
#define BL_LOADER_IRAM_HIGH 0x40080000u
#define BL_LOADER_DRAM_LOW  0x3FFF0000u
#define BL_LOADER_DRAM_HIGH 0x40000000u
/* Index of the first COPY step that would overwrite the bootloader, or -1. */
int bl_plan_check(const bl_step *steps, int nsteps);

/* ---- flash MMU (PRO CPU table at 0x3FF10000: 256 entries; entries 0..63 map DROM
   0x3F400000 + i*64K, entries 64..255 map 0x40000000 + (i-64)*64K) ---- */
typedef struct bl_mmu_entry { uint16_t index; uint16_t page; } bl_mmu_entry;
/* MMU table index that maps the 64 KB page containing vaddr, or -1. */
int bl_mmu_index(uint32_t vaddr);
/* Entries mapping [vaddr, vaddr+len) to flash starting at flash_addr (which must be congruent
   to vaddr mod 64 KB). Appends to out (capacity max) from *n; returns 0, or -1 on an
   address that no MMU entry maps, a congruence error or an overflow of out. */
int bl_mmu_map(uint32_t vaddr, uint32_t flash_addr, uint32_t len, bl_mmu_entry *out, int max, int *n);
/* The whole MMU plan for an image: every MAP step. Overlapping entries must agree. */
int bl_mmu_plan(const bl_step *steps, int nsteps, bl_mmu_entry *out, int max, int *n);

/* ---- partition table (esp_partition_info_t: 32-byte entries at flash 0x8000) ---- */
#define BL_PART_TABLE_OFFSET 0x8000u
#define BL_PART_TABLE_MAX    0xC00u     /* bytes of entries the bootloader reads */
#define BL_PART_MAGIC        0x50AA
#define BL_PART_MD5_MAGIC    0xEBEB
#define BL_PART_TYPE_APP     0x00
#define BL_PART_TYPE_DATA    0x01
#define BL_PART_SUB_FACTORY  0x00
typedef struct bl_partition {
    uint8_t type, subtype;
    uint32_t offset, size;
    char label[17];
    uint32_t flags;
} bl_partition;
typedef enum { BL_PT_OK = 0, BL_PT_EMPTY, BL_PT_BAD_ENTRY, BL_PT_BAD_MD5, BL_PT_TOO_MANY } bl_pt_status;
/* Encodes n partitions (+ the MD5 entry) into out[0..BL_PART_TABLE_MAX), the rest 0xFF.
   Returns the number of meaningful bytes (entries + MD5 entry) or 0 if n is too large. */
uint32_t bl_partitions_encode(const bl_partition *p, int n, uint8_t *out);
/* Decodes; *n = entries found; *has_md5 = 1 if an MD5 entry was present and matched. */
bl_pt_status bl_partitions_decode(const uint8_t *tbl, uint32_t len, bl_partition *out, int max,
                                  int *n, int *has_md5);
/* The app partition to boot: factory if present, else the first app partition; -1 if none. */
int bl_partitions_pick_app(const bl_partition *p, int n);

/* ---- MD5 (RFC 1321), for the partition table checksum ---- */
typedef struct bl_md5 { uint32_t h[4]; uint64_t len; uint8_t buf[64]; } bl_md5;
void bl_md5_init(bl_md5 *c);
void bl_md5_update(bl_md5 *c, const uint8_t *p, uint32_t n);
void bl_md5_final(bl_md5 *c, uint8_t out[16]);

/* little-endian helpers */
static inline uint32_t bl_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t bl_rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline void bl_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void bl_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
#endif
