#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write the series as mails into work/mail/, ready for
# 'git send-email work/mail/*': the cover letter (scripts/cover-letter.sh)
# and one mail a patch, "[PATCH vN k/M]", threaded under the cover letter.
#
# The sender is FP_FROM="Name <addr>", else git config user.name and
# user.email of the repository holding patches/.  The mails are authored
# and signed off by the sender: the commits base..series are copied with
# the sender as author, sign-offs of placeholder addresses dropped and the
# sender's Signed-off-by last; the work tree's branch and patches/ keep
# their neutral author.  To:/Cc: of each mail come from
# scripts/get_maintainer.pl (maintainers To, reviewers and lists Cc; the
# cover letter gets the union); FP_NO_CC=1 leaves them out.
#
# All or nothing: the mails are made in a scratch directory and replace
# work/mail/ only when every step succeeded.
. "$(dirname "$0")/lib.sh"
MAIL=${FP_MAIL:-$WORK/mail}

# An address no list delivers to: RFC 2606/6761 special-use names (the
# neutral author of patches/ is @lists.invalid).
is_placeholder() {
	grep -qiE '@(localhost|([^@>]*\.)?(invalid|localhost|test|example))$' <<<"$1"
}
PLACEHOLDER_RE='@(localhost|([A-Za-z0-9-]+\.)*(invalid|localhost|test|example))>'

# The sender, "Name <addr>", or die saying how to set it.
sender() {
	local repo from how
	repo=$(git -C "$PATCHES" rev-parse --show-toplevel 2>/dev/null || echo "$PATCHES")
	how="set the sender with
  git config user.name 'Your Name'; git config user.email you@example.org
(in $repo), or FP_FROM='Your Name <you@example.org>' make mail"
	if [ -n "${FP_FROM:-}" ]; then
		from=$FP_FROM
	else
		local name email
		name=$(git -C "$repo" config user.name || true)
		email=$(git -C "$repo" config user.email || true)
		{ [ -n "$name" ] && [ -n "$email" ]; } ||
			die "no sender identity (git config user.name/user.email are not both set, FP_FROM is empty): $how"
		from="$name <$email>"
	fi
	[[ $from =~ ^[^\<\>@]*[^\<\>@[:space:]][^\<\>@]*\ \<([^\<\>@[:space:]]+@[^\<\>@[:space:]]+)\>$ ]] ||
		die "the sender '$from' is not of the form 'Name <user@domain>': $how"
	! is_placeholder "${BASH_REMATCH[1]}" ||
		die "the sender '$from' is a placeholder address that no list accepts (the patches' neutral author is one): $how"
	echo "$from"
}

# copy_series TIP: print a copy of base..TIP authored and signed off by
# $FROM (author dates kept); the copies reference no branch.
copy_series() {
	local c parent msg
	parent=$(tgit rev-parse base)
	msg=$(mktemp)
	for c in $(tgit rev-list --reverse "base..$1"); do
		tgit log -1 --format=%B "$c" |
			grep -vE "^[A-Za-z-]+: .*${PLACEHOLDER_RE}[[:space:]]*\$" |
			tgit stripspace |
			tgit interpret-trailers --if-exists addIfDifferentNeighbor \
				--trailer "Signed-off-by: $FROM" >"$msg"
		parent=$(GIT_AUTHOR_DATE=$(tgit log -1 --format=%aD "$c") \
			GIT_COMMITTER_DATE=$(tgit log -1 --format=%cD "$c") \
			tgit commit-tree "$c^{tree}" -p "$parent" -F "$msg")
	done
	rm -f "$msg"
	echo "$parent"
}

# maintainers MAIL: what scripts/get_maintainer.pl says of MAIL, with roles.
maintainers() {
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback "$1") ||
		die "scripts/get_maintainer.pl failed on $(basename "$1")"
}

# recipients: read get_maintainer.pl lines, print "To: ..." (maintainers)
# and "Cc: ..." (reviewers and lists), ", "-separated, each address once,
# the sender left out.
recipients() {
	awk -v me="$FROM" '
		{ if (match($0, /^[^<>]*<[^<>]+>/)) addr = substr($0, 1, RLENGTH); else addr = $1
		  role = substr($0, length(addr) + 3) }
		addr == me { next }
		!(addr in seen) { seen[addr] = 1; order[++n] = addr }
		role ~ /^(maintainer|supporter|odd fixer|chief penguin)/ { to[addr] = 1 }
		END { for (i = 1; i <= n; i++) {
			a = order[i]
			if (a in to) t = t (t == "" ? "" : ", ") a; else c = c (c == "" ? "" : ", ") a }
		      print "To: " t; print "Cc: " c }'
}

# add_headers MAIL HEADERS: add the header lines (folded at ", ") to the
# end of MAIL's header block; empty To:/Cc: lines are skipped.
add_headers() {
	local h
	h=$(grep -vE '^(To|Cc): ?$' <<<"$2" | sed 's/, /,\n /g' || true)
	[ -n "$h" ] || return 0
	awk -v h="$h" '!done && /^$/ { print h; done = 1 } { print }' "$1" >"$1.new"
	mv "$1.new" "$1"
}

