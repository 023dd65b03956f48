let () = print_string "before "; print_endline "flush"; ignore (List.find (fun x -> x > 10) [1;2;3])
