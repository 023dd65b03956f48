/* marshal.c — decoding OCaml's marshal (intern) format into a host-side value graph.

   Format (as produced by output_value in OCaml 4.13/4.14):
     header, small: magic 0x8495A6BE, data_len, num_objects, size_32, size_64   (5 x u32 BE)
             big:   magic 0x8495A6BF, reserved u32, data_len, num_objects, size_64 (u64 BE)
     then data_len bytes of items. Every item is one value; blocks are followed by their
     fields in order (pre-order). Every non-atom block, string, double, float array and custom
     block gets the next slot in the object table; CODE_SHARED* refers back to slot
     (counter - offset).

   The decoder is iterative: a stack of partially filled blocks replaces recursion, so long
   lists and deep structures do not consume host stack. Every read is bounds-checked. */
#include "marshal.h"
#include "diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC_SMALL 0x8495A6BEu
#define MAGIC_BIG   0x8495A6BFu

enum {
    C_INT8 = 0x00, C_INT16 = 0x01, C_INT32 = 0x02, C_INT64 = 0x03,
    C_SHARED8 = 0x04, C_SHARED16 = 0x05, C_SHARED32 = 0x06, C_SHARED64 = 0x14,
    C_BLOCK32 = 0x08, C_BLOCK64 = 0x13,
    C_STRING8 = 0x09, C_STRING32 = 0x0A, C_STRING64 = 0x15,
    C_DOUBLE_BIG = 0x0B, C_DOUBLE_LITTLE = 0x0C,
    C_DARRAY8_BIG = 0x0D, C_DARRAY8_LITTLE = 0x0E,
    C_DARRAY32_BIG = 0x0F, C_DARRAY32_LITTLE = 0x07,
    C_DARRAY64_BIG = 0x16, C_DARRAY64_LITTLE = 0x17,
    C_CODEPOINTER = 0x10, C_INFIXPOINTER = 0x11,
    C_CUSTOM = 0x12, C_CUSTOM_LEN = 0x18, C_CUSTOM_FIXED = 0x19,
    P_SMALL_STRING = 0x20, P_SMALL_INT = 0x40, P_SMALL_BLOCK = 0x80
};

typedef struct reader {
    const unsigned char *buf;
    size_t pos, end;           /* end = header_len + data_len */
    const char *where;
    size_t item_start;         /* offset of the item being decoded, for messages */
} reader;

typedef struct frame { ml_block *b; uint32_t next; } frame;

_Noreturn static void corrupt(reader *r, const char *what)
{
    diag_fatal(r->where, "corrupt marshalled data at byte offset %zu: %s", r->item_start, what);
}

static void need(reader *r, size_t n, const char *what)
{
    if (n > r->end - r->pos)
        diag_fatal(r->where, "truncated marshalled data at byte offset %zu: %s needs %zu bytes, "
                   "%zu left", r->item_start, what, n, r->end - r->pos);
}

static uint64_t rd_be(reader *r, int n, const char *what)
{
    need(r, (size_t)n, what);
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = (v << 8) | r->buf[r->pos + i];
    r->pos += (size_t)n;
    return v;
}

static double rd_double(reader *r, int big)
{
    need(r, 8, "double");
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++) {
        unsigned char c = r->buf[r->pos + (big ? i : 7 - i)];
        bits = (bits << 8) | c;
    }
    r->pos += 8;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

typedef struct decoder {
    reader r;
    ml_heap *heap;
    uint32_t cap_blocks;
    ml_block **objs;           /* object table (for CODE_SHARED*) */
    uint64_t nobjs, cap_objs, expect_objs;
    ml_block *atoms[256];      /* zero-size blocks, one per tag (OCaml's atoms are shared too) */
} decoder;

/* Enters b in the object table (the targets of CODE_SHARED*). */
static void record_obj(decoder *d, ml_block *b)
{
    if (d->expect_objs && d->nobjs >= d->expect_objs)
        corrupt(&d->r, "more objects than announced in the header");
    if (d->nobjs == d->cap_objs) {
        d->cap_objs = d->cap_objs ? d->cap_objs * 2 : 64;
        d->objs = xrealloc(d->objs, (size_t)d->cap_objs * sizeof *d->objs);
    }
    d->objs[d->nobjs++] = b;
}

