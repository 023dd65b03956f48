/* alloc.c — allocating OCaml values from C (caml/alloc.h), C heap helpers, the "dummy"
   primitives of let rec / recursive modules. caml_alloc_small, caml_alloc_shr, caml_modify
   and caml_initialize are in gc_minor.c / gc_major.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gc.h"

value caml_alloc(mlsize_t wosize, tag_t tag)
{
    value res;
    mlsize_t i;
    if (wosize == 0) return Atom(tag);
    if (wosize <= Max_young_wosize) {
        res = caml_alloc_small(wosize, tag);
        if (tag < No_scan_tag)
            for (i = 0; i < wosize; i++) Field(res, i) = Val_unit;
    } else {
        res = caml_alloc_shr(wosize, tag);
        if (tag < No_scan_tag)
            for (i = 0; i < wosize; i++) Field(res, i) = Val_unit;
    }
    return res;
}

value caml_alloc_tuple(mlsize_t n)
{
    return caml_alloc(n, 0);
}

value caml_alloc_string(mlsize_t len)
{
    mlsize_t wosize = (len + sizeof(value)) / sizeof(value);
    mlsize_t last = wosize * sizeof(value) - 1;
    value res;
    if (wosize > Max_wosize) caml_invalid_argument("String.create");
    if (wosize <= Max_young_wosize)
        res = caml_alloc_small(wosize, String_tag);
    else
        res = caml_alloc_shr(wosize, String_tag);
    Field(res, wosize - 1) = 0;
    Byte_u(res, last) = (unsigned char)(last - len);
    return res;
}

mlsize_t caml_string_length(value s)
{
    mlsize_t last = Bosize_val(s) - 1;
    return last - Byte_u(s, last);
}

int caml_string_is_c_safe(value s)
{
    return strlen(String_val(s)) == caml_string_length(s);
}

value caml_alloc_initialized_string(mlsize_t len, const char *p)
{
    value res = caml_alloc_string(len);
    memcpy(Bytes_val(res), p, len);
    return res;
}

value caml_copy_string(const char *s)
{
    return caml_alloc_initialized_string(strlen(s), s);
}

value caml_alloc_array(value (*f)(const char *), const char **a)
{
    CAMLparam0();
    CAMLlocal2(res, v);
    mlsize_t n, i;
    for (n = 0; a[n] != NULL; n++) continue;
    if (n == 0) CAMLreturn(Atom(0));
    res = caml_alloc(n, 0);
    for (i = 0; i < n; i++) {
        v = f(a[i]);
        caml_modify(&Field(res, i), v);
    }
    CAMLreturn(res);
}

value caml_copy_string_array(const char **a)
{
    return caml_alloc_array(caml_copy_string, a);
}

value caml_alloc_float_array(mlsize_t len)
{
    mlsize_t wosize = len * Double_wosize;
    if (wosize == 0) return Atom(0);
    if (len > Max_wosize / Double_wosize) caml_invalid_argument("Array.create_float");
    if (wosize <= Max_young_wosize) return caml_alloc_small(wosize, Double_array_tag);
    return caml_alloc_shr(wosize, Double_array_tag);
}

value caml_copy_double(double d)
{
    value res = caml_alloc_small(Double_wosize, Double_tag);
    Store_double_val(res, d);
    return res;
}

value caml_alloc_sprintf(const char *fmt, ...)
{
    va_list args;
    char buf[128];
    int n;
    value res;
    va_start(args, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    if (n < 0) n = 0;
    if ((size_t)n < sizeof(buf)) return caml_alloc_initialized_string((mlsize_t)n, buf);
    /* too long for the buffer: format again, directly into the string */
    res = caml_alloc_string((mlsize_t)n);
    va_start(args, fmt);
    vsnprintf((char *)Bytes_val(res), (size_t)n + 1, fmt, args);
    va_end(args);
    return res;
}

value caml_alloc_some(value v)
{
    CAMLparam1(v);
    value res = caml_alloc_small(1, Tag_some);
    Field(res, 0) = v;
    CAMLreturn(res);
}

/* ---- custom blocks ---- */

