let rec deep n = if n = 0 then 0 else 1 + deep (n - 1)
let () =
  (try print_int (deep 100_000_000) with Stack_overflow -> print_string "Stack_overflow raised");
  print_newline ();
  print_endline ("still works: " ^ string_of_int (deep 100))
