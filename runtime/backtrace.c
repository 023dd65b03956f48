/* backtrace.c — exception backtraces (Printexc's primitives, OCAMLRUNPARAM=b), behaving
   like ocamlrun's for a bytecode program.

   Recording: the raise stubs (stubs.S: caml_raise_exn for RAISE, caml_reraise_exn for
   RERAISE; not caml_raise_exn_notrace) call caml_stash_backtrace when backtraces are on, and
   caml_raise (C primitives) calls caml_stash_backtrace_c. Both record the raise point, then
   every return address on the OCaml stack between sp and the trap frame that catches the
   exception, into a buffer of BT_SIZE entries. A re-raise of the last exception appends
   instead of starting over.

   Entries are code positions as offsets from caml_code_begin (Xtensa return addresses may be
   odd), as a raw backtrace slot: Val_long(offset << 1 | raised_here). raised_here marks a
   raise point (RAISE/RERAISE), which prints as "Raised at"/"Re-raised at" or is skipped when
   it has no location (a compiler-inserted re-raise).

   Locations come from the table caml_debug_info emitted by the compiler from the program's
   debug events (compiler/xtensa/debuginfo.h has the layout). A program without them (not
   linked with -g) gets "unknown location"s, as with ocamlrun. */
#include <stdlib.h>
#include <string.h>
#include "runtime.h"
#include "intext_codes.h"

#define BT_SIZE 1024

/* Printexc.record_backtrace flag (OCAMLRUNPARAM=b) */
int caml_backtrace_active = 0;
static uint32_t *bt_buffer;       /* allocated on first use */
static int bt_pos;
static value bt_last_exn = Val_unit;
static int bt_root_registered;

/* ---- the table (weak: absent when the program was built without it) ---- */

extern const uint32_t caml_debug_info[] __attribute__((weak));

struct dbg_entry { uint32_t off, info; };
struct dbg_event { uint32_t file, defname; int32_t lnum, startchr, endchr; };

static uint32_t dbg_nentries(void) { return caml_debug_info ? caml_debug_info[0] : 0; }
static int dbg_complete(void) { return caml_debug_info ? (int)caml_debug_info[1] : 0; }
static const struct dbg_entry *dbg_entries(void)
{
    return (const struct dbg_entry *)(caml_debug_info + 3);
}
static const struct dbg_event *dbg_events(void)
{
    return (const struct dbg_event *)(caml_debug_info + 3 + 2 * caml_debug_info[0]);
}
static const char *dbg_strings(void)
{
    return (const char *)(caml_debug_info + 3 + 2 * caml_debug_info[0] + 5 * caml_debug_info[2]);
}

static const struct dbg_entry *dbg_find(uint32_t off)
{
    const struct dbg_entry *e = dbg_entries();
    uint32_t lo = 0, hi = dbg_nentries();
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (e[m].off == off) return &e[m];
        if (e[m].off < off) lo = m + 1;
        else hi = m;
    }
    return NULL;
}

static int in_code(uintnat a)
{
    return a >= (uintnat)caml_code_begin && a < (uintnat)caml_code_end;
}

/* Is sp[0] a return address of a frame [return address, env, Val_long(extra_args)]? With the
   complete table, exactly when it is one of its entries; otherwise by the frame's shape (an
   integer of the right range could pass: it then prints as an unknown location). */
static int is_return_address(value *sp)
{
    uintnat w = (uintnat)sp[0];
    if (!in_code(w)) return 0;
    if (dbg_complete()) return dbg_find((uint32_t)(w - (uintnat)caml_code_begin)) != NULL;
    if (sp + 2 >= caml_stack_high) return 0;
    return Is_long(sp[2]) && Long_val(sp[2]) >= 0 && Long_val(sp[2]) < 4096
           && (Is_block(sp[1]) || sp[1] == Val_unit);
}

static uint32_t slot_of(uintnat addr, int raised_here)
{
    return (uint32_t)((addr - (uintnat)caml_code_begin) << 1) | (uint32_t)raised_here;
}

static void stash_start(value exn, int reraise)
{
    if (!bt_root_registered) {
        caml_register_global_root(&bt_last_exn);
        bt_root_registered = 1;
    }
    if (exn != bt_last_exn || !reraise) {
        bt_pos = 0;
        bt_last_exn = exn;
    }
    if (bt_buffer == NULL) bt_buffer = malloc(BT_SIZE * sizeof *bt_buffer);
}

static void stash_add(uint32_t slot)
{
    if (bt_buffer != NULL && bt_pos < BT_SIZE) bt_buffer[bt_pos++] = slot;
}

static void stash_stack(value *sp)
{
    for (; sp < caml_trapsp && bt_pos < BT_SIZE; sp++)
        if (is_return_address(sp)) stash_add(slot_of((uintnat)sp[0], 0));
}

