/* main.c — runs oe_rom_call (platform/esp32/romcall.S) on QEMU's dc233c against windowed
   functions standing in for the ESP32 ROM (rom_like.S), with the window handlers of
   platform/xtensa/window_vectors.inc counting their exceptions — or, built with
   -DRT_PLAIN_HANDLERS, with exactly the handlers the ESP32 image has (no counting; checks
   named romcall-plain-*). One PASS/FAIL line per check on stdout (semihosting); the exit
   status is the number of failures. */
#include <stdint.h>
#include "romcall.h"

#ifdef RT_PLAIN_HANDLERS
#define T(name) "romcall-plain-" name
#else
#define T(name) "romcall-" name
#endif

enum { SYS_EXIT = 1, SYS_WRITE = 4 };
enum { OV4, UN4, OV8, UN8, OV12, UN12 };
#define PS_WOE 0x40000u

intptr_t rt_simcall(intptr_t nr, intptr_t a, intptr_t b, intptr_t c);
void rt_main(void);
void rt_exit(int code) __attribute__((noreturn));
void rt_exception(uint32_t cause, uint32_t pc, uint32_t vaddr, uint32_t vector) __attribute__((noreturn));

volatile uint32_t rt_win_counts[6];     /* incremented by the window handlers */

extern const char rt_w_sum6[], rt_w_sub2[], rt_w_rec[], rt_w_clobber[], rt_w_const[];
struct rt_check { uint32_t result, ps_before, ps_after, changed; };
void rt_checked_call(uint32_t fn, int nargs, const uint32_t *args, struct rt_check *out);
int rt_ar_count(void);

static int failures;

static void put(const char *s)
{
    uint32_t n = 0;
    while (s[n]) n++;
    rt_simcall(SYS_WRITE, 1, (intptr_t)s, (intptr_t)n);
}

static void put_u(uint32_t v)       /* decimal, without a division (libgcc has none here) */
{
    static const uint32_t pow10[] = { 1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
                                      10000u, 1000u, 100u, 10u, 1u };
    char buf[11];
    int n = 0;
    for (unsigned i = 0; i < 10; i++) {
        char d = '0';
        while (v >= pow10[i]) { v -= pow10[i]; d++; }
        if (d != '0' || n > 0 || i == 9) buf[n++] = d;
    }
    buf[n] = 0;
    put(buf);
}

static void put_x(uint32_t v)
{
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++) buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    buf[10] = 0;
    put(buf);
}

static void result(const char *name, int ok)
{
    put(ok ? "PASS " : "FAIL ");
    put(name);
    put("\n");
    if (!ok) failures++;
}

/* reports a mismatch detail before the FAIL line */
static int expect(const char *what, uint32_t got, uint32_t want)
{
    if (got == want) return 1;
    put("  "); put(what); put(": got "); put_x(got); put(", expected "); put_x(want); put("\n");
    return 0;
}

static int check_frame(const struct rt_check *c)
{
    int ok = expect("changed callee-saved registers (bit 0-3 a12-a15, 4 sp)", c->changed, 0);
    ok &= expect("PS after the call", c->ps_after, c->ps_before);
    ok &= expect("PS.WOE after the call", c->ps_after & PS_WOE, 0);
    return ok;
}

static uint32_t rec_ref(uint32_t n, uint32_t x)   /* what rt_w_rec computes */
{
    if (n == 0) return x ^ 1445;
    uint32_t y = rec_ref(n - 1, 2 * x + n);
    uint32_t t = n & 3, s = n + x;
    unsigned locals = t == 0 ? 0 : t == 1 ? 4 : 8;
    for (unsigned k = 1; k <= locals; k++) s += x + (n << k);
    return 2 * y + s;
}

static void reset_counts(void)
{
    for (int i = 0; i < 6; i++) rt_win_counts[i] = 0;
}

#ifndef RT_PLAIN_HANDLERS
static void show_counts(void)
{
    static const char *const names[] = { "overflow4", "underflow4", "overflow8", "underflow8",
                                         "overflow12", "underflow12" };
    put("  window exceptions:");
    for (int i = 0; i < 6; i++) { put(" "); put(names[i]); put("="); put_u(rt_win_counts[i]); }
    put("\n");
}
#endif

