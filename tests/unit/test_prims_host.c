/* test_prims_host.c — host unit test of the heap-independent helpers of the primitives
   (runtime/prims_util.c): int_of_string-style parsing with 32-bit semantics, printf-style
   integer formatting (checked against the host's printf), MD5 test vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "../../runtime/prims_util.c"

static int passed, failed;

static void check(int ok, const char *what)
{
    if (ok) passed++;
    else { failed++; printf("FAIL: %s\n", what); }
}

/* ---- parsing ---- */

struct parse_case { const char *s; int width, nbits; int ok; uint64_t expect; };

static void test_parse(void)
{
    static const struct parse_case cases[] = {
        /* int (31 bits, 32-bit accumulator): results as uint32 */
        { "0", 32, 31, 1, 0 },
        { "123", 32, 31, 1, 123 },
        { "-123", 32, 31, 1, (uint32_t)-123 },
        { "+7", 32, 31, 1, 7 },
        { "1_000_000", 32, 31, 1, 1000000 },
        { "1073741823", 32, 31, 1, 1073741823 },
        { "1073741824", 32, 31, 0, 0 },
        { "-1073741824", 32, 31, 1, (uint32_t)-1073741824 },
        { "-1073741825", 32, 31, 0, 0 },
        { "0x3FFFFFFF", 32, 31, 1, 0x3FFFFFFF },
        { "0x7FFFFFFF", 32, 31, 1, 0x7FFFFFFF },   /* becomes -1 once tagged */
        { "0x80000000", 32, 31, 0, 0 },
        { "0u2147483647", 32, 31, 1, 2147483647 },
        { "-0x1", 32, 31, 1, 0xFFFFFFFF },
        { "0b101", 32, 31, 1, 5 },
        { "0o777", 32, 31, 1, 511 },
        { "0O17", 32, 31, 1, 15 },
        { "0Xff", 32, 31, 1, 255 },
        { "0x", 32, 31, 0, 0 },
        { "", 32, 31, 0, 0 },
        { "-", 32, 31, 0, 0 },
        { "_1", 32, 31, 0, 0 },
        { "1_", 32, 31, 1, 1 },
        { "0x_1", 32, 31, 0, 0 },
        { "12a", 32, 31, 0, 0 },
        { "0b2", 32, 31, 0, 0 },
        { " 1", 32, 31, 0, 0 },
        { "99999999999", 32, 31, 0, 0 },
        /* int32 / nativeint */
        { "2147483647", 32, 32, 1, 2147483647 },
        { "2147483648", 32, 32, 0, 0 },
        { "-2147483648", 32, 32, 1, 0x80000000 },
        { "0xFFFFFFFF", 32, 32, 1, 0xFFFFFFFF },
        { "0x100000000", 32, 32, 0, 0 },
        { "4294967295", 32, 32, 0, 0 },
        { "0u4294967295", 32, 32, 1, 0xFFFFFFFF },
        /* int64 */
        { "9223372036854775807", 64, 64, 1, 0x7FFFFFFFFFFFFFFFull },
        { "9223372036854775808", 64, 64, 0, 0 },
        { "-9223372036854775808", 64, 64, 1, 0x8000000000000000ull },
        { "0xFFFFFFFFFFFFFFFF", 64, 64, 1, 0xFFFFFFFFFFFFFFFFull },
        { "0x1_0000_0000_0000_0000", 64, 64, 0, 0 },
        { "-0x8000000000000000", 64, 64, 1, 0x8000000000000000ull },
        { "18446744073709551615", 64, 64, 0, 0 },
        { "0u18446744073709551615", 64, 64, 1, 0xFFFFFFFFFFFFFFFFull },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct parse_case *c = &cases[i];
        uint64_t r = 12345;
        int ok = oe_parse_integer(c->s, strlen(c->s), c->width, c->nbits, &r);
        char what[96];
        snprintf(what, sizeof what, "parse \"%s\" (%d/%d)", c->s, c->width, c->nbits);
        check(ok == c->ok && (!ok || r == c->expect), what);
    }
    /* embedded NUL: rejected */
    uint64_t r;
    check(!oe_parse_integer("12\0", 3, 32, 31, &r), "parse with NUL");
}

/* ---- formatting, against the host printf ---- */

