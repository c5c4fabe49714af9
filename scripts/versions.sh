#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Tag the earlier versions of the series in the work tree: for each line
# "vN COMMIT" of patches/versions, tag vN is the base plus the patches/ of
# that commit of the repository, one commit a patch as 'git am' makes
# them.  Applied to a scratch index (no checkout), so it takes seconds.
# Idempotent; a version that cannot be made is a warning, not an error.
. "$(dirname "$0")/lib.sh"
need_tree

repo=$(git -C "$PATCHES" rev-parse --show-toplevel 2>/dev/null) || exit 0
prefix=$(git -C "$PATCHES" rev-parse --show-prefix)
base=$(tgit rev-parse 'base^{commit}')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make_version N COMMIT: print the tip of version N, or fail saying why.
make_version() {
	local c=$2 p n=0 parent=$base tree
	export GIT_INDEX_FILE=$tmp/index
	tgit read-tree "$base"
	git -C "$repo" show "$c:${prefix}series" >"$tmp/series" 2>/dev/null ||
		{ echo "commit $c has no ${prefix}series"; return 1; }
	while read -r p; do
		n=$((n + 1))
		git -C "$repo" show "$c:$prefix$p" >"$tmp/mail" 2>/dev/null ||
			{ echo "commit $c lacks ${prefix}$p"; return 1; }
		tgit mailinfo "$tmp/msg" "$tmp/patch" <"$tmp/mail" >"$tmp/info"
		tgit apply --cached "$tmp/patch" 2>"$tmp/err" ||
			{ echo "patch $n, $p, does not apply: $(head -1 "$tmp/err")"; return 1; }
		tree=$(tgit write-tree)
		{ sed -n 's/^Subject: //p' "$tmp/info"; echo; cat "$tmp/msg"; } >"$tmp/message"
		parent=$(GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$tmp/info") \
			GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$tmp/info") \
			GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' "$tmp/info") \
			GIT_COMMITTER_DATE=$(sed -n 's/^Date: //p' "$tmp/info") \
			tgit commit-tree "$tree" -p "$parent" -F "$tmp/message")
	done < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$tmp/series")
	unset GIT_INDEX_FILE
	echo "$parent"
}

while read -r v c; do
	[ "$c" != - ] || continue
	c=$(git -C "$repo" rev-parse -q --verify "$c^{commit}") ||
		{ warn "no tag v$v: $VERSIONS names commit $c, which this repository lacks (a shallow clone?)"; continue; }
	want="v$v: base $base plus the patches of $c"
	[ "$(tgit for-each-ref --format='%(contents:subject)' "refs/tags/v$v")" != "$want" ] || continue
	if tip=$(make_version "$v" "$c"); then
		tgit tag -f -a -m "$want" "v$v" "$tip" >/dev/null
		note "tagged v$v: $(tgit rev-list --count "base..v$v") patches (${c:0:12})"
	else
		tgit tag -d "v$v" >/dev/null 2>&1 || true
		warn "no tag v$v: $tip"
	fi
done < <(versions_list)
