/* intext_codes.h — the codes of OCaml's marshaling format (shared by extern.c and intern.c).
   Multi-byte numbers are big-endian in the stream. */
#ifndef OE_INTEXT_CODES_H
#define OE_INTEXT_CODES_H

#define MAGIC_SMALL 0x8495A6BEu   /* 20-byte header: magic, data length, objects,
                                     size on 32-bit, size on 64-bit (words) */
#define MAGIC_BIG   0x8495A6BFu   /* 32-byte header of 64-bit platforms (huge data) */
#define HEADER_SMALL_LEN 20

#define PREFIX_SMALL_BLOCK  0x80  /* + tag (4 bits) + size << 4 (3 bits) */
#define PREFIX_SMALL_INT    0x40  /* + 0..63 */
#define PREFIX_SMALL_STRING 0x20  /* + length 0..31 */
#define CODE_INT8    0x00
#define CODE_INT16   0x01
#define CODE_INT32   0x02
#define CODE_INT64   0x03
#define CODE_SHARED8  0x04
#define CODE_SHARED16 0x05
#define CODE_SHARED32 0x06
#define CODE_SHARED64 0x14
#define CODE_BLOCK32 0x08
#define CODE_BLOCK64 0x13
#define CODE_STRING8  0x09
#define CODE_STRING32 0x0A
#define CODE_STRING64 0x15
#define CODE_DOUBLE_BIG    0x0B
#define CODE_DOUBLE_LITTLE 0x0C
#define CODE_DOUBLE_ARRAY8_BIG     0x0D
#define CODE_DOUBLE_ARRAY8_LITTLE  0x0E
#define CODE_DOUBLE_ARRAY32_BIG    0x0F
#define CODE_DOUBLE_ARRAY32_LITTLE 0x07
#define CODE_DOUBLE_ARRAY64_BIG    0x16
#define CODE_DOUBLE_ARRAY64_LITTLE 0x17
#define CODE_CODEPOINTER  0x10
#define CODE_INFIXPOINTER 0x11
#define CODE_CUSTOM       0x12   /* deprecated */
#define CODE_CUSTOM_LEN   0x18
#define CODE_CUSTOM_FIXED 0x19

/* Marshal.extern_flags, in constructor order */
#define FLAG_NO_SHARING 1
#define FLAG_CLOSURES   2
#define FLAG_COMPAT_32  4

/* Code pointers are marshaled as (offset from caml_code_begin, digest of the program's
   code); extern.c computes the digest, intern.c compares against it. */
void oe_code_digest(unsigned char digest[16]);
extern char caml_code_begin[], caml_code_end[];
#endif
