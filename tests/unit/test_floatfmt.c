/* test_floatfmt.c — runtime/floatfmt.c against glibc's printf/strtod (and, for OCaml's own
   hex parser, against (double)m + ldexp). */
#include "../../runtime/floatfmt.c"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <float.h>

static long passed, failed, scale = 1;  /* OE_TEST_SCALE=n runs n times more cases */
static uint64_t rs = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
static double bits2d(uint64_t u) { dbits b; b.u = u; return b.d; }
static uint64_t d2bits(double d) { dbits b; b.d = d; return b.u; }

static void fail_msg(const char *what, const char *in, const char *got, const char *exp)
{
    if (failed++ < 30) printf("FAIL %s [%s]: got \"%s\" expected \"%s\"\n", what, in, got, exp);
}

static char got[20000], exp_[20000];

static void check_fmt(const char *fmt, double d)
{
    int n1 = oe_format_double(got, sizeof got, fmt, d);
    int n2 = snprintf(exp_, sizeof exp_, fmt, d);
    if (n1 == n2 && !strcmp(got, exp_)) { passed++; return; }
    char in[64]; snprintf(in, sizeof in, "%s of %a", fmt, d);
    fail_msg("format", in, got, exp_);
}

static const char *fmts[] = {
    "%.17g", "%.12g", "%g", "%e", "%f", "%.0f", "%.3f", "%a", "%.3a", "%.0a", "%.1a", "%.12a",
    "%.13a", "%.15a", "%+.5e", "% .10g", "%#.3g", "%#.0f", "%#.0e", "%10.3f", "%-12.4e|",
    "%012.3f", "%.0e", "%.20e", "%.30f", "%G", "%E", "%A", "%.40g", "%.1g", "%.16g", "%.15g",
    "%#g", "%#.17g", "%+F", "%.2f", "%.1f", "%.10f", "%.5g", "%-+8.2g", "%08.3e", "%#a",
    "%020a", "x=%.6g%%", "%.100e", "%.0g", "%.2e", "%.18g", "%#.0a", "%+ 9.2f", "%.60f",
};
#define NFMTS (sizeof fmts / sizeof fmts[0])

static double random_double(void)
{
    uint64_t r = rnd();
    switch (r % 8) {
    case 0: return bits2d(rnd());                                   /* any bits */
    case 1: return bits2d(rnd() & UINT64_C(0x800FFFFFFFFFFFFF));    /* subnormal */
    case 2: return (double)(int64_t)(rnd() % 2000001 - 1000000) / 8; /* halfway-ish */
    case 3: return (double)(rnd() % 100000) / pow(10, (double)(rnd() % 8)); /* nice decimals */
    case 4: return ldexp((double)(rnd() >> 11), (int)(rnd() % 200) - 100);
    case 5: return (double)(int64_t)rnd() / (double)(rnd() | 1);
    case 6: return ldexp(1.0 + (double)(rnd() % 16) / 16, (int)(rnd() % 2100) - 1080);
    default: return (double)(int64_t)(rnd() >> (r % 60 + 1)) * ((r >> 8) & 1 ? 1 : -1);
    }
}

