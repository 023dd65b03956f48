let () =
  let a = Array.init 10 (fun i -> i * 3) in
  Printf.printf "%d %d\n" (Array.length a) (Array.fold_left ( + ) 0 a);
  a.(3) <- 100;
  print_endline (String.concat "," (Array.to_list (Array.map string_of_int a)));
  let m = Array.make_matrix 3 4 0 in
  m.(1).(2) <- 7;
  Printf.printf "%d %d\n" m.(1).(2) (Array.length m.(0));
  let f = Array.make 5 1.5 in
  f.(2) <- 3.25;
  Printf.printf "%g %d\n" (Array.fold_left ( +. ) 0. f) (Array.length f);
  let s = Array.sub a 2 3 in
  Printf.printf "%d %d\n" s.(0) (Array.length (Array.append a s));
  let c = Array.concat [a; s; [|1|]] in
  Printf.printf "%d\n" (Array.length c);
  Array.sort compare a;
  print_endline (String.concat "," (Array.to_list (Array.map string_of_int a)));
  Array.blit a 0 a 1 5;
  print_endline (String.concat "," (Array.to_list (Array.map string_of_int a)));
  let big = Array.make 100000 0 in
  for i = 0 to 99999 do big.(i) <- i done;
  Printf.printf "%d\n" (Array.fold_left ( + ) 0 big);
  let strs = Array.make 3 "" in
  strs.(1) <- "mid"; Array.fill strs 0 1 "first";
  print_endline (String.concat "/" (Array.to_list strs));
  Printf.printf "%b\n" (Array.exists (fun x -> x = 100) a);
  Printf.printf "%b\n" (Array.for_all (fun x -> x >= 0) a);
  let fa = Float.Array.make 3 2.0 in
  Float.Array.set fa 1 0.5;
  Printf.printf "%g\n" (Float.Array.get fa 1 +. Float.Array.get fa 0);
  (try ignore (Array.make (-1) 0) with Invalid_argument s -> print_endline s);
  let pairs = Array.map (fun x -> (x, string_of_int x)) [|3; 1; 2|] in
  Array.stable_sort compare pairs;
  Array.iter (fun (_, s) -> print_string s) pairs; print_newline ()
