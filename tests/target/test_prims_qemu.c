/* test_prims_qemu.c — on-target check (QEMU, real runtime and GC, soft-float) of the
   primitives of str/array/ints/md5/extern/intern with 32-bit semantics; expected values come
   from Debian's 32-bit ocamlrun. A C program (no OCaml code): it replaces caml_main, so it
   cannot catch exceptions. Build and run with tests/target/run_prims_qemu.sh. */
#include <stdio.h>
#include <string.h>
#include <math.h>
#include "runtime.h"
#include "include/caml/intext.h"
#include "prims_util.h"

value caml_globals[16];
intnat caml_globals_count = 0;
void caml_program(void) {}
__asm__(".section .text.codeblk,\"ax\"\n.globl caml_code_begin\n.globl caml_code_end\n.balign 4\ncaml_code_begin: .space 64\ncaml_code_end: .space 4\n.text");

value caml_int_of_string(value), caml_format_int(value, value), caml_int32_of_float(value),
  caml_int64_format(value, value), caml_int64_of_string(value), caml_int64_div(value, value),
  caml_int64_mod(value, value), caml_int64_of_float(value), caml_int64_to_float(value),
  caml_int32_format(value, value), caml_int32_shift_left(value, value), caml_nativeint_format(value, value),
  caml_int64_mul(value, value), caml_int32_div(value, value), caml_int64_bswap(value), caml_int32_bswap(value),
  caml_output_value_to_bytes(value, value), caml_input_value_from_bytes(value, value),
  caml_md5_string(value, value, value), caml_make_vect(value, value), caml_array_concat(value),
  caml_array_sub(value, value, value), caml_array_blit(value, value, value, value, value),
  caml_string_compare(value, value), caml_string_get32(value, value), caml_int64_to_int(value),
  caml_obj_reachable_words(value), caml_int32_to_float(value),
  caml_int64_bits_of_float(value), caml_int32_bits_of_float(value), caml_bswap16(value);

static int passed, failed;
static void out(const char *s) { oe_platform_write(1, s, strlen(s)); }
static void check(int ok, const char *what)
{
    char b[200];
    if (ok) passed++; else { failed++; snprintf(b, sizeof b, "FAIL %s\n", what); out(b); }
}
static int str_is(value s, const char *e)
{
    int ok = caml_string_length(s) == strlen(e) && !memcmp(String_val(s), e, strlen(e));
    if (!ok) { out("  got '"); oe_platform_write(1, String_val(s), caml_string_length(s)); out("' expected '"); out(e); out("'\n"); }
    return ok;
}
static value S(const char *s) { return caml_copy_string(s); }
static value cons(value a, value b) { CAMLparam2(a, b); value c = caml_alloc_small(2, 0); Field(c, 0) = a; Field(c, 1) = b; CAMLreturn(c); }

