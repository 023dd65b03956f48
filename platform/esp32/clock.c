/* clock.c — the ESP32's CPU clock: from what the bootloader left to the PLL at 80, 160 or
   240 MHz. The steps (TRM "Reset and Clock"; the register-level order is the one esp-idf's
   rtc_clk.c follows):
     1. let the UART finish sending: its baud rate follows the APB clock, which changes;
     2. flash clock = APB / 2, so that SPI0 never runs above 40 MHz (20 MHz while APB is the
        crystal, 40 MHz once APB is 80 MHz);
     3. CPU onto the crystal (the PLL must not be reprogrammed while it clocks the CPU);
     4. BBPLL powered up and programmed for 320 MHz (80/160) or 480 MHz (240) from the 40 MHz
        crystal through the analog I2C bus — only the ROM's rom_i2c_writeReg knows that bus,
        hence oe_rom_call (romcall.S, windowed ABI); then the documented lock time;
     5. core voltage for the frequency, CPUPERIOD_SEL, CPU onto the PLL (APB = 80 MHz).
   Everything here runs from IRAM: step 2 changes the clock of the flash the cache reads.
   Host tests (tests/unit/test_esp32_clock.c) run this file against a simulated chip. */
#include "esp32_regs.h"
#include "clock.h"
#include "romcall.h"

#define IRAM_FN __attribute__((section(".iram.text.oe_clock")))

#define PLL_LOCK_US      160u   /* 80 us with the 150 kHz RTC slow clock, 160 us with 32 kHz */
#define SLOW_CYCLE_US    20u    /* more than one cycle of the 150 kHz RTC slow clock */
#define DBIAS_RAISE_US   3u
#define UART_LAST_CHAR_US 100u  /* 10 bits at 115200 baud: the shift register empties */

IRAM_FN uint32_t oe_esp32_cpu_mhz(void)
{
    uint32_t sel = (oe_reg_read(RTC_CNTL_CLK_CONF_REG) >> RTC_CNTL_SOC_CLK_SEL_S) & 3u;
    if (sel == 0) return OE_ESP32_XTAL_MHZ / ((oe_reg_read(SYSCON_SYSCLK_CONF_REG) & 0x3FFu) + 1);
    if (sel == 1) {
        uint32_t per = oe_reg_read(DPORT_CPU_PER_CONF_REG) & 3u;
        return per == 0 ? 80u : per == 1 ? 160u : 240u;
    }
    return 8;   /* the internal 8 MHz oscillator (APLL: never selected by us) */
}

IRAM_FN uint32_t oe_esp32_apb_mhz(void)
{
    uint32_t sel = (oe_reg_read(RTC_CNTL_CLK_CONF_REG) >> RTC_CNTL_SOC_CLK_SEL_S) & 3u;
    return sel == 1 ? OE_ESP32_APB_PLL_MHZ : oe_esp32_cpu_mhz();
}

static IRAM_FN void delay_us(uint32_t us, uint32_t cpu_mhz)
{
    uint32_t start = oe_esp32_ccount();
    while (oe_esp32_ccount() - start < us * cpu_mhz) { }
}

static IRAM_FN void bbpll_write(uint32_t reg, uint32_t value)
{
    const uint32_t args[4] = { I2C_BBPLL, I2C_BBPLL_HOSTID, reg, value };
    oe_rom_call(OE_ROM_I2C_WRITEREG, 4, args);
}

static IRAM_FN void set_dbias(uint32_t level)
{
    oe_reg_field(RTC_CNTL_REG, 7u, RTC_CNTL_DIG_DBIAS_WAK_S, level);
}

