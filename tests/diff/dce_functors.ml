(* DCE soundness: functions reached only through functors, first-class modules, include,
   recursive modules and modules passed to functions must be kept. *)
module type S = sig val name : string val f : int -> int val g : int -> int end
module Base = struct
  let name = "base"
  let f x = x * 3 + 1
  let g x = x - 7
  let unused_h x = x * x * x
end
module Twice (X : S) = struct
  let name = "twice(" ^ X.name ^ ")"
  let f x = X.f (X.f x)
  let g x = X.g (X.g x)
  let h = f
end
module T = Twice (Base)
module TT = Twice (struct include T let g x = x + 100 end)
module Inc = struct include Base let extra x = f x + g x end
let apply_mod (module M : S) x = M.name ^ "=" ^ string_of_int (M.f x + M.g x)
let mods : (module S) list = [ (module Base); (module T); (module TT) ]
let pick n = List.nth mods (n mod List.length mods)
module rec Even : sig val test : int -> bool end = struct
  let test n = n = 0 || Odd.test (n - 1)
end
and Odd : sig val test : int -> bool end = struct
  let test n = n <> 0 && Even.test (n - 1)
end
module Memo (H : Hashtbl.HashedType with type t = int) = struct
  module Tbl = Hashtbl.Make (H)
  let tbl = Tbl.create 16
  let rec fib n = if n < 2 then n else
    match Tbl.find_opt tbl n with
    | Some v -> v
    | None -> let v = fib (n - 1) + fib (n - 2) in Tbl.add tbl n v; v
end
module M = Memo (struct type t = int let equal = ( = ) let hash x = x land 1023 end)
module SMap = Map.Make (String)
let m = List.fold_left (fun m (k, v) -> SMap.add k v m) SMap.empty [ "a", 1; "b", 2; "c", 3 ]
let run_with (type a) (module O : Set.OrderedType with type t = a) (l : a list) =
  let module St = Set.Make (O) in St.elements (St.of_list l)
let () =
  print_endline (apply_mod (pick 0) 5);
  print_endline (apply_mod (pick 1) 5);
  print_endline (apply_mod (pick 2) 5);
  Printf.printf "%d %d %d\n" (T.h 2) (Inc.extra 4) (TT.g 1);
  Printf.printf "%b %b\n" (Even.test 10) (Odd.test 7);
  Printf.printf "fib 40 = %d\n" (M.fib 40);
  SMap.iter (fun k v -> Printf.printf "%s:%d " k v) m; print_newline ();
  List.iter (Printf.printf "%d ") (run_with (module Int) [ 5; 3; 5; 1 ]); print_newline ();
  let f = if Array.length Sys.argv > 5 then Base.unused_h else Base.f in
  print_int (f 2); print_newline ()
