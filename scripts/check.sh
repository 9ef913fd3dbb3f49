#!/bin/bash
# The whole test matrix; `make check` runs it.  Root on Debian 12.
#
#   scripts/check.sh [SERIES]...    (default: every series in scripts/kernels.list)
#
# Steps, each reported as host-side TAP ("ok N - ..." / "not ok N - ..."):
#   setup          scripts/setup.sh: resolves each series to the newest
#                  release Debian has (printed), installs its headers on the
#                  host or in a build root (.cache/roots/), unpacks images
#   per kernel     clean module build with W=1 (no "warning:" allowed),
#                  sparse (make module C=2; no warning in module/ allowed),
#                  both where the kernel is built (scripts/kernels.sh run)
#   style          checkpatch.pl --strict on module/
#   cli, tests     make cli, make -C tests (binaries land in tests/out/),
#                  on the host: the same binaries run in every kernel's VM
#   unit           make -C userspace unit on the host (its own TAP counted)
#   render         scripts/render-check.sh: SVG/HTML in headless Chromium
#   alert rules    tests/prom/rules.sh: promtool check rules and test rules
#                  on dist/prometheus/ptscope-alerts.yml
#   VM suites      per kernel and paging mode (CHECK_MODES, default "4 5"):
#                  insmod the module built above, run every tests/out/*_test
#                  (scripts/vm-run.sh; every TAP line counted, splats fail),
#                  each with a Prometheus on the host scraping exporter_test's
#                  exporter (vm-run.sh -H tests/prom/prom_host.py, its TAP
#                  counted as one more section of the VM's log)
#   DKMS           dkms add/build/install for every kernel, then per kernel a
#                  VM that loads it with modprobe and runs the smoke checks
#   arm64          for each series of ARM64_SERIES: Debian's
#                  arm64 headers and images (scripts/arm64.sh setup), the
#                  module cross-built with W=1 and sparse, the CLI and tests
#                  static, and the same suite (with the Prometheus peer) in
#                  an aarch64 VM per series: 4 levels on 6.1 (48-bit VA),
#                  5 with LPA2 on the 52-bit kernels.  ARM64_SERIES: the
#                  oldest and newest by default, "all" (make check-all),
#                  "none" or a list
#
# The VMs run CHECK_JOBS at a time (default: one per CPU; each is a
# single-threaded TCG guest), the longest (arm64) first.
# Logs: build/logs/.  Last line: "N passed, N failed" over everything.
# Exit status non-zero when anything failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# Deterministic builds: nothing from an outer make (make -j, W=...) leaks in.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
series=("$@")
modes=${CHECK_MODES:-4 5}
jobs=${CHECK_JOBS:-$(nproc)}
logs=$top/build/logs
rm -rf "$logs" build/vm
mkdir -p "$logs"

passed=0 failed=0 skipped=0 n=0
# Every failure, a line each, repeated at the end: CI shows the tail.
digest=$logs/failures.txt
: >"$digest"
ok()     { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $*"
	echo "check: not ok $n - $*" >>"$digest"
}
# digest_add PREFIX FILE: FILE's failure lines, each under PREFIX.
digest_add() { [ ! -s "$2" ] || sed "s/^/$1: /" "$2" >>"$digest"; }
add_counts() {	# add_counts FILE: "PASSED FAILED SKIPPED"
	local p f s
	read -r p f s <"$1" || return 1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}
