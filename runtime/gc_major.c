/* gc_major.c — the major heap and the marking engine.

   The major heap is one contiguous region [caml_major_start, caml_major_end) entirely covered
   by blocks: allocated blocks (white between collections) and free blocks (blue, Abstract_tag;
   field 0 links them in a free list; a free 1-word "fragment" is a blue header of size 0 on no
   list). Free blocks live in exact lists for sizes 1..NSMALL words and in one first-fit list
   for larger ones. Allocation takes the exact list, else splits a larger block (from its
   end, so the remainder stays in place).

   Collection is stop-the-world mark and sweep and never moves a block. Marking goes through
   the minor heap too (young blocks get colors; they are whitened afterwards), so a major GC can
   run whether or not the minor heap is empty; it also rebuilds the remembered set (the major
   fields holding young pointers), so that after the sweep no entry points into freed memory.
   The sweep walks the whole region, coalesces every run of dead and free blocks into one free
   block, and calls the finalizers of dead custom blocks.

   The marking engine is also used by the minor GC (mode OE_MARK_MINOR: only young blocks). It
   uses a bounded explicit stack of field ranges (never empty: an entry is popped when its
   last field is taken, so a list is marked in constant space); on overflow the block is left gray and the
   heaps are rescanned linearly for gray blocks. */
#include <string.h>
#include "gc.h"

value *caml_major_start, *caml_major_end;
uintnat caml_major_heap_words, caml_major_free_words, caml_major_top_words;
uintnat caml_stat_minor_collections, caml_stat_major_collections;
uintnat caml_stat_forced_major_collections, caml_stat_compactions;
uintnat caml_peak_heap_bytes, caml_peak_stack_bytes;
double caml_stat_minor_words, caml_stat_promoted_words, caml_stat_major_words;
uintnat caml_space_overhead = 80, caml_verb_gc = 0, caml_custom_major_ratio = 44,
    caml_custom_minor_ratio = 100, caml_custom_minor_max_bsz = 8192;
uintnat oe_major_allocated_words, oe_major_threshold;
/* caml_alloc_shr calls shr_hook when oe_major_allocated_words exceeds this: the threshold, or
   0 while memprof samples (so that sampling costs nothing otherwise) */
static uintnat shr_hook_threshold;
int oe_major_requested;

/* ------------------------------------------------------------------ free lists */

#define NSMALL 32
static header_t *free_small[NSMALL + 1];
static header_t *free_large;
#define Next_free(hp) (*(header_t **)((hp) + 1))
#define Free_hd(wosize) Make_header((wosize), Abstract_tag, Caml_blue)

static void free_insert(header_t *hp, mlsize_t wosize)
{
    *hp = Free_hd(wosize);
    if (wosize == 0) return;               /* fragment */
    if (wosize <= NSMALL) {
        Next_free(hp) = free_small[wosize];
        free_small[wosize] = hp;
    } else {
        Next_free(hp) = free_large;
        free_large = hp;
    }
}

/* Turns [hp, hp + whsize) into free blocks (several if it exceeds the maximal block size). */
static void free_run(header_t *hp, uintnat whsize)
{
    while (whsize > 0) {
        uintnat chunk = whsize;
        if (chunk > (uintnat)Max_wosize + 1) chunk = (uintnat)Max_wosize + 1;
        free_insert(hp, chunk - 1);
        hp += chunk;
        whsize -= chunk;
    }
}

/* hp: an unlinked free block; returns the last whsize words of it as the allocated block,
   the front remainder going back to the free lists. */
static header_t *split_end(header_t *hp, uintnat whsize)
{
    uintnat rest = Whsize_hd(*hp) - whsize;
    if (rest == 0) return hp;
    free_insert(hp, rest - 1);
    return hp + rest;
}

/* The major heap grows downwards from caml_major_end: a fresh free block is split from its
   end and the free lists are built so that higher blocks are found first. The lowest address
   ever allocated thus bounds the part of the region the heap has grown into:
   caml_major_top_words = caml_major_end - low_water (Gc.stat's heap_words, gc_stat.c). */
static header_t *low_water;

static void note_allocated(header_t *hp, uintnat whsize)
{
    uintnat used;
    if (hp < low_water) {
        low_water = hp;
        caml_major_top_words = (uintnat)((header_t *)caml_major_end - hp);
    }
    caml_major_free_words -= whsize;
    oe_major_allocated_words += whsize;
    used = (caml_major_heap_words - caml_major_free_words + oe_minor_heap_words)
           * sizeof(value);
    if (used > caml_peak_heap_bytes) caml_peak_heap_bytes = used;
}

