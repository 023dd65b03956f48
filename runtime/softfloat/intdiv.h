/* Private helpers of intdiv.c, modsi3.c, moddi3.c (see intdiv.c). */
#ifndef OE_SF_INTDIV_H
#define OE_SF_INTDIV_H

#include "sf_internal.h"

#if defined(OE_CPU_ESP32) && !defined(SF_HOST_TEST)
/* RRR: op2 << 20 | 2 << 16 | r << 12 | s << 8 | t << 4, here r = s = a8, t = a9 */
#define SF_DIV32_INSN(name, byte2)                                          \
    static inline uint32_t name(uint32_t n, uint32_t d)                     \
    {                                                                       \
        register uint32_t r8 __asm__("a8") = n;                             \
        register uint32_t r9 __asm__("a9") = d;                             \
        __asm__(".byte 0x90, 0x88, " #byte2 : "+r"(r8) : "r"(r9));          \
        return r8;                                                          \
    }
SF_DIV32_INSN(sf_hw_quou, 0xC2)
SF_DIV32_INSN(sf_hw_quos, 0xD2)
SF_DIV32_INSN(sf_hw_remu, 0xE2)
SF_DIV32_INSN(sf_hw_rems, 0xF2)
#define SF_HW_DIV32 1
#endif

static inline uint32_t sf_udivmod32(uint32_t n, uint32_t d, uint32_t *rem)
{
    if (d > n || d == 0) { *rem = n; return 0; }
    int sh = sf_clz32(d) - sf_clz32(n);
    uint32_t q = 0;
    d <<= sh;
    for (int i = 0; i <= sh; i++) {
        q <<= 1;
        if (n >= d) { n -= d; q |= 1; }
        d >>= 1;
    }
    *rem = n;
    return q;
}

static inline uint64_t sf_udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
    if ((n >> 32) == 0) {
        uint32_t r32 = (uint32_t)n, q32 = 0;
        if ((d >> 32) == 0) {
#ifdef SF_HW_DIV32
            if ((uint32_t)d != 0) {
                q32 = sf_hw_quou((uint32_t)n, (uint32_t)d);
                r32 = sf_hw_remu((uint32_t)n, (uint32_t)d);
            }
#else
            q32 = sf_udivmod32((uint32_t)n, (uint32_t)d, &r32);
#endif
        }
        *rem = r32;
        return q32;
    }
    if (d > n || d == 0) { *rem = n; return 0; }
    int sh = sf_clz64(d) - sf_clz64(n);
    uint64_t q = 0;
    d <<= sh;
    for (int i = 0; i <= sh; i++) {
        q <<= 1;
        if (n >= d) { n -= d; q |= 1; }
        d >>= 1;
    }
    *rem = n;
    return q;
}

#endif
