/* binary64 division: __divdf3 (restoring division, one quotient bit per step). */
#include "sf_internal.h"

double SF_NAME(divdf3)(double da, double db)
{
    uint64_t a = sf_d2u(da), b = sf_d2u(db);
    uint64_t sign = (a ^ b) & SF_D_SIGN;
    uint64_t aa = a & ~SF_D_SIGN, ab = b & ~SF_D_SIGN;
    if (aa >= SF_D_EXPM || ab >= SF_D_EXPM) {
        if (aa > SF_D_EXPM || ab > SF_D_EXPM) return sf_u2d(sf_d_nan2(a, b));
        if (aa == ab) return sf_u2d(SF_D_DEFNAN);        /* inf / inf */
        return sf_u2d(aa == SF_D_EXPM ? sign | SF_D_EXPM : sign);
    }
    if (ab == 0) return sf_u2d(aa == 0 ? SF_D_DEFNAN : sign | SF_D_EXPM);
    if (aa == 0) return sf_u2d(sign);
    int ea = (int)(aa >> 52), eb = (int)(ab >> 52);
    uint64_t ma = aa & SF_D_MANT, mb = ab & SF_D_MANT;
    if (ea) ma |= SF_D_HIDDEN;
    else { int s = sf_clz64(ma) - 11; ma <<= s; ea = 1 - s; }
    if (eb) mb |= SF_D_HIDDEN;
    else { int s = sf_clz64(mb) - 11; mb <<= s; eb = 1 - s; }
    int e = ea - eb + 1023;
    if (ma < mb) { ma <<= 1; e--; }
    /* ma / mb in [1, 2): 55 quotient bits, q in [2^54, 2^55) */
    uint64_t r = ma, q = 0;
    for (int i = 0; i < 55; i++) {
        q <<= 1;
        if (r >= mb) { r -= mb; q |= 1; }
        r <<= 1;
    }
    return sf_u2d(sf_d_round_pack(sign, e, (q << 8) | (r != 0)));
}
