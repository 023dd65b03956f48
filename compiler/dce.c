/* dce.c — dead-code elimination over a bytecode program (like js_of_ocaml's deadcode pass).

   Functions are the code regions entered at CLOSURE / CLOSUREREC targets; the init code at
   pc 0 is function 0 and always live. Each function's instructions are those reachable
   from its entry by control flow (branches, SWITCH, PUSHTRAP handlers, PUSH_RETADDR return
   points; the RESTART before a GRAB entry belongs to it): exactly what the emitter needs.
   A live function's body is analysed once (worklist to a fixpoint); a function is live when
   called or when a closure of it ESCAPES. A function that is only partially applied keeps
   just its RESTART + GRAB (the emitter ends the stub with caml_dead_code).

   Abstract interpretation of accu and stack per function (states merged at join points):
     U          nothing tracked: ints, results of unknown calls, arguments, exceptions, ...
     CLO(f)     a closure of f (CLOSURE, CLOSUREREC, OFFSETCLOSURE, ENVACC of one)
     BLK        a block built by MAKEBLOCK (fields abstract), a union of up to MAX_UNION
                values (joins, SWITCH-built tuples), or a partial application of f
     G(s, path) what is at path inside slot s: s = global n (the value SETGLOBAL n stored:
                module blocks, nested submodules) or s = the results of function f (so that
                the fields of a functor application's result stay separate)
   Escaping a value makes what it describes usable by code the analysis does not follow:
   CLO(f) makes f live, its results and environment escape; a block escapes its fields;
   G(s, path) escapes what slot s holds at path, now and for values added later. Escape:
   arguments of every call and C_CALL, callees that are not a known function applied to
   exactly its arity, values stored by SETFIELD / SETVECTITEM / ASSIGN, raised values,
   results of escaped functions, arrays read at an unknown index, a second SETGLOBAL of a
   global. Instructions that only read bits (arithmetic, tests, float/string reads) need no
   escape. ENVACC reads the values captured at the closure's site (sites are analysed before
   the closures' bodies; later captures escape). Anything unexpected (inconsistent stack
   depths, shared code, primitives that expose the global table or code, ...) makes the
   analysis give up: everything is kept.

   Soundness invariant: at run time every value either is described by its abstract value
   or has escaped (then everything reachable from it is live and escaped). U describes only
   escaped values, so merging U into x gives x; values that differ at a join become a
   union; stores the analysis does not track escape the stored value, so a stale abstract
   field or slot is harmless. Consequences: a function runs only if called at a site whose
   callee abstractly is that function (which makes it live) or if its closure escaped; a
   function's result reaches either such a call site (G(results of f)) or escaped code.
   Known callees through globals resolve only through globals stored once (a value stored
   later could not be described); argument values are not tracked into callees because a
   believed-known callee may really be an escaped closure.
   Writes: a block that analysed code stores into, or that is exposed, may change after its
   creation; its MAKEBLOCK site is recorded in dce_info.blk_unsafe (callees.c trusts the
   fields of blocks from the other sites). Exposure is escape without the rule "the
   environment of an escaped closure escapes", which stands for Obj reading a closure's
   environment: the code that receives the closure can only run it, and what that code
   does with its environment is analysed. Like ocamlopt, which keeps environments in its
   own layout, this assumes that no program changes a closure's environment through Obj.
   Debugging: OCAML_ESP32_DCE_STATS=1 (summary, printed by emit.c), OCAML_ESP32_DCE_DUMP=1
   (live functions), OCAML_ESP32_DCE_TRACE=1 (where closures and whole globals escape). */
#include "dce.h"
#include "diag.h"
#include "vec32.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- abstract values: tag in the low 2 bits ---- */
enum { T_U = 0, T_CLO = 1, T_BLK = 2, T_G = 3 };
#define U 0u
#define MK(t, x) ((uint32_t)(x) << 2 | (uint32_t)(t))
#define TAG(v) ((v) & 3u)
#define ID(v) ((v) >> 2)
#define NONE UINT32_MAX
#define TOP MK(T_BLK, 0)      /* node 0: "gave up here", behaves like U, absorbs merges */
#define MAX_UNION 8



/* grabbed: partially applied, so its RESTART + GRAB must exist even if the body is dead;
   pap: the node standing for its partial applications (0 none yet). */
typedef struct { uint32_t entry, group, index, arity, pap; uint8_t live, done, grabbed; } func;
/* Closures of one CLOSURE / CLOSUREREC site: functions first..first+n-1 sharing env[nvars]
   (the captured values, merged over executions of the site). */
typedef struct { uint32_t first, n, nvars; uint32_t *env; uint8_t live, env_escaped, frozen; } group;
/* A block (MAKEBLOCK fields in pool), a union (its members in pool: distinct, never U/TOP/
   union) or a partial application of function `first` (size 0). */
enum { N_BLOCK, N_UNION, N_PAP };
typedef struct { uint32_t first, size, site; uint8_t kind, escaped, exposed; } node;   /* site: the
   MAKEBLOCK instruction of a block, else NONE */
/* parent NONE: root slot k. Paths are cut at MAX_PATH: k = ANY stands for any deeper path
   (a recursive function returning a field of its own result would grow them forever). */
typedef struct { uint32_t parent, k; uint16_t depth; uint8_t escaped, exposed, written; } gref;
#define ANY (UINT32_MAX - 1)
#define MAX_PATH 12
/* Roots of G values: slot n < nglob is global n (values: what SETGLOBAL n stored), slot
   nglob + f is what function f returns. esc / exp / wr: grefs rooted here that escaped /
   were exposed / whose block analysed code writes, to apply to values added later. */
typedef struct { vec32 values, esc, exp, wr; } slot;
typedef struct { int32_t depth; uint32_t accu; uint32_t s[]; } state;   /* s[depth-1] = top */

