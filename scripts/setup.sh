#!/bin/bash
# Install everything ptscope needs to build and test, as root on Debian 12.
#
#   scripts/setup.sh             # every series in scripts/kernels.list
#   scripts/setup.sh SERIES...   # just these (e.g. 7.3)
#
# Each series is resolved to the newest release Debian has now
# (scripts/kernels.sh), its headers installed where it is built (the
# host, or a build root in .cache/roots/ for the newer suites) and its
# image unpacked into .cache/kernels/<release>/ for the test VMs.
# Idempotent: apt only installs what is missing, images are unpacked once,
# the kernel source bits extracted once into .cache/linux-source-6.12/.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=$top/.cache
kernels_sh=$top/scripts/kernels.sh

log() { printf 'setup: %s\n' "$*"; }

export DEBIAN_FRONTEND=noninteractive
[ "$(id -u)" -eq 0 ] || { echo "setup: run as root (apt-get, debootstrap)" >&2; exit 1; }

is_installed() {	# is_installed PKG [RELEASE]: where RELEASE is built
	local where=()
	[ -z "${2:-}" ] || where=("$kernels_sh" run "$2")
	[ "$(${where[@]+"${where[@]}"} dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# --- Debian packages on the host -------------------------------------------
pkgs="gcc make libc6-dev perl pkg-config libnl-3-dev libnl-genl-3-dev
      qemu-system-x86 busybox-static cpio xz-utils zstd kmod dkms sparse
      linux-source-6.12 python3 python3-yaml chromium debootstrap libjson-c-dev
      libmicrohttpd-dev prometheus prometheus-node-exporter curl
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm"
missing=
for p in $pkgs; do
	is_installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "apt-get update"
	apt-get update -qq
	log "installing:$missing"
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	apt-get install -y -qq --no-install-recommends $missing
fi

# --- The matrix: resolve, headers, images ----------------------------------
"$kernels_sh" resolve "$@"
# shellcheck disable=SC2046 # one word per release
set -- $("$kernels_sh" releases "$@")

for k in "$@"; do
	if ! is_installed "linux-headers-$k" "$k"; then
		log "installing linux-headers-$k"
		"$kernels_sh" run "$k" apt-get install -y -qq --no-install-recommends \
			"linux-headers-$k" >/dev/null
	fi
done

# .cache/kernels/<KVER>/vmlinuz and .cache/kernels/<KVER>/lib/modules/<KVER>/
# straight from the .deb (no maintainer scripts, nothing touches /boot).
for k in "$@"; do
	dir=$cache/kernels/$k
	[ -e "$dir/.unpacked" ] && [ -e "$dir/vmlinuz" ] && continue
	mkdir -p "$cache/debs"
	rm -rf "$dir"
	mkdir -p "$dir"
	for pkg in $("$kernels_sh" image-pkgs "$k" | tr , ' '); do
		deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
		if [ -z "$deb" ]; then
			log "downloading $pkg"
			"$kernels_sh" run "$k" sh -c 'cd "$1" && apt-get download -qq \
				-o APT::Sandbox::User=root "$2"' sh "$cache/debs" "$pkg"
			deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
		fi
		log "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$dir"
	done
	# Newer packages ship merged-/usr paths (usr/lib/modules).
	[ -e "$dir/lib" ] || [ ! -d "$dir/usr/lib" ] || ln -s usr/lib "$dir/lib"
	for v in "boot/vmlinuz-$k" "lib/modules/$k/vmlinuz"; do
		[ -e "$dir/$v" ] && ln -sf "$v" "$dir/vmlinuz"
	done
	[ -e "$dir/vmlinuz" ] || { echo "setup: no vmlinuz for $k in $dir" >&2; exit 1; }
	[ -d "$dir/lib/modules/$k/kernel" ] || { echo "setup: no modules for $k in $dir" >&2; exit 1; }
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

# --- sparse for 7.x (scripts/sparse.sh says why) ------------------------------
"$top/scripts/sparse.sh" >/dev/null

log "ok (kernels: $*)"
