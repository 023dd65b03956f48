(* integers, arithmetic on 31-bit ints, comparisons, control flow *)
let () =
  Printf.printf "%d %d %d\n" max_int min_int (max_int + 1);
  Printf.printf "%d %d %d %d\n" (7 / 2) (-7 / 2) (7 mod 3) (-7 mod 3);
  Printf.printf "%d %d %d\n" (1 lsl 29) (1 lsl 30) ((-1) lsr 1);
  Printf.printf "%d %d\n" ((-16) asr 2) ((-16) lsr 28);
  Printf.printf "%d %d %d\n" (0xF0 land 0x3C) (0xF0 lor 0x0F) (0xFF lxor 0x0F);
  Printf.printf "%b %b %b %b\n" (3 < 4) (3 > 4) (3 <= 3) (4 >= 5);
  Printf.printf "%d\n" (abs (-5) + succ 1 + pred 1);
  let r = ref 0 in
  for i = 1 to 100 do r := !r + i done;
  for i = 10 downto 1 do r := !r - i done;
  Printf.printf "sum %d\n" !r;
  let i = ref 0 in
  while !i < 10 do incr i done;
  Printf.printf "while %d\n" !i;
  Printf.printf "%d\n" (min_int / -1);
  Printf.printf "%d %d\n" (max_int * 3) (min_int - 1);
  (try ignore (1 / 0) with Division_by_zero -> print_endline "div by zero");
  (try ignore (1 mod 0) with Division_by_zero -> print_endline "mod by zero");
  Printf.printf "%x %X %o %u\n" 255 255 8 (-1);
  Printf.printf "[%5d] [%-5d] [%05d] [%+d]\n" 42 42 42 42;
  print_endline (string_of_int (-12345));
  print_endline (string_of_bool true);
  Printf.printf "%d\n" (int_of_string "0x1F" + int_of_string "0b101" + int_of_string "0o17" + int_of_string "-42");
  (try ignore (int_of_string "abc") with Failure s -> print_endline s);
  Printf.printf "%d\n" (compare 3 4 + compare 4 3 + compare 2 2)
