(* packages: lwt *)
let () =
  let open Lwt.Infix in
  let p =
    Lwt.join [
      (Lwt.pause () >>= fun () -> print_endline "a"; Lwt.return_unit);
      (print_endline "b"; Lwt.return_unit);
    ] >>= fun () ->
    let s, push = Lwt_stream.create () in
    push (Some 1); push (Some 2); push None;
    Lwt_stream.to_list s >>= fun l ->
    Printf.printf "stream %d\n" (List.length l);
    let m = Lwt_mvar.create_empty () in
    let consumer = Lwt_mvar.take m >|= fun v -> Printf.printf "mvar %d\n" v in
    Lwt_mvar.put m 42 >>= fun () -> consumer
  in
  let rec run () = match Lwt.state p with
    | Lwt.Return () -> ()
    | Lwt.Fail e -> raise e
    | Lwt.Sleep -> Lwt.wakeup_paused (); run ()
  in
  run ();
  print_endline "done"