typedef struct dctx {
    const bc_program *p;
    dce_info *out;
    const char *fail;
    uint32_t *func_at;        /* per insn: function id + 1 entered there, 0 none */
    uint8_t *join;            /* per insn: a branch / handler / return-point target */
    uint32_t *owner;          /* per insn: function id + 1 that reached it, 0 none */
    func *f; uint32_t nf;
    group *g; uint32_t ng;
    node *nodes; uint32_t nnodes, capnodes;
    vec32 pool;
    gref *gr; uint32_t ngr, capgr;
    uint32_t *ht; uint32_t htcap;   /* gref interning: (parent, k) -> id + 1 */
    slot *slots; uint32_t nglob, nslots;
    vec32 fwork, esc, exp, path, tmp;
    /* per-function analysis */
    uint32_t fid;
    state **st;               /* per insn: merged state at a join point */
    vec32 touched, heap;
    uint8_t *queued;
    state *cur; int32_t curcap;
    uint32_t at;              /* instruction being analysed (for OCAML_ESP32_DCE_TRACE) */
    int trace;
} dctx;

static void give_up(dctx *c, const char *why) { if (!c->fail) c->fail = why; }

/* ---- nodes ---- */

static uint32_t new_node(dctx *c, int kind, const uint32_t *v, uint32_t n)
{
    if (c->nnodes == c->capnodes) {
        c->capnodes = c->capnodes ? 2 * c->capnodes : 1024;
        c->nodes = xrealloc(c->nodes, c->capnodes * sizeof *c->nodes);
    }
    uint32_t first = c->pool.n;
    for (uint32_t i = 0; i < n; i++) vpush(&c->pool, v[i]);
    c->nodes[c->nnodes] = (node){ first, n, NONE, (uint8_t)kind, 0, 0 };
    return MK(T_BLK, c->nnodes++);
}

static int is_union(const dctx *c, uint32_t v) { return TAG(v) == T_BLK && c->nodes[ID(v)].kind == N_UNION; }

/* Appends the possibilities of v to out (deduplicated). */
static void add_members(dctx *c, vec32 *out, uint32_t v)
{
    if (v == U || v == TOP) return;
    uint32_t n = 1;
    const uint32_t *m = &v;
    if (is_union(c, v)) { n = c->nodes[ID(v)].size; m = &c->pool.v[c->nodes[ID(v)].first]; }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = m[i], j = 0;
        while (j < out->n && out->v[j] != x) j++;
        if (j == out->n) vpush(out, x);
    }
}

/* ---- global references ---- */

static uint32_t hash2(uint32_t a, uint32_t b) { return (a * 0x9E3779B1u) ^ (b * 0x85EBCA77u + 0x165667B1u); }

static uint32_t intern(dctx *c, uint32_t parent, uint32_t k)
{
    uint16_t depth = parent == NONE ? 0 : (uint16_t)(c->gr[parent].depth + 1);
    if (parent != NONE && c->gr[parent].k == ANY) return parent;
    if (depth > MAX_PATH) k = ANY;
    if (2 * (c->ngr + 1) > c->htcap) {        /* grow and rehash */
        uint32_t cap = c->htcap ? 2 * c->htcap : 1024;
        uint32_t *ht = xcalloc(cap, sizeof *ht);
        for (uint32_t i = 0; i < c->ngr; i++) {
            uint32_t h = hash2(c->gr[i].parent, c->gr[i].k) & (cap - 1);
            while (ht[h]) h = (h + 1) & (cap - 1);
            ht[h] = i + 1;
        }
        free(c->ht);
        c->ht = ht;
        c->htcap = cap;
    }
    uint32_t h = hash2(parent, k) & (c->htcap - 1);
    for (; c->ht[h]; h = (h + 1) & (c->htcap - 1)) {
        const gref *r = &c->gr[c->ht[h] - 1];
        if (r->parent == parent && r->k == k) return c->ht[h] - 1;
    }
    if (c->ngr == c->capgr) {
        c->capgr = c->capgr ? 2 * c->capgr : 1024;
        c->gr = xrealloc(c->gr, c->capgr * sizeof *c->gr);
    }
    c->gr[c->ngr] = (gref){ parent, k, depth, 0, 0, 0 };
    c->ht[h] = c->ngr + 1;
    return c->ngr++;
}

static uint32_t global_ref(dctx *c, uint32_t n)
{
    if (n >= c->nglob) { give_up(c, "GETGLOBAL beyond the global table"); n = 0; }
    c->out->global_read[n] = 1;
    return MK(T_G, intern(c, NONE, n));
}

static uint32_t ret_ref(dctx *c, uint32_t fid) { return MK(T_G, intern(c, NONE, c->nglob + fid)); }

/* Field indices from root to r into path (reversed: path->v[path->n - 1] is the first);
   returns the root slot. */
static uint32_t get_path(dctx *c, uint32_t r, vec32 *path)
{
    path->n = 0;
    while (c->gr[r].parent != NONE) { vpush(path, c->gr[r].k); r = c->gr[r].parent; }
    return c->gr[r].k;
}

/* ---- escape ---- */

/* Pushes onto out (escape or exposure list) what is at path[0..i) (reversed) inside v. */
static void nav(dctx *c, uint32_t v, const vec32 *path, uint32_t i, vec32 *out)
{
    for (;;) {
        if (v == U || v == TOP) return;
        if (i == 0 || TAG(v) == T_CLO) { vpush(out, v); return; }
        uint32_t k = path->v[i - 1];
        if (k == ANY) { vpush(out, v); return; }      /* somewhere inside v: all of it */
        if (TAG(v) == T_G) {
            uint32_t leaf = ID(v);
            for (; i > 0; i--) leaf = intern(c, leaf, path->v[i - 1]);
            vpush(out, MK(T_G, leaf));
            return;
        }
        const node *b = &c->nodes[ID(v)];
        if (b->kind == N_UNION) {
            uint32_t first = b->first, n = b->size;
            for (uint32_t j = 0; j < n; j++) nav(c, c->pool.v[first + j], path, i, out);
            return;
        }
        if (k >= b->size) { vpush(out, v); return; }   /* not what we thought: all of it */
        v = c->pool.v[b->first + k];
        i--;
    }
}

static void drain(dctx *c);