static ml_block *new_block(decoder *d, enum ml_kind kind, uint32_t tag, uint32_t size, int record)
{
    ml_heap *h = d->heap;
    ml_block *b = xcalloc(1, sizeof *b);
    b->kind = kind;
    b->tag = tag;
    b->size = size;
    if (h->nblocks == UINT32_MAX) corrupt(&d->r, "too many blocks");
    if (h->nblocks == d->cap_blocks) {
        d->cap_blocks = d->cap_blocks ? d->cap_blocks * 2 : 64;
        h->blocks = xrealloc(h->blocks, (size_t)d->cap_blocks * sizeof *h->blocks);
    }
    b->id = h->nblocks;
    h->blocks[h->nblocks++] = b;
    if (record) record_obj(d, b);
    return b;
}

/* Reads the payload of a custom block whose identifier is known (int32/int64/nativeint) and
   stores it decoded, little-endian; other identifiers are rejected (their stream length is
   only known to their deserializer). */
static void read_custom(decoder *d, int code, ml_block *b)
{
    reader *r = &d->r;
    const char *id = b->custom_id;
    if (code == C_CUSTOM_LEN) {
        uint64_t s32 = rd_be(r, 4, "custom block size"), s64 = rd_be(r, 8, "custom block size");
        (void)s32; (void)s64;
    }
    /* Decoded payloads are stored little-endian (see marshal.h). */
    int64_t v;
    uint32_t width;
    if (!strcmp(id, "_i")) {
        v = (int32_t)(uint32_t)rd_be(r, 4, "int32 payload");
        width = 4;
    } else if (!strcmp(id, "_j")) {
        v = (int64_t)rd_be(r, 8, "int64 payload");
        width = 8;
    } else if (!strcmp(id, "_n")) {
        unsigned k = (unsigned)rd_be(r, 1, "nativeint size byte");
        if (k == 1) v = (int32_t)(uint32_t)rd_be(r, 4, "nativeint payload");
        else if (k == 2) v = (int64_t)rd_be(r, 8, "nativeint payload");
        else corrupt(r, "ill-formed nativeint (size byte not 1 or 2)");
        width = 8;
    } else {
        diag_fatal(r->where, "marshalled data at byte offset %zu: custom block \"%s\" is not "
                   "supported (only int32 \"_i\", int64 \"_j\" and nativeint \"_n\")",
                   r->item_start, id);
    }
    b->size = width;
    b->bytes = xmalloc(width);
    for (uint32_t i = 0; i < width; i++) b->bytes[i] = (unsigned char)((uint64_t)v >> (8 * i));
}

