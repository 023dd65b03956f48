/* clock.h — the ESP32's CPU clock (clock.c). */
#ifndef OE_ESP32_CLOCK_H
#define OE_ESP32_CLOCK_H
#include <stdint.h>

#define OE_ESP32_XTAL_MHZ 40u      /* the crystal of ESP32-D0WD modules (DevKitC) */
#define OE_ESP32_APB_PLL_MHZ 80u   /* APB clock while the CPU runs from the PLL */

/* Switches the CPU to mhz (80, 160 or 240) from the PLL, whatever the bootloader left
   (ours: the crystal; esp-idf's: the PLL at 80 MHz). Returns the CPU frequency in MHz now in
   effect: mhz, or the current one unchanged if mhz is not supported. Call with the UART idle
   or about to be reprogrammed: its baud rate follows the APB clock. */
uint32_t oe_esp32_clock_init(uint32_t mhz);

/* The CPU and APB frequencies (MHz) as the registers say now. */
uint32_t oe_esp32_cpu_mhz(void);
uint32_t oe_esp32_apb_mhz(void);

/* Conversions between CPU cycles and nanoseconds that do not overflow for any 64-bit
   count (cycles * 10^9 / Hz would after 115 s at 160 MHz). */
uint64_t oe_esp32_cycles_to_ns(uint64_t cycles, uint32_t mhz);
uint64_t oe_esp32_ns_to_cycles(uint64_t ns, uint32_t mhz);   /* rounded down, saturates */

/* CCOUNT: the cycle counter. Host tests provide it (a simulated clock). */
#ifdef OE_REG_HOST
uint32_t oe_esp32_ccount(void);
#else
static inline uint32_t oe_esp32_ccount(void)
{
    uint32_t c;
    __asm__ __volatile__("rsr %0, ccount" : "=r"(c));
    return c;
}
#endif
#endif
