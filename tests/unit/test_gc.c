/* test_gc.c — host unit test of the runtime's GC and allocation (runtime/gc_*.c, alloc.c,
   weak.c, finalise.c, memprof.c), compare.c, hash.c, obj.c, fail.c. The runtime sources are compiled
   in with value = intptr_t (64-bit on the host); a static buffer stands for the linker's
   heap region, a few words of its OCaml stack for the roots; caml_raise_exn_asm longjmps. */
#define OE_HOST_TEST 1
#include "../../runtime/state.c"
#include "../../runtime/gc_major.c"
#include "../../runtime/gc_minor.c"
#include "../../runtime/finalise.c"
#include "../../runtime/weak.c"
#include "../../runtime/alloc.c"
#include "../../runtime/fail.c"
#include "../../runtime/callback.c"
#include "../../runtime/startup.c"
#include "../../runtime/compare.c"
#include "../../runtime/hash.c"
#include "../../runtime/obj.c"
#include "../../runtime/backtrace.c"
#include "../../runtime/gc_stat.c"
#include "../../runtime/memprof.c"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ host stand-ins */

value caml_globals[16];
char caml_code_begin[4], caml_code_end[1];     /* backtrace.c: no generated code */
intnat caml_globals_count = 16;
const struct custom_operations caml_int32_ops, caml_int64_ops, caml_nativeint_ops;

static jmp_buf *raise_target;
static value raised;
void caml_raise_exn_asm(value exn)
{
    raised = exn;
    if (raise_target == NULL) {
        fprintf(stderr, "unexpected exception\n");
        abort();
    }
    longjmp(*raise_target, 1);
}

static char out_buf[4096];
static size_t out_len;
static jmp_buf *exit_target;
static int exit_code;
intnat oe_platform_write(int fd, const void *buf, uintnat len)
{
    (void)fd;
    if (out_len + len < sizeof(out_buf)) {
        memcpy(out_buf + out_len, buf, len);
        out_len += len;
        out_buf[out_len] = 0;
    }
    return (intnat)len;
}
void oe_platform_exit(int code)
{
    exit_code = code;
    if (exit_target == NULL) {
        fprintf(stderr, "unexpected exit %d: %s\n", code, out_buf);
        abort();
    }
    longjmp(*exit_target, 1);
}

/* closures whose code is a C function (clos, arg) */
typedef value (*cfun)(value clos, value arg);
value caml_callback_asm(value closure, intnat nargs, value *args)
{
    (void)nargs;
    return ((cfun)(uintptr_t)Field(closure, 0))(closure, args[0]);
}
value caml_start_program(void) { return Val_unit; }
void caml_memprof_return(void) {}               /* stubs.S */
char caml_grab_c_call_ret[1];
int caml_oe_intern_active(void) { return 0; }    /* intern.c */
void caml_init_gc(void) {}
value caml_copy_nativeint(intnat i) { return Val_long(i); }

/* ------------------------------------------------------------------ harness */

static int passed, failed;
#define CHECK(c) do { if (c) passed++; else { failed++; \
    fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static value heap_buf[(4 << 20) / sizeof(value)];

#define NROOTS 64
static value *roots;   /* on the fake OCaml stack */

static value make_string(const char *s)
{
    return caml_copy_string(s);
}

static value make_exn(const char *name, intnat id)
{
    CAMLparam0();
    CAMLlocal2(s, e);
    s = make_string(name);
    e = caml_alloc(2, Object_tag);
    caml_modify(&Field(e, 0), s);
    Field(e, 1) = Val_long(id);
    CAMLreturn(e);
}

static void setup(uintnat heap_bytes, uintnat minor_bytes)
{
    static const char *names[12] = {
        "Out_of_memory", "Sys_error", "Failure", "Invalid_argument", "End_of_file",
        "Division_by_zero", "Not_found", "Match_failure", "Stack_overflow",
        "Sys_blocked_io", "Assert_failure", "Undefined_recursive_module" };
    int i;
    caml_local_roots = NULL;
    caml_entry_local_roots = NULL;
    caml_init_gc_region(heap_buf, (char *)heap_buf + heap_bytes, minor_bytes, 4096);
    for (i = 0; i < 16; i++) caml_globals[i] = Val_unit;
    caml_c_sp = (void *)1;
    caml_extern_sp = caml_stack_high - NROOTS;
    roots = caml_extern_sp;
    for (i = 0; i < NROOTS; i++) roots[i] = Val_unit;
    for (i = 0; i < 12; i++) caml_globals[i] = make_exn(names[i], -i - 1);
}

/* Walks the major heap: block sizes must tile it exactly, no color left but white/blue,
   and the free-word count must agree. Returns the words in allocated blocks. */
static uintnat heap_check(int *ok)
{
    header_t *hp = (header_t *)caml_major_start, *end = (header_t *)caml_major_end;
    uintnat used = 0, freew = 0;
    *ok = 1;
    while (hp < end) {
        header_t hd = *hp;
        if (Color_hd(hd) == Caml_blue) freew += Whsize_hd(hd);
        else if (Color_hd(hd) != Caml_white) *ok = 0;
        else used += Whsize_hd(hd);
        hp += Whsize_hd(hd);
    }
    if (hp != end || freew != caml_major_free_words) *ok = 0;
    return used;
}

/* ------------------------------------------------------------------ random graphs */

enum { K_TUPLE, K_STRING, K_DOUBLE, K_CLOS };
#define MAXID 400000
#define INFIX_FLAG ((int64_t)1 << 40)
static unsigned char spec_kind[MAXID];
static uint32_t spec_n[MAXID];
static int64_t *spec_f[MAXID];      /* tuples: per field, child id (| INFIX_FLAG) or ~int */
static int64_t spec_env[MAXID];     /* closures: env1 */
static uint32_t seen[MAXID], seen_gen;
static int32_t next_id;

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void clos_code(void) {}

static value new_object(int kind, uint32_t n)
{
    int32_t id = next_id++;
    value v;
    uint32_t i;
    spec_kind[id] = (unsigned char)kind;
    spec_n[id] = n;
    switch (kind) {
    case K_TUPLE:
        v = caml_alloc(n, 0);
        Field(v, 0) = Val_long(id);
        spec_f[id] = malloc(n * sizeof(int64_t));
        for (i = 1; i < n; i++) {
            intnat k = (intnat)rnd(1000);
            caml_modify(&Field(v, i), Val_long(k));
            spec_f[id][i] = ~(int64_t)k;
        }
        return v;
    case K_STRING: {
        char buf[64];
        snprintf(buf, sizeof(buf), "%08d", id);
        for (i = 8; i < n; i++) buf[i] = (char)('a' + (id + i) % 26);
        buf[n] = 0;
        return caml_alloc_initialized_string(n, buf);
    }
    case K_DOUBLE:
        return caml_copy_double((double)id + 0.25);
    default:
        v = caml_alloc(7, Closure_tag);
        Field(v, 0) = (value)(uintptr_t)&clos_code;
        Field(v, 1) = Make_closinfo(1, 5);
        Field(v, 2) = (value)Make_header(3, Infix_tag, Caml_white);
        Field(v, 3) = (value)(uintptr_t)&clos_code;
        Field(v, 4) = Make_closinfo(1, 2);
        Field(v, 5) = Val_long(id);
        Field(v, 6) = Val_long(7);
        spec_env[id] = ~(int64_t)7;
        return v;
    }
}

