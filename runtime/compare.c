/* compare.c — polymorphic comparison (compare, =, <>, <, <=, >, >=) with OCaml 4.13's
   semantics: ints before blocks, then by tag, then by size and contents; strings by bytes
   then length; floats numerically, with NaN equal to itself and below everything for
   [compare] but unordered for the others; custom blocks through their ops; objects by id;
   functional values raise Invalid_argument "compare: functional value", abstract ones
   "compare: abstract value". The pending fields are kept on an explicit stack (a small one
   on the C stack, then malloc'd), never by C recursion; too deep a value raises
   Out_of_memory as OCaml does. Every block pointer is considered an OCaml value (static data
   included). */
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

int caml_compare_unordered;

struct cmp_item { value *v1, *v2; mlsize_t count; };
struct cmp_stack {
    struct cmp_item *items, *limit;
    struct cmp_item init[8];
};

#define CMP_STACK_MAX (1024 * 1024)
#define LESS (-1)
#define EQUAL 0
#define GREATER 1
#define UNORDERED ((intnat)((uintnat)1 << (8 * sizeof(value) - 1)))

static void stack_free(struct cmp_stack *st)
{
    if (st->items != st->init) free(st->items);
    st->items = st->init;
}

static struct cmp_item *stack_grow(struct cmp_stack *st, struct cmp_item *sp)
{
    uintnat size = (uintnat)(st->limit - st->items), nsize = size * 2;
    uintnat used = (uintnat)(sp - st->items);
    struct cmp_item *n;
    if (nsize > CMP_STACK_MAX) goto overflow;
    if (st->items == st->init) {
        n = malloc(nsize * sizeof(struct cmp_item));
        if (n != NULL) memcpy(n, st->init, sizeof(st->init));
    } else {
        n = realloc(st->items, nsize * sizeof(struct cmp_item));
    }
    if (n == NULL) goto overflow;
    st->items = n;
    st->limit = n + nsize;
    return n + used;
overflow:
    stack_free(st);
    caml_raise_out_of_memory();
}

static int custom_compare(int (*cmp)(value, value), value v1, value v2, int total,
                          intnat *res)
{
    int r;
    caml_compare_unordered = 0;
    r = cmp(v1, v2);
    if (caml_compare_unordered && !total) {
        *res = UNORDERED;
        return 1;
    }
    *res = r;
    return r != 0;
}

static intnat compare_doubles(double d1, double d2, int total, int *done)
{
    *done = 1;
    if (d1 < d2) return LESS;
    if (d1 > d2) return GREATER;
    if (d1 != d2) {
        if (!total) return UNORDERED;
        if (d1 == d1) return GREATER;   /* d2 is NaN */
        if (d2 == d2) return LESS;      /* d1 is NaN */
    }
    *done = 0;                          /* equal (or both NaN in total mode) */
    return EQUAL;
}

