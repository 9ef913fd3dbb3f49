#!/bin/bash
# Show ptscope at work in a VM: `make demo` runs this after building.
#
#   scripts/demo.sh KVER MODULE
#
# Boots KVER with 5-level paging, loads MODULE, starts tests/out/workload
# --demo (a busybox shell if that was not built) and runs `ptscope info`,
# `ptscope maps PID` and `ptscope vtop PID ADDR` against it; then tracks
# `workload --churn` (its counters also as Prometheus metrics) and draws
# `ptscope heat` of `workload --heat`.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:?usage: demo.sh KVER MODULE}
module=${2:?usage: demo.sh KVER MODULE}
cli=$top/userspace/ptscope
[ -x "$cli" ] || { echo "demo: $cli missing (make cli)" >&2; exit 1; }

script=$(mktemp "${TMPDIR:-/tmp}/ptscope-demo.XXXXXX")
trap 'rm -f "$script"' EXIT
cat >"$script" <<'END_OF_SCRIPT'
run() { echo; echo "vm# $*"; "$@"; }
set -e
if [ -x ./workload ]; then
	# The tests' workload: every kind of page state, laid out for humans.
	./workload --demo >/tmp/workload.out 2>&1 &
	pid=$!
	i=0
	while [ ! -s /tmp/workload.out ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	sleep 1
	echo "vm# ./workload --demo &"
	cat /tmp/workload.out
else
	# A busybox shell with a touched heap and stack.
	sh -c 'x=$(seq 1 2000); sleep 1000; echo "$x" >/dev/null' &
	pid=$!
	sleep 1
fi
run ptscope info
run ptscope maps "$pid"
# Top of the stack (certainly present) and start of the heap.
stack_end=$(awk '/\[stack\]/ { split($1, r, "-"); print r[2] }' "/proc/$pid/maps")
heap=$(awk '/\[heap\]/ { split($1, r, "-"); print r[1] }' "/proc/$pid/maps")
run ptscope vtop "$pid" "0x$(printf '%x' $((0x$stack_end - 8)))"
if [ -n "$heap" ]; then run ptscope vtop "$pid" "0x$heap"; fi
# The address the workload suggests ("try: ... ptscope vtop PID ADDR"), else
# the first one it printed.
addr=$(grep -oE 'vtop [0-9]+ 0x[0-9a-f]+' /tmp/workload.out 2>/dev/null | awk '{ print $3; exit }' || true)
[ -n "$addr" ] || addr=$(grep -oE '0x[0-9a-f]{6,}' /tmp/workload.out 2>/dev/null | head -n1 || true)
if [ -n "$addr" ]; then run ptscope vtop "$pid" "$addr" || true; fi
kill "$pid"
if [ -x ./workload ]; then
	# TLB shootdowns and faults of one process: a thread per CPU, one
	# rewriting page tables the other keeps loaded.
	./workload --churn >/tmp/churn.out 2>&1 &
	churn=$!
	sleep 0.5
	echo; echo "vm# ./workload --churn &"; cat /tmp/churn.out
	# Faults are counted at entry by default; minor/major and latency
	# need a return hook that every process's faults pay for: opt in.
	echo; echo "vm# echo 1 > /sys/module/ptscope/parameters/fault_latency"
	echo 1 >/sys/module/ptscope/parameters/fault_latency
	run ptscope track start "$churn"
	run ptscope info
	sleep 2
	run ptscope stats "$churn"
	# Piped: the serial console is a terminal, a log is not.
	echo; echo "vm# ptscope watch $churn --interval 1 --count 3 | cat"
	ptscope watch "$churn" --interval 1 --count 3 | cat
	# What a Prometheus scrape of the same process gets (ptscope exporter
	# serves the same at /metrics): the shootdown counters and the fault
	# latency histogram's first buckets.
	echo; echo "vm# ptscope metrics --pid $churn | grep -E '^ptscope_(tlb_shootdowns|faults_result|fault_latency_seconds_bucket|resident)' | head -12"
	ptscope metrics --pid "$churn" |
		grep -E '^ptscope_(tlb_shootdowns|faults_result|fault_latency_seconds_bucket|resident)' | head -12
	run ptscope track stop --all
	kill "$churn"

	# Which memory is in use now: a hot 4 MiB, a wave moving through
	# 32 MiB a slice a second, and 28 MiB touched once.
	./workload --heat >/tmp/heat.out 2>&1 &
	heat=$!
	sleep 1
	echo; echo "vm# ./workload --heat &"; cat /tmp/heat.out
	range=$(sed -n 's/.*heat \(0x[0-9a-f]*-0x[0-9a-f]*\).*/\1/p' /tmp/heat.out)
	echo; echo "vm# COLUMNS=100 ptscope heat $heat --range $range --interval 1 --count 10 | cat"
	COLUMNS=100 ptscope heat "$heat" --range "$range" --interval 1 --count 10 | cat
	kill "$heat"
fi
END_OF_SCRIPT

files=()
if [ -x "$top/tests/out/workload" ]; then
	files+=("$top/tests/out/workload")
fi
echo "demo: booting $kver with 5-level paging (about 5 seconds)"
VM_APPEND=${VM_APPEND:-quiet} exec "$top/scripts/vm-run.sh" -L 5 -m "$module" -b "$cli" \
	-s "$script" -n "demo-$kver" "$kver" ${files[@]+"${files[@]}"}
