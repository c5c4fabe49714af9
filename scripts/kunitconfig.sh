#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the given kunitconfig fragments merged, less the options the tree
# does not define (suites that a later patch of the series adds).
# Usage: scripts/kunitconfig.sh FRAGMENT...
. "$(dirname "$0")/lib.sh"
need_tree
known=$(mktemp)
trap 'rm -f "$known"' EXIT
tgit grep -h -E '^[[:space:]]*(menu)?config[[:space:]]+[A-Z0-9_]+' -- '*Kconfig*' |
	awk '{ print "CONFIG_" $2 }' | sort -u >"$known"
for f in "$@"; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			if grep -qx "$sym" "$known"; then
				echo "$line"
			else
				echo "# $line (not in this tree)"
			fi ;;
		*)	echo "$line" ;;
		esac
	done <"$f"
done
