#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fail if a kernel log holds a WARN, BUG, oops, KASAN/UBSAN/KFENCE or
# kmemleak report, or a panic.  A test that provokes a warning on purpose
# brackets it with "frozen-pages: expected warning begin" and
# "frozen-pages: expected warning end" in the log; reports in between are
# allowed (and printed, so they are seen).
# Usage: scripts/scan-log.sh [--all] LOG   (--all: print every report line,
# not only the first 20)
set -euo pipefail
max=20
[ "${1:-}" != --all ] || { max=-1; shift; }
log=${1:?usage: scan-log.sh [--all] LOG}
[ -f "$log" ] || { echo "scan-log: no log at $log" >&2; exit 1; }
awk -v max="$max" '
	/frozen-pages: expected warning begin/ { expected = 1; next }
	/frozen-pages: expected warning end/ { expected = 0; next }
	/------------\[ cut here \]------------|WARNING: |BUG: |BUG [a-z0-9_-]+ \(|Oops|Kernel panic|general protection fault|KASAN:|UBSAN:|KFENCE:|kmemleak:.*new suspected|Call Trace:|[Hh]ardware [Ee]rror|page dumped because/ {
		if (expected) { allowed++; next }
		bad++
		if (max < 0 || bad <= max) print "scan-log: " FILENAME ":" FNR ": " $0
	}
	END {
		if (allowed) printf "scan-log: %d expected report line(s) inside expected-warning brackets\n", allowed
		if (bad) { printf "scan-log: %d report line(s) in %s\n", bad, FILENAME; exit 1 }
	}' "$log"
