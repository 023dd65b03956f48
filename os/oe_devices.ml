(* Oe_devices — implementations of the Mirage device signatures on the ocaml-esp32 platforms
   (QEMU and the ESP32 chip; the C side is runtime/oe_os.c over the oe_platform_* layer). *)

module Time : Mirage_time.S = struct
  let sleep_ns = OS.Time.sleep_ns
end

module Mclock = Oe_clock.Mclock
module Pclock = Oe_clock.Pclock
module Console = Oe_console.Console
module Random = Oe_random.Random
