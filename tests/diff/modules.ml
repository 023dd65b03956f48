module type ORDERED = sig type t val compare : t -> t -> int val show : t -> string end
module MakeSorted (O : ORDERED) = struct
  let sort l = List.sort O.compare l
  let show l = String.concat ";" (List.map O.show l)
end
module IntO = struct type t = int let compare = compare let show = string_of_int end
module S = MakeSorted (IntO)
module rec A : sig val f : int -> int end = struct let f n = if n = 0 then 0 else 1 + B.g (n - 1) end
and B : sig val g : int -> int end = struct let g n = if n = 0 then 0 else 2 + A.f (n - 1) end
type shape = Circle of float | Rect of float * float | Tri of { a : float; b : float; c : float } | Empty
let area = function
  | Circle r -> 3. *. r *. r
  | Rect (w, h) -> w *. h
  | Tri { a; b; c } -> let s = (a +. b +. c) /. 2. in sqrt (s *. (s -. a) *. (s -. b) *. (s -. c))
  | Empty -> 0.
type 'a tree = Leaf | Node of 'a tree * 'a * 'a tree
let rec insert x = function Leaf -> Node (Leaf, x, Leaf) | Node (l, v, r) as t -> if x < v then Node (insert x l, v, r) else if x > v then Node (l, v, insert x r) else t
let rec to_list = function Leaf -> [] | Node (l, v, r) -> to_list l @ [v] @ to_list r
let classify = function 0 -> "zero" | 1 | 2 | 3 -> "small" | n when n < 0 -> "neg" | 10 -> "ten" | _ -> "big"
let poly = function `A -> 1 | `B n -> n | `C (a, b) -> a + b
let () =
  print_endline (S.show (S.sort [3; 1; 2]));
  Printf.printf "%d\n" (A.f 10);
  List.iter (fun s -> Printf.printf "%.2f " (area s)) [Circle 1.; Rect (2., 3.); Tri { a = 3.; b = 4.; c = 5. }; Empty];
  print_newline ();
  let t = List.fold_left (fun t x -> insert x t) Leaf [5; 2; 8; 1; 9; 3] in
  print_endline (String.concat "," (List.map string_of_int (to_list t)));
  List.iter (fun n -> print_string (classify n ^ " ")) [0; 2; -5; 10; 99]; print_newline ();
  Printf.printf "%d\n" (poly `A + poly (`B 5) + poly (`C (1, 2)));
  let lz = lazy (print_endline "forced"; 42) in
  Printf.printf "%d %d\n" (Lazy.force lz) (Lazy.force lz);
  let r = { contents = 1 } in r.contents <- 2; Printf.printf "%d\n" !r;
  let rec ones = 1 :: ones in
  Printf.printf "%d\n" (List.hd (List.tl ones));
  let module M = struct let x = 10 end in
  Printf.printf "%d\n" M.x;
  let opt = Option.map (fun x -> x * 2) (Some 21) in
  Printf.printf "%d\n" (Option.value ~default:0 opt);
  match Result.bind (Ok 3) (fun x -> if x > 2 then Error "too big" else Ok x) with
  | Ok _ -> () | Error e -> print_endline e
