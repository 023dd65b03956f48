(* closures, partial application, over-application, mutual recursion, tail calls *)
let add3 a b c = a + b + c
let twice f x = f (f x)
let compose f g x = f (g x)
let rec even n = if n = 0 then true else odd (n - 1)
and odd n = if n = 0 then false else even (n - 1)
let make_counter () = let c = ref 0 in fun () -> incr c; !c
let rec loop n acc = if n = 0 then acc else loop (n - 1) (acc + 1)
let apply_n f n x = let rec go i x = if i = 0 then x else go (i - 1) (f x) in go n x
let curry6 a b c d e f = a + 2*b + 3*c + 4*d + 5*e + 6*f
let () =
  let p = add3 1 in
  let q = p 2 in
  Printf.printf "%d %d %d\n" (q 3) (p 10 20) (add3 1 2 3);
  Printf.printf "%d\n" (twice (fun x -> x * 3) 7);
  Printf.printf "%d\n" (compose (( + ) 1) (( * ) 2) 10);
  Printf.printf "%b %b\n" (even 1000) (odd 777);
  let c = make_counter () in
  ignore (c ()); ignore (c ());
  Printf.printf "counter %d\n" (c ());
  Printf.printf "loop %d\n" (loop 10_000_000 0);
  Printf.printf "apply_n %d\n" (apply_n succ 1_000_000 0);
  let f = curry6 1 2 in
  let g = f 3 4 in
  Printf.printf "%d %d\n" (g 5 6) (curry6 1 1 1 1 1 1);
  let fs = List.map (fun i -> fun j -> i * j) [1; 2; 3] in
  Printf.printf "%s\n" (String.concat "," (List.map (fun f -> string_of_int (f 10)) fs));
  let over = (fun a -> fun b -> a - b) in
  Printf.printf "%d\n" (over 10 3);
  let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2) in
  Printf.printf "fib %d\n" (fib 25);
  let h = (fun x y z -> x * y * z) 2 in
  let k = h 3 in
  Printf.printf "%d %d\n" (k 4) (h 5 6)
