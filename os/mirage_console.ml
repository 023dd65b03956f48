(* Mirage_console — the console signature of MirageOS's mirage-console package (5.x):
   a flow, plus [disconnect] and [log]. *)

module type S = sig
  type t

  val disconnect : t -> unit Lwt.t

  include Mirage_flow.S with type flow := t

  val log : t -> string -> unit Lwt.t
  (** [log t s] writes [s] and a line ending to the console; discarded once closed. *)
end
