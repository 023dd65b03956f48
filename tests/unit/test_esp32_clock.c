/* test_esp32_clock.c — platform/esp32/clock.c run against a simulated ESP32: the registers it
   touches (fake_regs.h), the BBPLL behind the ROM's rom_i2c_writeReg, CCOUNT following the
   CPU clock that the registers select, and a UART whose FIFO drains at 115200 baud.
   The model checks, at every register write, what the hardware requires:
     - the CPU only ever runs from the crystal or from a PLL that is powered, programmed for
       a frequency the CPUPERIOD_SEL value expects, and has had its lock time;
     - the PLL is never reprogrammed while it clocks the CPU, the analog I2C bus is powered
       when written;
     - the core voltage is never below what the CPU frequency needs;
     - the flash (SPI0) clock never exceeds 40 MHz;
     - the APB clock (the UART's) only changes once the UART has sent everything.
   Starting states: our bootloader's (crystal), esp-idf's bootloader's (PLL at 80 MHz, flash
   divider 2), and the ROM's flash clock at APB/1. Also the cycle/ns conversions. */
#define OE_REG_HOST
#include "testlib.h"
#include "fake_regs.h"
#include "../../platform/esp32/clock.c"

/* ---- the simulated chip ---- */
static uint8_t bbpll[16];             /* analog registers, as rom_i2c_writeReg left them */
static int bbpll_reset_done;          /* the five reset values written since power-up */
static double now_us;                 /* simulated time */
static double pll_programmed_us;      /* last frequency-relevant BBPLL write */
static uint64_t ccount64;
static unsigned violations;
static int uart_fifo;                 /* characters waiting in the TX FIFO */
static double uart_empty_since_us;    /* when the last character left the shift register */
static double uart_drain_from_us;
static unsigned rom_calls;
static int expecting_violations;      /* test_model_catches: count them, don't fail */

#define CHAR_US (10.0 * 1e6 / 115200.0)

static void violation(const char *what)
{
    violations++;
    if (!expecting_violations) check(0, "hardware rule broken at t=%.1f us: %s", now_us, what);
}

static unsigned soc_sel(void) { return (fake_reg_get(RTC_CNTL_CLK_CONF_REG) >> 27) & 3u; }
static unsigned per_sel(void) { return fake_reg_get(DPORT_CPU_PER_CONF_REG) & 3u; }
static unsigned dbias(void) { return (fake_reg_get(RTC_CNTL_REG) >> 11) & 7u; }

/* the PLL frequency the analog registers select (0: none we know) */
static unsigned pll_mhz(void)
{
    if (!bbpll_reset_done || bbpll[I2C_BBPLL_OC_LREF] != 0 || bbpll[I2C_BBPLL_OC_DCUR] != 0xC6)
        return 0;
    if (bbpll[I2C_BBPLL_ENDIV5] == 0x43 && bbpll[I2C_BBPLL_BBADC_DSMP] == 0x84 &&
        bbpll[I2C_BBPLL_OC_DIV_7_0] == 32) return 320;
    if (bbpll[I2C_BBPLL_ENDIV5] == 0xC3 && bbpll[I2C_BBPLL_BBADC_DSMP] == 0x74 &&
        bbpll[I2C_BBPLL_OC_DIV_7_0] == 28) return 480;
    return 0;
}

static unsigned model_cpu_mhz(void)
{
    if (soc_sel() == 0) return 40 / ((fake_reg_get(SYSCON_SYSCLK_CONF_REG) & 0x3FF) + 1);
    if (soc_sel() == 1) return per_sel() == 0 ? 80 : per_sel() == 1 ? 160 : 240;
    return 8;
}

static unsigned model_apb_mhz(void) { return soc_sel() == 1 ? 80 : model_cpu_mhz(); }

