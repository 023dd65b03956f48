/* custom.h — custom blocks (Int32/Int64/Nativeint, Bigarray, user data). */
#ifndef CAML_CUSTOM_H
#define CAML_CUSTOM_H
#include "mlvalues.h"
struct custom_fixed_length { intnat bsize_32; intnat bsize_64; };
struct custom_operations {
    const char *identifier;
    void (*finalize)(value v);
    int (*compare)(value v1, value v2);
    intnat (*hash)(value v);
    void (*serialize)(value v, uintnat *bsize_32, uintnat *bsize_64);
    uintnat (*deserialize)(void *dst);
    int (*compare_ext)(value v1, value v2);
    const struct custom_fixed_length *fixed_length;
};
#define custom_finalize_default NULL
#define custom_compare_default NULL
#define custom_hash_default NULL
#define custom_serialize_default NULL
#define custom_deserialize_default NULL
#define custom_compare_ext_default NULL
#define custom_fixed_length_default NULL
/* Looks up the operations of a builtin custom type by identifier ("_j", "_i", "_n", "_bigarr02"). */
const struct custom_operations *caml_find_custom_operations(const char *id);
/* A custom compare function sets this to 1 when its arguments are unordered (like NaN). */
extern int caml_compare_unordered;
void caml_register_custom_operations(const struct custom_operations *ops);
extern const struct custom_operations caml_int32_ops, caml_int64_ops, caml_nativeint_ops;
#endif
