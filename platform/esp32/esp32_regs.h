/* esp32_regs.h — the ESP32 peripheral registers this project touches (app platform and
   bootloader). Addresses and bits from the ESP32 Technical Reference Manual (chapter named
   per block) as spelled in esp-idf's soc/..._reg.h; docs/esp32.md lists them all. */
#ifndef OE_ESP32_REGS_H
#define OE_ESP32_REGS_H
#include <stdint.h>

#define OE_REG(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* Register access for code that host unit tests also run: on the chip, volatile loads and
   stores; with OE_REG_HOST, functions of the test (tests/unit/fake_regs.h: a simulated
   register file that checks every access). */
#ifdef OE_REG_HOST
uint32_t oe_reg_read(uint32_t addr);
void oe_reg_write(uint32_t addr, uint32_t value);
#else
static inline uint32_t oe_reg_read(uint32_t a) { return OE_REG(a); }
static inline void oe_reg_write(uint32_t a, uint32_t v) { OE_REG(a) = v; }
#endif
static inline void oe_reg_set(uint32_t a, uint32_t bits) { oe_reg_write(a, oe_reg_read(a) | bits); }
static inline void oe_reg_clear(uint32_t a, uint32_t bits) { oe_reg_write(a, oe_reg_read(a) & ~bits); }
/* the field of width mask (unshifted) at bit shift set to v, the other bits kept */
static inline void oe_reg_field(uint32_t a, uint32_t mask, unsigned shift, uint32_t v)
{
    oe_reg_write(a, (oe_reg_read(a) & ~(mask << shift)) | ((v & mask) << shift));
}

/* DPORT (TRM "System and Memory": Cache, MMU; "DPort Register" summary) */
#define DPORT_PRO_CACHE_CTRL_REG   0x3FF00040u
#define   DPORT_PRO_CACHE_ENABLE     (1u << 3)
#define   DPORT_PRO_CACHE_FLUSH_ENA  (1u << 4)
#define   DPORT_PRO_CACHE_FLUSH_DONE (1u << 5)
#define DPORT_PRO_CACHE_CTRL1_REG  0x3FF00044u
#define   DPORT_PRO_CACHE_MASK_IRAM0 (1u << 0)   /* 0x40000000-0x403FFFFF through cache */
#define   DPORT_PRO_CACHE_MASK_IRAM1 (1u << 1)
#define   DPORT_PRO_CACHE_MASK_IROM0 (1u << 2)
#define   DPORT_PRO_CACHE_MASK_DRAM1 (1u << 3)
#define   DPORT_PRO_CACHE_MASK_DROM0 (1u << 4)   /* 0x3F400000-0x3F7FFFFF */
#define DPORT_PRO_FLASH_MMU_TABLE  0x3FF10000u   /* 256 x 32-bit entries */

/* Clocks (TRM "Reset and Clock"; esp-idf soc/rtc_cntl_reg.h, dport_reg.h, syscon_reg.h) */
#define DPORT_CPU_PER_CONF_REG     0x3FF0003Cu   /* [1:0] CPUPERIOD_SEL: PLL/4, /2, /2 of 480 */
#define RTC_CNTL_OPTIONS0_REG      0x3FF48000u
#define   RTC_CNTL_BB_I2C_FORCE_PD     (1u << 6)
#define   RTC_CNTL_BBPLL_I2C_FORCE_PD  (1u << 8)
#define   RTC_CNTL_BBPLL_FORCE_PD      (1u << 10)
#define   RTC_CNTL_BIAS_I2C_FORCE_PD   (1u << 18)
#define RTC_CNTL_CLK_CONF_REG      0x3FF48070u
#define   RTC_CNTL_SOC_CLK_SEL_S       27        /* [28:27] 0 XTAL, 1 PLL, 2 8 MHz, 3 APLL */
#define RTC_CNTL_REG               0x3FF4807Cu
#define   RTC_CNTL_DIG_DBIAS_WAK_S     11        /* [13:11] digital core voltage */
#define   RTC_CNTL_DBIAS_1V10          4u
#define   RTC_CNTL_DBIAS_1V25          7u
#define RTC_CNTL_STORE5_REG        0x3FF480B4u   /* RTC_APB_FREQ_REG: APB Hz >> 12, twice */
#define SYSCON_SYSCLK_CONF_REG     0x3FF66000u   /* [9:0] PRE_DIV_CNT: XTAL divider - 1 */
#define SYSCON_XTAL_TICK_CONF_REG  0x3FF66004u   /* REF_TICK divider - 1 on the crystal */
#define SYSCON_PLL_TICK_CONF_REG   0x3FF66008u   /* REF_TICK divider - 1 on the PLL */

