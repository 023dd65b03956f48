/* sys.c — the primitives of OCaml 4.13's runtime/sys.c (caml_sys_exit is in startup.c,
   caml_sys_isatty in io.c) plus signals and the runtime-warning switches. There is no file
   system, no environment, no shell and no signal: every file operation fails the way it does
   for a missing file on Linux; the configuration is that of a 32-bit little-endian Unix. */
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

/* ---- files: none exist ---- */

static Noreturn void no_file(value path) { oe_sys_error(path, ENOENT); }

CAMLprim value caml_sys_open(value path, value vflags, value vperm)
{
    (void)vflags; (void)vperm;
    no_file(path);
}

CAMLprim value caml_sys_close(value fd) { (void)fd; return Val_unit; }
CAMLprim value caml_sys_file_exists(value name) { (void)name; return Val_false; }
CAMLprim value caml_sys_is_directory(value name) { no_file(name); }
CAMLprim value caml_sys_remove(value name) { no_file(name); }
CAMLprim value caml_sys_chdir(value dirname) { no_file(dirname); }
CAMLprim value caml_sys_mkdir(value path, value perm) { (void)perm; no_file(path); }
CAMLprim value caml_sys_rmdir(value path) { no_file(path); }
CAMLprim value caml_sys_read_directory(value path) { no_file(path); }

CAMLprim value caml_sys_rename(value oldname, value newname)
{
    if (!caml_string_is_c_safe(oldname)) no_file(oldname);
    if (!caml_string_is_c_safe(newname)) no_file(newname);
    oe_sys_error(NO_ARG, ENOENT);
}

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
