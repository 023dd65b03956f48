/* 64-bit multiplication: __muldi3 (64 x 64 -> low 64), __umulsidi3 (32 x 32 -> 64).
 * gcc calls __muldi3 for every 64-bit multiply, including widening 32 x 32 ones. */
#include "sf_internal.h"

uint64_t SF_NAME(umulsidi3)(uint32_t a, uint32_t b)
{
    return sf_mul32x32(a, b);
}

uint64_t SF_NAME(muldi3)(uint64_t a, uint64_t b)
{
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
    uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    uint64_t p = sf_mul32x32(a0, b0);
    uint32_t cross = a0 * b1 + a1 * b0;            /* mull: low halves only */
    return p + ((uint64_t)cross << 32);
}