static uint32_t __attribute__((noinline)) fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t fn(const char *f) { return (uint32_t)(uintptr_t)f; }

void rt_main(void)
{
    struct rt_check c;
    static const uint32_t six[6] = { 0x11111111u, 0x02020202u, 0x00300030u, 0x4u, 0x50000u,
                                     0xF0000006u };
    uint32_t want6 = six[0];
    for (int i = 1; i < 6; i++) want6 = want6 * 3 + six[i];

    /* QEMU's dc233c is documented (core-isa.h) with 32; the ESP32 has 64 */
    uint32_t nareg = (uint32_t)rt_ar_count();
    put("  physical AR registers: "); put_u(nareg); put("\n");
    result(T("dc233c-has-32-ar"), nareg == 32);

    /* arguments and result */
    reset_counts();
    rt_checked_call(fn(rt_w_sum6), 6, six, &c);
    result(T("args6"), expect("sum6", c.result, want6) & check_frame(&c));
    static const uint32_t two[2] = { 1000, 1 };
    result(T("args2"), expect("sub2", oe_rom_call(fn(rt_w_sub2), 2, two), 999));
    result(T("args0"), expect("const", oe_rom_call(fn(rt_w_const), 0, 0), 0x600DCAFEu));
#ifndef RT_PLAIN_HANDLERS
    result(T("no-window-exceptions-when-shallow"),
           expect("exceptions", rt_win_counts[OV4] + rt_win_counts[UN4] + rt_win_counts[OV8] +
                  rt_win_counts[UN8] + rt_win_counts[OV12] + rt_win_counts[UN12], 0));
#endif

    /* depth 50, call4/call8/call12 mixed: overflows and underflows of every size */
    reset_counts();
    const uint32_t deep[2] = { 50, 0x1234567u };
    rt_checked_call(fn(rt_w_rec), 2, deep, &c);
    result(T("deep-recursion"), expect("rec(50)", c.result, rec_ref(50, 0x1234567u)) &
                                check_frame(&c));
#ifndef RT_PLAIN_HANDLERS
    show_counts();
    int all = 1;
    for (int i = 0; i < 6; i++) all &= rt_win_counts[i] > 0;
    int paired = rt_win_counts[OV4] == rt_win_counts[UN4] &&
                 rt_win_counts[OV8] == rt_win_counts[UN8] &&
                 rt_win_counts[OV12] == rt_win_counts[UN12];
    result(T("window-exceptions-all-kinds"), all && paired);
#endif

    /* every register clobbered, 8 frames of call12: the only call8 frame is oe_rom_call's
       own, so exactly one overflow8 and one underflow8 prove it was spilled and reloaded */
    reset_counts();
    const uint32_t eight[1] = { 8 };
    rt_checked_call(fn(rt_w_clobber), 1, eight, &c);
    result(T("clobber-all"), expect("clobber(8)", c.result, 36) & check_frame(&c));
#ifndef RT_PLAIN_HANDLERS
    show_counts();
    result(T("shim-frame-spilled"),
           expect("overflow8", rt_win_counts[OV8], 1) & expect("underflow8", rt_win_counts[UN8], 1) &
           (rt_win_counts[OV12] > 0) & (rt_win_counts[OV12] == rt_win_counts[UN12]));
#endif

    /* afterwards: plain CALL0 code, then a second deep ROM call */
    static volatile uint32_t twenty = 20;  /* not folded at compile time */
    result(T("call0-after"), expect("fib(20)", fib(twenty), 6765));
    const uint32_t again[2] = { 37, 99 };
    rt_checked_call(fn(rt_w_rec), 2, again, &c);
    result(T("second-call"), expect("rec(37)", c.result, rec_ref(37, 99)) & check_frame(&c));

    put(failures ? "romcall: FAILED\n" : "romcall: all passed\n");
    rt_exit(failures);
}

void rt_exit(int code)
{
    for (;;) rt_simcall(SYS_EXIT, code, 0, 0);
}

void rt_exception(uint32_t cause, uint32_t pc, uint32_t vaddr, uint32_t vector)
{
    put("FAIL romcall: CPU exception, vector "); put_x(vector); put(" cause "); put_u(cause);
    put(" pc "); put_x(pc); put(" address "); put_x(vaddr); put("\n");
    rt_exit(134);
}
