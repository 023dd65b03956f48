/* test_softfloat.c — runtime/softfloat/ against the host's FPU and integer unit.

   The routines are compiled here from their sources with SF_HOST_TEST, which names them
   sf_adddf3 ... instead of __adddf3 ..., and compared bit for bit with x86-64 SSE2
   (binary64/binary32, round to nearest even) on random bit patterns, "nice" values (short
   significands, so that exact ties are frequent), operands with related exponents
   (cancellation, alignment), results near the underflow and overflow thresholds, and
   all pairs of edge values (signed zeros, infinities, NaNs, extreme subnormals and
   normals, integer extremes). For NaN results only NaN-ness is compared (the payload
   rules of x86 and of the routines differ). double/float -> integer is compared inside
   the range where C defines it; outside, the documented saturating results are checked.
   Output: failures (first few per routine), a line per routine, then "N passed, M failed"
   where N and M count individual cases. */
#define SF_HOST_TEST 1
#include "../../runtime/softfloat/dfadd.c"
#include "../../runtime/softfloat/dfmul.c"
#include "../../runtime/softfloat/dfdiv.c"
#include "../../runtime/softfloat/dfconv.c"
#include "../../runtime/softfloat/dfconv64.c"
#include "../../runtime/softfloat/dffixdi.c"
#include "../../runtime/softfloat/dffixunsdi.c"
#include "../../runtime/softfloat/sfarith.c"
#include "../../runtime/softfloat/sfconv.c"
#include "../../runtime/softfloat/sfconv64.c"
#include "../../runtime/softfloat/intdiv.c"
#include "../../runtime/softfloat/modsi3.c"
#include "../../runtime/softfloat/moddi3.c"
#include "../../runtime/softfloat/intmul.c"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long passed, failed;
static long r_pass, r_fail;               /* per routine */
#define MAX_REPORT 5

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(0x2545f4914f6cdd1d);
}
static uint32_t rnd32(void) { return (uint32_t)(rnd() >> 32); }
static int rndn(int n) { return (int)((rnd() >> 33) % (uint64_t)n); }

static void begin(void) { r_pass = r_fail = 0; }
static void end(const char *name)
{
    printf("  %-18s %9ld passed %ld failed\n", name, r_pass, r_fail);
    passed += r_pass;
    failed += r_fail;
}
static int check(int ok)
{
    if (ok) { r_pass++; return 0; }
    return ++r_fail <= MAX_REPORT;        /* caller prints the case */
}

/* ---------- value generators ---------- */

