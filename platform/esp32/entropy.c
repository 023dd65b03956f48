/* entropy.c — the SAR ADC entropy source of the ESP32's hardware RNG.

   RNG_DATA_REG gives true random numbers only while an entropy source feeds the RNG: the RF
   subsystem's ADC (Wi-Fi/BT, which we never start) or SAR ADC2 sampling its internal reference
   in test mode, its samples streamed through I2S0 into the RNG (TRM "Random Number
   Generator"). oe_esp32_entropy_enable starts the second. The register sequence is the one
   esp-idf's bootloader runs (bootloader_random_enable in
   components/bootloader_support/src/bootloader_random_esp32.c), in the same order.

   Requirement: I2S0 only runs while the PLL does. Our startup puts the CPU on the PLL
   (clock.c: 160 MHz by default, 80 or 240 with --cpu-mhz) before it calls this function;
   called while the CPU still runs from the crystal, the entropy source would not run.

   Consequences while the source runs: SAR ADC1 and ADC2 belong to the digital controller and
   I2S0 is busy, so neither the ADCs nor I2S0 may be used for anything else (esp-idf's
   bootloader_random_disable undoes this sequence; we have no users and do not provide it).

   No ROM calls; every step is a read-modify-write through the esp32_regs.h accessors, so the
   bits outside the named fields are kept. Registers: esp32_entropy_regs.h. */
#include "esp32_regs.h"
#include "esp32_entropy_regs.h"

#define SAR2_PATTERN 0xADADADADu   /* four table entries of 0xAD: [7:4] channel 10 (the
                                      internal test input), [3:2] 3 = 12 bits, [1:0] 1 = 3 dB */

void oe_esp32_entropy_enable(void)
{
    /* RNG clock: on from reset and never gated by us; set it anyway. */
    oe_reg_set(DPORT_WIFI_CLK_EN_REG, DPORT_WIFI_CLK_RNG_EN);

    /* SAR ADC2 in test mode on the internal reference. */
    oe_reg_field(RTC_CNTL_TEST_MUX_REG, RTC_CNTL_DTEST_RTC_V, RTC_CNTL_DTEST_RTC_S, 2);
    oe_reg_set(RTC_CNTL_TEST_MUX_REG, RTC_CNTL_ENT_RTC);
    oe_reg_set(SENS_SAR_START_FORCE_REG, SENS_SAR2_EN_TEST);

    /* I2S0 clock, before any I2S0 register is touched; the ULP coprocessor must not start
       conversions of its own. */
    oe_reg_set(DPORT_PERIP_CLK_EN_REG, DPORT_I2S0_CLK_EN);
    oe_reg_clear(SENS_SAR_START_FORCE_REG, SENS_ULP_CP_FORCE_START_TOP | SENS_ULP_CP_START_TOP);

    /* The digital controller converts the test input over and over (pattern table 2), with the
       SAR forced powered up and both ADCs handed to the digital side. */
    for (unsigned n = 0; n < 4; n++)
        oe_reg_write(SYSCON_SARADC_SAR2_PATT_TAB_REG(n), SAR2_PATTERN);
    oe_reg_field(SENS_SAR_MEAS_WAIT2_REG, SENS_FORCE_XPD_SAR_V, SENS_FORCE_XPD_SAR_S, 3);
    oe_reg_set(SENS_SAR_READ_CTRL_REG, SENS_SAR1_DIG_FORCE);
    oe_reg_set(SENS_SAR_READ_CTRL2_REG, SENS_SAR2_DIG_FORCE);

    /* Digital controller: ADC2 only (single mode, SAR2 selected), clock divider 4, FSM waits. */
    oe_reg_set(SYSCON_SARADC_CTRL_REG, SYSCON_SARADC_SAR2_MUX);
    oe_reg_field(SYSCON_SARADC_CTRL_REG, SYSCON_SARADC_SAR_CLK_DIV_V, SYSCON_SARADC_SAR_CLK_DIV_S, 4);
    oe_reg_field(SYSCON_SARADC_FSM_REG, SYSCON_SARADC_RSTB_WAIT_V, SYSCON_SARADC_RSTB_WAIT_S, 8);
    oe_reg_field(SYSCON_SARADC_FSM_REG, SYSCON_SARADC_START_WAIT_V, SYSCON_SARADC_START_WAIT_S, 10);
    oe_reg_field(SYSCON_SARADC_CTRL_REG, SYSCON_SARADC_WORK_MODE_V, SYSCON_SARADC_WORK_MODE_S, 0);
    oe_reg_set(SYSCON_SARADC_CTRL_REG, SYSCON_SARADC_SAR_SEL);
    oe_reg_clear(SYSCON_SARADC_CTRL_REG, SYSCON_SARADC_DATA_SAR_SEL);

    /* Samples into I2S0 (receive bit clock divider 20), I2S0 in LCD/ADC mode with the test data
       path enabled, and reception started last, once everything feeding it is configured. */
    oe_reg_field(I2S_SAMPLE_RATE_CONF_REG(I2S0_BASE), I2S_RX_BCK_DIV_NUM_V, I2S_RX_BCK_DIV_NUM_S, 20);
    oe_reg_set(SYSCON_SARADC_CTRL_REG, SYSCON_SARADC_DATA_TO_I2S);
    oe_reg_clear(I2S_CONF2_REG(I2S0_BASE), I2S_CAMERA_EN);
    oe_reg_set(I2S_CONF2_REG(I2S0_BASE), I2S_LCD_EN | I2S_DATA_ENABLE | I2S_DATA_ENABLE_TEST_EN);
    oe_reg_set(I2S_CONF_REG(I2S0_BASE), I2S_RX_START);
}
