let () =
  let xs = [0.; -0.; 1.; -1.5; 3.14159265358979; 1e10; 1e-10; 123456789.123; 1e300; 5e-324; nan; infinity; neg_infinity; 0.1; 2. /. 3.] in
  List.iter (fun x -> Printf.printf "%g|%f|%e|%.17g|%h|%F|%s\n" x x x x x x (string_of_float x)) xs;
  Printf.printf "%.3f %.0f %.10f %5.1f %-8.2f|\n" 2.0005 2.5 (1. /. 3.) 3.14159 2.5;
  Printf.printf "%g %g %g %g\n" (sqrt 2.) (exp 1.) (log 10.) (sin 1.);
  Printf.printf "%g %g %g\n" (cos 0.5) (atan2 1. 2.) (2. ** 0.5);
  Printf.printf "%g %g %g %g\n" (floor 2.7) (ceil (-2.7)) (Float.round 2.5) (Float.trunc (-2.7));
  Printf.printf "%d %d %d\n" (int_of_float 3.99) (int_of_float (-3.99)) (truncate 1e9);
  Printf.printf "%g %g\n" (float_of_int 42) (float_of_string "1.5e3");
  Printf.printf "%g %g %g\n" (float_of_string "0x1.8p1") (float_of_string "1_000.5") (float_of_string "-inf");
  Printf.printf "%b %b %b %b\n" (nan = nan) (nan <> nan) (compare nan nan = 0) (0. = -0.);
  Printf.printf "%d %d\n" (compare 1. 2.) (compare nan 1.);
  let fr, ex = frexp 12.5 in
  Printf.printf "%g %d %g\n" fr ex (ldexp 0.78125 4);
  let f, i = modf 3.75 in
  Printf.printf "%g %g\n" f i;
  Printf.printf "%s\n" (match classify_float (1. /. 0.) with FP_infinite -> "inf" | _ -> "other");
  Printf.printf "%Ld %ld\n" (Int64.bits_of_float 1.0) (Int32.bits_of_float 1.0);
  Printf.printf "%g\n" (Int64.float_of_bits 0x4009_21FB_5444_2D18L);
  let acc = ref 0. in
  for i = 1 to 100000 do acc := !acc +. 1. /. float i done;
  Printf.printf "%.15g\n" !acc;
  Printf.printf "%g %g %g\n" (mod_float 7.5 2.) (Float.abs (-3.)) (Float.of_string "12");
  Printf.printf "%.20e\n" 0.1;
  Printf.printf "%g %g\n" (1e308 *. 10.) (-1e308 *. 10.);
  Printf.printf "%g %g %g\n" (Float.min 1. 2.) (Float.max 1. nan) (hypot 3. 4.);
  Printf.printf "%g %g %g\n" (expm1 1e-10) (log1p 1e-10) (Float.fma 2. 3. 4.);
  Printf.printf "%s %s\n" (string_of_float 1e22) (string_of_float 1.23456789012345678);
  Printf.printf "%d\n" (Hashtbl.hash 3.14)
