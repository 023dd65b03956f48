/* binary64 to uint64: __fixunsdfdi (truncation; saturating, NaN and
 * negative -> 0: see dfconv.c). */
/* libgcc also defines this (in an object of the same granularity as
 * this file), so whichever archive the linker searches first provides it and
 * the two never clash.  Ours is the host-tested one: link libocamlrt.a first. */
#include "sf_internal.h"

uint64_t SF_NAME(fixunsdfdi)(double d)
{
    uint64_t a = sf_d2u(d), aa = a & ~SF_D_SIGN;
    if (aa > SF_D_EXPM) return 0;
    if (a & SF_D_SIGN) return 0;
    if (aa >= UINT64_C(0x43f0000000000000)) return UINT64_MAX; /* >= 2^64 */
    return sf_d_trunc_mag(aa);
}
