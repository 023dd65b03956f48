/* io.c — buffered channels (the primitives of OCaml 4.13's runtime/io.c, same semantics).
   A channel is a C struct wrapped in a custom block "_chan"; output channels have max == NULL.
   Descriptors are those of the platform layer: the console (0, 1, 2) and the files opened by
   caml_sys_open (sys.c), read, written and positioned through oe_platform_read/write/lseek;
   errors are the platform's errno values. Buffers are small (RAM is scarce): the size is
   the address of the link-time symbol _oe_io_buffer_size if defined, else OE_IO_BUFFER_SIZE. */
#include <string.h>
#include <errno.h>
#include "runtime.h"
#include "io.h"

#ifndef OE_IO_BUFFER_SIZE
#define OE_IO_BUFFER_SIZE 256
#endif
extern char _oe_io_buffer_size[] __attribute__((weak));

struct channel {
    int fd;                 /* -1 once closed */
    int refcount;           /* custom blocks pointing to it */
    int managed;            /* opened from OCaml (finalized by the GC) */
    int64_t offset;         /* file position at buff (out) / at max (in) */
    char *end, *curr, *max; /* max == NULL: output channel */
    char *name;
    struct channel *next, *prev;
    char buff[];
};
#define Channel(v) (*((struct channel **)Data_custom_val(v)))

static struct channel *all_channels;

/* err: the platform's negative errno result */
static Noreturn void io_error(struct channel *c, intnat err)
{
    oe_sys_error(NO_ARG, c->fd < 0 ? EBADF : err < 0 ? (int)-err : EIO);
}

static void unlink_channel(struct channel *c)
{
    if (c->prev) c->prev->next = c->next; else all_channels = c->next;
    if (c->next) c->next->prev = c->prev;
}

static struct channel *open_descriptor(int fd, int out)
{
    uintnat size = (uintnat)_oe_io_buffer_size;
    if (size == 0) size = OE_IO_BUFFER_SIZE;
    struct channel *c = caml_stat_alloc(sizeof(struct channel) + size);
    c->fd = fd;
    c->refcount = 0;
    c->managed = 0;
    c->offset = oe_platform_lseek(fd, 0, 1);   /* as ocamlrun: -1 if it cannot seek */
    if (c->offset < 0) c->offset = -1;
    c->curr = c->max = c->buff;
    c->end = c->buff + size;
    if (out) c->max = NULL;
    c->name = NULL;
    c->prev = NULL;
    c->next = all_channels;
    if (all_channels) all_channels->prev = c;
    all_channels = c;
    return c;
}

/* ---- the buffer ---- */

/* writes at least one byte of the buffer; returns true if the buffer is then empty */
static int flush_partial(struct channel *c)
{
    intnat towrite = c->curr - c->buff, written;
    if (towrite > 0) {
        written = c->fd < 0 ? -EBADF : oe_platform_write(c->fd, c->buff, (uintnat)towrite);
        if (written <= 0) io_error(c, written);
        c->offset += written;
        if (written < towrite) memmove(c->buff, c->buff + written, (size_t)(towrite - written));
        c->curr -= written;
    }
    return c->curr == c->buff;
}

static void flush(struct channel *c) { while (!flush_partial(c)) {} }

static void putch(struct channel *c, int ch)
{
    if (c->curr >= c->end) flush_partial(c);
    *c->curr++ = (char)ch;
}

/* copies what fits into the buffer (writing it out when full); returns the count taken */
static intnat putblock(struct channel *c, const char *p, intnat len)
{
    intnat free = c->end - c->curr;
    if (len < free) {
        memmove(c->curr, p, (size_t)len);
        c->curr += len;
        return len;
    }
    memmove(c->curr, p, (size_t)free);
    c->curr = c->end;
    flush_partial(c);
    return free;
}

static intnat read_fd(struct channel *c, char *p, intnat n)
{
    intnat r = c->fd < 0 ? -EBADF : oe_platform_read(c->fd, p, (uintnat)n);
    if (r < 0) io_error(c, r);
    return r;
}

