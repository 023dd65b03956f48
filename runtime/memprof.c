/* memprof.c — Gc.Memprof with OCaml 4.13's semantics (stdlib/gc.mli): sampling of the
   allocated words, callbacks on allocation, promotion and deallocation of sampled blocks.

   Sampling. Every allocated word (headers included) is sampled with probability lambda,
   independently: the distance between two samples is geometric (mp_geom). A block gets the
   samples that fall in its words (n_samples); a block with none is not seen.
   - Minor heap (allocation goes downwards): mp_trig is one word above the next sampled word,
     and caml_young_limit is raised to it, so the allocation that covers that word fails the
     inline check of generated code (or caml_alloc_small's) and reaches the runtime:
     caml_memprof_dispatch from generated code (caml_call_gc, the block not allocated yet),
     caml_memprof_young_slow from C. After a minor collection the limit is caml_young_end
     (oe_young_limit_reset), so the first allocation draws the next sample of the new heap.
   - Everything else (caml_alloc_shr, the memory of custom blocks, Marshal's blocks): a
     countdown of words to the next sample (mp_binom).
   Sampling is suspended while a callback runs (so callbacks never nest).

   Callbacks. A minor allocation from generated code runs alloc_minor at once, before the
   block exists, as OCaml does: the block is allocated when the code retries, and an exception
   of the callback cancels the allocation. Everything else (samples taken in C code, and the
   promotions and deaths that the GC finds) is queued and run at the next safe point: when the
   C function that caused it returns to OCaml code (the return address that caml_c_call or
   caml_call_gc saved at caml_c_sp - 16 is redirected to caml_memprof_return, stubs.S, which
   runs them and then returns there), at the next allocation of OCaml code (the limit is
   caml_young_end meanwhile), or in the Gc primitives (gc_stat.c). Exceptions of callbacks
   propagate from there.

   Tracked blocks are entries of a C array: `user` (the value the last callback returned) is a
   strong root (caml_memprof_scan_roots), `block` a weak pointer that the minor GC updates
   (caml_memprof_minor_update: promoted or dead) and the major GC clears when the block dies
   (caml_memprof_major_clean). Entries from mp_young_idx on may hold young values; no entry
   before mp_cb_idx waits for a callback; none before mp_del_idx is deleted.

   When memprof does not run, none of this costs anything on the allocation paths: the limit
   is caml_young_start as always, caml_alloc_shr compares with its usual threshold
   (oe_shr_hook_threshold, gc_major.c), and the GC hooks are skipped when nothing is tracked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gc.h"

enum { SRC_NORMAL = 0, SRC_MARSHAL = 1, SRC_CUSTOM = 2 };

/* A callstack captured in C code, for an alloc callback to come (raw backtrace slots), shared
   by consecutive samples that have the same (the blocks of one unmarshalled value...). */
struct mp_cs { uint32_t refs, len; uint32_t slot[]; };

struct mp_entry {
    value block;          /* weak; Val_unit once dead */
    value user;           /* strong: what the last callback returned (in Some) */
    struct mp_cs *cs;     /* until the alloc callback ran */
    uintnat n_samples;
    uint32_t wosize;
    unsigned source : 2, young : 1, promoted : 1, dead : 1, cb_alloc : 1, cb_promote : 1,
        cb_dealloc : 1, deleted : 1;
};

int caml_memprof_on;             /* started with a rate > 0: the allocation hooks act */
uintnat caml_memprof_ntracked;   /* entries (the GC hooks act when non-zero) */
int caml_memprof_pending;        /* callbacks may be due */
uintnat caml_memprof_saved_ra;   /* the return address caml_memprof_return goes back to */

