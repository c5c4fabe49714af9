#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the work tree: the base plus the series applied with git am, one
# commit per patch.  Refuses to overwrite work that is not exported
# (FORCE=1 overrides, keeping the old commits under refs/backup/).
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/fetch-base.sh"

# The earlier versions of the series as tags v1, v2... (patches/versions).
tag_versions() { "$TOP/scripts/versions.sh" || warn "the version tags could not be made (above)"; }

if [ -d "$TREE/.git" ]; then
	base_now=$(tgit rev-parse -q --verify base^{commit} || true)
	base_want=$(git -C "$BASE_GIT" rev-parse base^{commit})
	mapfile -t state < <(tree_state)
	if [ "${state[0]}" = clean ] && [ "$base_now" = "$base_want" ] &&
	   [ "$(tgit symbolic-ref -q --short HEAD)" = "$BRANCH" ]; then
		mark_synced
		note "work tree $TREE is up to date with $PATCHES/series"
		tag_versions
		exit 0
	fi
	if [ "${state[0]}" = unexported ]; then
		if [ "${FORCE:-0}" != 1 ]; then
			printf '%s\n' "${state[@]:1}" >&2
			die "the work tree $TREE holds work not exported to $PATCHES (listed above): run 'make export' (and commit), or 'make tree FORCE=1' to rebuild it anyway (old commits are kept under refs/backup/)"
		fi
		backup=refs/backup/$(date +%Y%m%d-%H%M%S)
		tgit update-ref "$backup" "$(tgit rev-parse HEAD)"
		tgit stash push -q -u -m "make tree FORCE=1" >/dev/null 2>&1 || true
		warn "FORCE=1: rebuilding the work tree; the old HEAD is $backup, uncommitted changes are in 'git stash list'"
	fi
	if [ -d "$TREE/.git/rebase-apply" ]; then
		tgit am --abort >/dev/null 2>&1 || true
	fi
	tgit bisect reset >/dev/null 2>&1 || true
	if [ "$base_now" != "$base_want" ]; then
		tgit fetch -q "$BASE_GIT" "+refs/tags/base:refs/tags/base"
	fi
	tgit checkout -q -f -B "$BRANCH" base
else
	step "clone the base into $TREE" \
		git clone -q --no-checkout "$BASE_GIT" "$TREE"
	step "check out the base" tgit checkout -q -b "$BRANCH" base
fi
if [ -z "$(tgit config user.email || true)" ]; then
	tgit config user.name "Frozen pages work tree"
	tgit config user.email "frozen-pages@localhost"
fi

# show_hunk PATCH FILE LINE: print the hunk of PATCH for FILE starting at LINE.
show_hunk() {
	awk -v file="$2" -v line="$3" '
		/^diff --git / { infile = ($0 ~ (" b/" file "$")); inhunk = 0; next }
		infile && /^@@ / {
			split($2, a, ","); start = substr(a[1], 2)
			inhunk = (start == line); if (inhunk) print; next }
		infile && inhunk && /^[-+ \\]/ { print; next }
		{ inhunk = 0 }' "$1"
}

apply() {
	local p n=0 log
	log=$(mktemp)
	while read -r p; do
		n=$((n + 1))
		[ -f "$PATCHES/$p" ] || die "$PATCHES/series names $p, which does not exist"
		if ! tgit am -q --committer-date-is-author-date "$PATCHES/$p" >"$log" 2>&1; then
			tgit am --abort >/dev/null 2>&1 || true
			echo "error: patch $n, $p, does not apply to the tree at base+$((n - 1)):" >&2
			grep -E '^(error|warning|fatal):' "$log" >&2 || cat "$log" >&2
			sed -n 's/^error: patch failed: \(.*\):\([0-9]*\)$/\1 \2/p' "$log" |
			while read -r f l; do
				echo "failing hunk in $f at line $l:" >&2
				show_hunk "$PATCHES/$p" "$f" "$l" >&2
			done
			rm -f "$log"
			echo "The work tree is left at the last patch that applied (base+$((n - 1)))." >&2
			exit 1
		fi
	done < <(series_files)
	rm -f "$log"
	note "applied $n patches"
}
step "apply $PATCHES/series" apply
mark_synced
note "work tree: $TREE (branch $BRANCH, $(tgit rev-list --count base..HEAD) commits on base)"
tag_versions