/* The BBPLL's registers on the analog I2C bus, written by the ROM's rom_i2c_writeReg
   (esp-idf soc/regi2c_bbpll.h) */
#define I2C_BBPLL                  0x66u
#define I2C_BBPLL_HOSTID           4u
#define I2C_BBPLL_IR_CAL_DELAY     0u
#define I2C_BBPLL_IR_CAL_EXT_CAP   1u
#define I2C_BBPLL_OC_LREF          2u            /* [7] lref, [6:4] div10_8, [3:0] div_ref */
#define I2C_BBPLL_OC_DIV_7_0       3u
#define I2C_BBPLL_OC_ENB_FCAL      4u
#define I2C_BBPLL_OC_DCUR          5u            /* [7:6] bw, [2:0] dcur */
#define I2C_BBPLL_BBADC_DSMP       9u
#define I2C_BBPLL_OC_ENB_VCON      10u
#define I2C_BBPLL_ENDIV5           11u
#define I2C_BBPLL_BBADC_CAL_7_0    12u

/* SPI0: the flash behind the cache (TRM "SPI Controller"; esp-idf soc/spi_reg.h) */
#define SPI0_CLOCK_REG             0x3FF43018u
#define   SPI_CLK_EQU_SYSCLK           (1u << 31) /* SPI clock = APB */
#define   SPI_CLKCNT_N_S               12         /* [17:12] divider - 1 */
#define   SPI_CLKCNT_H_S               6          /* [11:6] high phase */
#define   SPI_CLKCNT_L_S               0          /* [5:0] = N */

/* UART0 (TRM "UART Controllers") */
#define UART0_BASE             0x3FF40000u
#define UART_FIFO_REG(b)       ((b) + 0x00)
#define UART_INT_RAW_REG(b)    ((b) + 0x04)
#define UART_INT_CLR_REG(b)    ((b) + 0x10)
#define UART_CLKDIV_REG(b)     ((b) + 0x14)      /* [19:0] integer, [23:20] fraction/16 */
#define UART_STATUS_REG(b)     ((b) + 0x1C)      /* [7:0] RX FIFO count, [23:16] TX FIFO count */
#define UART_CONF0_REG(b)      ((b) + 0x20)
#define   UART_PARITY_EN         (1u << 1)
#define   UART_BIT_NUM_S         2               /* 3 = 8 data bits */
#define   UART_STOP_BIT_NUM_S    4               /* 1 = 1 stop bit */
#define   UART_RXFIFO_RST        (1u << 17)
#define   UART_TXFIFO_RST        (1u << 18)
#define   UART_TICK_REF_ALWAYS_ON (1u << 27)     /* 1 = clocked from APB */
#define UART_CONF1_REG(b)      ((b) + 0x24)
#define UART_FIFO_SIZE         128