static int mp_started, mp_suspended;
static uint32_t mp_scale_m;            /* 1 / -log2(1 - lambda) = mp_scale_m / 2^mp_scale_e */
static int mp_scale_e;                 /* (mp_scale_m = 0: lambda = 1) */
static intnat mp_callstack_size;
static value mp_tracker = Val_unit;
static uintnat mp_epoch;               /* changes at each start and stop */
static struct mp_entry *mp_ent;
static uintnat mp_cap, mp_young_idx, mp_cb_idx, mp_del_idx;
static value *mp_trig;                 /* minor heap: one word above the next sample */
static int mp_trig_valid;
static uintnat mp_trig_gc;             /* caml_stat_minor_collections when mp_trig was drawn */
static uintnat mp_major_next;          /* words before the next sample outside the minor heap */
static uintnat *mp_redirect_slot;      /* the return address redirected to caml_memprof_return */
static uint32_t *mp_cs_buf;            /* where callstacks are captured */
static intnat mp_cs_cap;
static struct mp_cs *mp_last_cs;       /* the last one kept for an entry */

extern void caml_memprof_return(void);  /* stubs.S */
extern char caml_grab_c_call_ret[];     /* stubs.S: caml_grab's call of caml_oe_grab_closure
                                           (the partial applications of OCaml code) */
extern char caml_code_begin[], caml_code_end[];
int caml_oe_intern_active(void);        /* intern.c: is Marshal input allocating? */

/* ------------------------------------------------------------------ random numbers */

/* xoshiro128++ (Blackman and Vigna), fixed seed: runs are reproducible. */
static uint32_t mp_rng[4] = { 0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 0x6a09e667u };

static uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t mp_random(void)
{
    uint32_t *s = mp_rng;
    uint32_t r = rotl32(s[0] + s[3], 7) + s[0], t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11);
    return r;
}

/* log2(1 + i/256) in Q30, i = 0..256: -log2 of a uniform variable costs a table lookup and
   an interpolation instead of a soft-float log. Built by the first start. */
static uint32_t *mp_log_tab;

/* -log2(u / 2^32) in Q26, for u uniform on 32 bits (0 counts as 1) */
static uint32_t neg_log2_q26(uint32_t u)
{
    uint32_t f, i, t, lo, d, l;
    int e;
    if (u == 0) u = 1;
    e = 31 - __builtin_clz(u);
    f = (u << (31 - e)) << 1;                  /* the bits after the leading one, Q32 */
    i = f >> 24;
    t = (f >> 8) & 0xffff;
    lo = mp_log_tab[i];
    d = mp_log_tab[i + 1] - lo;                /* < 2^23 */
    l = lo + (((d >> 7) * t) >> 9);            /* log2 of the mantissa, Q30 */
    return ((uint32_t)(32 - e) << 26) - (l >> 4);
}

/* A geometric variable of parameter lambda (>= 1: the position of the next sampled word),
   clipped to Max_long: 1 + floor(log(U) / log(1 - lambda)). Integer arithmetic only (the
   soft-float alternative costs a few hundred instructions per sample). */
static uintnat mp_geom(void)
{
    uint64_t p;
    int s;
    if (mp_scale_m == 0) return 1;             /* lambda = 1 */
    p = (uint64_t)neg_log2_q26(mp_random()) * mp_scale_m;   /* 2^(26 + e) times too big */
    s = 26 + mp_scale_e;
    if (s >= 64) p = 0;
    else if (s >= 0) p >>= s;
    else if (p != 0) return (uintnat)Max_long;  /* lambda below 2^-38 or so */
    if (p >= (uint64_t)(Max_long - 1)) return (uintnat)Max_long;
    return 1 + (uintnat)p;
}

/* The number of samples in the next len words allocated outside the minor heap. */
static uintnat mp_binom(uintnat len)
{
    uintnat n = 0;
    while (mp_major_next < len) {
        n++;
        mp_major_next += mp_geom();
    }
    mp_major_next -= len;
    return n;
}

/* ------------------------------------------------------------------ the minor heap trigger */

/* Draws the next sample below `from` (the allocation pointer, or the start of a block just
   sampled). mp_trig = caml_young_start means none in this minor heap. */
