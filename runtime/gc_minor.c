/* gc_minor.c — the minor heap, the remembered set, the roots, and the minor collection.

   Minor collection in three passes, so that it can fail cleanly when the major heap is full:
   1. mark: the live young blocks (from the roots and the remembered set) are marked black,
      with the marking engine of gc_major.c (explicit bounded stack, no C recursion); then
      the young data of ephemerons whose young keys are all marked (see "ephemerons" below);
   2. evacuate: a linear walk of the minor heap copies every black block into the major heap
      (oe_major_alloc_raw, no GC) and leaves a forwarding pointer (header 0, field 0 = copy).
      If the major heap has no room, everything done so far is undone (the young headers and
      fields restored, the copies freed) and the collection reports failure: the caller then
      runs a major GC (which marks through the minor heap, so it does not need it empty) and
      tries again; if it still fails, Out_of_memory is raised with the heap intact;
   3. fix: every root, remembered field and field of a copy that points to a young block is
      redirected to the copy (Infix pointers keep their offset); ephemeron fields holding a
      dead young value are cleared; dead young custom blocks get their finalizer called.
   Roots: see runtime.h. */
#include <stdlib.h>
#include <string.h>
#include "gc.h"

uintnat oe_minor_heap_words;
value *oe_young_limit_reset;

/* ------------------------------------------------------------------ remembered set */

static value **ref_table;
static uintnat ref_count, ref_size, ref_max;
static int ref_overflow;       /* entries were lost: the next minor GC scans the major heap */

static int ref_grow(void)
{
    uintnat nsize = ref_size == 0 ? 256 : ref_size * 2;
    value **n;
    if (ref_size >= ref_max) return 0;
    if (nsize > ref_max) nsize = ref_max;
    n = realloc(ref_table, nsize * sizeof(value *));
    if (n == NULL) return 0;
    ref_table = n;
    ref_size = nsize;
    return 1;
}

static void ref_add(value *p)
{
    if (ref_count >= ref_size && !ref_grow()) {
        ref_overflow = 1;
        return;
    }
    ref_table[ref_count++] = p;
}

void caml_ref_table_add(value *p)
{
    ref_add(p);
    if (ref_overflow) caml_request_minor_gc();
}

void oe_ref_table_add_gc(value *p)
{
    ref_add(p);
}

/* The ephemeron table: the (ephemeron, field) pairs whose field may hold a young pointer (a
   key or the data), kept apart from the remembered set because the minor GC treats them
   weakly (see try_minor). Invariant: every young pointer in a field of an ephemeron has an
   entry here, or ephe_overflow is set (the minor GC then walks every ephemeron). Ephemerons
   are in the major heap and never move; the table is emptied by each minor GC and rebuilt by
   each major GC (ephe_clean in gc_major.c), so no entry outlives its ephemeron. */
struct ephe_ref { value ephe; mlsize_t offset; };
static struct ephe_ref *ephe_table;
static uintnat ephe_count, ephe_size;
static int ephe_overflow;

static void ephe_ref_add(value e, mlsize_t offset)
{
    if (ephe_count >= ephe_size) {
        uintnat nsize = ephe_size == 0 ? 64 : ephe_size * 2;
        struct ephe_ref *n;
        if (nsize > ref_max) nsize = ref_max;
        n = ephe_size >= ref_max ? NULL : realloc(ephe_table, nsize * sizeof(struct ephe_ref));
        if (n == NULL) {
            ephe_overflow = 1;
            return;
        }
        ephe_table = n;
        ephe_size = nsize;
    }
    ephe_table[ephe_count].ephe = e;
    ephe_table[ephe_count].offset = offset;
    ephe_count++;
}

void oe_ephe_ref_add(value e, mlsize_t offset)
{
    ephe_ref_add(e, offset);
    if (ephe_overflow) caml_request_minor_gc();
}

void oe_ephe_ref_add_gc(value e, mlsize_t offset)
{
    ephe_ref_add(e, offset);
}

void oe_ref_table_clear(void)
{
    ref_count = 0;
    ref_overflow = 0;
    ephe_count = 0;
    ephe_overflow = 0;
}

void caml_modify(value *fp, value v)
{
    value old = *fp;
    *fp = v;
    if (Is_block(v) && Oe_in_young(v) && Oe_in_major(fp) && !(Is_block(old) && Oe_in_young(old)))
        caml_ref_table_add(fp);
}

void caml_initialize(value *fp, value v)
{
    *fp = v;
    if (Is_block(v) && Oe_in_young(v) && Oe_in_major(fp)) caml_ref_table_add(fp);
}

int caml_is_young(value v)
{
    return Is_block(v) && Oe_in_young(v);
}