/* v reaches code the analysis does not follow: it escapes and is exposed */
static void escape(dctx *c, uint32_t v)
{
    if (v == U || v == TOP) return;
    vpush(&c->esc, v);
    vpush(&c->exp, v);
    drain(c);
}

/* f's code will run: analyse it. */
static void make_live(dctx *c, uint32_t fid)
{
    if (c->f[fid].live) return;
    c->f[fid].live = 1;
    c->g[c->f[fid].group].live = 1;
    vpush(&c->fwork, fid);
}

static void nav_write(dctx *c, uint32_t v, const uint32_t *path, uint32_t i);

static void add_value(dctx *c, uint32_t s, uint32_t v)
{
    if (v == U || v == TOP) return;
    vpush(&c->slots[s].values, v);
    for (uint32_t i = 0; i < c->slots[s].esc.n; i++) {
        get_path(c, c->slots[s].esc.v[i], &c->path);
        nav(c, v, &c->path, c->path.n, &c->esc);
    }
    for (uint32_t i = 0; i < c->slots[s].exp.n; i++) {
        get_path(c, c->slots[s].exp.v[i], &c->path);
        nav(c, v, &c->path, c->path.n, &c->exp);
    }
    drain(c);
    for (uint32_t i = 0; i < c->slots[s].wr.n; i++) {
        vec32 path = { 0 };
        get_path(c, c->slots[s].wr.v[i], &path);
        nav_write(c, v, path.v, path.n);
        free(path.v);
    }
}

/* ---- writes into blocks (for dce_info.blk_unsafe) ----
   A block that analysed code writes into (SETFIELD, SETVECTITEM, ...) may later hold other
   values than at its creation: its MAKEBLOCK site is unsafe, as is the site of a block that
   escapes (unknown code may write into it, e.g. with Obj). Where the written block is not
   precisely known, what may contain it escapes. */

static void mark_site(dctx *c, const node *b)
{
    if (b->kind == N_BLOCK && b->site != NONE) c->out->blk_unsafe[b->site] = 1;
}

static void write_g(dctx *c, uint32_t r)
{
    if (c->gr[r].written) return;
    c->gr[r].written = 1;
    vec32 path = { 0 };
    uint32_t s = get_path(c, r, &path);
    vpush(&c->slots[s].wr, r);
    for (uint32_t i = 0; i < c->slots[s].values.n; i++) nav_write(c, c->slots[s].values.v[i], path.v, path.n);
    free(path.v);
}

/* The block at path[0..i) (reversed) inside v is written. */
static void nav_write(dctx *c, uint32_t v, const uint32_t *path, uint32_t i)
{
    for (;;) {
        if (v == U || v == TOP) return;
        if (TAG(v) == T_G) {
            uint32_t leaf = ID(v);
            for (; i > 0 && c->gr[leaf].k != ANY; i--) leaf = intern(c, leaf, path[i - 1]);
            if (c->gr[leaf].k == ANY) escape(c, MK(T_G, leaf));   /* somewhere inside */
            else write_g(c, leaf);
            return;
        }
        if (TAG(v) == T_CLO) { escape(c, v); return; }
        const node *b = &c->nodes[ID(v)];
        if (b->kind == N_UNION) {
            uint32_t first = b->first, n = b->size;
            for (uint32_t j = 0; j < n; j++) nav_write(c, c->pool.v[first + j], path, i);
            return;
        }
        if (i == 0 && b->kind == N_BLOCK) { mark_site(c, b); return; }
        if (i == 0 || b->kind != N_BLOCK || path[i - 1] == ANY || path[i - 1] >= b->size) {
            escape(c, v);          /* not what we thought: all of it */
            return;
        }
        v = c->pool.v[b->first + path[i - 1]];
        i--;
    }
}

static void write_target(dctx *c, uint32_t v) { nav_write(c, v, NULL, 0); }

static void drain(dctx *c)
{
    while (c->esc.n) {
        uint32_t v = c->esc.v[--c->esc.n];
        switch (TAG(v)) {
        case T_CLO: {   /* unknown code may call it (any arguments), gets its results and may
                           read its environment (Obj) */
            if (c->trace && !c->g[c->f[ID(v)].group].env_escaped)
                fprintf(stderr, "dce: escape %u at pc %u\n", c->p->insns[c->f[ID(v)].entry].pc, c->p->insns[c->at].pc);
            make_live(c, ID(v));
            vpush(&c->esc, ret_ref(c, ID(v)));
            group *g = &c->g[c->f[ID(v)].group];
            if (g->env_escaped) break;
            g->env_escaped = 1;
            for (uint32_t i = 0; i < g->nvars; i++) vpush(&c->esc, g->env[i]);
            break;
        }
        case T_BLK: {
            node *b = &c->nodes[ID(v)];
            if (b->escaped) break;
            b->escaped = 1;
            if (b->kind == N_PAP) vpush(&c->esc, MK(T_CLO, b->first));   /* may be applied */
            for (uint32_t i = 0; i < b->size; i++) vpush(&c->esc, c->pool.v[b->first + i]);
            break;
        }
        case T_G: {
            uint32_t r = ID(v);
            if (c->gr[r].escaped) break;
            c->gr[r].escaped = 1;
            uint32_t s = get_path(c, r, &c->path);
            if (c->trace && c->path.n == 0)
                fprintf(stderr, "dce: escape all of %s %u at pc %u\n", s < c->nglob ? "global" : "result of",
                        s < c->nglob ? s : c->p->insns[c->f[s - c->nglob].entry].pc, c->p->insns[c->at].pc);
            vpush(&c->slots[s].esc, r);
            for (uint32_t i = 0; i < c->slots[s].values.n; i++)
                nav(c, c->slots[s].values.v[i], &c->path, c->path.n, &c->esc);
            break;
        }
        default:
            break;
        }
    }
    /* Exposure: as escape, except that the environment of an escaped closure is not
       exposed (code that gets the closure can only run it, and its code is analysed: what
       it does with its environment escapes where it happens). */
    while (c->exp.n) {
        uint32_t v = c->exp.v[--c->exp.n];
        switch (TAG(v)) {
        case T_CLO: vpush(&c->exp, ret_ref(c, ID(v))); break;
        case T_BLK: {
            node *b = &c->nodes[ID(v)];
            if (b->exposed) break;
            b->exposed = 1;
            mark_site(c, b);
            if (b->kind == N_PAP) vpush(&c->exp, MK(T_CLO, b->first));
            for (uint32_t i = 0; i < b->size; i++) vpush(&c->exp, c->pool.v[b->first + i]);
            break;
        }
        case T_G: {
            uint32_t r = ID(v);
            if (c->gr[r].exposed) break;
            c->gr[r].exposed = 1;
            uint32_t s = get_path(c, r, &c->path);
            vpush(&c->slots[s].exp, r);
            for (uint32_t i = 0; i < c->slots[s].values.n; i++)
                nav(c, c->slots[s].values.v[i], &c->path, c->path.n, &c->exp);
            break;
        }
        default:
            break;
        }
    }
}

