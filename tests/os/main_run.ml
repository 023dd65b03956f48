(* OS.Main.run as a library call: returns when its promise resolves (twice in a row), with
   Lwt.pause and timers; a promise nothing can wake raises OS.Main.Deadlock. *)
open Lwt.Infix

let () =
  OS.Main.run (Lwt.pause () >>= fun () -> OS.Time.sleep_ns 5_000_000L);
  print_endline "run 1 returned";
  let r = ref 0 in
  OS.Main.run (Lwt.join [ (Lwt.pause () >|= fun () -> incr r); (OS.Time.sleep_ns 1L >|= fun () -> incr r) ]);
  print_endline ("run 2 returned, " ^ string_of_int !r ^ " threads ran");
  OS.Main.run (Lwt.return_unit);
  print_endline "run 3 (already resolved) returned";
  (try OS.Main.run (fst (Lwt.wait ())) with OS.Main.Deadlock -> print_endline "deadlock detected");
  print_endline ("timers pending: " ^ string_of_int (OS.Time.pending ()))
