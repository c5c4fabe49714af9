#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: script tests, work tree, per-patch gate, KUnit under
# UML, the bench's smoke form (one boot of the series' bench kernel, one
# repetition of each benchmark, no timing judged), KUnit under QEMU with every
# debug config (KASAN included), and the networking kselftest in the same QEMU kernel.
# Every part runs even when an earlier one failed; the last line counts every
# case: "N passed, N failed, N skipped".
. "$(dirname "$0")/lib.sh"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
t0=$SECONDS

part() { # part NAME CMD...: run one part; a failure is recorded, not fatal
	local name=$1
	shift
	step "$name" "$@" && return 0
	result check.txt FAIL "check/$name"
	return 1
}

part "script tests" "$TOP/tests/run.sh" || true
if part "work tree" "$TOP/scripts/tree.sh"; then
	part "per-patch gate" "$TOP/scripts/check-series.sh" || true
	part "KUnit, UML" "$TOP/scripts/kunit.sh" uml || true
	part "bench smoke" "$TOP/scripts/bench.sh" --smoke || true
	part "KUnit, QEMU x86_64 + KASAN" "$TOP/scripts/kunit.sh" qemu || true
	part "kselftest, QEMU x86_64 + KASAN" "$TOP/scripts/kselftest.sh" || true
fi
echo
echo "make check: $((SECONDS - t0))s"
exec "$TOP/scripts/summary.sh"
