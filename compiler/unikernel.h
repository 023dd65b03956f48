/* unikernel.h — building a MirageOS-style unikernel directory (`ocaml-esp32 build|run DIR`):
   reads DIR/unikernel.conf, generates the main module (functor application + OS.Main.run, as
   `mirage configure` does), compiles the OCaml sources with ocamlfind against the OS library
   (build/os/oe_os.cma) and the C files for the target, and hands back a bytecode executable
   plus the C objects to link. See os/README.md. */
#ifndef OE_UNIKERNEL_H
#define OE_UNIKERNEL_H
#include "toolchain.h"

/* Non-zero if path is a directory (then it must be a unikernel directory). */
int uk_is_dir(const char *path);

/* Builds the unikernel in dir for img->cpu: returns the path of the bytecode executable (in
   the temporary directory); sets img->extra_objs to the compiled C files and registers their
   global functions as known primitives. *default_elf (if not NULL) receives DIR/NAME.elf.
   Any error (missing files, bad configuration, OCaml or C compilation errors, a missing
   ocamlfind package) is reported and exits with a non-zero status. */
const char *uk_build(const char *dir, tc_image_opts *img, char **default_elf);
#endif