static unsigned char refill(struct channel *c)
{
    intnat n = read_fd(c, c->buff, c->end - c->buff);
    if (n == 0) caml_raise_end_of_file();
    c->offset += n;
    c->max = c->buff + n;
    c->curr = c->buff + 1;
    return (unsigned char)c->buff[0];
}

static unsigned char getch(struct channel *c)
{
    return c->curr >= c->max ? refill(c) : (unsigned char)*c->curr++;
}

/* like read(2) on the channel: at most len bytes, 0 at end of file */
static intnat getblock(struct channel *c, char *p, intnat len)
{
    intnat avail = c->max - c->curr, nread;
    if (len <= avail) {
        memmove(p, c->curr, (size_t)len);
        c->curr += len;
        return len;
    }
    if (avail > 0) {
        memmove(p, c->curr, (size_t)avail);
        c->curr += avail;
        return avail;
    }
    nread = read_fd(c, c->buff, c->end - c->buff);
    c->offset += nread;
    c->max = c->buff + nread;
    if (len > nread) len = nread;
    memmove(p, c->buff, (size_t)len);
    c->curr = c->buff + len;
    return len;
}

intnat caml_channel_read_block(value chan, char *buf, intnat len)
{
    return getblock(Channel(chan), buf, len);
}

void caml_channel_write_block(value chan, const char *buf, intnat len)
{
    struct channel *c = Channel(chan);
    while (len > 0) {
        intnat n = putblock(c, buf, len);
        buf += n;
        len -= n;
    }
}

/* ---- the custom block ---- */

static void warn(const char *a, const char *b, const char *c)
{
    oe_platform_write(2, a, strlen(a));
    oe_platform_write(2, b, strlen(b));
    oe_platform_write(2, c, strlen(c));
}

static void finalize_channel(value v)
{
    struct channel *c = Channel(v);
    if (!c->managed || --c->refcount > 0) return;
    if (c->fd != -1 && c->name && caml_runtime_warnings)
        warn("[ocaml] channel opened on file '", c->name, "' dies without being closed\n");
    if (c->max == NULL && c->curr != c->buff) {
        /* unflushed output: kept alive for the at_exit flush, as ocamlrun does */
        if (c->name && caml_runtime_warnings)
            warn("[ocaml] (moreover, it has unflushed data)\n", "", "");
    } else {
        unlink_channel(c);
        caml_stat_free(c->name);
        caml_stat_free(c);
    }
}

static int compare_channel(value v1, value v2)
{
    struct channel *a = Channel(v1), *b = Channel(v2);
    return a == b ? 0 : a < b ? -1 : 1;
}

static intnat hash_channel(value v) { return (intnat)Channel(v); }

static const struct custom_operations channel_ops = {
    "_chan", finalize_channel, compare_channel, hash_channel, custom_serialize_default,
    custom_deserialize_default, custom_compare_ext_default, custom_fixed_length_default
};

static value alloc_channel(struct channel *c)
{
    value res;
    c->refcount++;
    res = caml_alloc_custom_mem(&channel_ops, sizeof(struct channel *),
                                sizeof(struct channel) + (mlsize_t)(c->end - c->buff));
    Channel(res) = c;
    return res;
}

/* ---- primitives ---- */

CAMLprim value caml_ml_open_descriptor_in(value fd)
{
    struct channel *c = open_descriptor(Int_val(fd), 0);
    c->managed = 1;
    return alloc_channel(c);
}

CAMLprim value caml_ml_open_descriptor_out(value fd)
{
    struct channel *c = open_descriptor(Int_val(fd), 1);
    c->managed = 1;
    return alloc_channel(c);
}

