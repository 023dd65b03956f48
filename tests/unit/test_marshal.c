/* test_marshal.c — the DATA decoder (compiler/marshal.c) against the host OCaml.

   An OCaml script (run with the host `ocaml` toplevel in a temporary directory) writes values
   with output_value (caseN.bin) together with a canonical dump of each value (caseN.txt). The
   dump numbers blocks in depth-first pre-order and prints "@k" for a block already seen, so it
   captures sharing and cycles. The C side decodes the .bin and prints the same dump from the
   decoded graph. Hand-built streams cover codes output_value does not produce on this host
   (big header, BLOCK64, big-endian doubles, CUSTOM_LEN...). Corrupt and truncated inputs are
   decoded in forked children that must exit with status 1 and a one-line message. */
#include "marshal.h"
#include "diag.h"
#include "testlib.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


static char tmpdir[256];

/* ---- canonical dump (must match dump in the OCaml script) ---- */

typedef struct sbuf { char *p; size_t n, cap; } sbuf;

static void sb_printf(sbuf *s, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(s->p + s->n, s->cap - s->n, fmt, ap);
        va_end(ap);
        if ((size_t)k < s->cap - s->n) { s->n += (size_t)k; return; }
        s->cap = s->cap * 2 + (size_t)k + 64;
        s->p = realloc(s->p, s->cap);
    }
}

static uint32_t fnv(const unsigned char *b, size_t n)
{
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x01000193u;
    return h;
}

