let n = 9
let rec ok row col queens = match queens with
  | [] -> true
  | (r, c) :: rest -> c <> col && abs (r - row) <> abs (c - col) && ok row col rest
let rec place row queens =
  if row = n then 1
  else begin
    let count = ref 0 in
    for col = 0 to n - 1 do
      if ok row col queens then count := !count + place (row + 1) ((row, col) :: queens)
    done;
    !count
  end
let () = Printf.printf "%d\n" (place 0 [])
