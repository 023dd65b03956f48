type mode = Input | Output | Input_pullup | Input_pulldown

external gpio_config : int -> int -> bool = "caml_oe_gpio_config"
external gpio_set : int -> bool -> unit = "caml_oe_gpio_set"
external gpio_get : int -> bool = "caml_oe_gpio_get"

let config pin mode =
  let m = match mode with Input -> 0 | Output -> 1 | Input_pullup -> 2 | Input_pulldown -> 3 in
  if not (gpio_config pin m) then
    invalid_arg (Printf.sprintf "Gpio.config: GPIO%d cannot be used in this mode" pin)

let set = gpio_set
let get = gpio_get
let toggle pin = set pin (not (get pin))
