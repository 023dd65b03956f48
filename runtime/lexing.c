/* lexing.c — the table-driven automaton of ocamllex lexers (Lexing.engine/new_engine),
   OCaml 4.13 semantics. The tables are strings of little-endian signed 16-bit entries.
   Only integers are stored into the lexbuf and its lex_mem array, so no write barrier. */
#include "runtime.h"

/* Field order of Lexing.lexbuf and Lexing.lex_tables. */
enum { LB_refill, LB_buffer, LB_buffer_len, LB_abs_pos, LB_start_pos, LB_curr_pos,
       LB_last_pos, LB_last_action, LB_eof_reached, LB_mem };
enum { T_base, T_backtrk, T_default, T_trans, T_check, T_base_code, T_backtrk_code,
       T_default_code, T_trans_code, T_check_code, T_code };

static int entry(value tbl, value table, int i)
{
    const unsigned char *p = Bytes_val(Field(tbl, table)) + 2 * i;
    return (int16_t)(p[0] | p[1] << 8);
}

/* Memory-move programs of the new engine: pairs (dst, src) ended by 0xff; src 0xff means
   "the current position" (run_mem) or "-1" (run_tag). */
static void run_moves(value tbl, int pc, value mem, value fill)
{
    const unsigned char *p = Bytes_val(Field(tbl, T_code)) + pc;
    for (;;) {
        unsigned dst = *p++;
        if (dst == 0xff) return;
        unsigned src = *p++;
        Field(mem, dst) = src == 0xff ? fill : Field(mem, src);
    }
}

static value engine(value tbl, value start_state, value lexbuf, int with_mem)
{
    int state = Int_val(start_state);
    value mem = with_mem ? Field(lexbuf, LB_mem) : Val_unit;
    if (state >= 0) {
        Field(lexbuf, LB_last_pos) = Field(lexbuf, LB_start_pos) = Field(lexbuf, LB_curr_pos);
        Field(lexbuf, LB_last_action) = Val_int(-1);
    } else {
        state = -state - 1;    /* re-entry after a refill */
    }
    for (;;) {
        int base = entry(tbl, T_base, state);
        if (base < 0) {
            if (with_mem) run_moves(tbl, entry(tbl, T_base_code, state), mem, Val_int(-1));
            return Val_int(-base - 1);
        }
        int backtrk = entry(tbl, T_backtrk, state);
        if (backtrk >= 0) {
            if (with_mem) run_moves(tbl, entry(tbl, T_backtrk_code, state), mem, Val_int(-1));
            Field(lexbuf, LB_last_pos) = Field(lexbuf, LB_curr_pos);
            Field(lexbuf, LB_last_action) = Val_int(backtrk);
        }
        int c;
        if (Field(lexbuf, LB_curr_pos) >= Field(lexbuf, LB_buffer_len)) {
            if (Field(lexbuf, LB_eof_reached) == Val_false) return Val_int(-state - 1);
            c = 256;    /* the EOF pseudo-character */
        } else {
            c = Byte_u(Field(lexbuf, LB_buffer), Long_val(Field(lexbuf, LB_curr_pos)));
            Field(lexbuf, LB_curr_pos) += 2;   /* tagged +1 */
        }
        int prev = state;
        if (entry(tbl, T_check, base + c) == state) state = entry(tbl, T_trans, base + c);
        else state = entry(tbl, T_default, state);
        if (state < 0) {
            /* no transition: back to the last accepting position */
            Field(lexbuf, LB_curr_pos) = Field(lexbuf, LB_last_pos);
            if (Field(lexbuf, LB_last_action) == Val_int(-1))
                caml_failwith("lexing: empty token");
            return Field(lexbuf, LB_last_action);
        }
        if (with_mem) {
            int base_code = entry(tbl, T_base_code, prev), pc;
            if (entry(tbl, T_check_code, base_code + c) == prev)
                pc = entry(tbl, T_trans_code, base_code + c);
            else
                pc = entry(tbl, T_default_code, prev);
            if (pc > 0) run_moves(tbl, pc, mem, Field(lexbuf, LB_curr_pos));
        }
        /* EOF is consumed only when the automaton took a transition on it */
        if (c == 256) Field(lexbuf, LB_eof_reached) = Val_false;
    }
}

CAMLprim value caml_lex_engine(value tbl, value start_state, value lexbuf)
{
    return engine(tbl, start_state, lexbuf, 0);
}

CAMLprim value caml_new_lex_engine(value tbl, value start_state, value lexbuf)
{
    return engine(tbl, start_state, lexbuf, 1);
}
