(* Float primitives compiled inline (arithmetic, comparisons, conversions, neg/abs, sqrt) on
   edge cases: NaN, infinities, signed zeros, subnormals, rounding; and boxed results that
   stay live across allocations and GCs. *)
let vals = [| 0.; -0.; 1.; -1.; 0.1; 1e308; -1e308; 5e-324; -5e-324; 2.2250738585072014e-308;
              infinity; neg_infinity; nan; 3.5; -2.5; 1e15 +. 0.3; 4503599627370497. |]

(* NaN bits differ between x86 (ocamlrun) and the soft-float (not what this test is about) *)
let bits x = if Float.is_nan x then 1L else Int64.bits_of_float x

let () =
  let n = Array.length vals in
  let h = ref 0L in
  let mix x = h := Int64.add (Int64.mul !h 31L) (bits x) in
  for i = 0 to n - 1 do
    for j = 0 to n - 1 do
      let a = vals.(i) and b = vals.(j) in
      mix (a +. b); mix (a -. b); mix (a *. b); mix (a /. b);
      Printf.printf "%d%d%d%d%d%d " (Bool.to_int (a < b)) (Bool.to_int (a > b))
        (Bool.to_int (a <= b)) (Bool.to_int (a >= b)) (Bool.to_int (a = b)) (Bool.to_int (a <> b))
    done;
    let a = vals.(i) in
    mix (-. a); mix (abs_float a); mix (sqrt a); mix (Float.neg a); mix (Float.abs a);
    print_newline ()
  done;
  Printf.printf "hash %Lx\n" !h;
  List.iter (fun i -> Printf.printf "%h " (float_of_int i))
    [0; 1; -1; max_int; min_int; 123456789; -987654321];
  print_newline ();
  List.iter (fun x -> Printf.printf "%d " (int_of_float x))
    [0.; -0.; 0.5; -0.5; 1.99; -1.99; 1073741823.; -1073741824.; 12345.678];
  print_newline ();
  (* results used as branch conditions and kept across allocation *)
  let l = ref [] in
  for i = 1 to 2000 do
    let x = float_of_int i /. 7. in
    let y = sqrt x *. x -. 1. /. x in
    if y > 10. && not (y >= 1000.) then l := (y, Array.make 3 x) :: !l
  done;
  let s = List.fold_left (fun acc (y, a) -> acc +. y +. a.(2)) 0. !l in
  Printf.printf "%d %.17g\n" (List.length !l) s;
  let r = { contents = 1. } in
  for _ = 1 to 100 do r := !r *. 1.1 +. (if !r > 50. then -. !r /. 2. else 0.5) done;
  Printf.printf "%.17g\n" !r

(* chains: results consumed directly by the next float operation stay unboxed *)
type v = { mutable x : float; mutable y : float; mutable z : float }
let () =
  let a = { x = 1.5; y = -2.25; z = 1e-3 } and b = { x = 0.5; y = 4.; z = nan } in
  let acc = ref 0 and s = ref 0. in
  for i = 1 to 300 do
    let fi = float_of_int i in
    a.x <- a.x +. b.x *. 0.5 -. a.y /. fi;
    a.y <- -. (a.y *. 0.999 +. sqrt (fi *. fi +. 1.));
    a.z <- abs_float (a.z -. b.x) *. 1.0001;
    if a.x *. 2. > a.y +. 1. then incr acc;
    if sqrt (a.x *. a.x +. a.y *. a.y) <= 100. then incr acc;
    if b.z *. 2. = b.z +. b.z || a.z *. 0. <> 0. then acc := !acc + 1000;
    acc := !acc + int_of_float (a.x *. 3. -. a.y);
    s := !s +. (a.x -. b.x) *. (a.y -. b.y) +. float_of_int (i * i) /. 3.
  done;
  Printf.printf "%d %.17g %.17g %.17g %.17g\n" !acc !s a.x a.y a.z

(* allocation counts stay those of ocamlrun (chains still take a block per boxing step) *)
let () =
  let r = { x = 1.25; y = 2.5; z = 0. } in
  let w0 = Gc.minor_words () in
  let w1 = Gc.minor_words () in
  let k = int_of_float (w1 -. w0) in
  let a = r.x *. r.y +. sqrt r.x -. 1. in
  let b = if r.x *. 2. < r.y +. 1. then 1 else 0 in
  let n = int_of_float (r.y *. 4. -. r.x) in
  let w2 = Gc.minor_words () in
  Printf.printf "%d %.17g %d %d %d\n" k a b n (int_of_float (w2 -. w1))
