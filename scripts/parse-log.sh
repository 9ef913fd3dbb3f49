#!/bin/bash
# Judge a test VM console log (or any output using the same markers).
#
#   scripts/parse-log.sh [-n] [-c COUNTS] [-f FAILURES] LOG
#
# Prints one summary line per test program and the kernel splats found,
# writes "PASSED FAILED SKIPPED" to COUNTS, and exits non-zero when anything
# failed.  -f: append each failure as one line ("program: not ok ..",
# "program: did not finish ..") to FAILURES, for a digest at the end.
# -n: no kernel log in LOG (host-side output), skip the splat and
# PTSCOPE-DONE checks.
#
# Per program (between PTSCOPE-BEGIN and PTSCOPE-END, see scripts/vm-init.sh):
#  - the TAP lines "ok N ..", "ok N .. # SKIP ..", "not ok N .."; or, when
#    they account for more tests, the kselftest summaries "# Totals: pass:..
#    fail:.. xfail:.. xpass:.. skip:.. error:.." or "N passed, N failed";
#  - tests promised by the "1..N" plan(s) that never reported count as failed;
#  - an exit status other than 0 or 4 (KSFT_SKIP) with no failure reported
#    counts as one failure; a program without any TAP counts as one test;
#  - a program that never reached PTSCOPE-END (crash, hang) fails.
# Whole log: every kernel splat (see the list below) counts as one failure,
# and so does a missing PTSCOPE-DONE.
set -eu

nosplat=0 counts='' failures=''
while getopts nc:f: opt; do
	case $opt in
	n) nosplat=1 ;;
	c) counts=$OPTARG ;;
	f) failures=$OPTARG ;;
	*) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
log=${1:?usage: parse-log.sh [-n] [-c COUNTS] [-f FAILURES] LOG}

result=$(tr -d '\r' <"$log" | awk -v nosplat="$nosplat" '
function reset() { plan = -1; p = f = s = 0; tot = 0; tp = tf = ts = 0; sum = 0; sp = sf = 0 }
function finish(name, rc, ended,    P, F, S, why) {
	why = ""
	# TAP lines, unless a summary accounts for more tests (lines lost or
	# garbled by kernel messages on the shared console).
	P = p; F = f; S = s
	if (tot && tp + tf + ts > P + F + S) { P = tp; F = tf; S = ts }
	if (sum && sp + sf > P + F + S) { P = sp; F = sf; S = 0 }
	if (plan >= 0 && P + F + S < plan) {
		why = why sprintf(" %d planned test(s) never reported;", plan - P - F - S)
		F += plan - P - F - S
	}
	if (!ended) {
		why = why " did not finish (VM crashed or hung);"
		if (F == 0) F = 1
	} else if (rc != 0 && rc != 4 && F == 0) {
		why = why sprintf(" exit status %d;", rc)
		F = 1
	}
	if (P + F + S == 0) {
		if (rc == 4) S = 1; else if (rc == 0) P = 1; else F = 1
	}
	printf "  %-28s %3d passed, %d failed, %d skipped%s\n", name ":", P, F, S, \
		(why != "" ? "  <-" why : "")
	if (why != "") printf "FAIL %s:%s\n", name, why
	TP += P; TF += F; TS += S
	insec = 0
}
BEGIN { insec = 0; done = 0; nsplat = 0; TP = TF = TS = 0; reset() }
{
	line = $0
	if (!nosplat && line ~ /\[ *[0-9]+\.[0-9]+\]/ && \
	    line ~ /BUG:|WARNING:|Oops|general protection|sleeping function called from invalid context|rcu: INFO: rcu_(sched|preempt) (self-)?detected (stalls|stall)|RCU stall|rcu_.* detected stalls|Kernel panic|KASAN:|UBSAN:|kmemleak:.*suspected memory leak|blocked for more than|list_(add|del) corruption|refcount_t:|Call Trace:/) {
		nsplat++
		if (nsplat <= 40) splats = splats "    " line "\n"
	}
	if (match(line, /=== PTSCOPE-BEGIN [^ ]+ ===/)) {
		if (insec) finish(sec, -1, 0)
		sec = substr(line, RSTART + 18, RLENGTH - 22)
		insec = 1; reset(); next
	}
	if (match(line, /=== PTSCOPE-END [^ ]+ rc=[0-9-]+ ===/)) {
		split(substr(line, RSTART, RLENGTH), a, /[ =]+/)
		# a: "", PTSCOPE-END, name, rc, N, ""
		if (insec) finish(sec, a[5] + 0, 1)
		next
	}
	if (line ~ /=== PTSCOPE-DONE ===/) { done = 1; next }
	if (!insec) next
	if (line ~ /^not ok [0-9]+/) { f++; printf "FAIL %s: %s\n", sec, line; next }
	if (line ~ /^ok [0-9]+/) {
		if (line ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) s++; else p++
		next
	}
	if (line ~ /^1\.\.[0-9]+/) { plan = (plan < 0 ? 0 : plan) + substr(line, 4); next }
	if (line ~ /^[0-9]+ passed, [0-9]+ failed$/) {
		split(line, a, /[ ,]+/); sum = 1; sp += a[1]; sf += a[3]; next
	}
	if (match(line, /^# Totals: pass:[0-9]+ fail:[0-9]+ xfail:[0-9]+ xpass:[0-9]+ skip:[0-9]+ error:[0-9]+/)) {
		split(line, a, /[: ]+/)
		# a: #, Totals, pass, P, fail, F, xfail, XF, xpass, XP, skip, S, error, E
		tot = 1; tp += a[4] + a[8]; tf += a[6] + a[10] + a[14]; ts += a[12]
	}
}
END {
	if (insec) finish(sec, -1, 0)
	if (!nosplat) {
		if (nsplat) {
			printf "  %-28s %d kernel splat line(s):\n%s", "kernel log:", nsplat, splats
			printf "FAIL kernel log: %d splat line(s)\n", nsplat
			TF++
		}
		if (!done) {
			printf "  %-28s no PTSCOPE-DONE marker: the VM crashed, hung or timed out\n", "vm:"
			printf "FAIL vm: no PTSCOPE-DONE marker (crashed, hung or timed out)\n"
			TF++
		}
	}
	printf "COUNTS %d %d %d\n", TP, TF, TS
}')

echo "$result" | grep -v -e '^COUNTS ' -e '^FAIL '
if [ -n "$failures" ]; then
	echo "$result" | sed -n 's/^FAIL //p' >>"$failures"
fi
read -r np nf ns <<<"$(echo "$result" | sed -n 's/^COUNTS //p')"
if [ -n "$counts" ]; then
	echo "$np $nf $ns" >"$counts"
fi
[ "$nf" -eq 0 ]
