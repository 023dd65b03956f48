/* binary64 from 64-bit integers: __floatdidf, __floatundidf. */
/* libgcc also defines this (in an object of the same granularity as
 * this file), so whichever archive the linker searches first provides it and
 * the two never clash.  Ours is the host-tested one: link libocamlrt.a first. */
#include "sf_internal.h"

static uint64_t sf_d_from_u64(uint64_t sign, uint64_t x)
{
    if (x == 0) return sign;
    /* value = x * 2^(1085 - 1085); with bit 63 set, (x >> 1 | sticky) * 2^1 */
    if (x >> 63) return sf_d_round_pack(sign, 1086, (x >> 1) | (x & 1));
    return sf_d_norm_round_pack(sign, 1085, x);
}

double SF_NAME(floatundidf)(uint64_t x) { return sf_u2d(sf_d_from_u64(0, x)); }

double SF_NAME(floatdidf)(int64_t x)
{
    if (x < 0) return sf_u2d(sf_d_from_u64(SF_D_SIGN, -(uint64_t)x));
    return sf_u2d(sf_d_from_u64(0, (uint64_t)x));
}

