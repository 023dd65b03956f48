/* data.c — the program's static data for the target.

   The global table goes to .data (SETGLOBAL writes it); every block reachable from it is
   laid out once (sharing preserved) as a pre-built block in .rodata: header word with color
   black, then the fields. Pointers between blocks are R_XTENSA_32 relocations against the
   .rodata section symbol (addend = the target's value offset); zero-size blocks become
   Atom(tag) = caml_atom_table + 4*tag + 4. Layout is two passes: offsets first, then bytes
   and relocations, so forward (and cyclic) references need no fix-ups. */
#include "xtensa/data.h"
#include "xtensa/asm.h"
#include "diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLACK (3u << 8)
#define DOUBLE_ARRAY_TAG 254u
#define CUSTOM_TAG 255u
#define NO_OFF UINT32_MAX

typedef struct {
    elf_obj *o;
    int rodata, data;
    const char *where;
    uint32_t *off;            /* block id -> value offset in rodata, NO_OFF if not laid out */
    uint32_t noff;
    ml_block **order;         /* blocks in layout order */
    uint32_t n, cap;
    int rodata_sym, atom_sym;
} dctx;

static int is_atom(const ml_block *b)
{
    return (b->kind == ML_BLOCK && b->size == 0) || (b->kind == ML_DOUBLE_ARRAY && b->size == 0);
}

static uint32_t atom_tag(const ml_block *b)
{
    return b->kind == ML_DOUBLE_ARRAY ? 0 : b->tag;   /* [||] : float array is Atom(0) */
}

static uint32_t wosize(const dctx *d, const ml_block *b)
{
    switch (b->kind) {
    case ML_BLOCK: return b->size;
    case ML_STRING: return (b->size + 4) / 4;
    case ML_DOUBLE: return 2;
    case ML_DOUBLE_ARRAY: return 2 * b->size;
    case ML_CUSTOM:
        if (!strcmp(b->custom_id, "_j")) return 3;
        if (!strcmp(b->custom_id, "_i") || !strcmp(b->custom_id, "_n")) return 2;
        diag_fatal(d->where, "static data: custom block \"%s\" is not supported (only int32, "
                   "int64 and nativeint constants)", b->custom_id);
    }
    diag_fatal(d->where, "static data: unknown block kind %d", (int)b->kind);
}

static uint32_t *slot(dctx *d, const ml_block *b)
{
    if (b->id >= d->noff) {
        uint32_t n = d->noff ? d->noff : 256;
        while (n <= b->id) n *= 2;
        d->off = xrealloc(d->off, n * sizeof *d->off);
        for (uint32_t i = d->noff; i < n; i++) d->off[i] = NO_OFF;
        d->noff = n;
    }
    return &d->off[b->id];
}

/* Pass 1: assigns offsets in depth-first order (explicit stack: constant lists can be long). */
static void layout(dctx *d, ml_value root, const uint8_t *keep)
{
    ml_block **stack = NULL;
    uint32_t sp = 0, cap = 0;
    uint32_t pos = elf_size(d->o, d->rodata);
    pos = (pos + 3) & ~3u;
    for (uint32_t i = root.b->size; i-- > 0;) {
        ml_value v = root.b->fields[i];
        if (v.is_int || (keep && !keep[i])) continue;
        if (sp == cap) { cap = cap ? 2 * cap : 256; stack = xrealloc(stack, cap * sizeof *stack); }
        stack[sp++] = v.b;
    }
    while (sp) {
        ml_block *b = stack[--sp];
        if (is_atom(b)) continue;
        uint32_t *s = slot(d, b);
        if (*s != NO_OFF) continue;
        *s = pos + 4;
        pos += 4 * (1 + wosize(d, b));
        if (d->n == d->cap) {
            d->cap = d->cap ? 2 * d->cap : 256;
            d->order = xrealloc(d->order, d->cap * sizeof *d->order);
        }
        d->order[d->n++] = b;
        if (b->kind != ML_BLOCK) continue;
        for (uint32_t i = b->size; i-- > 0;) {
            ml_value v = b->fields[i];
            if (v.is_int) continue;
            if (sp == cap) { cap = cap ? 2 * cap : 256; stack = xrealloc(stack, cap * sizeof *stack); }
            stack[sp++] = v.b;
        }
    }
    free(stack);
}

static void put_word(dctx *d, int sec, uint32_t w)
{
    uint8_t b[4] = { (uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24) };
    elf_append(d->o, sec, b, 4);
}

/* One field word: a tagged int or a relocated pointer. `what` describes it in messages. */
static void put_value(dctx *d, int sec, ml_value v, const char *what, uint32_t index)
{
    if (v.is_int) {
        if (v.i < -(INT64_C(1) << 30) || v.i >= (INT64_C(1) << 30))
            diag_fatal(d->where, "%s %u: integer constant %lld does not fit in 31 bits "
                       "(the target's int)", what, index, (long long)v.i);
        put_word(d, sec, (uint32_t)(v.i * 2 + 1));
        return;
    }
    uint32_t at = elf_size(d->o, sec);
    if (is_atom(v.b)) {
        elf_reloc(d->o, sec, at, d->atom_sym, XR_32, (int32_t)(4 * atom_tag(v.b) + 4));
    } else {
        uint32_t off = *slot(d, v.b);
        if (off == NO_OFF) diag_fatal(d->where, "static data: block not laid out (internal)");
        elf_reloc(d->o, sec, at, d->rodata_sym, XR_32, (int32_t)off);
    }
    put_word(d, sec, 0);
}