static void test_format(void)
{
    static const double specials[] = { 0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125, 0.375,
        1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 123456789012345678.0, 9.5, 0.05, 0.15, 0.25, 0.35,
        5e-324, 2.2250738585072014e-308, 2.2250738585072009e-308, 1.7976931348623157e308,
        0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 999999.5, 9999995.0, 0.000099999, 0.0001, 99.995,
        9.9999999999999995e-5, 1e-5, 123456.0, 1234567.0, 0.9999999, 9.9999999e22 };
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
        for (size_t f = 0; f < NFMTS; f++) check_fmt(fmts[f], specials[i]);
    double sp2[] = { INFINITY, -INFINITY, NAN, -NAN, bits2d(0x7FF0000000000001u) };
    for (size_t i = 0; i < 5; i++) for (size_t f = 0; f < NFMTS; f++) check_fmt(fmts[f], sp2[i]);
    for (int i = 0; i < 150000 * scale; i++) {
        double d = random_double();
        check_fmt(fmts[rnd() % NFMTS], d);
        check_fmt("%.17g", d);
        if (i % 4 == 0) check_fmt("%.12g", d);
    }
    /* halfway cases in %.Nf and %.Ne: k/2^j */
    for (int i = 0; i < 20000; i++) {
        double d = ldexp((double)(rnd() % 100000), -(int)(rnd() % 12));
        char f[16]; snprintf(f, sizeof f, "%%.%df", (int)(rnd() % 12));
        check_fmt(f, d);
        snprintf(f, sizeof f, "%%.%de", (int)(rnd() % 12));
        check_fmt(f, d);
        snprintf(f, sizeof f, "%%.%dg", (int)(rnd() % 12));
        check_fmt(f, d);
    }
    /* exhaustive precisions on a few values */
    for (int p = 0; p < 800; p += 7) {
        char f[16];
        double vs[] = { 5e-324, 1.7976931348623157e308, 0.1, 1.0 / 3, 2.5e-310 };
        for (int j = 0; j < 5; j++) {
            snprintf(f, sizeof f, "%%.%de", p); check_fmt(f, vs[j]);
            snprintf(f, sizeof f, "%%.%df", p); check_fmt(f, vs[j]);
            snprintf(f, sizeof f, "%%.%dg", p); check_fmt(f, vs[j]);
        }
    }
    /* truncation and return value like snprintf */
    {
        char small[8], big[64];
        int n = oe_format_double(small, sizeof small, "%.10f", 3.25);
        snprintf(big, sizeof big, "%.10f", 3.25);
        if (n == (int)strlen(big) && !strncmp(small, big, 7) && small[7] == 0) passed++;
        else fail_msg("truncate", "%.10f", small, big);
    }
}

/* ---------------- OCaml %h ---------------- */
static void check_hex(double d, long prec, int style)
{
    char f[32];
    oe_hexstring_double(got, sizeof got, d, prec, style);
    if (isnan(d) || isinf(d)) {
        snprintf(exp_, sizeof exp_, "%s%s", signbit(d) ? "-" : style == '+' ? "+" : style == ' ' ? " " : "",
                 isnan(d) ? "nan" : "infinity");
    } else {
        if (prec < 0) snprintf(f, sizeof f, "%%%sa", style == '+' ? "+" : style == ' ' ? " " : "");
        else snprintf(f, sizeof f, "%%%s.%lda", style == '+' ? "+" : style == ' ' ? " " : "", prec);
        snprintf(exp_, sizeof exp_, f, d);
    }
    if (!strcmp(got, exp_)) { passed++; return; }
    char in[64]; snprintf(in, sizeof in, "%%h prec %ld of %a", prec, d);
    fail_msg("hexstring", in, got, exp_);
}

static void test_hexstring(void)
{
    double sp[] = { 0.0, -0.0, 1.0, 1.5, 0x1.fffffffffffffp0, 0x1.8p-1070, 5e-324, INFINITY, -INFINITY, NAN,
                    0x1.08p0, 0x1.18p0, 0x1.fffp1023 };
    for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++)
        for (long p = -1; p < 16; p++) { check_hex(sp[i], p, '-'); check_hex(sp[i], p, '+'); check_hex(sp[i], p, ' '); }
    for (int i = 0; i < 50000; i++) check_hex(random_double(), (long)(rnd() % 18) - 1, "-+ "[rnd() % 3]);
}

