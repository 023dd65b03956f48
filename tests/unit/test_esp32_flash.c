/* test_esp32_flash.c — the flasher: checksum, SLIP framing and command packets against byte
   sequences written out from esptool's serial-protocol documentation; then a fake ESP32 ROM
   loader on a pseudo-terminal (openpty) that checks everything it receives (SYNC, READ_REG,
   SPI_ATTACH, SPI_SET_PARAMS, FLASH_BEGIN sizes and block count, every FLASH_DATA sequence
   number, size and checksum, SPI_FLASH_MD5, FLASH_END) while the real flasher talks to it:
   a clean write, a lost reply (retry), a ROM error, a wrong chip, a baud change, a silent peer
   (clean timeout error), a missing port; and the monitor. */
#include "esp32_flash.h"
#include "esp32_image.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
static void check(int ok, const char *what)
{
    if (ok) passed++;
    else failed++, printf("FAIL %s\n", what);
}

static int bytes_eq(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, const char *what)
{
    int ok = na == nb && !memcmp(a, b, na);
    if (!ok) {
        printf("  %s: got", what);
        for (size_t i = 0; i < na; i++) printf(" %02x", a[i]);
        printf("\n  %s: want", what);
        for (size_t i = 0; i < nb; i++) printf(" %02x", b[i]);
        printf("\n");
    }
    check(ok, what);
    return ok;
}