/* id of the object v, with INFIX_FLAG if v is the infix pointer of a closure */
static int64_t object_id(value v, int *ok)
{
    switch (Tag_val(v)) {
    case 0: return Long_val(Field(v, 0));
    case String_tag: return atol(String_val(v));
    case Double_tag: return (int64_t)Double_val(v);
    case Closure_tag: return Long_val(Field(v, 5));
    case Infix_tag: return Long_val(Field(v - 3 * sizeof(value), 5)) | INFIX_FLAG;
    default: *ok = 0; return -1;
    }
}

static int64_t encode(value v, int *ok)
{
    if (Is_long(v)) return ~(int64_t)Long_val(v);
    return object_id(v, ok);
}

/* checks everything reachable from the roots; returns the words of reachable heap blocks */
static uintnat verify(int *ok)
{
    static value stack[MAXID];
    uintnat sp = 0, words = 0;
    int i;
    *ok = 1;
    seen_gen++;
    for (i = 0; i < NROOTS; i++) if (Is_block(roots[i])) stack[sp++] = roots[i];
    while (sp > 0) {
        value v = stack[--sp];
        int64_t id = object_id(v, ok);
        int32_t b = (int32_t)(id & (INFIX_FLAG - 1));
        uint32_t j;
        if (!*ok || b < 0 || b >= next_id) { *ok = 0; return 0; }
        if ((id & INFIX_FLAG) != 0) v -= 3 * sizeof(value);
        if (seen[b] == seen_gen) continue;
        seen[b] = seen_gen;
        if (caml_is_in_heap(v)) words += Wosize_val(v) + 1;
        switch (spec_kind[b]) {
        case K_TUPLE:
            if (Tag_val(v) != 0 || Wosize_val(v) != spec_n[b]) { *ok = 0; break; }
            for (j = 1; j < spec_n[b]; j++) {
                value f = Field(v, j);
                if (encode(f, ok) != spec_f[b][j]) *ok = 0;
                if (Is_block(f)) stack[sp++] = f;
            }
            break;
        case K_STRING: {
            char buf[64];
            snprintf(buf, sizeof(buf), "%08d", b);
            for (j = 8; j < spec_n[b]; j++) buf[j] = (char)('a' + (b + j) % 26);
            buf[spec_n[b]] = 0;
            if (Tag_val(v) != String_tag || caml_string_length(v) != spec_n[b]
                || memcmp(String_val(v), buf, spec_n[b] + 1) != 0) *ok = 0;
            break;
        }
        case K_DOUBLE:
            if (Tag_val(v) != Double_tag || Double_val(v) != (double)b + 0.25) *ok = 0;
            break;
        default:
            if (Tag_val(v) != Closure_tag || Wosize_val(v) != 7
                || Field(v, 0) != (value)(uintptr_t)&clos_code
                || Hd_val(v + 3 * sizeof(value)) != (header_t)Make_header(3, Infix_tag, 0)
                || encode(Field(v, 6), ok) != spec_env[b]) *ok = 0;
            if (Is_block(Field(v, 6))) stack[sp++] = Field(v, 6);
            break;
        }
        if (!*ok) {
            fprintf(stderr, "object %d (kind %d) is corrupted\n", b, spec_kind[b]);
            return 0;
        }
    }
    return words;
}

static value some_root_value(void)
{
    value v = roots[rnd(NROOTS)];
    if (Is_block(v) && Tag_val(v) == Closure_tag && rnd(2)) v += 3 * sizeof(value);
    return v;
}

static void random_step(void)
{
    uint32_t r = rnd(100), slot = rnd(NROOTS);
    if (r < 35) {                                   /* new tuple, maybe large */
        uint32_t n = rnd(50) == 0 ? 257 + rnd(400) : 1 + rnd(6);
        value v = new_object(K_TUPLE, n);
        uint32_t i;
        roots[slot] = v;
        for (i = 1; i < n; i++) {
            if (rnd(3) == 0) {
                value c = some_root_value();
                int ok = 1;
                caml_modify(&Field(roots[slot], i), c);
                spec_f[Long_val(Field(roots[slot], 0))][i] = encode(c, &ok);
            }
        }
    } else if (r < 55) {                           /* cons onto a list */
        value v = new_object(K_TUPLE, 3);
        int ok = 1;
        int32_t id = (int32_t)Long_val(Field(v, 0));
        caml_modify(&Field(v, 2), roots[slot]);
        spec_f[id][2] = encode(roots[slot], &ok);
        roots[slot] = v;
    } else if (r < 62) {
        roots[slot] = new_object(K_STRING, 8 + rnd(40));
    } else if (r < 68) {
        roots[slot] = new_object(K_DOUBLE, 0);
    } else if (r < 74) {
        value v = new_object(K_CLOS, 0);
        value c;
        int ok = 1;
        roots[slot] = v;
        c = some_root_value();
        caml_modify(&Field(roots[slot], 6), c);
        spec_env[Long_val(Field(roots[slot], 5))] = encode(c, &ok);
        if (rnd(2)) roots[slot] += 3 * sizeof(value);
    } else if (r < 94) {                           /* mutate a tuple (old -> young pointers) */
        value t = roots[slot];
        if (Is_block(t) && Tag_val(t) == 0 && Wosize_val(t) > 1) {
            uint32_t i = 1 + rnd((uint32_t)Wosize_val(t) - 1);
            value c = some_root_value();
            int ok = 1;
            caml_modify(&Field(t, i), c);
            spec_f[Long_val(Field(t, 0))][i] = encode(c, &ok);
        }
    } else {
        roots[slot] = Val_unit;
    }
}

static void test_random_graphs(void)
{
    int ok_all = 1, bounded = 1, exact = 1, step;
    uintnat max_used = 0;
    setup(1 << 20, 32 << 10);
    for (step = 0; step < 300000 && next_id < MAXID - 1000; step++) {
        random_step();
        if (step % 5000 == 4999) {
            int ok, hok;
            uintnat used, reach;
            if (step % 20000 == 19999) {
                caml_full_major();
                reach = verify(&ok);
                used = heap_check(&hok);
                {
                    /* the exception constructors of caml_globals are live too */
                    uintnat extra = 0;
                    int i;
                    for (i = 0; i < 12; i++)
                        extra += Wosize_val(caml_globals[i]) + 1
                                 + Wosize_val(Field(caml_globals[i], 0)) + 1;
                    if (used != reach + extra) {
                        exact = 0;
                        fprintf(stderr, "used %lu, reachable %lu + %lu\n", (unsigned long)used,
                                (unsigned long)reach, (unsigned long)extra);
                    }
                }
                if (used > max_used) max_used = used;
            } else {
                if (rnd(2)) caml_minor_collection(); else caml_major_collection();
                reach = verify(&ok);
                used = heap_check(&hok);
            }
            if (!ok || !hok) ok_all = 0;
            if (used > caml_major_heap_words) bounded = 0;
        }
    }
    CHECK(ok_all);
    CHECK(exact);
    CHECK(bounded);
    CHECK(caml_stat_minor_collections > 10);
    CHECK(caml_stat_major_collections > 10);
    printf("random graphs: %d objects, %lu minor / %lu major GCs, max live %lu words of %lu\n",
           next_id, (unsigned long)caml_stat_minor_collections,
           (unsigned long)caml_stat_major_collections, (unsigned long)max_used,
           (unsigned long)caml_major_heap_words);
}

