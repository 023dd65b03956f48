(* Exception backtraces of a program not linked with -g: ocamlrun prints the frames as
   "unknown location" and omits the raise points. *)

exception E of int

let[@inline never] rec deep n = if n = 0 then raise (E 0) else 1 + deep (n - 1)
let[@inline never] get a i = a.(i) + 1
let[@inline never] id x = x
let[@inline never] raise_result x = raise (id x)
let big = 1_000_000

let[@inline never] with_ints n =
  let a = big and b = big + 1 and c = big + 2 in
  a + b + c + deep n

let () =
  Printexc.record_backtrace true;
  (try ignore (deep 3) with E _ -> Printexc.print_backtrace stdout);
  print_endline "--";
  (try ignore (get [| 1 |] 4) with Invalid_argument _ -> Printexc.print_backtrace stdout);
  print_endline "--";
  (try ignore (raise_result (E 1)) with E _ -> Printexc.print_backtrace stdout);
  print_endline "--";
  (try ignore (with_ints 2) with E _ -> Printexc.print_backtrace stdout);
  print_endline "--";
  let bt = (try ignore (deep 1); Printexc.get_callstack 5 with E _ -> Printexc.get_raw_backtrace ()) in
  Printf.printf "slots usable: %b\n" (Printexc.backtrace_slots bt <> None);
  print_string (Printexc.raw_backtrace_to_string (Printexc.get_callstack 4))
