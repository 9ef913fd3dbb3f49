#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YAML spec is the protocol's one source.  Check that the files rendered
# from it and committed are exactly what the kernel's ynl-gen-c renders from
# it now (scripts/ynl-gen.sh; `make spec` rewrites them), and that the ynl C
# user library generated from it builds.  The attribute trees of replies
# are checked against the running module by tests/ynl_test.c in the VMs;
# that every operation of the spec is requested there, and drawn by the
# fuzzer (tests/fuzz_gen.c), is checked here.
# Prints TAP; exits non-zero on failure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
gen=$top/scripts/ynl-gen.sh
ynl=${KSRC:-$top/.cache/linux-source-6.12}/tools/net/ynl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "TAP version 13"
echo "1..6"
fail=0
n=0
ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; fail=1; }

# rendered NAME COMMITTED MODE: compare a fresh rendering with the file.
rendered() {
	if ! "$gen" "$3" "$work/$1" >"$work/$1.log" 2>&1; then
		not_ok "$1: ynl-gen-c renders the spec"
		sed 's/^/# /' "$work/$1.log" | tail -20
	elif diff -u "$2" "$work/$1" >"$work/$1.diff"; then
		ok "$1: ${2#"$top"/} is ynl-gen-c's rendering of the spec"
	else
		not_ok "$1: ${2#"$top"/} is ynl-gen-c's rendering of the spec (run make spec)"
		sed 's/^/# /' "$work/$1.diff" | head -30
	fi
}

rendered uapi "$top/module/uapi/linux/ptscope.h" uapi
rendered policy "$top/module/netlink_policy_gen.h" policy

if "$gen" user "$work/user" >"$work/user.log" 2>&1 &&
   cc -std=gnu11 -w -c -I"$ynl/lib" -I"$top/module/uapi" \
	-o "$work/user.o" "$work/user/ptscope-user.c" >>"$work/user.log" 2>&1; then
	ok "the ynl C user library generated from the spec builds"
else
	not_ok "the ynl C user library generated from the spec builds"
	sed 's/^/# /' "$work/user.log" | tail -20
fi

if python3 "$top/tests/spec-tree.py" "$top/module/uapi/ptscope.yaml" \
	>"$work/spec_tree.h" 2>"$work/tree.log" &&
   printf '#include "%s"\nint main(void) { return !st_ops[0].cmd; }\n' \
	"$work/spec_tree.h" >"$work/tree.c" &&
   cc -std=c11 -Wall -Wextra -Werror -o "$work/tree" "$work/tree.c" \
	>>"$work/tree.log" 2>&1 && "$work/tree"; then
	ok "the spec's attribute trees render as C tables (tests/spec-tree.py)"
else
	not_ok "the spec's attribute trees render as C tables (tests/spec-tree.py)"
	sed 's/^/# /' "$work/tree.log" | tail -20
fi
# covered FILE WHAT FROM TO SKIP...: every operation's PTSCOPE_CMD_*
# appears in FILE between the lines matching FROM and TO (sed addresses).
covered() {
	local file=$1 what=$2 from=$3 to=$4 missing='' op cmd part
	shift 4
	part=$(sed -n "/$from/,/$to/p" "$top/$file")
	for op in $(python3 -c 'import sys, yaml
for o in yaml.safe_load(open(sys.argv[1]))["operations"]["list"]:
	print(o["name"])' "$top/module/uapi/ptscope.yaml"); do
		case " $* " in *" $op "*) continue ;; esac
		cmd=PTSCOPE_CMD_$(echo "$op" | tr 'a-z-' 'A-Z_')
		grep -qw "$cmd" <<<"$part" || missing="$missing $op"
	done
	if [ -n "$part" ] && [ -z "$missing" ]; then
		ok "every operation of the spec is in $what${1:+ (but $*)}"
	else
		not_ok "every operation of the spec is in $what: missing${missing:- the block}"
	fi
}
# Replies of each operation checked against the spec's trees.
covered tests/ynl_test.c "ynl_test's every_reply_conforms" \
	'^TEST_F(tree, every_reply_conforms)' '^}'
# Drawn by the fuzzer; track-start and -stop change state (track_test).
covered tests/fuzz_gen.c "the fuzzer's valid_cmds" \
	'^static const int valid_cmds' '^};' track-start track-stop
exit $fail
