/* esp32.c — the ESP32 platform layer (runtime/runtime.h's oe_platform_* functions) on the
   bare chip:
   - startup: BSS, watchdogs (RTC, timer groups 0 and 1) off, CPU to OE_ESP32_CPU_MHZ from
     the PLL (clock.c), UART0, the RNG's entropy source (entropy.c), then the runtime;
   - console: UART0 at 115200 8N1 (TX blocks on the FIFO count, LF sent as CR LF; RX reads the
     FIFO, CR delivered as LF);
   - time: CCOUNT extended to 64 bits across wrap-around;
   - sleep: CCOMPARE0 timer interrupt + waiti (vectors.S acknowledges it);
   - hardware RNG; GPIO is in gpio.c.
   Registers: esp32_regs.h, documented in docs/esp32.md. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include "runtime.h"
#include "esp32_regs.h"
#include "clock.h"
#include "esp32_entropy_regs.h"

extern char _oe_cpu_mhz[];          /* link-time symbol: its address is the MHz wanted */
#define OE_UART_BAUD 115200u
#define TIMER0_INT_BIT (1u << 6)       /* CCOMPARE0 = interrupt 6, level 1 */

static uint32_t cpu_mhz = OE_ESP32_XTAL_MHZ;   /* set by oe_esp32_main from the registers */

/* ---- console ---- */
static void uart_init(uint32_t apb_mhz)
{
    uint32_t div16 = (apb_mhz * 16000000u + OE_UART_BAUD / 2) / OE_UART_BAUD;   /* 1/16 units */
    /* wait for anything still being sent before touching the divider */
    while (oe_esp32_uart_tx_count()) { }
    OE_REG(UART_CLKDIV_REG(UART0_BASE)) = (div16 >> 4) | ((div16 & 15u) << 20);
    OE_REG(UART_CONF0_REG(UART0_BASE)) = UART_TICK_REF_ALWAYS_ON | (3u << UART_BIT_NUM_S) |
                                        (1u << UART_STOP_BIT_NUM_S);   /* 8N1 */
}


intnat oe_platform_write(int fd, const void *buf, uintnat len)
{
    if (fd != 1 && fd != 2) return -EBADF;
    const char *p = buf;
    for (uintnat i = 0; i < len; i++) {
        if (p[i] == '\n') oe_esp32_uart_putc('\r');
        oe_esp32_uart_putc(p[i]);
    }
    return (intnat)len;
}

intnat oe_platform_read(int fd, void *buf, uintnat len)
{
    if (fd != 0) return -EBADF;
    if (len == 0) return 0;
    char *p = buf;
    uintnat n = 0;
    while ((OE_REG(UART_STATUS_REG(UART0_BASE)) & 0xFF) == 0) { }   /* block for one byte */
    while (n < len && (OE_REG(UART_STATUS_REG(UART0_BASE)) & 0xFF) != 0) {
        char c = (char)(OE_REG(UART_FIFO_REG(UART0_BASE)) & 0xFF);
        p[n++] = c == '\r' ? '\n' : c;
        if (c == '\r' || c == '\n') break;
    }
    return (intnat)n;
}

int oe_platform_input_ready(int fd)
{
    return fd == 0 && (oe_reg_read(UART_STATUS_REG(UART0_BASE)) & 0xFF) != 0;
}

/* ---- files: the chip has no file system ---- */
intnat oe_platform_open(const char *path, int flags, int perm)
{
    (void)path; (void)flags; (void)perm;
    return -ENOENT;
}

int oe_platform_close(int fd)
{
    return fd >= 0 && fd <= 2 ? 0 : -EBADF;
}

int64_t oe_platform_lseek(int fd, int64_t offset, int whence)
{
    (void)offset; (void)whence;
    return fd >= 0 && fd <= 2 ? -ESPIPE : -EBADF;
}

static void uart_flush(void)
{
    while (oe_esp32_uart_tx_count()) { }
}

