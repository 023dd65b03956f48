#!/usr/bin/env python3
"""Conformance runner: the OCaml 4.13.1 testsuite (Debian's ocaml-source) on ocaml-esp32.

The testsuite is unpacked from /usr/src/ocaml-source-4.13.1.tar into build/conformance/ (with
testsuite/lib's testing.cma and lib.cmo built by ocamlc). Every test file of testsuite/tests
that has a .reference is interpreted the way ocamltest does (ocamltest/*.ml), on a platform that
is the target: bytecode only (no native compiler), 32-bit, no Unix/threads/str/dynlink/shared
libraries/C stubs, not Windows/macOS/BSD, flat float arrays, no flambda (see PLATFORM below):
  - the TEST block is parsed as ocamltest's TSL (tests, actions, `with` modifiers, variables,
    `include`), the test tree is walked, a skipped or failed node stops its subtree; no tree
    means the default tests `bytecode` and `native`;
  - setup-ocamlc.byte-build-env / ocamlc.byte / run / check-program-output (alone or as the
    `bytecode` test) are executed like ocamltest: modules, all_modules (with their .mli),
    readonly_files, subdirectories, flags, ocamlc_flags, libraries, directories, binary_modules,
    compile_only, module, commandline, ocamllex/ocamlyacc modules, program, arguments, stdin,
    stdout/stderr/output (both into one file by default), exit_status, ocamlrunparam (and every
    other test variable exported to the program's environment), reference, skip_header_lines,
    hooks <test>.run (run through sh with ${program} standing for the runner);
  - include testing / tool-ocaml-lib / principal are honoured; compiler-libs (ocamlcommon,
    config) come from the installed compiler (+compiler-libs);
  - the compiler's own output (check-ocamlc.byte-output) is not checked: that is the host
    compiler's business;
  - every other test/action (native, toplevel, expect, ocamldoc, debugger, script, unix, ...)
    skips with the reason printed.
Each program is run first by the 32-bit reference ocamlrun (build/ref/usr/bin/ocamlrun): a test
is "applicable" only if it passes there; otherwise it is reported as reference-mismatch (e.g.
output specific to 64-bit words, or a test needing the full compiler source tree). Applicable
tests then run with `bin/ocaml-esp32 run --cpu CPU` for each cpu and are compared with the
.reference like ocamltest does (exit status, CRLF-insensitive text comparison).
Compilation and reference results are cached in build/conformance/cache by a hash of the test's
directory, this script, ocamlc's version and the reference ocamlrun; outputs of the target runs
are in build/conformance/out/<cpu>/.

Regressions are the tests listed in tests/conformance/expected-pass-<cpu>.txt that did not
pass; --update rewrites these lists from the passing tests (leaving out the ones that took more
than half the timeout, which could time out on a slower machine).

usage: tests/conformance/run.sh [--update] [--ref-only] [--cpus esp32,lx106] [-j N] [PATTERN ...]
  PATTERN       only tests whose path (relative to testsuite/tests) contains PATTERN
  --ref-only    stop after the validation with the reference ocamlrun
  env CONFORMANCE_FLAGS   flags for `ocaml-esp32 run` (default: --timeout 180 --heap 64M --stack 1M
                          --c-heap 4M; the C heap holds bigarray data)
  env JOBS                parallel jobs (default 2)
  env OCAML_ESP32         the tool (default bin/ocaml-esp32)
  env CONFORMANCE_BUILD   work directory (default build/conformance)
"""
import argparse
import fcntl
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get('CONFORMANCE_BUILD', os.path.join(ROOT, 'build', 'conformance'))
SRCTAR = '/usr/src/ocaml-source-4.13.1.tar'
INNER = 'ocaml-4.13.1/ocaml_4.13.1.orig.tar.gz'
SRC = os.path.join(BUILD, 'ocaml-4.13.1')          # the unpacked compiler sources
TESTS = os.path.join(SRC, 'testsuite', 'tests')
TESTLIB = os.path.join(SRC, 'testsuite', 'lib')
REF = os.path.join(ROOT, 'build', 'ref', 'usr', 'bin', 'ocamlrun')
TOOL = os.environ.get('OCAML_ESP32', os.path.join(ROOT, 'bin', 'ocaml-esp32'))
REF_TIMEOUT = 60
CACHE_VERSION = '1'

# ---------------------------------------------------------------------------------------------
# The platform ocamltest is assumed to run on: the target (bytecode only, 32-bit, no native
# compiler, no shared libraries, no Unix/threads/str, not Windows/macOS/BSD, flat float arrays
# as configured in Debian's ocamlc, no flambda, naked pointers tolerated by the GC).
# An action maps to None (passes) or to a skip reason.

