(* Mirage_random — the signature of MirageOS's mirage-random package (3.x). *)

module type S = sig
  type g
  (** The state of the generator. *)

  val generate : ?g:g -> int -> Cstruct.t
  (** [generate ~g n] is [n] fresh random bytes. *)
end
