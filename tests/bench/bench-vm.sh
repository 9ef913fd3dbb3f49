#!/bin/sh
# In-VM part of `make bench` (scripts/bench.sh passes it to vm-run.sh -s):
# run by the VM's /init with the module loaded, cwd /tests, as root.
# /tests holds ptbench and bench.args (its command-line arguments).
set -u

# THP only where a region asks for it (MADV_HUGEPAGE: workload d), with
# direct compaction there; every other region says MADV_NOHUGEPAGE anyway.
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
echo madvise >/sys/kernel/mm/transparent_hugepage/defrag
echo "# thp enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
# No swapping during a measurement: the VM has RAM enough for every workload.
swapoff -a 2>/dev/null
echo "# $(grep -E 'MemTotal|MemFree' /proc/meminfo | tr -s ' \n' ' ')"

args=$(cat /tests/bench.args 2>/dev/null)
# shellcheck disable=SC2086 # word splitting of the argument list is wanted
./ptbench $args
rc=$?
echo "# ptbench exited with status $rc"
exit $rc
