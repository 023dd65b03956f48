/* binary64 conversions: __floatsidf, __floatunsidf, __fixdfsi, __fixunsdfsi,
 * __extendsfdf2, __truncdfsf2.  (The 64-bit integer ones, which libgcc also
 * defines, are in dfconv64.c, dffixdi.c, dffixunsdi.c.)
 *
 * double -> integer truncates toward zero.  Out of range (undefined in C) the
 * result saturates: too large -> the type's maximum, too small -> its minimum
 * (0 for the unsigned types, so any negative double gives 0), NaN -> 0
 * (as ARM, RISC-V and Java do). */
#include "sf_internal.h"

double SF_NAME(floatunsidf)(uint32_t x)
{
    if (x == 0) return sf_u2d(0);
    int s = sf_clz32(x);          /* leading bit of x at 31 - s */
    uint64_t m = (uint64_t)x << (21 + s);       /* leading bit at 52 */
    return sf_u2d(((uint64_t)(1023 + 31 - s - 1) << 52) + m);
}

double SF_NAME(floatsidf)(int32_t x)
{
    if (x >= 0) return SF_NAME(floatunsidf)((uint32_t)x);
    uint64_t r = sf_d2u(SF_NAME(floatunsidf)(-(uint32_t)x));
    return sf_u2d(r | SF_D_SIGN);
}

int32_t SF_NAME(fixdfsi)(double d)
{
    uint64_t a = sf_d2u(d), aa = a & ~SF_D_SIGN;
    if (aa > SF_D_EXPM) return 0;
    if (aa >= UINT64_C(0x41e0000000000000))               /* |a| >= 2^31 */
        return (a & SF_D_SIGN) ? INT32_MIN : INT32_MAX;
    uint32_t m = (uint32_t)sf_d_trunc_mag(aa);
    return (a & SF_D_SIGN) ? -(int32_t)m : (int32_t)m;
}

uint32_t SF_NAME(fixunsdfsi)(double d)
{
    uint64_t a = sf_d2u(d), aa = a & ~SF_D_SIGN;
    if (aa > SF_D_EXPM) return 0;
    if (a & SF_D_SIGN) return 0;           /* (-1, 0] truncates to 0 too */
    if (aa >= UINT64_C(0x41f0000000000000)) return UINT32_MAX; /* >= 2^32 */
    return (uint32_t)sf_d_trunc_mag(aa);
}

double SF_NAME(extendsfdf2)(float f)
{
    uint32_t a = sf_f2u(f);
    uint64_t sign = (uint64_t)(a & SF_F_SIGN) << 32;
    uint32_t aa = a & ~SF_F_SIGN;
    if (aa >= SF_F_EXPM) {                   /* inf, NaN (payload kept, quieted) */
        uint64_t r = sign | SF_D_EXPM | ((uint64_t)(aa & SF_F_MANT) << 29);
        if (aa > SF_F_EXPM) r |= SF_D_QUIET;
        return sf_u2d(r);
    }
    if (aa == 0) return sf_u2d(sign);
    int e = (int)(aa >> 23);
    uint32_t m = aa & SF_F_MANT;
    if (e == 0) {                            /* subnormal: normalize */
        int s = sf_clz32(m) - 8;
        m <<= s;
        e = 1 - s;
        m &= SF_F_MANT;
    }
    return sf_u2d(sign | ((uint64_t)(e + 1023 - 127) << 52) | ((uint64_t)m << 29));
}

float SF_NAME(truncdfsf2)(double d)
{
    uint64_t a = sf_d2u(d), aa = a & ~SF_D_SIGN;
    uint32_t sign = (uint32_t)(a >> 32) & SF_F_SIGN;
    if (aa >= SF_D_EXPM) {
        if (aa == SF_D_EXPM) return sf_u2f(sign | SF_F_EXPM);
        return sf_u2f(sign | SF_F_EXPM | SF_F_QUIET | (uint32_t)((aa & SF_D_MANT) >> 29));
    }
    if (aa == 0) return sf_u2f(sign);
    int e = (int)(aa >> 52);
    if (e == 0) return sf_u2f(sf_f_round_pack(sign, -1000, 1)); /* far below */
    /* 53-bit significand, leading bit at 52 -> 31 bits, leading bit at 30 */
    uint64_t m = (aa & SF_D_MANT) | SF_D_HIDDEN;
    uint32_t m32 = (uint32_t)(m >> 22) | (((uint32_t)m & 0x3fffff) != 0);
    /* value = m32 * 2^(e - 1023 - 30) = m32 * 2^((e - 896) - 157) */
    e -= 896;
    if (e < -64) e = -64;                    /* keep shift counts sane */
    return sf_u2f(sf_f_round_pack(sign, e, m32));
}
