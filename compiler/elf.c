/* elf.c — ELF32 little-endian relocatable objects for Xtensa.

   File layout: ELF header, section contents (each at its alignment), .rela<name> sections,
   .symtab, .strtab, .shstrtab, then the section header table. Section header order:
   null, user sections (in creation order), their .rela sections, .symtab, .strtab,
   .shstrtab. Symbols: null, section symbols, other locals, then globals (sh_info of .symtab
   = index of the first global, as ELF requires).

   Relocation conventions, checked against xtensa-lx106-elf-ld (tests/unit/test_elf.c and
   test_asm.c):
   - R_XTENSA_32: ld adds the RELA addend to S and ALSO to the word already in place (the
     howto is partial_inplace), so the in-place word of a relocated literal must be 0 and
     the whole addend goes in r_addend. This is what gas does too.
   - R_XTENSA_SLOT0_OP on call0: gas leaves the offset field 0 with addend 0; we do the same.
     Links correctly with ld's default (relaxing) mode and with --no-relax.
   e_flags 0x300 is what xtensa-lx106-elf-as writes (EF_XTENSA_XT_INSN | EF_XTENSA_XT_LIT). */
#include "elf.h"
#include "diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOBITS = 8 };
enum { SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHF_INFO_LINK = 0x40 };
enum { STT_SECTION = 3, EM_XTENSA = 94, XTENSA_EFLAGS = 0x300 };

typedef struct { uint32_t off; int sym, type; int32_t addend; } rel;

typedef struct {
    char *name;
    enum elf_sec_kind kind;
    uint32_t align, size, cap;
    uint8_t *data;
    rel *rels; size_t nrel, caprel;
    int secsym;
} section;

typedef struct {
    char *name;          /* NULL for section symbols */
    int sec;             /* -1: undefined */
    uint32_t value, size;
    enum elf_bind bind;
    enum elf_symtype type;
    int is_section;
    int index;           /* final symtab index, set by elf_write */
} symbol;

struct elf_obj {
    section *secs; int nsecs, capsecs;
    symbol *syms; int nsyms, capsyms;
    int *ht; size_t htcap;   /* name -> symbol handle (named symbols only), -1 empty */
};

#define GROW(p, n, cap) do { if ((size_t)(n) == (size_t)(cap)) { (cap) = (cap) ? 2 * (cap) : 16; \
    (p) = xrealloc((p), (size_t)(cap) * sizeof *(p)); } } while (0)

elf_obj *elf_new(void) { return xcalloc(1, sizeof(elf_obj)); }

void elf_free(elf_obj *o)
{
    if (!o) return;
    for (int i = 0; i < o->nsecs; i++) {
        free(o->secs[i].name); free(o->secs[i].data); free(o->secs[i].rels);
    }
    for (int i = 0; i < o->nsyms; i++) free(o->syms[i].name);
    free(o->secs); free(o->syms); free(o->ht); free(o);
}

static section *get_sec(elf_obj *o, int sec)
{
    if (sec < 0 || sec >= o->nsecs) diag_fatal("elf writer", "no section %d", sec);
    return &o->secs[sec];
}

static int new_symbol(elf_obj *o, symbol s)
{
    GROW(o->syms, o->nsyms, o->capsyms);
    o->syms[o->nsyms] = s;
    return o->nsyms++;
}

int elf_section(elf_obj *o, const char *name, enum elf_sec_kind kind, uint32_t align)
{
    if (!align || (align & (align - 1))) diag_fatal("elf writer", "%s: bad alignment %u", name, align);
    GROW(o->secs, o->nsecs, o->capsecs);
    section *s = &o->secs[o->nsecs];
    memset(s, 0, sizeof *s);
    s->name = xstrdup(name);
    s->kind = kind;
    s->align = align;
    s->secsym = new_symbol(o, (symbol){.sec = o->nsecs, .bind = ELF_LOCAL, .is_section = 1});
    return o->nsecs++;
}

