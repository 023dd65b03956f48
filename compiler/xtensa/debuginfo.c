/* debuginfo.c — the DBUG section and the backtrace table (see debuginfo.h). */
#include "xtensa/debuginfo.h"
#include "diag.h"
#include "marshal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dbg_event {
    uint32_t pc;                /* word index into CODE */
    uint32_t file, defname;     /* offsets in the string table */
    int32_t lnum, startchr, endchr;
    int32_t out;                /* index in the emitted event table, -1 not emitted yet */
} dbg_event;

typedef struct dbg_point { xlabel l; uint32_t delta, pc, off; } dbg_point;

struct xt_dbg {
    const bc_program *p;
    dbg_event *ev;
    uint32_t nev, capev;
    char *str;                  /* string table */
    uint32_t nstr, capstr;
    uint32_t *hash;             /* open addressing: string offset + 1, 0 = empty */
    uint32_t nhash, hused;
    dbg_point *pt;
    uint32_t npt, cappt;
};

/* ---- string table ---- */

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void hash_insert(xt_dbg *d, uint32_t off)
{
    uint32_t k = str_hash(d->str + off) & (d->nhash - 1);
    while (d->hash[k]) k = (k + 1) & (d->nhash - 1);
    d->hash[k] = off + 1;
}

static uint32_t intern(xt_dbg *d, const char *s)
{
    if (2 * (d->hused + 1) > d->nhash) {
        uint32_t old = d->nhash;
        uint32_t *oh = d->hash;
        d->nhash = old ? 2 * old : 256;
        d->hash = xcalloc(d->nhash, sizeof *d->hash);
        for (uint32_t k = 0; k < old; k++)
            if (oh[k]) hash_insert(d, oh[k] - 1);
        free(oh);
    }
    uint32_t k = str_hash(s) & (d->nhash - 1);
    while (d->hash[k]) {
        if (!strcmp(d->str + d->hash[k] - 1, s)) return d->hash[k] - 1;
        k = (k + 1) & (d->nhash - 1);
    }
    size_t len = strlen(s) + 1;
    while (d->nstr + len > d->capstr) {
        d->capstr = d->capstr ? 2 * d->capstr : 4096;
        d->str = xrealloc(d->str, d->capstr);
    }
    uint32_t off = d->nstr;
    memcpy(d->str + off, s, len);
    d->nstr += (uint32_t)len;
    d->hash[k] = off + 1;
    d->hused++;
    return off;
}

/* ---- decoding the DBUG section ---- */