CAMLprim value caml_ml_set_channel_name(value vchannel, value vname)
{
    struct channel *c = Channel(vchannel);
    mlsize_t len = caml_string_length(vname);
    caml_stat_free(c->name);
    c->name = NULL;
    if (len > 0) {
        c->name = caml_stat_alloc(len + 1);
        memcpy(c->name, String_val(vname), len + 1);
    }
    return Val_unit;
}

CAMLprim value caml_ml_out_channels_list(value unit)
{
    CAMLparam1(unit);
    CAMLlocal3(res, tail, chan);
    res = Val_emptylist;
    for (struct channel *c = all_channels; c != NULL; c = c->next)
        if (c->max == NULL && c->managed) {
            chan = alloc_channel(c);
            tail = res;
            res = caml_alloc_small(2, 0);
            Field(res, 0) = chan;
            Field(res, 1) = tail;
        }
    CAMLreturn(res);
}

CAMLprim value caml_channel_descriptor(value vchannel)
{
    int fd = Channel(vchannel)->fd;
    if (fd == -1) oe_sys_error(NO_ARG, EBADF);
    return Val_int(fd);
}

CAMLprim value caml_ml_close_channel(value vchannel)
{
    struct channel *c = Channel(vchannel);
    int fd = c->fd, r = 0;
    /* every later read or write goes to refill/flush_partial, which fail */
    c->curr = c->max = c->end;
    c->fd = -1;
    if (fd != -1) r = oe_platform_close(fd);     /* the console is never really closed */
    if (r < 0) oe_sys_error(NO_ARG, -r);
    return Val_unit;
}

static int64_t channel_size(struct channel *c)
{
    int64_t end, r;
    if (c->fd < 0) oe_sys_error(NO_ARG, EBADF);
    end = oe_platform_lseek(c->fd, 0, 2);
    if (end < 0) oe_sys_error(NO_ARG, (int)-end);
    r = oe_platform_lseek(c->fd, c->offset, 0);
    if (r != c->offset) oe_sys_error(NO_ARG, r < 0 ? (int)-r : EIO);
    return end;
}

CAMLprim value caml_ml_channel_size(value vchannel)
{
    int64_t size = channel_size(Channel(vchannel));
    if (size > Max_long) oe_sys_error(NO_ARG, EOVERFLOW);
    return Val_long(size);
}

CAMLprim value caml_ml_channel_size_64(value vchannel)
{
    return caml_copy_int64(channel_size(Channel(vchannel)));
}

/* lseek(fd, dest, SEEK_SET) must land on dest */
static void seek_to(struct channel *c, int64_t dest)
{
    int64_t r = c->fd < 0 ? -EBADF : oe_platform_lseek(c->fd, dest, 0);
    if (r != dest) oe_sys_error(NO_ARG, r < 0 ? (int)-r : EINVAL);
    c->offset = dest;
}

CAMLprim value caml_ml_set_binary_mode(value vchannel, value mode)
{
    (void)vchannel; (void)mode;
    return Val_unit;
}

/* flushing a closed channel does nothing (libraries flush at exit) */
CAMLprim value caml_ml_flush(value vchannel)
{
    struct channel *c = Channel(vchannel);
    if (c->fd != -1) flush(c);
    return Val_unit;
}

CAMLprim value caml_ml_output_char(value vchannel, value ch)
{
    putch(Channel(vchannel), (int)Long_val(ch));
    return Val_unit;
}

CAMLprim value caml_ml_output_int(value vchannel, value w)
{
    struct channel *c = Channel(vchannel);
    uint32_t x = (uint32_t)Long_val(w);
    putch(c, (int)(x >> 24));
    putch(c, (int)(x >> 16));
    putch(c, (int)(x >> 8));
    putch(c, (int)x);
    return Val_unit;
}

CAMLprim value caml_ml_output_bytes(value vchannel, value buff, value start, value length)
{
    caml_channel_write_block(vchannel, &Byte(buff, Long_val(start)), Long_val(length));
    return Val_unit;
}

