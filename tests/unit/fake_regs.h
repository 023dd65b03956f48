/* fake_regs.h — a simulated ESP32 register file for host tests of platform code compiled with
   OE_REG_HOST (platform/esp32/esp32_regs.h). A test declares every register the code may
   touch, with its reset value; an access to any other address fails the test. Hooks let a
   test model hardware behaviour (a FIFO that drains, a clock that switches) and check
   invariants at each write. Include testlib.h first. */
#ifndef OE_FAKE_REGS_H
#define OE_FAKE_REGS_H
#include <stdint.h>
#include <string.h>

#define FAKE_MAX_REGS 128

typedef struct {
    uint32_t addr, value;
    const char *name;
    unsigned reads, writes;
} fake_reg;

static fake_reg fake_regs[FAKE_MAX_REGS];
static int fake_nregs;
static unsigned fake_writes;                 /* all writes, in order: a sequence number */
/* called before a read returns (may change the value) and after a write is stored */
static uint32_t (*fake_read_hook)(fake_reg *r);
static void (*fake_write_hook)(fake_reg *r, uint32_t old);

__attribute__((unused))
static void fake_regs_reset(void)
{
    fake_nregs = 0;
    fake_writes = 0;
    fake_read_hook = NULL;
    fake_write_hook = NULL;
}

__attribute__((unused))
static void fake_reg_declare(uint32_t addr, uint32_t reset_value, const char *name)
{
    if (fake_nregs == FAKE_MAX_REGS) { fprintf(stderr, "fake_regs: too many registers\n"); exit(2); }
    fake_regs[fake_nregs++] = (fake_reg){ addr, reset_value, name, 0, 0 };
}

static fake_reg *fake_reg_find(uint32_t addr)
{
    for (int i = 0; i < fake_nregs; i++)
        if (fake_regs[i].addr == addr) return &fake_regs[i];
    return NULL;
}

/* the current value of a declared register (no hook, not counted) */
__attribute__((unused))
static uint32_t fake_reg_get(uint32_t addr)
{
    fake_reg *r = fake_reg_find(addr);
    if (!r) { fprintf(stderr, "fake_regs: 0x%08x not declared\n", (unsigned)addr); exit(2); }
    return r->value;
}

__attribute__((unused))
static void fake_reg_put(uint32_t addr, uint32_t value)
{
    fake_reg *r = fake_reg_find(addr);
    if (!r) { fprintf(stderr, "fake_regs: 0x%08x not declared\n", (unsigned)addr); exit(2); }
    r->value = value;
}

static unsigned fake_stray;                  /* accesses to undeclared addresses */

uint32_t oe_reg_read(uint32_t addr);
uint32_t oe_reg_read(uint32_t addr)
{
    fake_reg *r = fake_reg_find(addr);
    if (!r) {
        check(0, "read of an undeclared register 0x%08x", (unsigned)addr);
        fake_stray++;
        return 0;
    }
    r->reads++;
    if (fake_read_hook) r->value = fake_read_hook(r);
    return r->value;
}

void oe_reg_write(uint32_t addr, uint32_t value);
void oe_reg_write(uint32_t addr, uint32_t value)
{
    fake_reg *r = fake_reg_find(addr);
    if (!r) {
        check(0, "write of 0x%08x to an undeclared register 0x%08x", (unsigned)value, (unsigned)addr);
        fake_stray++;
        return;
    }
    uint32_t old = r->value;
    r->value = value;
    r->writes++;
    fake_writes++;
    if (fake_write_hook) fake_write_hook(r, old);
}
#endif
