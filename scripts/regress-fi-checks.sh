#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The checks after `make regress`'s fault-injection boot, as TAP on stdout,
# from what scripts/regress-guest.sh left in DIR (faultinj.out, the results
# port; faultinj.kernel.log; faultinj.kmemleak, the scan after the injection):
#   1 kmemleak_scan_clean       the scan after the injection is empty
#   2 memfree_back_to_baseline  MemFree (after drop_caches) is back within
#                               REGRESS_MEMFREE_TOL_PCT (default 5) percent of
#                               MemTotal of its value before the injection:
#                               KASAN's quarantine alone may hold 1/32 of memory
#   3 forks_spared              the guest found copy_process()'s text for
#                               the reject range, and the KUnit rerun ran
#   4 kunit_no_internal_error   KUnit created every case and cleanup kthread
#                               (no "internal error occurred ..." line: the
#                               injection reached KUnit's own machinery)
# Usage: scripts/regress-fi-checks.sh DIR
d=${1:?usage: regress-fi-checks.sh DIR}
out=$d/faultinj.out
[ -f "$out" ] || { echo "regress-fi-checks: no $out (did the fault-injection boot run?)" >&2; exit 1; }
tol=${REGRESS_MEMFREE_TOL_PCT:-5}
b=$(sed -n 's/^regress: memfree baseline \([0-9]*\) kB$/\1/p' "$out")
read -r a t < <(sed -n 's/^regress: memfree after \([0-9]*\) kB, MemTotal \([0-9]*\) kB$/\1 \2/p' "$out") || true
echo "TAP version 13"
echo "1..4"
if grep -qx "regress: end kmemleak" "$out" && [ ! -s "$d/faultinj.kmemleak" ]; then
	echo "ok 1 kmemleak_scan_clean"
else
	echo "# $(grep -c '^unreferenced object' "$d/faultinj.kmemleak" 2>/dev/null) suspected leak(s), see $d/faultinj.kmemleak"
	echo "not ok 1 kmemleak_scan_clean"
fi
echo "# MemFree baseline ${b:-?} kB, after ${a:-?} kB, tolerance $tol% of ${t:-?} kB"
if [ -n "$b" ] && [ -n "${a:-}" ] && [ -n "${t:-}" ] && [ $(( (b - a) * 100 )) -le $(( tol * t )) ]; then
	echo "ok 2 memfree_back_to_baseline"
else
	echo "not ok 2 memfree_back_to_baseline"
fi
kt=$(sed -n 's/^regress: fi reject copy_process //p' "$out")
echo "# copy_process text: ${kt:-not reported}"
if [[ $kt =~ ^0x[0-9a-f]+\ 0x[0-9a-f]+$ ]] && grep -qx "regress: end fi-kunit exit 0" "$out"; then
	echo "ok 3 forks_spared"
else
	echo "not ok 3 forks_spared"
fi
n=$(grep -c 'internal error occurred' "$d/faultinj.kernel.log" 2>/dev/null)
echo "# KUnit internal errors in the kernel log: ${n:-0}"
if [ -f "$d/faultinj.kernel.log" ] && [ "${n:-0}" -eq 0 ]; then
	echo "ok 4 kunit_no_internal_error"
else
	echo "not ok 4 kunit_no_internal_error"
fi
