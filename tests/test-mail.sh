# SPDX-License-Identifier: GPL-2.0
# make mail (scripts/mail.sh), version tags (scripts/versions.sh), on a
# fake base whose patches carry the neutral placeholder author.

# shellcheck disable=SC2154 # rc and out are set by run() (tests/lib.sh)
NEUTRAL="Frozen Pages Developers <frozen-pages-dev@lists.invalid>"

# A series of N patches by the neutral author in a repository of its own
# ($T/repo, patches/ in it), with a cover letter; the sender's identity
# comes only from $T/gitconfig (the global config) and that repository.
# With GM=1 the base has a fake scripts/get_maintainer.pl: one maintainer,
# one reviewer and one list for every patch, another maintainer for
# patch 2.
mail_setup() {
	local n=${1:-2} i
	export GIT_CONFIG_GLOBAL=$T/gitconfig GIT_CONFIG_NOSYSTEM=1
	: >"$GIT_CONFIG_GLOBAL"
	export GIT_AUTHOR_NAME="Frozen Pages Developers" GIT_AUTHOR_EMAIL=frozen-pages-dev@lists.invalid
	export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
	git init -q "$T/repo"
	mv "$FP_PATCHES" "$T/repo/patches"
	export FP_PATCHES=$T/repo/patches
	printf '%s\n' "Subject: [PATCH 00/NN] mm: test series" "" "Why the series." >"$FP_PATCHES/cover-letter.txt"
	make_base
	if [ "${GM:-0}" = 1 ]; then
		mkdir -p "$T/basesrc/scripts"
		cat >"$T/basesrc/scripts/get_maintainer.pl" <<'PL'
my $all = do { local $/; <> };
print "Mm Maint <mm\@example.org> (maintainer:MEMORY (MM) [CORE])\n";
print "Two Maint <two\@example.org> (supporter:TWO)\n" if $all =~ /test patch 2/;
print "Mm Rev <rev\@example.org> (reviewer:MEMORY (MM) [CORE])\n";
print "linux-mm\@example.org (open list:MEMORY (MM) [CORE])\n";
PL
		git -C "$T/basesrc" add -A && git -C "$T/basesrc" commit -q --amend --no-edit
		git -C "$T/basesrc" tag -f base >/dev/null
		rm -rf "$FP_BASE_GIT" && git clone -q --bare "$T/basesrc" "$FP_BASE_GIT"
	fi
	"$S/tree.sh" >/dev/null
	for i in $(seq 1 "$n"); do
		commit_change mm/alloc.c $((i * 5)) "changed by patch $i" "mm: test patch $i"
	done
	"$S/export.sh" >/dev/null
	git -C "$T/repo" add -A && git -C "$T/repo" commit -q -m "patches: v1"
}

# A second version, one patch more; patches/versions names v1's commit.
make_v2() {
	local v1
	v1=$(git -C "$T/repo" rev-parse HEAD)
	commit_change mm/alloc.c 3 "new in v2" "mm: v2 patch"
	"$S/export.sh" >/dev/null
	printf '%s\n' "v1 $v1" "	First version." "" "v2 -" "	- A new patch, 3." >"$FP_PATCHES/versions"
	git -C "$T/repo" add -A && git -C "$T/repo" commit -q -m "patches: v2"
}

sender() { git config --global user.name "A Sender"; git config --global user.email a@example.org; }

hdr() { sed -n '/^$/q; p' "$1"; }