/* ------------------------------------------------------------------ other GC tests */

static void test_long_list_and_reclaim(void)
{
    int i, ok = 1, round;
    uintnat base;
    setup(1 << 20, 16 << 10);
    caml_full_major();
    base = caml_major_free_words;
    for (round = 0; round < 20; round++) {
        /* a 20000-element list (deep: tests the constant-space marking of lists) */
        roots[0] = Val_unit;
        for (i = 0; i < 20000; i++) {
            value c = caml_alloc_small(2, 0);
            Field(c, 0) = Val_long(i);
            Field(c, 1) = roots[0];
            roots[0] = c;
        }
        caml_full_major();
        {
            value l = roots[0];
            for (i = 19999; i >= 0; i--) {
                if (!Is_block(l) || Field(l, 0) != Val_long(i)) { ok = 0; break; }
                l = Field(l, 1);
            }
            if (l != Val_unit) ok = 0;
        }
        roots[0] = Val_unit;
    }
    CHECK(ok);
    caml_full_major();
    CHECK(caml_major_free_words == base);
    /* a long allocation loop of garbage keeps the heap bounded */
    for (i = 0; i < 2000000; i++) {
        value v = caml_alloc(1 + (uintnat)i % 300, 0);
        if (i % 1000 == 0) roots[1] = v;
    }
    caml_full_major();
    CHECK(caml_major_free_words + Wosize_val(roots[1]) + 1 == base);
    {
        int hok;
        heap_check(&hok);
        CHECK(hok);
    }
}

static void test_out_of_memory(void)
{
    jmp_buf jb;
    volatile int n = 0, caught = 0;
    int ok = 1, i, hok;
    setup(256 << 10, 16 << 10);
    raise_target = &jb;
    if (setjmp(jb) == 0) {
        for (;;) {
            value c = caml_alloc_small(3, 0);
            Field(c, 0) = Val_long(n);
            Field(c, 1) = roots[0];
            Field(c, 2) = Val_unit;
            roots[0] = c;
            n++;
        }
    } else {
        caught = raised == caml_globals[OUT_OF_MEMORY_EXN];
    }
    raise_target = NULL;
    CHECK(caught);
    {
        value l = roots[0];
        for (i = n - 1; i >= 0; i--) {
            if (!Is_block(l) || Field(l, 0) != Val_long(i)) { ok = 0; break; }
            l = Field(l, 1);
        }
        CHECK(ok && l == Val_unit);
    }
    /* large allocations fail cleanly too */
    raise_target = &jb;
    caught = 0;
    if (setjmp(jb) == 0) {
        (void)caml_alloc(100000, 0);
    } else {
        caught = raised == caml_globals[OUT_OF_MEMORY_EXN];
    }
    raise_target = NULL;
    CHECK(caught);
    roots[0] = Val_unit;
    caml_full_major();
    heap_check(&hok);
    CHECK(hok);
    CHECK(caml_major_free_words > caml_major_heap_words * 9 / 10);
    /* the heap is usable again */
    for (i = 0; i < 1000; i++) roots[2] = caml_alloc(10, 0);
    CHECK(Wosize_val(roots[2]) == 10);
}

static void test_ref_table_overflow(void)
{
    value arr, y;
    mlsize_t i;
    int ok = 1;
    setup(1 << 20, 16 << 10);
    roots[0] = caml_alloc(5000, 0);          /* major */
    CHECK(caml_is_major(roots[0]));
    caml_minor_collection();
    roots[1] = caml_alloc_small(2, 0);
    Field(roots[1], 0) = Val_long(1234);
    Field(roots[1], 1) = Val_unit;
    y = roots[1];
    arr = roots[0];
    for (i = 0; i < 5000; i++) caml_modify(&Field(arr, i), i % 2 ? y : Val_long(i));
    CHECK(ref_overflow);
    roots[1] = Val_unit;                      /* only reachable from the major array now */
    caml_minor_collection();
    arr = roots[0];
    for (i = 0; i < 5000; i++) {
        value f = Field(arr, i);
        if (i % 2) {
            if (!caml_is_major(f) || Field(f, 0) != Val_long(1234) || f != Field(arr, 1)) ok = 0;
        } else if (f != Val_long(i)) ok = 0;
    }
    CHECK(ok);
    CHECK(!ref_overflow && ref_count == 0);
}

static value fin_calls, fin_last_calls;
static value finaliser(value clos, value arg)
{
    (void)clos;
    if (Is_block(arg) && Field(arg, 0) == Val_long(77)) fin_calls++;
    return Val_unit;
}
static value finaliser_last(value clos, value arg)
{
    (void)clos;
    if (arg == Val_unit) fin_last_calls++;
    return Val_unit;
}

static value make_cclosure(cfun f)
{
    value c = caml_alloc(2, Closure_tag);
    Field(c, 0) = (value)(uintptr_t)f;
    Field(c, 1) = Make_closinfo(1, 2);
    return c;
}

