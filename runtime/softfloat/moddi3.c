/* __moddi3: signed 64-bit remainder (see intdiv.c). */
/* libgcc also defines this (in an object of the same granularity as this
 * file), so whichever archive the linker searches first provides it and the
 * two never clash.  Ours is the host-tested one: link libocamlrt.a first. */
#include "intdiv.h"

int64_t SF_NAME(moddi3)(int64_t n, int64_t d)
{
    uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
    uint64_t r;
    sf_udivmod64(un, ud, &r);
    return (int64_t)(n < 0 ? -r : r);
}