static unsigned spi_divider(void)
{
    uint32_t v = fake_reg_get(SPI0_CLOCK_REG);
    if (v & SPI_CLK_EQU_SYSCLK) return 1;
    return (((v >> 18) & 0x1FFF) + 1) * (((v >> 12) & 0x3F) + 1);
}

static void advance_cycles(unsigned cycles)
{
    ccount64 += cycles;
    now_us += (double)cycles / model_cpu_mhz();
}

static void uart_update(void)
{
    while (uart_fifo > 0 && now_us >= uart_drain_from_us + CHAR_US) {
        uart_fifo--;
        uart_drain_from_us += CHAR_US;
        if (uart_fifo == 0) uart_empty_since_us = uart_drain_from_us;
    }
}

uint32_t oe_esp32_ccount(void)
{
    advance_cycles(7);                /* a loop iteration around the read */
    return (uint32_t)ccount64;
}

static uint32_t on_read(fake_reg *r)
{
    advance_cycles(5);
    if (r->addr == UART_STATUS_REG(UART0_BASE)) {
        uart_update();
        return (r->value & ~(0xFFu << 16)) | (uint32_t)uart_fifo << 16;
    }
    return r->value;
}

static void check_state(unsigned old_apb)
{
    unsigned cpu = model_cpu_mhz();
    if (soc_sel() == 1) {
        unsigned need = per_sel() == 2 ? 480 : 320;
        if (per_sel() == 3) violation("CPUPERIOD_SEL 3 is reserved");
        if (fake_reg_get(RTC_CNTL_OPTIONS0_REG) & RTC_CNTL_BBPLL_FORCE_PD)
            violation("CPU on a powered-down PLL");
        if (pll_mhz() != need) violation("CPU on a PLL not programmed for CPUPERIOD_SEL");
        if (now_us - pll_programmed_us < 80.0) violation("CPU on the PLL before its lock time");
    } else if (soc_sel() != 0) {
        violation("CPU on the 8 MHz oscillator or the APLL");
    }
    if (dbias() < (cpu > 160 ? 7u : 4u)) violation("core voltage too low for the CPU clock");
    if (model_apb_mhz() * 1.0 / spi_divider() > 40.0) violation("flash clock above 40 MHz");
    uint32_t spi = fake_reg_get(SPI0_CLOCK_REG);
    if (!(spi & SPI_CLK_EQU_SYSCLK)) {
        unsigned n = (spi >> 12) & 0x3F, h = (spi >> 6) & 0x3F, l = spi & 0x3F;
        if (l != n || h != (n + 1) / 2 - 1) violation("SPI0 clock: H/L inconsistent with N");
    }
    if (model_apb_mhz() != old_apb) {
        uart_update();
        if (uart_fifo != 0 || now_us - uart_empty_since_us < CHAR_US)
            violation("APB clock changed while the UART was sending");
    }
}

static void on_write(fake_reg *r, uint32_t old)
{
    /* the APB clock before this write, computed from the old value */
    uint32_t now = r->value;
    r->value = old;
    unsigned old_apb = model_apb_mhz();
    r->value = now;
    advance_cycles(5);
    check_state(old_apb);
}