/* ---------------- parsing ---------------- */
static void check_strtod(const char *s)
{
    /* strings that ocaml's parser does not intercept: compare with glibc strtod */
    char *end;
    double e = strtod(s, &end), d = 0;
    int ok_exp = *s && *end == 0, r = oe_parse_double(s, strlen(s), &d);
    const char *t = s;
    if (*t == '-' || *t == '+') t++;
    if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) { printf("test bug: %s\n", s); exit(2); }
    if ((r == 0) == ok_exp && (!ok_exp || d2bits(d) == d2bits(e))) { passed++; return; }
    snprintf(got, sizeof got, "%s %a", r ? "ERR" : "ok", d);
    snprintf(exp_, sizeof exp_, "%s %a", ok_exp ? "ok" : "ERR", e);
    fail_msg("parse", s, got, exp_);
}

/* reference for ocaml's hex parser on short significands: (double)m then ldexp */
static void check_ocaml_hex(const char *s, int valid, uint64_t m, int exp)
{
    double d = 0, e = ldexp((double)m, exp);
    int r = oe_parse_double(s, strlen(s), &d);
    if (s[0] == '-') e = -e;
    if ((r == 0) == valid && (!valid || d2bits(d) == d2bits(e))) { passed++; return; }
    snprintf(got, sizeof got, "%s %a", r ? "ERR" : "ok", d);
    snprintf(exp_, sizeof exp_, "%s %a", valid ? "ok" : "ERR", e);
    fail_msg("ocaml hex", s, got, exp_);
}

static void check_validity(const char *s, int valid)
{
    double d;
    int r = oe_parse_double(s, strlen(s), &d);
    if ((r == 0) == valid) { passed++; return; }
    fail_msg("validity", s, r ? "ERR" : "ok", valid ? "ok" : "ERR");
}

