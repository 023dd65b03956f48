(* floats in records and arrays: MAKEFLOATBLOCK, GETFLOATFIELD, SETFLOATFIELD *)
type pt = { mutable px : float; mutable py : float; mutable pz : float }
let mk a b = { px = a; py = b; pz = a +. b }
let () =
  let p = mk (float_of_int 3) 2.5 in
  p.px <- p.py *. 4.0; p.pz <- p.pz +. p.px;
  print_int (int_of_float (p.px *. 100.)); print_int (int_of_float (p.pz *. 10.));
  let a = [| p.px; p.py; 7.25 |] in
  print_int (alen a); print_int (int_of_float (aget a 2 *. 4.))

(* a block of more than Max_young_wosize fields (MAKEBLOCK in the major heap) *)
let big x = (x+0, x+1, x+2, x+3, x+4, x+5, x+6, x+7, x+8, x+9, x+10, x+11, x+12, x+13, x+14, x+15, x+16, x+17, x+18, x+19, x+20, x+21, x+22, x+23, x+24, x+25, x+26, x+27, x+28, x+29, x+30, x+31, x+32, x+33, x+34, x+35, x+36, x+37, x+38, x+39, x+40, x+41, x+42, x+43, x+44, x+45, x+46, x+47, x+48, x+49, x+50, x+51, x+52, x+53, x+54, x+55, x+56, x+57, x+58, x+59, x+60, x+61, x+62, x+63, x+64, x+65, x+66, x+67, x+68, x+69, x+70, x+71, x+72, x+73, x+74, x+75, x+76, x+77, x+78, x+79, x+80, x+81, x+82, x+83, x+84, x+85, x+86, x+87, x+88, x+89, x+90, x+91, x+92, x+93, x+94, x+95, x+96, x+97, x+98, x+99, x+100, x+101, x+102, x+103, x+104, x+105, x+106, x+107, x+108, x+109, x+110, x+111, x+112, x+113, x+114, x+115, x+116, x+117, x+118, x+119, x+120, x+121, x+122, x+123, x+124, x+125, x+126, x+127, x+128, x+129, x+130, x+131, x+132, x+133, x+134, x+135, x+136, x+137, x+138, x+139, x+140, x+141, x+142, x+143, x+144, x+145, x+146, x+147, x+148, x+149, x+150, x+151, x+152, x+153, x+154, x+155, x+156, x+157, x+158, x+159, x+160, x+161, x+162, x+163, x+164, x+165, x+166, x+167, x+168, x+169, x+170, x+171, x+172, x+173, x+174, x+175, x+176, x+177, x+178, x+179, x+180, x+181, x+182, x+183, x+184, x+185, x+186, x+187, x+188, x+189, x+190, x+191, x+192, x+193, x+194, x+195, x+196, x+197, x+198, x+199, x+200, x+201, x+202, x+203, x+204, x+205, x+206, x+207, x+208, x+209, x+210, x+211, x+212, x+213, x+214, x+215, x+216, x+217, x+218, x+219, x+220, x+221, x+222, x+223, x+224, x+225, x+226, x+227, x+228, x+229, x+230, x+231, x+232, x+233, x+234, x+235, x+236, x+237, x+238, x+239, x+240, x+241, x+242, x+243, x+244, x+245, x+246, x+247, x+248, x+249, x+250, x+251, x+252, x+253, x+254, x+255, x+256, x+257, x+258, x+259, x+260, x+261, x+262, x+263, x+264, x+265, x+266, x+267, x+268, x+269, x+270, x+271, x+272, x+273, x+274, x+275, x+276, x+277, x+278, x+279, x+280, x+281, x+282, x+283, x+284, x+285, x+286, x+287, x+288, x+289, x+290, x+291, x+292, x+293, x+294, x+295, x+296, x+297, x+298, x+299)
let () = let (a0, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, a150, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, a299) = big 5 in print_int (a0 + a150 * 1000 + a299 * 1000000)

(* mutual recursion with an environment (CLOSUREREC with free variables) *)
let mutual k =
  let rec a n = if n <= 0 then k else b (n - 1) + 1
  and b n = if n <= 0 then 2 * k else c (n - 1) + 10
  and c n = if n <= 0 then 3 * k else a (n - 1) + 100 in
  a 10 + b 5 + c 7
let () = print_int (mutual 1000)

(* local mutable variables (ASSIGN), unsigned range tests, is_int *)
let () =
  let x = ref 0 and y = ref 1 in
  for i = 1 to 20 do x := !x + i * !y; y := - !y done;
  print_int !x; print_int !y
let kind c = match c with 'a' .. 'z' -> 1 | 'A' .. 'Z' -> 2 | '0' .. '9' -> 3 | _ -> 4
let () = let s = "aZ9_" in print_int (kind (sget s 0) + 10 * kind (sget s 1) + 100 * kind (sget s 2) + 1000 * kind (sget s 3))
type u = U0 | U1 of int
let () = print_bool (is_int U0); print_bool (is_int (U1 3))
let counter = ref 10
let () = incr counter; incr counter; decr counter; print_int !counter

(* higher-order code with partial applications of many arities *)
let f4 a b c d = a * 1000 + b * 100 + c * 10 + d
let apply_all fs x = List.fold_left (fun acc f -> acc + f x) 0 fs
let () = print_int (apply_all [f4 1 2 3; f4 4 5 6; (fun x -> f4 x x x x)] 7)
let rec map f = function [] -> [] | x :: l -> let y = f x in y :: map f l
let () = List.iter print_int (map (f4 1 2) [3; 4; 5] |> map (fun g -> g 9))

(* exceptions carrying values through several frames, reraise *)
exception Found of int
let find p l = try List.iter (fun x -> if p x then raise (Found x)) l; -1 with Found x -> x
let () = print_int (find (fun x -> x * x > 50) [1; 3; 5; 7; 9; 11])
let reraise () = try (try raise (Found 1) with Found n -> raise (Found (n + 1))) with Found n -> n * 10
let () = print_int (reraise ())
let () = print_int (try let r = ref 0 in for i = 1 to 10 do if i = 7 then raise Exit; r := !r + i done; !r with Exit -> 77)
let () = print_string "more done\n"
(* a callback from C that raises: the exception comes back to C as a result *)
let () = print_int (callback2 (fun a b -> if a > 0 then raise (Found b) else a) 5)
let () = print_int (callback2 (fun a b -> a + b) 5)
let () = print_int (try callback2 (fun a b -> (try raise Exit with Exit -> a * b)) 2 with _ -> -2)

(* caml_call_gc_blocks (the stub for equal blocks allocated at once) *)
let () = print_int (gc_blocks ())
