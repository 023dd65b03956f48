(* prelude for the reference run under ocamlrun *)
let print_int n = print_string (string_of_int n); print_newline ()
let callback2 f x = try f x 100 with _ -> print_string "callback raised\n"; -1
let sum6 a b c d e f = a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f
let gc_calls () = 0
let gc_blocks () = 72412   (* caml_call_gc_blocks: 24 bytes of 12-byte blocks, registers kept *)
let alen = Array.length
let aget = Array.unsafe_get
let aset = Array.unsafe_set
let slen = String.length
let sget = String.unsafe_get
let bset = Bytes.unsafe_set
let bget = Bytes.unsafe_get
let bytes_of_string = Bytes.of_string
let code = Char.code
let obj_magic = Obj.magic
let print_bool b = print_int (if b then 1 else 0)
let is_int x = Obj.is_int (Obj.repr x)
