#!/bin/sh
# /init of the ptscope test VM: busybox sh as PID 1.  Packed into the
# initramfs by scripts/mkinitramfs.sh together with /etc/ptscope-vm.conf.
#
# Console protocol parsed by scripts/parse-log.sh (one line each):
#   === PTSCOPE-BEGIN <name> ===       a test program starts (TAP follows)
#   === PTSCOPE-END <name> rc=<n> ===  it exited with status n
#   === PTSCOPE-DONE ===               everything ran; the VM powers off next
# A log without PTSCOPE-DONE means the VM crashed, hung or was killed.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root TERM=dumb

mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0</dev/console 1>/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
ip link set lo up 2>/dev/null
hostname ptscope-vm

# KVER LEVELS LOAD MODULE TEST_TIMEOUT MODE NET
# shellcheck source=/dev/null
. /etc/ptscope-vm.conf
export PTSCOPE_KO="$MODULE"

done_() {
	echo "=== PTSCOPE-DONE ==="
	sync
	poweroff -f
	sleep 10	# poweroff -f does not return; keep PID 1 alive just in case
}

# KMEMLEAK_SCAN=1 on the kernel command line (init's environment; set by
# scripts/debug-kernel.sh): print kmemleak's report between markers for the
# host to judge.  The console loglevel is lowered during the scan so the
# kernel's "suspected memory leaks" line does not count as a splat.
kmemleak_scan() {	# kmemleak_scan LABEL
	[ "${KMEMLEAK_SCAN:-0}" = 1 ] || return 0
	kml=/sys/kernel/debug/kmemleak
	echo "=== PTSCOPE-KMEMLEAK BEGIN $1 ==="
	if [ -w $kml ]; then
		lvl=$(cut -f1 /proc/sys/kernel/printk)
		echo 1 >/proc/sys/kernel/printk
		sleep 6		# kmemleak ignores objects younger than 5 s
		echo scan >$kml
		echo scan >$kml
		sleep 1
		echo "$lvl" >/proc/sys/kernel/printk
		cat $kml
	else
		echo "# kmemleak: $kml not available"
	fi
	echo "=== PTSCOPE-KMEMLEAK END $1 ==="
}

# la57 is x86's 5-level paging; arm64's LPA2 does not show in /proc/cpuinfo,
# and only ptscope info can tell the levels there.
arch=$(uname -m)
la57=no
grep -qw la57 /proc/cpuinfo && la57=yes
echo "=== PTSCOPE-VM kernel=$(uname -r) arch=$arch la57=$la57 cpus=$(grep -c ^processor /proc/cpuinfo)" \
	"mem=$(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo) mode=$MODE load=$LOAD ==="

# An aarch64 guest is emulated instruction by instruction here (TCG, no
# KVM), several times slower than an x86 guest: 100 load/unload cycles
# under traffic overran loadunload_test's 600 s.  Fewer cycles keep the
# same races (autoload on and off still alternate); LOADUNLOAD_CYCLES from
# the kernel command line or the environment wins.
[ "$arch" = aarch64 ] && export LOADUNLOAD_CYCLES="${LOADUNLOAD_CYCLES:-30}"

load_module() {
	case "$LOAD" in
	insmod)   insmod "$MODULE" ;;
	modprobe) modprobe ptscope ;;
	none)     true ;;
	esac
}

# A zram swap device, so tests can push pages to swap (MADV_PAGEOUT) and
# see real swap entries.  Tests skip what needs swap if this fails.
if modprobe zram num_devices=1 2>/dev/null &&
   echo 256M >/sys/block/zram0/disksize &&
   mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
	echo "=== PTSCOPE-VM swap: zram0 256M ==="
else
	echo "=== PTSCOPE-VM swap: unavailable ==="
fi

# DAMON_STAT, on by default in Debian's 7.x kernels, samples all of memory
# and clears the accessed bits of the pages it samples (kdamond, every few
# ms).  The tests assert exact page states, the accessed bit included, and
# the benchmarks want no stray kernel thread: it is stopped (writing N waits
# for kdamond to exit).
damon_stat=/sys/module/damon_stat/parameters/enabled
if [ -w $damon_stat ] && [ "$(cat $damon_stat)" = Y ]; then
	echo N >$damon_stat && [ "$(cat $damon_stat)" = N ] &&
		echo "=== PTSCOPE-VM damon_stat: stopped (it ages accessed bits) ==="
fi

