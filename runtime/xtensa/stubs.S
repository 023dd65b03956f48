/* stubs.S — glue between generated code and the C runtime (docs/architecture.md).

   CALL0 ABI, lx106 instruction subset only. Generated-code registers: a2 accu, a12 sp,
   a13 env, a14 young_ptr, a15 extra_args (tagged,
   Val_long(extra_args), so that frames store it as is); a1 is the C stack pointer, equal to
   caml_c_sp while OCaml code runs. C functions preserve a12-a15 and clobber a0, a2-a11.

   C frame of an OCaml activation (caml_start_program, caml_callback_asm), at caml_c_sp:
     0 a0, 4 a12, 8 a13, 12 a14, 16 a15, 20 previous caml_c_sp,
     24 previous caml_entry_local_roots, 28 unused (32 bytes keep a1 16-aligned). */

#define Val_unit 1
#define FRAME 32

        .text
        .literal_position

/* Entering OCaml from C (caml_start_program, caml_callback_asm): save the C callee-saved
   registers and the previous activation's caml_c_sp / caml_entry_local_roots in a FRAME-byte
   frame that .Lactivation_exit undoes; this activation's C stack pointer becomes caml_c_sp. */
        .macro  enter_from_c
        addi    a1, a1, -FRAME
        s32i    a0, a1, 0
        s32i    a12, a1, 4
        s32i    a13, a1, 8
        s32i    a14, a1, 12
        s32i    a15, a1, 16
        movi    a8, caml_c_sp
        l32i    a9, a8, 0
        s32i    a9, a1, 20
        s32i    a1, a8, 0
        movi    a8, caml_entry_local_roots
        l32i    a9, a8, 0
        s32i    a9, a1, 24
        movi    a10, caml_local_roots
        l32i    a10, a10, 0
        s32i    a10, a8, 0
        .endm

/* value caml_start_program(void) */
        .align 4
        .global caml_start_program
        .type caml_start_program, @function
caml_start_program:
        enter_from_c
        movi    a8, caml_stack_high
        l32i    a12, a8, 0
        /* bottom trap frame: uncaught exceptions */
        addi    a12, a12, -16
        movi    a8, .Luncaught
        s32i    a8, a12, 0
        movi    a9, caml_trapsp
        l32i    a10, a9, 0
        s32i    a10, a12, 4
        movi    a8, Val_unit
        s32i    a8, a12, 8
        s32i    a8, a12, 12
        s32i    a12, a9, 0
        movi    a8, caml_young_ptr
        l32i    a14, a8, 0
        movi    a15, 1
        movi    a13, Val_unit
        movi    a2, Val_unit
        movi    a8, caml_program
        jx      a8

.Luncaught:                     /* a2 = exception; the trap frame is popped */
        movi    a8, caml_extern_sp
        s32i    a12, a8, 0
        movi    a8, caml_young_ptr
        s32i    a14, a8, 0
        call0   caml_fatal_uncaught_exception   /* exits; if not, return to C */
        j       .Lstop_exit

/* STOP: a2 = accu. Pops the bottom trap frame and returns from caml_start_program. */
        .align 4
        .global caml_program_stop
        .type caml_program_stop, @function
caml_program_stop:
        movi    a8, caml_trapsp
        l32i    a9, a8, 0
        l32i    a10, a9, 4
        s32i    a10, a8, 0
        addi    a12, a9, 16
        movi    a8, caml_extern_sp
        s32i    a12, a8, 0
        movi    a8, caml_young_ptr
        s32i    a14, a8, 0
.Lstop_exit:
        movi    a8, caml_c_sp
        l32i    a1, a8, 0
        j       .Lactivation_exit

/* Restores the C state saved by caml_start_program / caml_callback_asm and returns a2. */
.Lactivation_exit:
        movi    a8, caml_c_sp
        l32i    a9, a1, 20
        s32i    a9, a8, 0
        movi    a8, caml_entry_local_roots
        l32i    a9, a1, 24
        s32i    a9, a8, 0
        l32i    a0, a1, 0
        l32i    a12, a1, 4
        l32i    a13, a1, 8
        l32i    a14, a1, 12
        l32i    a15, a1, 16
        addi    a1, a1, FRAME
        ret

/* a8 = C function, a2..a6 = arguments. env is pushed so the GC sees and updates it. */
        .align 4
        .global caml_c_call
        .type caml_c_call, @function
caml_c_call:
        addi    a12, a12, -4
        s32i    a13, a12, 0
        movi    a9, caml_extern_sp
        s32i    a12, a9, 0
        movi    a9, caml_young_ptr
        s32i    a14, a9, 0
        addi    a1, a1, -16
        s32i    a0, a1, 0
        callx0  a8
        l32i    a0, a1, 0
        addi    a1, a1, 16
        movi    a9, caml_young_ptr
        l32i    a14, a9, 0
        l32i    a13, a12, 0
        addi    a12, a12, 4
        ret