static void put_double(dctx *d, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    put_word(d, d->rodata, (uint32_t)u);         /* little-endian target: low word first */
    put_word(d, d->rodata, (uint32_t)(u >> 32));
}

static int64_t payload_le(const ml_block *b)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < b->size && i < 8; i++) v |= (uint64_t)b->bytes[i] << (8 * i);
    if (b->size == 4) return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

static void emit_block(dctx *d, const ml_block *b)
{
    uint32_t ws = wosize(d, b);
    uint32_t tag = b->tag;
    elf_align(d->o, d->rodata, 4);
    uint32_t hd_at = elf_size(d->o, d->rodata);
    if (hd_at + 4 != *slot(d, b)) diag_fatal(d->where, "static data: layout mismatch (internal)");
    put_word(d, d->rodata, (ws << 10) | BLACK | (tag & 0xff));
    char name[32];
    snprintf(name, sizeof name, "camlS_%u", b->id);
    elf_symbol(d->o, name, d->rodata, hd_at + 4, 4 * ws, ELF_LOCAL, ELF_OBJECT);
    switch (b->kind) {
    case ML_BLOCK:
        for (uint32_t i = 0; i < b->size; i++) put_value(d, d->rodata, b->fields[i], "static block field", i);
        break;
    case ML_STRING: {
        uint32_t total = 4 * ws;
        uint8_t *buf = xcalloc(total, 1);
        memcpy(buf, b->bytes, b->size);
        buf[total - 1] = (uint8_t)(total - 1 - b->size);
        elf_append(d->o, d->rodata, buf, total);
        free(buf);
        break;
    }
    case ML_DOUBLE:
        put_double(d, b->doubles[0]);
        break;
    case ML_DOUBLE_ARRAY:
        for (uint32_t i = 0; i < b->size; i++) put_double(d, b->doubles[i]);
        break;
    case ML_CUSTOM: {
        const char *ops;
        int64_t v = payload_le(b);
        if (!strcmp(b->custom_id, "_j")) ops = "caml_int64_ops";
        else if (!strcmp(b->custom_id, "_i")) ops = "caml_int32_ops";
        else ops = "caml_nativeint_ops";
        elf_reloc(d->o, d->rodata, elf_size(d->o, d->rodata), elf_symbol_ref(d->o, ops), XR_32, 0);
        put_word(d, d->rodata, 0);
        if (ws == 3) {
            put_word(d, d->rodata, (uint32_t)(uint64_t)v);
            put_word(d, d->rodata, (uint32_t)((uint64_t)v >> 32));
        } else {
            if (v < INT32_MIN || v > INT32_MAX)
                diag_fatal(d->where, "static data: nativeint constant %lld does not fit in 32 bits "
                           "(the target's nativeint)", (long long)v);
            put_word(d, d->rodata, (uint32_t)v);
        }
        break;
    }
    }
}

void xt_data_emit(elf_obj *o, int rodata_sec, int data_sec, ml_value globals,
                  const uint8_t *keep, const char *where)
{
    if (globals.is_int || globals.b->kind != ML_BLOCK)
        diag_fatal(where, "DATA section does not hold the global table (a block)");
    dctx d = { .o = o, .rodata = rodata_sec, .data = data_sec, .where = where };
    d.rodata_sym = elf_section_symbol(o, rodata_sec);
    d.atom_sym = elf_symbol_ref(o, "caml_atom_table");
    elf_align(o, rodata_sec, 4);
    layout(&d, globals, keep);
    for (uint32_t i = 0; i < d.n; i++) emit_block(&d, d.order[i]);

    /* the global table */
    const ml_block *g = globals.b;
    elf_align(o, data_sec, 4);
    put_word(&d, data_sec, (g->size << 10) | BLACK | (g->tag & 0xff));
    uint32_t at = elf_size(o, data_sec);
    elf_symbol(o, "caml_globals", data_sec, at, 4 * g->size, ELF_GLOBAL, ELF_OBJECT);
    for (uint32_t i = 0; i < g->size; i++) {
        if (keep && !keep[i]) put_word(&d, data_sec, 1);     /* Val_unit: nobody reads it */
        else put_value(&d, data_sec, g->fields[i], "global", i);
    }

    elf_align(o, rodata_sec, 4);
    at = elf_size(o, rodata_sec);
    put_word(&d, rodata_sec, g->size);
    elf_symbol(o, "caml_globals_count", rodata_sec, at, 4, ELF_GLOBAL, ELF_OBJECT);
    free(d.off);
    free(d.order);
}
