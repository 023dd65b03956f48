(* A reader waits on the console while a ticker keeps running: reading must not block the
   other threads. tests/os/run.sh sends the input only once "tick 1" has been printed, so
   with a read that blocks everything the ticks would come after "got". *)
module Main (T : Mirage_time.S) (C : Mirage_console.S) = struct
  let rec ticker n =
    if n = 0 then Lwt.return_unit
    else begin
      print_endline (Printf.sprintf "tick %d" n);
      Lwt.bind (T.sleep_ns 50_000_000L) (fun () -> ticker (n - 1))
    end

  let rec reader c acc =
    Lwt.bind (C.read c) (function
      | Ok (`Data b) ->
        print_endline (Printf.sprintf "got %d bytes" (Cstruct.length b));
        reader c (acc ^ Cstruct.to_string b)
      | Ok `Eof -> Lwt.return acc
      | Error _ -> Lwt.return (acc ^ "<error>"))

  let start () c =
    Lwt.bind (Lwt.both (ticker 3) (reader c "")) (fun ((), input) ->
      print_endline (Printf.sprintf "read %S" input);
      Lwt.return_unit)
end
