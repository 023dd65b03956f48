/* floatfmt.c — exact double <-> text conversions (see floatfmt.h).

   Formatting: the exact decimal expansion of m * 2^e is computed with a big integer in base
   10^4 (m * 2^e, or m * 5^k with the point k digits from the right; 32-bit arithmetic only),
   then rounded in decimal, half to even, as glibc does. Parsing: the decimal significand D (at most DIGMAX digits, plus
   a sticky digit) times 10^E is turned into a 64-bit quotient + sticky bit with binary big
   integers, then rounded once to a double. Uses static work areas: not reentrant. */
#include "floatfmt.h"
#include <stdint.h>
#include <string.h>

typedef union { double d; uint64_t u; } dbits;
#define MANT_MASK ((UINT64_C(1) << 52) - 1)
#define QNAN_BITS UINT64_C(0x7FF8000000000000)
#define INF_BITS UINT64_C(0x7FF0000000000000)
#define DEC_MAX 800        /* digits of the longest exact double (767) and then some */
#define DIGMAX 800         /* significant digits kept when parsing (>= 769 needed) */
#define NLIMB 128          /* binary limbs for parsing: 10^1125 << 63 fits */
#define DLIMB 200          /* base-10^4 limbs for formatting */

typedef struct { int nd; long pt; char d[DEC_MAX]; } dec_t; /* 0.d[0..nd) * 10^pt */

static union {
    struct { uint32_t L[DLIMB]; dec_t D; } f;
    struct { uint32_t A[NLIMB], T[NLIMB]; char digs[DIGMAX + 1]; } p;
} ws;

static double from_bits(uint64_t u) { dbits b; b.u = u; return b.d; }
static uint64_t to_bits(double d) { dbits b; b.d = d; return b.u; }
static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int hex_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* ================================ output ================================ */

typedef struct { char *buf; size_t cap, len; } sink;
static void put(sink *o, char c) { if (o->len + 1 < o->cap) o->buf[o->len] = c; o->len++; }
static void put_n(sink *o, char c, long n) { while (n-- > 0) put(o, c); }
static void put_s(sink *o, const char *s) { while (*s) put(o, *s++); }
static void put_uint(sink *o, unsigned long v)
{
    char t[24]; int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) put(o, t[--n]);
}
static void finish(sink *o) { if (o->cap) o->buf[o->len < o->cap ? o->len : o->cap - 1] = 0; }

/* ======================= exact decimal expansion ======================= */

/* L = L * f (base 10^4, n limbs, f <= 2^17): 32-bit arithmetic only, the target has no
   fast 64-bit division */
static int dmul(uint32_t *L, int n, uint32_t f)
{
    uint32_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint32_t x = L[i] * f + carry;
        carry = x / 10000;
        L[i] = x - carry * 10000;
    }
    for (; carry; carry /= 10000) L[n++] = carry % 10000;
    return n;
}

/* D = exact decimal digits of m * 2^e (m > 0), trailing zeros removed */
static void to_decimal(uint64_t m, int e, dec_t *D)
{
    uint32_t *L = ws.f.L;
    int n = 0, k = 0, nd = 0;
    while (!(m & 1)) { m >>= 1; e++; }
    /* L = m = hi * 2^32 + lo, avoiding 64-bit divisions */
    for (uint32_t hi = (uint32_t)(m >> 32); hi; hi /= 10000) L[n++] = hi % 10000;
    n = dmul(L, n, 1u << 16);
    n = dmul(L, n, 1u << 16);
    for (uint32_t c = (uint32_t)m, i = 0; c; i++) {
        uint32_t x = (i < (uint32_t)n ? L[i] : 0) + c % 10000;
        if (i == (uint32_t)n) n++;
        c = c / 10000 + x / 10000;
        L[i] = x % 10000;
    }
    if (e > 0) {
        for (; e > 0; e -= 16) n = dmul(L, n, UINT32_C(1) << (e < 16 ? e : 16));
    } else {
        static const uint32_t pow5[8] = { 1, 5, 25, 125, 625, 3125, 15625, 78125 };
        k = -e;
        for (int r = k; r > 0; r -= 7) n = dmul(L, n, pow5[r < 7 ? r : 7]);
    }
    for (uint32_t t = L[n - 1]; t; t /= 10) nd++;          /* digits of the top limb */
    for (uint32_t t = L[n - 1], i = nd; i > 0; t /= 10) D->d[--i] = (char)('0' + t % 10);
    for (int i = n - 2; i >= 0; i--, nd += 4)
        for (uint32_t t = L[i], j = 4; j > 0; t /= 10) D->d[nd + --j] = (char)('0' + t % 10);
    D->pt = nd - k;
    while (D->d[nd - 1] == '0') nd--;
    D->nd = nd;
}

