/* binary32 conversions: __floatsisf, __floatunsisf, __fixunssfsi.  float -> unsigned saturates like double -> unsigned
 * (see dfconv.c): negative -> 0, >= 2^32 -> UINT32_MAX, NaN -> 0. */
#include "sf_internal.h"

static uint32_t sf_f_from_u32(uint32_t sign, uint32_t x)
{
    if (x == 0) return sign;
    /* value = x * 2^(157 - 157); with bit 31 set, (x >> 1 | sticky) * 2^1 */
    if (x >> 31) return sf_f_round_pack(sign, 158, (x >> 1) | (x & 1));
    return sf_f_norm_round_pack(sign, 157, x);
}

float SF_NAME(floatunsisf)(uint32_t x) { return sf_u2f(sf_f_from_u32(0, x)); }

float SF_NAME(floatsisf)(int32_t x)
{
    if (x < 0) return sf_u2f(sf_f_from_u32(SF_F_SIGN, -(uint32_t)x));
    return sf_u2f(sf_f_from_u32(0, (uint32_t)x));
}

uint32_t SF_NAME(fixunssfsi)(float f)
{
    uint32_t a = sf_f2u(f);
    if ((a & ~SF_F_SIGN) > SF_F_EXPM) return 0;
    if (a & SF_F_SIGN) return 0;
    int e = (int)(a >> 23);
    if (e < 127) return 0;
    if (e >= 127 + 32) return UINT32_MAX;
    uint32_t m = (a & SF_F_MANT) | SF_F_HIDDEN;
    return e >= 150 ? m << (e - 150) : m >> (150 - e);
}
