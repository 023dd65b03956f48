/* test_marshal_rt.c — host test of the runtime's marshaler (runtime/extern.c, intern.c) with
   a mock heap (malloc, no GC) on the 64-bit host. Every case is a Marshal.to_string output of
   the host's OCaml 4.13.1: it is read back with caml_input_value_from_bytes and written out
   again with caml_output_value_to_bytes, which must reproduce the bytes exactly (header
   sizes, sharing, custom blocks, float arrays, ...). Regenerate the table with the OCaml
   program at the end of this file (ocaml gen.ml). Also: error messages, closures
   (Closures flag, code pointers), to_buffer, channels (through the io.h accessors). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "../../runtime/extern.c"
#include "../../runtime/intern.c"
#include "../../runtime/ints.c"
#include "../../runtime/prims_util.c"

/* ---- mock runtime ---- */

struct caml__roots_block *caml_local_roots;
jmp_buf fail_jmp;
char fail_msg[256];
const header_t caml_atom_table[256];
__asm__(".data\n.globl caml_code_begin\n.globl caml_code_end\n.balign 8\ncaml_code_begin: .space 64\ncaml_code_end: .space 8\n.text");
static value oo_id = 1;

value caml_alloc_shr(mlsize_t wosize, tag_t tag)
{
    header_t *p = malloc((wosize + 1) * sizeof(value));
    memset(p, 0xAB, (wosize + 1) * sizeof(value));
    *p = Make_header(wosize, tag, 0);
    return (value)(p + 1);
}
value caml_alloc_small(mlsize_t w, tag_t t) { return caml_alloc_shr(w, t); }
value caml_alloc_string(mlsize_t len)
{
    mlsize_t w = (len + sizeof(value)) / sizeof(value);
    value v = caml_alloc_shr(w, String_tag);
    Field(v, w - 1) = 0;
    Byte_u(v, w * sizeof(value) - 1) = (unsigned char)(w * sizeof(value) - 1 - len);
    return v;
}
value caml_alloc_custom(const struct custom_operations *ops, uintnat size, mlsize_t m, mlsize_t x)
{
    (void)m; (void)x;
    value v = caml_alloc_shr(1 + (size + sizeof(value) - 1) / sizeof(value), Custom_tag);
    Custom_ops_val(v) = ops;
    return v;
}
value caml_copy_double(double d) { value v = caml_alloc_shr(Double_wosize, Double_tag); Store_double_val(v, d); return v; }
void caml_modify(value *p, value v) { *p = v; }
void caml_initialize(value *p, value v) { *p = v; }
int caml_is_young(value v) { (void)v; return 0; }
int caml_is_in_heap(value v) { return (char *)v < (char *)caml_atom_table || (char *)v > (char *)(caml_atom_table + 256); }
void *caml_stat_alloc(size_t n) { return malloc(n); }
void caml_stat_free(void *p) { free(p); }
void caml_failwith(const char *m) { snprintf(fail_msg, sizeof fail_msg, "Failure %s", m); longjmp(fail_jmp, 1); }
void caml_invalid_argument(const char *m) { snprintf(fail_msg, sizeof fail_msg, "Invalid_argument %s", m); longjmp(fail_jmp, 1); }
void caml_raise_end_of_file(void) { strcpy(fail_msg, "End_of_file"); longjmp(fail_jmp, 1); }
void caml_raise_zero_divide(void) { strcpy(fail_msg, "Division_by_zero"); longjmp(fail_jmp, 1); }
void caml_array_bound_error(void) { strcpy(fail_msg, "Invalid_argument index out of bounds"); longjmp(fail_jmp, 1); }
void caml_fatal_error(const char *fmt, ...) { va_list ap; va_start(ap, fmt); vfprintf(stderr, fmt, ap); va_end(ap); abort(); }
const value *caml_named_value(const char *n) { (void)n; return NULL; }
void caml_memprof_discard_marshal(void) {}
value caml_set_oo_id(value o) { Field(o, 1) = Val_long(oo_id++); return o; }
const struct custom_operations *caml_find_custom_operations(const char *id)
{
    if (!strcmp(id, "_i")) return &caml_int32_ops;
    if (!strcmp(id, "_j")) return &caml_int64_ops;
    if (!strcmp(id, "_n")) return &caml_nativeint_ops;
    return NULL;
}
/* channel: a memory buffer */
char chan_buf[1 << 16]; intnat chan_len, chan_pos;
intnat caml_channel_read_block(value c, char *b, intnat n)
{
    (void)c; if (n > chan_len - chan_pos) n = chan_len - chan_pos;
    if (n > 3) n = 3;   /* short reads */
    memcpy(b, chan_buf + chan_pos, n); chan_pos += n; return n;
}
void caml_channel_write_block(value c, const char *b, intnat n) { (void)c; memcpy(chan_buf + chan_len, b, n); chan_len += n; }
mlsize_t caml_string_length(value s)
{
    mlsize_t last = Bosize_val(s) - 1;
    return last - Byte_u(s, last);
}
value caml_copy_string(const char *s) { value v = caml_alloc_string(strlen(s)); memcpy(Bytes_val(v), s, strlen(s)); return v; }

