#!/bin/sh
# In-VM part of scripts/bench-heat.sh (vm-run.sh -s): run by the VM's /init
# with the module loaded and swap on zram, cwd /tests, as root.
set -u
# shellcheck source=/dev/null # written by scripts/bench-heat.sh
. /tests/heat.env
echo "=== heat-vm: begin: kernel $(uname -r) ==="
echo "# $(grep -E 'MemTotal' /proc/meminfo | tr -s ' ') ; swap: $(tail -n +2 /proc/swaps | tr -s ' ')"
echo "# thp: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
lru=/sys/kernel/mm/lru_gen/enabled
[ "$HEAT_RECLAIM_ARGS" = skip ] && HEAT_LRUS=''	# heat_damon only
for l in $HEAT_LRUS; do
	if [ -e $lru ]; then
		echo "$l" >$lru 2>/dev/null
		echo "# lru_gen/enabled: $(cat $lru) (wanted $l)"
	elif [ "$l" != n ]; then
		continue	# no MGLRU in this kernel: the classic LRU only
	fi
	# Configurations separated by "|", each heat_reclaim's options.
	old_ifs=$IFS
	IFS='|'
	for cfg in $HEAT_RECLAIM_ARGS; do
		IFS=$old_ifs
		# shellcheck disable=SC2086 # the options are words
		./heat_reclaim $cfg
	done
	IFS=$old_ifs
done
[ -e $lru ] && echo y >$lru 2>/dev/null
if [ "$HEAT_DAMON_ARGS" = skip ]; then
	echo "# heat_damon: skipped (HEAT_DAMON_ARGS=skip)"
elif [ -d /sys/kernel/mm/damon/admin ]; then
	# shellcheck disable=SC2086
	./heat_damon $HEAT_DAMON_ARGS
else
	echo "# heat_damon: n/a (no DAMON sysfs interface)"
fi
echo "=== heat-vm: end ==="
