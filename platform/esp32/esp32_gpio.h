/* esp32_gpio.h — GPIO for programs on the ESP32 platform (examples/blink). Pins 0-39 as
   the chip numbers them (28-31 do not exist; 34-39 are input-only; 6-11 drive the flash:
   leave them alone). */
#ifndef OE_ESP32_GPIO_H
#define OE_ESP32_GPIO_H
#include <stdint.h>

enum { OE_GPIO_INPUT = 0, OE_GPIO_OUTPUT = 1, OE_GPIO_INPUT_PULLUP = 2, OE_GPIO_INPUT_PULLDOWN = 3 };

/* IO_MUX function "GPIO", input enabled, pulls as asked; output: GPIO-matrix simple output,
   push-pull, output enabled. Returns 0, or -1 for a pin that cannot do it. */
int oe_gpio_config(int pin, int mode);
void oe_gpio_set(int pin, int level);   /* GPIO_OUT_W1TS / W1TC */
int oe_gpio_get(int pin);               /* GPIO_IN */
uint32_t oe_esp32_random(void);         /* RNG_DATA_REG */
#endif
