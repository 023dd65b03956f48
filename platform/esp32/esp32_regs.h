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