static int64_t le_int(const unsigned char *b, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
    if (n == 4) return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static int64_t *visit;   /* by block id: -1 or dump number */
static int64_t nvisit;

static void dump(sbuf *s, ml_value v)
{
    if (v.is_int) { sb_printf(s, "i%lld", (long long)v.i); return; }
    ml_block *b = v.b;
    if (b->kind == ML_BLOCK && b->size == 0) { sb_printf(s, "a%u", b->tag); return; }
    if (visit[b->id] >= 0) { sb_printf(s, "@%lld", (long long)visit[b->id]); return; }
    visit[b->id] = nvisit;
    sb_printf(s, "#%lld", (long long)nvisit++);
    switch (b->kind) {
    case ML_STRING:
        sb_printf(s, "s%u:%08x", b->size, fnv(b->bytes, b->size));
        break;
    case ML_DOUBLE:
        sb_printf(s, "d%016llx", (unsigned long long)dbits(b->doubles[0]));
        break;
    case ML_DOUBLE_ARRAY:
        sb_printf(s, "D%u[", b->size);
        for (uint32_t i = 0; i < b->size; i++)
            sb_printf(s, "%016llx,", (unsigned long long)dbits(b->doubles[i]));
        sb_printf(s, "]");
        break;
    case ML_CUSTOM:
        if (!strcmp(b->custom_id, "_i") && b->size == 4)
            sb_printf(s, "ci32:%lld", (long long)le_int(b->bytes, 4));
        else if (!strcmp(b->custom_id, "_j") && b->size == 8)
            sb_printf(s, "ci64:%lld", (long long)le_int(b->bytes, 8));
        else if (!strcmp(b->custom_id, "_n") && b->size == 8)
            sb_printf(s, "cn:%lld", (long long)le_int(b->bytes, 8));
        else
            sb_printf(s, "c?%s/%u", b->custom_id, b->size);
        break;
    case ML_BLOCK:
        sb_printf(s, "B%u,%u(", b->tag, b->size);
        for (uint32_t i = 0; i < b->size; i++) {
            if (i) sb_printf(s, ",");
            dump(s, b->fields[i]);
        }
        sb_printf(s, ")");
        break;
    }
}

static char *dump_value(ml_value v, ml_heap *h)
{
    visit = malloc((h->nblocks + 1) * sizeof *visit);
    for (uint32_t i = 0; i < h->nblocks; i++) visit[i] = -1;
    nvisit = 0;
    sbuf s = { malloc(256), 0, 256 };
    s.p[0] = 0;
    dump(&s, v);
    free(visit);
    return s.p;
}

static int heap_ids_dense(const ml_heap *h)
{
    for (uint32_t i = 0; i < h->nblocks; i++)
        if (h->blocks[i]->id != i) return 0;
    return 1;
}

/* ---- the OCaml side ---- */

static const char *gen_ml =
"module H = Hashtbl.Make (struct type t = Obj.t let equal = ( == ) let hash = Hashtbl.hash end)\n"
"let customs : (Obj.t * string) list ref = ref []\n"
"let reg s x = customs := (Obj.repr x, s) :: !customs; x\n"
"let i32 x = reg (\"ci32:\" ^ Int32.to_string x) x\n"
"let i64 x = reg (\"ci64:\" ^ Int64.to_string x) x\n"
"let nat x = reg (\"cn:\" ^ Nativeint.to_string x) x\n"
"let fnv s = let h = ref 0x811c9dc5 in\n"
"  String.iter (fun c -> h := ((!h lxor Char.code c) * 0x01000193) land 0xffffffff) s; !h\n"
"let dump v =\n"
"  let b = Buffer.create 4096 and seen = H.create 97 and n = ref 0 in\n"
"  let rec go v =\n"
"    if Obj.is_int v then Printf.bprintf b \"i%d\" (Obj.obj v : int)\n"
"    else if Obj.size v = 0 then Printf.bprintf b \"a%d\" (Obj.tag v)\n"
"    else match H.find_opt seen v with\n"
"    | Some k -> Printf.bprintf b \"@%d\" k\n"
"    | None ->\n"
"      let k = !n in incr n; H.add seen v k; Printf.bprintf b \"#%d\" k;\n"
"      let t = Obj.tag v in\n"
"      if t = Obj.string_tag then begin\n"
"        let s : string = Obj.obj v in Printf.bprintf b \"s%d:%08x\" (String.length s) (fnv s) end\n"
"      else if t = Obj.double_tag then\n"
"        Printf.bprintf b \"d%016Lx\" (Int64.bits_of_float (Obj.obj v : float))\n"
"      else if t = Obj.double_array_tag then begin\n"
"        let a : float array = Obj.obj v in\n"
"        Printf.bprintf b \"D%d[\" (Array.length a);\n"
"        Array.iter (fun f -> Printf.bprintf b \"%016Lx,\" (Int64.bits_of_float f)) a;\n"
"        Buffer.add_char b ']' end\n"
"      else if t = Obj.custom_tag then Buffer.add_string b (List.assq v !customs)\n"
"      else begin\n"
"        Printf.bprintf b \"B%d,%d(\" t (Obj.size v);\n"
"        for i = 0 to Obj.size v - 1 do\n"
"          if i > 0 then Buffer.add_char b ','; go (Obj.field v i) done;\n"
"        Buffer.add_char b ')' end\n"
"  in go v; Buffer.contents b\n"
"let write name v =\n"
"  let oc = open_out_bin (name ^ \".bin\") in output_value oc v; close_out oc\n"
"let case i v =\n"
"  let name = Printf.sprintf \"case%d\" i in write name v;\n"
"  let oc = open_out_bin (name ^ \".txt\") in output_string oc (dump (Obj.repr v)); close_out oc\n"
"type r = { mutable next : r option; id : int }\n"
"type many = C0 of int | C1 of int | C2 of int | C3 of int | C4 of int | C5 of int\n"
"  | C6 of int | C7 of int | C8 of int | C9 of int | C10 of int | C11 of int | C12 of int\n"
"  | C13 of int | C14 of int | C15 of int | C16 of int | C17 of int * int\n"
"type pt = { x : float; y : float }\n"
"let str n = String.init n (fun i -> Char.chr ((i * 7 + n) land 255))\n"
"let () =\n"
"  case 0 (Obj.repr 0);\n"
"  case 1 (Obj.repr 42);\n"
"  case 2 (Obj.repr [0; 63; 64; -1; 127; 128; -128; -129; 255; 256; 32767; 32768; -32768;\n"
"                    -32769; 65536; 0x3fffffff; 0x40000000; -0x40000000; -0x40000001;\n"
"                    0x7fffffff; 0x80000000; -0x80000000; -0x80000001; 1 lsl 40;\n"
"                    max_int; min_int]);\n"
"  case 3 (Obj.repr (Array.init 301 str));\n"
"  case 4 (Obj.repr (str 70000));\n"
"  case 5 (Obj.repr [0.; -0.; 1.5; nan; infinity; neg_infinity; 1e-310; max_float; -3.25]);\n"
"  case 6 (Obj.repr ([||] : float array), [|1.|], Array.init 255 float_of_int,\n"
"                   Array.init 256 (fun i -> float_of_int i /. 3.), Array.init 1000 (fun i -> sqrt (float_of_int i)),\n"
"                   { x = 1.; y = 2. });\n"
"  let s = \"shared\" in let t = (s, s) in\n"
"  case 7 (Obj.repr [t; t; Obj.magic (t, s)]);\n"
"  let rec l = 1 :: 2 :: 3 :: l in\n"
"  let a = { next = None; id = 1 } in let b = { next = Some a; id = 2 } in a.next <- Some b;\n"
"  case 8 (Obj.repr (l, a, b, [a; b]));\n"
"  case 9 (Obj.repr (i32 0l, i32 (-5l), i32 Int32.max_int, i32 Int32.min_int,\n"
"    [i64 0L; i64 (-1L); i64 Int64.max_int; i64 Int64.min_int; i64 0x123456789abcdef0L],\n"
"    [nat 5n; nat (-7n); nat Nativeint.max_int; nat Nativeint.min_int; nat 0x7fffffffn;\n"
"     nat (-0x80000000n); nat 0x80000000n]));\n"
"  case 10 (Obj.repr (List.init 10000 (fun i -> i * 3 - 5000)));\n"
"  let shared_blk = Some 1 in\n"
"  let big = Array.init 70001 (fun i -> (i, i)) in big.(70000) <- big.(0);\n"
"  let mid = Array.init 300 (fun i -> [i]) in mid.(299) <- mid.(0);\n"
"  case 11 (Obj.repr (Not_found, Failure \"x\", (Sys.opaque_identity [||] : int array), None,\n"
"    Some (Some [()]), C16 3, C17 (4, 5), (1,2,3,4,5,6,7,8,9), Array.make 300 shared_blk,\n"
"    mid, big, `Poly (1, \"p\"), `A, [|`B 1; `C|],\n"
"    ref 3, \"\", 'c', true, Array.make 10 \"x\"));\n"
"  write \"biglist\" (List.init 1_000_000 (fun i -> i));\n"
"  let rec deep n acc = if n = 0 then acc else deep (n - 1) (Obj.repr (acc, n)) in\n"
"  write \"deep\" (deep 300000 (Obj.repr 0));\n"
"  print_string \"ok\"\n";

#define NCASES 12

static ml_value decode_file(const char *name, ml_heap **h, size_t *lenp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    size_t len;
    unsigned char *b = slurp(path, &len);
    if (!b) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
    ml_value v = ml_unmarshal(b, len, name, h);
    free(b);
    if (lenp) *lenp = len;
    return v;
}

static void test_cases(void)
{
    for (int i = 0; i < NCASES; i++) {
        char bin[64], txt[600];
        snprintf(bin, sizeof bin, "case%d.bin", i);
        snprintf(txt, sizeof txt, "%s/case%d.txt", tmpdir, i);
        size_t tlen;
        char *want = (char *)slurp(txt, &tlen);
        if (!want) { check(0, "case %d: no expected dump", i); continue; }
        ml_heap *h;
        ml_value v = decode_file(bin, &h, NULL);
        char *got = dump_value(v, h);
        if (strcmp(got, want)) {
            size_t k = 0;
            while (got[k] && got[k] == want[k]) k++;
            size_t from = k > 40 ? k - 40 : 0;
            check(0, "case %d: dump differs at char %zu:\n  got  ...%.80s\n  want ...%.80s", i, k,
                  got + from, want + from);
        } else {
            check(1, "%s", "ok");
        }
        check(heap_ids_dense(h), "case %d: block ids not dense", i);
        free(got);
        free(want);
        ml_heap_free(h);
    }
}

static void test_long_structures(void)
{
    ml_heap *h;
    ml_value v = decode_file("biglist.bin", &h, NULL);
    long n = 0, bad = 0;
    while (!v.is_int) {
        if (v.b->size != 2 || !v.b->fields[0].is_int || v.b->fields[0].i != n) bad++;
        n++;
        v = v.b->fields[1];
    }
    check(n == 1000000 && bad == 0 && v.i == 0, "biglist: length %ld, %ld bad cells", n, bad);
    check(h->nblocks == 1000000, "biglist: %u blocks", h->nblocks);
    ml_heap_free(h);

    v = decode_file("deep.bin", &h, NULL);
    long depth = 0;
    bad = 0;
    /* deep n acc = deep (n-1) (acc, n): the outermost pair holds 1, the innermost 300000 */
    while (!v.is_int) {
        if (v.b->size != 2 || !v.b->fields[1].is_int || v.b->fields[1].i != depth + 1) bad++;
        depth++;
        v = v.b->fields[0];
    }
    check(depth == 300000 && bad == 0, "deep: depth %ld, %ld bad", depth, bad);
    ml_heap_free(h);
}

/* ---- hand-built streams ---- */

typedef struct bytes { unsigned char b[4096]; size_t n; } bytes;
static void put(bytes *o, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--) o->b[o->n++] = i < 8 ? (unsigned char)(v >> (8 * i)) : 0;
}
static void put_str(bytes *o, const char *s)
{
    size_t l = strlen(s) + 1;
    memcpy(o->b + o->n, s, l);
    o->n += l;
}
/* wraps the data d with a small (big = 0) or big header */
static bytes with_header(const bytes *d, uint64_t nobj, int big)
{
    bytes o = { .n = 0 };
    if (!big) {
        put(&o, 4, 0x8495A6BE);
        put(&o, 4, d->n);
        put(&o, 4, nobj);
        put(&o, 4, 0);
        put(&o, 4, 0);
    } else {
        put(&o, 4, 0x8495A6BF);
        put(&o, 4, 0);
        put(&o, 8, d->n);
        put(&o, 8, nobj);
        put(&o, 8, 0);
    }
    memcpy(o.b + o.n, d->b, d->n);
    o.n += d->n;
    return o;
}

