/* emit_minirt.c — a tiny target runtime for test_emit: just enough to run small
   -nopervasives programs compiled by the code generator, without the real runtime.
   No GC: the minor heap is large and caml_alloc_small_dispatch only grows the limit down to the
   heap start (the tests allocate little). Primitives: oe_t_print_int, oe_t_print_string. */
#include "runtime.h"

extern char _oe_heap_start[], _oe_heap_end[];

value *caml_young_ptr, *caml_young_limit, *caml_young_start, *caml_young_end;
value *caml_extern_sp;
value *caml_stack_low, *caml_stack_high, *caml_stack_threshold;
value *caml_trapsp;
void *caml_c_sp;
struct caml__roots_block *caml_local_roots;
struct caml__roots_block *caml_entry_local_roots;

/* backtraces (stubs.S): never recorded here */
int caml_backtrace_active;
void caml_stash_backtrace(value exn, int reraise, uintnat pc, value *sp);
void caml_stash_backtrace(value exn, int reraise, uintnat pc, value *sp)
{
    (void)exn; (void)reraise; (void)pc; (void)sp;
}

#define ATOM1(t) Make_header(0, (t), Caml_black)
#define ATOM4(t) ATOM1(t), ATOM1((t) + 1), ATOM1((t) + 2), ATOM1((t) + 3)
#define ATOM16(t) ATOM4(t), ATOM4((t) + 4), ATOM4((t) + 8), ATOM4((t) + 12)
#define ATOM64(t) ATOM16(t), ATOM16((t) + 16), ATOM16((t) + 32), ATOM16((t) + 48)
const header_t caml_atom_table[257] = { ATOM64(0), ATOM64(64), ATOM64(128), ATOM64(192), 0 };

const struct custom_operations caml_int32_ops, caml_int64_ops, caml_nativeint_ops;

static void out(const char *s, uintnat n) { oe_platform_write(1, s, n); }
static void outs(const char *s) { uintnat n = 0; while (s[n]) n++; out(s, n); }
static void outi(intnat v)
{
    char b[16];
    int i = 16;
    uintnat u = v < 0 ? (uintnat)-v : (uintnat)v;
    do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) b[--i] = '-';
    out(b + i, (uintnat)(16 - i));
}

value oe_t_print_int(value v) { outi(Long_val(v)); outs("\n"); return Val_unit; }
value oe_t_print_string(value s)
{
    mlsize_t len = Wosize_val(s) * 4 - 1 - Byte_u(s, Wosize_val(s) * 4 - 1);
    out(String_val(s), len);
    return Val_unit;
}
static intnat gcs;
/* forces a "GC": reports how many times caml_alloc_small_dispatch ran */
value oe_t_gc_calls(value unit) { (void)unit; return Val_long(gcs); }

/* The minor heap is handed out in slices of SLICE bytes so that caml_call_gc paths run. */
#define SLICE 4096
static void grow(void)
{
    gcs++;
    value *lim = (value *)((char *)caml_young_limit - SLICE);
    if (lim < caml_young_start) { outs("minirt: out of memory\n"); oe_platform_exit(3); }
    caml_young_limit = lim;
}
value *caml_alloc_small_dispatch(uintnat bytes)
{
    (void)bytes;
    grow();
    return caml_young_ptr;
}
static uintnat blocks_bytes, blocks_block_bytes;
value *caml_alloc_blocks_dispatch(uintnat bytes, uintnat block_bytes)
{
    blocks_bytes = bytes;
    blocks_block_bytes = block_bytes;
    grow();
    return caml_young_ptr;
}

/* caml_call_gc_blocks (stubs.S), which the compiler does not call yet, entered as generated
   code would: a12 = the OCaml sp, a14 = the allocation pointer with 24 bytes taken, a9 = 24,
   a10 = 12 (the bytes of one block), a2 = accu, a13 = env. out[] = a2, a12, a14 after it. */
void oe_t_call_blocks_asm(value *sp, value *yp, value accu, uintnat *out);
__asm__(
    "    .text\n"
    "    .align 4\n"
    "    .global oe_t_call_blocks_asm\n"
    "    .type oe_t_call_blocks_asm, @function\n"
    "oe_t_call_blocks_asm:\n"
    "    addi a1, a1, -32\n"
    "    s32i a0, a1, 0\n"
    "    s32i a12, a1, 4\n"
    "    s32i a13, a1, 8\n"
    "    s32i a14, a1, 12\n"
    "    s32i a5, a1, 16\n"
    "    mov a12, a2\n"
    "    addi a14, a3, -24\n"
    "    mov a2, a4\n"
    "    movi a13, 1\n"
    "    movi a9, 24\n"
    "    movi a10, 12\n"
    "    call0 caml_call_gc_blocks\n"
    "    l32i a5, a1, 16\n"
    "    s32i a2, a5, 0\n"
    "    s32i a12, a5, 4\n"
    "    s32i a14, a5, 8\n"
    "    l32i a0, a1, 0\n"
    "    l32i a12, a1, 4\n"
    "    l32i a13, a1, 8\n"
    "    l32i a14, a1, 12\n"
    "    addi a1, a1, 32\n"
    "    ret\n");