static void mp_arm(value *from)
{
    uintnat g = mp_geom(), avail = (uintnat)(from - caml_young_start);
    mp_trig = g > avail ? caml_young_start : from - (g - 1);
    mp_trig_valid = 1;
    mp_trig_gc = caml_stat_minor_collections;
}

/* After a minor collection or a suspension the previous draw is void (memorylessness makes a
   new one from the allocation pointer equivalent). */
static void mp_sync_trig(void)
{
    if (!mp_trig_valid || mp_trig_gc != caml_stat_minor_collections) mp_arm(caml_young_ptr);
}

static void mp_set_limit(void)
{
    if (oe_minor_gc_requested() || (caml_memprof_pending && !mp_suspended)) {
        caml_young_limit = caml_young_end;
    } else if (caml_memprof_on && !mp_suspended) {
        mp_sync_trig();
        caml_young_limit = mp_trig;
    } else {
        caml_young_limit = caml_young_start;
    }
}

/* The samples of the young block whose header will be at hp (hp < mp_trig <= young_ptr);
   moves mp_trig below it. */
static uintnat mp_count_young(value *hp)
{
    uintnat n = 0, g;
    uintnat t = (uintnat)(mp_trig - caml_young_start) - 1;   /* the sampled word */
    uintnat lo = (uintnat)(hp - caml_young_start);
    for (;;) {
        n++;
        g = mp_geom();
        if (t < g) {
            mp_trig = caml_young_start;
            break;
        }
        t -= g;
        if (t < lo) {
            mp_trig = caml_young_start + t + 1;
            break;
        }
    }
    return n;
}

static void mp_suspend(int s)
{
    mp_suspended = s;
    mp_trig_valid = 0;
    mp_set_limit();
}

void caml_memprof_set_suspended(int s)
{
    if (mp_started) mp_suspend(s);
    else mp_suspended = s;
}

/* ------------------------------------------------------------------ safe points */

static int in_generated_code(uintnat a)
{
    return a >= (uintnat)caml_code_begin && a < (uintnat)caml_code_end;
}

/* The call site saved at caml_c_sp - 16, seeing through a redirection (backtrace.c). */
uintnat caml_memprof_call_site(uintnat ra)
{
    return ra == (uintnat)&caml_memprof_return ? caml_memprof_saved_ra : ra;
}

/* Callbacks are due: have them run when the C code running now returns to OCaml code, and at
   the next allocation of OCaml code. Only one return address is redirected at a time: if an
   outer activation's may still be waiting, it is left alone (the inner work is then done by
   the next allocation, or by the outer return). A redirected address that a raise abandoned
   is either overwritten by the next C call of its activation or below the current one. */
static void mp_request_poll(void)
{
    uintnat *slot, ra, stub = (uintnat)&caml_memprof_return;
    caml_memprof_pending = 1;
    if (mp_suspended) return;            /* the running callback loop takes them */
    caml_young_limit = caml_young_end;
    if (caml_c_sp == NULL) return;
    slot = (uintnat *)((char *)caml_c_sp - 16);
    ra = *slot;
    if (ra == stub || !(in_generated_code(ra) || ra == (uintnat)caml_grab_c_call_ret)) return;
    if (mp_redirect_slot != NULL && mp_redirect_slot > slot && *mp_redirect_slot == stub) return;
    mp_redirect_slot = slot;
    caml_memprof_saved_ra = ra;
    *slot = stub;
}

/* The current C call's return address is redirected but nothing is due any more. */
static void mp_cancel_redirect(void)
{
    uintnat *slot;
    if (caml_c_sp == NULL || mp_redirect_slot == NULL) return;
    slot = (uintnat *)((char *)caml_c_sp - 16);
    if (slot == mp_redirect_slot && *slot == (uintnat)&caml_memprof_return) {
        *slot = caml_memprof_saved_ra;
        mp_redirect_slot = NULL;
    }
}

/* ------------------------------------------------------------------ entries */

