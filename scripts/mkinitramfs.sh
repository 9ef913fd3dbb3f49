#!/bin/bash
# Pack the initramfs of a ptscope test VM.
#
#   scripts/mkinitramfs.sh -o OUT.cpio -k KVER [-a ARCH] [-m MODULE]
#                          [-l insmod|modprobe] [-L 4|5] [-b BIN]...
#                          [-s SCRIPT] [-t SECS] [-N] [FILE]...
#
#   -a ARCH    x86_64 (default: the host's busybox and libraries, the kernel
#              in .cache/kernels/KVER) or arm64 (busybox and the kernel from
#              .cache/arm64/, scripts/arm64.sh setup; programs must be static)
#   -m MODULE  ptscope.ko or ptscope.ko.xz.  With -l insmod (default) it goes to
#              /lib/modules/KVER/extra/, with -l modprobe (the DKMS case) to
#              /lib/modules/KVER/updates/dkms/; depmod runs over the image
#              either way so both insmod and modprobe work inside the VM.
#   -L N       paging levels the VM is expected to use (checked by /init)
#   -b BIN     program installed into /bin (e.g. userspace/ptscope)
#   -s SCRIPT  run SCRIPT (cwd /tests) instead of the test programs
#   -t SECS    per-test-program timeout inside the VM (default 600)
#   -N         a network peer on the host (scripts/vm-run.sh -H): virtio-net
#              and its dependencies go in, /init brings eth0 up as
#              10.0.2.15/24 and exports PTSCOPE_HOST_PEER=1 to the tests
#   FILE...    copied into /tests/; /init runs every executable /tests/*_test
#
# Contents: busybox-static with all its applet links, the files above plus
# the shared libraries ldd finds for them (dynamic loader included), and
# scripts/vm-init.sh as /init.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out='' kver='' module='' load=insmod levels=5 script='' timeout=600 net=0 arch=x86_64
bins=()
while getopts o:k:a:m:l:L:b:s:t:N opt; do
	case $opt in
	o) out=$OPTARG ;;
	a) arch=$OPTARG ;;
	k) kver=$OPTARG ;;
	m) module=$OPTARG ;;
	l) load=$OPTARG ;;
	L) levels=$OPTARG ;;
	b) bins+=("$OPTARG") ;;
	s) script=$OPTARG ;;
	t) timeout=$OPTARG ;;
	N) net=1 ;;
	*) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$out" ] || [ -z "$kver" ]; then
	echo "mkinitramfs: -o and -k are required" >&2
	exit 2
fi

case $arch in
x86_64)
	busybox=/bin/busybox
	kroot=$top/.cache/kernels/$kver
	;;
arm64)
	busybox=$top/.cache/arm64/busybox/bin/busybox
	kroot=$top/.cache/arm64/kernels/$kver
	[ -x "$busybox" ] || { echo "mkinitramfs: $busybox missing; run scripts/arm64.sh setup" >&2; exit 2; }
	;;
*) echo "mkinitramfs: -a must be x86_64 or arm64" >&2; exit 2 ;;
esac

root=$(mktemp -d "${TMPDIR:-/tmp}/ptscope-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,tests,lib/modules/"$kver"}
ln -s bin/busybox "$root/linuxrc" 2>/dev/null || true
cp "$busybox" "$root/bin/busybox"
# The applets of the host's busybox-static: Debian builds every
# architecture's with the same configuration.
busybox --list-full | while read -r applet; do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
# Nodes needed before /init mounts devtmpfs (mknod needs root; /init copes).
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
mknod -m 666 "$root/dev/null" c 1 3 2>/dev/null || true

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF

# Copy a program plus every shared library it needs, at the same paths.
libs_of() {
	# "libx.so => /path (0x..)" and "/lib64/ld-linux-x86-64.so.2 (0x..)"
	ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}
add_libs() {
	local lib
	[ "$arch" = x86_64 ] || return 0	# the host's ldd cannot tell
	for lib in $(libs_of "$1"); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

for b in ${bins[@]+"${bins[@]}"}; do
	cp "$b" "$root/bin/$(basename "$b")"
	add_libs "$b"
done
for f in "$@"; do
	if [ -d "$f" ]; then
		cp -r "$f" "$root/tests/"
		continue
	fi
	cp "$f" "$root/tests/"
	if [ -x "$f" ]; then add_libs "$f"; fi	# no-op for scripts
done

modpath=none
if [ -n "$module" ]; then
	case $load in
	insmod)   subdir=extra ;;
	modprobe) subdir=updates/dkms ;;
	*) echo "mkinitramfs: -l must be insmod or modprobe" >&2; exit 2 ;;
	esac
	vermagic=$(modinfo -F vermagic "$module" 2>/dev/null || true)
	case $vermagic in
	"$kver "*) ;;
	*) echo "mkinitramfs: $module was built for '${vermagic%% *}', not $kver" >&2; exit 1 ;;
	esac
	mkdir -p "$root/lib/modules/$kver/$subdir"
	cp "$module" "$root/lib/modules/$kver/$subdir/"
	modpath=/lib/modules/$kver/$subdir/$(basename "$module")
else
	load=none
fi

# Swap for the tests that need swap entries: zram and the compressor it
# uses by default, with their dependencies, resolved against the image.
# With -N also the NIC QEMU's "-nic user,model=virtio-net-pci" gives: on
# 6.1 even virtio_pci is a module, on later kernels only virtio_net and
# its failover helpers are (modules.dep says which).
kmods=$kroot/lib/modules/$kver
[ -e "$kmods/modules.dep" ] || depmod -b "$kroot" "$kver"
kmodlist=(zram lzo-rle lz4)
[ $net -eq 0 ] || kmodlist+=(virtio_pci virtio_net)
for m in "${kmodlist[@]}"; do
	modprobe -d "$kroot" -S "$kver" --show-depends "$m" 2>/dev/null || true
done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
	rel=${f#"$kroot"}
	mkdir -p "$root$(dirname "$rel")"
	cp "$f" "$root$rel"
done

# depmod wants the kernel's module lists; take them from the unpacked image.
for f in modules.builtin modules.builtin.modinfo modules.order; do
	if [ -e "$kmods/$f" ]; then cp "$kmods/$f" "$root/lib/modules/$kver/"; fi
done
depmod -b "$root" "$kver"

cp "$top/scripts/vm-init.sh" "$root/init"
chmod 755 "$root/init"
mode=tests
if [ -n "$script" ]; then
	cp "$script" "$root/script.sh"
	mode=script
fi
cat >"$root/etc/ptscope-vm.conf" <<EOF
KVER='$kver'
LEVELS='$levels'
LOAD='$load'
MODULE='$modpath'
TEST_TIMEOUT='$timeout'
MODE='$mode'
NET='$net'
EOF

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) >"$out"
