/* sys.c — the primitives of OCaml 4.13's runtime/sys.c (caml_sys_exit is in startup.c,
   caml_sys_isatty in io.c) plus signals and the runtime-warning switches. Files are those of
   the platform layer (QEMU: the host's, through semihosting; the chip: none), which can only
   open, read, write, seek and close; there is no environment, no shell and no signal; the
   configuration is that of a 32-bit little-endian Unix. */
#include <string.h>
#include <errno.h>
#include "runtime.h"
#include "io.h"

/* ---- Sys_error ---- */

static const char *error_message(int err)
{
    switch (err) {
    case ENOENT: return "No such file or directory";
    case EBADF: return "Bad file descriptor";
    case ESPIPE: return "Illegal seek";
    case EIO: return "Input/output error";
    case EINVAL: return "Invalid argument";
    case EOVERFLOW: return "Value too large for defined data type";
    case ENOSYS: return "Function not implemented";
    case EPERM: return "Operation not permitted";
    case EACCES: return "Permission denied";
    case EEXIST: return "File exists";
    case ENOTDIR: return "Not a directory";
    case EISDIR: return "Is a directory";
    case EMFILE: return "Too many open files";
    case ENFILE: return "Too many open files in system";
    case ENOSPC: return "No space left on device";
    case EROFS: return "Read-only file system";
    case EFBIG: return "File too large";
    case ENAMETOOLONG: return "File name too long";
    case ELOOP: return "Too many levels of symbolic links";
    case ENOTEMPTY: return "Directory not empty";
    case EXDEV: return "Invalid cross-device link";
    case EAGAIN: return "Resource temporarily unavailable";
    case EPIPE: return "Broken pipe";
    case ENXIO: return "No such device or address";
    case ENODEV: return "No such device";
    case ETXTBSY: return "Text file busy";
    case EBUSY: return "Device or resource busy";
    case ENOMEM: return "Cannot allocate memory";
    case EINTR: return "Interrupted system call";
    case EFAULT: return "Bad address";
    default: return strerror(err);
    }
}

void oe_sys_error(value arg, int err)
{
    CAMLparam1(arg);
    CAMLlocal1(str);
    const char *msg = error_message(err);
    if (arg == NO_ARG) {
        str = caml_copy_string(msg);
    } else {
        mlsize_t alen = caml_string_length(arg), mlen = strlen(msg);
        str = caml_alloc_string(alen + 2 + mlen);
        memcpy(&Byte(str, 0), String_val(arg), alen);
        memcpy(&Byte(str, alen), ": ", 2);
        memcpy(&Byte(str, alen + 2), msg, mlen);
    }
    CAMLnoreturn;
    caml_raise_sys_error(str);
}

void caml_sys_error(value arg) { oe_sys_error(arg, errno); }

/* ---- files: through the platform (oe_platform_open/close/lseek, runtime.h) ----
   The platform can open, read, write, seek and close, nothing else: existence and kind are
   found by opening; removing, renaming, listing and creating directories are impossible and
   fail with ENOSYS ("Function not implemented") when the path exists (ENOENT otherwise, as
   the real call would). */

/* caml_sys_check_path: a path with a NUL inside names no file */
static void check_path(value path)
{
    if (!caml_string_is_c_safe(path)) oe_sys_error(path, ENOENT);
}

static const int open_flags[] = {       /* the order of Stdlib.open_flag */
    OE_O_RDONLY, OE_O_WRONLY, OE_O_APPEND | OE_O_WRONLY, OE_O_CREAT, OE_O_TRUNC, OE_O_EXCL,
    0 /* binary */, 0 /* text */, OE_O_NONBLOCK
};

CAMLprim value caml_sys_open(value path, value vflags, value vperm)
{
    int flags = 0;
    intnat fd;
    check_path(path);
    for (value l = vflags; l != Val_emptylist; l = Field(l, 1))
        flags |= open_flags[Int_val(Field(l, 0))];
    fd = oe_platform_open(String_val(path), flags, Int_val(vperm));
    if (fd < 0) oe_sys_error(path, (int)-fd);
    return Val_long(fd);
}

CAMLprim value caml_sys_close(value fd)
{
    int r = oe_platform_close(Int_val(fd));
    if (r < 0) oe_sys_error(NO_ARG, -r);
    return Val_unit;
}

/* 0 if the file does not exist (*err says why), 1 for a file, 2 for a directory (opened
   read-only, a directory refuses read(2) with EISDIR) */
