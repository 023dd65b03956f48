let () =
  let h = Hashtbl.create 16 in
  for i = 0 to 9999 do Hashtbl.replace h (string_of_int i) i done;
  Printf.printf "%d %d\n" (Hashtbl.length h) (Hashtbl.find h "4242");
  Hashtbl.remove h "4242";
  Printf.printf "%b\n" (Hashtbl.mem h "4242");
  let sum = Hashtbl.fold (fun _ v acc -> acc + v) h 0 in
  Printf.printf "%d\n" sum;
  List.iter (fun v -> Printf.printf "%d " (Hashtbl.hash v)) [0; 1; -1; max_int; 1000000];
  print_newline ();
  List.iter (fun v -> Printf.printf "%d " (Hashtbl.hash v)) ["" ; "a"; "hello world"; String.make 100 'x'];
  print_newline ();
  Printf.printf "%d %d %d\n" (Hashtbl.hash [1;2;3]) (Hashtbl.hash (1, "a", 2.5)) (Hashtbl.hash [|1.;2.|]);
  Printf.printf "%d %d\n" (Hashtbl.hash (Some [Some 1; None])) (Hashtbl.hash `Polyvar);
  Printf.printf "%d\n" (Hashtbl.seeded_hash 42 "seeded");
  Printf.printf "%d\n" (Hashtbl.hash_param 5 10 (List.init 100 (fun i -> i)));
  let h2 = Hashtbl.create 1 in
  Hashtbl.add h2 1 "a"; Hashtbl.add h2 1 "b";
  Printf.printf "%s %d\n" (Hashtbl.find h2 1) (List.length (Hashtbl.find_all h2 1))
