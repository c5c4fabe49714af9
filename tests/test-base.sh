# SPDX-License-Identifier: GPL-2.0
# The pinned base: checksum verification and clear messages.

# Use the real pin, not a fake base repository.
base_env() { unset FP_BASE_GIT; }

t_checksum_mismatch_is_reported_and_kept() {
	base_env
	. "$TOP/configs/base.conf"
	deb=$FP_CACHE/debs/${BASE_PACKAGE}_${BASE_VERSION}_all.deb
	mkdir -p "$(dirname "$deb")"
	echo "not the real package" >"$deb"
	expect_fail "$S/fetch-base.sh"
	expect_out "checksum mismatch"
	expect_out "expected sha256 $BASE_SHA256"
	expect_out "$(sha256sum <<<"not the real package" | cut -d' ' -f1)"
	[ -f "$deb.bad" ] || fail "the bad file was not kept for inspection"
	[ ! -e "$FP_CACHE/base-$BASE_VERSION.git" ] || fail "imported a bad package"
}

t_override_must_be_6_12() {
	base_env
	FP_BASE_VERSION=6.13.1-1 expect_fail "$S/fetch-base.sh"
	expect_out "is not a 6.12.y version"
}

t_override_warns_and_reports_unverified_sum() {
	base_env
	. "$TOP/configs/base.conf"
	deb=$FP_CACHE/debs/${BASE_PACKAGE}_6.12.1-1_all.deb
	mkdir -p "$(dirname "$deb")"
	echo "fake" >"$deb"
	# The fake .deb then fails to unpack: what matters is the warnings.
	FP_BASE_VERSION=6.12.1-1 run "$S/fetch-base.sh"
	expect_out "overrides the pinned $BASE_VERSION"
	expect_out "not verified"
	[ "$rc" -ne 0 ] || fail "a fake package was imported"
}

t_fake_base_without_tag_is_refused() {
	git init -q --bare "$FP_BASE_GIT"
	expect_fail "$S/fetch-base.sh"
	expect_out "has no 'base' tag"
}
