/* prims_util.c — heap-independent helpers of the primitives; see prims_util.h. */
#include <string.h>
#include "prims_util.h"

/* ---------------- integer parsing ---------------- */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int oe_parse_integer(const char *s, size_t len, int width, int nbits, uint64_t *out)
{
    const char *p = s, *end = s + len;
    int negative = 0, base = 10, is_signed = 1;
    if (p < end && (*p == '-' || *p == '+')) negative = (*p++ == '-');
    if (end - p >= 2 && p[0] == '0') {
        switch (p[1]) {
        case 'x': case 'X': base = 16; is_signed = 0; p += 2; break;
        case 'o': case 'O': base = 8; is_signed = 0; p += 2; break;
        case 'b': case 'B': base = 2; is_signed = 0; p += 2; break;
        case 'u': case 'U': is_signed = 0; p += 2; break;
        }
    }
    /* The accumulator has the width of the C type: overflowing it is an error even for
       the unsigned forms (as in OCaml, where it is a uintnat or a uint64_t). */
    uint64_t max = width == 64 ? UINT64_MAX : UINT32_MAX;
    if (p >= end) return 0;
    int d = digit_value(*p);
    if (d < 0 || d >= base) return 0;
    uint64_t res = (uint64_t)d;
    for (p++; p < end; p++) {
        if (*p == '_') continue;
        d = digit_value(*p);
        if (d < 0 || d >= base) return 0;
        if (res > (max - (uint64_t)d) / (uint64_t)base) return 0;
        res = res * (uint64_t)base + (uint64_t)d;
    }
    uint64_t half = (uint64_t)1 << (nbits - 1);
    if (is_signed) {
        if (negative ? res > half : res >= half) return 0;
    } else if (nbits < width && res >= half * 2) {
        return 0;
    }
    if (negative) res = (0 - res) & max;
    *out = res;
    return 1;
}

/* ---------------- integer formatting (C printf semantics) ---------------- */

/* Bounds large widths/precisions: the result must fit in an OCaml string anyway. */
#define FORMAT_LIMIT (1L << 24)

static long read_number(const char **pp, const char *end)
{
    long n = 0;
    while (*pp < end && **pp >= '0' && **pp <= '9') {
        if (n < FORMAT_LIMIT) n = n * 10 + (**pp - '0');
        (*pp)++;
    }
    return n;
}

int oe_parse_int_format(const char *fmt, size_t len, struct oe_int_format *f)
{
    const char *p = fmt, *end = fmt + len;
    memset(f, 0, sizeof *f);
    f->prec = -1;
    f->conv = len > 0 ? fmt[len - 1] : 'd';
    if (p >= end || *p++ != '%') return 0;
    for (; p < end; p++) {
        if (*p == '-') f->minus = 1;
        else if (*p == '+') f->plus = 1;
        else if (*p == ' ') f->space = 1;
        else if (*p == '#') f->alt = 1;
        else if (*p == '0') f->zero = 1;
        else break;
    }
    f->width = read_number(&p, end);
    if (p < end && *p == '.') {
        p++;
        f->prec = read_number(&p, end);
    }
    /* OCaml's length annotations: %ld %nd %Ld (the runtime substitutes its own) */
    if (p < end && (*p == 'l' || *p == 'n' || *p == 'L')) p++;
    return p == end - 1;
}

