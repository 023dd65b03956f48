type t = A | B | C | D of int | E of string | F | G of int * int | H
let f = function A -> 1 | B -> 2 | C -> 3 | D n -> 10 + n | E s -> String.length s | F -> 6 | G (a, b) -> a * b | H -> 8
let g = function 'a' .. 'z' -> "lower" | 'A' .. 'Z' -> "upper" | '0' .. '9' -> "digit" | _ -> "other"
let h s = match s with "foo" -> 1 | "bar" -> 2 | "bazinga" -> 3 | _ -> 0
let k n = match n with 0 -> "a" | 1 -> "b" | 2 -> "c" | 3 -> "d" | 4 -> "e" | 5 -> "f" | 6 -> "g" | 100 -> "h" | _ -> "z"
let () =
  List.iter (fun x -> Printf.printf "%d " (f x)) [A; B; C; D 5; E "four"; F; G (3, 4); H]; print_newline ();
  List.iter (fun c -> Printf.printf "%s " (g c)) ['q'; 'Q'; '5'; '!']; print_newline ();
  List.iter (fun s -> Printf.printf "%d " (h s)) ["foo"; "bar"; "bazinga"; "nope"]; print_newline ();
  for i = -1 to 8 do print_string (k i) done; print_endline (k 100);
  let arr = [| A; H; D 1 |] in
  Array.iter (fun x -> match x with A | H -> print_string "AH " | _ -> print_string "other ") arr;
  print_newline ()
