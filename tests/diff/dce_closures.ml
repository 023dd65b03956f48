(* DCE soundness: closures stored in records, arrays, hashtables, refs, lazy values,
   exceptions and Printexc printers; partial application; closures chosen at run time. *)
type ops = { add : int -> int -> int; mul : int -> int -> int; name : string }
let ops_a = { add = ( + ); mul = ( * ); name = "std" }
let ops_b = { add = (fun a b -> a - b); mul = (fun a b -> a / (if b = 0 then 1 else b)); name = "odd" }
let table = [| (fun x -> x + 1); (fun x -> x * 2); (fun x -> x - 3); (fun x -> x lxor 5) |]
let h = Hashtbl.create 8
let () =
  Hashtbl.replace h "sq" (fun x -> x * x);
  Hashtbl.replace h "neg" (fun x -> - x);
  Hashtbl.replace h "id" (fun x -> x)
let cur = ref (fun x -> x + 1000)
let set_cur n = if n > 3 then cur := (fun x -> x * 1000)
exception With_fn of (int -> int)
exception My_error of int
let () = Printexc.register_printer (function My_error n -> Some (Printf.sprintf "My_error<%d>" n) | _ -> None)
let lz = lazy (let f x = x + 77 in f 1)
let lzf = lazy (fun x -> x * 11)
let compose fs = List.fold_left (fun acc f x -> f (acc x)) (fun x -> x) fs
let rec make_adders n = if n = 0 then [] else (fun x -> x + n) :: make_adders (n - 1)
let add3 a b c = a + b + c
let p = add3 1
let add4 a b c d = a * b * c * d + 1
let never_applied = add4 1 2           (* only GRAB runs: the body may be a stub *)
module Pp = struct
  let pp oc x = Printf.fprintf oc "<%d>" x
  let pp2 oc x y = Printf.fprintf oc "<%d,%d>" x y
  let print = pp stdout
  let eprint = pp stderr
  let print2 = pp2 stdout 7
end
let () =
  let o = if Array.length Sys.argv > 3 then ops_b else ops_a in
  Printf.printf "%s %d %d\n" o.name (o.add 3 4) (o.mul 3 4);
  Array.iteri (fun i f -> Printf.printf "t%d=%d " i (f 10)) table; print_newline ();
  List.iter (fun k -> Printf.printf "%s=%d " k ((Hashtbl.find h k) 7)) [ "sq"; "neg"; "id" ]; print_newline ();
  set_cur (Array.length Sys.argv + 5);
  Printf.printf "cur=%d\n" (!cur 3);
  (try raise (With_fn (fun x -> x * 31)) with With_fn f -> Printf.printf "exn fn=%d\n" (f 2));
  print_endline (Printexc.to_string (My_error 5));
  Printf.printf "lazy=%d %d\n" (Lazy.force lz) ((Lazy.force lzf) 3);
  Printf.printf "compose=%d\n" (compose (make_adders 4 @ [ table.(1) ]) 1);
  Printf.printf "partial=%d %d\n" (p 2 3) (List.fold_left (fun a f -> f a) 0 (List.map (fun n x -> x + n) [1; 2; 3]));
  let fs = Array.init 3 (fun i -> if i = 1 then (fun () -> "one") else (fun () -> string_of_int i)) in
  Array.iter (fun f -> print_string (f ())) fs; print_newline ();
  Pp.print 5; Pp.print2 8; print_newline ();
  ignore (Sys.opaque_identity never_applied);
  raise (My_error 9)
