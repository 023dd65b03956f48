/* binary64 addition and subtraction: __adddf3, __subdf3. */
#include "sf_internal.h"

static uint64_t sf_d_add_bits(uint64_t a, uint64_t b)
{
    uint64_t aa = a & ~SF_D_SIGN, ab = b & ~SF_D_SIGN;
    if (aa >= SF_D_EXPM || ab >= SF_D_EXPM) {           /* inf or NaN */
        if (aa > SF_D_EXPM || ab > SF_D_EXPM) return sf_d_nan2(a, b);
        if (aa == SF_D_EXPM && ab == SF_D_EXPM && ((a ^ b) & SF_D_SIGN))
            return SF_D_DEFNAN;                          /* inf - inf */
        return aa == SF_D_EXPM ? a : b;
    }
    if (aa < ab) { uint64_t t = a; a = b; b = t; t = aa; aa = ab; ab = t; }
    /* now |a| >= |b| */
    if (ab == 0) {
        if (aa == 0) return (a ^ b) & SF_D_SIGN ? 0 : a; /* zeros */
        return a;
    }
    uint64_t sign = a & SF_D_SIGN;
    int ea = (int)(aa >> 52), eb = (int)(ab >> 52);
    uint64_t ma = aa & SF_D_MANT, mb = ab & SF_D_MANT;
    if (ea) ma |= SF_D_HIDDEN; else ea = 1;
    if (eb) mb |= SF_D_HIDDEN; else eb = 1;
    /* hidden bit at 61; value = m * 2^(e - 1084) = m * 2^((e + 1) - 1085) */
    ma <<= 9;
    mb = sf_shr_jam64(mb << 9, ea - eb);
    if ((a ^ b) & SF_D_SIGN) {
        uint64_t m = ma - mb;
        if (m == 0) return 0;                            /* x - x = +0 */
        return sf_d_norm_round_pack(sign, ea + 1, m);
    }
    uint64_t m = ma + mb;
    if (ea == 1 && (m >> 61) == 0)                       /* subnormal + subnormal */
        return sign | (m >> 9);                          /* exact */
    return sf_d_norm_round_pack(sign, ea + 1, m);
}

double SF_NAME(adddf3)(double a, double b)
{
    return sf_u2d(sf_d_add_bits(sf_d2u(a), sf_d2u(b)));
}

double SF_NAME(subdf3)(double a, double b)
{
    uint64_t ub = sf_d2u(b);
    /* a - NaN must return b's NaN unchanged in sign: flip only non-NaNs */
    if (!sf_d_isnan(ub)) ub ^= SF_D_SIGN;
    return sf_u2d(sf_d_add_bits(sf_d2u(a), ub));
}
