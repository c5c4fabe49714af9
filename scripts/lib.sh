# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers, sourced by every script in scripts/.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../configs/base.conf
. "$TOP/configs/base.conf"
PINNED_VERSION=$BASE_VERSION
BASE_VERSION=${FP_BASE_VERSION:-$BASE_VERSION}
BASE_SHA256=${FP_BASE_SHA256:-$BASE_SHA256}

CACHE=${FP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/frozen-pages}
WORK=${FP_WORK:-$TOP/work}
TREE=${FP_TREE:-$WORK/linux}
PATCHES=${FP_PATCHES:-$TOP/patches}
RESULTS=${FP_RESULTS:-$WORK/results}
BUILD=${FP_BUILD:-$WORK/build}
# A git repository holding the imported base at tag "base"; tests point
# this at a small fake base.
BASE_GIT=${FP_BASE_GIT:-$CACHE/base-$BASE_VERSION.git}
BRANCH=series

export PYTHONDONTWRITEBYTECODE=1

die() { echo "error: $*" >&2; exit 1; }
warn() { echo "warning: $*" >&2; }
note() { echo "$*"; }

# step NAME CMD...: run CMD, saying what it does and how long it took.
step() {
	local name=$1 t0=$SECONDS rc=0
	shift
	echo "==> $name"
	"$@" || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "<== $name: done in $((SECONDS - t0))s"
	else
		echo "<== $name: FAILED (exit $rc) after $((SECONDS - t0))s"
	fi
	return "$rc"
}

# result FILE PASS|FAIL|SKIP NAME: record one test outcome for the summary.
result() {
	mkdir -p "$RESULTS"
	printf '%s %s\n' "$2" "$3" >>"$RESULTS/$1"
}

# Deterministic git settings for everything that writes or reads patches.
fpgit() {
	git -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false \
	    -c diff.algorithm=myers -c diff.renames=true -c format.signature= \
	    -c format.numbered=false -c format.signOff=false -c core.quotePath=true \
	    -c advice.detachedHead=false "$@"
}

tgit() { fpgit -C "$TREE" "$@"; }

need_tree() {
	[ -e "$TREE/.git" ] || die "no work tree at $TREE: run 'make tree' first"
}

# The patches of the series, in order, as named by the series file.
series_files() {
	[ -f "$PATCHES/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$PATCHES/series"
}

# export_to DIR: write the work tree's commits since "base" (branch
# $BRANCH) as format-patch files plus a series file into DIR.  The output
# depends only on the commits' content: no commit ids, no git version.
export_to() {
	local dir=$1 f
	mkdir -p "$dir"
	tgit format-patch -q -N --zero-commit --no-signature --no-base \
		-o "$dir" "base..$BRANCH" >/dev/null
	: >"$dir/series"
	for f in "$dir"/*.patch; do
		[ -e "$f" ] && basename "$f" >>"$dir/series"
	done
	return 0
}

# digest DIR: one hash over the series file and every patch it lists.
digest() {
	local dir=$1
	[ -f "$dir/series" ] || { echo none; return; }
	(cd "$dir" && sed -e 's/#.*//' -e '/^[[:space:]]*$/d' series |
		xargs -r cat series | sha256sum | cut -d' ' -f1)
}

# tree_state: "clean", "behind" (the tree is what patches/ was when the
# tree last matched it, and patches/ changed since) or "unexported".
# On "unexported", the reasons are listed on stdout after the first line.
SYNC_FILE=fp-synced
tree_state() {
	local tmp state=unexported c hit dirty commits
	tmp=$(mktemp -d)
	export_to "$tmp"
	dirty=$(tgit status --porcelain --untracked-files=all | head -20)
	if [ -n "$dirty" ]; then
		state=unexported
	elif [ "$(digest "$tmp")" = "$(digest "$PATCHES")" ]; then
		state=clean
	elif [ "$(digest "$tmp")" = "$(cat "$TREE/.git/$SYNC_FILE" 2>/dev/null)" ]; then
		state=behind
	fi
	echo "$state"
	if [ "$state" = unexported ]; then
		[ -n "$dirty" ] && printf 'uncommitted changes in %s:\n%s\n' "$TREE" "$dirty"
		# Name the commits whose patch is not, byte for byte, in patches/.
		local have f i=0
		have=$(for f in "$PATCHES"/*.patch; do
			[ -e "$f" ] && sha256sum <"$f"; done || true)
		hit=0
		mapfile -t commits < <(tgit rev-list --reverse "base..$BRANCH")
		for f in "$tmp"/*.patch; do
			[ -e "$f" ] || continue
			c=${commits[$i]}
			i=$((i + 1))
			if ! grep -qxF "$(sha256sum <"$f")" <<<"$have"; then
				echo "commit not exported: $(tgit log -1 --format='%h %s' "$c")"
				hit=1
			fi
		done
		if [ -z "$dirty" ] && [ $hit -eq 0 ]; then
			echo "the series differs from $PATCHES/series (commits reordered or dropped in the work tree)"
		fi
	fi
	rm -rf "$tmp"
}

# use_ccache: compile through ccache, with paths relative to $WORK so that
# another clone (CI's) hits the same cache.
use_ccache() {
	export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
	export CCACHE_BASEDIR=$WORK CCACHE_NOHASHDIR=true
}

mark_synced() { digest "$PATCHES" >"$TREE/.git/$SYNC_FILE"; }

# The versions of the series, from $PATCHES/versions (its header says
# how it is written).  versions_list: "N COMMIT" a version, COMMIT "-" for
# the one being prepared.  version_current: that one's N (1 when there is
# no versions file).  version_changes N: version N's changelog lines.
VERSIONS=$PATCHES/versions
versions_list() {
	[ -f "$VERSIONS" ] || return 0
	sed -n 's/^v\([0-9][0-9]*\)[[:space:]][[:space:]]*\([0-9a-f][0-9a-f]*\|-\)[[:space:]]*$/\1 \2/p' "$VERSIONS"
}
version_current() {
	local cur
	[ -f "$VERSIONS" ] || { echo 1; return; }
	cur=$(versions_list | awk '$2 == "-" { print $1 }')
	[ "$(wc -w <<<"$cur")" = 1 ] ||
		die "$VERSIONS needs exactly one line 'vN -' (the version being prepared); it has ${cur:-none}"
	echo "$cur"
}
version_changes() {
	awk -v v="v$1" '/^v[0-9]/ { on = ($1 == v); next }
		on && /^\t/ { sub(/^\t/, ""); print }' "$VERSIONS"
}