int caml_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    caml_c_sp = NULL; caml_local_roots = NULL; caml_entry_local_roots = NULL;
    caml_init_gc();
    static const char *names[12] = { "Out_of_memory", "Sys_error", "Failure", "Invalid_argument",
        "End_of_file", "Division_by_zero", "Not_found", "Match_failure", "Stack_overflow",
        "Sys_blocked_io", "Assert_failure", "Undefined_recursive_module" };
    for (int i = 0; i < 12; i++) {
        value e = caml_alloc_shr(2, Object_tag);
        caml_initialize(&Field(e, 0), caml_copy_string(names[i]));
        Field(e, 1) = Val_int(-1 - i);
        caml_globals[i] = e;
    }
    CAMLparam0();
    CAMLlocal5(a, b, c, l, m);
    check(caml_int_of_string(S("0x7FFFFFFF")) == Val_int(-1), "int_of_string 0x7FFFFFFF");
    check(caml_int_of_string(S("0x40000000")) == Val_long(-1073741824), "0x40000000");
    check(caml_int_of_string(S("-1073741824")) == Val_long(-1073741824), "-2^30");
    check(caml_int_of_string(S("1_000")) == Val_int(1000), "1_000");
    check(str_is(caml_format_int(S("%x"), Val_int(-1)), "7fffffff"), "%x -1");
    check(str_is(caml_format_int(S("%u"), Val_int(-1)), "2147483647"), "%u -1");
    check(str_is(caml_format_int(S("%o"), Val_long(Min_long)), "10000000000"), "%o min_int");
    check(str_is(caml_format_int(S("%d"), Val_long(Min_long)), "-1073741824"), "%d min_int");
    check(str_is(caml_format_int(S("%+08.3d"), Val_int(42)), "    +042"), "%+08.3d");
    a = caml_copy_double(NAN);
    check(Int32_val(caml_int32_of_float(a)) == INT32_MIN, "int32_of_float nan");
    a = caml_copy_double(1e10);
    check(Int32_val(caml_int32_of_float(a)) == INT32_MIN, "int32_of_float 1e10");
    a = caml_copy_double(-123.9);
    check(Int32_val(caml_int32_of_float(a)) == -123, "int32_of_float -123.9");
    check(Int64_val(caml_int64_of_float(a)) == -123, "int64_of_float -123.9");
    a = caml_copy_double(1e30);
    check(Int64_val(caml_int64_of_float(a)) == INT64_MIN, "int64_of_float 1e30");
    a = caml_int64_of_string(S("-9223372036854775808"));
    check(str_is(caml_int64_format(S("%Ld"), a), "-9223372036854775808"), "int64 min format");
    check(str_is(caml_int64_format(S("%Lx"), a), "8000000000000000"), "int64 min %x");
    b = caml_int64_of_string(S("-1"));
    check(Int64_val(caml_int64_div(a, b)) == INT64_MIN, "int64 min / -1");
    check(Int64_val(caml_int64_mod(a, b)) == 0, "int64 min mod -1");
    b = caml_int64_of_string(S("1000000007"));
    c = caml_int64_of_string(S("123456789012345678"));
    check(Int64_val(caml_int64_div(c, b)) == 123456789012345678LL / 1000000007LL, "int64 div");
    check(Int64_val(caml_int64_mod(c, b)) == 123456789012345678LL % 1000000007LL, "int64 mod");
    check(Int64_val(caml_int64_mul(c, b)) == (int64_t)((uint64_t)123456789012345678LL * 1000000007ULL), "int64 mul");
    check(Double_val(caml_int64_to_float(c)) == 123456789012345678.0, "int64 to_float");
    check(Int64_val(caml_int64_bswap(b)) == (int64_t)0x07ca9a3b00000000LL, "int64 bswap");
    check(caml_bswap16(Val_int(0x1234)) == Val_int(0x3412), "bswap16");
    check(str_is(caml_int32_format(S("%d"), caml_int32_shift_left(caml_copy_int32(1), Val_int(33))), "2"), "int32 shl 33");
    check(str_is(caml_nativeint_format(S("%nx"), caml_copy_nativeint(-1)), "ffffffff"), "nativeint %x");
    a = caml_copy_double(1.5);
    check(Int64_val(caml_int64_bits_of_float(a)) == 0x3FF8000000000000LL, "bits_of_float");
    check(Int32_val(caml_int32_bits_of_float(a)) == 0x3FC00000, "int32 bits_of_float");
    /* md5 */
    a = caml_md5_string(S("xabcx"), Val_int(1), Val_int(3));
    check(!memcmp(String_val(a), "\x90\x01\x50\x98\x3c\xd2\x4f\xb0\xd6\x96\x3f\x7d\x28\xe1\x7f\x72", 16), "md5 abc");
    /* marshal: byte-exact against the 32-bit ocamlrun */
    {
        static const unsigned char ref[] = "\204\225\246\276\000\000\000\040\000\000\000\005\000\000\000\021\000\000\000\017\320\101\041\141\014\000\000\000\000\000\000\004\100\031\137\156\000\001\000\000\000\007\016\001\000\000\000\000\000\000\360\077";
        a = caml_alloc_string(sizeof ref - 1);
        memcpy(Bytes_val(a), ref, sizeof ref - 1);
        b = caml_input_value_from_bytes(a, Val_int(0));
        check(Wosize_val(b) == 5 && Field(b, 0) == Val_int(1) && Double_val(Field(b, 2)) == 2.5 &&
              Nativeint_val(Field(b, 3)) == 7 && Tag_val(Field(b, 4)) == Double_array_tag, "intern ref");
        c = caml_output_value_to_bytes(b, Val_emptylist);
        check(caml_string_length(c) == sizeof ref - 1 && !memcmp(String_val(c), ref, sizeof ref - 1), "extern ref bytes");
    }
    /* marshal a large shared structure, with GCs during intern */
    l = Val_emptylist;
    for (int i = 0; i < 600; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "s%d", i);
        m = S(buf);
        a = caml_alloc_small(2, 0);
        Field(a, 0) = m; Field(a, 1) = Val_int(i);
        l = cons(a, l);
        if (i % 3 == 0) l = cons(a, l);   /* shared */
    }
    a = caml_output_value_to_bytes(l, Val_emptylist);
    for (int round = 0; round < 3; round++) {
        b = caml_input_value_from_bytes(a, Val_int(0));
        caml_minor_collection();
        c = caml_output_value_to_bytes(b, Val_emptylist);
        check(caml_string_length(c) == caml_string_length(a) && !memcmp(String_val(c), String_val(a), caml_string_length(a)), "big round trip");
    }
    check(Long_val(caml_obj_reachable_words(l)) == 800 * 3 + 600 * 3 + 100 * 2 + 500 * 3, "reachable words");
    /* arrays */
    a = caml_make_vect(Val_int(1000), S("x"));
    b = caml_make_vect(Val_int(3), caml_copy_double(2.0));
    check(Tag_val(b) == Double_array_tag && Wosize_val(b) == 6, "float make_vect");
    l = cons(a, cons(a, Val_emptylist));
    c = caml_array_concat(l);
    check(Wosize_val(c) == 2000 && Field(c, 1999) == Field(a, 0), "concat");
    c = caml_array_sub(b, Val_int(1), Val_int(2));
    check(Wosize_val(c) == 4 && Double_flat_field(c, 1) == 2.0, "sub float");
    check(caml_string_compare(S("abc"), S("abd")) == Val_int(-1) && caml_string_compare(S("ab"), S("a")) == Val_int(1), "string compare");
    check(Int32_val(caml_string_get32(S("\x01\x02\x03\x04"), Val_int(0))) == 0x04030201, "get32");
    char buf[64];
    snprintf(buf, sizeof buf, "%d passed, %d failed\n", passed, failed);
    out(buf);
    CAMLdrop;
    oe_platform_exit(failed != 0);
}
