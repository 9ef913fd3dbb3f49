#!/bin/bash
# Host-side check of the pictures: render the SVG and HTML of the recorded
# fixtures with the real CLI, load them in headless Chromium, and check that
# the DOM holds the expected VMA labels and the screenshot is not blank.
# Prints TAP; scripts/check.sh counts it.  Screenshots: build/render/*.png.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/render
cli=$top/userspace/ptscope
fx=$top/userspace/tests/fixtures
mkdir -p "$out"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }

make -s -C "$top/userspace" ptscope tests/fixtures/many.json tests/fixtures/heat.jsonl >/dev/null || { echo "not ok 1 - build"; exit 1; }
chrome=$(command -v chromium || command -v chromium-browser) || {
	echo "not ok 1 - chromium not installed (scripts/setup.sh installs it)"; exit 1; }

chromium_run() {	# chromium_run ARGS... (throwaway profile, no network)
	local prof
	prof=$(mktemp -d)
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" "$@" 2>/dev/null
	local rc=$?
	rm -rf "$prof"
	return $rc
}

# Distinct colours of a PNG (8-bit RGB/RGBA, non-interlaced), with zlib only:
# PIL is not on a stock Debian machine.
png_colours() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
i, idat = 8, b""
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", d[i + 8:i + 18])
    if t == b"IDAT":
        idat += d[i + 8:i + 8 + n]
    i += 12 + n
bpp = {2: 3, 6: 4}[ctype]
raw, stride, prev, seen = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
for y in range(h):
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = row[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: row[x] = (row[x] + a) & 255
        elif f == 2: row[x] = (row[x] + b) & 255
        elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 2):
        seen.add(bytes(row[x:x + 3]))
    prev = row
print(len(seen))
PY
}

for name in workload many heat; do
	for fmt in svg html; do
		f=$out/$name.$fmt
		if [ $name = heat ]; then
			check "$name: ptscope heat --input --$fmt writes $f" \
				"$cli" heat --input "$fx/heat.jsonl" "--$fmt" "$f"
		else
			check "$name: ptscope maps --input --$fmt writes $f" \
				"$cli" maps --input "$fx/$name.json" "--$fmt" "$f"
		fi
		chromium_run --window-size=1600,1000 --screenshot="$out/$name-$fmt.png" "file://$f" >/dev/null
		check "$name.$fmt: Chromium screenshot $out/$name-$fmt.png" test -s "$out/$name-$fmt.png"
		colours=$(png_colours "$out/$name-$fmt.png" 2>/dev/null || echo 0)
		check "$name.$fmt: screenshot is a picture ($colours distinct colours, want >= 12)" \
			test "$colours" -ge 12
		chromium_run --dump-dom "file://$f" >"$out/$name-$fmt.dom"
		check "$name.$fmt: rendered without an XML/parse error" \
			bash -c "! grep -q 'This page contains the following errors' '$out/$name-$fmt.dom'"
		case $name in
		workload) labels="[heap] [stack] libc.so.6 ld-linux-x86-64.so.2 [vdso]" ;;
		many) labels="10003 libmod009.so arena329 [heap]" ;;
		heat) labels="[anon:cache] [stack] libc.so.6 0x7f3a00000000 time_since_the_first_sample Working_set_per_interval" ;;
		esac
		for l in $labels; do
			l=${l//_/ }	# labels with spaces are written with _
			check "$name.$fmt: DOM has the label '$l'" grep -qF -- "$l" "$out/$name-$fmt.dom"
		done
	done
done
echo "1..$n"
[ "$failed" -eq 0 ]
