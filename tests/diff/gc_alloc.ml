(* allocation-heavy: exercises the minor and major GC *)
type tree = Leaf | Node of tree * int * tree
let rec make d = if d = 0 then Leaf else Node (make (d - 1), d, make (d - 1))
let rec check = function Leaf -> 0 | Node (l, v, r) -> v + check l + check r
let () =
  let long_lived = make 14 in
  let total = ref 0 in
  for i = 1 to 200 do
    let t = make 8 in
    total := !total + check t + i
  done;
  Printf.printf "%d %d\n" !total (check long_lived);
  let h = Hashtbl.create 100 in
  for i = 0 to 20000 do Hashtbl.replace h i (String.make (i mod 50) 'a') done;
  for i = 0 to 20000 do if i mod 3 = 0 then Hashtbl.remove h i done;
  Printf.printf "%d\n" (Hashtbl.length h);
  let arrs = Array.init 200 (fun i -> Array.make (i * 10) i) in
  Printf.printf "%d\n" (Array.fold_left (fun a x -> a + Array.length x) 0 arrs);
  let l = ref [] in
  for i = 0 to 100000 do l := i :: !l; if i mod 1000 = 0 then l := [] done;
  Printf.printf "%d\n" (List.length !l);
  let strs = List.init 5000 (fun i -> string_of_int i ^ "x") in
  Printf.printf "%d\n" (String.length (String.concat "" strs));
  Gc.full_major ();
  Gc.compact ();
  Printf.printf "%d\n" (check long_lived);
  let w = Weak.create 4 in
  Weak.set w 0 (Some (ref 1));
  Printf.printf "%b\n" (Weak.length w = 4)
