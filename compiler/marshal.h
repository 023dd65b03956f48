/* marshal.h — decoding OCaml's marshal format (the DATA section) on the host.

   Values are decoded into a host-side graph that preserves sharing (a shared object decodes
   to one ml_block referenced several times), so the code generator can lay it out as static
   blocks. Integers are kept as int64 and range-checked by the consumer (31-bit target). */
#ifndef OE_MARSHAL_H
#define OE_MARSHAL_H
#include <stddef.h>
#include <stdint.h>

typedef struct ml_block ml_block;

typedef struct ml_value {
    int is_int;
    int64_t i;           /* when is_int */
    ml_block *b;         /* otherwise */
} ml_value;

enum ml_kind { ML_BLOCK, ML_STRING, ML_DOUBLE, ML_DOUBLE_ARRAY, ML_CUSTOM };

struct ml_block {
    enum ml_kind kind;
    uint32_t tag;          /* OCaml tag (252 for strings, 253 double, 254 double array, 255 custom) */
    uint32_t size;         /* ML_BLOCK: fields (0 for an atom: zero-size blocks are decoded
                              to one shared ml_block per tag, like OCaml's atoms);
                              ML_STRING: bytes; ML_DOUBLE_ARRAY: elements;
                              ML_CUSTOM: payload bytes */
    ml_value *fields;      /* ML_BLOCK */
    unsigned char *bytes;  /* ML_STRING: size bytes (plus a NUL after them, for convenience);
                              ML_CUSTOM: decoded payload, little-endian:
                                "_i" 4 bytes (int32), "_j" 8 bytes (int64),
                                "_n" 8 bytes (nativeint as int64, sign-extended: the consumer
                                checks that it fits the 32-bit target). Other custom
                                identifiers are rejected by the decoder. */
    double *doubles;       /* ML_DOUBLE (1) / ML_DOUBLE_ARRAY (size) */
    char *custom_id;       /* ML_CUSTOM: "_j" (int64), "_i" (int32), "_n" (nativeint), ... */
    uint32_t id;           /* dense index, unique per block in an ml_heap */
    void *user;            /* free for consumers (e.g. emitted label) */
};

typedef struct ml_heap {
    ml_block **blocks;     /* all decoded blocks, in decoding order */
    uint32_t nblocks;
} ml_heap;

/* Decodes one marshalled value from buf[0..len) (small 20-byte or big 32-byte header; the
   data length in the header must fit in len, bytes after it are ignored). `where` names the
   input for messages. Corrupt or truncated input is a diag_fatal with the byte offset, as are
   code/infix pointers (marshalled closures) and unsupported custom blocks. Decoding is
   iterative (no host recursion). Blocks get ids 0..nblocks-1 in decoding order. */
ml_value ml_unmarshal(const unsigned char *buf, size_t len, const char *where, ml_heap **heap);
void ml_heap_free(ml_heap *h);
#endif
