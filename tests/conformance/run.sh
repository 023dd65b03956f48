#!/bin/sh
# Conformance suite: the OCaml 4.13.1 testsuite on ocaml-esp32 (see conformance.py for details).
#   usage: tests/conformance/run.sh [--update] [--ref-only] [--cpus esp32,lx106] [-j N] [PATTERN ...]
exec python3 "$(dirname "$0")/conformance.py" "$@"