static const bc_section *find_dbug(const bc_program *p)
{
    for (uint32_t i = 0; i < p->nsections; i++)
        if (!strcmp(p->sections[i].name, "DBUG")) return &p->sections[i];
    return NULL;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Total length (header + data) of the marshalled value at b[0..len), 0 if malformed. */
static size_t marshalled_length(const unsigned char *b, size_t len)
{
    if (len < 20) return 0;
    uint32_t magic = be32(b);
    uint64_t hlen, dlen;
    if (magic == 0x8495A6BEu) { hlen = 20; dlen = be32(b + 4); }
    else if (magic == 0x8495A6BFu) {
        if (len < 32) return 0;
        hlen = 32;
        dlen = (uint64_t)be32(b + 8) << 32 | be32(b + 12);
    } else return 0;
    if (dlen > len - hlen) return 0;
    return (size_t)(hlen + dlen);
}

static int is_int(ml_value v) { return v.is_int; }
static ml_block *blk(ml_value v, uint32_t min_fields)
{
    if (v.is_int || !v.b || v.b->kind != ML_BLOCK || v.b->size < min_fields) return NULL;
    return v.b;
}
static const char *str_of(ml_value v)
{
    return !v.is_int && v.b && v.b->kind == ML_STRING ? (const char *)v.b->bytes : NULL;
}

/* One Instruct.debug_event: { ev_pos; ev_module; ev_loc; ev_kind; ev_defname; ... } with
   ev_loc = { loc_start; loc_end; loc_ghost } and positions
   { pos_fname; pos_lnum; pos_bol; pos_cnum }. */
static int add_event(xt_dbg *d, ml_value v, uint32_t orig)
{
    ml_block *ev = blk(v, 5), *loc, *start, *end;
    if (!ev || !is_int(ev->fields[0]) || !(loc = blk(ev->fields[2], 2))
        || !(start = blk(loc->fields[0], 4)) || !(end = blk(loc->fields[1], 4)))
        return 0;
    const char *fname = str_of(start->fields[0]);
    if (!fname || !is_int(start->fields[1]) || !is_int(start->fields[2])
        || !is_int(start->fields[3]) || !is_int(end->fields[3]))
        return 0;
    int64_t pos = (int64_t)orig + ev->fields[0].i;
    if (pos < 0 || (pos & 3) || pos / 4 > (int64_t)d->p->ncode) return 0;
    const char *defname = str_of(ev->fields[4]);
    if (d->nev == d->capev) {
        d->capev = d->capev ? 2 * d->capev : 1024;
        d->ev = xrealloc(d->ev, d->capev * sizeof *d->ev);
    }
    dbg_event *e = &d->ev[d->nev++];
    e->pc = (uint32_t)(pos / 4);
    e->file = intern(d, fname);
    e->defname = intern(d, defname ? defname : "<old bytecode>");
    e->lnum = (int32_t)start->fields[1].i;
    e->startchr = (int32_t)(start->fields[3].i - start->fields[2].i);
    e->endchr = (int32_t)(end->fields[3].i - start->fields[2].i);
    e->out = -1;
    return 1;
}

/* The same total order as ocamlrun's (pc, line, start, end), so that lookups among events
   of equal pc pick the same one. */
static int cmp_event(const void *a, const void *b)
{
    const dbg_event *x = a, *y = b;
    if (x->pc != y->pc) return x->pc < y->pc ? -1 : 1;
    if (x->lnum != y->lnum) return x->lnum < y->lnum ? -1 : 1;
    if (x->startchr != y->startchr) return x->startchr < y->startchr ? -1 : 1;
    if (x->endchr != y->endchr) return x->endchr < y->endchr ? -1 : 1;
    return 0;
}

static void decode(xt_dbg *d, const bc_section *s)
{
    const bc_program *p = d->p;
    char where[512];
    snprintf(where, sizeof where, "%s: DBUG section", p->path);
    if (s->offset > p->file_size || s->length > p->file_size - s->offset || s->length < 4) {
        diag_warn(where, "truncated; backtraces will have no locations");
        return;
    }
    const unsigned char *b = p->file + s->offset;
    size_t len = s->length, pos = 4;
    uint32_t nunits = be32(b);
    for (uint32_t u = 0; u < nunits; u++) {
        size_t n1, n2;
        if (len - pos < 4 || !(n1 = marshalled_length(b + pos + 4, len - pos - 4))
            || !(n2 = marshalled_length(b + pos + 4 + n1, len - pos - 4 - n1))) {
            diag_warn(where, "malformed (unit %u); backtraces will miss locations", u);
            break;
        }
        uint32_t orig = be32(b + pos);
        ml_heap *heap = NULL;
        ml_value l = ml_unmarshal(b + pos + 4, n1, where, &heap);
        for (ml_block *cell; (cell = blk(l, 2)) != NULL; l = cell->fields[1])
            add_event(d, cell->fields[0], orig);
        ml_heap_free(heap);
        pos += 4 + n1 + n2;
    }
    qsort(d->ev, d->nev, sizeof *d->ev, cmp_event);
}

xt_dbg *xt_dbg_new(const bc_program *prog)
{
    xt_dbg *d = xcalloc(1, sizeof *d);
    d->p = prog;
    const bc_section *s = find_dbug(prog);
    if (s) decode(d, s);
    return d;
}

int xt_dbg_has_events(const xt_dbg *d) { return d->nev > 0; }

void xt_dbg_point(xt_dbg *d, xlabel l, uint32_t delta, uint32_t pc)
{
    if (d->npt == d->cappt) {
        d->cappt = d->cappt ? 2 * d->cappt : 1024;
        d->pt = xrealloc(d->pt, d->cappt * sizeof *d->pt);
    }
    d->pt[d->npt++] = (dbg_point){ l, delta, pc, 0 };
}

/* ocamlrun's search: the event at pc, else at pc + 1 (ocamlc sometimes puts an event after
   a following PUSH). */
int xt_dbg_lookup(const xt_dbg *d, uint32_t pc)
{
    if (d->nev == 0) return -1;
    uint32_t low = 0, high = d->nev;
    while (low + 1 < high) {
        uint32_t m = (low + high) / 2;
        if (pc < d->ev[m].pc) high = m;
        else low = m;
    }
    if (d->ev[low].pc == pc || d->ev[low].pc == pc + 1) return (int)low;
    if (low + 1 < d->nev && d->ev[low + 1].pc == pc + 1) return (int)low + 1;
    return -1;
}

void xt_dbg_event(const xt_dbg *d, int ev, const char **file, const char **defname,
                  int32_t *lnum, int32_t *startchr, int32_t *endchr)
{
    const dbg_event *e = &d->ev[ev];
    *file = d->str + e->file;
    *defname = d->str + e->defname;
    *lnum = e->lnum;
    *startchr = e->startchr;
    *endchr = e->endchr;
}

static int is_raise_at(const bc_program *p, uint32_t pc)
{
    return pc < p->ncode && (p->code[pc] == RAISE || p->code[pc] == RERAISE);
}

static int cmp_point(const void *a, const void *b)
{
    const dbg_point *x = a, *y = b;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    return x->pc < y->pc ? -1 : x->pc > y->pc;
}

static void put32(elf_obj *o, int sec, uint32_t v)
{
    unsigned char w[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    elf_append(o, sec, w, 4);
}

void xt_dbg_emit(xt_dbg *d, xasm *a, elf_obj *o, int sec)
{
    int complete = d->nev > 0;
    for (uint32_t k = 0; k < d->npt; k++) d->pt[k].off = xa_label_offset(a, d->pt[k].l) + d->pt[k].delta;
    qsort(d->pt, d->npt, sizeof *d->pt, cmp_point);
    /* the entries: one per distinct code offset */
    uint32_t *info = xmalloc((d->npt ? d->npt : 1) * sizeof *info);
    uint32_t *off = xmalloc((d->npt ? d->npt : 1) * sizeof *off);
    uint32_t n = 0, m = 0;
    int32_t *order = xmalloc((d->nev ? d->nev : 1) * sizeof *order);
    for (uint32_t k = 0; k < d->npt; k++) {
        if (n && off[n - 1] == d->pt[k].off) continue;
        int raise = is_raise_at(d->p, d->pt[k].pc);
        int ev = complete ? xt_dbg_lookup(d, d->pt[k].pc) : -1;
        if (!complete && !raise) continue;
        uint32_t e = 0;
        if (ev >= 0) {
            if (d->ev[ev].out < 0) { d->ev[ev].out = (int32_t)m; order[m++] = ev; }
            e = (uint32_t)d->ev[ev].out + 1;
        }
        off[n] = d->pt[k].off;
        info[n++] = e << 1 | (uint32_t)raise;
    }
    /* strings actually used, re-interned compactly */
    xt_dbg *s = xcalloc(1, sizeof *s);
    uint32_t *sfile = xmalloc((m ? m : 1) * sizeof *sfile), *sdef = xmalloc((m ? m : 1) * sizeof *sdef);
    for (uint32_t j = 0; j < m; j++) {
        sfile[j] = intern(s, d->str + d->ev[order[j]].file);
        sdef[j] = intern(s, d->str + d->ev[order[j]].defname);
    }
    elf_align(o, sec, 4);
    uint32_t at = elf_size(o, sec);
    put32(o, sec, n);
    put32(o, sec, (uint32_t)complete);
    put32(o, sec, m);
    for (uint32_t k = 0; k < n; k++) { put32(o, sec, off[k]); put32(o, sec, info[k]); }
    for (uint32_t j = 0; j < m; j++) {
        const dbg_event *e = &d->ev[order[j]];
        put32(o, sec, sfile[j]);
        put32(o, sec, sdef[j]);
        put32(o, sec, (uint32_t)e->lnum);
        put32(o, sec, (uint32_t)e->startchr);
        put32(o, sec, (uint32_t)e->endchr);
    }
    if (s->nstr) elf_append(o, sec, s->str, s->nstr);
    elf_align(o, sec, 4);
    elf_symbol(o, "caml_debug_info", sec, at, elf_size(o, sec) - at, ELF_GLOBAL, ELF_OBJECT);
    free(sfile);
    free(sdef);
    xt_dbg_free(s);
    free(order);
    free(off);
    free(info);
}

void xt_dbg_free(xt_dbg *d)
{
    if (!d) return;
    free(d->ev);
    free(d->str);
    free(d->hash);
    free(d->pt);
    free(d);
}
