/* extern.c — Marshal output (output_value, Marshal.to_bytes/to_buffer), OCaml 4.13 format
   as written by a 32-bit runtime: 20-byte header, sharing through an object table,
   size_32/size_64 computed exactly as OCaml does (a 64-bit reader preallocates with them).
   Marshaling never allocates in the OCaml heap until the data is complete, so addresses are
   stable and the table of already-seen blocks can be keyed on them. State is global because
   custom blocks' serialize functions write through caml_serialize_*. */
#include <string.h>
#include "runtime.h"
#include "include/caml/intext.h"
#include "io.h"
#include "intext_codes.h"
#include "prims_util.h"

struct item { value *fields; uintnat count; };   /* fields still to marshal */

/* The output is a chain of blocks, so that growing it never copies (the C heap is small). */
struct chunk { struct chunk *next; uintnat len, cap; unsigned char data[]; };

static struct {
    struct chunk *first, *last;
    uintnat pos;             /* total length */
    unsigned char *user;     /* caller's buffer (to_buffer), of user_cap bytes, or NULL */
    uintnat user_cap;
    int flags;
    uintnat objects, size_32, size_64;
    value *keys;             /* open-addressing table: block -> object number */
    uintnat *nums;
    uintnat table_size, table_used;
    struct item *stack;
    uintnat sp, stack_cap;
} ext;

/* Frees everything; also called on entry, in case a previous call was interrupted by an
   exception raised from below (out of memory, channel error). */
static void ext_release(void)
{
    for (struct chunk *c = ext.first, *next; c != NULL; c = next) {
        next = c->next;
        caml_stat_free(c);
    }
    caml_stat_free(ext.keys);
    caml_stat_free(ext.nums);
    caml_stat_free(ext.stack);
    memset(&ext, 0, sizeof ext);
}

static Noreturn void ext_invalid(const char *msg)
{
    ext_release();
    caml_invalid_argument(msg);
}

static Noreturn void ext_fail(const char *msg)
{
    ext_release();
    caml_failwith(msg);
}

/* ---- output buffer ---- */

/* n contiguous bytes at the end of the output; they never move afterwards. */
static unsigned char *reserve(uintnat n)
{
    unsigned char *p;
    if (ext.user != NULL) {
        if (n > ext.user_cap - ext.pos) ext_fail("Marshal.to_buffer: buffer overflow");
        p = ext.user + ext.pos;
    } else {
        struct chunk *c = ext.last;
        if (c == NULL || n > c->cap - c->len) {
            uintnat cap = c == NULL ? 256 : c->cap < 4096 ? c->cap * 2 : 4096;
            if (cap < n) cap = n;
            c = caml_stat_alloc(sizeof(struct chunk) + cap);
            c->next = NULL;
            c->len = 0;
            c->cap = cap;
            if (ext.last != NULL) ext.last->next = c;
            else ext.first = c;
            ext.last = c;
        }
        p = c->data + c->len;
        c->len += n;
    }
    ext.pos += n;
    return p;
}

/* Copies the whole output to dst. */
static void copy_output(unsigned char *dst)
{
    for (struct chunk *c = ext.first; c != NULL; c = c->next) {
        memcpy(dst, c->data, c->len);
        dst += c->len;
    }
}

