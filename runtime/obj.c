/* obj.c — the primitives of Obj, Lazy and CamlinternalOO (OCaml 4.13 list). */
#include <string.h>
#include "gc.h"

CAMLprim value caml_obj_tag(value arg)
{
    if (Is_long(arg)) return Val_int(1000);                          /* int_tag */
    if ((uintnat)arg & (sizeof(value) - 1)) return Val_int(1002);    /* unaligned_tag */
    return Val_int(Tag_val(arg));
}

CAMLprim value caml_obj_set_tag(value arg, value new_tag)
{
    Tag_val(arg) = (unsigned char)Int_val(new_tag);
    return Val_unit;
}

CAMLprim value caml_obj_raw_field(value arg, value pos)
{
    return caml_copy_nativeint((intnat)Field(arg, Long_val(pos)));
}

CAMLprim value caml_obj_set_raw_field(value arg, value pos, value bits)
{
    Field(arg, Long_val(pos)) = (value)Nativeint_val(bits);
    return Val_unit;
}

CAMLprim value caml_obj_make_forward(value blk, value fwd)
{
    caml_modify(&Field(blk, 0), fwd);
    Tag_val(blk) = Forward_tag;
    return Val_unit;
}

CAMLprim value caml_obj_block(value tag, value size)
{
    mlsize_t sz = (mlsize_t)Long_val(size);
    tag_t tg = (tag_t)Long_val(tag);
    value res;
    switch (tg) {
    case Closure_tag:
        if (sz < 2) caml_invalid_argument("Obj.new_block");
        res = caml_alloc(sz, tg);
        Closinfo_val(res) = Make_closinfo(0, 2);
        break;
    case String_tag:
        if (sz == 0) caml_invalid_argument("Obj.new_block");
        res = caml_alloc(sz, tg);
        Field(res, sz - 1) = 0;
        break;
    case Custom_tag:
        caml_invalid_argument("Obj.new_block");
    default:
        res = caml_alloc(sz, tg);
        break;
    }
    return res;
}

CAMLprim value caml_obj_with_tag(value new_tag, value arg)
{
    CAMLparam2(new_tag, arg);
    CAMLlocal1(res);
    mlsize_t sz = Wosize_val(arg), i;
    tag_t tg = (tag_t)Long_val(new_tag);
    if (sz == 0) CAMLreturn(Atom(tg));
    if (tg >= No_scan_tag) {
        res = caml_alloc(sz, tg);
        memcpy(Bp_val(res), Bp_val(arg), sz * sizeof(value));
    } else if (sz <= Max_young_wosize) {
        res = caml_alloc_small(sz, tg);
        for (i = 0; i < sz; i++) Field(res, i) = Field(arg, i);
    } else {
        res = caml_alloc_shr(sz, tg);
        for (i = 0; i < sz; i++) caml_initialize(&Field(res, i), Field(arg, i));
    }
    CAMLreturn(res);
}

CAMLprim value caml_obj_dup(value arg)
{
    return caml_obj_with_tag(Val_long(Tag_val(arg)), arg);
}

/* Shortens a block in place; the leftover becomes an Abstract block (odd header). */
CAMLprim value caml_obj_truncate(value v, value newsize)
{
    mlsize_t new_wosize = (mlsize_t)Long_val(newsize);
    header_t hd = Hd_val(v);
    tag_t tag = Tag_hd(hd);
    mlsize_t wosize = Wosize_hd(hd), i;
    if (tag == Double_array_tag) new_wosize *= Double_wosize;
    if (Long_val(newsize) <= 0 || new_wosize > wosize) caml_invalid_argument("Obj.truncate");
    if (new_wosize == wosize) return Val_unit;
    if (tag < No_scan_tag)
        for (i = new_wosize; i < wosize; i++) caml_modify(&Field(v, i), Val_unit);
    Field(v, new_wosize) = (value)Make_header(wosize - new_wosize - 1, Abstract_tag, Caml_white);
    Hd_val(v) = Make_header(new_wosize, tag, Color_hd(hd));
    return Val_unit;
}

CAMLprim value caml_obj_add_offset(value v, value offset)
{
    return v + (uintnat)Int32_val(offset);
}

CAMLprim value caml_lazy_make_forward(value v)
{
    CAMLparam1(v);
    value res = caml_alloc_small(1, Forward_tag);
    Field(res, 0) = v;
    CAMLreturn(res);
}

/* Method lookup by binary search in the method table [n; meth1; tag1; meth2; tag2; ...]
   (tags sorted); returns 0 if absent. Also used by the code generator for GETPUBMET. */
CAMLprim value caml_get_public_method(value obj, value tag)
{
    value meths = Field(obj, 0);
    intnat li = 3, hi = (intnat)Field(meths, 0), mi;
    while (li < hi) {
        mi = ((li + hi) >> 1) | 1;
        if (tag < Field(meths, mi)) hi = mi - 2;
        else li = mi;
    }
    return tag == Field(meths, li) ? Field(meths, li - 1) : 0;
}

static value oo_last_id = Val_int(0);

CAMLprim value caml_set_oo_id(value obj)
{
    Field(obj, 1) = oo_last_id;
    oo_last_id += 2;
    return obj;
}

CAMLprim value caml_fresh_oo_id(value v)
{
    (void)v;
    v = oo_last_id;
    oo_last_id += 2;
    return v;
}

CAMLprim value caml_int_as_pointer(value n)
{
    return n - 1;
}
