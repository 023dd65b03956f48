(* DCE soundness: methods (closures in method tables), inheritance, virtual methods, object
   closures, immediate objects and methods called only through a parent's self. *)
class virtual shape name = object (self)
  method virtual area : float
  method name : string = name
  method describe = Printf.sprintf "%s area=%.2f peri=%.2f" self#name self#area self#perimeter
  method perimeter = 0.
end
class square s = object
  inherit shape "square"
  method area = s *. s
  method! perimeter = 4. *. s
end
class circle r = object (self)
  inherit shape "circle" as super
  method area = 3.14159 *. r *. r
  method! name = "round " ^ super#name
  method! perimeter = 2. *. 3.14159 *. r
  method scale k = {< >}#with_r (r *. k)
  method with_r r' = new circle r'
  method self_area = self#area
end
class counter = object
  val mutable n = 0
  method incr = n <- n + 1; n
  method get = n
end
class logged_counter = object
  inherit counter as super
  val mutable log = []
  method! incr = let v = super#incr in log <- v :: log; v
  method log = List.rev log
end
let make_stack () = object
  val mutable items = []
  method push x = items <- x :: items
  method pop = match items with [] -> None | x :: r -> items <- r; Some x
end
let shapes : shape list = [ (new square 2. :> shape); (new circle 1. :> shape) ]
let () =
  List.iter (fun s -> print_endline s#describe) shapes;
  let c = new circle 2. in
  print_endline ((c#scale 0.5)#describe);
  Printf.printf "%.2f\n" c#self_area;
  let lc = new logged_counter in
  ignore lc#incr; ignore lc#incr; ignore lc#incr;
  print_endline (String.concat "," (List.map string_of_int lc#log));
  let st = make_stack () in
  st#push "x"; st#push "y";
  (match st#pop with Some s -> print_endline s | None -> ());
  let meth = if lc#get > 2 then (fun (o : counter) -> o#get) else (fun o -> o#incr) in
  Printf.printf "%d\n" (meth (lc :> counter))
