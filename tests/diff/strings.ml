let () =
  let s = "Hello, World" in
  Printf.printf "%d %c %s\n" (String.length s) s.[4] (String.sub s 7 5);
  print_endline (String.uppercase_ascii s ^ " " ^ String.lowercase_ascii s);
  print_endline (String.concat "|" (String.split_on_char ',' "a,b,,c"));
  Printf.printf "%d %d\n" (String.index s 'o') (String.rindex s 'o');
  Printf.printf "%b %b\n" (String.contains s 'W') (String.equal "a" "b");
  print_endline (String.trim "   spaced   ");
  print_endline (String.make 5 'x');
  print_endline (String.init 10 (fun i -> Char.chr (97 + i)));
  print_endline (String.map Char.uppercase_ascii "mapped");
  print_endline (String.escaped "tab\there\nnl \"q\" \\ \001");
  let b = Bytes.create 5 in
  Bytes.fill b 0 5 'z'; Bytes.set b 2 'A';
  print_endline (Bytes.to_string b);
  let b2 = Bytes.of_string "0123456789" in
  Bytes.blit b2 0 b2 3 5; print_endline (Bytes.to_string b2);
  Bytes.blit_string "XY" 0 b2 8 2; print_endline (Bytes.unsafe_to_string b2);
  let buf = Buffer.create 4 in
  for i = 0 to 99 do Buffer.add_string buf (string_of_int i) done;
  Buffer.add_char buf '!';
  Printf.printf "%d %s\n" (Buffer.length buf) (Buffer.sub buf 0 20);
  Printf.printf "%d %d %d\n" (compare "abc" "abd") (compare "ab" "abc") (compare "b" "abc");
  Printf.printf "%b %b\n" ("abc" = "abc") ("abc" < "abd");
  let long = String.make 100000 'q' in
  Printf.printf "%d\n" (String.length (long ^ long));
  Printf.printf "%S %s\n" "quoted\n" (Printf.sprintf "%10s|%-10s|" "r" "l");
  print_endline (String.concat "," (List.map (fun c -> string_of_int (Char.code c)) (List.of_seq (String.to_seq "AZaz09"))));
  Printf.printf "%d\n" (Hashtbl.hash "hello");
  Printf.printf "%d %d\n" (String.get_int32_le "\001\002\003\004" 0 |> Int32.to_int) (Bytes.get_uint16_be (Bytes.of_string "\001\002") 0);
  print_endline (String.capitalize_ascii "word" ^ String.uncapitalize_ascii "WORD");
  Printf.printf "%b %b\n" (String.starts_with ~prefix:"He" s) (String.ends_with ~suffix:"ld" s)
