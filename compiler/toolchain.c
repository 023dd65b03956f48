/* toolchain.c — locating and invoking external tools. No shell is involved: arguments are
   passed as vectors, so file names with spaces or quotes are safe. */
#include "toolchain.h"
#include "diag.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *tc_root(void)
{
    static char root[PATH_MAX];
    if (root[0]) return root;
    const char *env = getenv("OCAML_ESP32_ROOT");
    if (env && *env) {
        snprintf(root, sizeof root, "%s", env);
    } else {
        ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
        if (n <= 0) diag_fatal(NULL, "cannot locate the ocaml-esp32 installation (readlink /proc/self/exe: %s)", strerror(errno));
        root[n] = 0;
        for (int up = 0; up < 2; up++) {     /* <root>/bin/ocaml-esp32 */
            char *slash = strrchr(root, '/');
            if (!slash) break;
            *slash = 0;
        }
    }
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/build/target", root);
    if (!is_dir(probe))
        diag_fatal(NULL, "the target runtime is not built (%s missing): run `make` in %s", probe, root);
    return root;
}

const char *tc_require(const char *prog, const char *debian_package)
{
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    size_t plen = strlen(prog);
    for (const char *p = path; *p;) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        char *cand = xmalloc(dlen + plen + 2);
        memcpy(cand, p, dlen);
        cand[dlen] = '/';
        memcpy(cand + dlen + 1, prog, plen + 1);
        if (dlen && access(cand, X_OK) == 0) return cand;
        free(cand);
        if (!end) break;
        p = end + 1;
    }
    diag_fatal(NULL, "%s not found in PATH: install the Debian package %s (apt-get install %s)",
               prog, debian_package, debian_package);
}

int tc_run(char *const argv[])
{
    return tc_run_errfile(argv, NULL);
}

int tc_run_errfile(char *const argv[], const char *err_path)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) diag_fatal(NULL, "fork: %s", strerror(errno));
    if (pid == 0) {
        if (err_path) {
            int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0) {
                fprintf(stderr, "ocaml-esp32: error: cannot create %s: %s\n", err_path, strerror(errno));
                _exit(127);
            }
            dup2(fd, 2);
            close(fd);
        }
        execv(argv[0], argv);
        fprintf(stderr, "ocaml-esp32: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) diag_fatal(NULL, "waitpid: %s", strerror(errno));
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}

int tc_run_capture(char *const argv[], int from_stderr, char **out)
{
    int fd[2];
    fflush(stdout);
    fflush(stderr);
    if (pipe(fd) < 0) diag_fatal(NULL, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) diag_fatal(NULL, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], from_stderr ? 2 : 1);
        close(fd[1]);
        execv(argv[0], argv);
        fprintf(stderr, "ocaml-esp32: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0, cap = 4096;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        ssize_t n = read(fd[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = 0;
    close(fd[0]);
    *out = buf;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) diag_fatal(NULL, "waitpid: %s", strerror(errno));
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}

static char tmpdir[64];

static void rm_tmpdir(void)
{
    if (!tmpdir[0] || getenv("OCAML_ESP32_KEEP_TMP")) return;
    char *argv[] = { "/bin/rm", "-rf", tmpdir, NULL };
    tc_run(argv);
}

const char *tc_tmpdir(void)
{
    if (tmpdir[0]) return tmpdir;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/ocaml-esp32.XXXXXX", base && strlen(base) < 32 ? base : "/tmp");
    if (!mkdtemp(tmpdir)) diag_fatal(NULL, "cannot create a temporary directory: %s", strerror(errno));
    atexit(rm_tmpdir);
    return tmpdir;
}


/* One line summarizing a tool's error output: its first error line (else its first line)
   and how many more lines there were. */
static char *summarize_errors(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char line[1024], first[1024] = "", first_err[1024] = "";
    long lines = 0;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        int whole = n && line[n - 1] == '\n';
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n) {
            lines++;
            if (!first[0]) snprintf(first, sizeof first, "%s", line);
            if (!first_err[0] && (strstr(line, "error") || strstr(line, "dangerous relocation") ||
                                  strstr(line, "undefined reference") || strstr(line, "overflow") ||
                                  strstr(line, "cannot") || strstr(line, "multiple definition")))
                snprintf(first_err, sizeof first_err, "%s", line);
        }
        while (!whole && fgets(line, sizeof line, f)) {   /* skip the rest of a long line */
            size_t m = strlen(line);
            whole = m && line[m - 1] == '\n';
        }
    }
    fclose(f);
    if (!lines) return NULL;
    const char *pick = first_err[0] ? first_err : first;
    if (lines == 1) return fmt("%s", pick);
    return fmt("%s (%ld more line%s)", pick, lines - 1, lines > 2 ? "s" : "");
}

