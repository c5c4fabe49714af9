#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Count the outcomes recorded in $RESULTS/*.txt and end with the line
# "N passed, N failed, N skipped".  Exit 1 if anything failed or nothing ran.
. "$(dirname "$0")/lib.sh"
shopt -s nullglob
files=("$RESULTS"/*.txt)
pass=0 fail=0 skip=0
if [ ${#files[@]} -gt 0 ]; then
	pass=$(cat "${files[@]}" | grep -c '^PASS ' || true)
	fail=$(cat "${files[@]}" | grep -c '^FAIL ' || true)
	skip=$(cat "${files[@]}" | grep -c '^SKIP ' || true)
	for f in "${files[@]}"; do
		printf '  %-28s %4d passed, %d failed, %d skipped\n' "$(basename "$f" .txt)" \
			"$(grep -c '^PASS ' "$f" || true)" "$(grep -c '^FAIL ' "$f" || true)" \
			"$(grep -c '^SKIP ' "$f" || true)"
	done
	if [ "$fail" -gt 0 ]; then
		echo "Failed:"
		cat "${files[@]}" | sed -n 's/^FAIL /  /p'
	fi
	if [ "$skip" -gt 0 ]; then
		echo "Skipped (not counted as passed):"
		cat "${files[@]}" | sed -n 's/^SKIP /  /p'
	fi
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
