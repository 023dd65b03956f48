(* Mirage_time — the signature of MirageOS's mirage-time package (3.x). *)

module type S = sig
  val sleep_ns : int64 -> unit Lwt.t
  (** [sleep_ns n] is a promise resolved after at least [n] nanoseconds. Cancelling it
      (Lwt.cancel) cancels the sleep. *)
end
