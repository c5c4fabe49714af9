#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the series' cover letter: patches/cover-letter.txt with the
# version and the patch count in its subject, the changes of each version
# (patches/versions), the base and how to get it, the shortlog, the
# diffstat, the range-diff against the previous version's tag, the
# base-commit trailer and the recipients scripts/get_maintainer.pl names.
# Usage: cover-letter.sh [--mail TIP [PREV]]: the letter of base..TIP with
# the range-diff against base..PREV and no recipient list (a mail carries
# them in To:/Cc:); scripts/mail.sh uses it.
. "$(dirname "$0")/lib.sh"
need_tree
v=$(version_current)
tip=$BRANCH mail=0 prev=
if tgit rev-parse -q --verify "refs/tags/v$((v - 1))" >/dev/null; then
	prev=v$((v - 1))
fi
if [ "${1:-}" = --mail ]; then
	mail=1 tip=$2 prev=${3:-}
fi
n=$(tgit rev-list --count "base..$tip")
tag=PATCH
[ "$v" -eq 1 ] || tag="PATCH v$v"
# Numbered as git format-patch numbers: 0/9, 00/37.
sed "s|\[PATCH 00/NN\]|[$tag $(printf "%0${#n}d" 0)/$n]|" "$PATCHES/cover-letter.txt"

# The changes of every version since the first, the newest first.
while read -r w _; do
	{ [ "$w" -gt 1 ] && [ "$w" -le "$v" ]; } || continue
	printf '\nChanges in v%s\n%s\n' "$w" "$(printf -- '-%.0s' $(seq 1 $((12 + ${#w}))))"
	version_changes "$w"
done < <(versions_list | sort -rn)

cat <<BASE

Base
----
Debian's $BASE_PACKAGE $BASE_VERSION, which is upstream
v${BASE_VERSION%%-*} plus Debian's patches.  To get it:
  apt-get download $BASE_PACKAGE=$BASE_VERSION  # bookworm-security
  # sha256 $BASE_SHA256
then unpack usr/src/$BASE_PACKAGE.tar.xz from the package.  The
base-commit below is that tree committed to git unchanged, except for
the block Debian's packaging appends to the top-level .gitignore.
BASE
echo
tgit shortlog "base..$tip"
tgit diff --stat --summary "base..$tip"
if [ -n "$prev" ]; then
	echo
	echo "Range-diff against v$((v - 1)):"
	tgit range-diff --no-color "base..$prev" "base..$tip"
fi
echo
echo "base-commit: $(tgit rev-parse base)"
[ $mail = 0 ] || exit 0
echo
echo "Recipients (scripts/get_maintainer.pl):"
tgit format-patch -q --stdout "base..$tip" |
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git-fallback 2>/dev/null) |
	sed 's/^/  /'
