(* flags: -g *)
(* Gc.Memprof with deterministic observations: sampling rates 1 and 0, the callbacks of
   specific blocks (7-field ones, a size nothing else here has), exceptions from callbacks,
   stop inside a callback. Events are recorded, printed only after explicit collections, so
   that the output does not depend on when implicit collections happen (GC-stress mode). *)
module MP = Gc.Memprof

let events = ref []
let log fmt = Printf.ksprintf (fun s -> events := s :: !events) fmt
let flush_events title =
  Printf.printf "%s:" title;
  List.iter (Printf.printf " %s") (List.rev !events);
  print_newline ();
  events := []

let src = function MP.Normal -> "normal" | MP.Marshal -> "marshal" | MP.Custom -> "custom"

(* rate 1: every word is a sample, headers included *)
let counts name f =
  let n = ref 0 and samples = ref 0 and words = ref 0 in
  let alloc (info : MP.allocation) =
    incr n;
    samples := !samples + info.n_samples;
    words := !words + info.size + 1;
    None in
  MP.start ~sampling_rate:1. ~callstack_size:0
    { MP.null_tracker with alloc_minor = alloc; alloc_major = alloc };
  f ();
  MP.stop ();
  Printf.printf "%s: %d blocks, %d samples, %b\n" name !n !samples (!samples = !words)

let[@inline never] refs () =
  for i = 1 to 10 do ignore (Sys.opaque_identity (ref (ref i))) done
let[@inline never] tuples () =
  for i = 1 to 10 do ignore (Sys.opaque_identity (i, (i, i, i), [i; i])) done
let sink = ref (Obj.repr 0)
let[@inline never] closures () =
  for i = 1 to 10 do sink := Obj.repr (Sys.opaque_identity (fun x -> x + i)) done
let[@inline never] partial () =
  let f a b c = a + b + c in
  for i = 1 to 10 do sink := Obj.repr (Sys.opaque_identity (f i)) done
let[@inline never] arrays () =
  for i = 1 to 10 do ignore (Sys.opaque_identity (Array.make i 'a')) done
let[@inline never] big_arrays () =
  for i = 1 to 3 do ignore (Sys.opaque_identity (Array.make (1000 * i) 0)) done
let[@inline never] floats () =
  let x = ref 1.5 in
  for i = 1 to 10 do x := Sys.opaque_identity (!x *. float i) done
let[@inline never] bytes () =
  for i = 1 to 10 do ignore (Sys.opaque_identity (Bytes.make (i * 10) 'x')) done

let () =
  counts "refs" refs;
  counts "tuples" tuples;
  counts "closures" closures;
  counts "partial applications" partial;
  counts "small arrays" arrays;
  counts "big arrays" big_arrays;
  counts "boxed floats" floats;
  counts "bytes" bytes

(* rate 0: started, never samples *)
let () =
  let n = ref 0 in
  MP.start ~sampling_rate:0. { MP.null_tracker with alloc_minor = (fun _ -> incr n; None) };
  refs (); arrays (); big_arrays ();
  MP.stop ();
  Printf.printf "rate 0: %d callbacks\n" !n

(* the life of 7-field blocks allocated while `armed`: alloc, promote, dealloc, with the ids
   the callbacks return *)
let next_id = ref 0
let armed = ref false
let armed_call f = armed := true; f (); armed := false
let in_callback = ref false
let nested = ref false
let guard f x =
  if !in_callback then nested := true;
  in_callback := true;
  let r = f x in
  in_callback := false;
  r
(* a 7-field block (not a constant) *)
let[@inline never] block7 i =
  let x = Sys.opaque_identity i in
  (x, x, x, x, x, x, x)
let tracker ?(minor_none = false) () =
  let alloc kind (info : MP.allocation) =
    (* callbacks allocate 7-field blocks too: never sampled while a callback runs *)
    ignore (Sys.opaque_identity (block7 0));
    if info.size <> 7 || not !armed then None
    else begin
      incr next_id;
      log "%s#%d(%d,%s)" kind !next_id info.n_samples (src info.source);
      if minor_none && kind = "alloc_minor" then None else Some !next_id
    end in
  { MP.alloc_minor = guard (alloc "alloc_minor");
    alloc_major = guard (alloc "alloc_major");
    promote = guard (fun id -> log "promote#%d" id; Some id);
    dealloc_minor = guard (fun id -> log "dealloc_minor#%d" id);
    dealloc_major = guard (fun id -> log "dealloc_major#%d" id) }

let kept = ref []
let[@inline never] garbage7 () = ignore (Sys.opaque_identity (block7 1))
let[@inline never] keep7 () = kept := Sys.opaque_identity (block7 2) :: !kept
let[@inline never] garbage_array7 () = ignore (Sys.opaque_identity (Array.make 7 0))