static void test_weak_and_finalise(void)
{
    value w, o;
    setup(1 << 20, 16 << 10);
    /* weak array with 3 keys: one rooted, one unreachable, one int */
    roots[0] = caml_weak_create(Val_long(3));
    roots[1] = caml_alloc_small(1, 0);
    Field(roots[1], 0) = Val_long(1);
    o = caml_alloc_small(1, 0);
    Field(o, 0) = Val_long(2);
    caml_ephe_set_key(roots[0], Val_long(0), roots[1]);
    caml_ephe_set_key(roots[0], Val_long(1), o);
    caml_ephe_set_key(roots[0], Val_long(2), Val_long(5));
    caml_minor_collection();                  /* young keys are weak for the minor GC too */
    CHECK(caml_ephe_check_key(roots[0], Val_long(1)) == Val_false);
    CHECK(caml_is_major(Field(roots[0], CAML_EPHE_FIRST_KEY)));
    CHECK(Field(roots[0], CAML_EPHE_FIRST_KEY) == roots[1]);
    caml_full_major();
    w = roots[0];
    CHECK(caml_ephe_check_key(w, Val_long(0)) == Val_true);
    CHECK(caml_ephe_check_key(w, Val_long(1)) == Val_false);
    CHECK(caml_ephe_check_key(w, Val_long(2)) == Val_true);
    CHECK(Field(caml_weak_get(w, Val_long(0)), 0) == roots[1]);
    CHECK(caml_weak_get(w, Val_long(1)) == Val_none);
    {
        value c = caml_weak_get_copy(roots[0], Val_long(0));
        CHECK(Is_block(c) && Field(c, 0) != roots[1] && Field(Field(c, 0), 0) == Val_long(1));
    }
    /* ephemeron data lives while the key does */
    roots[2] = caml_ephe_create(Val_long(1));
    roots[3] = caml_alloc_small(1, 0);
    Field(roots[3], 0) = Val_long(3);
    caml_ephe_set_key(roots[2], Val_long(0), roots[3]);
    o = caml_alloc_small(1, 0);                /* data only reachable through the ephemeron */
    Field(o, 0) = Val_long(4);
    caml_ephe_set_data(roots[2], o);
    caml_full_major();
    CHECK(caml_ephe_check_data(roots[2]) == Val_true);
    CHECK(Field(Field(caml_ephe_get_data(roots[2]), 0), 0) == Val_long(4));
    roots[3] = Val_unit;
    caml_full_major();
    CHECK(caml_ephe_check_key(roots[2], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_data(roots[2]) == Val_false);
    /* an unreachable ephemeron is dropped from the list */
    roots[2] = Val_unit;
    caml_full_major();
    CHECK(caml_ephe_list_head == roots[0] && Field(roots[0], 0) == 0);

    /* finalisers */
    fin_calls = fin_last_calls = 0;
    roots[4] = make_cclosure(finaliser);
    roots[5] = make_cclosure(finaliser_last);
    o = caml_alloc_small(1, 0);
    Field(o, 0) = Val_long(77);
    roots[6] = o;
    caml_final_register(roots[4], roots[6]);
    caml_final_register_called_without_value(roots[5], roots[6]);
    roots[4] = roots[5] = Val_unit;
    caml_full_major();
    CHECK(fin_calls == 0 && fin_last_calls == 0);
    roots[6] = Val_unit;
    caml_full_major();
    CHECK(fin_calls == 1);
    CHECK(fin_last_calls == 1);
    caml_full_major();
    CHECK(fin_calls == 1 && fin_last_calls == 1);
    {
        jmp_buf jb;
        volatile int caught = 0;
        raise_target = &jb;
        if (setjmp(jb) == 0) caml_final_register(Val_unit, Val_long(3));
        else caught = Field(raised, 0) == caml_globals[INVALID_EXN];
        raise_target = NULL;
        CHECK(caught);
    }
}

static value young_int_box(intnat n)
{
    value b = caml_alloc_small(1, 0);
    Field(b, 0) = Val_long(n);
    return b;
}

/* the minor GC's ephemeron semantics (OCaml 4.13): young keys weak, young data alive only
   while the keys are */
static value ephe_key(value e, intnat i) { return Field(e, CAML_EPHE_FIRST_KEY + i); }
static value ephe_data(value e) { return Field(e, CAML_EPHE_DATA_OFFSET); }

static void test_minor_ephemerons(void)
{
    value o;
    mlsize_t i;
    int ok;
    setup(1 << 20, 16 << 10);

    /* key alive (rooted), young data only reachable through the ephemeron: both promoted */
    roots[0] = caml_ephe_create(Val_long(1));
    roots[1] = young_int_box(1);
    caml_ephe_set_key(roots[0], Val_long(0), roots[1]);
    o = young_int_box(42);
    caml_ephe_set_data(roots[0], o);
    caml_minor_collection();
    CHECK(ephe_key(roots[0], 0) == roots[1] && caml_is_major(roots[1]));
    CHECK(caml_is_major(ephe_data(roots[0])) && Field(ephe_data(roots[0]), 0) == Val_long(42));
    /* young unreachable key, young data: both cleared */
    o = young_int_box(125);
    caml_ephe_set_key(roots[0], Val_long(0), o);
    o = young_int_box(43);
    caml_ephe_set_data(roots[0], o);
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_data(roots[0]) == Val_false);
    /* young unreachable key, data in the major heap and alive: the data is cleared too */
    o = young_int_box(126);
    caml_ephe_set_key(roots[0], Val_long(0), o);
    caml_ephe_set_data(roots[0], roots[1]);
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_data(roots[0]) == Val_false);
    CHECK(Field(roots[1], 0) == Val_long(1));
    /* key in the major heap: alive for the minor GC, young data promoted */
    caml_ephe_set_key(roots[0], Val_long(0), roots[1]);
    o = young_int_box(44);
    caml_ephe_set_data(roots[0], o);
    roots[1] = Val_unit;                         /* the key is dead, but only a major GC knows */
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_true);
    CHECK(caml_is_major(ephe_data(roots[0])) && Field(ephe_data(roots[0]), 0) == Val_long(44));
    caml_full_major();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_data(roots[0]) == Val_false);
    /* a key reachable only through the data: dead */
    roots[1] = young_int_box(5);
    o = caml_alloc_small(1, 0);
    Field(o, 0) = roots[1];
    caml_ephe_set_key(roots[0], Val_long(0), roots[1]);
    caml_ephe_set_data(roots[0], o);
    roots[1] = Val_unit;
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_data(roots[0]) == Val_false);

    /* a chain: B's key is only reachable from A's data; B is recorded first, so the fixpoint
       needs a second round */
    roots[2] = caml_ephe_create(Val_long(1));    /* B */
    roots[3] = young_int_box(7);                 /* A's key, rooted */
    roots[4] = young_int_box(8);                 /* B's key */
    caml_ephe_set_key(roots[2], Val_long(0), roots[4]);
    o = young_int_box(9);
    caml_ephe_set_data(roots[2], o);
    o = caml_alloc_small(1, 0);                  /* A's data, holds B's key */
    Field(o, 0) = roots[4];
    roots[4] = Val_unit;
    caml_ephe_set_key(roots[0], Val_long(0), roots[3]);
    caml_ephe_set_data(roots[0], o);
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_true);
    CHECK(caml_ephe_check_data(roots[0]) == Val_true);
    CHECK(caml_ephe_check_key(roots[2], Val_long(0)) == Val_true);
    CHECK(caml_ephe_check_data(roots[2]) == Val_true);
    CHECK(Field(ephe_data(roots[0]), 0) == ephe_key(roots[2], 0));
    CHECK(caml_is_major(ephe_key(roots[2], 0)) && Field(ephe_key(roots[2], 0), 0) == Val_long(8));
    CHECK(caml_is_major(ephe_data(roots[2])) && Field(ephe_data(roots[2]), 0) == Val_long(9));

    /* blit: the copied young key is recorded for the destination */
    roots[1] = young_int_box(11);
    caml_ephe_set_key(roots[0], Val_long(0), roots[1]);
    caml_ephe_blit_key(roots[0], Val_long(0), roots[2], Val_long(0), Val_long(1));
    caml_minor_collection();
    CHECK(ephe_key(roots[2], 0) == roots[1] && ephe_key(roots[0], 0) == roots[1]);
    CHECK(caml_is_major(roots[1]));
    o = young_int_box(12);
    caml_ephe_set_key(roots[0], Val_long(0), o);
    caml_ephe_blit_key(roots[0], Val_long(0), roots[2], Val_long(0), Val_long(1));
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_key(roots[2], Val_long(0)) == Val_false);

    /* a major GC with young keys rebuilds the ephemeron table: the next minor GC clears them */
    roots[2] = Val_unit;
    roots[1] = young_int_box(13);
    caml_ephe_set_key(roots[0], Val_long(0), roots[1]);
    o = young_int_box(14);
    caml_ephe_set_data(roots[0], o);
    caml_major_collection();                     /* no minor GC: the key stays young */
    CHECK(!caml_is_major(roots[1]) && caml_ephe_check_data(roots[0]) == Val_true);
    CHECK(ephe_count == 2);
    roots[1] = Val_unit;
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(caml_ephe_check_data(roots[0]) == Val_false);

    /* overflow of the ephemeron table: the minor GC walks every ephemeron */
    roots[5] = caml_weak_create(Val_long(5000));
    roots[1] = young_int_box(15);
    o = young_int_box(16);
    for (i = 0; i < 5000; i++) caml_ephe_set_key(roots[5], Val_long(i), i % 2 ? roots[1] : o);
    CHECK(ephe_overflow);
    caml_minor_collection();
    CHECK(!ephe_overflow && ephe_count == 0);
    ok = caml_is_major(roots[1]);
    for (i = 0; i < 5000; i++) {
        value k = ephe_key(roots[5], (intnat)i);
        if (i % 2 ? k != roots[1] : k != caml_ephe_none) ok = 0;
    }
    CHECK(ok);

    /* overflow of the remembered set: the major-heap walk does not make keys strong */
    roots[6] = caml_alloc(5000, 0);
    caml_minor_collection();
    roots[1] = young_int_box(17);
    o = young_int_box(18);
    for (i = 0; i < 5000; i++) caml_modify(&Field(roots[6], i), roots[1]);
    CHECK(ref_overflow);
    caml_ephe_set_key(roots[0], Val_long(0), o);
    caml_ephe_set_key(roots[5], Val_long(0), roots[1]);
    roots[1] = Val_unit;                          /* reachable from the major array only */
    caml_minor_collection();
    CHECK(caml_ephe_check_key(roots[0], Val_long(0)) == Val_false);
    CHECK(ephe_key(roots[5], 0) == Field(roots[6], 0) && caml_is_major(Field(roots[6], 0)));
    CHECK(Field(Field(roots[6], 4999), 0) == Val_long(17));

    /* get_copy on a young key: the allocation may collect it, the answer stays consistent */
    o = young_int_box(19);
    caml_ephe_set_key(roots[0], Val_long(0), o);
    o = caml_ephe_get_key_copy(roots[0], Val_long(0));
    CHECK(o == Val_none || Field(Field(o, 0), 0) == Val_long(19));
    for (i = 0; i < 5; i++) roots[i] = Val_unit;
    roots[5] = roots[6] = Val_unit;
    {
        int hok;
        caml_full_major();
        heap_check(&hok);
        CHECK(hok);
    }
}

