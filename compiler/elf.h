/* elf.h — writing ELF32 little-endian relocatable objects for Xtensa (EM_XTENSA = 94). */
#ifndef OE_ELF_H
#define OE_ELF_H
#include <stddef.h>
#include <stdint.h>

typedef struct elf_obj elf_obj;

enum elf_sec_kind { ELF_TEXT, ELF_RODATA, ELF_DATA, ELF_BSS };
enum elf_bind { ELF_LOCAL, ELF_GLOBAL };
enum elf_symtype { ELF_NOTYPE, ELF_OBJECT, ELF_FUNC };

elf_obj *elf_new(void);
void elf_free(elf_obj *o);
/* Adds a section (name e.g. ".text", ".rodata.caml", ".data"); returns its index. */
int elf_section(elf_obj *o, const char *name, enum elf_sec_kind kind, uint32_t align);
/* Appends bytes (ELF_BSS: only grows the size; data may be NULL); returns the offset. */
uint32_t elf_append(elf_obj *o, int sec, const void *data, uint32_t len);
uint32_t elf_size(elf_obj *o, int sec);
void elf_align(elf_obj *o, int sec, uint32_t align);   /* zero-pads */
/* Defines a symbol in sec at value (sec < 0: undefined). Returns a symbol handle.
   Referencing an undefined name creates it on first use via elf_symbol_ref. */
int elf_symbol(elf_obj *o, const char *name, int sec, uint32_t value, uint32_t size,
               enum elf_bind bind, enum elf_symtype type);
int elf_symbol_ref(elf_obj *o, const char *name);      /* existing or new undefined global */
int elf_section_symbol(elf_obj *o, int sec);           /* the STT_SECTION symbol of sec */
/* RELA relocation in sec at offset against symbol handle sym. */
void elf_reloc(elf_obj *o, int sec, uint32_t offset, int sym, int type, int32_t addend);
/* Writes the object; failure is a diag_fatal naming the path. */
void elf_write(elf_obj *o, const char *path);
#endif
