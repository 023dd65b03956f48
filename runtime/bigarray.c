/* bigarray.c — the Bigarray primitives of OCaml 4.13 (runtime/bigarray.c): arrays of 0 to 16
   dimensions, all kinds, C and Fortran layouts, views sharing data through a refcounted
   proxy, custom operations "_bigarr02" (compare, hash, marshaling). Data is malloc'ed and
   freed by the finalizer that the GC calls when the last view dies. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"
#include "include/caml/bigarray.h"
#include "include/caml/hash.h"
#include "include/caml/intext.h"

const int caml_ba_element_size[] = {
    4 /* float32 */, 8 /* float64 */, 1 /* sint8 */, 1 /* uint8 */, 2 /* sint16 */,
    2 /* uint16 */, 4 /* int32 */, 8 /* int64 */, sizeof(value) /* caml_int */,
    sizeof(value) /* native_int */, 8 /* complex32 */, 16 /* complex64 */, 1 /* char */
};

#define KIND(b) ((b)->flags & CAML_BA_KIND_MASK)
#define IS_C_LAYOUT(b) (((b)->flags & CAML_BA_LAYOUT_MASK) == CAML_BA_C_LAYOUT)

uintnat caml_ba_num_elts(struct caml_ba_array *b)
{
    uintnat n = 1;
    for (int i = 0; i < b->num_dims; i++) n *= (uintnat)b->dim[i];
    return n;
}

uintnat caml_ba_byte_size(struct caml_ba_array *b)
{
    return caml_ba_num_elts(b) * (uintnat)caml_ba_element_size[KIND(b)];
}

/* ---- custom operations ---- */

void caml_ba_finalize(value v)
{
    struct caml_ba_array *b = Caml_ba_array_val(v);
    if ((b->flags & CAML_BA_MANAGED_MASK) != CAML_BA_MANAGED) return;
    if (b->proxy == NULL) {
        free(b->data);
    } else if (--b->proxy->refcount == 0) {
        free(b->proxy->data);
        free(b->proxy);
    }
}

#define CMP_INTS(type) do { \
        const type *p1 = b1->data, *p2 = b2->data; \
        for (uintnat i = 0; i < n; i++) \
            if (p1[i] != p2[i]) return p1[i] < p2[i] ? -1 : 1; \
        return 0; \
    } while (0)
/* nan is equal to itself and below everything else, and makes the comparison unordered */
#define CMP_FLOATS(type) do { \
        const type *p1 = b1->data, *p2 = b2->data; \
        for (uintnat i = 0; i < n; i++) { \
            type e1 = p1[i], e2 = p2[i]; \
            if (e1 < e2) return -1; \
            if (e1 > e2) return 1; \
            if (e1 != e2) { \
                caml_compare_unordered = 1; \
                if (e1 == e1) return 1; \
                if (e2 == e2) return -1; \
            } \
        } \
        return 0; \
    } while (0)

int caml_ba_compare(value v1, value v2)
{
    struct caml_ba_array *b1 = Caml_ba_array_val(v1), *b2 = Caml_ba_array_val(v2);
    intnat f1 = b1->flags & (CAML_BA_KIND_MASK | CAML_BA_LAYOUT_MASK);
    intnat f2 = b2->flags & (CAML_BA_KIND_MASK | CAML_BA_LAYOUT_MASK);
    uintnat n;
    if (f1 != f2) return (int)(f2 - f1);
    if (b1->num_dims != b2->num_dims) return (int)(b2->num_dims - b1->num_dims);
    for (int i = 0; i < b1->num_dims; i++)
        if (b1->dim[i] != b2->dim[i]) return b1->dim[i] < b2->dim[i] ? -1 : 1;
    n = caml_ba_num_elts(b1);
    switch (KIND(b1)) {
    case CAML_BA_COMPLEX32: n *= 2; /* fallthrough */
    case CAML_BA_FLOAT32: CMP_FLOATS(float);
    case CAML_BA_COMPLEX64: n *= 2; /* fallthrough */
    case CAML_BA_FLOAT64: CMP_FLOATS(double);
    case CAML_BA_SINT8: CMP_INTS(caml_ba_int8);
    case CAML_BA_SINT16: CMP_INTS(caml_ba_int16);
    case CAML_BA_UINT16: CMP_INTS(caml_ba_uint16);
    case CAML_BA_INT32: CMP_INTS(int32_t);
    case CAML_BA_INT64: CMP_INTS(int64_t);
    case CAML_BA_CAML_INT: case CAML_BA_NATIVE_INT: CMP_INTS(intnat);
    default: CMP_INTS(caml_ba_uint8);   /* uint8, char */
    }
}

