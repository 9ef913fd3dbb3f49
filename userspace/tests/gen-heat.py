#!/usr/bin/env python3
# A synthetic heat recording (ptscope record --heat) of a process with the
# shapes people look for: a hot heap prefix, a cold heap tail, a cache
# scanned by a moving window, libc touched at random, a stack whose top
# is always hot, and a 256 GiB reservation with three pages touched.
# Deterministic (a fixed seed): the Chromium check renders it.
#
#   python3 tests/gen-heat.py > tests/fixtures/heat.jsonl
import base64
import json
import random

PAGE = 4096
N = 40
random.seed(13)
VMAS = [
    (0x55d0c0000000, 0x55d0c0004000, "/usr/bin/app"),
    (0x55d0c0200000, 0x55d0c0600000, "[heap]"),
    (0x7f3a00000000, 0x7f3a00800000, "[anon:cache]"),
    (0x7f3a10000000, 0x7f3a10200000, "/usr/lib/x86_64-linux-gnu/libc.so.6"),
    (0x7f4000000000, 0x7f4000000000 + (1 << 38), "[anon:arena]"),
    (0x7ffd00000000, 0x7ffd00021000, "[stack]"),
]


def state(name, i, pages, k):
    """2 bits: 1 present, 3 present and accessed, 0 absent."""
    if name == "[anon:cache]":
        lo = (k * pages // N) % pages
        return 3 if lo <= i < lo + pages // 8 or random.random() < 0.01 else 1
    if name == "[heap]":
        return 3 if i < pages // 3 else (1 if i < pages * 2 // 3 else 0)
    if name == "[stack]":
        return 3 if i >= pages - 4 else 1
    return 3 if random.random() < 0.3 else 1


print(json.dumps({"format": "ptscope-heat", "version": 1, "pid": 4242,
                  "page_size": PAGE, "interval_ns": 1000000000}, separators=(",", ":")))
for k in range(1, N + 1):
    blocks = []
    for start, end, name in VMAS:
        if name == "[anon:arena]":
            # three pages of 2^26, one of them touched every other interval
            for off in (0, 1 << 30, 1 << 37):
                blocks.append({"start": hex(start + off), "pages": 1,
                               "fill": 3 if k % 2 and off == 0 else 1})
            continue
        pages = (end - start) // PAGE
        st = bytearray((pages + 3) // 4)
        for i in range(pages):
            st[i // 4] |= state(name, i, pages, k) << (2 * (i % 4))
        if len(st) % 2:
            st.append(0)
        blocks.append({"start": hex(start), "pages": pages,
                       "states": base64.b64encode(bytes(st)).decode()})
    print(json.dumps({"interval": k, "time_ns": k * 1000000000 + k * 1500,
                      "vmas": [{"start": hex(s), "end": hex(e), "name": n}
                               for s, e, n in VMAS],
                      "blocks": blocks, "access_stats": {}}, separators=(",", ":")))
print(json.dumps({"end": "count", "intervals": N}, separators=(",", ":")))
