/* esp32_flash.c — ROM serial bootloader client and console monitor. See esp32_flash.h. */
#include "esp32_flash.h"
#include "esp32_image.h"
#include "diag.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void seterr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

/* ---- framing and packets ---- */
uint8_t esp_checksum(const uint8_t *p, size_t n)
{
    uint8_t c = 0xEF;
    for (size_t i = 0; i < n; i++) c ^= p[i];
    return c;
}

size_t esp_slip_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t k = 0;
    out[k++] = 0xC0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == 0xC0) { out[k++] = 0xDB; out[k++] = 0xDC; }
        else if (in[i] == 0xDB) { out[k++] = 0xDB; out[k++] = 0xDD; }
        else out[k++] = in[i];
    }
    out[k++] = 0xC0;
    return k;
}

void esp_slip_init(esp_slip_dec *d)
{
    d->n = 0;
    d->in_frame = d->esc = d->overflow = d->bad_escape = d->ready = 0;
}

int esp_slip_feed(esp_slip_dec *d, uint8_t b)
{
    if (d->ready) {                      /* the previous frame has been consumed */
        d->ready = 0;
        d->n = 0;
        d->esc = d->overflow = d->bad_escape = 0;
    }
    if (b == 0xC0) {
        int complete = d->in_frame && d->n > 0 && !d->overflow && !d->bad_escape && !d->esc;
        d->in_frame = 1;                 /* a closing 0xC0 may also open the next frame */
        if (complete) { d->ready = 1; return 1; }
        d->n = 0;
        d->esc = d->overflow = d->bad_escape = 0;
        return 0;
    }
    if (!d->in_frame) return 0;          /* noise between frames (e.g. boot messages) */
    if (d->esc) {
        d->esc = 0;
        if (b == 0xDC) b = 0xC0;
        else if (b == 0xDD) b = 0xDB;
        else { d->bad_escape = 1; return 0; }
    } else if (b == 0xDB) {
        d->esc = 1;
        return 0;
    }
    if (d->n >= sizeof d->buf) { d->overflow = 1; return 0; }
    d->buf[d->n++] = b;
    return 0;
}

size_t esp_cmd_packet(uint8_t op, const uint8_t *data, uint16_t n, uint32_t checksum, uint8_t *out)
{
    out[0] = 0x00;
    out[1] = op;
    bl_wr16(out + 2, n);
    bl_wr32(out + 4, checksum);
    if (n) memcpy(out + 8, data, n);
    return 8u + n;
}

void esp_flash_begin_payload(uint32_t erase_size, uint32_t blocks, uint32_t block_size,
                             uint32_t offset, uint8_t out[16])
{
    bl_wr32(out, erase_size);
    bl_wr32(out + 4, blocks);
    bl_wr32(out + 8, block_size);
    bl_wr32(out + 12, offset);
}

size_t esp_flash_data_payload(uint32_t seq, const uint8_t *data, size_t n, uint32_t block_size,
                              uint8_t *out, uint32_t *checksum)
{
    bl_wr32(out, block_size);
    bl_wr32(out + 4, seq);
    bl_wr32(out + 8, 0);
    bl_wr32(out + 12, 0);
    memcpy(out + 16, data, n);
    memset(out + 16 + n, 0xFF, block_size - n);
    *checksum = esp_checksum(out + 16, block_size);
    return 16u + block_size;
}

int esp_parse_response(const uint8_t *p, size_t n, esp_resp *r)
{
    if (n < 8 || p[0] != 0x01) return -1;
    r->op = p[1];
    r->size = bl_rd16(p + 2);
    r->value = bl_rd32(p + 4);
    r->data = p + 8;
    if ((size_t)r->size + 8 > n || r->size < 2) return -1;
    /* ESP32 ROM: 4 status bytes (status, error, 0, 0); the stub loader: 2 */
    const uint8_t *st = r->size >= 4 ? p + 8 + r->size - 4 : p + 8 + r->size - 2;
    r->status = st[0];
    r->error = st[1];
    return 0;
}

