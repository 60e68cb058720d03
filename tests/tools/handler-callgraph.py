#!/usr/bin/env python3
"""What rssignal's signal handler calls, read from the disassembly.

    tests/tools/handler-callgraph.py build/lib/librssignal.so [--markdown] [--root REGEX]

Runs `objdump -d --no-show-raw-insn` on the library, starts from the real
signal handler (rssignal::sys::unix::entry, which calls the core) and from the other
function documented as async-signal-safe (rs_signal_set_interrupt), and
follows every call and tail jump: direct calls into the library are walked
recursively; calls through the GOT/PLT name the external function; an
indirect `call *%reg` is resolved from the `mov ...(%rip),%reg # <sym>` that
loaded the register. On aarch64 (the library of the aarch64 cross build,
read with aarch64-linux-gnu-objdump): `bl`/`b` and the conditional branches
that leave the function are calls and tail jumps, `blr`/`br xN` is resolved
from the `adrp xN` + `ldr xN, [xN, #off]` (a GOT slot) or `add` (an address
in the library) that loaded it, and the atomic read-modify-write instructions
are the LSE ones (ldadd, ldset, swp, cas ...) and the exclusive pairs
(ldaxr/stlxr ...), inline or in the outline-atomics helpers
(__aarch64_ldadd8_acq_rel ...) that the walk enters. It lists each function reached, its external calls and
its atomic read-modify-write instructions (lock-prefixed, xchg), and exits
non-zero if anything outside the allowed set is called or an indirect call
cannot be resolved.

Allowed from signal context: __errno_location, write, send and
clock_gettime (POSIX lists write, send and clock_gettime in
signal-safety(7); __errno_location only returns the thread's errno
address). clock_gettime stamps each arrival's record."""
import re
import subprocess
import sys

UNWIND_PAD = re.compile(r"panic_cannot_unwind")
ALLOWED = {"__errno_location", "write", "send", "clock_gettime"}
ROOTS = [
    ("the signal handler", re.compile(r"sys\d+unix\d+entry")),
    ("rs_signal_set_interrupt (async-signal-safe by contract)", re.compile(r"^rs_signal_set_interrupt$")),
]

HEAD = re.compile(r"^([0-9a-f]+) <(.+)>:$")
INSN = re.compile(r"^\s+([0-9a-f]+):\s+(.*)$")
SYM = re.compile(r"<([^>+]+)(\+0x[0-9a-f]+)?>")
GOTLOAD = re.compile(r"mov\s+0x[0-9a-f]+\(%rip\),%(\w+)\s+#\s+([0-9a-f]+) <([^>]+)>")
RIPREF = re.compile(r"\(%rip\)\s+#\s+([0-9a-f]+) <([^>]+)>")
# aarch64
A64_ADRP = re.compile(r"^adrp\s+(x\d+),\s*([0-9a-f]+)")
A64_LDR = re.compile(r"^ldr\s+(x\d+),\s*\[(x\d+),\s*#(\d+)\]")
A64_ADD = re.compile(r"^add\s+(x\d+),\s*(x\d+),\s*#0x([0-9a-f]+)")
A64_BRANCHES = {"bl", "b", "cbz", "cbnz", "tbz", "tbnz"}
A64_ATOMIC = re.compile(r"^(ld(add|clr|eor|set|smax|smin|umax|umin)|swp|cas|ld[a]?xr|st[l]?xr|ld[a]?xp|st[l]?xp)")

EM_AARCH64 = 183


def elf_machine(path):
    with open(path, "rb") as f:
        head = f.read(20)
    if head[:4] != b"\x7fELF":
        return None
    return int.from_bytes(head[18:20], "little" if head[5] == 1 else "big")


def objdump_for(path):
    if elf_machine(path) == EM_AARCH64:
        for tool in ("aarch64-linux-gnu-objdump", "objdump"):
            if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode == 0:
                return tool, "aarch64"
    return "objdump", "x86"


