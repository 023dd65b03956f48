let () =
  let a = 123456789012345L and b = -987654321L in
  Printf.printf "%Ld %Ld %Ld %Ld %Ld\n" (Int64.add a b) (Int64.sub a b) (Int64.mul a 7L) (Int64.div a b) (Int64.rem a b);
  Printf.printf "%Lx %LX %Lu %Lo\n" a a (-1L) 8L;
  Printf.printf "%Ld %Ld\n" Int64.max_int Int64.min_int;
  Printf.printf "%Ld %Ld %Ld\n" (Int64.shift_left 1L 40) (Int64.shift_right (-256L) 4) (Int64.shift_right_logical (-1L) 60);
  Printf.printf "%ld %ld %ld\n" Int32.max_int Int32.min_int (Int32.add Int32.max_int 1l);
  Printf.printf "%ld %ld\n" (Int32.mul 65537l 65537l) (Int32.div (-7l) 2l);
  Printf.printf "%nd %nx\n" Nativeint.max_int (Nativeint.of_int (-1));
  Printf.printf "%d %d\n" (Int64.to_int 0x7FFFFFFFFFL) (Int32.to_int (-5l));
  Printf.printf "%Ld %ld\n" (Int64.of_string "0x7fffffffffffffff") (Int32.of_string "-2147483648");
  (try ignore (Int64.of_string "99999999999999999999") with Failure s -> print_endline s);
  Printf.printf "%d %d\n" (compare 1L 2L) (compare (-1l) 1l);
  Printf.printf "%b\n" (Int64.equal 5L 5L);
  Printf.printf "%d %d\n" (Hashtbl.hash 12345678901L) (Hashtbl.hash 42l);
  Printf.printf "%Ld\n" (Int64.of_float 1e15);
  Printf.printf "%g\n" (Int64.to_float (-123456789012L));
  let fact = ref 1L in
  for i = 1 to 20 do fact := Int64.mul !fact (Int64.of_int i) done;
  Printf.printf "%Ld\n" !fact;
  Printf.printf "%08lx %+Ld\n" 255l 77L;
  (try ignore (Int64.div 1L 0L) with Division_by_zero -> print_endline "i64 div0");
  Printf.printf "%d\n" (Int64.compare (Int64.of_int max_int) 1073741823L);
  Printf.printf "%s %s\n" (Int64.to_string Int64.min_int) (Int32.to_string 77l)