static uint32_t *mp_capture(intnat *len)
{
    *len = 0;
    if (mp_callstack_size <= 0) return NULL;
    *len = caml_oe_collect_callstack(&mp_cs_buf, &mp_cs_cap, mp_callstack_size);
    return mp_cs_buf;
}

static void mp_free_cs(struct mp_entry *e)
{
    struct mp_cs *cs = e->cs;
    e->cs = NULL;
    if (cs == NULL || --cs->refs > 0) return;
    if (cs == mp_last_cs) mp_last_cs = NULL;
    free(cs);
}

static void mp_delete(uintnat i)
{
    struct mp_entry *e = &mp_ent[i];
    mp_free_cs(e);
    e->deleted = 1;
    e->block = Val_unit;
    e->user = Val_unit;
    if (i < mp_del_idx) mp_del_idx = i;
}

/* Removes the deleted entries (from mp_del_idx, which is usually near the end). */
static void mp_flush(void)
{
    uintnat i, j = mp_del_idx, n = caml_memprof_ntracked;
    uintnat young = mp_young_idx, cb = mp_cb_idx;
    if (mp_del_idx >= n) return;
    for (i = mp_del_idx; i < n; i++) {
        if (i == mp_young_idx) young = j;
        if (i == mp_cb_idx) cb = j;
        if (!mp_ent[i].deleted) mp_ent[j++] = mp_ent[i];
    }
    if (mp_young_idx >= n) young = j;
    if (mp_cb_idx >= n) cb = j;
    caml_memprof_ntracked = j;
    mp_young_idx = young;
    mp_cb_idx = cb;
    mp_del_idx = j;
    if (mp_cap > 64 && 4 * j < mp_cap) {
        struct mp_entry *s = realloc(mp_ent, (mp_cap / 2) * sizeof *s);
        if (s != NULL) {
            mp_ent = s;
            mp_cap /= 2;
        }
    }
}

/* A new entry at the end (no GC); NULL if memory is short (the sample is then lost). */
static struct mp_entry *mp_new(uintnat n_samples, mlsize_t wosize, int source, int young)
{
    struct mp_entry *e;
    if (caml_memprof_ntracked == mp_cap) {
        uintnat ncap = mp_cap == 0 ? 64 : 2 * mp_cap;
        struct mp_entry *s = realloc(mp_ent, ncap * sizeof *s);
        if (s == NULL) return NULL;
        mp_ent = s;
        mp_cap = ncap;
    }
    e = &mp_ent[caml_memprof_ntracked];
    memset(e, 0, sizeof *e);
    e->block = Val_unit;
    e->user = Val_unit;
    e->n_samples = n_samples;
    e->wosize = (uint32_t)wosize;
    e->source = (unsigned)source;
    e->young = (unsigned)young;
    if (mp_del_idx == caml_memprof_ntracked) mp_del_idx++;
    caml_memprof_ntracked++;
    return e;
}

/* A block sampled in C code (not yet initialized: no GC here): its alloc callback is queued
   with the callstack of now. */
static void mp_track(value block, uintnat n_samples, mlsize_t wosize, int source, int young)
{
    intnat len;
    uint32_t *slots = mp_capture(&len);
    struct mp_cs *cs = mp_last_cs;
    struct mp_entry *e;
    if (cs == NULL || cs->len != (uint32_t)len ||
        memcmp(cs->slot, slots, (size_t)len * sizeof *slots) != 0) {
        cs = malloc(sizeof *cs + (size_t)len * sizeof *slots);
        if (cs == NULL) return;
        cs->refs = 0;
        cs->len = (uint32_t)len;
        memcpy(cs->slot, slots, (size_t)len * sizeof *slots);
    }
    e = mp_new(n_samples, wosize, source, young);
    if (e == NULL) {
        if (cs->refs == 0) free(cs);
        return;
    }
    e->block = block;
    e->cs = cs;
    cs->refs++;
    mp_last_cs = cs;
    mp_request_poll();
}

