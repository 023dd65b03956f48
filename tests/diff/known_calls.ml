(* Direct calls to known functions (compiler/callees.c): module functions applied exactly,
   partially and with too many arguments; fields that change after initialisation (Obj on a
   module block, refs and mutable records in modules) must keep the generic path; functors,
   recursive and first-class modules. *)

module M = struct
  let add x y = x + y
  let add4 a b c d = a + 2 * b + 3 * c + 4 * d
  let add5 a b c d e = a - b + c - d + e
  let id x = x
  let choose b = if b then (fun x _ -> x) else (fun _ y -> y)
  let twice f x = f (f x)
  let rec sum n = if n = 0 then 0 else n + sum (n - 1)
  let tail4 a b c d = add4 d c b a
  let r = ref (fun x -> x + 1)
  type t = { mutable fn : int -> int; name : string }
  let t = { fn = (fun x -> x * 10); name = "t" }
end

module type S = sig
  val f : int -> int
  val g : int -> int -> int
end

module Mut = struct
  let f x = x + 100
  let g x y = x * y
end

module type FG = sig val f : int -> int val g : int -> int end

module Cap = struct let f x = x * 3 let g x y = x - y end
module Poke = struct let f x = x * 5 let g x y = x + y end

module F (X : sig val x : int end) = struct
  let f y = X.x + y
  let g y = f y * 2
  let h = fun a b c d -> a + b + c + d + X.x
end

module A = F (struct let x = 1 end)
module B = F (struct let x = 10 end)

module rec Even : sig val f : int -> bool end = struct
  let f n = n = 0 || Odd.f (n - 1)
end
and Odd : sig val f : int -> bool end = struct
  let f n = n <> 0 && Even.f (n - 1)
end

module Inc = struct
  include M
  let more = add 1000
end

let cond = Array.length Sys.argv < 100
module Cond = struct
  let f = if cond then (fun x -> x + 1) else (fun x -> x - 1)
  let g = if cond then M.add else M.add4 0 0
end

let p fmt = Printf.printf fmt

let () =
  p "exact %d %d %d\n" (M.add 1 2) (M.add4 1 2 3 4) (M.add5 1 2 3 4 5);
  let inc = M.add 10 in
  let part4 = M.add4 1 2 in
  p "partial %d %d %d\n" (inc 5) (part4 3 4) (List.fold_left M.add 0 [1; 2; 3]);
  p "over %d %d %d\n" (M.id M.add 3 4) (M.choose true 7 8) (M.choose false 7 8);
  p "higher %d %d\n" (M.twice inc 1) (M.twice (M.add 3) 0);
  p "rec %d tail %d\n" (M.sum 100) (M.tail4 1 2 3 4);
  p "ref %d" (!M.r 1);
  M.r := (fun x -> x - 1);
  p " %d\n" (!M.r 1);
  p "record %s %d" M.t.name (M.t.fn 2);
  M.t.fn <- (fun x -> x * 1000);
  p " %d\n" (M.t.fn 2);
  p "before %d %d\n" (Mut.f 1) (Mut.g 3 4);
  let m = Obj.repr (module Mut : S) in
  Obj.set_field m 0 (Obj.repr (fun x -> x + 200));
  Obj.set_field m 1 (Obj.repr (fun x y -> x - y));
  p "after %d %d\n" (Mut.f 1) (Mut.g 3 4);
  p "functor %d %d %d %d %d %d\n" (A.f 1) (B.f 1) (A.g 2) (B.g 2) (A.h 1 2 3 4) (B.h 1 2 3 4);
  p "recmod %b %b %b\n" (Even.f 10) (Odd.f 7) (Even.f 7);
  p "include %d %d\n" (Inc.add 2 3) (Inc.more 1);
  p "cond %d %d\n" (Cond.f 1) (Cond.g 1 2);
  let l = List.map (fun x -> Cap.f x + Cap.g x 1) [1; 2; 3] in
  p "captured %d %d %d\n" (List.fold_left ( + ) 0 l) (Cap.f 7) (Cap.g 7 1);
  p "poke before %d %d\n" (Poke.f 2) (Poke.g 2 3);
  List.iter (fun k -> Obj.set_field (Obj.repr (module Poke : S)) k (Obj.repr (fun x _ -> x * 100)))
    [1];
  p "poke after %d %d\n" (Poke.f 2) (Poke.g 2 3);
  let mods = [ (module A : FG);
               (module B : FG) ] in
  List.iter (fun (module X : FG) ->
      p "first-class %d %d\n" (X.f 5) (X.g 5)) mods;
  let pick b = if b then (module A : FG)
               else (module B) in
  let module P = (val pick (M.sum 3 = 6)) in
  p "picked %d\n" (P.f 0);
  let rec deep n = if n = 0 then 0 else 1 + M.id (deep (n - 1)) in
  (match deep 10_000_000 with
   | n -> p "deep %d\n" n
   | exception Stack_overflow -> p "deep: Stack_overflow\n")
