/* semihost.c — the QEMU platform: console, exit status and arguments through QEMU's Xtensa
   semihosting (simcall; numbers and registers as in QEMU's target/xtensa/xtensa-semi.c),
   time from CCOUNT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "runtime.h"

enum { SYS_EXIT = 1, SYS_READ = 3, SYS_WRITE = 4, SYS_OPEN = 5, SYS_CLOSE = 6,
       SYS_LSEEK = 19, SYS_SELECT_ONE = 29, SYS_ARGC = 1000, SYS_ARGV_SZ = 1001, SYS_ARGV = 1002 };

/* simcall is not known to Debian's lx106 assembler: emit its bytes (00 51 00). The result
   comes back in a2, the (guest-numbered: newlib's, as our C library's) errno in a3. */
static intnat simcall_err(intnat nr, intnat a, intnat b, intnat c, int *err)
{
    register intnat r2 __asm__("a2") = nr;
    register intnat r3 __asm__("a3") = a;
    register intnat r4 __asm__("a4") = b;
    register intnat r5 __asm__("a5") = c;
    __asm__ __volatile__(".byte 0x00, 0x51, 0x00"
                         : "+r"(r2), "+r"(r3) : "r"(r4), "r"(r5) : "memory");
    *err = (int)r3;
    return r2;
}

static intnat simcall(intnat nr, intnat a, intnat b, intnat c)
{
    int err;
    return simcall_err(nr, a, b, c, &err);
}

/* -1 with errno e -> -e (EIO if the host gave no errno) */
static intnat result(intnat r, int e)
{
    return r == -1 ? -(e > 0 ? e : EIO) : r;
}

intnat oe_platform_write(int fd, const void *buf, uintnat len)
{
    int e;
    intnat r = simcall_err(SYS_WRITE, fd, (intnat)buf, (intnat)len, &e);
    return result(r, e);
}

intnat oe_platform_read(int fd, void *buf, uintnat len)
{
    int e;
    intnat r = simcall_err(SYS_READ, fd, (intnat)buf, (intnat)len, &e);
    return result(r, e);
}

/* QEMU's select_one(fd, 1 = readable, timeout): poll(2) on the host's descriptor; a zero
   timeout makes it a test */
int oe_platform_input_ready(int fd)
{
    const int32_t zero_timeout[2] = { 0, 0 };    /* seconds, microseconds */
    return simcall(SYS_SELECT_ONE, fd, 1, (intnat)zero_timeout) > 0;
}

/* Files. QEMU passes the open flags to the host's open(2) unchanged (measured with Debian
   12's QEMU 7.2): Linux's O_* values (the same on x86-64 and arm64 hosts). There is no call
   to stat, remove, rename or list a directory. */
enum { LINUX_O_WRONLY = 01, LINUX_O_RDWR = 02, LINUX_O_CREAT = 0100, LINUX_O_EXCL = 0200,
       LINUX_O_TRUNC = 01000, LINUX_O_APPEND = 02000, LINUX_O_NONBLOCK = 04000 };

intnat oe_platform_open(const char *path, int flags, int perm)
{
    int e, f = 0;
    switch (flags & OE_O_ACCMODE) {
    case OE_O_WRONLY: f = LINUX_O_WRONLY; break;
    case OE_O_RDWR: f = LINUX_O_RDWR; break;
    default: break;
    }
    if (flags & OE_O_APPEND) f |= LINUX_O_APPEND;
    if (flags & OE_O_CREAT) f |= LINUX_O_CREAT;
    if (flags & OE_O_TRUNC) f |= LINUX_O_TRUNC;
    if (flags & OE_O_EXCL) f |= LINUX_O_EXCL;
    if (flags & OE_O_NONBLOCK) f |= LINUX_O_NONBLOCK;
    intnat r = simcall_err(SYS_OPEN, (intnat)path, f, perm, &e);
    return result(r, e);
}

/* QEMU would close its own standard descriptors: the console is never closed */
int oe_platform_close(int fd)
{
    int e;
    if (fd >= 0 && fd <= 2) return 0;
    return (int)result(simcall_err(SYS_CLOSE, fd, 0, 0, &e), e);
}

/* The offset goes to QEMU and the result comes back in 32 bits: files up to 2 GB. */
int64_t oe_platform_lseek(int fd, int64_t offset, int whence)
{
    int e;
    if (offset < 0 || offset > INT32_MAX) return -EINVAL;
    intnat r = simcall_err(SYS_LSEEK, fd, (intnat)offset, whence, &e);
    return r < 0 ? -(e > 0 ? e : EINVAL) : r;
}

/* `ocaml-esp32 run --stats` links with --defsym=_oe_stats=1: the exit path then reports
   the executed instruction count (CCOUNT scaled, see OE_QEMU_INSNS_PER_CYCLE) and the
   runtime's high-water marks on stderr. Weak, so C-only benchmark images link too. */
