class point x0 = object (self)
  val mutable x = x0
  method get = x
  method move d = x <- x + d; self
  method to_string = Printf.sprintf "point(%d)" self#get
end
class colored x c = object
  inherit point x as super
  val color : string = c
  method! to_string = super#to_string ^ ":" ^ color
  method color = color
end
let describe (o : < to_string : string; .. >) = o#to_string
let () =
  let p = new point 3 in
  ignore (p#move 4);
  print_endline (describe p);
  let c = new colored 1 "red" in
  ignore (c#move 10);
  print_endline (describe c);
  print_endline c#color;
  let objs = [ (p :> point); (c :> point) ] in
  List.iter (fun o -> print_endline o#to_string) objs;
  let o = object method hello = "immediate" method n = 42 end in
  Printf.printf "%s %d\n" o#hello o#n;
  let q = Oo.copy p in
  ignore (q#move 100);
  Printf.printf "%d %d\n" p#get q#get;
  Printf.printf "%b\n" (Oo.id p <> Oo.id q)