/* ------------------------------------------------------------------ running callbacks */

/* tracker fields (Gc.Memprof.tracker) */
enum { CB_ALLOC_MINOR, CB_ALLOC_MAJOR, CB_PROMOTE, CB_DEALLOC_MINOR, CB_DEALLOC_MAJOR };

/* Calls the alloc callback with an allocation record; returns its result or an exception
   result. cs stays valid: nothing else captures a callstack while callbacks are suspended. */
static value mp_call_alloc(uintnat n_samples, mlsize_t wosize, int source, int young,
                           const uint32_t *cs, intnat cs_len)
{
    CAMLparam0();
    CAMLlocal2(callstack, info);
    intnat i;
    callstack = cs_len > 0 ? caml_alloc((mlsize_t)cs_len, 0) : Atom(0);
    for (i = 0; i < cs_len; i++) Field(callstack, i) = Val_long(cs[i]);
    info = caml_alloc_small(4, 0);
    Field(info, 0) = Val_long(n_samples);
    Field(info, 1) = Val_long(wosize);
    Field(info, 2) = Val_int(source);
    Field(info, 3) = callstack;
    CAMLreturn(caml_callback_exn(Field(mp_tracker, young ? CB_ALLOC_MINOR : CB_ALLOC_MAJOR),
                                 info));
}

/* Runs the queued callbacks (sampling suspended meanwhile); returns Val_unit or the exception
   result of the callback that raised (the others stay queued). */
static value mp_run_pending_exn(void)
{
    value res = Val_unit;
    uintnat epoch = mp_epoch, i;
    if (mp_suspended || !caml_memprof_pending) return Val_unit;
    mp_suspend(1);
    while (caml_memprof_pending) {
        caml_memprof_pending = 0;
        i = mp_cb_idx;
        mp_cb_idx = caml_memprof_ntracked;      /* GC hooks lower it meanwhile */
        while (i < caml_memprof_ntracked) {
            struct mp_entry *e = &mp_ent[i];
            value arg;
            int kind;
            if (e->deleted) {
                i++;
                continue;
            }
            if (!e->cb_alloc) {
                kind = e->young ? CB_ALLOC_MINOR : CB_ALLOC_MAJOR;
                e->cb_alloc = 1;
                res = mp_call_alloc(e->n_samples, e->wosize, e->source, e->young,
                                    e->cs ? e->cs->slot : NULL, e->cs ? e->cs->len : 0);
            } else if (e->promoted && !e->cb_promote) {
                kind = CB_PROMOTE;
                e->cb_promote = 1;
                arg = e->user;
                e->user = Val_unit;               /* the callback's argument keeps it */
                res = caml_callback_exn(Field(mp_tracker, CB_PROMOTE), arg);
            } else if (e->dead && !e->cb_dealloc) {
                kind = e->promoted || !e->young ? CB_DEALLOC_MAJOR : CB_DEALLOC_MINOR;
                e->cb_dealloc = 1;
                arg = e->user;
                e->user = Val_unit;
                res = caml_callback_exn(Field(mp_tracker, kind), arg);
            } else {
                i++;                              /* nothing due for this one now */
                continue;
            }
            if (mp_epoch != epoch) {              /* stopped by the callback */
                mp_suspend(0);
                return Is_exception_result(res) ? res : Val_unit;
            }
            e = &mp_ent[i];
            if (kind <= CB_ALLOC_MAJOR) mp_free_cs(e);
            if (Is_exception_result(res) || res == Val_unit || kind >= CB_DEALLOC_MINOR) {
                mp_delete(i);                     /* None, (), or raised: tracking ends */
            } else {
                e->user = Field(res, 0);
                if (Is_block(e->user) && Oe_in_young(e->user) && i < mp_young_idx)
                    mp_young_idx = i;
            }
            if (Is_exception_result(res)) {
                if (i < mp_cb_idx) mp_cb_idx = i;
                caml_memprof_pending = 1;         /* the rest later */
                mp_flush();
                mp_suspend(0);
                return res;
            }
        }
    }
    mp_flush();
    mp_suspend(0);
    mp_cancel_redirect();
    return Val_unit;
}