finish() {
	local lines
	echo
	if [ -s "$digest" ]; then
		lines=$(wc -l <"$digest")
		echo "failures ($lines line(s), the first 60; all in $digest):"
		head -n 60 "$digest" | cut -c1-200 | sed 's/^/  /'
	fi
	echo "logs: $logs"
	echo "$skipped skipped"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# step NAME DESCRIPTION CMD...: run CMD with output to build/logs/NAME.log.
step() {
	local name=$1 desc=$2
	shift 2
	if "$@" >"$logs/$name.log" 2>&1; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc"
	tail -n 25 "$logs/$name.log" | sed 's/^/#   /'
	echo "#   (full output: $logs/$name.log)"
	return 1
}

echo "# ptscope check: series: ${series[*]:-all of scripts/kernels.list}; paging modes: $modes"

# --- setup -------------------------------------------------------------------
step setup "setup (scripts/setup.sh)" scripts/setup.sh ${series[@]+"${series[@]}"} || finish
grep '^kernels: ' "$logs/setup.log" | sed 's/^/# /'
kernels=$(scripts/kernels.sh releases ${series[@]+"${series[@]}"})
read -ra klist <<<"$kernels"

# --- module builds -----------------------------------------------------------
# sparse that parses every kernel's headers (scripts/sparse.sh, built by
# setup); KBUILD_CHECKSRC=2 runs it although Debian's 7.x headers lack the
# script kbuild tests checkers with.
sparse=$(scripts/sparse.sh) || not_ok "a sparse for every kernel (scripts/sparse.sh)"
sparse_args=(CHECK="$sparse" KBUILD_CHECKSRC=2)
# sparse_verdict KVER LOG: clean only if it checked module/ and said nothing.
sparse_verdict() {
	if ! grep -q ' CHECK .*module/' "$2"; then
		not_ok "sparse checked the module for $1 (no CHECK line: sparse did not run)"
	elif grep -E '(warning|error):' "$2" | grep -E 'module/'; then
		not_ok "sparse clean for $1"
	else
		ok "sparse clean for $1 ($(grep -c ' CHECK .*module/' "$2") files)"
	fi
}
declare -A ko
for k in $kernels; do
	make clean-module >/dev/null 2>&1	# a full rebuild shows every warning
	if step "build-$k" "module builds for $k (W=1)" \
		scripts/kernels.sh run "$k" make module KVER="$k" W=1; then
		if grep -n 'warning:' "$logs/build-$k.log"; then
			not_ok "module build for $k is warning-free"
		else
			ok "module build for $k is warning-free"
		fi
		mkdir -p "build/$k"
		cp module/ptscope.ko "build/$k/ptscope.ko"
		ko[$k]=$top/build/$k/ptscope.ko
		# C=2 checks every file (and may recompile without W=1: the copy is taken).
		if step "sparse-$k" "sparse runs for $k (C=2)" \
			scripts/kernels.sh run "$k" make module KVER="$k" C=2 "${sparse_args[@]}"; then
			sparse_verdict "$k" "$logs/sparse-$k.log"
		fi
	fi
done

step style "checkpatch --strict clean (make style)" make style

# --- userspace + tests -------------------------------------------------------
step cli "CLI builds (make cli)" make cli
if [ -f tests/Makefile ]; then
	step tests-build "tests build (make -C tests)" make -C tests
else
	not_ok "tests build: tests/Makefile missing"
fi

# host_tap NAME CMD...: run a host-side test program and count its TAP
# (same rules as the VM tests, see scripts/parse-log.sh).
host_tap() {
	local name=$1 rc=0
	shift
	echo "# $name: $*"
	"$@" >"$logs/$name.log" 2>&1 || rc=$?
	sed 's/^/    /' "$logs/$name.log"
	{ echo "=== PTSCOPE-BEGIN $name ==="; cat "$logs/$name.log"
	  echo "=== PTSCOPE-END $name rc=$rc ==="; } >"$logs/$name.wrapped"
	rm -f "$logs/$name.failures"
	scripts/parse-log.sh -n -c "$logs/$name.counts" -f "$logs/$name.failures" \
		"$logs/$name.wrapped"
	add_counts "$logs/$name.counts"
	digest_add "$name" "$logs/$name.failures"
}

# The unit runner prints TAP and ends with its own "N passed, N failed".
host_tap unit make -C userspace unit
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/unit.log" | tail -n1)
if [ -n "$summary" ]; then
	echo "#   unit runner says: $summary"
fi
if [ -x tests/check-spec.sh ]; then
	host_tap check-spec tests/check-spec.sh
fi
# The systemd units make install writes (systemd-analyze verify).
host_tap units tests/check-units.sh
# maps --svg/--html of the recorded fixtures, rendered by headless Chromium.
host_tap render scripts/render-check.sh
# The example alert rules parse and fire when they should (promtool).
host_tap alert-rules tests/prom/rules.sh

# --- arm64 ---------------------------------------------------------------------
# Cross-built on this host from Debian's arm64 packages (scripts/arm64.sh).
# ARM64_SERIES picks the series booted (suite and DKMS VMs): by default the
# oldest and the newest of scripts/kernels-arm64.list, with every series
# still built (an aarch64 guest takes twice an x86 one under TCG: each
# middle series would add 10-15 minutes); "all" boots every one (make
# check-all), "none" skips arm64, a list such as "6.12" builds and boots
# those.
arm64_list=$(sed -e 's/#.*//' scripts/kernels-arm64.list | awk 'NF { printf "%s ", $1 }')
read -ra arm64_all <<<"$arm64_list"
arm64_series=$arm64_list
case ${ARM64_SERIES:-ends} in
none) arm64_series='' arm64_boot_series='' ;;
all) arm64_boot_series=$arm64_list ;;
ends) arm64_boot_series=$(printf '%s\n' "${arm64_all[@]}" | sed -n '1p;$p' | sort -u -V | xargs) ;;
*) arm64_series=$ARM64_SERIES arm64_boot_series=$ARM64_SERIES ;;
esac
arm64_kernels='' arm64_boot='' arm64_cli_built=0 arm64_tests_built=0
declare -A ko_arm64
if [ -n "$arm64_series" ] &&
	step arm64-setup "arm64: headers, images, busybox, sysroot for $arm64_series (scripts/arm64.sh setup)" \
		scripts/arm64.sh setup $arm64_series; then
	arm64_kernels=$(scripts/arm64.sh releases $arm64_series)
	[ -z "$arm64_boot_series" ] || arm64_boot=$(scripts/arm64.sh releases $arm64_boot_series)
	echo "# arm64 kernels: $arm64_kernels; booted: ${arm64_boot:-none}"
	for k in $arm64_kernels; do
		rm -rf "build/arm64/$k"	# a full rebuild shows every warning
		if step "arm64-build-$k" "module builds for $k (arm64, W=1)" \
			scripts/arm64.sh module "$k" W=1; then
			if grep -n 'warning:' "$logs/arm64-build-$k.log"; then
				not_ok "module build for $k is warning-free"
			else
				ok "module build for $k is warning-free"
			fi
			ko_arm64[$k]=$top/build/arm64/$k/module/ptscope.ko
			cp "${ko_arm64[$k]}" "build/arm64/$k/ptscope.ko"
			ko_arm64[$k]=$top/build/arm64/$k/ptscope.ko
			if step "arm64-sparse-$k" "sparse runs for $k (arm64, C=2)" \
				scripts/arm64.sh module "$k" C=2 "${sparse_args[@]}"; then
				sparse_verdict "$k" "$logs/arm64-sparse-$k.log"
			fi
		fi
	done
	# The VMs below use these binaries only when they were built now.
	step arm64-cli "CLI builds for arm64 (static)" scripts/arm64.sh cli &&
		arm64_cli_built=1
	step arm64-tests "tests build for arm64 (static)" scripts/arm64.sh tests -j"$(nproc)" &&
		arm64_tests_built=1