extern char _oe_stats[] __attribute__((weak));
extern uintnat caml_peak_heap_bytes __attribute__((weak));
extern uintnat caml_peak_stack_bytes __attribute__((weak));
static void report_stats(void);
static uint64_t slept_cycles;    /* idle time in oe_platform_sleep_until_ns: not counted as
                                    executed instructions by --stats */

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

/* High-water marks of the two stacks by painting: with --stats, oe_qemu_main fills the
   OCaml stack (the low end of [_oe_heap_start, ...), see runtime.h) and the unused part of the
   C stack with a pattern before the program starts; at exit the deepest overwritten word gives
   the peak (the GC's own sample, caml_peak_stack_bytes, only sees the stack at collections). */
#define OE_STACK_PAINT 0x5EA5EA5Eu
extern char _oe_heap_start[], _oe_stack_size[], _oe_c_stack_top[], _oe_c_stack_size[];

static void paint(uint32_t *lo, uint32_t *hi)
{
    while (lo < hi) *lo++ = OE_STACK_PAINT;
}

static unsigned long stack_depth(uint32_t *lo, uint32_t *hi)
{
    uint32_t *p = lo;
    while (p < hi && *p == OE_STACK_PAINT) p++;
    return (unsigned long)((char *)hi - (char *)p);
}

static void paint_stacks(void)
{
    uint32_t *c_lo = (uint32_t *)(_oe_c_stack_top - (uintnat)_oe_c_stack_size);
    uint32_t *c_here = (uint32_t *)__builtin_frame_address(0) - 64;
    paint((uint32_t *)_oe_heap_start, (uint32_t *)(_oe_heap_start + (uintnat)_oe_stack_size));
    paint(c_lo, c_here);
}

static void report_stats(void)
{
    char buf[240];
    unsigned long long insns = (unsigned long long)(oe_platform_cycles() - slept_cycles)
                               * OE_QEMU_INSNS_PER_CYCLE;
    unsigned long ml_stack = stack_depth((uint32_t *)_oe_heap_start,
                                         (uint32_t *)(_oe_heap_start + (uintnat)_oe_stack_size));
    unsigned long c_stack = stack_depth((uint32_t *)(_oe_c_stack_top - (uintnat)_oe_c_stack_size),
                                        (uint32_t *)_oe_c_stack_top);
    if (&caml_peak_stack_bytes && caml_peak_stack_bytes > ml_stack) ml_stack = caml_peak_stack_bytes;
    int n = snprintf(buf, sizeof buf, "ocaml-esp32 stats: instructions %llu, peak heap %lu, "
                     "peak stack %lu, peak C stack %lu\n",
                     insns, &caml_peak_heap_bytes ? (unsigned long)caml_peak_heap_bytes : 0ul,
                     ml_stack, c_stack);
    oe_platform_write(2, buf, (uintnat)n);
}

uint64_t oe_platform_time_ns(void)
{
    return oe_platform_cycles() * OE_QEMU_INSNS_PER_CYCLE;    /* ns per cycle */
}

/* Sleep with the CCOMPARE0 timer interrupt (interrupt 6, level 1 on both cores: QEMU's
   core-isa.h XCHAL_TIMER0_INTERRUPT) and `waiti 0`. PS.INTLEVEL is raised to 1 first, so a
   timer that fires before waiti stays pending and waiti (which lowers INTLEVEL to 0
   atomically) returns at once: no lost wake-up. vectors.S takes the interrupt, disables and
   acknowledges it, and returns after the waiti. Under `-icount shift=0,sleep=off` QEMU skips
   the idle time: virtual time jumps to the deadline at no cost. Each wait is at most 2^31
   cycles, so the 64-bit extension of CCOUNT sees every wrap-around. */
#define TIMER0_INT_BIT (1u << 6)
void oe_platform_sleep_until_ns(uint64_t t)
{
    for (;;) {
        uint64_t now = oe_platform_cycles();
        uint64_t due = (t + OE_QEMU_INSNS_PER_CYCLE - 1) / OE_QEMU_INSNS_PER_CYCLE;
        if (now >= due) return;
        uint64_t cycles = due - now;
        if (cycles < 8) continue;                  /* too close to program the timer: spin */
        if (cycles > 0x80000000ull) cycles = 0x80000000ull;
        uint32_t ps, target = (uint32_t)now + (uint32_t)cycles;
        __asm__ __volatile__("rsil %0, 1" : "=r"(ps) :: "memory");
        __asm__ __volatile__("wsr %0, ccompare0\n\t"
                             "wsr %1, intenable\n\t"
                             "rsync\n\t"
                             "waiti 0\n\t"            /* the interrupt is taken here */
                             "wsr %2, ps\n\t"
                             "rsync"
                             : "+r"(target) : "r"(TIMER0_INT_BIT), "r"(ps) : "memory");
        slept_cycles += oe_platform_cycles() - now;
    }
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
        [64] = "unexpected exception vector; address = vector offset",
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
    if (_oe_stats) paint_stacks();
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
