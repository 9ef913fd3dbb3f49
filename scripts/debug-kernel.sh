#!/bin/bash
# The whole VM suite on a debug kernel: KASAN, lockdep, DEBUG_VM,
# DEBUG_OBJECTS, DEBUG_ATOMIC_SLEEP and kmemleak.  `make check-debug` runs it.
#
#   scripts/debug-kernel.sh [-k]     (-k: build the kernel only)
#
# The kernel is the newest series of scripts/kernels.list (new bugs live in
# new kernels), from Debian's linux-source-SERIES; DEBUG_SERIES=6.12 picks
# another.  It is built where that series is built: on the host, or in its
# build root (scripts/buildroot.sh), with the root's compiler.
#
# 1. Builds a minimal kernel (allnoconfig + scripts/debug-kernel.config) from
#    linux-source-SERIES into .cache/debug-kernel/build-SERIES (O=).
#    Cached: rebuilt only when the fragment, this script's build recipe or the
#    source package version changes (key in build-SERIES/.ptscope-debug-key).
# 2. Builds ptscope.ko against it from a copy of the module sources
#    (.cache/debug-kernel/mod/; module/ptscope.ko is left alone), the CLI
#    and the tests, and makes .cache/kernels/<KVER>/ point at the kernel.
# 3. Runs every tests/out/*_test in a 5-level-paging VM (scripts/vm-run.sh;
#    splats fail the run), then kmemleak scans (KMEMLEAK_SCAN=1, see
#    scripts/vm-init.sh); any leak with ptscope in its backtrace fails.
#
# Environment: DEBUG_SERIES (newest), VM_MEM (2G), VM_TIMEOUT (5400 s),
# TEST_TIMEOUT (2400 s), JOBS (2), DEBUG_TESTS (e.g. "race fuzz": only
# those tests; default all).
# Logs: build/logs/debug-*.  Last line: "N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

kernel_only=0
[ "${1:-}" = -k ] && kernel_only=1

series=${DEBUG_SERIES:-$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/kernels.list |
	tail -n1 | awk '{ print $1 }')}
fragment=$top/scripts/debug-kernel.config
cache=$top/.cache/debug-kernel
src=$cache/linux-source-$series
out=$cache/build-$series
jobs=${JOBS:-2}
logs=$top/build/logs
mkdir -p "$logs" "$cache"

