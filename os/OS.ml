(* OS — the scheduler of a unikernel, as MirageOS's OS.Main.run: runs Lwt (Debian's
   unmodified core library) on the bare platform, with our own timer queue. *)

external monotonic_ns : unit -> int64 = "caml_oe_monotonic_ns"
external sleep_until : int64 -> unit = "caml_oe_sleep_until"

module Time = struct
  (* A binary min-heap of pending sleeps ordered by (deadline, arrival): sleepers with the
     same deadline wake in the order they went to sleep. *)
  type timer = { deadline : int64; seq : int; promise : unit Lwt.t; wakener : unit Lwt.u }

  let dummy = { deadline = 0L; seq = 0; promise = Lwt.return_unit; wakener = snd (Lwt.wait ()) }
  let heap = ref (Array.make 16 dummy)
  let size = ref 0
  let counter = ref 0

  let before a b =
    let c = Int64.compare a.deadline b.deadline in
    c < 0 || (c = 0 && a.seq < b.seq)

  let push t =
    if !size = Array.length !heap then begin
      let bigger = Array.make (2 * !size) dummy in
      Array.blit !heap 0 bigger 0 !size;
      heap := bigger
    end;
    let h = !heap in
    let rec up i =
      if i > 0 then begin
        let parent = (i - 1) / 2 in
        if before t h.(parent) then begin
          h.(i) <- h.(parent);
          up parent
        end else h.(i) <- t
      end else h.(i) <- t
    in
    up !size;
    incr size

  let pop () =
    let h = !heap in
    let top = h.(0) in
    decr size;
    let last = h.(!size) in
    h.(!size) <- dummy;
    if !size > 0 then begin
      let n = !size in
      let rec down i =
        let l = 2 * i + 1 in
        if l >= n then h.(i) <- last
        else begin
          let c = if l + 1 < n && before h.(l + 1) h.(l) then l + 1 else l in
          if before h.(c) last then begin
            h.(i) <- h.(c);
            down c
          end else h.(i) <- last
        end
      in
      down 0
    end;
    top

  let sleep_ns ns =
    let promise, wakener = Lwt.task () in
    let ns = if Int64.compare ns 0L < 0 then 0L else ns in
    incr counter;
    push { deadline = Int64.add (monotonic_ns ()) ns; seq = !counter; promise; wakener };
    promise

  (* Wakes every sleeper whose deadline is not after [now], in deadline order. A cancelled
     sleep is simply dropped. *)
  let restart_threads now =
    while !size > 0 && Int64.compare (!heap).(0).deadline now <= 0 do
      let t = pop () in
      if Lwt.is_sleeping t.promise then Lwt.wakeup t.wakener ()
    done

  let rec next_deadline () =
    if !size = 0 then None
    else
      let t = (!heap).(0) in
      if Lwt.is_sleeping t.promise then Some t.deadline
      else begin
        ignore (pop ());
        next_deadline ()
      end

  let pending () = !size
end

module Main = struct
  exception Deadlock

  let () =
    Printexc.register_printer (function
      | Deadlock ->
        Some "OS.Main.Deadlock (the main promise is pending but no thread can ever run: \
              no timer is set and no thread is paused)"
      | _ -> None)

  let run t =
    let rec loop () =
      Lwt.wakeup_paused ();
      Time.restart_threads (monotonic_ns ());
      match Lwt.state t with
      | Lwt.Return () -> ()
      | Lwt.Fail e -> raise e
      | Lwt.Sleep ->
        if Lwt.paused_count () > 0 then loop ()
        else begin
          match Time.next_deadline () with
          | Some deadline -> sleep_until deadline; loop ()
          | None -> raise Deadlock
        end
    in
    loop ()
end
