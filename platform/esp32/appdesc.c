/* appdesc.c — the application description (esp-idf's esp_app_desc_t, 256 bytes, magic
   0xABCD5432) that esp-idf's bootloader and `ocaml-esp32 image-info` read at the start of
   the first DROM segment; esp32.ld places it there. `ocaml-esp32` fills app_elf_sha256
   when it writes the image. */
#include <stdint.h>

typedef struct oe_app_desc {
    uint32_t magic_word;
    uint32_t secure_version;
    uint32_t reserv1[2];
    char version[32];
    char project_name[32];
    char time[16];
    char date[16];
    char idf_ver[32];
    uint8_t app_elf_sha256[32];
    uint16_t min_efuse_blk_rev_full, max_efuse_blk_rev_full;
    uint8_t mmu_page_size;        /* log2: 16 = 64 KB */
    uint8_t reserv3[3];
    uint32_t reserv2[18];
} oe_app_desc;

_Static_assert(sizeof(oe_app_desc) == 256, "esp_app_desc_t is 256 bytes");

__attribute__((section(".rodata_desc"), used))
const oe_app_desc oe_esp_app_desc = {
    .magic_word = 0xABCD5432u,
    .version = "1",
    .project_name = "ocaml-esp32",
    .time = __TIME__,
    .date = __DATE__,
    .idf_ver = "none (ocaml-esp32)",
    .max_efuse_blk_rev_full = 0xFFFF,
    .mmu_page_size = 16,
};
