# ocaml-esp32 — top-level build.
#   make          host tool bin/ocaml-esp32 and the target runtime for every cpu
#   make test     all tests (unit, differential, conformance)
# Sources are found by wildcard: adding a file to a directory adds it to the build.

HOST_CC      ?= gcc
HOST_CFLAGS  ?= -std=c11 -Wall -Wextra -Werror -O2 -g
HOST_CFLAGS  += -D_GNU_SOURCE -Icompiler -Ibuild/host
TARGET_CC    ?= xtensa-lx106-elf-gcc
TARGET_AR    ?= xtensa-lx106-elf-ar
PICOLIBC_SPECS ?= /usr/lib/xtensa-lx106-elf/picolibc.specs
TARGET_CFLAGS ?= -std=c11 -Wall -Wextra -Werror -O2 -g
TARGET_CFLAGS += -mtext-section-literals -ffunction-sections -fdata-sections \
                 --specs=$(PICOLIBC_SPECS) -Iruntime/include -Iruntime
CPUS := esp32 lx106
CPUFLAGS_esp32 := -DOE_CPU_ESP32=1
CPUFLAGS_lx106 := -DOE_CPU_LX106=1

COMPILER_SRCS := $(wildcard compiler/*.c compiler/xtensa/*.c)
COMPILER_OBJS := $(patsubst %.c,build/host/%.o,$(COMPILER_SRCS))
COMPILER_LIB_OBJS := $(filter-out build/host/compiler/main.o,$(COMPILER_OBJS))
RUNTIME_CSRCS := $(wildcard runtime/*.c runtime/softfloat/*.c)
RUNTIME_SSRCS := $(wildcard runtime/xtensa/*.S)
RUNTIME_HDRS  := $(wildcard runtime/*.h runtime/include/caml/*.h runtime/softfloat/*.h)
QEMU_CSRCS    := $(wildcard platform/qemu/*.c)
QEMU_SSRCS    := $(wildcard platform/qemu/*.S)
ESP32_CSRCS   := $(wildcard platform/esp32/*.c)
ESP32_SSRCS   := $(wildcard platform/esp32/*.S)
BOOT_SRCS     := $(wildcard platform/esp32/bootloader/*.c platform/esp32/bootloader/*.S)
UNIT_TESTS    := $(patsubst tests/unit/%.c,build/host/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all host target os test unit diff conformance bench clean demo deps
all: host target os
host: bin/ocaml-esp32
target: $(foreach c,$(CPUS),build/target/$(c)/libocamlrt.a build/target/$(c)/qemu-platform.a) \
        build/target/esp32/esp32-platform.a build/target/esp32/bootloader.elf \
        build/target/esp32/romcall-test.elf build/target/esp32/romcall-test-plain.elf

# The list of primitives the runtime provides, for the compiler's "unknown primitive" check.
build/host/prims.inc: $(RUNTIME_CSRCS) tools/gen-prims.sh
	@mkdir -p $(@D)
	sh tools/gen-prims.sh $(RUNTIME_CSRCS) > $@.tmp && mv $@.tmp $@

build/host/%.o: %.c $(wildcard compiler/*.h compiler/xtensa/*.h) build/host/prims.inc
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

build/host/compiler/esp32_image.o: platform/esp32/bootloader/bl_plan.c platform/esp32/bootloader/bl_plan.h

bin/ocaml-esp32: $(COMPILER_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ -lm

define target_rules
build/target/$(1)/%.o: %.c $(RUNTIME_HDRS)
	@mkdir -p $$(@D)
	$$(TARGET_CC) $$(TARGET_CFLAGS) $$(CPUFLAGS_$(1)) -c $$< -o $$@
build/target/$(1)/%.o: %.S $(RUNTIME_HDRS)
	@mkdir -p $$(@D)
	$$(TARGET_CC) $$(CPUFLAGS_$(1)) -Iruntime/include -Iruntime -mtext-section-literals -c $$< -o $$@
build/target/$(1)/libocamlrt.a: $(patsubst %.c,build/target/$(1)/%.o,$(RUNTIME_CSRCS)) \
                                 $(patsubst %.S,build/target/$(1)/%.o,$(RUNTIME_SSRCS))
	@rm -f $$@
	$$(TARGET_AR) rcs $$@ $$^
build/target/$(1)/qemu-platform.a: $(patsubst %.c,build/target/$(1)/%.o,$(QEMU_CSRCS)) \
                                    $(patsubst %.S,build/target/$(1)/%.o,$(QEMU_SSRCS))
	@rm -f $$@
	$$(TARGET_AR) rcs $$@ $$^
endef
$(foreach c,$(CPUS),$(eval $(call target_rules,$(c))))

# The ESP32 chip platform (platform/esp32) and our second-stage bootloader (flashed at 0x1000
# by `--full-flash`; freestanding, no picolibc).
build/target/esp32/esp32-platform.a: $(patsubst %.c,build/target/esp32/%.o,$(ESP32_CSRCS)) \
                                     $(patsubst %.S,build/target/esp32/%.o,$(ESP32_SSRCS))
	@rm -f $@
	$(TARGET_AR) rcs $@ $^
build/target/esp32/platform/esp32/%.o: platform/esp32/*.h platform/xtensa/*.inc
build/target/esp32/bootloader.elf: $(BOOT_SRCS) $(wildcard platform/esp32/bootloader/*.h) \
                                   platform/esp32/esp32_regs.h platform/esp32/bootloader/bootloader.ld
	@mkdir -p $(@D)
	$(TARGET_CC) -std=c11 -Wall -Wextra -Werror -Os -g -ffreestanding -nostdlib \
	    -fno-tree-loop-distribute-patterns -mtext-section-literals -ffunction-sections \
	    -fdata-sections -Wl,--gc-sections -T platform/esp32/bootloader/bootloader.ld \
	    $(BOOT_SRCS) -lgcc -o $@

# The oe_rom_call test (tests/esp32/run.sh runs it in QEMU, -cpu dc233c): platform/esp32's
# romcall.S against windowed stand-ins for the ROM, with the window handlers counting their
# exceptions, and again with the handlers exactly as in the ESP32 image (-plain).
ROMCALL_TEST_SRCS := $(wildcard tests/esp32/romcall/*.c tests/esp32/romcall/*.S) platform/esp32/romcall.S
ROMCALL_TEST_DEPS := $(ROMCALL_TEST_SRCS) tests/esp32/romcall/romcall-test.ld platform/esp32/romcall.h \
                     $(wildcard platform/xtensa/*.inc)
ROMCALL_TEST_CC = $(TARGET_CC) -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdlib \
    -fno-tree-loop-distribute-patterns -mtext-section-literals -Iplatform/esp32 -Iplatform/xtensa \
    -Wl,--no-relax -Wl,--no-warn-rwx-segments -T tests/esp32/romcall/romcall-test.ld
build/target/esp32/romcall-test.elf: $(ROMCALL_TEST_DEPS)
	@mkdir -p $(@D)
	$(ROMCALL_TEST_CC) $(ROMCALL_TEST_SRCS) -lgcc -o $@
build/target/esp32/romcall-test-plain.elf: $(ROMCALL_TEST_DEPS)
	@mkdir -p $(@D)
	$(ROMCALL_TEST_CC) -DRT_PLAIN_HANDLERS $(ROMCALL_TEST_SRCS) -lgcc -o $@

# The unikernel OS library (os/: OS.Main.run, the Mirage device signatures and our
# implementations), linked automatically by `ocaml-esp32 build DIR`. Bytecode, so one
# archive serves every cpu; its C stubs are in runtime/oe_os.c. Order = dependency order.
OS_MODULES := mirage_flow mirage_time mirage_clock mirage_console mirage_random OS oe_clock oe_console \
              oe_random oe_devices oe_logs gpio
OS_SRCS := $(wildcard os/*.ml os/*.mli)
OS_PACKAGES := lwt,logs,fmt,cstruct
os: build/os/oe_os.cma
build/os/oe_os.cma: $(OS_SRCS)
	@rm -rf build/os && mkdir -p build/os
	cp $(OS_SRCS) build/os/
	cd build/os && ocamlfind ocamlc -package $(OS_PACKAGES) -w +a-4-40-41-42-44-45-70 -warn-error +a -no-alias-deps \
	    -a -o oe_os.cma $(foreach m,$(OS_MODULES),$(patsubst os/%,%,$(wildcard os/$(m).mli)) $(m).ml)
	@echo "$(OS_PACKAGES)" > build/os/packages

build/host/tests/%: tests/unit/%.c tests/unit/testlib.h $(COMPILER_LIB_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Wno-error=unused-function $< $(COMPILER_LIB_OBJS) -o $@ -lm
# these include platform code, run against a simulated register file
build/host/tests/test_esp32_clock build/host/tests/test_esp32_entropy: \
    $(wildcard platform/esp32/*.[ch]) tests/unit/fake_regs.h

# installs only what is missing (idempotent, a second when everything is there)
deps:
	sh tools/install-deps.sh

test: deps
	$(MAKE) all
	bash tests/run-all.sh

unit: $(UNIT_TESTS)
	sh tests/run-unit.sh $(UNIT_TESTS)

bench: all
	sh bench/run.sh

clean:
	rm -rf build bin

demo: deps
	$(MAKE) all
	@mkdir -p build/demo
	cp examples/basic/hello.ml build/demo/
	cd build/demo && ocamlc hello.ml -o hello.byte
	bin/ocaml-esp32 run build/demo/hello.byte
	bin/ocaml-esp32 run examples/hello
