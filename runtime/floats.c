/* floats.c — the float primitives of OCaml 4.13 (runtime/floats.c). In bytecode every float
   operation is a C call returning a freshly boxed double. Text conversions are exact and
   library-independent (floatfmt.c); the elementary functions come from picolibc's libm, except
   fma (picolibc's is x*y+z with two roundings). */
#include <math.h>
#include <string.h>
#include "runtime.h"
#include "floatfmt.h"

typedef union { double d; uint64_t u; } float_bits;

/* ---- text ---- */

CAMLprim value caml_format_float(value fmt, value arg)
{
    char local[64], *buf = local;
    double d = Double_val(arg);
    int n = oe_format_double(local, sizeof local, String_val(fmt), d);
    value res;
    if ((size_t)n >= sizeof local) {
        buf = caml_stat_alloc((size_t)n + 1);
        oe_format_double(buf, (size_t)n + 1, String_val(fmt), d);
    }
    res = caml_alloc_initialized_string((mlsize_t)n, buf);
    if (buf != local) caml_stat_free(buf);
    return res;
}

CAMLprim value caml_hexstring_of_float(value arg, value vprec, value vstyle)
{
    char local[64], *buf = local;
    double d = Double_val(arg);
    long prec = Long_val(vprec);
    int style = Int_val(vstyle);
    int n = oe_hexstring_double(local, sizeof local, d, prec, style);
    value res;
    if ((size_t)n >= sizeof local) {
        buf = caml_stat_alloc((size_t)n + 1);
        oe_hexstring_double(buf, (size_t)n + 1, d, prec, style);
    }
    res = caml_alloc_initialized_string((mlsize_t)n, buf);
    if (buf != local) caml_stat_free(buf);
    return res;
}

CAMLprim value caml_float_of_string(value vs)
{
    char local[64], *buf;
    mlsize_t len = caml_string_length(vs), n = 0;
    const char *s = String_val(vs);
    double d;
    int err;
    local[0] = 0;
    buf = len < sizeof local ? local : caml_stat_alloc(len + 1);
    for (mlsize_t i = 0; i < len; i++) if (s[i] != '_') buf[n++] = s[i];
    err = oe_parse_double(buf, n, &d);
    if (buf != local) caml_stat_free(buf);
    if (err) caml_failwith("float_of_string");
    return caml_copy_double(d);
}

/* ---- conversions and arithmetic ---- */

#define D(v) Double_val(v)

CAMLprim value caml_int_of_float(value f) { return Val_long((intnat)Double_val(f)); }
CAMLprim value caml_float_of_int(value n) { return caml_copy_double((double)Long_val(n)); }
CAMLprim value caml_neg_float(value f) { return caml_copy_double(-D(f)); }
CAMLprim value caml_abs_float(value f) { return caml_copy_double(fabs(D(f))); }
CAMLprim value caml_add_float(value f, value g) { return caml_copy_double(D(f) + D(g)); }
CAMLprim value caml_sub_float(value f, value g) { return caml_copy_double(D(f) - D(g)); }
CAMLprim value caml_mul_float(value f, value g) { return caml_copy_double(D(f) * D(g)); }
CAMLprim value caml_div_float(value f, value g) { return caml_copy_double(D(f) / D(g)); }
CAMLprim value caml_fmod_float(value f, value g) { return caml_copy_double(fmod(D(f), D(g))); }
CAMLprim value caml_power_float(value f, value g) { return caml_copy_double(pow(D(f), D(g))); }
CAMLprim value caml_atan2_float(value f, value g) { return caml_copy_double(atan2(D(f), D(g))); }
CAMLprim value caml_hypot_float(value f, value g) { return caml_copy_double(hypot(D(f), D(g))); }
CAMLprim value caml_copysign_float(value f, value g)
{
    return caml_copy_double(copysign(D(f), D(g)));
}
CAMLprim value caml_nextafter_float(value f, value g)
{
    return caml_copy_double(nextafter(D(f), D(g)));
}
CAMLprim value caml_exp_float(value f) { return caml_copy_double(exp(D(f))); }
CAMLprim value caml_exp2_float(value f) { return caml_copy_double(exp2(D(f))); }
CAMLprim value caml_expm1_float(value f) { return caml_copy_double(expm1(D(f))); }
CAMLprim value caml_log_float(value f) { return caml_copy_double(log(D(f))); }
CAMLprim value caml_log10_float(value f) { return caml_copy_double(log10(D(f))); }
CAMLprim value caml_log2_float(value f) { return caml_copy_double(log2(D(f))); }
CAMLprim value caml_log1p_float(value f) { return caml_copy_double(log1p(D(f))); }
CAMLprim value caml_sqrt_float(value f) { return caml_copy_double(sqrt(D(f))); }
CAMLprim value caml_cbrt_float(value f) { return caml_copy_double(cbrt(D(f))); }
CAMLprim value caml_sin_float(value f) { return caml_copy_double(sin(D(f))); }
CAMLprim value caml_cos_float(value f) { return caml_copy_double(cos(D(f))); }
CAMLprim value caml_tan_float(value f) { return caml_copy_double(tan(D(f))); }
CAMLprim value caml_asin_float(value f) { return caml_copy_double(asin(D(f))); }
CAMLprim value caml_acos_float(value f) { return caml_copy_double(acos(D(f))); }
CAMLprim value caml_atan_float(value f) { return caml_copy_double(atan(D(f))); }
CAMLprim value caml_sinh_float(value f) { return caml_copy_double(sinh(D(f))); }
CAMLprim value caml_cosh_float(value f) { return caml_copy_double(cosh(D(f))); }
CAMLprim value caml_tanh_float(value f) { return caml_copy_double(tanh(D(f))); }
CAMLprim value caml_asinh_float(value f) { return caml_copy_double(asinh(D(f))); }
CAMLprim value caml_acosh_float(value f) { return caml_copy_double(acosh(D(f))); }
CAMLprim value caml_atanh_float(value f) { return caml_copy_double(atanh(D(f))); }
CAMLprim value caml_erf_float(value f) { return caml_copy_double(erf(D(f))); }
CAMLprim value caml_erfc_float(value f) { return caml_copy_double(erfc(D(f))); }
CAMLprim value caml_trunc_float(value f) { return caml_copy_double(trunc(D(f))); }
CAMLprim value caml_round_float(value f) { return caml_copy_double(round(D(f))); }
CAMLprim value caml_floor_float(value f) { return caml_copy_double(floor(D(f))); }
CAMLprim value caml_ceil_float(value f) { return caml_copy_double(ceil(D(f))); }

