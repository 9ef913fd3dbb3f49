#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YAML spec and the UAPI header describe one protocol.  Check that the
# kernel's own ynl tooling accepts the spec and that every constant it
# renders from the spec has the same value in module/uapi/linux/ptscope.h.
# Prints TAP; exits non-zero on failure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=${KSRC:-$top/.cache/linux-source-6.12}
ynl=$ksrc/tools/net/ynl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "TAP version 13"
echo "1..3"

# ynl-gen-c looks for the schema next to the specs directory and for a
# MAINTAINERS file above it, as in a kernel tree.
mkdir -p "$work/Documentation/netlink/specs"
touch "$work/MAINTAINERS"
cp "$ksrc/Documentation/netlink/genetlink-c.yaml" "$work/Documentation/netlink/"
cp "$top/module/uapi/ptscope.yaml" "$work/Documentation/netlink/specs/"
spec=$work/Documentation/netlink/specs/ptscope.yaml

fail=0
if python3 "$ynl/ynl-gen-c.py" --mode uapi --header --spec "$spec" \
	-o "$work/gen.h" >"$work/gen.log" 2>&1; then
	echo "ok 1 - ynl-gen-c accepts the spec"
else
	echo "not ok 1 - ynl-gen-c accepts the spec"
	sed 's/^/# /' "$work/gen.log" | tail -20
	echo "not ok 2 - # SKIP no generated header"
	echo "not ok 3 - # SKIP no generated header"
	exit 1
fi

# Every enumerator and #define the spec renders, printed as NAME=VALUE
# by one program compiled against each header.
names=$(sed -n 's/^[[:space:]]*\(PTSCOPE_[A-Z0-9_]*\)\( =.*\)\?,$/\1/p;
		s/^#define[[:space:]]\+\(PTSCOPE_[A-Z0-9_]*\)[[:space:]].*/\1/p' \
	"$work/gen.h" | sort -u)
{
	echo '#include <stdio.h>'
	echo '#include HDR'
	echo 'int main(void) {'
	for n in $names; do
		case $n in
		PTSCOPE_GENL_NAME) echo "printf(\"%s=%s\\n\", \"$n\", $n);" ;;
		*) echo "printf(\"%s=%llu\\n\", \"$n\", (unsigned long long)($n));" ;;
		esac
	done
	echo 'return 0; }'
} >"$work/dump.c"

mkdir -p "$work/inc/linux"
cp "$work/gen.h" "$work/inc/linux/ptscope-gen.h"
# -std=c11: in GNU C "linux" is a macro and would rewrite <linux/...>.
if cc -std=c11 -o "$work/from-spec" -I"$work/inc" \
	-DHDR='<linux/ptscope-gen.h>' "$work/dump.c" 2>"$work/cc1.log" &&
   cc -std=c11 -o "$work/from-header" -I"$top/module/uapi" \
	-DHDR='<linux/ptscope.h>' "$work/dump.c" 2>"$work/cc2.log"; then
	echo "ok 2 - every constant of the spec exists in the header ($(echo "$names" | wc -l) names)"
else
	echo "not ok 2 - every constant of the spec exists in the header"
	cat "$work/cc1.log" "$work/cc2.log" 2>/dev/null | grep -m20 error | sed 's/^/# /' || true
	fail=1
fi

if [ $fail = 0 ]; then
	"$work/from-spec" >"$work/spec.txt"
	"$work/from-header" >"$work/header.txt"
	if diff -u "$work/spec.txt" "$work/header.txt" >"$work/diff"; then
		echo "ok 3 - header values match the spec"
	else
		echo "not ok 3 - header values match the spec"
		sed 's/^/# /' "$work/diff" | head -20
		fail=1
	fi
else
	echo "not ok 3 - header values match the spec # SKIP did not compile"
fi
exit $fail