/* hashes at most the first 256 bytes' worth of elements */
intnat caml_ba_hash(value v)
{
    struct caml_ba_array *b = Caml_ba_array_val(v);
    uintnat n = caml_ba_num_elts(b), i;
    uint32_t h = 0;
    switch (KIND(b)) {
    case CAML_BA_CHAR: case CAML_BA_SINT8: case CAML_BA_UINT8: {
        const caml_ba_uint8 *p = b->data;
        uint32_t w = 0;
        if (n > 256) n = 256;
        for (i = 0; i + 4 <= n; i += 4)
            h = caml_hash_mix_uint32(h, (uint32_t)p[i] | (uint32_t)p[i + 1] << 8
                                        | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24);
        for (int k = (int)(n & 3) - 1; k >= 0; k--) w = w << 8 | p[i + (uintnat)k];
        if (n & 3) h = caml_hash_mix_uint32(h, w);
        break;
    }
    case CAML_BA_SINT16: case CAML_BA_UINT16: {
        const caml_ba_uint16 *p = b->data;
        if (n > 128) n = 128;
        for (i = 0; i + 2 <= n; i += 2)
            h = caml_hash_mix_uint32(h, p[i] | (uint32_t)p[i + 1] << 16);
        if (n & 1) h = caml_hash_mix_uint32(h, p[i]);
        break;
    }
    case CAML_BA_INT32: {
        const uint32_t *p = b->data;
        if (n > 64) n = 64;
        for (i = 0; i < n; i++) h = caml_hash_mix_uint32(h, p[i]);
        break;
    }
    case CAML_BA_CAML_INT: case CAML_BA_NATIVE_INT: {
        const intnat *p = b->data;
        if (n > 64) n = 64;
        for (i = 0; i < n; i++) h = caml_hash_mix_intnat(h, p[i]);
        break;
    }
    case CAML_BA_INT64: {
        const int64_t *p = b->data;
        if (n > 32) n = 32;
        for (i = 0; i < n; i++) h = caml_hash_mix_int64(h, p[i]);
        break;
    }
    case CAML_BA_COMPLEX32: n *= 2; /* fallthrough */
    case CAML_BA_FLOAT32: {
        const float *p = b->data;
        if (n > 64) n = 64;
        for (i = 0; i < n; i++) h = caml_hash_mix_float(h, p[i]);
        break;
    }
    case CAML_BA_COMPLEX64: n *= 2; /* fallthrough */
    case CAML_BA_FLOAT64: {
        const double *p = b->data;
        if (n > 32) n = 32;
        for (i = 0; i < n; i++) h = caml_hash_mix_double(h, p[i]);
        break;
    }
    }
    return (intnat)h;
}

/* caml_int / nativeint elements: a flag byte (1 = 64-bit values follow) then the values */
static void serialize_longs(const intnat *p, uintnat n, intnat lo, intnat hi)
{
    int wide = 0;
    for (uintnat i = 0; sizeof(intnat) > 4 && i < n; i++) if (p[i] < lo || p[i] > hi) wide = 1;
    caml_serialize_int_1(wide);
    if (wide) caml_serialize_block_8((void *)p, (intnat)n);
    else if (sizeof(intnat) == 4) caml_serialize_block_4((void *)p, (intnat)n);
    else for (uintnat i = 0; i < n; i++) caml_serialize_int_4((int32_t)p[i]);
}

