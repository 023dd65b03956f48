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

int prims_known(const char *name)
{
    init();
    return bsearch(&name, names, count, sizeof names[0], cmp) != NULL;
}

const char *const *prims_list(unsigned *n)
{
    init();
    *n = count;
    return names;
}