int caml_is_in_heap(value v)
{
    return Is_block(v) && Oe_in_heap(v);
}

void caml_request_minor_gc(void)
{
    caml_young_limit = caml_young_end;
}

/* The reasons for caml_request_minor_gc, for memprof, which also moves the limit: a full
   remembered set or ephemeron table, a major GC requested. */
int oe_minor_gc_requested(void)
{
    return ref_overflow || ephe_overflow || oe_major_requested;
}

/* ------------------------------------------------------------------ global roots */

static value **global_roots;
static uintnat global_count, global_size;

void caml_register_global_root(value *r)
{
    if (global_count == global_size) {
        uintnat nsize = global_size == 0 ? 16 : global_size * 2;
        value **n = realloc(global_roots, nsize * sizeof(value *));
        if (n == NULL) caml_raise_out_of_memory();
        global_roots = n;
        global_size = nsize;
    }
    global_roots[global_count++] = r;
}

void caml_remove_global_root(value *r)
{
    uintnat i;
    for (i = global_count; i > 0; i--) {
        if (global_roots[i - 1] == r) {
            global_roots[i - 1] = global_roots[--global_count];
            return;
        }
    }
}

void caml_register_generational_global_root(value *r)
{
    caml_register_global_root(r);
}

void caml_remove_generational_global_root(value *r)
{
    caml_remove_global_root(r);
}

void caml_modify_generational_global_root(value *r, value v)
{
    *r = v;
}

void oe_global_roots_scan(void (*f)(value *p))
{
    uintnat i;
    for (i = 0; i < global_count; i++) f(global_roots[i]);
}

/* ------------------------------------------------------------------ roots */

void caml_scan_root_locations(void (*f)(value *p), int minor)
{
    value *sp;
    intnat i;
    struct caml__roots_block *lr;
    /* the OCaml stack: every word; f only acts on heap pointers */
    for (sp = caml_extern_sp; sp < caml_stack_high; sp++) f(sp);
    for (i = 0; i < caml_globals_count; i++) f(&caml_globals[i]);
    for (lr = caml_local_roots; lr != NULL; lr = lr->next) {
        intnat t, j;
        for (t = 0; t < lr->ntables; t++)
            for (j = 0; j < lr->nitems; j++) f(&lr->tables[t][j]);
    }
    oe_global_roots_scan(f);
    caml_scan_named_values(f);
    caml_final_scan_roots(f, minor);
    if (caml_memprof_ntracked) caml_memprof_scan_roots(f, minor);
}

static void (*scan_roots_fn)(value v, value *p);
static void scan_roots_adapter(value *p)
{
    scan_roots_fn(*p, p);
}

void caml_scan_roots(void (*f)(value v, value *p))
{
    scan_roots_fn = f;
    caml_scan_root_locations(scan_roots_adapter, 1);
}

/* ------------------------------------------------------------------ minor collection */

/* v: a young pointer whose block has been evacuated. */
static value forward(value v)
{
    header_t hd = Hd_val(v);
    if (hd == 0) return Field(v, 0);
    if (Tag_hd(hd) == Infix_tag) {
        mlsize_t off = Infix_offset_hd(hd);
        if (Hd_val(v - off) == 0) return Field(v - off, 0) + off;
    }
    return v;   /* not evacuated: unreachable, cannot happen for a root */
}

static void fix_location(value *p)
{
    value v = *p;
    if (Is_block(v) && Oe_in_young(v)) *p = forward(v);
}

/* ---- ephemerons in the minor GC (OCaml 4.13 semantics) ----
   A young key is weak: after marking, an unmarked young key is dead; it is set to
   caml_ephe_none (and so is the data of its ephemeron) in the fix pass, once everything
   reachable has been promoted, so no field is left pointing into the emptied minor heap. Keys
   outside the minor heap count as alive. A young data is marked only when every young key
   of its ephemeron is marked (to a fixpoint, as marking a data can make keys reachable). */

/* fn(e, i) for every (ephemeron, field) that may hold a young pointer */
static int ephe_each(int (*fn)(value e, mlsize_t i))
{
    int r = 0;
    if (ephe_overflow) {
        value e;
        for (e = caml_ephe_list_head; e != 0; e = Field(e, CAML_EPHE_LINK_OFFSET)) {
            mlsize_t i, n = Wosize_val(e);
            for (i = CAML_EPHE_DATA_OFFSET; i < n; i++) r |= fn(e, i);
        }
    } else {
        uintnat k;
        for (k = 0; k < ephe_count; k++) r |= fn(ephe_table[k].ephe, ephe_table[k].offset);
    }
    return r;
}