static void ba_serialize(value v, uintnat *wsize_32, uintnat *wsize_64)
{
    struct caml_ba_array *b = Caml_ba_array_val(v);
    uintnat n = caml_ba_num_elts(b);
    caml_serialize_int_4((int32_t)b->num_dims);
    caml_serialize_int_4((int32_t)(b->flags & (CAML_BA_KIND_MASK | CAML_BA_LAYOUT_MASK)));
    for (int i = 0; i < b->num_dims; i++) {
        if (b->dim[i] < 0xffff) caml_serialize_int_2((int)b->dim[i]);
        else { caml_serialize_int_2(0xffff); caml_serialize_int_8(b->dim[i]); }
    }
    switch (KIND(b)) {
    case CAML_BA_CHAR: case CAML_BA_SINT8: case CAML_BA_UINT8:
        caml_serialize_block_1(b->data, (intnat)n); break;
    case CAML_BA_SINT16: case CAML_BA_UINT16: caml_serialize_block_2(b->data, (intnat)n); break;
    case CAML_BA_FLOAT32: case CAML_BA_INT32: caml_serialize_block_4(b->data, (intnat)n); break;
    case CAML_BA_COMPLEX32: caml_serialize_block_4(b->data, (intnat)n * 2); break;
    case CAML_BA_FLOAT64: case CAML_BA_INT64: caml_serialize_block_8(b->data, (intnat)n); break;
    case CAML_BA_COMPLEX64: caml_serialize_block_8(b->data, (intnat)n * 2); break;
    case CAML_BA_CAML_INT: serialize_longs(b->data, n, -0x40000000, 0x3FFFFFFF); break;
    case CAML_BA_NATIVE_INT: serialize_longs(b->data, n, -0x7FFFFFFF - 1, 0x7FFFFFFF); break;
    }
    *wsize_32 = (4 + (uintnat)b->num_dims) * 4;
    *wsize_64 = (4 + (uintnat)b->num_dims) * 8;
}

static uintnat ba_deserialize(void *dst)
{
    struct caml_ba_array *b = dst;
    uintnat n = 1, size;
    int kind;
    b->num_dims = (intnat)caml_deserialize_uint_4();
    if (b->num_dims < 0 || b->num_dims > CAML_BA_MAX_NUM_DIMS)
        caml_deserialize_error("input_value: wrong number of bigarray dimensions");
    b->flags = (intnat)caml_deserialize_uint_4() | CAML_BA_MANAGED;
    b->proxy = NULL;
    for (int i = 0; i < b->num_dims; i++) {
        uint64_t len = (uint64_t)caml_deserialize_uint_2();
        if (len == 0xffff) len = caml_deserialize_uint_8();
        b->dim[i] = (intnat)len;
        if ((uint64_t)(uintnat)len != len || __builtin_mul_overflow(n, (uintnat)len, &n))
            caml_deserialize_error("input_value: size overflow for bigarray");
    }
    kind = (int)KIND(b);
    if (kind > CAML_BA_CHAR) caml_deserialize_error("input_value: bad bigarray kind");
    if (__builtin_mul_overflow(n, (uintnat)caml_ba_element_size[kind], &size))
        caml_deserialize_error("input_value: size overflow for bigarray");
    b->data = malloc(size);
    if (b->data == NULL && size != 0)
        caml_deserialize_error("input_value: out of memory for bigarray");
    switch (kind) {
    case CAML_BA_CHAR: case CAML_BA_SINT8: case CAML_BA_UINT8:
        caml_deserialize_block_1(b->data, (intnat)n); break;
    case CAML_BA_SINT16: case CAML_BA_UINT16: caml_deserialize_block_2(b->data, (intnat)n); break;
    case CAML_BA_FLOAT32: case CAML_BA_INT32: caml_deserialize_block_4(b->data, (intnat)n); break;
    case CAML_BA_COMPLEX32: caml_deserialize_block_4(b->data, (intnat)n * 2); break;
    case CAML_BA_FLOAT64: case CAML_BA_INT64: caml_deserialize_block_8(b->data, (intnat)n); break;
    case CAML_BA_COMPLEX64: caml_deserialize_block_8(b->data, (intnat)n * 2); break;
    default: {                      /* caml_int, native_int */
        intnat *p = b->data;
        int wide = caml_deserialize_uint_1();
        if (wide && sizeof(intnat) == 4)
            caml_deserialize_error("input_value: cannot read bigarray with 64-bit OCaml ints");
        if (wide) caml_deserialize_block_8(p, (intnat)n);
        else if (sizeof(intnat) == 4) caml_deserialize_block_4(p, (intnat)n);
        else for (uintnat i = 0; i < n; i++) p[i] = caml_deserialize_sint_4();
    }
    }
    return SIZEOF_BA_ARRAY + (uintnat)b->num_dims * sizeof(intnat);
}

