/* prims_util.h — heap-independent helpers of the primitives: integer parsing and printf-style
   integer formatting (ints.c), MD5 (md5.c). They use no OCaml value, so the host unit test
   (tests/unit/test_prims_host.c) compiles prims_util.c directly. */
#ifndef OE_PRIMS_UTIL_H
#define OE_PRIMS_UTIL_H
#include <stddef.h>
#include <stdint.h>

/* Parses an integer literal the way OCaml's int_of_string family does: optional sign,
   optional 0x/0o/0b/0u prefix, digits with '_' separators, the whole of [len] bytes.
   [width] is the accumulator width of the C type (32 or 64) and [nbits] the width of the
   OCaml type (31, 32 or 64): decimal literals must fit in nbits signed, prefixed ones in
   nbits unsigned. On success stores the result (two's complement, modulo 2^width) and
   returns 1; returns 0 if the literal is ill-formed or out of range. */
int oe_parse_integer(const char *s, size_t len, int width, int nbits, uint64_t *out);

/* A C printf conversion for one integer: %[flags][width][.prec][l|n|L]conv. */
struct oe_int_format {
    char conv;            /* d i u x X o (anything else behaves like d) */
    char minus, plus, space, alt, zero;
    long width, prec;     /* prec < 0: none */
};
/* Returns 1 if [fmt] (length len) is a single integer conversion. */
int oe_parse_int_format(const char *fmt, size_t len, struct oe_int_format *f);
/* Formats a number given as sign + magnitude (unsigned conversions pass negative = 0).
   Writes to [out] when it is not NULL; returns the length either way (no NUL). */
size_t oe_format_integer(char *out, const struct oe_int_format *f, int negative,
                         uint64_t magnitude);

/* MD5 (RFC 1321). */
struct oe_md5 {
    uint32_t state[4];
    uint64_t length;      /* bytes hashed so far */
    unsigned char block[64];
};
void oe_md5_init(struct oe_md5 *ctx);
void oe_md5_update(struct oe_md5 *ctx, const void *data, size_t len);
void oe_md5_final(struct oe_md5 *ctx, unsigned char digest[16]);
#endif
