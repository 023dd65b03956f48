#include "bench.h"
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
/* A growable buffer, as OCaml's Buffer: doubles its capacity when full. */
struct buf { char *p; size_t len, cap; };
static void add(struct buf *b, const char *s, size_t n) {
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap) b->cap *= 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) bench_fail("out of memory");
    }
    memcpy(b->p + b->len, s, n); b->len += n;
}
BENCH_MAIN {
    struct buf b = { malloc(16), 0, 16 };
    int total = 0;
    for (int round = 1; round <= 200; round++) {
        b.len = 0;
        for (int i = 0; i < 200; i++) {
            char c = (char)(97 + (i + round) % 26);
            add(&b, "item", 4); add(&b, &c, 1); add(&b, ",", 1);
        }
        char *s = malloc(b.len + 1);
        memcpy(s, b.p, b.len);
        for (size_t k = 0; k < b.len; k++) if (s[k] == ',') total++;
        char *u = malloc(b.len + 1);
        for (size_t k = 0; k < b.len; k++) u[k] = (char)toupper((unsigned char)s[k]);
        total += (int)b.len;
        free(s); free(u);
    }
    bench_printf("%d\n", total);
}
