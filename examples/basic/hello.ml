(* A first program: runs natively on the ESP32 profile under QEMU. *)
let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)
let () =
  print_endline "Hello from OCaml on Xtensa!";
  Printf.printf "fib 20 = %d, word size = %d bits\n" (fib 20) Sys.word_size;
  let words = String.split_on_char ' ' "native code no interpreter" in
  Printf.printf "%s\n" (String.concat "," (List.rev words))
