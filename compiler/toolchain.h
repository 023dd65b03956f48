/* toolchain.h — finding and running the external tools (Debian's Xtensa binutils/gcc, QEMU)
   and the project's own target files (runtime libraries, linker scripts). */
#ifndef OE_TOOLCHAIN_H
#define OE_TOOLCHAIN_H
#include <stdint.h>

typedef struct tc_image_opts {
    const char *cpu;          /* "esp32" or "lx106" */
    const char *platform;     /* "qemu" */
    uint32_t heap_bytes;      /* major heap; 0 = platform default */
    uint32_t minor_bytes;     /* minor heap; 0 = default */
    uint32_t stack_bytes;     /* OCaml stack; 0 = default */
    uint32_t c_heap_bytes;    /* C heap (malloc: bigarray data, channel buffers); 0 = default */
    uint32_t c_stack_bytes;   /* C stack (runtime, primitives, interrupts); 0 = default */
    uint32_t cpu_mhz;         /* esp32 chip: CPU clock (80, 160, 240); 0 = default (160) */
    uint32_t irom_start;      /* esp32 chip: address of the flash code; 0 = the script's */
    int stats;                /* report instructions and peak memory at exit */
    const char *const *extra_objs;  /* user C objects (unikernel directories) linked in */
    int n_extra_objs;
} tc_image_opts;

/* "80", "160" or "240" (MHz) for option or key `what`; a fatal error otherwise. */
uint32_t tc_parse_cpu_mhz(const char *what, const char *s);

/* The project root (holding build/target and platform/), from the tool's own location or
   $OCAML_ESP32_ROOT. Fatal error if the target runtime is not built. */
const char *tc_root(void);
/* Full path of an executable found in PATH; fatal error naming the Debian package if absent. */
const char *tc_require(const char *prog, const char *debian_package);
/* Runs argv (NULL-terminated) and waits; returns its exit status (128+signal if killed). */
int tc_run(char *const argv[]);
/* Runs argv and returns its exit status; what it writes on stdout (or on stderr if
   from_stderr) is returned in *out (NUL-terminated, malloc'ed), the other stream passes
   through. */
int tc_run_capture(char *const argv[], int from_stderr, char **out);
/* Like tc_run, with the program's stderr written to the file err_path (if not NULL). */
int tc_run_errfile(char *const argv[], const char *err_path);
/* Links obj (our generated object) with the runtime and platform into out_elf. On failure:
   a fatal error of one line (the linker's first error and how many lines followed). */
void tc_link(const char *obj, const tc_image_opts *o, const char *out_elf);
/* The same, returning ld's exit status; on failure *err is that one-line summary (malloc'ed,
   or NULL if ld said nothing), else NULL (warnings pass through to stderr). */
int tc_link_try(const char *obj, const tc_image_opts *o, const char *out_elf, char **err);
/* A fresh temporary directory (removed at exit). */
const char *tc_tmpdir(void);
#endif