const struct custom_operations caml_ba_ops = {
    "_bigarr02", caml_ba_finalize, caml_ba_compare, caml_ba_hash, ba_serialize,
    ba_deserialize, custom_compare_ext_default, custom_fixed_length_default
};

/* ---- allocation ---- */

value caml_ba_alloc(int flags, int num_dims, void *data, intnat *dim)
{
    intnat d[CAML_BA_MAX_NUM_DIMS];
    uintnat size = 0, n = 1;
    struct caml_ba_array *b;
    value res;
    for (int i = 0; i < num_dims; i++) d[i] = dim[i];   /* dim may be in the OCaml heap */
    if (data == NULL) {
        for (int i = 0; i < num_dims; i++)
            if (__builtin_mul_overflow(n, (uintnat)d[i], &n)) caml_raise_out_of_memory();
        if (__builtin_mul_overflow(n, (uintnat)caml_ba_element_size[flags & CAML_BA_KIND_MASK],
                                   &size))
            caml_raise_out_of_memory();
        data = malloc(size);
        if (data == NULL && size != 0) caml_raise_out_of_memory();
        flags |= CAML_BA_MANAGED;
    }
    res = caml_alloc_custom_mem(&caml_ba_ops, SIZEOF_BA_ARRAY + (uintnat)num_dims * sizeof(intnat),
                                size);
    b = Caml_ba_array_val(res);
    b->data = data;
    b->num_dims = num_dims;
    b->flags = flags;
    b->proxy = NULL;
    for (int i = 0; i < num_dims; i++) b->dim[i] = d[i];
    return res;
}

value caml_ba_alloc_dims(int flags, int num_dims, void *data, ...)
{
    intnat dim[CAML_BA_MAX_NUM_DIMS];
    va_list ap;
    va_start(ap, data);
    for (int i = 0; i < num_dims; i++) dim[i] = va_arg(ap, intnat);
    va_end(ap);
    return caml_ba_alloc(flags, num_dims, data, dim);
}

CAMLprim value caml_ba_create(value vkind, value vlayout, value vdim)
{
    intnat dim[CAML_BA_MAX_NUM_DIMS];
    mlsize_t num_dims = Wosize_val(vdim);
    if (num_dims > CAML_BA_MAX_NUM_DIMS)
        caml_invalid_argument("Bigarray.create: bad number of dimensions");
    for (mlsize_t i = 0; i < num_dims; i++) {
        dim[i] = Long_val(Field(vdim, i));
        if (dim[i] < 0) caml_invalid_argument("Bigarray.create: negative dimension");
    }
    return caml_ba_alloc(Caml_ba_kind_val(vkind) | Caml_ba_layout_val(vlayout), (int)num_dims,
                         NULL, dim);
}

/* ---- element access ---- */

/* offset of the element at index[], checking bounds */
static intnat ba_offset(struct caml_ba_array *b, const intnat *index)
{
    intnat ofs = 0;
    if (IS_C_LAYOUT(b)) {
        for (int i = 0; i < b->num_dims; i++) {
            if ((uintnat)index[i] >= (uintnat)b->dim[i]) caml_array_bound_error();
            ofs = ofs * b->dim[i] + index[i];
        }
    } else {
        for (int i = (int)b->num_dims - 1; i >= 0; i--) {
            if ((uintnat)(index[i] - 1) >= (uintnat)b->dim[i]) caml_array_bound_error();
            ofs = ofs * b->dim[i] + (index[i] - 1);
        }
    }
    return ofs;
}

