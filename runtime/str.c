/* str.c — primitives on strings and bytes (OCaml 4.13 runtime/str.c semantics).
   Strings are String_tag blocks padded to a word; the last byte holds the padding count,
   so the length is derived from the block size. Multi-byte accessors are little-endian
   (the target's byte order), as in OCaml on a little-endian machine. */
#include <string.h>
#include "runtime.h"

/* caml_string_length and caml_string_is_c_safe (C API) are in alloc.c. */

CAMLprim value caml_ml_string_length(value s)
{
    return Val_long(caml_string_length(s));
}

CAMLprim value caml_ml_bytes_length(value s)
{
    return Val_long(caml_string_length(s));
}

/* Largest length whose block (with the padding byte) still fits in Max_wosize words. */
#define MAX_STRING_LENGTH (Bsize_wsize(Max_wosize) - 1)

CAMLprim value caml_create_string(value len)
{
    if ((uintnat)Long_val(len) > MAX_STRING_LENGTH) caml_invalid_argument("String.create");
    return caml_alloc_string(Long_val(len));
}

CAMLprim value caml_create_bytes(value len)
{
    if ((uintnat)Long_val(len) > MAX_STRING_LENGTH) caml_invalid_argument("Bytes.create");
    return caml_alloc_string(Long_val(len));
}

/* Bounds check for an access of [width] bytes at [idx]. */
static unsigned char *byte_ptr(value s, value index, intnat width)
{
    intnat idx = Long_val(index);
    if (idx < 0 || idx + width > (intnat)caml_string_length(s)) caml_array_bound_error();
    return Bytes_val(s) + idx;
}

CAMLprim value caml_string_get(value s, value index)
{
    return Val_int(*byte_ptr(s, index, 1));
}

CAMLprim value caml_bytes_get(value s, value index)
{
    return Val_int(*byte_ptr(s, index, 1));
}

CAMLprim value caml_bytes_set(value s, value index, value c)
{
    *byte_ptr(s, index, 1) = (unsigned char)Int_val(c);
    return Val_unit;
}

CAMLprim value caml_string_set(value s, value index, value c)
{
    return caml_bytes_set(s, index, c);
}

static uint64_t load_le(const unsigned char *p, int n)
{
    uint64_t r = 0;
    for (int i = n - 1; i >= 0; i--) r = (r << 8) | p[i];
    return r;
}

static void store_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8) p[i] = (unsigned char)v;
}

CAMLprim value caml_string_get16(value s, value index)
{
    return Val_int((int)load_le(byte_ptr(s, index, 2), 2));
}

CAMLprim value caml_bytes_get16(value s, value index)
{
    return caml_string_get16(s, index);
}

CAMLprim value caml_string_get32(value s, value index)
{
    return caml_copy_int32((int32_t)load_le(byte_ptr(s, index, 4), 4));
}

CAMLprim value caml_bytes_get32(value s, value index)
{
    return caml_string_get32(s, index);
}

CAMLprim value caml_string_get64(value s, value index)
{
    return caml_copy_int64((int64_t)load_le(byte_ptr(s, index, 8), 8));
}

CAMLprim value caml_bytes_get64(value s, value index)
{
    return caml_string_get64(s, index);
}

CAMLprim value caml_bytes_set16(value s, value index, value v)
{
    store_le(byte_ptr(s, index, 2), (uint64_t)Long_val(v), 2);
    return Val_unit;
}

CAMLprim value caml_bytes_set32(value s, value index, value v)
{
    store_le(byte_ptr(s, index, 4), (uint32_t)Int32_val(v), 4);
    return Val_unit;
}

CAMLprim value caml_bytes_set64(value s, value index, value v)
{
    store_le(byte_ptr(s, index, 8), (uint64_t)Int64_val(v), 8);
    return Val_unit;
}

/* Equal strings have equal block sizes and equal words (padding included). */
CAMLprim value caml_string_equal(value s1, value s2)
{
    if (s1 == s2) return Val_true;
    mlsize_t n = Wosize_val(s1);
    if (n != Wosize_val(s2)) return Val_false;
    return Val_bool(memcmp((void *)s1, (void *)s2, Bsize_wsize(n)) == 0);
}

CAMLprim value caml_bytes_equal(value s1, value s2)
{
    return caml_string_equal(s1, s2);
}

CAMLprim value caml_string_notequal(value s1, value s2)
{
    return Val_bool(caml_string_equal(s1, s2) == Val_false);
}

CAMLprim value caml_bytes_notequal(value s1, value s2)
{
    return caml_string_notequal(s1, s2);
}

static int compare_strings(value s1, value s2)
{
    if (s1 == s2) return 0;
    mlsize_t l1 = caml_string_length(s1), l2 = caml_string_length(s2);
    int r = memcmp(String_val(s1), String_val(s2), l1 < l2 ? l1 : l2);
    if (r != 0) return r < 0 ? -1 : 1;
    return l1 < l2 ? -1 : l1 > l2 ? 1 : 0;
}

CAMLprim value caml_string_compare(value s1, value s2)
{
    return Val_int(compare_strings(s1, s2));
}

CAMLprim value caml_bytes_compare(value s1, value s2)
{
    return Val_int(compare_strings(s1, s2));
}

CAMLprim value caml_string_lessthan(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) < 0);
}

CAMLprim value caml_bytes_lessthan(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) < 0);
}

CAMLprim value caml_string_lessequal(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) <= 0);
}

CAMLprim value caml_bytes_lessequal(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) <= 0);
}

CAMLprim value caml_string_greaterthan(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) > 0);
}

CAMLprim value caml_bytes_greaterthan(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) > 0);
}

CAMLprim value caml_string_greaterequal(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) >= 0);
}

CAMLprim value caml_bytes_greaterequal(value s1, value s2)
{
    return Val_bool(compare_strings(s1, s2) >= 0);
}

/* Blit and fill: the bounds were checked by the Stdlib before calling. */
CAMLprim value caml_blit_bytes(value s1, value ofs1, value s2, value ofs2, value n)
{
    memmove(Bytes_val(s2) + Long_val(ofs2), Bytes_val(s1) + Long_val(ofs1), Long_val(n));
    return Val_unit;
}

CAMLprim value caml_blit_string(value s1, value ofs1, value s2, value ofs2, value n)
{
    return caml_blit_bytes(s1, ofs1, s2, ofs2, n);
}

CAMLprim value caml_fill_bytes(value s, value ofs, value len, value c)
{
    memset(Bytes_val(s) + Long_val(ofs), Int_val(c), Long_val(len));
    return Val_unit;
}

CAMLprim value caml_fill_string(value s, value ofs, value len, value c)
{
    return caml_fill_bytes(s, ofs, len, c);
}

/* Unsafe conversions share the representation. */
CAMLprim value caml_string_of_bytes(value b)
{
    return b;
}

CAMLprim value caml_bytes_of_string(value s)
{
    return s;
}