static int young_unmarked(value v)
{
    return Is_block(v) && Oe_in_young(v) && !oe_is_marked(v);
}

/* marking: the data of a live ephemeron becomes reachable; returns 1 if it marked some */
static int ephe_mark_data(value e, mlsize_t i)
{
    mlsize_t j, n = Wosize_val(e);
    if (i != CAML_EPHE_DATA_OFFSET || !young_unmarked(Field(e, i))) return 0;
    for (j = CAML_EPHE_FIRST_KEY; j < n; j++)
        if (young_unmarked(Field(e, j))) return 0;   /* a key is dead (so far) */
    oe_mark_value(Field(e, i));
    oe_mark_finish();
    return 1;
}

/* fix pass: a promoted value is redirected to its copy, a dead one cleared */
static int ephe_fix_field(value e, mlsize_t i)
{
    value v = Field(e, i), f;
    if (!Is_block(v) || !Oe_in_young(v)) return 0;
    f = forward(v);
    if (f != v) {
        Field(e, i) = f;
    } else {
        Field(e, i) = caml_ephe_none;
        if (i >= CAML_EPHE_FIRST_KEY) Field(e, CAML_EPHE_DATA_OFFSET) = caml_ephe_none;
    }
    return 0;
}

static void undo_evacuation(header_t *stop)
{
    header_t *hp = (header_t *)caml_young_ptr;
    while (hp < stop) {
        if (*hp == 0) {
            value copy = ((value *)hp)[1];
            *hp = Hd_val(copy);
            ((value *)hp)[1] = Field(copy, 0);
            oe_major_free_raw((header_t *)Hp_val(copy));
        }
        hp += Whsize_hd(*hp);
    }
    oe_whiten_young();
}

/* Returns 0 (and changes nothing) if the major heap cannot hold the live young blocks. */
static int try_minor(void)
{
    header_t *hp, *end = (header_t *)caml_young_end;
    uintnat i, promoted = 0;

    /* 1. mark */
    oe_mark_begin(OE_MARK_MINOR);
    caml_scan_root_locations(oe_mark_root, 1);
    for (i = 0; i < ref_count; i++) oe_mark_value(*ref_table[i]);
    if (ref_overflow) oe_major_walk_fix_young(oe_mark_root);
    oe_mark_finish();
    while (ephe_each(ephe_mark_data)) {}

    /* 2. evacuate */
    for (hp = (header_t *)caml_young_ptr; hp < end; ) {
        header_t hd = *hp;
        uintnat whsize = Whsize_hd(hd);
        if (Color_hd(hd) == Caml_black) {
            header_t *copy = oe_major_alloc_raw(whsize - 1);
            if (copy == NULL) {
                undo_evacuation(hp);
                return 0;
            }
            *copy = Whitehd_hd(hd);
            memcpy(copy + 1, hp + 1, (whsize - 1) * sizeof(value));
            *hp = 0;
            ((value *)hp)[1] = Val_hp(copy);
            promoted += whsize;
        }
        hp += whsize;
    }

    /* 3. fix */
    caml_scan_root_locations(fix_location, 1);
    for (i = 0; i < ref_count; i++) fix_location(ref_table[i]);
    if (ref_overflow) oe_major_walk_fix_young(fix_location);
    ephe_each(ephe_fix_field);
    if (caml_memprof_ntracked) caml_memprof_minor_update();
    for (hp = (header_t *)caml_young_ptr; hp < end; ) {
        if (*hp == 0) {
            value copy = ((value *)hp)[1];
            header_t chd = Hd_val(copy);
            if (Tag_hd(chd) < No_scan_tag) {
                mlsize_t j, n = Wosize_hd(chd);
                for (j = 0; j < n; j++) fix_location(&Field(copy, j));
            }
            hp += Whsize_hd(chd);
        } else {
            if (Tag_hd(*hp) == Custom_tag && Wosize_hd(*hp) > 0) {
                const struct custom_operations *ops = Custom_ops_val(Val_hp(hp));
                if (ops != NULL && ops->finalize != NULL) ops->finalize(Val_hp(hp));
            }
            hp += Whsize_hd(*hp);
        }
    }

    caml_stat_minor_words += (double)(uintnat)(caml_young_end - caml_young_ptr);
    caml_stat_promoted_words += (double)promoted;
    caml_stat_major_words += (double)promoted;
    caml_stat_minor_collections++;
    caml_young_ptr = caml_young_end;
    caml_young_limit = oe_young_limit_reset;
    oe_ref_table_clear();
    return 1;
}

