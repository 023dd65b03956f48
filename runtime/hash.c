/* hash.c — the generic hash (Hashtbl.hash & co, primitive caml_hash), bit-compatible with
   OCaml 4.13 on 32-bit platforms: MurmurHash3 mixing of a breadth-first traversal of at most
   [limit] values, of which at most [count] meaningful ones; NaNs and -0.0 normalised;
   custom blocks through ops->hash; objects by id. Closures: the code pointers, closure info
   and infix headers are mixed as integers, the environment is traversed (their hash
   depends on code addresses anyway). */
#include "runtime.h"
#include "include/caml/hash.h"

#define ROTL32(x, n) ((x) << (n) | (x) >> (32 - (n)))

static inline uint32_t mix(uint32_t h, uint32_t d)
{
    d *= 0xcc9e2d51u;
    d = ROTL32(d, 15);
    d *= 0x1b873593u;
    h ^= d;
    h = ROTL32(h, 13);
    return h * 5 + 0xe6546b64u;
}

static inline uint32_t final_mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

uint32_t caml_hash_mix_uint32(uint32_t h, uint32_t d)
{
    return mix(h, d);
}

uint32_t caml_hash_mix_intnat(uint32_t h, intnat d)
{
    uint32_t n;
    if (sizeof(intnat) > 4) {
        /* 64-bit host: fold so that values in [-2^31, 2^31) give their 32-bit image */
        int64_t d64 = (int64_t)d;
        n = (uint32_t)((d64 >> 32) ^ (d64 >> 63) ^ d64);
    } else {
        n = (uint32_t)d;
    }
    return mix(h, n);
}

uint32_t caml_hash_mix_int64(uint32_t h, int64_t d)
{
    h = mix(h, (uint32_t)d);
    return mix(h, (uint32_t)((uint64_t)d >> 32));
}

uint32_t caml_hash_mix_double(uint32_t h, double d)
{
    union { double d; uint64_t i; } u;
    uint32_t hi, lo;
    u.d = d;
    hi = (uint32_t)(u.i >> 32);
    lo = (uint32_t)u.i;
    if ((hi & 0x7FF00000u) == 0x7FF00000u && (lo | (hi & 0xFFFFFu)) != 0) {
        hi = 0x7FF00000u;               /* all NaNs alike */
        lo = 0x00000001u;
    } else if (hi == 0x80000000u && lo == 0) {
        hi = 0;                         /* -0.0 as +0.0 */
    }
    h = mix(h, lo);
    return mix(h, hi);
}

uint32_t caml_hash_mix_float(uint32_t h, float f)
{
    union { float f; uint32_t i; } u;
    uint32_t n;
    u.f = f;
    n = u.i;
    if ((n & 0x7F800000u) == 0x7F800000u && (n & 0x007FFFFFu) != 0)
        n = 0x7F800001u;
    else if (n == 0x80000000u)
        n = 0;
    return mix(h, n);
}

uint32_t caml_hash_mix_string(uint32_t h, value s)
{
    mlsize_t len = caml_string_length(s), i;
    const unsigned char *p = Bytes_val(s);
    uint32_t w;
    for (i = 0; i + 4 <= len; i += 4) {
        w = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16
            | (uint32_t)p[i + 3] << 24;
        h = mix(h, w);
    }
    w = 0;
    switch (len & 3) {
    case 3: w = (uint32_t)p[i + 2] << 16; /* fallthrough */
    case 2: w |= (uint32_t)p[i + 1] << 8; /* fallthrough */
    case 1: w |= p[i];
            h = mix(h, w);
            break;
    default: break;
    }
    return h ^ (uint32_t)len;
}

#define HASH_QUEUE_SIZE 256
#define MAX_FORWARD_DEREFERENCE 1000

CAMLprim value caml_hash(value count, value limit, value seed, value obj)
{
    value queue[HASH_QUEUE_SIZE];
    intnat rd = 0, wr = 1, sz, num;
    uint32_t h;
    sz = Long_val(limit);
    if (sz < 0 || sz > HASH_QUEUE_SIZE) sz = HASH_QUEUE_SIZE;
    num = Long_val(count);
    h = (uint32_t)Int_val(seed);
    queue[0] = obj;
    while (rd < wr && num > 0) {
        value v = queue[rd++];
        mlsize_t i, len;
    again:
        if (Is_long(v)) {
            h = caml_hash_mix_intnat(h, v);
            num--;
            continue;
        }
        switch (Tag_val(v)) {
        case String_tag:
            h = caml_hash_mix_string(h, v);
            num--;
            break;
        case Double_tag:
            h = caml_hash_mix_double(h, Double_val(v));
            num--;
            break;
        case Double_array_tag:
            len = Wosize_val(v) / Double_wosize;
            for (i = 0; i < len; i++) {
                h = caml_hash_mix_double(h, Double_flat_field(v, i));
                num--;
                if (num <= 0) break;
            }
            break;
        case Abstract_tag:
            break;
        case Infix_tag:
            h = caml_hash_mix_uint32(h, (uint32_t)Infix_offset_val(v));
            v = v - Infix_offset_val(v);
            goto again;
        case Forward_tag:
            for (i = MAX_FORWARD_DEREFERENCE; i > 0; i--) {
                v = Forward_val(v);
                if (Is_long(v) || Tag_val(v) != Forward_tag) goto again;
            }
            break;
        case Object_tag:
            h = caml_hash_mix_intnat(h, Oid_val(v));
            num--;
            break;
        case Custom_tag:
            if (Custom_ops_val(v)->hash != NULL) {
                h = caml_hash_mix_uint32(h, (uint32_t)Custom_ops_val(v)->hash(v));
                num--;
            }
            break;
        case Closure_tag: {
            mlsize_t start;
            len = Wosize_val(v);
            start = Start_env_closinfo(Closinfo_val(v));
            if (start > len) start = len;
            h = caml_hash_mix_uint32(h, (uint32_t)Whitehd_hd(Hd_val(v)));
            for (i = 0; i < start; i++) {
                h = caml_hash_mix_intnat(h, Field(v, i));
                num--;
            }
            for (; i < len && wr < sz; i++) queue[wr++] = Field(v, i);
            break;
        }
        default:
            h = caml_hash_mix_uint32(h, (uint32_t)Whitehd_hd(Hd_val(v)));
            for (i = 0, len = Wosize_val(v); i < len && wr < sz; i++) queue[wr++] = Field(v, i);
            break;
        }
    }
    h = final_mix(h);
    return Val_long(h & 0x3FFFFFFFu);
}

value caml_hash_variant(const char *tag)
{
    uint32_t u = 0;    /* the untagged accumulator, modulo 2^31 as in OCaml */
    for (; *tag != 0; tag++) u = (223u * u + *(const unsigned char *)tag) & 0x7FFFFFFFu;
    return (value)(int32_t)((u << 1) | 1u);
}