# NET=1 (scripts/vm-run.sh -H): a program on the host talks to the tests
# through QEMU's user network, which forwards one host port on 127.0.0.1 to
# 10.0.2.15:9477 here; connections arrive from 10.0.2.2.  Only then does
# /init touch the network, and the tests learn of the peer from
# PTSCOPE_HOST_PEER (without it they skip what needs the host; with it
# they fail when the host never comes, even if eth0 did not).
export PTSCOPE_HOST_PEER="${NET:-0}"
if [ "$PTSCOPE_HOST_PEER" = 1 ]; then
	modprobe virtio_pci 2>/dev/null	# built in from 6.12 on
	modprobe virtio_net 2>/dev/null
	i=0
	while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up; then
		echo "=== PTSCOPE-VM net: eth0 10.0.2.15/24, host peer at 10.0.2.2 ==="
	else
		echo "=== PTSCOPE-VM net: eth0 unavailable ==="
	fi
fi

if [ "$MODE" = script ]; then
	echo "=== PTSCOPE-BEGIN script ==="
	if load_module; then
		cd /tests && sh /script.sh
		rc=$?
	else
		echo "ptscope-vm: loading the module failed"
		rc=1
	fi
	echo "=== PTSCOPE-END script rc=$rc ==="
	done_
fi

# --- smoke: environment, module load, CLI ------------------------------------
n=0
tap() {	# tap RC DESCRIPTION [DIRECTIVE]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2${3:+ # $3}"
	else
		echo "not ok $n $2"
	fi
}

echo "=== PTSCOPE-BEGIN smoke ==="
echo "TAP version 13"
[ "$(uname -r)" = "$KVER" ]; tap $? "kernel release is $KVER"
if [ "$arch" != x86_64 ]; then
	tap 0 "$LEVELS-level paging" "SKIP no la57 flag on $arch"
elif [ "$LEVELS" = 5 ]; then
	[ $la57 = yes ]; tap $? "5-level paging (la57 in /proc/cpuinfo)"
else
	[ $la57 = no ]; tap $? "4-level paging (no la57 in /proc/cpuinfo)"
fi
if [ "$LOAD" = none ]; then
	tap 0 "load ptscope" "SKIP no module"
else
	load_module && [ -d /sys/module/ptscope ]
	tap $? "$LOAD ptscope ($MODULE)"
fi
if [ -x /bin/ptscope ]; then
	info=$(ptscope info 2>&1); rc=$?
	echo "$info" | sed 's/^/# /'
	tap $rc "ptscope info"
	echo "$info" | grep -qF "$KVER"; tap $? "ptscope info reports kernel release $KVER"
	# The exact wording is the CLI's business: only judge it if it is recognisable.
	lv=$(echo "$info" | grep -ioE 'levels?[^0-9]{0,20}[45]|[45][- ]level' | grep -oE '[45]' | head -n1)
	if [ -n "$lv" ]; then
		[ "$lv" = "$LEVELS" ]; tap $? "ptscope info reports $LEVELS paging levels"
	else
		tap 0 "ptscope info reports $LEVELS paging levels" "SKIP levels not found in output"
	fi
else
	tap 0 "ptscope info" "SKIP /bin/ptscope missing"
fi
echo "1..$n"
echo "=== PTSCOPE-END smoke rc=0 ==="

# --- test programs -----------------------------------------------------------
cd /tests || done_
for t in /tests/*_test; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
	name=${t##*/}
	echo "=== PTSCOPE-BEGIN $name ==="
	timeout -s KILL "$TEST_TIMEOUT" "$t"
	rc=$?
	[ $rc -eq 137 ] && echo "# ptscope-vm: $name killed after ${TEST_TIMEOUT}s"
	echo "=== PTSCOPE-END $name rc=$rc ==="
done

kmemleak_scan tests

# --- teardown: the module must unload cleanly after all of that -------------
if [ "$LOAD" != none ]; then
	cd /
	echo "=== PTSCOPE-BEGIN teardown ==="
	n=0
	if [ -d /sys/module/ptscope ]; then
		rmmod ptscope; tap $? "rmmod ptscope"
		[ ! -d /sys/module/ptscope ]; tap $? "module gone"
	else
		tap 0 "rmmod ptscope" "SKIP a test already unloaded it"
	fi
	echo "1..$n"
	echo "=== PTSCOPE-END teardown rc=0 ==="
fi
kmemleak_scan unload
done_
