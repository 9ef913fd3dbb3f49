#!/usr/bin/env python3
# A synthetic recording of a big process: 10,000 VMAs laid out like a JVM or
# a browser (an executable, hundreds of libraries, thousands of thread
# stacks with guard pages, anonymous arenas, a huge-page heap, swapped
# pages).  Deterministic (no randomness): its renderings are golden files.
#
#   python3 tests/gen-many.py > tests/fixtures/many.json
import json
import sys

PAGE = 4096
vmas, runs = [], []


def counts(total, present=0, accessed=0, dirty=0, swap=0, huge=0):
    return {"total": total, "present": present, "accessed": accessed,
            "dirty": dirty, "writable": dirty, "swap": swap, "soft_dirty": 0,
            "huge_pmd": huge, "huge_pud": 0, "migration": 0, "protnone": 0}


def vma(start, pages, perms, kind, name, present=0, dirty=0, swap=0, huge=0):
    flags = [f for f, c in zip(("rd", "wr", "ex"), perms) if c != "-"]
    if perms[3] == "s":
        flags.append("ms")
    vmas.append({"start": hex(start), "end": hex(start + pages * PAGE),
                 "kind": kind, "name": name, "flags": flags,
                 "pages": counts(pages, present, present, dirty, swap, huge)})
    # Runs as the kernel sends them: present first, then swapped, then none.
    a = start
    for n, fl in ((present, ["present", "user", "accessed"] +
                   (["write", "dirty"] if dirty else []) +
                   (["huge_pmd"] if huge else [])),
                  (swap, ["swap"]), (pages - present - swap, [])):
        if n:
            runs.append({"start": hex(a), "pages": n, "flags": fl})
            a += n * PAGE
    return start + pages * PAGE


addr = 0x555555554000
for perms, pages in (("r--p", 8), ("r-xp", 300), ("r--p", 100), ("rw-p", 4)):
    addr = vma(addr, pages, perms, "file", "/usr/bin/bigapp", present=pages // 2,
               dirty=pages // 2 if "w" in perms else 0)
addr = vma(addr + 0x2000000, 4096, "rw-p", "heap", "[heap]", present=4096,
           dirty=4096, huge=2048)

addr = 0x7f0000000000
nv = len(vmas)
lib = 0
# 600 libraries of 5 VMAs each, separated by small holes.
while lib < 600:
    name = "/usr/lib/x86_64-linux-gnu/libmod%03d.so" % lib
    for perms, pages in (("r--p", 4), ("r-xp", 16 + lib % 50), ("r--p", 4),
                         ("rw-p", 1), ("rw-p", 2)):
        addr = vma(addr, pages, perms, "file" if pages != 2 else "anon",
                   name if pages != 2 else "", present=pages * (lib % 3) // 2,
                   dirty=1 if "w" in perms and lib % 3 else 0)
    addr += 0x10000
    lib += 1
# 3,000 thread stacks: guard page + 2 MiB stack, a few pages touched each.
addr += 0x100000000
for t in range(3000):
    addr = vma(addr, 1, "---p", "anon", "")
    addr = vma(addr, 512, "rw-p", "anon", "", present=4 + t % 8, dirty=4 + t % 8,
               swap=2 if t % 10 == 0 else 0)
# Anonymous arenas until 10,000 VMAs, with names now and then.
addr += 0x40000000
i = 0
while len(vmas) < 10000:
    kind, name = ("anon_named", "arena%d" % i) if i % 7 == 0 else ("anon", "")
    addr = vma(addr, 256 + (i % 5) * 256, "rw-p", kind, name,
               present=(i * 37) % 256, dirty=(i * 13) % 128)
    addr += 0x1000
    i += 1
addr = vma(0x7ffff7fc1000, 4, "r--p", "special", "[vvar]", present=4)
addr = vma(addr, 2, "r-xp", "special", "[vdso]", present=2)
vma(0x7ffffffde000, 33, "rw-p", "stack", "[stack]", present=12, dirty=12)

json.dump({"format": "ptscope-record", "version": 1, "pid": 4242,
           "page_size": PAGE, "vmas": vmas, "runs": runs},
          sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
