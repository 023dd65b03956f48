(* DCE soundness: module fields used only from other modules, submodules, mutable module
   state, functions returning closures, mutually recursive let rec, a functor applied twice
   and values passed through Obj. *)
module A = struct
  let counter = ref 0
  let bump () = incr counter; !counter
  module Sub = struct
    let deep x = x * 10 + bump ()
    module Deeper = struct let deepest x = deep x + 1 end
  end
  let make_fn k = fun x -> x * k + bump ()
  let rec even n = n = 0 || odd (n - 1)
  and odd n = n <> 0 && even (n - 1)
  let never_called x = x + 424242
end
module Reg (X : sig val tag : string end) = struct
  let items = ref []
  let add x = items := (X.tag ^ x) :: !items
  let dump () = String.concat "," (List.rev !items)
end
module R1 = Reg (struct let tag = "r1:" end)
module R2 = Reg (struct let tag = "r2:" end)
let via_obj : (int -> int) = Obj.obj (Obj.field (Obj.repr (A.make_fn 3, 0)) 0)
let dispatch = function 0 -> A.Sub.deep | 1 -> A.Sub.Deeper.deepest | _ -> A.make_fn 7
let () =
  Printf.printf "%d %d %d\n" (A.Sub.deep 1) (A.Sub.Deeper.deepest 2) ((A.make_fn 5) 1);
  Printf.printf "%b %b\n" (A.even 12) (A.odd 12);
  R1.add "a"; R2.add "b"; R1.add "c";
  print_endline (R1.dump () ^ " " ^ R2.dump ());
  Printf.printf "obj=%d\n" (via_obj 4);
  List.iter (fun i -> Printf.printf "%d " ((dispatch i) 3)) [0; 1; 2]; print_newline ();
  Printf.printf "counter=%d\n" !A.counter
