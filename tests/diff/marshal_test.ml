type t = { a : int; b : string; c : float list; d : t option }
let () =
  let v = { a = 1; b = "two"; c = [3.; 4.5]; d = Some { a = 5; b = ""; c = []; d = None } } in
  let s = Marshal.to_string v [] in
  let v' : t = Marshal.from_string s 0 in
  Printf.printf "%b %d\n" (v = v') (Marshal.total_size (Bytes.of_string s) 0);
  let shared = let x = [1; 2; 3] in (x, x) in
  let s2 = Marshal.to_string shared [] in
  let (p, q) : int list * int list = Marshal.from_string s2 0 in
  Printf.printf "%b\n" (p == q);
  let big = (Int64.max_int, 123l, -5n, [| 1.5; 2.5 |]) in
  let (a, b, c, d) : int64 * int32 * nativeint * float array = Marshal.from_string (Marshal.to_string big []) 0 in
  Printf.printf "%Ld %ld %nd %g\n" a b c d.(1);
  print_endline (String.escaped (Marshal.to_string (1, "x") []))
