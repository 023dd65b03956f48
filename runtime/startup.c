/* startup.c — program entry (caml_main), exit, named values (Callback.register). */
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

char **caml_argv;
int caml_argc;

/* ---- named values ---- */

struct named_value {
    struct named_value *next;
    value val;
    char name[];
};
static struct named_value *named_values;

CAMLprim value caml_register_named_value(value vname, value val)
{
    const char *name = String_val(vname);
    size_t len = strlen(name);
    struct named_value *nv;
    for (nv = named_values; nv != NULL; nv = nv->next) {
        if (strcmp(nv->name, name) == 0) {
            nv->val = val;
            return Val_unit;
        }
    }
    nv = caml_stat_alloc(sizeof(struct named_value) + len + 1);
    memcpy(nv->name, name, len + 1);
    nv->val = val;
    nv->next = named_values;
    named_values = nv;
    return Val_unit;
}

const value *caml_named_value(const char *name)
{
    struct named_value *nv;
    for (nv = named_values; nv != NULL; nv = nv->next)
        if (strcmp(nv->name, name) == 0) return &nv->val;
    return NULL;
}

void caml_scan_named_values(void (*f)(value *p))
{
    struct named_value *nv;
    for (nv = named_values; nv != NULL; nv = nv->next) f(&nv->val);
}

/* ---- OCAMLRUNPARAM ----
   The string given to `ocaml-esp32 run` in its environment (emitted by the compiler as
   caml_runparam; absent otherwise). Options are comma-separated letters with an optional
   =value, as in ocamlrun; only b (record backtraces; b alone means b=1) has an effect. */
extern const char caml_runparam[] __attribute__((weak));

static void parse_runparam(void)
{
    const char *o = caml_runparam;
    if (o == NULL) return;
    while (*o) {
        char opt = *o++;
        if (opt == ',') continue;
        if (opt == 'b') {
            unsigned long v = 1;
            if (o[0] == '=' && o[1] == '0' && (o[2] == 'x' || o[2] == 'X'))
                v = strtoul(o + 3, NULL, 16);
            else if (o[0] == '=' && o[1] >= '0' && o[1] <= '9')
                v = strtoul(o + 1, NULL, 10);
            caml_record_backtrace(Val_int(v));
        }
        while (*o && *o++ != ',') {}
    }
}

/* ---- entry and exit ---- */

int caml_main(int argc, char **argv)
{
    value res;
    caml_argc = argc;
    caml_argv = argv;
    caml_c_sp = NULL;
    caml_local_roots = NULL;
    caml_entry_local_roots = NULL;
    caml_init_gc();
    parse_runparam();
    res = caml_start_program();
    if (Is_exception_result(res)) caml_fatal_uncaught_exception(Extract_exception(res));
    caml_do_exit(0);
    return 0;
}

/* End of the program: at_exit functions (flush of the std channels) then exit. Stdlib's
   at_exit functions run at most once each, so calling it after std_exit.ml did is harmless. */
void caml_do_exit(int code)
{
    const value *at_exit = caml_named_value("Pervasives.do_at_exit");
    if (at_exit != NULL) (void)caml_callback_exn(*at_exit, Val_unit);
    oe_platform_exit(code);
}

/* Stdlib.exit has already run do_at_exit (as ocamlrun, which only exits here). */
CAMLprim value caml_sys_exit(value retcode)
{
    oe_platform_exit(Int_val(retcode));
}
