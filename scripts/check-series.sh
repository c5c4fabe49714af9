#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The per-patch gate: for every commit of the series (base..series), check it
# out, build the UML test kernel, run the KUnit suites, and run
# scripts/checkpatch.pl --strict and scripts/kernel-doc on the patch.
# Prints one row a patch and fails on any red cell.  The builds are incremental (one build directory,
# ccache), so only the first step costs a full build.
. "$(dirname "$0")/lib.sh"
need_tree
[ -z "$(tgit status --porcelain --untracked-files=no)" ] ||
	die "uncommitted changes in $TREE: commit or stash them first (the gate checks out each commit)"
[ ! -d "$TREE/.git/BISECT_LOG" ] && ! tgit bisect log >/dev/null 2>&1 ||
	die "a bisect is in progress in $TREE: 'git bisect reset' first"

orig=$(tgit symbolic-ref -q --short HEAD || tgit rev-parse HEAD)
trap 'tgit checkout -q "$orig"' EXIT
rfile=check-series.txt
rm -f "$RESULTS/$rfile"
mapfile -t commits < <(tgit rev-list --reverse "base..$BRANCH")
[ ${#commits[@]} -gt 0 ] || die "no commits between base and $BRANCH in $TREE"

cell() { # cell NAME CMD...: run a check, record it, print its cell
	local name=$1 log=$WORK/gate/$n-$1.log
	shift
	if "$@" >"$log" 2>&1; then
		result "$rfile" PASS "gate/$(printf %02d "$n")/$name"; echo ok
	else
		result "$rfile" FAIL "gate/$(printf %02d "$n")/$name"; echo FAIL
	fi
}
# checkpatch --strict on one commit's patch: any finding is red.  Debian's
# python3 first: spdxcheck.py needs python3-ply and python3-git.
checkpatch() {
	local out
	out=$(tgit format-patch -1 --stdout "$1" |
		(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict -q --showfile -) 2>&1) || {
		echo "$out"; return 1; }
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# kernel-doc on the C files the patch touches: any warning is red.
kerneldoc() {
	local files out
	mapfile -t files < <(tgit diff-tree --no-commit-id --name-only -r --diff-filter=AM "$1" -- '*.c' '*.h')
	[ ${#files[@]} -gt 0 ] || return 0
	out=$(cd "$TREE" && perl scripts/kernel-doc -none "${files[@]}" 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

mkdir -p "$WORK/gate"
rows=() n=0 bad=0 t_all=$SECONDS
for c in "${commits[@]}"; do
	n=$((n + 1))
	t0=$SECONDS
	subject=$(tgit log -1 --format=%s "$c")
	echo "==> [$n/${#commits[@]}] $subject"
	tgit checkout -q --detach "$c"
	b=$(cell build "$TOP/scripts/kunit.sh" --build-only uml "gate-$n")
	if [ "$b" = ok ]; then
		k=$(cell kunit "$TOP/scripts/kunit.sh" --exec-only uml "gate-$n")
	else
		k=-; result "$rfile" FAIL "gate/$(printf %02d "$n")/kunit"
	fi
	p=$(cell checkpatch checkpatch "$c")
	d=$(cell kernel-doc kerneldoc "$c")
	[ "$b$k$p$d" = okokokok ] || bad=$((bad + 1))
	rows+=("$(printf '%3d  %-6s %-6s %-10s %-10s %5ss  %.60s' "$n" "$b" "$k" "$p" "$d" $((SECONDS - t0)) "$subject")")
	echo "<== [$n/${#commits[@]}] build $b, kunit $k, checkpatch $p, kernel-doc $d ($((SECONDS - t0))s)"
	[ "$b$k$p$d" = okokokok ] || echo "    logs: $WORK/gate/$n-*.log"
	rm -f "$RESULTS/kunit-gate-$n.txt"
done

echo
echo "Per-patch gate ($((SECONDS - t_all))s):"
printf '%3s  %-6s %-6s %-10s %-10s %6s  %s\n' "#" build kunit checkpatch kernel-doc time patch
printf '%s\n' "${rows[@]}"
[ $bad -eq 0 ] || die "$bad of ${#commits[@]} patches have a red cell (logs in $WORK/gate/)"
