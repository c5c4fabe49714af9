# SPDX-License-Identifier: GPL-2.0
# Helpers for the script tests: a small fake base and assertions.
# Each test runs in a fresh directory $T with the FP_* variables pointing
# the scripts at it, so no test touches the real work tree or cache.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$TOP/scripts

setup() {
	T=$(mktemp -d)
	export FP_WORK=$T/work FP_PATCHES=$T/patches FP_CACHE=$T/cache
	export FP_RESULTS=$T/results FP_BUILD=$T/build FP_BASE_GIT=$T/base.git
	export FP_TREE=$FP_WORK/linux
	unset FP_BASE_VERSION FP_BASE_SHA256 FORCE
	export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=author@example.org
	export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL=committer@example.org
	mkdir -p "$FP_PATCHES" "$FP_WORK"
	echo "# test series" >"$FP_PATCHES/series"
}

teardown() { rm -rf "$T"; }

# A fake base: a few files, tag "base".
make_base() {
	local src=$T/basesrc i
	git init -q "$src"
	mkdir -p "$src/mm"
	for i in $(seq 1 30); do echo "line $i" >>"$src/mm/alloc.c"; done
	printf 'config FOO\n\tbool "foo"\n' >"$src/Kconfig"
	git -C "$src" add -A
	git -C "$src" commit -q -m "fake base"
	git -C "$src" tag base
	git clone -q --bare "$src" "$FP_BASE_GIT"
}

# commit_change FILE LINE TEXT SUBJECT: edit a line of the work tree, commit.
commit_change() {
	sed -i "$2s/.*/$3/" "$FP_TREE/$1"
	git -C "$FP_TREE" commit -q -a -s -m "$4" -m "Why: because the test says so."
}

# A base plus a series of N patches, exported to $FP_PATCHES.
make_series() {
	local n=${1:-2} i
	make_base
	"$S/tree.sh" >/dev/null
	for i in $(seq 1 "$n"); do
		commit_change mm/alloc.c $((i * 5)) "changed by patch $i" "mm: test patch $i"
	done
	"$S/export.sh" >/dev/null
}

fail() { echo "FAIL: $*"; exit 1; }
# run CMD...: run it, keep output in $out and status in $rc.
run() { rc=0; out=$("$@" 2>&1) || rc=$?; }
expect_ok() { run "$@"; [ "$rc" -eq 0 ] || fail "'$*' exited $rc: $out"; }
expect_fail() { run "$@"; [ "$rc" -ne 0 ] || fail "'$*' succeeded but should fail: $out"; }
expect_out() { grep -qF -- "$1" <<<"$out" || fail "output lacks '$1': $out"; }
digest_dir() { (cd "$1" && find . -type f | sort | xargs sha256sum) | sha256sum; }