/* Inline allocation failed: a9 = bytes already taken from a14. Roots a2 and a13 are pushed
   on the OCaml stack; caml_alloc_small_dispatch(bytes) returns caml_young_ptr (as many
   instructions as before it took the size); the caller retries the allocation. */
        .align 4
        .global caml_call_gc
        .type caml_call_gc, @function
caml_call_gc:
        add     a14, a14, a9
        addi    a12, a12, -8
        s32i    a2, a12, 0
        s32i    a13, a12, 4
        mov     a2, a9
        movi    a9, caml_extern_sp
        s32i    a12, a9, 0
        movi    a9, caml_young_ptr
        s32i    a14, a9, 0
        addi    a1, a1, -16
        s32i    a0, a1, 0
        call0   caml_alloc_small_dispatch
        l32i    a0, a1, 0
        addi    a1, a1, 16
        mov     a14, a2
        l32i    a2, a12, 0
        l32i    a13, a12, 4
        addi    a12, a12, 8
        ret

/* As caml_call_gc, for equal blocks allocated at once (a9 = their bytes, a10 = the bytes of
   one): Gc.Memprof samples them as separate blocks. (For the compiler's combined allocations,
   e.g. the boxes of a float chain; caml_call_gc would show them to memprof as one block.) */
        .align 4
        .global caml_call_gc_blocks
        .type caml_call_gc_blocks, @function
caml_call_gc_blocks:
        add     a14, a14, a9
        addi    a12, a12, -8
        s32i    a2, a12, 0
        s32i    a13, a12, 4
        mov     a2, a9
        mov     a3, a10
        movi    a9, caml_extern_sp
        s32i    a12, a9, 0
        movi    a9, caml_young_ptr
        s32i    a14, a9, 0
        addi    a1, a1, -16
        s32i    a0, a1, 0
        call0   caml_alloc_blocks_dispatch
        l32i    a0, a1, 0
        addi    a1, a1, 16
        mov     a14, a2
        l32i    a2, a12, 0
        l32i    a13, a12, 4
        addi    a12, a12, 8
        ret

/* Gc.Memprof (memprof.c) redirects the return address that caml_c_call or caml_call_gc saved
   at caml_c_sp - 16 here when callbacks became due in the C code they called; the real one is
   in caml_memprof_saved_ra. a2 = the C function's result (or accu), kept as a root with env
   while caml_memprof_run_from_return runs the callbacks; the real return address goes back
   in the slot meanwhile, so that an exception they raise is recorded at the call site. */
        .align 4
        .global caml_memprof_return
        .type caml_memprof_return, @function
caml_memprof_return:
        movi    a9, caml_memprof_saved_ra
        l32i    a0, a9, 0
        addi    a12, a12, -8
        s32i    a2, a12, 0
        s32i    a13, a12, 4
        movi    a9, caml_extern_sp
        s32i    a12, a9, 0
        movi    a9, caml_young_ptr
        s32i    a14, a9, 0
        addi    a1, a1, -16
        s32i    a0, a1, 0
        call0   caml_memprof_run_from_return
        l32i    a0, a1, 0
        addi    a1, a1, 16
        movi    a9, caml_young_ptr
        l32i    a14, a9, 0
        l32i    a2, a12, 0
        l32i    a13, a12, 4
        addi    a12, a12, 8
        ret

/* Enters closure a2 (env = a2) after a stack check: the common tail of the apply stubs,
   repeated in each so that a generic call takes no extra jump. */
        .macro  apply_enter
        mov     a13, a2
        movi    a9, caml_stack_threshold
        l32i    a9, a9, 0
        bltu    a12, a9, .Lstack_overflow
        l32i    a8, a2, 0
        jx      a8
        .endm

/* APPLY1-3: a2 = closure, arguments on top of the stack, a0 = return address.
   The return frame [a0, env, Val_long(extra_args)] goes under the arguments. */
        .align 4
        .global caml_apply1
        .type caml_apply1, @function
caml_apply1:
        l32i    a8, a12, 0
        addi    a12, a12, -12
        s32i    a8, a12, 0
        s32i    a0, a12, 4
        s32i    a13, a12, 8
        s32i    a15, a12, 12
        movi    a15, 1
        apply_enter

        .align 4
        .global caml_apply2
        .type caml_apply2, @function
caml_apply2:
        l32i    a8, a12, 0
        l32i    a10, a12, 4
        addi    a12, a12, -12
        s32i    a8, a12, 0
        s32i    a10, a12, 4
        s32i    a0, a12, 8
        s32i    a13, a12, 12
        s32i    a15, a12, 16
        movi    a15, 3
        apply_enter

        .align 4
        .global caml_apply3
        .type caml_apply3, @function
