#!/bin/bash
# Debian build roots for kernels whose build tools the host cannot run.
#
#   scripts/buildroot.sh path SUITE        print the root for SUITE (made if
#                                          missing); SUITE as in kernels.list
#   scripts/buildroot.sh run ROOT CMD...   run CMD inside ROOT, as root, with
#                                          this source tree at the same path
#
# 7.x kernels' kbuild binaries (linux-kbuild-7.*) need glibc >= 2.38 and
# their headers gcc-14: a Debian 12 host has neither, and must not be
# upgraded half-way by mixing newer suites into its apt.  A minbase root
# of the newer release, made once by debootstrap into .cache/roots/,
# builds those modules instead (about a minute, plus the headers).  Its
# directory name carries a hash of the recipe below, so a changed recipe
# makes a new root rather than patch an old one.
#
# `run` works in a private mount namespace (unshare -m): /proc and the
# source tree are mounted into the root for CMD only and vanish with it,
# whatever happens; nothing is left mounted on the host.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What a kernel module build, sparse and DKMS need besides the headers
# (which bring their own compiler: linux-headers-* depends on it).
include=make,libc6-dev,libelf-dev,kmod,dkms,sparse,xz-utils,zstd,perl

log() { printf 'buildroot: %s\n' "$*" >&2; }

# dist_of SUITE: the release a root for SUITE is made of; its apt sources.
# SUITE-cross-arm64 (scripts/arm64.sh): the same release with the arm64
# cross compiler; the arm64 headers themselves are unpacked in .cache/arm64/.
dist_of() {
	case $1 in
	trixie | trixie-backports | trixie-backports-cross-arm64) echo trixie ;;
	*) log "no build root recipe for suite '$1' (known: trixie-backports)"; return 1 ;;
	esac
}
include_of() {	# include_of SUITE: the packages of its root
	case $1 in
	*-cross-arm64) echo "$include,gcc-aarch64-linux-gnu,pahole" ;;
	*) echo "$include" ;;
	esac
}
roots_of() {	# roots_of SUITE: where its root lives
	case $1 in
	*-cross-arm64) echo "$top/.cache/arm64/roots" ;;
	*) echo "$top/.cache/roots" ;;
	esac
}
sources_of() {	# sources_of DIST
	echo "deb $mirror $1 main"
	echo "deb $mirror $1-backports main"
}

# No pseudo-terminal in the root: dpkg must not ask for one.
apt_conf() { echo 'Dpkg::Use-Pty "0";'; }

root_path() {	# root_path SUITE
	local dist hash
	dist=$(dist_of "$1") || return 1
	hash=$( { echo "$dist $(include_of "$1")"; sources_of "$dist"; apt_conf; } |
		sha256sum | cut -c1-12)
	echo "$(roots_of "$1")/$dist-$hash"
}

make_root() {	# make_root SUITE ROOT
	local dist
	dist=$(dist_of "$1")
	command -v debootstrap >/dev/null || {
		log "debootstrap missing: run scripts/setup.sh (or apt-get install debootstrap)"
		return 1
	}
	log "making a $dist root in $2 (about a minute)"
	rm -rf "$2" "$2.tmp"
	mkdir -p "$(dirname "$2")"
	if ! debootstrap --variant=minbase --include="$(include_of "$1")" "$dist" "$2.tmp" "$mirror" \
		>"$2.log" 2>&1; then
		tail -n 20 "$2.log" >&2
		log "debootstrap failed; full log: $2.log"
		return 1
	fi
	sources_of "$dist" >"$2.tmp/etc/apt/sources.list"
	apt_conf >"$2.tmp/etc/apt/apt.conf.d/90ptscope"
	# No daemons may start inside the root (package scripts try).
	printf '#!/bin/sh\nexit 101\n' >"$2.tmp/usr/sbin/policy-rc.d"
	chmod 755 "$2.tmp/usr/sbin/policy-rc.d"
	mv "$2.tmp" "$2"
	log "root ready: $2"
}

in_root() {	# in_root ROOT CMD...: the body of `run`, in the new namespace
	local root=$1
	shift
	mount -t proc proc "$root/proc"
	mkdir -p "$root$top"
	mount --bind "$top" "$root$top"
	# arm64 builds read headers unpacked in .cache/arm64/, which in a
	# worktree may be a link to another tree's .cache: bind that too.
	cache=$(readlink -f "$top/.cache")
	if [ -L "$top/.cache" ] && [[ $(readlink -f "$root") == "$cache"/arm64/* ]]; then
		mkdir -p "$root$cache"
		mount --bind "$cache" "$root$cache"
	fi
	cd "$top"
	exec chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		${CI:+CI=$CI} /bin/sh -c 'cd "$0" && exec "$@"' "$top" "$@"
}

case ${1:-} in
path)
	suite=${2:?usage: buildroot.sh path SUITE}
	root=$(root_path "$suite")
	[ -d "$root" ] || make_root "$suite" "$root"
	echo "$root"
	;;
run)
	root=${2:?usage: buildroot.sh run ROOT CMD...}
	shift 2
	[ -d "$root/etc" ] || { log "$root is not a build root"; exit 2; }
	exec unshare -m --propagation private "$0" __in_root "$root" "$@"
	;;
__in_root)
	shift
	in_root "$@"
	;;
*)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