/* Gc.stat's heap_words: the part of the region the major heap has grown into */
static void test_heap_words(void)
{
    value st;
    uintnat h0, h1;
    setup(1 << 20, 16 << 10);
    st = caml_gc_stat(Val_unit);
    h0 = (uintnat)Long_val(Field(st, 5));
    CHECK(h0 < caml_major_heap_words / 4);
    CHECK(Field(st, 14) == Field(st, 5));
    CHECK(Long_val(Field(st, 7)) + Long_val(Field(st, 9)) + Long_val(Field(st, 12)) == (intnat)h0);
    roots[0] = caml_alloc_shr(20000, String_tag);
    st = caml_gc_quick_stat(Val_unit);
    h1 = (uintnat)Long_val(Field(st, 5));
    CHECK(h1 >= h0 + 20001 && h1 < h0 + 20001 + 1000);
    roots[0] = Val_unit;
    caml_full_major();
    st = caml_gc_stat(Val_unit);                 /* a high-water mark: does not shrink */
    CHECK((uintnat)Long_val(Field(st, 5)) == h1 && Field(st, 14) == Field(st, 5));
    CHECK(Long_val(Field(st, 7)) + Long_val(Field(st, 9)) + Long_val(Field(st, 12)) == (intnat)h1);
    CHECK((uintnat)Long_val(Field(st, 9)) >= 20001);
}

/* ------------------------------------------------------------------ other modules */

static value str(const char *s) { return caml_copy_string(s); }

static void test_compare_hash(void)
{
    value a, b, nan1, one;
    setup(1 << 20, 16 << 10);
    CHECK(caml_compare(Val_long(1), Val_long(2)) == Val_long(-1));
    roots[0] = str("abc");
    roots[1] = str("abd");
    CHECK(caml_compare(roots[0], roots[1]) == Val_long(-1));
    roots[1] = str("ab");
    CHECK(caml_compare(roots[0], roots[1]) == Val_long(1));
    CHECK(caml_equal(roots[0], str("abc")) == Val_true);
    CHECK(caml_compare(Val_long(1000), roots[0]) == Val_long(-1));   /* ints < blocks */
    roots[2] = caml_copy_double(NAN);
    nan1 = roots[2];
    CHECK(caml_compare(nan1, nan1) == Val_long(0));
    CHECK(caml_equal(nan1, nan1) == Val_false);
    CHECK(caml_notequal(nan1, nan1) == Val_true);
    CHECK(caml_lessthan(nan1, caml_copy_double(1.0)) == Val_false);
    one = caml_copy_double(1.0);
    CHECK(caml_compare(roots[2], one) == Val_long(-1));
    /* [1;2;3] vs [1;2;4] */
    {
        int i;
        roots[3] = roots[4] = Val_unit;
        for (i = 3; i >= 1; i--) {
            a = caml_alloc_small(2, 0);
            Field(a, 0) = Val_long(i);
            Field(a, 1) = roots[3];
            roots[3] = a;
            b = caml_alloc_small(2, 0);
            Field(b, 0) = Val_long(i == 3 ? 4 : i);
            Field(b, 1) = roots[4];
            roots[4] = b;
        }
        CHECK(caml_compare(roots[3], roots[4]) == Val_long(-1));
        CHECK(caml_lessthan(roots[3], roots[4]) == Val_true);
        CHECK(caml_greaterequal(roots[3], roots[4]) == Val_false);
        CHECK(caml_hash(Val_long(10), Val_long(100), Val_long(0), roots[3])
              == Val_long(794519639));
    }
    /* deep structure: the explicit stack grows */
    {
        int i;
        roots[5] = roots[6] = Val_unit;
        for (i = 0; i < 10000; i++) {
            a = caml_alloc_small(2, 0);
            Field(a, 0) = roots[5];
            Field(a, 1) = Val_long(i);
            roots[5] = a;
            b = caml_alloc_small(2, 0);
            Field(b, 0) = roots[6];
            Field(b, 1) = Val_long(i);
            roots[6] = b;
        }
        CHECK(caml_equal(roots[5], roots[6]) == Val_true);
    }
    {
        jmp_buf jb;
        volatile int caught = 0;
        roots[7] = make_cclosure(finaliser);
        raise_target = &jb;
        if (setjmp(jb) == 0) caml_equal(roots[7], roots[7]);
        else caught = Field(raised, 0) == caml_globals[INVALID_EXN]
                      && strcmp(String_val(Field(raised, 1)), "compare: functional value") == 0;
        raise_target = NULL;
        CHECK(caught);
        CHECK(caml_compare(roots[7], roots[7]) == Val_long(0));
    }
    /* hashes computed by ocaml 4.13.1 (Hashtbl.hash) */
#define H(v) caml_hash(Val_long(10), Val_long(100), Val_long(0), (v))
    CHECK(H(Val_long(0)) == Val_long(129913994));
    CHECK(H(Val_long(42)) == Val_long(395478795));
    CHECK(H(Val_long(-1)) == Val_long(911466517));
    CHECK(H(str("")) == Val_long(0));
    CHECK(H(str("abc")) == Val_long(767105082));
    CHECK(H(str("hello world!")) == Val_long(774705101));
    CHECK(H(caml_copy_double(1.5)) == Val_long(819188451));
    CHECK(H(caml_copy_double(NAN)) == Val_long(841516429));
    CHECK(H(caml_copy_double(-0.0)) == Val_long(256347020));
    CHECK(H(caml_copy_double(0.0)) == Val_long(256347020));
    CHECK(caml_hash(Val_long(10), Val_long(100), Val_long(17), str("abc")) == Val_long(315195392));
    {
        value t;
        roots[8] = str("a");
        roots[9] = caml_copy_double(2.5);
        t = caml_alloc_small(3, 0);
        Field(t, 0) = Val_long(1);
        Field(t, 1) = roots[8];
        Field(t, 2) = roots[9];
        CHECK(H(t) == Val_long(936102592));
        t = caml_alloc_float_array(2);
        Double_flat_field(t, 0) = 1.0;
        Double_flat_field(t, 1) = 2.0;
        CHECK(H(t) == Val_long(332890686));
        t = caml_alloc_small(1, 0);
        Field(t, 0) = Val_long(3);
        CHECK(H(t) == Val_long(771557183));
    }
    {
        int i;
        roots[10] = Val_unit;
        for (i = 6; i >= 1; i--) {
            a = caml_alloc_small(2, 0);
            Field(a, 0) = Val_long(i);
            Field(a, 1) = roots[10];
            roots[10] = a;
        }
        CHECK(caml_hash(Val_long(2), Val_long(5), Val_long(0), roots[10]) == Val_long(352505901));
        roots[10] = Val_unit;
        for (i = 99; i >= 0; i--) {
            a = caml_alloc_small(2, 0);
            Field(a, 0) = Val_long(i);
            Field(a, 1) = roots[10];
            roots[10] = a;
        }
        CHECK(H(roots[10]) == Val_long(182325193));
    }
}

