type tree = Leaf | Node of tree * tree
let rec make d = if d = 0 then Node (Leaf, Leaf) else Node (make (d - 1), make (d - 1))
let rec check = function Leaf -> 0 | Node (l, r) -> 1 + check l + check r
let () =
  let max_depth = 12 in
  let long_lived = make max_depth in
  let total = ref 0 in
  let d = ref 4 in
  while !d <= max_depth do
    let iters = 1 lsl (max_depth - !d + 4) in
    for _ = 1 to iters do total := !total + check (make !d) done;
    d := !d + 2
  done;
  Printf.printf "%d %d\n" !total (check long_lived)
