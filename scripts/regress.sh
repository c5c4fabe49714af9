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
# REGRESS_MM_CATEGORIES, REGRESS_TLS_ARGS, REGRESS_FI_TLS_ARGS.
. "$(dirname "$0")/lib.sh"
need_tree
REGRESS=${FP_REGRESS:-$WORK/regress}
OUT=${REGRESS_OUT:-$REGRESS/results}
suites=${REGRESS_SUITES:-tls mm kunit-uml faultinj}
rm -rf "$OUT"
mkdir -p "$OUT"
times=$OUT/times.txt
t0=$SECONDS
failed=()

part() { # part NAME CMD...: run one part, time it; a failure is noted, not fatal
	local name=$1 t=$SECONDS rc=0
	shift
	step "$name" "$@" || rc=$?
	echo "$name: $((SECONDS - t))s${rc:+ (exit $rc)}" | sed 's/ (exit 0)$//' >>"$times"
	[ $rc -eq 0 ] || failed+=("$name")
	return 0
}

part "build the base kernel" "$TOP/scripts/regress-build.sh" base
part "build the series kernel" "$TOP/scripts/regress-build.sh" series
sel=()
for s in $suites; do
	case $s in tls|faultinj) sel+=(tls) ;; mm) sel+=(mm) ;; esac
done
[ ${#sel[@]} -eq 0 ] ||
	part "build the selftests (${sel[*]})" "$TOP/scripts/regress-selftests.sh" $(printf '%s\n' "${sel[@]}" | sort -u)
for s in $suites; do
	case $s in
	tls|mm)
		for side in base series; do
			part "$s, $side kernel" "$TOP/scripts/regress-guest.sh" "$side" "$s"
		done ;;
	kunit-uml)
		for side in base series; do
			part "KUnit (UML, KUNIT_ALL_TESTS), $side" "$TOP/scripts/regress-kunit.sh" "$side"
		done ;;
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
[ ${#failed[@]} -eq 0 ] || { echo "parts that failed: ${failed[*]}"; rc=1; }
note "results: $OUT (verdict.md, per-suite TAP/JSON, kernel logs)"
exit $rc
