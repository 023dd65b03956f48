open Bigarray
let () =
  let a = Array1.create int32 c_layout 10 in
  for i = 0 to 9 do a.{i} <- Int32.of_int (i * 1000) done;
  Printf.printf "%ld %d\n" a.{7} (Array1.dim a);
  let b = Array1.create char c_layout 16 in
  Array1.fill b 'x';
  b.{3} <- 'A';
  Printf.printf "%c%c\n" b.{3} b.{4};
  let s = Array1.sub a 2 4 in
  Printf.printf "%ld %d\n" s.{0} (Array1.dim s);
  let f = Array1.create float64 c_layout 4 in
  Array1.fill f 1.25;
  f.{2} <- 3.5;
  Printf.printf "%g\n" (f.{0} +. f.{2});
  let i8 = Array1.create int8_unsigned c_layout 4 in
  i8.{0} <- 300;
  Printf.printf "%d\n" i8.{0};
  let i16 = Array1.create int16_signed c_layout 2 in
  i16.{1} <- 40000;
  Printf.printf "%d\n" i16.{1};
  let i64 = Array1.create int64 c_layout 2 in
  i64.{0} <- 0x123456789L;
  Printf.printf "%Lx\n" i64.{0};
  let d = Array1.create int32 c_layout 10 in
  Array1.blit a d;
  Printf.printf "%ld\n" d.{9};
  let m = Array2.create int c_layout 3 3 in
  Array2.fill m 7; m.{1, 2} <- 5;
  Printf.printf "%d %d\n" m.{1, 2} m.{0, 0};
  let fa = Array1.of_array float32 c_layout [| 1.5; 2.5 |] in
  Printf.printf "%g\n" fa.{1}
