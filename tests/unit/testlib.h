/* testlib.h — what the host unit tests share: pass/fail counting, running shell commands,
   reading files. Each test program includes it once and ends with `return test_summary();`. */
#ifndef OE_TESTLIB_H
#define OE_TESTLIB_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static int passed, failed;

/* Counts one check; a failure is reported on stderr with its printf-style description. */
__attribute__((format(printf, 2, 3), unused))
static void check(int ok, const char *fmt, ...)
{
    if (ok) { passed++; return; }
    failed++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Runs a shell command built printf-style; returns its exit status (128 if it died). */
__attribute__((format(printf, 1, 2), unused))
static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* The whole file, NUL-terminated, its length in *len; NULL if it cannot be read. */
__attribute__((unused))
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)(n < 0 ? 0 : n) + 1);
    if (n < 0 || fread(b, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(b); return NULL; }
    fclose(f);
    b[n] = 0;
    *len = (size_t)n;
    return b;
}

/* Prints the closing line the test runner reads; the exit status for main. */
__attribute__((unused))
static int test_summary(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
#endif