/* Resources held outside the heap by custom blocks, in millionths of "one full major GC
   worth"; a major GC is requested when it reaches 1. */
static uint64_t custom_pressure;

static void add_pressure(uint64_t millionths)
{
    custom_pressure += millionths;
    if (custom_pressure >= 1000000) {
        custom_pressure = 0;
        caml_request_major_gc();
    }
}

static value alloc_custom(const struct custom_operations *ops, uintnat bsz)
{
    mlsize_t wosize = 1 + (bsz + sizeof(value) - 1) / sizeof(value);
    value res;
    if (wosize <= Max_young_wosize)
        res = caml_alloc_small(wosize, Custom_tag);
    else
        res = caml_alloc_shr(wosize, Custom_tag);
    Custom_ops_val(res) = ops;
    return res;
}

value caml_alloc_custom(const struct custom_operations *ops, uintnat size, mlsize_t mem,
                        mlsize_t max)
{
    value res = alloc_custom(ops, size);
    if (mem != 0) {
        if (max == 0) max = 1;
        if (mem > max) mem = max;
        add_pressure((uint64_t)mem * 1000000u / max);
    }
    return res;
}

value caml_alloc_custom_mem(const struct custom_operations *ops, uintnat size, mlsize_t mem)
{
    value res = alloc_custom(ops, size);
    uint64_t heap_bytes = (uint64_t)caml_major_heap_words * sizeof(value);
    uint64_t budget = heap_bytes / 100 * caml_custom_major_ratio;
    if (budget == 0) budget = 1;
    if (mem != 0) add_pressure((uint64_t)mem * 1000000u / budget);
    if (caml_memprof_on) caml_memprof_track_custom(res, mem);
    return res;
}

/* ---- C heap ---- */

void *caml_stat_alloc(size_t sz)
{
    void *p = malloc(sz == 0 ? 1 : sz);
    if (p == NULL) caml_raise_out_of_memory();
    return p;
}

void caml_stat_free(void *p)
{
    free(p);
}

/* ---- let rec over values (bytegen.ml: caml_alloc_dummy*, caml_update_dummy) ---- */

CAMLprim value caml_alloc_dummy(value size)
{
    return caml_alloc((mlsize_t)Long_val(size), 0);
}

CAMLprim value caml_alloc_dummy_function(value size, value arity)
{
    (void)arity;
    return caml_alloc_dummy(size);
}

CAMLprim value caml_alloc_dummy_float(value size)
{
    return caml_alloc((mlsize_t)Long_val(size) * Double_wosize, 0);
}

CAMLprim value caml_alloc_dummy_infix(value vsize, value voffset)
{
    mlsize_t wosize = (mlsize_t)Long_val(vsize), offset = (mlsize_t)Long_val(voffset);
    value v = caml_alloc(wosize, Closure_tag);
    /* closinfo that makes the environment empty: the dummy holds no pointer yet */
    Closinfo_val(v) = Make_closinfo(0, wosize);
    if (offset > 0) {
        v += Bsize_wsize(offset);
        Hd_val(v) = Make_header(offset, Infix_tag, Caml_white);
    }
    return v;
}

CAMLprim value caml_update_dummy(value dummy, value newval)
{
    mlsize_t size, i;
    tag_t tag = Tag_val(newval);
    if (tag == Double_array_tag) {
        Tag_val(dummy) = Double_array_tag;
        size = Wosize_val(newval) / Double_wosize;
        for (i = 0; i < size; i++)
            Store_double_flat_field(dummy, i, Double_flat_field(newval, i));
    } else if (tag == Infix_tag) {
        value clos = newval - Infix_offset_val(newval);
        dummy -= Infix_offset_val(dummy);
        size = Wosize_val(clos);
        for (i = 0; i < size; i++) caml_modify(&Field(dummy, i), Field(clos, i));
    } else {
        Tag_val(dummy) = (unsigned char)tag;
        size = Wosize_val(newval);
        for (i = 0; i < size; i++) caml_modify(&Field(dummy, i), Field(newval, i));
    }
    return Val_unit;
}