uint32_t elf_append(elf_obj *o, int sec, const void *data, uint32_t len)
{
    section *s = get_sec(o, sec);
    uint32_t off = s->size;
    if (len > UINT32_MAX - off) diag_fatal("elf writer", "%s: section too large", s->name);
    if (s->kind != ELF_BSS) {
        while (s->cap < off + len) {
            s->cap = s->cap ? 2 * s->cap : 4096;
            s->data = xrealloc(s->data, s->cap);
        }
        if (data) memcpy(s->data + off, data, len);
        else memset(s->data + off, 0, len);
    }
    s->size = off + len;
    return off;
}

uint32_t elf_size(elf_obj *o, int sec) { return get_sec(o, sec)->size; }

void elf_align(elf_obj *o, int sec, uint32_t align)
{
    section *s = get_sec(o, sec);
    uint32_t pad = (align - s->size % align) % align;
    if (pad) elf_append(o, sec, NULL, pad);
    if (align > s->align) s->align = align;
}

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

/* Slot of name in the hash table (an empty slot when absent). */
static size_t lookup(elf_obj *o, const char *name)
{
    if (2 * ((size_t)o->nsyms + 1) > o->htcap) {
        free(o->ht);
        o->htcap = o->htcap ? 2 * o->htcap : 256;
        while (2 * ((size_t)o->nsyms + 1) > o->htcap) o->htcap *= 2;
        o->ht = xmalloc(o->htcap * sizeof *o->ht);
        for (size_t i = 0; i < o->htcap; i++) o->ht[i] = -1;
        for (int k = 0; k < o->nsyms; k++) {
            if (!o->syms[k].name) continue;
            size_t j = str_hash(o->syms[k].name) & (o->htcap - 1);
            while (o->ht[j] >= 0) j = (j + 1) & (o->htcap - 1);
            o->ht[j] = k;
        }
    }
    size_t j = str_hash(name) & (o->htcap - 1);
    while (o->ht[j] >= 0 && strcmp(o->syms[o->ht[j]].name, name)) j = (j + 1) & (o->htcap - 1);
    return j;
}

int elf_symbol(elf_obj *o, const char *name, int sec, uint32_t value, uint32_t size,
               enum elf_bind bind, enum elf_symtype type)
{
    if (sec >= 0) get_sec(o, sec);
    size_t j = lookup(o, name);
    int h = o->ht[j];
    if (h >= 0) {
        if (o->syms[h].sec >= 0 || sec < 0)
            diag_fatal("elf writer", "symbol %s defined twice", name);
    } else {
        h = new_symbol(o, (symbol){.name = xstrdup(name)});
        o->ht[j] = h;
    }
    symbol *s = &o->syms[h];
    s->sec = sec;
    s->value = value;
    s->size = size;
    s->bind = sec < 0 ? ELF_GLOBAL : bind;
    s->type = type;
    return h;
}

int elf_symbol_ref(elf_obj *o, const char *name)
{
    size_t j = lookup(o, name);
    if (o->ht[j] >= 0) return o->ht[j];
    int h = new_symbol(o, (symbol){.name = xstrdup(name), .sec = -1, .bind = ELF_GLOBAL});
    o->ht[j] = h;
    return h;
}

int elf_section_symbol(elf_obj *o, int sec) { return get_sec(o, sec)->secsym; }

void elf_reloc(elf_obj *o, int sec, uint32_t offset, int sym, int type, int32_t addend)
{
    section *s = get_sec(o, sec);
    if (sym < 0 || sym >= o->nsyms) diag_fatal("elf writer", "reloc: bad symbol handle %d", sym);
    if (s->kind == ELF_BSS) diag_fatal("elf writer", "reloc in NOBITS section %s", s->name);
    GROW(s->rels, s->nrel, s->caprel);
    s->rels[s->nrel++] = (rel){offset, sym, type, addend};
}