IRAM_FN uint32_t oe_esp32_clock_init(uint32_t mhz)
{
    uint32_t now = oe_esp32_cpu_mhz();
    if (mhz != 80 && mhz != 160 && mhz != 240) return now;
    int pll480 = mhz == 240;

    /* 1. */
    while (oe_esp32_uart_tx_count() != 0) { }
    delay_us(UART_LAST_CHAR_US, now);

    /* 2. N = L = divider - 1, H = divider / 2 - 1 */
    oe_reg_write(SPI0_CLOCK_REG, (1u << SPI_CLKCNT_N_S) | (0u << SPI_CLKCNT_H_S) | (1u << SPI_CLKCNT_L_S));

    /* 3. */
    if ((oe_reg_read(RTC_CNTL_CLK_CONF_REG) >> RTC_CNTL_SOC_CLK_SEL_S) & 3u) {
        oe_reg_field(SYSCON_SYSCLK_CONF_REG, 0x3FFu, 0, 0);
        oe_reg_write(SYSCON_XTAL_TICK_CONF_REG, OE_ESP32_XTAL_MHZ - 1);
        oe_reg_field(RTC_CNTL_CLK_CONF_REG, 3u, RTC_CNTL_SOC_CLK_SEL_S, 0);
        set_dbias(RTC_CNTL_DBIAS_1V10);
        delay_us(SLOW_CYCLE_US, OE_ESP32_XTAL_MHZ);
    }

    /* 4. power up, reset values, then the dividers for a 40 MHz crystal (the values of
       esp-idf's hal/esp32/clk_tree_ll.h) */
    oe_reg_clear(RTC_CNTL_OPTIONS0_REG, RTC_CNTL_BIAS_I2C_FORCE_PD | RTC_CNTL_BB_I2C_FORCE_PD |
                                        RTC_CNTL_BBPLL_FORCE_PD | RTC_CNTL_BBPLL_I2C_FORCE_PD);
    bbpll_write(I2C_BBPLL_IR_CAL_DELAY, 0x18);
    bbpll_write(I2C_BBPLL_IR_CAL_EXT_CAP, 0x20);
    bbpll_write(I2C_BBPLL_OC_ENB_FCAL, 0x9A);
    bbpll_write(I2C_BBPLL_OC_ENB_VCON, 0x00);
    bbpll_write(I2C_BBPLL_BBADC_CAL_7_0, 0x00);
    delay_us(SLOW_CYCLE_US, OE_ESP32_XTAL_MHZ);
    if (pll480) {
        set_dbias(RTC_CNTL_DBIAS_1V25);
        delay_us(DBIAS_RAISE_US, OE_ESP32_XTAL_MHZ);
    }
    bbpll_write(I2C_BBPLL_ENDIV5, pll480 ? 0xC3 : 0x43);
    bbpll_write(I2C_BBPLL_BBADC_DSMP, pll480 ? 0x74 : 0x84);
    bbpll_write(I2C_BBPLL_OC_LREF, 0x00);                 /* lref 0, div10_8 0, div_ref 0 */
    bbpll_write(I2C_BBPLL_OC_DIV_7_0, pll480 ? 28 : 32);
    bbpll_write(I2C_BBPLL_OC_DCUR, (3u << 6) | 6u);       /* bw 3, dcur 6 */
    delay_us(PLL_LOCK_US, OE_ESP32_XTAL_MHZ);

    /* 5. */
    set_dbias(pll480 ? RTC_CNTL_DBIAS_1V25 : RTC_CNTL_DBIAS_1V10);
    oe_reg_write(DPORT_CPU_PER_CONF_REG, mhz == 80 ? 0u : mhz == 160 ? 1u : 2u);
    oe_reg_write(SYSCON_PLL_TICK_CONF_REG, OE_ESP32_APB_PLL_MHZ - 1);
    oe_reg_field(RTC_CNTL_CLK_CONF_REG, 3u, RTC_CNTL_SOC_CLK_SEL_S, 1);
    uint32_t apb = (OE_ESP32_APB_PLL_MHZ * 1000000u) >> 12;
    oe_reg_write(RTC_CNTL_STORE5_REG, apb | apb << 16);  /* for the ROM, as esp-idf keeps it */
    delay_us(30, mhz);
    return oe_esp32_cpu_mhz();
}

uint64_t oe_esp32_cycles_to_ns(uint64_t cycles, uint32_t mhz)
{
    return cycles / mhz * 1000u + cycles % mhz * 1000u / mhz;
}

uint64_t oe_esp32_ns_to_cycles(uint64_t ns, uint32_t mhz)
{
    uint64_t q = ns / 1000u, r = ns % 1000u;
    if (q > UINT64_MAX / mhz) return UINT64_MAX;
    uint64_t c = q * mhz, extra = r * mhz / 1000u;
    return c > UINT64_MAX - extra ? UINT64_MAX : c + extra;
}
