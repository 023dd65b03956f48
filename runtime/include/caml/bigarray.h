/* bigarray.h — Bigarray representation and C API (as OCaml 4.13's caml/bigarray.h, for C
   stubs working on bigarrays, e.g. bigstrings). Implemented by runtime/bigarray.c. */
#ifndef CAML_BIGARRAY_H
#define CAML_BIGARRAY_H
#include "mlvalues.h"
#include "custom.h"

typedef signed char caml_ba_int8;
typedef unsigned char caml_ba_uint8;
typedef int16_t caml_ba_int16;
typedef uint16_t caml_ba_uint16;

#define CAML_BA_MAX_NUM_DIMS 16

enum caml_ba_kind {           /* the order of Bigarray.kind's constructors */
    CAML_BA_FLOAT32, CAML_BA_FLOAT64, CAML_BA_SINT8, CAML_BA_UINT8, CAML_BA_SINT16,
    CAML_BA_UINT16, CAML_BA_INT32, CAML_BA_INT64, CAML_BA_CAML_INT, CAML_BA_NATIVE_INT,
    CAML_BA_COMPLEX32, CAML_BA_COMPLEX64, CAML_BA_CHAR,
    CAML_BA_KIND_MASK = 0xFF
};
#define Caml_ba_kind_val(v) Int_val(v)
#define Val_caml_ba_kind(k) Val_int(k)

enum caml_ba_layout {
    CAML_BA_C_LAYOUT = 0,             /* row major, indices from 0 */
    CAML_BA_FORTRAN_LAYOUT = 0x100,   /* column major, indices from 1 */
    CAML_BA_LAYOUT_MASK = 0x100,
    CAML_BA_LAYOUT_SHIFT = 8
};
#define Caml_ba_layout_val(v) (Int_val(v) << CAML_BA_LAYOUT_SHIFT)
#define Val_caml_ba_layout(l) Val_int((l) >> CAML_BA_LAYOUT_SHIFT)

enum caml_ba_managed {
    CAML_BA_EXTERNAL = 0,             /* data not owned by OCaml */
    CAML_BA_MANAGED = 0x200,          /* data malloc'ed, freed by the finalizer */
    CAML_BA_MAPPED_FILE = 0x400,
    CAML_BA_MANAGED_MASK = 0x600
};

struct caml_ba_proxy {               /* shared data of a managed array and its views */
    intnat refcount;
    void *data;
    uintnat size;
};

struct caml_ba_array {
    void *data;
    intnat num_dims;
    intnat flags;                     /* kind | layout | managed */
    struct caml_ba_proxy *proxy;      /* NULL unless views share the data */
    intnat dim[];
};
#define SIZEOF_BA_ARRAY sizeof(struct caml_ba_array)

#define Caml_ba_array_val(v) ((struct caml_ba_array *)Data_custom_val(v))
#define Caml_ba_data_val(v) (Caml_ba_array_val(v)->data)

extern const int caml_ba_element_size[];
extern const struct custom_operations caml_ba_ops;   /* "_bigarr02" */
value caml_ba_alloc(int flags, int num_dims, void *data, intnat *dim);  /* data NULL: malloc */
value caml_ba_alloc_dims(int flags, int num_dims, void *data, ...);
uintnat caml_ba_num_elts(struct caml_ba_array *b);
uintnat caml_ba_byte_size(struct caml_ba_array *b);
void caml_ba_finalize(value v);
int caml_ba_compare(value v1, value v2);
intnat caml_ba_hash(value v);
#endif
