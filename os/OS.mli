(** The unikernel scheduler (MirageOS's [OS] module, reduced to what our platforms have). *)

val monotonic_ns : unit -> int64
(** Nanoseconds since boot (the platform's cycle counter). *)

module Time : sig
  val sleep_ns : int64 -> unit Lwt.t
  (** [sleep_ns n]: a cancellable promise resolved by {!Main.run} once [n] ns have passed. *)

  val pending : unit -> int
  (** Number of entries in the timer queue (cancelled ones included until their deadline). *)
end

module Main : sig
  exception Deadlock
  (** Raised by {!run} when its promise is pending and nothing can ever wake it. *)

  val run : unit Lwt.t -> unit
  (** [run t] runs Lwt until [t] resolves: it wakes paused threads ([Lwt.pause]), fires due
      timers in deadline order, and when nothing is runnable puts the CPU to sleep until the
      next deadline. Returns when [t] is fulfilled; if [t] is rejected, re-raises its
      exception (reported like any uncaught exception if the program does not catch it). *)
end
