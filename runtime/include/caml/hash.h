/* hash.h — the mixing functions of the generic hash (MurmurHash3-based, as OCaml 4.13), for
   the hash functions of custom blocks. */
#ifndef CAML_HASH_H
#define CAML_HASH_H
#include "mlvalues.h"
uint32_t caml_hash_mix_uint32(uint32_t h, uint32_t d);
uint32_t caml_hash_mix_intnat(uint32_t h, intnat d);
uint32_t caml_hash_mix_int64(uint32_t h, int64_t d);
uint32_t caml_hash_mix_double(uint32_t h, double d);
uint32_t caml_hash_mix_float(uint32_t h, float d);
uint32_t caml_hash_mix_string(uint32_t h, value s);
value caml_hash_variant(const char *tag);
#endif