static void format_one(const char *fmt, int64_t sv, int is64, int *nfail)
{
    struct oe_int_format f;
    oe_parse_int_format(fmt, strlen(fmt), &f);
    int uns = strchr("uxXo", f.conv) != NULL;
    /* build the host format with the right length modifier */
    char hfmt[40];
    size_t l = strlen(fmt);
    memcpy(hfmt, fmt, l - 1);
    strcpy(hfmt + l - 1, is64 ? "ll" : "");
    hfmt[strlen(hfmt) + 1] = 0;
    hfmt[strlen(hfmt)] = f.conv;
    char expect[200], got[200];
    if (is64) {
        if (uns) snprintf(expect, sizeof expect, hfmt, (unsigned long long)sv);
        else snprintf(expect, sizeof expect, hfmt, (long long)sv);
    } else {
        if (uns) snprintf(expect, sizeof expect, hfmt, (unsigned)(int32_t)sv);
        else snprintf(expect, sizeof expect, hfmt, (int)(int32_t)sv);
    }
    uint64_t mag;
    int neg = 0;
    if (uns) mag = is64 ? (uint64_t)sv : (uint32_t)sv;
    else {
        int64_t v = is64 ? sv : (int32_t)sv;
        neg = v < 0;
        mag = neg ? 0 - (uint64_t)v : (uint64_t)v;
    }
    size_t n = oe_format_integer(NULL, &f, neg, mag);
    size_t n2 = oe_format_integer(got, &f, neg, mag);
    got[n2] = 0;
    if (n != n2 || strcmp(got, expect) != 0) {
        if (++*nfail <= 10) printf("format %s (%s) of %" PRId64 ": got '%s' expected '%s'\n",
                                   fmt, hfmt, sv, got, expect);
    }
}

static void test_format(void)
{
    static const char *flags[] = { "", "-", "+", " ", "#", "0", "-0", "+0", "#0", "- ",
                                   "-#", "+ ", "0#" };
    static const char *widths[] = { "", "1", "5", "12", "25" };
    static const char *precs[] = { "", ".", ".0", ".1", ".3", ".15", ".30" };
    static const char convs[] = "diuxXo";
    static const int64_t vals[] = { 0, 1, -1, 7, -7, 8, 255, 1000, -1000, 123456789,
        INT32_MAX, INT32_MIN, 1073741823, -1073741824, INT64_MAX, INT64_MIN,
        0x123456789abcdefLL, -0x123456789abcdefLL };
    int nfail = 0, total = 0;
    for (size_t a = 0; a < sizeof flags / sizeof *flags; a++)
        for (size_t b = 0; b < sizeof widths / sizeof *widths; b++)
            for (size_t c = 0; c < sizeof precs / sizeof *precs; c++)
                for (size_t d = 0; d < 6; d++) {
                    char fmt[32];
                    snprintf(fmt, sizeof fmt, "%%%s%s%s%c", flags[a], widths[b], precs[c],
                             convs[d]);
                    for (size_t e = 0; e < sizeof vals / sizeof *vals; e++)
                        for (int is64 = 0; is64 < 2; is64++) {
                            format_one(fmt, vals[e], is64, &nfail);
                            total++;
                        }
                }
    check(nfail == 0, "format against host printf");
    printf("format: %d cases, %d mismatches\n", total, nfail);
    /* OCaml length annotations are accepted */
    struct oe_int_format f;
    check(oe_parse_int_format("%Ld", 3, &f) && f.conv == 'd', "parse %Ld");
    check(oe_parse_int_format("%#lx", 4, &f) && f.conv == 'x' && f.alt, "parse %#lx");
    check(oe_parse_int_format("%nu", 3, &f) && f.conv == 'u', "parse %nu");
}

/* ---- MD5 ---- */

static void md5_hex(const void *data, size_t len, size_t chunk, char out[33])
{
    struct oe_md5 ctx;
    unsigned char d[16];
    oe_md5_init(&ctx);
    const unsigned char *p = data;
    while (len > 0) {
        size_t n = len < chunk ? len : chunk;
        oe_md5_update(&ctx, p, n);
        p += n; len -= n;
    }
    oe_md5_final(&ctx, d);
    for (int i = 0; i < 16; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_md5(void)
{
    static const char *vec[][2] = {
        { "", "d41d8cd98f00b204e9800998ecf8427e" },
        { "a", "0cc175b9c0f1b6a831c399e269772661" },
        { "abc", "900150983cd24fb0d6963f7d28e17f72" },
        { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
        { "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
        { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
          "d174ab98d277d9f5a5611c2c9f419d9f" },
        { "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
          "57edf4a22be3c955ac49da2e2107b67a" },
    };
    static const size_t chunks[] = { 1, 3, 63, 64, 65, 1000 };
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++)
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            char hex[33];
            md5_hex(vec[i][0], strlen(vec[i][0]), chunks[c], hex);
            char what[120];
            snprintf(what, sizeof what, "md5 \"%.20s\" chunk %zu: %s", vec[i][0], chunks[c], hex);
            check(strcmp(hex, vec[i][1]) == 0, what);
        }
    /* a million 'a' (boundary-crossing length) */
    char *big = malloc(1000000);
    memset(big, 'a', 1000000);
    char hex[33];
    md5_hex(big, 1000000, 4097, hex);
    check(strcmp(hex, "7707d6ae4e027c70eea2a935c2296f21") == 0, "md5 million a");
    free(big);
}

int main(void)
{
    test_parse();
    test_format();
    test_md5();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
