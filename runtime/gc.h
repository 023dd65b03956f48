/* gc.h — internal interface between the GC files (gc_minor.c, gc_major.c, finalise.c,
   weak.c, gc_stat.c). Not for primitives. */
#ifndef OE_GC_H
#define OE_GC_H
#include "runtime.h"

/* Range tests on value pointers (a value is at least one word past its header, so the
   bounds are exclusive). Also usable on field addresses. */
#define Oe_in_young(v) ((uintnat)(v) > (uintnat)caml_young_start && \
                        (uintnat)(v) < (uintnat)caml_young_end)
#define Oe_in_major(v) ((uintnat)(v) > (uintnat)caml_major_start && \
                        (uintnat)(v) < (uintnat)caml_major_end)
#define Oe_in_heap(v) (Oe_in_young(v) || Oe_in_major(v))
#define Whsize_hd(hd) (Wosize_hd(hd) + 1)

/* ---- marking engine (gc_major.c), shared by the minor GC (young blocks only) and the major
   GC (young and major blocks). Marks are the color bits of the headers: white = unmarked,
   black = marked, gray = marked but fields not scanned yet (mark stack overflow). ---- */
enum { OE_MARK_MINOR = 0, OE_MARK_MAJOR = 1 };
void oe_mark_begin(int mode);
void oe_mark_value(value v);          /* marks v if it is a heap block of the current mode */
void oe_mark_root(value *p);          /* oe_mark_value(*p) */
void oe_mark_finish(void);            /* empties the mark stack, rescans after overflow */
int oe_is_marked(value v);            /* for heap blocks (Infix handled) */
void oe_whiten_young(void);           /* resets the colors of every young block to white */

/* ---- major heap allocation without GC (gc_major.c): returns the header address (header
   not written) or NULL. ---- */
header_t *oe_major_alloc_raw(mlsize_t wosize);
void oe_major_free_raw(header_t *hp);   /* gives back a block just obtained */
void oe_major_init(value *start, value *end);
void oe_major_walk_fix_young(void (*fix)(value *p)); /* every young pointer field of every
                                                        allocated major block but the
                                                        ephemerons */
extern uintnat oe_major_allocated_words;  /* words allocated in the major heap since the last
                                             major GC (promotion + direct) */
extern uintnat oe_major_threshold;        /* a major GC is due when the above exceeds this */
extern int oe_major_requested;
extern uintnat oe_minor_heap_words;

/* ---- remembered set (gc_minor.c) ---- */
void oe_ref_table_clear(void);
void oe_ref_table_add_gc(value *p);   /* during a major GC: may set the overflow flag */
/* ephemeron fields (key or data, at [offset]) that may hold a young pointer: not in the
   remembered set, the minor GC treats them weakly. oe_ref_table_clear empties both. */
void oe_ephe_ref_add(value e, mlsize_t offset);
void oe_ephe_ref_add_gc(value e, mlsize_t offset);  /* during a major GC */
void oe_minor_reset(void);
void oe_global_roots_scan(void (*f)(value *p));
int oe_minor_gc_requested(void);      /* a minor GC was asked for (caml_request_minor_gc) */
extern value *oe_young_limit_reset;   /* caml_young_limit after a minor GC: caml_young_start,
                                         or caml_young_end while memprof samples */
void oe_major_update_shr_hook(void);  /* memprof started or stopped (caml_alloc_shr's hook) */

/* ---- Gc.Memprof (memprof.c): hooks of the allocators and of the GC ---- */
extern int caml_memprof_on;           /* sampling (rate > 0) */
extern uintnat caml_memprof_ntracked; /* tracked blocks: the GC hooks act when non-zero */
extern int caml_memprof_pending;      /* callbacks may be due */
void caml_memprof_dispatch(uintnat whsize, uintnat block_whsize); /* caml_call_gc(_blocks),
                                                                     memprof on */
void caml_memprof_young_slow(uintnat whsize);   /* caml_alloc_small's slow path, memprof on */
void caml_memprof_track_shr(value block);       /* caml_alloc_shr, memprof on */
void caml_memprof_track_custom(value block, mlsize_t bytes);
void caml_memprof_scan_roots(void (*f)(value *p), int minor);
void caml_memprof_minor_update(void);           /* minor GC, after evacuation */
void caml_memprof_major_clean(void);            /* major GC, after marking */
#endif
