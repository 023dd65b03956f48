(* Oe_clock — Mirage clocks on the ocaml-esp32 platforms (see Oe_devices). *)

module Mclock : Mirage_clock.MCLOCK = struct
  let elapsed_ns = OS.monotonic_ns
  let period_ns () = None
end

module Pclock : Mirage_clock.PCLOCK = struct
  external boot_s : unit -> int64 = "caml_oe_wall_clock_boot_s"

  (* no real-time clock: the wall clock is the boot time (oe_wall_clock_boot_s in oe_os.c,
     2026-01-01T00:00:00Z unless C code sets it) plus the monotonic clock *)
  let now_d_ps () =
    let ns = OS.monotonic_ns () in
    let s = Int64.add (boot_s ()) (Int64.div ns 1_000_000_000L) in
    let sub_ns = Int64.rem ns 1_000_000_000L in
    let days = Int64.to_int (Int64.div s 86_400L) in
    let ps = Int64.add (Int64.mul (Int64.rem s 86_400L) 1_000_000_000_000L) (Int64.mul sub_ns 1000L) in
    (days, ps)

  let current_tz_offset_s () = None
  let period_d_ps () = None
end
