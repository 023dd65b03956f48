let () =
  Format.printf "@[<v 2>box:@,%d@,%s@]@." 42 "str";
  Format.printf "%a@." (Format.pp_print_list ~pp_sep:Format.pp_print_space Format.pp_print_int) [1; 2; 3];
  let s = Format.asprintf "%5.2f|%-6s|%c|%B" 3.14159 "ab" 'z' false in
  print_endline s;
  print_endline (Printf.sprintf "%*d|%-*d|%.*f" 6 42 4 7 2 1.23456);
  print_endline (Printf.sprintf "%#x %#o %x" 255 8 (-1));
  Printf.printf "%s %d%%\n" "percent" 50;
  let b = Buffer.create 10 in
  Printf.bprintf b "%d-%d" 1 2; print_endline (Buffer.contents b);
  Printf.eprintf "to stderr\n";
  Printf.printf "%a\n" (fun oc x -> output_string oc (string_of_int (x * 2))) 21;
  Printf.ksprintf print_endline "k%s" "sprintf";
  Scanf.sscanf "12 abc 3.5" "%d %s %f" (fun i s f -> Printf.printf "%d %s %g\n" i s f);
  Scanf.sscanf "key=value" "%[a-z]=%s" (fun k v -> Printf.printf "%s -> %s\n" k v);
  let l = Scanf.sscanf "1,2,3" "%d,%d,%d" (fun a b c -> [a; b; c]) in
  Printf.printf "%d\n" (List.fold_left ( + ) 0 l);
  Format.printf "%s@ %s@ %s@." "wrap" "these" "words";
  Format.printf "@[<hov 4>%s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@ %s@]@." "aaaaaaaaaa" "bbbbbbbbbbbb" "ccccccccccc" "dddddddddd" "eeeeeeeeee" "ffffffffff" "gggggggg" "hhhhhhhhh" "iiiiiiiiiii" "jjjjjjjjj" "kkkkkkkk"
