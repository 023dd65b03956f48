(* body shared by the minirt run and the ocamlrun reference run (prelude prepended) *)
let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)
let () = print_int (fib 15)

(* arithmetic on tagged ints, negative operands, shifts *)
let () =
  let a = 1234567 and b = -89 in
  print_int (a + b); print_int (a - b); print_int (a * b); print_int (a / b);
  print_int (a mod b); print_int ((-a) / 7); print_int ((-a) mod 7);
  print_int (a land 0xff0); print_int (a lor 3); print_int (a lxor b);
  print_int (a lsl 3); print_int (b asr 2); print_int ((b lsr 40) land 0xffff);
  print_int (1 lsl 29); print_int (- (a * 3))

(* comparisons: as values and as branch conditions *)
let cmp x y =
  print_bool (x < y); print_bool (x <= y); print_bool (x > y); print_bool (x >= y);
  print_bool (x = y); print_bool (x <> y);
  print_int ((if x < y then 1 else 0) + (if x <= y then 2 else 0) + (if x > y then 4 else 0)
             + (if x >= y then 8 else 0) + (if x = y then 16 else 0) + (if x <> y then 32 else 0))
let () = cmp 3 5; cmp 5 3; cmp (-4) (-4); cmp (-1000000) 1000000; cmp 1073741823 (-1073741824)

(* constant comparisons compile to BEQ..BUGEINT *)
let classify n =
  if n = 0 then 0 else if n < 0 then -1 else if n > 100 then 2 else if n >= 50 then 3 else 1
let () = print_int (classify 0 + 10 * classify (-5) + 100 * classify 500 + 1000 * classify 60
                    + 10000 * classify 7)

(* variants and match: SWITCH on ints and tags *)
type t = A | B | C | D | E | F of int | G of int * int | H of string | I | J
let f = function
  | A -> 1 | B -> 2 | C -> 3 | D -> 4 | E -> 5 | I -> 9 | J -> 10
  | F n -> 100 + n | G (a, b) -> a * b | H s -> slen s
let () = List.iter (fun x -> print_int (f x)) [A; B; C; D; E; F 7; G (6, 7); H "hello"; I; J]
let small = function A -> 1 | B -> 2 | _ -> 3
let () = print_int (small A + small B * 10 + small J * 100)
let g x = match x with 0 -> 10 | 1 -> 11 | 2 -> 12 | 3 -> 13 | 4 -> 14 | 5 -> 15 | 7 -> 17 | _ -> -1
let () = print_int (g 0 + g 3 + g 5 + g 6 + g 7 + g 100)

(* closures, partial application, over-application, mutual recursion *)
let add3 a b c = a + 10 * b + 100 * c
let p1 = add3 1
let p2 = p1 2
let () = print_int (p2 3); print_int (p1 4 5)
let twice f = fun x -> f (f x)
let () = print_int (twice (fun x -> x * 3) 7)
let compose f g x = f (g x)
let () = print_int ((compose (add3 1 2) (fun x -> x + 1)) 4)
let rec even n = if n = 0 then true else odd (n - 1)
and odd n = if n = 0 then false else even (n - 1)
let () = print_bool (even 100); print_bool (odd 7)
let make_counter () = let c = ref 0 in (fun () -> incr c), (fun () -> !c)
let () = let inc, get = make_counter () in inc (); inc (); inc (); print_int (get ())
let many a b c d e f g h = a + b + c + d + e + f + g + h
let () = print_int (many 1 2 3 4 5 6 7 8); let pm = many 1 2 3 in print_int (pm 4 5 6 7 8)
let rec sum_tail acc n = if n = 0 then acc else sum_tail (acc + n) (n - 1)
let () = print_int (sum_tail 0 10000)
let apply_over = (fun x -> fun y -> fun z -> x + y * z) 1 2 3
let () = print_int apply_over
let () = print_int (callback2 (fun a b -> a * b + 1) 6)
let () = print_int (sum6 1 2 3 4 5 6)

(* exceptions *)
exception E1 of int
exception E2
let safe_div a b = try a / b with Division_by_zero -> -999
let () = print_int (safe_div 10 3); print_int (safe_div 10 0)
let () = print_int (try raise (E1 42) with E1 n -> n | E2 -> 0)
let () = print_int (try (try raise E2 with E1 _ -> 1) with E2 -> 2)
let depth n = let rec go n = if n = 0 then raise_notrace E2 else 1 + go (n - 1) in
  try go n with E2 -> -n
let () = print_int (depth 1000)
let rec deep n = if n = 0 then 0 else 1 + deep (n - 1)
let () = print_int (try deep 10000000 with Stack_overflow -> -1)

(* arrays, strings, bytes *)
let () =
  let a = [| 1; 2; 3; 4; 5 |] in
  aset a 2 30; print_int (alen a); print_int (aget a 2 + aget a 4);
  let s = "hello, world" in print_int (slen s); print_int (code (sget s 7));
  let b = bytes_of_string "abc" in bset b 1 'z'; print_int (code (bget b 1));
  let fa = [| 1.5; 2.5; 3.5 |] in print_int (alen fa)

(* records, mutable fields, refs, static data *)
type r = { mutable x : int; y : string; z : int list }
let cst = { x = 1; y = "static"; z = [1; 2; 3] }
let () = let r = { x = 5; y = "dyn"; z = [] } in r.x <- r.x + 1; print_int r.x;
  print_int (List.length cst.z); print_string cst.y; print_string "\n"
let () = let l = ref [] in for i = 1 to 10 do l := i :: !l done; print_int (List.fold_left ( + ) 0 !l)

(* allocation pressure through the GC path *)
let rec build n acc = if n = 0 then acc else build (n - 1) ((n, n) :: acc)
let () = let l = build 20000 [] in print_int (List.length l)
let () = let t = ref (0, 0) in for i = 1 to 30000 do t := (i, snd !t + 1) done; print_int (snd !t)
let () = print_string "done\n"