static intnat do_compare(struct cmp_stack *st, value v1, value v2, int total)
{
    struct cmp_item *sp = st->items;   /* sp points at the last pushed item; items[0] unused */
    while (1) {
        if (v1 == v2 && total) goto next;
        if (Is_long(v1)) {
            if (v1 == v2) goto next;
            if (Is_long(v2)) return Long_val(v1) - Long_val(v2);
            if (Tag_val(v2) == Forward_tag) { v2 = Forward_val(v2); continue; }
            if (Tag_val(v2) == Custom_tag && Custom_ops_val(v2)->compare_ext != NULL) {
                intnat r;
                if (custom_compare(Custom_ops_val(v2)->compare_ext, v1, v2, total, &r)) return r;
                goto next;
            }
            return LESS;
        }
        if (Is_long(v2)) {
            if (Tag_val(v1) == Forward_tag) { v1 = Forward_val(v1); continue; }
            if (Tag_val(v1) == Custom_tag && Custom_ops_val(v1)->compare_ext != NULL) {
                intnat r;
                if (custom_compare(Custom_ops_val(v1)->compare_ext, v1, v2, total, &r)) return r;
                goto next;
            }
            return GREATER;
        }
        {
            tag_t t1 = Tag_val(v1), t2 = Tag_val(v2);
            if (t1 != t2) {
                if (t1 == Forward_tag) { v1 = Forward_val(v1); continue; }
                if (t2 == Forward_tag) { v2 = Forward_val(v2); continue; }
                if (t1 == Infix_tag) t1 = Closure_tag;
                if (t2 == Infix_tag) t2 = Closure_tag;
                if (t1 != t2) return (intnat)t1 - (intnat)t2;
            }
            switch (t1) {
            case Forward_tag:
                v1 = Forward_val(v1);
                v2 = Forward_val(v2);
                continue;
            case String_tag: {
                mlsize_t l1, l2;
                int r;
                if (v1 == v2) break;
                l1 = caml_string_length(v1);
                l2 = caml_string_length(v2);
                r = memcmp(String_val(v1), String_val(v2), l1 <= l2 ? l1 : l2);
                if (r < 0) return LESS;
                if (r > 0) return GREATER;
                if (l1 != l2) return l1 < l2 ? LESS : GREATER;
                break;
            }
            case Double_tag: {
                int done;
                intnat r = compare_doubles(Double_val(v1), Double_val(v2), total, &done);
                if (done) return r;
                break;
            }
            case Double_array_tag: {
                mlsize_t n1 = Wosize_val(v1) / Double_wosize, n2 = Wosize_val(v2) / Double_wosize;
                mlsize_t i;
                if (n1 != n2) return n1 < n2 ? LESS : GREATER;
                for (i = 0; i < n1; i++) {
                    int done;
                    intnat r = compare_doubles(Double_flat_field(v1, i),
                                               Double_flat_field(v2, i), total, &done);
                    if (done) return r;
                }
                break;
            }
            case Abstract_tag:
                stack_free(st);
                caml_invalid_argument("compare: abstract value");
            case Closure_tag:
            case Infix_tag:
                stack_free(st);
                caml_invalid_argument("compare: functional value");
            case Object_tag: {
                intnat o1 = Oid_val(v1), o2 = Oid_val(v2);
                if (o1 != o2) return o1 < o2 ? LESS : GREATER;
                break;
            }
            case Custom_tag: {
                int (*cmp)(value, value) = Custom_ops_val(v1)->compare;
                intnat r;
                if (cmp != Custom_ops_val(v2)->compare)
                    return strcmp(Custom_ops_val(v1)->identifier,
                                  Custom_ops_val(v2)->identifier) < 0 ? LESS : GREATER;
                if (cmp == NULL) {
                    stack_free(st);
                    caml_invalid_argument("compare: abstract value");
                }
                if (custom_compare(cmp, v1, v2, total, &r)) return r;
                break;
            }
            default: {
                mlsize_t s1 = Wosize_val(v1), s2 = Wosize_val(v2);
                if (s1 != s2) return s1 < s2 ? LESS : GREATER;
                if (s1 == 0) break;
                if (s1 > 1) {
                    sp++;
                    if (sp >= st->limit) sp = stack_grow(st, sp);
                    sp->v1 = &Field(v1, 1);
                    sp->v2 = &Field(v2, 1);
                    sp->count = s1 - 1;
                }
                v1 = Field(v1, 0);
                v2 = Field(v2, 0);
                continue;
            }
            }
        }
    next:
        if (sp == st->items) return EQUAL;
        v1 = *sp->v1++;
        v2 = *sp->v2++;
        if (--sp->count == 0) sp--;
    }
}

static intnat compare_val(value v1, value v2, int total)
{
    struct cmp_stack st;
    intnat r;
    st.items = st.init;
    st.limit = st.init + sizeof(st.init) / sizeof(st.init[0]);
    r = do_compare(&st, v1, v2, total);
    stack_free(&st);
    return r;
}

CAMLprim value caml_compare(value v1, value v2)
{
    intnat r = compare_val(v1, v2, 1);
    return Val_int(r < 0 ? -1 : r > 0 ? 1 : 0);
}

CAMLprim value caml_equal(value v1, value v2)
{
    return Val_bool(compare_val(v1, v2, 0) == 0);
}

CAMLprim value caml_notequal(value v1, value v2)
{
    return Val_bool(compare_val(v1, v2, 0) != 0);
}

CAMLprim value caml_lessthan(value v1, value v2)
{
    intnat r = compare_val(v1, v2, 0);
    return Val_bool(r < 0 && r != UNORDERED);
}

CAMLprim value caml_lessequal(value v1, value v2)
{
    intnat r = compare_val(v1, v2, 0);
    return Val_bool(r <= 0 && r != UNORDERED);
}

CAMLprim value caml_greaterthan(value v1, value v2)
{
    return Val_bool(compare_val(v1, v2, 0) > 0);
}

CAMLprim value caml_greaterequal(value v1, value v2)
{
    return Val_bool(compare_val(v1, v2, 0) >= 0);
}