size_t oe_format_integer(char *out, const struct oe_int_format *f, int negative,
                         uint64_t magnitude)
{
    char digits[24];   /* 2^64 needs at most 22 octal digits */
    int base = 10, ndigits = 0;
    const char *alphabet = "0123456789abcdef";
    int is_signed = 0, nonzero = magnitude != 0;
    switch (f->conv) {
    case 'x': base = 16; break;
    case 'X': base = 16; alphabet = "0123456789ABCDEF"; break;
    case 'o': base = 8; break;
    case 'u': break;
    default: is_signed = 1; break;
    }
    /* digits, least significant first; precision 0 and value 0 give no digit */
    if (magnitude != 0 || f->prec != 0) {
        do {
            digits[ndigits++] = alphabet[magnitude % (unsigned)base];
            magnitude /= (unsigned)base;
        } while (magnitude != 0);
    }
    long zeros = f->prec > ndigits ? f->prec - ndigits : 0;
    /* '#' with o: the output starts with a 0 */
    if (f->alt && base == 8 && zeros == 0 && (ndigits == 0 || digits[ndigits - 1] != '0'))
        zeros = 1;
    const char *prefix = "";
    if (is_signed) prefix = negative ? "-" : f->plus ? "+" : f->space ? " " : "";
    else if (f->alt && base == 16 && nonzero)
        prefix = f->conv == 'X' ? "0X" : "0x";
    size_t plen = strlen(prefix);
    long body = (long)plen + zeros + ndigits;
    long pad = f->width > body ? f->width - body : 0;
    long lead_spaces = 0, trail_spaces = 0;
    if (f->minus) trail_spaces = pad;
    else if (f->zero && f->prec < 0) zeros += pad;
    else lead_spaces = pad;
    size_t total = (size_t)(body + pad);
    if (out != NULL) {
        char *q = out;
        memset(q, ' ', lead_spaces); q += lead_spaces;
        memcpy(q, prefix, plen); q += plen;
        memset(q, '0', zeros); q += zeros;
        while (ndigits > 0) *q++ = digits[--ndigits];
        memset(q, ' ', trail_spaces);
    }
    return total;
}

/* ---------------- MD5 (RFC 1321) ---------------- */

/* K[i] = floor(2^32 * |sin(i + 1)|) */
static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391,
};
/* rotation amounts: four per round */
static const unsigned char md5_r[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23,
                                         6, 10, 15, 21 };

static void md5_block(uint32_t st[4], const unsigned char *blk)
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 |
               (uint32_t)blk[4 * i + 2] << 16 | (uint32_t)blk[4 * i + 3] << 24;
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        switch (i >> 4) {
        case 0: f = (b & c) | (~b & d); g = i; break;
        case 1: f = (d & b) | (~d & c); g = (5 * i + 1) & 15; break;
        case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15; break;
        default: f = c ^ (b | ~d); g = (7 * i) & 15; break;
        }
        f += a + md5_k[i] + m[g];
        unsigned r = md5_r[(i >> 4) * 4 + (i & 3)];
        a = d; d = c; c = b;
        b += (f << r) | (f >> (32 - r));
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d;
}

void oe_md5_init(struct oe_md5 *ctx)
{
    ctx->state[0] = 0x67452301;
    ctx->state[1] = 0xefcdab89;
    ctx->state[2] = 0x98badcfe;
    ctx->state[3] = 0x10325476;
    ctx->length = 0;
}

void oe_md5_update(struct oe_md5 *ctx, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t used = (size_t)(ctx->length & 63);
    ctx->length += len;
    if (used > 0) {
        size_t n = 64 - used < len ? 64 - used : len;
        memcpy(ctx->block + used, p, n);
        p += n; len -= n; used += n;
        if (used < 64) return;
        md5_block(ctx->state, ctx->block);
    }
    for (; len >= 64; p += 64, len -= 64) md5_block(ctx->state, p);
    memcpy(ctx->block, p, len);
}

void oe_md5_final(struct oe_md5 *ctx, unsigned char digest[16])
{
    uint64_t bits = ctx->length * 8;
    unsigned char pad[72] = { 0x80 };
    size_t used = (size_t)(ctx->length & 63);
    size_t padlen = (used < 56 ? 56 : 120) - used;
    for (int i = 0; i < 8; i++) pad[padlen + i] = (unsigned char)(bits >> (8 * i));
    oe_md5_update(ctx, pad, padlen + 8);
    for (int i = 0; i < 16; i++) digest[i] = (unsigned char)(ctx->state[i / 4] >> (8 * (i % 4)));
}
