#!/bin/bash
# Boot a kernel under QEMU (TCG) with a ptscope initramfs and judge the run.
#
#   scripts/vm-run.sh [options] KVER [FILE]...
#
#   -a ARCH    x86_64 (default) or arm64: qemu-system-aarch64 -machine virt,
#              the kernel and busybox from .cache/arm64/ (scripts/arm64.sh)
#   -L 4|5     paging levels: 5 = "-cpu max" (la57; on arm64 LPA2, which only
#              52-bit-VA kernels use), 4 = "-cpu max,la57=off" (lpa2=off)
#   -m MODULE  ptscope.ko / ptscope.ko.xz to load in the VM
#   -l HOW     insmod (default) or modprobe (module goes to updates/dkms/)
#   -b BIN     program for /bin in the VM (repeatable; e.g. userspace/ptscope)
#   -s SCRIPT  run SCRIPT in the VM instead of the test programs (demo)
#   -n NAME    log name (default KVER-<L>level); log: build/logs/NAME.log
#   -v         show the whole console on the terminal (default: test output
#              and kernel splats only)
#   FILE...    copied to /tests in the VM; every executable *_test is run
#
# Environment: VM_MEM (1G), VM_SMP (2), VM_TIMEOUT (900 s, whole VM),
# TEST_TIMEOUT (600 s, per test program), VM_APPEND (extra kernel args),
# VM_TCG_THREAD (single), QEMU (qemu-system-x86_64).
#
# VM_TCG_THREAD=single runs all vCPUs on one host thread, in turns; multi
# gives each its own (MTTCG).  Tests default to single: under QEMU 7.2's
# MTTCG, kernel text the guest patches on one vCPU (text_poke_bp(): ftrace
# call sites, static keys) can still run unpatched on the other, which
# ptscope's probes hit when they come and go while the other CPU is busy
# (seen as an "Oops: int3" at a site being patched, or a jump to address 0
# after a probe went away, in loadunload_test's rmmod while tracking; never
# with single).  The benchmarks want two vCPUs running at once: multi.
#
# Needs scripts/setup.sh to have unpacked the kernel into .cache/kernels/KVER.
# Exit status 0 when every test passed, no kernel splat was logged and the
# VM shut down by itself.  build/logs/NAME.counts gets "PASSED FAILED SKIPPED".
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
levels=5 module='' load=insmod script='' name='' verbose=0 arch=x86_64
mkargs=()
while getopts a:L:m:l:b:s:n:v opt; do
	case $opt in
	a) arch=$OPTARG ;;
	L) levels=$OPTARG ;;
	m) module=$OPTARG ;;
	l) load=$OPTARG ;;
	b) mkargs+=(-b "$OPTARG") ;;
	s) script=$OPTARG ;;
	n) name=$OPTARG ;;
	v) verbose=1 ;;
	*) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kver=${1:?usage: vm-run.sh [options] KVER [FILE]...}
shift

case $arch/$levels in
x86_64/5) cpu=max ;;
x86_64/4) cpu=max,la57=off ;;
arm64/5) cpu=max ;;
arm64/4) cpu=max,lpa2=off ;;
*) echo "vm-run: -a must be x86_64 or arm64, -L 4 or 5" >&2; exit 2 ;;
esac
: "${name:=$kver-${levels}level}"
: "${VM_MEM:=1G}" "${VM_SMP:=2}" "${VM_TIMEOUT:=900}" "${TEST_TIMEOUT:=600}"
: "${VM_APPEND:=}" "${VM_TCG_THREAD:=single}"
if [ "$arch" = arm64 ]; then
	: "${QEMU:=qemu-system-aarch64}"
	machine=(-machine virt)
	console=ttyAMA0
	kernel=$top/.cache/arm64/kernels/$kver/vmlinuz
	setup_hint="scripts/arm64.sh setup"
else
	: "${QEMU:=qemu-system-x86_64}"
	machine=()
	console=ttyS0
	kernel=$top/.cache/kernels/$kver/vmlinuz
	setup_hint="scripts/setup.sh $kver"
fi

[ -e "$kernel" ] || { echo "vm-run: $kernel missing; run $setup_hint" >&2; exit 2; }

logs=$top/build/logs
mkdir -p "$logs" "$top/build/vm"
log=$logs/$name.log
initrd=$top/build/vm/$name.cpio

[ -n "$module" ] && mkargs+=(-m "$module" -l "$load")
[ -n "$script" ] && mkargs+=(-s "$script")
"$top/scripts/mkinitramfs.sh" -o "$initrd" -k "$kver" -a "$arch" -L "$levels" -t "$TEST_TIMEOUT" \
	${mkargs[@]+"${mkargs[@]}"} "$@"

append="console=$console printk.time=1 panic=-1 oops=panic panic_on_warn=1"
append="$append softlockup_panic=1 rdinit=/init $VM_APPEND"

echo "vm-run: $name: booting $kver ($arch), ${levels}-level paging, $VM_SMP CPUs, $VM_MEM (TCG, $VM_TCG_THREAD thread)"
start=$(date +%s)
set +e
# stdin from /dev/null: QEMU must not touch the terminal, and CI has none.
timeout -k 10 "$VM_TIMEOUT" "$QEMU" ${machine[@]+"${machine[@]}"} \
	-accel "tcg,thread=$VM_TCG_THREAD" -cpu "$cpu" -smp "$VM_SMP" -m "$VM_MEM" \
	-nodefaults -no-user-config -display none -serial stdio -monitor none \
	-nic none -no-reboot -kernel "$kernel" -initrd "$initrd" -append "$append" \
	</dev/null 2>&1 |
awk -v logf="$log" -v verbose="$verbose" '
	{ sub(/\r$/, ""); print > logf; fflush(logf) }
	verbose { print; fflush(); next }
	/=== PTSCOPE-BEGIN / { show = 1 }
	show || /=== PTSCOPE-VM / || /BUG:|WARNING:|Oops|Kernel panic|Call Trace:|stall/ { print "    " $0; fflush() }
	/=== PTSCOPE-END / { show = 0 }'
rc=${PIPESTATUS[0]}
set -e
secs=$(($(date +%s) - start))

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "vm-run: $name: TIMEOUT: VM still running after ${VM_TIMEOUT}s, killed"
elif [ "$rc" -ne 0 ]; then
	echo "vm-run: $name: $QEMU exited with status $rc"
fi
echo "vm-run: $name: VM ran ${secs}s; results:"
ok=1
"$top/scripts/parse-log.sh" -c "$logs/$name.counts" "$log" || ok=0
[ "$rc" -eq 0 ] || ok=0
if [ $ok -eq 1 ]; then
	exit 0
fi
echo "vm-run: $name: FAILED; full console log: $log"
exit 1