/* keep the first `keep` digits, rounding half to even on the exact tail */
static void dec_round(dec_t *D, long keep)
{
    int up;
    if (keep >= D->nd) return;
    if (keep < 0) { D->nd = 0; return; }
    if (D->d[keep] != '5') up = D->d[keep] > '5';
    else up = D->nd > keep + 1 || (keep > 0 && ((D->d[keep - 1] - '0') & 1));
    D->nd = (int)keep;
    if (up) {
        long i = keep - 1;
        while (i >= 0 && D->d[i] == '9') i--;
        if (i < 0) { D->d[0] = '1'; D->nd = 1; D->pt++; }
        else { D->d[i]++; D->nd = (int)i + 1; }
    }
    while (D->nd > 0 && D->d[D->nd - 1] == '0') D->nd--;
}

static char dig(const dec_t *D, long i) { return i >= 0 && i < D->nd ? D->d[i] : '0'; }

/* ============================ conversions ============================ */

typedef struct {
    char conv;          /* e f g a (lower case) */
    int upper, alt;
    long prec;
    uint64_t hm;        /* %a: significand with the leading digit at bit 52 */
    int hexp;           /* %a: binary exponent */
    int gcarry;         /* %#g: rounding carried from %f style into %e style */
} body_t;

static void body_f(sink *o, const dec_t *D, long prec, int alt)
{
    if (D->pt <= 0) put(o, '0');
    else for (long i = 0; i < D->pt; i++) put(o, dig(D, i));
    if (prec > 0 || alt) put(o, '.');
    for (long i = 0; i < prec; i++) put(o, dig(D, D->pt + i));
}

static void put_exp(sink *o, char mark, long x, int mindigits)
{
    put(o, mark);
    put(o, x < 0 ? '-' : '+');
    if (x < 0) x = -x;
    if (mindigits == 2 && x < 10) put(o, '0');
    put_uint(o, (unsigned long)x);
}

static void body_e(sink *o, const dec_t *D, long prec, int alt, int upper)
{
    put(o, dig(D, 0));
    if (prec > 0 || alt) put(o, '.');
    for (long i = 1; i <= prec; i++) put(o, dig(D, i));
    put_exp(o, upper ? 'E' : 'e', D->nd ? D->pt - 1 : 0, 2);
}

/* hexadecimal significand and exponent, rounding half to even to prec digits if 0<=prec<13 */
static void body_hex(sink *o, uint64_t m, int ex, long prec, int alt, int upper)
{
    const char *hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    long nd = prec;
    if (prec >= 0 && prec < 13) {
        uint64_t unit = UINT64_C(1) << (52 - 4 * prec), half = unit >> 1, frac = m & (unit - 1);
        m -= frac;
        if (frac > half || (frac == half && (m & unit))) m += unit;
    }
    if (prec < 0) for (nd = 13; nd > 0 && !((m >> (52 - 4 * nd)) & 15); nd--) {}
    put(o, hx[m >> 52]);
    if (nd > 0 || alt) put(o, '.');
    for (long i = 0; i < nd; i++) put(o, i < 13 ? hx[(m >> (48 - 4 * i)) & 15] : '0');
    put_exp(o, upper ? 'P' : 'p', ex, 1);
}

static void body(sink *o, const body_t *b)
{
    dec_t *D = &ws.f.D;
    switch (b->conv) {
    case 'f': body_f(o, D, b->prec, b->alt); break;
    case 'e': body_e(o, D, b->prec, b->alt, b->upper); break;
    case 'a': body_hex(o, b->hm, b->hexp, b->prec, b->alt, b->upper); break;
    case 'g': {
        long P = b->prec ? b->prec : 1, x = D->nd ? D->pt - 1 : 0;
        if (x < P && x >= -4) {
            long fp = P - 1 - x;
            if (!b->alt) fp = D->nd - D->pt > 0 ? D->nd - D->pt : 0;
            body_f(o, D, fp, b->alt);
        } else {
            /* glibc prints no fraction digits when %#g switches to %e style by carrying */
            long ep = b->alt ? (b->gcarry ? 0 : P - 1) : (D->nd > 1 ? D->nd - 1 : 0);
            body_e(o, D, ep, b->alt, b->upper);
        }
        break;
    }
    }
}

