#!/bin/bash
# DKMS packaging of ptscope (root).
#
#   scripts/dkms.sh install KVER...  drop any previous registration, copy the
#                                    source tree to /usr/src/ptscope-VERSION,
#                                    dkms add, then dkms build + install for
#                                    each KVER (its headers must be installed)
#   scripts/dkms.sh remove           unregister every ptscope version
#   scripts/dkms.sh path KVER        print the installed module file
#
# VERSION is PACKAGE_VERSION from dkms.conf.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
conf=$top/dkms.conf
[ -f "$conf" ] || { echo "dkms.sh: $conf missing" >&2; exit 1; }
getvar() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}.*/\1/p" "$conf" | head -n1; }
name=$(getvar PACKAGE_NAME)
version=$(getvar PACKAGE_VERSION)
: "${name:=ptscope}"
[ -n "$version" ] || { echo "dkms.sh: no PACKAGE_VERSION in $conf" >&2; exit 1; }

remove_all() {
	local v
	# "ptscope/0.1, 6.1.0-47-cloud-amd64, x86_64: installed" and
	# "ptscope/0.1: added" (dkms 3.x); older dkms uses ", " after the name.
	for v in $(dkms status "$name" 2>/dev/null | sed -n "s|^${name}[/,] *\([^,:]*\).*|\1|p" | sort -u); do
		dkms remove "$name/$v" --all >/dev/null 2>&1 || true
		rm -rf "/usr/src/$name-$v"
	done
	rm -rf "/usr/src/$name-$version" "/var/lib/dkms/$name"
}

case ${1:-} in
install)
	shift
	[ "$#" -gt 0 ] || { echo "usage: dkms.sh install KVER..." >&2; exit 2; }
	remove_all
	dest=/usr/src/$name-$version
	mkdir -p "$dest"
	# The source tree minus VCS, caches and build products.
	tar -C "$top" -cf - \
		--exclude=./.git --exclude=./.cache --exclude=./build --exclude=./tests/out \
		--exclude='*.o' --exclude='*.ko' --exclude='*.ko.xz' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers \
		--exclude=modules.order --exclude=./userspace/ptscope . |
		tar -C "$dest" -xf -
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