CAMLprim value caml_fma_float(value f, value g, value h)
{
    return caml_copy_double(oe_fma(Double_val(f), Double_val(g), Double_val(h)));
}

CAMLprim value caml_ldexp_float(value f, value i)
{
    return caml_copy_double(ldexp(Double_val(f), Int_val(i)));
}

CAMLprim value caml_frexp_float(value f)
{
    CAMLparam0();
    CAMLlocal1(mant);
    int e;
    value res;
    mant = caml_copy_double(frexp(Double_val(f), &e));
    res = caml_alloc_small(2, 0);
    Field(res, 0) = mant;
    Field(res, 1) = Val_int(e);
    CAMLreturn(res);
}

CAMLprim value caml_modf_float(value f)
{
    CAMLparam0();
    CAMLlocal2(frac, whole);
    double w;
    value res;
    frac = caml_copy_double(modf(Double_val(f), &w));
    whole = caml_copy_double(w);
    res = caml_alloc_small(2, 0);
    Field(res, 0) = frac;
    Field(res, 1) = whole;
    CAMLreturn(res);
}

/* ---- tests and comparisons ---- */

/* native code passes an unboxed double to caml_signbit; bytecode uses caml_signbit_float */
CAMLprim value caml_signbit(double x) { float_bits b; b.d = x; return Val_bool(b.u >> 63); }
CAMLprim value caml_signbit_float(value f) { return caml_signbit(Double_val(f)); }

CAMLprim value caml_eq_float(value f, value g) { return Val_bool(D(f) == D(g)); }
CAMLprim value caml_neq_float(value f, value g) { return Val_bool(D(f) != D(g)); }
CAMLprim value caml_le_float(value f, value g) { return Val_bool(D(f) <= D(g)); }
CAMLprim value caml_lt_float(value f, value g) { return Val_bool(D(f) < D(g)); }
CAMLprim value caml_ge_float(value f, value g) { return Val_bool(D(f) >= D(g)); }
CAMLprim value caml_gt_float(value f, value g) { return Val_bool(D(f) > D(g)); }

/* total order with nan = nan < everything else */
CAMLprim value caml_float_compare(value vf, value vg)
{
    double f = Double_val(vf), g = Double_val(vg);
    return Val_int((f > g) - (f < g) + (f == f) - (g == g));
}

CAMLprim value caml_classify_float(value vd)
{
    enum { FP_normal_, FP_subnormal_, FP_zero_, FP_infinite_, FP_nan_ };
    float_bits b;
    uint64_t e, m;
    b.d = Double_val(vd);
    e = (b.u >> 52) & 0x7FF;
    m = b.u & ((UINT64_C(1) << 52) - 1);
    if (e == 0) return Val_int(m ? FP_subnormal_ : FP_zero_);
    if (e == 0x7FF) return Val_int(m ? FP_nan_ : FP_infinite_);
    return Val_int(FP_normal_);
}