/* ---- pure encoders ---- */
static void encoders(void)
{
    check(esp_checksum(NULL, 0) == 0xEF, "checksum of nothing is the seed 0xEF");
    uint8_t x[3] = { 0xEF, 0x01, 0x02 };
    check(esp_checksum(x, 3) == 0x03, "checksum 0xEF^0xEF^0x01^0x02 = 0x03");
    uint8_t in[] = { 0x01, 0xC0, 0xDB, 0x02 }, out[16];
    static const uint8_t slip_want[] = { 0xC0, 0x01, 0xDB, 0xDC, 0xDB, 0xDD, 0x02, 0xC0 };
    size_t n = esp_slip_encode(in, 4, out);
    bytes_eq(out, n, slip_want, sizeof slip_want, "SLIP: C0 -> DB DC, DB -> DB DD, framed by C0");
    esp_slip_dec d;
    esp_slip_init(&d);
    static const uint8_t stream[] = { 'b', 'o', 'o', 't', '\n',             /* noise */
                                      0xC0, 0x01, 0xDB, 0xDC, 0xDB, 0xDD, 0x02, 0xC0,
                                      0xC0, 0xAA, 0xDB, 0x01, 0xC0,         /* bad escape: dropped */
                                      0xC0, 0x55, 0xC0 };
    int frames = 0, ok1 = 0, ok2 = 0;
    for (size_t i = 0; i < sizeof stream; i++)
        if (esp_slip_feed(&d, stream[i])) {
            frames++;
            if (frames == 1) ok1 = d.n == 4 && !memcmp(d.buf, in, 4);
            if (frames == 2) ok2 = d.n == 1 && d.buf[0] == 0x55;
        }
    check(frames == 2 && ok1 && ok2, "SLIP decoder: noise skipped, escapes undone, bad frame dropped, back-to-back frames");

    /* SYNC: 00 08 2400 00000000 07 07 12 20 55 x 32 (serial-protocol.rst) */
    uint8_t sync[36] = { 0x07, 0x07, 0x12, 0x20 };
    memset(sync + 4, 0x55, 32);
    uint8_t pkt[128], want[128] = { 0x00, 0x08, 0x24, 0x00, 0, 0, 0, 0, 0x07, 0x07, 0x12, 0x20 };
    memset(want + 12, 0x55, 32);
    n = esp_cmd_packet(ESP_SYNC, sync, 36, 0, pkt);
    bytes_eq(pkt, n, want, 44, "SYNC command packet");
    /* READ_REG 0x3FF0005C: c0 00 0a 0400 00000000 5c00f03f c0 */
    uint8_t a[4];
    bl_wr32(a, 0x3FF0005C);
    n = esp_cmd_packet(ESP_READ_REG, a, 4, 0, pkt);
    uint8_t enc[64];
    size_t en = esp_slip_encode(pkt, n, enc);
    static const uint8_t rr[] = { 0xC0, 0x00, 0x0A, 0x04, 0x00, 0, 0, 0, 0, 0x5C, 0x00, 0xF0, 0x3F, 0xC0 };
    bytes_eq(enc, en, rr, sizeof rr, "READ_REG framed packet");
    /* FLASH_BEGIN for 5000 bytes at 0x10000: 4 words */
    uint8_t fb[16];
    esp_flash_begin_payload(5000, 5, 0x400, 0x10000, fb);
    static const uint8_t fbw[] = { 0x88, 0x13, 0, 0, 5, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1, 0 };
    bytes_eq(fb, 16, fbw, 16, "FLASH_BEGIN payload: erase size, blocks, block size, offset");
    /* FLASH_DATA: 16-byte header, 0xFF padding, checksum over the whole padded block */
    static uint8_t data[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, pl[16 + 0x400];
    uint32_t chk;
    size_t pn = esp_flash_data_payload(7, data, 10, 0x400, pl, &chk);
    uint8_t expect_chk = 0xEF;
    for (int i = 0; i < 10; i++) expect_chk ^= data[i];
    for (int i = 10; i < 0x400; i++) expect_chk ^= 0xFF;
    check(pn == 16 + 0x400 && bl_rd32(pl) == 0x400 && bl_rd32(pl + 4) == 7 && bl_rd32(pl + 8) == 0 &&
          bl_rd32(pl + 12) == 0 && pl[16 + 10] == 0xFF && pl[16 + 0x3FF] == 0xFF && chk == expect_chk,
          "FLASH_DATA payload: size, seq, 0, 0, data padded with 0xFF, XOR checksum");
    /* responses */
    static const uint8_t ok_resp[] = { 0x01, 0x08, 0x04, 0x00, 0x07, 0x07, 0x12, 0x20, 0, 0, 0, 0 };
    esp_resp r;
    check(esp_parse_response(ok_resp, sizeof ok_resp, &r) == 0 && r.op == 0x08 && r.status == 0 &&
          r.value == 0x20120707, "ROM response: 4 status bytes, success");
    static const uint8_t bad_resp[] = { 0x01, 0x02, 0x04, 0x00, 0, 0, 0, 0, 0x01, 0x05, 0, 0 };
    check(esp_parse_response(bad_resp, sizeof bad_resp, &r) == 0 && r.status == 1 && r.error == 0x05,
          "ROM response: failure, error 0x05");
    check(esp_parse_response(ok_resp, 6, &r) < 0, "short response refused");
    static const uint8_t cmd_not_resp[] = { 0x00, 0x08, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
    check(esp_parse_response(cmd_not_resp, sizeof cmd_not_resp, &r) < 0, "direction byte must be 0x01");
}

/* ---- the fake ROM loader ---- */
typedef struct peer_cfg {
    int silent;              /* never answer */
    int drop_data_seq;       /* do not answer the first FLASH_DATA with this seq (-1: none) */
    int fail_begin;          /* answer FLASH_BEGIN with status 1, error 0x05 */
    uint32_t chip_magic;
    int corrupt_md5;         /* report a wrong MD5 */
    const char *say;         /* monitor: text to send, then idle */
} peer_cfg;

typedef struct peer_result {
    int syncs, read_regs, attaches, params, begins, datas, data_dups, md5s, ends, bauds;
    int errors;              /* protocol violations seen */
    char first_error[160];
    uint32_t begin_size, begin_blocks, begin_block_size, begin_offset, baud;
    uint32_t written;        /* bytes received in FLASH_DATA, padding included */
    int data_ok;             /* flash content equals the expected data */
} peer_result;

#define FLASH_SIM (ESP32_FLASH_SIZE)
static uint8_t *sim_flash;
static const uint8_t *expect_data;
static size_t expect_len;
static uint32_t expect_off;

static void perr(peer_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(peer_result *r, const char *fmt, ...)
{
    if (r->errors++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first_error, sizeof r->first_error, fmt, ap);
        va_end(ap);
    }
}

static void reply(int fd, uint8_t op, uint32_t value, const uint8_t *data, size_t n, uint8_t status, uint8_t error)
{
    uint8_t p[128], e[300];
    p[0] = 0x01;
    p[1] = op;
    bl_wr16(p + 2, (uint16_t)(n + 4));
    bl_wr32(p + 4, value);
    memcpy(p + 8, data, n);
    p[8 + n] = status;
    p[9 + n] = error;
    p[10 + n] = p[11 + n] = 0;
    size_t en = esp_slip_encode(p, 12 + n, e);
    if (write(fd, e, en) != (ssize_t)en) { /* the flasher went away */ }
}

static void peer_handle(int fd, const peer_cfg *cfg, peer_result *r, const uint8_t *f, size_t n)
{
    static int dropped;
    if (n < 8 || f[0] != 0x00) { perr(r, "not a command packet"); return; }
    uint8_t op = f[1];
    uint16_t size = bl_rd16(f + 2);
    uint32_t chk = bl_rd32(f + 4);
    const uint8_t *d = f + 8;
    if ((size_t)size + 8 != n) { perr(r, "op 0x%02x: size field %u but %zu data bytes", op, size, n - 8); return; }
    switch (op) {
    case ESP_SYNC: {
        uint8_t s[36] = { 0x07, 0x07, 0x12, 0x20 };
        memset(s + 4, 0x55, 32);
        if (size != 36 || memcmp(d, s, 36)) perr(r, "SYNC payload wrong");
        r->syncs++;
        for (int k = 0; k < 8; k++) reply(fd, ESP_SYNC, 0, NULL, 0, 0, 0);   /* the ROM answers 8 times */
        break;
    }
    case ESP_READ_REG:
        r->read_regs++;
        if (size != 4) perr(r, "READ_REG size %u", size);
        reply(fd, op, bl_rd32(d) == ESP_CHIP_MAGIC_REG ? cfg->chip_magic : 0, NULL, 0, 0, 0);
        break;
    case ESP_SPI_ATTACH:
        r->attaches++;
        if (size != 8 || bl_rd32(d) || bl_rd32(d + 4)) perr(r, "SPI_ATTACH must be 8 zero bytes for the ROM");
        reply(fd, op, 0, NULL, 0, 0, 0);
        break;
    case ESP_SPI_SET_PARAMS:
        r->params++;
        if (size != 24 || bl_rd32(d + 4) != ESP32_FLASH_SIZE || bl_rd32(d + 8) != 0x10000 ||
            bl_rd32(d + 12) != 0x1000 || bl_rd32(d + 16) != 256 || bl_rd32(d + 20) != 0xFFFF)
            perr(r, "SPI_SET_PARAMS values");
        reply(fd, op, 0, NULL, 0, 0, 0);
        break;
    case ESP_CHANGE_BAUDRATE:
        r->bauds++;
        if (size != 8 || bl_rd32(d + 4) != 0) perr(r, "CHANGE_BAUDRATE: second word must be 0 for the ROM");
        r->baud = bl_rd32(d);
        reply(fd, op, 0, NULL, 0, 0, 0);
        break;
    case ESP_FLASH_BEGIN:
        r->begins++;
        if (size != 16) { perr(r, "FLASH_BEGIN size %u", size); break; }
        r->begin_size = bl_rd32(d);
        r->begin_blocks = bl_rd32(d + 4);
        r->begin_block_size = bl_rd32(d + 8);
        r->begin_offset = bl_rd32(d + 12);
        if (r->begin_size != expect_len || r->begin_offset != expect_off || r->begin_block_size != 0x400 ||
            r->begin_blocks != (expect_len + 0x3FF) / 0x400)
            perr(r, "FLASH_BEGIN: size %u blocks %u block %u offset 0x%x", r->begin_size, r->begin_blocks,
                 r->begin_block_size, r->begin_offset);
        if (cfg->fail_begin) reply(fd, op, 0, NULL, 0, 1, 0x05);
        else reply(fd, op, 0, NULL, 0, 0, 0);
        break;
    case ESP_FLASH_DATA: {
        if (size < 16) { perr(r, "FLASH_DATA too short"); break; }
        uint32_t len = bl_rd32(d), seq = bl_rd32(d + 4);
        if (len != 0x400 || size != 16 + len || bl_rd32(d + 8) || bl_rd32(d + 12))
            perr(r, "FLASH_DATA header: len %u size %u", len, size);
        if (chk != esp_checksum(d + 16, len)) perr(r, "FLASH_DATA seq %u: bad checksum 0x%x", seq, chk);
        if (seq == (uint32_t)r->datas - 1) r->data_dups++;
        else if (seq != (uint32_t)r->datas) perr(r, "FLASH_DATA seq %u, expected %d", seq, r->datas);
        else {
            r->datas++;
            uint32_t at = r->begin_offset + seq * 0x400;
            if (at + len <= FLASH_SIM) memcpy(sim_flash + at, d + 16, len);
            r->written += len;
        }
        if ((int)seq == cfg->drop_data_seq && !dropped) { dropped = 1; break; }   /* lose the reply once */
        reply(fd, op, 0, NULL, 0, 0, 0);
        break;
    }
    case ESP_SPI_FLASH_MD5: {
        r->md5s++;
        uint32_t at = bl_rd32(d), len = bl_rd32(d + 4);
        bl_md5 c;
        uint8_t m[16];
        char hex[33];
        bl_md5_init(&c);
        bl_md5_update(&c, sim_flash + at, len);
        bl_md5_final(&c, m);
        for (int i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", m[i]);
        if (cfg->corrupt_md5) hex[0] = hex[0] == '0' ? '1' : '0';
        reply(fd, op, 0, (const uint8_t *)hex, 32, 0, 0);
        break;
    }
    case ESP_FLASH_END:
        r->ends++;
        if (size != 4) perr(r, "FLASH_END size %u", size);
        reply(fd, op, 0, NULL, 0, 0, 0);
        break;
    default:
        perr(r, "unexpected command 0x%02x", op);
    }
}

/* Runs in a child: serves until the other side closes (EIO) or 10 s of silence. */
static void peer_main(int master, const peer_cfg *cfg, int result_fd)
{
    peer_result r;
    memset(&r, 0, sizeof r);
    sim_flash = malloc(FLASH_SIM);
    memset(sim_flash, 0xFF, FLASH_SIM);
    esp_slip_dec dec;
    esp_slip_init(&dec);
    if (cfg->say) {
        sleep(1);   /* let the monitor open the port */
        if (write(master, cfg->say, strlen(cfg->say)) < 0) perr(&r, "write");
    }
    for (;;) {
        struct pollfd pf = { master, POLLIN, 0 };
        int p = poll(&pf, 1, 10000);
        if (p <= 0) break;
        uint8_t buf[4096];
        ssize_t k = read(master, buf, sizeof buf);
        if (k <= 0) break;
        if (cfg->silent) continue;
        for (ssize_t i = 0; i < k; i++)
            if (esp_slip_feed(&dec, buf[i])) peer_handle(master, cfg, &r, dec.buf, dec.n);
    }
    if (expect_data)
        r.data_ok = !memcmp(sim_flash + expect_off, expect_data, expect_len);
    if (write(result_fd, &r, sizeof r) != (ssize_t)sizeof r) _exit(3);
    _exit(0);
}

typedef struct session { pid_t pid; int master, slave, res; char path[64]; } session;

static void start_peer(session *s, const peer_cfg *cfg)
{
    int fds[2];
    if (openpty(&s->master, &s->slave, s->path, NULL, NULL) < 0 || pipe(fds) < 0) {
        perror("openpty");
        exit(2);
    }
    fflush(stdout);
    s->pid = fork();
    if (s->pid == 0) {
        close(fds[0]);
        close(s->slave);
        peer_main(s->master, cfg, fds[1]);
    }
    close(fds[1]);
    close(s->master);
    s->res = fds[0];
}

static int finish_peer(session *s, peer_result *r)
{
    close(s->slave);     /* the peer's reads now end (EIO) */
    ssize_t k = read(s->res, r, sizeof *r);
    close(s->res);
    int st;
    waitpid(s->pid, &st, 0);
    return k == (ssize_t)sizeof *r ? 0 : -1;
}

static void test_opts(esp32_flash_opts *o, const char *port)
{
    esp32_flash_defaults(o);
    o->port = port;
    o->quiet = 1;
    o->sync_attempts = 2;
    o->timeout_ms = 400;
    o->retries = 2;
}

static uint8_t *pattern(size_t n)
{
    uint8_t *p = malloc(n);
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 7 + (i >> 8));
    p[0] = 0xE9;
    p[100] = 0xC0;   /* bytes that need SLIP escapes */
    p[101] = 0xDB;
    return p;
}

static void flash_ok(void)
{
    size_t n = 5000;   /* 5 blocks, the last one partial */
    uint8_t *data = pattern(n);
    expect_data = data; expect_len = n; expect_off = 0x10000;
    peer_cfg cfg = { .drop_data_seq = -1, .chip_magic = ESP32_CHIP_MAGIC };
    session s;
    start_peer(&s, &cfg);
    esp32_flash_opts o;
    test_opts(&o, s.path);
    char err[512] = "";
    int rc = esp32_flash_data(&o, 0x10000, data, n, err, sizeof err);
    if (rc) printf("  flasher: %s\n", err);
    peer_result r;
    check(rc == 0, "flash over the fake ROM: success");
    if (finish_peer(&s, &r) < 0) { check(0, "peer result"); return; }
    if (r.errors) printf("  peer: %d errors, first: %s\n", r.errors, r.first_error);
    check(r.errors == 0, "the peer saw no protocol violation");
    check(r.syncs >= 1 && r.read_regs == 1 && r.attaches == 1 && r.params == 1, "SYNC, READ_REG (chip), SPI_ATTACH, SPI_SET_PARAMS");
    check(r.begins == 1 && r.begin_size == n && r.begin_blocks == 5 && r.begin_block_size == 0x400 &&
          r.begin_offset == 0x10000, "FLASH_BEGIN: 5000 bytes, 5 blocks of 0x400 at 0x10000");
    check(r.datas == 5 && r.data_dups == 0 && r.written == 5 * 0x400, "5 FLASH_DATA packets in sequence");
    check(r.data_ok, "the simulated flash holds exactly the data");
    check(r.md5s == 1 && r.ends == 1 && r.bauds == 0, "SPI_FLASH_MD5 verify, FLASH_END");
    free(data);
}

static void flash_retry(void)
{
    size_t n = 4 * 0x400;
    uint8_t *data = pattern(n);
    expect_data = data; expect_len = n; expect_off = 0x20000;
    peer_cfg cfg = { .drop_data_seq = 2, .chip_magic = ESP32_CHIP_MAGIC };
    session s;
    start_peer(&s, &cfg);
    esp32_flash_opts o;
    test_opts(&o, s.path);
    o.baud = 460800;
    char err[512] = "";
    int rc = esp32_flash_data(&o, 0x20000, data, n, err, sizeof err);
    if (rc) printf("  flasher: %s\n", err);
    peer_result r;
    finish_peer(&s, &r);
    if (r.errors) printf("  peer: %s\n", r.first_error);
    check(rc == 0 && r.errors == 0, "a lost FLASH_DATA reply: the flasher resends and succeeds");
    check(r.datas == 4 && r.data_dups == 1 && r.data_ok, "the resent block arrives twice with the same seq");
    check(r.bauds == 1 && r.baud == 460800, "--baud 460800: CHANGE_BAUDRATE 460800, 0");
    free(data);
}

static void flash_errors(void)
{
    size_t n = 0x400;
    uint8_t *data = pattern(n);
    expect_data = data; expect_len = n; expect_off = 0x10000;
    char err[512];
    peer_result r;
    session s;
    esp32_flash_opts o;

    peer_cfg fail = { .drop_data_seq = -1, .chip_magic = ESP32_CHIP_MAGIC, .fail_begin = 1 };
    start_peer(&s, &fail);
    test_opts(&o, s.path);
    int rc = esp32_flash_data(&o, 0x10000, data, n, err, sizeof err);
    finish_peer(&s, &r);
    check(rc < 0 && strstr(err, "FLASH_BEGIN failed") && strstr(err, "0x05"), "ROM error on FLASH_BEGIN reported");

    peer_cfg chip = { .drop_data_seq = -1, .chip_magic = 0xFFF0C101 };
    start_peer(&s, &chip);
    test_opts(&o, s.path);
    rc = esp32_flash_data(&o, 0x10000, data, n, err, sizeof err);
    finish_peer(&s, &r);
    check(rc < 0 && strstr(err, "not an ESP32") && r.begins == 0, "an ESP8266 answering: refused before writing");

    peer_cfg md5 = { .drop_data_seq = -1, .chip_magic = ESP32_CHIP_MAGIC, .corrupt_md5 = 1 };
    start_peer(&s, &md5);
    test_opts(&o, s.path);
    rc = esp32_flash_data(&o, 0x10000, data, n, err, sizeof err);
    finish_peer(&s, &r);
    check(rc < 0 && strstr(err, "verification failed"), "flash MD5 mismatch reported");

    peer_cfg silent = { .silent = 1, .drop_data_seq = -1 };
    start_peer(&s, &silent);
    test_opts(&o, s.path);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = esp32_flash_data(&o, 0x10000, data, n, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    finish_peer(&s, &r);
    printf("  silent peer: %s (%.1f s)\n", err, secs);
    check(rc < 0 && strstr(err, "no response") && strstr(err, "download mode") && secs < 5,
          "a silent chip: a clear timeout error, promptly");

    test_opts(&o, "/dev/ocaml-esp32-no-such-tty");
    rc = esp32_flash_data(&o, 0x10000, data, n, err, sizeof err);
    check(rc < 0 && strstr(err, "does not exist"), "a missing port: a clear error");
    rc = esp32_flash_data(&o, 0x10001, data, n, err, sizeof err);
    check(rc < 0 && strstr(err, "multiple of 4 KB"), "an unaligned offset refused");
    rc = esp32_flash_data(&o, 0x3FF000, data, 0x1400, err, sizeof err);   /* refused before reading */
    check(rc < 0 && strstr(err, "do not fit"), "data beyond 4 MB refused");
    free(data);
}

static void monitor(void)
{
    peer_cfg cfg = { .drop_data_seq = -1, .say = "hello from the esp32\r\n" };
    expect_data = NULL;
    session s;
    start_peer(&s, &cfg);
    int out[2];
    if (pipe(out) < 0) return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        int devnull = open("/dev/null", 0);
        dup2(devnull, 0);
        esp32_flash_opts o;
        test_opts(&o, s.path);
        o.monitor_seconds = 2;
        char err[512];
        _exit(esp32_monitor(&o, err, sizeof err) == 0 ? 0 : 1);
    }
    close(out[1]);
    char buf[256];
    size_t n = 0;
    ssize_t k;
    while (n + 1 < sizeof buf && (k = read(out[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)k;
    buf[n] = 0;
    close(out[0]);
    int st;
    waitpid(pid, &st, 0);
    peer_result r;
    finish_peer(&s, &r);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(buf, "hello from the esp32"),
          "monitor copies the chip's UART output to stdout");
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    encoders();
    flash_ok();
    flash_retry();
    flash_errors();
    monitor();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