static value copy_two_doubles(double d0, double d1)
{
    value res = caml_alloc_small(2 * Double_wosize, Double_array_tag);
    Store_double_flat_field(res, 0, d0);
    Store_double_flat_field(res, 1, d1);
    return res;
}

static value ba_get(value vb, const value *vind, mlsize_t nind)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat index[CAML_BA_MAX_NUM_DIMS], ofs;
    if ((intnat)nind != b->num_dims) caml_invalid_argument("Bigarray.get: wrong number of indices");
    for (mlsize_t i = 0; i < nind; i++) index[i] = Long_val(vind[i]);
    ofs = ba_offset(b, index);
    switch (KIND(b)) {
    case CAML_BA_FLOAT32: return caml_copy_double((double)((float *)b->data)[ofs]);
    case CAML_BA_FLOAT64: return caml_copy_double(((double *)b->data)[ofs]);
    case CAML_BA_SINT8: return Val_int(((caml_ba_int8 *)b->data)[ofs]);
    case CAML_BA_SINT16: return Val_int(((caml_ba_int16 *)b->data)[ofs]);
    case CAML_BA_UINT16: return Val_int(((caml_ba_uint16 *)b->data)[ofs]);
    case CAML_BA_INT32: return caml_copy_int32(((int32_t *)b->data)[ofs]);
    case CAML_BA_INT64: return caml_copy_int64(((int64_t *)b->data)[ofs]);
    case CAML_BA_NATIVE_INT: return caml_copy_nativeint(((intnat *)b->data)[ofs]);
    case CAML_BA_CAML_INT: return Val_long(((intnat *)b->data)[ofs]);
    case CAML_BA_COMPLEX32: {
        const float *p = (float *)b->data + ofs * 2;
        return copy_two_doubles((double)p[0], (double)p[1]);
    }
    case CAML_BA_COMPLEX64: {
        const double *p = (double *)b->data + ofs * 2;
        return copy_two_doubles(p[0], p[1]);
    }
    default: return Val_int(((caml_ba_uint8 *)b->data)[ofs]);   /* uint8, char */
    }
}

static value ba_set(value vb, const value *vind, mlsize_t nind, value v)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat index[CAML_BA_MAX_NUM_DIMS], ofs;
    if ((intnat)nind != b->num_dims) caml_invalid_argument("Bigarray.set: wrong number of indices");
    for (mlsize_t i = 0; i < nind; i++) index[i] = Long_val(vind[i]);
    ofs = ba_offset(b, index);
    switch (KIND(b)) {
    case CAML_BA_FLOAT32: ((float *)b->data)[ofs] = (float)Double_val(v); break;
    case CAML_BA_FLOAT64: ((double *)b->data)[ofs] = Double_val(v); break;
    case CAML_BA_SINT16: case CAML_BA_UINT16:
        ((caml_ba_int16 *)b->data)[ofs] = (caml_ba_int16)Int_val(v); break;
    case CAML_BA_INT32: ((int32_t *)b->data)[ofs] = Int32_val(v); break;
    case CAML_BA_INT64: ((int64_t *)b->data)[ofs] = Int64_val(v); break;
    case CAML_BA_NATIVE_INT: ((intnat *)b->data)[ofs] = Nativeint_val(v); break;
    case CAML_BA_CAML_INT: ((intnat *)b->data)[ofs] = Long_val(v); break;
    case CAML_BA_COMPLEX32: {
        float *p = (float *)b->data + ofs * 2;
        p[0] = (float)Double_flat_field(v, 0);
        p[1] = (float)Double_flat_field(v, 1);
        break;
    }
    case CAML_BA_COMPLEX64: {
        double *p = (double *)b->data + ofs * 2;
        p[0] = Double_flat_field(v, 0);
        p[1] = Double_flat_field(v, 1);
        break;
    }
    default: ((caml_ba_int8 *)b->data)[ofs] = (caml_ba_int8)Int_val(v); break;  /* 8 bits */
    }
    return Val_unit;
}