fi

# --- VM test suites ----------------------------------------------------------
# vm NAME ARGS...: queue scripts/vm-run.sh ARGS; its output is printed and
# its counts added once it ends.  CHECK_JOBS VMs run at once.
declare -A vm_running=()	# pid -> name
vm_reap() {	# vm_reap: take whichever VM ends first
	local pid='' p name
	# bash forgets a job that ended while the script ran a foreground
	# command, and `wait -n` then skips it ("no such job") and waits for
	# another: look for one that has ended first; `wait PID` still has
	# its status.
	for p in "${!vm_running[@]}"; do
		kill -0 "$p" 2>/dev/null || { pid=$p; break; }
	done
	[ -n "$pid" ] || wait -n -p pid "${!vm_running[@]}" 2>/dev/null
	if [ -z "$pid" ]; then	# not ours: take any (never loop)
		for pid in "${!vm_running[@]}"; do break; done
	fi
	wait "$pid"
	name=${vm_running[$pid]}
	unset "vm_running[$pid]"
	cat "$logs/$name.out"
	add_counts "$logs/$name.counts" || not_ok "VM $name: no results"
	digest_add "$name" "$logs/$name.failures"
}
vm() {
	local name=$1
	shift
	while [ "${#vm_running[@]}" -ge "$jobs" ]; do vm_reap; done
	rm -f "$logs/$name.counts"
	scripts/vm-run.sh -n "$name" "$@" >"$logs/$name.out" 2>&1 &
	vm_running[$!]=$name
}
vm_wait_all() { while [ "${#vm_running[@]}" -gt 0 ]; do vm_reap; done; }

