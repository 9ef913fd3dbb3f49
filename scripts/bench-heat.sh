#!/bin/bash
# Issue 13's reclaim and DAMON measurements of sample-access, in a QEMU
# (TCG) VM per kernel.  Root on Debian 12.  See docs/heat.md.
#
#   scripts/bench-heat.sh [SERIES]...    (default: 6.12 7.3)
#
# Builds the module (per kernel) and tests/bench/heat_reclaim and
# heat_damon into build/heat/ (a private copy of the sources), boots each
# kernel with 5-level paging, HEAT_MEM of RAM (1G) and 2 CPUs, and runs
# tests/bench/heat-vm.sh there: heat_reclaim under each LRU the kernel can
# switch to (MGLRU and the classic one, /sys/kernel/mm/lru_gen/enabled),
# then heat_damon where the kernel has DAMON's sysfs interface.
# Output: build/heat/KVER.txt; console logs: build/logs/heat-KVER.log.
#
# Environment: HEAT_MEM (1G), HEAT_RECLAIM_ARGS (heat_reclaim's options and
# modes, default "-r 2"; several configurations separated by "|", each run
# in turn; "skip": not run), HEAT_DAMON_ARGS (heat_damon's, default "";
# "skip": not run),
# HEAT_LRUS ("y n": lru_gen/enabled values to run heat_reclaim under),
# HEAT_PATCH (a patch applied to the private copy of module/ before
# building: local experiments, e.g. the young_mark parameter that
# heat_reclaim's "nomark" mode needs; docs/heat.md).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
series=("$@")
[ ${#series[@]} -gt 0 ] || series=(6.12 7.3)
out=$top/build/heat
src=$out/src
start=$(date +%s)

scripts/setup.sh "${series[@]}" >/dev/null
kernels=$(scripts/kernels.sh releases "${series[@]}")

echo "bench-heat: building into $out"
rm -rf "$src"
mkdir -p "$src/tests"
cp -a Kbuild module userspace "$src/"
cp -a tests/bench "$src/tests/"
if [ -n "${HEAT_PATCH:-}" ]; then
	echo "bench-heat: applying $HEAT_PATCH to the module's copy (local experiment)"
	patch -d "$src" -p1 <"$HEAT_PATCH"
fi
make -s -C "$src/userspace" clean >/dev/null
make -s -C "$src/tests/bench" OUT="$out" "$out/heat_reclaim" "$out/heat_damon"
{
	echo "HEAT_RECLAIM_ARGS='${HEAT_RECLAIM_ARGS:--r 2}'"
	echo "HEAT_DAMON_ARGS='${HEAT_DAMON_ARGS:-}'"
	echo "HEAT_LRUS='${HEAT_LRUS:-y n}'"
} >"$out/heat.env"

rc=0
for k in $kernels; do
	mdir=$out/mod-$k
	rm -rf "$mdir"
	mkdir -p "$mdir"
	cp -a "$src/Kbuild" "$src/module" "$mdir/"
	rm -f "$mdir"/module/*.o "$mdir"/module/*.ko "$mdir"/module/.*.cmd
	scripts/kernels.sh run "$k" make -s -C "/lib/modules/$k/build" M="$mdir" modules \
		>"$out/build-$k.log" 2>&1 ||
		{ cat "$out/build-$k.log"; echo "bench-heat: module build for $k failed" >&2; exit 1; }
	echo "bench-heat: $k: VM with ${HEAT_MEM:-1G} RAM, 2 CPUs (TCG)"
	name=heat-$k
	VM_MEM=${HEAT_MEM:-1G} VM_SMP=2 VM_TIMEOUT=${VM_TIMEOUT:-2400} TEST_TIMEOUT=2300 \
		VM_TCG_THREAD=multi scripts/vm-run.sh -L 5 -m "$mdir/module/ptscope.ko" \
		-s tests/bench/heat-vm.sh -n "$name" "$k" "$out/heat_reclaim" \
		"$out/heat_damon" "$out/heat.env" >"$out/vm-$k.out" 2>&1 ||
		{ rc=1; echo "bench-heat: $k: the VM run failed:"; tail -n 30 "$out/vm-$k.out"; }
	sed -n '/^=== heat-vm: begin/,/^=== heat-vm: end/p' "build/logs/$name.log" |
		tr -d '\r' >"$out/$k.txt"
	cat "$out/$k.txt"
done
echo "bench-heat: tables in $out/<KVER>.txt; done in $(($(date +%s) - start)) s"
exit $rc