static void split(double d, uint64_t *m, int *e) /* finite d: |d| = m * 2^e */
{
    uint64_t u = to_bits(d);
    int be = (int)((u >> 52) & 0x7FF);
    *m = u & MANT_MASK;
    if (be) { *m |= UINT64_C(1) << 52; *e = be - 1075; } else *e = -1074;
}

/* emits [sign][prefix][body] padded to width */
static void emit(sink *o, char sign, const char *prefix, const body_t *b, const char *special,
                 long width, int left, int zero)
{
    sink dry = { NULL, 0, 0 };
    long len;
    if (special) put_s(&dry, special); else body(&dry, b);
    len = (long)dry.len + (sign != 0) + (long)strlen(prefix);
    if (!left && !zero) put_n(o, ' ', width - len);
    if (sign) put(o, sign);
    put_s(o, prefix);
    if (!left && zero) put_n(o, '0', width - len);
    if (special) put_s(o, special); else body(o, b);
    if (left) put_n(o, ' ', width - len);
}

static void format_one(sink *o, double d, char conv, const char *flags, long width, long prec)
{
    uint64_t u = to_bits(d), m;
    int e;
    int upper = conv >= 'A' && conv <= 'Z', left = strchr(flags, '-') != NULL;
    int zero = !left && strchr(flags, '0') != NULL;
    char sign = (u >> 63) ? '-' : strchr(flags, '+') ? '+' : strchr(flags, ' ') ? ' ' : 0;
    body_t b = { (char)(upper ? conv + 32 : conv), upper, strchr(flags, '#') != NULL, prec,
                 0, 0, 0 };
    dec_t *D = &ws.f.D;
    if (((u >> 52) & 0x7FF) == 0x7FF) {
        const char *s = (u & MANT_MASK) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        emit(o, sign, "", &b, s, width, left, 0);
        return;
    }
    split(d, &m, &e);
    if (b.conv == 'a') {
        b.hm = m;
        b.hexp = m ? (m >> 52 ? e + 52 : -1022) : 0;
        emit(o, sign, upper ? "0X" : "0x", &b, NULL, width, left, zero);
        return;
    }
    if (b.prec < 0) b.prec = 6;
    if (m) to_decimal(m, e, D); else { D->nd = 0; D->pt = 0; }
    if (b.conv == 'f') dec_round(D, D->pt + b.prec);
    else if (b.conv == 'e') dec_round(D, b.prec + 1);
    else {
        long P = b.prec ? b.prec : 1, x0 = D->pt - 1;
        dec_round(D, P);
        b.gcarry = D->nd && x0 == P - 1 && D->pt - 1 == P;
    }
    emit(o, sign, "", &b, NULL, width, left, zero);
}

int oe_format_double(char *buf, size_t n, const char *fmt, double d)
{
    sink o = { buf, n, 0 };
    const char *p = fmt;
    while (*p) {
        const char *start = p;
        char flags[8];
        int nf = 0;
        long width = 0, prec = -1;
        if (*p != '%') { put(&o, *p++); continue; }
        if (p[1] == '%') { put(&o, '%'); p += 2; continue; }
        for (p++; *p && strchr("-+ #0", *p); p++) if (nf < 7) flags[nf++] = *p;
        flags[nf] = 0;
        for (; is_digit(*p); p++) if (width < 100000000) width = width * 10 + (*p - '0');
        if (*p == '.')
            for (p++, prec = 0; is_digit(*p); p++)
                if (prec < 100000000) prec = prec * 10 + (*p - '0');
        while (*p == 'l' || *p == 'L') p++;
        if (*p && strchr("eEfFgGaA", *p)) format_one(&o, d, *p++, flags, width, prec);
        else { while (start < p) put(&o, *start++); }
    }
    finish(&o);
    return (int)o.len;
}