header_t *oe_major_alloc_raw(mlsize_t wosize)
{
    uintnat whsize = wosize + 1;
    header_t *hp, **prev;
    mlsize_t w;
    if (wosize <= NSMALL) {
        hp = free_small[wosize];
        if (hp != NULL) {
            free_small[wosize] = Next_free(hp);
            note_allocated(hp, whsize);
            return hp;
        }
        for (w = wosize + 1; w <= NSMALL; w++) {
            hp = free_small[w];
            if (hp != NULL) {
                free_small[w] = Next_free(hp);
                hp = split_end(hp, whsize);
                note_allocated(hp, whsize);
                return hp;
            }
        }
    }
    for (prev = &free_large; (hp = *prev) != NULL; prev = &Next_free(hp)) {
        mlsize_t have = Wosize_hd(*hp);
        if (have >= wosize) {
            uintnat rest = have + 1 - whsize;
            if (rest >= NSMALL + 2) {
                /* stays a large free block: shrink it in place */
                *hp = Free_hd(rest - 1);
                hp += rest;
            } else {
                *prev = Next_free(hp);
                hp = split_end(hp, whsize);
            }
            note_allocated(hp, whsize);
            return hp;
        }
    }
    return NULL;
}

void oe_major_free_raw(header_t *hp)
{
    uintnat whsize = Whsize_hd(*hp);
    free_insert(hp, whsize - 1);
    caml_major_free_words += whsize;
    oe_major_allocated_words -= whsize;
}

static void set_threshold(void)
{
    uintnat live = caml_major_heap_words - caml_major_free_words;
    uintnat t = live / 100 * caml_space_overhead + (live % 100) * caml_space_overhead / 100;
    if (t < oe_minor_heap_words) t = oe_minor_heap_words;
    oe_major_threshold = t;
    oe_major_update_shr_hook();
}

void oe_major_update_shr_hook(void)
{
    shr_hook_threshold = caml_memprof_on ? 0 : oe_major_threshold;
}

/* out of line: caml_alloc_shr's code stays as it was before memprof existed */
__attribute__((noinline)) static void shr_hook(header_t *hp)
{
    if (oe_major_allocated_words > oe_major_threshold) caml_request_major_gc();
    if (caml_memprof_on) caml_memprof_track_shr(Val_hp(hp));
}

void oe_major_init(value *start, value *end)
{
    memset(free_small, 0, sizeof(free_small));
    free_large = NULL;
    caml_major_start = start;
    caml_major_end = end;
    caml_major_heap_words = (uintnat)(end - start);
    caml_major_top_words = 0;
    low_water = (header_t *)end;
    caml_major_free_words = caml_major_heap_words;
    free_run((header_t *)start, caml_major_heap_words);
    oe_major_allocated_words = 0;
    oe_major_requested = 0;
    caml_ephe_list_head = 0;
    set_threshold();
}

int caml_is_major(value v)
{
    return Is_block(v) && Oe_in_major(v);
}

value caml_alloc_shr(mlsize_t wosize, tag_t tag)
{
    header_t *hp;
    if (wosize == 0) return Atom(tag);
    if (wosize > Max_wosize) caml_raise_out_of_memory();
    hp = oe_major_alloc_raw(wosize);
    if (hp == NULL) {
        caml_stat_forced_major_collections++;
        caml_major_collection();
        hp = oe_major_alloc_raw(wosize);
        if (hp == NULL) caml_raise_out_of_memory();
    }
    *hp = Make_header(wosize, tag, Caml_white);
    caml_stat_major_words += (double)(wosize + 1);
    if (oe_major_allocated_words > shr_hook_threshold) shr_hook(hp);
    return Val_hp(hp);
}

void caml_request_major_gc(void)
{
    oe_major_requested = 1;
    caml_request_minor_gc();
}

/* ------------------------------------------------------------------ marking */

#define MARK_STACK_SIZE 256
struct mark_entry { value *p, *end; };
static struct mark_entry mark_stack[MARK_STACK_SIZE];
static int mark_sp, mark_overflow, mark_mode;

void oe_mark_begin(int mode)
{
    mark_mode = mode;
    mark_sp = 0;
    mark_overflow = 0;
}

void oe_mark_value(value v)
{
    header_t *hp, hd;
    if (Is_long(v)) return;
    if (!Oe_in_young(v) && !(mark_mode == OE_MARK_MAJOR && Oe_in_major(v))) return;
    hp = (header_t *)Hp_val(v);
    hd = *hp;
    if (Tag_hd(hd) == Infix_tag) {
        v -= Infix_offset_hd(hd);
        hp = (header_t *)Hp_val(v);
        hd = *hp;
    }
    if (Color_hd(hd) != Caml_white) return;       /* marked already, or a free block */
    if (Tag_hd(hd) < No_scan_tag && Wosize_hd(hd) > 0) {
        if (mark_sp < MARK_STACK_SIZE) {
            *hp = hd | Caml_black;
            mark_stack[mark_sp].p = &Field(v, 0);
            mark_stack[mark_sp].end = &Field(v, Wosize_hd(hd));
            mark_sp++;
        } else {
            *hp = hd | Caml_gray;
            mark_overflow = 1;
        }
    } else {
        *hp = hd | Caml_black;
    }
}