/* ---- tests ---- */
CAMLprim value caml_output_value_to_bytes(value v, value flags);
CAMLprim value caml_input_value_from_bytes(value str, value ofs);
CAMLprim value caml_marshal_data_size(value buf, value ofs);
CAMLprim value caml_output_value_to_buffer(value buf, value ofs, value len, value v, value flags);
CAMLprim value caml_output_value(value chan, value v, value flags);
CAMLprim value caml_input_value(value chan);
CAMLprim value caml_obj_reachable_words(value v);

static const struct { const char *name, *hex; } cases[] = {
    { "int42", "8495a6be000000010000000000000000000000006a" },
    { "intm1", "8495a6be0000000200000000000000000000000000ff" },
    { "int1000", "8495a6be000000030000000000000000000000000103e8" },
    { "int100000", "8495a6be0000000500000000000000000000000002000186a0" },
    { "intmax32", "8495a6be00000005000000000000000000000000023fffffff" },
    { "intmin32", "8495a6be0000000500000000000000000000000002c0000000" },
    { "hello", "8495a6be000000060000000100000003000000022568656c6c6f" },
    { "empty_string", "8495a6be0000000100000001000000020000000220" },
    { "str40", "8495a6be0000002a000000010000000c00000007092878787878787878787878787878787878787878787878787878787878787878787878787878787878" },
    { "str300", "8495a6be00000131000000010000004d000000270a0000012c797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979" },
    { "tuple", "8495a6be0000000d000000030000000900000008b04121610c0000000000000440" },
    { "list", "8495a6be00000007000000030000000900000009a041a042a04340" },
    { "floatarr", "8495a6be000000120000000100000005000000030e02000000000000f03f0000000000000040" },
    { "floatarr300", "8495a6be0000096500000001000002590000012d070000012c000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f000000000000e03f" },
    { "empty_array", "8495a6be0000000100000000000000000000000080" },
    { "share", "8495a6be0000000a000000020000000600000005a0267368617265640401" },
    { "noshare", "8495a6be0000000f000000000000000900000007a02673686172656426736861726564" },
    { "share16", "8495a6be0000057300000259000005df000005dfa0a02130a02131a02132a02133a02134a02135a02136a02137a02138a02139a0223130a0223131a0223132a0223133a0223134a0223135a0223136a0223137a0223138a0223139a0223230a0223231a0223232a0223233a0223234a0223235a0223236a0223237a0223238a0223239a0223330a0223331a0223332a0223333a0223334a0223335a0223336a0223337a0223338a0223339a0223430a0223431a0223432a0223433a0223434a0223435a0223436a0223437a0223438a0223439a0223530a0223531a0223532a0223533a0223534a0223535a0223536a0223537a0223538a0223539a0223630a0223631a0223632a0223633a0223634a0223635a0223636a0223637a0223638a0223639a0223730a0223731a0223732a0223733a0223734a0223735a0223736a0223737a0223738a0223739a0223830a0223831a0223832a0223833a0223834a0223835a0223836a0223837a0223838a0223839a0223930a0223931a0223932a0223933a0223934a0223935a0223936a0223937a0223938a0223939a023313030a023313031a023313032a023313033a023313034a023313035a023313036a023313037a023313038a023313039a023313130a023313131a023313132a023313133a023313134a023313135a023313136a023313137a023313138a023313139a023313230a023313231a023313232a023313233a023313234a023313235a023313236a023313237a023313238a023313239a023313330a023313331a023313332a023313333a023313334a023313335a023313336a023313337a023313338a023313339a023313430a023313431a023313432a023313433a023313434a023313435a023313436a023313437a023313438a023313439a023313530a023313531a023313532a023313533a023313534a023313535a023313536a023313537a023313538a023313539a023313630a023313631a023313632a023313633a023313634a023313635a023313636a023313637a023313638a023313639a023313730a023313731a023313732a023313733a023313734a023313735a023313736a023313737a023313738a023313739a023313830a023313831a023313832a023313833a023313834a023313835a023313836a023313837a023313838a023313839a023313930a023313931a023313932a023313933a023313934a023313935a023313936a023313937a023313938a023313939a023323030a023323031a023323032a023323033a023323034a023323035a023323036a023323037a023323038a023323039a023323130a023323131a023323132a023323133a023323134a023323135a023323136a023323137a023323138a023323139a023323230a023323231a023323232a023323233a023323234a023323235a023323236a023323237a023323238a023323239a023323330a023323331a023323332a023323333a023323334a023323335a023323336a023323337a023323338a023323339a023323430a023323431a023323432a023323433a023323434a023323435a023323436a023323437a023323438a023323439a023323530a023323531a023323532a023323533a023323534a023323535a023323536a023323537a023323538a023323539a023323630a023323631a023323632a023323633a023323634a023323635a023323636a023323637a023323638a023323639a023323730a023323731a023323732a023323733a023323734a023323735a023323736a023323737a023323738a023323739a023323830a023323831a023323832a023323833a023323834a023323835a023323836a023323837a023323838a023323839a023323930a023323931a023323932a023323933a023323934a023323935a023323936a023323937a023323938a02332393940050258" },
    { "int32", "8495a6be00000011000000030000000900000009a0195f69000000002a195f6900fffffffb" },
    { "int64", "8495a6be0000002500000004000000100000000db0195f6a00fffffffffffffffb195f6a007fffffffffffffff195f6a008000000000000000" },
    { "nativeint", "8495a6be00000013000000030000000900000009a0195f6e000100000007195f6e0001fffffff9" },
    { "opt", "8495a6be00000003000000020000000400000004909040" },
    { "arr10", "8495a6be00000021000000010000000b0000000b0800002800400103e80107d0010bb8010fa0011388011770011b58011f40012328" },
    { "variants", "8495a6be00000019000000090000001900000017a040a09043a0a14424666f7572a0920c000000000000f83f40" },
    { "bigtag", "8495a6be000000110000000300000009000000080800000c144121780c0000000000000040" },
    { "cycle", "8495a6be00000006000000020000000600000006a041a0420402" },
    { "float", "8495a6be000000090000000100000003000000020c1f85eb51b81e0940" },
    { "nested", "8495a6be000000170000000b0000001f0000001ea0a0a024646565704040a040a0a0a02178a02179404040" },
    { "bigarr", "8495a6be00000388000000970000025900000259080004b0004021314221334421354621374821394a2231314c2231334e22313550223137522231395422323156223233582232355a2232375c2232395e22333160223333622233356422333766223339682234316a2234336c2234356e22343770223439722235317422353376223535782235377a2235397c2236317e22363300402236350042223637004422363900462237310048223733004a223735004c223737004e22373900502238310052223833005422383500562238370058223839005a223931005c223933005e22393500602239370062223939006423313031006623313033006823313035006a23313037006c23313039006e23313131007023313133007223313135007423313137007623313139007823313231007a23313233007c23313235007e23313237010080233132390100822331333101008423313333010086233133350100882331333701008a2331333901008c2331343101008e23313433010090233134350100922331343701009423313439010096233135310100982331353301009a2331353501009c2331353701009e233135390100a0233136310100a2233136330100a4233136350100a6233136370100a8233136390100aa233137310100ac233137330100ae233137350100b0233137370100b2233137390100b4233138310100b6233138330100b8233138350100ba233138370100bc233138390100be233139310100c0233139330100c2233139350100c4233139370100c6233139390100c8233230310100ca233230330100cc233230350100ce233230370100d0233230390100d2233231310100d4233231330100d6233231350100d8233231370100da233231390100dc233232310100de233232330100e0233232350100e2233232370100e4233232390100e6233233310100e8233233330100ea233233350100ec233233370100ee233233390100f0233234310100f2233234330100f4233234350100f6233234370100f8233234390100fa233235310100fc233235330100fe23323535010100233235370101022332353901010423323631010106233236330101082332363501010a2332363701010c2332363901010e23323731010110233237330101122332373501011423323737010116233237390101182332383101011a2332383301011c2332383501011e23323837010120233238390101222332393101012423323933010126233239350101282332393701012a23323939" },
};
static int passed, failed;
static void check(int ok, const char *what) { if (ok) passed++; else { failed++; printf("FAIL %s\n", what); } }

