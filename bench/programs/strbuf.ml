let () =
  let b = Buffer.create 16 in
  let total = ref 0 in
  for round = 1 to 200 do
    Buffer.clear b;
    for i = 0 to 199 do
      Buffer.add_string b "item";
      Buffer.add_char b (Char.chr (97 + (i + round) mod 26));
      Buffer.add_char b ','
    done;
    let s = Buffer.contents b in
    String.iter (fun c -> if c = ',' then incr total) s;
    total := !total + String.length (String.uppercase_ascii s)
  done;
  Printf.printf "%d\n" !total
