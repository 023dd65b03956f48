/* gpio.c — simulated GPIO pins for QEMU (which has no ESP32 peripherals): outputs keep their
   level, inputs read their pull (or 0), and each output change is logged on stderr so a test
   can follow what a program like examples/blink does to the pins. */
#include <stdio.h>
#include "runtime.h"

enum { NPINS = 40 };
static signed char mode_of[NPINS];   /* -1 unconfigured */
static unsigned char level_of[NPINS];
static int initialised;

static int valid(int pin) { return pin >= 0 && pin < NPINS && !(pin >= 28 && pin <= 31); }

int oe_gpio_config(int pin, int mode)
{
    if (!initialised) {
        for (int i = 0; i < NPINS; i++) mode_of[i] = -1;
        initialised = 1;
    }
    if (!valid(pin) || mode < 0 || mode > 3 || (mode == 1 && pin >= 34)) return -1;
    mode_of[pin] = (signed char)mode;
    level_of[pin] = mode == 2;   /* a pull-up reads 1 */
    return 0;
}

void oe_gpio_set(int pin, int level)
{
    if (!valid(pin) || !initialised || mode_of[pin] != 1) return;
    level_of[pin] = level != 0;
    char buf[48];
    int n = snprintf(buf, sizeof buf, "[qemu gpio] GPIO%d = %d\n", pin, level != 0);
    oe_platform_write(2, buf, (uintnat)n);
}

int oe_gpio_get(int pin)
{
    return valid(pin) && initialised ? level_of[pin] : 0;
}