static const uint64_t d_edges[] = {
    0, UINT64_C(0x8000000000000000),                                   /* +-0 */
    UINT64_C(0x7ff0000000000000), UINT64_C(0xfff0000000000000),        /* +-inf */
    UINT64_C(0x7ff8000000000000), UINT64_C(0xfff8000000000001),        /* qNaN */
    UINT64_C(0x7ff0000000000001), UINT64_C(0x7ff4000000000000),        /* sNaN */
    1, UINT64_C(0x8000000000000001), 2, 3,                             /* tiny subnormals */
    UINT64_C(0x000fffffffffffff), UINT64_C(0x800fffffffffffff),        /* max subnormal */
    UINT64_C(0x0008000000000000), UINT64_C(0x0000000100000000),
    UINT64_C(0x0010000000000000), UINT64_C(0x8010000000000000),        /* min normal */
    UINT64_C(0x0010000000000001), UINT64_C(0x001fffffffffffff),
    UINT64_C(0x7fefffffffffffff), UINT64_C(0xffefffffffffffff),        /* max finite */
    UINT64_C(0x7fe0000000000000), UINT64_C(0x7fdfffffffffffff),
    UINT64_C(0x3ff0000000000000), UINT64_C(0xbff0000000000000),        /* +-1 */
    UINT64_C(0x3ff0000000000001), UINT64_C(0x3fefffffffffffff),
    UINT64_C(0x3fe0000000000000), UINT64_C(0x4000000000000000),        /* 0.5, 2 */
    UINT64_C(0x4008000000000000), UINT64_C(0x3ca0000000000000),        /* 3, 2^-53 */
    UINT64_C(0x3cb0000000000000), UINT64_C(0x4340000000000000),        /* 2^-52, 2^53 */
    UINT64_C(0x41dfffffffc00000), UINT64_C(0x41e0000000000000),        /* 2^31-1, 2^31 */
    UINT64_C(0xc1e0000000000000), UINT64_C(0xc1e0000000200000),        /* -2^31, -2^31-1 */
    UINT64_C(0x41efffffffe00000), UINT64_C(0x41f0000000000000),        /* 2^32-1, 2^32 */
    UINT64_C(0x43dfffffffffffff), UINT64_C(0x43e0000000000000),        /* < 2^63, 2^63 */
    UINT64_C(0xc3e0000000000000), UINT64_C(0x43efffffffffffff),
    UINT64_C(0x43f0000000000000), UINT64_C(0xbfefffffffffffff),        /* 2^64, -(1-ulp) */
    UINT64_C(0x3e9ffffffffffffc), UINT64_C(0x47efffffe0000000),        /* float range ends */
    UINT64_C(0x47efffffefffffff), UINT64_C(0x47effffff0000000),
    UINT64_C(0x3810000000000000), UINT64_C(0x380fffffffffffff),        /* float min normal */
    UINT64_C(0x36a0000000000000), UINT64_C(0x3690000000000000),        /* float min subn., half */
    UINT64_C(0x3690000000000001), UINT64_C(0x369fffffffffffff),
    UINT64_C(0x400921fb54442d18), UINT64_C(0x3fb999999999999a),        /* pi, 0.1 */
};
#define N_DEDGES (sizeof d_edges / sizeof d_edges[0])

/* significand with a random number of significant bits (so ties are frequent) */
static uint64_t short_mant(void)
{
    int bits = 1 + rndn(53);
    uint64_t m = rnd() & SF_D_MANT;
    return m & ~((UINT64_C(1) << (53 - bits)) - 1) & SF_D_MANT;
}

static uint64_t mk_d(int sign, int e, uint64_t mant)
{
    if (e < 0) e = 0;
    if (e > 0x7fe) e = 0x7fe;
    return ((uint64_t)sign << 63) | ((uint64_t)e << 52) | (mant & SF_D_MANT);
}

static uint64_t gen_d(void)
{
    int sign = rndn(2);
    switch (rndn(10)) {
    case 0: case 1: return rnd();
    case 2: return d_edges[rndn(N_DEDGES)];
    case 3: return mk_d(sign, 0, rndn(2) ? rnd() : short_mant() >> rndn(52));
    case 4: return mk_d(sign, 1 + rndn(80), rnd());
    case 5: return mk_d(sign, 0x7fe - rndn(80), rndn(2) ? rnd() : short_mant());
    case 6: return mk_d(sign, 1023 - 60 + rndn(120), rnd() | (rndn(2) ? SF_D_MANT : 0));
    default: return mk_d(sign, 1023 - 40 + rndn(80), short_mant());
    }
}

/* an operand whose exponent is e +- small, significand short or random */
static uint64_t gen_d_near(int e, int spread)
{
    int ne = e - spread + rndn(2 * spread + 1);
    return mk_d(rndn(2), ne, rndn(2) ? short_mant() : rnd());
}

static int d_exp(uint64_t x) { return (int)((x >> 52) & 0x7ff); }

static uint32_t f_of_d(uint64_t x);  /* below */

/* ---------- binary64 arithmetic ---------- */

typedef double (*d_op)(double, double);
static double h_add(double a, double b) { return a + b; }
static double h_sub(double a, double b) { return a - b; }
static double h_mul(double a, double b) { return a * b; }
static double h_div(double a, double b) { return a / b; }

static int same_d(uint64_t x, uint64_t y)
{
    if (sf_d_isnan(x) || sf_d_isnan(y)) return sf_d_isnan(x) && sf_d_isnan(y);
    return x == y;
}