static void test_alloc_obj_fail(void)
{
    value s, v;
    char buf[256];
    setup(1 << 20, 16 << 10);
    s = caml_alloc_string(0);
    CHECK(caml_string_length(s) == 0);
    s = caml_alloc_string(sizeof(value) - 1);
    CHECK(caml_string_length(s) == sizeof(value) - 1 && Wosize_val(s) == 1);
    s = caml_alloc_string(sizeof(value));
    CHECK(caml_string_length(s) == sizeof(value) && Wosize_val(s) == 2);
    s = caml_alloc_sprintf("%d-%s", 42, "x");
    CHECK(caml_string_length(s) == 4 && memcmp(String_val(s), "42-x", 5) == 0);
    s = caml_alloc_string(5000);
    CHECK(caml_is_major(s) && caml_string_length(s) == 5000);
    CHECK(caml_alloc(0, 3) == Atom(3) && Tag_val(Atom(3)) == 3 && Wosize_val(Atom(3)) == 0);
    CHECK(caml_alloc_float_array(0) == Atom(0));
    /* obj */
    roots[0] = caml_alloc(5, 0);
    Field(roots[0], 4) = Val_long(9);
    v = caml_obj_dup(roots[0]);
    CHECK(v != roots[0] && Wosize_val(v) == 5 && Field(v, 4) == Val_long(9));
    caml_obj_truncate(roots[0], Val_long(2));
    CHECK(Wosize_val(roots[0]) == 2);
    caml_minor_collection();
    CHECK(Wosize_val(roots[0]) == 2);
    roots[1] = caml_lazy_make_forward(Val_long(5));
    CHECK(Tag_val(roots[1]) == Forward_tag && Field(roots[1], 0) == Val_long(5));
    CHECK(caml_obj_tag(Val_long(1)) == Val_long(1000));
    CHECK(caml_obj_tag(roots[1]) == Val_long(Forward_tag));
    /* let rec dummies */
    roots[2] = caml_alloc_dummy(Val_long(3));
    roots[3] = caml_alloc_small(3, 0);
    Field(roots[3], 0) = Val_long(1);
    Field(roots[3], 1) = roots[2];
    Field(roots[3], 2) = Val_long(3);
    caml_update_dummy(roots[2], roots[3]);
    CHECK(Field(roots[2], 1) == roots[2]);
    /* exception formatting, as ocamlrun */
    roots[4] = str("foo");
    {
        value e = caml_alloc_small(2, 0);
        Field(e, 0) = caml_globals[FAILURE_EXN];
        Field(e, 1) = roots[4];
        CHECK(strcmp(caml_format_exception(e, buf, sizeof(buf)), "Failure(\"foo\")") == 0);
        CHECK(strcmp(caml_format_exception(caml_globals[NOT_FOUND_EXN], buf, sizeof(buf)),
                     "Not_found") == 0);
    }
    {
        value loc, e;
        roots[5] = str("t.ml");
        loc = caml_alloc_small(3, 0);
        Field(loc, 0) = roots[5];
        Field(loc, 1) = Val_long(3);
        Field(loc, 2) = Val_long(2);
        roots[6] = loc;
        e = caml_alloc_small(2, 0);
        Field(e, 0) = caml_globals[MATCH_FAILURE_EXN];
        Field(e, 1) = roots[6];
        CHECK(strcmp(caml_format_exception(e, buf, sizeof(buf)),
                     "Match_failure(\"t.ml\", 3, 2)") == 0);
    }
    {
        jmp_buf jb;
        raise_target = &jb;
        exit_target = &jb;
        out_len = 0;
        if (setjmp(jb) == 0) caml_fatal_uncaught_exception(caml_globals[NOT_FOUND_EXN]);
        raise_target = exit_target = NULL;
        CHECK(exit_code == 2);
        CHECK(strcmp(out_buf, "Fatal error: exception Not_found\n") == 0);
    }
    {
        jmp_buf jb;
        volatile int caught = 0;
        raise_target = &jb;
        if (setjmp(jb) == 0) caml_failwith("boom");
        else caught = Tag_val(raised) == 0 && Field(raised, 0) == caml_globals[FAILURE_EXN]
                      && strcmp(String_val(Field(raised, 1)), "boom") == 0;
        raise_target = NULL;
        CHECK(caught);
    }
}

/* custom blocks: finalised when they die young and when they die old */
static int finalized;
static void count_finalize(value v) { if (Field(v, 1) == 4242) finalized++; }
static const struct custom_operations test_ops = {
    "_test", count_finalize, NULL, NULL, NULL, NULL, NULL, NULL };

static value global_cell;

static value local_roots_worker(value a, value b)
{
    CAMLparam2(a, b);
    CAMLlocal2(acc, tmp);
    int i;
    acc = Val_unit;
    for (i = 0; i < 50000; i++) {
        tmp = caml_alloc_small(3, 0);
        Field(tmp, 0) = a;
        Field(tmp, 1) = b;
        Field(tmp, 2) = i % 100 == 0 ? acc : Val_unit;
        if (i % 100 == 0) acc = tmp;
    }
    CAMLreturn(acc);
}

