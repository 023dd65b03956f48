/* fail.h — raising exceptions from C. */
#ifndef CAML_FAIL_H
#define CAML_FAIL_H
#include "mlvalues.h"
/* Indices of the predefined exceptions in the global table. */
#define OUT_OF_MEMORY_EXN 0
#define SYS_ERROR_EXN 1
#define FAILURE_EXN 2
#define INVALID_EXN 3
#define END_OF_FILE_EXN 4
#define ZERO_DIVIDE_EXN 5
#define NOT_FOUND_EXN 6
#define MATCH_FAILURE_EXN 7
#define STACK_OVERFLOW_EXN 8
#define SYS_BLOCKED_IO 9
#define ASSERT_FAILURE_EXN 10
#define UNDEFINED_RECURSIVE_MODULE_EXN 11

Noreturn void caml_raise(value bucket);
Noreturn void caml_raise_constant(value tag);
Noreturn void caml_raise_with_arg(value tag, value arg);
Noreturn void caml_raise_with_args(value tag, int nargs, value arg[]);
Noreturn void caml_raise_with_string(value tag, const char *msg);
Noreturn void caml_failwith(const char *msg);
Noreturn void caml_failwith_value(value msg);
Noreturn void caml_invalid_argument(const char *msg);
Noreturn void caml_invalid_argument_value(value msg);
Noreturn void caml_raise_out_of_memory(void);
Noreturn void caml_raise_stack_overflow(void);
Noreturn void caml_raise_sys_error(value msg);
Noreturn void caml_raise_end_of_file(void);
Noreturn void caml_raise_zero_divide(void);
Noreturn void caml_raise_not_found(void);
Noreturn void caml_array_bound_error(void);
Noreturn void caml_raise_sys_blocked_io(void);
#endif