/* Runs the queued callbacks; raises an exception of one of them. */
void caml_memprof_run_pending(void)
{
    value res = mp_run_pending_exn();
    if (Is_exception_result(res)) caml_raise(Extract_exception(res));
}

/* caml_memprof_return (stubs.S): a redirected C call returned. */
void caml_memprof_run_from_return(void)
{
    mp_redirect_slot = NULL;
    caml_memprof_run_pending();
}

/* ------------------------------------------------------------------ allocation hooks */

/* The kept last entries are sampled blocks of an allocation of generated code that has not
   happened yet (their block field holds the index k of the block in it): allocated now at the
   place the retry takes, k * bwh words above caml_young_ptr - whsize, or cancelled by an
   exception, which ends their tracking with a deallocation (as OCaml). */
static void mp_end_awaiting(uintnat kept, uintnat epoch, uintnat whsize, uintnat bwh,
                            int allocated)
{
    uintnat i;
    if (mp_epoch != epoch) return;            /* stopped meanwhile: nothing tracked */
    for (i = caml_memprof_ntracked - kept; i < caml_memprof_ntracked; i++) {
        struct mp_entry *e = &mp_ent[i];
        if (allocated) {
            e->block = Val_hp(caml_young_ptr - whsize + (uintnat)Long_val(e->block) * bwh);
            if (i < mp_young_idx) mp_young_idx = i;   /* a minor GC may have run meanwhile */
        } else {
            e->block = Val_unit;
            e->dead = 1;
            if (i < mp_cb_idx) mp_cb_idx = i;
            caml_memprof_pending = 1;
        }
    }
}

/* caml_call_gc / caml_call_gc_blocks (through caml_alloc_small_dispatch and
   caml_alloc_blocks_dispatch) while memprof runs: generated code failed to allocate whsize
   words, which are whsize / bwh blocks of bwh words (one block, or the boxes of a float
   chain): the minor heap is full, a collection was requested, callbacks are due, or the
   allocation covers the next sample. The sampled blocks get their alloc_minor callback now,
   before they exist (highest address first, as OCaml does for combined allocations); an
   exception of one cancels the allocation. On return the allocation fits above the limit. */
void caml_memprof_dispatch(uintnat whsize, uintnat bwh)
{
    uintnat nblocks, kept = 0, epoch = mp_epoch, k;
    int sampled = 0;
    value res;
    if (bwh == 0 || whsize % bwh != 0) bwh = whsize;
    nblocks = whsize / bwh;
    for (;;) {
        if ((uintnat)(caml_young_ptr - caml_young_start) < whsize || oe_minor_gc_requested()) {
            caml_minor_collection();
            if (kept == 0) caml_final_do_calls();  /* (else at the next dispatch: see below) */
            continue;
        }
        if (caml_memprof_pending && !mp_suspended) {
            res = mp_run_pending_exn();
            if (Is_exception_result(res)) {
                /* (finalisers were deferred so that only this can raise with kept blocks) */
                mp_end_awaiting(kept, epoch, whsize, bwh, 0);
                mp_set_limit();
                caml_raise(Extract_exception(res));
            }
            continue;
        }
        if (!sampled && caml_memprof_on && !mp_suspended) {
            mp_sync_trig();
            if (caml_young_ptr - whsize < mp_trig) {
                /* the samples as offsets from the start of the allocation, which moves when
                   the callbacks allocate */
                intnat t = (mp_trig - (caml_young_ptr - whsize)) - 1, cs_len;
                const uint32_t *cs = mp_capture(&cs_len);
                sampled = 1;
                for (k = nblocks; k-- > 0 && mp_epoch == epoch && caml_memprof_on;) {
                    uintnat n = 0;
                    while (t >= (intnat)(k * bwh)) {
                        n++;
                        t -= (intnat)mp_geom();
                    }
                    if (n == 0) continue;
                    mp_suspend(1);
                    res = mp_call_alloc(n, bwh - 1, SRC_NORMAL, 1, cs, cs_len);
                    mp_suspended = 0;
                    if (Is_exception_result(res)) {
                        mp_end_awaiting(kept, epoch, whsize, bwh, 0);
                        mp_trig_valid = 0;
                        mp_set_limit();
                        caml_raise(Extract_exception(res));
                    }
                    if (res != Val_unit && mp_epoch == epoch) {
                        struct mp_entry *e = mp_new(n, bwh - 1, SRC_NORMAL, 1);
                        if (e != NULL) {
                            e->cb_alloc = 1;
                            e->user = Field(res, 0);
                            e->block = Val_long(k);   /* until the allocation happens */
                            kept++;
                        }
                    }
                }
                mp_trig_valid = 0;             /* drawn below */
                continue;
            }
        }
        break;
    }
    mp_end_awaiting(kept, epoch, whsize, bwh, 1);
    if (sampled && caml_memprof_on && !mp_suspended) mp_arm(caml_young_ptr - whsize);
    mp_set_limit();
    mp_cancel_redirect();
}

