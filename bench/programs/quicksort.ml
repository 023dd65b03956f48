let rec qsort (a : int array) lo hi =
  if lo < hi then begin
    let pivot = a.(hi) in
    let i = ref lo in
    for j = lo to hi - 1 do
      if a.(j) < pivot then begin let t = a.(!i) in a.(!i) <- a.(j); a.(j) <- t; incr i end
    done;
    let t = a.(!i) in a.(!i) <- a.(hi); a.(hi) <- t;
    qsort a lo (!i - 1); qsort a (!i + 1) hi
  end
let () =
  let n = 20000 in
  let a = Array.make n 0 in
  let seed = ref 12345 in
  for i = 0 to n - 1 do seed := (!seed * 69069 + 1) land 0x3FFFFFFF; a.(i) <- !seed mod 100000 done;
  qsort a 0 (n - 1);
  let ok = ref true in
  for i = 1 to n - 1 do if a.(i - 1) > a.(i) then ok := false done;
  Printf.printf "%b %d %d\n" !ok a.(0) a.(n - 1)