const char *esp_rom_error_name(uint8_t e)
{
    switch (e) {
    case 0x05: return "received message is invalid";
    case 0x06: return "failed to act on received message";
    case 0x07: return "invalid CRC in message";
    case 0x08: return "flash write error";
    case 0x09: return "flash read error";
    case 0x0a: return "flash read length error";
    case 0x0b: return "deflate error";
    }
    return "unknown error";
}

static const char *cmd_name(uint8_t op)
{
    switch (op) {
    case ESP_FLASH_BEGIN: return "FLASH_BEGIN";
    case ESP_FLASH_DATA: return "FLASH_DATA";
    case ESP_FLASH_END: return "FLASH_END";
    case ESP_SYNC: return "SYNC";
    case ESP_READ_REG: return "READ_REG";
    case ESP_SPI_SET_PARAMS: return "SPI_SET_PARAMS";
    case ESP_SPI_ATTACH: return "SPI_ATTACH";
    case ESP_CHANGE_BAUDRATE: return "CHANGE_BAUDRATE";
    case ESP_SPI_FLASH_MD5: return "SPI_FLASH_MD5";
    }
    return "command";
}

/* ---- serial port ---- */
typedef struct conn {
    const esp32_flash_opts *o;
    const char *port;
    int fd;
    int can_modem;          /* DTR/RTS work */
    esp_slip_dec dec;
    uint8_t rx[512];
    size_t rxpos, rxlen;
    char *err;
    size_t errlen;
} conn;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) { }
}

static speed_t baud_const(int baud)
{
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1500000: return B1500000;
    case 2000000: return B2000000;
    }
    return 0;
}

static int set_baud(conn *c, int baud)
{
    struct termios t;
    speed_t sp = baud_const(baud);
    if (!sp) { seterr(c->err, c->errlen, "unsupported baud rate %d", baud); return -1; }
    if (tcgetattr(c->fd, &t) < 0) {
        seterr(c->err, c->errlen, "%s: not a serial port (%s)", c->port, strerror(errno));
        return -1;
    }
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~(CRTSCTS | CSTOPB | PARENB);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, sp);
    cfsetospeed(&t, sp);
    if (tcsetattr(c->fd, TCSANOW, &t) < 0) {
        seterr(c->err, c->errlen, "%s: cannot configure the port (%s)", c->port, strerror(errno));
        return -1;
    }
    return 0;
}

