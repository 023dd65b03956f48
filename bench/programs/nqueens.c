#include "bench.h"
#include <stdlib.h>
#define N 9
struct q { int r, c; struct q *next; };
static int ok(int row, int col, struct q *qs) {
    for (; qs; qs = qs->next)
        if (qs->c == col || abs(qs->r - row) == abs(qs->c - col)) return 0;
    return 1;
}
static int place(int row, struct q *qs) {
    if (row == N) return 1;
    int count = 0;
    for (int col = 0; col < N; col++)
        if (ok(row, col, qs)) { struct q cell = { row, col, qs }; count += place(row + 1, &cell); }
    return count;
}
BENCH_MAIN { bench_printf("%d\n", place(0, NULL)); }
