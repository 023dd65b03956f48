/* prims.c — lookup in the list of primitives provided by the runtime. */
#include "prims.h"
#include <stdlib.h>
#include <string.h>

#define P(s) s,
static const char *names[] = {
#include "prims.inc"
    NULL    /* sentinel: keeps the initializer valid when the list is empty */
};
#undef P

static unsigned count;
static int sorted;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void init(void)
{
    if (sorted) return;
    count = (unsigned)(sizeof names / sizeof names[0]) - 1;
    /* gen-prims.sh sorts with sort(1), whose order depends on the locale: sort again */
    qsort(names, count, sizeof names[0], cmp);
    sorted = 1;
}

/* Names defined by user C objects linked into the image (unikernel directories). */
static const char **extra;
static unsigned n_extra;

void prims_add_extra(const char *name)
{
    extra = realloc(extra, (n_extra + 1) * sizeof *extra);
    if (!extra) abort();
    extra[n_extra++] = name;
}

int prims_known(const char *name)
{
    init();
    for (unsigned i = 0; i < n_extra; i++)
        if (!strcmp(extra[i], name)) return 1;
    return bsearch(&name, names, count, sizeof names[0], cmp) != NULL;
}

const char *const *prims_list(unsigned *n)
{
    init();
    *n = count;
    return names;
}
