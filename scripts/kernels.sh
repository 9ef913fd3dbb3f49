#!/bin/bash
# The kernel matrix of scripts/kernels.list, resolved to exact releases.
#
#   scripts/kernels.sh resolve [SERIES...]  find the newest release of each
#                            series (or take its pin), print the table and
#                            write it to .cache/kernels.resolved
#   scripts/kernels.sh releases [SERIES...] the resolved releases, one line
#   scripts/kernels.sh release SERIES       the resolved release of SERIES
#   scripts/kernels.sh newest               the last series' release
#   scripts/kernels.sh image-pkgs RELEASE   the Debian packages of its image
#   scripts/kernels.sh root RELEASE         its build root ("" for the host)
#   scripts/kernels.sh run RELEASE CMD...   run CMD where RELEASE is built:
#                            on the host, or in its build root with this
#                            tree at the same path (scripts/buildroot.sh)
#
# .cache/kernels.resolved has a line per series:
#   SERIES SUITE RELEASE IMAGE-PACKAGES ROOT    (comma-separated; ROOT "-"
#                                               for the host)
# `resolve` needs root (apt-get update, debootstrap); the rest read the file
# (and resolve first when it is missing).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/scripts/kernels.list
resolved=$top/.cache/kernels.resolved

log() { printf 'kernels: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The series lines of kernels.list: "SERIES SUITE [RELEASE]".
matrix() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list"; }

host_suite() {	# host_suite SUITE: true when the host's apt serves SUITE
	[ "$1" = "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" ]
}

# image_pkgs RELEASE: the packages of RELEASE's image, comma-separated, or
# nothing.  Bookworm names the bootable image *-unsigned; trixie's
# backports ship only the signed one (QEMU boots it too), and from 7.x
# split it into linux-binary-* (vmlinuz), linux-modules-* and linux-base-*
# (module lists), which the image package depends on by exact release.
image_pkgs() {
	local pkg
	for pkg in "linux-image-$1-unsigned" "linux-image-$1"; do
		apt-cache show --no-all-versions "$pkg" 2>/dev/null | grep -q '^Package:' || continue
		{ echo "$pkg"
		  apt-cache show --no-all-versions "$pkg" | sed -n 's/^Depends: //p' |
			tr ',|' '\n\n' | awk -v r="-$1" '
				substr($1, length($1) - length(r) + 1) == r { print $1 }'
		} | paste -sd,
		return 0
	done
	return 1
}

# newest SERIES: run where the suite's apt is (host or root).  Prints
# "RELEASE IMAGE-PACKAGES" of the newest amd64 cloud release that has both
# headers and an image in the indexes.
newest() {
	local series_re rel pkgs
	series_re=$(printf '%s' "$1" | sed 's/\./\\./g')
	apt-cache search --names-only "^linux-headers-$series_re[.-].*-cloud-amd64\$" |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -rV |
	while read -r rel; do
		if pkgs=$(image_pkgs "$rel"); then
			echo "$rel $pkgs"
			return 0
		fi
	done
}

resolve() {
	local series suite pin where root rel img tmp filter=" $* "
	local -A updated=()
	[ "$(id -u)" -eq 0 ] || die "resolving needs root (apt-get update, debootstrap)"
	mkdir -p "$(dirname "$resolved")"
	tmp=$resolved.tmp
	: >"$tmp"
	while read -r series suite pin; do
		[ "$#" -eq 0 ] || [[ $filter == *" $series "* ]] || continue
		if host_suite "$suite"; then
			root=-
			where=()
		else
			root=$("$top/scripts/buildroot.sh" path "$suite") || exit 1
			where=("$top/scripts/buildroot.sh" run "$root")
		fi
		if [ -z "${updated[$root]:-}" ]; then
			${where[@]+"${where[@]}"} apt-get update -qq >&2 ||
				die "apt-get update failed (${root#-})"
			updated[$root]=1
		fi
		if [ -n "$pin" ]; then
			rel=$pin
			img=$(${where[@]+"${where[@]}"} "$0" __image_pkgs "$rel") ||
				die "$series: pinned release $rel has no image package in $suite"
		else
			read -r rel img < <(${where[@]+"${where[@]}"} "$0" __newest "$series") || true
			[ -n "${rel:-}" ] || die "$series: no linux-headers-$series*-cloud-amd64 with an image in $suite"
		fi
		echo "$series $suite $rel $img $root" >>"$tmp"
		log "$series -> $rel ($suite${pin:+, pinned})"
	done < <(matrix)
	store_resolved "$tmp" "$@"
}

table() {	# the resolved table, resolving first if there is none
	[ -s "$resolved" ] || resolve >&2
	cat "$resolved"
}

# field_of, releases_of, release_of
. "$top/scripts/resolved-lib.sh"

case ${1:-} in
resolve)
	shift
	resolve "$@"
	;;
releases) shift; releases_of "$@" ;;
release) release_of "${2:?usage: kernels.sh release SERIES}" ;;
newest)
	last=$(matrix | tail -n1 | awk '{ print $1 }')
	"$0" release "$last"
	;;
image-pkgs)
	field_of "${2:?usage: kernels.sh image-pkgs RELEASE}" 4
	;;
root)
	r=$(field_of "${2:?usage: kernels.sh root RELEASE}" 5)
	[ "$r" = - ] || echo "$r"
	;;
run)
	rel=${2:?usage: kernels.sh run RELEASE CMD...}
	shift 2
	r=$(field_of "$rel" 5)
	if [ "$r" = - ]; then
		exec "$@"
	fi
	exec "$top/scripts/buildroot.sh" run "$r" "$@"
	;;
__newest)
	newest "$2"
	;;
__image_pkgs)
	image_pkgs "$2"
	;;
*)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
