let rec deep n = if n = 0 then 0 else 1 + deep (n - 1)
let () =
  Printf.printf "%d\n" (deep 1000);
  (try ignore (deep 100_000_000); print_endline "no overflow?" with Stack_overflow -> print_endline "stack overflow caught");
  Printf.printf "%d\n" (deep 2000)
