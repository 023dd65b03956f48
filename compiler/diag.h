/* diag.h — one clear line on stderr and a non-zero exit for every bad input. */
#ifndef OE_DIAG_H
#define OE_DIAG_H
#include <stddef.h>
#include <stdint.h>

/* "ocaml-esp32: error: <where>: <message>" then exit(1). where may be NULL. */
_Noreturn void diag_fatal(const char *where, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_warn(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL (fatal on exhaustion). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A new string, printf-style (fatal on exhaustion). */
char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
#endif
