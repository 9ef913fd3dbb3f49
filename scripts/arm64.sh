#!/bin/bash
# arm64: Debian's arm64 cloud kernels for cross-building and testing ptscope
# from an x86-64 host, without giving the host's dpkg a foreign architecture.
#
#   scripts/arm64.sh setup [SERIES...]      resolve the series of
#                            scripts/kernels-arm64.list, then download and
#                            unpack headers, image and busybox (as root)
#   scripts/arm64.sh releases [SERIES...]   the resolved releases, one line
#   scripts/arm64.sh release SERIES         the resolved release of SERIES
#   scripts/arm64.sh kdir RELEASE           its kernel build tree
#   scripts/arm64.sh module RELEASE [ARG...]  build the module for RELEASE in
#                            build/arm64/RELEASE/ (a copy of module/: the x86
#                            objects in module/ stay); ARGs go to make (W=1)
#   scripts/arm64.sh cli [ARG...]           userspace/ptscope for arm64, static,
#                            in build/arm64/userspace/ptscope
#   scripts/arm64.sh tests [TARGET...]      tests/out/ for arm64, static, in
#                            build/arm64/tests/out/
#   scripts/arm64.sh run RELEASE CMD...     run CMD where RELEASE is built
#   scripts/arm64.sh root RELEASE           that build root, empty for the host
#   scripts/arm64.sh apt DIST ARCH CMD...   run apt-get/apt-cache CMD against
#                            Debian DIST's ARCH indexes (private state)
#
# Everything lives in .cache/arm64/:
#   apt/DIST-ARCH/   a private apt configuration and state: the indexes of
#                    another architecture or release, read by apt-cache and
#                    apt-get download only (never dpkg -i)
#   debs/            downloaded packages
#   headers/RELEASE/ linux-headers-RELEASE (arm64), its -common and the amd64
#                    linux-kbuild of the release, unpacked together so the
#                    packages' relative links (scripts -> ../../lib/...)
#                    resolve; KDIR is headers/RELEASE/usr/src/linux-headers-RELEASE
#   kernels/RELEASE/ the unpacked image: vmlinuz and lib/modules/RELEASE/
#   busybox/         busybox-static (arm64), for the VM's initramfs
#   roots/           trixie build roots with the arm64 cross compiler (7.x)
#   kernels.resolved "SERIES SUITE RELEASE IMAGE-PACKAGES ROOT", as
#                    .cache/kernels.resolved
#
# Bookworm kernels build on the host: the amd64 linux-kbuild runs here, and
# gcc-aarch64-linux-gnu (gcc-12, as the kernels were built with) compiles.
# The 6.1 headers only cross-compile when told CROSS_COMPILE (their
# .kernelvariables set it from dpkg-architecture's variables, which a plain
# make does not have); 6.12's set it themselves.  `module` passes it always.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
# The real path: a worktree's .cache may be a link, and build roots see
# this tree and the real cache under the same paths.
cache=$(realpath -m "$top/.cache")/arm64
list=$top/scripts/kernels-arm64.list
resolved=$cache/kernels.resolved
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
flavour=cloud-arm64

log() { printf 'arm64: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

matrix() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list"; }

dist_of() {	# dist_of SUITE
	case $1 in
	bookworm) echo bookworm ;;
	trixie | trixie-backports) echo trixie ;;
	*) die "no recipe for suite '$1' (known: bookworm, trixie-backports)" ;;
	esac
}