static void test_roots_custom(void)
{
    int i, ok = 1;
    value l;
    setup(1 << 20, 16 << 10);
    finalized = 0;
    for (i = 0; i < 100; i++) {
        value c = caml_alloc_custom(&test_ops, sizeof(value), 0, 1);
        Field(c, 1) = 4242;
    }
    caml_minor_collection();
    CHECK(finalized == 100);
    roots[0] = caml_alloc_custom(&test_ops, sizeof(value), 0, 1);
    Field(roots[0], 1) = 4242;
    caml_minor_collection();
    CHECK(caml_is_major(roots[0]) && finalized == 100);
    roots[0] = Val_unit;
    caml_full_major();
    CHECK(finalized == 101);
    /* local roots (CAMLparam/CAMLlocal) across many collections */
    roots[1] = str("first");
    roots[2] = caml_copy_double(2.5);
    {
        value r = local_roots_worker(roots[1], roots[2]);
        for (l = r; l != Val_unit; l = Field(l, 2)) {
            if (Field(l, 0) != roots[1] || Field(l, 1) != roots[2]) ok = 0;
        }
        CHECK(ok && caml_local_roots == NULL);
        CHECK(strcmp(String_val(roots[1]), "first") == 0 && Double_val(roots[2]) == 2.5);
    }
    /* global roots */
    global_cell = str("global");
    caml_register_generational_global_root(&global_cell);
    caml_full_major();
    CHECK(caml_is_major(global_cell) && strcmp(String_val(global_cell), "global") == 0);
    caml_remove_generational_global_root(&global_cell);
    global_cell = Val_unit;
    /* a wide and deep tree: mark stack overflow and rescans */
    roots[3] = Val_unit;
    for (i = 0; i < 3000; i++) {
        value n = caml_alloc(10, 0);
        caml_modify(&Field(n, 0), roots[3]);
        caml_modify(&Field(n, 9), Val_long(i));
        roots[3] = n;
    }
    caml_full_major();
    for (i = 2999, l = roots[3]; i >= 0; i--, l = Field(l, 0))
        if (Field(l, 9) != Val_long(i)) ok = 0;
    CHECK(ok);
}


/* ------------------------------------------------------------------ Gc.Memprof */

/* The tracker's callbacks (C closures): counts, and what they return. */
static intnat mp_alloc_minor_n, mp_alloc_major_n, mp_samples, mp_promote_n, mp_dealloc_minor_n,
    mp_dealloc_major_n, mp_last_size, mp_raise_on_alloc, mp_stop_on_alloc;
static value mp_some(intnat v)
{
    value r = caml_alloc_small(1, 0);
    Field(r, 0) = Val_long(v);
    return r;
}
static int mp_fill_on_alloc;    /* the callback leaves less than 8 free words in the minor heap */
static value mp_on_alloc(value info, intnat *count)
{
    (*count)++;
    while (mp_fill_on_alloc && caml_young_ptr - caml_young_start >= 8) caml_alloc_small(1, 0);
    mp_samples += Long_val(Field(info, 0));
    mp_last_size = Long_val(Field(info, 1));
    if (mp_raise_on_alloc && --mp_raise_on_alloc == 0)
        return Make_exception_result(caml_globals[FAILURE_EXN]);
    if (mp_stop_on_alloc) caml_memprof_stop(Val_unit);
    return mp_some(Long_val(Field(info, 1)));
}
static value mp_cb_alloc_minor(value c, value info) { (void)c; return mp_on_alloc(info, &mp_alloc_minor_n); }
static value mp_cb_alloc_major(value c, value info) { (void)c; return mp_on_alloc(info, &mp_alloc_major_n); }
static value mp_cb_promote(value c, value u) { (void)c; mp_promote_n++; return mp_some(Long_val(u)); }
static value mp_cb_dealloc_minor(value c, value u) { (void)c; (void)u; mp_dealloc_minor_n++; return Val_unit; }
static value mp_cb_dealloc_major(value c, value u) { (void)c; (void)u; mp_dealloc_major_n++; return Val_unit; }

static void mp_reset_counts(void)
{
    mp_alloc_minor_n = mp_alloc_major_n = mp_samples = mp_promote_n = mp_dealloc_minor_n = 0;
    mp_dealloc_major_n = mp_last_size = mp_raise_on_alloc = mp_stop_on_alloc = 0;
}

static void mp_start(double rate)
{
    CAMLparam0();
    CAMLlocal2(t, c);
    cfun fs[5] = { mp_cb_alloc_minor, mp_cb_alloc_major, mp_cb_promote, mp_cb_dealloc_minor,
                   mp_cb_dealloc_major };
    t = caml_alloc(5, 0);
    for (int i = 0; i < 5; i++) {
        c = make_cclosure(fs[i]);
        caml_modify(&Field(t, i), c);
    }
    c = caml_copy_double(rate);
    caml_memprof_start(c, Val_long(0), t);
    CAMLreturn0;
}

/* what generated code does (alloc_blocks in compiler/xtensa/emit.c, caml_call_gc or, for
   count > 1, caml_call_gc_blocks): count blocks of wosize fields; returns the lowest */
static value mp_ocaml_alloc_n(mlsize_t wosize, uintnat count)
{
    uintnat bytes = (wosize + 1) * sizeof(value), whsize = (wosize + 1) * count;
    while ((uintnat)(caml_young_ptr - caml_young_start) < whsize ||
           caml_young_ptr - whsize < caml_young_limit)
        caml_young_ptr = count == 1 ? caml_alloc_small_dispatch(bytes)
                                    : caml_alloc_blocks_dispatch(bytes * count, bytes);
    caml_young_ptr -= whsize;
    for (uintnat j = 0; j < count; j++) {
        value *hp = caml_young_ptr + j * (wosize + 1);
        *hp = Make_header(wosize, 0, Caml_white);
        for (mlsize_t i = 0; i < wosize; i++) hp[1 + i] = Val_unit;
    }
    return (value)(caml_young_ptr + 1);
}
static value mp_ocaml_alloc(mlsize_t wosize) { return mp_ocaml_alloc_n(wosize, 1); }