static value from_hex(const char *h)
{ setvbuf(stdout, NULL, _IONBF, 0);
    size_t n = strlen(h) / 2;
    value s = caml_alloc_string(n);
    for (size_t i = 0; i < n; i++) { unsigned x; sscanf(h + 2 * i, "%2x", &x); Byte_u(s, i) = x; }
    return s;
}
static value cons(value a, value b) { value c = caml_alloc_shr(2, 0); Field(c, 0) = a; Field(c, 1) = b; return c; }

#define EXPECT_EXN(expr, msg) do { if (setjmp(fail_jmp) == 0) { (void)(expr); check(0, "expected " msg); } else check(strcmp(fail_msg, msg) == 0, msg); } while (0)

static void round_trip(size_t i)
{
    value s = from_hex(cases[i].hex);
    value flags = strcmp(cases[i].name, "noshare") == 0 ? cons(Val_int(0), Val_emptylist) : Val_emptylist;
    if (setjmp(fail_jmp) == 0) {
        value v = caml_input_value_from_bytes(s, Val_int(0));
        value out = caml_output_value_to_bytes(v, flags);
        int same = caml_string_length(out) == caml_string_length(s) &&
                   memcmp(String_val(out), String_val(s), caml_string_length(s)) == 0;
        if (!same) {
            printf("%s: got ", cases[i].name);
            for (size_t k = 0; k < caml_string_length(out) && k < 80; k++) printf("%02x", Byte_u(out, k));
            printf("\n");
        }
        check(same, cases[i].name);
        check(Long_val(caml_marshal_data_size(s, Val_int(0))) == (intnat)caml_string_length(s) - 20, "data_size");
    } else { printf("exception %s in %s\n", fail_msg, cases[i].name); failed++; }
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) round_trip(i);
    /* structural checks */
    if (setjmp(fail_jmp) == 0) {
        value v = caml_input_value_from_bytes(from_hex(cases[10].hex), Val_int(0)); /* (1, "a", 2.5) */
        check(Wosize_val(v) == 3 && Field(v, 0) == Val_int(1) && !strcmp(String_val(Field(v, 1)), "a")
              && Double_val(Field(v, 2)) == 2.5, "tuple structure");
        value sh = caml_input_value_from_bytes(from_hex(cases[15].hex), Val_int(0));
        check(Field(sh, 0) == Field(sh, 1), "sharing preserved");
        value ns = caml_input_value_from_bytes(from_hex(cases[16].hex), Val_int(0));
        check(Field(ns, 0) != Field(ns, 1), "no sharing");
        value i64 = caml_input_value_from_bytes(from_hex(cases[19].hex), Val_int(0));
        check(Int64_val(Field(i64, 0)) == -5 && Int64_val(Field(i64, 1)) == INT64_MAX, "int64 values");
        check(Long_val(caml_obj_reachable_words(v)) == (intnat)(4 + 2 + 1 + Double_wosize), "reachable words");
    } else { printf("exception %s\n", fail_msg); failed++; }
    /* failures */
    EXPECT_EXN(caml_input_value_from_bytes(from_hex("8495a6be00000009000000000000000000000000030000010000000000"), Val_int(0)), "Failure input_value: integer too large");
    EXPECT_EXN(caml_input_value_from_bytes(from_hex("1234567800000001000000000000000000000000"), Val_int(0)), "Failure input_val_from_string: bad object");
    EXPECT_EXN(caml_input_value_from_bytes(from_hex("8495a6bf000000010000000000000000000000000000000000000000"), Val_int(0)), "Failure input_val_from_string: object too large to be read back on a 32-bit platform");
    EXPECT_EXN(caml_input_value_from_bytes(from_hex("8495a6be000000050000000000000000000000006a"), Val_int(0)), "Failure input_val_from_string: bad length");
    EXPECT_EXN(caml_marshal_data_size(from_hex("0000000000000000"), Val_int(0)), "Failure Marshal.data_size: bad object");
    /* abstract */
    value ab = caml_alloc_shr(1, Abstract_tag);
    EXPECT_EXN(caml_output_value_to_bytes(ab, Val_emptylist), "Invalid_argument output_value: abstract value (Abstract)");
    /* closures */
    value clo = caml_alloc_shr(3, Closure_tag);
    Field(clo, 0) = (value)(caml_code_begin + 8);
    Field(clo, 1) = Make_closinfo(0, 2);
    Field(clo, 2) = caml_copy_string("env");
    EXPECT_EXN(caml_output_value_to_bytes(clo, Val_emptylist), "Invalid_argument output_value: functional value");
    if (setjmp(fail_jmp) == 0) {
        value out = caml_output_value_to_bytes(clo, cons(Val_int(1), Val_emptylist));
        value back = caml_input_value_from_bytes(out, Val_int(0));
        check(Tag_val(back) == Closure_tag && Field(back, 0) == (value)(caml_code_begin + 8) &&
              Field(back, 1) == Field(clo, 1) && !strcmp(String_val(Field(back, 2)), "env"), "closure round trip");
        /* to_buffer */
        value buf = caml_alloc_string(100);
        intnat n = Long_val(caml_output_value_to_buffer(buf, Val_int(5), Val_int(95), clo, cons(Val_int(1), Val_emptylist)));
        check(n == (intnat)caml_string_length(out) && !memcmp(Bytes_val(buf) + 5, Bytes_val(out), n), "to_buffer");
    } else { printf("exception %s in closures\n", fail_msg); failed++; }
    {
        value buf = caml_alloc_string(30);
        EXPECT_EXN(caml_output_value_to_buffer(buf, Val_int(0), Val_int(25), from_hex(cases[8].hex), Val_emptylist), "Failure Marshal.to_buffer: buffer overflow");
    }
    /* channels */
    if (setjmp(fail_jmp) == 0) {
        value v1 = caml_input_value_from_bytes(from_hex(cases[27].hex), Val_int(0));
        caml_output_value(Val_unit, v1, Val_emptylist);
        caml_output_value(Val_unit, Val_int(7), Val_emptylist);
        value r1 = caml_input_value(Val_unit);
        value r2 = caml_input_value(Val_unit);
        value o1 = caml_output_value_to_bytes(r1, Val_emptylist);
        check(caml_string_length(o1) * 2 == strlen(cases[27].hex) && r2 == Val_int(7), "channel round trip");
    } else { printf("exception %s in channel\n", fail_msg); failed++; }
    EXPECT_EXN(caml_input_value(Val_unit), "End_of_file");
    chan_len = chan_pos = 0;
    memcpy(chan_buf, "\x84\x95\xa6\xbe\0\0\0\x09", 8); chan_len = 8;
    EXPECT_EXN(caml_input_value(Val_unit), "Failure input_value: truncated object");
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