static void one_d(const char *name, d_op ours, d_op ref, uint64_t a, uint64_t b)
{
    uint64_t r = sf_d2u(ours(sf_u2d(a), sf_u2d(b)));
    uint64_t h = sf_d2u(ref(sf_u2d(a), sf_u2d(b)));
    if (check(same_d(r, h)))
        printf("FAIL %s(%016" PRIx64 ", %016" PRIx64 ") = %016" PRIx64 ", host %016" PRIx64
               " (%.17g op %.17g = %.17g)\n", name, a, b, r, h, sf_u2d(a), sf_u2d(b), sf_u2d(h));
}

/* kind: 0 add/sub, 1 mul, 2 div */
static void test_d_binop(const char *name, d_op ours, d_op ref, int kind, long n)
{
    begin();
    for (size_t i = 0; i < N_DEDGES; i++)
        for (size_t j = 0; j < N_DEDGES; j++)
            one_d(name, ours, ref, d_edges[i], d_edges[j]);
    for (long i = 0; i < n; i++) one_d(name, ours, ref, rnd(), rnd());
    for (long i = 0; i < n; i++) one_d(name, ours, ref, gen_d(), gen_d());
    for (long i = 0; i < n; i++) {
        uint64_t a = gen_d(), b;
        int ea = d_exp(a);
        switch (kind) {
        case 0:                                   /* alignment / cancellation */
            if (rndn(4) == 0) {                   /* b = -a nudged by a few ulps */
                b = (a ^ SF_D_SIGN) + (uint64_t)(rndn(9) - 4);
                if (rndn(2)) b ^= SF_D_SIGN;
            } else b = gen_d_near(ea, rndn(2) ? 3 : 60);
            break;
        case 1:                                   /* product near underflow / overflow */
            b = gen_d_near(rndn(2) ? 1023 - ea : 2046 - ea, 60);
            break;
        default:                                  /* quotient near underflow / overflow */
            b = gen_d_near(rndn(2) ? ea + 1023 : ea - 1023, 60);
            if (rndn(4) == 0) b = gen_d_near(ea, 2);
            break;
        }
        one_d(name, ours, ref, a, b);
        one_d(name, ours, ref, b, a);
    }
    end(name);
}

/* ---------- binary32 arithmetic ---------- */

typedef float (*f_op)(float, float);
static float hf_add(float a, float b) { return a + b; }
static float hf_sub(float a, float b) { return a - b; }
static float hf_mul(float a, float b) { return a * b; }

static int same_f(uint32_t x, uint32_t y)
{
    if (sf_f_isnan(x) || sf_f_isnan(y)) return sf_f_isnan(x) && sf_f_isnan(y);
    return x == y;
}

static uint32_t f_of_d(uint64_t x)        /* a float with the "shape" of a generated double */
{
    uint32_t sign = (uint32_t)(x >> 32) & SF_F_SIGN;
    int e = d_exp(x);
    uint32_t mant = (uint32_t)((x & SF_D_MANT) >> 29);
    int fe;
    if (e == 0x7ff) fe = 0xff;
    else if (e == 0) fe = 0;
    else fe = (e - 1023 + 127) & 0xff;    /* fold the exponent range */
    if (rndn(8) == 0) fe = rndn(3) == 0 ? 0 : (rndn(2) ? 1 + rndn(30) : 254 - rndn(30));
    return sign | ((uint32_t)fe << 23) | mant;
}

static void one_f(const char *name, f_op ours, f_op ref, uint32_t a, uint32_t b)
{
    uint32_t r = sf_f2u(ours(sf_u2f(a), sf_u2f(b)));
    uint32_t h = sf_f2u(ref(sf_u2f(a), sf_u2f(b)));
    if (check(same_f(r, h)))
        printf("FAIL %s(%08" PRIx32 ", %08" PRIx32 ") = %08" PRIx32 ", host %08" PRIx32 "\n",
               name, a, b, r, h);
}

