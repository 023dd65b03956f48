/* size.h — `ocaml-esp32 size`: the flash and RAM footprint of an image, from its ELF sections
   (and, with --run, the peaks of heap and stacks measured by running it in QEMU). */
#ifndef OE_SIZE_H
#define OE_SIZE_H
int size_cmd(int argc, char **argv);
#endif
