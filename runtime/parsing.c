/* parsing.c — the pushdown automaton of ocamlyacc parsers (Parsing.yyparse), OCaml 4.13
   semantics. The OCaml side (stdlib/parsing.ml) calls the engine with a command, and the
   engine runs until it needs the OCaml side again (read a token, grow the stacks, run a
   semantic action, call the error function), saving its registers in the env record. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "runtime.h"

/* Field order of Parsing.parse_tables and Parsing.parser_env. */
enum { T_actions, T_transl_const, T_transl_block, T_lhs, T_len, T_defred, T_dgoto,
       T_sindex, T_rindex, T_gindex, T_tablesize, T_table, T_check, T_error_function,
       T_names_const, T_names_block };
enum { E_s_stack, E_v_stack, E_symb_start_stack, E_symb_end_stack, E_stacksize,
       E_stackbase, E_curr_char, E_lval, E_symb_start, E_symb_end, E_asp, E_rule_len,
       E_rule_number, E_sp, E_state, E_errflag };

/* Commands from the OCaml side and requests to it (Parsing.parser_input/parser_output). */
enum { START, TOKEN_READ, STACKS_GROWN_1, STACKS_GROWN_2, SEMANTIC_ACTION_COMPUTED,
       ERROR_DETECTED };
enum { READ_TOKEN, RAISE_PARSE_ERROR, GROW_STACKS_1, GROW_STACKS_2, COMPUTE_SEMANTIC_ACTION,
       CALL_ERROR_FUNCTION };

#define ERRCODE 256

static int caml_parser_trace = 0;

/* The tables are strings of little-endian signed 16-bit entries. */
static int tbl(value tables, int which, intnat i)
{
    const unsigned char *p = Bytes_val(Field(tables, which)) + 2 * i;
    return (int16_t)(p[0] | p[1] << 8);
}

#define ENV(f) Field(env, E_##f)

/* Looks up the packed table for (index table [which], entry [state], symbol [sym]):
   returns the table slot or -1 if the check fails. */
static intnat lookup(value tables, int which, int state, int sym)
{
    int base = tbl(tables, which, state);
    intnat i = (intnat)base + sym;
    if (base != 0 && i >= 0 && i <= Long_val(Field(tables, T_tablesize)) &&
        tbl(tables, T_check, i) == sym)
        return i;
    return -1;
}

/* ---- trace output (Parsing.set_trace true), written directly to stderr like ocamlrun ---- */

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void trace(const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
    if (n > 0) oe_platform_write(2, buf, (uintnat)n);
}

static const char *token_name(value names, int number)
{
    const char *p = String_val(names);
    for (; number > 0; number--) {
        if (*p == 0) return "<unknown token>";
        p += strlen(p) + 1;
    }
    return p;
}

static void trace_token(value tables, int state, value tok)
{
    if (Is_long(tok)) {
        trace("State %d: read token %s\n", state,
              token_name(Field(tables, T_names_const), Int_val(tok)));
        return;
    }
    trace("State %d: read token %s(", state,
          token_name(Field(tables, T_names_block), Tag_val(tok)));
    value v = Field(tok, 0);
    if (Is_long(v)) trace("%ld", (long)Long_val(v));
    else if (Tag_val(v) == String_tag) trace("%.100s", String_val(v));
    else if (Tag_val(v) == Double_tag) trace("%g", Double_val(v));
    else trace("_");
    trace(")\n");
}

/* ---- the automaton ---- */

enum step { LOOP, TESTSHIFT, RECOVER, SHIFT, SHIFT_RECOVER, PUSH, REDUCE, SEMANTIC_ACTION };

