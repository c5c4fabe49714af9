# SPDX-License-Identifier: GPL-2.0
# make tree / make export / make export-check on a fake base.

t_roundtrip_is_byte_identical() {
	make_series 3
	before=$(digest_dir "$FP_PATCHES")
	# A fresh tree from the exported patches exports to the same bytes.
	rm -rf "$FP_WORK"
	expect_ok "$S/tree.sh"
	expect_out "applied 3 patches"
	expect_ok "$S/export.sh"
	expect_out "patches/ unchanged (3 patches)"
	[ "$(digest_dir "$FP_PATCHES")" = "$before" ] || fail "export changed bytes"
	expect_ok "$S/export-check.sh"
	# Authorship and messages survive the round trip.
	[ "$(git -C "$FP_TREE" log -1 --format=%an "series~1")" = "Test Author" ] || fail "author lost"
	git -C "$FP_TREE" log -1 --format=%B series | grep -q "^Signed-off-by: " || fail "message lost"
	[ "$(git -C "$FP_TREE" rev-list --count base..series)" = 3 ] || fail "not one commit a patch"
}

t_tree_is_idempotent() {
	make_series 2
	head=$(git -C "$FP_TREE" rev-parse HEAD)
	expect_ok "$S/tree.sh"
	expect_out "is up to date"
	[ "$(git -C "$FP_TREE" rev-parse HEAD)" = "$head" ] || fail "HEAD moved"
}

t_export_check_names_unexported_commit() {
	make_series 2
	commit_change mm/alloc.c 20 "new work" "mm: unexported change"
	expect_fail "$S/export-check.sh"
	expect_out "commit not exported:"
	expect_out "mm: unexported change"
	# An amended (changed) commit is unexported work too.
	"$S/export.sh" >/dev/null
	expect_ok "$S/export-check.sh"
	echo extra >>"$FP_TREE/mm/alloc.c"
	git -C "$FP_TREE" commit -q -a --amend --no-edit
	expect_fail "$S/export-check.sh"
	expect_out "mm: unexported change"
	expect_ok "$S/export.sh"
	expect_ok "$S/export-check.sh"
}

t_export_check_reports_dirty_tree() {
	make_series 1
	echo dirt >>"$FP_TREE/mm/alloc.c"
	expect_fail "$S/export-check.sh"
	expect_out "uncommitted changes"
	expect_out "mm/alloc.c"
	touch "$FP_TREE/mm/new.c"
	git -C "$FP_TREE" checkout -q mm/alloc.c
	expect_fail "$S/export-check.sh"
	expect_out "mm/new.c"
}

t_tree_refuses_to_clobber_unexported_commit() {
	make_series 2
	commit_change mm/alloc.c 20 "precious" "mm: precious work"
	head=$(git -C "$FP_TREE" rev-parse HEAD)
	expect_fail "$S/tree.sh"
	expect_out "mm: precious work"
	expect_out "not exported"
	[ "$(git -C "$FP_TREE" rev-parse HEAD)" = "$head" ] || fail "work tree was changed"
	# FORCE=1 rebuilds but keeps the old commits under refs/backup/.
	FORCE=1 expect_ok "$S/tree.sh"
	expect_out "refs/backup/"
	git -C "$FP_TREE" for-each-ref refs/backup/ --format='%(objectname)' | grep -qx "$head" ||
		fail "backup ref missing"
	[ "$(git -C "$FP_TREE" rev-list --count base..series)" = 2 ] || fail "not rebuilt"
}

t_tree_refuses_to_clobber_uncommitted_change() {
	make_series 1
	echo "half-done" >>"$FP_TREE/mm/alloc.c"
	expect_fail "$S/tree.sh"
	expect_out "uncommitted changes"
	grep -q half-done "$FP_TREE/mm/alloc.c" || fail "uncommitted change lost"
}

t_tree_follows_new_patches() {
	make_series 2
	# Someone else adds a patch to patches/ (a git pull): the tree is
	# behind, which is not unexported work, and make tree catches up.
	other=$T/other
	git clone -q "$FP_TREE" "$other"
	echo upstream >"$other/mm/up.c"
	git -C "$other" add mm/up.c
	git -C "$other" commit -q -m "mm: from upstream" -m "Why not." -s
	git -C "$other" format-patch -q -N --zero-commit --no-signature -1 -o "$T/new"
	cp "$T/new"/*.patch "$FP_PATCHES/0003-mm-from-upstream.patch"
	echo 0003-mm-from-upstream.patch >>"$FP_PATCHES/series"
	expect_ok "$S/export-check.sh"
	expect_out "make tree' updates it"
	expect_ok "$S/tree.sh"
	expect_out "applied 3 patches"
}

t_broken_patch_is_named_with_its_hunk() {
	make_series 3
	# Break patch 2: its context no longer matches the base.
	p2=$(sed -n 2p "$FP_PATCHES/series")
	sed -i 's/^ line 9$/ line nine/' "$FP_PATCHES/$p2"
	rm -rf "$FP_WORK"
	expect_fail "$S/tree.sh"
	expect_out "patch 2, $p2, does not apply"
	expect_out "failing hunk in mm/alloc.c"
	expect_out " line nine"
	expect_out "left at the last patch that applied (base+1)"
	[ "$(git -C "$FP_TREE" rev-list --count base..HEAD)" = 1 ] || fail "patch 1 not kept"
	[ ! -d "$FP_TREE/.git/rebase-apply" ] || fail "git am left in progress"
}

t_series_naming_missing_file_fails() {
	make_series 1
	echo 0009-missing.patch >>"$FP_PATCHES/series"
	expect_fail "$S/tree.sh"
	expect_out "0009-missing.patch, which does not exist"
}