CAMLprim value caml_ba_get_1(value vb, value i1) { return ba_get(vb, &i1, 1); }

CAMLprim value caml_ba_get_2(value vb, value i1, value i2)
{
    value ind[2] = { i1, i2 };
    return ba_get(vb, ind, 2);
}

CAMLprim value caml_ba_get_3(value vb, value i1, value i2, value i3)
{
    value ind[3] = { i1, i2, i3 };
    return ba_get(vb, ind, 3);
}

CAMLprim value caml_ba_get_generic(value vb, value vind)
{
    return ba_get(vb, &Field(vind, 0), Wosize_val(vind));
}

CAMLprim value caml_ba_set_1(value vb, value i1, value v) { return ba_set(vb, &i1, 1, v); }

CAMLprim value caml_ba_set_2(value vb, value i1, value i2, value v)
{
    value ind[2] = { i1, i2 };
    return ba_set(vb, ind, 2, v);
}

CAMLprim value caml_ba_set_3(value vb, value i1, value i2, value i3, value v)
{
    value ind[3] = { i1, i2, i3 };
    return ba_set(vb, ind, 3, v);
}

CAMLprim value caml_ba_set_generic(value vb, value vind, value v)
{
    return ba_set(vb, &Field(vind, 0), Wosize_val(vind), v);
}

/* C API names of ocamlrun for more than 3 indices */
value caml_ba_get_N(value vb, value *vind, int nind) { return ba_get(vb, vind, (mlsize_t)nind); }
value caml_ba_set_N(value vb, value *vind, int nargs)
{
    return ba_set(vb, vind, (mlsize_t)nargs - 1, vind[nargs - 1]);
}

/* ---- little-endian multi-byte access to bytes (bigstrings) ---- */

static unsigned char *bytes_at(value vb, value vind, intnat width)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat idx = Long_val(vind);
    if (idx < 0 || idx >= b->dim[0] - (width - 1)) caml_array_bound_error();
    return (unsigned char *)b->data + idx;
}

static uint64_t load_le(const unsigned char *p, int n)
{
    uint64_t r = 0;
    while (n-- > 0) r = r << 8 | p[n];
    return r;
}

static void store_le(unsigned char *p, int n, uint64_t v)
{
    for (int i = 0; i < n; i++, v >>= 8) p[i] = (unsigned char)v;
}

CAMLprim value caml_ba_uint8_get16(value vb, value vind)
{
    return Val_int(load_le(bytes_at(vb, vind, 2), 2));
}

CAMLprim value caml_ba_uint8_get32(value vb, value vind)
{
    return caml_copy_int32((int32_t)load_le(bytes_at(vb, vind, 4), 4));
}

CAMLprim value caml_ba_uint8_get64(value vb, value vind)
{
    return caml_copy_int64((int64_t)load_le(bytes_at(vb, vind, 8), 8));
}

CAMLprim value caml_ba_uint8_set16(value vb, value vind, value v)
{
    store_le(bytes_at(vb, vind, 2), 2, (uint64_t)Long_val(v));
    return Val_unit;
}

CAMLprim value caml_ba_uint8_set32(value vb, value vind, value v)
{
    store_le(bytes_at(vb, vind, 4), 4, (uint32_t)Int32_val(v));
    return Val_unit;
}

CAMLprim value caml_ba_uint8_set64(value vb, value vind, value v)
{
    store_le(bytes_at(vb, vind, 8), 8, (uint64_t)Int64_val(v));
    return Val_unit;
}

/* ---- dimensions, kind, layout ---- */

CAMLprim value caml_ba_num_dims(value vb) { return Val_long(Caml_ba_array_val(vb)->num_dims); }

