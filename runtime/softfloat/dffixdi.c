/* binary64 to int64: __fixdfdi (truncation; saturating, NaN -> 0: see dfconv.c). */
/* libgcc also defines this (in an object of the same granularity as
 * this file), so whichever archive the linker searches first provides it and
 * the two never clash.  Ours is the host-tested one: link libocamlrt.a first. */
#include "sf_internal.h"

int64_t SF_NAME(fixdfdi)(double d)
{
    uint64_t a = sf_d2u(d), aa = a & ~SF_D_SIGN;
    if (aa > SF_D_EXPM) return 0;
    if (aa >= UINT64_C(0x43e0000000000000))               /* |a| >= 2^63 */
        return (a & SF_D_SIGN) ? INT64_MIN : INT64_MAX;
    uint64_t m = sf_d_trunc_mag(aa);
    return (a & SF_D_SIGN) ? -(int64_t)m : (int64_t)m;
}

