#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KUnit part of `make regress`: every suite KUNIT_ALL_TESTS enables,
# plus the series' options, under UML (scripts/kunit.sh uml-alltests), for
# one SIDE (base or series), built from that side's worktree (made by
# scripts/regress-build.sh) into $REGRESS/uml-SIDE.  Leaves the kunit.py JSON
# and the log in $REGRESS/results/SIDE/kunit-uml.{json,kernel.log}.
# Usage: scripts/regress-kunit.sh SIDE     Env: REGRESS_TIMEOUT_KUNIT (s)
. "$(dirname "$0")/lib.sh"
side=${1:?usage: regress-kunit.sh base|series}
REGRESS=${FP_REGRESS:-$WORK/regress}
OUT=${REGRESS_OUT:-$REGRESS/results}
res=$OUT/$side
src=$REGRESS/src-$side
mkdir -p "$res"
rm -f "$res"/kunit-uml.*
status() { echo "$*" >"$res/kunit-uml.status"; echo "kunit-uml ($side): $*" >&2; }
[ -e "$src/.git" ] || { status "error: no worktree $src (scripts/regress-build.sh $side makes it)"; exit 1; }
echo kunit-uml >"$res/kunit-uml.boot"
rc=0
t0=$SECONDS
FP_TREE=$src FP_BUILD=$REGRESS/uml-$side FP_RESULTS=$res/kunit-uml.results \
	KUNIT_TIMEOUT=${REGRESS_TIMEOUT_KUNIT:-1200} \
	nice -n 19 "$TOP/scripts/kunit.sh" uml-alltests "kunit-uml-$side" || rc=$?
echo "$((SECONDS - t0))" >"$res/kunit-uml.seconds"
b=$REGRESS/uml-$side/uml-alltests
[ -f "$b/test.log" ] && cp "$b/test.log" "$res/kunit-uml.kernel.log"
if [ -f "$b/results.json" ] && [ $rc -ne 2 ]; then
	cp "$b/results.json" "$res/kunit-uml.json"
elif [ $rc -eq 2 ]; then
	status "error: the UML KUnit kernel does not build (see $b/build.log)"
else
	status "error: kunit.py left no results (timeout after ${REGRESS_TIMEOUT_KUNIT:-1200}s or crash? see $b/test.log)"
fi
# Failed cases are the table's business, not this script's.
[ ! -f "$res/kunit-uml.status" ]
