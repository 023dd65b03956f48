/* ints.c — int, Int32, Int64 and Nativeint primitives (OCaml 4.13 runtime/ints.c semantics
   for a 32-bit target: int is 31 bits, nativeint is 32 bits).
   Int32/Int64/Nativeint values are custom blocks ("_i", "_j", "_n"). Division of the most
   negative number by -1 does not trap: it gives the dividend back (mod gives 0), as OCaml.
   Parsing and formatting are in prims_util.c (host-tested); the format conventions are C
   printf's, with OCaml's length annotations (l, n, L) ignored. */
#include <string.h>
#include "runtime.h"
#include "include/caml/intext.h"
#include "prims_util.h"

/* ---------------- helpers ---------------- */

static int cmp_result(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Out-of-range float to integer conversions are undefined in C; give what x86 gives
   (the "integer indefinite" value, i.e. the most negative integer) so results match
   ocamlrun on the usual hosts. */
static int64_t float_to_int64(double d)
{
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
    return (int64_t)d;
}

static int32_t float_to_int32(double d)
{
    if (!(d > -2147483649.0 && d < 2147483648.0)) return INT32_MIN;
    return (int32_t)d;
}

static uint64_t parse_or_fail(value s, int width, int nbits, const char *errmsg)
{
    uint64_t r;
    if (!oe_parse_integer(String_val(s), caml_string_length(s), width, nbits, &r))
        caml_failwith(errmsg);
    return r;
}

static int unsigned_conv(char c)
{
    return c == 'u' || c == 'x' || c == 'X' || c == 'o';
}

/* [suffix_len]: length of the C length modifier OCaml would insert ("l" for int and
   nativeint, "" for int32, "ll" for int64), which decides when a format is "too long". */
static value format_integer(value fmt, size_t suffix_len, int64_t signed_v, uint64_t unsigned_v)
{
    mlsize_t len = caml_string_length(fmt), start = 0, lit = 0;
    const char *s = String_val(fmt);
    char text[32];          /* the literal text before the conversion ("0x" in "0x%X") */
    struct oe_int_format f;
    if (len + suffix_len + 1 >= 32) caml_invalid_argument("format_int: format too long");
    /* ocamlrun hands the whole format to printf: the conversion is the last '%...' */
    for (mlsize_t i = 0; i < len; i++) if (s[i] == '%') start = i;
    for (mlsize_t i = 0; i < start; i++) {
        text[lit++] = s[i];
        if (s[i] == '%' && i + 1 < start && s[i + 1] == '%') i++;
    }
    oe_parse_int_format(s + start, len - start, &f);
    int neg = 0;
    uint64_t mag = unsigned_v;
    if (!unsigned_conv(f.conv)) {
        neg = signed_v < 0;
        mag = neg ? 0 - (uint64_t)signed_v : (uint64_t)signed_v;
    }
    value res = caml_alloc_string(lit + oe_format_integer(NULL, &f, neg, mag));
    memcpy(Bytes_val(res), text, lit);
    oe_format_integer((char *)Bytes_val(res) + lit, &f, neg, mag);
    return res;
}

static uint32_t swap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xFF00) | ((x & 0xFF00) << 8) | (x << 24);
}

/* ---------------- int ---------------- */

CAMLprim value caml_bswap16(value v)
{
    uintnat x = (uintnat)Long_val(v);
    return Val_int(((x & 0xFF) << 8) | ((x >> 8) & 0xFF));
}

CAMLprim value caml_int_compare(value v1, value v2)
{
    return Val_int((v1 > v2) - (v1 < v2));
}

CAMLprim value caml_int_of_string(value s)
{
    return Val_long((intnat)(uint32_t)parse_or_fail(s, 32, 31, "int_of_string"));
}

CAMLprim value caml_format_int(value fmt, value arg)
{
    return format_integer(fmt, 1, Long_val(arg), Unsigned_long_val(arg));
}

/* ---------------- Int32 ---------------- */

static int int32_cmp(value v1, value v2)
{
    return cmp_result(Int32_val(v1), Int32_val(v2));
}

/* Hash contributions as OCaml's: hash.c mixes this value as a 32-bit integer. */
static intnat int32_hash(value v)
{
    return Int32_val(v);
}

static void int32_serialize(value v, uintnat *bsize_32, uintnat *bsize_64)
{
    caml_serialize_int_4(Int32_val(v));
    *bsize_32 = *bsize_64 = 4;
}

static uintnat int32_deserialize(void *dst)
{
    *(int32_t *)dst = caml_deserialize_sint_4();
    return 4;
}

