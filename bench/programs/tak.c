#include "bench.h"
static int tak(int x, int y, int z) { return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z; }
BENCH_MAIN { bench_printf("%d\n", tak(18, 12, 6)); }