static void store_be(unsigned char *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static void put(uint64_t v, int n)
{
    store_be(reserve(n), v, n);
}

static void put_code(int code, uint64_t v, int n)
{
    unsigned char *p = reserve(1 + n);
    p[0] = (unsigned char)code;
    store_be(p + 1, v, n);
}

static void put_bytes(const void *data, uintnat len)
{
    if (len) memcpy(reserve(len), data, len);
}

/* ---- table of blocks already output ---- */

static uintnat slot_of(value v)
{
    return (uintnat)(((uint32_t)v >> 2) * 2654435761u) & (ext.table_size - 1);
}

static void table_grow(void)
{
    value *ok = ext.keys;
    uintnat *on = ext.nums, osize = ext.table_size;
    ext.table_size = osize ? osize * 2 : 256;
    ext.keys = caml_stat_alloc(ext.table_size * sizeof(value));
    ext.nums = caml_stat_alloc(ext.table_size * sizeof(uintnat));
    memset(ext.keys, 0, ext.table_size * sizeof(value));   /* 0 is never a block */
    for (uintnat i = 0; i < osize; i++) {
        if (ok[i] == 0) continue;
        uintnat h = slot_of(ok[i]);
        while (ext.keys[h] != 0) h = (h + 1) & (ext.table_size - 1);
        ext.keys[h] = ok[i];
        ext.nums[h] = on[i];
    }
    caml_stat_free(ok);
    caml_stat_free(on);
}

/* Returns the object number of v, or -1 if it was not seen. */
static intnat table_find(value v)
{
    if (ext.table_size == 0) return -1;
    for (uintnat h = slot_of(v);; h = (h + 1) & (ext.table_size - 1)) {
        if (ext.keys[h] == 0) return -1;
        if (ext.keys[h] == v) return (intnat)ext.nums[h];
    }
}

static void table_add(value v, uintnat num)
{
    if (4 * (ext.table_used + 1) > 3 * ext.table_size) table_grow();   /* load <= 3/4 */
    uintnat h = slot_of(v);
    while (ext.keys[h] != 0) h = (h + 1) & (ext.table_size - 1);
    ext.keys[h] = v;
    ext.nums[h] = num;
    ext.table_used++;
}

/* Gives the block the next object number (shared references count backwards from it). */
static void record(value v)
{
    if (ext.flags & FLAG_NO_SHARING) return;
    table_add(v, ext.objects++);
}

static void push(value *fields, uintnat count)
{
    if (count == 0) return;
    if (ext.sp == ext.stack_cap) {
        uintnat cap = ext.stack_cap ? ext.stack_cap * 2 : 64;
        struct item *ns = caml_stat_alloc(cap * sizeof(struct item));
        if (ext.sp) memcpy(ns, ext.stack, ext.sp * sizeof(struct item));
        caml_stat_free(ext.stack);
        ext.stack = ns;
        ext.stack_cap = cap;
    }
    ext.stack[ext.sp].fields = fields;
    ext.stack[ext.sp].count = count;
    ext.sp++;
}

/* ---- code pointers: (offset, digest of the program's code) ---- */

void oe_code_digest(unsigned char digest[16])
{
    static unsigned char cached[16];
    static int done;
    if (!done) {
        /* Word reads only: code memory may not support byte loads. */
        const uint32_t *p = (const uint32_t *)((uintptr_t)caml_code_begin & ~(uintptr_t)3);
        const uint32_t *end = (const uint32_t *)caml_code_end;
        struct oe_md5 ctx;
        oe_md5_init(&ctx);
        for (; p < end; p++) {
            unsigned char w[4] = { (unsigned char)*p, (unsigned char)(*p >> 8),
                                   (unsigned char)(*p >> 16), (unsigned char)(*p >> 24) };
            oe_md5_update(&ctx, w, 4);
        }
        oe_md5_final(&ctx, cached);
        done = 1;
    }
    memcpy(digest, cached, 16);
}

static int is_code_pointer(value v)
{
    return (char *)v >= caml_code_begin && (char *)v < caml_code_end;
}

static void put_code_pointer(value v)
{
    if (!(ext.flags & FLAG_CLOSURES)) ext_invalid("output_value: functional value");
    if (!is_code_pointer(v)) ext_invalid("output_value: abstract value (outside heap)");
    unsigned char digest[16];
    oe_code_digest(digest);
    put_code(CODE_CODEPOINTER, (uint32_t)((char *)v - caml_code_begin), 4);
    put_bytes(digest, 16);
}

/* ---- values ---- */

static void put_int(intnat n)
{
    if (n >= 0 && n < 0x40) put(PREFIX_SMALL_INT + n, 1);
    else if (n >= -128 && n < 128) put_code(CODE_INT8, (uint64_t)n, 1);
    else if (n >= -32768 && n < 32768) put_code(CODE_INT16, (uint64_t)n, 2);
    else put_code(CODE_INT32, (uint64_t)n, 4);
}

static void put_header(mlsize_t size, tag_t tag)
{
    if (tag < 16 && size < 8) put(PREFIX_SMALL_BLOCK + tag + (size << 4), 1);
    else put_code(CODE_BLOCK32, Make_header(size, tag, Caml_white), 4);
}

static void put_custom(value v)
{
    const struct custom_operations *ops = Custom_ops_val(v);
    uintnat sz_32 = 0, sz_64 = 0;
    if (ops->serialize == NULL) ext_invalid("output_value: abstract value (Custom)");
    size_t idlen = strlen(ops->identifier) + 1;
    if (ops->fixed_length == NULL) {
        put(CODE_CUSTOM_LEN, 1);
        put_bytes(ops->identifier, idlen);
        unsigned char *sizes = reserve(12);
        ops->serialize(v, &sz_32, &sz_64);
        store_be(sizes, sz_32, 4);
        store_be(sizes + 4, sz_64, 8);
    } else {
        put(CODE_CUSTOM_FIXED, 1);
        put_bytes(ops->identifier, idlen);
        ops->serialize(v, &sz_32, &sz_64);
        if (sz_32 != (uintnat)ops->fixed_length->bsize_32 ||
            sz_64 != (uintnat)ops->fixed_length->bsize_64)
            caml_fatal_error("output_value: incorrect fixed sizes specified by %s",
                             ops->identifier);
    }
    ext.size_32 += 2 + ((sz_32 + 3) >> 2);
    ext.size_64 += 2 + ((sz_64 + 7) >> 3);
}

static void extern_rec(value v)
{
    for (;;) {
        if (Is_long(v)) {
            put_int(Long_val(v));
        } else if (is_code_pointer(v)) {
            put_code_pointer(v);
        } else {
            header_t hd = Hd_val(v);
            tag_t tag = Tag_hd(hd);
            mlsize_t sz = Wosize_hd(hd);
            if (tag == Forward_tag) {
                /* short-circuit forwarded lazy values, unless that changes the meaning */
                value f = Field(v, 0);
                if (Is_long(f) || (Tag_val(f) != Forward_tag && Tag_val(f) != Lazy_tag &&
                                   Tag_val(f) != Double_tag)) {
                    v = f;
                    continue;
                }
            }
            if (sz == 0) {
                put_header(0, tag);     /* atoms are neither counted nor shared */
                goto next;
            }
            if (!(ext.flags & FLAG_NO_SHARING)) {
                intnat num = table_find(v);
                if (num >= 0) {
                    uintnat d = ext.objects - (uintnat)num;
                    if (d < 0x100) put_code(CODE_SHARED8, d, 1);
                    else if (d < 0x10000) put_code(CODE_SHARED16, d, 2);
                    else put_code(CODE_SHARED32, d, 4);
                    goto next;
                }
            }
            switch (tag) {
            case String_tag: {
                mlsize_t len = caml_string_length(v);
                if (len < 0x20) put(PREFIX_SMALL_STRING + len, 1);
                else if (len < 0x100) put_code(CODE_STRING8, len, 1);
                else put_code(CODE_STRING32, len, 4);
                put_bytes(String_val(v), len);
                ext.size_32 += 1 + (len + 4) / 4;
                ext.size_64 += 1 + (len + 8) / 8;
                record(v);
                break;
            }
            case Double_tag:
                put(CODE_DOUBLE_LITTLE, 1);
                put_bytes((void *)v, 8);
                ext.size_32 += 3;
                ext.size_64 += 2;
                record(v);
                break;
            case Double_array_tag: {
                mlsize_t n = sz / Double_wosize;
                if (n < 0x100) put_code(CODE_DOUBLE_ARRAY8_LITTLE, n, 1);
                else put_code(CODE_DOUBLE_ARRAY32_LITTLE, n, 4);
                put_bytes((void *)v, n * 8);
                ext.size_32 += 1 + n * 2;
                ext.size_64 += 1 + n;
                record(v);
                break;
            }
            case Abstract_tag:
                ext_invalid("output_value: abstract value (Abstract)");
            case Infix_tag:
                put_code(CODE_INFIXPOINTER, Infix_offset_hd(hd), 4);
                v -= Infix_offset_hd(hd);
                continue;
            case Custom_tag:
                put_custom(v);
                record(v);
                break;
            case Closure_tag: {
                /* [code, closinfo, (infix header, code, closinfo)*] then the environment;
                   marshaled field by field like ocamlrun does (code pointers + ints). */
                put_header(sz, tag);
                ext.size_32 += 1 + sz;
                ext.size_64 += 1 + sz;
                record(v);
                mlsize_t start = Start_env_closinfo(Closinfo_val(v));
                if (start > sz) start = sz;
                for (mlsize_t i = 0; i < start; i++) {
                    if (i % 3 == 0) put_code_pointer(Field(v, i));
                    else put_int(Long_val(Field(v, i)));
                }
                push(&Field(v, start), sz - start);
                break;
            }
            default:
                put_header(sz, tag);
                ext.size_32 += 1 + sz;
                ext.size_64 += 1 + sz;
                record(v);
                push(&Field(v, 1), sz - 1);
                v = Field(v, 0);
                continue;
            }
        }
    next:
        if (ext.sp == 0) return;
        struct item *it = &ext.stack[ext.sp - 1];
        v = *it->fields++;
        if (--it->count == 0) ext.sp--;
    }
}

/* Marshals v after a reserved 20-byte header, then fills the header.
   Returns the total length. */
static uintnat extern_value(value v, value flags)
{
    static const int flag_bits[] = { FLAG_NO_SHARING, FLAG_CLOSURES, FLAG_COMPAT_32 };
    ext.flags = 0;
    for (value l = flags; l != Val_emptylist; l = Field(l, 1))
        ext.flags |= flag_bits[Int_val(Field(l, 0))];
    ext.objects = ext.size_32 = ext.size_64 = 0;
    ext.sp = 0;
    ext.pos = 0;
    unsigned char *h = reserve(HEADER_SMALL_LEN);
    extern_rec(v);
    store_be(h, MAGIC_SMALL, 4);
    store_be(h + 4, ext.pos - HEADER_SMALL_LEN, 4);
    store_be(h + 8, ext.objects, 4);
    store_be(h + 12, ext.size_32, 4);
    store_be(h + 16, ext.size_64, 4);
    return ext.pos;
}

static void ext_begin(void)
{
    ext_release();
}

/* ---- entry points ---- */

CAMLprim value caml_output_value_to_bytes(value v, value flags)
{
    ext_begin();
    uintnat len = extern_value(v, flags);
    value res = caml_alloc_string(len);   /* may GC: the data is in the C heap */
    copy_output(Bytes_val(res));
    ext_release();
    return res;
}

CAMLprim value caml_output_value_to_string(value v, value flags)
{
    return caml_output_value_to_bytes(v, flags);
}

intnat caml_output_value_to_block(value v, value flags, char *data, intnat len)
{
    ext_begin();
    ext.user = (unsigned char *)data;
    ext.user_cap = len < 0 ? 0 : (uintnat)len;
    uintnat n = extern_value(v, flags);
    ext_release();
    return (intnat)n;
}

CAMLprim value caml_output_value_to_buffer(value buf, value ofs, value len, value v,
                                           value flags)
{
    return Val_long(caml_output_value_to_block(v, flags, (char *)Bytes_val(buf) + Long_val(ofs),
                                               Long_val(len)));
}

void caml_output_value_to_malloc(value v, value flags, char **buf, intnat *len)
{
    ext_begin();
    *len = (intnat)extern_value(v, flags);
    *buf = caml_stat_alloc((size_t)*len);
    copy_output((unsigned char *)*buf);
    ext_release();
}

CAMLprim value caml_output_value(value chan, value v, value flags)
{
    CAMLparam3(chan, v, flags);
    ext_begin();
    extern_value(v, flags);
    /* If the write raises, the output is released by the next marshaling call. */
    for (struct chunk *c = ext.first; c != NULL; c = c->next)
        caml_channel_write_block(chan, (const char *)c->data, (intnat)c->len);
    ext_release();
    CAMLreturn(Val_unit);
}

/* ---- for custom serialize functions ---- */

void caml_serialize_int_1(int i) { put((uint64_t)i, 1); }
void caml_serialize_int_2(int i) { put((uint64_t)i, 2); }
void caml_serialize_int_4(int32_t i) { put((uint64_t)i, 4); }
void caml_serialize_int_8(int64_t i) { put((uint64_t)i, 8); }

void caml_serialize_float_4(float f)
{
    union { float f; uint32_t i; } u = { f };
    put(u.i, 4);
}


void caml_serialize_block_1(void *data, intnat len)
{
    put_bytes(data, (uintnat)len);
}

/* Blocks of n-byte integers are written big-endian. */
static void put_block_be(const unsigned char *p, intnat count, int n)
{
    unsigned char *q = reserve((uintnat)(count * n));
    for (intnat k = 0; k < count; k++, p += n, q += n)
        for (int i = 0; i < n; i++) q[i] = p[n - 1 - i];
}

void caml_serialize_block_2(void *data, intnat len) { put_block_be(data, len, 2); }
void caml_serialize_block_4(void *data, intnat len) { put_block_be(data, len, 4); }
void caml_serialize_block_8(void *data, intnat len) { put_block_be(data, len, 8); }

/* Unlike the CODE_DOUBLE_LITTLE values, floats written by custom blocks are big-endian. */
void caml_serialize_float_8(double f) { put_block_be((unsigned char *)&f, 1, 8); }
void caml_serialize_block_float_8(void *data, intnat len) { put_block_be(data, len, 8); }

/* ---- Obj.reachable_words: heap words reachable from v, each block counted once ---- */

CAMLprim value caml_obj_reachable_words(value v)
{
    ext_begin();
    intnat words = 0;
    for (;;) {
        if (Is_block(v) && caml_is_in_heap(v) && table_find(v) < 0) {
            header_t hd = Hd_val(v);
            tag_t tag = Tag_hd(hd);
            mlsize_t sz = Wosize_hd(hd);
            if (tag == Infix_tag) {
                v -= Infix_offset_hd(hd);
                continue;
            }
            table_add(v, 0);
            words += 1 + sz;
            if (tag < No_scan_tag) {
                mlsize_t i = tag == Closure_tag ? Start_env_closinfo(Closinfo_val(v)) : 0;
                if (i < sz) {
                    push(&Field(v, i + 1), sz - i - 1);
                    v = Field(v, i);
                    continue;
                }
            }
        }
        if (ext.sp == 0) break;
        struct item *it = &ext.stack[ext.sp - 1];
        v = *it->fields++;
        if (--it->count == 0) ext.sp--;
    }
    ext_release();
    return Val_long(words);
}
