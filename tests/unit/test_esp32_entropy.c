/* test_esp32_entropy.c — platform/esp32/entropy.c (the SAR ADC entropy source) against a
   simulated register file (fake_regs.h).

   The expectations below are literal numbers taken from esp-idf's ESP32 soc/..._reg.h headers
   and the SVD-generated register blocks (docs/esp32.md), written out again on purpose rather
   than taken from esp32_entropy_regs.h: a wrong address, bit position or width in that header
   makes this test fail instead of agreeing with itself.

   Checked, from the reset state and from two complementary non-reset patterns (so every bit
   outside the fields is seen both at 0 and at 1):
   - only the declared registers are accessed;
   - every field ends with its documented value;
   - every bit outside those fields keeps its value;
   - I2S0 registers are touched only once the I2S0 clock is on;
   - I2S0 RX_START is set by the last write, when everything else already has its final value;
   - a second call leaves every register as the first left it. */
#define OE_REG_HOST
#include "testlib.h"
#include "fake_regs.h"
#include "../../platform/esp32/entropy.c"

#define PERIP_CLK_EN  0x3FF000C0u
#define WIFI_CLK_EN   0x3FF000CCu
#define TEST_MUX      0x3FF480A8u
#define READ_CTRL     0x3FF48800u
#define MEAS_WAIT2    0x3FF4880Cu
#define START_FORCE   0x3FF4882Cu
#define READ_CTRL2    0x3FF48890u
#define I2S0_CONF     0x3FF4F008u
#define I2S0_CONF2    0x3FF4F0A8u
#define I2S0_SRATE    0x3FF4F0B0u
#define SARADC_CTRL   0x3FF66010u
#define SARADC_FSM    0x3FF66018u
#define PATT_TAB(n)   (0x3FF6602Cu + 4u * (n))

static const struct { uint32_t addr, reset; const char *name; } regs[] = {
    { PERIP_CLK_EN, 0xF9C1E06Fu, "DPORT_PERIP_CLK_EN_REG" },
    { WIFI_CLK_EN,  0xFFFCE030u, "DPORT_WIFI_CLK_EN_REG" },
    { TEST_MUX,     0x00000000u, "RTC_CNTL_TEST_MUX_REG" },
    { READ_CTRL,    0x00070902u, "SENS_SAR_READ_CTRL_REG" },
    { MEAS_WAIT2,   0x0020000Au, "SENS_SAR_MEAS_WAIT2_REG" },
    { START_FORCE,  0x0000000Fu, "SENS_SAR_START_FORCE_REG" },
    { READ_CTRL2,   0x00070902u, "SENS_SAR_READ_CTRL2_REG" },
    { I2S0_CONF,    0x00030300u, "I2S_CONF_REG(0)" },
    { I2S0_CONF2,   0x00000000u, "I2S_CONF2_REG(0)" },
    { I2S0_SRATE,   0x00410186u, "I2S_SAMPLE_RATE_CONF_REG(0)" },
    { SARADC_CTRL,  0x007F8240u, "SYSCON_SARADC_CTRL_REG" },
    { SARADC_FSM,   0x0208FF08u, "SYSCON_SARADC_FSM_REG" },
    { PATT_TAB(0),  0x0F0F0F0Fu, "SYSCON_SARADC_SAR2_PATT_TAB1_REG" },
    { PATT_TAB(1),  0x0F0F0F0Fu, "SYSCON_SARADC_SAR2_PATT_TAB2_REG" },
    { PATT_TAB(2),  0x0F0F0F0Fu, "SYSCON_SARADC_SAR2_PATT_TAB3_REG" },
    { PATT_TAB(3),  0x0F0F0F0Fu, "SYSCON_SARADC_SAR2_PATT_TAB4_REG" },
};
#define NREGS (sizeof regs / sizeof *regs)

