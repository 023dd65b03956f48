/* intext.h — marshaling (extern.c, intern.c): entry points for C code and the helpers that
   custom blocks' serialize/deserialize functions use. */
#ifndef CAML_INTEXT_H
#define CAML_INTEXT_H
#include "mlvalues.h"

/* whole values */
value caml_output_value_to_string(value v, value flags);
intnat caml_output_value_to_block(value v, value flags, char *data, intnat len);
void caml_output_value_to_malloc(value v, value flags, char **buf, intnat *len);
value caml_input_val_from_string(value str, intnat ofs);
value caml_input_value_from_block(const char *data, intnat len);
value caml_input_value_from_malloc(char *data, intnat ofs);   /* frees data */

/* for custom serialize functions (called during output_value) */
void caml_serialize_int_1(int i);
void caml_serialize_int_2(int i);
void caml_serialize_int_4(int32_t i);
void caml_serialize_int_8(int64_t i);
void caml_serialize_float_4(float f);
void caml_serialize_float_8(double f);
void caml_serialize_block_1(void *data, intnat len);
void caml_serialize_block_2(void *data, intnat len);
void caml_serialize_block_4(void *data, intnat len);
void caml_serialize_block_8(void *data, intnat len);
void caml_serialize_block_float_8(void *data, intnat len);

/* for custom deserialize functions (called during input_value) */
int caml_deserialize_uint_1(void);
int caml_deserialize_sint_1(void);
int caml_deserialize_uint_2(void);
int caml_deserialize_sint_2(void);
uint32_t caml_deserialize_uint_4(void);
int32_t caml_deserialize_sint_4(void);
uint64_t caml_deserialize_uint_8(void);
int64_t caml_deserialize_sint_8(void);
float caml_deserialize_float_4(void);
double caml_deserialize_float_8(void);
void caml_deserialize_block_1(void *data, intnat len);
void caml_deserialize_block_2(void *data, intnat len);
void caml_deserialize_block_4(void *data, intnat len);
void caml_deserialize_block_8(void *data, intnat len);
void caml_deserialize_block_float_8(void *data, intnat len);
Noreturn void caml_deserialize_error(char *msg);
#endif