static void set_global(dctx *c, uint32_t n, uint32_t v)
{
    if (n >= c->nglob) { give_up(c, "SETGLOBAL beyond the global table"); return; }
    /* a second store may replace what direct calls were resolved against: it escapes */
    if (c->slots[n].values.n) escape(c, v);
    else add_value(c, n, v);
}

/* ---- values ---- */

static uint32_t make_union(dctx *c, vec32 *m)
{
    if (m->n == 0) return U;
    if (m->n == 1) return m->v[0];
    if (m->n > MAX_UNION) {
        for (uint32_t i = 0; i < m->n; i++) escape(c, m->v[i]);
        return TOP;
    }
    return new_node(c, 1, m->v, m->n);
}

/* The least value covering a and b (U: nothing tracked, is the bottom). *changed if not a. */
static uint32_t merge(dctx *c, uint32_t a, uint32_t b, int *changed)
{
    if (a == b || b == U) return a;
    if (a == TOP) { escape(c, b); return a; }
    *changed = 1;
    if (a == U) return b;
    if (b == TOP) { escape(c, a); return TOP; }
    vec32 m = { 0 };
    add_members(c, &m, a);
    uint32_t na = m.n;
    add_members(c, &m, b);
    uint32_t r = a;
    if (m.n == na) *changed = 0;
    else r = make_union(c, &m);
    free(m.v);
    return r;
}

static uint32_t get_field(dctx *c, uint32_t v, uint32_t k)
{
    switch (TAG(v)) {
    case T_G: return MK(T_G, intern(c, ID(v), k));
    case T_BLK: {
        const node *b = &c->nodes[ID(v)];
        if (b->kind == N_UNION) {
            vec32 m = { 0 };
            uint32_t first = b->first, n = b->size;
            for (uint32_t j = 0; j < n; j++) add_members(c, &m, get_field(c, c->pool.v[first + j], k));
            uint32_t r = make_union(c, &m);
            free(m.v);
            return r;
        }
        if (k < b->size) return c->pool.v[b->first + k];
        escape(c, v);
        return U;
    }
    case T_CLO: escape(c, v); return U;
    default: return U;
    }
}

/* The function v certainly is a closure of (or NONE), resolving module paths through
   globals set once. A stale answer is harmless: a value stored over it has escaped. */
static uint32_t known_callee(dctx *c, uint32_t v, int depth)
{
    if (TAG(v) == T_CLO) return ID(v);
    if (TAG(v) != T_G || depth > 32) return NONE;
    vec32 path = { 0 };
    uint32_t s = get_path(c, ID(v), &path), r = NONE;
    if (s < c->nglob && c->slots[s].values.n == 1) {
        uint32_t x = c->slots[s].values.v[0], i = path.n;
        for (; i > 0; i--) {
            uint32_t k = path.v[i - 1];
            if (TAG(x) == T_G || k == ANY) break;
            if (TAG(x) != T_BLK || is_union(c, x) || k >= c->nodes[ID(x)].size) { x = U; break; }
            x = c->pool.v[c->nodes[ID(x)].first + k];
        }
        if (i > 0 && path.v[i - 1] == ANY) {
            r = NONE;
        } else if (TAG(x) == T_G) {
            uint32_t leaf = ID(x);
            for (; i > 0; i--) leaf = intern(c, leaf, path.v[i - 1]);
            r = known_callee(c, MK(T_G, leaf), depth + 1);
        } else if (TAG(x) == T_CLO) {
            r = ID(x);
        }
    }
    free(path.v);
    return r;
}

/* ---- the abstract machine state ---- */

static void reserve(dctx *c, int32_t depth)
{
    if (c->cur && depth <= c->curcap) return;
    int32_t cap = c->curcap ? c->curcap : 64;
    while (cap < depth) cap *= 2;
    c->cur = xrealloc(c->cur, sizeof(state) + (size_t)cap * sizeof(uint32_t));
    c->curcap = cap;
}

static uint32_t SP(dctx *c, int32_t k)     /* sp[k]; beyond the function's own slots: U */
{
    return k >= 0 && k < c->cur->depth ? c->cur->s[c->cur->depth - 1 - k] : U;
}

static void push(dctx *c, uint32_t v)
{
    reserve(c, c->cur->depth + 1);
    c->cur->s[c->cur->depth++] = v;
}

static void pop(dctx *c, int32_t n)
{
    if (n < 0) { give_up(c, "negative pop"); return; }
    c->cur->depth = n > c->cur->depth ? 0 : c->cur->depth - n;
}

static void escape_args(dctx *c, int32_t n)    /* sp[0..n) */
{
    for (int32_t k = 0; k < n; k++) escape(c, SP(c, k));
}

/* A call of callee with the nargs arguments sp[0..nargs), which escape (parameters are not
   tracked: a callee believed known may be an escaped closure, see known_callee). Exactly
   `arity` arguments to a known function: its code runs with no partial application and no
   extra arguments, so the result is what it returns. Otherwise the callee escapes. */