/* Reads one item. Returns the value; *push is set when it is a block whose fields follow. */
static ml_value read_item(decoder *d, int *push)
{
    reader *r = &d->r;
    ml_value v = { 0, 0, NULL };
    *push = 0;
    r->item_start = r->pos;
    unsigned code = (unsigned)rd_be(r, 1, "item code");
    uint64_t len = 0, tag = 0, wosize = 0;
    int big = 0;

    if (code >= P_SMALL_BLOCK) {
        tag = code & 0xF;
        wosize = (code >> 4) & 0x7;
        goto block;
    }
    if (code >= P_SMALL_INT) {
        v.is_int = 1;
        v.i = code & 0x3F;
        return v;
    }
    if (code >= P_SMALL_STRING) {
        len = code & 0x1F;
        goto string;
    }
    switch (code) {
    case C_INT8:  v.is_int = 1; v.i = (int8_t)(uint8_t)rd_be(r, 1, "int8"); return v;
    case C_INT16: v.is_int = 1; v.i = (int16_t)(uint16_t)rd_be(r, 2, "int16"); return v;
    case C_INT32: v.is_int = 1; v.i = (int32_t)(uint32_t)rd_be(r, 4, "int32"); return v;
    case C_INT64: v.is_int = 1; v.i = (int64_t)rd_be(r, 8, "int64"); return v;
    case C_SHARED8: case C_SHARED16: case C_SHARED32: case C_SHARED64: {
        int n = code == C_SHARED8 ? 1 : code == C_SHARED16 ? 2 : code == C_SHARED32 ? 4 : 8;
        uint64_t ofs = rd_be(r, n, "shared reference");
        if (ofs == 0 || ofs > d->nobjs) {
            char msg[96];
            snprintf(msg, sizeof msg, "shared reference %llu out of range (%llu objects so far)",
                     (unsigned long long)ofs, (unsigned long long)d->nobjs);
            corrupt(r, msg);
        }
        v.b = d->objs[d->nobjs - ofs];
        return v;
    }
    case C_BLOCK32: case C_BLOCK64: {
        uint64_t hd = rd_be(r, code == C_BLOCK32 ? 4 : 8, "block header");
        tag = hd & 0xFF;
        wosize = hd >> 10;
        goto block;
    }
    case C_STRING8: len = rd_be(r, 1, "string length"); goto string;
    case C_STRING32: len = rd_be(r, 4, "string length"); goto string;
    case C_STRING64: len = rd_be(r, 8, "string length"); goto string;
    case C_DOUBLE_BIG: case C_DOUBLE_LITTLE: {
        ml_block *b = new_block(d, ML_DOUBLE, 253, 1, 1);
        b->doubles = xmalloc(sizeof(double));
        b->doubles[0] = rd_double(r, code == C_DOUBLE_BIG);
        v.b = b;
        return v;
    }
    case C_DARRAY8_BIG: big = 1; /* fallthrough */
    case C_DARRAY8_LITTLE: len = rd_be(r, 1, "float array length"); goto darray;
    case C_DARRAY32_BIG: big = 1; /* fallthrough */
    case C_DARRAY32_LITTLE: len = rd_be(r, 4, "float array length"); goto darray;
    case C_DARRAY64_BIG: big = 1; /* fallthrough */
    case C_DARRAY64_LITTLE: len = rd_be(r, 8, "float array length"); goto darray;
    case C_CODEPOINTER:
        diag_fatal(r->where, "marshalled data at byte offset %zu contains a code pointer "
                   "(a marshalled closure); not supported", r->item_start);
    case C_INFIXPOINTER:
        diag_fatal(r->where, "marshalled data at byte offset %zu contains an infix pointer "
                   "(a marshalled recursive closure); not supported", r->item_start);
    case C_CUSTOM: case C_CUSTOM_LEN: case C_CUSTOM_FIXED: {
        size_t start = r->pos, n = 0;
        while (1) {
            need(r, n + 1, "custom block identifier");
            if (r->buf[start + n] == 0) break;
            n++;
        }
        ml_block *b = new_block(d, ML_CUSTOM, 255, 0, 0);
        b->custom_id = xmalloc(n + 1);
        memcpy(b->custom_id, r->buf + start, n + 1);
        r->pos += n + 1;
        read_custom(d, (int)code, b);
        /* OCaml enters custom blocks in the object table after their payload; since they
           have no fields the order is the same. */
        record_obj(d, b);
        v.b = b;
        return v;
    }
    default: {
        char msg[48];
        snprintf(msg, sizeof msg, "unknown item code 0x%02X", code);
        corrupt(r, msg);
    }
    }

block:
    if (wosize == 0) {
        if (!d->atoms[tag]) d->atoms[tag] = new_block(d, ML_BLOCK, (uint32_t)tag, 0, 0);
        v.b = d->atoms[tag];
        return v;
    }
    if (tag >= 251) corrupt(r, "structured block with a tag >= 251 (No_scan_tag)");
    /* every field takes at least one byte of input */
    if (wosize > r->end - r->pos || wosize > UINT32_MAX)
        corrupt(r, "block larger than the remaining data");
    {
        ml_block *b = new_block(d, ML_BLOCK, (uint32_t)tag, (uint32_t)wosize, 1);
        b->fields = xcalloc((size_t)wosize, sizeof *b->fields);
        v.b = b;
        *push = 1;
        return v;
    }

string:
    need(r, len, "string bytes");
    if (len > UINT32_MAX - 1) corrupt(r, "string too long");
    {
        ml_block *b = new_block(d, ML_STRING, 252, (uint32_t)len, 1);
        b->bytes = xmalloc((size_t)len + 1);
        memcpy(b->bytes, r->buf + r->pos, (size_t)len);
        b->bytes[len] = 0;
        r->pos += (size_t)len;
        v.b = b;
        return v;
    }

darray:
    if (len > (r->end - r->pos) / 8 || len > UINT32_MAX)
        diag_fatal(r->where, "truncated marshalled data at byte offset %zu: float array of "
                   "%llu elements, only %zu bytes left", r->item_start,
                   (unsigned long long)len, r->end - r->pos);
    {
        ml_block *b = new_block(d, ML_DOUBLE_ARRAY, 254, (uint32_t)len, 1);
        b->doubles = xmalloc((size_t)len * sizeof(double));
        for (uint64_t i = 0; i < len; i++) b->doubles[i] = rd_double(r, big);
        v.b = b;
        return v;
    }
}

