/* diag.c — error reporting and checked allocation for the host tool. */
#include "diag.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vreport(const char *kind, const char *where, const char *fmt, va_list ap)
{
    fprintf(stderr, "ocaml-esp32: %s: ", kind);
    if (where) fprintf(stderr, "%s: ", where);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void diag_fatal(const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", where, fmt, ap);
    va_end(ap);
    exit(1);
}

void diag_warn(const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", where, fmt, ap);
    va_end(ap);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) diag_fatal(NULL, "out of memory allocating %zu bytes", n);
    return p;
}

void *xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) diag_fatal(NULL, "out of memory allocating %zu x %zu bytes", n, m);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) diag_fatal(NULL, "out of memory allocating %zu bytes", n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0) diag_fatal(NULL, "out of memory");
    va_end(ap);
    return s;
}
