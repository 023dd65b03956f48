(* Blink the LED on GPIO2 once a second, as Mirage code would: the timer comes from the
   Time device, the pin from the OS library's Gpio module. Ten toggles, then done (on the
   chip, raise [blinks] to [max_int] to blink forever). *)
open Lwt.Infix

let led = 2
let blinks = 10

module Blink (Time : Mirage_time.S) = struct
  let start _time =
    Gpio.config led Gpio.Output;
    let rec loop n =
      if n = 0 then Lwt.return_unit
      else begin
        Gpio.toggle led;
        Time.sleep_ns (Duration.of_sec 1) >>= fun () -> loop (n - 1)
      end
    in
    loop blinks >|= fun () -> print_endline "blink: done"
end