FROM=$(sender)
export GIT_COMMITTER_NAME=${FROM% <*} GIT_COMMITTER_EMAIL=${FROM##*<}
GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL%>}
export GIT_AUTHOR_NAME=$GIT_COMMITTER_NAME GIT_AUTHOR_EMAIL=$GIT_COMMITTER_EMAIL
v=$(version_current)
mkdir -p "$WORK"
tmp=$(mktemp -d "$WORK/.mail.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/mail

# The work tree must be patches/ exactly: refuse work of its own, make or
# update it otherwise (tree.sh reports a patch that does not apply).
if [ -d "$TREE/.git" ]; then
	mapfile -t state < <(tree_state)
	if [ "${state[0]}" = unexported ]; then
		printf '%s\n' "${state[@]:1}" >&2
		die "no mail written: the work tree $TREE holds work not exported to $PATCHES (above); the mails are made from patches/, so 'make export' and commit it first, or drop that work"
	fi
fi
"$TOP/scripts/tree.sh" 2>&1 | tee "$tmp/tree.log" || {
	die "no mail written: the work tree could not be made from $PATCHES/series (tree.sh's report above)"; }
[ "$(tgit symbolic-ref -q --short HEAD || true)" = "$BRANCH" ] ||
	die "no mail written: $TREE is not on branch '$BRANCH' (a bisect or gate run in progress?)"
if git -C "$PATCHES" rev-parse --git-dir >/dev/null 2>&1 &&
   [ -n "$(git -C "$PATCHES" status --porcelain -- . 2>/dev/null)" ]; then
	warn "$PATCHES has changes not committed to the repository: the mails are of the files as they are"
fi
prev=
if [ "$v" -gt 1 ]; then
	tgit rev-parse -q --verify "refs/tags/v$((v - 1))" >/dev/null || {
		grep -E '^(warning|error):' "$tmp/tree.log" >&2
		die "no mail written: the work tree has no tag v$((v - 1)) (patches/versions) for the range-diff against the previous version"; }
	prev=v$((v - 1))
fi

tip=$(copy_series "$BRANCH")
[ "$(tgit rev-parse "$tip^{tree}")" = "$(tgit rev-parse "$BRANCH^{tree}")" ] ||
	die "internal error: the copy of the series differs from the branch"
prevtip=
[ -z "$prev" ] || prevtip=$(copy_series "$prev")
n=$(tgit rev-list --count "base..$tip")

reroll=()
[ "$v" -eq 1 ] || reroll=(-v "$v")
tgit format-patch -q -o "$out" --cover-letter --thread=shallow --numbered \
	"${reroll[@]}" --from="$FROM" "base..$tip" >/dev/null
mapfile -t mails < <(find "$out" -name '*.patch' | sort)
[ ${#mails[@]} -eq $((n + 1)) ] || die "internal error: ${#mails[@]} mails for $n patches"
cover=${mails[0]}
patchmails=("${mails[@]:1}")

# The cover letter: git's headers, our subject and text.
# In the range-diff, an earlier version's own content may name a
# placeholder (v1 had one in MAINTAINERS): elided, said so.
"$TOP/scripts/cover-letter.sh" --mail "$tip" "$prevtip" |
	awk -v re="<[^<>@ ]+$PLACEHOLDER_RE" '/^Range-diff against v/ { rd = 1 }
	     /^base-commit: / { rd = 0 }
	     rd { gsub(re, "<placeholder address elided>") } { print }' >"$tmp/cover.txt"
subject=$(head -1 "$tmp/cover.txt")
[[ $subject == "Subject: "* ]] || die "$PATCHES/cover-letter.txt must begin with its Subject: line"
{
	sed -n '/^$/q; /^Subject: /d; p' "$cover"
	echo "$subject"
	if LC_ALL=C grep -q '[^[:print:][:space:]]' "$tmp/cover.txt"; then
		printf '%s\n' "MIME-Version: 1.0" "Content-Type: text/plain; charset=UTF-8" \
			"Content-Transfer-Encoding: 8bit"
	fi
	echo
	tail -n +2 "$tmp/cover.txt" | sed '1{/^$/d}'
} >"$tmp/cover.mail"
mv "$tmp/cover.mail" "$cover"

if [ "${FP_NO_CC:-0}" != 1 ]; then
	: >"$tmp/all"
	for m in "${patchmails[@]}"; do
		maintainers "$m" >"$tmp/one"
		cat "$tmp/one" >>"$tmp/all"
		r=$(recipients <"$tmp/one")
		add_headers "$m" "$r"
	done
	r=$(recipients <"$tmp/all")
	add_headers "$cover" "$r"
fi

# Nothing of a placeholder identity may reach a mail: no header or
# trailer names one, and no line has an address under .invalid.
if grep -nE -e "^[[:space:]+-]*[A-Za-z-]+:[[:space:]].*$PLACEHOLDER_RE" \
	-e '[[:alnum:]._%+-]@([[:alnum:]-]+\.)*invalid\.?([^[:alnum:].-]|$)' "${mails[@]}" >&2; then
	die "no mail written: the lines above carry a placeholder address"
fi

rm -rf "$MAIL.old"
[ ! -e "$MAIL" ] || mv "$MAIL" "$MAIL.old"
mv "$out" "$MAIL"
rm -rf "$MAIL.old"
rcpt="To:/Cc: from scripts/get_maintainer.pl"
[ "${FP_NO_CC:-0}" != 1 ] || rcpt="no recipients (FP_NO_CC=1)"
note "wrote $((n + 1)) mails to $MAIL: ${subject#Subject: } and $n patches, from $FROM, $rcpt"
note "send them with: git send-email ${MAIL#"$TOP"/}/*"
