#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make regress: the kernel's own test suites on the base and on the tip of
# the series, side by side (README.md, "make regress").
#   1. two x86_64 kernels, one config (scripts/regress-build.sh)
#   2. the selftests, built once from the series (scripts/regress-selftests.sh)
#   3. in QEMU (TCG), each kernel: tools/testing/selftests/net/tls and the mm
#      selftests (scripts/regress-guest.sh); under UML, every KUnit suite
#      KUNIT_ALL_TESTS enables (scripts/regress-kunit.sh)
#   4. the series kernel under fault injection, then kmemleak and MemFree
#   5. the verdict table (scripts/regress-table.py), work/regress/verdict.md
# Every part runs even when another failed; exits non-zero on a regression
# or on a part that could not run.
# Env: REGRESS_SUITES (default "tls mm kunit-uml faultinj"), REGRESS_JOBS,
# REGRESS_TIMEOUT_{TLS,MM,FAULTINJ,KUNIT}, REGRESS_PART_TIMEOUT,
# REGRESS_MM_CATEGORIES, REGRESS_TLS_ARGS, REGRESS_FI_TLS_ARGS, REGRESS_PARALLEL
# (default 1: the base and series parts of a suite run at once).
. "$(dirname "$0")/lib.sh"
need_tree
REGRESS=${FP_REGRESS:-$WORK/regress}
OUT=${REGRESS_OUT:-$REGRESS/results}
suites=${REGRESS_SUITES:-tls mm kunit-uml faultinj}
rm -rf "$OUT"
mkdir -p "$OUT"
times=$OUT/times.txt
t0=$SECONDS

part() { # part NAME CMD...: run CMD, time it; a failure is noted, not fatal
	local name=$1 t=$SECONDS rc=0
	shift
	step "$name" "$@" || rc=$?
	echo "$name: $((SECONDS - t))s$([ $rc -eq 0 ] || echo " (exit $rc)")" >>"$times"
	[ $rc -eq 0 ] || echo "$name" >>"$OUT/failed-parts"
	return 0
}

# pair NAME CMD [ARGS...]: "CMD base ARGS" and "CMD series ARGS" at once
# (REGRESS_PARALLEL=0: one after the other), each part timed on its own,
# their output kept in $OUT/logs/ and printed when both are done.  Each
# guest or build keeps about one CPU busy; both sides share the machine
# equally, so a harness timeout hits them alike.
pair() {
	local name=$1 cmd=$2 side t=$SECONDS log
	shift 2
	if [ "${REGRESS_PARALLEL:-1}" = 0 ]; then
		for side in base series; do part "$name, $side" "$cmd" "$side" "$@"; done
		return 0
	fi
	mkdir -p "$OUT/logs"
	for side in base series; do
		log=$OUT/logs/$(echo "$name-$side" | tr -c 'a-zA-Z0-9\n-' _).log
		part "$name, $side" "$cmd" "$side" "$@" >"$log" 2>&1 &
	done
	wait
	for side in base series; do
		cat "$OUT/logs/$(echo "$name-$side" | tr -c 'a-zA-Z0-9\n-' _).log"
	done
	echo "$name, both (wall clock): $((SECONDS - t))s" >>"$times"
}

pair "build the kernel" "$TOP/scripts/regress-build.sh"
sel=()
for s in $suites; do
	case $s in tls|faultinj) sel+=(tls) ;; mm) sel+=(mm) ;; esac
done
[ ${#sel[@]} -eq 0 ] ||
	part "build the selftests ($(printf '%s\n' "${sel[@]}" | sort -u | xargs))" \
		"$TOP/scripts/regress-selftests.sh" $(printf '%s\n' "${sel[@]}" | sort -u)
for s in $suites; do
	case $s in
	tls|mm) pair "$s" "$TOP/scripts/regress-guest.sh" "$s" ;;
	kunit-uml) pair "KUnit (UML, KUNIT_ALL_TESTS)" "$TOP/scripts/regress-kunit.sh" ;;
	faultinj) part "fault injection, series kernel" "$TOP/scripts/regress-guest.sh" series faultinj ;;
	*) die "unknown suite '$s' in REGRESS_SUITES (tls, mm, kunit-uml, faultinj)" ;;
	esac
done
echo "total: $((SECONDS - t0))s" >>"$times"
echo
rc=0
python3 "$TOP/scripts/regress-table.py" "$OUT" --date "$(date -u '+%Y-%m-%d %H:%M UTC')" || rc=1
echo
cat "$times"
[ ! -s "$OUT/failed-parts" ] || { echo "parts that failed: $(paste -sd, "$OUT/failed-parts" | sed 's/,/; /g')"; rc=1; }
note "results: $OUT (verdict.md, per-suite TAP/JSON, kernel logs)"
exit $rc
