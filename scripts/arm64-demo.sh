#!/bin/bash
# ptscope on an arm64 kernel under QEMU TCG: build, boot, look.
#
#   scripts/arm64-demo.sh RELEASE [LEVELS]
#
# Cross-builds the module for RELEASE (scripts/arm64.sh module), the static
# CLI and tests/workload, boots RELEASE with qemu-system-aarch64 -machine
# virt -cpu max (LEVELS 5: LPA2 on; 4: lpa2=off; default 5, which only
# 52-bit-VA kernels use), loads the module and runs `ptscope info`,
# `ptscope maps` and `ptscope vtop` on the workload: a 4K page, the THP
# region, and the anonymous region, whose 64K folios (mTHP, where the
# kernel has it, turned on first) are mapped by contiguous PTEs.
# Log: build/logs/RELEASE-LEVELSlevel.log.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
rel=${1:?usage: arm64-demo.sh RELEASE [LEVELS]}
levels=${2:-5}
out=$top/build/arm64

"$top/scripts/arm64.sh" module "$rel" W=1
"$top/scripts/arm64.sh" cli
mkdir -p "$out/tests"
aarch64-linux-gnu-gcc -static -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$top/tests" -o "$out/tests/workload" "$top/tests/workload.c" -pthread

script=$(mktemp "${TMPDIR:-/tmp}/ptscope-arm64.XXXXXX")
trap 'rm -f "$script"' EXIT
cat >"$script" <<'END_OF_SCRIPT'
run() { echo; echo "vm# $*"; "$@"; }
# 64K anonymous folios (mTHP, 6.8+): mapped by 16 contiguous PTEs (CONTPTE).
mthp=/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
if [ -w $mthp ]; then run sh -c "echo always > $mthp"; fi
run cat /sys/kernel/mm/transparent_hugepage/enabled
./workload --demo >/tmp/workload.out 2>&1 &
pid=$!
i=0
while ! grep -q '^try:' /tmp/workload.out && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
echo "vm# ./workload --demo &"
cat /tmp/workload.out
run ptscope info
run ptscope maps "$pid"
region() { awk -v r="$1" '$1 == r { split($2, a, "-"); print a[1] }' /tmp/workload.out; }
anon=$(region anon)
thp=$(region thp)
# anon: pages [8,24) written (a 64K folio where 64K-aligned), [0,8) read.
for p in 0 8 16 23; do
	run ptscope vtop "$pid" "0x$(printf '%x' $((anon + p * 4096)))"
done
run ptscope pages "$pid" "$(printf '0x%x-0x%x' $((anon)) $((anon + 64 * 4096)))"
run ptscope vtop "$pid" "$thp"
run ptscope vtop "$pid" "0x$(printf '%x' $((thp + 0x12345)))"
stack_end=$(awk '/\[stack\]/ { split($1, r, "-"); print r[2] }' "/proc/$pid/maps")
run ptscope vtop "$pid" "0x$(printf '%x' $((0x$stack_end - 8)))"
run ptscope --json vtop "$pid" "$thp"
kill "$pid"
END_OF_SCRIPT

VM_APPEND="transparent_hugepage=madvise ${VM_APPEND:-}" \
	"$top/scripts/vm-run.sh" -a arm64 -L "$levels" -n "$rel-${levels}level" -v \
	-m "$out/$rel/module/ptscope.ko" -b "$out/userspace/ptscope" -s "$script" \
	"$rel" "$out/tests/workload"
