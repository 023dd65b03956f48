/* data.h — laying out the static data of a program (the DATA section) for the target. */
#ifndef OE_XTENSA_DATA_H
#define OE_XTENSA_DATA_H
#include "elf.h"
#include "marshal.h"

/* Emits the global table `globals` (a block) into section data_sec as
   [header][field 0]...[field n-1] with the global symbol caml_globals at field 0, the
   32-bit word caml_globals_count into rodata_sec, and every block reachable from the table
   once as a pre-built black block in rodata_sec. Globals with keep[i] == 0 (never read by
   live code) become Val_unit and their constants are not emitted; keep NULL keeps all.
   `where` names the program in messages. */
void xt_data_emit(elf_obj *o, int rodata_sec, int data_sec, ml_value globals,
                  const uint8_t *keep, const char *where);
#endif
