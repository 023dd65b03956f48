/* binary64 multiplication: __muldf3. */
#include "sf_internal.h"

double SF_NAME(muldf3)(double da, double db)
{
    uint64_t a = sf_d2u(da), b = sf_d2u(db);
    uint64_t sign = (a ^ b) & SF_D_SIGN;
    uint64_t aa = a & ~SF_D_SIGN, ab = b & ~SF_D_SIGN;
    if (aa >= SF_D_EXPM || ab >= SF_D_EXPM) {
        if (aa > SF_D_EXPM || ab > SF_D_EXPM) return sf_u2d(sf_d_nan2(a, b));
        if (aa == 0 || ab == 0) return sf_u2d(SF_D_DEFNAN); /* inf * 0 */
        return sf_u2d(sign | SF_D_EXPM);
    }
    if (aa == 0 || ab == 0) return sf_u2d(sign);
    int ea = (int)(aa >> 52), eb = (int)(ab >> 52);
    uint64_t ma = aa & SF_D_MANT, mb = ab & SF_D_MANT;
    if (ea) ma |= SF_D_HIDDEN;
    else { int s = sf_clz64(ma) - 11; ma <<= s; ea = 1 - s; }
    if (eb) mb |= SF_D_HIDDEN;
    else { int s = sf_clz64(mb) - 11; mb <<= s; eb = 1 - s; }
    /* ma, mb in [2^52, 2^53): (ma << 10) * (mb << 11) in [2^125, 2^127) */
    uint64_t lo;
    uint64_t hi = sf_mul64x64(ma << 10, mb << 11, &lo);
    hi |= lo != 0;
    /* value = hi * 2^(ea + eb - 2107) = hi * 2^((ea + eb - 1022) - 1085) */
    int e = ea + eb - 1022;
    if (!(hi >> 62)) { hi <<= 1; e--; }
    return sf_u2d(sf_d_round_pack(sign, e, hi));
}
