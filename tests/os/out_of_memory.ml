let () =
  let keep = ref [] in
  (try
     while true do keep := Array.make 1000 0 :: !keep done
   with Out_of_memory -> keep := []; print_endline "Out_of_memory raised");
  Gc.compact ();
  print_endline ("still works: " ^ string_of_int (List.length (List.init 1000 (fun i -> i))))