/* What the dispatch saw (bytes * 100 + block bytes), + 10000 if accu, + 20000 if a14, +
   40000 if the OCaml sp came back. */
value oe_t_gc_blocks(value unit)
{
    uintnat out[3];
    value marker = Val_long(4321), *sp = caml_extern_sp;
    (void)unit;
    oe_t_call_blocks_asm(sp, caml_young_ptr, marker, out);
    caml_extern_sp = sp;      /* (the stub left it below the two roots it pushed) */
    return Val_long(blocks_bytes * 100 + blocks_block_bytes + (out[0] == (uintnat)marker ? 10000 : 0)
                    + (out[2] == (uintnat)caml_young_ptr ? 20000 : 0)
                    + (out[1] == (uintnat)sp ? 40000 : 0));
}

/* stubs.S's caml_memprof_return (never reached here: no Gc.Memprof) */
uintnat caml_memprof_saved_ra;
void caml_memprof_run_from_return(void);
void caml_memprof_run_from_return(void) {}

value caml_alloc_small(mlsize_t wosize, tag_t tag)
{
    caml_young_ptr -= wosize + 1;
    if (caml_young_ptr < caml_young_limit) grow();
    *caml_young_ptr = Make_header(wosize, tag, 0);
    return (value)(caml_young_ptr + 1);
}
value caml_alloc_shr(mlsize_t wosize, tag_t tag) { return caml_alloc_small(wosize, tag); }
void caml_initialize(value *fp, value v) { *fp = v; }
void caml_modify(value *fp, value v) { *fp = v; }

void caml_fatal_uncaught_exception(value exn)
{
    outs("Fatal error: exception ");
    value tag = Tag_val(exn) == Object_tag ? exn : Field(exn, 0);
    oe_t_print_string(Field(tag, 0));
    outs("\n");
    oe_platform_exit(2);
}
void caml_raise(value v) { caml_raise_exn_asm(v); }
void caml_raise_zero_divide(void) { caml_raise(Field(caml_globals, ZERO_DIVIDE_EXN)); }
void caml_raise_stack_overflow(void) { caml_raise(Field(caml_globals, STACK_OVERFLOW_EXN)); }

/* exported for the tests' callback primitive: f applied to 2 args from C */
value oe_t_callback2(value f, value x)
{
    value args[2] = { x, Val_int(100) };
    value r = caml_callback_asm(f, 2, args);
    if (Is_exception_result(r)) { outs("callback raised\n"); return Val_int(-1); }
    return r;
}

#define STACK_WORDS 65536
static value stack_area[STACK_WORDS];

int caml_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    caml_young_start = (value *)_oe_heap_start;
    caml_young_end = (value *)(((uintnat)_oe_heap_end) & ~(uintnat)7);
    if ((char *)caml_young_end - (char *)caml_young_start > (4 << 20))
        caml_young_end = (value *)((char *)caml_young_start + (4 << 20));
    caml_young_ptr = caml_young_end;
    caml_young_limit = (value *)((char *)caml_young_end - SLICE);
    caml_stack_low = stack_area;
    caml_stack_high = stack_area + STACK_WORDS;
    caml_stack_threshold = stack_area + 256;
    caml_extern_sp = caml_stack_high;
    caml_start_program();
    return 0;
}

value oe_t_sum6_byte(value *argv, int argn)
{
    intnat s = 0;
    for (int i = 0; i < argn; i++) s += (i + 1) * Long_val(argv[i]);
    return Val_long(s);
}

value caml_obj_dup(value v)
{
    mlsize_t n = Wosize_val(v);
    value r = caml_alloc_small(n, Tag_val(v));
    for (mlsize_t i = 0; i < n; i++) Field(r, i) = Field(v, i);
    return r;
}

value caml_ml_string_length(value s)
{
    return Val_long(Wosize_val(s) * 4 - 1 - Byte_u(s, Wosize_val(s) * 4 - 1));
}

value caml_fresh_oo_id(value unit)
{
    static intnat oo_id = 1000;
    (void)unit;
    return Val_long(oo_id++);
}

static value box_double(double d)
{
    value v = caml_alloc_small(Double_wosize, Double_tag);
    Store_double_val(v, d);
    return v;
}
value caml_int_of_float(value f) { return Val_long((intnat)Double_val(f)); }
value caml_float_of_int(value n) { return box_double((double)Long_val(n)); }
value caml_add_float(value a, value b) { return box_double(Double_val(a) + Double_val(b)); }
value caml_mul_float(value a, value b) { return box_double(Double_val(a) * Double_val(b)); }

value caml_floatarray_unsafe_get(value a, value i) { return box_double(Double_flat_field(a, Long_val(i))); }
