/* bench.h — the C side of the benchmarks. The same source builds for the Xtensa target (the
   QEMU platform calls caml_main, the program entry of every image) and for the host. */
#ifndef BENCH_H
#define BENCH_H
#include <stdio.h>
#include <stdlib.h>
#ifdef __XTENSA__
#include <string.h>
#include <stdarg.h>
long oe_platform_write(int fd, const void *buf, unsigned long len);
static inline void bench_printf(const char *fmt, ...) {
    char b[256]; va_list ap; va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap); va_end(ap);
    oe_platform_write(1, b, (unsigned long)n);
}
static inline void bench_fail(const char *m) { oe_platform_write(2, m, strlen(m)); abort(); }
#define BENCH_MAIN static void bench_body(void); \
    int caml_main(int argc, char **argv) { (void)argc; (void)argv; bench_body(); return 0; } \
    static void bench_body(void)
#else
#define bench_printf printf
static inline void bench_fail(const char *m) { fputs(m, stderr); abort(); }
#define BENCH_MAIN int main(void)
#endif
#endif
