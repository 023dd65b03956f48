(* Mirage_flow — the flow signature of MirageOS's mirage-flow package (Debian does not ship
   it), with the same names and types, so that code written against mirage-flow compiles
   unchanged. *)

type write_error = [ `Closed ]

let pp_write_error ppf (`Closed : write_error) = Format.pp_print_string ppf "attempted to write to a closed flow"

type 'a or_eof = [ `Data of 'a | `Eof ]

let pp_or_eof pp_data ppf = function
  | `Data d -> pp_data ppf d
  | `Eof -> Format.pp_print_string ppf "End-of-file"

module type S = sig
  type error
  val pp_error : error Fmt.t
  type nonrec write_error = private [> write_error ]
  val pp_write_error : write_error Fmt.t
  type flow
  val read : flow -> (Cstruct.t or_eof, error) result Lwt.t
  val write : flow -> Cstruct.t -> (unit, write_error) result Lwt.t
  val writev : flow -> Cstruct.t list -> (unit, write_error) result Lwt.t
  val shutdown : flow -> [ `read | `write | `read_write ] -> unit Lwt.t
  val close : flow -> unit Lwt.t
end
