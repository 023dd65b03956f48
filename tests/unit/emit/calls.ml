(* direct calls to known functions (compiler/callees.c): module functions applied exactly
   (APPLY1-3, APPLY n, APPTERM n), partially and with extra arguments; a closure in a field
   that is assigned later *)
module M = struct
  let f x = x + 1
  let g x y = x * 10 + y
  let h a b c d = a + 2 * b + 3 * c + 4 * d
  let k a b c d e = a - b + c - d + e
  let pick b = if b then (fun x _ -> x) else (fun _ y -> y)
  let rec down n acc = if n = 0 then acc else down (n - 1) (acc + n)
  let t4 a b c d = h d c b a
end
module F (X : sig val v : int end) = struct let f y = y * X.v let g y = f y + 1 end
module A = F (struct let v = 3 end)
module B = F (struct let v = 5 end)
let r = ref M.f
let () =
  print_int (M.f 1); print_int (M.g 2 3); print_int (M.h 1 2 3 4); print_int (M.k 1 2 3 4 5);
  let p = M.g 7 in print_int (p 8);
  print_int (M.pick true 5 6); print_int (M.pick false 5 6);
  print_int (M.down 100 0); print_int (M.t4 1 2 3 4);
  print_int (A.f 2); print_int (B.f 2); print_int (A.g 2); print_int (B.g 2);
  print_int (!r 10); r := M.g 4; print_int (!r 10)
