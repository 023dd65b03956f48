/* esp32_flash.h — writing images to an ESP32 through its ROM serial bootloader
   (`ocaml-esp32 flash`) and watching its console (`ocaml-esp32 monitor`). Protocol facts
   (esptool's docs/en/advanced-topics/serial-protocol.rst): SLIP framing (0xC0 ends a frame,
   0xC0 -> DB DC, 0xDB -> DB DD); a command is [0x00, op, size16, checksum32, data]; a
   response is [0x01, op, size16, value32, data] whose last 4 bytes (ESP32 ROM) are
   status, error, 0, 0; the checksum of *_DATA packets is the XOR of the payload bytes
   seeded with 0xEF. Details in docs/esp32.md. */
#ifndef OE_ESP32_FLASH_H
#define OE_ESP32_FLASH_H
#include <stddef.h>
#include <stdint.h>

enum {
    ESP_FLASH_BEGIN = 0x02, ESP_FLASH_DATA = 0x03, ESP_FLASH_END = 0x04,
    ESP_SYNC = 0x08, ESP_READ_REG = 0x0A, ESP_SPI_SET_PARAMS = 0x0B, ESP_SPI_ATTACH = 0x0D,
    ESP_CHANGE_BAUDRATE = 0x0F, ESP_SPI_FLASH_MD5 = 0x13,
};
#define ESP_FLASH_BLOCK        0x400u        /* data bytes per FLASH_DATA packet (ROM loader) */
#define ESP_ROM_BAUD           115200
#define ESP_CHIP_MAGIC_REG     0x40001000u   /* READ_REG here identifies the chip */
#define ESP32_CHIP_MAGIC       0x00F01D83u

/* ---- framing and packets (pure functions, unit-tested against hand-made byte strings) ---- */
uint8_t esp_checksum(const uint8_t *p, size_t n);             /* XOR, seed 0xEF */
/* SLIP-encodes in[0..n) between two 0xC0 into out (room for 2n+2); returns the length. */
size_t esp_slip_encode(const uint8_t *in, size_t n, uint8_t *out);
typedef struct esp_slip_dec {
    uint8_t buf[2048];
    size_t n;
    int in_frame, esc, overflow, bad_escape, ready;
} esp_slip_dec;
void esp_slip_init(esp_slip_dec *d);
/* Feeds one received byte; returns 1 when buf[0..n) holds a complete, well-formed frame. */
int esp_slip_feed(esp_slip_dec *d, uint8_t byte);
/* Command packet (before SLIP): returns the length (8 + n). */
size_t esp_cmd_packet(uint8_t op, const uint8_t *data, uint16_t n, uint32_t checksum, uint8_t *out);
/* Payloads. */
void esp_flash_begin_payload(uint32_t erase_size, uint32_t blocks, uint32_t block_size,
                             uint32_t offset, uint8_t out[16]);
/* FLASH_DATA payload: 16-byte header + block (padded with 0xFF to block_size); returns the
   payload length; *checksum = XOR of the block bytes. */
size_t esp_flash_data_payload(uint32_t seq, const uint8_t *data, size_t n, uint32_t block_size,
                              uint8_t *out, uint32_t *checksum);
/* Response parsing: returns 0 and fills op/value/status/error, or -1 if malformed. */
typedef struct esp_resp { uint8_t op; uint32_t value; const uint8_t *data; uint16_t size;
                          uint8_t status, error; } esp_resp;
int esp_parse_response(const uint8_t *p, size_t n, esp_resp *r);
const char *esp_rom_error_name(uint8_t e);

/* ---- a connection to the ROM loader ---- */
typedef struct esp32_flash_opts {
    const char *port;        /* default /dev/ttyUSB0 */
    int baud;                /* after sync; default 115200 (ROM rate) */
    int no_reset;            /* do not drive DTR/RTS */
    int quiet;               /* no progress bar / notes */
    int sync_attempts;       /* default 7 (each: reset, then 5 SYNC of 100 ms) */
    int timeout_ms;          /* default timeout of a command; default 3000 */
    int retries;             /* resends of a command that timed out; default 3 */
    long offset;             /* flash offset; -1: 0x10000 for an app, 0 for a complete image */
    int no_verify;           /* skip the SPI_FLASH_MD5 check */
    int monitor_seconds;     /* monitor: stop after this long (0: until the port closes) */
} esp32_flash_opts;
void esp32_flash_defaults(esp32_flash_opts *o);

/* Writes the file at path (an app image or a complete flash image) and restarts the chip.
   Returns 0, or -1 with a one-line message in err. */
int esp32_flash_file(const esp32_flash_opts *o, const char *path, char *err, size_t errlen);
/* Writes data at flash offset (already connected or not: connects). */
int esp32_flash_data(const esp32_flash_opts *o, uint32_t offset, const uint8_t *data, size_t len,
                     char *err, size_t errlen);
/* Copies the port's output to stdout (and stdin to the port). Returns 0 or -1 with err. */
int esp32_monitor(const esp32_flash_opts *o, char *err, size_t errlen);
/* Subcommands (dispatched from main.c): parse options, print one error line and exit 1 on
   failure. */
int esp32_cmd_flash(int argc, char **argv);
int esp32_cmd_monitor(int argc, char **argv);
#endif
