let () =
  Printf.printf "%d %d\n" Sys.word_size Sys.int_size;
  Printf.printf "%d\n" (Array.length Sys.argv);
  Printf.printf "%s\n" Sys.os_type;
  Printf.printf "%d\n" Sys.max_array_length;
  Printf.printf "%d\n" Sys.max_string_length;
  Printf.printf "%b\n" Sys.big_endian;
  print_endline (Digest.to_hex (Digest.string "hello"));
  print_endline (Digest.to_hex (Digest.string ""));
  print_endline (Digest.to_hex (Digest.string (String.make 1000 'z')));
  Random.init 42;
  let r = List.init 5 (fun _ -> Random.int 1000) in
  print_endline (String.concat "," (List.map string_of_int r));
  Printf.printf "%g %b\n" (Random.float 1.) (Random.bool ());
  let st = Random.State.make [|1; 2; 3|] in
  Printf.printf "%d %ld %Ld\n" (Random.State.int st 100) (Random.State.int32 st 1000l) (Random.State.int64 st 100000L);
  (try ignore (Sys.getenv "HOME_NOT_SET_HOPEFULLY") with Not_found -> print_endline "no env");
  Printf.printf "%b\n" (Obj.is_block (Obj.repr "x"));
  Printf.printf "%d %d\n" (Obj.tag (Obj.repr 1.0)) (Obj.size (Obj.repr (1, 2, 3)));
  Printf.printf "%d\n" (Char.code (Char.chr 65));
  print_endline (Char.escaped '\n');
  Printf.printf "%d\n" (Uchar.to_int (Uchar.of_int 0x1F600));
  let b = Buffer.create 4 in
  Buffer.add_utf_8_uchar b (Uchar.of_int 0x263A);
  Printf.printf "%d\n" (Buffer.length b);
  Printf.printf "%b %b\n" (Bool.not true) (Bool.equal true true);
  Printf.printf "%d %d\n" (Int.max 3 4) (Int.abs (-9));
  print_endline (Filename.concat "dir" "file.ml");
  print_endline (Filename.chop_extension "file.ml");
  Printf.printf "%b\n" (Filename.check_suffix "a.byte" ".byte")
