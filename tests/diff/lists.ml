let () =
  let l = List.init 20 (fun i -> i * i) in
  Printf.printf "%d %d\n" (List.length l) (List.fold_left ( + ) 0 l);
  print_endline (String.concat " " (List.map string_of_int (List.rev (List.filter (fun x -> x mod 2 = 0) l))));
  let s = List.sort compare [5; 3; 9; 1; 7; 2; 8] in
  print_endline (String.concat "," (List.map string_of_int s));
  let s2 = List.stable_sort (fun (a, _) (b, _) -> compare a b) [(2, "a"); (1, "b"); (2, "c"); (1, "d")] in
  print_endline (String.concat "," (List.map snd s2));
  Printf.printf "%b %b\n" (List.mem 9 s) (List.exists (fun x -> x > 100) s);
  let big = List.init 100000 (fun i -> i) in
  Printf.printf "%d\n" (List.fold_left ( + ) 0 (List.map (fun x -> x + 1) big));
  Printf.printf "%d\n" (List.length (List.rev_append big big));
  let a, b = List.partition (fun x -> x < 3) [1; 5; 2; 6] in
  Printf.printf "%d %d\n" (List.length a) (List.length b);
  print_endline (String.concat "," (List.map (fun (a, b) -> a ^ b) (List.combine ["x"; "y"] ["1"; "2"])));
  Printf.printf "%d\n" (List.nth [10; 20; 30] 2);
  (match List.find_opt (fun x -> x = 42) l with None -> print_endline "none" | Some _ -> print_endline "some");
  let module IS = Set.Make (Int) in
  let st = IS.of_list [5; 1; 9; 1; 3] in
  Printf.printf "%d %d %d\n" (IS.cardinal st) (IS.min_elt st) (IS.max_elt st);
  let module SM = Map.Make (String) in
  let m = List.fold_left (fun m (k, v) -> SM.add k v m) SM.empty [("b", 2); ("a", 1); ("c", 3)] in
  SM.iter (fun k v -> Printf.printf "%s=%d " k v) m; print_newline ();
  let q = Queue.create () in
  List.iter (fun x -> Queue.push x q) [1; 2; 3];
  Printf.printf "%d %d\n" (Queue.pop q) (Queue.length q);
  let st = Stack.create () in
  List.iter (fun x -> Stack.push x st) [1; 2; 3];
  Printf.printf "%d\n" (Stack.pop st);
  let sq = List.to_seq [1; 2; 4; 8; 16] in
  Seq.iter (Printf.printf "%d ") sq; print_newline ()
