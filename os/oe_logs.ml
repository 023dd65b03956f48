(* Oe_logs — a Logs reporter on the console printing lines as MirageOS's mirage-logs does:
     2026-01-01 00:00:01 -00:00: INF [application] hello
   The time comes from Oe_devices.Pclock. *)

external console_write : string -> int -> int -> unit = "caml_oe_console_write"

(* days since 1970-01-01 -> (year, month, day), proleptic Gregorian *)
let civil_of_days days =
  let z = days + 719_468 in
  let era = (if z >= 0 then z else z - 146_096) / 146_097 in
  let doe = z - era * 146_097 in
  let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365 in
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100) in
  let mp = (5 * doy + 2) / 153 in
  let d = doy - (153 * mp + 2) / 5 + 1 in
  let m = if mp < 10 then mp + 3 else mp - 9 in
  let y = yoe + era * 400 + (if m <= 2 then 1 else 0) in
  (y, m, d)

let pp_timestamp ppf (days, ps) =
  let y, mo, d = civil_of_days days in
  let s = Int64.to_int (Int64.div ps 1_000_000_000_000L) in
  Format.fprintf ppf "%04d-%02d-%02d %02d:%02d:%02d -00:00" y mo d (s / 3600) (s / 60 mod 60)
    (s mod 60)

let level_tag = function
  | Logs.App -> "APP"
  | Logs.Error -> "ERR"
  | Logs.Warning -> "WRN"
  | Logs.Info -> "INF"
  | Logs.Debug -> "DBG"

let reporter ?(now_d_ps = Oe_devices.Pclock.now_d_ps) () =
  let buf = Buffer.create 128 in
  let ppf = Format.formatter_of_buffer buf in
  let report src level ~over k msgf =
    let finish _ =
      Format.pp_print_flush ppf ();
      let s = Buffer.contents buf in
      Buffer.clear buf;
      console_write s 0 (String.length s);
      over ();
      k ()
    in
    msgf (fun ?header:_ ?tags:_ fmt ->
        Format.kfprintf finish ppf ("%a: %s [%s] @[" ^^ fmt ^^ "@]@.") pp_timestamp (now_d_ps ())
          (level_tag level) (Logs.Src.name src))
  in
  { Logs.report }

let install ?(level = Some Logs.Info) () =
  Logs.set_level level;
  Logs.set_reporter (reporter ())