int oe_hexstring_double(char *buf, size_t n, double d, long prec, int style)
{
    sink o = { buf, n, 0 };
    uint64_t u = to_bits(d), m;
    int e;
    if (u >> 63) put(&o, '-');
    else if (style == '+' || style == ' ') put(&o, (char)style);
    if (((u >> 52) & 0x7FF) == 0x7FF) put_s(&o, (u & MANT_MASK) ? "nan" : "infinity");
    else {
        split(d, &m, &e);
        put_s(&o, "0x");
        body_hex(&o, m, m ? (m >> 52 ? e + 52 : -1022) : 0, prec, 0, 0);
    }
    finish(&o);
    return (int)o.len;
}

/* ================================ parsing ================================ */

/* round q * 2^e2 (+ something below if sticky) to the nearest double, ties to even */
static double make_double(uint64_t q, long long e2, int sticky)
{
    uint64_t M, rest, half;
    long long sh;
    int lz;
    if (!q) return 0.0;
    lz = __builtin_clzll(q);
    q <<= lz;
    e2 -= lz;
    if (e2 + 63 > 1023) return from_bits(INF_BITS);
    sh = -(e2 + 1074);                   /* bits below the last subnormal bit */
    if (sh < 11) sh = 11;
    if (sh > 64) return 0.0;
    if (sh == 64) { M = 0; rest = q; half = UINT64_C(1) << 63; }
    else { M = q >> sh; rest = q & ((UINT64_C(1) << sh) - 1); half = UINT64_C(1) << (sh - 1); }
    if (rest > half || (rest == half && (sticky || (M & 1)))) M++;
    if (sh > 11) return from_bits(M);    /* subnormal (or rounded up to the least normal) */
    M += (uint64_t)(e2 + 63 + 1022) << 52;
    return from_bits((M >> 52) >= 0x7FF ? INF_BITS : M);
}

/* ---- binary big integers (little-endian 32-bit limbs, n = limbs in use) ---- */
static int bn_muladd(uint32_t *a, int n, uint32_t f, uint32_t add)
{
    uint64_t c = add;
    for (int i = 0; i < n; i++) { c += (uint64_t)a[i] * f; a[i] = (uint32_t)c; c >>= 32; }
    if (c) a[n++] = (uint32_t)c;
    return n;
}
static int bn_shl(uint32_t *a, int n, long s)
{
    int w = (int)(s / 32), b = (int)(s % 32);
    if (!n) return 0;
    a[n + w] = 0;
    for (int i = n - 1; i >= 0; i--) {
        a[i + w + 1] |= b ? a[i] >> (32 - b) : 0;
        a[i + w] = a[i] << b;
    }
    for (int i = 0; i < w; i++) a[i] = 0;
    n += w + 1;
    while (n && !a[n - 1]) n--;
    return n;
}
static long bn_bits(const uint32_t *a, int n) { return n ? 32L * n - __builtin_clz(a[n - 1]) : 0; }
static int bn_cmp(const uint32_t *a, int na, const uint32_t *b, int nb)
{
    if (na != nb) return na < nb ? -1 : 1;
    for (int i = na - 1; i >= 0; i--) if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}
static int bn_sub(uint32_t *a, int na, const uint32_t *b, int nb) /* a -= b, a >= b */
{
    int64_t c = 0;
    for (int i = 0; i < na; i++) {
        c += (int64_t)a[i] - (i < nb ? b[i] : 0);
        a[i] = (uint32_t)c;
        c = c < 0 ? -1 : 0;
    }
    while (na && !a[na - 1]) na--;
    return na;
}
static int bn_shr1(uint32_t *a, int n)
{
    for (int i = 0; i < n; i++) a[i] = (a[i] >> 1) | (i + 1 < n ? a[i + 1] << 31 : 0);
    return n && !a[n - 1] ? n - 1 : n;
}
static int bn_pow10(uint32_t *a, int n, long k)
{
    for (; k >= 9; k -= 9) n = bn_muladd(a, n, 1000000000u, 0);
    for (; k > 0; k--) n = bn_muladd(a, n, 10, 0);
    return n;
}