static void test_parse(void)
{
    static const char *fixed[] = {
        "0", "-0", "+0", "1", "1.", ".5", "-.5", ".", "", "e5", "1e", "1e+", "1e-", "1e5", "1E5",
        "1e+5", "1e-5", " 1", "\t\n1.5", "1 ", "1x", "inf", "-inf", "+inf", "INF", "Infinity",
        "infinity", "infinit", "infinityx", "nan", "NaN", "-nan", "nan(", "nan()", "nan(123)",
        "nan(0x1f)", "nan(abc)", "nan(0x)", "nan(08)", "nan(077)", "nan(99999999999999999999999)",
        "nan)", " 0x1p3", " 0x1.8", " 0x", " 0x.", " 0x.8p-3", " -0x1p-1074", " 0x1p-1075",
        " 0x1.00000000000008p0", " 0x1.000000000000080000000001p0", " 0x1p", " 0x1p+", " 0xg",
        "1e400", "-1e400", "1e-400", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "4.9406564584124654e-324", "2.2250738585072011e-308", "2.2250738585072012e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.797693134862315807e308",
        "1.7976931348623159e308", "179769313486231580793728971405301e276",
        "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000000000001",
        "0.1", "0.3", "123456789012345678901234567890", "1e23", "8.5e-323", "--1", "+-1", "1..2",
        "1.2.3", "1e1.5", "0001.25000", "000.000e99999999999", "1e-99999999999999999999",
        "1e99999999999999999999", "0.000000000000000000000000000000000000001e39", "\v\f\r1",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) check_strtod(fixed[i]);
    char s[4000];
    for (int i = 0; i < 200000 * scale; i++) {
        double d = random_double();
        if (isnan(d)) continue;
        static const char *pf[] = { "%.17g", "%.16g", "%.15g", "%.20e", "%.30e", "%.6g", "%.25g",
                                    "%.0e", "%a", "%.3a", "%.760e" };
        const char *f = pf[rnd() % (sizeof pf / sizeof pf[0])];
        if (strchr(f, 'a')) { s[0] = ' '; snprintf(s + 1, sizeof s - 1, f, d); }
        else snprintf(s, sizeof s, f, d);
        check_strtod(s);
        /* exact midpoint between d and its successor, sometimes nudged */
        if (isfinite(d) && fabs(d) < DBL_MAX && i % 3 == 0) {
            uint64_t u = d2bits(fabs(d));
            uint64_t m; int e;
            split(fabs(d), &m, &e);
            to_decimal(2 * m + 1, e - 1, &ws.f.D);
            dec_t *D = &ws.f.D;
            int n = 0;
            s[n++] = '0'; s[n++] = '.';
            memcpy(s + n, D->d, (size_t)D->nd); n += D->nd;
            int nudge = (int)(rnd() % 3);
            if (nudge == 1) { s[n++] = '0'; s[n++] = '0'; s[n++] = '1'; }
            if (nudge == 2) { int k = n - 1; while (s[k] == '0') s[k--] = '9'; s[k]--; s[n++] = '9'; }
            n += snprintf(s + n, sizeof s - (size_t)n, "e%ld", D->pt);
            check_strtod(s);
            (void)u;
        }
    }
    /* random digit strings */
    for (int i = 0; i < 100000 * scale; i++) {
        int n = 0, nd = 1 + (int)(rnd() % (i % 10 == 0 ? 900 : 25));
        if (rnd() % 2) s[n++] = '-';
        int point = (int)(rnd() % (nd + 1));
        for (int j = 0; j < nd; j++) {
            if (j == point) s[n++] = '.';
            s[n++] = (char)('0' + (j == 0 && rnd() % 4 ? 1 + rnd() % 9 : rnd() % 10));
        }
        n += snprintf(s + n, sizeof s - (size_t)n, "e%d", (int)(rnd() % 700) - 350);
        check_strtod(s);
    }
    /* long significands near representable values */
    for (int i = 0; i < 2000; i++) {
        double d = random_double();
        if (!isfinite(d)) continue;
        snprintf(s, sizeof s, "%.1000e", d);
        check_strtod(s);
    }
    /* ocaml's own hex parser */
    static const struct { const char *s; int valid; uint64_t m; int exp; } hx[] = {
        { "0x1p3", 1, 1, 3 }, { "-0x1p3", 1, 1, 3 }, { "0x1.8", 1, 0x18, -4 }, { "0x.8", 1, 8, -4 },
        { "0x", 0, 0, 0 }, { "0x.", 0, 0, 0 }, { "0xp3", 0, 0, 0 }, { "0x1p", 0, 0, 0 },
        { "0x1p+", 0, 0, 0 }, { "0x1p 3", 1, 1, 3 }, { "0x1p-3", 1, 1, -3 }, { "0x1.p1", 1, 1, 1 },
        { "0x1..0", 0, 0, 0 }, { "0x1p3p", 0, 0, 0 }, { "0x1g", 0, 0, 0 }, { "0X1P3", 1, 1, 3 },
        { "0x1p99999999999", 1, 1, 5000 }, { "0x0p99999999999", 1, 0, 0 },
        { "0xp99999999999", 1, 0, 0 }, { "0x1p-99999999999", 1, 0, 0 }, { "0x1p-1075", 1, 1, -1075 },
        { "0x3p-1076", 1, 3, -1076 }, { "0x1.8p-1074", 1, 0x18, -1078 }, { "+0x10", 1, 16, 0 },
        { "0x1 ", 0, 0, 0 }, { " 0x1", 1, 1, 0 }, { "0x1p+2147483647", 1, 1, 5000 },
        { "0x1p2147483646", 1, 1, 5000 }, { "0x1p-2147483648", 1, 0, 0 },
    };
    for (size_t i = 0; i < sizeof hx / sizeof hx[0]; i++)
        check_ocaml_hex(hx[i].s, hx[i].valid, hx[i].m, hx[i].exp);
    for (int i = 0; i < 100000 * scale; i++) {
        uint64_t m = rnd() >> (4 + rnd() % 60);
        int nd = 0, point = (int)(rnd() % 16), e = (int)(rnd() % 2400) - 1200;
        char hexd[32];
        snprintf(hexd, sizeof hexd, "%015llx", (unsigned long long)m);
        nd = (int)strlen(hexd);
        int n = snprintf(s, sizeof s, "%s0x", rnd() % 2 ? "-" : "");
        for (int j = 0; j < nd; j++) { if (j == point) s[n++] = '.'; s[n++] = hexd[j]; }
        n += snprintf(s + n, sizeof s - (size_t)n, "p%d", e);
        int sc = point < nd ? -4 * (nd - point) : 0;
        check_ocaml_hex(s, 1, m, e + sc);
    }
    /* long ocaml hex significands in the normal range: equal to correct rounding (strtod) */
    for (int i = 0; i < 50000; i++) {
        int n = 0, nd = 16 + (int)(rnd() % 20);
        s[n++] = '0'; s[n++] = 'x';
        for (int j = 0; j < nd; j++) s[n++] = "0123456789abcdef"[j == 0 ? 1 + rnd() % 15 : (rnd() % 4 ? rnd() % 16 : (uint64_t)(j % 2) * 15)];
        if (rnd() % 2) s[n - 1] = '0';
        n += snprintf(s + n, sizeof s - (size_t)n, "p%d", (int)(rnd() % 1000) - 500);
        double d, e = strtod(s, NULL);
        if (oe_parse_double(s, (size_t)n, &d) == 0 && d2bits(d) == d2bits(e)) passed++;
        else { snprintf(got, sizeof got, "%a", d); snprintf(exp_, sizeof exp_, "%a", e); fail_msg("long hex", s, got, exp_); }
    }
    check_validity("1_000", 0);      /* underscores are removed by the caller */
    {
        double d;
        int r = oe_parse_double("0x1\0", 4, &d);
        if (r != 0) passed++; else fail_msg("validity", "0x1\\0", "ok", "ERR");
    }
    {
        double d;
        int r = oe_parse_double("1\0", 2, &d);
        if (r != 0) passed++; else fail_msg("validity", "1\\0", "ok", "ERR");
    }
}

