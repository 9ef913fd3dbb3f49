#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Render C from the protocol's one source, module/uapi/ptscope.yaml, with the
# kernel's own generator (tools/net/ynl/ynl-gen-c.py, from the kernel source
# bits scripts/setup.sh extracts).
#
#   scripts/ynl-gen.sh uapi OUT      the UAPI header, as ynl-gen-c renders it
#   scripts/ynl-gen.sh policy OUT    the module's per-operation request
#                                    policies (see below)
#   scripts/ynl-gen.sh user DIR      the ynl C user library for the family:
#                                    DIR/ptscope-user.[ch] (tests/ynl_test)
#   scripts/ynl-gen.sh write         uapi + policy into module/ (make spec)
#
# Policies only, not the operation table: ynl-gen-c renders the table as
# struct genl_split_ops, which Linux 6.1 does not have (split ops came in
# 6.2).  The module keeps a hand-written struct genl_ops table instead and
# points each operation at its generated policy; a per-op policy in
# genl_ops works on every kernel of the matrix.  The policy block of the
# generated source is kept verbatim.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=${KSRC:-$top/.cache/linux-source-6.12}
ynl=$ksrc/tools/net/ynl
spec_src=$top/module/uapi/ptscope.yaml

[ -e "$ynl/ynl-gen-c.py" ] || {
	echo "ynl-gen: no $ynl/ynl-gen-c.py (run scripts/setup.sh)" >&2
	exit 1
}

# ynl-gen-c wants a kernel-tree layout: the schema beside the specs
# directory, a MAINTAINERS file above, and it names the spec by that path in
# the "auto-generated from" banner.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Documentation/netlink/specs"
touch "$work/MAINTAINERS"
cp "$ksrc"/Documentation/netlink/genetlink*.yaml "$work/Documentation/netlink/"
cp "$spec_src" "$work/Documentation/netlink/specs/ptscope.yaml"
spec=Documentation/netlink/specs/ptscope.yaml

gen() {	# gen MODE --header|--source OUT
	(cd "$work" && python3 "$ynl/ynl-gen-c.py" --mode "$1" "$2" \
		--spec "$spec" -o "$3")
}

render_uapi() {
	gen uapi --header "$work/uapi.h"
	cp "$work/uapi.h" "$1"
}

render_policy() {
	gen kernel --source "$work/kernel.c"
	{
		echo "/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */"
		echo "/* Do not edit directly, auto-generated from: */"
		echo "/*	$spec */"
		echo "/* by scripts/ynl-gen.sh: the policy block of ynl-gen-c --mode kernel. */"
		echo
		echo "#ifndef _PTSCOPE_NETLINK_POLICY_GEN_H"
		echo "#define _PTSCOPE_NETLINK_POLICY_GEN_H"
		echo
		sed -n '/^\/\* PTSCOPE_CMD_/,/^\/\* Ops table for/p' "$work/kernel.c" |
			sed '$d'
		echo "#endif /* _PTSCOPE_NETLINK_POLICY_GEN_H */"
	} >"$work/policy.h"
	grep -q 'nla_policy' "$work/policy.h" || {
		echo "ynl-gen: no policy block in the generated kernel source" >&2
		exit 1
	}
	cp "$work/policy.h" "$1"
}

render_user() {
	mkdir -p "$1"
	gen user --header "$work/ptscope-user.h"
	gen user --source "$work/ptscope-user.c"
	cp "$work/ptscope-user.h" "$work/ptscope-user.c" "$1/"
}

case ${1:-} in
uapi)	render_uapi "$2" ;;
policy)	render_policy "$2" ;;
user)	render_user "$2" ;;
write)
	render_uapi "$top/module/uapi/linux/ptscope.h"
	render_policy "$top/module/netlink_policy_gen.h"
	;;
*)
	sed -n '3,13s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
