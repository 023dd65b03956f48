/* bl_main.c — our ESP32 second-stage bootloader (the hardware half; the decisions are in
   bl_plan.c, tested on the host). Runs from IRAM after the ROM loaded it from flash 0x1000:
     1. watchdogs off (the ROM arms the RTC and timer-group-0 watchdogs in flash boot);
     2. flash pages 0..63 (4 MB) mapped at 0x3F400000 through the PRO CPU cache (MMU table at
        0x3FF10000) so that flash can be read with ordinary loads — no ROM SPI calls;
     3. partition table at 0x8000 (MD5 checked), the factory app picked, its image parsed and
        its checksum verified;
     4. RAM segments copied word by word (instruction RAM takes 32-bit stores only);
     5. the MMU reloaded with the app's IROM/DROM pages, cache flushed and enabled;
     6. jump to the entry point.
   No ROM function is called (the ROM uses the windowed ABI; this code is CALL0). */
#include "bl_plan.h"
#include "../esp32_regs.h"

void bl_main(void);
void bl_jump(uint32_t entry) __attribute__((noreturn));
extern char _bl_bss_start[], _bl_bss_end[];

#define BL_READ_WINDOW 0x3F400000u   /* flash offset 0 while reading */

static void puts_(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') oe_esp32_uart_putc('\r');
        oe_esp32_uart_putc(*s);
    }
}

static void puthex(uint32_t v)
{
    static const char d[] = "0123456789abcdef";
    char b[11];
    b[0] = '0'; b[1] = 'x';
    for (int i = 0; i < 8; i++) b[2 + i] = d[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    puts_(b);
}

static void fail(const char *what, const char *why) __attribute__((noreturn));
static void fail(const char *what, const char *why)
{
    for (;;) {
        puts_("ocaml-esp32 bootloader: ");
        puts_(what);
        puts_(": ");
        puts_(why);
        puts_("\n");
        for (volatile uint32_t i = 0; i < 40000000u; i++) { }
    }
}

static void cache_disable(void)
{
    OE_REG(DPORT_PRO_CACHE_CTRL_REG) &= ~DPORT_PRO_CACHE_ENABLE;
}

static void cache_flush_enable(void)
{
    OE_REG(DPORT_PRO_CACHE_CTRL_REG) &= ~DPORT_PRO_CACHE_FLUSH_ENA;
    OE_REG(DPORT_PRO_CACHE_CTRL_REG) |= DPORT_PRO_CACHE_FLUSH_ENA;
    while (!(OE_REG(DPORT_PRO_CACHE_CTRL_REG) & DPORT_PRO_CACHE_FLUSH_DONE)) { }
    OE_REG(DPORT_PRO_CACHE_CTRL_REG) &= ~DPORT_PRO_CACHE_FLUSH_ENA;
    OE_REG(DPORT_PRO_CACHE_CTRL1_REG) &= ~(DPORT_PRO_CACHE_MASK_IRAM0 | DPORT_PRO_CACHE_MASK_DROM0);
    OE_REG(DPORT_PRO_CACHE_CTRL_REG) |= DPORT_PRO_CACHE_ENABLE;
}

static void mmu_clear(void)
{
    volatile uint32_t *t = (volatile uint32_t *)DPORT_PRO_FLASH_MMU_TABLE;
    for (uint32_t i = 0; i < BL_MMU_ENTRIES; i++) t[i] = BL_MMU_INVALID;
}

static bl_image image;
static bl_step steps[BL_MAX_SEGMENTS];
static bl_mmu_entry mmu[BL_MMU_ENTRIES];
static bl_partition parts[BL_PART_TABLE_MAX / 32];

void bl_main(void)
{
    for (char *p = _bl_bss_start; p < _bl_bss_end; p++) *p = 0;
    oe_esp32_disable_watchdogs();
    puts_("\nocaml-esp32 bootloader\n");

    /* 2. the first 4 MB of flash at BL_READ_WINDOW */
    cache_disable();
    mmu_clear();
    volatile uint32_t *t = (volatile uint32_t *)DPORT_PRO_FLASH_MMU_TABLE;
    for (uint32_t i = 0; i < 64; i++) t[i] = i;
    cache_flush_enable();
    const uint8_t *flash = (const uint8_t *)BL_READ_WINDOW;

    /* 3. partition table, app image */
    int np, md5;
    bl_pt_status ps = bl_partitions_decode(flash + BL_PART_TABLE_OFFSET, BL_PART_TABLE_MAX, parts,
                                           (int)(sizeof parts / sizeof *parts), &np, &md5);
    if (ps != BL_PT_OK) fail("partition table", ps == BL_PT_BAD_MD5 ? "MD5 mismatch" : "missing or corrupt");
    int a = bl_partitions_pick_app(parts, np);
    if (a < 0) fail("partition table", "no app partition");
    uint32_t off = parts[a].offset, size = parts[a].size;
    if (off >= 0x400000u || (off & (BL_MMU_PAGE - 1))) fail("app partition", "offset not 64 KB aligned below 4 MB");
    if (size > 0x400000u - off) size = 0x400000u - off;
    int bad;
    bl_status st = bl_parse_image(flash + off, size, off, &image, &bad);
    if (st != BL_OK) fail("app image", bl_strerror(st));
    int n = bl_plan_steps(&image, off, steps);
    if (bl_plan_check(steps, n) >= 0) fail("app image", "a RAM segment would overwrite the bootloader");
    int nm;
    if (bl_mmu_plan(steps, n, mmu, (int)(sizeof mmu / sizeof *mmu), &nm) < 0)
        fail("app image", "flash-mapped segments cannot be mapped");

    /* 4. RAM segments */
    for (int i = 0; i < n; i++) {
        if (steps[i].action != BL_ACT_COPY) continue;
        const volatile uint32_t *src = (const volatile uint32_t *)(flash + steps[i].flash_addr);
        volatile uint32_t *dst = (volatile uint32_t *)steps[i].vaddr;
        for (uint32_t w = 0; w < steps[i].len / 4; w++) dst[w] = src[w];
    }

    /* 5. the app's mapping */
    puts_("booting app at ");
    puthex(off);
    puts_(", entry ");
    puthex(image.entry);
    puts_("\n");
    while ((OE_REG(UART_STATUS_REG(UART0_BASE)) >> 16) & 0xFF) { }   /* drain the TX FIFO */
    cache_disable();
    mmu_clear();
    for (int i = 0; i < nm; i++) t[mmu[i].index] = mmu[i].page;
    cache_flush_enable();

    /* 6. */
    bl_jump(image.entry);
}