uint32_t oe_rom_call(uint32_t fn, int nargs, const uint32_t *args)
{
    rom_calls++;
    advance_cycles(300);              /* the ROM's I2C transaction */
    if (fn != OE_ROM_I2C_WRITEREG || nargs != 4) { violation("unexpected ROM function"); return 0; }
    if (args[0] != I2C_BBPLL || args[1] != I2C_BBPLL_HOSTID || args[2] > 15 || args[3] > 255) {
        violation("rom_i2c_writeReg: not a BBPLL register");
        return 0;
    }
    uint32_t o = fake_reg_get(RTC_CNTL_OPTIONS0_REG);
    if (o & (RTC_CNTL_BIAS_I2C_FORCE_PD | RTC_CNTL_BB_I2C_FORCE_PD | RTC_CNTL_BBPLL_I2C_FORCE_PD))
        violation("analog I2C bus written while powered down");
    if (o & RTC_CNTL_BBPLL_FORCE_PD) violation("BBPLL programmed while powered down");
    if (soc_sel() == 1) violation("PLL reprogrammed while it clocks the CPU");
    if (args[2] == I2C_BBPLL_ENDIV5 && args[3] == 0xC3 && dbias() < 7)
        violation("480 MHz PLL programmed before the core voltage was raised");
    bbpll[args[2]] = (uint8_t)args[3];
    if (args[2] == I2C_BBPLL_BBADC_CAL_7_0 && bbpll[I2C_BBPLL_IR_CAL_DELAY] == 0x18 &&
        bbpll[I2C_BBPLL_IR_CAL_EXT_CAP] == 0x20 && bbpll[I2C_BBPLL_OC_ENB_FCAL] == 0x9A &&
        bbpll[I2C_BBPLL_OC_ENB_VCON] == 0 && args[3] == 0)
        bbpll_reset_done = 1;
    pll_programmed_us = now_us;
    return 0;
}

/* ---- starting states ---- */
enum start { FROM_XTAL, FROM_IDF_BOOTLOADER, FROM_ROM_FLASH_CLOCK };

static void chip_reset(enum start s)
{
    fake_regs_reset();
    memset(bbpll, 0, sizeof bbpll);
    bbpll_reset_done = 0;
    now_us = 0;
    pll_programmed_us = -1e9;
    ccount64 = 0x12345678u;
    violations = 0;
    rom_calls = 0;
    /* reset values from the TRM's register descriptions; PLL force-power-down bits set as
       after reset with the PLL off */
    fake_reg_declare(RTC_CNTL_OPTIONS0_REG,
                     0x1C492000u | RTC_CNTL_BIAS_I2C_FORCE_PD | RTC_CNTL_BB_I2C_FORCE_PD |
                     RTC_CNTL_BBPLL_FORCE_PD | RTC_CNTL_BBPLL_I2C_FORCE_PD, "RTC_CNTL_OPTIONS0");
    fake_reg_declare(RTC_CNTL_CLK_CONF_REG, 0x00002210u, "RTC_CNTL_CLK_CONF");
    fake_reg_declare(RTC_CNTL_REG, 0x29002400u, "RTC_CNTL_REG");
    fake_reg_declare(RTC_CNTL_STORE5_REG, 0, "RTC_CNTL_STORE5");
    fake_reg_declare(DPORT_CPU_PER_CONF_REG, 0, "DPORT_CPU_PER_CONF");
    fake_reg_declare(SYSCON_SYSCLK_CONF_REG, 0, "SYSCON_SYSCLK_CONF");
    fake_reg_declare(SYSCON_XTAL_TICK_CONF_REG, 39, "SYSCON_XTAL_TICK_CONF");
    fake_reg_declare(SYSCON_PLL_TICK_CONF_REG, 79, "SYSCON_PLL_TICK_CONF");
    /* divider 2: what both bootloaders leave for a "40m" image header */
    fake_reg_declare(SPI0_CLOCK_REG, (1u << 12) | (0u << 6) | 1u, "SPI0_CLOCK");
    fake_reg_declare(UART_STATUS_REG(UART0_BASE), 0, "UART0_STATUS");
    if (s == FROM_IDF_BOOTLOADER) {
        /* esp-idf's bootloader runs the CPU at 80 MHz from a 320 MHz PLL */
        fake_reg_put(RTC_CNTL_OPTIONS0_REG, 0x1C492000u);
        fake_reg_put(RTC_CNTL_CLK_CONF_REG, 0x00002210u | 1u << 27);
        bbpll[I2C_BBPLL_IR_CAL_DELAY] = 0x18; bbpll[I2C_BBPLL_IR_CAL_EXT_CAP] = 0x20;
        bbpll[I2C_BBPLL_OC_ENB_FCAL] = 0x9A;
        bbpll[I2C_BBPLL_ENDIV5] = 0x43; bbpll[I2C_BBPLL_BBADC_DSMP] = 0x84;
        bbpll[I2C_BBPLL_OC_DIV_7_0] = 32; bbpll[I2C_BBPLL_OC_DCUR] = 0xC6;
        bbpll_reset_done = 1;
    }
    if (s == FROM_ROM_FLASH_CLOCK) fake_reg_put(SPI0_CLOCK_REG, SPI_CLK_EQU_SYSCLK);
    uart_fifo = 40;                   /* the bootloader's last message still going out */
    uart_drain_from_us = 0;
    uart_empty_since_us = -1e9;
    fake_read_hook = on_read;
    fake_write_hook = on_write;
}

