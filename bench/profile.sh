#!/bin/bash
# Instruction-level profile of a bytecode program compiled by ocaml-esp32, from QEMU's
# translation-block trace (-d in_asm,exec,nochain): executed instructions per runtime symbol,
# then the hottest instructions of the generated code (offsets from caml_code_begin).
#   usage: bench/profile.sh PROG.byte [--cpu lx106] [N hottest]
set -eu
cd "$(dirname "$0")/.."
byte=$1; shift
cpu=esp32
if [ "${1:-}" = "--cpu" ]; then cpu=$2; shift 2; fi
top=${1:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin/ocaml-esp32 build --cpu "$cpu" "$byte" -o "$tmp/prog.elf"
qcpu=dc233c; [ "$cpu" = lx106 ] && qcpu=lx106
mkfifo "$tmp/log"
xtensa-lx106-elf-nm -n "$tmp/prog.elf" > "$tmp/syms"
timeout 600 qemu-system-xtensa -M sim -cpu "$qcpu" -semihosting -display none -serial none \
    -monitor none -icount shift=0,sleep=off -kernel "$tmp/prog.elf" -d in_asm,exec,nochain \
    -D "$tmp/log" > /dev/null &
python3 - "$tmp/log" "$tmp/syms" "$top" <<'EOF'
import sys, re, bisect, collections
log, symf, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
tb = {}                      # start pc -> list of (pc, text)
count = collections.Counter()
cur = None
with open(log, errors='replace') as f:
    for line in f:
        if line.startswith('IN:'):
            cur = []
            continue
        m = re.match(r'0x([0-9a-f]+):\s+(.*)', line)
        if m and cur is not None:
            cur.append((int(m.group(1), 16), m.group(2).strip()))
            continue
        if line.startswith('Trace'):
            pc = int(line.split('/')[1], 16)
            if cur:
                tb.setdefault(cur[0][0], cur)
                cur = None
            count[pc] += 1
        elif cur is not None and not line.strip():
            pass
ins = collections.Counter(); text = {}
for pc, n in count.items():
    for a, t in tb.get(pc, []):
        ins[a] += n; text[a] = t
syms = []
for l in open(symf):
    p = l.split()
    if len(p) == 3 and p[1] in 'tTW':
        syms.append((int(p[0], 16), p[2]))
syms.sort()
addrs = [a for a, _ in syms]
begin = dict((n, a) for a, n in syms).get('caml_code_begin', 0)
end = dict((n, a) for a, n in syms).get('caml_code_end', 0)
per = collections.Counter()
for a, n in ins.items():
    if begin <= a < end:
        per['(generated code)'] += n
    else:
        i = bisect.bisect_right(addrs, a) - 1
        per[syms[i][1] if i >= 0 else '?'] += n
total = sum(ins.values())
print(f'total {total}')
for s, n in per.most_common(25):
    print(f'{n:12d} {100.0 * n / total:5.1f}%  {s}')
print('hottest generated instructions (offset from caml_code_begin):')
gen = [(a, n) for a, n in ins.items() if begin <= a < end]
gen.sort(key=lambda x: -x[1])
for a, n in sorted(gen[:top]):
    print(f'{n:10d}  +{a - begin:06x}  {text[a]}')
EOF
wait
