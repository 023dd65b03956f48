/* Private helpers of the soft-float and integer-division routines.
 *
 * Debian's xtensa-lx106-elf libgcc leaves out the routines that live in the
 * ESP8266 ROM (32/64-bit division, double-precision arithmetic, a few
 * single-precision ones).  runtime/softfloat/ provides them, written from the
 * IEEE 754 specification: binary64/binary32, round to nearest, ties to even,
 * gradual underflow, signed zeros, infinities, quiet NaN results.
 *
 * Rules for code in this directory (checked by the build of the target
 * objects: nothing here may reference the routines it implements):
 *   - no floating-point arithmetic or comparisons on float/double values:
 *     values are handled as bit patterns only (sf_d2u / sf_u2d ...);
 *   - no '/' or '%' on any integer type, no 32x32->64 or 64x64 multiplies
 *     (they would become __udivsi3, __muldi3 ... calls): use sf_mul32x32;
 *   - 64-bit shifts, additions and comparisons are fine (inline or libgcc).
 *
 * The unit test (tests/unit/test_softfloat.c) includes the .c files directly
 * with SF_HOST_TEST defined, which renames every public routine from __xxx to
 * sf_xxx so that it can be compared with the host's FPU. */
#ifndef OE_SF_INTERNAL_H
#define OE_SF_INTERNAL_H

#include <stdint.h>

#ifdef SF_HOST_TEST
#define SF_NAME(n) sf_##n
#else
#define SF_NAME(n) __##n
#endif

typedef union { double d; uint64_t u; } sf_dbits;
typedef union { float f; uint32_t u; } sf_fbits;

static inline uint64_t sf_d2u(double d) { sf_dbits b; b.d = d; return b.u; }
static inline double sf_u2d(uint64_t u) { sf_dbits b; b.u = u; return b.d; }
static inline uint32_t sf_f2u(float f) { sf_fbits b; b.f = f; return b.u; }
static inline float sf_u2f(uint32_t u) { sf_fbits b; b.u = u; return b.f; }

#define SF_D_SIGN   UINT64_C(0x8000000000000000)
#define SF_D_EXPM   UINT64_C(0x7ff0000000000000)
#define SF_D_MANT   UINT64_C(0x000fffffffffffff)
#define SF_D_HIDDEN UINT64_C(0x0010000000000000)
#define SF_D_QUIET  UINT64_C(0x0008000000000000)
#define SF_D_DEFNAN UINT64_C(0x7ff8000000000000)

#define SF_F_SIGN   UINT32_C(0x80000000)
#define SF_F_EXPM   UINT32_C(0x7f800000)
#define SF_F_MANT   UINT32_C(0x007fffff)
#define SF_F_HIDDEN UINT32_C(0x00800000)
#define SF_F_QUIET  UINT32_C(0x00400000)
#define SF_F_DEFNAN UINT32_C(0x7fc00000)

static inline int sf_d_isnan(uint64_t a) { return (a & ~SF_D_SIGN) > SF_D_EXPM; }
static inline int sf_f_isnan(uint32_t a) { return (a & ~SF_F_SIGN) > SF_F_EXPM; }

/* Number of leading zeros; x must not be 0.  (nsau on the target.) */
static inline int sf_clz32(uint32_t x) { return __builtin_clz(x); }
static inline int sf_clz64(uint64_t x)
{
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? sf_clz32(hi) : 32 + sf_clz32((uint32_t)x);
}

/* x >> n, with every bit shifted out ORed into bit 0 ("sticky"). */
static inline uint64_t sf_shr_jam64(uint64_t x, int n)
{
    if (n <= 0) return x;
    if (n >= 64) return x != 0;
    return (x >> n) | ((x << (64 - n)) != 0);
}
static inline uint32_t sf_shr_jam32(uint32_t x, int n)
{
    if (n <= 0) return x;
    if (n >= 32) return x != 0;
    return (x >> n) | ((x << (32 - n)) != 0);
}

/* 32 x 32 -> 64 unsigned multiply from four 16 x 16 -> 32 products (the lx106
 * has MUL32's low half only; a C widening multiply would call __muldi3). */
