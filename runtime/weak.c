/* weak.c — ephemerons and weak arrays (Weak, Ephemeron, Obj.Ephemeron of OCaml 4.13).

   An ephemeron is an Abstract_tag block of the major heap: [link; data; key0; key1; ...]; an
   empty slot holds caml_ephe_none. The link field chains every ephemeron (caml_ephe_list_head)
   for the major GC, which treats keys weakly and the data as reachable only while the
   ephemeron and all its keys are (gc_major.c). The minor GC does the same for young values,
   as OCaml 4.13 does (gc_minor.c): a young key reachable only through ephemerons is cleared
   with the data of its ephemeron, a young data is promoted only while every young key of its
   ephemeron is reachable; values outside the minor heap count as alive until a major GC. The
   young fields of ephemerons are found through the ephemeron table (gc_minor.c), filled by
   ephe_store. A GC can clear a slot at any allocation: get_copy reads it again afterwards.
   Bounds are checked by the OCaml side (weak.ml, ephemeron.ml), as in OCaml. */
#include <string.h>
#include "gc.h"

static header_t ephe_dummy;
value caml_ephe_none = (value)&ephe_dummy;

#define Key(e, n) Field((e), CAML_EPHE_FIRST_KEY + (n))

CAMLprim value caml_ephe_create(value len)
{
    intnat n = Long_val(len);
    mlsize_t size, i;
    value res;
    if (n < 0 || (uintnat)n > (uintnat)Max_wosize - CAML_EPHE_FIRST_KEY)
        caml_invalid_argument("Weak.create");
    size = (mlsize_t)n + CAML_EPHE_FIRST_KEY;
    res = caml_alloc_shr(size, Abstract_tag);
    for (i = 1; i < size; i++) Field(res, i) = caml_ephe_none;
    Field(res, CAML_EPHE_LINK_OFFSET) = caml_ephe_list_head;
    caml_ephe_list_head = res;
    return res;
}

CAMLprim value caml_weak_create(value len)
{
    return caml_ephe_create(len);
}

/* Every store of a value into a key or the data: a young value is recorded in the ephemeron
   table (not the remembered set, which the minor GC treats as strong). */
static void ephe_store(value e, mlsize_t i, value v)
{
    value old = Field(e, i);
    Field(e, i) = v;
    if (Is_block(v) && Oe_in_young(v) && Oe_in_major(e) && !(Is_block(old) && Oe_in_young(old)))
        oe_ephe_ref_add(e, i);
}

CAMLprim value caml_ephe_set_key(value e, value n, value v)
{
    ephe_store(e, CAML_EPHE_FIRST_KEY + Long_val(n), v);
    return Val_unit;
}

CAMLprim value caml_ephe_unset_key(value e, value n)
{
    Key(e, Long_val(n)) = caml_ephe_none;
    return Val_unit;
}

CAMLprim value caml_weak_set(value e, value n, value opt)
{
    if (Is_block(opt)) return caml_ephe_set_key(e, n, Field(opt, 0));
    return caml_ephe_unset_key(e, n);
}

CAMLprim value caml_ephe_set_data(value e, value v)
{
    ephe_store(e, CAML_EPHE_DATA_OFFSET, v);
    return Val_unit;
}

CAMLprim value caml_ephe_unset_data(value e)
{
    Field(e, CAML_EPHE_DATA_OFFSET) = caml_ephe_none;
    return Val_unit;
}

static value get_slot(value e, mlsize_t i)
{
    value v = Field(e, i);
    if (v == caml_ephe_none) return Val_none;
    return caml_alloc_some(v);
}

CAMLprim value caml_ephe_get_key(value e, value n)
{
    return get_slot(e, CAML_EPHE_FIRST_KEY + Long_val(n));
}

CAMLprim value caml_weak_get(value e, value n)
{
    return caml_ephe_get_key(e, n);
}

CAMLprim value caml_ephe_get_data(value e)
{
    return get_slot(e, CAML_EPHE_DATA_OFFSET);
}

/* Shallow copy of the slot's value (Weak.get_copy): a new block with the same fields, or the
   value itself when it is not a heap block or is a custom block. */
