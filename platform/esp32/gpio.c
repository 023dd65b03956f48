/* gpio.c — GPIO on the ESP32 (esp32_gpio.h): a pad routed to the GPIO function in IO_MUX,
   driven through the GPIO matrix's "simple output" (TRM "IO_MUX and GPIO Matrix"). */
#include "esp32_regs.h"
#include "esp32_gpio.h"

static const uint8_t io_mux_offset[40] = {
    /* IO_MUX register offset of GPIO n (esp-idf io_mux_reg.h); 0 = no such pad */
    0x44, 0x88, 0x40, 0x84, 0x48, 0x6c, 0x60, 0x64, 0x68, 0x54, 0x58, 0x5c, 0x34, 0x38, 0x30,
    0x3c, 0x4c, 0x50, 0x70, 0x74, 0x78, 0x7c, 0x80, 0x8c, 0x90, 0x24, 0x28, 0x2c, 0, 0, 0, 0,
    0x1c, 0x20, 0x14, 0x18, 0x04, 0x08, 0x0c, 0x10,
};

int oe_gpio_config(int pin, int mode)
{
    if (pin < 0 || pin >= 40 || io_mux_offset[pin] == 0) return -1;
    if (mode == OE_GPIO_OUTPUT && pin >= 34) return -1;          /* GPIO34-39 are input-only */
    uint32_t mux = IO_MUX_BASE + io_mux_offset[pin];
    uint32_t v = oe_reg_read(mux) & ~(IO_MUX_MCU_SEL_M | IO_MUX_FUN_WPU | IO_MUX_FUN_WPD);
    v |= IO_MUX_FUNC_GPIO << IO_MUX_MCU_SEL_S | IO_MUX_FUN_IE;
    if (mode == OE_GPIO_INPUT_PULLUP) v |= IO_MUX_FUN_WPU;
    if (mode == OE_GPIO_INPUT_PULLDOWN) v |= IO_MUX_FUN_WPD;
    oe_reg_write(mux, v);
    uint32_t bit = 1u << (pin & 31);
    if (mode == OE_GPIO_OUTPUT) {
        oe_reg_write(GPIO_FUNC_OUT_SEL_CFG_REG(pin), GPIO_OUT_SEL_SIMPLE);
        oe_reg_clear(GPIO_PIN_REG(pin), 1u << 2);                 /* push-pull */
        oe_reg_write(pin < 32 ? GPIO_ENABLE_W1TS_REG : GPIO_ENABLE1_W1TS_REG, bit);
    } else {
        oe_reg_write(pin < 32 ? GPIO_ENABLE_W1TC_REG : GPIO_ENABLE1_W1TC_REG, bit);
    }
    return 0;
}

void oe_gpio_set(int pin, int level)
{
    if (pin < 0 || pin >= 40) return;
    uint32_t bit = 1u << (pin & 31);
    if (pin < 32) oe_reg_write(level ? GPIO_OUT_W1TS_REG : GPIO_OUT_W1TC_REG, bit);
    else oe_reg_write(level ? GPIO_OUT1_W1TS_REG : GPIO_OUT1_W1TC_REG, bit);
}

int oe_gpio_get(int pin)
{
    if (pin < 0 || pin >= 40) return 0;
    uint32_t v = oe_reg_read(pin < 32 ? GPIO_IN_REG : GPIO_IN1_REG);
    return (int)((v >> (pin & 31)) & 1);
}
