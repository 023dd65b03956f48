(* Calls into C (ffi_stubs.c) and prints the results on the console. *)
open Lwt.Infix

external triple : int -> int = "ffi_triple"

external weighted_sum : int -> int -> int -> int -> int -> int -> int
  = "ffi_weighted_sum_byte" "ffi_weighted_sum_native"

external describe : string -> int -> string * int = "ffi_describe"

module Main (Console : Mirage_console.S) = struct
  let start console =
    Console.log console ("triple 14 = " ^ string_of_int (triple 14)) >>= fun () ->
    Console.log console
      ("weighted_sum 1 2 3 4 5 6 = " ^ string_of_int (weighted_sum 1 2 3 4 5 6)) >>= fun () ->
    let text, len = describe "unikernel" (String.length "unikernel") in
    Console.log console ("describe: \"" ^ text ^ "\" (" ^ string_of_int len ^ " bytes)")
end