static char *decode_dump(const bytes *o)
{
    ml_heap *h;
    ml_value v = ml_unmarshal(o->b, o->n, "handmade", &h);
    char *s = dump_value(v, h);
    ml_heap_free(h);
    return s;
}

static void expect_dump(const bytes *o, const char *want, const char *what)
{
    char *got = decode_dump(o);
    check(!strcmp(got, want), "%s: got %s, want %s", what, got, want);
    free(got);
}

static void test_handmade(void)
{
    /* BLOCK64 + SHARED64 + DOUBLE_BIG + DOUBLE_LITTLE, with a big header */
    bytes d = { .n = 0 };
    put(&d, 1, 0x13); put(&d, 8, (3ull << 10) | 7);       /* block tag 7, 3 fields */
    put(&d, 1, 0x0B); put(&d, 8, 0x3FF8000000000000ull);   /* 1.5 big-endian */
    put(&d, 1, 0x0C); put(&d, 8, 0x0000000000000C40ull);   /* 3.5 little-endian: 40 0C 00.. */
    put(&d, 1, 0x14); put(&d, 8, 2);                       /* shared: 2 back = the 1.5 */
    bytes o = with_header(&d, 3, 1);
    expect_dump(&o, "#0B7,3(#1d3ff8000000000000,#2d400c000000000000,@1)", "big header block64");
    o = with_header(&d, 3, 0);
    expect_dump(&o, "#0B7,3(#1d3ff8000000000000,#2d400c000000000000,@1)", "small header");

    /* float arrays: 8 BIG, 32 LITTLE, 64 BIG; STRING64; SHARED16/32 */
    d.n = 0;
    put(&d, 1, 0x80 | (5 << 4) | 0);                      /* small block tag 0 size 5 */
    put(&d, 1, 0x0D); put(&d, 1, 1); put(&d, 8, 0x4000000000000000ull);   /* [|2.|] BE */
    put(&d, 1, 0x07); put(&d, 4, 1); put(&d, 8, 0x0000000000000840ull);   /* [|3.|] LE */
    put(&d, 1, 0x16); put(&d, 8, 0);                                      /* empty, 64 */
    put(&d, 1, 0x15); put(&d, 8, 2); put(&d, 1, 'h'); put(&d, 1, 'i');    /* "hi" */
    put(&d, 1, 0x05); put(&d, 2, 4);                                      /* shared16 -> [|2.|] */
    o = with_header(&d, 5, 0);
    char want[256];
    unsigned char hi[2] = { 'h', 'i' };
    snprintf(want, sizeof want, "#0B0,5(#1D1[4000000000000000,],#2D1[4008000000000000,],#3D0[],"
             "#4s2:%08x,@1)", fnv(hi, 2));
    expect_dump(&o, want, "float arrays/string64/shared16");

    /* customs: CUSTOM_LEN int64, CUSTOM (old) int32, CUSTOM_FIXED nativeint 8-byte */
    d.n = 0;
    put(&d, 1, 0x80 | (3 << 4));
    put(&d, 1, 0x18); put_str(&d, "_j"); put(&d, 4, 8); put(&d, 8, 8); put(&d, 8, 0xFFFFFFFFFFFFFFFEull);
    put(&d, 1, 0x12); put_str(&d, "_i"); put(&d, 4, 0x80000000u);
    put(&d, 1, 0x19); put_str(&d, "_n"); put(&d, 1, 2); put(&d, 8, 0x0000000100000000ull);
    o = with_header(&d, 4, 0);
    expect_dump(&o, "#0B0,3(#1ci64:-2,#2ci32:-2147483648,#3cn:4294967296)", "customs");

    /* atoms are shared per tag and not in the object table; no_sharing (nobj = 0) accepted */
    d.n = 0;
    put(&d, 1, 0x80 | (3 << 4));
    put(&d, 1, 0x08); put(&d, 4, 0 | 3);                /* BLOCK32 size 0 tag 3: atom */
    put(&d, 1, 0x83);                                    /* small block size 0 tag 3 */
    put(&d, 1, 0x20);                                    /* "" */
    o = with_header(&d, 0, 0);
    {
        ml_heap *h;
        ml_value v = ml_unmarshal(o.b, o.n, "atoms", &h);
        check(!v.is_int && v.b->fields[0].b == v.b->fields[1].b && v.b->fields[0].b->size == 0 &&
              v.b->fields[0].b->tag == 3, "atoms shared per tag");
        check(v.b->fields[2].b->kind == ML_STRING && v.b->fields[2].b->size == 0,
              "empty small string");
        check(heap_ids_dense(h) && h->nblocks == 3, "atoms: %u blocks", h->nblocks);
        ml_heap_free(h);
    }
    /* bytes after data_len are ignored */
    d.n = 0;
    put(&d, 1, 0x41);
    o = with_header(&d, 0, 0);
    put(&o, 2, 0xFFFF);
    expect_dump(&o, "i1", "trailing bytes after the data");
}