CAMLprim value caml_ml_output(value vchannel, value buff, value start, value length)
{
    return caml_ml_output_bytes(vchannel, buff, start, length);
}

static void seek_out(struct channel *c, int64_t dest)
{
    flush(c);
    seek_to(c, dest);
}

CAMLprim value caml_ml_seek_out(value vchannel, value pos)
{
    seek_out(Channel(vchannel), Long_val(pos));
    return Val_unit;
}

CAMLprim value caml_ml_seek_out_64(value vchannel, value pos)
{
    seek_out(Channel(vchannel), Int64_val(pos));
    return Val_unit;
}

static value pos_val(int64_t pos)
{
    if (pos > Max_long) oe_sys_error(NO_ARG, EOVERFLOW);
    return Val_long(pos);
}

static int64_t pos_out(struct channel *c) { return c->offset + (c->curr - c->buff); }
static int64_t pos_in(struct channel *c) { return c->offset - (c->max - c->curr); }

CAMLprim value caml_ml_pos_out(value vchannel) { return pos_val(pos_out(Channel(vchannel))); }
CAMLprim value caml_ml_pos_out_64(value vchannel)
{
    return caml_copy_int64(pos_out(Channel(vchannel)));
}

CAMLprim value caml_ml_input_char(value vchannel)
{
    return Val_long(getch(Channel(vchannel)));
}

CAMLprim value caml_ml_input_int(value vchannel)
{
    struct channel *c = Channel(vchannel);
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) r = (r << 8) + getch(c);
    return Val_long((int32_t)r);
}

CAMLprim value caml_ml_input(value vchannel, value buff, value vstart, value vlength)
{
    return Val_long(getblock(Channel(vchannel), (char *)&Byte(buff, Long_val(vstart)),
                             Long_val(vlength)));
}

/* a position still inside the buffer needs no system seek */
static void seek_in(struct channel *c, int64_t dest)
{
    if (dest >= c->offset - (c->max - c->buff) && dest <= c->offset) {
        c->curr = c->max - (c->offset - dest);
    } else {
        seek_to(c, dest);
        c->curr = c->max = c->buff;
    }
}

CAMLprim value caml_ml_seek_in(value vchannel, value pos)
{
    seek_in(Channel(vchannel), Long_val(pos));
    return Val_unit;
}

CAMLprim value caml_ml_seek_in_64(value vchannel, value pos)
{
    seek_in(Channel(vchannel), Int64_val(pos));
    return Val_unit;
}

CAMLprim value caml_ml_pos_in(value vchannel) { return pos_val(pos_in(Channel(vchannel))); }
CAMLprim value caml_ml_pos_in_64(value vchannel)
{
    return caml_copy_int64(pos_in(Channel(vchannel)));
}

/* length of the next line (newline included); -n if n characters are buffered without a
   newline because the buffer is full or the input ended */
CAMLprim value caml_ml_input_scan_line(value vchannel)
{
    struct channel *c = Channel(vchannel);
    char *p = c->curr;
    do {
        if (p >= c->max) {
            if (c->curr > c->buff) {        /* make room: move the unread part down */
                intnat n = c->curr - c->buff;
                memmove(c->buff, c->curr, (size_t)(c->max - c->curr));
                c->curr -= n;
                c->max -= n;
                p -= n;
            }
            if (c->max >= c->end) return Val_long(-(c->max - c->curr));
            intnat n = read_fd(c, c->max, c->end - c->max);
            if (n == 0) return Val_long(-(c->max - c->curr));
            c->offset += n;
            c->max += n;
        }
    } while (*p++ != '\n');
    return Val_long(p - c->curr);
}

/* rows of the terminal: there is none */
CAMLprim value caml_terminfo_rows(value vchannel)
{
    (void)vchannel;
    return Val_int(-1);
}

/* sys.c's primitive, here because it needs the channel: no descriptor is a terminal */
CAMLprim value caml_sys_isatty(value vchannel)
{
    (void)vchannel;
    return Val_false;
}
