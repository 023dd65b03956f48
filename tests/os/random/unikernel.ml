(* Mirage_random: generate returns fresh bytes of the requested length. *)
module Main (R : Mirage_random.S) = struct
  let start _ =
    let a = R.generate 16 and b = R.generate 16 and z = R.generate 0 in
    print_endline ("lengths " ^ string_of_int (Cstruct.length a) ^ " " ^ string_of_int (Cstruct.length z)
                   ^ ", distinct " ^ string_of_bool (not (Cstruct.equal a b)));
    Lwt.return_unit
end
