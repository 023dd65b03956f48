(** General-purpose I/O pins, numbered as the chip numbers them (GPIO0..GPIO39 on the ESP32;
    6-11 drive the flash, 34-39 are input-only). On QEMU the pins are simulated and every
    output change is logged on stderr as [[qemu gpio] GPIOn = 0|1]. *)

type mode = Input | Output | Input_pullup | Input_pulldown

val config : int -> mode -> unit
(** [config pin mode] sets up a pin. Raises [Invalid_argument] if the pin cannot do it. *)

val set : int -> bool -> unit
(** Drive an output pin high ([true]) or low. *)

val get : int -> bool
(** Read a pin's level. *)

val toggle : int -> unit
(** Invert an output pin. *)