static int port_open(conn *c, const esp32_flash_opts *o, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->o = o;
    c->err = err;
    c->errlen = errlen;
    c->port = o->port && *o->port ? o->port : "/dev/ttyUSB0";
    c->fd = open(c->port, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (c->fd < 0) {
        if (errno == ENOENT)
            seterr(err, errlen, "serial port %s does not exist (is the board plugged in? try --port; "
                   "candidates: ls /dev/ttyUSB* /dev/ttyACM*)", c->port);
        else if (errno == EACCES)
            seterr(err, errlen, "serial port %s: permission denied (add yourself to the dialout group, "
                   "or run as root)", c->port);
        else
            seterr(err, errlen, "cannot open serial port %s: %s", c->port, strerror(errno));
        return -1;
    }
    if (set_baud(c, ESP_ROM_BAUD) < 0) { close(c->fd); return -1; }
    int bits;
    c->can_modem = ioctl(c->fd, TIOCMGET, &bits) == 0;
    tcflush(c->fd, TCIOFLUSH);
    esp_slip_init(&c->dec);
    c->rxpos = c->rxlen = 0;
    return 0;
}

static void port_close(conn *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}

/* DTR drives IO0 and RTS drives EN through the usual two-transistor circuit (asserted = low) */
static void set_lines(conn *c, int dtr, int rts)
{
    if (!c->can_modem) return;
    int bits;
    if (ioctl(c->fd, TIOCMGET, &bits) < 0) return;
    bits = dtr ? bits | TIOCM_DTR : bits & ~TIOCM_DTR;
    bits = rts ? bits | TIOCM_RTS : bits & ~TIOCM_RTS;
    ioctl(c->fd, TIOCMSET, &bits);
}

static void reset_to_bootloader(conn *c)
{
    if (c->o->no_reset || !c->can_modem) return;
    set_lines(c, 0, 1);    /* IO0 high, EN low: in reset */
    sleep_ms(100);
    set_lines(c, 1, 0);    /* IO0 low, EN high: boots into the ROM download mode */
    sleep_ms(50);
    set_lines(c, 0, 0);    /* IO0 released */
}

static void hard_reset(conn *c)
{
    if (c->o->no_reset || !c->can_modem) return;
    set_lines(c, 0, 1);
    sleep_ms(100);
    set_lines(c, 0, 0);
}

static int write_all(conn *c, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(c->fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                struct pollfd pf = { c->fd, POLLOUT, 0 };
                poll(&pf, 1, 1000);
                continue;
            }
            seterr(c->err, c->errlen, "%s: write error: %s", c->port, strerror(errno));
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Next complete frame within timeout_ms: 1 = frame in c->dec.buf, 0 = timeout, -1 = error. */
static int read_frame(conn *c, int timeout_ms)
{
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        while (c->rxpos < c->rxlen)
            if (esp_slip_feed(&c->dec, c->rx[c->rxpos++])) return 1;
        long left = deadline - now_ms();
        if (left < 0) return 0;
        struct pollfd pf = { c->fd, POLLIN, 0 };
        int r = poll(&pf, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { seterr(c->err, c->errlen, "poll: %s", strerror(errno)); return -1; }
        if (r == 0) return 0;
        ssize_t k = read(c->fd, c->rx, sizeof c->rx);
        if (k < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (k <= 0) {
            seterr(c->err, c->errlen, "%s: the port was closed (%s)", c->port, k < 0 ? strerror(errno) : "end of file");
            return -1;
        }
        c->rxpos = 0;
        c->rxlen = (size_t)k;
    }
}

static void drop_input(conn *c)
{
    tcflush(c->fd, TCIFLUSH);
    c->rxpos = c->rxlen = 0;
    esp_slip_init(&c->dec);
}

typedef struct reply { uint32_t value; uint8_t data[64]; size_t len; } reply;

/* Sends a command and waits for its response (skipping responses to other commands, e.g.
   the extra SYNC replies). Resends on timeout. Returns 0, or -1 with err set. */
static int command(conn *c, uint8_t op, const uint8_t *data, uint16_t n, uint32_t chk,
                   int timeout_ms, int retries, reply *out)
{
    static uint8_t pkt[8 + 16 + 0x400 + 64], enc[2 * sizeof pkt + 2];
    size_t plen = esp_cmd_packet(op, data, n, chk, pkt);
    size_t elen = esp_slip_encode(pkt, plen, enc);
    for (int attempt = 0; attempt <= retries; attempt++) {
        if (write_all(c, enc, elen) < 0) return -1;
        long deadline = now_ms() + timeout_ms;
        for (;;) {
            long left = deadline - now_ms();
            int r = left > 0 ? read_frame(c, (int)left) : 0;
            if (r < 0) return -1;
            if (r == 0) break;      /* timeout: resend */
            esp_resp resp;
            int ok = esp_parse_response(c->dec.buf, c->dec.n, &resp) == 0;
            c->dec.n = 0;
            if (!ok || resp.op != op) continue;
            if (resp.status != 0) {
                seterr(c->err, c->errlen, "%s failed: ROM loader error 0x%02x (%s)", cmd_name(op),
                       resp.error, esp_rom_error_name(resp.error));
                return -1;
            }
            if (out) {
                out->value = resp.value;
                out->len = resp.size < sizeof out->data ? resp.size : sizeof out->data;
                memcpy(out->data, resp.data, out->len);
            }
            return 0;
        }
    }
    seterr(c->err, c->errlen, "no response to %s from the ESP32 on %s (timed out after %d attempts)",
           cmd_name(op), c->port, retries + 1);
    return -1;
}

static int sync_chip(conn *c)
{
    uint8_t s[36] = { 0x07, 0x07, 0x12, 0x20 };
    memset(s + 4, 0x55, 32);
    int attempts = c->o->sync_attempts > 0 ? c->o->sync_attempts : 7;
    if (!c->can_modem && !c->o->no_reset && !c->o->quiet)
        fprintf(stderr, "ocaml-esp32: note: %s has no DTR/RTS control; put the chip in download mode "
                "by hand (hold BOOT/IO0 low while pressing EN)\n", c->port);
    for (int a = 0; a < attempts; a++) {
        reset_to_bootloader(c);
        drop_input(c);
        for (int k = 0; k < 5; k++) {
            char saved[256];
            snprintf(saved, sizeof saved, "%s", c->err);
            if (command(c, ESP_SYNC, s, sizeof s, 0, 100, 0, NULL) == 0) {
                /* the ROM answers a SYNC several times: let the extra replies arrive, drop them */
                long end = now_ms() + 100;
                while (now_ms() < end && read_frame(c, (int)(end - now_ms())) > 0) c->dec.n = 0;
                return 0;
            }
            if (strstr(c->err, "closed") || strstr(c->err, "write error")) return -1;
            snprintf(c->err, c->errlen, "%s", saved);
        }
    }
    seterr(c->err, c->errlen, "no response from an ESP32 on %s after %d connection attempts: is the "
           "board in download mode (hold BOOT while pressing EN) and is nothing else using the port?",
           c->port, attempts);
    return -1;
}

static int connect_chip(conn *c)
{
    if (sync_chip(c) < 0) return -1;
    int to = c->o->timeout_ms > 0 ? c->o->timeout_ms : 3000;
    int rt = c->o->retries >= 0 ? c->o->retries : 3;
    reply r;
    uint8_t addr[4];
    bl_wr32(addr, ESP_CHIP_MAGIC_REG);
    if (command(c, ESP_READ_REG, addr, 4, 0, to, rt, &r) < 0) return -1;
    if (r.value != ESP32_CHIP_MAGIC) {
        seterr(c->err, c->errlen, "the chip on %s is not an ESP32 (chip magic 0x%08x, expected 0x%08x)",
               c->port, r.value, ESP32_CHIP_MAGIC);
        return -1;
    }
    uint8_t attach[8] = { 0 };   /* default SPI flash pins; 4 more zero bytes for the ESP32 ROM */
    if (command(c, ESP_SPI_ATTACH, attach, 8, 0, to, rt, NULL) < 0) return -1;
    uint8_t params[24];
    bl_wr32(params, 0);                   /* flash id */
    bl_wr32(params + 4, ESP32_FLASH_SIZE);
    bl_wr32(params + 8, 64 * 1024);       /* block */
    bl_wr32(params + 12, 4 * 1024);       /* sector */
    bl_wr32(params + 16, 256);            /* page */
    bl_wr32(params + 20, 0xFFFF);         /* status mask */
    if (command(c, ESP_SPI_SET_PARAMS, params, 24, 0, to, rt, NULL) < 0) return -1;
    int baud = c->o->baud > 0 ? c->o->baud : ESP_ROM_BAUD;
    if (baud != ESP_ROM_BAUD) {
        if (!baud_const(baud)) { seterr(c->err, c->errlen, "unsupported baud rate %d", baud); return -1; }
        uint8_t b[8];
        bl_wr32(b, (uint32_t)baud);
        bl_wr32(b + 4, 0);                /* 0: we talk to the ROM loader */
        if (command(c, ESP_CHANGE_BAUDRATE, b, 8, 0, to, rt, NULL) < 0) return -1;
        if (set_baud(c, baud) < 0) return -1;
        sleep_ms(50);
        drop_input(c);
    }
    return 0;
}

static void progress(const esp32_flash_opts *o, uint32_t addr, size_t done, size_t total)
{
    if (o->quiet) return;
    int width = 40, fill = total ? (int)((done * (size_t)width) / total) : width;
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\rWriting at 0x%08x [%s] %3d%%", addr, bar, total ? (int)(done * 100 / total) : 100);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

static int write_region(conn *c, uint32_t offset, const uint8_t *data, size_t len)
{
    int to = c->o->timeout_ms > 0 ? c->o->timeout_ms : 3000;
    int rt = c->o->retries >= 0 ? c->o->retries : 3;
    uint32_t blocks = (uint32_t)((len + ESP_FLASH_BLOCK - 1) / ESP_FLASH_BLOCK);
    uint8_t begin[16];
    esp_flash_begin_payload((uint32_t)len, blocks, ESP_FLASH_BLOCK, offset, begin);
    /* the ROM erases during FLASH_BEGIN: about 30 s per MB in the worst case */
    long erase_to = (long)(30000.0 * (double)len / 1e6);
    if (erase_to < to) erase_to = to;
    if (command(c, ESP_FLASH_BEGIN, begin, 16, 0, (int)erase_to, rt, NULL) < 0) return -1;
    static uint8_t payload[16 + ESP_FLASH_BLOCK];
    for (uint32_t seq = 0; seq < blocks; seq++) {
        size_t off = (size_t)seq * ESP_FLASH_BLOCK, n = len - off < ESP_FLASH_BLOCK ? len - off : ESP_FLASH_BLOCK;
        uint32_t chk;
        size_t plen = esp_flash_data_payload(seq, data + off, n, ESP_FLASH_BLOCK, payload, &chk);
        progress(c->o, offset + (uint32_t)off, off, len);
        if (command(c, ESP_FLASH_DATA, payload, (uint16_t)plen, chk, to, rt, NULL) < 0) {
            if (!c->o->quiet) fputc('\n', stderr);
            return -1;
        }
    }
    progress(c->o, offset + (uint32_t)len, len, len);
    if (!c->o->no_verify) {
        uint8_t q[16];
        bl_wr32(q, offset);
        bl_wr32(q + 4, (uint32_t)len);
        bl_wr32(q + 8, 0);
        bl_wr32(q + 12, 0);
        reply r;
        long md5_to = (long)(8000.0 * (double)len / 1e6);
        if (md5_to < to) md5_to = to;
        if (command(c, ESP_SPI_FLASH_MD5, q, 16, 0, (int)md5_to, rt, &r) < 0) return -1;
        bl_md5 m;
        uint8_t d[16];
        char hex[33];
        bl_md5_init(&m);
        bl_md5_update(&m, data, (uint32_t)len);
        bl_md5_final(&m, d);
        for (int i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", d[i]);
        /* the ROM answers 32 hex digits (the stub loader 16 raw bytes) before the status */
        int ok = r.len >= 32 + 4 ? !strncasecmp((const char *)r.data, hex, 32)
                                 : r.len >= 16 && !memcmp(r.data, d, 16);
        if (!ok) {
            seterr(c->err, c->errlen, "verification failed: the flash at 0x%x does not hold what was written "
                   "(MD5 mismatch)", offset);
            return -1;
        }
        if (!c->o->quiet) fprintf(stderr, "Verified: MD5 %s\n", hex);
    }
    return 0;
}

static int finish(conn *c)
{
    uint8_t e[4];
    bl_wr32(e, 0);                        /* 0: reboot */
    char saved[256];
    snprintf(saved, sizeof saved, "%s", c->err);
    if (command(c, ESP_FLASH_END, e, 4, 0, 500, 0, NULL) < 0)
        snprintf(c->err, c->errlen, "%s", saved);   /* the chip may reboot before answering */
    hard_reset(c);
    return 0;
}

int esp32_flash_data(const esp32_flash_opts *o, uint32_t offset, const uint8_t *data, size_t len,
                     char *err, size_t errlen)
{
    conn c;
    err[0] = 0;
    if (len == 0) { seterr(err, errlen, "nothing to write"); return -1; }
    if (offset % 0x1000) { seterr(err, errlen, "flash offset 0x%x is not a multiple of 4 KB", offset); return -1; }
    if (offset + len > ESP32_FLASH_SIZE) {
        seterr(err, errlen, "%zu bytes at 0x%x do not fit in the %u-byte flash", len, offset, ESP32_FLASH_SIZE);
        return -1;
    }
    if (port_open(&c, o, err, errlen) < 0) return -1;
    int rc = -1;
    if (connect_chip(&c) == 0 && write_region(&c, offset, data, len) == 0 && finish(&c) == 0) rc = 0;
    port_close(&c);
    return rc;
}

int esp32_flash_file(const esp32_flash_opts *o, const char *path, char *err, size_t errlen)
{
    size_t len;
    uint8_t *buf = esp32_read_file(path, &len);
    long offset = o->offset;
    esp32_image_report *r = malloc(sizeof *r);
    int rc = -1;
    char verr[200];
    if (!r) { seterr(err, errlen, "out of memory"); free(buf); return -1; }
    if (len >= ESP32_APP_OFFSET && buf[0] == 0xFF && buf[ESP32_BOOTLOADER_OFFSET] == BL_IMAGE_MAGIC) {
        if (offset < 0) offset = 0;        /* a complete flash image */
    } else if (len > 0 && buf[0] == BL_IMAGE_MAGIC) {
        if (offset < 0) offset = ESP32_APP_OFFSET;
        if (esp32_image_verify(buf, len, (uint32_t)offset, r, verr, sizeof verr) < 0) {
            seterr(err, errlen, "%s: not a valid ESP32 app image: %s", path, verr);
            goto out;
        }
    } else if (offset < 0) {
        seterr(err, errlen, "%s: neither an ESP32 app image (first byte 0xE9) nor a complete flash image; "
               "give --offset to write raw data", path);
        goto out;
    }
    if (!o->quiet) fprintf(stderr, "Writing %s (%zu bytes) at flash offset 0x%lx\n", path, len, offset);
    rc = esp32_flash_data(o, (uint32_t)offset, buf, len, err, errlen);
    if (rc == 0 && !o->quiet) fprintf(stderr, "Done; the chip was reset.\n");
out:
    free(r);
    free(buf);
    return rc;
}

void esp32_flash_defaults(esp32_flash_opts *o)
{
    memset(o, 0, sizeof *o);
    o->port = "/dev/ttyUSB0";
    o->baud = ESP_ROM_BAUD;
    o->sync_attempts = 7;
    o->timeout_ms = 3000;
    o->retries = 3;
    o->offset = -1;
}

int esp32_monitor(const esp32_flash_opts *o, char *err, size_t errlen)
{
    conn c;
    err[0] = 0;
    if (port_open(&c, o, err, errlen) < 0) return -1;
    int baud = o->baud > 0 ? o->baud : ESP_ROM_BAUD;
    if (baud != ESP_ROM_BAUD && set_baud(&c, baud) < 0) { port_close(&c); return -1; }
    if (!o->quiet)
        fprintf(stderr, "--- ocaml-esp32 monitor on %s at %d baud (Ctrl-C to quit) ---\n", c.port, baud);
    hard_reset(&c);                        /* start the app from the beginning */
    long end = o->monitor_seconds > 0 ? now_ms() + 1000L * o->monitor_seconds : 0;
    int stdin_open = 1, rc = 0;
    for (;;) {
        int wait = 1000;
        if (end) {
            long left = end - now_ms();
            if (left <= 0) break;
            if (left < wait) wait = (int)left;
        }
        struct pollfd pf[2] = { { c.fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
        int r = poll(pf, stdin_open ? 2 : 1, wait);
        if (r < 0) {
            if (errno == EINTR) continue;
            seterr(err, errlen, "poll: %s", strerror(errno));
            rc = -1;
            break;
        }
        if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            uint8_t buf[512];
            ssize_t k = read(c.fd, buf, sizeof buf);
            if (k < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (k <= 0) {
                seterr(err, errlen, "%s: the port was closed (%s)", c.port, k < 0 ? strerror(errno) : "end of file");
                rc = -1;
                break;
            }
            if (fwrite(buf, 1, (size_t)k, stdout) != (size_t)k) { rc = -1; break; }
            fflush(stdout);
        }
        if (stdin_open && (pf[1].revents & (POLLIN | POLLHUP))) {
            uint8_t buf[256];
            ssize_t k = read(0, buf, sizeof buf);
            if (k <= 0) stdin_open = 0;
            else if (write_all(&c, buf, (size_t)k) < 0) { rc = -1; break; }
        }
    }
    port_close(&c);
    return rc;
}

/* ---- command line: `ocaml-esp32 flash` and `ocaml-esp32 monitor` ---- */
static long parse_num(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (end == s || *end || errno || v < lo || v > hi)
        diag_fatal(NULL, "%s: expected a number between %ld and %ld, got '%s'", opt, lo, hi, s);
    return v;
}

static void parse_common(esp32_flash_opts *o, int argc, char **argv, const char **file, int want_file)
{
    esp32_flash_defaults(o);
    *file = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED() do { if (!next) diag_fatal(NULL, "option %s needs an argument", a); i++; } while (0)
        if (!strcmp(a, "--port") || !strcmp(a, "-p")) { NEED(); o->port = next; }
        else if (!strcmp(a, "--baud") || !strcmp(a, "-b")) {
            NEED();
            o->baud = (int)parse_num(a, next, 9600, 2000000);
            if (!baud_const(o->baud)) diag_fatal(NULL, "--baud: unsupported rate %d (use 115200, 230400, 460800 or 921600)", o->baud);
        }
        else if (!strcmp(a, "--offset") && want_file) { NEED(); o->offset = parse_num(a, next, 0, ESP32_FLASH_SIZE - 1); }
        else if (!strcmp(a, "--no-reset")) o->no_reset = 1;
        else if (!strcmp(a, "--no-verify") && want_file) o->no_verify = 1;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) o->quiet = 1;
        else if (!strcmp(a, "--timeout") && !want_file) { NEED(); o->monitor_seconds = (int)parse_num(a, next, 1, 86400); }
        else if (a[0] == '-' && a[1]) diag_fatal(NULL, "unknown option '%s' (see ocaml-esp32 --help)", a);
        else if (!want_file) diag_fatal(NULL, "monitor takes no file argument ('%s')", a);
        else if (*file) diag_fatal(NULL, "more than one file ('%s' and '%s')", *file, a);
        else *file = a;
#undef NEED
    }
    if (want_file && !*file) diag_fatal(NULL, "flash: no image file (expected app.bin from `ocaml-esp32 build -t esp32`)");
}

int esp32_cmd_flash(int argc, char **argv)
{
    esp32_flash_opts o;
    const char *file;
    parse_common(&o, argc, argv, &file, 1);
    char err[512];
    if (esp32_flash_file(&o, file, err, sizeof err) < 0) diag_fatal(NULL, "flash: %s", err);
    return 0;
}

int esp32_cmd_monitor(int argc, char **argv)
{
    esp32_flash_opts o;
    const char *file;
    parse_common(&o, argc, argv, &file, 0);
    char err[512];
    if (esp32_monitor(&o, err, sizeof err) < 0) diag_fatal(NULL, "monitor: %s", err);
    return 0;
}
