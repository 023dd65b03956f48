/* esp32_image.h — ESP32 app images (the format the ROM and esp-idf's bootloader load; what
   `esptool.py elf2image` writes): writer from a linked ELF, verifier/printer
   (`ocaml-esp32 image-info`), and the complete flash image for a blank chip (our bootloader at
   0x1000, partition table at 0x8000, app at 0x10000). The hardware-free loader logic shared
   with the bootloader is platform/esp32/bootloader/bl_plan.h. Format facts: docs/esp32.md. */
#ifndef OE_ESP32_IMAGE_H
#define OE_ESP32_IMAGE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../platform/esp32/bootloader/bl_plan.h"

#define ESP32_APP_OFFSET        0x10000u   /* flash offset of the factory app */
#define ESP32_BOOTLOADER_OFFSET 0x1000u
#define ESP32_FLASH_SIZE        0x400000u  /* 4 MB (the header says so) */
#define ESP32_APP_DESC_MAGIC    0xABCD5432u
#define ESP32_APP_DESC_SHA_OFF  0x90u      /* app_elf_sha256 inside esp_app_desc_t */

/* Header values written: DIO, 40 MHz, 4 MB. */
#define ESP32_SPI_MODE_DIO   2
#define ESP32_SPI_SPEED_40M  0
#define ESP32_SPI_SIZE_4MB   2

typedef struct esp32_image_opts {
    int app_desc_sha;        /* write the ELF's SHA-256 into esp_app_desc_t if present (default 1) */
    int hash_appended;       /* append the SHA-256 of the image (default 1) */
    int ram_only;            /* bootloader images: every segment must be RAM (no flash mapping) */
    /* filled in by esp32_image_build: */
    uint32_t padding;        /* bytes of padding segments (headers included) */
    uint32_t irom_congruent; /* where the first IROM segment would start without padding:
                                0x400D0000 + its data's file offset mod 64 KB (0: no IROM) */
} esp32_image_opts;

/* Builds an image from ELF bytes. Returns a malloc'd buffer (*len set) or NULL with a message
   in err. */
uint8_t *esp32_image_build(const uint8_t *elf, size_t elf_len, esp32_image_opts *o,
                           size_t *len, char *err, size_t errlen);
/* The API the `build -t esp32` path uses: reads elf_path, writes bin_path (fatal on error). */
/* Writes the image of an ELF; returns the image's padding bytes and sets *irom_congruent
   (see esp32_image_opts) so that the caller can relink code at that address. */
uint32_t esp32_image_from_elf(const char *elf_path, const char *bin_path, uint32_t *irom_congruent);

/* Result of verifying an app image. */
typedef struct esp32_image_report {
    bl_image im;
    bl_status status;
    int bad_seg;
    int sha_present, sha_valid;
    uint8_t sha_stored[32], sha_computed[32];
    int has_app_desc;
    uint8_t app_desc[256];
} esp32_image_report;
/* Verifies buf[0..len) as an app image at flash offset flash_offset (mod 64 KB matters).
   Returns 0 if everything is valid, else -1 with a one-line reason in err. */
int esp32_image_verify(const uint8_t *buf, size_t len, uint32_t flash_offset,
                       esp32_image_report *r, char *err, size_t errlen);
/* `ocaml-esp32 image-info FILE`: prints to out; on any error one line on stderr, exit 1
   (returns the exit status). Understands app images and complete flash images. */
int esp32_image_info(const char *path, FILE *out);

/* Complete flash image for a blank chip, to be written at flash offset 0: our bootloader
   (its ELF is converted here) at 0x1000, the partition table at 0x8000, the app at 0x10000.
   Returns a malloc'd buffer or NULL with err set. */
uint8_t *esp32_full_flash_build(const uint8_t *app, size_t app_len, const uint8_t *boot_elf,
                                size_t boot_elf_len, size_t *len, char *err, size_t errlen);
/* File version: reads app_bin and bootloader_elf (NULL: <root>/build/target/esp32/bootloader.elf),
   writes out_path (fatal on error). */
void esp32_full_flash_image(const char *app_bin, const char *bootloader_elf, const char *out_path);
/* The partition table written by esp32_full_flash_build: one factory app partition. */
void esp32_default_partitions(bl_partition *p, int *n);

/* SHA-256 (FIPS 180-4). */
void esp32_sha256(const uint8_t *p, size_t n, uint8_t out[32]);
/* Whole file into memory (fatal on error). */
uint8_t *esp32_read_file(const char *path, size_t *len);
void esp32_write_file(const char *path, const uint8_t *p, size_t n);
/* Subcommands (dispatched from main.c). */
int esp32_cmd_image_info(int argc, char **argv);
int esp32_cmd_elf2image(int argc, char **argv);
#endif
