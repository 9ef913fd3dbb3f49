#!/bin/bash
# The example alert rules (dist/prometheus/): promtool accepts them, and
# their unit tests (input series, when each alert must fire and with what
# labels and annotations) pass.  TAP on stdout; scripts/check.sh counts it.
set -eu

dir=$(cd "$(dirname "$0")/../../dist/prometheus" && pwd)
n=0 failed=0
tap() {	# tap DESCRIPTION CMD...: one TAP line, the command's output as diagnostics
	local desc=$1 out rc=0
	shift
	n=$((n + 1))
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok $n $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n $desc"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}

echo "TAP version 13"
if ! command -v promtool >/dev/null; then
	echo "not ok 1 promtool installed (scripts/setup.sh installs prometheus)"
	echo "1..1"
	exit 1
fi
cd "$dir"
tap "promtool check rules ptscope-alerts.yml" promtool check rules ptscope-alerts.yml
tap "promtool test rules ptscope-alerts.test.yml (alerts fire when they should, not below)" \
	promtool test rules ptscope-alerts.test.yml
echo "1..$n"
[ "$failed" -eq 0 ]
