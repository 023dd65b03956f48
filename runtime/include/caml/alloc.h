/* alloc.h — allocating OCaml values from C. */
#ifndef CAML_ALLOC_H
#define CAML_ALLOC_H
#include "mlvalues.h"
value caml_alloc(mlsize_t wosize, tag_t tag);     /* fields initialised to Val_unit */
value caml_alloc_tuple(mlsize_t n);
value caml_alloc_string(mlsize_t len);            /* uninitialised bytes */
value caml_alloc_initialized_string(mlsize_t len, const char *p);
value caml_copy_string(const char *s);
value caml_copy_string_array(const char **a);
value caml_copy_double(double d);
value caml_copy_int32(int32_t i);
value caml_copy_int64(int64_t i);
value caml_copy_nativeint(intnat i);
value caml_alloc_array(value (*f)(const char *), const char **a);
value caml_alloc_float_array(mlsize_t len);
value caml_alloc_sprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
value caml_alloc_some(value v);
value caml_alloc_custom(const struct custom_operations *ops, uintnat size, mlsize_t mem,
                        mlsize_t max);
value caml_alloc_custom_mem(const struct custom_operations *ops, uintnat size, mlsize_t mem);
#endif
