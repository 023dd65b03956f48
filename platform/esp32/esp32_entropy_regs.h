/* esp32_entropy_regs.h — the registers platform/esp32/entropy.c touches to run the SAR ADC
   entropy source of the hardware RNG, and its entry point.

   Addresses, bit positions and reset values as esp-idf spells them in
   components/soc/esp32/include/soc/ (soc.h for the DR_REG_*_BASE block addresses,
   dport_reg.h, rtc_cntl_reg.h, sens_reg.h, syscon_reg.h, i2s_reg.h), cross-checked (offsets,
   bits, reset values) against the register blocks generated from Espressif's ESP32 SVD
   (esp-rs/esp-pacs, esp32/src/); the TRM's own register tables were not at hand. ESP32
   Technical Reference Manual chapters: "Random Number Generator" (the entropy source),
   "DPort Register" (peripheral clock gating), "Low-Power Management" (RTC_CNTL), "On-Chip
   Sensors and Analog Signal Processing" (SENS, the SAR ADC digital controller), "I2S".
   Field naming: NAME_S = lowest bit, NAME_V = width mask (unshifted), as oe_reg_field takes
   them; single bits are masks. docs/esp32.md lists them all. */
#ifndef OE_ESP32_ENTROPY_REGS_H
#define OE_ESP32_ENTROPY_REGS_H

/* ---- DPORT (block 0x3FF00000): clock gates ---- */
#define DPORT_PERIP_CLK_EN_REG          0x3FF000C0u     /* reset 0xF9C1E06F */
#define   DPORT_I2S0_CLK_EN               (1u << 4)
#define DPORT_WIFI_CLK_EN_REG           0x3FF000CCu     /* reset 0xFFFCE030 */
#define   DPORT_WIFI_CLK_RNG_EN           (1u << 15)

/* ---- RTC_CNTL (block 0x3FF48000) ---- */
#define RTC_CNTL_TEST_MUX_REG           0x3FF480A8u     /* reset 0 */
#define   RTC_CNTL_ENT_RTC                (1u << 29)
#define   RTC_CNTL_DTEST_RTC_S            30              /* [31:30] */
#define   RTC_CNTL_DTEST_RTC_V            0x3u

/* ---- SENS (block 0x3FF48800): the SAR ADCs' RTC side ---- */
#define SENS_SAR_READ_CTRL_REG          0x3FF48800u     /* reset 0x00070902 */
#define   SENS_SAR1_DIG_FORCE             (1u << 27)      /* ADC1 driven by the digital controller */
#define SENS_SAR_MEAS_WAIT2_REG         0x3FF4880Cu     /* reset 0x0020000A */
#define   SENS_FORCE_XPD_SAR_S            18              /* [19:18]; 3 = forced power-up */
#define   SENS_FORCE_XPD_SAR_V            0x3u
#define SENS_SAR_START_FORCE_REG        0x3FF4882Cu     /* reset 0x0000000F */
#define   SENS_SAR2_EN_TEST               (1u << 4)
#define   SENS_ULP_CP_FORCE_START_TOP     (1u << 8)
#define   SENS_ULP_CP_START_TOP           (1u << 9)
#define SENS_SAR_READ_CTRL2_REG         0x3FF48890u     /* reset 0x00070902 */
#define   SENS_SAR2_DIG_FORCE             (1u << 28)      /* ADC2 driven by the digital controller */

/* ---- SYSCON / APB_CTRL (block 0x3FF66000): the SAR ADC digital controller ---- */
#define SYSCON_SARADC_CTRL_REG          0x3FF66010u     /* reset 0x007F8240 */
#define   SYSCON_SARADC_SAR2_MUX          (1u << 2)       /* 1 = ADC2 from the digital controller */
#define   SYSCON_SARADC_WORK_MODE_S       3               /* [4:3]; 0 = single SAR */
#define   SYSCON_SARADC_WORK_MODE_V       0x3u
#define   SYSCON_SARADC_SAR_SEL           (1u << 5)       /* 1 = SAR2 in single mode */
#define   SYSCON_SARADC_SAR_CLK_DIV_S     7               /* [14:7] */
#define   SYSCON_SARADC_SAR_CLK_DIV_V     0xFFu
#define   SYSCON_SARADC_DATA_SAR_SEL      (1u << 25)
#define   SYSCON_SARADC_DATA_TO_I2S       (1u << 26)      /* 1 = I2S0 input from the SAR ADC */
#define SYSCON_SARADC_FSM_REG           0x3FF66018u     /* reset 0x0208FF08 */
#define   SYSCON_SARADC_RSTB_WAIT_S       0               /* [7:0] */
#define   SYSCON_SARADC_RSTB_WAIT_V       0xFFu
#define   SYSCON_SARADC_START_WAIT_S      16              /* [23:16] */
#define   SYSCON_SARADC_START_WAIT_V      0xFFu
/* pattern table 2 (ADC2), four registers of four one-byte entries: TAB1..TAB4 = n 0..3 */
#define SYSCON_SARADC_SAR2_PATT_TAB_REG(n) (0x3FF6602Cu + 4u * (n))   /* reset 0x0F0F0F0F */

/* ---- I2S0 (block 0x3FF4F000; I2S1 is 0x3FF6D000, not used) ---- */
#define I2S0_BASE                       0x3FF4F000u
#define I2S_CONF_REG(b)                 ((b) + 0x08)    /* reset 0x00030300 */
#define   I2S_RX_START                    (1u << 5)
#define I2S_CONF2_REG(b)                ((b) + 0xA8)    /* reset 0 */
#define   I2S_CAMERA_EN                   (1u << 0)
#define   I2S_DATA_ENABLE_TEST_EN         (1u << 3)
#define   I2S_DATA_ENABLE                 (1u << 4)
#define   I2S_LCD_EN                      (1u << 5)
#define I2S_SAMPLE_RATE_CONF_REG(b)     ((b) + 0xB0)    /* reset 0x00410186 */
#define   I2S_RX_BCK_DIV_NUM_S            6               /* [11:6] */
#define   I2S_RX_BCK_DIV_NUM_V            0x3Fu

/* Starts the SAR ADC entropy source (entropy.c). Needs the PLL running. */
void oe_esp32_entropy_enable(void);
#endif
