/* semihost.c — the QEMU platform: console, exit status and arguments through QEMU's Xtensa
   semihosting (simcall; numbers and registers as in QEMU's target/xtensa/xtensa-semi.c),
   time from CCOUNT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

enum { SYS_EXIT = 1, SYS_READ = 3, SYS_WRITE = 4, SYS_ARGC = 1000, SYS_ARGV_SZ = 1001,
       SYS_ARGV = 1002 };

/* simcall is not known to Debian's lx106 assembler: emit its bytes (00 51 00). */
static intnat simcall(intnat nr, intnat a, intnat b, intnat c)
{
    register intnat r2 __asm__("a2") = nr;
    register intnat r3 __asm__("a3") = a;
    register intnat r4 __asm__("a4") = b;
    register intnat r5 __asm__("a5") = c;
    __asm__ __volatile__(".byte 0x00, 0x51, 0x00"
                         : "+r"(r2), "+r"(r3) : "r"(r4), "r"(r5) : "memory");
    return r2;
}

intnat oe_platform_write(int fd, const void *buf, uintnat len)
{
    return simcall(SYS_WRITE, fd, (intnat)buf, (intnat)len);
}

intnat oe_platform_read(int fd, void *buf, uintnat len)
{
    return simcall(SYS_READ, fd, (intnat)buf, (intnat)len);
}

/* `ocaml-esp32 run --stats` links with --defsym=_oe_stats=1: the exit path then reports
   the executed instruction count (CCOUNT scaled, see OE_QEMU_INSNS_PER_CYCLE) and the
   runtime's high-water marks on stderr. Weak, so C-only benchmark images link too. */
extern char _oe_stats[] __attribute__((weak));
extern uintnat caml_peak_heap_bytes __attribute__((weak));
extern uintnat caml_peak_stack_bytes __attribute__((weak));
static void report_stats(void);

void oe_platform_exit(int code)
{
    if (_oe_stats) report_stats();
    for (;;) simcall(SYS_EXIT, code, 0, 0);
}

/* picolibc's abort() and exit() end here: never spin silently. */
void _exit(int code);
void _exit(int code)
{
    oe_platform_exit(code);
}

void abort(void)
{
    static const char msg[] = "ocaml-esp32: abort() called\n";
    oe_platform_write(2, msg, sizeof msg - 1);
    oe_platform_exit(134);
}

static inline uint32_t ccount(void)
{
    uint32_t c;
    __asm__ __volatile__("rsr %0, ccount" : "=r"(c));
    return c;
}

/* CCOUNT is 32 bits: extend it to 64 by noticing wrap-around on every read. Reads happen
   far more often than every 2^32 cycles (107 s at 40 MHz) in practice. */
uint64_t oe_platform_cycles(void)
{
    static uint32_t last, high;
    uint32_t now = ccount();
    if (now < last) high++;
    last = now;
    return ((uint64_t)high << 32) | now;
}

/* QEMU's sim cores count CCOUNT at the core's configured clock. Measured under
   -icount shift=0 (one instruction per virtual ns): lx106 advances CCOUNT once per 25
   instructions (40 MHz), dc233c once per 100 (10 MHz). */
#ifdef OE_CPU_LX106
#define OE_QEMU_CLOCK_HZ 40000000u
#else
#define OE_QEMU_CLOCK_HZ 10000000u
#endif
#define OE_QEMU_INSNS_PER_CYCLE (1000000000u / OE_QEMU_CLOCK_HZ)

static void report_stats(void)
{
    char buf[200];
    unsigned long long insns = (unsigned long long)oe_platform_cycles() * OE_QEMU_INSNS_PER_CYCLE;
    int n = snprintf(buf, sizeof buf, "ocaml-esp32 stats: instructions %llu, peak heap %lu, peak stack %lu\n",
                     insns, &caml_peak_heap_bytes ? (unsigned long)caml_peak_heap_bytes : 0ul,
                     &caml_peak_stack_bytes ? (unsigned long)caml_peak_stack_bytes : 0ul);
    oe_platform_write(2, buf, (uintnat)n);
}

uint64_t oe_platform_time_ns(void)
{
    return oe_platform_cycles() * 1000000000ull / OE_QEMU_CLOCK_HZ;
}

void oe_platform_sleep_until_ns(uint64_t t)
{
    /* Busy-wait for now; the timer-interrupt sleep comes with the OS layer. */
    while (oe_platform_time_ns() < t) { }
}

/* Called from vectors.S on any CPU exception: one line on stderr, exit status 134 (as a
   program killed by SIGABRT would give). */
void oe_report_exception(uint32_t cause, uint32_t pc, uint32_t vaddr);
void oe_report_exception(uint32_t cause, uint32_t pc, uint32_t vaddr)
{
    static const char *const names[] = {
        [0] = "illegal instruction", [2] = "instruction fetch error",
        [3] = "load/store error", [6] = "integer divide by zero", [9] = "unaligned load/store",
        [12] = "instruction fetch prohibited", [13] = "load prohibited", [14] = "store prohibited",
        [20] = "instruction fetch prohibited", [28] = "load prohibited", [29] = "store prohibited",
    };
    const char *name = cause < sizeof names / sizeof *names && names[cause] ? names[cause]
                                                                            : "exception";
    char buf[160];
    int n = snprintf(buf, sizeof buf,
                     "ocaml-esp32: CPU exception %lu (%s) at pc 0x%08lx, address 0x%08lx\n",
                     (unsigned long)cause, name, (unsigned long)pc, (unsigned long)vaddr);
    oe_platform_write(2, buf, (uintnat)n);
    oe_platform_exit(134);
}

extern char __bss_start[], __bss_end[];
static char argbuf[1024] __attribute__((aligned(4)));

void oe_qemu_main(void);
void oe_qemu_main(void)
{
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    static char *fallback_argv[] = { "program", NULL };
    char **argv = fallback_argv;
    int argc = (int)simcall(SYS_ARGC, 0, 0, 0);
    intnat sz = simcall(SYS_ARGV_SZ, 0, 0, 0);
    if (argc > 0 && sz > 0 && (uintnat)sz <= sizeof argbuf) {
        simcall(SYS_ARGV, (intnat)argbuf, 0, 0);
        argv = (char **)argbuf;
    } else {
        argc = 1;
    }
    oe_platform_exit(caml_main(argc, argv));
}
