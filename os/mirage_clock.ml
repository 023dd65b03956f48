(* Mirage_clock — the signatures of MirageOS's mirage-clock package (4.x). *)

module type PCLOCK = sig
  val now_d_ps : unit -> int * int64
  (** POSIX time as (days since 1970-01-01, picoseconds in the day: [0; 86_400e12 - 1]). *)

  val current_tz_offset_s : unit -> int option
  (** Local time zone offset to UTC in seconds, if known. *)

  val period_d_ps : unit -> (int * int64) option
  (** The clock's period, if known. *)
end

module type MCLOCK = sig
  val elapsed_ns : unit -> int64
  (** Monotonic time in nanoseconds since an arbitrary point (here: boot). *)

  val period_ns : unit -> int64 option
  (** The clock's period, if known. *)
end
