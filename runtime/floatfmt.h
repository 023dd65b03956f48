/* floatfmt.h — exact conversions between doubles and text (runtime/floatfmt.c).
   Independent of the OCaml heap and of the C library's printf/strtod, so that the host
   unit test (tests/unit/test_floatfmt.c) checks exactly the code that runs on the target. */
#ifndef OE_FLOATFMT_H
#define OE_FLOATFMT_H
#include <stddef.h>

/* Formats d like C's snprintf(buf, n, fmt, d) with glibc's output for the conversions
   e E f F g G a A (flags "-+ #0", width, precision; other text copied, "%%" -> "%").
   Returns the length of the full result (which may exceed n-1: then it is truncated). */
int oe_format_double(char *buf, size_t n, const char *fmt, double d);

/* OCaml's "%h" (caml_hexstring_of_float): prec < 0 = exact; style '+', ' ' or '-'. */
int oe_hexstring_double(char *buf, size_t n, double d, long prec, int style);

/* OCaml's float_of_string on s[0..len) once the '_' characters have been removed:
   0 and *out set on success, -1 if the text is not a float. */
int oe_parse_double(const char *s, size_t len, double *out);

/* fused multiply-add x*y+z with a single rounding (picolibc's fma is not exact). */
double oe_fma(double x, double y, double z);
#endif