# apt_dir DIST ARCH: a private apt configuration for DIST's ARCH packages,
# made if missing.  Only the keyrings of the host are shared.
apt_dir() {
	local dist=$1 arch=$2 d=$cache/apt/$1-$2 s key
	key=/usr/share/keyrings/debian-archive-keyring.gpg
	if [ ! -e "$d/apt.conf" ]; then
		mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial" \
			"$d/etc/sources.list.d" "$d/etc/preferences.d" "$d/etc/trusted.gpg.d"
		: >"$d/state/status"
		cat >"$d/apt.conf" <<-EOF
		Dir::State "$d/state";
		Dir::State::status "$d/state/status";
		Dir::Cache "$d/cache";
		Dir::Etc::SourceList "$d/etc/sources.list";
		Dir::Etc::SourceParts "$d/etc/sources.list.d";
		Dir::Etc::Preferences "$d/etc/preferences";
		Dir::Etc::PreferencesParts "$d/etc/preferences.d";
		Dir::Etc::TrustedParts "$d/etc/trusted.gpg.d";
		APT::Architecture "$arch";
		APT::Architectures { "$arch"; };
		Acquire::Languages "none";
		APT::Sandbox::User "root";
		EOF
	fi
	# Rewritten every time: a configuration made before deb-src was added
	# gets it (apt-get source for the arm64 CLI's libmicrohttpd).
	s="[arch=$arch signed-by=$key]"
	{
		echo "deb $s $mirror $dist main"
		echo "deb $s $mirror $dist-updates main"
		echo "deb $s $security $dist-security main"
		[ "$dist" = bookworm ] || echo "deb $s $mirror $dist-backports main"
		echo "deb-src [signed-by=$key] $mirror $dist main"
	} >"$d/etc/sources.list"
	echo "$d"
}

declare -A apt_updated=()
papt() {	# papt DIST ARCH CMD...: CMD with the private configuration
	local d
	d=$(apt_dir "$1" "$2")
	if [ -z "${apt_updated[$1-$2]:-}" ] && [ "${ARM64_APT_UPDATED:-}" != 1 ]; then
		APT_CONFIG=$d/apt.conf apt-get update -qq >&2 || die "apt-get update failed ($1 $2)"
		apt_updated[$1-$2]=1
	fi
	shift 2
	APT_CONFIG=$d/apt.conf "$@"
}

# download DIST ARCH PKG: the .deb of PKG in debs/ (downloaded once); prints its path.
download() {
	local deb
	mkdir -p "$cache/debs"
	deb=$(find "$cache/debs" -maxdepth 1 -name "${3}_*_${2}.deb" -o -maxdepth 1 \
		-name "${3}_*_all.deb" | sort -V | tail -n1)
	if [ -z "$deb" ]; then
		log "downloading $3 ($1 $2)"
		(cd "$cache/debs" && papt "$1" "$2" apt-get download -qq "$3" >&2) ||
			die "apt-get download $3 failed"
		deb=$(find "$cache/debs" -maxdepth 1 -name "${3}_*_${2}.deb" -o -maxdepth 1 \
			-name "${3}_*_all.deb" | sort -V | tail -n1)
	fi
	[ -n "$deb" ] || die "no .deb for $3 in $cache/debs"
	echo "$deb"
}

# depends DIST ARCH PKG: the names PKG depends on (alternatives: all).
depends() {
	papt "$1" "$2" apt-cache show --no-all-versions "$3" | sed -n 's/^Depends: //p' |
		tr ',|' '\n\n' | awk '{ print $1 }'
}

image_pkgs() {	# image_pkgs DIST RELEASE: as kernels.sh's, from the arm64 indexes
	local pkg
	for pkg in "linux-image-$2-unsigned" "linux-image-$2"; do
		papt "$1" arm64 apt-cache show --no-all-versions "$pkg" 2>/dev/null |
			grep -q '^Package:' || continue
		{ echo "$pkg"
		  depends "$1" arm64 "$pkg" | awk -v r="-$2" '
			substr($1, length($1) - length(r) + 1) == r { print $1 }'
		} | paste -sd,
		return 0
	done
	return 1
}

newest() {	# newest DIST SERIES: "RELEASE IMAGE-PACKAGES"
	local re rel pkgs
	re=$(printf '%s' "$2" | sed 's/\./\\./g')
	papt "$1" arm64 apt-cache search --names-only "^linux-headers-$re[.-].*-$flavour\$" |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -rV |
	while read -r rel; do
		if pkgs=$(image_pkgs "$1" "$rel"); then
			echo "$rel $pkgs"
			return 0
		fi
	done
}

