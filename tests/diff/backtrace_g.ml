(* flags: -g *)
(* Exception backtraces of a program linked with -g: locations as ocamlrun prints them
   (raise points, calls, re-raises, primitives that raise, call stacks, slots). *)

exception E of int

let print_bt title =
  print_string ("-- " ^ title ^ "\n");
  Printexc.print_backtrace stdout

let[@inline never] rec deep n = if n = 0 then raise (E 0) else 1 + deep (n - 1)

let[@inline never] reraiser n =
  try deep n with E k as e -> if k = 0 then raise e else 0

let[@inline never] fresh n = try deep n with E _ -> raise (E 1)

let[@inline never] finally_like n =
  match deep n with
  | v -> v
  | exception e -> ignore (String.length "cleanup"); raise e

let[@inline never] get a i = a.(i) + 1
let[@inline never] divide a b = (a / b) + 1
let[@inline never] parse s = int_of_string s + 1
let[@inline never] lookup h k = Hashtbl.find h k + 1
let[@inline never] notrace () = raise_notrace Exit
let[@inline never] assertion x = assert (x > 0); x
let[@inline never] matching = function Some x -> x | None -> failwith "none"

(* partial and over-application, a closure passed around *)
let[@inline never] add3 a b c = if a + b + c > 5 then raise Not_found else a + b + c
let[@inline never] apply f x = f x + 1
let[@inline never] make_adder a = fun b -> fun c -> add3 a b c

class obj = object (self)
  method m x = if x then self#n else 0
  method n : int = raise (E 42)
end

module F (X : sig val v : int end) = struct
  let[@inline never] f () = if X.v > 0 then raise (E X.v) else 0
end
module G = F (struct let v = 3 end)

let run title f =
  match f () with
  | _ -> print_string ("-- " ^ title ^ ": no exception\n")
  | exception _ -> print_bt title

let () =
  Printexc.record_backtrace true;
  run "deep" (fun () -> deep 3);
  run "reraise" (fun () -> reraiser 2);
  run "fresh raise in handler" (fun () -> fresh 2);
  run "match with exception" (fun () -> finally_like 1);
  run "array bound" (fun () -> get [| 1; 2 |] 5);
  run "division" (fun () -> divide 1 0);
  run "int_of_string" (fun () -> parse "x");
  run "hashtbl" (fun () -> lookup (Hashtbl.create 1) "k");
  run "assert" (fun () -> assertion 0);
  run "failwith" (fun () -> matching None);
  run "partial application" (fun () -> apply (add3 1 2) 3);
  run "closures" (fun () -> apply (make_adder 2 2) 3);
  run "method" (fun () -> (new obj)#m true);
  run "functor" G.f;
  run "list iter" (fun () -> List.iter (fun x -> if x = 3 then raise Exit) [1; 2; 3]; 0);
  run "lazy" (fun () -> Lazy.force (lazy (deep 1)));
  (* raise_notrace keeps the previous backtrace *)
  (try notrace () with Exit -> print_bt "after raise_notrace");
  (* slots *)
  (try ignore (deep 2) with E _ ->
     let bt = Printexc.get_raw_backtrace () in
     Printf.printf "length %d\n" (Printexc.raw_backtrace_length bt);
     (match Printexc.backtrace_slots bt with
      | None -> print_string "no slots\n"
      | Some slots ->
        Array.iteri (fun i s ->
            Printf.printf "%d raise=%b inline=%b name=%s loc=%s\n" i
              (Printexc.Slot.is_raise s) (Printexc.Slot.is_inline s)
              (match Printexc.Slot.name s with Some n -> n | None -> "-")
              (match Printexc.Slot.location s with
               | Some l -> Printf.sprintf "%s:%d:%d-%d" l.filename l.line_number
                             l.start_char l.end_char
               | None -> "-"))
          slots);
     let s0 = Printexc.get_raw_backtrace_slot bt 0 in
     Printf.printf "next slot: %b\n" (Printexc.get_raw_backtrace_next_slot s0 = None);
     (* re-raise with a saved backtrace *)
     (try Printexc.raise_with_backtrace Exit bt with Exit -> print_bt "raise_with_backtrace"));
  (* call stack *)
  let[@inline never] cs () = Printexc.get_callstack 10 in
  let[@inline never] cs2 () = Printexc.raw_backtrace_to_string (cs ()) in
  print_string "-- callstack\n";
  print_string (cs2 ());
  print_string "-- callstack 1\n";
  print_string (Printexc.raw_backtrace_to_string (Printexc.get_callstack 1));
  (* turning recording off *)
  Printexc.record_backtrace false;
  (try ignore (deep 1) with E _ -> print_bt "recording off");
  Printf.printf "status %b\n" (Printexc.backtrace_status ())
