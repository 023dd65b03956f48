exception My_exn of int * string
exception Empty
let f x = if x > 3 then raise (My_exn (x, "big")) else x
let rec deep n = if n = 0 then raise Empty else 1 + deep (n - 1)
let () =
  (try ignore (f 5) with My_exn (n, s) -> Printf.printf "caught %d %s\n" n s);
  (try ignore (deep 10000) with Empty -> print_endline "deep caught");
  let r = try List.assoc 3 [1, "a"; 2, "b"] with Not_found -> "nf" in
  print_endline r;
  (try failwith "boom" with Failure m -> print_endline m);
  (try invalid_arg "bad" with Invalid_argument m -> print_endline m);
  (try ignore ([|1;2|].(5)) with Invalid_argument m -> print_endline m);
  (try ignore ("abc".[10]) with Invalid_argument m -> print_endline m);
  let x = try (try raise Exit with Not_found -> 1) with Exit -> 2 in
  Printf.printf "nested %d\n" x;
  let cnt = ref 0 in
  for i = 1 to 1000 do (try if i mod 2 = 0 then raise Exit with Exit -> incr cnt) done;
  Printf.printf "count %d\n" !cnt;
  (try assert false with Assert_failure (f, l, c) -> Printf.printf "assert %s %d %d\n" f l c);
  (match (try Ok (f 10) with e -> Error e) with
   | Ok _ -> () | Error e -> print_endline (Printexc.to_string e));
  print_endline (Printexc.to_string (Failure "x"));
  print_endline (Printexc.to_string Not_found);
  let finally_ran = ref false in
  (try Fun.protect ~finally:(fun () -> finally_ran := true) (fun () -> raise Exit) with Exit -> ());
  Printf.printf "finally %b\n" !finally_ran;
  at_exit (fun () -> print_endline "at_exit ran");
  raise (My_exn (42, "uncaught"))
