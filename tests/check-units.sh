#!/bin/bash
# The systemd units of dist/systemd/ as `make install` writes them, checked
# by `systemd-analyze verify` (syntax, known directives, executables that
# exist), with @BINDIR@ pointing at the CLI just built.  TAP on stdout.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

tap() {	# tap RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

if ! command -v systemd-analyze >/dev/null; then
	echo "1..0 # SKIP systemd-analyze not installed"
	exit 0
fi
[ -x "$top/userspace/ptscope" ] || { echo "1..0 # SKIP userspace/ptscope not built"; exit 0; }
for u in "$top"/dist/systemd/*.in; do
	sed "s|@BINDIR@|$top/userspace|g" "$u" >"$tmp/$(basename "${u%.in}")"
done
cp "$top"/dist/systemd/*.timer "$tmp/"
for u in "$tmp"/*; do
	name=$(basename "$u")
	out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "./$name" 2>&1)
	rc=$?
	[ -z "$out" ] || { rc=1; echo "$out" | sed 's/^/# /'; }
	tap "$rc" "systemd-analyze verify $name"
done
grep -q '^ExecStart=.*--output ' "$tmp/ptscope-metrics.service"
tap $? "ptscope-metrics.service writes with --output (atomic rename)"
grep -q '^Unit=\|^OnUnitActiveSec=' "$tmp/ptscope-metrics.timer"
tap $? "ptscope-metrics.timer repeats"
for u in "$tmp"/*.service "$tmp"/*.timer; do
	! grep -q '^WantedBy=' "$u" || ! grep -q '^\[Install\]' "$u" || continue
	case $u in *metrics.service) continue ;; esac	# started by its timer only
	tap 1 "$(basename "$u") has an [Install] section"
done
echo "1..$n"
exit $failed
