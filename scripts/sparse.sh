#!/bin/bash
# A sparse that can check every kernel of the matrix; prints its path.
#
#   scripts/sparse.sh         build it once into .cache/tools/bin/ (root)
#
# Linux 6.15 and later use __typeof_unqual__, which Debian 12's and 13's
# sparse (0.6.4) cannot parse; their Makefile then tests the checker with
# scripts/checker-valid.sh, which Debian's linux-kbuild does not ship, and
# "C=2" quietly checks nothing ("C=2 specified, but sparse is not available
# or not up to date").  sid's sparse (0.6.5~rc1) parses it.  Its source
# comes through apt (signed like any package; sid's Release is past its
# Valid-Until here) and is built on the host, so the same binary serves the
# host and the build roots, which see .cache/ at the same path.
# scripts/check.sh passes it as CHECK= with KBUILD_CHECKSRC=2, which
# overrides the Makefile's "not available" verdict.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$top/.cache")
bin=$cache/tools/bin/sparse
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ -x "$bin" ] && "$bin" -E - </dev/null >/dev/null 2>&1 &&
	printf 'static int u(const int *q) { __typeof_unqual__(*q) v = *q; return v; }\n' |
	"$bin" - 2>&1 | { ! grep -q error; }; then
	echo "$bin"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "sparse.sh: building sparse needs root (apt)" >&2; exit 1; }

work=$cache/tools/sparse-src
rm -rf "$work"
mkdir -p "$work/apt/state/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/etc"
: >"$work/apt/state/status"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" \
	>"$work/apt/etc/sources.list"
cat >"$work/apt/apt.conf" <<EOC
Dir::State "$work/apt/state";
Dir::State::status "$work/apt/state/status";
Dir::Cache "$work/apt/cache";
Dir::Etc::SourceList "$work/apt/etc/sources.list";
Dir::Etc::SourceParts "$work/apt/etc/sources.list.d";
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
APT::Sandbox::User "root";
EOC
export APT_CONFIG=$work/apt/apt.conf
echo "sparse.sh: sparse from sid's source into $bin" >&2
apt-get update -qq >&2
(cd "$work" && apt-get source --download-only -qq sparse >&2)
tar -C "$work" -xf "$(find "$work" -maxdepth 1 -name 'sparse_*.orig.tar.*' | head -n1)"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'sparse-*' | head -n1)
make -C "$src" -j"$(nproc)" HAVE_LLVM=no HAVE_GTK=no HAVE_SQLITE=no sparse >"$work/build.log" 2>&1 ||
	{ tail -n 20 "$work/build.log" >&2; exit 1; }
mkdir -p "$(dirname "$bin")"
install -m 755 "$src/sparse" "$bin"
echo "$bin"
