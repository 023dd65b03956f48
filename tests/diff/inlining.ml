(* Small leaf functions inlined at their direct call sites (compiler/xtensa/emit.c,
   emit_inline): branches, several returns, stores, allocation under GC pressure, floats,
   4+ arguments (APPLY n), tail calls (APPTERM) with extra arguments, partial application
   of an inlinable function, and functions that must not be inlined (they may raise). *)
module L = struct
  let sign x = if x > 0 then 1 else if x < 0 then -1 else 0
  let clamp lo hi x = if x < lo then lo else if x > hi then hi else x
  let pair a b = (a, b)
  let swap (a, b) = (b, a)
  let bump r = r := !r + 1
  let set_first (a : int array) v = Array.unsafe_set a 0 v
  let first (a : int array) = Array.unsafe_get a 0
  let hyp x y = x *. x +. y *. y
  let four a b c d = (a * 1000) + (b * 100) + (c * 10) + d
  let five a b c d e = if a > b then c + d else d + e
  let char_at s i = String.unsafe_get s i
  let is_nil = function [] -> true | _ -> false
  let idf f = f
  let div a b = a / b
  let get a i = a.(i)
end

let rec loop n acc = if n = 0 then acc else loop (n - 1) (acc + L.sign (n - 50) * L.clamp 0 10 n)
let tail_clamp x = L.clamp (-5) 5 x
let tail_four a = L.four a 1 2 3
let tail_over x = L.idf (fun y -> y * 2) x

let () =
  Printf.printf "%d %d %d\n" (L.sign 5) (L.sign (-3)) (L.sign 0);
  Printf.printf "%d %d %d\n" (L.clamp 0 10 (-1)) (L.clamp 0 10 11) (L.clamp 0 10 4);
  Printf.printf "%d\n" (loop 100 0);
  let l = ref [] in
  for i = 1 to 20000 do
    let p = L.swap (L.pair i (i * 2)) in
    if i mod 1000 = 0 then l := p :: !l
  done;
  List.iter (fun (a, b) -> Printf.printf "(%d,%d)" a b) !l;
  print_newline ();
  let r = ref 0 in
  for _ = 1 to 7 do L.bump r done;
  let a = [| 1; 2; 3 |] in
  L.set_first a 42;
  Printf.printf "%d %d %d\n" !r (L.first a) a.(0);
  Printf.printf "%.17g %.17g\n" (L.hyp 3. 4.) (L.hyp 0.1 0.2 +. 1.);
  Printf.printf "%d %d %d\n" (L.four 1 2 3 4) (L.five 1 2 3 4 5) (L.five 9 2 3 4 5);
  Printf.printf "%d %d %d\n" (tail_clamp 100) (tail_four 7) (tail_over 21);
  Printf.printf "%c %b %b\n" (L.char_at "hello" 1) (L.is_nil []) (L.is_nil [1]);
  let part = L.clamp 0 in
  Printf.printf "%d %d\n" (part 10 20) (part 10 (-20));
  Printf.printf "%d\n" (List.fold_left (fun acc x -> acc + L.sign x) 0 [3; -4; 0; 9]);
  (match L.div 1 0 with n -> Printf.printf "%d\n" n | exception Division_by_zero -> print_endline "div0");
  (match L.get [| 1 |] 3 with n -> Printf.printf "%d\n" n | exception Invalid_argument s -> print_endline s)

(* string and bytes lengths (inline primitive) at every padding *)
let () =
  for n = 0 to 13 do
    let s = String.make n 'x' and b = Bytes.create (n * 3) in
    Printf.printf "%d/%d " (String.length s) (Bytes.length b)
  done;
  print_newline ()