static uint32_t call(dctx *c, uint32_t callee, int32_t nargs)
{
    escape_args(c, nargs);
    uint32_t f = known_callee(c, callee, 0);
    if (f != NONE && (int32_t)c->f[f].arity == nargs) { make_live(c, f); return ret_ref(c, f); }
    if (f != NONE && (int32_t)c->f[f].arity > nargs) {
        /* GRAB builds a partial application: only f's RESTART + GRAB run now, the body when
           the partial application is applied (which makes it escape) */
        func *fn = &c->f[f];
        fn->grabbed = 1;
        if (!fn->pap) fn->pap = ID(new_node(c, N_PAP, NULL, 0));
        c->nodes[fn->pap].first = f;
        return MK(T_BLK, fn->pap);
    }
    escape(c, callee);
    return U;
}

static void ret(dctx *c, uint32_t v)
{
    if (c->fid == 0) escape(c, v);
    else add_value(c, c->nglob + c->fid, v);
}

/* Merges the current state (with accu replaced by `accu`) into the state at join point t. */
static void flow_to(dctx *c, uint32_t t, uint32_t accu)
{
    if (t >= c->p->ninsns) { give_up(c, "branch outside the code"); return; }
    state *cur = c->cur;
    state *s = c->st[t];
    int changed = 0;
    if (!s) {
        s = xmalloc(sizeof(state) + (size_t)cur->depth * sizeof(uint32_t));
        s->depth = cur->depth;
        s->accu = accu;
        memcpy(s->s, cur->s, (size_t)cur->depth * sizeof(uint32_t));
        c->st[t] = s;
        vpush(&c->touched, t);
        changed = 1;
    } else if (s->depth != cur->depth) {
        give_up(c, "inconsistent stack depth at a join");
        return;
    } else {
        s->accu = merge(c, s->accu, accu, &changed);
        for (int32_t k = 0; k < s->depth; k++) s->s[k] = merge(c, s->s[k], cur->s[k], &changed);
    }
    if (changed && !c->queued[t]) { c->queued[t] = 1; heap_push(&c->heap, t); }
}

static uint32_t new_block(dctx *c, uint32_t size)   /* fields: accu, sp[0..size-2] */
{
    c->tmp.n = 0;
    vpush(&c->tmp, c->cur->accu);
    for (uint32_t k = 0; k + 1 < size; k++) vpush(&c->tmp, SP(c, (int32_t)k));
    uint32_t b = new_node(c, N_BLOCK, c->tmp.v, size);
    c->nodes[ID(b)].site = c->at;
    return b;
}

/* Closure creation: records the captured values (accu, sp[0..nvars-2]) as the group's
   environment, read back by ENVACC in its functions. Once a function of the group has been
   analysed (its view of the environment is fixed) or the closure escaped, they escape. */
static void capture(dctx *c, uint32_t gi, int32_t nvars)
{
    if (nvars <= 0) return;
    group *g = &c->g[gi];
    if (!g->env) { g->nvars = (uint32_t)nvars; g->env = xcalloc((size_t)nvars, sizeof *g->env); }
    if (g->nvars != (uint32_t)nvars) { give_up(c, "closure site with two sizes"); return; }
    for (int32_t k = 0; k < nvars; k++) {
        uint32_t v = k == 0 ? c->cur->accu : SP(c, k - 1);
        int changed = 0;
        if (g->env_escaped || g->frozen) escape(c, v);
        else g->env[k] = merge(c, g->env[k], v, &changed);
    }
    pop(c, nvars - 1);
}

/* ENVACC k in the current function: field k of its closure. */
static uint32_t env_value(dctx *c, int32_t k)
{
    const func *fn = &c->f[c->fid];
    const group *g = &c->g[fn->group];
    int32_t idx = 3 * (int32_t)fn->index + k - (3 * (int32_t)g->n - 1);
    if (c->fid == 0 || idx < 0 || idx >= (int32_t)g->nvars) { give_up(c, "ENVACC outside the environment"); return U; }
    return g->env[idx];
}

static uint32_t func_of_target(dctx *c, uint32_t target)
{
    int32_t k = target < c->p->ncode ? c->p->insn_at[target] : -1;
    if (k < 0 || !c->func_at[k]) { give_up(c, "closure target is not a function entry"); return 0; }
    return c->func_at[k] - 1;
}

static uint32_t offset_closure(dctx *c, int32_t ofs)
{
    if (c->fid == 0 || ofs % 3) { give_up(c, "OFFSETCLOSURE outside a closure"); return U; }
    const func *fn = &c->f[c->fid];
    int32_t j = (int32_t)fn->index + ofs / 3;
    const group *g = &c->g[fn->group];
    if (j < 0 || j >= (int32_t)g->n) { give_up(c, "OFFSETCLOSURE outside its group"); return U; }
    return MK(T_CLO, g->first + (uint32_t)j);
}

