(* Oe_random — Mirage_random on the ocaml-esp32 platforms (see Oe_devices). *)

module Random : sig
  include Mirage_random.S with type g = unit
end = struct
  external fill : Cstruct.buffer -> int -> int -> unit = "caml_oe_random_fill"

  type g = unit

  (* the chip's hardware RNG on the ESP32; a xoshiro128** generator on QEMU *)
  let generate ?g:_ n =
    let cs = Cstruct.create_unsafe n in
    fill cs.Cstruct.buffer cs.Cstruct.off n;
    cs
end
