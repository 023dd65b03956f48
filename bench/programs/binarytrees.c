#include "bench.h"
#include <stdlib.h>
struct node { struct node *l, *r; };
static struct node *make(int d) {
    struct node *n = malloc(sizeof *n);
    if (!n) bench_fail("out of memory");
    if (d == 0) { n->l = n->r = NULL; }
    else { n->l = make(d - 1); n->r = make(d - 1); }
    return n;
}
/* The OCaml version's Leaf is an immediate; a Node(Leaf, Leaf) counts 1. */
static int check(struct node *n) { return n ? 1 + check(n->l) + check(n->r) : 0; }
static void release(struct node *n) { if (n) { release(n->l); release(n->r); free(n); } }
BENCH_MAIN {
    int max_depth = 12;
    struct node *long_lived = make(max_depth);
    int total = 0;
    for (int d = 4; d <= max_depth; d += 2) {
        int iters = 1 << (max_depth - d + 4);
        for (int i = 0; i < iters; i++) { struct node *t = make(d); total += check(t); release(t); }
    }
    bench_printf("%d %d\n", total, check(long_lived));
}