/* caml_alloc_small from C while memprof runs (the limit was reached): what
   caml_minor_collection did, when needed, then sampling. No callback runs here. */
void caml_memprof_young_slow(uintnat whsize)
{
    value *hp;
    if ((uintnat)(caml_young_ptr - caml_young_start) < whsize || oe_minor_gc_requested())
        caml_minor_collection();
    if (!mp_suspended) {
        mp_sync_trig();
        hp = caml_young_ptr - whsize;
        if (hp < mp_trig) {
            uintnat n = mp_count_young(hp);
            mp_track(Val_hp(hp), n, whsize - 1, SRC_NORMAL, 1);
        }
    }
    mp_set_limit();
}

/* caml_alloc_shr's hook (gc_major.c), while memprof runs. */
void caml_memprof_track_shr(value block)
{
    uintnat n;
    if (mp_suspended) return;
    n = mp_binom(Wosize_val(block) + 1);
    if (n > 0)
        mp_track(block, n, Wosize_val(block),
                 caml_oe_intern_active() ? SRC_MARSHAL : SRC_NORMAL, 0);
}

/* caml_alloc_custom_mem: the bytes a custom block holds outside the heap. */
void caml_memprof_track_custom(value block, mlsize_t bytes)
{
    uintnat n;
    if (!caml_memprof_on || mp_suspended) return;
    n = mp_binom(bytes / sizeof(value));
    if (n > 0) mp_track(block, n, bytes / sizeof(value), SRC_CUSTOM, Oe_in_young(block));
}

/* intern.c: unmarshalling failed; its blocks are not reported (as OCaml, which samples them
   only once the value is complete). */
void caml_memprof_discard_marshal(void)
{
    uintnat i;
    for (i = mp_cb_idx; i < caml_memprof_ntracked; i++) {
        struct mp_entry *e = &mp_ent[i];
        if (!e->deleted && !e->cb_alloc && e->source == SRC_MARSHAL) mp_delete(i);
    }
    mp_flush();
}

/* ------------------------------------------------------------------ GC hooks */

void caml_memprof_scan_roots(void (*f)(value *p), int minor)
{
    uintnat i;
    for (i = minor ? mp_young_idx : 0; i < caml_memprof_ntracked; i++) f(&mp_ent[i].user);
}

/* Minor GC, after the evacuation (evacuated blocks have header 0 and their copy in field 0):
   the young tracked blocks are promoted or dead. */