void tc_link(const char *obj, const tc_image_opts *o, const char *out_elf)
{
    char *err = NULL;
    int rc = tc_link_try(obj, o, out_elf, &err);
    if (rc != 0) {
        if (err) diag_fatal(out_elf, "linking failed: %s", err);
        diag_fatal(out_elf, "linking failed (xtensa-lx106-elf-ld exit status %d)", rc);
    }
    free(err);
}

int tc_link_try(const char *obj, const tc_image_opts *o, const char *out_elf, char **err)
{
    const char *ld = tc_require("xtensa-lx106-elf-ld", "binutils-xtensa-lx106");
    const char *root = tc_root();
    const char *libc_dir = "/usr/lib/xtensa-lx106-elf/lib";
    const char *libgcc = "/usr/lib/gcc/xtensa-lx106-elf/12.2.0/libgcc.a";
    if (access(libc_dir, R_OK) != 0)
        diag_fatal(NULL, "%s missing: install the Debian package picolibc-xtensa-lx106-elf", libc_dir);
    if (access(libgcc, R_OK) != 0)
        diag_fatal(NULL, "%s missing: install the Debian package gcc-xtensa-lx106", libgcc);
    char *rt = fmt("%s/build/target/%s/libocamlrt.a", root, o->cpu);
    char *plat = fmt("%s/build/target/%s/%s-platform.a", root, o->cpu, o->platform);
    if (access(rt, R_OK) != 0 || access(plat, R_OK) != 0)
        diag_fatal(NULL, "runtime for cpu %s is not built (%s): run `make` in %s", o->cpu, rt, root);
    char **argv = xmalloc((40 + (size_t)o->n_extra_objs) * sizeof *argv);
    int n = 0;
    argv[n++] = (char *)ld;
    argv[n++] = fmt("-L%s/platform/%s", root, o->platform);
    argv[n++] = "-T";
    argv[n++] = fmt("%s/platform/%s/%s.ld", root, o->platform, o->cpu);
    argv[n++] = "--gc-sections";
    if (o->heap_bytes) argv[n++] = fmt("--defsym=_oe_heap_size=%u", o->heap_bytes);
    if (o->minor_bytes) argv[n++] = fmt("--defsym=_oe_minor_size=%u", o->minor_bytes);
    if (o->stack_bytes) argv[n++] = fmt("--defsym=_oe_stack_size=%u", o->stack_bytes);
    if (o->c_heap_bytes) argv[n++] = fmt("--defsym=_oe_c_heap_size=%u", o->c_heap_bytes);
    if (o->c_stack_bytes) argv[n++] = fmt("--defsym=_oe_c_stack_size=%u", o->c_stack_bytes);
    if (o->cpu_mhz) argv[n++] = fmt("--defsym=_oe_cpu_mhz=%u", o->cpu_mhz);
    if (o->irom_start) argv[n++] = fmt("--defsym=_oe_irom_start=0x%x", o->irom_start);
    if (o->stats) argv[n++] = "--defsym=_oe_stats=1";
    argv[n++] = (char *)obj;
    for (int i = 0; i < o->n_extra_objs; i++) argv[n++] = (char *)o->extra_objs[i];
    argv[n++] = "--start-group";
    argv[n++] = rt;
    argv[n++] = plat;
    argv[n++] = fmt("%s/libc.a", libc_dir);
    argv[n++] = fmt("%s/libm.a", libc_dir);
    argv[n++] = (char *)libgcc;
    argv[n++] = "--end-group";
    argv[n++] = "-o";
    argv[n++] = (char *)out_elf;
    argv[n] = NULL;
    char *errpath = fmt("%s/ld-errors.txt", tc_tmpdir());
    int rc = tc_run_errfile(argv, errpath);
    *err = NULL;
    if (rc != 0) {
        *err = summarize_errors(errpath);
    } else {                     /* warnings: pass them through (they are few) */
        FILE *f = fopen(errpath, "r");
        if (f) {
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stderr);
            fclose(f);
        }
    }
    unlink(errpath);
    free(errpath);
    return rc;
}

uint32_t tc_parse_cpu_mhz(const char *what, const char *s)
{
    if (!strcmp(s, "80") || !strcmp(s, "160") || !strcmp(s, "240")) return (uint32_t)atoi(s);
    diag_fatal(NULL, "%s: the ESP32 runs at 80, 160 or 240 MHz, got '%s'", what, s);
}