static void run(enum start s, uint32_t mhz, const char *what)
{
    chip_reset(s);
    uint32_t got = oe_esp32_clock_init(mhz);
    check(violations == 0, "%s: %u hardware rule(s) broken", what, violations);
    check(fake_stray == 0, "%s: access to undeclared registers", what);
    check(got == mhz, "%s: returned %u MHz", what, (unsigned)got);
    check(model_cpu_mhz() == mhz, "%s: the registers select %u MHz", what, model_cpu_mhz());
    check(model_apb_mhz() == 80, "%s: APB %u MHz, expected 80", what, model_apb_mhz());
    check(oe_esp32_cpu_mhz() == mhz && oe_esp32_apb_mhz() == 80,
          "%s: clock.c reads back %u/%u MHz", what, (unsigned)oe_esp32_cpu_mhz(),
          (unsigned)oe_esp32_apb_mhz());
    check(80 / spi_divider() == 40, "%s: flash clock %u MHz, expected 40", what, 80 / spi_divider());
    check(fake_reg_get(SYSCON_PLL_TICK_CONF_REG) == 79, "%s: REF_TICK divider on the PLL", what);
    uint32_t st5 = fake_reg_get(RTC_CNTL_STORE5_REG);
    check((st5 & 0xFFFF) == (st5 >> 16) && ((st5 & 0xFFFF) << 12) / 1000000 == 79,
          "%s: RTC_APB_FREQ_REG 0x%08x", what, (unsigned)st5);
    check(rom_calls == 10, "%s: %u BBPLL writes, expected 10", what, rom_calls);
    /* untouched bits: RTC_CNTL_CLK_CONF keeps its other fields */
    check((fake_reg_get(RTC_CNTL_CLK_CONF_REG) & ~(3u << 27)) == 0x00002210u,
          "%s: RTC_CNTL_CLK_CONF other fields changed", what);
    check((fake_reg_get(RTC_CNTL_REG) & ~(7u << 11)) == (0x29002400u & ~(7u << 11)),
          "%s: RTC_CNTL_REG other fields changed", what);
}

static void test_unsupported(void)
{
    chip_reset(FROM_XTAL);
    unsigned w = fake_writes;
    check(oe_esp32_clock_init(100) == 40, "100 MHz: the current 40 MHz returned");
    check(fake_writes == w && rom_calls == 0, "100 MHz: nothing written");
    chip_reset(FROM_IDF_BOOTLOADER);
    check(oe_esp32_clock_init(0) == 80, "0 MHz: the current 80 MHz returned");
}

