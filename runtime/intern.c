/* intern.c — Marshal input (input_value, Marshal.from_bytes, Marshal.data_size), OCaml 4.13
   format, accepting data from 32- and 64-bit writers as a 32-bit ocamlrun does.
   Each block is allocated on its own in the major heap (caml_alloc_shr: it never moves)
   and stored into its parent's field at once, so everything allocated so far stays
   reachable from the (registered) result while later allocations run the GC; blocks being
   filled and the table of shared objects can therefore hold plain addresses. */
#include <stdio.h>
#include <string.h>
#include "runtime.h"
#include "include/caml/intext.h"
#include "io.h"
#include "intext_codes.h"

value caml_set_oo_id(value obj);   /* obj.c: gives an object a fresh id */

struct frame { value blk; mlsize_t next, size; int object; };  /* block being filled */

static struct {
    const unsigned char *src;   /* input bytes, when not in an OCaml string */
    value *str;                 /* registered root holding the input string, or NULL */
    uintnat pos, end;
    char *owned;                /* C buffer to free at the end */
    value *objs;                /* shared objects, by number */
    uintnat nobjs, count;
    struct frame *stack;
    uintnat sp, cap;
} in;

static void in_release(void)
{
    caml_stat_free(in.owned);
    caml_stat_free(in.objs);
    caml_stat_free(in.stack);
    memset(&in, 0, sizeof in);
}

static Noreturn void in_fail(const char *msg)
{
    in_release();
    caml_memprof_discard_marshal();
    caml_failwith(msg);
}

/* memprof.c: the blocks allocated now are Marshal's (in.end is set while a value is read) */
int caml_oe_intern_active(void)
{
    return in.end != 0;
}

void caml_deserialize_error(char *msg)
{
    in_fail(msg);
}

/* ---- reading the stream ---- */

static const unsigned char *take(uintnat n)
{
    if (n > in.end - in.pos) in_fail("input_value: truncated object");
    const unsigned char *base = in.str ? Bytes_val(*in.str) : in.src;
    const unsigned char *p = base + in.pos;
    in.pos += n;
    return p;
}