static int probe(const char *path, int *err)
{
    char c;
    intnat fd = oe_platform_open(path, OE_O_RDONLY, 0);
    *err = 0;
    if (fd == -EACCES) return 1;           /* exists, unreadable (stat would succeed) */
    if (fd < 0) { *err = (int)-fd; return 0; }
    intnat r = oe_platform_read((int)fd, &c, 1);
    oe_platform_close((int)fd);
    return r == -EISDIR ? 2 : 1;
}

CAMLprim value caml_sys_file_exists(value name)
{
    int err;
    if (!caml_string_is_c_safe(name)) return Val_false;
    return Val_bool(probe(String_val(name), &err) != 0);
}

CAMLprim value caml_sys_is_directory(value name)
{
    int err, kind;
    check_path(name);
    kind = probe(String_val(name), &err);
    if (kind == 0) oe_sys_error(name, err);
    return Val_bool(kind == 2);
}

/* fails like the missing system call would: ENOENT if the path does not exist, else ENOSYS */
static Noreturn void unsupported(value path, value arg)
{
    int err;
    if (probe(String_val(path), &err) != 0) err = ENOSYS;
    oe_sys_error(arg, err);
}

CAMLprim value caml_sys_remove(value name) { check_path(name); unsupported(name, name); }
CAMLprim value caml_sys_chdir(value dirname) { check_path(dirname); unsupported(dirname, dirname); }
CAMLprim value caml_sys_rmdir(value path) { check_path(path); unsupported(path, path); }
CAMLprim value caml_sys_read_directory(value path) { check_path(path); unsupported(path, path); }

CAMLprim value caml_sys_mkdir(value path, value perm)
{
    int err;
    (void)perm;
    check_path(path);
    oe_sys_error(path, probe(String_val(path), &err) != 0 ? EEXIST : ENOSYS);
}

CAMLprim value caml_sys_rename(value oldname, value newname)
{
    check_path(oldname);
    check_path(newname);
    unsupported(oldname, NO_ARG);
}

/* The platform has no notion of a working directory (QEMU resolves relative paths in its
   own, which the program cannot learn): "/" */
CAMLprim value caml_sys_getcwd(value unit) { (void)unit; return caml_copy_string("/"); }

/* ---- environment: empty ---- */

CAMLprim value caml_sys_getenv(value var) { (void)var; caml_raise_not_found(); }
CAMLprim value caml_sys_unsafe_getenv(value var) { (void)var; caml_raise_not_found(); }

/* ---- command line (from the platform's argc/argv) ---- */

static value main_argv;    /* 0 until first used; then a generational global root */

static value argv_array(void)
{
    CAMLparam0();
    CAMLlocal2(arr, s);
    if (main_argv == 0) {
        int n = caml_argv != NULL ? caml_argc : 0;
        arr = n > 0 ? caml_alloc(n, 0) : Atom(0);
        for (int i = 0; i < n; i++) {
            s = caml_copy_string(caml_argv[i] ? caml_argv[i] : "");
            Store_field(arr, i, s);
        }
        main_argv = arr;
        caml_register_generational_global_root(&main_argv);
    }
    CAMLreturn(main_argv);
}

static const char *exe_name(void)
{
    return caml_argv != NULL && caml_argc > 0 && caml_argv[0] != NULL ? caml_argv[0] : "";
}

CAMLprim value caml_sys_get_argv(value unit)
{
    CAMLparam1(unit);
    CAMLlocal3(name, args, res);
    args = argv_array();
    name = caml_copy_string(exe_name());
    res = caml_alloc_small(2, 0);
    Field(res, 0) = name;
    Field(res, 1) = args;
    CAMLreturn(res);
}

CAMLprim value caml_sys_argv(value unit) { (void)unit; return argv_array(); }

CAMLprim value caml_sys_modify_argv(value new_argv)
{
    (void)argv_array();
    caml_modify_generational_global_root(&main_argv, new_argv);
    return Val_unit;
}

CAMLprim value caml_sys_executable_name(value unit)
{
    (void)unit;
    return caml_copy_string(exe_name());
}

/* no shell (ocamlrun built without system()) */
CAMLprim value caml_sys_system_command(value command)
{
    if (!caml_string_is_c_safe(command)) oe_sys_error(command, EINVAL);
    caml_invalid_argument("Sys.command not implemented");
}

/* ---- time and randomness ---- */

/* processor time: the program has the processor since boot */
CAMLprim value caml_sys_time(value unit)
{
    (void)unit;
    return caml_copy_double((double)oe_platform_time_ns() / 1e9);
}

CAMLprim value caml_sys_time_include_children(value include_children)
{
    return caml_sys_time(include_children);
}