static inline uint64_t sf_mul32x32(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xffff, ah = a >> 16, bl = b & 0xffff, bh = b >> 16;
    uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint32_t mid = lh + (ll >> 16);          /* < 2^32: no carry */
    uint32_t mid2 = mid + hl;
    uint32_t carry = mid2 < hl;
    uint32_t hi = hh + (mid2 >> 16) + (carry << 16);
    uint32_t lo = (mid2 << 16) | (ll & 0xffff);
    return ((uint64_t)hi << 32) | lo;
}

/* 64 x 64 -> 128 unsigned multiply: returns the high half, *lo the low half. */
static inline uint64_t sf_mul64x64(uint64_t a, uint64_t b, uint64_t *lo)
{
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
    uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    uint64_t p00 = sf_mul32x32(a0, b0), p01 = sf_mul32x32(a0, b1);
    uint64_t p10 = sf_mul32x32(a1, b0), p11 = sf_mul32x32(a1, b1);
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* Rounds and packs a binary64.  The value is (-1)^sign * m * 2^(e - 1085):
 * with bit 62 of m set, e is the biased exponent of the result and bits
 * 9..0 of m are the rounding bits (bit 0 sticky).  m must have bit 63 clear;
 * if bit 62 is clear too (not normalized) the caller must pass e <= 1 (a
 * subnormal), or normalize first with sf_d_norm_round_pack. */
static inline uint64_t sf_d_round_pack(uint64_t sign, int e, uint64_t m)
{
    if (e >= 0x7ff) return sign | SF_D_EXPM;            /* overflow */
    if (e < 1) { m = sf_shr_jam64(m, 1 - e); e = 1; }   /* subnormal */
    uint32_t r = (uint32_t)m & 0x3ff;
    m >>= 10;
    if (r > 0x200 || (r == 0x200 && (m & 1))) m++;
    /* m has bit 52 set for a normal number: (e - 1) << 52 + m then carries
     * into the exponent exactly when rounding overflows the significand,
     * and gives the subnormal (or smallest normal) encoding when e = 1. */
    return sign | (((uint64_t)(e - 1) << 52) + m);
}

/* Same for any non-zero m (bit 63 may be set). */
static inline uint64_t sf_d_norm_round_pack(uint64_t sign, int e, uint64_t m)
{
    int s = sf_clz64(m) - 1;
    if (s < 0) return sf_d_round_pack(sign, e + 1, sf_shr_jam64(m, 1));
    return sf_d_round_pack(sign, e - s, m << s);
}

/* binary32 version: value = m * 2^(e - 157), bit 30 of m is the leading bit
 * for a normal result, bits 6..0 are rounding bits. */
static inline uint32_t sf_f_round_pack(uint32_t sign, int e, uint32_t m)
{
    if (e >= 0xff) return sign | SF_F_EXPM;
    if (e < 1) { m = sf_shr_jam32(m, 1 - e); e = 1; }
    uint32_t r = m & 0x7f;
    m >>= 7;
    if (r > 0x40 || (r == 0x40 && (m & 1))) m++;
    return sign | (((uint32_t)(e - 1) << 23) + m);
}

static inline uint32_t sf_f_norm_round_pack(uint32_t sign, int e, uint32_t m)
{
    int s = sf_clz32(m) - 1;
    if (s < 0) return sf_f_round_pack(sign, e + 1, sf_shr_jam32(m, 1));
    return sf_f_round_pack(sign, e - s, m << s);
}

/* Quiet NaN result of a two-operand operation, at least one operand a NaN:
 * the first NaN operand, quieted (as x86 SSE and most FPUs do). */
static inline uint64_t sf_d_nan2(uint64_t a, uint64_t b)
{
    return (sf_d_isnan(a) ? a : b) | SF_D_QUIET;
}
static inline uint32_t sf_f_nan2(uint32_t a, uint32_t b)
{
    return (sf_f_isnan(a) ? a : b) | SF_F_QUIET;
}

/* |a| truncated to an integer, for |a| < 2^64 (exponent field <= 1086). */
static inline uint64_t sf_d_trunc_mag(uint64_t aa)
{
    int e = (int)(aa >> 52);
    if (e < 1023) return 0;
    uint64_t m = (aa & SF_D_MANT) | SF_D_HIDDEN;
    if (e >= 1075) return m << (e - 1075);
    return m >> (1075 - e);
}

#endif