static const struct custom_fixed_length int32_length = { 4, 4 };
const struct custom_operations caml_int32_ops = {
    "_i", custom_finalize_default, int32_cmp, int32_hash, int32_serialize,
    int32_deserialize, custom_compare_ext_default, &int32_length
};

value caml_copy_int32(int32_t i)
{
    value res = caml_alloc_custom(&caml_int32_ops, 4, 0, 1);
    Int32_val(res) = i;
    return res;
}

/* Arithmetic is done on uint32_t so that overflow wraps without undefined behaviour. */
#define I32(v) ((uint32_t)Int32_val(v))
#define RET32(x) return caml_copy_int32((int32_t)(x))

CAMLprim value caml_int32_neg(value v) { RET32(0 - I32(v)); }
CAMLprim value caml_int32_add(value v1, value v2) { RET32(I32(v1) + I32(v2)); }
CAMLprim value caml_int32_sub(value v1, value v2) { RET32(I32(v1) - I32(v2)); }
CAMLprim value caml_int32_mul(value v1, value v2) { RET32(I32(v1) * I32(v2)); }
CAMLprim value caml_int32_and(value v1, value v2) { RET32(I32(v1) & I32(v2)); }
CAMLprim value caml_int32_or(value v1, value v2) { RET32(I32(v1) | I32(v2)); }
CAMLprim value caml_int32_xor(value v1, value v2) { RET32(I32(v1) ^ I32(v2)); }

CAMLprim value caml_int32_div(value v1, value v2)
{
    int32_t a = Int32_val(v1), b = Int32_val(v2);
    if (b == 0) caml_raise_zero_divide();
    if (a == INT32_MIN && b == -1) return v1;
    RET32(a / b);
}

CAMLprim value caml_int32_mod(value v1, value v2)
{
    int32_t a = Int32_val(v1), b = Int32_val(v2);
    if (b == 0) caml_raise_zero_divide();
    if (a == INT32_MIN && b == -1) RET32(0);
    RET32(a % b);
}

/* Shift counts outside 0..31 are unspecified in OCaml; mask them like the hardware. */
CAMLprim value caml_int32_shift_left(value v1, value v2)
{ RET32(I32(v1) << (Int_val(v2) & 31)); }

CAMLprim value caml_int32_shift_right(value v1, value v2)
{ RET32(Int32_val(v1) >> (Int_val(v2) & 31)); }

CAMLprim value caml_int32_shift_right_unsigned(value v1, value v2)
{ RET32(I32(v1) >> (Int_val(v2) & 31)); }

CAMLprim value caml_int32_bswap(value v) { RET32(swap32(I32(v))); }
CAMLprim value caml_int32_of_int(value v) { RET32(Long_val(v)); }
CAMLprim value caml_int32_to_int(value v) { return Val_long(Int32_val(v)); }
CAMLprim value caml_int32_of_float(value v) { RET32(float_to_int32(Double_val(v))); }
CAMLprim value caml_int32_to_float(value v) { return caml_copy_double(Int32_val(v)); }

CAMLprim value caml_int32_compare(value v1, value v2)
{
    return Val_int(cmp_result(Int32_val(v1), Int32_val(v2)));
}

CAMLprim value caml_int32_format(value fmt, value arg)
{
    return format_integer(fmt, 0, Int32_val(arg), I32(arg));
}

CAMLprim value caml_int32_of_string(value s)
{
    RET32(parse_or_fail(s, 32, 32, "Int32.of_string"));
}

CAMLprim value caml_int32_bits_of_float(value v)
{
    union { float f; int32_t i; } u;
    u.f = (float)Double_val(v);
    RET32(u.i);
}

CAMLprim value caml_int32_float_of_bits(value v)
{
    union { float f; int32_t i; } u;
    u.i = Int32_val(v);
    return caml_copy_double(u.f);
}

/* ---------------- Int64 ---------------- */

/* The payload is only word-aligned; Xtensa has no 64-bit loads, so plain access works. */
int64_t caml_Int64_val(value v)
{
    return Int64_val(v);
}

static int int64_cmp(value v1, value v2)
{
    return cmp_result(Int64_val(v1), Int64_val(v2));
}

static intnat int64_hash(value v)
{
    uint64_t x = (uint64_t)Int64_val(v);
    return (intnat)((uint32_t)x ^ (uint32_t)(x >> 32));
}

static void int64_serialize(value v, uintnat *bsize_32, uintnat *bsize_64)
{
    caml_serialize_int_8(Int64_val(v));
    *bsize_32 = *bsize_64 = 8;
}

