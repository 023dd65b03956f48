type body = { mutable x : float; mutable y : float; mutable z : float;
              mutable vx : float; mutable vy : float; mutable vz : float; mass : float }
let pi = 3.141592653589793
let solar_mass = 4. *. pi *. pi
let dpy = 365.24
let bodies = [|
  { x = 0.; y = 0.; z = 0.; vx = 0.; vy = 0.; vz = 0.; mass = solar_mass };
  { x = 4.84143144246472090e+00; y = -1.16032004402742839e+00; z = -1.03622044471123109e-01;
    vx = 1.66007664274403694e-03 *. dpy; vy = 7.69901118419740425e-03 *. dpy; vz = -6.90460016972063023e-05 *. dpy;
    mass = 9.54791938424326609e-04 *. solar_mass };
  { x = 8.34336671824457987e+00; y = 4.12479856412430479e+00; z = -4.03523417114321381e-01;
    vx = -2.76742510726862411e-03 *. dpy; vy = 4.99852801234917238e-03 *. dpy; vz = 2.30417297573763929e-05 *. dpy;
    mass = 2.85885980666130812e-04 *. solar_mass };
|]
let advance dt =
  let n = Array.length bodies in
  for i = 0 to n - 1 do
    let b = bodies.(i) in
    for j = i + 1 to n - 1 do
      let b2 = bodies.(j) in
      let dx = b.x -. b2.x and dy = b.y -. b2.y and dz = b.z -. b2.z in
      let d2 = dx *. dx +. dy *. dy +. dz *. dz in
      let mag = dt /. (d2 *. sqrt d2) in
      b.vx <- b.vx -. dx *. b2.mass *. mag; b.vy <- b.vy -. dy *. b2.mass *. mag; b.vz <- b.vz -. dz *. b2.mass *. mag;
      b2.vx <- b2.vx +. dx *. b.mass *. mag; b2.vy <- b2.vy +. dy *. b.mass *. mag; b2.vz <- b2.vz +. dz *. b.mass *. mag
    done
  done;
  Array.iter (fun b -> b.x <- b.x +. dt *. b.vx; b.y <- b.y +. dt *. b.vy; b.z <- b.z +. dt *. b.vz) bodies
let energy () =
  let e = ref 0. in
  let n = Array.length bodies in
  for i = 0 to n - 1 do
    let b = bodies.(i) in
    e := !e +. 0.5 *. b.mass *. (b.vx *. b.vx +. b.vy *. b.vy +. b.vz *. b.vz);
    for j = i + 1 to n - 1 do
      let b2 = bodies.(j) in
      let dx = b.x -. b2.x and dy = b.y -. b2.y and dz = b.z -. b2.z in
      e := !e -. b.mass *. b2.mass /. sqrt (dx *. dx +. dy *. dy +. dz *. dz)
    done
  done; !e
let () =
  for _ = 1 to 2000 do advance 0.01 done;
  Printf.printf "%.9f\n" (energy ())
