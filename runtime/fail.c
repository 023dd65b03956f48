/* fail.c — raising exceptions from C, and the uncaught-exception / fatal-error exits.

   The predefined exceptions are the first globals (caml_globals[OUT_OF_MEMORY_EXN] ...), as
   in a bytecode executable. A constant exception is raised as its constructor; one with
   arguments as a block of tag 0 [constructor; args...]. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "runtime.h"

void caml_raise(value v)
{
    if (caml_c_sp == NULL) {
        /* no OCaml code to catch it (startup, or after exit) */
        caml_fatal_uncaught_exception(v);
        oe_platform_exit(2);
    }
    caml_local_roots = caml_entry_local_roots;
    caml_stash_backtrace_c(v);
    caml_raise_exn_asm(v);
}

void caml_raise_constant(value tag)
{
    caml_raise(tag);
}

void caml_raise_with_arg(value tag, value arg)
{
    CAMLparam2(tag, arg);
    value bucket = caml_alloc_small(2, 0);
    Field(bucket, 0) = tag;
    Field(bucket, 1) = arg;
    CAMLnoreturn;
    caml_raise(bucket);
}

void caml_raise_with_args(value tag, int nargs, value args[])
{
    CAMLparam1(tag);
    CAMLxparamN(args, nargs);
    value bucket;
    int i;
    bucket = caml_alloc((mlsize_t)nargs + 1, 0);
    Field(bucket, 0) = tag;
    for (i = 0; i < nargs; i++) caml_modify(&Field(bucket, i + 1), args[i]);
    CAMLnoreturn;
    caml_raise(bucket);
}

void caml_raise_with_string(value tag, const char *msg)
{
    CAMLparam1(tag);
    value s = caml_copy_string(msg);
    CAMLnoreturn;
    caml_raise_with_arg(tag, s);
}

void caml_failwith(const char *msg)
{
    caml_raise_with_string(caml_globals[FAILURE_EXN], msg);
}

void caml_failwith_value(value msg)
{
    caml_raise_with_arg(caml_globals[FAILURE_EXN], msg);
}

void caml_invalid_argument(const char *msg)
{
    caml_raise_with_string(caml_globals[INVALID_EXN], msg);
}

void caml_invalid_argument_value(value msg)
{
    caml_raise_with_arg(caml_globals[INVALID_EXN], msg);
}

void caml_raise_out_of_memory(void)
{
    caml_raise_constant(caml_globals[OUT_OF_MEMORY_EXN]);
}

void caml_raise_stack_overflow(void)
{
    caml_raise_constant(caml_globals[STACK_OVERFLOW_EXN]);
}

void caml_raise_sys_error(value msg)
{
    caml_raise_with_arg(caml_globals[SYS_ERROR_EXN], msg);
}

void caml_raise_end_of_file(void)
{
    caml_raise_constant(caml_globals[END_OF_FILE_EXN]);
}

void caml_raise_zero_divide(void)
{
    caml_raise_constant(caml_globals[ZERO_DIVIDE_EXN]);
}

void caml_raise_not_found(void)
{
    caml_raise_constant(caml_globals[NOT_FOUND_EXN]);
}

void caml_array_bound_error(void)
{
    caml_invalid_argument("index out of bounds");
}

void caml_raise_sys_blocked_io(void)
{
    caml_raise_constant(caml_globals[SYS_BLOCKED_IO]);
}

/* ---- printing an exception like ocamlrun's default printer (printexc.c) ---- */

struct strbuf { char *p, *end; };

static void add_str(struct strbuf *b, const char *s)
{
    while (*s && b->p < b->end) *b->p++ = *s++;
}

static void add_char(struct strbuf *b, char c)
{
    if (b->p < b->end) *b->p++ = c;
}

static int is_special_exception(value ctor)
{
    return ctor == caml_globals[MATCH_FAILURE_EXN] || ctor == caml_globals[ASSERT_FAILURE_EXN]
           || ctor == caml_globals[UNDEFINED_RECURSIVE_MODULE_EXN];
}

/* Formats exn into buf (size >= 2 bytes; truncated like OCaml's 256-byte buffer). */
char *caml_format_exception(value exn, char *buf, uintnat size)
{
    struct strbuf b;
    b.p = buf;
    b.end = buf + size - 1;
    if (Tag_val(exn) == 0) {
        value bucket;
        mlsize_t start, i;
        add_str(&b, String_val(Field(Field(exn, 0), 0)));
        if (Wosize_val(exn) == 2 && Is_block(Field(exn, 1)) && Tag_val(Field(exn, 1)) == 0
            && is_special_exception(Field(exn, 0))) {
            bucket = Field(exn, 1);
            start = 0;
        } else {
            bucket = exn;
            start = 1;
        }
        add_char(&b, '(');
        for (i = start; i < Wosize_val(bucket); i++) {
            value v = Field(bucket, i);
            if (i > start) add_str(&b, ", ");
            if (Is_long(v)) {
                char num[24];
                snprintf(num, sizeof(num), "%ld", (long)Long_val(v));
                add_str(&b, num);
            } else if (Tag_val(v) == String_tag) {
                add_char(&b, '"');
                add_str(&b, String_val(v));
                add_char(&b, '"');
            } else {
                add_char(&b, '_');
            }
        }
        add_char(&b, ')');
    } else {
        add_str(&b, String_val(Field(exn, 0)));
    }
    *b.p = 0;
    return buf;
}

static void write_stderr(const char *s)
{
    oe_platform_write(2, s, strlen(s));
}

void caml_fatal_uncaught_exception(value exn)
{
    const value *handler = caml_named_value("Printexc.handle_uncaught_exception");
    /* as OCaml: the handler's allocations must not run memprof callbacks (which could raise
       again) */
    caml_memprof_set_suspended(1);
    if (handler != NULL) {
        /* Printexc's handler prints, runs at_exit and flushes; it does not raise */
        caml_callback2_exn(*handler, exn, Val_false);
    } else {
        static char msg[256];
        const value *at_exit;
        int saved_active = caml_backtrace_active, saved_pos = caml_backtrace_pos();
        caml_format_exception(exn, msg, sizeof(msg));
        caml_backtrace_active = 0;      /* at_exit must not disturb the backtrace */
        at_exit = caml_named_value("Pervasives.do_at_exit");
        if (at_exit != NULL) caml_callback_exn(*at_exit, Val_unit);
        caml_backtrace_active = saved_active;
        caml_set_backtrace_pos(saved_pos);
        write_stderr("Fatal error: exception ");
        write_stderr(msg);
        write_stderr("\n");
        if (caml_backtrace_active) caml_print_exception_backtrace();
    }
    oe_platform_exit(2);
}

void caml_fatal_error(const char *fmt, ...)
{
    char buf[200];
    va_list args;
    va_start(args, fmt);
    vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    write_stderr("Fatal error: ");
    write_stderr(buf);
    write_stderr("\n");
    oe_platform_exit(2);
}