t_mail_round_trip_through_b4() {
	command -v b4 >/dev/null || fail "b4 is not installed (scripts/deps.sh mail)"
	GM=1 mail_setup 2
	make_v2
	sender
	tip=$(git -C "$FP_TREE" rev-parse series)
	expect_ok "$S/mail.sh"
	expect_out "wrote 4 mails"
	git -C "$FP_TREE" rev-parse -q --verify v1 >/dev/null || fail "no tag v1"
	[ "$(git -C "$FP_TREE" rev-list --count base..v1)" = 2 ] || fail "v1 is not the 2 patches of v1"
	mapfile -t m < <(find "$FP_WORK/mail" -type f | sort)
	[ ${#m[@]} = 4 ] || fail "expected 4 mails: ${m[*]}"
	grep -qx "Subject: \[PATCH v2 0/3\] mm: test series" "${m[0]}" || fail "cover subject: $(hdr "${m[0]}")"
	cid=$(sed -n 's/^Message-Id: //p' "${m[0]}")
	for k in 1 2 3; do
		grep -q "^Subject: \[PATCH v2 $k/3\] " "${m[$k]}" || fail "mail $k subject: $(hdr "${m[$k]}")"
		grep -qxF "In-Reply-To: $cid" "${m[$k]}" || fail "mail $k is not a reply to the cover"
		grep -qx "From: A Sender <a@example.org>" "${m[$k]}" || fail "mail $k: $(hdr "${m[$k]}")"
		[ "$(grep '^Signed-off-by: ' "${m[$k]}" | tail -1)" = "Signed-off-by: A Sender <a@example.org>" ] ||
			fail "mail $k: the sender's sign-off is not last"
		[ "$(grep -c '^From: ' "${m[$k]}")" = 1 ] || fail "mail $k has an in-body From:"
	done
	! grep -n "invalid" "${m[@]}" || fail "a placeholder address reached a mail"
	grep -qx "Changes in v2" "${m[0]}" || fail "no changes section"
	grep -qx -- "- A new patch, 3." "${m[0]}" || fail "no changelog"
	grep -qx "Range-diff against v1:" "${m[0]}" || fail "no range-diff"
	grep -q "^base-commit: $(git -C "$FP_TREE" rev-parse base)" "${m[0]}" || fail "no base-commit"
	# The work tree and patches/ keep the neutral author.
	[ "$(git -C "$FP_TREE" rev-parse series)" = "$tip" ] || fail "the series branch moved"
	grep -qxF "From: $NEUTRAL" "$FP_PATCHES"/0001-*.patch || fail "patches/ lost the neutral author"
	# b4 reads the mails; what it makes applies to the base as the series.
	# (b4 0.12 reads a folded Subject: right from stdin, not with -m FILE.)
	cat "${m[@]}" >"$T/series.mbox"
	mkdir "$T/b4"
	(cd "$FP_TREE" && b4 am -m - -o "$T/b4" <"$T/series.mbox") >"$T/b4.log" 2>&1 ||
		fail "b4 am failed: $(cat "$T/b4.log")"
	git -C "$FP_TREE" worktree add -q --detach "$T/scratch" base
	git -C "$T/scratch" am -q "$T"/b4/*.mbx || fail "git am of b4's mbox failed"
	[ "$(git -C "$T/scratch" rev-parse 'HEAD^{tree}')" = "$(git -C "$FP_TREE" rev-parse 'series^{tree}')" ] ||
		fail "b4's series differs from the work tree: $(git -C "$T/scratch" diff --stat series)"
	[ "$(git -C "$T/scratch" log -1 --format='%an <%ae>')" = "A Sender <a@example.org>" ] || fail "author"
	git -C "$FP_TREE" worktree remove --force "$T/scratch"
}

t_mail_recipients_from_get_maintainer() {
	GM=1 mail_setup 2
	export FP_FROM="A Sender <a@example.org>"
	expect_ok "$S/mail.sh"
	mapfile -t m < <(find "$FP_WORK/mail" -type f | sort)
	[ ${#m[@]} = 3 ] || fail "expected 3 mails: ${m[*]}"
	[ "$(hdr "${m[1]}" | sed -n '/^To:/,$p')" = "To: Mm Maint <mm@example.org>
Cc: Mm Rev <rev@example.org>,
 linux-mm@example.org" ] || fail "patch 1: $(hdr "${m[1]}")"
	[ "$(hdr "${m[2]}" | sed -n '/^To:/,$p')" = "To: Mm Maint <mm@example.org>,
 Two Maint <two@example.org>
Cc: Mm Rev <rev@example.org>,
 linux-mm@example.org" ] || fail "patch 2: $(hdr "${m[2]}")"
	# The cover letter: the union, each address once.
	[ "$(hdr "${m[0]}" | sed -n '/^To:/,$p')" = "To: Mm Maint <mm@example.org>,
 Two Maint <two@example.org>
Cc: Mm Rev <rev@example.org>,
 linux-mm@example.org" ] || fail "cover: $(hdr "${m[0]}")"
	FP_NO_CC=1 expect_ok "$S/mail.sh"
	expect_out "no recipients"
	! grep -qE '^(To|Cc):' "$FP_WORK"/mail/* || fail "FP_NO_CC=1 left recipients"
}

t_mail_refuses_without_identity() {
	mail_setup 1
	expect_fail "$S/mail.sh"
	expect_out "no sender identity"
	expect_out "git config user.email you@example.org"
	expect_out "FP_FROM="
	[ ! -e "$FP_WORK/mail" ] || fail "mails written"
	git config --global user.email a@example.org
	expect_fail "$S/mail.sh"
	expect_out "no sender identity"
}

t_mail_refuses_placeholder_identity() {
	mail_setup 1
	export FP_NO_CC=1
	FP_FROM="A Sender <a@example.org>" expect_ok "$S/mail.sh"
	before=$(digest_dir "$FP_WORK/mail")
	FP_FROM=$NEUTRAL expect_fail "$S/mail.sh"
	expect_out "placeholder"
	expect_out "git config user.name 'Your Name'"
	git config --global user.name "Someone"
	for e in x@lists.invalid root@localhost y@host.example; do
		git config --global user.email "$e"
		expect_fail "$S/mail.sh"
		expect_out "placeholder"
	done
	FP_FROM="no address" expect_fail "$S/mail.sh"
	expect_out "not of the form"
	[ "$(digest_dir "$FP_WORK/mail")" = "$before" ] || fail "work/mail changed"
}

t_mail_refuses_dirty_or_unexported_tree() {
	mail_setup 2
	export FP_NO_CC=1
	export FP_FROM="A Sender <a@example.org>"
	expect_ok "$S/mail.sh"
	before=$(digest_dir "$FP_WORK/mail")
	echo dirt >>"$FP_TREE/mm/alloc.c"
	expect_fail "$S/mail.sh"
	expect_out "uncommitted changes"
	expect_out "no mail written"
	git -C "$FP_TREE" checkout -q mm/alloc.c
	commit_change mm/alloc.c 20 "not exported" "mm: unexported change"
	expect_fail "$S/mail.sh"
	expect_out "commit not exported"
	expect_out "no mail written"
	[ "$(digest_dir "$FP_WORK/mail")" = "$before" ] || fail "work/mail changed"
	! compgen -G "$FP_WORK/.mail.*" >/dev/null || fail "scratch directory left behind"
}

t_mail_reports_a_patch_that_does_not_apply() {
	mail_setup 2
	export FP_FROM="A Sender <a@example.org>"
	# patches/ changes under the tree (a pull): patch 2 no longer applies.
	sed -i 's/^-line 10$/-line 10 changed upstream/' "$FP_PATCHES"/0002-*.patch
	expect_fail "$S/mail.sh"
	expect_out "patch 2, 0002-"
	expect_out "does not apply"
	expect_out "no mail written"
	[ ! -e "$FP_WORK/mail" ] || fail "mails written"
}

t_versions_file_is_read() {
	mail_setup 1
	printf '%s\n' "# comment" "v1 0123abc" "	First." "" "v2 -" "	- one" "	  two" "v3x -" >"$FP_PATCHES/versions"
	(. "$S/lib.sh"
	 [ "$(version_current)" = 2 ] || fail "current: $(version_current)"
	 [ "$(versions_list)" = "1 0123abc
2 -" ] || fail "list: $(versions_list)"
	 [ "$(version_changes 2)" = "- one
  two" ] || fail "changes: $(version_changes 2)")
	printf '%s\n' "v1 -" "v2 -" >"$FP_PATCHES/versions"
	run bash -c ". '$S/lib.sh'; version_current"
	[ "$rc" != 0 ] || fail "two versions in preparation accepted"
	expect_out "exactly one line"
}

t_mail_keeps_placeholder_addresses_out() {
	mail_setup 1
	export FP_NO_CC=1 FP_FROM="A Sender <a@example.org>"
	# v1 named the placeholder in a file; v2 drops it: the range-diff
	# shows v1's line with the address elided.
	printf '%s\n' "OWNERS" "" "M:	Someone <someone@example.org>" "R:	$NEUTRAL" "F:	mm/" >"$FP_TREE/OWNERS"
	git -C "$FP_TREE" add OWNERS && git -C "$FP_TREE" commit -q -s -m "add owners" -m "Why: the test."
	"$S/export.sh" >/dev/null
	git -C "$T/repo" add -A && git -C "$T/repo" commit -q -m "patches: v1"
	v1=$(git -C "$T/repo" rev-parse HEAD)
	sed -i '/^R:/d' "$FP_TREE/OWNERS"
	git -C "$FP_TREE" commit -q -a --amend --no-edit
	"$S/export.sh" >/dev/null
	printf '%s\n' "v1 $v1" "" "v2 -" "	- OWNERS without the placeholder." >"$FP_PATCHES/versions"
	expect_ok "$S/mail.sh"
	grep -q "^    -+R:.*<placeholder address elided>" "$FP_WORK"/mail/*0000-cover-letter.patch ||
		fail "v1's line is not in the range-diff: $(cat "$FP_WORK"/mail/*0000-cover-letter.patch)"
	! grep -n invalid "$FP_WORK"/mail/* || fail "a placeholder address reached a mail"
	# A patch of this version that names one: refused, nothing written.
	before=$(digest_dir "$FP_WORK/mail")
	echo "Mail x@lists.invalid for help." >>"$FP_TREE/OWNERS"
	git -C "$FP_TREE" commit -q -a --amend --no-edit
	"$S/export.sh" >/dev/null
	expect_fail "$S/mail.sh"
	expect_out "carry a placeholder address"
	[ "$(digest_dir "$FP_WORK/mail")" = "$before" ] || fail "work/mail changed"
}
