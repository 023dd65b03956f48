/* array.c — array primitives (OCaml 4.13 runtime/array.c semantics, flat float arrays).
   An array whose elements are floats is a Double_array_tag block holding the doubles
   unboxed (2 words each); every other array is a tag-0 block of values. Writes into blocks
   that may be in the major heap go through caml_modify/caml_initialize (write barrier). */
#include <string.h>
#include "runtime.h"

/* C API (as in OCaml's mlvalues.h): number of elements, floats or fields. */
mlsize_t caml_array_length(value a)
{
    if (Tag_val(a) == Double_array_tag) return Wosize_val(a) / Double_wosize;
    return Wosize_val(a);
}

int caml_is_double_array(value a)
{
    return Tag_val(a) == Double_array_tag;
}

static int is_boxed_float(value v)
{
    return Is_block(v) && Tag_val(v) == Double_tag;
}

/* Allocates a block anywhere (minor heap when small); fields are not initialised, so the
   caller must fill them before the next allocation. Empty arrays are Atom(0), float or not,
   as in OCaml. */
static value alloc_uninit(mlsize_t wosize, tag_t tag)
{
    if (wosize == 0) return Atom(0);
    if (wosize <= Max_young_wosize) return caml_alloc_small(wosize, tag);
    return caml_alloc_shr(wosize, tag);
}

/* ---- element access ---- */

CAMLprim value caml_array_get_addr(value a, value index)
{
    intnat i = Long_val(index);
    if (i < 0 || (uintnat)i >= Wosize_val(a)) caml_array_bound_error();
    return Field(a, i);
}

CAMLprim value caml_floatarray_get(value a, value index)
{
    intnat i = Long_val(index);
    if (i < 0 || (uintnat)i >= Wosize_val(a) / Double_wosize) caml_array_bound_error();
    return caml_copy_double(Double_flat_field(a, i));
}

CAMLprim value caml_array_get(value a, value index)
{
    if (Tag_val(a) == Double_array_tag) return caml_floatarray_get(a, index);
    return caml_array_get_addr(a, index);
}

CAMLprim value caml_array_set_addr(value a, value index, value v)
{
    intnat i = Long_val(index);
    if (i < 0 || (uintnat)i >= Wosize_val(a)) caml_array_bound_error();
    caml_modify(&Field(a, i), v);
    return Val_unit;
}

CAMLprim value caml_floatarray_set(value a, value index, value v)
{
    intnat i = Long_val(index);
    if (i < 0 || (uintnat)i >= Wosize_val(a) / Double_wosize) caml_array_bound_error();
    Store_double_flat_field(a, i, Double_val(v));
    return Val_unit;
}

CAMLprim value caml_array_set(value a, value index, value v)
{
    if (Tag_val(a) == Double_array_tag) return caml_floatarray_set(a, index, v);
    return caml_array_set_addr(a, index, v);
}

CAMLprim value caml_floatarray_unsafe_get(value a, value index)
{
    return caml_copy_double(Double_flat_field(a, Long_val(index)));
}

CAMLprim value caml_array_unsafe_get(value a, value index)
{
    if (Tag_val(a) == Double_array_tag) return caml_floatarray_unsafe_get(a, index);
    return Field(a, Long_val(index));
}

CAMLprim value caml_floatarray_unsafe_set(value a, value index, value v)
{
    Store_double_flat_field(a, Long_val(index), Double_val(v));
    return Val_unit;
}

CAMLprim value caml_array_unsafe_set(value a, value index, value v)
{
    if (Tag_val(a) == Double_array_tag) return caml_floatarray_unsafe_set(a, index, v);
    caml_modify(&Field(a, Long_val(index)), v);
    return Val_unit;
}

/* ---- creation ---- */

CAMLprim value caml_floatarray_create(value len)
{
    uintnat n = (uintnat)Long_val(len);
    if (n > Max_wosize / Double_wosize) caml_invalid_argument("Float.Array.create");
    return alloc_uninit(n * Double_wosize, Double_array_tag);
}

CAMLprim value caml_make_float_vect(value len)
{
    return caml_floatarray_create(len);
}

CAMLprim value caml_make_vect(value len, value init)
{
    CAMLparam1(init);
    value res;
    uintnat n = (uintnat)Long_val(len);
    if (n == 0) CAMLreturn(Atom(0));
    if (is_boxed_float(init)) {
        if (n > Max_wosize / Double_wosize) caml_invalid_argument("Array.make");
        double d = Double_val(init);
        res = alloc_uninit(n * Double_wosize, Double_array_tag);
        for (uintnat i = 0; i < n; i++) Store_double_flat_field(res, i, d);
    } else if (n <= Max_young_wosize) {
        res = caml_alloc_small(n, 0);
        for (uintnat i = 0; i < n; i++) Field(res, i) = init;
    } else {
        if (n > Max_wosize) caml_invalid_argument("Array.make");
        res = caml_alloc_shr(n, 0);
        for (uintnat i = 0; i < n; i++) caml_initialize(&Field(res, i), init);
    }
    CAMLreturn(res);
}

/* Array literals: the compiler builds a block of boxed values; if its elements are floats
   the array must be flat. */
CAMLprim value caml_make_array(value init)
{
    CAMLparam1(init);
    mlsize_t n = Wosize_val(init);
    if (n == 0 || !is_boxed_float(Field(init, 0))) CAMLreturn(init);
    value res = alloc_uninit(n * Double_wosize, Double_array_tag);
    for (mlsize_t i = 0; i < n; i++)
        Store_double_flat_field(res, i, Double_val(Field(init, i)));
    CAMLreturn(res);
}

