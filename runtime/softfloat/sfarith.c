/* binary32 addition, subtraction, multiplication: __addsf3, __subsf3, __mulsf3
 * (libgcc provides __divsf3 and the comparisons, but references these). */
#include "sf_internal.h"

static uint32_t sf_f_add_bits(uint32_t a, uint32_t b)
{
    uint32_t aa = a & ~SF_F_SIGN, ab = b & ~SF_F_SIGN;
    if (aa >= SF_F_EXPM || ab >= SF_F_EXPM) {
        if (aa > SF_F_EXPM || ab > SF_F_EXPM) return sf_f_nan2(a, b);
        if (aa == SF_F_EXPM && ab == SF_F_EXPM && ((a ^ b) & SF_F_SIGN))
            return SF_F_DEFNAN;
        return aa == SF_F_EXPM ? a : b;
    }
    if (aa < ab) { uint32_t t = a; a = b; b = t; t = aa; aa = ab; ab = t; }
    if (ab == 0) {
        if (aa == 0) return (a ^ b) & SF_F_SIGN ? 0 : a;
        return a;
    }
    uint32_t sign = a & SF_F_SIGN;
    int ea = (int)(aa >> 23), eb = (int)(ab >> 23);
    uint32_t ma = aa & SF_F_MANT, mb = ab & SF_F_MANT;
    if (ea) ma |= SF_F_HIDDEN; else ea = 1;
    if (eb) mb |= SF_F_HIDDEN; else eb = 1;
    /* hidden bit at 29; value = m * 2^((e + 1) - 157) */
    ma <<= 6;
    mb = sf_shr_jam32(mb << 6, ea - eb);
    uint32_t m;
    if ((a ^ b) & SF_F_SIGN) {
        m = ma - mb;
        if (m == 0) return 0;
    } else {
        m = ma + mb;
    }
    return sf_f_norm_round_pack(sign, ea + 1, m);
}

float SF_NAME(addsf3)(float a, float b)
{
    return sf_u2f(sf_f_add_bits(sf_f2u(a), sf_f2u(b)));
}

float SF_NAME(subsf3)(float a, float b)
{
    uint32_t ub = sf_f2u(b);
    if (!sf_f_isnan(ub)) ub ^= SF_F_SIGN;
    return sf_u2f(sf_f_add_bits(sf_f2u(a), ub));
}

float SF_NAME(mulsf3)(float fa, float fb)
{
    uint32_t a = sf_f2u(fa), b = sf_f2u(fb);
    uint32_t sign = (a ^ b) & SF_F_SIGN;
    uint32_t aa = a & ~SF_F_SIGN, ab = b & ~SF_F_SIGN;
    if (aa >= SF_F_EXPM || ab >= SF_F_EXPM) {
        if (aa > SF_F_EXPM || ab > SF_F_EXPM) return sf_u2f(sf_f_nan2(a, b));
        if (aa == 0 || ab == 0) return sf_u2f(SF_F_DEFNAN);
        return sf_u2f(sign | SF_F_EXPM);
    }
    if (aa == 0 || ab == 0) return sf_u2f(sign);
    int ea = (int)(aa >> 23), eb = (int)(ab >> 23);
    uint32_t ma = aa & SF_F_MANT, mb = ab & SF_F_MANT;
    if (ea) ma |= SF_F_HIDDEN;
    else { int s = sf_clz32(ma) - 8; ma <<= s; ea = 1 - s; }
    if (eb) mb |= SF_F_HIDDEN;
    else { int s = sf_clz32(mb) - 8; mb <<= s; eb = 1 - s; }
    uint64_t p = sf_mul32x32(ma << 8, mb << 8);          /* [2^62, 2^64) */
    uint32_t hi = (uint32_t)(p >> 32) | ((uint32_t)p != 0);
    /* value = hi * 2^(ea + eb - 284) = hi * 2^((ea + eb - 127) - 157) */
    return sf_u2f(sf_f_norm_round_pack(sign, ea + eb - 127, hi));
}