void oe_mark_root(value *p)
{
    oe_mark_value(*p);
}

static void mark_drain(void)
{
    while (mark_sp > 0) {
        struct mark_entry *e = &mark_stack[mark_sp - 1];
        value *fp = e->p++;
        value f = *fp;
        /* pop before marking the last field, so that lists need no stack */
        if (e->p >= e->end) mark_sp--;
        if (Is_block(f)) {
            if (Oe_in_young(f)) {
                /* rebuild of the remembered set during a major GC */
                if (mark_mode == OE_MARK_MAJOR && Oe_in_major(fp)) oe_ref_table_add_gc(fp);
                oe_mark_value(f);
            } else if (mark_mode == OE_MARK_MAJOR && Oe_in_major(f)) {
                oe_mark_value(f);
            }
        }
    }
}

/* Blackens the gray blocks of [hp, end) and marks from them. */
static void rescan_range(header_t *hp, header_t *end)
{
    while (hp < end) {
        header_t hd = *hp;
        if (Color_hd(hd) == Caml_gray) {
            *hp = (hd & ~(header_t)0x300) | Caml_black;
            mark_stack[0].p = (value *)(hp + 1);
            mark_stack[0].end = (value *)(hp + 1) + Wosize_hd(hd);
            mark_sp = 1;
            mark_drain();
        }
        hp += Whsize_hd(hd);
    }
}

void oe_mark_finish(void)
{
    mark_drain();
    while (mark_overflow) {
        mark_overflow = 0;
        rescan_range((header_t *)caml_young_ptr, (header_t *)caml_young_end);
        if (mark_mode == OE_MARK_MAJOR)
            rescan_range((header_t *)caml_major_start, (header_t *)caml_major_end);
    }
}

int oe_is_marked(value v)
{
    header_t hd = Hd_val(v);
    if (Tag_hd(hd) == Infix_tag) hd = Hd_val(v - Infix_offset_hd(hd));
    return Color_hd(hd) == Caml_black;
}

void oe_whiten_young(void)
{
    header_t *hp = (header_t *)caml_young_ptr, *end = (header_t *)caml_young_end;
    while (hp < end) {
        *hp = Whitehd_hd(*hp);
        hp += Whsize_hd(*hp);
    }
}

void caml_darken(value v)
{
    (void)v;   /* marking is never in progress while OCaml or C primitives run */
}

/* ------------------------------------------------------------------ ephemerons */

value caml_ephe_list_head = 0;

/* A value the major GC will reclaim: an unmarked block of one of the heaps. */
static int dead_value(value v)
{
    if (!Is_block(v) || v == caml_ephe_none || !Oe_in_heap(v)) return 0;
    return !oe_is_marked(v);
}

static void ephe_mark_fixpoint(void)
{
    int changed;
    do {
        value e;
        changed = 0;
        for (e = caml_ephe_list_head; e != 0; e = Field(e, CAML_EPHE_LINK_OFFSET)) {
            value d;
            mlsize_t i, n;
            if (!oe_is_marked(e)) continue;
            d = Field(e, CAML_EPHE_DATA_OFFSET);
            if (!dead_value(d)) continue;
            n = Wosize_val(e);
            for (i = CAML_EPHE_FIRST_KEY; i < n; i++)
                if (dead_value(Field(e, i))) break;
            if (i < n) continue;               /* a key is dead (so far) */
            oe_mark_value(d);
            oe_mark_finish();
            changed = 1;
        }
    } while (changed);
}

/* After marking: drops dead ephemerons from the list, clears dead keys (and then the data),
   records the young pointers of the live ones in the ephemeron table (gc_minor.c). */
static void ephe_clean(void)
{
    value *prev = &caml_ephe_list_head;
    value e;
    while ((e = *prev) != 0) {
        mlsize_t i, n = Wosize_val(e);
        int key_dead = 0;
        if (!oe_is_marked(e)) {
            *prev = Field(e, CAML_EPHE_LINK_OFFSET);
            continue;
        }
        for (i = CAML_EPHE_FIRST_KEY; i < n; i++) {
            if (dead_value(Field(e, i))) {
                Field(e, i) = caml_ephe_none;
                key_dead = 1;
            }
        }
        if (key_dead || dead_value(Field(e, CAML_EPHE_DATA_OFFSET)))
            Field(e, CAML_EPHE_DATA_OFFSET) = caml_ephe_none;
        for (i = CAML_EPHE_DATA_OFFSET; i < n; i++) {
            value f = Field(e, i);
            if (Is_block(f) && Oe_in_young(f)) oe_ephe_ref_add_gc(e, i);
        }
        prev = &Field(e, CAML_EPHE_LINK_OFFSET);
    }
}