/* ---- writing ---- */
typedef struct { uint8_t *p; size_t n, cap; } buf;

static void bput(buf *b, const void *d, size_t n)
{
    while (b->n + n > b->cap) {
        b->cap = b->cap ? 2 * b->cap : 4096;
        b->p = xrealloc(b->p, b->cap);
    }
    if (d) memcpy(b->p + b->n, d, n);
    else memset(b->p + b->n, 0, n);
    b->n += n;
}
static void b32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    bput(b, x, 4);
}
static void b16(buf *b, uint32_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    bput(b, x, 2);
}
static void balign(buf *b, uint32_t a) { bput(b, NULL, (a - b->n % a) % a); }
static uint32_t bstr(buf *b, const char *s)   /* appends s with its NUL, returns its offset */
{
    uint32_t off = (uint32_t)b->n;
    bput(b, s, strlen(s) + 1);
    return off;
}

typedef struct {
    uint32_t name, type, flags, offset, size, link, info, align, entsize;
} shdr;

void elf_write(elf_obj *o, const char *path)
{
    int n = o->nsecs;
    int nrela = 0;
    for (int i = 0; i < n; i++) nrela += o->secs[i].nrel > 0;
    int symtab_ix = 1 + n + nrela, strtab_ix = symtab_ix + 1, shstr_ix = symtab_ix + 2;
    int nsh = shstr_ix + 1;
    shdr *sh = xcalloc((size_t)nsh, sizeof *sh);
    buf f = {0}, shstr = {0}, str = {0}, symtab = {0};
    bstr(&shstr, "");
    bstr(&str, "");

    /* symbol order: null, section symbols, other locals, globals */
    int next = 1;
    for (int pass = 0; pass < 3; pass++)
        for (int k = 0; k < o->nsyms; k++) {
            symbol *s = &o->syms[k];
            int cls = s->is_section ? 0 : s->bind == ELF_LOCAL ? 1 : 2;
            if (cls == pass) s->index = next++;
        }
    int first_global = 1;
    for (int k = 0; k < o->nsyms; k++)
        if (o->syms[k].bind == ELF_LOCAL && o->syms[k].index >= first_global)
            first_global = o->syms[k].index + 1;
    bput(&symtab, NULL, 16);
    symbol **order = xcalloc((size_t)next, sizeof *order);
    for (int k = 0; k < o->nsyms; k++) order[o->syms[k].index] = &o->syms[k];
    for (int i = 1; i < next; i++) {
        symbol *s = order[i];
        b32(&symtab, s->name ? bstr(&str, s->name) : 0);
        b32(&symtab, s->value);
        b32(&symtab, s->size);
        uint8_t info = (uint8_t)((s->bind == ELF_LOCAL ? 0 : 1) << 4 |
                                 (s->is_section ? STT_SECTION : (int)s->type));
        uint8_t other = 0;
        bput(&symtab, &info, 1);
        bput(&symtab, &other, 1);
        b16(&symtab, s->sec < 0 ? 0 : (uint32_t)s->sec + 1);
    }
    free(order);

    bput(&f, NULL, 52);   /* ELF header, filled in last */
    int rix = 1 + n;
    for (int i = 0; i < n; i++) {
        section *s = &o->secs[i];
        shdr *h = &sh[1 + i];
        static const uint32_t flags[] = {SHF_ALLOC | SHF_EXECINSTR, SHF_ALLOC,
                                         SHF_ALLOC | SHF_WRITE, SHF_ALLOC | SHF_WRITE};
        h->name = bstr(&shstr, s->name);
        h->type = s->kind == ELF_BSS ? SHT_NOBITS : SHT_PROGBITS;
        h->flags = flags[s->kind];
        h->align = s->align;
        h->size = s->size;
        balign(&f, s->align);
        h->offset = (uint32_t)f.n;
        if (s->kind != ELF_BSS) bput(&f, s->data, s->size);
        if (!s->nrel) continue;
        shdr *r = &sh[rix++];
        char *rname = xmalloc(strlen(s->name) + 6);
        strcpy(rname, ".rela");
        strcat(rname, s->name);
        r->name = bstr(&shstr, rname);
        free(rname);
        r->type = SHT_RELA;
        r->flags = SHF_INFO_LINK;
        r->link = (uint32_t)symtab_ix;
        r->info = (uint32_t)(1 + i);
        r->align = 4;
        r->entsize = 12;
        balign(&f, 4);
        r->offset = (uint32_t)f.n;
        for (size_t k = 0; k < s->nrel; k++) {
            /* checked here, not in elf_reloc: callers may add the reloc before the bytes */
            if (s->rels[k].off > s->size || s->size - s->rels[k].off < 3)
                diag_fatal("elf writer", "reloc at %#x outside %s", s->rels[k].off, s->name);
            b32(&f, s->rels[k].off);
            b32(&f, (uint32_t)o->syms[s->rels[k].sym].index << 8 | (uint32_t)s->rels[k].type);
            b32(&f, (uint32_t)s->rels[k].addend);
        }
        r->size = (uint32_t)(12 * s->nrel);
    }
    sh[symtab_ix] = (shdr){bstr(&shstr, ".symtab"), SHT_SYMTAB, 0, 0, (uint32_t)symtab.n,
                           (uint32_t)strtab_ix, (uint32_t)first_global, 4, 16};
    sh[strtab_ix] = (shdr){bstr(&shstr, ".strtab"), SHT_STRTAB, 0, 0, (uint32_t)str.n, 0, 0, 1, 0};
    sh[shstr_ix] = (shdr){bstr(&shstr, ".shstrtab"), SHT_STRTAB, 0, 0, 0, 0, 0, 1, 0};
    sh[shstr_ix].size = (uint32_t)shstr.n;
    balign(&f, 4);
    sh[symtab_ix].offset = (uint32_t)f.n;
    bput(&f, symtab.p, symtab.n);
    sh[strtab_ix].offset = (uint32_t)f.n;
    bput(&f, str.p, str.n);
    sh[shstr_ix].offset = (uint32_t)f.n;
    bput(&f, shstr.p, shstr.n);
    balign(&f, 4);
    uint32_t shoff = (uint32_t)f.n;
    for (int i = 0; i < nsh; i++) {
        shdr *h = &sh[i];
        uint32_t v[10] = {h->name, h->type, h->flags, 0, h->offset, h->size, h->link, h->info,
                          h->align, h->entsize};
        for (int k = 0; k < 10; k++) b32(&f, v[k]);
    }

    buf hd = {0};
    static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 1 /* 32-bit */, 1 /* LSB */, 1};
    bput(&hd, ident, 16);
    b16(&hd, 1);              /* ET_REL */
    b16(&hd, EM_XTENSA);
    b32(&hd, 1);              /* EV_CURRENT */
    b32(&hd, 0);              /* entry */
    b32(&hd, 0);              /* phoff */
    b32(&hd, shoff);
    b32(&hd, XTENSA_EFLAGS);
    b16(&hd, 52);             /* ehsize */
    b16(&hd, 0);              /* phentsize */
    b16(&hd, 0);              /* phnum */
    b16(&hd, 40);             /* shentsize */
    b16(&hd, (uint32_t)nsh);
    b16(&hd, (uint32_t)shstr_ix);
    memcpy(f.p, hd.p, 52);

    FILE *fp = fopen(path, "wb");
    if (!fp) diag_fatal(path, "cannot create: %m");
    if (fwrite(f.p, 1, f.n, fp) != f.n || fclose(fp) != 0) diag_fatal(path, "write failed: %m");
    free(f.p); free(hd.p); free(shstr.p); free(str.p); free(symtab.p); free(sh);
}