NATIVE = 'native-only'
PLATFORM = {
    'pass': None, 'dumpenv': None, 'not-windows': None, 'not-bsd': None, 'arch32': None,
    'flat-float-array': None, 'no-flambda': None, 'no-afl-instrument': None,
    'no-shared-libraries': None, 'naked_pointers': None,
    'check-ocamlc.byte-output': None,   # compiler messages are the host compiler's business
    'skip': 'skip action in header',
    'fail': 'fail action in header',
    'windows': 'platform: Windows only', 'libwin32unix': 'platform: Windows only',
    'windows-unicode': 'platform: Windows only', 'csharp-compiler': 'platform: needs C#',
    'bsd': 'platform: BSD only', 'macos': 'platform: macOS only',
    'arch64': 'platform: arch64 only (ocamltest skips it on 32-bit)',
    'arch_amd64': NATIVE, 'arch_arm': NATIVE, 'arch_arm64': NATIVE, 'arch_i386': NATIVE,
    'arch_power': NATIVE, 'function_sections': NATIVE, 'native-compiler': NATIVE,
    'native': NATIVE, 'asmgen': NATIVE, 'codegen': NATIVE, 'cc': NATIVE,
    'setup-ocamlopt.byte-build-env': NATIVE, 'ocamlopt.byte': NATIVE,
    'check-ocamlopt.byte-output': NATIVE, 'setup-ocamlopt.opt-build-env': NATIVE,
    'ocamlopt.opt': NATIVE, 'check-ocamlopt.opt-output': NATIVE,
    'setup-ocamlc.opt-build-env': NATIVE, 'ocamlc.opt': NATIVE, 'check-ocamlc.opt-output': NATIVE,
    'compare-bytecode-programs': NATIVE, 'compare-binary-files': NATIVE,
    'no-flat-float-array': 'platform: no-flat-float-array only',
    'flambda': 'platform: flambda only', 'afl-instrument': 'platform: afl only',
    'instrumented-runtime': 'platform: instrumented runtime only',
    'hasunix': 'needs unix', 'libunix': 'needs unix', 'has_symlink': 'needs unix',
    'hassysthreads': 'needs threads', 'hasstr': 'needs str (C stubs)',
    'shared-libraries': 'needs dynlink/shared libraries',
    'native-dynlink': 'needs dynlink/shared libraries',
    'toplevel': 'toplevel test', 'ocaml': 'toplevel test', 'setup-ocaml-build-env': 'toplevel test',
    'check-ocaml-output': 'toplevel test', 'ocamlnat': 'toplevel test',
    'setup-ocamlnat-build-env': 'toplevel test', 'check-ocamlnat-output': 'toplevel test',
    'expect': 'expect test (toplevel)', 'run-expect': 'expect test (toplevel)',
    'ocamldoc': 'ocamldoc test', 'setup_ocamldoc_build_env': 'ocamldoc test',
    'check-ocamldoc-output': 'ocamldoc test',
    'debugger': 'debugger test', 'ocamldebug': 'debugger test',
    'ocamlmklib': 'needs C stubs', 'ocamlobjinfo': 'tool test (ocamlobjinfo)',
    'script': 'runs a shell script (script action)', 'cd': 'changes directory (dynlink tests)',
    'copy': 'unsupported action (copy)', 'file-exists': 'unsupported action (file-exists)',
}
BYTECODE_TEST = ['setup-ocamlc.byte-build-env', 'ocamlc.byte', 'check-ocamlc.byte-output',
                 'run', 'check-program-output']
LIB_NEEDS = {'unix': 'needs unix', 'threads': 'needs threads', 'dynlink': 'needs dynlink/shared libraries',
             'str': 'needs str (C stubs)', 'ocamloptcomp': 'needs compiler-libs (native compiler)',
             'ocamltoplevel': 'toplevel test'}
# compiler-libs come from the installed compiler (+compiler-libs): the source tree is not built.
COMPILERLIBS = ('ocamlcommon', 'ocamlbytecomp', 'ocamlmiddleend')
C_FLAGS = ('-custom', '-output-complete-exe', '-output-obj', '-output-complete-obj',
           '-make-runtime', '-make_runtime', '-dllib', '-cclib', '-ccopt')


class Skip(Exception):
    pass


class HostFail(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# TSL (ocamltest's test specification language): lexer, parser, tree builder, as in
# ocamltest/tsl_lexer.mll, tsl_parser.mly and tsl_semantics.ml.

IDCH = set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-\'0123456789')


class TslError(Exception):
    pass


