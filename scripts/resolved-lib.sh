# shellcheck shell=bash
# Storing and querying a resolved kernel table ("SERIES SUITE RELEASE IMAGES ROOT" a
# line), shared by scripts/kernels.sh (x86-64) and scripts/arm64.sh.
# Sourced; the script defines table (prints the table), die and $resolved.

field_of() {	# field_of RELEASE N: field N of RELEASE's line
	table | awk -v r="$1" -v n="$2" '$3 == r { print $n; found = 1 } END { exit !found }' ||
		die "release $1 is not in $resolved"
}

releases_of() {	# releases_of [SERIES...]: their releases (all without), one line
	local filter=" $* "
	table | while read -r series _ rel _; do
		[ "$#" -eq 0 ] || [[ $filter == *" $series "* ]] || continue
		printf '%s\n' "$rel"
	done | tr '\n' ' ' | sed 's/ $/\n/'
}

release_of() {	# release_of SERIES: its release
	table | awk -v s="$1" '$1 == s { print $3; found = 1 } END { exit !found }' ||
		die "series $1 is not resolved"
}

# store_resolved TMP [SERIES...]: TMP (the lines just resolved) becomes the
# table; resolving some series keeps the other series' lines.
store_resolved() {
	local tmp=$1
	shift
	[ -s "$tmp" ] || die "no series matched: $*"
	if [ "$#" -gt 0 ] && [ -f "$resolved" ]; then
		awk 'NR == FNR { seen[$1] = 1; print; next } !($1 in seen)' "$tmp" "$resolved" >"$tmp.all"
		mv "$tmp.all" "$tmp"
	fi
	mv "$tmp" "$resolved"
}