/* the final state: (register & mask) == value; mask is the field at its position */
static const struct { uint32_t addr, mask, value; const char *what; } fields[] = {
    { WIFI_CLK_EN,  1u << 15,    1u << 15,    "DPORT_WIFI_CLK_RNG_EN = 1" },
    { TEST_MUX,     3u << 30,    2u << 30,    "RTC_CNTL_DTEST_RTC = 2" },
    { TEST_MUX,     1u << 29,    1u << 29,    "RTC_CNTL_ENT_RTC = 1" },
    { START_FORCE,  1u << 4,     1u << 4,     "SENS_SAR2_EN_TEST = 1" },
    { START_FORCE,  1u << 8,     0,           "SENS_ULP_CP_FORCE_START_TOP = 0" },
    { START_FORCE,  1u << 9,     0,           "SENS_ULP_CP_START_TOP = 0" },
    { PERIP_CLK_EN, 1u << 4,     1u << 4,     "DPORT_I2S0_CLK_EN = 1" },
    { PATT_TAB(0),  ~0u,         0xADADADADu, "SAR2_PATT_TAB1 = 0xADADADAD" },
    { PATT_TAB(1),  ~0u,         0xADADADADu, "SAR2_PATT_TAB2 = 0xADADADAD" },
    { PATT_TAB(2),  ~0u,         0xADADADADu, "SAR2_PATT_TAB3 = 0xADADADAD" },
    { PATT_TAB(3),  ~0u,         0xADADADADu, "SAR2_PATT_TAB4 = 0xADADADAD" },
    { MEAS_WAIT2,   3u << 18,    3u << 18,    "SENS_FORCE_XPD_SAR = 3" },
    { READ_CTRL,    1u << 27,    1u << 27,    "SENS_SAR1_DIG_FORCE = 1" },
    { READ_CTRL2,   1u << 28,    1u << 28,    "SENS_SAR2_DIG_FORCE = 1" },
    { SARADC_CTRL,  1u << 2,     1u << 2,     "SYSCON_SARADC_SAR2_MUX = 1" },
    { SARADC_CTRL,  0xFFu << 7,  4u << 7,     "SYSCON_SARADC_SAR_CLK_DIV = 4" },
    { SARADC_CTRL,  3u << 3,     0,           "SYSCON_SARADC_WORK_MODE = 0" },
    { SARADC_CTRL,  1u << 5,     1u << 5,     "SYSCON_SARADC_SAR_SEL = 1" },
    { SARADC_CTRL,  1u << 25,    0,           "SYSCON_SARADC_DATA_SAR_SEL = 0" },
    { SARADC_CTRL,  1u << 26,    1u << 26,    "SYSCON_SARADC_DATA_TO_I2S = 1" },
    { SARADC_FSM,   0xFFu << 0,  8u << 0,     "SYSCON_SARADC_RSTB_WAIT = 8" },
    { SARADC_FSM,   0xFFu << 16, 10u << 16,   "SYSCON_SARADC_START_WAIT = 10" },
    { I2S0_SRATE,   0x3Fu << 6,  20u << 6,    "I2S_RX_BCK_DIV_NUM = 20" },
    { I2S0_CONF2,   1u << 0,     0,           "I2S_CAMERA_EN = 0" },
    { I2S0_CONF2,   1u << 3,     1u << 3,     "I2S_DATA_ENABLE_TEST_EN = 1" },
    { I2S0_CONF2,   1u << 4,     1u << 4,     "I2S_DATA_ENABLE = 1" },
    { I2S0_CONF2,   1u << 5,     1u << 5,     "I2S_LCD_EN = 1" },
    { I2S0_CONF,    1u << 5,     1u << 5,     "I2S_RX_START = 1" },
};
#define NFIELDS (sizeof fields / sizeof *fields)
#define RX_START_FIELD (NFIELDS - 1)

static uint32_t owned_mask(uint32_t addr)
{
    uint32_t m = 0;
    for (size_t i = 0; i < NFIELDS; i++)
        if (fields[i].addr == addr) m |= fields[i].mask;
    return m;
}

/* how many fields (all but RX_START itself when skip_rx) do not yet have their final value */
static int fields_pending(int skip_rx)
{
    int n = 0;
    for (size_t i = 0; i < NFIELDS; i++) {
        if (skip_rx && i == RX_START_FIELD) continue;
        if ((fake_reg_get(fields[i].addr) & fields[i].mask) != fields[i].value) n++;
    }
    return n;
}

/* ---- hooks: I2S0 clock before I2S0 access; the moment RX_START is set ---- */
static unsigned i2s_before_clock;       /* I2S0 accesses while its clock was gated */
static unsigned rx_start_seq;           /* sequence number of the last write setting RX_START */
static int pending_at_rx_start;         /* fields not yet final at that write */

