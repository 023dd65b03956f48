#include "bench.h"
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
BENCH_MAIN { bench_printf("%d\n", fib(27)); }
