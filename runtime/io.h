/* io.h — channel accessors used outside io.c (md5.c: Digest.channel; extern.c/intern.c:
   output_value/input_value on channels). Implemented by io.c. [chan] is the OCaml value of
   an in_channel/out_channel (a custom block). Both may raise (Sys_error, ...) like the
   channel primitives do. */
#ifndef OE_IO_H
#define OE_IO_H
#include "include/caml/mlvalues.h"

/* Reads up to [len] bytes (len > 0) into [buf], blocking until at least one byte is
   available; returns the number of bytes read, 0 at end of file. */
intnat caml_channel_read_block(value chan, char *buf, intnat len);

/* Writes all [len] bytes of [buf] to the channel (buffered, like output). */
void caml_channel_write_block(value chan, const char *buf, intnat len);

/* sys.c: raise Sys_error "<arg>: <message>" (just "<message>" when arg is NO_ARG), with the
   glibc message of errno value [err] (ENOENT, EBADF, ESPIPE, EIO, ...), as ocamlrun on Linux. */
#define NO_ARG Val_int(0)
Noreturn void oe_sys_error(value arg, int err);
Noreturn void caml_sys_error(value arg);    /* err = errno */
extern int caml_runtime_warnings;           /* Sys.enable_runtime_warnings */
#endif
