#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The per-patch gate: for every commit of the series (base..series), check it
# out, build the UML test kernel, run the KUnit suites, compile the C files
# the patch touches for x86_64 with W=1 (scripts/compile-x86.sh), and run
# scripts/checkpatch.pl --strict and scripts/kernel-doc on the patch.
# Prints one row a patch and fails on any red cell.
#
# The builds are incremental (ccache, one build directory a config).  The
# UML kernel leaves out the network stack (variant uml-mm) until the first
# commit whose tree defines a suite of configs/net.kunitconfig; from there
# on it is the full test kernel (variant uml, the build directory that
# 'make kunit-uml' uses).  So a patch to a widely included header before
# that point rebuilds a kernel without NET, INET, TLS and crypto.
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
# checkpatch asks, of any patch that adds a file without touching
# MAINTAINERS, whether MAINTAINERS needs updating (FILE_PATH_CHANGES); it
# cannot see that the file already falls under a section's pattern.  That
# question is answered here instead: each added file must belong to a
# MAINTAINERS section other than THE REST (get_maintainer.pl --sections).
checkpatch() {
	local out f sections
	out=$(tgit format-patch -1 --stdout "$1" |
		(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict -q --showfile \
			--ignore FILE_PATH_CHANGES -) 2>&1) || {
		echo "$out"; return 1; }
	[ -z "$out" ] || { echo "$out"; return 1; }
	while IFS= read -r f; do
		# Section names: the lines that are not "X:<tab>..." entries.
		sections=$(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --sections -f "$f" 2>&1 |
			grep -vE '^([A-Z]:[[:space:]]|[[:space:]]*$|THE REST$)' | paste -sd, -)
		[ -n "$sections" ] || {
			echo "$f: added, and no MAINTAINERS section but THE REST covers it"; return 1; }
		echo "$f: $sections"
	done < <(tgit diff-tree --no-commit-id --name-only -r --diff-filter=A "$1")
}

# kernel-doc on the C files the patch touches: any warning is red.
kerneldoc() {
	local files out
	mapfile -t files < <(tgit diff-tree --no-commit-id --name-only -r --diff-filter=AM "$1" -- '*.c' '*.h')
	[ ${#files[@]} -gt 0 ] || return 0
	out=$(cd "$TREE" && perl scripts/kernel-doc -none "${files[@]}" 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# net_suites: true if the checked-out tree defines a suite (a *_TEST
# option) of configs/net.kunitconfig; kunitconfig.sh comments out the rest.
net_suites() {
	"$TOP/scripts/kunitconfig.sh" "$TOP/configs/net.kunitconfig" |
		grep -q '^CONFIG_[A-Z0-9_]*_TEST='
}

# FP_GATE_KUNIT replaces scripts/kunit.sh (the script tests stub it out).
kunit_sh=${FP_GATE_KUNIT:-$TOP/scripts/kunit.sh}

mkdir -p "$WORK/gate"
rows=() n=0 bad=0 t_all=$SECONDS
for c in "${commits[@]}"; do
	n=$((n + 1))
	t0=$SECONDS
	subject=$(tgit log -1 --format=%s "$c")
	echo "==> [$n/${#commits[@]}] $subject"
	tgit checkout -q --detach "$c"
	v=uml-mm
	net_suites && v=uml
	b=$(cell build "$kunit_sh" --build-only $v "gate-$n")
	if [ "$b" = ok ]; then
		k=$(cell kunit "$kunit_sh" --exec-only $v "gate-$n")
	else
		k=-; result "$rfile" FAIL "gate/$(printf %02d "$n")/kunit"
	fi
	x=$(cell x86 "$TOP/scripts/compile-x86.sh" "$c")
	p=$(cell checkpatch checkpatch "$c")
	d=$(cell kernel-doc kerneldoc "$c")
	[ "$b$k$x$p$d" = okokokokok ] || bad=$((bad + 1))
	rows+=("$(printf '%3d  %-6s %-6s %-6s %-6s %-10s %-10s %5ss  %.60s' "$n" "$v" "$b" "$k" "$x" "$p" "$d" $((SECONDS - t0)) "$subject")")
	echo "<== [$n/${#commits[@]}] $v build $b, kunit $k, x86_64 W=1 $x, checkpatch $p, kernel-doc $d ($((SECONDS - t0))s)"
	[ "$b$k$x$p$d" = okokokokok ] || echo "    logs: $WORK/gate/$n-*.log"
	rm -f "$RESULTS/kunit-gate-$n.txt"
done

echo
echo "Per-patch gate ($((SECONDS - t_all))s):"
printf '%3s  %-6s %-6s %-6s %-6s %-10s %-10s %6s  %s\n' "#" uml build kunit x86_64 checkpatch kernel-doc time patch
printf '%s\n' "${rows[@]}"
[ $bad -eq 0 ] || die "$bad of ${#commits[@]} patches have a red cell (logs in $WORK/gate/)"