/* Primitives that hand out values the analysis cannot see (the global table, code). */
static int opaque_prim(const char *name)
{
    static const char *const bad[] = { "caml_get_global_data", "caml_realloc_global",
        "caml_reify_bytecode", "caml_get_section_table", "caml_dynlink_", "caml_static_release_bytecode",
        "caml_invoke_traced_function", "caml_register_code_fragment" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (!strncmp(name, bad[i], strlen(bad[i]))) return 1;
    return 0;
}

static int prim_ok(dctx *c, int32_t idx)
{
    if (idx < 0 || (uint32_t)idx >= c->p->nprims) { give_up(c, "bad primitive index"); return 0; }
    if (opaque_prim(c->p->prims[idx])) { give_up(c, "a primitive reads the global table or code"); return 0; }
    return 1;
}

/* Abstract execution of straight-line code from instruction i until control leaves. */
static void run(dctx *c, uint32_t i)
{
    const bc_program *p = c->p;
    for (;;) {
        if (c->fail) return;
        if (i >= p->ninsns) { give_up(c, "control falls off the code"); return; }
        if (c->owner[i] && c->owner[i] != c->fid + 1) { give_up(c, "code shared by two functions"); return; }
        c->owner[i] = c->fid + 1;
        c->out->live[i] = 1;
        c->at = i;
        const bc_insn *in = &p->insns[i];
        int32_t a0 = in->arg[0], a1 = in->arg[1];
        int op = in->op, falls = 1;
        switch (op) {
        case ACC0: case ACC1: case ACC2: case ACC3: case ACC4: case ACC5: case ACC6: case ACC7:
            c->cur->accu = SP(c, op - ACC0); break;
        case ACC: c->cur->accu = SP(c, a0); break;
        case PUSH: case PUSHACC0: push(c, c->cur->accu); break;
        case PUSHACC1: case PUSHACC2: case PUSHACC3: case PUSHACC4: case PUSHACC5:
        case PUSHACC6: case PUSHACC7:
            push(c, c->cur->accu); c->cur->accu = SP(c, op - PUSHACC0); break;
        case PUSHACC: push(c, c->cur->accu); c->cur->accu = SP(c, a0); break;
        case POP: pop(c, a0); break;
        case ASSIGN:
            escape(c, c->cur->accu);      /* snapshots (handlers) may still hold the old value */
            if (a0 >= 0 && a0 < c->cur->depth) c->cur->s[c->cur->depth - 1 - a0] = U;
            c->cur->accu = U;
            break;
        case ENVACC1: case ENVACC2: case ENVACC3: case ENVACC4:
            c->cur->accu = env_value(c, op - ENVACC1 + 1); break;
        case ENVACC: c->cur->accu = env_value(c, a0); break;
        case PUSHENVACC1: case PUSHENVACC2: case PUSHENVACC3: case PUSHENVACC4:
            push(c, c->cur->accu); c->cur->accu = env_value(c, op - PUSHENVACC1 + 1); break;
        case PUSHENVACC: push(c, c->cur->accu); c->cur->accu = env_value(c, a0); break;
        case PUSH_RETADDR: push(c, U); push(c, U); push(c, U); break;
        case APPLY: {
            uint32_t r = call(c, c->cur->accu, a0);
            pop(c, a0 + 3);
            c->cur->accu = r;
            break;
        }
        case APPLY1: case APPLY2: case APPLY3: {
            int32_t n = op - APPLY1 + 1;
            uint32_t r = call(c, c->cur->accu, n);
            pop(c, n);
            c->cur->accu = r;
            break;
        }
        case APPTERM: case APPTERM1: case APPTERM2: case APPTERM3: {
            int32_t n = op == APPTERM ? a0 : op - APPTERM1 + 1;
            ret(c, call(c, c->cur->accu, n));     /* its result is ours */
            falls = 0;
            break;
        }
        case RETURN: ret(c, c->cur->accu); falls = 0; break;
        case RAISE: case RERAISE: case RAISE_NOTRACE: escape(c, c->cur->accu); falls = 0; break;
        case STOP: falls = 0; break;
        case GRAB: case CHECK_SIGNALS: break;
        case CLOSURE: {
            uint32_t f = func_of_target(c, (uint32_t)a1);
            capture(c, c->f[f].group, a0);
            c->cur->accu = MK(T_CLO, f);
            break;
        }
        case CLOSUREREC: {
            uint32_t f0 = func_of_target(c, in->targets[0]);
            capture(c, c->f[f0].group, a1);
            c->cur->accu = MK(T_CLO, f0);
            for (uint32_t j = 0; j < in->ntargets; j++) push(c, MK(T_CLO, func_of_target(c, in->targets[j])));
            break;
        }
        case PUSHOFFSETCLOSUREM3: case PUSHOFFSETCLOSURE0: case PUSHOFFSETCLOSURE3: case PUSHOFFSETCLOSURE:
            push(c, c->cur->accu);
            /* fall through */
        case OFFSETCLOSUREM3: case OFFSETCLOSURE0: case OFFSETCLOSURE3: case OFFSETCLOSURE: {
            int b = op >= PUSHOFFSETCLOSUREM3 ? op - PUSHOFFSETCLOSUREM3 : op - OFFSETCLOSUREM3;
            c->cur->accu = offset_closure(c, b == 0 ? -3 : b == 1 ? 0 : b == 2 ? 3 : a0);
            break;
        }
        case PUSHGETGLOBAL: push(c, c->cur->accu); /* fall through */
        case GETGLOBAL: c->cur->accu = global_ref(c, (uint32_t)a0); break;
        case PUSHGETGLOBALFIELD: push(c, c->cur->accu); /* fall through */
        case GETGLOBALFIELD: c->cur->accu = get_field(c, global_ref(c, (uint32_t)a0), (uint32_t)a1); break;
        case SETGLOBAL: set_global(c, (uint32_t)a0, c->cur->accu); c->cur->accu = U; break;
        case PUSHATOM0: case PUSHATOM: push(c, c->cur->accu); /* fall through */
        case ATOM0: case ATOM: c->cur->accu = U; break;
        case MAKEBLOCK: case MAKEBLOCK1: case MAKEBLOCK2: case MAKEBLOCK3: {
            int32_t n = op == MAKEBLOCK ? a0 : op - MAKEBLOCK1 + 1;
            if (n <= 0) { c->cur->accu = U; break; }
            uint32_t b = new_block(c, (uint32_t)n);
            pop(c, n - 1);
            c->cur->accu = b;
            break;
        }
        case MAKEFLOATBLOCK: pop(c, a0 - 1); c->cur->accu = U; break;      /* boxed floats */
        case GETFIELD0: case GETFIELD1: case GETFIELD2: case GETFIELD3:
            c->cur->accu = get_field(c, c->cur->accu, (uint32_t)(op - GETFIELD0)); break;
        case GETFIELD: c->cur->accu = get_field(c, c->cur->accu, (uint32_t)a0); break;
        case SETFIELD0: case SETFIELD1: case SETFIELD2: case SETFIELD3: case SETFIELD:
            escape(c, SP(c, 0)); write_target(c, c->cur->accu); pop(c, 1); c->cur->accu = U; break;
        case SETVECTITEM:
            escape(c, SP(c, 1)); write_target(c, c->cur->accu); pop(c, 2); c->cur->accu = U; break;
        case SETFLOATFIELD: write_target(c, c->cur->accu); pop(c, 1); c->cur->accu = U; break;
        case SETBYTESCHAR: write_target(c, c->cur->accu); pop(c, 2); c->cur->accu = U; break;
        case OFFSETREF: write_target(c, c->cur->accu); c->cur->accu = U; break;
        case GETVECTITEM:          /* unknown index: any element may be read */
            escape(c, c->cur->accu); pop(c, 1); c->cur->accu = U; break;
        case GETBYTESCHAR: case GETSTRINGCHAR: case ADDINT: case SUBINT:
        case MULINT: case DIVINT: case MODINT: case ANDINT: case ORINT: case XORINT: case LSLINT:
        case LSRINT: case ASRINT: case EQ: case NEQ: case LTINT: case LEINT: case GTINT:
        case GEINT: case ULTINT: case UGEINT:
            pop(c, 1); c->cur->accu = U; break;
        case GETFLOATFIELD: case VECTLENGTH: case BOOLNOT: case NEGINT: case OFFSETINT:
        case ISINT: case CONST0: case CONST1: case CONST2: case CONST3:
        case CONSTINT:
            c->cur->accu = U; break;
        case PUSHCONST0: case PUSHCONST1: case PUSHCONST2: case PUSHCONST3: case PUSHCONSTINT:
            push(c, c->cur->accu); c->cur->accu = U; break;
        case C_CALL1: case C_CALL2: case C_CALL3: case C_CALL4: case C_CALL5: {
            int32_t n = op - C_CALL1 + 1;
            if (!prim_ok(c, a0)) return;
            escape(c, c->cur->accu); escape_args(c, n - 1); pop(c, n - 1); c->cur->accu = U;
            break;
        }
        case C_CALLN:
            if (!prim_ok(c, a1)) return;
            escape(c, c->cur->accu); escape_args(c, a0 - 1); pop(c, a0 - 1); c->cur->accu = U;
            break;
        case GETMETHOD: case GETDYNMET:   /* method tables were filled with escaped closures */
            escape(c, SP(c, 0)); c->cur->accu = U; break;
        case GETPUBMET: escape(c, c->cur->accu); push(c, c->cur->accu); c->cur->accu = U; break;
        case BRANCH: flow_to(c, (uint32_t)p->insn_at[a0], c->cur->accu); falls = 0; break;
        case BRANCHIF: case BRANCHIFNOT:
            flow_to(c, (uint32_t)p->insn_at[a0], c->cur->accu); break;
        case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT: case BULTINT:
        case BUGEINT:
            flow_to(c, (uint32_t)p->insn_at[a1], c->cur->accu); break;
        case SWITCH:
            for (uint32_t j = 0; j < in->ntargets; j++) flow_to(c, (uint32_t)p->insn_at[in->targets[j]], c->cur->accu);
            falls = 0;
            break;
        case PUSHTRAP:   /* the handler starts with this stack and the exception in accu */
            flow_to(c, (uint32_t)p->insn_at[a0], U);
            push(c, U); push(c, U); push(c, U); push(c, U);
            break;
        case POPTRAP: pop(c, 4); break;
        default:         /* RESTART reached by flow, EVENT, BREAK, ... */
            give_up(c, "unexpected instruction");
            return;
        }
        if (!falls) return;
        i++;
        if (i < p->ninsns && c->join[i]) { flow_to(c, i, c->cur->accu); return; }
    }
}

static void analyse_function(dctx *c, uint32_t fid)
{
    const bc_program *p = c->p;
    c->fid = fid;
    c->g[c->f[fid].group].frozen = 1;
    uint32_t e = c->f[fid].entry;
    int32_t arity = 0;
    if (fid) {
        arity = 1;
        if (p->insns[e].op == GRAB) {
            arity = p->insns[e].arg[0] + 1;
            if (e == 0 || p->insns[e - 1].op != RESTART) { give_up(c, "GRAB without RESTART"); return; }
            if (c->owner[e - 1] && c->owner[e - 1] != fid + 1) { give_up(c, "code shared by two functions"); return; }
            c->owner[e - 1] = fid + 1;
            c->out->live[e - 1] = 1;
        }
    }
    reserve(c, arity);
    c->cur->depth = arity;           /* the arguments: escaped by every caller */
    c->cur->accu = U;
    for (int32_t k = 0; k < arity; k++) c->cur->s[k] = U;
    flow_to(c, e, U);
    while (c->heap.n && !c->fail) {
        uint32_t i = heap_pop(&c->heap);
        c->queued[i] = 0;
        state *s = c->st[i];
        reserve(c, s->depth);
        c->cur->depth = s->depth;
        c->cur->accu = s->accu;
        memcpy(c->cur->s, s->s, (size_t)s->depth * sizeof(uint32_t));
        run(c, i);
    }
    for (uint32_t k = 0; k < c->touched.n; k++) {
        free(c->st[c->touched.v[k]]);
        c->st[c->touched.v[k]] = NULL;
        c->queued[c->touched.v[k]] = 0;
    }
    c->touched.n = 0;
    c->heap.n = 0;
}

/* Function table: 0 = init code, then one per closure target, grouped by site. */
static void find_functions(dctx *c)
{
    const bc_program *p = c->p;
    uint32_t cap = 64;
    c->f = xmalloc(cap * sizeof *c->f);
    c->g = xmalloc(cap * sizeof *c->g);
    c->f[0] = (func){ 0, 0, 0, 0, 0, 1, 0, 0 };
    c->g[0] = (group){ 0, 1, 0, NULL, 1, 0, 0 };
    c->nf = c->ng = 1;
    c->func_at[0] = 1;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        uint32_t one = (uint32_t)in->arg[1];
        const uint32_t *t;
        uint32_t n;
        if (in->op == CLOSURE) { t = &one; n = 1; }
        else if (in->op == CLOSUREREC) { t = in->targets; n = in->ntargets; }
        else {
            if (in->op == PUSH_RETADDR || in->op == BRANCH || in->op == BRANCHIF
                || in->op == BRANCHIFNOT || in->op == PUSHTRAP)
                c->join[p->insn_at[in->arg[0]]] = 1;
            else if (in->op >= BEQ && in->op <= BUGEINT && in->op != ULTINT && in->op != UGEINT)
                c->join[p->insn_at[in->arg[1]]] = 1;
            else if (in->op == SWITCH)
                for (uint32_t j = 0; j < in->ntargets; j++) c->join[p->insn_at[in->targets[j]]] = 1;
            continue;
        }
        if (n == 0) { give_up(c, "empty closure group"); return; }
        if (c->nf + n >= cap) {    /* groups never outnumber functions */
            while (c->nf + n >= cap) cap *= 2;
            c->f = xrealloc(c->f, cap * sizeof *c->f);
            c->g = xrealloc(c->g, cap * sizeof *c->g);
        }
        c->g[c->ng] = (group){ c->nf, n, 0, NULL, 0, 0, 0 };
        for (uint32_t j = 0; j < n; j++) {
            int32_t k = t[j] < p->ncode ? p->insn_at[t[j]] : -1;
            if (k < 0) { give_up(c, "closure target is not an instruction"); return; }
            if (c->func_at[k]) { give_up(c, "closure code shared by two sites"); return; }
            c->func_at[k] = c->nf + 1;
            uint32_t arity = p->insns[k].op == GRAB ? (uint32_t)p->insns[k].arg[0] + 1 : 1;
            c->f[c->nf++] = (func){ (uint32_t)k, c->ng, j, arity, 0, 0, 0, 0 };
        }
        c->ng++;
    }
}