caml_apply3:
        l32i    a8, a12, 0
        l32i    a10, a12, 4
        l32i    a11, a12, 8
        addi    a12, a12, -12
        s32i    a8, a12, 0
        s32i    a10, a12, 4
        s32i    a11, a12, 8
        s32i    a0, a12, 12
        s32i    a13, a12, 16
        s32i    a15, a12, 20
        movi    a15, 5
        apply_enter

/* caml_apply<k>r<t>: APPLY k whose t top arguments are in registers (argument 0, the top,
   in a8, then a9, a10), the others on top of the stack. */
        .align 4
        .global caml_apply1r1
        .type caml_apply1r1, @function
caml_apply1r1:
        addi    a12, a12, -16
        s32i    a8, a12, 0
        s32i    a0, a12, 4
        s32i    a13, a12, 8
        s32i    a15, a12, 12
        movi    a15, 1
        apply_enter

        .align 4
        .global caml_apply2r1
        .type caml_apply2r1, @function
caml_apply2r1:
        l32i    a9, a12, 0
        addi    a12, a12, -16
        j       .Lapply2r

        .align 4
        .global caml_apply2r2
        .type caml_apply2r2, @function
caml_apply2r2:
        addi    a12, a12, -20
.Lapply2r:
        s32i    a8, a12, 0
        s32i    a9, a12, 4
        s32i    a0, a12, 8
        s32i    a13, a12, 12
        s32i    a15, a12, 16
        movi    a15, 3
        apply_enter

        .align 4
        .global caml_apply3r1
        .type caml_apply3r1, @function
caml_apply3r1:
        l32i    a9, a12, 0
        l32i    a10, a12, 4
        addi    a12, a12, -16
        j       .Lapply3r

        .align 4
        .global caml_apply3r2
        .type caml_apply3r2, @function
caml_apply3r2:
        l32i    a10, a12, 0
        addi    a12, a12, -20
        j       .Lapply3r

        .align 4
        .global caml_apply3r3
        .type caml_apply3r3, @function
caml_apply3r3:
        addi    a12, a12, -24
.Lapply3r:
        s32i    a8, a12, 0
        s32i    a9, a12, 4
        s32i    a10, a12, 8
        s32i    a0, a12, 12
        s32i    a13, a12, 16
        s32i    a15, a12, 20
        movi    a15, 5
        apply_enter

/* APPLY n (n > 3, after PUSH_RETADDR): a2 = closure, a15 = Val_long(n - 1) already set. */
        .align 4
        .global caml_applyN
        .type caml_applyN, @function
caml_applyN:
.Lapply_enter:
        mov     a13, a2
        movi    a9, caml_stack_threshold
        l32i    a9, a9, 0
        bltu    a12, a9, .Lstack_overflow
        l32i    a8, a2, 0
        jx      a8

        .align 4
        .global caml_stack_overflow
        .type caml_stack_overflow, @function
caml_stack_overflow:
.Lstack_overflow:
        movi    a8, caml_raise_stack_overflow
        call0   caml_c_call             /* does not return */

/* RETURN with extra_args > 0: apply the result to the remaining arguments. */
        .align 4
        .global caml_return_extra
        .type caml_return_extra, @function
caml_return_extra:
        addi    a15, a15, -2
        mov     a13, a2
        l32i    a8, a2, 0
        jx      a8

/* GRAB with too few arguments: a9 = code address of the function's RESTART.
   Builds the partial application (C helper reads env and the arguments from the stack),
   pops the arguments and returns to the caller's frame. */
        .align 4
        .global caml_grab
        .type caml_grab, @function
caml_grab:
        mov     a2, a9
        srai    a3, a15, 1
        addi    a3, a3, 1
        movi    a8, caml_oe_grab_closure
        call0   caml_c_call
        .global caml_grab_c_call_ret    /* memprof.c may redirect this return too */
caml_grab_c_call_ret:
        srai    a8, a15, 1
        addi    a8, a8, 1
        addx4   a12, a8, a12
        l32i    a0, a12, 0
        l32i    a13, a12, 4
        l32i    a15, a12, 8
        addi    a12, a12, 12
        jx      a0

/* RESTART: push the arguments saved in the partial application env (fields 3..),
   env = field 2, extra_args += their number (a15 += 2 * number). */
        .align 4
        .global caml_restart
        .type caml_restart, @function
caml_restart:
        addi    a9, a13, -4
        l32i    a8, a9, 0
        srli    a8, a8, 10
        addi    a8, a8, -3              /* number of arguments */
        addx2   a15, a8, a15
        slli    a9, a8, 2
        sub     a12, a12, a9
        addi    a10, a13, 12
        mov     a11, a12
        beqz    a8, 2f
