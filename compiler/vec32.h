/* vec32.h — a growable array of 32-bit words, and a min-heap on it: the worklist of the
   abstract interpretations in dce.c and callees.c (instructions visited in code order). */
#ifndef OE_VEC32_H
#define OE_VEC32_H
#include <stdint.h>
#include "diag.h"

typedef struct { uint32_t *v; uint32_t n, cap; } vec32;

static inline void vpush(vec32 *a, uint32_t x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 16;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = x;
}

static inline void heap_push(vec32 *h, uint32_t x)
{
    vpush(h, x);
    for (uint32_t k = h->n - 1; k > 0;) {
        uint32_t up = (k - 1) / 2;
        if (h->v[up] <= h->v[k]) break;
        uint32_t t = h->v[up]; h->v[up] = h->v[k]; h->v[k] = t;
        k = up;
    }
}

/* the smallest element, removed; the heap must not be empty */
static inline uint32_t heap_pop(vec32 *h)
{
    uint32_t top = h->v[0];
    h->v[0] = h->v[--h->n];
    for (uint32_t k = 0;;) {
        uint32_t l = 2 * k + 1, r = l + 1, m = k;
        if (l < h->n && h->v[l] < h->v[m]) m = l;
        if (r < h->n && h->v[r] < h->v[m]) m = r;
        if (m == k) break;
        uint32_t t = h->v[m]; h->v[m] = h->v[k]; h->v[k] = t;
        k = m;
    }
    return top;
}
#endif
