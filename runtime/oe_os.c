/* oe_os.c — C stubs of the unikernel OS layer (the OCaml library in os/: OS.Main.run, the
   Mirage device implementations of Oe_devices), written only against the oe_platform_*
   functions of runtime.h, so they work on every platform. Also the C stubs of Debian's
   Cstruct library (cstruct.cma declares them as externals; this is our own implementation
   of the same contract). */
#include <string.h>
#include "runtime.h"
#include "caml/bigarray.h"

/* ---- time ---- */

/* unit -> int64: nanoseconds since boot, monotonic. */
CAMLprim value caml_oe_monotonic_ns(value unit)
{
    (void)unit;
    return caml_copy_int64((int64_t)oe_platform_time_ns());
}

/* int64 -> unit: sleeps (CPU idle) until the monotonic clock reaches the deadline, or returns
   early (the caller loops). */
CAMLprim value caml_oe_sleep_until(value deadline)
{
    int64_t t = Int64_val(deadline);
    if (t > 0) oe_platform_sleep_until_ns((uint64_t)t);
    return Val_unit;
}

/* The wall clock (Oe_devices.Pclock) is this many seconds after the Unix epoch at boot. No
   platform has a battery-backed clock: the default is fixed (2026-01-01T00:00:00Z); C code
   (a platform, or a unikernel's own C file) may set it, e.g. from a network time source. */
int64_t oe_wall_clock_boot_s = 1767225600;

/* unit -> int64 */
CAMLprim value caml_oe_wall_clock_boot_s(value unit)
{
    (void)unit;
    return caml_copy_int64(oe_wall_clock_boot_s);
}

/* ---- console ---- */

static void write_all(const char *p, uintnat len)
{
    while (len > 0) {
        intnat n = oe_platform_write(1, p, len);
        if (n <= 0) return;          /* the console cannot fail in a way we could report */
        p += n;
        len -= (uintnat)n;
    }
}

/* string -> int -> int -> unit */
CAMLprim value caml_oe_console_write(value s, value off, value len)
{
    write_all(String_val(s) + Long_val(off), (uintnat)Long_val(len));
    return Val_unit;
}

/* Cstruct.buffer -> int -> int -> unit */
CAMLprim value caml_oe_console_write_ba(value ba, value off, value len)
{
    write_all((const char *)Caml_ba_data_val(ba) + Long_val(off), (uintnat)Long_val(len));
    return Val_unit;
}

/* unit -> bool: would a read return at once? */
CAMLprim value caml_oe_console_input_ready(value unit)
{
    (void)unit;
    return Val_bool(oe_platform_input_ready(0));
}

/* Cstruct.buffer -> int -> int -> int: blocks until input; 0 at end of input. */
CAMLprim value caml_oe_console_read_ba(value ba, value off, value len)
{
    intnat n = oe_platform_read(0, (char *)Caml_ba_data_val(ba) + Long_val(off),
                                (uintnat)Long_val(len));
    return Val_long(n < 0 ? 0 : n);
}

/* ---- random ---- */

/* The ESP32 platform's hardware RNG; absent (NULL) elsewhere, then a xorshift generator
   seeded from a constant mixed with the cycle counter (deterministic under QEMU -icount). */
extern uint32_t oe_esp32_random(void) __attribute__((weak));

static uint32_t xs_state[4];

static uint32_t next_u32(void)
{
    if (oe_esp32_random) return oe_esp32_random();
    if (!(xs_state[0] | xs_state[1] | xs_state[2] | xs_state[3])) {
        uint64_t c = oe_platform_cycles();
        xs_state[0] = 0x9E3779B9u ^ (uint32_t)c;
        xs_state[1] = 0x243F6A88u;
        xs_state[2] = 0xB7E15162u ^ (uint32_t)(c >> 32);
        xs_state[3] = 0x85A308D3u;
    }
    /* xoshiro128** */
    uint32_t r = xs_state[1] * 5u;
    r = ((r << 7) | (r >> 25)) * 9u;
    uint32_t t = xs_state[1] << 9;
    xs_state[2] ^= xs_state[0];
    xs_state[3] ^= xs_state[1];
    xs_state[1] ^= xs_state[2];
    xs_state[0] ^= xs_state[3];
    xs_state[2] ^= t;
    xs_state[3] = (xs_state[3] << 11) | (xs_state[3] >> 21);
    return r;
}

/* unit -> int: 30 random bits (a seed for OCaml-side generators). */
CAMLprim value caml_oe_random_seed(value unit)
{
    (void)unit;
    return Val_long(next_u32() & 0x3FFFFFFF);
}

/* Cstruct.buffer -> int -> int -> unit */
CAMLprim value caml_oe_random_fill(value ba, value off, value len)
{
    unsigned char *p = (unsigned char *)Caml_ba_data_val(ba) + Long_val(off);
    intnat n = Long_val(len);
    while (n > 0) {
        uint32_t r = next_u32();
        for (int i = 0; i < 4 && n > 0; i++, n--) { *p++ = (unsigned char)r; r >>= 8; }
    }
    return Val_unit;
}

/* ---- Cstruct's externals (cstruct.ml) ---- */

#define BA_BYTES(v, off) ((unsigned char *)Caml_ba_data_val(v) + Long_val(off))

CAMLprim value caml_blit_bigstring_to_bigstring(value src, value srcoff, value dst,
                                                value dstoff, value len)
{
    memmove(BA_BYTES(dst, dstoff), BA_BYTES(src, srcoff), (size_t)Long_val(len));
    return Val_unit;
}

CAMLprim value caml_blit_string_to_bigstring(value src, value srcoff, value dst, value dstoff,
                                             value len)
{
    memcpy(BA_BYTES(dst, dstoff), String_val(src) + Long_val(srcoff), (size_t)Long_val(len));
    return Val_unit;
}

CAMLprim value caml_blit_bigstring_to_string(value src, value srcoff, value dst, value dstoff,
                                             value len)
{
    memcpy(Bytes_val(dst) + Long_val(dstoff), BA_BYTES(src, srcoff), (size_t)Long_val(len));
    return Val_unit;
}

CAMLprim value caml_compare_bigstring(value b1, value off1, value b2, value off2, value len)
{
    int r = memcmp(BA_BYTES(b1, off1), BA_BYTES(b2, off2), (size_t)Long_val(len));
    return Val_int(r < 0 ? -1 : r > 0 ? 1 : 0);
}

CAMLprim value caml_fill_bigstring(value b, value off, value len, value c)
{
    memset(BA_BYTES(b, off), Int_val(c), (size_t)Long_val(len));
    return Val_unit;
}

CAMLprim value caml_check_alignment_bigstring(value b, value off, value align)
{
    uintptr_t addr = (uintptr_t)BA_BYTES(b, off);
    return Val_bool(addr % (uintptr_t)Long_val(align) == 0);
}

/* ---- GPIO: the OS library's Gpio module over the platform's pins ---- */
CAMLprim value caml_oe_gpio_config(value pin, value mode)
{
    return Val_bool(oe_gpio_config(Int_val(pin), Int_val(mode)) == 0);
}

CAMLprim value caml_oe_gpio_set(value pin, value level)
{
    oe_gpio_set(Int_val(pin), Bool_val(level));
    return Val_unit;
}

CAMLprim value caml_oe_gpio_get(value pin)
{
    return Val_bool(oe_gpio_get(Int_val(pin)));
}
