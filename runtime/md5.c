/* md5.c — Digest primitives (MD5 itself is in prims_util.c). */
#include "runtime.h"
#include "io.h"
#include "prims_util.h"

static value digest_value(struct oe_md5 *ctx)
{
    value res = caml_alloc_string(16);
    oe_md5_final(ctx, Bytes_val(res));
    return res;
}

CAMLprim value caml_md5_string(value s, value ofs, value len)
{
    struct oe_md5 ctx;
    oe_md5_init(&ctx);
    oe_md5_update(&ctx, Bytes_val(s) + Long_val(ofs), Long_val(len));
    return digest_value(&ctx);
}

/* len < 0: digest up to end of file; otherwise exactly len bytes (End_of_file if fewer). */
CAMLprim value caml_md5_chan(value chan, value len)
{
    CAMLparam1(chan);
    struct oe_md5 ctx;
    char buf[512];
    intnat toread = Long_val(len);
    oe_md5_init(&ctx);
    while (toread != 0) {
        intnat want = toread < 0 || toread > (intnat)sizeof buf ? (intnat)sizeof buf : toread;
        intnat n = caml_channel_read_block(chan, buf, want);
        if (n == 0) {
            if (toread < 0) break;
            caml_raise_end_of_file();
        }
        oe_md5_update(&ctx, buf, (size_t)n);
        if (toread > 0) toread -= n;
    }
    CAMLreturn(digest_value(&ctx));
}

/* C API (as OCaml's md5.c) */
void caml_md5_block(unsigned char digest[16], void *data, uintnat len)
{
    struct oe_md5 ctx;
    oe_md5_init(&ctx);
    oe_md5_update(&ctx, data, len);
    oe_md5_final(&ctx, digest);
}