static value get_slot_copy(value e, mlsize_t i)
{
    CAMLparam1(e);
    CAMLlocal2(copy, v);
    int tries;
    for (tries = 0; tries < 4; tries++) {
        mlsize_t off, sz, j, start;
        tag_t tag;
        v = Field(e, i);
        if (v == caml_ephe_none) CAMLreturn(Val_none);
        if (!Is_block(v) || !Oe_in_heap(v) || Tag_val(v) == Custom_tag)
            CAMLreturn(caml_alloc_some(v));
        off = Tag_val(v) == Infix_tag ? Infix_offset_val(v) : 0;
        v -= off;
        sz = Wosize_val(v);
        tag = Tag_val(v);
        v = Val_unit;               /* the allocation may move or clear it: read it again */
        copy = caml_alloc(sz, tag);
        v = Field(e, i);
        if (v == caml_ephe_none) CAMLreturn(Val_none);
        if (!Is_block(v) || !Oe_in_heap(v) || Tag_val(v) == Custom_tag)
            CAMLreturn(caml_alloc_some(v));
        off = Tag_val(v) == Infix_tag ? Infix_offset_val(v) : 0;
        v -= off;
        if (Wosize_val(v) != sz || Tag_val(v) != tag) continue;
        if (tag >= No_scan_tag) {
            memcpy(Bp_val(copy), Bp_val(v), sz * sizeof(value));
        } else {
            start = 0;
            if (tag == Closure_tag) {
                start = Start_env_closinfo(Closinfo_val(v));
                if (start > sz) start = sz;
                for (j = 0; j < start; j++) Field(copy, j) = Field(v, j);  /* code, closinfo */
            }
            for (j = start; j < sz; j++) caml_modify(&Field(copy, j), Field(v, j));
        }
        v = copy + off;
        CAMLreturn(caml_alloc_some(v));
    }
    /* the slot keeps changing under us: give the value itself */
    v = Field(e, i);
    if (v == caml_ephe_none) CAMLreturn(Val_none);
    CAMLreturn(caml_alloc_some(v));
}

CAMLprim value caml_ephe_get_key_copy(value e, value n)
{
    return get_slot_copy(e, CAML_EPHE_FIRST_KEY + Long_val(n));
}

CAMLprim value caml_weak_get_copy(value e, value n)
{
    return caml_ephe_get_key_copy(e, n);
}

CAMLprim value caml_ephe_get_data_copy(value e)
{
    return get_slot_copy(e, CAML_EPHE_DATA_OFFSET);
}

CAMLprim value caml_ephe_check_key(value e, value n)
{
    return Val_bool(Key(e, Long_val(n)) != caml_ephe_none);
}

CAMLprim value caml_weak_check(value e, value n)
{
    return caml_ephe_check_key(e, n);
}

CAMLprim value caml_ephe_check_data(value e)
{
    return Val_bool(Field(e, CAML_EPHE_DATA_OFFSET) != caml_ephe_none);
}

CAMLprim value caml_ephe_blit_key(value es, value ofs, value ed, value ofd, value len)
{
    intnat s = Long_val(ofs) + CAML_EPHE_FIRST_KEY, d = Long_val(ofd) + CAML_EPHE_FIRST_KEY;
    intnat n = Long_val(len), i;
    if (n <= 0) return Val_unit;
    if (d < s || es != ed) {
        for (i = 0; i < n; i++) ephe_store(ed, (mlsize_t)(d + i), Field(es, s + i));
    } else {
        for (i = n - 1; i >= 0; i--) ephe_store(ed, (mlsize_t)(d + i), Field(es, s + i));
    }
    return Val_unit;
}

CAMLprim value caml_weak_blit(value es, value ofs, value ed, value ofd, value len)
{
    return caml_ephe_blit_key(es, ofs, ed, ofd, len);
}

CAMLprim value caml_ephe_blit_data(value es, value ed)
{
    ephe_store(ed, CAML_EPHE_DATA_OFFSET, Field(es, CAML_EPHE_DATA_OFFSET));
    return Val_unit;
}