/* the model is strict enough to catch mistakes: replay broken sequences by hand */
static void test_model_catches(void)
{
    expecting_violations = 1;
    chip_reset(FROM_XTAL);
    uart_fifo = 0;
    fake_reg_put(RTC_CNTL_OPTIONS0_REG, 0x1C492000u);
    oe_reg_field(RTC_CNTL_CLK_CONF_REG, 3u, 27, 1);     /* onto an unprogrammed PLL */
    check(violations > 0, "model: switching to an unprogrammed PLL is caught");

    chip_reset(FROM_ROM_FLASH_CLOCK);
    uart_fifo = 0;
    now_us = 1000;
    fake_reg_put(RTC_CNTL_OPTIONS0_REG, 0x1C492000u);
    bbpll_reset_done = 1;
    bbpll[I2C_BBPLL_ENDIV5] = 0x43; bbpll[I2C_BBPLL_BBADC_DSMP] = 0x84;
    bbpll[I2C_BBPLL_OC_DIV_7_0] = 32; bbpll[I2C_BBPLL_OC_DCUR] = 0xC6;
    oe_reg_write(DPORT_CPU_PER_CONF_REG, 1);
    unsigned before = violations;
    oe_reg_field(RTC_CNTL_CLK_CONF_REG, 3u, 27, 1);     /* flash divider still 1: 80 MHz */
    check(violations > before, "model: an 80 MHz flash clock is caught");

    chip_reset(FROM_IDF_BOOTLOADER);                    /* a programmed PLL... */
    fake_reg_put(RTC_CNTL_CLK_CONF_REG, 0x00002210u);   /* ...the CPU on the crystal */
    pll_programmed_us = now_us;                         /* ...and just reprogrammed */
    oe_reg_write(DPORT_CPU_PER_CONF_REG, 1);
    before = violations;
    oe_reg_field(RTC_CNTL_CLK_CONF_REG, 3u, 27, 1);     /* no lock time, UART still busy */
    check(violations >= before + 2, "model: no lock time and a busy UART are caught");
    expecting_violations = 0;
}

static void test_conversions(void)
{
    const uint32_t mhz[] = { 40, 80, 160, 240 };
    const uint64_t vals[] = { 0, 1, 999, 1000, 159, 160, 161, 4294967295u, 4294967296u,
                              1234567890123ull, 18446744073709551615ull, 18446744073709551000ull,
                              99999999999999ull, 576460752303423487ull };
    int bad = 0;
    for (unsigned i = 0; i < sizeof mhz / sizeof *mhz; i++)
        for (unsigned j = 0; j < sizeof vals / sizeof *vals; j++) {
            unsigned __int128 exact = (unsigned __int128)vals[j] * 1000u / mhz[i];
            if (oe_esp32_cycles_to_ns(vals[j], mhz[i]) != (uint64_t)exact) bad++;
            unsigned __int128 c = (unsigned __int128)vals[j] * mhz[i] / 1000u;
            uint64_t want = c > UINT64_MAX ? UINT64_MAX : (uint64_t)c;
            if (oe_esp32_ns_to_cycles(vals[j], mhz[i]) != want) bad++;
        }
    uint64_t x = 88172645463325252ull;    /* xorshift: many more values */
    for (int k = 0; k < 200000; k++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        uint64_t v = x >> (k % 64);
        uint32_t m = mhz[k % 4];
        if (oe_esp32_cycles_to_ns(v, m) != (uint64_t)((unsigned __int128)v * 1000u / m)) bad++;
        unsigned __int128 c = (unsigned __int128)v * m / 1000u;
        if (oe_esp32_ns_to_cycles(v, m) != (c > UINT64_MAX ? UINT64_MAX : (uint64_t)c)) bad++;
    }
    check(bad == 0, "cycles/ns conversions: %d wrong", bad);
}

int main(void)
{
    run(FROM_XTAL, 160, "crystal -> 160 MHz");
    run(FROM_XTAL, 240, "crystal -> 240 MHz");
    run(FROM_XTAL, 80, "crystal -> 80 MHz");
    run(FROM_IDF_BOOTLOADER, 160, "esp-idf bootloader (PLL 80 MHz) -> 160 MHz");
    run(FROM_IDF_BOOTLOADER, 240, "esp-idf bootloader (PLL 80 MHz) -> 240 MHz");
    run(FROM_ROM_FLASH_CLOCK, 160, "flash clock = APB -> 160 MHz");
    test_unsupported();
    test_model_catches();
    test_conversions();
    return test_summary();
}