/* the top 64 bits of a (na > 0): a = result * 2^*sh + (something nonzero if *sticky) */
static uint64_t bn_top64(const uint32_t *a, int na, long *sh, int *sticky)
{
    long bits = bn_bits(a, na), s = bits > 64 ? bits - 64 : 0;
    uint64_t q = 0;
    *sticky = 0;
    for (long i = 0; i < s / 32; i++) *sticky |= a[i] != 0;
    if (s % 32) *sticky |= (a[s / 32] & ((UINT32_C(1) << (s % 32)) - 1)) != 0;
    for (long i = bits - 1; i >= s; i--) q = (q << 1) | ((a[i / 32] >> (i % 32)) & 1);
    *sh = s;
    return q;
}

/* 0.digs[0..nd) * 10^P, digs without leading zeros, nd >= 1 */
static double dec_to_double(const char *digs, int nd, long long P)
{
    static const double p10[23] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
        1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    uint32_t *A = ws.p.A, *T = ws.p.T;
    int na = 0, nt;
    long long E;
    while (nd > 1 && digs[nd - 1] == '0') nd--;
    if (P > 309) return from_bits(INF_BITS);
    if (P < -323) return 0.0;
    E = P - nd;
    if (nd <= 15 && E >= -22 && E <= 22) {        /* exact operands, one rounding */
        uint64_t D = 0;
        for (int i = 0; i < nd; i++) D = D * 10 + (uint64_t)(digs[i] - '0');
        return E >= 0 ? (double)D * p10[E] : (double)D / p10[-E];
    }
    for (int i = 0; i < nd; ) {
        uint32_t chunk = 0, f = 1;
        for (int j = 0; j < 9 && i < nd; j++, i++) {
            chunk = chunk * 10 + (uint32_t)(digs[i] - '0');
            f *= 10;
        }
        na = bn_muladd(A, na, f, chunk);
    }
    if (E >= 0) {                                  /* integer: take the top 64 bits */
        long sh;
        int sticky;
        uint64_t q;
        na = bn_pow10(A, na, (long)E);
        q = bn_top64(A, na, &sh, &sticky);
        return make_double(q, sh, sticky);
    } else {                                       /* q = floor(D * 2^s / 10^-E) */
        long s;
        uint64_t q = 0;
        T[0] = 1; nt = 1;
        nt = bn_pow10(T, nt, (long)-E);
        s = bn_bits(T, nt) + 63 - bn_bits(A, na);
        if (s > 0) na = bn_shl(A, na, s);
        nt = bn_shl(T, nt, 63 + (s < 0 ? -s : 0));
        for (int i = 63; i >= 0; i--) {
            if (bn_cmp(A, na, T, nt) >= 0) { na = bn_sub(A, na, T, nt); q |= UINT64_C(1) << i; }
            nt = bn_shr1(T, nt);
        }
        return make_double(q, -s, na != 0);
    }
}

static int match_ci(const char *p, const char *end, const char *w)
{
    for (; *w; w++, p++) if (p >= end || (*p | 0x20) != *w) return 0;
    return 1;
}

/* strtoull(s, &endp, 0) consumed all of [a, b)? */
static int ull_base0(const char *a, const char *b, uint64_t *v)
{
    int base = 10, ovf = 0;
    uint64_t r = 0;
    if (a == b) { *v = 0; return 1; }
    if (*a == '0') {
        if (b - a > 2 && (a[1] | 0x20) == 'x' && hex_val(a[2]) >= 0) { base = 16; a += 2; }
        else base = 8;
    }
    for (; a < b; a++) {
        int d = hex_val(*a);
        if (d < 0 || d >= base) return 0;
        if (r > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) ovf = 1;
        r = r * (uint64_t)base + (uint64_t)d;
    }
    *v = ovf ? UINT64_MAX : r;
    return 1;
}

/* exponent at *pp: a mark (e or p), then [+-]?digits; *pp is moved past it and the value
   returned only if it is well-formed (else 0, like strtod which stops before the mark) */
static long long parse_exp(const char **pp, const char *end)
{
    const char *p = *pp + 1;
    long long e = 0;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (p >= end || !is_digit(*p)) return 0;
    for (; p < end && is_digit(*p); p++) if (e < 1000000000) e = e * 10 + (*p - '0');
    *pp = p;
    return neg ? -e : e;
}