/* stubs.S (RAISE, RERAISE with backtraces on): exn raised at code address pc, OCaml stack
   pointer sp. Must not allocate. */
void caml_stash_backtrace(value exn, int reraise, uintnat pc, value *sp)
{
    stash_start(exn, reraise);
    if (in_code(pc)) stash_add(slot_of(pc, 1));
    stash_stack(sp);
}

/* caml_raise: a C primitive raises exn. caml_c_call saved the return address of the call
   (the C_CALL site) at caml_c_sp - 16 (generated code runs with a1 = caml_c_sp). */
/* The return address of the C call running now, saved by caml_c_call or caml_call_gc at
   caml_c_sp - 16 (generated code runs with a1 = caml_c_sp); memprof may have redirected it. */
static uintnat c_call_site(void)
{
    return caml_memprof_call_site(*(uintnat *)((char *)caml_c_sp - 16));
}

void caml_stash_backtrace_c(value exn)
{
    if (!caml_backtrace_active || caml_c_sp == NULL) return;
    stash_start(exn, 0);
    uintnat pc = c_call_site();
    if (in_code(pc)) stash_add(slot_of(pc, 0));
    stash_stack(caml_extern_sp);
}

/* ---- locations ---- */

struct loc {
    int valid, is_raise;
    const char *file, *defname;
    int lnum, startchr, endchr;
};

static void slot_location(uintnat slot, struct loc *l)
{
    const struct dbg_entry *e = dbg_find((uint32_t)(slot >> 1));
    uint32_t ev = e ? e->info >> 1 : 0;
    l->is_raise = (int)(slot & 1) || (e && (e->info & 1));
    l->valid = ev != 0;
    if (!l->valid) return;
    const struct dbg_event *d = &dbg_events()[ev - 1];
    l->file = dbg_strings() + d->file;
    l->defname = dbg_strings() + d->defname;
    l->lnum = d->lnum;
    l->startchr = d->startchr;
    l->endchr = d->endchr;
}

static void write_str(const char *s) { oe_platform_write(2, s, strlen(s)); }

static void write_int(long n)
{
    char b[24];
    int i = 23, neg = n < 0;
    unsigned long u = neg ? 0ul - (unsigned long)n : (unsigned long)n;
    b[i] = 0;
    do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) b[--i] = '-';
    write_str(b + i);
}

/* The uncaught-exception printer of runtime/fail.c (when Printexc is not linked): same text
   as Printexc.print_raw_backtrace. */
void caml_print_exception_backtrace(void)
{
    for (int i = 0; i < bt_pos; i++) {
        struct loc l;
        slot_location(bt_buffer[i], &l);
        if (!l.valid && l.is_raise) continue;      /* compiler-inserted re-raise */
        write_str(l.is_raise ? (i == 0 ? "Raised at" : "Re-raised at")
                             : (i == 0 ? "Raised by primitive operation at" : "Called from"));
        if (!l.valid) {
            write_str(" unknown location\n");
            continue;
        }
        write_str(" ");
        write_str(l.defname);
        write_str(" in file \"");
        write_str(l.file);
        write_str("\", line ");
        write_int(l.lnum);
        write_str(", characters ");
        write_int(l.startchr);
        write_str("-");
        write_int(l.endchr);
        write_str("\n");
    }
}

/* fail.c saves and restores the buffer position around at_exit (as ocamlrun does) */
int caml_backtrace_pos(void) { return bt_pos; }
void caml_set_backtrace_pos(int pos) { bt_pos = pos; }

/* ---- primitives ---- */

CAMLprim value caml_record_backtrace(value flag)
{
    int f = Int_val(flag);
    if (f != caml_backtrace_active) {
        caml_backtrace_active = f;
        bt_pos = 0;
        bt_last_exn = Val_unit;
    }
    return Val_unit;
}

CAMLprim value caml_backtrace_status(value unit)
{
    (void)unit;
    return Val_bool(caml_backtrace_active);
}

/* 0: the debug information is available (nothing to report) */
CAMLprim value caml_ml_debug_info_status(value unit)
{
    (void)unit;
    return Val_int(0);
}

CAMLprim value caml_get_exception_raw_backtrace(value unit)
{
    (void)unit;
    if (!caml_backtrace_active || bt_buffer == NULL || bt_pos == 0) return Atom(0);
    value res = caml_alloc(bt_pos, 0);
    for (int i = 0; i < bt_pos; i++) Field(res, i) = Val_long(bt_buffer[i]);
    return res;
}

