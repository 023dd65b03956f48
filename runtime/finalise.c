/* finalise.c — Gc.finalise / Gc.finalise_last.

   Two tables of (function, value): "first" (Gc.finalise: the function gets the value, which the
   major GC revives for it) and "last" (Gc.finalise_last: the function gets (), the value is not
   kept). The minor GC treats the values as strong roots (they are promoted); the major GC
   treats them as weak: after marking, the entries whose value is unmarked move to the to-do
   list (first: the values are then marked). Pending finalisers run at safe points
   (caml_final_do_calls: after caml_alloc_small_dispatch, Gc.* primitives), most recently registered
   first within one collection, as OCaml. */
#include <stdlib.h>
#include "gc.h"

struct final { value fun; value val; };
struct final_table { struct final *items; uintnat count, size; };

static struct final_table first, last, todo;
static int running_finaliser;

static void table_push(struct final_table *t, value fun, value val)
{
    if (t->count == t->size) {
        uintnat nsize = t->size == 0 ? 16 : t->size * 2;
        struct final *n = realloc(t->items, nsize * sizeof(struct final));
        if (n == NULL) caml_raise_out_of_memory();
        t->items = n;
        t->size = nsize;
    }
    t->items[t->count].fun = fun;
    t->items[t->count].val = val;
    t->count++;
}

void caml_final_reset(void)
{
    first.count = last.count = todo.count = 0;
    running_finaliser = 0;
}

static value do_register(struct final_table *t, value f, value v)
{
    if (Is_long(v)) caml_invalid_argument("Gc.finalise");
    switch (Tag_val(v)) {
    case Lazy_tag:
    case Double_tag:
    case Forward_tag:
        caml_invalid_argument("Gc.finalise");
    default:
        break;
    }
    /* Values outside the heaps (static constants) are never reclaimed: nothing to do. */
    if (!Oe_in_heap(v)) return Val_unit;
    {
        /* the table may grow, but that does not allocate in the OCaml heap */
        table_push(t, f, v);
    }
    return Val_unit;
}

CAMLprim value caml_final_register(value f, value v)
{
    return do_register(&first, f, v);
}

CAMLprim value caml_final_register_called_without_value(value f, value v)
{
    return do_register(&last, f, v);
}

CAMLprim value caml_final_release(value unit)
{
    (void)unit;
    running_finaliser = 0;
    return Val_unit;
}

void caml_final_scan_roots(void (*f)(value *p), int minor)
{
    uintnat i;
    for (i = 0; i < first.count; i++) {
        f(&first.items[i].fun);
        if (minor) f(&first.items[i].val);
    }
    for (i = 0; i < last.count; i++) {
        f(&last.items[i].fun);
        if (minor) f(&last.items[i].val);
    }
    for (i = 0; i < todo.count; i++) {
        f(&todo.items[i].fun);
        f(&todo.items[i].val);
    }
}

/* Moves the dead entries of t to the to-do list; returns the index of the first moved. */
static uintnat move_dead(struct final_table *t, int (*is_dead)(value v), int keep_value)
{
    uintnat i, j = 0, start = todo.count;
    for (i = 0; i < t->count; i++) {
        struct final e = t->items[i];
        if (is_dead(e.val)) {
            if (todo.count == todo.size) {
                uintnat nsize = todo.size == 0 ? 16 : todo.size * 2;
                struct final *n = realloc(todo.items, nsize * sizeof(struct final));
                if (n == NULL) {
                    /* keep it registered; it will be found again by the next major GC */
                    t->items[j++] = e;
                    continue;
                }
                todo.items = n;
                todo.size = nsize;
            }
            if (!keep_value) e.val = Val_unit;
            todo.items[todo.count++] = e;
        } else {
            t->items[j++] = e;
        }
    }
    t->count = j;
    return start;
}

void caml_final_update_first(int (*is_dead)(value v), void (*mark)(value v))
{
    uintnat i, start = move_dead(&first, is_dead, 1);
    for (i = start; i < todo.count; i++) mark(todo.items[i].fun), mark(todo.items[i].val);
}

void caml_final_update_last(int (*is_dead)(value v))
{
    (void)move_dead(&last, is_dead, 0);
}

void caml_final_do_calls(void)
{
    if (running_finaliser) return;
    while (todo.count > 0) {
        struct final e = todo.items[--todo.count];
        value res;
        running_finaliser = 1;
        res = caml_callback_exn(e.fun, e.val);
        running_finaliser = 0;
        if (Is_exception_result(res)) caml_raise(Extract_exception(res));
    }
}