CAMLprim value caml_ba_dim(value vb, value vn)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat n = Long_val(vn);
    if (n < 0 || n >= b->num_dims) caml_invalid_argument("Bigarray.dim");
    return Val_long(b->dim[n]);
}

CAMLprim value caml_ba_dim_1(value vb) { return caml_ba_dim(vb, Val_int(0)); }
CAMLprim value caml_ba_dim_2(value vb) { return caml_ba_dim(vb, Val_int(1)); }
CAMLprim value caml_ba_dim_3(value vb) { return caml_ba_dim(vb, Val_int(2)); }

CAMLprim value caml_ba_kind(value vb) { return Val_caml_ba_kind(KIND(Caml_ba_array_val(vb))); }

CAMLprim value caml_ba_layout(value vb)
{
    return Val_caml_ba_layout(Caml_ba_array_val(vb)->flags & CAML_BA_LAYOUT_MASK);
}

/* ---- views sharing the data of b1 ---- */

static void share_data(struct caml_ba_array *b1, struct caml_ba_array *b2)
{
    if ((b1->flags & CAML_BA_MANAGED_MASK) == CAML_BA_EXTERNAL) return;
    if (b1->proxy == NULL) {
        struct caml_ba_proxy *proxy = malloc(sizeof(struct caml_ba_proxy));
        if (proxy == NULL) caml_raise_out_of_memory();
        proxy->refcount = 1;    /* b1; b2 is counted below */
        proxy->data = b1->data;
        proxy->size = 0;
        b1->proxy = proxy;
    }
    b2->proxy = b1->proxy;
    b2->proxy->refcount++;
}

/* a view of vb: same flags (and finalizer), data + ofs elements, the given dimensions */
static value make_view(value vb, intnat ofs, int num_dims, intnat *dim, intnat flags)
{
    CAMLparam1(vb);
    CAMLlocal1(res);
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    char *data = (char *)b->data + ofs * caml_ba_element_size[KIND(b)];
    res = caml_ba_alloc((int)flags, num_dims, data, dim);
    Custom_ops_val(res) = Custom_ops_val(vb);
    share_data(Caml_ba_array_val(vb), Caml_ba_array_val(res));
    CAMLreturn(res);
}

CAMLprim value caml_ba_slice(value vb, value vind)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat index[CAML_BA_MAX_NUM_DIMS], sub[CAML_BA_MAX_NUM_DIMS], ofs;
    int nind = (int)Wosize_val(vind), nd = (int)b->num_dims, i;
    if (nind > nd) caml_invalid_argument("Bigarray.slice: too many indices");
    if (IS_C_LAYOUT(b)) {           /* fix the leftmost indices */
        for (i = 0; i < nd; i++) index[i] = i < nind ? Long_val(Field(vind, i)) : 0;
        for (i = nind; i < nd; i++) sub[i - nind] = b->dim[i];
    } else {                        /* fix the rightmost indices */
        for (i = 0; i < nd; i++)
            index[i] = i < nd - nind ? 1 : Long_val(Field(vind, i - (nd - nind)));
        for (i = 0; i < nd - nind; i++) sub[i] = b->dim[i];
    }
    ofs = ba_offset(b, index);
    return make_view(vb, ofs, nd - nind, sub, b->flags);
}

CAMLprim value caml_ba_change_layout(value vb, value vlayout)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat dim[CAML_BA_MAX_NUM_DIMS];
    int nd = (int)b->num_dims;
    if (Caml_ba_layout_val(vlayout) == (b->flags & CAML_BA_LAYOUT_MASK)) return vb;
    for (int i = 0; i < nd; i++) dim[i] = b->dim[nd - 1 - i];
    return make_view(vb, 0, nd, dim, (b->flags & (CAML_BA_KIND_MASK | CAML_BA_MANAGED_MASK))
                                     | Caml_ba_layout_val(vlayout));
}