1:      l32i    a9, a10, 0
        s32i    a9, a11, 0
        addi    a10, a10, 4
        addi    a11, a11, 4
        addi    a8, a8, -1
        bnez    a8, 1b
2:      l32i    a13, a13, 8
        ret

/* RAISE / RERAISE: a2 = exception, a0 = the raise point (return address of the call0).
   With backtraces on (caml_backtrace_active), caml_stash_backtrace(exn, reraise, a0, sp)
   records the raise point and the return addresses up to the catching trap frame. */
        .align 4
        .global caml_raise_exn
        .type caml_raise_exn, @function
caml_raise_exn:
        movi    a3, 0
        j       .Lraise_trace

        .align 4
        .global caml_reraise_exn
        .type caml_reraise_exn, @function
caml_reraise_exn:
        movi    a3, 1
.Lraise_trace:
        movi    a8, caml_backtrace_active
        l32i    a8, a8, 0
        beqz    a8, .Lraise
        mov     a4, a0
        mov     a5, a12
        addi    a1, a1, -16
        s32i    a2, a1, 0
        call0   caml_stash_backtrace
        l32i    a2, a1, 0
        addi    a1, a1, 16
        j       .Lraise

/* RAISE_NOTRACE (and raises from C, already recorded): a2 = exception, unwind to the
   newest trap frame. */
        .align 4
        .global caml_raise_exn_notrace
        .type caml_raise_exn_notrace, @function
caml_raise_exn_notrace:
.Lraise:
        movi    a8, caml_trapsp
        l32i    a12, a8, 0
        l32i    a0, a12, 0
        l32i    a9, a12, 4
        s32i    a9, a8, 0
        l32i    a13, a12, 8
        l32i    a15, a12, 12
        addi    a12, a12, 16
        jx      a0

/* From C: abandon the C frames of the current activation and raise a2. */
        .align 4
        .global caml_raise_exn_asm
        .type caml_raise_exn_asm, @function
caml_raise_exn_asm:
        movi    a8, caml_c_sp
        l32i    a1, a8, 0
        movi    a8, caml_entry_local_roots
        l32i    a9, a8, 0
        movi    a8, caml_local_roots
        s32i    a9, a8, 0
        movi    a8, caml_young_ptr
        l32i    a14, a8, 0
        j       .Lraise

/* value caml_callback_asm(value closure, intnat nargs, value *args): runs closure applied to
   args on the OCaml stack (below caml_extern_sp); returns the result, or
   Make_exception_result(exn) if it raised. */
        .align 4
        .global caml_callback_asm
        .type caml_callback_asm, @function
caml_callback_asm:
        enter_from_c
        movi    a8, caml_extern_sp
        l32i    a12, a8, 0
        movi    a8, caml_young_ptr
        l32i    a14, a8, 0
        /* trap frame catching everything */
        addi    a12, a12, -16
        movi    a8, .Lcb_exn
        s32i    a8, a12, 0
        movi    a9, caml_trapsp
        l32i    a10, a9, 0
        s32i    a10, a12, 4
        movi    a8, Val_unit
        s32i    a8, a12, 8
        s32i    a8, a12, 12
        s32i    a12, a9, 0
        /* return frame, then the arguments */
        addi    a12, a12, -12
        movi    a8, .Lcb_ret
        s32i    a8, a12, 0
        movi    a8, Val_unit
        s32i    a8, a12, 4
        s32i    a8, a12, 8
        slli    a8, a3, 2
        sub     a12, a12, a8
        mov     a9, a12
        mov     a10, a3
        beqz    a10, 2f
1:      l32i    a11, a4, 0
        s32i    a11, a9, 0
        addi    a4, a4, 4
        addi    a9, a9, 4
        addi    a10, a10, -1
        bnez    a10, 1b
2:      movi    a15, -1
        addx2   a15, a3, a15            /* Val_long(nargs - 1) */
        j       .Lapply_enter

.Lcb_ret:                       /* a2 = result, a12 = our trap frame */
        movi    a9, caml_trapsp
        l32i    a10, a12, 4
        s32i    a10, a9, 0
        addi    a12, a12, 16
        j       .Lcb_exit
.Lcb_exn:                       /* a2 = exception, trap frame popped by the raise */
        movi    a8, 2
        or      a2, a2, a8
.Lcb_exit:
        movi    a8, caml_extern_sp
        s32i    a12, a8, 0
        movi    a8, caml_young_ptr
        s32i    a14, a8, 0
        movi    a8, caml_c_sp
        l32i    a1, a8, 0
        j       .Lactivation_exit
