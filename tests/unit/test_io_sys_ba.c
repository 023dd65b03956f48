/* test_io_sys_ba.c — host test of runtime/io.c (channels over a mock platform), sys.c,
   bigarray.c and floats.c's text primitives, with a mock heap (malloc, no GC) on the 64-bit
   host. Expected values and messages are those of ocamlrun 4.13.1. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <math.h>
#define OE_IO_BUFFER_SIZE 16   /* small, to exercise partial flushes and refills */
#include "../../runtime/io.c"
#include "../../runtime/sys.c"
#include "../../runtime/bigarray.c"
#include "../../runtime/floats.c"
#include "../../runtime/floatfmt.c"
#include "../../runtime/misc_stubs.c"
#include "../../runtime/hash.c"

/* ---- mock runtime ---- */
struct caml__roots_block *caml_local_roots;
const header_t caml_atom_table[256];
int caml_compare_unordered;
char **caml_argv;
value caml_globals[1];
intnat caml_globals_count = 1;
int caml_argc;
static jmp_buf fail_jmp;
static char fail_msg[256];

value caml_alloc_shr(mlsize_t wosize, tag_t tag)
{
    header_t *p = calloc(wosize + 1, sizeof(value));
    *p = Make_header(wosize, tag, 0);
    return (value)(p + 1);
}
value caml_alloc_small(mlsize_t w, tag_t t) { return caml_alloc_shr(w, t); }
value caml_alloc(mlsize_t w, tag_t t)
{
    value v = caml_alloc_shr(w, t);
    for (mlsize_t i = 0; i < w; i++) Field(v, i) = Val_unit;
    return v;
}
value caml_alloc_string(mlsize_t len)
{
    mlsize_t w = (len + sizeof(value)) / sizeof(value);
    value v = caml_alloc_shr(w, String_tag);
    Byte_u(v, w * sizeof(value) - 1) = (unsigned char)(w * sizeof(value) - 1 - len);
    return v;
}
mlsize_t caml_string_length(value s) { mlsize_t l = Bosize_val(s) - 1; return l - Byte_u(s, l); }
int caml_string_is_c_safe(value s) { return strlen(String_val(s)) == caml_string_length(s); }
value caml_alloc_initialized_string(mlsize_t len, const char *p)
{
    value v = caml_alloc_string(len);
    memcpy(Bytes_val(v), p, len);
    return v;
}
value caml_copy_string(const char *s) { return caml_alloc_initialized_string(strlen(s), s); }
value caml_alloc_sprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt); vsnprintf(buf, sizeof buf, fmt, ap); va_end(ap);
    return caml_copy_string(buf);
}
value caml_alloc_custom_mem(const struct custom_operations *ops, uintnat size, mlsize_t mem)
{
    (void)mem;
    value v = caml_alloc_shr(1 + (size + sizeof(value) - 1) / sizeof(value), Custom_tag);
    Custom_ops_val(v) = ops;
    return v;
}
value caml_copy_double(double d) { value v = caml_alloc_shr(Double_wosize, Double_tag); Store_double_val(v, d); return v; }
value caml_copy_int32(int32_t i) { value v = caml_alloc_custom_mem(NULL, 8, 0); Int32_val(v) = i; return v; }
value caml_copy_int64(int64_t i) { value v = caml_alloc_custom_mem(NULL, 8, 0); Int64_val(v) = i; return v; }
value caml_copy_nativeint(intnat i) { value v = caml_alloc_custom_mem(NULL, 8, 0); Nativeint_val(v) = i; return v; }
void caml_modify(value *p, value v) { *p = v; }
void caml_register_global_root(value *r) { (void)r; }
void caml_register_generational_global_root(value *r) { (void)r; }
void caml_modify_generational_global_root(value *r, value v) { *r = v; }
void *caml_stat_alloc(size_t n) { return malloc(n); }
void caml_stat_free(void *p) { free(p); }
static Noreturn void fail(const char *kind, const char *m)
{
    snprintf(fail_msg, sizeof fail_msg, "%s%s", kind, m);
    longjmp(fail_jmp, 1);
}
void caml_failwith(const char *m) { fail("Failure ", m); }
void caml_invalid_argument(const char *m) { fail("Invalid_argument ", m); }
void caml_raise_end_of_file(void) { fail("End_of_file", ""); }
void caml_raise_not_found(void) { fail("Not_found", ""); }
void caml_raise_out_of_memory(void) { fail("Out_of_memory", ""); }
void caml_array_bound_error(void) { fail("Invalid_argument ", "index out of bounds"); }
void caml_raise_sys_error(value msg)
{
    char m[200];
    snprintf(m, sizeof m, "%.*s", (int)caml_string_length(msg), String_val(msg));
    fail("Sys_error ", m);
}
void caml_deserialize_error(char *m) { fail("Failure ", m); }
#define UNUSED_SERIALIZE(name, type) void name(type x) { (void)x; abort(); }
UNUSED_SERIALIZE(caml_serialize_int_1, int)
UNUSED_SERIALIZE(caml_serialize_int_2, int)
UNUSED_SERIALIZE(caml_serialize_int_4, int32_t)
UNUSED_SERIALIZE(caml_serialize_int_8, int64_t)
void caml_serialize_block_1(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_serialize_block_2(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_serialize_block_4(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_serialize_block_8(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_deserialize_block_1(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_deserialize_block_2(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_deserialize_block_4(void *d, intnat n) { (void)d; (void)n; abort(); }
void caml_deserialize_block_8(void *d, intnat n) { (void)d; (void)n; abort(); }
int caml_deserialize_uint_1(void) { abort(); }
int caml_deserialize_uint_2(void) { abort(); }
uint32_t caml_deserialize_uint_4(void) { abort(); }
uint64_t caml_deserialize_uint_8(void) { abort(); }
int32_t caml_deserialize_sint_4(void) { abort(); }

/* platform: fd 1 and 2 append to buffers, fd 0 reads from a string in chunks of 5 */
static char out[3][4096];
static size_t outlen[3];
static const char *in_text;
static size_t in_pos;
static int writes;
intnat oe_platform_write(int fd, const void *buf, uintnat len)
{
    if (fd < 1 || fd > 2) return -EBADF;
    if (len > 7) len = 7;        /* short writes */
    memcpy(out[fd] + outlen[fd], buf, len);
    outlen[fd] += len;
    writes++;
    return (intnat)len;
}
intnat oe_platform_read(int fd, void *buf, uintnat len)
{
    size_t left = strlen(in_text) - in_pos;
    if (fd != 0) return -EBADF;
    if (len > 5) len = 5;
    if (len > left) len = left;
    memcpy(buf, in_text + in_pos, len);
    in_pos += len;
    return (intnat)len;
}
/* no files; the console cannot seek */
intnat oe_platform_open(const char *path, int flags, int perm)
{
    (void)path; (void)flags; (void)perm;
    return -ENOENT;
}
int oe_platform_close(int fd) { return fd >= 0 && fd <= 2 ? 0 : -EBADF; }
int64_t oe_platform_lseek(int fd, int64_t offset, int whence)
{
    (void)offset; (void)whence;
    return fd >= 0 && fd <= 2 ? -ESPIPE : -EBADF;
}
uint64_t oe_platform_time_ns(void) { return 1500000000; }
uint64_t oe_platform_cycles(void) { return 12345; }
char _oe_stack_size[1], _oe_minor_size[1];

/* ---- checks ---- */
static int passed, failed;
static void check(int ok, const char *what)
{
    if (ok) passed++;
    else { failed++; printf("FAIL: %s\n", what); }
}
static char got[512];
#define TRY(expr) (setjmp(fail_jmp) == 0 ? ((void)(expr), strcpy(got, "ok"), 0) : (strcpy(got, fail_msg), 1))
static void check_raises(int raised, const char *expect, const char *what)
{
    char m[600];
    snprintf(m, sizeof m, "%s: got [%s], expected [%s]", what, raised ? got : "no exception", expect);
    check(raised && !strcmp(got, expect), m);
}
static int str_eq(value s, const char *c)
{
    return caml_string_length(s) == strlen(c) && !memcmp(String_val(s), c, strlen(c));
}
static value S(const char *s) { return caml_copy_string(s); }

static void test_io(void)
{
    value o = caml_ml_open_descriptor_out(Val_int(1));
    value e = caml_ml_open_descriptor_out(Val_int(2));
    value i = caml_ml_open_descriptor_in(Val_int(0));
    value msg = S("hello, world: this is longer than a buffer");
    caml_ml_output(o, msg, Val_int(0), Val_int(caml_string_length(msg)));
    caml_ml_output_char(o, Val_int('!'));
    check(outlen[1] > 0 && outlen[1] < caml_string_length(msg) + 1, "output flushed when the buffer fills");
    /* the console is a pipe: ocamlrun's initial offset is lseek's -1, so positions are off by one */
    check(Long_val(caml_ml_pos_out(o)) == (intnat)caml_string_length(msg), "pos_out counts buffered bytes");
    caml_ml_flush(o);
    check(outlen[1] == caml_string_length(msg) + 1 && !memcmp(out[1], String_val(msg), outlen[1] - 1)
          && out[1][outlen[1] - 1] == '!', "flush writes everything in order");
    caml_ml_output_int(e, Val_int(0x01020304));
    caml_ml_output_int(e, Val_int(-2));
    caml_ml_flush(e);
    check(outlen[2] == 8 && !memcmp(out[2], "\1\2\3\4\377\377\377\376", 8), "output_binary_int is big-endian");
    {   /* out_channels_list: the two output channels */
        value l = caml_ml_out_channels_list(Val_unit);
        int n = 0, has_o = 0;
        for (; l != Val_emptylist; l = Field(l, 1), n++) has_o |= Channel(Field(l, 0)) == Channel(o);
        check(n == 2 && has_o, "out_channels_list lists the open output channels");
    }
    check_raises(TRY(caml_ml_seek_out(o, Val_int(0))), "Sys_error Illegal seek", "seek_out");
    check_raises(TRY(caml_ml_channel_size(i)), "Sys_error Illegal seek", "in_channel_length");
    check(Int_val(caml_channel_descriptor(e)) == 2, "descriptor");
    /* input */
    in_text = "first line\nsecond, a very long line\nlast";
    in_pos = 0;
    check(Long_val(caml_ml_input_scan_line(i)) == 11, "scan_line finds the newline");
    {
        value b = caml_alloc_string(40);
        intnat n = Long_val(caml_ml_input(i, b, Val_int(0), Val_int(11)));
        check(n > 0 && n <= 11 && !memcmp(String_val(b), "first line\n", (size_t)n), "input returns buffered data");
        while (n < 11) n += Long_val(caml_ml_input(i, b, Val_int(n), Val_int(11 - n)));
        check(!memcmp(String_val(b), "first line\n", 11), "input reads the line");
        check(Long_val(caml_ml_pos_in(i)) == 10, "pos_in (from -1 on a pipe, as ocamlrun)");
        check(Long_val(caml_ml_input_scan_line(i)) == -16, "scan_line on a line longer than the buffer");
        check(Long_val(caml_ml_input_char(i)) == 's', "input_char");
        caml_ml_seek_in(i, Val_int(10));
        check(Long_val(caml_ml_input_char(i)) == 's', "seek_in back inside the buffer");
        check_raises(TRY(caml_ml_seek_in(i, Val_int(0))), "Sys_error Illegal seek", "seek_in outside the buffer");
        for (int k = 0; k < 23; k++) caml_ml_input_char(i);
        check(Long_val(caml_ml_input_char(i)) == '\n', "input_char across refills");
        check(Long_val(caml_ml_input_scan_line(i)) == -4, "scan_line at end of file without newline");
        n = Long_val(caml_ml_input(i, b, Val_int(0), Val_int(10)));
        check(n == 4 && !memcmp(String_val(b), "last", 4), "input the last chars");
        check(Long_val(caml_ml_input(i, b, Val_int(0), Val_int(10))) == 0, "input at eof returns 0");
        check(Long_val(caml_ml_input_scan_line(i)) == 0, "scan_line at eof returns 0");
        check_raises(TRY(caml_ml_input_char(i)), "End_of_file", "input_char at eof");
    }
    in_text = "\xff\xff\xff\xfe\x12\x34";
    in_pos = 0;
    {
        value i2 = caml_ml_open_descriptor_in(Val_int(0));
        char buf[8];
        check(Long_val(caml_ml_input_int(i2)) == -2, "input_binary_int sign");
        check(caml_channel_read_block(i2, buf, 8) == 1 && buf[0] == 0x12, "read_block returns what is buffered");
        check(caml_channel_read_block(i2, buf, 8) == 1 && buf[0] == 0x34, "read_block reads");
        check(caml_channel_read_block(i2, buf, 8) == 0, "read_block at eof");
        check_raises(TRY(caml_ml_input_int(i2)), "End_of_file", "input_binary_int at eof");
    }
    /* closing */
    caml_ml_output_char(o, Val_int('x'));
    caml_ml_close_channel(o);
    caml_ml_close_channel(o);
    check(TRY(caml_ml_flush(o)) == 0, "flush of a closed channel does nothing");
    check_raises(TRY(caml_ml_output_char(o, Val_int('y'))), "Sys_error Bad file descriptor", "output on closed");
    caml_ml_close_channel(i);
    check_raises(TRY(caml_ml_input_char(i)), "Sys_error Bad file descriptor", "input on closed in_channel");
    check_raises(TRY(caml_channel_descriptor(o)), "Sys_error Bad file descriptor", "descriptor of closed");
    {
        value l = caml_ml_out_channels_list(Val_unit);
        int n = 0;
        for (; l != Val_emptylist; l = Field(l, 1)) n++;
        check(n == 1, "closed channels leave out_channels_list");
    }
    {
        value bad = caml_ml_open_descriptor_out(Val_int(7));
        caml_ml_output_char(bad, Val_int('z'));
        check_raises(TRY(caml_ml_flush(bad)), "Sys_error Bad file descriptor", "unknown descriptor");
    }
    check(Bool_val(caml_sys_isatty(e)) == 0, "isatty");
    check(Int_val(caml_terminfo_rows(e)) == -1, "terminfo_rows");
    {   /* finalization of an empty channel unlinks it */
        value c = caml_ml_open_descriptor_in(Val_int(0));
        struct channel *ch = Channel(c);
        finalize_channel(c);
        int listed = 0;
        for (struct channel *p = all_channels; p; p = p->next) listed |= p == ch;
        check(!listed, "finalize unlinks");
    }
}

static void test_sys(void)
{
    static char *argv[] = { "prog.elf", "a", "bc", NULL };
    caml_argv = argv;
    caml_argc = 3;
    check_raises(TRY(caml_sys_open(S("foo.txt"), Val_emptylist, Val_int(0))),
                 "Sys_error foo.txt: No such file or directory", "open");
    check(caml_sys_file_exists(S("/")) == Val_false, "file_exists");
    check_raises(TRY(caml_sys_is_directory(S("d"))), "Sys_error d: No such file or directory", "is_directory");
    check_raises(TRY(caml_sys_remove(S("r"))), "Sys_error r: No such file or directory", "remove");
    check_raises(TRY(caml_sys_rename(S("a"), S("b"))), "Sys_error No such file or directory", "rename");
    check_raises(TRY(caml_sys_read_directory(S("."))), "Sys_error .: No such file or directory", "readdir");
    check_raises(TRY(caml_sys_getenv(S("HOME"))), "Not_found", "getenv");
    check_raises(TRY(caml_sys_system_command(S("ls"))), "Invalid_argument Sys.command not implemented", "command");
    {
        value a = caml_sys_argv(Val_unit);
        check(Wosize_val(a) == 3 && str_eq(Field(a, 0), "prog.elf") && str_eq(Field(a, 2), "bc"), "argv");
        check(caml_sys_argv(Val_unit) == a, "argv is shared");
        value g = caml_sys_get_argv(Val_unit);
        check(str_eq(Field(g, 0), "prog.elf") && Field(g, 1) == a, "get_argv");
        check(str_eq(caml_sys_executable_name(Val_unit), "prog.elf"), "executable_name");
    }
    {
        value c = caml_sys_get_config(Val_unit);
        check(str_eq(Field(c, 0), "Unix") && Long_val(Field(c, 1)) == 8 * (intnat)sizeof(value)
              && Field(c, 2) == Val_false, "get_config");
    }
    check(Double_val(caml_sys_time(Val_unit)) == 1.5, "time");
    check(Wosize_val(caml_sys_random_seed(Val_unit)) == 12, "random_seed");
    check(str_eq(caml_runtime_parameters(Val_unit),
                 "a=2,b=0,H=0,i=15,l=1048576,o=120,O=500,p=0,s=262144,t=0,v=0,w=1,W=0"), "runtime_parameters");
    caml_ml_enable_runtime_warnings(Val_true);
    check(caml_ml_runtime_warnings_enabled(Val_unit) == Val_true, "runtime warnings");
    caml_ml_enable_runtime_warnings(Val_false);
    {
        value h = caml_alloc_small(1, 0), clo = caml_alloc_small(1, 0), r;
        Field(h, 0) = clo;
        check(caml_install_signal_handler(Val_int(-6), h) == Val_int(0), "signal: was default");
        r = caml_install_signal_handler(Val_int(-6), Val_int(1));
        check(Is_block(r) && Field(r, 0) == clo, "signal: returns the handler");
        check(caml_install_signal_handler(Val_int(2), Val_int(0)) == Val_int(1), "signal by number");
        check_raises(TRY(caml_install_signal_handler(Val_int(-7), Val_int(1))),
                     "Sys_error Invalid argument", "sigkill");
        check_raises(TRY(caml_install_signal_handler(Val_int(100), Val_int(1))),
                     "Invalid_argument Sys.signal: unavailable signal", "bad signal");
    }
}

/* caml_hash on a custom block: the mix of ops->hash, finalized, 30 bits */
static long ocaml_hash(value v)
{
    return (long)(final_mix(caml_hash_mix_uint32(0, (uint32_t)caml_ba_hash(v))) & 0x3FFFFFFFu);
}

static value ba_create(int kind, int layout, int nd, const intnat *dims)
{
    value d = caml_alloc(nd, 0);
    for (int k = 0; k < nd; k++) Field(d, k) = Val_long(dims[k]);
    return caml_ba_create(Val_int(kind), Val_int(layout), d);
}

static void test_bigarray(void)
{
    intnat d2[2] = { 3, 4 };
    value a = ba_create(CAML_BA_FLOAT64, 0, 2, d2), f, s, v;
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++)
        caml_ba_set_2(a, Val_int(r), Val_int(c), caml_copy_double(r * 10 + c));
    check(Double_val(caml_ba_get_2(a, Val_int(2), Val_int(3))) == 23, "get_2");
    check(((double *)Caml_ba_data_val(a))[1 * 4 + 2] == 12, "C layout is row major");
    check_raises(TRY(caml_ba_get_2(a, Val_int(3), Val_int(0))), "Invalid_argument index out of bounds", "bounds");
    check_raises(TRY(caml_ba_get_1(a, Val_int(0))), "Invalid_argument Bigarray.get: wrong number of indices", "nind");
    check(Long_val(caml_ba_dim_2(a)) == 4 && Long_val(caml_ba_num_dims(a)) == 2, "dims");
    check_raises(TRY(caml_ba_dim(a, Val_int(2))), "Invalid_argument Bigarray.dim", "dim");
    s = caml_ba_slice(a, caml_alloc(1, 0));   /* row 0 */
    Field(s, 0) = Field(s, 0);
    {
        value idx = caml_alloc(1, 0);
        Field(idx, 0) = Val_int(1);
        s = caml_ba_slice(a, idx);
        check(Long_val(caml_ba_num_dims(s)) == 1 && Double_val(caml_ba_get_1(s, Val_int(2))) == 12, "slice");
        check(Caml_ba_array_val(a)->proxy != NULL && Caml_ba_array_val(a)->proxy->refcount == 3, "proxy shared");
    }
    v = caml_ba_sub(a, Val_int(1), Val_int(2));
    check(Long_val(caml_ba_dim_1(v)) == 2 && Double_val(caml_ba_get_2(v, Val_int(0), Val_int(1))) == 11, "sub");
    check_raises(TRY(caml_ba_sub(a, Val_int(2), Val_int(2))), "Invalid_argument Bigarray.sub: bad sub-array", "sub bounds");
    f = caml_ba_change_layout(a, Val_int(1));
    check(Long_val(caml_ba_dim_1(f)) == 4 && Long_val(caml_ba_dim_2(f)) == 3
          && Double_val(caml_ba_get_2(f, Val_int(4), Val_int(2))) == 13, "change_layout to Fortran");
    check(caml_ba_layout(f) == Val_int(1) && caml_ba_kind(f) == Val_int(CAML_BA_FLOAT64), "layout/kind");
    {
        value idx = caml_alloc(1, 0);
        Field(idx, 0) = Val_int(2);
        value col = caml_ba_slice(f, idx);   /* Fortran: fixes the last index */
        check(Long_val(caml_ba_dim_1(col)) == 4 && Double_val(caml_ba_get_1(col, Val_int(1))) == 10, "fortran slice");
        check_raises(TRY(caml_ba_get_1(col, Val_int(0))), "Invalid_argument index out of bounds", "fortran from 1");
    }
    {
        value dims = caml_alloc(1, 0);
        Field(dims, 0) = Val_int(12);
        value r = caml_ba_reshape(a, dims);
        check(Double_val(caml_ba_get_1(r, Val_int(7))) == 13, "reshape");
        Field(dims, 0) = Val_int(11);
        check_raises(TRY(caml_ba_reshape(a, dims)), "Invalid_argument Bigarray.reshape: size mismatch", "reshape size");
    }
    {   /* compare, fill, blit */
        value b = ba_create(CAML_BA_FLOAT64, 0, 2, d2);
        caml_ba_blit(a, b);
        check(caml_ba_compare(a, b) == 0, "blit + compare equal");
        caml_ba_set_2(b, Val_int(0), Val_int(0), caml_copy_double(NAN));
        caml_compare_unordered = 0;
        check(caml_ba_compare(a, b) == 1 && caml_compare_unordered, "compare nan unordered");
        caml_ba_fill(b, caml_copy_double(0.5));
        check(caml_ba_compare(a, b) == -1, "fill + compare");
        check_raises(TRY(caml_ba_blit(a, v)), "Invalid_argument Bigarray.blit: dimension mismatch", "blit dims");
    }
    {   /* bigstring multi-byte access, char/int8/int16 kinds */
        intnat d1[1] = { 10 };
        value c = ba_create(CAML_BA_CHAR, 0, 1, d1), x;
        caml_ba_fill(c, Val_int(0));
        caml_ba_uint8_set32(c, Val_int(1), caml_copy_int32((int32_t)0x89ABCDEF));
        check(Long_val(caml_ba_get_1(c, Val_int(1))) == 0xEF && Long_val(caml_ba_get_1(c, Val_int(4))) == 0x89,
              "set32 little-endian");
        check(Long_val(caml_ba_uint8_get16(c, Val_int(2))) == 0xABCD, "get16");
        check(Int32_val(caml_ba_uint8_get32(c, Val_int(1))) == (int32_t)0x89ABCDEF, "get32");
        caml_ba_uint8_set64(c, Val_int(2), caml_copy_int64(INT64_C(0x0102030405060708)));
        check(Int64_val(caml_ba_uint8_get64(c, Val_int(2))) == INT64_C(0x0102030405060708), "get64");
        check_raises(TRY(caml_ba_uint8_get64(c, Val_int(3))), "Invalid_argument index out of bounds", "get64 bounds");
        caml_ba_uint8_set16(c, Val_int(8), Val_int(-1));
        check(Long_val(caml_ba_uint8_get16(c, Val_int(8))) == 0xFFFF, "set16 truncates");
        x = ba_create(CAML_BA_SINT8, 0, 1, d1);
        caml_ba_set_1(x, Val_int(0), Val_int(200));
        check(Long_val(caml_ba_get_1(x, Val_int(0))) == -56, "int8 signed");
        x = ba_create(CAML_BA_UINT16, 0, 1, d1);
        caml_ba_set_1(x, Val_int(0), Val_int(-1));
        check(Long_val(caml_ba_get_1(x, Val_int(0))) == 65535, "uint16");
        x = ba_create(CAML_BA_COMPLEX32, 0, 1, d1);
        value z = caml_alloc_shr(2 * Double_wosize, Double_array_tag);
        Store_double_flat_field(z, 0, 1.5);
        Store_double_flat_field(z, 1, -2.25);
        caml_ba_fill(x, z);
        value g = caml_ba_get_1(x, Val_int(9));
        check(Tag_val(g) == Double_array_tag && Double_flat_field(g, 0) == 1.5 && Double_flat_field(g, 1) == -2.25,
              "complex32");
    }
    {   /* Hashtbl.hash of Array1.of_array ... as printed by ocamlrun 4.13.1 */
        intnat d3[1] = { 3 }, d7[1] = { 7 }, d2b[1] = { 2 };
        value x = ba_create(CAML_BA_INT32, 0, 1, d3);
        for (int k = 0; k < 3; k++) caml_ba_set_1(x, Val_int(k), caml_copy_int32(k + 1));
        check(ocaml_hash(x) == 904847008, "hash int32");
        x = ba_create(CAML_BA_CHAR, 0, 1, d7);
        for (int k = 0; k < 7; k++) caml_ba_set_1(x, Val_int(k), Val_int('a' + k));
        check(ocaml_hash(x) == 1045579382, "hash char");
        x = ba_create(CAML_BA_FLOAT64, 0, 1, d3);
        caml_ba_set_1(x, Val_int(0), caml_copy_double(1.5));
        caml_ba_set_1(x, Val_int(1), caml_copy_double(NAN));
        caml_ba_set_1(x, Val_int(2), caml_copy_double(-0.0));
        check(ocaml_hash(x) == 938338337, "hash float64");
        x = ba_create(CAML_BA_UINT16, 0, 1, d3);
        for (int k = 0; k < 3; k++) caml_ba_set_1(x, Val_int(k), Val_int(k == 2 ? 65535 : k + 1));
        check(ocaml_hash(x) == 876903092, "hash uint16");
        x = ba_create(CAML_BA_INT64, 0, 1, d2b);
        caml_ba_set_1(x, Val_int(0), caml_copy_int64(1));
        caml_ba_set_1(x, Val_int(1), caml_copy_int64(-2));
        check(ocaml_hash(x) == 887551527, "hash int64");
        x = ba_create(CAML_BA_FLOAT32, 0, 1, d2b);
        caml_ba_set_1(x, Val_int(0), caml_copy_double(1.5));
        caml_ba_set_1(x, Val_int(1), caml_copy_double(2.25));
        check(ocaml_hash(x) == 266472480, "hash float32");
    }
    {
        value dims = caml_alloc(1, 0);
        Field(dims, 0) = Val_int(-1);
        check_raises(TRY(caml_ba_create(Val_int(0), Val_int(0), dims)),
                     "Invalid_argument Bigarray.create: negative dimension", "negative dim");
    }
}

static void test_float_prims(void)
{
    value r = caml_format_float(S("%.12g"), caml_copy_double(0.1));
    check(str_eq(r, "0.1"), "format_float %.12g");
    r = caml_format_float(S("%.70f"), caml_copy_double(1.0 / 3));
    check(caml_string_length(r) == 72 && !memcmp(String_val(r), "0.33333333333333331482961625624739", 34),
          "format_float longer than the local buffer");
    r = caml_hexstring_of_float(caml_copy_double(-0.75), Val_int(-1), Val_int('-'));
    check(str_eq(r, "-0x1.8p-1"), "hexstring");
    check(Double_val(caml_float_of_string(S("1_000.5"))) == 1000.5, "float_of_string with _");
    check_raises(TRY(caml_float_of_string(S("1.5x"))), "Failure float_of_string", "float_of_string error");
    check_raises(TRY(caml_float_of_string(S("_"))), "Failure float_of_string", "float_of_string only _");
    {
        char big[200];
        memset(big, '1', sizeof big - 1);
        big[sizeof big - 1] = 0;
        check(Double_val(caml_float_of_string(S(big))) == 1.1111111111111111e198, "long float_of_string");
    }
    check(caml_classify_float(caml_copy_double(5e-324)) == Val_int(1), "classify subnormal");
    check(caml_float_compare(caml_copy_double(NAN), caml_copy_double(1)) == Val_int(-1), "compare nan");
    check(caml_float_compare(caml_copy_double(NAN), caml_copy_double(NAN)) == Val_int(0), "compare nan nan");
    value fr = caml_frexp_float(caml_copy_double(12.0));
    check(Double_val(Field(fr, 0)) == 0.75 && Field(fr, 1) == Val_int(4), "frexp");
    value mf = caml_modf_float(caml_copy_double(-2.5));
    check(Double_val(Field(mf, 0)) == -0.5 && Double_val(Field(mf, 1)) == -2.0, "modf");
    check(Double_val(caml_fma_float(caml_copy_double(0x1.0000001p0), caml_copy_double(0x1.0000001p0),
                                    caml_copy_double(-1))) == 0x1.00000008p-27, "fma exact");
}

int main(void)
{
    test_io();
    test_sys();
    test_bigarray();
    test_float_prims();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
