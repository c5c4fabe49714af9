#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The networking KUnit suite at every step from where it lands, under QEMU
# x86_64 with KASAN and the other debug configs (scripts/kunit.sh's qemu
# variant): for each commit of the series whose tree defines
# CONFIG_NET_SENDMSG_SLAB_KUNIT_TEST, check it out in a worktree of its own
# ($WORK/net-steps, so that the work tree stays free), build the test
# kernel there (build directory $BUILD/net-steps), run the sendmsg_slab
# suite, then boot it again for the kselftests of scripts/kselftest.sh
# that the step has (frozen_sendpage from the patch that adds it, and the
# kTLS selftest).  Prints one row a step and fails on any red one.  The per-patch
# gate runs every suite at every step, but under UML, without KASAN.
# Not part of make check: a KASAN build a step.
# Usage: net-steps.sh [FIRST]: start at commit FIRST (a revision of the
# work tree) instead of the first that has the suite.
. "$(dirname "$0")/lib.sh"
need_tree

wt=$WORK/net-steps
if [ ! -e "$wt/.git" ]; then
	tgit worktree prune
	tgit worktree add -q --detach "$wt" "$BRANCH" || die "cannot add the worktree $wt"
fi
first=
[ -z "${1:-}" ] || first=$(tgit rev-parse --verify -q "$1^{commit}") ||
	die "'$1' is not a commit of $TREE"
mapfile -t commits < <(tgit rev-list --reverse "base..$BRANCH")
[ ${#commits[@]} -gt 0 ] || die "no commits between base and $BRANCH in $TREE"

# FP_NET_STEPS_KUNIT and FP_NET_STEPS_KSELFTEST replace scripts/kunit.sh and
# scripts/kselftest.sh (the script tests stub them out).
kunit_sh=${FP_NET_STEPS_KUNIT:-$TOP/scripts/kunit.sh}
kselftest_sh=${FP_NET_STEPS_KSELFTEST:-$TOP/scripts/kselftest.sh}
rfile=net-steps.txt
rm -f "$RESULTS/$rfile"
mkdir -p "$WORK/gate"
rows=() n=0 bad=0 started= t_all=$SECONDS
for c in "${commits[@]}"; do
	n=$((n + 1))
	[ -z "$first" ] || [ -n "$started" ] || [ "$c" = "$first" ] || continue
	fpgit -C "$wt" checkout -q --detach "$c" || die "cannot check out $c in $wt"
	grep -q '^config NET_SENDMSG_SLAB_KUNIT_TEST$' "$wt/net/Kconfig" || continue
	started=1
	t0=$SECONDS
	subject=$(tgit log -1 --format=%s "$c")
	echo "==> [$n] $subject"
	log=$WORK/gate/net-step-$n.log
	if FP_TREE=$wt FP_BUILD=$BUILD/net-steps KUNIT_FILTER='sendmsg_slab' \
		"$kunit_sh" qemu "net-step-$n" >"$log" 2>&1; then
		r=ok
		result "$rfile" PASS "net-steps/$(printf %02d "$n")/kunit"
	else
		r=FAIL
		result "$rfile" FAIL "net-steps/$(printf %02d "$n")/kunit"
	fi
	cases=$(grep -c '^PASS' "$RESULTS/kunit-net-step-$n.txt" 2>/dev/null) || true
	# The kselftests the tree has, frozen_sendpage and tls among them, in
	# the kernel just built.
	if FP_TREE=$wt FP_BUILD=$BUILD/net-steps KSELFTEST_PRESENT_ONLY=1 \
		KSELFTEST_KERNEL=$BUILD/net-steps/qemu/arch/x86/boot/bzImage \
		"$kselftest_sh" >>"$log" 2>&1; then
		k=ok
		result "$rfile" PASS "net-steps/$(printf %02d "$n")/kselftest"
	else
		k=FAIL
		result "$rfile" FAIL "net-steps/$(printf %02d "$n")/kselftest"
	fi
	[ "$r$k" = okok ] || bad=$((bad + 1))
	rows+=("$(printf '%3d  %-5s %5s %-9s %5ss  %.60s' "$n" "$r" "${cases:-0}" "$k" $((SECONDS - t0)) "$subject")")
	echo "<== [$n] kunit $r (${cases:-0} passed), kselftest $k ($((SECONDS - t0))s; log $log)"
done
[ -n "$started" ] || die "no commit of the series defines CONFIG_NET_SENDMSG_SLAB_KUNIT_TEST"

echo
echo "sendmsg_slab and the kselftests under QEMU with KASAN, every step ($((SECONDS - t_all))s):"
printf '%3s  %-5s %5s %-9s %6s  %s\n' "#" kunit pass kselftest time patch
printf '%s\n' "${rows[@]}"
[ $bad -eq 0 ] || die "$bad steps failed (logs in $WORK/gate/net-step-*.log)"
