(* 1000 concurrent sleepers with scattered durations (4 per duration): they must wake in
   deadline order, none early. A sleeper's deadline is fixed inside sleep_ns, between the
   clock readings [lo] (before the call) and [hi] (after): consecutive wake-ups a, b are in
   order unless b's deadline is surely earlier (hi_b + d_b < lo_a + d_a); sleepers with the
   same duration must wake in the order they went to sleep. Times in microseconds (ints). *)
open Lwt.Infix

module Main (Time : Mirage_time.S) (Mclock : Mirage_clock.MCLOCK) = struct
  let start () () =
    let n = 1000 in
    let us () = Int64.to_int (Int64.div (Mclock.elapsed_ns ()) 1000L) in
    let lo = Array.make n 0 and hi = Array.make n 0 and woke_at = Array.make n 0 in
    let woke = ref [] in
    let delay i = i * 7919 mod 250 * 1000 in   (* 0 .. 249 ms, in us *)
    let sleeper i =
      lo.(i) <- us ();
      let p = Time.sleep_ns (Int64.mul (Int64.of_int (delay i)) 1000L) in
      hi.(i) <- us ();
      p >|= fun () ->
      woke_at.(i) <- us ();
      woke := i :: !woke
    in
    Lwt.join (List.init n sleeper) >|= fun () ->
    let order = Array.of_list (List.rev !woke) in
    let early = ref 0 and disorder = ref 0 in
    Array.iteri (fun k b ->
        if woke_at.(b) < lo.(b) + delay b then incr early;
        if k > 0 then begin
          let a = order.(k - 1) in
          if hi.(b) + delay b < lo.(a) + delay a then incr disorder;
          if delay a = delay b && a > b then incr disorder
        end) order;
    let seen = Array.make n false in
    Array.iter (fun i -> seen.(i) <- true) order;
    print_endline ("woken " ^ string_of_int (Array.length order) ^ ", all distinct "
                   ^ string_of_bool (Array.for_all (fun x -> x) seen) ^ ", early "
                   ^ string_of_int !early ^ ", out of order " ^ string_of_int !disorder)
end