CAMLprim value caml_restore_raw_backtrace(value exn, value bt)
{
    mlsize_t n = Wosize_val(bt);
    if (!bt_root_registered) {
        caml_register_global_root(&bt_last_exn);
        bt_root_registered = 1;
    }
    bt_last_exn = exn;
    if (n > BT_SIZE) n = BT_SIZE;
    if (n == 0) {
        bt_pos = 0;
        return Val_unit;
    }
    if (bt_buffer == NULL) bt_buffer = malloc(BT_SIZE * sizeof *bt_buffer);
    if (bt_buffer == NULL) return Val_unit;
    bt_pos = (int)n;
    for (mlsize_t i = 0; i < n; i++) bt_buffer[i] = (uint32_t)Long_val(Field(bt, i));
    return Val_unit;
}

static int callstack_add(uint32_t **buf, intnat *cap, intnat *n, uint32_t slot)
{
    if (*n == *cap) {
        intnat ncap = *cap == 0 ? 32 : 2 * *cap;
        uint32_t *nb = realloc(*buf, (size_t)ncap * sizeof *nb);
        if (nb == NULL) return 0;
        *buf = nb;
        *cap = ncap;
    }
    (*buf)[(*n)++] = slot;
    return 1;
}

/* The call stack from C code called by OCaml code: the call site, then the return addresses
   up the stack, skipping the handlers of trap frames (Printexc.get_callstack, Gc.Memprof). */
intnat caml_oe_collect_callstack(uint32_t **buf, intnat *cap, intnat max)
{
    intnat n = 0;
    if (max <= 0 || caml_c_sp == NULL) return 0;
    uintnat pc = c_call_site();
    if (in_code(pc) && !callstack_add(buf, cap, &n, slot_of(pc, 0))) return n;
    value *trsp = caml_trapsp;
    for (value *sp = caml_extern_sp; n < max && sp < caml_stack_high; sp++) {
        if (sp == trsp) {                    /* a trap frame: skip its handler */
            trsp = (value *)sp[1];
            continue;
        }
        if (is_return_address(sp) && !callstack_add(buf, cap, &n, slot_of((uintnat)sp[0], 0)))
            break;
    }
    return n;
}

CAMLprim value caml_get_current_callstack(value max_frames)
{
    CAMLparam1(max_frames);
    CAMLlocal1(res);
    uint32_t *buf = NULL;
    intnat cap = 0, n = caml_oe_collect_callstack(&buf, &cap, Long_val(max_frames));
    res = caml_alloc(n, 0);
    for (intnat i = 0; i < n; i++) Field(res, i) = Val_long(buf[i]);
    free(buf);
    CAMLreturn(res);
}

CAMLprim value caml_raw_backtrace_length(value bt)
{
    return Val_long(Wosize_val(bt));
}

CAMLprim value caml_raw_backtrace_slot(value bt, value index)
{
    uintnat i = (uintnat)Long_val(index);
    if (i >= Wosize_val(bt))
        caml_invalid_argument("Printexc.get_raw_backtrace_slot: index out of bounds");
    return Field(bt, i);
}

/* no inlining: a slot has no next */
CAMLprim value caml_raw_backtrace_next_slot(value slot)
{
    (void)slot;
    return Val_none;
}

static value convert_slot(value slot)
{
    CAMLparam1(slot);
    CAMLlocal3(p, fname, dname);
    struct loc l;
    slot_location((uintnat)Long_val(slot), &l);
    if (l.valid) {
        fname = caml_copy_string(l.file);
        dname = caml_copy_string(l.defname);
        p = caml_alloc_small(7, 0);
        Field(p, 0) = Val_bool(l.is_raise);
        Field(p, 1) = fname;
        Field(p, 2) = Val_int(l.lnum);
        Field(p, 3) = Val_int(l.startchr);
        Field(p, 4) = Val_int(l.endchr);
        Field(p, 5) = Val_false;
        Field(p, 6) = dname;
    } else {
        p = caml_alloc_small(1, 1);
        Field(p, 0) = Val_bool(l.is_raise);
    }
    CAMLreturn(p);
}

CAMLprim value caml_convert_raw_backtrace_slot(value slot)
{
    return convert_slot(slot);
}

CAMLprim value caml_convert_raw_backtrace(value bt)
{
    CAMLparam1(bt);
    CAMLlocal2(arr, s);
    mlsize_t n = Wosize_val(bt);
    arr = caml_alloc(n, 0);
    for (mlsize_t i = 0; i < n; i++) {
        s = convert_slot(Field(bt, i));
        caml_modify(&Field(arr, i), s);
    }
    CAMLreturn(arr);
}

/* deprecated (Printexc no longer uses it): the current backtrace, converted */
CAMLprim value caml_get_exception_backtrace(value unit)
{
    CAMLparam0();
    CAMLlocal2(bt, res);
    (void)unit;
    bt = caml_get_exception_raw_backtrace(Val_unit);
    bt = caml_convert_raw_backtrace(bt);
    res = caml_alloc_small(1, 0);
    Field(res, 0) = bt;
    CAMLreturn(res);
}