/* glibc strtod, all of [p, end) must be consumed */
static int c_strtod(const char *p, const char *end, double *out)
{
    double r;
    int neg = 0;
    while (p < end && is_space(*p)) p++;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (match_ci(p, end, "inf")) {
        p += match_ci(p, end, "infinity") ? 8 : 3;
        r = from_bits(INF_BITS);
    } else if (match_ci(p, end, "nan")) {
        uint64_t bits = QNAN_BITS, mant;
        p += 3;
        if (p < end && *p == '(') {
            const char *q = p + 1;
            while (q < end && (is_digit(*q) || ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')
                               || *q == '_'))
                q++;
            if (q < end && *q == ')') {
                if (ull_base0(p + 1, q, &mant)) bits |= mant & (MANT_MASK >> 1);
                p = q + 1;
            }
        }
        r = from_bits(bits);
    } else if (end - p > 2 && p[0] == '0' && (p[1] | 0x20) == 'x'
               && (hex_val(p[2]) >= 0 || (p[2] == '.' && end - p > 3 && hex_val(p[3]) >= 0))) {
        uint64_t q = 0;
        long long e2 = 0;
        int sticky = 0, nsig = 0, frac = 0;
        for (p += 2; p < end; p++) {
            int d = hex_val(*p);
            if (*p == '.' && !frac) { frac = 1; continue; }
            if (d < 0) break;
            if (d == 0 && nsig == 0) { if (frac) e2 -= 4; continue; }
            if (nsig < 16) { q = (q << 4) | (uint64_t)d; nsig++; if (frac) e2 -= 4; }
            else { sticky |= d != 0; if (!frac) e2 += 4; }
        }
        if (p < end && (*p | 0x20) == 'p') e2 += parse_exp(&p, end);
        r = make_double(q, e2, sticky);
    } else {
        char *digs = ws.p.digs;
        int nd = 0, sticky = 0, any = 0, frac = 0;
        long long P = 0;
        for (; p < end; p++) {
            if (*p == '.' && !frac) { frac = 1; continue; }
            if (!is_digit(*p)) break;
            any = 1;
            if (nd == 0 && *p == '0') { if (frac) P--; continue; }
            if (!frac) P++;
            if (nd < DIGMAX) digs[nd++] = *p; else sticky |= *p != '0';
        }
        if (!any) return -1;
        if (p < end && (*p | 0x20) == 'e') P += parse_exp(&p, end);
        if (sticky) digs[nd++] = '1';
        r = nd ? dec_to_double(digs, nd, P) : 0.0;
    }
    if (p != end) return -1;
    *out = neg ? from_bits(to_bits(r) ^ (UINT64_C(1) << 63)) : r;
    return 0;
}

/* OCaml's own parser for "0x..." (the text after "0x"): the significand is read into 60 bits
   (rounded to odd), converted to double, then scaled by ldexp: two roundings, as ocamlrun. */
static int ocaml_hex(const char *s, const char *end, double *out)
{
    uint64_t m = 0;
    long long n_bits = 0, x_bits = 0, dec_point = -1, exp = 0, adj;
    int m_bits = 0;
    uint64_t u;
    while (s < end) {
        char c = *s++;
        if (c == '.') {
            if (dec_point >= 0) return -1;
            dec_point = n_bits;
        } else if (c == 'p' || c == 'P') {           /* strtol(s, &p, 10) must reach end */
            const char *q = s;
            int neg = 0;
            long long e = 0;
            if (s == end) return -1;
            while (q < end && is_space(*q)) q++;
            if (q < end && (*q == '+' || *q == '-')) neg = *q++ == '-';
            if (q == end || !is_digit(*q)) return -1;
            for (; q < end && is_digit(*q); q++) if (e < 100000000000LL) e = e * 10 + (*q - '0');
            if (q != end) return -1;
            if (neg) e = -e;
            if (e <= INT32_MIN) { *out = 0.0; return 0; }
            if (e >= INT32_MAX) { *out = m == 0 ? 0.0 : from_bits(INF_BITS); return 0; }
            exp = e;
            s = end;
        } else {
            int d = hex_val(c);
            if (d < 0) return -1;
            n_bits += 4;
            if (d == 0 && m == 0) continue;
            if (m_bits < 60) { m = (m << 4) + (uint64_t)d; m_bits += 4; }
            else { if (d) m |= 1; x_bits += 4; }
        }
    }
    if (n_bits == 0) return -1;
    adj = x_bits + (dec_point >= 0 ? dec_point - n_bits : 0);
    exp += adj;                          /* the int saturation of ocamlrun changes nothing */
    if (exp > 100000) exp = 100000;
    if (exp < -100000) exp = -100000;
    u = to_bits(make_double(m, 0, 0));   /* (double) m */
    if (m && exp) {
        uint64_t fm = (u & MANT_MASK) | (UINT64_C(1) << 52);
        u = to_bits(make_double(fm, (long long)((u >> 52) & 0x7FF) - 1075 + exp, 0));
    }
    *out = from_bits(u);
    return 0;
}