/* GPIO matrix (TRM "IO_MUX and GPIO Matrix") */
#define GPIO_OUT_REG           0x3FF44004u
#define GPIO_OUT_W1TS_REG      0x3FF44008u
#define GPIO_OUT_W1TC_REG      0x3FF4400Cu
#define GPIO_OUT1_W1TS_REG     0x3FF44014u       /* GPIO32-39 */
#define GPIO_OUT1_W1TC_REG     0x3FF44018u
#define GPIO_ENABLE_W1TS_REG   0x3FF44024u
#define GPIO_ENABLE_W1TC_REG   0x3FF44028u
#define GPIO_ENABLE1_W1TS_REG  0x3FF44030u
#define GPIO_ENABLE1_W1TC_REG  0x3FF44034u
#define GPIO_IN_REG            0x3FF4403Cu
#define GPIO_IN1_REG           0x3FF44040u
#define GPIO_PIN_REG(n)        (0x3FF44088u + 4u * (n))          /* bit 2: open drain */
#define GPIO_FUNC_OUT_SEL_CFG_REG(n) (0x3FF44530u + 4u * (n))    /* [8:0] 256 = GPIO_OUT */
#define   GPIO_OUT_SEL_SIMPLE    0x100u
#define IO_MUX_BASE            0x3FF49000u
#define   IO_MUX_MCU_SEL_S       12              /* [14:12] function; 2 = GPIO */
#define   IO_MUX_MCU_SEL_M       (7u << 12)
#define   IO_MUX_FUN_IE          (1u << 9)       /* input enable */
#define   IO_MUX_FUN_WPU         (1u << 8)
#define   IO_MUX_FUN_WPD         (1u << 7)
#define   IO_MUX_FUNC_GPIO       2u

/* RTC_CNTL (TRM "Watchdog Timers": RTC watchdog; "Low-Power Management" register list) */
#define RTC_CNTL_WDTCONFIG0_REG  0x3FF4808Cu     /* bit 31 EN, bit 10 flash-boot mode */
#define RTC_CNTL_WDTFEED_REG     0x3FF480A0u
#define RTC_CNTL_WDTWPROTECT_REG 0x3FF480A4u
#define WDT_WRITE_KEY            0x50D83AA1u

/* Timer groups (TRM "Timer Group", "Watchdog Timers") */
#define TIMG0_BASE             0x3FF5F000u
#define TIMG1_BASE             0x3FF60000u
#define TIMG_WDTCONFIG0_REG(b) ((b) + 0x48)      /* bit 31 EN, bit 14 flash-boot mode */
#define TIMG_WDTFEED_REG(b)    ((b) + 0x60)
#define TIMG_WDTWPROTECT_REG(b) ((b) + 0x64)

/* Random number generator (TRM "Random Number Generator") */
#define RNG_DATA_REG           0x3FF75144u

static inline void oe_esp32_disable_watchdogs(void)
{
    oe_reg_write(RTC_CNTL_WDTWPROTECT_REG, WDT_WRITE_KEY);
    oe_reg_write(RTC_CNTL_WDTFEED_REG, 1u << 31);
    oe_reg_write(RTC_CNTL_WDTCONFIG0_REG, 0);
    oe_reg_write(RTC_CNTL_WDTWPROTECT_REG, 0);
    const uint32_t tg[2] = { TIMG0_BASE, TIMG1_BASE };
    for (int i = 0; i < 2; i++) {
        oe_reg_write(TIMG_WDTWPROTECT_REG(tg[i]), WDT_WRITE_KEY);
        oe_reg_write(TIMG_WDTFEED_REG(tg[i]), 1);
        oe_reg_write(TIMG_WDTCONFIG0_REG(tg[i]), 0);
        oe_reg_write(TIMG_WDTWPROTECT_REG(tg[i]), 0);
    }
}

static inline unsigned oe_esp32_uart_tx_count(void)
{
    return (oe_reg_read(UART_STATUS_REG(UART0_BASE)) >> 16) & 0xFF;
}

static inline void oe_esp32_uart_putc(char c)
{
    while (oe_esp32_uart_tx_count() >= UART_FIFO_SIZE - 1) { }
    oe_reg_write(UART_FIFO_REG(UART0_BASE), (uint8_t)c);
}
#endif