ml_value ml_unmarshal(const unsigned char *buf, size_t len, const char *where, ml_heap **heap)
{
    decoder d;
    memset(&d, 0, sizeof d);
    d.r.buf = buf;
    d.r.end = len;
    d.r.where = where;
    d.heap = xcalloc(1, sizeof *d.heap);

    if (len < 4) diag_fatal(where, "truncated marshalled data: %zu bytes, no header", len);
    uint32_t magic = (uint32_t)rd_be(&d.r, 4, "header");
    uint64_t data_len, nobj;
    size_t hlen;
    if (magic == MAGIC_SMALL) {
        hlen = 20;
        if (len < hlen) diag_fatal(where, "truncated marshalled data: header needs 20 bytes, "
                                   "have %zu", len);
        data_len = rd_be(&d.r, 4, "header");
        nobj = rd_be(&d.r, 4, "header");
        d.r.pos = hlen;
    } else if (magic == MAGIC_BIG) {
        hlen = 32;
        if (len < hlen) diag_fatal(where, "truncated marshalled data: header needs 32 bytes, "
                                   "have %zu", len);
        d.r.pos = 8;
        data_len = rd_be(&d.r, 8, "header");
        nobj = rd_be(&d.r, 8, "header");
        d.r.pos = hlen;
    } else {
        diag_fatal(where, "not marshalled data: bad magic number 0x%08X (expected 0x%08X or "
                   "0x%08X)", magic, MAGIC_SMALL, MAGIC_BIG);
    }
    if (data_len > len - hlen)
        diag_fatal(where, "truncated marshalled data: header announces %llu bytes of data, "
                   "only %zu present", (unsigned long long)data_len, len - hlen);
    d.r.end = hlen + (size_t)data_len;
    d.expect_objs = nobj;

    ml_value root = { 1, 0, NULL };
    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    int push;
    /* root */
    root = read_item(&d, &push);
    if (push) {
        cap = 64;
        stack = xmalloc(cap * sizeof *stack);
        stack[depth++] = (frame){ root.b, 0 };
    }
    while (depth) {
        frame *f = &stack[depth - 1];
        ml_block *parent = f->b;
        uint32_t idx = f->next++;
        if (f->next == parent->size) depth--;       /* last field: pop before descending */
        ml_value v = read_item(&d, &push);
        parent->fields[idx] = v;
        if (push) {
            if (depth == cap) {
                cap *= 2;
                stack = xrealloc(stack, cap * sizeof *stack);
            }
            stack[depth++] = (frame){ v.b, 0 };
        }
    }
    free(stack);
    d.r.item_start = d.r.pos;
    if (d.r.pos != d.r.end)
        corrupt(&d.r, "unused bytes after the value (data length in header too large)");
    if (nobj && d.nobjs != nobj) {
        char msg[96];
        snprintf(msg, sizeof msg, "header announces %llu objects, data has %llu",
                 (unsigned long long)nobj, (unsigned long long)d.nobjs);
        corrupt(&d.r, msg);
    }
    free(d.objs);
    *heap = d.heap;
    return root;
}

void ml_heap_free(ml_heap *h)
{
    if (!h) return;
    for (uint32_t i = 0; i < h->nblocks; i++) {
        ml_block *b = h->blocks[i];
        free(b->fields);
        free(b->bytes);
        free(b->doubles);
        free(b->custom_id);
        free(b);
    }
    free(h->blocks);
    free(h);
}