/* Generator of the table (ocaml gen.ml > table):
type t = A | B of int | C of int * string | D of float
let hex s = String.concat "" (List.map (fun c -> Printf.sprintf "%02x" (Char.code c)) (List.of_seq (String.to_seq s)))
let cases : (string * Obj.t * Marshal.extern_flags list) list =
  let shared = "shared" in
  let l = List.init 300 string_of_int in
  let big = Obj.new_block 20 3 in
  Obj.set_field big 0 (Obj.repr 1); Obj.set_field big 1 (Obj.repr "x"); Obj.set_field big 2 (Obj.repr 2.0);
  let rec cyc = 1 :: 2 :: cyc in
  [ "int42", Obj.repr 42, [];
    "intm1", Obj.repr (-1), [];
    "int1000", Obj.repr 1000, [];
    "int100000", Obj.repr 100000, [];
    "intmax32", Obj.repr 1073741823, [];
    "intmin32", Obj.repr (-1073741824), [];
    "hello", Obj.repr "hello", [];
    "empty_string", Obj.repr "", [];
    "str40", Obj.repr (String.make 40 'x'), [];
    "str300", Obj.repr (String.make 300 'y'), [];
    "tuple", Obj.repr (1, "a", 2.5), [];
    "list", Obj.repr [1;2;3], [];
    "floatarr", Obj.repr [|1.0; 2.0|], [];
    "floatarr300", Obj.repr (Array.make 300 0.5), [];
    "empty_array", Obj.repr [||], [];
    "share", Obj.repr (shared, shared), [];
    "noshare", Obj.repr (shared, shared), [Marshal.No_sharing];
    "share16", Obj.repr (l, l), [];
    "int32", Obj.repr (42l, -5l), [];
    "int64", Obj.repr (-5L, Int64.max_int, Int64.min_int), [];
    "nativeint", Obj.repr (7n, -7n), [];
    "opt", Obj.repr (Some (Some None)), [];
    "arr10", Obj.repr (Array.init 10 (fun i -> i * 1000)), [];
    "variants", Obj.repr [A; B 3; C (4, "four"); D 1.5], [];
    "bigtag", big, [];
    "cycle", Obj.repr cyc, [];
    "float", Obj.repr 3.14, [];
    "nested", Obj.repr [[["deep"]]; []; [["x"; "y"]]], [];
    "bigarr", Obj.repr (Array.init 300 (fun i -> if i mod 2 = 0 then Obj.repr i else Obj.repr (string_of_int i))), [];
  ]
let () =
  List.iter (fun (n, v, f) -> Printf.printf "    { \"%s\", \"%s\" },\n" n (hex (Marshal.to_string v f))) cases
*/
