(* Exceptions through Lwt: caught by Lwt.catch and try_bind after a sleep, then one escapes
   the main promise and must be reported like an uncaught exception (exit 2). *)
open Lwt.Infix

exception Boom of int

module Main (Time : Mirage_time.S) = struct
  let start () =
    Lwt.catch
      (fun () -> Time.sleep_ns 1_000_000L >>= fun () -> Lwt.fail (Boom 1))
      (function Boom n -> print_endline ("caught Boom " ^ string_of_int n); Lwt.return_unit
              | e -> Lwt.fail e)
    >>= fun () ->
    Lwt.try_bind
      (fun () -> Time.sleep_ns 1_000_000L >|= fun () -> raise (Boom 2))
      (fun () -> print_endline "not reached"; Lwt.return_unit)
      (fun e -> print_endline ("try_bind got " ^ Printexc.to_string e); Lwt.return_unit)
    >>= fun () ->
    let p = Time.sleep_ns 2_000_000L >>= fun () -> failwith "escaped" in
    Time.sleep_ns 1_000_000L >>= fun () ->
    print_endline "about to fail";
    p
end