/* ---- blit, fill ---- */

CAMLprim value caml_floatarray_blit(value a1, value ofs1, value a2, value ofs2, value n)
{
    memmove((double *)a2 + Long_val(ofs2), (double *)a1 + Long_val(ofs1),
            Long_val(n) * sizeof(double));
    return Val_unit;
}

CAMLprim value caml_array_blit(value a1, value ofs1, value a2, value ofs2, value n)
{
    if (Tag_val(a2) == Double_array_tag) return caml_floatarray_blit(a1, ofs1, a2, ofs2, n);
    intnat count = Long_val(n);
    value *src = &Field(a1, Long_val(ofs1)), *dst = &Field(a2, Long_val(ofs2));
    if (caml_is_young(a2)) {
        /* a young block cannot hold old-to-young pointers: plain copy */
        memmove(dst, src, count * sizeof(value));
    } else if (dst > src) {
        /* overlapping copy to the right: go downwards */
        while (count-- > 0) caml_modify(&dst[count], src[count]);
    } else {
        for (intnat i = 0; i < count; i++) caml_modify(&dst[i], src[i]);
    }
    return Val_unit;
}

CAMLprim value caml_array_fill(value a, value ofs, value len, value v)
{
    intnat i = Long_val(ofs), end = i + Long_val(len);
    if (Tag_val(a) == Double_array_tag) {
        double d = Double_val(v);
        for (; i < end; i++) Store_double_flat_field(a, i, d);
    } else if (caml_is_young(a)) {
        for (; i < end; i++) Field(a, i) = v;
    } else {
        for (; i < end; i++) caml_modify(&Field(a, i), v);
    }
    return Val_unit;
}

/* ---- sub, append, concat: all copy slices of arrays into a fresh one ---- */

struct slice { intnat ofs, len; };

/* Copies the slices into a fresh array; returns 0 (not a value) if the result would be
   too big, so that callers holding C-heap buffers can free them before raising.
   arrays[] must be registered as a local root by the caller. */
static value gather(intnat count, value *arrays, const struct slice *sl)
{
    uintnat size = 0;
    int isfloat = 0;
    for (intnat i = 0; i < count; i++) {
        if ((uintnat)sl[i].len > Max_wosize - size) return 0;
        size += sl[i].len;
        if (Tag_val(arrays[i]) == Double_array_tag) isfloat = 1;
    }
    if (size == 0) return Atom(0);
    if (isfloat && size > Max_wosize / Double_wosize) return 0;
    value res;
    uintnat pos = 0;
    if (isfloat) {
        res = alloc_uninit(size * Double_wosize, Double_array_tag);
        for (intnat i = 0; i < count; i++) {
            memcpy((double *)res + pos, (double *)arrays[i] + sl[i].ofs,
                   sl[i].len * sizeof(double));
            pos += sl[i].len;
        }
    } else if (size <= Max_young_wosize) {
        res = caml_alloc_small(size, 0);
        for (intnat i = 0; i < count; i++) {
            memcpy(&Field(res, pos), &Field(arrays[i], sl[i].ofs), sl[i].len * sizeof(value));
            pos += sl[i].len;
        }
    } else {
        res = caml_alloc_shr(size, 0);
        for (intnat i = 0; i < count; i++)
            for (intnat j = 0; j < sl[i].len; j++)
                caml_initialize(&Field(res, pos++), Field(arrays[i], sl[i].ofs + j));
    }
    return res;
}

static value gather_or_fail(intnat count, value *arrays, const struct slice *sl)
{
    value res = gather(count, arrays, sl);
    if (res == 0) caml_invalid_argument("Array.concat");
    return res;
}

CAMLprim value caml_array_sub(value a, value ofs, value len)
{
    CAMLparam0();
    CAMLlocalN(arrays, 1);
    arrays[0] = a;
    struct slice sl = { Long_val(ofs), Long_val(len) };
    CAMLreturn(gather_or_fail(1, arrays, &sl));
}

CAMLprim value caml_array_append(value a1, value a2)
{
    CAMLparam0();
    CAMLlocalN(arrays, 2);
    arrays[0] = a1;
    arrays[1] = a2;
    struct slice sl[2] = { { 0, caml_array_length(a1) }, { 0, caml_array_length(a2) } };
    CAMLreturn(gather_or_fail(2, arrays, sl));
}

CAMLprim value caml_array_concat(value list)
{
    CAMLparam1(list);
    intnat n = 0;
    for (value l = list; l != Val_emptylist; l = Field(l, 1)) n++;
    /* The arrays are kept in a C-heap buffer registered as a local root table. */
    value *arrays = caml_stat_alloc((n + 1) * sizeof(value));
    struct slice *sl = caml_stat_alloc((n + 1) * sizeof(struct slice));
    intnat i = 0;
    for (value l = list; l != Val_emptylist; l = Field(l, 1), i++) {
        arrays[i] = Field(l, 0);
        sl[i].ofs = 0;
        sl[i].len = caml_array_length(arrays[i]);
    }
    CAMLxparamN(arrays, n);
    value res = gather(n, arrays, sl);
    caml_stat_free(arrays);
    caml_stat_free(sl);
    if (res == 0) caml_invalid_argument("Array.concat");
    CAMLreturn(res);
}