let () =
  MP.start ~sampling_rate:1. ~callstack_size:0 (tracker ());
  armed_call garbage7;
  Gc.minor ();
  flush_events "dies young";
  armed_call keep7;
  Gc.minor ();
  flush_events "promoted";
  kept := [];
  Gc.full_major ();
  flush_events "dies old";
  armed_call garbage_array7;
  Gc.minor ();
  flush_events "array from C, dies young";
  MP.stop ();
  MP.start ~sampling_rate:1. ~callstack_size:0 (tracker ~minor_none:true ());
  armed_call keep7;
  kept := [];
  Gc.full_major ();
  flush_events "None: no more events";
  MP.stop ();
  Printf.printf "nested callbacks: %b\n" !nested

(* the callstack of an allocation by a C primitive (that of an allocation by OCaml code needs
   debug information the compiler does not emit yet) *)
let () =
  let cs = ref None in
  MP.start ~sampling_rate:1. ~callstack_size:10 { MP.null_tracker with
    alloc_minor = (fun info -> if info.size = 7 then cs := Some info.callstack; None) };
  garbage_array7 ();
  MP.stop ();
  match !cs with
  | Some c -> Printexc.print_raw_backtrace stdout c
  | None -> print_endline "no callstack"

(* a custom block holding memory outside the heap: its bytes are sampled (source Custom) *)
let () =
  let custom = ref [] in
  let alloc (info : MP.allocation) =
    if info.source = MP.Custom then custom := (info.n_samples, info.size) :: !custom;
    None in
  MP.start ~sampling_rate:1. { MP.null_tracker with alloc_minor = alloc; alloc_major = alloc };
  ignore (Sys.opaque_identity (Bigarray.Array1.create Bigarray.char Bigarray.c_layout 256));
  MP.stop ();
  List.iter (fun (n, s) -> Printf.printf "custom: %d samples, size %d\n" n s) !custom

(* unmarshalled blocks (source Marshal) *)
let () =
  let s = Marshal.to_string (ref (ref (ref 42))) [] in
  let l = ref [] in
  let alloc (info : MP.allocation) =
    if info.source = MP.Marshal then l := (info.n_samples, info.size) :: !l;
    None in
  MP.start ~sampling_rate:1. { MP.null_tracker with alloc_minor = alloc; alloc_major = alloc };
  let v : int ref ref ref = Marshal.from_string s 0 in
  MP.stop ();
  Printf.printf "marshal: %d blocks: %s; value %d\n" (List.length !l)
    (String.concat " " (List.map (fun (n, s) -> Printf.sprintf "%d/%d" n s) !l)) !(!(!v))

(* an exception of an allocation callback comes out of the allocation *)
exception Stop_here of int
let () =
  let raising = { MP.null_tracker with
    alloc_minor = (fun info -> if info.size = 7 then raise (Stop_here info.n_samples) else None) } in
  MP.start ~sampling_rate:1. raising;
  (try garbage7 (); print_endline "not raised" with Stop_here n ->
     Printf.printf "raised from OCaml allocation: %d\n" n);
  (try garbage_array7 (); print_endline "not raised" with Stop_here n ->
     Printf.printf "raised from Array.make: %d\n" n);
  MP.stop ()

(* stop in a callback: no callback afterwards, and stop/start work again *)
let () =
  let n = ref 0 in
  MP.start ~sampling_rate:1. { MP.null_tracker with
    alloc_minor = (fun _ -> incr n; if !n = 3 then MP.stop (); None) };
  for _ = 1 to 10 do garbage7 () done;
  Printf.printf "stopped after %d callbacks\n" !n;
  (try MP.stop () with Failure m -> print_endline m);
  MP.start ~sampling_rate:0.5 MP.null_tracker;
  (try MP.start ~sampling_rate:0.5 MP.null_tracker with Failure m -> print_endline m);
  MP.stop ();
  (try MP.start ~sampling_rate:2. MP.null_tracker with Invalid_argument m -> print_endline m)

(* the statistics of a fractional rate (not compared exactly: the generators differ) *)
let () =
  let samples = ref 0 in
  let alloc (info : MP.allocation) = samples := !samples + info.n_samples; None in
  MP.start ~sampling_rate:0.01 { MP.null_tracker with alloc_minor = alloc; alloc_major = alloc };
  let words = 300_000 in
  for _ = 1 to words / 2 do ignore (Sys.opaque_identity (ref 0)) done;
  MP.stop ();
  let mean = float words *. 0.01 and sd = sqrt (float words *. 0.01 *. 0.99) in
  Printf.printf "rate 0.01 within 5 sigma: %b\n" (abs_float (float !samples -. mean) < 5. *. sd)