def demangle(names):
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True, check=True)
        return dict(zip(names, out.stdout.splitlines()))
    except (OSError, subprocess.CalledProcessError):
        return {n: n for n in names}


def external_name(sym):
    sym = sym.split("@")[0]
    return sym


def a64_step(ins, f, regs, pages, slot_target, starts, atomics, failures):
    """One aarch64 instruction of function f: tracks adrp/ldr/add register
    loads, records atomics, and returns the ("ext"|"local", name) a call or
    an out-of-function branch reaches, else None."""
    code = ins.split("//")[0].strip()
    parts = code.split()
    if not parts:
        return None
    op = parts[0]
    m = A64_ADRP.match(code)
    if m:
        pages[m.group(1)] = int(m.group(2), 16)
        regs.pop(m.group(1), None)
        return None
    m = A64_LDR.match(code)
    if m and m.group(2) in pages:
        regs[m.group(1)] = slot_target(format(pages[m.group(2)] + int(m.group(3)), "x"), "")
        return None
    m = A64_ADD.match(code)
    if m and m.group(2) in pages:
        addr = pages[m.group(2)] + int(m.group(3), 16)
        regs[m.group(1)] = ("local", starts[addr]) if addr in starts else None
        return None
    if A64_ATOMIC.match(op):
        atomics.append(code)
        return None
    if op in ("blr", "br"):
        reg = parts[1] if len(parts) > 1 else ""
        target = regs.get(reg)
        if target is None:
            failures.append(f"unresolved indirect {op} in {f}: {ins}")
        return target
    if op in A64_BRANCHES or op.startswith("b."):
        sm = SYM.search(code)
        if not sm:
            return None
        name = sm.group(1)
        if name == f:
            return None  # a branch inside the function
        if "@" in name:
            return ("ext", external_name(name))
        return ("local", name)
    return None