void caml_minor_collection(void)
{
    uintnat depth = (uintnat)((char *)caml_stack_high - (char *)caml_extern_sp);
    if (depth > caml_peak_stack_bytes) caml_peak_stack_bytes = depth;
    if (!try_minor()) {
        caml_stat_forced_major_collections++;
        caml_major_collection();
        if (!try_minor()) {
            caml_young_limit = oe_young_limit_reset;
            caml_raise_out_of_memory();
        }
    }
    if (oe_major_requested || oe_major_allocated_words > oe_major_threshold)
        caml_major_collection();
}

value *caml_alloc_small_dispatch(uintnat bytes)
{
    if (caml_memprof_on) {
        caml_memprof_dispatch(bytes / sizeof(value), bytes / sizeof(value));
    } else {
        caml_minor_collection();
        caml_final_do_calls();
    }
    return caml_young_ptr;
}

/* caml_call_gc_blocks: `bytes` are equal blocks of block_bytes each (only Gc.Memprof cares:
   it samples them as separate blocks) */
value *caml_alloc_blocks_dispatch(uintnat bytes, uintnat block_bytes)
{
    if (caml_memprof_on) {
        caml_memprof_dispatch(bytes / sizeof(value), block_bytes / sizeof(value));
    } else {
        caml_minor_collection();
        caml_final_do_calls();
    }
    return caml_young_ptr;
}

/* Memprof's callbacks then the finalisers after each round, as OCaml's pending actions. */
void caml_full_major(void)
{
    caml_minor_collection();
    caml_major_collection();
    if (caml_memprof_pending) caml_memprof_run_pending();
    caml_final_do_calls();
    caml_minor_collection();
    caml_major_collection();
    caml_stat_forced_major_collections++;
    if (caml_memprof_pending) caml_memprof_run_pending();
    caml_final_do_calls();
}

/* ------------------------------------------------------------------ allocation */

/* caml_alloc_small reached the limit, allocating oe_alloc_small_whsize words (passed in
   memory and out of line: the fast path stays exactly as it was before memprof existed). */
static uintnat oe_alloc_small_whsize;
__attribute__((noinline)) static void oe_alloc_small_slow(void)
{
    if (caml_memprof_on) caml_memprof_young_slow(oe_alloc_small_whsize);
    else caml_minor_collection();
}

value caml_alloc_small(mlsize_t wosize, tag_t tag)
{
    uintnat whsize = wosize + 1;
    value *p;
    if (wosize == 0) return Atom(tag);
    if ((uintnat)(caml_young_ptr - caml_young_limit) < whsize ||
        caml_young_ptr < caml_young_limit) {
        oe_alloc_small_whsize = whsize;
        oe_alloc_small_slow();
    }
    p = caml_young_ptr - whsize;
    caml_young_ptr = p;
    *p = (value)Make_header(wosize, tag, Caml_white);
    return (value)(p + 1);
}

/* ------------------------------------------------------------------ initialisation */

void oe_minor_reset(void)
{
    ref_count = 0;
    ref_overflow = 0;
    ephe_count = 0;
    ephe_overflow = 0;
    global_count = 0;
}

void caml_init_gc_region(void *start, void *end, uintnat minor_bytes, uintnat stack_bytes)
{
    uintnat a = ((uintnat)start + 7) & ~(uintnat)7;
    uintnat b = (uintnat)end & ~(uintnat)7;
    uintnat minor_words = minor_bytes / sizeof(value), stack_words = stack_bytes / sizeof(value);
    uintnat thr;
    if (minor_words < 2 * (Max_young_wosize + 1)) minor_words = 2 * (Max_young_wosize + 1);
    if (b <= a || (b - a) / sizeof(value) < stack_words + minor_words + 1024)
        caml_fatal_error("heap region too small (%lu bytes)", (unsigned long)(b - a));
    caml_stack_low = (value *)a;
    caml_stack_high = caml_stack_low + stack_words;
    thr = stack_words / 8;
    if (thr > 256) thr = 256;
    caml_stack_threshold = caml_stack_low + thr;
    caml_extern_sp = caml_stack_high;
    caml_young_start = caml_stack_high;
    caml_young_end = caml_young_start + minor_words;
    caml_young_ptr = caml_young_end;
    caml_young_limit = caml_young_start;
    oe_young_limit_reset = caml_young_start;
    oe_minor_heap_words = minor_words;
    oe_minor_reset();
    ref_max = minor_words < 1024 ? 1024 : minor_words;
    caml_final_reset();
    oe_major_init(caml_young_end, (value *)b);
    caml_peak_heap_bytes = minor_words * sizeof(value);
}

#ifndef OE_HOST_TEST
void caml_init_gc(void)
{
    caml_init_gc_region(_oe_heap_start, _oe_heap_end, (uintnat)_oe_minor_size,
                        (uintnat)_oe_stack_size);
}
#endif
