/* __modsi3: signed 32-bit remainder (see intdiv.c). */
/* libgcc also defines this (in an object of the same granularity as this
 * file), so whichever archive the linker searches first provides it and the
 * two never clash.  Ours is the host-tested one: link libocamlrt.a first. */
#include "intdiv.h"

int32_t SF_NAME(modsi3)(int32_t n, int32_t d)
{
#ifdef SF_HW_DIV32
    return (int32_t)sf_hw_rems((uint32_t)n, (uint32_t)d);
#else
    uint32_t un = n < 0 ? -(uint32_t)n : (uint32_t)n;
    uint32_t ud = d < 0 ? -(uint32_t)d : (uint32_t)d;
    uint32_t r;
    sf_udivmod32(un, ud, &r);
    return (int32_t)(n < 0 ? -r : r);
#endif
}