int oe_parse_double(const char *s, size_t len, double *out)
{
    const char *end = s + len, *p = s;
    int neg = 0;
    if (len == 0) return -1;
    if (*p == '-') { neg = 1; p++; } else if (*p == '+') p++;
    if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        double d;
        if (ocaml_hex(p + 2, end, &d) < 0) return -1;
        *out = neg ? from_bits(to_bits(d) ^ (UINT64_C(1) << 63)) : d;
        return 0;
    }
    return c_strtod(s, end, out);
}

/* ============================ fused multiply-add ============================ */

static int bn_add(uint32_t *a, int na, const uint32_t *b, int nb) /* a += b */
{
    uint64_t c = 0;
    int i;
    for (i = 0; i < nb || (i < na && c); i++) {
        c += (uint64_t)(i < na ? a[i] : 0) + (i < nb ? b[i] : 0);
        a[i] = (uint32_t)c;
        c >>= 32;
    }
    if (i > na) na = i;
    if (c) a[na++] = (uint32_t)c;
    return na;
}

static int bn_set64(uint32_t *a, uint64_t v)
{
    int n = 0;
    while (v) { a[n++] = (uint32_t)v; v >>= 32; }
    return n;
}

double oe_fma(double x, double y, double z)
{
    uint64_t ux = to_bits(x), uy = to_bits(y), uz = to_bits(z), mx, my, mz, q;
    uint32_t *A = ws.p.A, *B = ws.p.T;
    int ex, ey, ez, e0, na, nb, sp, sz, neg, sticky;
    long sh;
    if (((ux >> 52) & 0x7FF) == 0x7FF || ((uy >> 52) & 0x7FF) == 0x7FF) return x * y + z;
    if (((uz >> 52) & 0x7FF) == 0x7FF) return z + z;   /* finite x*y must not overflow */
    if (x == 0 || y == 0)
        return x * y + z;                 /* IEEE gives the right special/zero results */
    if (z == 0) return x * y;             /* exact x*y is not zero: its rounding is the answer */
    split(x, &mx, &ex); split(y, &my, &ey); split(z, &mz, &ez);
    sp = (int)((ux ^ uy) >> 63);
    sz = (int)(uz >> 63);
    e0 = ex + ey < ez ? ex + ey : ez;
    /* A = mx*my << (ex+ey-e0), B = mz << (ez-e0) */
    na = bn_set64(A, mx);
    na = bn_muladd(A, na, (uint32_t)my, 0);
    {   /* add the high part of my: A = mx*lo(my) + (mx*hi(my) << 32) */
        uint32_t *t = B;
        int nt = bn_set64(t, mx);
        nt = bn_muladd(t, nt, (uint32_t)(my >> 32), 0);
        nt = bn_shl(t, nt, 32);
        na = bn_add(A, na, t, nt);
    }
    na = bn_shl(A, na, ex + ey - e0);
    nb = bn_shl(B, bn_set64(B, mz), ez - e0);
    if (sp == sz) { na = bn_add(A, na, B, nb); neg = sp; }
    else {
        int c = bn_cmp(A, na, B, nb);
        if (c == 0) return 0.0;           /* exact cancellation: +0 when rounding to nearest */
        if (c > 0) { na = bn_sub(A, na, B, nb); neg = sp; }
        else { na = bn_sub(B, nb, A, na); memcpy(A, B, sizeof(uint32_t) * (size_t)na); neg = sz; }
    }
    q = bn_top64(A, na, &sh, &sticky);
    ux = to_bits(make_double(q, e0 + sh, sticky));
    return from_bits(neg ? ux | (UINT64_C(1) << 63) : ux);
}