/* ---- failures in a child process ---- */

static const unsigned char *child_buf;
static size_t child_len;

/* Runs ml_unmarshal(buf) in a child; returns its exit status (or 128+signal) and its stderr. */
static int run_child(const unsigned char *buf, size_t len, char *err, size_t errsz)
{
    int fd[2];
    if (pipe(fd)) { perror("pipe"); exit(2); }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        child_buf = buf;
        child_len = len;
        ml_heap *h;
        ml_unmarshal(child_buf, child_len, "bad.bin", &h);
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while ((k = read(fd[0], err + n, errsz - 1 - n)) > 0) n += (size_t)k;
    err[n] = 0;
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void expect_fail(const bytes *o, const char *substr, const char *what)
{
    char err[2048];
    int st = run_child(o->b, o->n, err, sizeof err);
    int lines = 0;
    for (char *p = err; *p; p++) lines += *p == '\n';
    check(st == 1 && strstr(err, substr) && lines == 1 &&
          !strncmp(err, "ocaml-esp32: error: bad.bin: ", 29),
          "%s: status %d, message \"%s\" (want \"%s\")", what, st, err, substr);
}

/* Truncations and random corruptions of a real output_value stream (every cut when small,
   about `n` of them otherwise, and n random mutations): the decoder must never crash. */
static void corrupt_sample(const char *name, int n)
{
    char path[512], err[2048];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    size_t len;
    unsigned char *real = slurp(path, &len);
    if (!real) { check(0, "no %s", name); return; }
    size_t step = len / (size_t)n + 1;

    /* header claims more data than present */
    int bad = 0, tested = 0;
    for (size_t cut = 0; cut < len; cut += step) {
        int st = run_child(real, cut, err, sizeof err);
        tested++;
        if ((st != 1 || !strstr(err, "truncated")) && bad++ < 3)
            fprintf(stderr, "  %s cut %zu: status %d: %s", name, cut, st, err);
    }
    check(bad == 0, "%s: truncated prefixes: %d of %d not a clean 'truncated' error", name, bad,
          tested);

    /* header patched to agree with the cut: the decoder itself runs out of data */
    bad = tested = 0;
    unsigned char *c = malloc(len);
    for (size_t cut = 20; cut < len; cut += step) {
        memcpy(c, real, cut);
        uint32_t dl = (uint32_t)(cut - 20);
        c[4] = (unsigned char)(dl >> 24); c[5] = (unsigned char)(dl >> 16);
        c[6] = (unsigned char)(dl >> 8); c[7] = (unsigned char)dl;
        int st = run_child(c, cut, err, sizeof err);
        tested++;
        if ((st != 1 || !strstr(err, "at byte offset")) && bad++ < 3)
            fprintf(stderr, "  %s cut %zu: status %d: %s", name, cut, st, err);
    }
    check(bad == 0, "%s: self-consistent truncations: %d of %d not clean", name, bad, tested);

    /* random corruption of the data: succeed, or fail with one clean line */
    bad = tested = 0;
    srand(12345);
    for (int t = 0; t < n; t++) {
        memcpy(c, real, len);
        int nflip = 1 + rand() % 4;
        for (int k = 0; k < nflip; k++) c[20 + (size_t)rand() % (len - 20)] = (unsigned char)rand();
        int st = run_child(c, len, err, sizeof err);
        tested++;
        if (!(st == 0 || (st == 1 && !strncmp(err, "ocaml-esp32: error: bad.bin: ", 29))) &&
            bad++ < 3)
            fprintf(stderr, "  %s mutation %d: status %d: %s", name, t, st, err);
    }
    check(bad == 0, "%s: random corruption: %d of %d crashed or unclean", name, bad, tested);
    free(c);
    free(real);
}

static void test_failures(void)
{
    bytes d = { .n = 0 }, o;
    o.n = 0;
    expect_fail(&o, "no header", "empty input");
    put(&o, 4, 0x12345678); put(&o, 16, 0);
    expect_fail(&o, "bad magic number 0x12345678", "bad magic");
    o.n = 0; put(&o, 4, 0x8495A6BE); put(&o, 4, 0);
    expect_fail(&o, "header needs 20 bytes", "short header");

    d.n = 0; put(&d, 1, 0x1A);
    o = with_header(&d, 0, 0);
    expect_fail(&o, "unknown item code 0x1A", "unknown code");

    d.n = 0; put(&d, 1, 0x80 | (2 << 4)); put(&d, 1, 0x41); put(&d, 1, 0x04); put(&d, 1, 2);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "shared reference 2 out of range", "shared out of range");
    d.n = 0; put(&d, 1, 0x04); put(&d, 1, 0);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "shared reference 0", "shared 0");

    d.n = 0; put(&d, 1, 0x10); put(&d, 4, 0); put(&d, 16, 0); put(&d, 4, 0);
    o = with_header(&d, 0, 0);
    expect_fail(&o, "code pointer", "code pointer");
    d.n = 0; put(&d, 1, 0x11); put(&d, 4, 12); put(&d, 1, 0x41);
    o = with_header(&d, 0, 0);
    expect_fail(&o, "infix pointer", "infix pointer");

    d.n = 0; put(&d, 1, 0x19); put_str(&d, "_bigarr02"); put(&d, 8, 0);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "custom block \"_bigarr02\" is not supported", "unknown custom");
    d.n = 0; put(&d, 1, 0x19); put(&d, 1, '_'); put(&d, 1, 'j');
    o = with_header(&d, 1, 0);
    expect_fail(&o, "truncated", "unterminated custom id");
    d.n = 0; put(&d, 1, 0x19); put_str(&d, "_n"); put(&d, 1, 3); put(&d, 4, 0);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "ill-formed nativeint", "bad nativeint");

    d.n = 0; put(&d, 1, 0x08); put(&d, 4, 0xFFFFFC00u);  /* 4 M fields, tag 0 */
    o = with_header(&d, 1, 0);
    expect_fail(&o, "block larger than the remaining data", "huge block");
    d.n = 0; put(&d, 1, 0x13); put(&d, 8, 0xFFFFFFFFFFFFFC00ull);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "block larger than the remaining data", "huge block64");
    d.n = 0; put(&d, 1, 0x0A); put(&d, 4, 0xFFFFFFF0u);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "truncated", "huge string");
    d.n = 0; put(&d, 1, 0x17); put(&d, 8, 1ull << 60);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "truncated", "huge float array");
    d.n = 0; put(&d, 1, 0x08); put(&d, 4, (1 << 10) | 252); put(&d, 1, 0x41);
    o = with_header(&d, 1, 0);
    expect_fail(&o, "tag >= 251", "structured block with string tag");

    d.n = 0; put(&d, 1, 0x41); put(&d, 1, 0x41);
    o = with_header(&d, 0, 0);
    expect_fail(&o, "unused bytes", "trailing data inside data_len");
    d.n = 0; put(&d, 1, 0x80 | (2 << 4)); put(&d, 1, 0x21); put(&d, 1, 'a'); put(&d, 1, 0x41);
    o = with_header(&d, 5, 0);
    expect_fail(&o, "header announces 5 objects", "object count mismatch");
    o = with_header(&d, 1, 0);
    expect_fail(&o, "more objects than announced", "object count overflow");

    static const char *const samples[] = { "case9.bin", "case8.bin", "case11.bin" };
    for (int si = 0; si < 3; si++) corrupt_sample(samples[si], si == 2 ? 50 : 200);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_marshal.XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 2; }
    char path[512], cmd[1024];
    snprintf(path, sizeof path, "%s/gen.ml", tmpdir);
    FILE *f = fopen(path, "w");
    fputs(gen_ml, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cd %s && ocaml gen.ml > gen.out 2>&1", tmpdir);
    if (system(cmd) != 0) {
        snprintf(cmd, sizeof cmd, "cat %s/gen.out >&2", tmpdir);
        if (system(cmd)) {}
        fprintf(stderr, "FAIL: the OCaml generator failed (is `ocaml` 4.13 installed?)\n");
        printf("%d passed, %d failed\n", passed, failed + 1);
        return 1;
    }
    test_cases();
    test_long_structures();
    test_handmade();
    test_failures();
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd)) {}
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
