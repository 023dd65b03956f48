#!/bin/sh
# Installs what ocaml-esp32 needs on Debian 12 (run as root), and unpacks the 32-bit reference
# ocamlrun into build/ref/ (Debian's ocaml-base:i386 cannot be installed next to the 64-bit
# compiler, so it is unpacked aside). Idempotent: skips what is already there.
set -eu
cd "$(dirname "$0")/.."
PKGS="gcc make python3 gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc
      ocaml-nox ocaml-findlib ocaml-source liblwt-ocaml-dev liblogs-ocaml-dev libfmt-ocaml-dev
      libduration-ocaml-dev libcstruct-ocaml-dev"
missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if ! dpkg --print-foreign-architectures | grep -q i386; then
    dpkg --add-architecture i386
    missing="$missing libc6:i386"
elif [ ! -e /lib/ld-linux.so.2 ]; then
    missing="$missing libc6:i386"
fi
if [ -n "$missing" ]; then
    echo "installing:$missing"
    # A mirror caught mid-sync fails one index now and then: retry before giving up.
    apt-get update -qq || { sleep 10; apt-get update -qq; } || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
if [ ! -x build/ref/usr/bin/ocamlrun ]; then
    mkdir -p build/ref
    (cd build/ref && apt-get download ocaml-base:i386 >/dev/null 2>&1 && dpkg -x ocaml-base_*_i386.deb . && rm -f ocaml-base_*_i386.deb)
fi
build/ref/usr/bin/ocamlrun -version >/dev/null
echo "dependencies ok"