static void test_f_binop(const char *name, f_op ours, f_op ref, long n)
{
    begin();
    for (long i = 0; i < n; i++) one_f(name, ours, ref, rnd32(), rnd32());
    for (long i = 0; i < n; i++) one_f(name, ours, ref, f_of_d(gen_d()), f_of_d(gen_d()));
    for (long i = 0; i < n; i++) {
        uint32_t a = f_of_d(gen_d()), b = a;
        int ea = (int)((a >> 23) & 0xff), eb;
        if (ref == hf_mul) eb = rndn(2) ? 127 - ea : 254 - ea;
        else eb = ea;
        eb += rndn(2) ? rndn(7) - 3 : rndn(61) - 30;
        if (eb < 0) eb = 0;
        if (eb > 254) eb = 254;
        b = (rnd32() & (SF_F_SIGN | SF_F_MANT)) | ((uint32_t)eb << 23);
        if (rndn(2)) b &= ~((UINT32_C(1) << rndn(23)) - 1);
        if (ref != hf_mul && rndn(4) == 0) b = (a ^ SF_F_SIGN) + (uint32_t)(rndn(9) - 4);
        one_f(name, ours, ref, a, b);
        one_f(name, ours, ref, b, a);
    }
    end(name);
}

/* ---------- conversions ---------- */

static uint64_t rnd_int_bits(void)        /* random width, so that all magnitudes occur */
{
    int w = 1 + rndn(64);
    uint64_t x = rnd();
    if (w < 64) x &= (UINT64_C(1) << w) - 1;
    if (rndn(4) == 0) x &= ~((UINT64_C(1) << rndn(w)) - 1);   /* trailing zeros: exact */
    if (rndn(8) == 0) x |= (UINT64_C(1) << rndn(w)) - 1;      /* trailing ones: ties */
    return x;
}

static const uint64_t int_edges[] = {
    0, 1, 2, 3, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, UINT64_C(0x100000000),
    UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000), UINT64_C(0x8000000000000001),
    UINT64_C(0xffffffffffffffff), UINT64_C(0xfffffffffffffffe), UINT64_C(0x0020000000000000),
    UINT64_C(0x0020000000000001), UINT64_C(0x0020000000000003), UINT64_C(0x001fffffffffffff),
    UINT64_C(0xfffffffffffff800), UINT64_C(0xfffffffffffffc00), UINT64_C(0xfffffc00),
    0x1000001, 0x1000003, 0xffffff80, 0x7fffffc0, 0xffffff7f,
};
#define N_IEDGES (sizeof int_edges / sizeof int_edges[0])