root_of() {	# root_of SUITE: "-" for the host, or the cross build root
	case $(dist_of "$1") in
	bookworm) echo - ;;
	*) "$top/scripts/buildroot.sh" path "$1-cross-arm64" || exit 1 ;;
	esac
}

resolve() {
	local series suite pin rel img root dist tmp filter=" $* "
	[ "$(id -u)" -eq 0 ] || die "resolving needs root"
	mkdir -p "$cache"
	tmp=$resolved.tmp
	: >"$tmp"
	while read -r series suite pin; do
		[ "$#" -eq 0 ] || [[ $filter == *" $series "* ]] || continue
		dist=$(dist_of "$suite")
		if [ -n "$pin" ]; then
			rel=$pin
			img=$(image_pkgs "$dist" "$rel") || die "$series: pinned $rel has no image"
		else
			read -r rel img < <(newest "$dist" "$series") || true
			[ -n "${rel:-}" ] || die "$series: no linux-headers-$series*-$flavour with an image in $suite"
		fi
		root=$(root_of "$suite")
		echo "$series $suite $rel $img $root" >>"$tmp"
		log "$series -> $rel ($suite${pin:+, pinned})"
	done < <(matrix)
	store_resolved "$tmp" "$@"
}

table() {
	[ -s "$resolved" ] || die "nothing resolved yet: run scripts/arm64.sh setup"
	cat "$resolved"
}

# field_of, releases_of, release_of
. "$top/scripts/resolved-lib.sh"

kdir_of() { echo "$cache/headers/$1/usr/src/linux-headers-$1"; }

