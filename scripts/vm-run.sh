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
#   -H SCRIPT  a peer on the host: the VM gets a user-mode NIC whose only
#              way out is one forward, 127.0.0.1:PORT (free, picked now) on
#              the host to 10.0.2.15:9477 in the VM, and its tests see
#              PTSCOPE_HOST_PEER=1.  SCRIPT runs on the host while the VM
#              lives, with PTSCOPE_HOSTFWD_PORT, PTSCOPE_VM_LOG (the console
#              log, written as it comes), PTSCOPE_VM_DONE (a file created
#              once QEMU has exited), PTSCOPE_VM_RUN_PID (this script: gone
#              means give up) and PTSCOPE_HOST_DIR (its scratch
#              directory) in its environment; its output (TAP) is added to
#              the log afterwards as the section "SCRIPT's file name less
#              its extension"
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
# VM shut down by itself.  build/logs/NAME.counts gets "PASSED FAILED SKIPPED",
# NAME.failures a line per failure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
levels=5 module='' load=insmod script='' name='' verbose=0 peer='' arch=x86_64
mkargs=()
while getopts a:L:m:l:b:s:n:vH: opt; do
	case $opt in
	a) arch=$OPTARG ;;
	L) levels=$OPTARG ;;
	m) module=$OPTARG ;;
	l) load=$OPTARG ;;
	b) mkargs+=(-b "$OPTARG") ;;
	s) script=$OPTARG ;;
	n) name=$OPTARG ;;
	v) verbose=1 ;;
	H) peer=$OPTARG ;;
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
[ -n "$peer" ] && mkargs+=(-N)
"$top/scripts/mkinitramfs.sh" -o "$initrd" -k "$kver" -a "$arch" -L "$levels" -t "$TEST_TIMEOUT" \
	${mkargs[@]+"${mkargs[@]}"} "$@"

append="console=$console printk.time=1 panic=-1 oops=panic panic_on_warn=1"
append="$append softlockup_panic=1 rdinit=/init $VM_APPEND"

# The NIC: none, or user networking with restrict=on (the guest reaches
# nothing, not even the host) and one forward bound to the host's loopback
# only, so nothing outside this machine can reach the VM.
nic=(-nic none)
peer_pid='' peer_dir=''
if [ -n "$peer" ]; then
	# A free port now; another VM starting at the same moment could take
	# it first, and QEMU would then fail to bind and say so.
	hport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	nic=(-nic "user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:$hport-:9477")
	peer_dir=$top/build/vm/$name.peer
	rm -rf "$peer_dir"
	mkdir -p "$peer_dir"
	: >"$log"	# the peer tails it from the start
	PTSCOPE_HOSTFWD_PORT=$hport PTSCOPE_VM_LOG=$log PTSCOPE_VM_DONE=$peer_dir/vm-done PTSCOPE_VM_RUN_PID=$$ \
		PTSCOPE_HOST_DIR=$peer_dir timeout -k 10 $((VM_TIMEOUT + 300)) "$peer" \
		>"$peer_dir/out" 2>"$peer_dir/err" </dev/null &
	peer_pid=$!
	echo "vm-run: $name: host peer $peer on 127.0.0.1:$hport (pid $peer_pid)"
fi

echo "vm-run: $name: booting $kver ($arch), ${levels}-level paging, $VM_SMP CPUs, $VM_MEM (TCG, $VM_TCG_THREAD thread)"
start=$(date +%s)
set +e
# stdin from /dev/null: QEMU must not touch the terminal, and CI has none.
timeout -k 10 "$VM_TIMEOUT" "$QEMU" ${machine[@]+"${machine[@]}"} \
	-accel "tcg,thread=$VM_TCG_THREAD" -cpu "$cpu" -smp "$VM_SMP" -m "$VM_MEM" \
	-nodefaults -no-user-config -display none -serial stdio -monitor none \
	"${nic[@]}" -no-reboot -kernel "$kernel" -initrd "$initrd" -append "$append" \
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

# The peer's TAP joins the log as one more section, so parse-log.sh
# counts it like any test program in the VM.
if [ -n "$peer_pid" ]; then
	: >"$peer_dir/vm-done"
	prc=0
	wait "$peer_pid" || prc=$?
	section=$(basename "$peer")
	section=${section%.*}
	{ echo "=== PTSCOPE-BEGIN $section ==="; cat "$peer_dir/out"
	  echo "=== PTSCOPE-END $section rc=$prc ==="; } >"$peer_dir/section"
	cat "$peer_dir/section" >>"$log"
	sed 's/^/    /' "$peer_dir/section"
	if [ -s "$peer_dir/err" ]; then echo "vm-run: $name: host peer's stderr: $peer_dir/err"; fi
fi

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "vm-run: $name: TIMEOUT: VM still running after ${VM_TIMEOUT}s, killed"
elif [ "$rc" -ne 0 ]; then
	echo "vm-run: $name: $QEMU exited with status $rc"
fi
echo "vm-run: $name: VM ran ${secs}s; results:"
ok=1
rm -f "$logs/$name.failures"
"$top/scripts/parse-log.sh" -c "$logs/$name.counts" -f "$logs/$name.failures" "$log" || ok=0
[ "$rc" -eq 0 ] || ok=0
if [ $ok -eq 1 ]; then
	exit 0
fi
echo "vm-run: $name: FAILED; full console log: $log"
exit 1