CAMLprim value caml_parse_engine(value tables, value env, value cmd, value arg)
{
    int state = 0, errflag = 0, rule = 0;
    intnat sp, slot = 0;
    enum step step;

#define SAVE (ENV(sp) = Val_long(sp), ENV(state) = Val_int(state), \
              ENV(errflag) = Val_int(errflag))
    sp = Long_val(ENV(sp));
    state = Int_val(ENV(state));
    errflag = Int_val(ENV(errflag));
    switch (Int_val(cmd)) {
    case START:
        state = 0;
        errflag = 0;
        step = LOOP;
        break;
    case TOKEN_READ:
        if (Is_block(arg)) {
            ENV(curr_char) = Field(Field(tables, T_transl_block), Tag_val(arg));
            caml_modify(&ENV(lval), Field(arg, 0));
        } else {
            ENV(curr_char) = Field(Field(tables, T_transl_const), Int_val(arg));
            caml_modify(&ENV(lval), Val_long(0));
        }
        if (caml_parser_trace) trace_token(tables, state, arg);
        step = TESTSHIFT;
        break;
    case ERROR_DETECTED:
        step = RECOVER;
        break;
    case STACKS_GROWN_1:
        step = PUSH;
        break;
    case STACKS_GROWN_2:
        step = SEMANTIC_ACTION;
        break;
    case SEMANTIC_ACTION_COMPUTED: {
        Field(ENV(s_stack), sp) = Val_int(state);
        caml_modify(&Field(ENV(v_stack), sp), arg);
        intnat asp = Long_val(ENV(asp));
        caml_modify(&Field(ENV(symb_end_stack), sp), Field(ENV(symb_end_stack), asp));
        /* an epsilon production starts where it ends */
        if (sp > asp)
            caml_modify(&Field(ENV(symb_start_stack), sp), Field(ENV(symb_end_stack), asp));
        step = LOOP;
        break;
    }
    default:
        return Val_int(RAISE_PARSE_ERROR);
    }

    for (;;) {
        switch (step) {
        case LOOP:
            rule = tbl(tables, T_defred, state);
            if (rule != 0) { step = REDUCE; break; }
            if (Int_val(ENV(curr_char)) >= 0) { step = TESTSHIFT; break; }
            SAVE;
            return Val_int(READ_TOKEN);

        case TESTSHIFT: {
            int tok = Int_val(ENV(curr_char));
            slot = lookup(tables, T_sindex, state, tok);
            if (slot >= 0) { step = SHIFT; break; }
            intnat r = lookup(tables, T_rindex, state, tok);
            if (r >= 0) { rule = tbl(tables, T_table, r); step = REDUCE; break; }
            if (errflag > 0) { step = RECOVER; break; }
            SAVE;
            return Val_int(CALL_ERROR_FUNCTION);
        }

        case RECOVER:
            if (errflag >= 3) {
                /* already recovering: drop the offending token */
                if (Int_val(ENV(curr_char)) == 0) return Val_int(RAISE_PARSE_ERROR);
                if (caml_parser_trace) trace("Discarding last token read\n");
                ENV(curr_char) = Val_int(-1);
                step = LOOP;
                break;
            }
            errflag = 3;
            /* pop states until one can shift the error token */
            for (;;) {
                int s = Int_val(Field(ENV(s_stack), sp));
                slot = lookup(tables, T_sindex, s, ERRCODE);
                if (slot >= 0) {
                    if (caml_parser_trace) trace("Recovering in state %d\n", s);
                    break;
                }
                if (caml_parser_trace) trace("Discarding state %d\n", s);
                if (sp <= Long_val(ENV(stackbase))) {
                    if (caml_parser_trace) trace("No more states to discard\n");
                    return Val_int(RAISE_PARSE_ERROR);
                }
                sp--;
            }
            step = SHIFT_RECOVER;
            break;

        case SHIFT:
            ENV(curr_char) = Val_int(-1);
            if (errflag > 0) errflag--;
            /* fall through */
        case SHIFT_RECOVER:
            if (caml_parser_trace)
                trace("State %d: shift to state %d\n", state, tbl(tables, T_table, slot));
            state = tbl(tables, T_table, slot);
            sp++;
            if (sp >= Long_val(ENV(stacksize))) {
                SAVE;
                return Val_int(GROW_STACKS_1);
            }
            step = PUSH;
            break;

        case PUSH:
            Field(ENV(s_stack), sp) = Val_int(state);
            caml_modify(&Field(ENV(v_stack), sp), ENV(lval));
            caml_modify(&Field(ENV(symb_start_stack), sp), ENV(symb_start));
            caml_modify(&Field(ENV(symb_end_stack), sp), ENV(symb_end));
            step = LOOP;
            break;

        case REDUCE: {
            if (caml_parser_trace) trace("State %d: reduce by rule %d\n", state, rule);
            int len = tbl(tables, T_len, rule);
            ENV(asp) = Val_long(sp);
            ENV(rule_number) = Val_int(rule);
            ENV(rule_len) = Val_int(len);
            sp = sp - len + 1;
            int lhs = tbl(tables, T_lhs, rule);
            int below = Int_val(Field(ENV(s_stack), sp - 1));
            intnat g = lookup(tables, T_gindex, lhs, below);
            state = g >= 0 ? tbl(tables, T_table, g) : tbl(tables, T_dgoto, lhs);
            if (sp >= Long_val(ENV(stacksize))) {
                SAVE;
                return Val_int(GROW_STACKS_2);
            }
            step = SEMANTIC_ACTION;
            break;
        }

        case SEMANTIC_ACTION:
            SAVE;
            return Val_int(COMPUTE_SEMANTIC_ACTION);
        }
    }
#undef SAVE
}

CAMLprim value caml_set_parser_trace(value flag)
{
    value old = Val_bool(caml_parser_trace);
    caml_parser_trace = Bool_val(flag);
    return old;
}
