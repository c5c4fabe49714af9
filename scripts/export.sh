#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export the work tree's commits since "base" to patches/ and patches/series.
# Deterministic: exporting an unchanged tree changes no byte.
. "$(dirname "$0")/lib.sh"
need_tree

dirty=$(tgit status --porcelain --untracked-files=all | head -20)
[ -z "$dirty" ] || { echo "$dirty" >&2; die "uncommitted changes in $TREE (above): commit them (git commit --amend / --fixup) and export again"; }
[ "$(tgit symbolic-ref -q --short HEAD || true)" = "$BRANCH" ] ||
	die "$TREE is not on branch '$BRANCH' (a bisect or gate run in progress?): check it out first"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_to "$tmp"
mkdir -p "$PATCHES"
changed=0
for f in "$PATCHES"/*.patch; do
	[ -e "$f" ] || continue
	if [ ! -e "$tmp/$(basename "$f")" ]; then
		rm -f "$f"; echo "removed ${f#"$TOP"/}"; changed=1
	fi
done
for f in "$tmp"/*.patch "$tmp/series"; do
	[ -e "$f" ] || continue
	if ! cmp -s "$f" "$PATCHES/$(basename "$f")"; then
		cp "$f" "$PATCHES/"; echo "wrote $(basename "$f")"; changed=1
	fi
done
mark_synced
[ $changed = 1 ] || note "patches/ unchanged ($(series_files | wc -l) patches)"
