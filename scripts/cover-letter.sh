#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the series' cover letter: patches/cover-letter.txt, then the
# shortlog, the diffstat, the base-commit trailer and the recipients that
# scripts/get_maintainer.pl names.
. "$(dirname "$0")/lib.sh"
need_tree
n=$(tgit rev-list --count "base..$BRANCH")
sed "s|00/NN|00/$(printf %02d "$n")|" "$PATCHES/cover-letter.txt"
echo
tgit shortlog "base..$BRANCH"
tgit diff --stat --summary "base..$BRANCH"
echo
echo "base-commit: $(tgit rev-parse base)"
echo
echo "Recipients (scripts/get_maintainer.pl):"
tgit format-patch -q --stdout "base..$BRANCH" |
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git-fallback 2>/dev/null) |
	sed 's/^/  /'