CAMLprim value caml_ba_sub(value vb, value vofs, value vlen)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    intnat ofs = Long_val(vofs), len = Long_val(vlen), mul = 1, dim[CAML_BA_MAX_NUM_DIMS];
    int nd = (int)b->num_dims, changed;
    if (IS_C_LAYOUT(b)) {           /* reduce the first dimension */
        for (int i = 1; i < nd; i++) mul *= b->dim[i];
        changed = 0;
    } else {                        /* reduce the last one */
        for (int i = 0; i < nd - 1; i++) mul *= b->dim[i];
        changed = nd - 1;
        ofs--;
    }
    if (ofs < 0 || len < 0 || ofs + len > b->dim[changed])
        caml_invalid_argument("Bigarray.sub: bad sub-array");
    for (int i = 0; i < nd; i++) dim[i] = b->dim[i];
    dim[changed] = len;
    return make_view(vb, ofs * mul, nd, dim, b->flags);
}

CAMLprim value caml_ba_reshape(value vb, value vdim)
{
    intnat dim[CAML_BA_MAX_NUM_DIMS];
    mlsize_t nd = Wosize_val(vdim);
    uintnat n = 1;
    if (nd > CAML_BA_MAX_NUM_DIMS)
        caml_invalid_argument("Bigarray.reshape: bad number of dimensions");
    for (mlsize_t i = 0; i < nd; i++) {
        dim[i] = Long_val(Field(vdim, i));
        if (dim[i] < 0) caml_invalid_argument("Bigarray.reshape: negative dimension");
        n *= (uintnat)dim[i];
    }
    if (n != caml_ba_num_elts(Caml_ba_array_val(vb)))
        caml_invalid_argument("Bigarray.reshape: size mismatch");
    return make_view(vb, 0, (int)nd, dim, Caml_ba_array_val(vb)->flags);
}

/* ---- bulk operations ---- */

CAMLprim value caml_ba_blit(value vsrc, value vdst)
{
    struct caml_ba_array *src = Caml_ba_array_val(vsrc), *dst = Caml_ba_array_val(vdst);
    if (src->num_dims != dst->num_dims) goto mismatch;
    for (int i = 0; i < src->num_dims; i++) if (src->dim[i] != dst->dim[i]) goto mismatch;
    memmove(dst->data, src->data, caml_ba_byte_size(src));
    return Val_unit;
mismatch:
    caml_invalid_argument("Bigarray.blit: dimension mismatch");
}

#define FILL(type, init) do { \
        type *p = b->data, x = (init); \
        for (uintnat i = 0; i < n; i++) p[i] = x; \
    } while (0)

CAMLprim value caml_ba_fill(value vb, value v)
{
    struct caml_ba_array *b = Caml_ba_array_val(vb);
    uintnat n = caml_ba_num_elts(b);
    switch (KIND(b)) {
    case CAML_BA_FLOAT32: FILL(float, (float)Double_val(v)); break;
    case CAML_BA_FLOAT64: FILL(double, Double_val(v)); break;
    case CAML_BA_SINT16: case CAML_BA_UINT16: FILL(caml_ba_int16, (caml_ba_int16)Int_val(v)); break;
    case CAML_BA_INT32: FILL(int32_t, Int32_val(v)); break;
    case CAML_BA_INT64: FILL(int64_t, Int64_val(v)); break;
    case CAML_BA_NATIVE_INT: FILL(intnat, Nativeint_val(v)); break;
    case CAML_BA_CAML_INT: FILL(intnat, Long_val(v)); break;
    case CAML_BA_COMPLEX32: {
        float *p = b->data, re = (float)Double_flat_field(v, 0);
        float im = (float)Double_flat_field(v, 1);
        for (uintnat i = 0; i < n; i++) { p[2 * i] = re; p[2 * i + 1] = im; }
        break;
    }
    case CAML_BA_COMPLEX64: {
        double *p = b->data, re = Double_flat_field(v, 0), im = Double_flat_field(v, 1);
        for (uintnat i = 0; i < n; i++) { p[2 * i] = re; p[2 * i + 1] = im; }
        break;
    }
    default: memset(b->data, Int_val(v), n); break;     /* 8 bits */
    }
    return Val_unit;
}
