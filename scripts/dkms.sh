#!/bin/bash
# DKMS packaging of ptscope (root).
#
#   scripts/dkms.sh install KVER...  drop any previous registration, copy the
#                                    source tree to /usr/src/ptscope-VERSION,
#                                    dkms add, then dkms build + install for
#                                    each KVER (its headers must be installed)
#   scripts/dkms.sh install -a arm64 RELEASE...
#                                    cross-build with DKMS on an x86 host for
#                                    arm64 kernels whose headers
#                                    scripts/arm64.sh unpacked: refresh the
#                                    source copy, dkms add it if it is not,
#                                    then per RELEASE drop only its own earlier
#                                    build and run dkms build + install -k
#                                    RELEASE -a aarch64 --kernelsourcedir
#                                    <arm64.sh kdir RELEASE>, with ARCH=arm64
#                                    CROSS_COMPILE=aarch64-linux-gnu-; other
#                                    kernels' registrations (x86) stay
#   scripts/dkms.sh remove           unregister every ptscope version (and
#                                    the /lib/modules/RELEASE directories
#                                    install -a arm64 made)
#   scripts/dkms.sh path KVER        print the installed module file
#
# VERSION is PACKAGE_VERSION from dkms.conf.
#
# An arm64 machine needs none of -a: dkms.conf names no architecture, and
# `dkms install ptscope/VERSION -k RELEASE` there builds natively against
# /lib/modules/RELEASE/build like any DKMS package.  -a arm64 is for this
# x86 host: DKMS itself passes no ARCH to make (its -a only names the
# directory of the build in /var/lib/dkms and the arch `dkms status`
# prints), so the environment carries ARCH and CROSS_COMPILE (bookworm's
# 6.1 headers do not set CROSS_COMPILE themselves; 6.12 and 7.x do, and
# .kernelvariables gives DKMS the compiler's name).  `dkms install` wants
# /lib/modules/RELEASE to exist: it is made, with a marker file, so
# `remove` knows to delete it; depmod runs there over the one module.
# DKMS's `strip -g` of the module is pointed at aarch64-linux-gnu-strip.
# 7.x headers build only in a trixie cross root: run this there,
#   scripts/arm64.sh run RELEASE scripts/dkms.sh install -a arm64 RELEASE
# (the root has its own dkms state and /lib/modules; `arm64.sh root
# RELEASE` prints it, to prefix `path`'s answer).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
conf=$top/dkms.conf
[ -f "$conf" ] || { echo "dkms.sh: $conf missing" >&2; exit 1; }
getvar() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}.*/\1/p" "$conf" | head -n1; }
name=$(getvar PACKAGE_NAME)
version=$(getvar PACKAGE_VERSION)
: "${name:=ptscope}"
[ -n "$version" ] || { echo "dkms.sh: no PACKAGE_VERSION in $conf" >&2; exit 1; }

# Made by install -a arm64 in /lib/modules/RELEASE: what remove may delete.
marker=.ptscope-dkms-cross

remove_all() {
	local v d
	# "ptscope/0.1, 6.1.0-47-cloud-amd64, x86_64: installed" and
	# "ptscope/0.1: added" (dkms 3.x); older dkms uses ", " after the name.
	for v in $(dkms status "$name" 2>/dev/null | sed -n "s|^${name}[/,] *\([^,:]*\).*|\1|p" | sort -u); do
		dkms remove "$name/$v" --all >/dev/null 2>&1 || true
		rm -rf "/usr/src/$name-$v"
	done
	rm -rf "/usr/src/$name-$version" "/var/lib/dkms/$name"
	for d in /lib/modules/*/"$marker"; do
		[ -e "$d" ] || continue
		d=$(dirname "$d")
		# Only a directory install -a made: no kernel of its own.
		[ -e "$d/kernel" ] || rm -rf "$d"
	done
}

# copy_source: the source tree minus VCS, caches and build products, in
# /usr/src/NAME-VERSION (replacing what was there).
copy_source() {
	local dest=/usr/src/$name-$version
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -C "$top" -cf - \
		--exclude=./.git --exclude=./.cache --exclude=./build --exclude=./tests/out \
		--exclude='*.o' --exclude='*.ko' --exclude='*.ko.xz' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers \
		--exclude=modules.order --exclude=./userspace/ptscope . |
		tar -C "$dest" -xf -
}

# install_cross RELEASE...: DKMS build + install for arm64 kernels (see above).
install_cross() {
	local k kdir bin
	# DKMS strips built modules with `strip -g`: the host's cannot read
	# aarch64 objects (and would leave 5 MB of debug info in).
	bin=$(mktemp -d)
	# shellcheck disable=SC2064 # now: bin is local
	trap "rm -rf '$bin'" EXIT
	ln -s "$(command -v aarch64-linux-gnu-strip)" "$bin/strip" ||
		{ echo "dkms.sh: no aarch64-linux-gnu-strip (binutils-aarch64-linux-gnu)" >&2; return 1; }
	copy_source
	[ -e "/var/lib/dkms/$name/$version/source" ] || dkms add "$name/$version"
	for k in "$@"; do
		kdir=$("$top/scripts/arm64.sh" kdir "$k")
		[ -e "$kdir/Makefile" ] || {
			echo "dkms.sh: no arm64 headers for $k in $kdir: run scripts/arm64.sh setup" >&2
			return 1
		}
		if [ ! -d "/lib/modules/$k" ]; then
			mkdir -p "/lib/modules/$k"
			: >"/lib/modules/$k/$marker"
		fi
		# This kernel's earlier build only (an unchanged version would
		# otherwise be "already installed").
		dkms remove "$name/$version" -k "$k/aarch64" >/dev/null 2>&1 || true
		PATH=$bin:$PATH ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
			dkms build "$name/$version" -k "$k" -a aarch64 --kernelsourcedir "$kdir"
		PATH=$bin:$PATH ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
			dkms install "$name/$version" -k "$k" -a aarch64 --kernelsourcedir "$kdir" --force
	done
	dkms status "$name"
}

case ${1:-} in
install)
	shift
	if [ "${1:-}" = -a ]; then
		[ "${2:-}" = arm64 ] || { echo "dkms.sh: -a takes arm64 only" >&2; exit 2; }
		shift 2
		[ "$#" -gt 0 ] || { echo "usage: dkms.sh install -a arm64 RELEASE..." >&2; exit 2; }
		install_cross "$@"
		exit
	fi
	[ "$#" -gt 0 ] || { echo "usage: dkms.sh install KVER..." >&2; exit 2; }
	remove_all
	copy_source
	dkms add "$name/$version"
	for k in "$@"; do
		dkms build "$name/$version" -k "$k"
		dkms install "$name/$version" -k "$k" --force
	done
	dkms status "$name"
	;;
remove)
	remove_all
	;;
path)
	k=${2:?usage: dkms.sh path KVER}
	f=$(find "/lib/modules/$k/updates/dkms" -maxdepth 1 -name "$name.ko*" 2>/dev/null | head -n1)
	[ -n "$f" ] || { echo "dkms.sh: $name not installed for $k" >&2; exit 1; }
	echo "$f"
	;;
*)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
