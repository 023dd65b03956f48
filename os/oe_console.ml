(* Oe_console — the Mirage console on the ocaml-esp32 platforms (see Oe_devices). *)

module Console : sig
  include Mirage_console.S with type error = [ `Msg of string ]
  val connect : string -> t Lwt.t
  (** [connect name]: the platform console (semihosting on QEMU, UART0 on the chip); the
      name is ignored. *)
end = struct
  external write_ba : Cstruct.buffer -> int -> int -> unit = "caml_oe_console_write_ba"
  external write_string : string -> int -> int -> unit = "caml_oe_console_write"
  external read_ba : Cstruct.buffer -> int -> int -> int = "caml_oe_console_read_ba"
  external input_ready : unit -> bool = "caml_oe_console_input_ready"

  type t = { mutable can_read : bool; mutable can_write : bool }
  type error = [ `Msg of string ]
  type write_error = Mirage_flow.write_error

  let pp_error ppf (`Msg m : error) = Format.pp_print_string ppf m
  let pp_write_error = Mirage_flow.pp_write_error
  let connect _name = Lwt.return { can_read = true; can_write = true }

  let close t =
    t.can_read <- false;
    t.can_write <- false;
    Lwt.return_unit

  let disconnect = close

  let shutdown t mode =
    (match mode with
     | `read -> t.can_read <- false
     | `write -> t.can_write <- false
     | `read_write -> t.can_read <- false; t.can_write <- false);
    Lwt.return_unit

  let write t (buf : Cstruct.t) =
    if not t.can_write then Lwt.return (Error `Closed)
    else begin
      write_ba buf.Cstruct.buffer buf.Cstruct.off buf.Cstruct.len;
      Lwt.return (Ok ())
    end

  let writev t bufs =
    if not t.can_write then Lwt.return (Error `Closed)
    else begin
      List.iter (fun (b : Cstruct.t) -> write_ba b.Cstruct.buffer b.Cstruct.off b.Cstruct.len) bufs;
      Lwt.return (Ok ())
    end

  (* The console is polled every 10 ms while a reader waits (no RX interrupt yet), so other
     threads and timers keep running; the read itself then returns at once. *)
  let poll_interval_ns = 10_000_000L

  let rec wait_input () =
    if input_ready () then Lwt.return_unit
    else Lwt.bind (OS.Time.sleep_ns poll_interval_ns) wait_input

  let read t =
    if not t.can_read then Lwt.return (Ok `Eof)
    else Lwt.bind (wait_input ()) @@ fun () ->
    if not t.can_read then Lwt.return (Ok `Eof)
    else begin
      let buf = Cstruct.create_unsafe 256 in
      let n = read_ba buf.Cstruct.buffer buf.Cstruct.off 256 in
      if n <= 0 then begin
        t.can_read <- false;
        Lwt.return (Ok `Eof)
      end else Lwt.return (Ok (`Data (Cstruct.sub buf 0 n)))
    end

  let log t s =
    if t.can_write then begin
      write_string s 0 (String.length s);
      write_string "\n" 0 1
    end;
    Lwt.return_unit
end
