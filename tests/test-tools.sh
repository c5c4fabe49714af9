# SPDX-License-Identifier: GPL-2.0
# Bisect helper, kunitconfig filter, log scanner, result counting.

t_bisect_finds_the_breaking_patch() {
	make_base
	"$S/tree.sh" >/dev/null
	for i in 1 2 3 4 5; do
		commit_change mm/alloc.c $((i * 5)) "patch $i" "mm: step $i"
		[ $i = 4 ] && { touch "$FP_TREE/broken"; git -C "$FP_TREE" add broken; git -C "$FP_TREE" commit -q --amend --no-edit; }
	done
	"$S/export.sh" >/dev/null
	expect_ok "$S/bisect.sh" base series "test ! -e broken"
	expect_out "first bad commit:"
	expect_out "mm: step 4"
	[ "$(git -C "$FP_TREE" symbolic-ref --short HEAD)" = series ] || fail "not back on the series branch"
	[ -s "$FP_WORK/bisect.log" ] || fail "no bisect log"
}

t_bisect_refuses_dirty_tree() {
	make_series 1
	echo dirt >>"$FP_TREE/mm/alloc.c"
	expect_fail "$S/bisect.sh" base series true
	expect_out "uncommitted changes"
}

t_kunitconfig_drops_options_the_tree_lacks() {
	make_base
	"$S/tree.sh" >/dev/null
	printf 'CONFIG_FOO=y\nCONFIG_LATER_SUITE=y\n# comment\n' >"$T/frag"
	expect_ok "$S/kunitconfig.sh" "$T/frag"
	grep -qx "CONFIG_FOO=y" <<<"$out" || fail "known option dropped: $out"
	grep -qx "# CONFIG_LATER_SUITE=y (not in this tree)" <<<"$out" || fail "unknown option kept: $out"
}

t_scan_log_clean_passes() {
	printf 'KTAP version 1\nok 1 page_alloc_refcount\n' >"$T/log"
	expect_ok "$S/scan-log.sh" "$T/log"
}

t_scan_log_catches_reports() {
	for r in "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:100 foo+0x1/0x2" \
		 "BUG: KASAN: use-after-free in bar" \
		 "BUG: unable to handle page fault for address: 0" \
		 "kmemleak: 1 new suspected memory leaks" \
		 "page dumped because: VM_BUG_ON_PAGE" \
		 "Kernel panic - not syncing: oops"; do
		printf 'ok 1 a\n[    1.0] %s\nok 2 b\n' "$r" >"$T/log"
		expect_fail "$S/scan-log.sh" "$T/log"
		expect_out "1 report line"
	done
}

t_scan_log_allows_bracketed_expected_warning() {
	printf '%s\n' "frozen-pages: expected warning begin" \
		"WARNING: CPU: 0 PID: 1 at mm/x.c:1" "Call Trace:" \
		"frozen-pages: expected warning end" "ok 1 a" >"$T/log"
	expect_ok "$S/scan-log.sh" "$T/log"
	expect_out "2 expected report line(s)"
	echo "WARNING: CPU: 0 PID: 1 at mm/y.c:2" >>"$T/log"
	expect_fail "$S/scan-log.sh" "$T/log"
}

t_kunit_cases_counts_every_case() {
	cat >"$T/r.json" <<'JSON'
{"name": "KUnit Test Group", "test_cases": [], "sub_groups": [
 {"name": "suite_a", "sub_groups": [], "test_cases": [
   {"name": "one", "status": "PASS"}, {"name": "two", "status": "FAIL"},
   {"name": "three", "status": "SKIP"}, {"name": "four", "status": "ERROR"}]},
 {"name": "suite_b", "test_cases": [], "sub_groups": [
   {"name": "param", "sub_groups": [], "test_cases": [{"name": "p1", "status": "PASS"}]}]}]}
JSON
	expect_ok python3 "$S/kunit-cases.py" "$T/r.json" qemu
	[ "$out" = "PASS qemu/suite_a.one
FAIL qemu/suite_a.two
SKIP qemu/suite_a.three
FAIL qemu/suite_a.four
PASS qemu/suite_b.param.p1" ] || fail "unexpected: $out"
	echo '{"name": "x", "test_cases": [], "sub_groups": []}' >"$T/e.json"
	expect_ok python3 "$S/kunit-cases.py" "$T/e.json" qemu
	[ "$out" = "FAIL qemu/no-test-ran" ] || fail "an empty run must fail: $out"
}

t_summary_counts_and_fails() {
	mkdir -p "$FP_RESULTS"
	printf 'PASS a\nPASS b\nSKIP c\n' >"$FP_RESULTS/x.txt"
	expect_ok "$S/summary.sh"
	[ "$(tail -1 <<<"$out")" = "2 passed, 0 failed, 1 skipped" ] || fail "$out"
	printf 'FAIL d\n' >"$FP_RESULTS/y.txt"
	expect_fail "$S/summary.sh"
	[ "$(tail -1 <<<"$out")" = "2 passed, 1 failed, 1 skipped" ] || fail "$out"
	expect_out "  d"
	rm -f "$FP_RESULTS"/*.txt
	expect_fail "$S/summary.sh"
	[ "$(tail -1 <<<"$out")" = "0 passed, 0 failed, 0 skipped" ] || fail "$out"
}

t_kselftest_needs_the_series_selftest() {
	make_series 1
	expect_fail "$S/kselftest.sh"
	expect_out "has no tools/testing/selftests/net/frozen_sendpage.c"
}

t_kunit_cases_counts_kselftest_tap() {
	# kselftest.sh feeds kunit.py's JSON of a kselftest TAP run to it.
	printf '%s\n' '{"name": "main", "sub_groups": [{"name": "frozen_sendpage",' \
		'"test_cases": [{"name": "tcp_sendfile_file", "status": "PASS"},' \
		'{"name": "ktls12_splice_file", "status": "SKIP"},' \
		'{"name": "ktls13_splice_file", "status": "FAIL"}]}]}' >"$T/r.json"
	expect_ok python3 "$S/kunit-cases.py" "$T/r.json" kselftest
	expect_out "PASS kselftest/frozen_sendpage.tcp_sendfile_file"
	expect_out "SKIP kselftest/frozen_sendpage.ktls12_splice_file"
	expect_out "FAIL kselftest/frozen_sendpage.ktls13_splice_file"
}
