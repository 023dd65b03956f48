/* romcall.h — calling the ESP32 ROM's functions, which use the windowed ABI, from our CALL0
   code (romcall.S). */
#ifndef OE_ROMCALL_H
#define OE_ROMCALL_H
#include <stdint.h>

/* Calls the windowed-ABI function at `fn` (as callx8 would) with args[0..nargs-1] as its
   arguments (nargs 0..6; words past the sixth are not passed) and returns its result (a2).
   Requirements: the window overflow/underflow handlers (platform/xtensa/window_vectors.inc)
   in the vector table; `fn` in the same 1 GB region as this code (retw keeps the top two
   address bits of the callee's pc: true for ROM 0x4000xxxx and IRAM/flash 0x40xxxxxx);
   not from an exception handler (the callee runs with PS.EXCM = 0). PS, including INTLEVEL,
   is restored as it was, with WOE = 0. */
uint32_t oe_rom_call(uint32_t fn, int nargs, const uint32_t *args);

/* ROM addresses, from esp-idf's components/esp_rom/esp32/ld/esp32.rom.ld (not run here) */
#define OE_ROM_I2C_WRITEREG      0x400041a4u  /* (block, host_id, reg, data) */
#define OE_ROM_I2C_WRITEREG_MASK 0x400041fcu  /* (block, host_id, reg, msb, lsb, data) */

#endif