passed=0 failed=0 n=0
ok()     { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
finish() {
	echo
	echo "logs: $logs/debug-*"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# Where the series is built: the host, or its build root.
scripts/setup.sh "$series" >"$logs/debug-setup.log" 2>&1 || {
	tail -n 20 "$logs/debug-setup.log"
	not_ok "setup for $series (see $logs/debug-setup.log)"
	finish
}
root=$(scripts/kernels.sh root "$(scripts/kernels.sh release "$series")")
there() { if [ -n "$root" ]; then scripts/buildroot.sh run "$root" "$@"; else "$@"; fi; }
# What a kernel build needs beyond a module build's tools.
if ! there apt-get install -y -qq --no-install-recommends "linux-source-$series" \
	gcc flex bison bc libssl-dev libelf-dev cpio >"$logs/debug-packages.log" 2>&1; then
	tail -n 20 "$logs/debug-packages.log"
	not_ok "linux-source-$series and kernel build tools (see $logs/debug-packages.log)"
	finish
fi
tarball=$root/usr/src/linux-source-$series.tar.xz
kmake() { there make -C "$src" O="$out" ARCH=x86_64 "$@"; }

# --- 1. the kernel -----------------------------------------------------------
srcver=$(there dpkg-query -W -f='${Version}' "linux-source-$series")
# The recipe is part of the key: the lines between the markers below.
recipe=$(sed -n '/^# >>> recipe/,/^# <<< recipe/p' "$0")
key=$( { echo "$series $srcver"; cat "$fragment"; echo "$recipe"; } | sha256sum | cut -d' ' -f1)

build_kernel() {
	local start secs missing opt want line
	start=$(date +%s)
	if [ "$(cat "$src/.ptscope-srcver" 2>/dev/null)" != "$srcver" ]; then
		echo "debug-kernel: extracting $tarball"
		rm -rf "$src"
		mkdir -p "$src"
		tar -xJf "$tarball" -C "$src" --strip-components=1 || return 1
		echo "$srcver" >"$src/.ptscope-srcver"
	fi
	rm -rf "$out"
	mkdir -p "$out"
# >>> recipe
	kmake allnoconfig || return 1
	there "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" || return 1
	kmake olddefconfig || return 1
	# Every option the fragment sets must have stuck, unless this kernel
	# has no such option at all (PROC_SYSCTL and X86_5LEVEL are gone in 7.x:
	# always built in).
	missing= absent=
	while read -r line; do
		case $line in
		CONFIG_*=y) opt=${line%%=*} want="$opt=y" ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; want="# $opt is not set" ;;
		*) continue ;;
		esac
		if ! grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config ${opt#CONFIG_}\$" "$src"; then
			absent="$absent $opt"
		elif [ "$want" = "$opt=y" ]; then
			grep -qx "$want" "$out/.config" || missing="$missing $opt"
		else
			grep -q "^$opt=" "$out/.config" && missing="$missing !$opt"
		fi
	done <"$fragment"
	if [ -n "$missing" ]; then
		echo "debug-kernel: options not as requested after olddefconfig:$missing" >&2
		return 1
	fi
	[ -z "$absent" ] || echo "debug-kernel: not in this kernel, skipped:$absent"
	echo "debug-kernel: config verified ($(grep -c '=y' "$out/.config") options =y)"
	# all = vmlinux, bzImage, modules (-> Module.symvers, modules.builtin);
	# modules_prepare for external modules.
	kmake -j"$jobs" all || return 1
	kmake modules_prepare || return 1
# <<< recipe
	echo "$key" >"$out/.ptscope-debug-key"
	secs=$(($(date +%s) - start))
	echo "debug-kernel: kernel build took ${secs}s ($((secs / 60))m$((secs % 60))s)"
}

if [ "$(cat "$out/.ptscope-debug-key" 2>/dev/null)" = "$key" ] &&
   [ -e "$out/arch/x86/boot/bzImage" ]; then
	ok "debug kernel (cached, key ${key:0:12})"
else
	echo "debug-kernel: building the kernel (log: $logs/debug-kernel-build.log)"
	if build_kernel >"$logs/debug-kernel-build.log" 2>&1; then
		grep -E '^debug-kernel:' "$logs/debug-kernel-build.log"
		ok "debug kernel built (key ${key:0:12})"
	else
		tail -n 30 "$logs/debug-kernel-build.log"
		not_ok "debug kernel build (see $logs/debug-kernel-build.log)"
		finish
	fi
fi
kver=$(kmake -s kernelrelease 2>/dev/null)
echo "debug-kernel: release $kver, $(du -h "$out/arch/x86/boot/bzImage" | cut -f1) bzImage"
[ "$kernel_only" -eq 1 ] && finish

# vm-run.sh / mkinitramfs.sh look for .cache/kernels/KVER/{vmlinuz,lib/modules/KVER}.
kdir=$top/.cache/kernels/$kver
mkdir -p "$kdir/lib/modules/$kver"
ln -sfn "$out/arch/x86/boot/bzImage" "$kdir/vmlinuz"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	if [ -e "$out/$f" ]; then cp "$out/$f" "$kdir/lib/modules/$kver/"; fi
done
rm -f "$kdir/lib/modules/$kver/modules.dep"	# mkinitramfs reruns depmod

# --- 2. module, CLI, tests ---------------------------------------------------
mod=$cache/mod
build_module() {
	rm -rf "$mod"
	mkdir -p "$mod/module"
	cp Kbuild "$mod/"
	cp module/Kbuild module/*.c module/*.h module/*.def "$mod/module/"
	cp -r module/uapi "$mod/module/"
	kmake M="$mod" W=1 modules &&
	cp "$mod/module/ptscope.ko" "$cache/ptscope.ko"
}
if build_module >"$logs/debug-module.log" 2>&1; then
	ok "ptscope.ko for $kver ($cache/ptscope.ko)"
else
	tail -n 20 "$logs/debug-module.log"
	not_ok "ptscope.ko for $kver (see $logs/debug-module.log)"
	finish
fi
if make -C userspace >"$logs/debug-cli.log" 2>&1; then
	ok "make -C userspace"
else
	not_ok "make -C userspace (see $logs/debug-cli.log)"
	finish
fi
if make -C tests >"$logs/debug-tests-build.log" 2>&1; then
	ok "make -C tests"
else
	not_ok "make -C tests (see $logs/debug-tests-build.log)"
	finish
fi

# --- 3. the VM ---------------------------------------------------------------
name=debug-$kver-5level
export VM_MEM=${VM_MEM:-2G} VM_TIMEOUT=${VM_TIMEOUT:-5400} TEST_TIMEOUT=${TEST_TIMEOUT:-2400}
export VM_APPEND="${VM_APPEND:-} KMEMLEAK_SCAN=1"
mapfile -t files < <(find tests/out -maxdepth 1 -type f | sort)
# DEBUG_TESTS="race fuzz": only those *_test programs (the other files stay).
if [ -n "${DEBUG_TESTS:-}" ]; then
	kept=()
	for f in "${files[@]}"; do
		case $f in
		*_test) for t in $DEBUG_TESTS; do
				[ "${f##*/}" = "${t}_test" ] && kept+=("$f")
			done ;;
		*) kept+=("$f") ;;
		esac
	done
	files=("${kept[@]}")
