#include "bench.h"
static int a[20000];
static void qsort_(int *a, int lo, int hi) {
    if (lo < hi) {
        int pivot = a[hi], i = lo;
        for (int j = lo; j < hi; j++)
            if (a[j] < pivot) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; }
        int t = a[i]; a[i] = a[hi]; a[hi] = t;
        qsort_(a, lo, i - 1); qsort_(a, i + 1, hi);
    }
}
BENCH_MAIN {
    int n = 20000, seed = 12345, ok = 1;
    for (int i = 0; i < n; i++) { seed = (int)(((unsigned)seed * 69069u + 1u) & 0x3FFFFFFF); a[i] = seed % 100000; }
    qsort_(a, 0, n - 1);
    for (int i = 1; i < n; i++) if (a[i - 1] > a[i]) ok = 0;
    bench_printf("%s %d %d\n", ok ? "true" : "false", a[0], a[n - 1]);
}
