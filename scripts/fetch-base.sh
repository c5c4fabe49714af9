#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned base (Debian's linux-source-6.12), verify its checksum and
# import it into a git repository in the cache, tagged "base".
# Idempotent: does nothing when the import is already cached.
. "$(dirname "$0")/lib.sh"

if [ -n "${FP_BASE_GIT:-}" ]; then
	git -C "$BASE_GIT" rev-parse -q --verify base^{commit} >/dev/null ||
		die "FP_BASE_GIT=$BASE_GIT has no 'base' tag"
	exit 0
fi
if git -C "$BASE_GIT" rev-parse -q --verify base^{commit} >/dev/null 2>&1; then
	exit 0
fi

case $BASE_VERSION in
"$PINNED_VERSION") ;;
6.12.*)
	warn "BASE_VERSION=$BASE_VERSION overrides the pinned $PINNED_VERSION: the series is neither tested nor reviewed against it"
	if [ -z "${FP_BASE_SHA256:-}" ]; then
		warn "no BASE_SHA256 given for $BASE_VERSION: the package's checksum is printed but not verified"
		BASE_SHA256=
	fi ;;
*)	die "BASE_VERSION=$BASE_VERSION is not a 6.12.y version of $BASE_PACKAGE" ;;
esac

"$TOP/scripts/deps.sh" base
deb=$CACHE/debs/${BASE_PACKAGE}_${BASE_VERSION/:/%3a}_all.deb
mkdir -p "$CACHE/debs"

download() {
	local log
	log=$(mktemp)
	if (cd "$CACHE/debs" && apt-get download -q "$BASE_PACKAGE=$BASE_VERSION") >"$log" 2>&1; then
		rm -f "$log"; return 0
	fi
	# Maybe the package lists are stale or absent: refresh once.
	if ! apt-get update -qq >>"$log" 2>&1; then
		cat "$log" >&2; rm -f "$log"
		die "cannot reach the Debian archive (apt-get update failed, output above). $BASE_PACKAGE=$BASE_VERSION is needed once; with no apt access, copy the .deb (sha256 $BASE_SHA256) to $deb"
	fi
	if (cd "$CACHE/debs" && apt-get download -q "$BASE_PACKAGE=$BASE_VERSION") >>"$log" 2>&1; then
		rm -f "$log"; return 0
	fi
	cat "$log" >&2; rm -f "$log"
	echo "Versions apt knows of:" >&2
	apt-cache madison "$BASE_PACKAGE" >&2 || true
	die "$BASE_PACKAGE=$BASE_VERSION cannot be downloaded (apt's message above). Check that bookworm-security is in /etc/apt/sources.list, copy the .deb to $deb, or pick another 6.12.y with BASE_VERSION=... (a warning, no checksum)"
}

if [ ! -f "$deb" ]; then
	step "download $BASE_PACKAGE=$BASE_VERSION" download
fi
sum=$(sha256sum "$deb" | cut -d' ' -f1)
if [ -z "$BASE_SHA256" ]; then
	warn "sha256 of $deb is $sum (not verified)"
elif [ "$sum" != "$BASE_SHA256" ]; then
	mv -f "$deb" "$deb.bad"
	die "checksum mismatch for $(basename "$deb"): expected sha256 $BASE_SHA256 (configs/base.conf), got $sum. The file is kept as $deb.bad for inspection; delete it and run again to download afresh. If Debian really republished this version, the pin in configs/base.conf must be reviewed, not bypassed."
fi

import() {
	local tmp src
	tmp=$(mktemp -d "$CACHE/import.XXXXXX")
	# shellcheck disable=SC2064 # expand now: $tmp is local
	trap "rm -rf '$tmp'" EXIT
	dpkg-deb -x "$deb" "$tmp/deb"
	tar -xf "$tmp/deb/usr/src/$BASE_PACKAGE.tar.xz" -C "$tmp"
	src=$tmp/$BASE_PACKAGE
	[ -f "$src/Makefile" ] || die "$deb holds no kernel tree at usr/src/$BASE_PACKAGE.tar.xz"
	# Debian's packaging appends "/*" to the top-level .gitignore, which
	# would hide every new file from git in the work tree: drop that block.
	sed -i '/^# Debian packaging: ignore everything/,$d' "$src/.gitignore"
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$src/.gitignore"
	sed -i '${/^#$/d}' "$src/.gitignore"
	git init -q --bare "$tmp/base.git"
	local g=(git --git-dir="$tmp/base.git" --work-tree="$src")
	"${g[@]}" add -A -f .
	# Fixed identity and dates: the same package gives the same base commit id.
	GIT_AUTHOR_NAME="Debian kernel team" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org" \
	GIT_COMMITTER_NAME="frozen-pages import" GIT_COMMITTER_EMAIL="frozen-pages@localhost" \
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		"${g[@]}" commit -q -m "Import $BASE_PACKAGE $BASE_VERSION" \
		-m "Debian's $BASE_PACKAGE package, sha256 $sum, imported unchanged except that Debian's \"ignore everything at the top level\" block is dropped from .gitignore."
	"${g[@]}" tag base
	rm -rf "$BASE_GIT"
	mv "$tmp/base.git" "$BASE_GIT"
}
step "import $BASE_PACKAGE $BASE_VERSION into $BASE_GIT" import
note "base: $(git -C "$BASE_GIT" rev-parse base) ($BASE_PACKAGE $BASE_VERSION)"