fi
echo "debug-kernel: VM with ${#files[@]} files from tests/out, VM_MEM=$VM_MEM, VM_TIMEOUT=$VM_TIMEOUT"
log=$logs/$name.log
# Known 6.12 flake, not ptscope's: with KASAN and la57, an interrupt during
# identify_cpu() (boot_cpu_data's capabilities briefly cleared, so
# pgtable_l5_enabled() reads false before alternatives are patched) gives a
# KASAN "wild-memory-access" and a panic before /init runs.  A VM that died
# before /init (no "=== PTSCOPE-VM" line) is booted again, at most twice.
for try in 1 2 3; do
	scripts/vm-run.sh -L 5 -n "$name" -m "$cache/ptscope.ko" -b userspace/ptscope \
		"$kver" "${files[@]}"
	vmrc=$?
	grep -q '=== PTSCOPE-VM ' "$log" && break
	[ "$try" -lt 3 ] || break
	cp "$log" "$logs/$name.boot$try.log"
	echo "debug-kernel: the kernel died before /init (attempt $try, log kept as" \
		"$logs/$name.boot$try.log):"
	grep -m3 -E 'BUG:|Kernel panic|RIP:' "$log" | sed 's/^/    /'
	echo "debug-kernel: booting again"
done
counts=$logs/$name.counts
if read -r p f s <"$counts" 2>/dev/null; then
	passed=$((passed + p)) failed=$((failed + f))
	echo "debug-kernel: VM tests: $p passed, $f failed, $s skipped"
else
	not_ok "VM run produced no counts (see $log)"
fi
if [ "$vmrc" -eq 0 ]; then
	ok "VM run: every test passed, no splat, clean shutdown"
else
	not_ok "VM run (splat, failure, timeout or crash; see $log)"
fi
nsplat=$(grep -cE '^\[ *[0-9]+\.[0-9]+\].*(BUG:|WARNING:|Oops|KASAN:|UBSAN:|possible circular|possible recursive|inconsistent lock|sleeping function called|ODEBUG:|Kernel panic)' "$log" 2>/dev/null)
echo "debug-kernel: splat lines in the console log: ${nsplat:-0}"
grep -E '^\[ *[0-9]+\.[0-9]+\].*(BUG:|WARNING:|Oops|KASAN:|UBSAN:|possible circular|possible recursive|inconsistent lock|sleeping function called|ODEBUG:|Kernel panic)' "$log" 2>/dev/null | head -n 20 | sed 's/^/    /'

# kmemleak: the blocks vm-init.sh prints between its markers.  A report is
# ptscope's when its backtrace names ptscope or has an address that no
# longer resolves (module area, module already unloaded: ptscope is the only
# loadable module in the VM).  Only backtrace lines count: comm "ptscope"
# alone (the CLI's process) does not make a kernel leak ours.
kml=$logs/$name.kmemleak
tr -d '\r' <"$log" | sed -n '/=== PTSCOPE-KMEMLEAK BEGIN/,/=== PTSCOPE-KMEMLEAK END/p' >"$kml"
if ! grep -q 'PTSCOPE-KMEMLEAK END' "$kml"; then
	not_ok "kmemleak scan did not run (see $log)"
else
	total=$(awk '/^unreferenced object/ { print $3 }' "$kml" | sort -u | wc -l)
	ours=$(awk '
		/^unreferenced object/ { obj = $3; next }
		obj != "" && /^ *\[</ && (/ptscope/ || /\] 0xffffffff[a-f]/) { mine[obj] = 1 }
		END { n = 0; for (o in mine) n++; print n }' "$kml")
	echo "debug-kernel: kmemleak: $total report(s) in total, $ours from ptscope ($kml)"
	if [ "$ours" -eq 0 ]; then
		ok "kmemleak: nothing from ptscope"
	else
		grep -B8 -A4 -E '^ *\[<.*(ptscope|\] 0xffffffff[a-f])' "$kml" | head -n 60 | sed 's/^/    /'
		not_ok "kmemleak: $ours leak(s) from ptscope"
	fi
fi
finish