void oe_platform_exit(int code)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "\nocaml-esp32: program exited with status %d\n", code);
    oe_platform_write(1, buf, (uintnat)n);
    uart_flush();
    for (;;) __asm__ __volatile__("waiti 15" ::: "memory");
}

/* ---- time ---- */
/* Called at least once every 2^32 cycles (26.8 s at 160 MHz): every sleep is cut into pieces
   of at most 2^31 cycles and reads the counter between them. */
uint64_t oe_platform_cycles(void)
{
    static uint32_t last, high;
    uint32_t now = oe_esp32_ccount();
    if (now < last) high++;
    last = now;
    return ((uint64_t)high << 32) | now;
}

uint64_t oe_platform_time_ns(void)
{
    return oe_esp32_cycles_to_ns(oe_platform_cycles(), cpu_mhz);
}

void oe_platform_sleep_until_ns(uint64_t t)
{
    for (;;) {
        uint64_t now = oe_platform_time_ns();
        if (now >= t) return;
        uint64_t ns = t - now;
        if (ns > 10000000000ull) ns = 10000000000ull;      /* 10 s pieces: < 2^31 cycles */
        uint64_t cycles = oe_esp32_ns_to_cycles(ns, cpu_mhz);
        if (cycles < 2000) continue;                /* too close: spin */
        uint32_t target = oe_esp32_ccount() + (uint32_t)cycles;
        __asm__ __volatile__("wsr %0, ccompare0\n\t"
                             "wsr %1, intenable\n\t"
                             "rsync\n\t"
                             "waiti 0\n\t"          /* the interrupt is taken here */
                             "rsil %0, 15"          /* back to interrupts masked */
                             : "+r"(target) : "r"(TIMER0_INT_BIT) : "memory");
    }
}

/* ---- hardware RNG: true random while an entropy source runs (oe_esp32_entropy_enable
   starts the SAR ADC one at startup; docs/esp32.md) ---- */
uint32_t oe_esp32_random(void)
{
    return oe_reg_read(RNG_DATA_REG);
}

/* ---- exceptions (from vectors.S) ---- */
void oe_report_exception(uint32_t cause, uint32_t pc, uint32_t vaddr, uint32_t vector);
void oe_report_exception(uint32_t cause, uint32_t pc, uint32_t vaddr, uint32_t vector)
{
    static const char *const names[] = {
        [0] = "illegal instruction", [2] = "instruction fetch error", [3] = "load/store error",
        [6] = "integer divide by zero", [9] = "unaligned load/store",
        [28] = "load prohibited", [29] = "store prohibited",
    };
    char buf[160];
    int n;
    if (cause == 64)
        n = snprintf(buf, sizeof buf, "\nocaml-esp32: unexpected vector 0x%03lx taken (epc1 0x%08lx)\n",
                     (unsigned long)vector, (unsigned long)pc);
    else
        n = snprintf(buf, sizeof buf, "\nocaml-esp32: CPU exception %lu (%s) at pc 0x%08lx, address 0x%08lx\n",
                     (unsigned long)cause,
                     cause < sizeof names / sizeof *names && names[cause] ? names[cause] : "exception",
                     (unsigned long)pc, (unsigned long)vaddr);
    oe_platform_write(2, buf, (uintnat)n);
    oe_platform_exit(134);
}

/* ---- startup (from crt0.S) ---- */
extern char __bss_start[], __bss_end[];
void oe_esp32_main(void);
void oe_esp32_main(void)
{
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    oe_esp32_disable_watchdogs();
    cpu_mhz = oe_esp32_clock_init((uint32_t)(uintptr_t)_oe_cpu_mhz);
    uart_init(oe_esp32_apb_mhz());
    oe_esp32_entropy_enable();           /* needs the PLL: after the clock switch */
    static char *argv[] = { "ocaml-esp32", NULL };
    oe_platform_exit(caml_main(1, argv));
}
