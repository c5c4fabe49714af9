#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the script tests: every t_* function of tests/test-*.sh, each in a
# subshell with a fresh temporary directory.  Records each outcome in
# $RESULTS/scripts.txt and prints ok/not ok lines.
# Usage: tests/run.sh [test-file...]
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=${FP_RESULTS:-$TOP/work/results}
mkdir -p "$RESULTS"
rfile=$RESULTS/scripts.txt
: >"$rfile"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$TOP"/tests/test-*.sh)
pass=0 failed=0
for f in "${files[@]}"; do
	name=$(basename "$f" .sh)
	for t in $(bash -c ". '$TOP/tests/lib.sh'; . '$f'; declare -F" | awk '$3 ~ /^t_/ { print $3 }'); do
		log=$(mktemp)
		if (. "$TOP/tests/lib.sh"; . "$f"; setup; trap teardown EXIT; set -e; "$t") >"$log" 2>&1; then
			echo "ok - $name/$t"; echo "PASS scripts/$name/$t" >>"$rfile"; pass=$((pass + 1))
		else
			echo "not ok - $name/$t"; sed 's/^/    /' "$log" | tail -30
			echo "FAIL scripts/$name/$t" >>"$rfile"; failed=$((failed + 1))
		fi
		rm -f "$log"
	done
done
echo "script tests: $pass passed, $failed failed"
[ $failed -eq 0 ]