test_files=()
for f in tests/out/*; do
	case $f in *.o | *.d | *.a) continue ;; esac	# build intermediates
	[ -e "$f" ] && test_files+=("$f")
done
[ -x userspace/ptscope ] && cli=(-b userspace/ptscope) || cli=()
# exporter_test's host half: a real Prometheus beside every suite VM.
[ -x tests/out/exporter_test ] && peer=(-H tests/prom/prom_host.py) || peer=()
echo "# VM suites: ${#test_files[@]} file(s) from tests/out/, $jobs VM(s) at a time"

# The arm64 suites first: under TCG they take twice an x86 one or more, so
# they start while the x86 VMs fill the other slots.  6.1 has 4 levels
# (48-bit VA); the 52-bit kernels run with LPA2, 5 levels.
arm64_files=()
[ "$arm64_tests_built" = 1 ] && for f in build/arm64/tests/out/*; do
	case $f in *.o | *.d | *.a) continue ;; esac
	[ -e "$f" ] && arm64_files+=("$f")
done
for k in $arm64_boot; do
	case $k in 6.1.*) m=4 ;; *) m=5 ;; esac
	name=arm64-$k-${m}level
	if [ -z "${ko_arm64[$k]:-}" ] || [ "$arm64_cli_built" != 1 ]; then
		not_ok "VM $name: no module or CLI was built"
		continue
	fi
	VM_TIMEOUT=${VM_TIMEOUT:-3000} vm "$name" -a arm64 -L "$m" -m "${ko_arm64[$k]}" \
		-b build/arm64/userspace/ptscope ${peer[@]+"${peer[@]}"} "$k" ${arm64_files[@]+"${arm64_files[@]}"}
done

for k in $kernels; do
	for m in $modes; do
		name=$k-${m}level
		if [ -z "${ko[$k]:-}" ]; then
			not_ok "VM $name: no module was built"
			continue
		fi
		vm "$name" -L "$m" -m "${ko[$k]}" ${cli[@]+"${cli[@]}"} ${peer[@]+"${peer[@]}"} \
			"$k" ${test_files[@]+"${test_files[@]}"}
	done
done

# --- DKMS ----------------------------------------------------------------------
# On the host for the host's kernels, in each build root for the others.
dkms_install() {
	local k roots=() root host=()
	for k in "$@"; do
		root=$(scripts/kernels.sh root "$k")
		if [ -z "$root" ]; then
			host+=("$k")
		elif [[ " ${roots[*]} " != *" $root "* ]]; then
			roots+=("$root")
		fi
	done
	[ "${#host[@]}" -eq 0 ] || scripts/dkms.sh install "${host[@]}" || return 1
	for root in ${roots[@]+"${roots[@]}"}; do
		local mine=()
		for k in "$@"; do
			[ "$(scripts/kernels.sh root "$k")" = "$root" ] && mine+=("$k")
		done
		scripts/buildroot.sh run "$root" scripts/dkms.sh install "${mine[@]}" || return 1
	done
}
if step dkms "dkms add/build/install for: $kernels" dkms_install "${klist[@]}"; then
	for k in $kernels; do
		case $k in 6.1.*) m=4 ;; *) m=5 ;; esac
		name=dkms-$k-${m}level
		if ! f=$(scripts/kernels.sh run "$k" scripts/dkms.sh path "$k" 2>&1); then
			not_ok "DKMS module installed for $k: $f"
			continue
		fi
		ok "DKMS module installed for $k: $f"
		VM_TIMEOUT=${VM_TIMEOUT:-300} vm "$name" -L "$m" -m "$(scripts/kernels.sh root "$k")$f" \
			-l modprobe ${cli[@]+"${cli[@]}"} "$k"
	done
fi
# --- DKMS on arm64 -------------------------------------------------------------
# After the x86 DKMS step (its install drops every registration; install -a
# arm64 keeps the others): DKMS cross-builds for each arm64 kernel from the
# headers arm64.sh unpacked (bookworm's on the host, 7.x in the trixie cross
# root), then a VM per kernel loads it with modprobe (smoke checks).
dkms_install_arm64() {
	local k
	for k in "$@"; do
		scripts/arm64.sh run "$k" scripts/dkms.sh install -a arm64 "$k" || return 1
	done
}
# shellcheck disable=SC2086 # one word per release
if [ -n "$arm64_boot" ] && [ "$arm64_cli_built" = 1 ] &&
	step dkms-arm64 "dkms build/install -a aarch64 for: $arm64_boot" \
		dkms_install_arm64 $arm64_boot; then
	for k in $arm64_boot; do
		case $k in 6.1.*) m=4 ;; *) m=5 ;; esac
		name=dkms-arm64-$k-${m}level
		if ! f=$(scripts/arm64.sh run "$k" scripts/dkms.sh path "$k" 2>&1); then
			not_ok "DKMS module installed for $k: $f"
			continue
		fi
		f=$(scripts/arm64.sh root "$k")$f
		v=$(modinfo -F vermagic "$f" 2>&1)
		if [[ $v != "$k "*" aarch64" ]]; then
			not_ok "DKMS module for $k is for $k on aarch64 ($f: vermagic '$v')"
			continue
		fi
		ok "DKMS module installed for $k: $f (vermagic $v)"
		VM_TIMEOUT=${VM_TIMEOUT:-300} vm "$name" -a arm64 -L "$m" -m "$f" \
			-l modprobe -b build/arm64/userspace/ptscope "$k"
	done
fi
vm_wait_all

finish