/* ---------------- fma ---------------- */
static void check_fma(double x, double y, double z)
{
    double r = oe_fma(x, y, z), e = fma(x, y, z);
    if (d2bits(r) == d2bits(e) || (isnan(r) && isnan(e))) { passed++; return; }
    char in[128]; snprintf(in, sizeof in, "fma(%a, %a, %a)", x, y, z);
    snprintf(got, sizeof got, "%a", r); snprintf(exp_, sizeof exp_, "%a", e);
    fail_msg("fma", in, got, exp_);
}

static void test_fma(void)
{
    double sp[] = { 0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 5e-324, -5e-324, DBL_MAX, -DBL_MAX,
                    DBL_MIN, 0x1p-600, 0x1p600, 3.0, 0x1.0000000000001p0 };
    int n = sizeof sp / sizeof sp[0];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) check_fma(sp[i], sp[j], sp[k]);
    for (int i = 0; i < 200000 * scale; i++) {
        double x = random_double(), y = random_double(), z;
        switch (rnd() % 4) {
        case 0: z = random_double(); break;
        case 1: z = -(x * y); break;                                   /* cancellation */
        case 2: z = -(x * y) * (1 + ldexp((double)(rnd() % 8), -52)); break;
        default: z = ldexp(random_double(), (int)(rnd() % 100) - 50) ; break;
        }
        if (rnd() % 4 == 0) { x = ldexp(1.0 + (double)(rnd() >> 12) * 0x1p-52, (int)(rnd() % 80) - 40);
                              y = ldexp(1.0 + (double)(rnd() >> 12) * 0x1p-52, (int)(rnd() % 80) - 40); z = -(x * y); }
        check_fma(x, y, z);
    }
}

int main(void)
{
    if (getenv("OE_TEST_SCALE")) scale = atol(getenv("OE_TEST_SCALE"));
    test_format();
    test_hexstring();
    test_parse();
    test_fma();
    printf("%ld passed, %ld failed\n", passed, failed);
    return failed != 0;
}
