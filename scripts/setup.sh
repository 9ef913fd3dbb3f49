#!/bin/bash
# Install everything ptscope needs to build and test, as root on Debian 12.
#
#   scripts/setup.sh            # all kernels in scripts/kernels.list
#   scripts/setup.sh KVER...    # just these kernels
#
# Idempotent: apt only runs when a package is missing, kernel images are
# unpacked once into .cache/kernels/<KVER>/ and the kernel source bits once
# into .cache/linux-source-6.12/.  A second run takes about a second.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=$top/.cache

if [ "$#" -gt 0 ]; then
	kernels="$*"
else
	kernels=$(grep -v "^#" "$top/scripts/kernels.list" | tr "\n" " ")
fi

log() { printf 'setup: %s\n' "$*"; }

export DEBIAN_FRONTEND=noninteractive
apt_updated=
apt_update() {
	if [ -z "$apt_updated" ]; then
		log "apt-get update"
		apt-get update -qq
		apt_updated=1
	fi
}

is_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# --- Debian packages --------------------------------------------------------
pkgs="gcc make libc6-dev perl pkg-config libnl-3-dev libnl-genl-3-dev
      qemu-system-x86 busybox-static cpio xz-utils kmod dkms sparse
      linux-source-6.12 python3 python3-yaml chromium"
for k in $kernels; do
	pkgs="$pkgs linux-headers-$k"
done

missing=
for p in $pkgs; do
	is_installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "setup: need root to install:$missing" >&2; exit 1; }
	apt_update
	log "installing:$missing"
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	apt-get install -y -qq --no-install-recommends $missing
fi

# --- Kernel images for the test VMs ----------------------------------------
# .cache/kernels/<KVER>/vmlinuz and .cache/kernels/<KVER>/lib/modules/<KVER>/
# straight from the .deb (no maintainer scripts, nothing touches /boot).
for k in $kernels; do
	dir=$cache/kernels/$k
	[ -e "$dir/.unpacked" ] && [ -e "$dir/vmlinuz" ] && continue
	pkg=linux-image-$k-unsigned
	mkdir -p "$cache/debs"
	deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	if [ -z "$deb" ]; then
		log "downloading $pkg"
		# apt-get download needs package lists; fresh containers have none.
		if ! (cd "$cache/debs" && apt-get download -qq "$pkg" 2>/dev/null); then
			apt_update
			(cd "$cache/debs" && apt-get download -qq "$pkg")
		fi
		deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	fi
	log "unpacking $(basename "$deb")"
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$deb" "$dir"
	ln -sf "boot/vmlinuz-$k" "$dir/vmlinuz"
	[ -d "$dir/lib/modules/$k" ] || { echo "setup: $deb has no lib/modules/$k" >&2; exit 1; }
	touch "$dir/.unpacked"
done

# --- Kernel source bits: kselftest harness, checkpatch, ynl ------------------
src=$cache/linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ "$(cat "$src/.extracted" 2>/dev/null)" != "$srcver" ]; then
	log "extracting kernel source bits from $tarball (about a minute)"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1 --wildcards \
		'linux-source-6.12/tools/testing/selftests/kselftest*' \
		'linux-source-6.12/scripts/checkpatch.pl' \
		'linux-source-6.12/scripts/spelling.txt' \
		'linux-source-6.12/scripts/const_structs.checkpatch' \
		'linux-source-6.12/tools/net/ynl' \
		'linux-source-6.12/Documentation/netlink'
	echo "$srcver" >"$src/.extracted"
fi

log "ok (kernels: $kernels)"