static dce_info *new_info(const bc_program *p, int all)
{
    dce_info *d = xcalloc(1, sizeof *d);
    d->ninsns = p->ninsns;
    d->nglobals = !p->data.is_int && p->data.b ? p->data.b->size : 0;
    d->live = xmalloc(p->ninsns ? p->ninsns : 1);
    d->global_read = xmalloc(d->nglobals ? d->nglobals : 1);
    d->blk_unsafe = xmalloc(p->ninsns ? p->ninsns : 1);
    memset(d->blk_unsafe, all, p->ninsns ? p->ninsns : 1);
    memset(d->live, all, p->ninsns ? p->ninsns : 1);
    memset(d->global_read, all, d->nglobals ? d->nglobals : 1);
    if (all) d->nlive_insns = p->ninsns;
    return d;
}

dce_info *dce_all_live(const bc_program *p) { return new_info(p, 1); }

dce_info *dce_analyse(const bc_program *p)
{
    dce_info *d = new_info(p, 0);
    if (!p->ninsns || d->nglobals == 0) { dce_free(d); return dce_all_live(p); }
    dctx c = { .p = p, .out = d };
    uint32_t n = p->ninsns;
    c.func_at = xcalloc(n, sizeof *c.func_at);
    c.join = xcalloc(n, 1);
    c.owner = xcalloc(n, sizeof *c.owner);
    c.st = xcalloc(n, sizeof *c.st);
    c.queued = xcalloc(n, 1);
    c.nglob = d->nglobals;
    new_node(&c, 0, NULL, 0);          /* node 0: TOP */
    c.trace = getenv("OCAML_ESP32_DCE_TRACE") != NULL;
    /* the runtime raises the predefined exceptions through their globals (fail.h) */
    for (uint32_t k = 0; k < 12 && k < c.nglob; k++) d->global_read[k] = 1;
    find_functions(&c);
    c.nslots = c.nglob + c.nf;
    c.slots = xcalloc(c.nslots, sizeof *c.slots);
    vpush(&c.fwork, 0);
    while (c.fwork.n && !c.fail) {
        uint32_t fid = c.fwork.v[--c.fwork.n];
        if (c.f[fid].done) continue;
        c.f[fid].done = 1;
        analyse_function(&c, fid);
    }
    for (uint32_t k = 0; k < c.nf; k++) {     /* partially applied only: RESTART + GRAB stub */
        uint32_t e = c.f[k].entry;
        if (c.f[k].live || !c.f[k].grabbed) continue;
        if (p->insns[e].op != GRAB || e == 0 || p->insns[e - 1].op != RESTART) { give_up(&c, "partial application of a function without GRAB"); break; }
        d->live[e - 1] = d->live[e] = 1;
    }
    d->nfuncs = c.nf;
    for (uint32_t k = 0; k < c.nf; k++) d->nlive_funcs += c.f[k].live;
    for (uint32_t k = 0; k < n; k++) d->nlive_insns += d->live[k];
    if (getenv("OCAML_ESP32_DCE_DUMP")) {     /* debugging: live functions, size in insns */
        uint32_t *sz = xcalloc(c.nf, sizeof *sz);
        for (uint32_t k = 0; k < n; k++) if (c.owner[k]) sz[c.owner[k] - 1]++;
        for (uint32_t k = 0; k < c.nf; k++)
            if (c.f[k].live) fprintf(stderr, "dce: live pc %u insns %u\n", p->insns[c.f[k].entry].pc, sz[k]);
        free(sz);
    }
    if (c.fail) {
        d->fallback = c.fail;
        memset(d->live, 1, n);
        memset(d->global_read, 1, d->nglobals);
        memset(d->blk_unsafe, 1, n);
        d->nlive_insns = n;
    }
    for (uint32_t k = 0; k < c.ng; k++) free(c.g[k].env);
    for (uint32_t k = 0; k < c.nslots; k++) { free(c.slots[k].values.v); free(c.slots[k].esc.v); free(c.slots[k].exp.v); free(c.slots[k].wr.v); }
    for (uint32_t k = 0; k < c.touched.n; k++) free(c.st[c.touched.v[k]]);
    free(c.func_at); free(c.join); free(c.owner); free(c.st); free(c.queued); free(c.slots);
    free(c.f); free(c.g); free(c.nodes); free(c.pool.v); free(c.gr); free(c.ht);
    free(c.fwork.v); free(c.esc.v); free(c.exp.v); free(c.path.v); free(c.tmp.v); free(c.touched.v); free(c.heap.v);
    free(c.cur);
    return d;
}

void dce_free(dce_info *d)
{
    if (!d) return;
    free(d->live);
    free(d->global_read);
    free(d->blk_unsafe);
    free(d);
}