#define CONV_FROM_INT(NAME, T, OURS, RT, BITS, PRI)                                    \
    static void NAME(long n)                                                           \
    {                                                                                  \
        begin();                                                                       \
        for (long i = 0; i < n + (long)N_IEDGES; i++) {                                \
            T x = (T)(i < (long)N_IEDGES ? int_edges[i] : rnd_int_bits());             \
            if (i >= (long)N_IEDGES && rndn(2)) x = (T)(0 - (uint64_t)x);              \
            RT h = (RT)x, r = OURS(x);                                                 \
            if (check(BITS(r) == BITS(h)))                                             \
                printf("FAIL %s(%" PRI ") = %.17g, host %.17g\n", #OURS + 3, x,            \
                       (double)r, (double)h);                                          \
        }                                                                              \
        end(#OURS + 3);                                                                    \
    }
CONV_FROM_INT(t_floatsidf, int32_t, sf_floatsidf, double, sf_d2u, PRId32)
CONV_FROM_INT(t_floatunsidf, uint32_t, sf_floatunsidf, double, sf_d2u, PRIu32)
CONV_FROM_INT(t_floatdidf, int64_t, sf_floatdidf, double, sf_d2u, PRId64)
CONV_FROM_INT(t_floatundidf, uint64_t, sf_floatundidf, double, sf_d2u, PRIu64)
CONV_FROM_INT(t_floatsisf, int32_t, sf_floatsisf, float, sf_f2u, PRId32)
CONV_FROM_INT(t_floatunsisf, uint32_t, sf_floatunsisf, float, sf_f2u, PRIu32)
CONV_FROM_INT(t_floatdisf, int64_t, sf_floatdisf, float, sf_f2u, PRId64)
CONV_FROM_INT(t_floatundisf, uint64_t, sf_floatundisf, float, sf_f2u, PRIu64)

/* double -> integer: the host conversion where defined, else the saturating policy */
static uint64_t gen_d_for_int(void)
{
    if (rndn(4) == 0) return gen_d();
    return mk_d(rndn(2), 1023 - 2 + rndn(68), rnd());
}

#define CONV_TO_INT(NAME, T, OURS, LO, HI, TMIN, TMAX, PRI)                            \
    static void NAME(long n)                                                           \
    {                                                                                  \
        begin();                                                                       \
        for (long i = 0; i < n + (long)N_DEDGES; i++) {                                \
            uint64_t a = i < (long)N_DEDGES ? d_edges[i] : gen_d_for_int();            \
            double d = sf_u2d(a);                                                      \
            T r = OURS(d), expect;                                                     \
            if (d != d) expect = 0;                                                    \
            else if (d <= (LO)) expect = (TMIN);                                       \
            else if (d >= (HI)) expect = (TMAX);                                       \
            else expect = (T)d;                                                        \
            if (check(r == expect))                                                    \
                printf("FAIL %s(%016" PRIx64 " = %.17g) = %" PRI ", expected %" PRI "\n", \
                       #OURS + 3, a, d, r, expect);                                        \
        }                                                                              \
        end(#OURS + 3);                                                                    \
    }
CONV_TO_INT(t_fixdfsi, int32_t, sf_fixdfsi, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX, PRId32)
CONV_TO_INT(t_fixunsdfsi, uint32_t, sf_fixunsdfsi, -1.0, 4294967296.0, 0, UINT32_MAX, PRIu32)
CONV_TO_INT(t_fixdfdi, int64_t, sf_fixdfdi, -9223372036854777856.0, 9223372036854775808.0, INT64_MIN, INT64_MAX, PRId64)
CONV_TO_INT(t_fixunsdfdi, uint64_t, sf_fixunsdfdi, -1.0, 18446744073709551616.0, 0, UINT64_MAX, PRIu64)

static void t_fixunssfsi(long n)
{
    begin();
    for (long i = 0; i < n; i++) {
        uint32_t a = i < 1 << 16 ? (uint32_t)i << 16 : (i & 1) ? rnd32() : f_of_d(gen_d_for_int());
        float f = sf_u2f(a);
        uint32_t r = sf_fixunssfsi(f), expect;
        if (f != f) expect = 0;
        else if (f <= -1.0f) expect = 0;
        else if (f >= 4294967296.0f) expect = UINT32_MAX;
        else expect = (uint32_t)f;
        if (check(r == expect))
            printf("FAIL sf_fixunssfsi(%08" PRIx32 ") = %" PRIu32 ", expected %" PRIu32 "\n",
                   a, r, expect);
    }
    end("fixunssfsi");
}

static void t_extendsfdf2(long n)
{
    begin();
    for (long i = 0; i < n; i++) {
        /* every float with a 16-bit-aligned pattern, then random ones */
        uint32_t a = i < 1 << 16 ? (uint32_t)i << 16 | (uint32_t)(i & 7) : rnd32();
        uint64_t r = sf_d2u(sf_extendsfdf2(sf_u2f(a)));
        uint64_t h = sf_d2u((double)sf_u2f(a));
        if (check(r == h))   /* exact, NaN payloads included */
            printf("FAIL sf_extendsfdf2(%08" PRIx32 ") = %016" PRIx64 ", host %016" PRIx64 "\n",
                   a, r, h);
    }
    end("extendsfdf2");
}

static void t_truncdfsf2(long n)
{
    begin();
    for (long i = 0; i < n + (long)N_DEDGES; i++) {
        uint64_t a;
        if (i < (long)N_DEDGES) a = d_edges[i];
        else if (i & 1) a = gen_d();
        else {                                    /* around the float range, with ties */
            a = mk_d(rndn(2), 1023 - 160 + rndn(300), rnd());
            if (rndn(2)) a &= ~((UINT64_C(1) << (28 + rndn(4))) - 1);
            if (rndn(4) == 0) a |= UINT64_C(1) << (28 + rndn(4));
        }
        uint32_t r = sf_f2u(sf_truncdfsf2(sf_u2d(a)));
        uint32_t h = sf_f2u((float)sf_u2d(a));
        if (check(r == h))
            printf("FAIL sf_truncdfsf2(%016" PRIx64 ") = %08" PRIx32 ", host %08" PRIx32 "\n",
                   a, r, h);
    }
    end("truncdfsf2");
}

/* ---------- integer division and multiplication ---------- */

static void t_int32(long n)
{
    begin();
    for (long i = 0; i < n; i++) {
        uint32_t a, b;
        if (i < (long)(N_IEDGES * N_IEDGES)) {
            a = (uint32_t)int_edges[i / N_IEDGES];
            b = (uint32_t)int_edges[i % N_IEDGES];
        } else {
            a = (uint32_t)rnd_int_bits();
            b = (uint32_t)rnd_int_bits();
            if (rndn(2)) a = -a;
            if (rndn(2)) b = -b;
        }
        if (b == 0) continue;
        int ok = sf_udivsi3(a, b) == a / b && sf_umodsi3(a, b) == a % b;
        int32_t sa = (int32_t)a, sb = (int32_t)b;
        if (sa == INT32_MIN && sb == -1)
            ok = ok && sf_divsi3(sa, sb) == INT32_MIN && sf_modsi3(sa, sb) == 0;
        else
            ok = ok && sf_divsi3(sa, sb) == sa / sb && sf_modsi3(sa, sb) == sa % sb;
        if (check(ok))
            printf("FAIL 32-bit division of %08" PRIx32 " by %08" PRIx32 "\n", a, b);
    }
    end("int32 div/mod");
}

static void t_int64(long n)
{
    begin();
    for (long i = 0; i < n; i++) {
        uint64_t a, b;
        if (i < (long)(N_IEDGES * N_IEDGES)) {
            a = int_edges[i / N_IEDGES];
            b = int_edges[i % N_IEDGES];
        } else {
            a = rnd_int_bits();
            b = rnd_int_bits();
            if (rndn(2)) a = -a;
            if (rndn(2)) b = -b;
        }
        int ok = sf_muldi3(a, b) == a * b &&
                 sf_umulsidi3((uint32_t)a, (uint32_t)b) == (uint64_t)(uint32_t)a * (uint32_t)b;
        if (b != 0) {
            ok = ok && sf_udivdi3(a, b) == a / b && sf_umoddi3(a, b) == a % b;
            int64_t sa = (int64_t)a, sb = (int64_t)b;
            if (sa == INT64_MIN && sb == -1)
                ok = ok && sf_divdi3(sa, sb) == INT64_MIN && sf_moddi3(sa, sb) == 0;
            else
                ok = ok && sf_divdi3(sa, sb) == sa / sb && sf_moddi3(sa, sb) == sa % sb;
        }
        if (check(ok))
            printf("FAIL 64-bit mul/div of %016" PRIx64 " by %016" PRIx64 "\n", a, b);
    }
    end("int64 mul/div/mod");
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 3000000;  /* scale */
    clock_t t0 = clock();
    printf("test_softfloat: routines vs host FPU, %ld random cases per category\n", n);
    test_d_binop("adddf3", sf_adddf3, h_add, 0, n);
    test_d_binop("subdf3", sf_subdf3, h_sub, 0, n);
    test_d_binop("muldf3", sf_muldf3, h_mul, 1, n);
    test_d_binop("divdf3", sf_divdf3, h_div, 2, n);
    test_f_binop("addsf3", sf_addsf3, hf_add, n);
    test_f_binop("subsf3", sf_subsf3, hf_sub, n);
    test_f_binop("mulsf3", sf_mulsf3, hf_mul, n);
    t_floatsidf(n); t_floatunsidf(n); t_floatdidf(n); t_floatundidf(n);
    t_floatsisf(n); t_floatunsisf(n); t_floatdisf(n); t_floatundisf(n);
    t_fixdfsi(n); t_fixunsdfsi(n); t_fixdfdi(n); t_fixunsdfdi(n); t_fixunssfsi(n);
    t_extendsfdf2(n); t_truncdfsf2(n);
    t_int32(2 * n); t_int64(2 * n);
    printf("%ld passed, %ld failed (cases; %.1f s)\n", passed, failed,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    return failed != 0;
}