def tsl_tokens(text):
    """Tokens of the TEST block at the start of text, or None if there is none."""
    n = len(text)
    i = 0
    while i < n and text[i] in ' \t\f\r\n':
        i += 1
    m = re.compile(r'(\(\*|/\*)[ \t\f]*TEST(?!_BELOW)').match(text, i)
    if m:
        style, i = m.group(1), m.end()
    else:
        m = re.compile(r'(\(\*|/\*)[ \t\f]*TEST_BELOW').match(text, i)
        if not m:
            return None
        style = m.group(1)
        m2 = re.compile(re.escape(style) + r'[ \t\f]*TEST').search(text, m.end())
        if not m2:
            return None
        i = m2.end()
    end = '*)' if style == '(*' else '*/'
    toks = []
    while True:
        while i < n and text[i] in ' \t\f\r\n':
            i += 1
        if i >= n:
            raise TslError('unexpected end of file in TEST block')
        if text.startswith(end, i):
            return toks
        c = text[i]
        if text.startswith('(*', i):
            depth, i = 1, i + 2
            while depth:
                if i >= n:
                    raise TslError('unterminated comment')
                if text.startswith('(*', i):
                    depth, i = depth + 1, i + 2
                elif text.startswith('*)', i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == ',':
            toks.append(('COMMA',))
            i += 1
        elif c == '*':
            j = i
            while j < n and text[j] == '*':
                j += 1
            toks.append(('DEPTH', j - i))
            i = j
        elif text.startswith('+=', i):
            toks.append(('PLUSEQ',))
            i += 2
        elif c == '=':
            toks.append(('EQ',))
            i += 1
        elif c == '"':
            i += 1
            acc = []
            while True:
                if i >= n:
                    raise TslError('unterminated string')
                c = text[i]
                if c == '"':
                    i += 1
                    break
                if c == '\\':
                    m = re.compile(r'\\\r*\n[ \t\f]*(\\([ \t\f]))?').match(text, i)
                    if m:
                        acc.append(m.group(2) or '')
                        i = m.end()
                        continue
                acc.append(c)
                i += 1
            toks.append(('STR', ''.join(acc)))
        elif c in IDCH:
            j = i
            while j < n and text[j] in IDCH:
                j += 1
            w = text[i:j]
            i = j
            toks.append({'include': ('INCLUDE',), 'set': ('SET',), 'with': ('WITH',)}.get(w, ('ID', w)))
        else:
            raise TslError('unexpected character %r' % c)


def tsl_items(toks):
    items, k = [], 0

    def get(kind):
        nonlocal k
        if k >= len(toks) or toks[k][0] != kind:
            raise TslError('syntax error in TEST block')
        k += 1
        return toks[k - 1]
    while k < len(toks):
        t = toks[k]
        k += 1
        if t[0] == 'DEPTH':
            name, mods = get('ID')[1], []
            if k < len(toks) and toks[k][0] == 'WITH':
                k += 1
                mods.append(get('ID')[1])
                while k < len(toks) and toks[k][0] == 'COMMA':
                    k += 1
                    mods.append(get('ID')[1])
            items.append(('test', t[1], name, mods))
        elif t[0] == 'ID':
            if k < len(toks) and toks[k][0] == 'EQ':
                k += 1
                items.append(('assign', t[1], get('STR')[1]))
            elif k < len(toks) and toks[k][0] == 'PLUSEQ':
                k += 1
                items.append(('append', t[1], get('STR')[1]))
            else:
                raise TslError('syntax error in TEST block')
        elif t[0] == 'SET':
            v = get('ID')[1]
            get('EQ')
            items.append(('assign', v, get('STR')[1]))
        elif t[0] == 'INCLUDE':
            items.append(('include', get('ID')[1]))
        else:
            raise TslError('syntax error in TEST block')
    return items


def tsl_trees(items):
    """(root environment statements, [node]); node = (env statements, name, with-modifiers, children)"""
    pos = 0

    def env_lines():
        nonlocal pos
        env = []
        while pos < len(items) and items[pos][0] != 'test':
            env.append(items[pos])
            pos += 1
        return env

    def tree(depth):
        nonlocal pos
        if pos >= len(items):
            return None
        it = items[pos]
        if it[0] != 'test':
            raise TslError('unexpected environment statement')
        if it[1] > depth:
            raise TslError('test %s too deep' % it[2])
        if it[1] < depth:
            return None
        pos += 1
        env = env_lines()
        return (env, it[2], it[3], forest(depth + 1))

    def forest(depth):
        res = []
        while True:
            t = tree(depth)
            if t is None:
                return res
            res.append(t)
    root = env_lines()
    trees = forest(1)
    if pos != len(items):
        raise TslError('unexpected environment statement')
    return root, trees


# ---------------------------------------------------------------------------------------------
# ocamltest environments

def words(s):
    """Ocamltest_stdlib.String.words: split on spaces, with ' and " quoting."""
    res, w, quote, started = [], [], None, False
    for c in s:
        if c in '\'"':
            if quote is None:
                quote, started = c, True
            elif quote == c:
                quote = None
            else:
                w.append(c)
        elif c == ' ' and quote is None:
            if w or started:
                res.append(''.join(w))
            w, started = [], False
        else:
            w.append(c)
            started = True
    if w:
        res.append(''.join(w))
    return [x for x in res if x != '']


SUBST = re.compile(r'\\\$|\$\{([^}]*)\}|\$\(([^)]*)\)|\$([A-Za-z0-9_]+)')


class Env:
    def __init__(self, d=None):
        self.d = dict(d or {})

    def copy(self):
        return Env(self.d)

    def expand(self, v):
        for _ in range(20):
            def sub(m):
                if m.group(0) == '\\$':
                    return '$'
                name = m.group(1) or m.group(2) or m.group(3)
                return self.d.get(name, '')
            e = SUBST.sub(sub, v)
            if e == v:
                return v
            v = e
        return v

    def get(self, k, default=''):
        return self.expand(self.d[k]) if k in self.d else default

    def defined(self, k):
        return k in self.d

    def set(self, k, v):
        self.d[k] = v

    def set_default(self, k, v):
        self.d.setdefault(k, v)

    def append(self, k, v):
        self.d[k] = self.get(k) + v


def wrap(*ws):
    return ' ' + ' '.join(ws) + ' '


def apply_modifier(env, name):
    if name == 'testing':
        env.append('directories', wrap(TESTLIB))
        env.append('libraries', wrap('testing'))
    elif name == 'tool-ocaml-lib':
        env.append('directories', wrap(TESTLIB))
        env.append('binary_modules', wrap('lib'))
    elif name == 'principal':
        env.append('flags', wrap('-principal'))
        env.set('compiler_directory_suffix', '.principal')
        env.set('compiler_reference_suffix', '.principal')
    elif name in ('unix', 'dynlink', 'str') or name in LIB_NEEDS or name in COMPILERLIBS:
        env.append('libraries', wrap(name))
    elif name == 'systhreads':
        env.append('libraries', wrap('unix', 'threads'))
    elif name == 'config':          # -I utils and binary_modules config misc ...: ocamlcommon.cma
        env.set('__config', 'true')
    elif name == 'debugger':
        env.append('__needs', wrap('debugger'))
    elif name in ('latex', 'html', 'man'):
        env.append('__needs', wrap('ocamldoc'))
    else:
        raise HostFail('unknown modifier %s' % name)


def apply_statements(env, stmts):
    for s in stmts:
        if s[0] == 'assign':
            env.set(s[1], s[2])
        elif s[0] == 'append':
            env.append(s[1], s[2])
        else:
            apply_modifier(env, s[1])


# ---------------------------------------------------------------------------------------------
# Executing one test file (host side: compile, run with the reference ocamlrun, compare)

def run_proc(argv, cwd, stdin=None, stdout=None, stderr=None, env=None, timeout=None):
    """Runs argv; stdout/stderr are file names ('' = capture, None = /dev/null); returns
    (status, captured output). status 124 on timeout. env is added to PATH and HOME."""
    env = dict(env or {}, PATH=os.environ.get('PATH', '/usr/bin:/bin'),
               HOME=os.environ.get('HOME', '/'))
    fin = open(stdin, 'rb') if stdin else subprocess.DEVNULL
    files = []
    try:
        if stdout and stderr and os.path.abspath(stdout) == os.path.abspath(stderr):
            fo = open(stdout, 'wb')
            files.append(fo)
            fe = subprocess.STDOUT
        else:
            fo = fe = None
            fo = open(stdout, 'wb') if stdout else (subprocess.PIPE if stdout == '' else subprocess.DEVNULL)
            fe = open(stderr, 'wb') if stderr else (subprocess.STDOUT if stderr == '' else subprocess.DEVNULL)
            files += [f for f in (fo, fe) if hasattr(f, 'close')]
        p = subprocess.Popen(argv, cwd=cwd, stdin=fin, stdout=fo, stderr=fe, env=env,
                             start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
            st = p.returncode
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, 9)
            except OSError:
                pass
            out, _ = p.communicate()
            st = 124
        if st < 0:
            st = 128 - st
        return st, (out or b'').decode('utf-8', 'replace')
    finally:
        for f in files:
            f.close()
        if stdin:
            fin.close()


def read_lines(path, skip=0):
    with open(path, 'rb') as f:
        data = f.read().replace(b'\r\n', b'\n')
    if skip:
        data = b''.join(data.splitlines(True)[skip:])
    return data


def compare_output(output, reference, skip_lines):
    """None if same (ocamltest's text comparison: CRLF-insensitive, skip_header_lines)."""
    try:
        if read_lines(output, skip_lines) == read_lines(reference):
            return None
    except OSError as e:
        return 'cannot compare: %s' % e
    return 'output differs from reference'


def compiler_env():
    e = dict(os.environ)
    e.update({'TERM': 'dumb', 'OCAML_COLOR': 'never'})
    for k in ('OCAMLPARAM', 'OCAMLRUNPARAM', 'CAMLRUNPARAM', 'OCAMLLIB', 'CAMLLIB'):
        e.pop(k, None)
    return e


def reaches_run(node):
    return node[1] in ('run', 'bytecode') or any(reaches_run(c) for c in node[3])


def system_env(env, **override):
    """Environments.to_system_env: every test variable is exported to programs and hooks."""
    e = {}
    d = dict((k, env.get(k)) for k in env.d if not k.startswith('__'))
    d.update(override)
    for k, v in d.items():
        if k == 'ocamlrunparam':
            k = 'OCAMLRUNPARAM'
        elif k == 'ld_library_path':
            k, v = 'CAML_LD_LIBRARY_PATH', ':'.join(words(v))
        e[k] = v
    if not e.get('OCAMLRUNPARAM'):
        e.pop('OCAMLRUNPARAM', None)
    return e


def parse_response(path):
    """Modifier_parser.modifiers_of_file: lines var="v", var+="v", -var."""
    mods = []
    try:
        with open(path) as f:
            for line in f:
                line = line.rstrip('\n')
                if not line:
                    continue
                m = re.match(r'^-([A-Za-z0-9_.\'-]*)$', line)
                if m:
                    mods.append(('remove', m.group(1), None))
                    continue
                m = re.match(r'^([A-Za-z0-9_.\'-]*)(\+?)="(.*)"$', line)
                if not m:
                    raise ValueError('syntax error in hook response file: %r' % line)
                mods.append(('append' if m.group(2) else 'assign', m.group(1), m.group(3)))
    except OSError:
        pass
    return mods


def write_wrapper(path, argv):
    """A shell script standing for the program: hooks run ${program} like an executable."""
    q = lambda a: "'" + a.replace("'", "'\\''") + "'"
    with open(path, 'w') as f:
        f.write('#!/bin/sh\n')
        if argv[0] == TOOL:
            f.write('if [ $# -gt 0 ]; then exec %s -- "$@"; fi\n' % ' '.join(map(q, argv)))
        f.write('exec %s "$@"\n' % ' '.join(map(q, argv)))
    os.chmod(path, 0o755)


def run_hook(hook, env, cwd, log):
    """Runs a hook (sh HOOK) with env exported; returns (status, response modifiers)."""
    fd, resp = tempfile.mkstemp(prefix='ocamltest-', suffix='.response')
    os.close(fd)
    try:
        env = dict(env, ocamltest_response=resp)
        st, out = run_proc(['sh', hook], cwd, stdout=log, stderr=log, env=env, timeout=600)
        return st, parse_response(resp)
    finally:
        os.remove(resp)


class TestRun:
    """ocamltest's interpretation of one test file, on PLATFORM."""

    def __init__(self, rel, key):
        self.rel = rel                       # path relative to testsuite/tests
        self.key = key
        self.path = os.path.join(TESTS, rel)
        self.srcdir = os.path.dirname(self.path)
        self.base = os.path.basename(rel)
        self.prefix = os.path.splitext(self.base)[0]
        self.bprefix = os.path.join(BUILD, 'work', os.path.splitext(rel)[0])
        self.variants = []                   # dicts, see run_action('run')
        self.skips = []                      # skip reasons of paths that did not reach a run
        self.log = []

    # -- tree walk (Main.run_test) --
    def execute(self):
        with open(self.path, encoding='latin-1') as f:
            text = f.read()
        root, trees = tsl_trees(tsl_items(tsl_tokens(text)))
        shutil.rmtree(self.bprefix, ignore_errors=True)
        os.makedirs(self.bprefix)
        env = Env({
            'test_file': self.base,
            'reference': os.path.join(self.srcdir, self.prefix + '.reference'),
            'test_source_directory': self.srcdir,
            'test_build_directory_prefix': self.bprefix,
            'promote': 'false', 'timeout': '0', 'MAKE': 'make',
            'arch': 'none', 'ocamlrun': REF, 'ocamlc_byte': 'ocamlc', 'ocamlsrcdir': SRC,
            'os_type': 'Unix', 'ocamlc_default_flags': '', 'ocamlopt_default_flags': '',
            'ocamlrunparam': '', 'objext': 'o', 'libext': 'a', 'asmext': 's',
            'sharedobjext': 'so', 'TEST_PASS': '0', 'TEST_FAIL': '1', 'TEST_SKIP': '125',
        })
        apply_statements(env, root)
        # Post initializer find_source_modules: all_modules = plugins, modules, test file, each
        # .ml preceded by its .mli when there is one.
        mods = []
        for m in words(env.get('plugins')) + words(env.get('modules')) + [self.base]:
            if m.endswith('.ml') and os.path.exists(os.path.join(self.srcdir, m[:-3] + '.mli')):
                mods.append(m[:-3] + '.mli')
            mods.append(m)
        env.set('all_modules', ' '.join(mods))
        if not trees:
            trees = [([], 'bytecode', [], []), ([], 'native', [], [])]
        self.run_forest(trees, env, '', {'cwd': self.bprefix, 'pending': None})

    def run_forest(self, trees, env, path, state):
        for i, t in enumerate(trees):
            self.run_node(t, env, (path + '.' if path else '') + str(i + 1), dict(state))

    def run_node(self, node, env, path, state):
        stmts, name, mods, children = node
        env = env.copy()
        try:
            apply_statements(env, stmts)
            for m in mods:
                apply_modifier(env, m)
            actions = BYTECODE_TEST if name == 'bytecode' else [name]
            for i, a in enumerate(actions):
                try:
                    self.run_action(a, env, path, state)
                except HostFail:
                    if 'run' in actions[i:] or any(reaches_run(c) for c in children):
                        raise
                    raise Skip('no program run')
        except Skip as e:
            self.skips.append(str(e))
            return
        except HostFail as e:
            self.variants.append({'id': path, 'verdict': 'host-fail', 'why': str(e)})
            return
        if children:
            self.run_forest(children, env, path, state)
        elif not state.get('checked'):
            self.skips.append('no program run' if not state.get('ran') else 'no output check')

    # -- actions --
    def run_action(self, a, env, path, state):
        if a in PLATFORM:
            if PLATFORM[a] is not None:
                raise Skip(PLATFORM[a])
            return
        if a != 'run' and os.path.exists(os.path.join(self.srcdir, self.prefix + '.' + a)):
            raise Skip('hook %s.%s not supported' % (self.prefix, a))
        for need in words(env.get('__needs')):
            raise Skip('needs ' + need if need != 'ocamldoc' else 'ocamldoc test')
        if a == 'setup-ocamlc.byte-build-env' or a == 'setup-simple-build-env' or a == 'setup-build-env':
            if a == 'setup-ocamlc.byte-build-env':
                bdir = os.path.join(self.bprefix, 'ocamlc.byte' + env.get('compiler_directory_suffix'))
                env.set_default('compiler_output', os.path.join(bdir, 'ocamlc.byte.output'))
                env.set('test_build_directory', bdir)
                files = words(env.get('all_modules'))
            else:
                bdir = self.bprefix
                env.set('test_build_directory', bdir)
                files = [self.base]
            os.makedirs(bdir, exist_ok=True)
            for f in files + words(env.get('readonly_files')):
                src, dst = os.path.join(self.srcdir, f), os.path.join(bdir, f)
                if os.path.lexists(dst):
                    os.remove(dst)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                os.symlink(src, dst)
            for d in words(env.get('subdirectories')):
                shutil.copytree(os.path.join(self.srcdir, d), os.path.join(bdir, d), dirs_exist_ok=True)
            state['cwd'] = bdir
            if a == 'setup-ocamlc.byte-build-env':
                env.set_default('program', os.path.join(bdir, self.prefix + '.byte'))
                env.set_default('output', env.get('program') + '.output')
        elif a == 'ocamlc.byte':
            self.ocamlc(env, state)
        elif a == 'run':
            self.run_program(env, path, state)
        elif a == 'check-program-output':
            self.check_output(env, path, state)
        else:
            raise Skip('unknown action %s' % a)

    def ocamlc(self, env, state):
        cwd = state['cwd']
        libs = words(env.get('libraries'))
        for lib in ('threads', 'unix', 'dynlink', 'str') + tuple(LIB_NEEDS):
            if lib in libs:
                raise Skip(LIB_NEEDS[lib])
        dirs = []
        for d in words(env.get('directories')):
            dirs += ['-I', d]
        binmods = []
        for b in words(env.get('binary_modules')):
            if env.get('__config') == 'true' and not any(
                    os.path.exists(os.path.join(cwd, d, b + '.cmo')) for d in [''] + words(env.get('directories'))):
                if 'ocamlcommon' not in libs:      # a module of the compiler: take it from there
                    libs.insert(0, 'ocamlcommon')
            else:
                binmods.append(b + '.cmo')
        if any(l in COMPILERLIBS for l in libs):
            dirs += ['-I', '+compiler-libs']
        common = (dirs + words(env.get('flags')) + [l + '.cma' for l in libs]
                  + words(env.get('ocamlc_default_flags')) + words(env.get('ocamlc_flags')))
        cmdline = env.get('commandline')
        module = env.get('module')
        if words(cmdline):
            cmd = ['ocamlc'] + words(cmdline)
        elif words(module):
            if module.endswith(('.c', '.o', '.a', '.so')):
                raise Skip('needs C stubs')
            cmd = ['ocamlc'] + common + ['-c', module]
        else:
            mods = []
            for m in words(env.get('all_modules')):
                if m.endswith(('.c', '.o', '.a', '.so', '.obj', '.lib', '.dll')):
                    raise Skip('needs C stubs')
                if m.endswith('.mll'):
                    self.host(['ocamllex'] + words(env.get('ocamllex_flags')) + [m], cwd, 0, 'ocamllex')
                    mods.append(m[:-1])
                elif m.endswith('.mly'):
                    self.host(['ocamlyacc'] + words(env.get('ocamlyacc_flags')) + [m], cwd, 0, 'ocamlyacc')
                    mods += [m[:-3] + 'mli', m[:-1]]
                else:
                    mods.append(m)
            compile_only = env.get('compile_only') == 'true'
            out = [] if compile_only else ['-o', env.get('program')]
            cmd = (['ocamlc'] + common + (['-c'] if compile_only else []) + out
                   + words(env.get('ocaml_filetype_flag'))
                   + binmods + mods
                   + words(env.get('last_flags')))
        for w in cmd:
            if w in C_FLAGS or w.endswith(('.c', '.o', '.a', '.so')):
                raise Skip('needs C stubs/C linking (%s)' % w)
        want = int(env.get('ocamlc_byte_exit_status') or 0)
        self.host(cmd, cwd, want, 'ocamlc')

    def host(self, cmd, cwd, want, what):
        st, out = run_proc(cmd, cwd, stdout='', stderr='', env=compiler_env(), timeout=300)
        self.log.append('$ (cd %s && %s) -> %d\n%s' % (cwd, ' '.join(cmd), st, out))
        if st != want:
            raise HostFail('%s exited with %d (expected %d): %s' % (what, st, want, out.strip()[:300]))

    def run_program(self, env, path, state):
        cwd = state['cwd']
        prog = env.get('program')
        if not prog:
            raise HostFail('run: variable program is undefined')
        prog = os.path.join(cwd, prog)
        try:
            with open(prog, 'rb') as f:
                f.seek(-12, 2)
                bytecode = f.read(12) == b'Caml1999X030'
        except OSError:
            raise HostFail('run: no program %s' % prog)
        if not bytecode:
            raise Skip('program is not an ocamlc bytecode executable')
        ab = lambda p: os.path.normpath(os.path.join(cwd, p)) if p else None
        output = ab(env.get('output'))
        n = len(self.variants)
        snap = os.path.join(BUILD, 'bytes', '%s-%d.byte' % (self.key, n))
        os.makedirs(os.path.dirname(snap), exist_ok=True)
        shutil.copyfile(prog, snap)
        hook = os.path.join(self.srcdir, self.prefix + '.run')
        v = {'id': path, 'cwd': cwd, 'byte': snap, 'args': words(env.get('arguments')),
             'stdin': ab(env.get('stdin')) if env.defined('stdin') else None,
             'stdout': ab(env.get('stdout')) if env.defined('stdout') else output,
             'stderr': ab(env.get('stderr')) if env.defined('stderr') else output,
             'exit_status': int(env.get('exit_status') or 0), 'run_output': output,
             'hook': hook if os.path.exists(hook) else None, 'verdict': None}
        for p in (v['stdout'], v['stderr'], output):
            if p and p != '/dev/null' and os.path.exists(p):
                os.remove(p)
        self.variants.append(v)
        state['ran'] = True
        if v['hook']:
            t0 = time.time()
            wrapper = snap[:-5] + '.ref.sh'
            write_wrapper(wrapper, [REF, snap])
            v['env'] = system_env(env, program=snap, output=output)
            st, mods = run_hook(v['hook'], dict(v['env'], program=wrapper), cwd,
                                os.path.join(self.bprefix, 'hook.log'))
            v['ref_time'] = round(time.time() - t0, 3)
            if st == 125:
                raise Skip('hook %s skipped' % os.path.basename(hook))
            if st != 0:
                v['verdict'] = 'mismatch'
                v['why'] = 'hook %s exited with %d' % (os.path.basename(hook), st)
                raise Skip('reference run failed')
            for kind, var, val in mods:
                if kind == 'assign':
                    env.set(var, val)
                elif kind == 'append':
                    env.append(var, val)
                else:
                    env.d.pop(var, None)
        else:
            v['env'] = system_env(env, program=snap)
            t0 = time.time()
            st, _ = run_proc([REF, snap] + v['args'], cwd, stdin=v['stdin'], stdout=v['stdout'],
                             stderr=v['stderr'], env=v['env'], timeout=REF_TIMEOUT)
            v['ref_time'] = round(time.time() - t0, 3)
            if st != v['exit_status']:
                v['verdict'] = 'mismatch'
                v['why'] = ('timeout after %ds' % REF_TIMEOUT if st == 124 else
                            'exit status %d, expected %d' % (st, v['exit_status']))
                raise Skip('reference run failed')       # ocamltest stops this subtree
        state['pending'] = v

    def check_output(self, env, path, state):
        v = state.get('pending')
        if v is None:
            raise Skip('output check of something else than a program run')
        cwd = state['cwd']
        output = os.path.normpath(os.path.join(cwd, env.get('output')))
        reference = os.path.normpath(os.path.join(cwd, env.get('reference')))
        if not v['hook'] and output not in (v['stdout'], v['stderr']):
            raise Skip('checks an output the program does not write')
        v['output'] = output
        v['reference'] = reference
        v['skip_lines'] = int(env.get('skip_header_lines') or 0)
        state['pending'] = None
        state['checked'] = True
        if not os.path.exists(reference):
            v['verdict'] = 'noref'
            return
        why = compare_output(output, reference, v['skip_lines'])
        v['verdict'] = 'mismatch' if why else 'ok'
        if why:
            v['why'] = why
            raise Skip('reference run failed')


# ---------------------------------------------------------------------------------------------

def unpack():
    stamp = os.path.join(SRC, '.unpacked')
    if os.path.exists(stamp):
        return
    if not os.path.exists(SRCTAR):
        sys.exit('conformance: %s missing (Debian package ocaml-source; run tools/install-deps.sh)' % SRCTAR)
    shutil.rmtree(SRC, ignore_errors=True)
    os.makedirs(BUILD, exist_ok=True)
    subprocess.run('tar -xOf %s %s | tar -xzf - -C %s' % (SRCTAR, INNER, BUILD), shell=True, check=True)
    # testsuite/lib: testing.cma and lib.cmo, as testsuite/lib/Makefile builds them.
    for cmd in (['ocamlc', '-c', 'testing.mli'], ['ocamlc', '-c', 'testing.ml'],
                ['ocamlc', '-a', '-linkall', '-o', 'testing.cma', 'testing.cmo'],
                ['ocamlc', '-c', 'lib.ml']):
        subprocess.run(cmd, cwd=TESTLIB, check=True, env=compiler_env())
    open(stamp, 'w').close()


def discover():
    """Test files (relative paths) with a TEST block and a reference file, sorted: the test's
    <name>.reference, or one its header names (reference = ...)."""
    res, ignored = [], 0
    for d, dirs, files in os.walk(TESTS):
        dirs[:] = sorted(x for x in dirs if not x.startswith(('_', '.')))
        for f in sorted(files):
            if f.startswith(('_', '.')) or not f.endswith(('.ml', '.mll')):
                continue
            p = os.path.join(d, f)
            with open(p, encoding='latin-1') as fh:
                text = fh.read()
            try:
                toks = tsl_tokens(text)
            except TslError:
                toks = []
            if toks is None:
                continue
            if (os.path.exists(os.path.splitext(p)[0] + '.reference')
                    or ('ID', 'reference') in toks):
                res.append(os.path.relpath(p, TESTS))
            else:
                ignored += 1
    return sorted(res), ignored


_dirhash = {}
_dirhash_lock = threading.Lock()


def dir_hash(d):
    with _dirhash_lock:
        if d in _dirhash:
            return _dirhash[d]
    h = hashlib.sha256()
    for dd, dirs, files in sorted(os.walk(d)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(dd, f)
            h.update(os.path.relpath(p, d).encode() + b'\0')
            with open(p, 'rb') as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    r = h.hexdigest()
    with _dirhash_lock:
        _dirhash[d] = r
    return r


def file_hash(p):
    with open(p, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def prepare(rel, salt):
    """Compiles and validates one test file (cached); returns its result dict."""
    d = os.path.dirname(os.path.join(TESTS, rel))
    key = hashlib.sha256(('%s\0%s\0%s' % (salt, rel, dir_hash(d))).encode()).hexdigest()[:20]
    cache = os.path.join(BUILD, 'cache', key + '.json')
    try:
        with open(cache) as f:
            r = json.load(f)
        if all(os.path.exists(v['byte']) for v in r['variants'] if 'byte' in v):
            r['cache'] = cache
            return r
    except (OSError, ValueError, KeyError):
        pass
    t = TestRun(rel, key)
    try:
        t.execute()
    except TslError as e:
        t.variants = [{'id': '', 'verdict': 'host-fail', 'why': 'bad TEST block: %s' % e}]
    except Exception as e:      # a bug here must not stop the run
        t.variants.append({'id': '', 'verdict': 'host-fail', 'why': 'runner error: %r' % e})
    r = {'rel': rel, 'variants': t.variants, 'skips': t.skips,
         'has_ref': os.path.exists(os.path.join(TESTS, os.path.splitext(rel)[0] + '.reference'))}
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(os.path.join(BUILD, 'cache', key + '.log'), 'w') as f:
        f.write('\n'.join(t.log))
    with open(cache + '.tmp', 'w') as f:
        json.dump(r, f, indent=1)
    os.replace(cache + '.tmp', cache)
    r['cache'] = cache
    return r


def skip_reason(skips):
    rs = sorted(set(skips))
    other = [r for r in rs if r not in (NATIVE, 'reference run failed')]
    if other:
        rs = other
    return ', '.join(rs) if rs else 'no program run'


def safe(s):
    return re.sub(r'[^A-Za-z0-9_.-]', '_', s)


def run_target(v, cpu, flags):
    """Runs one validated variant on the target; returns (ok, reason)."""
    odir = os.path.join(BUILD, 'out', cpu)
    os.makedirs(odir, exist_ok=True)
    base = os.path.join(odir, safe(v['name']))
    out = base + '.output'

    def mapped(p):          # the target's own copies of the files the program writes
        if p is None or p == '/dev/null':
            return p
        if p == v['run_output']:
            return out
        return base + '.' + safe(os.path.basename(p))
    so, se = mapped(v['stdout']), mapped(v['stderr'])
    for p in (out, so, se):
        if p and p != '/dev/null' and os.path.exists(p):
            os.remove(p)
    open(out, 'wb').close()
    if not os.access(TOOL, os.X_OK):
        return False, 'bin/ocaml-esp32 missing (make host)'
    cwd = v['cwd'] if os.path.isdir(v['cwd']) else BUILD
    argv = [TOOL, 'run', '--cpu', cpu] + flags + [v['byte']]
    checked = mapped(v['output'])
    t0 = time.time()
    if v['hook']:
        wrapper = base + '.prog'
        write_wrapper(wrapper, argv)
        st, mods = run_hook(v['hook'], dict(v['env'], program=wrapper, output=out), cwd,
                            base + '.hook.log')
        want = 0
        for kind, var, val in mods:
            if var == 'output' and kind == 'assign':
                checked = os.path.join(cwd, val)
    else:
        if v['args']:
            argv += ['--'] + v['args']
        st, _ = run_proc(argv, cwd, stdin=v['stdin'], stdout=so, stderr=se, env=v['env'],
                         timeout=600)
        want = v['exit_status']
    dt = time.time() - t0
    with open(base + '.status', 'w') as f:
        f.write('%d %.2f\n%s\n' % (st, dt, ' '.join(argv)))
    why = None
    if st != want:
        why = '%s %d%s, expected %d' % ('hook exit status' if v['hook'] else 'exit status', st,
                                        ' (signal %d)' % (st - 128) if st > 128 else '', want)
        if st == 124:
            why = 'timeout (exit status 124)'
        lines = []
        for p in (so, se):
            try:
                with open(p, 'rb') as f:
                    lines += f.read()[-4000:].decode('utf-8', 'replace').splitlines()
            except (OSError, TypeError):
                pass
        tool = [l for l in lines if l.startswith('ocaml-esp32:')]
        last = [l for l in lines if l.strip()]
        if tool or last:     # the tool's diagnostic, or else the program's last words
            why += ': ' + (tool or last)[-1 if not tool else 0][:200]
    elif compare_output(checked, v['reference'], v['skip_lines']):
        why = 'output differs (diff %s %s)' % (os.path.relpath(v['reference'], ROOT),
                                               os.path.relpath(checked, ROOT))
    return why is None, why, dt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--update', action='store_true', help='rewrite expected-pass-<cpu>.txt')
    ap.add_argument('--ref-only', action='store_true', help='only validate with the reference ocamlrun')
    ap.add_argument('--cpus', default=os.environ.get('CPUS', 'esp32 lx106'))
    ap.add_argument('-j', '--jobs', type=int, default=int(os.environ.get('JOBS', '2')))
    ap.add_argument('patterns', nargs='*')
    args = ap.parse_args()
    cpus = args.cpus.replace(',', ' ').split()
    flags = os.environ.get('CONFORMANCE_FLAGS', '--timeout 180 --heap 64M --stack 1M --c-heap 4M').split()
    t0 = time.time()
    if not os.access(REF, os.X_OK):
        sys.exit('conformance: reference ocamlrun missing: run tools/install-deps.sh')
    os.makedirs(BUILD, exist_ok=True)
    lock = open(os.path.join(BUILD, '.lock'), 'w')     # one run at a time per build directory
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print('conformance: another run is using %s; waiting for it' % BUILD, flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    unpack()
    tests, ignored = discover()
    tests = [t for t in tests if not args.patterns or any(p in t for p in args.patterns)]
    with open(__file__, 'rb') as f:
        me = f.read()
    ocamlc_v = subprocess.run(['ocamlc', '-vnum'], capture_output=True, text=True).stdout.strip()
    salt = '%s %s %s %s' % (CACHE_VERSION, hashlib.sha256(me).hexdigest(), ocamlc_v, file_hash(REF))

    # 1. compile every test and validate it with the 32-bit reference ocamlrun
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(lambda rel: prepare(rel, salt), tests))
    t_prep = time.time() - t0
    if not args.patterns:       # forget compiled tests of older versions of the runner or tests
        live = set(os.path.basename(r['cache']) for r in results)
        for d in ('cache', 'bytes'):
            for f in os.listdir(os.path.join(BUILD, d)):
                if f.split('.')[0].split('-')[0] + '.json' not in live:
                    os.remove(os.path.join(BUILD, d, f))

    entries = []      # (name, kind, variant-or-None, reason) kind: run|skip|mismatch
    for r in results:
        vs = [v for v in r['variants'] if v['verdict'] in ('ok', 'mismatch', 'host-fail')]
        if not vs and not r['has_ref']:
            continue              # only a variant without .reference
        for v in vs:
            v['name'] = r['rel'] + ('#' + v['id'] if len(vs) > 1 and v['id'] else '')
            if v['verdict'] == 'ok':
                entries.append((v['name'], 'run', v, None))
            elif v['verdict'] == 'mismatch':
                entries.append((v['name'], 'mismatch', v,
                                'reference-mismatch (32-bit ocamlrun differs from .reference): ' + v['why']))
            else:
                entries.append((v['name'], 'mismatch', v, 'host-fail: ' + v['why']))
        if not vs:
            entries.append((r['rel'], 'skip', None, skip_reason(r['skips'])))
    print('conformance: %d test files with a .reference (%d without one not considered); '
          'prepared in %.0fs' % (len(results), ignored, t_prep))
    if args.ref_only:
        cats = {}
        for name, kind, v, why in entries:
            print('%s ref %s%s' % ({'run': 'PASS'}.get(kind, 'SKIP'), name, ' ' + why if why else ''))
            cat = 'applicable' if kind == 'run' else why.split(':')[0] if kind == 'mismatch' else why
            cats[cat] = cats.get(cat, 0) + 1
        for c, n in sorted(cats.items(), key=lambda x: -x[1]):
            print('  %5d  %s' % (n, c))
        slow = sorted((e for e in entries if e[1] == 'run'), key=lambda e: -e[2].get('ref_time', 0))[:10]
        print('slowest with the reference ocamlrun: ' +
              ', '.join('%s %.2fs' % (e[0], e[2].get('ref_time', 0)) for e in slow))
        print('elapsed %.0fs' % (time.time() - t0))
        return 0

    # 2. run the applicable tests on each cpu
    runs = [(cpu, e) for cpu in cpus for e in entries if e[1] == 'run']
    timeout = 600.0
    if '--timeout' in flags[:-1]:
        timeout = float(flags[flags.index('--timeout') + 1])
    slow_limit = timeout / 2      # --update leaves out tests this slow: flaky on a slower machine
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futs = {(cpu, e[0]): pool.submit(run_target, e[2], cpu, flags) for cpu, e in runs}
        total_pass = total_fail = 0
        summaries = []
        passed = {}
        slow = dict((cpu, []) for cpu in cpus)
        for cpu in cpus:
            n = {'applicable': 0, 'pass': 0, 'fail': 0, 'skip': 0}
            reasons = {}
            passed[cpu] = set()
            for name, kind, v, why in entries:
                if kind == 'run':
                    n['applicable'] += 1
                    try:
                        ok, why, dt = futs[(cpu, name)].result()
                    except Exception as e:
                        ok, why, dt = False, 'runner error: %r' % e, 0
                    if ok:
                        n['pass'] += 1
                        passed[cpu].add(name)
                        if dt > slow_limit:
                            slow[cpu].append('%s (%.0fs)' % (name, dt))
                        print('PASS %s %s' % (cpu, name))
                    else:
                        n['fail'] += 1
                        print('FAIL %s %s %s' % (cpu, name, why))
                else:
                    n['skip'] += 1
                    cat = why.split(':')[0] if kind == 'mismatch' else why
                    reasons[cat] = reasons.get(cat, 0) + 1
                    print('SKIP %s %s %s' % (cpu, name, why))
                sys.stdout.flush()
            summaries.append((cpu, n, reasons))
    # 3. summary and regressions
    regressions = []
    for cpu, n, reasons in summaries:
        print('%s: applicable %d, pass %d, fail %d, skip %d'
              % (cpu, n['applicable'], n['pass'], n['fail'], n['skip']))
        for r, c in sorted(reasons.items(), key=lambda x: (-x[1], x[0])):
            print('  skip %4d  %s' % (c, r))
        exp_file = os.path.join(HERE, 'expected-pass-%s.txt' % cpu)
        expected = set()
        if os.path.exists(exp_file):
            with open(exp_file) as f:
                expected = {l.strip() for l in f if l.strip() and not l.startswith('#')}
        if args.patterns:
            expected = {e for e in expected if any(p in e for p in args.patterns)}
        lost = sorted(expected - passed[cpu])
        for name in lost:
            print('REGRESSION %s %s' % (cpu, name))
        regressions += lost
        gained = len(passed[cpu] - expected)
        if gained and not args.update:
            print('  %s: %d tests pass that are not in %s (run with --update to add them)'
                  % (cpu, gained, os.path.relpath(exp_file, ROOT)))
        if args.update:
            if args.patterns:
                keep = set()
                if os.path.exists(exp_file):
                    with open(exp_file) as f:
                        keep = {l.strip() for l in f if l.strip() and not l.startswith('#')}
                new = (keep - {e for e in keep if any(p in e for p in args.patterns)}) | passed[cpu]
            else:
                new = set(passed[cpu])
            if slow[cpu]:
                print('  not added, over half the timeout: ' + ', '.join(slow[cpu]))
                new -= set(x.split(' (')[0] for x in slow[cpu])
            with open(exp_file, 'w') as f:
                f.write('# conformance tests that pass on %s (tests/conformance/run.sh --update)\n' % cpu)
                f.write(''.join(x + '\n' for x in sorted(new)))
            print('  updated %s (%d tests)' % (os.path.relpath(exp_file, ROOT), len(new)))
        total_pass += n['pass']
    if args.update:
        regressions = []
    print('elapsed %.0fs' % (time.time() - t0))
    print('conformance: %d passed, %d failed' % (total_pass, len(regressions)))
    return 1 if regressions else 0


if __name__ == '__main__':
    sys.exit(main())
