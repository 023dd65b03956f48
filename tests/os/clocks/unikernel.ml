(* Clock monotonicity: Mclock never goes back, advances across sleeps by at least the sleep;
   Pclock is a valid POSIX time consistent with Mclock. *)
open Lwt.Infix

module Main (Time : Mirage_time.S) (Mclock : Mirage_clock.MCLOCK) (Pclock : Mirage_clock.PCLOCK) = struct
  let start () () () =
    let ok = ref true in
    let check what c = if not c then (ok := false; print_endline ("FAILED: " ^ what)) in
    let rec loop i prev =
      if i = 200 then Lwt.return_unit
      else begin
        let now = Mclock.elapsed_ns () in
        check "monotonic" (Int64.compare now prev >= 0);
        let d = Int64.of_int ((i mod 7) * 1_000_000) in
        (if i mod 3 = 0 then Lwt.pause () else Time.sleep_ns d) >>= fun () ->
        let after = Mclock.elapsed_ns () in
        if i mod 3 <> 0 then check "slept long enough" (Int64.compare (Int64.sub after now) d >= 0);
        loop (i + 1) after
      end
    in
    let d0, ps0 = Pclock.now_d_ps () in
    let m0 = Mclock.elapsed_ns () in
    loop 0 0L >>= fun () ->
    Time.sleep_ns 3_000_000_000L >|= fun () ->
    let d1, ps1 = Pclock.now_d_ps () in
    let m1 = Mclock.elapsed_ns () in
    check "ps in range" (Int64.compare ps1 0L >= 0 && Int64.compare ps1 86_400_000_000_000_000L < 0);
    check "days after 2025" (d1 >= 20089);
    let wall = Int64.add (Int64.mul (Int64.of_int (d1 - d0)) 86_400_000_000_000_000L) (Int64.sub ps1 ps0) in
    let mono = Int64.mul (Int64.sub m1 m0) 1000L in
    check "pclock follows mclock (within 1 s)" (Int64.abs (Int64.sub wall mono) < 1_000_000_000_000L);
    check "periods unknown" (Mclock.period_ns () = None && Pclock.period_d_ps () = None);
    check "no tz" (Pclock.current_tz_offset_s () = None);
    print_endline (if !ok then "clocks ok" else "clocks FAILED")
end