static void note_i2s_access(const fake_reg *r)
{
    if (r->addr >= 0x3FF4F000u && r->addr < 0x3FF50000u && !(fake_reg_get(PERIP_CLK_EN) & (1u << 4)))
        i2s_before_clock++;
}

static uint32_t read_hook(fake_reg *r)
{
    note_i2s_access(r);
    return r->value;
}

static void write_hook(fake_reg *r, uint32_t old)
{
    (void)old;
    note_i2s_access(r);
    if (r->addr == I2S0_CONF && (r->value & (1u << 5))) {
        rx_start_seq = fake_writes;
        pending_at_rx_start = fields_pending(1);
    }
}

static void setup(uint32_t (*initial)(size_t i))
{
    fake_regs_reset();
    fake_stray = 0;
    for (size_t i = 0; i < NREGS; i++) fake_reg_declare(regs[i].addr, initial(i), regs[i].name);
    fake_read_hook = read_hook;
    fake_write_hook = write_hook;
    i2s_before_clock = 0;
    rx_start_seq = 0;
    pending_at_rx_start = -1;
}

static uint32_t init_reset(size_t i) { return regs[i].reset; }
/* a distinctive pattern per register, different from the reset value, and its complement */
static uint32_t init_pattern(size_t i) { return 0x5AC3A53Cu ^ (regs[i].addr * 0x9E3779B1u); }
static uint32_t init_complement(size_t i) { return ~init_pattern(i); }

static void run(const char *label, uint32_t (*initial)(size_t i))
{
    setup(initial);
    oe_esp32_entropy_enable();

    check(fake_stray == 0, "%s: %u accesses to undeclared registers", label, fake_stray);
    for (size_t i = 0; i < NFIELDS; i++) {
        uint32_t v = fake_reg_get(fields[i].addr);
        check((v & fields[i].mask) == fields[i].value, "%s: %s (register 0x%08x = 0x%08x)",
              label, fields[i].what, (unsigned)fields[i].addr, (unsigned)v);
    }
    for (size_t i = 0; i < NREGS; i++) {
        uint32_t keep = ~owned_mask(regs[i].addr), v = fake_reg_get(regs[i].addr);
        check((v & keep) == (initial(i) & keep),
              "%s: %s bits outside its fields changed: 0x%08x -> 0x%08x (fields 0x%08x)", label,
              regs[i].name, (unsigned)initial(i), (unsigned)v, (unsigned)~keep);
        check(fake_reg_find(regs[i].addr)->writes > 0, "%s: %s never written", label, regs[i].name);
    }
    check(i2s_before_clock == 0, "%s: %u I2S0 register accesses before DPORT_I2S0_CLK_EN",
          label, i2s_before_clock);
    check(fake_reg_find(I2S0_CONF)->writes == 1, "%s: I2S_CONF_REG written %u times, expected once",
          label, fake_reg_find(I2S0_CONF)->writes);
    check(rx_start_seq == fake_writes, "%s: RX_START set by write %u of %u, expected the last",
          label, rx_start_seq, fake_writes);
    check(pending_at_rx_start == 0, "%s: %d fields not yet final when RX_START was set",
          label, pending_at_rx_start);

    /* idempotence: a second call changes nothing */
    uint32_t before[NREGS];
    for (size_t i = 0; i < NREGS; i++) before[i] = fake_reg_get(regs[i].addr);
    unsigned writes_first = fake_writes;
    oe_esp32_entropy_enable();
    check(fake_stray == 0, "%s, second call: %u accesses to undeclared registers", label, fake_stray);
    for (size_t i = 0; i < NREGS; i++) {
        uint32_t v = fake_reg_get(regs[i].addr);
        check(v == before[i], "%s, second call: %s 0x%08x -> 0x%08x", label, regs[i].name,
              (unsigned)before[i], (unsigned)v);
    }
    check(fake_writes == 2 * writes_first, "%s, second call: %u writes, the first made %u",
          label, fake_writes - writes_first, writes_first);
}

int main(void)
{
    /* the patterns really differ from the reset values, and from each other, in every register */
    for (size_t i = 0; i < NREGS; i++)
        check(init_pattern(i) != regs[i].reset && init_complement(i) != regs[i].reset,
              "pattern for %s equals its reset value", regs[i].name);

    run("from reset", init_reset);
    run("from a pattern", init_pattern);
    run("from its complement", init_complement);
    return test_summary();
}
