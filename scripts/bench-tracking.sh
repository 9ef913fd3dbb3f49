#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What tracking costs: tests/track_bench in a VM per kernel (2 CPUs), the
# fault storm and the mprotect (shootdown) storm with the module not
# loaded, loaded and idle, tracking another process and tracking the
# storm itself, the last two with the default fault hook and with
# fault_latency=1.  Prints one table per kernel; never fails on a ratio.
#
#   scripts/bench-tracking.sh [SERIES...]    (default: scripts/kernels.list)
#
# Environment: ROUNDS (8), FAULT_PAGES (4096 per storm repeat).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
rounds=${ROUNDS:-8} pages=${FAULT_PAGES:-4096}
work=$top/build/bench-tracking
mkdir -p "$work"

scripts/setup.sh "$@" >"$work/setup.log" 2>&1 ||
	{ echo "bench-tracking: setup failed, see $work/setup.log" >&2; exit 1; }
read -ra kernels <<<"$(scripts/kernels.sh releases "$@")"
make -s -C userspace libptscope.a ptscope
make -s -C tests OUT="$work/out" "$work/out/track_bench"

cat >"$work/run.sh" <<END
/tests/track_bench $rounds $pages
END

for k in "${kernels[@]}"; do
	# A private copy of the module sources per kernel: kbuild writes
	# its objects next to them.
	mod=$work/module-$k
	rm -rf "$mod"
	cp -r module "$mod"
	scripts/kernels.sh run "$k" make -s -C "/lib/modules/$k/build" M="$mod" modules \
		>"$work/build-$k.log" 2>&1 ||
		{ echo "bench-tracking: module build for $k failed, see $work/build-$k.log" >&2; exit 1; }
	# Six situations, ROUNDS rounds of best-of-3 storms each: longer
	# than vm-run.sh's default whole-VM timeout on a busy host.
	VM_TIMEOUT=${VM_TIMEOUT:-3600} VM_APPEND=${VM_APPEND:-quiet} \
		VM_TCG_THREAD=multi scripts/vm-run.sh -L 5 -m "$mod/ptscope.ko" \
		-b userspace/ptscope -s "$work/run.sh" -n "bench-tracking-$k" \
		"$k" "$work/out/track_bench" >"$work/vm-$k.out" 2>&1 || true
	echo
	sed -n '/tracking overhead/,/^ *target:.*tracked, fault_latency=1/p' \
		"build/logs/bench-tracking-$k.log" |
		sed 's/^ *//; s/\r$//' | grep . ||
		{ echo "bench-tracking: no table from $k, see build/logs/bench-tracking-$k.log" >&2; }
done