static uint64_t get_be(int n)
{
    const unsigned char *p = take(n);
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

static uint32_t get32(void) { return (uint32_t)get_be(4); }

static void copy_doubles(void *dst, uintnat n, int big_endian)
{
    const unsigned char *p = take(n * 8);
    unsigned char *q = dst;
    if (!big_endian) { memcpy(q, p, n * 8); return; }
    for (uintnat k = 0; k < n; k++, p += 8, q += 8)
        for (int i = 0; i < 8; i++) q[i] = p[7 - i];
}

/* ---- building the value ---- */

static value alloc_block(mlsize_t wosize, tag_t tag)
{
    value v = caml_alloc_shr(wosize, tag);
    if (tag < No_scan_tag)
        for (mlsize_t i = 0; i < wosize; i++) Field(v, i) = Val_unit;
    return v;
}

static void remember(value v)
{
    if (in.objs == NULL) return;
    if (in.count >= in.nobjs) in_fail("input_value: ill-formed message");
    in.objs[in.count++] = v;
}

static void push_frame(value blk, mlsize_t size, int object)
{
    if (in.sp == in.cap) {
        uintnat cap = in.cap ? in.cap * 2 : 64;
        struct frame *ns = caml_stat_alloc(cap * sizeof(struct frame));
        if (in.sp) memcpy(ns, in.stack, in.sp * sizeof(struct frame));
        caml_stat_free(in.stack);
        in.stack = ns;
        in.cap = cap;
    }
    in.stack[in.sp++] = (struct frame){ blk, 0, size, object };
}

static value new_block(mlsize_t size, tag_t tag)
{
    if (size == 0) return Atom(tag);
    value v = alloc_block(size, tag);
    remember(v);
    push_frame(v, size, tag == Object_tag);
    return v;
}

static value new_string(uintnat len)
{
    if (len > Bsize_wsize(Max_wosize) - 1) in_fail("input_value: ill-formed message");
    mlsize_t wosize = (len + sizeof(value)) / sizeof(value);
    value v = caml_alloc_shr(wosize, String_tag);
    Field(v, wosize - 1) = 0;
    Byte_u(v, Bsize_wsize(wosize) - 1) = (unsigned char)(Bsize_wsize(wosize) - 1 - len);
    memcpy(Bytes_val(v), take(len), len);
    remember(v);
    return v;
}

static value new_double_array(uintnat n, int big_endian)
{
    if (n > Max_wosize / Double_wosize) in_fail("input_value: ill-formed message");
    if (n == 0) return Atom(0);   /* never produced by OCaml, but keep it valid */
    value v = caml_alloc_shr(n * Double_wosize, Double_array_tag);
    copy_doubles((void *)v, n, big_endian);
    remember(v);
    return v;
}

static value new_custom(int code)
{
    /* identifier: a NUL-terminated string in the stream */
    const unsigned char *base = in.str ? Bytes_val(*in.str) : in.src;
    const char *id = (const char *)base + in.pos;
    const char *nul = memchr(id, 0, in.end - in.pos);
    if (nul == NULL) in_fail("input_value: ill-formed message");
    size_t idlen = (size_t)(nul - id);
    const struct custom_operations *ops = caml_find_custom_operations(id);
    if (ops == NULL) in_fail("input_value: unknown custom block identifier");
    take(idlen + 1);
    uintnat expected;
    if (code == CODE_CUSTOM_FIXED) {
        if (ops->fixed_length == NULL)
            in_fail("input_value: expected a fixed-size custom block");
        expected = (uintnat)ops->fixed_length->bsize_32;
    } else if (code == CODE_CUSTOM_LEN) {
        expected = get32();
        take(8);                 /* size on 64-bit platforms */
    } else {
        in_fail("input_value: ill-formed message");   /* pre-4.08 format, no size */
    }
    if (expected > Bsize_wsize(Max_wosize - 1)) in_fail("input_value: ill-formed message");
    value v = caml_alloc_shr(1 + (expected + sizeof(value) - 1) / sizeof(value), Custom_tag);
    Custom_ops_val(v) = ops;
    if (ops->deserialize(Data_custom_val(v)) != expected)
        in_fail("input_value: incorrect length of serialized custom block");
    remember(v);
    return v;
}

static value code_pointer(uint32_t ofs, const unsigned char digest[16])
{
    unsigned char mine[16];
    oe_code_digest(mine);
    if (memcmp(mine, digest, 16) == 0 && ofs < (uintnat)(caml_code_end - caml_code_begin))
        return (value)(caml_code_begin + ofs);
    const value *placeholder = caml_named_value("Debugger.function_placeholder");
    if (placeholder != NULL) return *placeholder;
    char msg[80] = "input_value: unknown code module ";
    for (int i = 0; i < 16; i++)
        snprintf(msg + 33 + 2 * i, 3, "%02X", digest[i]);
    in_fail(msg);
}

/* Reads one item and stores it at *dest (dest == root: the registered result). */
static void read_item(value *dest, value *root)
{
    intnat shift = 0;    /* CODE_INFIXPOINTER: the value is a closure + offset */
    value v;
    for (;;) {
        int code = (int)get_be(1);
        if (code >= PREFIX_SMALL_BLOCK) {
            v = new_block((code >> 4) & 7, code & 0xF);
        } else if (code >= PREFIX_SMALL_INT) {
            v = Val_int(code & 0x3F);
        } else if (code >= PREFIX_SMALL_STRING) {
            v = new_string(code & 0x1F);
        } else {
            switch (code) {
            case CODE_INT8: v = Val_long((int8_t)get_be(1)); break;
            case CODE_INT16: v = Val_long((int16_t)get_be(2)); break;
            case CODE_INT32: v = Val_long((int32_t)get32()); break;
            case CODE_INT64: in_fail("input_value: integer too large");
            case CODE_SHARED8: case CODE_SHARED16: case CODE_SHARED32: {
                uintnat d = code == CODE_SHARED8 ? get_be(1)
                          : code == CODE_SHARED16 ? get_be(2) : get32();
                if (in.objs == NULL || d == 0 || d > in.count)
                    in_fail("input_value: ill-formed message");
                v = in.objs[in.count - d];
                break;
            }
            case CODE_BLOCK32: {
                header_t hd = get32();
                v = new_block(Wosize_hd(hd), Tag_hd(hd));
                break;
            }
            case CODE_STRING8: v = new_string(get_be(1)); break;
            case CODE_STRING32: v = new_string(get32()); break;
            case CODE_DOUBLE_LITTLE: case CODE_DOUBLE_BIG:
                v = caml_alloc_shr(Double_wosize, Double_tag);
                copy_doubles((void *)v, 1, code == CODE_DOUBLE_BIG);
                remember(v);
                break;
            case CODE_DOUBLE_ARRAY8_LITTLE: case CODE_DOUBLE_ARRAY8_BIG:
                v = new_double_array(get_be(1), code == CODE_DOUBLE_ARRAY8_BIG);
                break;
            case CODE_DOUBLE_ARRAY32_LITTLE: case CODE_DOUBLE_ARRAY32_BIG:
                v = new_double_array(get32(), code == CODE_DOUBLE_ARRAY32_BIG);
                break;
            case CODE_CODEPOINTER: {
                uint32_t ofs = get32();
                unsigned char digest[16];
                memcpy(digest, take(16), 16);
                v = code_pointer(ofs, digest);
                break;
            }
            case CODE_INFIXPOINTER:
                shift += get32();
                continue;
            case CODE_CUSTOM: case CODE_CUSTOM_LEN: case CODE_CUSTOM_FIXED:
                v = new_custom(code);
                break;
            default:  /* including the 64-bit-only codes */
                in_fail("input_value: ill-formed message");
            }
        }
        break;
    }
    v += shift;
    if (dest == root) *dest = v;
    else caml_modify(dest, v);
}

static void intern_rec(value *root)
{
    read_item(root, root);
    while (in.sp > 0) {
        struct frame *f = &in.stack[in.sp - 1];
        /* objects get a fresh id once their class and old id are read (as OCaml does),
           except the predefined exceptions' negative ids */
        if (f->object && f->next == 2) {
            f->object = 0;
            if (Long_val(Field(f->blk, 1)) >= 0) caml_set_oo_id(f->blk);
        }
        if (f->next == f->size) {
            in.sp--;
            continue;
        }
        value *dest = &Field(f->blk, f->next++);
        read_item(dest, root);   /* may push frames: f is not used after this */
    }
}

/* ---- header ---- */

struct header { uintnat header_len, data_len, num_objects; };

static void parse_header(const char *fun, struct header *h)
{
    char msg[100];
    uint32_t magic = get32();
    if (magic == MAGIC_SMALL) {
        h->header_len = HEADER_SMALL_LEN;
        h->data_len = get32();
        h->num_objects = get32();
        get32();     /* size on 32-bit platforms (we allocate block by block) */
        get32();     /* size on 64-bit platforms */
        return;
    }
    if (magic == MAGIC_BIG)
        snprintf(msg, sizeof msg, "%s: object too large to be read back on a 32-bit platform",
                 fun);
    else
        snprintf(msg, sizeof msg, "%s: bad object", fun);
    in_fail(msg);
}

/* Reads the value whose data starts at in.pos (after the header). */
static value intern_body(const struct header *h)
{
    CAMLparam0();
    CAMLlocal1(res);
    in.end = in.pos + h->data_len;
    if (h->num_objects > 0) {
        if (h->num_objects > h->data_len) in_fail("input_value: ill-formed message");
        in.objs = caml_stat_alloc(h->num_objects * sizeof(value));
        in.nobjs = h->num_objects;
    }
    intern_rec(&res);
    in_release();
    CAMLreturn(res);
}

/* ---- entry points ---- */

value caml_input_val_from_string(value str, intnat ofs)
{
    CAMLparam1(str);
    struct header h;
    in_release();
    in.str = &str;
    in.pos = (uintnat)ofs;
    in.end = caml_string_length(str);
    if ((uintnat)ofs > in.end) in_fail("input_val_from_string: bad length");
    parse_header("input_val_from_string", &h);
    if (ofs + h.header_len + h.data_len > caml_string_length(str))
        in_fail("input_val_from_string: bad length");
    CAMLreturn(intern_body(&h));
}

CAMLprim value caml_input_value_from_bytes(value str, value ofs)
{
    return caml_input_val_from_string(str, Long_val(ofs));
}

value caml_input_value_from_block(const char *data, intnat len)
{
    struct header h;
    in_release();
    in.src = (const unsigned char *)data;
    in.end = (uintnat)len;
    parse_header("input_value_from_block", &h);
    if (h.header_len + h.data_len > (uintnat)len)
        in_fail("input_val_from_block: bad length");
    return intern_body(&h);
}

value caml_input_value_from_malloc(char *data, intnat ofs)
{
    struct header h;
    in_release();
    in.owned = data;
    in.src = (const unsigned char *)data + ofs;
    in.end = HEADER_SMALL_LEN;
    parse_header("input_value_from_malloc", &h);
    return intern_body(&h);   /* frees data */
}

/* Reads exactly len bytes unless end of file comes first; returns the count read. */
static intnat really_read(value chan, char *buf, intnat len)
{
    intnat done = 0;
    while (done < len) {
        intnat n = caml_channel_read_block(chan, buf + done, len - done);
        if (n == 0) break;
        done += n;
    }
    return done;
}

CAMLprim value caml_input_value(value chan)
{
    CAMLparam1(chan);
    char header[HEADER_SMALL_LEN];
    struct header h;
    intnat n = really_read(chan, header, HEADER_SMALL_LEN);
    if (n == 0) caml_raise_end_of_file();
    if (n < HEADER_SMALL_LEN) caml_failwith("input_value: truncated object");
    in_release();
    in.src = (const unsigned char *)header;
    in.end = HEADER_SMALL_LEN;
    parse_header("input_value", &h);
    in.src = NULL;
    char *block = caml_stat_alloc(h.data_len ? h.data_len : 1);
    in.owned = block;      /* released by the next call if the read raises */
    if (really_read(chan, block, (intnat)h.data_len) < (intnat)h.data_len)
        in_fail("input_value: truncated object");
    in.src = (const unsigned char *)block;
    in.pos = 0;
    CAMLreturn(intern_body(&h));
}

/* Length of the data after the 20-byte header starting at buf[ofs]. */
CAMLprim value caml_marshal_data_size(value buf, value ofs)
{
    const unsigned char *p = Bytes_val(buf) + Long_val(ofs);
    uint32_t magic = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
    if (magic == MAGIC_BIG)
        caml_failwith("Marshal.data_size: object too large to be read back on a 32-bit platform");
    if (magic != MAGIC_SMALL) caml_failwith("Marshal.data_size: bad object");
    return Val_long((uint32_t)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7]);
}

