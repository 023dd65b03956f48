(* Many threads sleeping different durations: they wake in deadline order, each after
   (virtually) exactly the time it asked for. A sleep lost in Lwt.pick is cancelled. *)
open Lwt.Infix

module Main (Time : Mirage_time.S) (Mclock : Mirage_clock.MCLOCK) = struct
  let start () () =
    let t0 = Mclock.elapsed_ns () in
    let since_start () = Int64.to_int (Int64.div (Int64.sub (Mclock.elapsed_ns ()) t0) 1_000_000L) in
    let order = ref [] in
    let sleeper (name, ms) =
      Time.sleep_ns (Duration.of_ms ms) >|= fun () ->
      order := name :: !order;
      Logs.info (fun f -> f "%s woke at %d ms (slept %d ms)" name (since_start ()) ms)
    in
    let sleepers =
      [ ("a", 700); ("b", 100); ("c", 400); ("d", 100); ("e", 1000); ("f", 250); ("g", 0) ]
    in
    Lwt.join (List.map sleeper sleepers) >>= fun () ->
    Logs.info (fun f -> f "wake order: %s" (String.concat " " (List.rev !order)));
    Lwt.pick
      [ (Time.sleep_ns (Duration.of_sec 5) >|= fun () -> "5 s");
        (Time.sleep_ns (Duration.of_ms 300) >|= fun () -> "300 ms") ]
    >|= fun winner ->
    Logs.info (fun f -> f "pick: the %s sleep won, the other was cancelled (now %d ms)" winner
                  (since_start ()))
end