static uintnat int64_deserialize(void *dst)
{
    *(int64_t *)dst = caml_deserialize_sint_8();
    return 8;
}

static const struct custom_fixed_length int64_length = { 8, 8 };
const struct custom_operations caml_int64_ops = {
    "_j", custom_finalize_default, int64_cmp, int64_hash, int64_serialize,
    int64_deserialize, custom_compare_ext_default, &int64_length
};

value caml_copy_int64(int64_t i)
{
    value res = caml_alloc_custom(&caml_int64_ops, 8, 0, 1);
    Int64_val(res) = i;
    return res;
}

#define I64(v) ((uint64_t)Int64_val(v))
#define RET64(x) return caml_copy_int64((int64_t)(x))

CAMLprim value caml_int64_neg(value v) { RET64(0 - I64(v)); }
CAMLprim value caml_int64_add(value v1, value v2) { RET64(I64(v1) + I64(v2)); }
CAMLprim value caml_int64_sub(value v1, value v2) { RET64(I64(v1) - I64(v2)); }
CAMLprim value caml_int64_mul(value v1, value v2) { RET64(I64(v1) * I64(v2)); }
CAMLprim value caml_int64_and(value v1, value v2) { RET64(I64(v1) & I64(v2)); }
CAMLprim value caml_int64_or(value v1, value v2) { RET64(I64(v1) | I64(v2)); }
CAMLprim value caml_int64_xor(value v1, value v2) { RET64(I64(v1) ^ I64(v2)); }

CAMLprim value caml_int64_div(value v1, value v2)
{
    int64_t a = Int64_val(v1), b = Int64_val(v2);
    if (b == 0) caml_raise_zero_divide();
    if (a == INT64_MIN && b == -1) RET64(a);
    RET64(a / b);
}

CAMLprim value caml_int64_mod(value v1, value v2)
{
    int64_t a = Int64_val(v1), b = Int64_val(v2);
    if (b == 0) caml_raise_zero_divide();
    if (a == INT64_MIN && b == -1) RET64(0);
    RET64(a % b);
}

CAMLprim value caml_int64_shift_left(value v1, value v2)
{ RET64(I64(v1) << (Int_val(v2) & 63)); }

CAMLprim value caml_int64_shift_right(value v1, value v2)
{ RET64(Int64_val(v1) >> (Int_val(v2) & 63)); }

CAMLprim value caml_int64_shift_right_unsigned(value v1, value v2)
{ RET64(I64(v1) >> (Int_val(v2) & 63)); }

CAMLprim value caml_int64_bswap(value v)
{
    uint64_t x = I64(v);
    RET64((uint64_t)swap32((uint32_t)x) << 32 | swap32((uint32_t)(x >> 32)));
}

CAMLprim value caml_int64_of_int(value v) { RET64(Long_val(v)); }
CAMLprim value caml_int64_to_int(value v) { return Val_long((intnat)Int64_val(v)); }
CAMLprim value caml_int64_of_float(value v) { RET64(float_to_int64(Double_val(v))); }
CAMLprim value caml_int64_to_float(value v) { return caml_copy_double((double)Int64_val(v)); }
CAMLprim value caml_int64_of_int32(value v) { RET64(Int32_val(v)); }
CAMLprim value caml_int64_to_int32(value v) { RET32(I64(v)); }
CAMLprim value caml_int64_of_nativeint(value v) { RET64(Nativeint_val(v)); }
CAMLprim value caml_int64_to_nativeint(value v) { return caml_copy_nativeint((intnat)I64(v)); }

CAMLprim value caml_int64_compare(value v1, value v2)
{
    return Val_int(cmp_result(Int64_val(v1), Int64_val(v2)));
}

CAMLprim value caml_int64_format(value fmt, value arg)
{
    return format_integer(fmt, 2, Int64_val(arg), I64(arg));
}

CAMLprim value caml_int64_of_string(value s)
{
    RET64(parse_or_fail(s, 64, 64, "Int64.of_string"));
}

CAMLprim value caml_int64_bits_of_float(value v)
{
    union { double d; int64_t i; } u;
    u.d = Double_val(v);
    RET64(u.i);
}

CAMLprim value caml_int64_float_of_bits(value v)
{
    union { double d; int64_t i; } u;
    u.i = Int64_val(v);
    return caml_copy_double(u.d);
}

/* ---------------- Nativeint (32 bits) ---------------- */

static int nativeint_cmp(value v1, value v2)
{
    return cmp_result(Nativeint_val(v1), Nativeint_val(v2));
}

