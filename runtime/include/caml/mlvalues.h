/* mlvalues.h — the representation of OCaml values on the 32-bit target.
   Same layout as OCaml's 32-bit runtime, so primitives and user C stubs written against the
   usual C API work here. Our own definitions (see docs/architecture.md). */
#ifndef CAML_MLVALUES_H
#define CAML_MLVALUES_H
#include <stddef.h>
#include <stdint.h>

typedef intptr_t value;
typedef intptr_t intnat;
typedef uintptr_t uintnat;
typedef uintnat header_t;
typedef uintnat mlsize_t;
typedef unsigned int tag_t;
typedef uintnat asize_t;

#define CAMLprim
#define CAMLextern extern
#define CAMLexport
#define CAMLnoreturn_start
#define CAMLnoreturn_end __attribute__((noreturn))
#define Noreturn __attribute__((noreturn))

/* integers */
#define Val_long(x)     ((value)(((uintnat)(intnat)(x) << 1)) + 1)
#define Long_val(x)     ((intnat)(x) >> 1)
#define Val_int(x)      Val_long(x)
#define Int_val(x)      ((int)Long_val(x))
#define Unsigned_long_val(x) ((uintnat)(x) >> 1)
#define Unsigned_int_val(x)  ((int)Unsigned_long_val(x))
#define Is_long(x)      (((x) & 1) != 0)
#define Is_block(x)     (((x) & 1) == 0)
#define Max_long        ((intnat)((1UL << 30) - 1))
#define Min_long        (-(intnat)(1UL << 30))
#define Val_false       Val_int(0)
#define Val_true        Val_int(1)
#define Val_bool(x)     Val_int((x) != 0)
#define Bool_val(x)     Int_val(x)
#define Val_unit        Val_int(0)
#define Val_emptylist   Val_int(0)
#define Val_none        Val_int(0)
#define Some_val(v)     Field(v, 0)
#define Tag_some        0
#define Is_none(v)      ((v) == Val_none)
#define Is_some(v)      Is_block(v)

/* headers: wosize << 10 | color << 8 | tag */
#define Make_header(wosize, tag, color) \
    ((header_t)(((header_t)(wosize) << 10) + (header_t)(color) + (tag_t)(tag)))
#define Hd_val(v)       (((header_t *)(v))[-1])
#define Hp_val(v)       (((header_t *)(v)) - 1)
#define Val_hp(hp)      ((value)(((header_t *)(hp)) + 1))
#define Wosize_hd(hd)   ((mlsize_t)((hd) >> 10))
#define Tag_hd(hd)      ((tag_t)((hd) & 0xFF))
#define Color_hd(hd)    ((hd) & 0x300)
#define Whitehd_hd(hd)  ((hd) & ~(header_t)0x300)
#define Color_val(v)    Color_hd(Hd_val(v))
#define Wosize_val(v)   Wosize_hd(Hd_val(v))
#define Tag_val(v)      (*((unsigned char *)(v) - sizeof(value)))
#define Bosize_val(v)   (Wosize_val(v) * sizeof(value))
#define Whsize_wosize(sz) ((sz) + 1)
#define Wosize_whsize(sz) ((sz) - 1)
#define Bsize_wsize(sz) ((sz) * sizeof(value))
#define Wsize_bsize(sz) ((sz) / sizeof(value))
#define Max_wosize      ((1U << 22) - 1)
#define Max_young_wosize 256
#define Caml_white      (0 << 8)
#define Caml_gray       (1 << 8)
#define Caml_blue       (2 << 8)
#define Caml_black      (3 << 8)

#define Field(v, i)     (((value *)(v))[i])
#define Op_val(v)       ((value *)(v))
#define Bp_val(v)       ((char *)(v))
#define Data_abstract_val(v) ((void *)Op_val(v))
#define Forward_val(v)  Field((v), 0)
#define Lazy_val(v)     Field((v), 0)

/* tags */
#define No_scan_tag     251
#define Forward_tag     250
#define Infix_tag       249
#define Object_tag      248
#define Closure_tag     247
#define Lazy_tag        246
#define Forcing_tag     244   /* 4.14; harmless here */
#define Cont_tag        245
#define Abstract_tag    251
#define String_tag      252
#define Double_tag      253
#define Double_array_tag 254
#define Custom_tag      255

/* closures (4.12+ layout) */
#define Code_val(v)     (*(void **)(v))
#define Closinfo_val(v) Field((v), 1)
#define Arity_closinfo(info) ((intnat)(info) >> 24)
#define Start_env_closinfo(info) (((uintnat)(info) << 8) >> 9)
#define Make_closinfo(arity, delta) \
    ((value)(((uintnat)(arity) << 24) + ((uintnat)(delta) << 1) + 1))
#define Infix_offset_hd(hd) (Bosize_hd(hd))
#define Bosize_hd(hd)   (Wosize_hd(hd) * sizeof(value))
#define Infix_offset_val(v) Infix_offset_hd(Hd_val(v))

/* strings */
#define String_val(v)   ((const char *)Bp_val(v))
#define Bytes_val(v)    ((unsigned char *)Bp_val(v))
#define Byte(v, i)      (((char *)(v))[i])
#define Byte_u(v, i)    (((unsigned char *)(v))[i])
mlsize_t caml_string_length(value s);
int caml_string_is_c_safe(value s);

/* doubles: stored as two words; target is little-endian and allows unaligned-to-8 access */
/* words per double: 2 on the 32-bit target (1 when the runtime is compiled for a 64-bit host
   in unit tests) */
#define Double_wosize   (sizeof(double) / sizeof(value))
#define Double_val(v)   (*(double *)(v))
#define Store_double_val(v, d) (*(double *)(v) = (d))
#define Double_flat_field(v, i) (((double *)(v))[i])
#define Store_double_flat_field(v, i, d) (((double *)(v))[i] = (d))
#define Double_field(v, i) Double_flat_field(v, i)
#define Store_double_field(v, i, d) Store_double_flat_field(v, i, d)

/* objects */
#define Class_val(val)  Field((val), 0)
#define Oid_val(val)    Long_val(Field((val), 1))

/* atoms: zero-sized blocks, static */
extern const header_t caml_atom_table[];
#define Atom(tag)       (Val_hp(&(caml_atom_table[(tag)])))
#define Is_atom(v)      ((uintnat)(v) > (uintnat)caml_atom_table && \
                         (uintnat)(v) <= (uintnat)&caml_atom_table[256])

/* custom blocks */
struct custom_operations;
#define Custom_ops_val(v) (*((const struct custom_operations **)(v)))
#define Data_custom_val(v) ((void *)&Field((v), 1))

/* exception results of caml_callback*_exn */
#define Make_exception_result(v) ((v) | 2)
#define Is_exception_result(v)   (((v) & 3) == 2)
#define Extract_exception(v)     ((v) & ~3)

/* int32/int64/nativeint boxes */
#define Int32_val(v)     (*((int32_t *)Data_custom_val(v)))
#define Nativeint_val(v) (*((intnat *)Data_custom_val(v)))
int64_t caml_Int64_val(value v);
#define Int64_val(v)     (*((int64_t *)Data_custom_val(v)))

/* the global table (compiler-emitted) and the predefined exceptions it starts with */
extern value caml_globals[];
#endif
