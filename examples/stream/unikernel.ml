(* Threads talking through Lwt_stream (producer/consumer) and Lwt_mvar (ping-pong). *)
open Lwt.Infix

module Main (Time : Mirage_time.S) = struct
  let start () =
    let stream, push = Lwt_stream.create () in
    let rec produce i =
      if i > 5 then begin
        push None;
        Lwt.return_unit
      end else
        Time.sleep_ns (Duration.of_ms 200) >>= fun () ->
        Logs.info (fun f -> f "produce %d" i);
        push (Some i);
        produce (i + 1)
    in
    let consume =
      Lwt_stream.fold (fun x acc -> Logs.info (fun f -> f "consume %d" x); acc + x) stream 0
      >|= fun sum -> Logs.info (fun f -> f "stream closed, sum = %d" sum)
    in
    Lwt.join [ produce 1; consume ] >>= fun () ->
    let ping = Lwt_mvar.create_empty () and pong = Lwt_mvar.create_empty () in
    let rec player name inbox outbox n =
      if n = 0 then Lwt.return_unit
      else
        Lwt_mvar.take inbox >>= fun ball ->
        Logs.info (fun f -> f "%s got ball %d" name ball);
        Time.sleep_ns (Duration.of_ms 100) >>= fun () ->
        Lwt_mvar.put outbox (ball + 1) >>= fun () -> player name inbox outbox (n - 1)
    in
    Lwt.join [ player "ping" ping pong 3; player "pong" pong ping 3; Lwt_mvar.put ping 0 ]
end