/* ---- for custom deserialize functions ---- */

int caml_deserialize_uint_1(void) { return (int)get_be(1); }
int caml_deserialize_sint_1(void) { return (int8_t)get_be(1); }
int caml_deserialize_uint_2(void) { return (int)get_be(2); }
int caml_deserialize_sint_2(void) { return (int16_t)get_be(2); }
uint32_t caml_deserialize_uint_4(void) { return get32(); }
int32_t caml_deserialize_sint_4(void) { return (int32_t)get32(); }
uint64_t caml_deserialize_uint_8(void) { return get_be(8); }
int64_t caml_deserialize_sint_8(void) { return (int64_t)get_be(8); }

float caml_deserialize_float_4(void)
{
    union { float f; uint32_t i; } u;
    u.i = get32();
    return u.f;
}

/* n-byte integers and custom floats are big-endian in the stream */
static void get_block_be(unsigned char *q, intnat count, int n)
{
    const unsigned char *p = take((uintnat)(count * n));
    for (intnat k = 0; k < count; k++, p += n, q += n)
        for (int i = 0; i < n; i++) q[i] = p[n - 1 - i];
}

double caml_deserialize_float_8(void)
{
    double d;
    get_block_be((unsigned char *)&d, 1, 8);
    return d;
}

void caml_deserialize_block_1(void *data, intnat len)
{
    memcpy(data, take((uintnat)len), (size_t)len);
}

void caml_deserialize_block_2(void *data, intnat len) { get_block_be(data, len, 2); }
void caml_deserialize_block_4(void *data, intnat len) { get_block_be(data, len, 4); }
void caml_deserialize_block_8(void *data, intnat len) { get_block_be(data, len, 8); }
void caml_deserialize_block_float_8(void *data, intnat len) { get_block_be(data, len, 8); }
