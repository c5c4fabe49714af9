#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Find the commit of the series that broke a test: git bisect run in the
# work tree between GOOD (default: base) and BAD (default: the series'
# tip), with TEST as the build-and-test command, run at the top of the
# tree (default: build the UML test kernel and run the KUnit suites).
# A build that fails counts as bad; make TEST exit 125 to skip a commit.
# Usage: scripts/bisect.sh [GOOD [BAD [TEST]]]
. "$(dirname "$0")/lib.sh"
need_tree
good=${1:-${GOOD:-base}}
bad=${2:-${BAD:-$BRANCH}}
test_cmd=${3:-${TEST:-$TOP/scripts/kunit.sh uml bisect}}
[ -z "$(tgit status --porcelain --untracked-files=no)" ] ||
	die "uncommitted changes in $TREE: commit or stash them first (bisect checks out commits)"
tgit rev-parse -q --verify "$good^{commit}" >/dev/null || die "GOOD=$good is not a commit in $TREE"
tgit rev-parse -q --verify "$bad^{commit}" >/dev/null || die "BAD=$bad is not a commit in $TREE"

orig=$(tgit symbolic-ref -q --short HEAD || tgit rev-parse HEAD)
cleanup() {
	tgit bisect log >"$WORK/bisect.log" 2>/dev/null || true
	tgit bisect reset -q >/dev/null 2>&1 || true
	tgit checkout -q "$orig"
}
trap cleanup EXIT
mkdir -p "$WORK"
runner=$(mktemp)
cat >"$runner" <<RUN
#!/usr/bin/env bash
echo "==> bisect: testing \$(git log -1 --format='%h %s')"
cd "$TREE"
bash -c $(printf %q "$test_cmd")
rc=\$?
[ \$rc -le 127 ] || rc=1   # a crash of the test counts as bad, not as an abort
echo "<== bisect: exit \$rc"
exit \$rc
RUN
chmod +x "$runner"
tgit bisect start "$bad" "$good" >/dev/null
out=$(tgit bisect run "$runner" 2>&1 | tee /dev/stderr) || true
rm -f "$runner"
first=$(printf '%s\n' "$out" | sed -n 's/^\([0-9a-f]\{7,\}\) is the first bad commit$/\1/p')
[ -n "$first" ] || die "bisect found no first bad commit (log: $WORK/bisect.log)"
echo
echo "first bad commit: $(tgit log -1 --format='%h %s' "$first")"
echo "bisect log: $WORK/bisect.log"