def record_call(target, f, externals, locals_, queue, failures):
    """A call or tail jump of f to target (None: not one): an external function
    is listed and checked against ALLOWED, a library one listed and queued
    for the walk."""
    if target is None:
        return
    kind, name = target
    if kind == "ext":
        if name not in externals:
            externals.append(name)
        if name not in ALLOWED:
            failures.append(f"{f} calls {name}, which is not allowed in signal context")
    else:
        if name not in locals_:
            locals_.append(name)
        # The abort-on-unwind landing pad of an extern "C" function (builds
        # without LTO cannot prove their Rust callees never unwind): it runs
        # only if a callee panics, and every callee is walked, so a panic
        # path would fail the check there. Not followed.
        if UNWIND_PAD.search(name):
            return
        queue.append(name)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    lib = sys.argv[1]
    markdown = "--markdown" in sys.argv
    global ROOTS
    if "--root" in sys.argv:  # e.g. the interposer self-test's bad handler
        rx = sys.argv[sys.argv.index("--root") + 1]
        ROOTS = [(f"functions matching {rx}", re.compile(rx))]
    objdump, arch = objdump_for(lib)
    dis = subprocess.run([objdump, "-d", "--no-show-raw-insn", lib], capture_output=True, text=True, check=True).stdout
    funcs, order, cur = {}, [], None
    for line in dis.splitlines():
        m = HEAD.match(line)
        if m:
            cur = m.group(2)
            funcs[cur] = []
            order.append(cur)
            continue
        m = INSN.match(line)
        if m and cur is not None:
            funcs[cur].append(m.group(2).strip())

    # GOT slots: GLOB_DAT / JUMP_SLOT name an external symbol, RELATIVE holds
    # the address of something inside the library.
    relocs = {}
    for line in subprocess.run([objdump, "-R", lib], capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and re.fullmatch(r"[0-9a-f]+", parts[0]):
            relocs[int(parts[0], 16)] = (parts[1], parts[2])
    starts = {}
    for line in dis.splitlines():
        m = HEAD.match(line)
        if m:
            starts[int(m.group(1), 16)] = m.group(2)

    def slot_target(addr_hex, label):
        """What a call through the GOT slot at addr_hex reaches."""
        r = relocs.get(int(addr_hex, 16))
        if r is None:
            return ("ext", external_name(label)) if "@" in label else None
        kind, what = r
        if kind.endswith("RELATIVE"):
            m = re.search(r"\+0x([0-9a-f]+)", what)
            if m and int(m.group(1), 16) in starts:
                return ("local", starts[int(m.group(1), 16)])
            return None
        return ("ext", external_name(what))

    roots = []
    for label, pat in ROOTS:
        found = [f for f in order if pat.search(f)]
        if not found:
            print(f"FAIL: no function matching {pat.pattern} in {lib}")
            return 1
        roots.append((label, found[0]))

    failures = []
    report = []  # (root label, [(func, externals, atomics, local callees)])
    for label, root in roots:
        seen, queue, rows = set(), [root], []
        while queue:
            f = queue.pop(0)
            if f in seen:
                continue
            seen.add(f)
            regs, pages = {}, {}
            externals, atomics, locals_ = [], [], []
            for ins in funcs.get(f, []):
                if arch == "aarch64":
                    target = a64_step(ins, f, regs, pages, slot_target, starts, atomics, failures)
                    record_call(target, f, externals, locals_, queue, failures)
                    continue
                g = GOTLOAD.search(ins)
                if g:
                    regs[g.group(1)] = slot_target(g.group(2), g.group(3))
                op = ins.split()[0] if ins.split() else ""
                # lock-prefixed RMW, or xchg with memory (register-only xchg is a nop)
                if ins.startswith("lock ") or (op.startswith("xchg") and "(" in ins):
                    atomics.append(ins.split("#")[0].strip())
                if not (op.startswith("call") or op.startswith("jmp")):
                    continue
                target = None
                sm = SYM.search(ins)
                if "*" in ins:
                    r = re.search(r"\*%(\w+)", ins)
                    rip = RIPREF.search(ins)
                    if rip:  # call/jmp *0x...(%rip)  # <GOT slot>
                        target = slot_target(rip.group(1), rip.group(2))
                    elif r and regs.get(r.group(1)):
                        target = regs[r.group(1)]
                    if target is None:
                        failures.append(f"unresolved indirect {op} in {f}: {ins}")
                        continue
                elif sm:
                    name = sm.group(1)
                    if name == f:
                        continue  # a jump inside the function
                    if "@plt" in name or "@" in name:
                        target = ("ext", external_name(name))
                    else:
                        target = ("local", name)
                record_call(target, f, externals, locals_, queue, failures)
            rows.append((f, externals, atomics, locals_))
        report.append((label, rows))

    names = sorted({f for _, rows in report for f, _, _, l in rows} | {x for _, rows in report for _, _, _, l in rows for x in l})
    dm = demangle(names)
    for label, rows in report:
        if markdown:
            print(f"### From {label}\n")
            print("| function | calls outside the library | calls inside | atomic RMW instructions |")
            print("|---|---|---|---|")
            for f, ext, at, loc in rows:
                print(f"| `{dm.get(f, f)}` | {', '.join('`'+e+'`' for e in ext) or '—'} | "
                      f"{', '.join('`'+dm.get(x, x)+'`' for x in loc) or '—'} | "
                      f"{'<br>'.join('`'+a+'`' for a in at) or '—'} |")
            print()
        else:
            print(f"== from {label}")
            for f, ext, at, loc in rows:
                print(f"  {dm.get(f, f)}")
                print(f"      external calls: {', '.join(ext) or 'none'}")
                if loc:
                    print(f"      library calls:  {', '.join(dm.get(x, x) for x in loc)}")
                print(f"      atomics:        {'; '.join(at) or 'none'}")
    if failures:
        for x in failures:
            print("FAIL:", x)
        print("handler-callgraph: 0 passed, 1 failed, 0 skipped")
        return 1
    print(f"only {', '.join(sorted(ALLOWED))} and atomics are reachable from signal context")
    print("handler-callgraph: 1 passed, 0 failed, 0 skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