static void test_memprof(void)
{
    static uintnat fake_c_frame[8];   /* caml_c_sp - 16: no OCaml call site */
    int i;
    uintnat words;
    value v;
    setup(1 << 20, 16 << 10);
    caml_c_sp = &fake_c_frame[16 / sizeof(uintnat)];
    mp_reset_counts();
    caml_memprof_set_suspended(0);   /* the fatal-exception tests suspend it for good */

    /* the primitives' errors */
    {
        jmp_buf jb;
        volatile int caught = 0;
        raise_target = &jb;
        if (setjmp(jb) == 0) caml_memprof_stop(Val_unit);
        else caught = Field(raised, 0) == caml_globals[FAILURE_EXN]
                      && strcmp(String_val(Field(raised, 1)), "Gc.Memprof.stop: not started.") == 0;
        CHECK(caught);
        caught = 0;
        if (setjmp(jb) == 0) mp_start(1.5);
        else caught = Field(raised, 0) == caml_globals[INVALID_EXN];
        CHECK(caught && !caml_memprof_on);
        mp_start(0.5);
        caught = 0;
        if (setjmp(jb) == 0) mp_start(0.5);
        else caught = Field(raised, 0) == caml_globals[FAILURE_EXN]
                      && strcmp(String_val(Field(raised, 1)), "Gc.Memprof.start: already started.") == 0;
        CHECK(caught);
        raise_target = NULL;
        caml_memprof_stop(Val_unit);
    }

    /* not running: the limit is untouched, allocation never reaches memprof */
    CHECK(caml_young_limit == caml_young_start && oe_young_limit_reset == caml_young_start);
    CHECK(shr_hook_threshold == oe_major_threshold);

    /* rate 1: every word is a sample; from C the callbacks wait for a safe point */
    mp_start(1.0);
    CHECK(caml_memprof_on && caml_young_limit == caml_young_ptr && shr_hook_threshold == 0);
    for (i = 0; i < 10; i++) roots[i] = caml_alloc_small(2, 0);
    CHECK(caml_memprof_ntracked == 10 && mp_alloc_minor_n == 0 && caml_memprof_pending);
    CHECK(caml_young_limit == caml_young_end);       /* OCaml code would enter the runtime */
    caml_memprof_run_pending();
    CHECK(mp_alloc_minor_n == 10 && mp_samples == 30 && mp_last_size == 2);
    CHECK(!caml_memprof_pending && caml_young_limit == caml_young_ptr);
    /* from OCaml code: the callback runs before the block exists, the retry allocates it */
    v = mp_ocaml_alloc(3);
    CHECK(mp_alloc_minor_n == 11 && mp_samples == 34 && mp_last_size == 3);
    CHECK(caml_memprof_ntracked == 11 && mp_ent[10].block == v);
    roots[10] = v;
    /* major allocations */
    roots[11] = caml_alloc_shr(300, 0);
    for (i = 0; i < 300; i++) Field(roots[11], i) = Val_unit;
    caml_memprof_run_pending();
    CHECK(mp_alloc_major_n == 1 && mp_samples == 34 + 301);
    /* promotion of the live ones, death of the others */
    for (i = 5; i < 10; i++) roots[i] = Val_unit;
    caml_minor_collection();
    CHECK(caml_young_limit == caml_young_end && caml_memprof_pending);
    caml_memprof_run_pending();
    CHECK(mp_promote_n == 6 && mp_dealloc_minor_n == 5 && mp_dealloc_major_n == 0);
    for (i = 0; i < 12; i++) roots[i] = Val_unit;
    caml_full_major();
    caml_memprof_run_pending();
    CHECK(mp_dealloc_major_n == 7 && caml_memprof_ntracked == 0);

    /* an exception of the callback cancels an allocation of OCaml code */
    mp_raise_on_alloc = 1;
    {
        jmp_buf jb;
        volatile int caught = 0;
        raise_target = &jb;
        if (setjmp(jb) == 0) mp_ocaml_alloc(1);
        else caught = raised == caml_globals[FAILURE_EXN];
        raise_target = NULL;
        CHECK(caught && caml_memprof_ntracked == 0);
    }
    mp_raise_on_alloc = 0;
    /* stop inside a callback: nothing is tracked any more, the limit is back */
    mp_stop_on_alloc = 1;
    mp_ocaml_alloc(1);
    CHECK(!caml_memprof_on && caml_memprof_ntracked == 0);
    CHECK(caml_young_limit == caml_young_start && oe_young_limit_reset == caml_young_start);
    CHECK(shr_hook_threshold == oe_major_threshold);

    /* a combined allocation (the boxes of a float chain): separate blocks for memprof, the
       highest one first; an exception of the second cancels it, the first then "dies" */
    mp_reset_counts();
    mp_start(1.0);
    v = mp_ocaml_alloc_n(2, 3);
    CHECK(mp_alloc_minor_n == 3 && mp_samples == 9 && mp_last_size == 2);
    CHECK(caml_memprof_ntracked == 3 && mp_ent[0].block == (value)(&Field(v, 6)) &&
          mp_ent[1].block == (value)(&Field(v, 3)) && mp_ent[2].block == v);
    mp_raise_on_alloc = 2;              /* the second callback raises */
    {
        jmp_buf jb;
        volatile int caught = 0;
        raise_target = &jb;
        if (setjmp(jb) == 0) mp_ocaml_alloc_n(2, 3);
        else caught = raised == caml_globals[FAILURE_EXN];
        raise_target = NULL;
        CHECK(caught && mp_alloc_minor_n == 5 && caml_memprof_ntracked == 4);
        CHECK(mp_ent[3].dead && caml_memprof_pending);
    }
    mp_raise_on_alloc = 0;
    caml_memprof_run_pending();
    CHECK(mp_dealloc_minor_n == 1 && caml_memprof_ntracked == 3);
    caml_memprof_stop(Val_unit);

    /* the callback fills the minor heap: the allocation then follows a minor GC, and the
       block must still be seen by the next one */
    mp_reset_counts();
    mp_start(1.0);
    mp_fill_on_alloc = 1;
    roots[0] = mp_ocaml_alloc(20);
    mp_fill_on_alloc = 0;
    CHECK(mp_alloc_minor_n == 1 && caml_memprof_ntracked == 1 && mp_ent[0].block == roots[0]);
    caml_minor_collection();
    caml_memprof_run_pending();
    CHECK(mp_promote_n == 1 && Is_block(mp_ent[0].block) && caml_is_major(mp_ent[0].block));
    roots[0] = Val_unit;
    caml_memprof_stop(Val_unit);

    /* rate 0: started, never samples */
    mp_reset_counts();
    mp_start(0.0);
    CHECK(!caml_memprof_on && caml_young_limit == caml_young_start);
    for (i = 0; i < 1000; i++) mp_ocaml_alloc(3);
    caml_memprof_stop(Val_unit);
    CHECK(mp_alloc_minor_n == 0);

    /* the geometric distances between samples: mean 1/rate, never below 1 */
    {
        static const double rates[] = { 0.9, 0.5, 0.1, 0.01, 1e-4, 1e-7 };
        for (i = 0; i < 6; i++) {
            double sum = 0, r = rates[i], n = 200000, sd;
            uintnat least = (uintnat)-1;
            mp_start(r);
            for (int k = 0; k < (int)n; k++) {
                uintnat g = mp_geom();
                sum += (double)g;
                if (g < least) least = g;
            }
            caml_memprof_stop(Val_unit);
            sd = sqrt((1 - r) / (r * r) / n);
            CHECK(least >= 1 && fabs(sum / n - 1 / r) < 5 * sd);
        }
    }

    /* rate 0.01: the samples of many allocations (minor from C and OCaml code, major) are
       close to rate * words (5 sigma) */
    mp_start(0.01);
    words = 0;
    for (i = 0; i < 200000; i++) {
        mlsize_t w = 1 + (mlsize_t)rnd(20);
        if (i % 3 == 0) caml_alloc_small(w, 0); else mp_ocaml_alloc(w);
        words += w + 1;
        if (i % 1000 == 0) {
            v = caml_alloc_shr(w + 300, 0);
            for (mlsize_t j = 0; j < w + 300; j++) Field(v, j) = Val_unit;
            words += w + 301;
        }
        if (caml_memprof_pending) caml_memprof_run_pending();
    }
    caml_memprof_stop(Val_unit);
    {
        double mean = words * 0.01, sd = sqrt(words * 0.01 * 0.99);
        CHECK(fabs((double)mp_samples - mean) < 5 * sd);
        CHECK(mp_alloc_minor_n > 0 && mp_alloc_major_n > 0);
    }
    caml_c_sp = (void *)1;
}

int main(void)
{
    test_alloc_obj_fail();
    test_compare_hash();
    test_weak_and_finalise();
    test_minor_ephemerons();
    test_heap_words();
    test_roots_custom();
    test_ref_table_overflow();
    test_out_of_memory();
    test_long_list_and_reclaim();
    test_random_graphs();
    test_memprof();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