# unpack_headers DIST RELEASE: the arm64 headers, their -common and the
# amd64 linux-kbuild they depend on, in one tree.
unpack_headers() {
	local dist=$1 rel=$2 dir=$cache/headers/$2 pkg kbuild common deb
	[ -e "$dir/.unpacked" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	common=$(depends "$dist" arm64 "linux-headers-$rel" | grep -- '^linux-headers-.*-common$' | head -n1)
	kbuild=$(depends "$dist" arm64 "linux-headers-$rel" | grep '^linux-kbuild-' | head -n1)
	[ -n "$common" ] && [ -n "$kbuild" ] || die "linux-headers-$rel: no -common or linux-kbuild dependency"
	for pkg in "arm64 linux-headers-$rel" "arm64 $common" "amd64 $kbuild"; do
		# shellcheck disable=SC2086 # "ARCH PKG"
		deb=$(download "$dist" $pkg)
		log "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$dir"
	done
	# The headers' Makefile includes the -common one by its absolute path.
	sed -i "s|/usr/src/|$dir/usr/src/|g" "$(kdir_of "$rel")/Makefile"
	[ -e "$(kdir_of "$rel")/scripts/basic/fixdep" ] ||
		die "$rel: no scripts/basic/fixdep in $(kdir_of "$rel") after unpacking"
	touch "$dir/.unpacked"
}

# The arm64 CLI is static (the VMs have no arm64 libraries), and Debian's
# libmicrohttpd.a needs GnuTLS and p11-kit, which Debian ships no static
# libraries of.  So the exporter's HTTP server is libmicrohttpd's upstream
# tarball as Debian ships it (apt-get source: signed like the packages;
# the .orig only, without Debian's patches), built static without HTTPS,
# which `ptscope exporter` does not use, into the sysroot.
build_mhd() {
	local dir=$cache/mhd src
	[ -e "$dir/.built" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/src"
	log "building libmicrohttpd (static, no TLS) from Debian's source"
	(cd "$dir/src" && papt bookworm arm64 apt-get source --download-only -qq libmicrohttpd >&2) ||
		die "apt-get source libmicrohttpd failed"
	tar -C "$dir/src" -xf "$(find "$dir/src" -maxdepth 1 -name 'libmicrohttpd_*.orig.tar.*' | head -n1)"
	src=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d -name 'libmicrohttpd-*' | head -n1)
	[ -n "$src" ] || die "no libmicrohttpd source tree in $dir/src"
	(cd "$src" && ./configure --host=aarch64-linux-gnu --prefix=/usr \
		--libdir=/usr/lib/aarch64-linux-gnu --enable-static --disable-shared \
		--disable-https --without-gnutls --disable-curl --disable-doc \
		--disable-examples --disable-tools &&
		make -j"$(nproc)" && make install DESTDIR="$cache/sysroot") >"$dir/build.log" 2>&1 ||
		die "libmicrohttpd build failed: $dir/build.log"
	touch "$dir/.built"
}

unpack_image() {	# unpack_image DIST RELEASE
	local dist=$1 rel=$2 dir=$cache/kernels/$2 pkg deb v
	[ -e "$dir/.unpacked" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	for pkg in $(field_of "$rel" 4 | tr , ' '); do
		deb=$(download "$dist" arm64 "$pkg")
		log "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$dir"
	done
	[ -e "$dir/lib" ] || [ ! -d "$dir/usr/lib" ] || ln -s usr/lib "$dir/lib"
	for v in "boot/vmlinuz-$rel" "lib/modules/$rel/vmlinuz"; do
		[ -e "$dir/$v" ] && ln -sf "$v" "$dir/vmlinuz"
	done
	[ -e "$dir/vmlinuz" ] || die "no vmlinuz for $rel in $dir"
	[ -d "$dir/lib/modules/$rel/kernel" ] || die "no modules for $rel in $dir"
	touch "$dir/.unpacked"
}

unpack_busybox() {
	local dir=$cache/busybox deb
	[ -x "$dir/bin/busybox" ] && return 0
	deb=$(download bookworm arm64 busybox-static)
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$deb" "$dir"
	[ -x "$dir/bin/busybox" ] || die "no bin/busybox in $deb"
}

# The arm64 libraries the static CLI and tests link (their -dev packages
# carry the .a files and .pc files), unpacked into one sysroot.
sysroot_pkgs="libnl-3-dev libnl-genl-3-dev libjson-c-dev"

unpack_sysroot() {
	local dir=$cache/sysroot pkg deb
	[ -e "$dir/.unpacked" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	for pkg in $sysroot_pkgs; do
		deb=$(download bookworm arm64 "$pkg")
		dpkg-deb -x "$deb" "$dir"
	done
	touch "$dir/.unpacked"
}

setup() {
	local series suite rel dist
	[ "$(id -u)" -eq 0 ] || die "setup needs root"
	resolve "$@"
	while read -r series suite rel _ _; do
		[ "$#" -eq 0 ] || [[ " $* " == *" $series "* ]] || continue
		dist=$(dist_of "$suite")
		unpack_headers "$dist" "$rel"
		unpack_image "$dist" "$rel"
	done < <(table)
	unpack_busybox
	unpack_sysroot
	build_mhd
	log "ok: $(awk '{ printf "%s ", $3 }' "$resolved")"
}

# module RELEASE [ARG...]: the module, built in build/arm64/RELEASE/ from a
# copy of the sources, so that x86 objects in module/ are left alone.
module() {
	local rel=$1 out=$top/build/arm64/$1 kdir
	shift
	kdir=$(kdir_of "$rel")
	[ -d "$kdir" ] || die "no headers for $rel: run scripts/arm64.sh setup"
	mkdir -p "$out/module"
	cp "$top/Kbuild" "$out/"
	# Sources only: objects of an earlier build in $out stay for make.
	# (not the *.mod.c a host build generates).
	(cd "$top/module" && find . \( -name '*.[ch]' ! -name '*.mod.c' \) -o -name Kbuild \
		-o -name '*.def' -o -name '*.yaml') |
		(cd "$top/module" && cpio -pdmu --quiet "$out/module")
	run "$rel" make -C "$kdir" M="$out" ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- "$@" modules
}

# make_cross DIR ARG...: make in DIR with the cross compiler and the
# sysroot's libraries (pkg-config reads only the sysroot's .pc files;
# libnl's .a files are in lib/, not usr/lib/, which its .pc does not say).
make_cross() {
	local dir=$1
	shift
	[ -e "$cache/sysroot/.unpacked" ] || die "no arm64 sysroot: run scripts/arm64.sh setup"
	PKG_CONFIG_LIBDIR=$cache/sysroot/usr/lib/aarch64-linux-gnu/pkgconfig \
	PKG_CONFIG_SYSROOT_DIR=$cache/sysroot \
		make -C "$dir" CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar \
		LDFLAGS="-L$cache/sysroot/lib/aarch64-linux-gnu" "$@"
}

# cli [ARG...]: userspace/ptscope for arm64, static, built in
# build/arm64/userspace/ from a copy (the host's objects stay).
cli() {
	local out=$top/build/arm64
	mkdir -p "$out/module"
	cp "$top/dkms.conf" "$out/"
	rm -rf "$out/module/uapi"
	cp -a "$top/module/uapi" "$out/module/"
	cp -a "$top"/module/*.def "$out/module/"
	mkdir -p "$out/userspace"
	tar -C "$top/userspace" --exclude='*.o' --exclude='*.a' --exclude=./ptscope \
		--exclude=./ptscope-asan --exclude=./.link-mode --exclude=./tests/unit \
		-cf - . | tar -C "$out/userspace" -xf -
	make_cross "$out/userspace" STATIC=1 STATIC_HTTP=1 "$@" ptscope
}

# tests [TARGET...]: tests/out/ for arm64, every program static (the
# kselftest harness, the ynl library and the generated code included), in
# build/arm64/tests/out/, against the arm64 libptscope.a of `cli`.
tests() {
	local out=$top/build/arm64 src=$top/.cache/linux-source-6.12
	cli >/dev/null	# the library, and a fresh copy of the UAPI header
	mkdir -p "$out/tests" "$out/scripts"
	cp "$top/scripts/ynl-gen.sh" "$out/scripts/"
	tar -C "$top/tests" --exclude=./out --exclude=./gen -cf - . | tar -C "$out/tests" -xf -
	# Its Makefile links without LDFLAGS: the library path rides with CC.
	KSRC=$src make_cross "$out/tests" \
		CC="aarch64-linux-gnu-gcc -static -L$cache/sysroot/lib/aarch64-linux-gnu" \
		KSFT_DIR="$src/tools/testing/selftests" YNL_DIR="$src/tools/net/ynl" "$@"
}

# root_for RELEASE: "-" or its build root, as this tree sees it now (the
# path resolved at setup may be another worktree's, since removed).
root_for() {
	local r
	r=$(field_of "$1" 5)
	[ "$r" = - ] || r=$(root_of "$(field_of "$1" 2)")
	echo "$r"
}

run() {	# run RELEASE CMD...
	local rel=$1 r
	shift
	r=$(root_for "$rel")
	if [ "$r" = - ]; then
		"$@"
	else
		"$top/scripts/buildroot.sh" run "$r" "$@"
	fi
}

case ${1:-} in
setup) shift; setup "$@" ;;
resolve) shift; resolve "$@" ;;
releases) shift; releases_of "$@" ;;
release) release_of "${2:?usage: arm64.sh release SERIES}" ;;
kdir) kdir_of "${2:?usage: arm64.sh kdir RELEASE}" ;;
cli) shift; cli "$@" ;;
tests) shift; tests "$@" ;;
module) shift; module "${1:?usage: arm64.sh module RELEASE [ARG...]}" "${@:2}" ;;
run) shift; run "${1:?usage: arm64.sh run RELEASE CMD...}" "${@:2}" ;;
root)
	r=$(root_for "${2:?usage: arm64.sh root RELEASE}")
	[ "$r" = - ] || echo "$r"
	;;
apt) shift; papt "${1:?usage: arm64.sh apt DIST ARCH CMD...}" "${2:?}" "${@:3}" ;;
*)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
