let () = print_string "exiting with 3"; exit 3