static intnat nativeint_hash(value v)
{
    return Nativeint_val(v);
}

/* Standard format: a size byte (1: 4-byte payload, 2: 8-byte payload) then the value. */
static void nativeint_serialize(value v, uintnat *bsize_32, uintnat *bsize_64)
{
    caml_serialize_int_1(1);
    caml_serialize_int_4(Nativeint_val(v));
    *bsize_32 = 4;
    *bsize_64 = 8;
}

static uintnat nativeint_deserialize(void *dst)
{
    switch (caml_deserialize_uint_1()) {
    case 1:
        *(intnat *)dst = caml_deserialize_sint_4();
        break;
    case 2:
        caml_deserialize_error("input_value: native integer value too large");
    default:
        caml_deserialize_error("input_value: ill-formed native integer");
    }
    return 4;
}

static const struct custom_fixed_length nativeint_length = { 4, 8 };
const struct custom_operations caml_nativeint_ops = {
    "_n", custom_finalize_default, nativeint_cmp, nativeint_hash, nativeint_serialize,
    nativeint_deserialize, custom_compare_ext_default, &nativeint_length
};

value caml_copy_nativeint(intnat i)
{
    value res = caml_alloc_custom(&caml_nativeint_ops, 4, 0, 1);
    Nativeint_val(res) = i;
    return res;
}

#define IN(v) ((uintnat)Nativeint_val(v))
#define RETN(x) return caml_copy_nativeint((intnat)(x))

CAMLprim value caml_nativeint_neg(value v) { RETN(0 - IN(v)); }
CAMLprim value caml_nativeint_add(value v1, value v2) { RETN(IN(v1) + IN(v2)); }
CAMLprim value caml_nativeint_sub(value v1, value v2) { RETN(IN(v1) - IN(v2)); }
CAMLprim value caml_nativeint_mul(value v1, value v2) { RETN(IN(v1) * IN(v2)); }
CAMLprim value caml_nativeint_and(value v1, value v2) { RETN(IN(v1) & IN(v2)); }
CAMLprim value caml_nativeint_or(value v1, value v2) { RETN(IN(v1) | IN(v2)); }
CAMLprim value caml_nativeint_xor(value v1, value v2) { RETN(IN(v1) ^ IN(v2)); }

CAMLprim value caml_nativeint_div(value v1, value v2)
{
    intnat a = Nativeint_val(v1), b = Nativeint_val(v2);
    if (b == 0) caml_raise_zero_divide();
    if (a == INTPTR_MIN && b == -1) return v1;
    RETN(a / b);
}

CAMLprim value caml_nativeint_mod(value v1, value v2)
{
    intnat a = Nativeint_val(v1), b = Nativeint_val(v2);
    if (b == 0) caml_raise_zero_divide();
    if (a == INTPTR_MIN && b == -1) RETN(0);
    RETN(a % b);
}

CAMLprim value caml_nativeint_shift_left(value v1, value v2)
{ RETN(IN(v1) << (Int_val(v2) & 31)); }

CAMLprim value caml_nativeint_shift_right(value v1, value v2)
{ RETN(Nativeint_val(v1) >> (Int_val(v2) & 31)); }

CAMLprim value caml_nativeint_shift_right_unsigned(value v1, value v2)
{ RETN(IN(v1) >> (Int_val(v2) & 31)); }

CAMLprim value caml_nativeint_bswap(value v) { RETN(swap32((uint32_t)IN(v))); }
CAMLprim value caml_nativeint_of_int(value v) { RETN(Long_val(v)); }
CAMLprim value caml_nativeint_to_int(value v) { return Val_long(Nativeint_val(v)); }
CAMLprim value caml_nativeint_of_float(value v) { RETN(float_to_int32(Double_val(v))); }
CAMLprim value caml_nativeint_to_float(value v)
{ return caml_copy_double((double)Nativeint_val(v)); }
CAMLprim value caml_nativeint_of_int32(value v) { RETN(Int32_val(v)); }
CAMLprim value caml_nativeint_to_int32(value v) { RET32(IN(v)); }

CAMLprim value caml_nativeint_compare(value v1, value v2)
{
    return Val_int(cmp_result(Nativeint_val(v1), Nativeint_val(v2)));
}

CAMLprim value caml_nativeint_format(value fmt, value arg)
{
    return format_integer(fmt, 1, Nativeint_val(arg), (uint32_t)IN(arg));
}

CAMLprim value caml_nativeint_of_string(value s)
{
    RETN(parse_or_fail(s, 32, 32, "Nativeint.of_string"));
}
