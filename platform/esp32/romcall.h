/* romcall.h — calling the ESP32 ROM's windowed-ABI functions from our CALL0 code
   (romcall.S). */
#ifndef OE_ROMCALL_H
#define OE_ROMCALL_H
#include <stdint.h>

/* Calls the windowed function at fn with nargs (0..6) arguments; its result. */
uint32_t oe_rom_call(uint32_t fn, int nargs, const uint32_t *args);

/* ROM entry points (esp-idf components/esp_rom/esp32/ld/esp32.rom.api.ld) */
#define ROM_I2C_WRITEREG      0x400041A4u   /* (block, host id, register, value) */
#endif
