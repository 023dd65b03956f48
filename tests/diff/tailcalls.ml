(* APPTERM: tail calls with different argument counts, through closures, 10M iterations *)
let rec count n acc = if n = 0 then acc else count (n - 1) (acc + 1)
let rec a n x y z = if n = 0 then x + y + z else b (n - 1) y z x
and b n x y z = if n = 0 then x * y * z else a (n - 1) (x + 1) y z
let rec via_closure f n = if n = 0 then 0 else f (n - 1)
let rec g n = via_closure g n
let () =
  Printf.printf "%d\n" (count 10_000_000 0);
  Printf.printf "%d\n" (a 1_000_001 1 2 3);
  Printf.printf "%d\n" (g 1_000_000);
  let rec loop i acc = if i > 3_000_000 then acc else loop (i + 1) (acc lxor i) in
  Printf.printf "%d\n" (loop 0 0)
