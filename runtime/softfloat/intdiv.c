/* Integer division: __udivsi3, __umodsi3, __divsi3, __udivdi3, __umoddi3,
 * __divdi3; __modsi3 and __moddi3, which libgcc also defines, are in files of
 * their own (modsi3.c, moddi3.c) so that the two never clash at link time.
 *
 * Portable version: shift-and-subtract, one quotient bit per step, after
 * aligning the divisor's leading bit with the dividend's (nsau).  With
 * OE_CPU_ESP32 the 32-bit quotients and remainders use the ESP32's DIV32
 * instructions (quou, quos, remu, rems), written as raw bytes because the
 * lx106 assembler does not know them.
 * Division by zero: C leaves it undefined; the portable code returns
 * quotient 0 and remainder = dividend,
 * the ESP32 instructions raise IntegerDivideByZero.  The OCaml compiler checks
 * divisors itself.  INT_MIN / -1 wraps to INT_MIN (remainder 0). */
#include "intdiv.h"

uint32_t SF_NAME(udivsi3)(uint32_t n, uint32_t d)
{
#ifdef SF_HW_DIV32
    return sf_hw_quou(n, d);
#else
    uint32_t r;
    return sf_udivmod32(n, d, &r);
#endif
}

uint32_t SF_NAME(umodsi3)(uint32_t n, uint32_t d)
{
#ifdef SF_HW_DIV32
    return sf_hw_remu(n, d);
#else
    uint32_t r;
    sf_udivmod32(n, d, &r);
    return r;
#endif
}

int32_t SF_NAME(divsi3)(int32_t n, int32_t d)
{
#ifdef SF_HW_DIV32
    return (int32_t)sf_hw_quos((uint32_t)n, (uint32_t)d);
#else
    uint32_t un = n < 0 ? -(uint32_t)n : (uint32_t)n;
    uint32_t ud = d < 0 ? -(uint32_t)d : (uint32_t)d;
    uint32_t r, q = sf_udivmod32(un, ud, &r);
    return (int32_t)((n ^ d) < 0 ? -q : q);
#endif
}

uint64_t SF_NAME(udivdi3)(uint64_t n, uint64_t d)
{
    uint64_t r;
    return sf_udivmod64(n, d, &r);
}

uint64_t SF_NAME(umoddi3)(uint64_t n, uint64_t d)
{
    uint64_t r;
    sf_udivmod64(n, d, &r);
    return r;
}

int64_t SF_NAME(divdi3)(int64_t n, int64_t d)
{
    uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
    uint64_t r, q = sf_udivmod64(un, ud, &r);
    return (int64_t)((n ^ d) < 0 ? -q : q);
}
