/* memory.h — heap allocation and registration of local roots for C primitives. */
#ifndef CAML_MEMORY_H
#define CAML_MEMORY_H
#include "mlvalues.h"

value caml_alloc_shr(mlsize_t wosize, tag_t tag);   /* in the major heap */
void caml_initialize(value *fp, value v);           /* first write into a major block */
void caml_modify(value *fp, value v);               /* write barrier */
value caml_alloc_small(mlsize_t wosize, tag_t tag); /* 1 <= wosize <= Max_young_wosize */
#define Alloc_small(result, wosize, tag) ((result) = caml_alloc_small((wosize), (tag)))
#define Store_field(block, offset, val) caml_modify(&Field((block), (offset)), (val))
int caml_is_young(value v);
int caml_is_in_heap(value v);   /* minor or major heap */

/* Local roots: a chain of frames on the C stack, scanned by the GC. */
struct caml__roots_block {
    struct caml__roots_block *next;
    intnat ntables;
    intnat nitems;
    value *tables[5];
};
extern struct caml__roots_block *caml_local_roots;

#define CAMLparam0() struct caml__roots_block *caml__frame = caml_local_roots
#define CAMLparam1(x) CAMLparam0(); CAMLxparam1(x)
#define CAMLparam2(x, y) CAMLparam0(); CAMLxparam2(x, y)
#define CAMLparam3(x, y, z) CAMLparam0(); CAMLxparam3(x, y, z)
#define CAMLparam4(x, y, z, t) CAMLparam0(); CAMLxparam4(x, y, z, t)
#define CAMLparam5(x, y, z, t, u) CAMLparam0(); CAMLxparam5(x, y, z, t, u)
#define CAMLparamN(x, size) CAMLparam0(); CAMLxparamN(x, (size))
#define CAML__ROOTS(name, n, ...) \
    struct caml__roots_block name = { caml_local_roots, (n), 1, { __VA_ARGS__ } }; \
    caml_local_roots = &name
#define CAMLxparam1(x) CAML__ROOTS(caml__roots_##x, 1, &x)
#define CAMLxparam2(x, y) CAML__ROOTS(caml__roots_##x, 2, &x, &y)
#define CAMLxparam3(x, y, z) CAML__ROOTS(caml__roots_##x, 3, &x, &y, &z)
#define CAMLxparam4(x, y, z, t) CAML__ROOTS(caml__roots_##x, 4, &x, &y, &z, &t)
#define CAMLxparam5(x, y, z, t, u) CAML__ROOTS(caml__roots_##x, 5, &x, &y, &z, &t, &u)
#define CAMLxparamN(x, size) \
    struct caml__roots_block caml__roots_##x = { caml_local_roots, 1, (intnat)(size), { &x[0] } }; \
    caml_local_roots = &caml__roots_##x
#define CAMLlocal1(x) value x = Val_unit; CAMLxparam1(x)
#define CAMLlocal2(x, y) value x = Val_unit, y = Val_unit; CAMLxparam2(x, y)
#define CAMLlocal3(x, y, z) value x = Val_unit, y = Val_unit, z = Val_unit; CAMLxparam3(x, y, z)
#define CAMLlocal4(x, y, z, t) value x = Val_unit, y = Val_unit, z = Val_unit, t = Val_unit; \
    CAMLxparam4(x, y, z, t)
#define CAMLlocal5(x, y, z, t, u) value x = Val_unit, y = Val_unit, z = Val_unit, \
    t = Val_unit, u = Val_unit; CAMLxparam5(x, y, z, t, u)
#define CAMLlocalN(x, size) value x[(size)] = { 0 }; CAMLxparamN(x, (size))
#define CAMLdrop (caml_local_roots = caml__frame)
#define CAMLreturnT(type, result) do { type caml__temp_result = (result); \
    caml_local_roots = caml__frame; return caml__temp_result; } while (0)
#define CAMLreturn(result) CAMLreturnT(value, result)
#define CAMLreturn0 do { caml_local_roots = caml__frame; return; } while (0)
#define CAMLnoreturn ((void)caml__frame)

/* global roots (values stored in C globals) */
void caml_register_global_root(value *r);
void caml_remove_global_root(value *r);
void caml_register_generational_global_root(value *r);
void caml_remove_generational_global_root(value *r);
void caml_modify_generational_global_root(value *r, value v);

void *caml_stat_alloc(size_t sz);     /* C heap (picolibc malloc), raises Out_of_memory */
void caml_stat_free(void *p);
#endif
