/* binary32 from 64-bit integers: __floatdisf, __floatundisf. */
/* libgcc also defines this (in an object of the same granularity as
 * this file), so whichever archive the linker searches first provides it and
 * the two never clash.  Ours is the host-tested one: link libocamlrt.a first. */
#include "sf_internal.h"

static uint32_t sf_f_from_u64(uint32_t sign, uint64_t x)
{
    if (x == 0) return sign;
    int s = sf_clz64(x);
    x <<= s;                                    /* leading bit at 63 */
    uint32_t m = (uint32_t)(x >> 33) | ((x & ((UINT64_C(1) << 33) - 1)) != 0);
    /* value = m * 2^(33 - s) = m * 2^((190 - s) - 157) */
    return sf_f_round_pack(sign, 190 - s, m);
}

float SF_NAME(floatundisf)(uint64_t x) { return sf_u2f(sf_f_from_u64(0, x)); }

float SF_NAME(floatdisf)(int64_t x)
{
    if (x < 0) return sf_u2f(sf_f_from_u64(SF_F_SIGN, -(uint64_t)x));
    return sf_u2f(sf_f_from_u64(0, (uint64_t)x));
}
