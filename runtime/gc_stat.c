/* gc_stat.c — the primitives of the Gc module (OCaml 4.13 list). The major heap is one fixed
   region, which the allocator fills from its end downwards (gc_major.c); heap_chunks is 1.
   heap_words is what OCaml's heap would have grown to: the part of the region the major heap
   has grown into, from the lowest address ever allocated to the end of the region (a
   high-water mark: like OCaml's heap, it does not shrink); top_heap_words is the same peak.
   Gc.stat's live_words + free_words + fragments add up to heap_words (free_words counts the
   free space inside that part, not the untouched rest of the region: the heap can still
   grow up to the region size, caml_major_heap_words). quick_stat reports heap_words too
   (no census). The minor heap size and the heap increment cannot be changed (Gc.set
   ignores them); compaction is a full major GC (the collector does not move blocks). */
#include "gc.h"

void oe_major_census(uintnat *live_words, uintnat *live_blocks, uintnat *free_words,
                     uintnat *free_blocks, uintnat *largest_free, uintnat *fragments);

static double minor_words_now(void)
{
    return caml_stat_minor_words + (double)(uintnat)(caml_young_end - caml_young_ptr);
}

static value make_stat(int full)
{
    CAMLparam0();
    CAMLlocal1(res);
    uintnat live_words = 0, live_blocks = 0, free_words = 0, free_blocks = 0;
    uintnat largest_free = 0, fragments = 0;
    value v;
    if (full)
        oe_major_census(&live_words, &live_blocks, &free_words, &free_blocks, &largest_free,
                        &fragments);
    res = caml_alloc_tuple(17);
    v = caml_copy_double(minor_words_now());
    Store_field(res, 0, v);
    v = caml_copy_double(caml_stat_promoted_words);
    Store_field(res, 1, v);
    v = caml_copy_double(caml_stat_major_words);
    Store_field(res, 2, v);
    Store_field(res, 3, Val_long(caml_stat_minor_collections));
    Store_field(res, 4, Val_long(caml_stat_major_collections));
    Store_field(res, 5, Val_long(caml_major_top_words));
    Store_field(res, 6, Val_long(1));
    Store_field(res, 7, Val_long(live_words));
    Store_field(res, 8, Val_long(live_blocks));
    Store_field(res, 9, Val_long(free_words));
    Store_field(res, 10, Val_long(free_blocks));
    Store_field(res, 11, Val_long(largest_free));
    Store_field(res, 12, Val_long(fragments));
    Store_field(res, 13, Val_long(caml_stat_compactions));
    Store_field(res, 14, Val_long(caml_major_top_words));
    Store_field(res, 15, Val_long((value *)caml_stack_high - caml_extern_sp));
    Store_field(res, 16, Val_long(caml_stat_forced_major_collections));
    CAMLreturn(res);
}

CAMLprim value caml_gc_stat(value unit)
{
    (void)unit;
    return make_stat(1);
}

CAMLprim value caml_gc_quick_stat(value unit)
{
    (void)unit;
    return make_stat(0);
}

CAMLprim value caml_gc_minor_words(value unit)
{
    (void)unit;
    return caml_copy_double(minor_words_now());
}

CAMLprim value caml_gc_counters(value unit)
{
    CAMLparam0();
    CAMLlocal4(res, mw, pw, jw);
    (void)unit;
    mw = caml_copy_double(minor_words_now());
    pw = caml_copy_double(caml_stat_promoted_words);
    jw = caml_copy_double(caml_stat_major_words);
    res = caml_alloc_tuple(3);
    Store_field(res, 0, mw);
    Store_field(res, 1, pw);
    Store_field(res, 2, jw);
    CAMLreturn(res);
}

CAMLprim value caml_gc_huge_fallback_count(value unit)
{
    (void)unit;
    return Val_long(0);
}

CAMLprim value caml_gc_get(value unit)
{
    value res;
    (void)unit;
    res = caml_alloc_tuple(11);
    Field(res, 0) = Val_long(oe_minor_heap_words);
    Field(res, 1) = Val_long(15);
    Field(res, 2) = Val_long(caml_space_overhead);
    Field(res, 3) = Val_long(caml_verb_gc);
    Field(res, 4) = Val_long(500);
    Field(res, 5) = Val_long((value *)caml_stack_high - (value *)caml_stack_low);
    Field(res, 6) = Val_long(0);
    Field(res, 7) = Val_long(1);
    Field(res, 8) = Val_long(caml_custom_major_ratio);
    Field(res, 9) = Val_long(caml_custom_minor_ratio);
    Field(res, 10) = Val_long(caml_custom_minor_max_bsz);
    return res;
}

CAMLprim value caml_gc_set(value v)
{
    intnat o = Long_val(Field(v, 2));
    caml_verb_gc = (uintnat)Long_val(Field(v, 3));
    caml_space_overhead = o < 1 ? 1 : (uintnat)o;
    if (Wosize_val(v) >= 11) {
        intnat m = Long_val(Field(v, 8)), n = Long_val(Field(v, 9)), b = Long_val(Field(v, 10));
        caml_custom_major_ratio = m < 1 ? 1 : (uintnat)m;
        caml_custom_minor_ratio = n < 1 ? 1 : (uintnat)n;
        caml_custom_minor_max_bsz = b < 0 ? 0 : (uintnat)b;
    }
    return Val_unit;
}

/* Memprof's callbacks due after a collection run before the primitive returns, then the
   finalisers (the order of OCaml's pending actions). */
#define memprof_poll() do { if (caml_memprof_pending) caml_memprof_run_pending(); } while (0)

CAMLprim value caml_gc_minor(value unit)
{
    (void)unit;
    caml_minor_collection();
    memprof_poll();
    caml_final_do_calls();
    return Val_unit;
}

CAMLprim value caml_gc_major(value unit)
{
    (void)unit;
    caml_minor_collection();
    caml_major_collection();
    memprof_poll();
    caml_final_do_calls();
    return Val_unit;
}

CAMLprim value caml_gc_full_major(value unit)
{
    (void)unit;
    caml_full_major();
    return Val_unit;
}

CAMLprim value caml_gc_major_slice(value howmuch)
{
    (void)howmuch;
    caml_minor_collection();
    caml_major_collection();
    memprof_poll();
    caml_final_do_calls();
    return Val_long(0);
}

CAMLprim value caml_gc_compaction(value unit)
{
    (void)unit;
    caml_full_major();
    caml_stat_compactions++;
    return Val_unit;
}

CAMLprim value caml_get_minor_free(value unit)
{
    (void)unit;
    return Val_long(caml_young_ptr - caml_young_start);
}

CAMLprim value caml_get_major_bucket(value n)
{
    (void)n;
    return Val_long(0);
}

CAMLprim value caml_get_major_credit(value unit)
{
    (void)unit;
    return Val_long(0);
}
