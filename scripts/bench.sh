#!/bin/bash
# `make bench`: ptscope against /proc/PID/pagemap, smaps and PAGEMAP_SCAN,
# measured side by side in a QEMU (TCG) VM per kernel.  Root on Debian 12.
#
#   scripts/bench.sh [SERIES]...    (default: every series in scripts/kernels.list)
#
# Builds the module (per kernel), the CLI and tests/bench/ptbench into
# build/bench/ (a private copy of the sources: the working tree's own
# build products are not touched).  The CLI the VM runs as /bin/ptscope
# is the static build without PIE (make STATIC=1 PIE=0); the default dynamic build goes
# beside it as /bin/ptscope-dyn, for ptbench's start-up row of each.
# Then it boots each kernel with 5-level paging, BENCH_MEM of RAM
# (default 6G: the 4 GiB workload plus the rest) and 2 CPUs, runs
# tests/bench/bench-vm.sh there and prints ptbench's table.
# Tables: build/bench/KVER.txt; console logs: build/logs/bench-KVER.log.
#
# Environment: BENCH_MEM (6G), BENCH_REPS (5), BENCH_REPS_4G (3),
# BENCH_LOOP_MS (2000: each mmap/munmap loop measurement),
# BENCH_WORKLOADS (all: a1 a4 b bx c d e), BENCH_LEVELS (5).
# See docs/performance.md for what is measured and how to read it.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
series=("$@")
mem=${BENCH_MEM:-6G}
levels=${BENCH_LEVELS:-5}
args="-r ${BENCH_REPS:-5} -R ${BENCH_REPS_4G:-3} -t ${BENCH_LOOP_MS:-2000} ${BENCH_WORKLOADS:-}"

out=$top/build/bench
src=$out/src
start=$(date +%s)

echo "bench: setup"
scripts/setup.sh ${series[@]+"${series[@]}"} >/dev/null
kernels=$(scripts/kernels.sh releases ${series[@]+"${series[@]}"})

# A private copy of the sources: builds never race other builds in the tree.
echo "bench: building into $out"
rm -rf "$src"
mkdir -p "$src/tests"
cp -a Kbuild dkms.conf module userspace "$src/"
cp -a tests/bench tests/fuzz_nl.c tests/fuzz_nl.h "$src/tests/"
make -s -C "$src/userspace" clean >/dev/null
make -s -C "$src/userspace" ptscope
cp "$src/userspace/ptscope" "$out/ptscope-dyn"
# Static and without PIE: under TCG an ASLR-moved binary is translated
# anew at every exec, which real hardware does not pay (docs/performance.md).
make -s -C "$src/userspace" STATIC=1 PIE=0 ptscope
make -s -C "$src/tests/bench" OUT="$out"
printf '%s\n' "$args" >"$out/bench.args"

declare -A ko
for k in $kernels; do
	mdir=$out/mod-$k
	rm -rf "$mdir"
	mkdir -p "$mdir"
	cp -a "$src/Kbuild" "$src/module" "$mdir/"
	rm -f "$mdir"/module/*.o "$mdir"/module/*.ko "$mdir"/module/*.mod \
		"$mdir"/module/*.mod.c "$mdir"/module/.*.cmd "$mdir"/module/modules.order
	scripts/kernels.sh run "$k" make -s -C "/lib/modules/$k/build" M="$mdir" modules \
		>"$out/build-$k.log" 2>&1 ||
		{ cat "$out/build-$k.log"; echo "bench: module build for $k failed" >&2; exit 1; }
	ko[$k]=$mdir/module/ptscope.ko
done

rc=0
for k in $kernels; do
	echo "bench: $k: VM with $mem RAM, 2 CPUs, ${levels}-level paging (TCG)"
	name=bench-$k
	VM_MEM=$mem VM_SMP=2 VM_TIMEOUT=${VM_TIMEOUT:-1200} \
		VM_TCG_THREAD=multi scripts/vm-run.sh -L "$levels" -m "${ko[$k]}" -b "$src/userspace/ptscope" -b "$out/ptscope-dyn" \
		-s tests/bench/bench-vm.sh -n "$name" "$k" "$out/ptbench" "$out/bench.args" \
		>"$out/vm-$k.out" 2>&1 || { rc=1; echo "bench: $k: the VM run failed:"; tail -n 40 "$out/vm-$k.out"; }
	log=build/logs/$name.log
	sed -n '/^=== ptbench: kernel/,/^=== ptbench: end ===/p' "$log" | tr -d '\r' >"$out/$k.txt"
	if [ -s "$out/$k.txt" ]; then
		cat "$out/$k.txt"
	else
		rc=1
		echo "bench: $k: no table in $log"
		grep -E 'ptbench' "$log" | tail -n 20 || true
	fi
done
echo
echo "bench: tables in $out/<KVER>.txt; done in $(($(date +%s) - start)) s"
exit $rc
