/* test_prims.c — compiler/prims.c: lookup in the runtime's primitive list (prims.inc). */
#include "prims.h"
#include <stdio.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *what, const char *arg)
{
    if (ok) { passed++; return; }
    failed++;
    fprintf(stderr, "FAIL: %s %s\n", what, arg ? arg : "");
}

int main(void)
{
    unsigned n;
    const char *const *l = prims_list(&n);
    int sorted = 1, known = 1;
    for (unsigned i = 0; i < n; i++) {
        if (i && strcmp(l[i - 1], l[i]) >= 0) sorted = 0;
        if (!prims_known(l[i])) { known = 0; check(0, "listed but not known:", l[i]); }
    }
    check(sorted, "list sorted and without duplicates", NULL);
    check(known, "every listed primitive is known", NULL);
    check(!prims_known("caml_no_such_primitive_xyz"), "unknown name rejected", NULL);
    check(!prims_known(""), "empty name rejected", NULL);
    if (n) {
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)strlen(l[0]) - 1, l[0]);
        int listed = 0;
        for (unsigned i = 0; i < n; i++) listed |= !strcmp(l[i], buf);
        check(prims_known(buf) == listed, "a proper prefix is known only if listed:", buf);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