/* ------------------------------------------------------------------ collection */

static void mark_and_finish(value v)
{
    oe_mark_value(v);
    oe_mark_finish();
}

static void sweep(void)
{
    header_t *hp = (header_t *)caml_major_start, *end = (header_t *)caml_major_end;
    uintnat free_words = 0;
    memset(free_small, 0, sizeof(free_small));
    free_large = NULL;
    while (hp < end) {
        header_t *run;
        if (Color_hd(*hp) == Caml_black) {
            *hp = Whitehd_hd(*hp);
            hp += Whsize_hd(*hp);
            continue;
        }
        run = hp;
        while (hp < end && Color_hd(*hp) != Caml_black) {
            header_t hd = *hp;
            if (Color_hd(hd) != Caml_blue && Tag_hd(hd) == Custom_tag && Wosize_hd(hd) > 0) {
                const struct custom_operations *ops = Custom_ops_val(Val_hp(hp));
                if (ops != NULL && ops->finalize != NULL) ops->finalize(Val_hp(hp));
            }
            hp += Whsize_hd(hd);
        }
        free_run(run, (uintnat)(hp - run));
        free_words += (uintnat)(hp - run);
    }
    caml_major_free_words = free_words;
}

void caml_major_collection(void)
{
    uintnat depth = (uintnat)((char *)caml_stack_high - (char *)caml_extern_sp);
    if (depth > caml_peak_stack_bytes) caml_peak_stack_bytes = depth;
    oe_ref_table_clear();                 /* rebuilt while marking */
    oe_mark_begin(OE_MARK_MAJOR);
    caml_scan_root_locations(oe_mark_root, 0);
    oe_mark_finish();
    ephe_mark_fixpoint();
    caml_final_update_first(dead_value, mark_and_finish);
    ephe_mark_fixpoint();
    caml_final_update_last(dead_value);
    ephe_clean();
    if (caml_memprof_ntracked) caml_memprof_major_clean();
    oe_whiten_young();
    sweep();
    caml_stat_major_collections++;
    oe_major_allocated_words = 0;
    oe_major_requested = 0;
    set_threshold();
}

/* Fixes (with [fix]) every field of every allocated major block that can hold a young
   pointer: the fallback of the minor GC when the remembered set overflowed. Ephemerons
   (Abstract_tag) are skipped: the minor GC handles their fields itself (weakly). */
void oe_major_walk_fix_young(void (*fix)(value *p))
{
    header_t *hp = (header_t *)caml_major_start, *end = (header_t *)caml_major_end;
    while (hp < end) {
        header_t hd = *hp;
        if (Color_hd(hd) != Caml_blue && Tag_hd(hd) < No_scan_tag) {
            value *fp = (value *)(hp + 1), *fend = fp + Wosize_hd(hd);
            for (; fp < fend; fp++)
                if (Is_block(*fp) && Oe_in_young(*fp)) fix(fp);
        }
        hp += Whsize_hd(hd);
    }
}

/* Heap census for Gc.stat (no collection), of the part of the region the heap has grown
   into ([low_water, caml_major_end), caml_major_top_words words): live + free + fragments
   add up to it. A free block straddling low_water counts for its words above it. */
void oe_major_census(uintnat *live_words, uintnat *live_blocks, uintnat *free_words,
                     uintnat *free_blocks, uintnat *largest_free, uintnat *fragments)
{
    header_t *hp = (header_t *)caml_major_start, *end = (header_t *)caml_major_end;
    *live_words = *live_blocks = *free_words = *free_blocks = *largest_free = *fragments = 0;
    while (hp < end) {
        header_t hd = *hp, *next = hp + Whsize_hd(hd);
        uintnat wh;
        if (next <= low_water) {
            hp = next;
            continue;
        }
        wh = (uintnat)(next - (hp < low_water ? low_water : hp));  /* free if hp < low_water */
        if (Color_hd(hd) == Caml_blue) {
            if (wh == 1) {
                (*fragments)++;
            } else {
                (*free_blocks)++;
                *free_words += wh;
                if (wh > *largest_free) *largest_free = wh;
            }
        } else {
            (*live_blocks)++;
            *live_words += wh;
        }
        hp = next;
    }
}