/* 12 "random bytes" (as read from /dev/urandom) mixed from the cycle counter */
CAMLprim value caml_sys_random_seed(value unit)
{
    uint64_t x = oe_platform_cycles() ^ (oe_platform_time_ns() << 17);
    value res;
    (void)unit;
    res = caml_alloc_small(12, 0);
    for (int i = 0; i < 12; i++) {
        uint64_t z = (x += UINT64_C(0x9E3779B97F4A7C15));
        z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
        Field(res, i) = Val_long((z ^ (z >> 31)) & 0xFF);
    }
    return res;
}

/* ---- configuration ---- */

CAMLprim value caml_sys_const_big_endian(value unit) { (void)unit; return Val_false; }
CAMLprim value caml_sys_const_word_size(value unit)
{
    (void)unit;
    return Val_long(8 * sizeof(value));
}

CAMLprim value caml_sys_const_int_size(value unit)
{
    (void)unit;
    return Val_long(8 * sizeof(value) - 1);
}

CAMLprim value caml_sys_const_max_wosize(value unit) { (void)unit; return Val_long(Max_wosize); }
CAMLprim value caml_sys_const_ostype_unix(value unit) { (void)unit; return Val_true; }
CAMLprim value caml_sys_const_ostype_win32(value unit) { (void)unit; return Val_false; }
CAMLprim value caml_sys_const_ostype_cygwin(value unit) { (void)unit; return Val_false; }
CAMLprim value caml_sys_const_backend_type(value unit) { (void)unit; return Val_int(1); }
CAMLprim value caml_sys_const_naked_pointers_checked(value unit) { (void)unit; return Val_false; }

CAMLprim value caml_sys_get_config(value unit)
{
    CAMLparam1(unit);
    CAMLlocal2(ostype, res);
    ostype = caml_copy_string("Unix");
    res = caml_alloc_small(3, 0);
    Field(res, 0) = ostype;
    Field(res, 1) = Val_long(8 * sizeof(value));
    Field(res, 2) = Val_false;
    CAMLreturn(res);
}

/* ---- runtime information (gc_ctrl.c in OCaml) ---- */

int caml_runtime_warnings = 0;

CAMLprim value caml_runtime_variant(value unit) { (void)unit; return caml_copy_string(""); }

/* ocamlrun's default settings (the GC here has other knobs; see Gc.get) */
CAMLprim value caml_runtime_parameters(value unit)
{
    (void)unit;
    return caml_alloc_sprintf("a=2,b=0,H=0,i=15,l=1048576,o=120,O=500,p=0,s=262144,t=0,v=0,"
                              "w=1,W=%d", caml_runtime_warnings);
}

CAMLprim value caml_ml_enable_runtime_warnings(value vbool)
{
    caml_runtime_warnings = Bool_val(vbool);
    return Val_unit;
}

CAMLprim value caml_ml_runtime_warnings_enabled(value unit)
{
    (void)unit;
    return Val_bool(caml_runtime_warnings);
}

/* ---- signals (signals.c): none is ever delivered; the actions are only recorded ---- */

/* Linux numbers of OCaml's Sys.sigabrt (-1) ... Sys.sigxfsz (-28) */
static const unsigned char posix_signals[28] = {
    6, 14, 8, 1, 4, 2, 9, 13, 3, 11, 15, 10, 12, 17, 18, 19, 20, 21, 22, 26, 27, 7, 29, 31, 5,
    23, 24, 25
};
#define NSIG_LINUX 65
static value signal_handlers;   /* OCaml array of the Signal_handle closures, or 0 */
static unsigned char signal_action[NSIG_LINUX];

CAMLprim value caml_install_signal_handler(value signal_number, value action)
{
    CAMLparam2(signal_number, action);
    CAMLlocal1(res);
    int sig = Int_val(signal_number), old;
    if (sig < 0 && sig >= -28) sig = posix_signals[-sig - 1];
    if (sig < 0 || sig >= NSIG_LINUX) caml_invalid_argument("Sys.signal: unavailable signal");
    if (sig == 9 || sig == 19 || sig == 0 || sig == 32 || sig == 33)  /* sigaction refuses */
        oe_sys_error(NO_ARG, EINVAL);
    old = signal_action[sig];
    if (old == 2) {
        res = caml_alloc_small(1, 0);
        Field(res, 0) = Field(signal_handlers, sig);
    } else {
        res = Val_int(old);     /* Signal_default | Signal_ignore */
    }
    signal_action[sig] = Is_block(action) ? 2 : (unsigned char)Int_val(action);
    if (Is_block(action)) {
        if (signal_handlers == 0) {
            signal_handlers = caml_alloc(NSIG_LINUX, 0);
            caml_register_global_root(&signal_handlers);
        }
        caml_modify(&Field(signal_handlers, sig), Field(action, 0));
    }
    CAMLreturn(res);
}