void caml_memprof_minor_update(void)
{
    uintnat i, n = caml_memprof_ntracked;
    int found = 0;
    for (i = mp_young_idx; i < n; i++) {
        struct mp_entry *e = &mp_ent[i];
        value b = e->block;
        if (e->deleted || !Is_block(b) || !Oe_in_young(b)) continue;
        if (Hd_val(b) == 0) {
            e->block = Field(b, 0);
            e->promoted = 1;
        } else {
            e->block = Val_unit;
            e->dead = 1;
        }
        found = 1;
    }
    if (found) {
        if (mp_young_idx < mp_cb_idx) mp_cb_idx = mp_young_idx;
        mp_request_poll();
    }
    mp_young_idx = n;
}

/* Major GC, after marking: the unmarked major blocks are dead (young ones are left to the
   minor GC, which finds them dead too). */
void caml_memprof_major_clean(void)
{
    uintnat i, first = caml_memprof_ntracked;
    for (i = 0; i < caml_memprof_ntracked; i++) {
        struct mp_entry *e = &mp_ent[i];
        value b = e->block;
        if (e->deleted || !Is_block(b) || !Oe_in_major(b) || oe_is_marked(b)) continue;
        e->block = Val_unit;
        e->dead = 1;
        if (first > i) first = i;
    }
    if (first < caml_memprof_ntracked) {
        if (first < mp_cb_idx) mp_cb_idx = first;
        mp_request_poll();
    }
}

/* ------------------------------------------------------------------ primitives */

static int mp_init_tables(void)
{
    int i;
    if (mp_log_tab != NULL) return 1;
    mp_log_tab = malloc(257 * sizeof *mp_log_tab);
    if (mp_log_tab == NULL) return 0;
    for (i = 0; i <= 256; i++)
        mp_log_tab[i] = (uint32_t)(log2(1.0 + i / 256.0) * 1073741824.0 + 0.5);
    return 1;
}

CAMLprim value caml_memprof_start(value lv, value szv, value tracker)
{
    double l = Double_val(lv);
    intnat sz = Long_val(szv);
    if (mp_started) caml_failwith("Gc.Memprof.start: already started.");
    if (sz < 0 || !(l >= 0.) || l > 1.) caml_invalid_argument("Gc.Memprof.start");
    if (l > 0 && l < 1 && !mp_init_tables()) caml_raise_out_of_memory();
    mp_scale_m = 0;
    if (l > 0 && l < 1) {
        int k;
        double f = frexp(-log(2.0) / log1p(-l), &k);   /* f in [0.5, 1) */
        mp_scale_m = (uint32_t)(f * 4294967296.0);
        mp_scale_e = 32 - k;
    }
    mp_callstack_size = sz;
    mp_tracker = tracker;
    caml_register_global_root(&mp_tracker);
    mp_started = 1;
    mp_epoch++;
    caml_memprof_on = l > 0;
    if (caml_memprof_on) {
        mp_major_next = mp_geom() - 1;   /* 0: the next word is sampled */
        mp_trig_valid = 0;
        oe_young_limit_reset = caml_young_end;
        oe_major_update_shr_hook();
        mp_set_limit();
    }
    return Val_unit;
}

/* Does not allocate. Forgets every tracked block and every queued callback. */
CAMLprim value caml_memprof_stop(value unit)
{
    uintnat i;
    (void)unit;
    if (!mp_started) caml_failwith("Gc.Memprof.stop: not started.");
    for (i = 0; i < caml_memprof_ntracked; i++) mp_free_cs(&mp_ent[i]);
    free(mp_ent);
    mp_ent = NULL;
    mp_cap = caml_memprof_ntracked = mp_young_idx = mp_cb_idx = mp_del_idx = 0;
    caml_memprof_pending = 0;
    mp_started = 0;
    mp_epoch++;
    caml_memprof_on = 0;
    caml_remove_global_root(&mp_tracker);
    mp_tracker = Val_unit;
    free(mp_cs_buf);
    mp_cs_buf = NULL;
    mp_cs_cap = 0;
    oe_young_limit_reset = caml_young_start;
    oe_major_update_shr_hook();
    mp_set_limit();
    return Val_unit;
}
