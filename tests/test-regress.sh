# SPDX-License-Identifier: GPL-2.0
# Tests of make regress's verdict table (scripts/regress-table.py) on canned
# results: kunit.py JSON (what the guest's KTAP/TAP parses into), kernel logs,
# kmemleak scans and status files, as scripts/regress-guest.sh leaves them.

# cases FILE NAME=STATUS...: a kunit.py JSON of one kselftest-style part.
cases() {
	local f=$1 c sep=
	shift
	{
		printf '{"name": "KUnit Test Group", "sub_groups": [], "test_cases": ['
		for c in "$@"; do
			printf '%s{"name": "%s", "status": "%s"}' "$sep" "${c%=*}" "${c#*=}"
			sep=,
		done
		printf ']}\n'
	} >"$f"
}

# kunit FILE SUITE:CASE=STATUS...: a kunit.py JSON of a KUnit run.
kunit() {
	local f=$1
	shift
	python3 - "$f" "$@" <<'PY'
import json, sys
suites = {}
for a in sys.argv[2:]:
    s, rest = a.split(":", 1)
    c, st = rest.split("=")
    suites.setdefault(s, []).append({"name": c, "status": st})
json.dump({"name": "KUnit Test Group", "test_cases": [],
           "sub_groups": [{"name": s, "test_cases": c, "sub_groups": []} for s, c in suites.items()]},
          open(sys.argv[1], "w"))
PY
}

canned() {
	D=$T/regress
	mkdir -p "$D/base" "$D/series"
	local s
	for s in base series; do
		echo tls >"$D/$s/tls.boot"
		echo mm >"$D/$s/mm-cow.boot"
		echo kunit-uml >"$D/$s/kunit-uml.boot"
		cases "$D/$s/mm-cow.json" "cow=PASS"
		printf '[    1.5] WARNING: CPU: 1 PID: 7%s at net/tls/tls_sw.c:10 tls_foo+0x1/0x20\n' "$s" >"$D/$s/tls.kernel.log"
		printf '[    0.1] booted\n' >"$D/$s/mm.kernel.log"
		printf 'ok 1 example\n' >"$D/$s/kunit-uml.kernel.log"
	done
	# tls: one pass on both, one regression, one failing on both (rekey,
	# pre-existing), one skipped on both.
	cases "$D/base/tls.json" "global.keysizes=PASS" "tls.12_aes_gcm.sendfile=PASS" \
		"tls.12_aes_gcm.rekey=FAIL" "tls.13_aes_gcm.nopad=SKIP"
	cases "$D/series/tls.json" "global.keysizes=PASS" "tls.12_aes_gcm.sendfile=FAIL" \
		"tls.12_aes_gcm.rekey=FAIL" "tls.13_aes_gcm.nopad=SKIP"
	kunit "$D/base/kunit-uml.json" "slub_test:test_clobber_zone=PASS" "iov_iter:copy_to_kvec=PASS"
	kunit "$D/series/kunit-uml.json" "slub_test:test_clobber_zone=PASS" "iov_iter:copy_to_kvec=PASS" \
		"slab_frozen:slab_pages_frozen=PASS"
}

t_regress_table_names_regressions_preexisting_and_skips() {
	canned
	expect_fail python3 "$S/regress-table.py" "$D" --date 2026-11-30
	expect_out "make regress verdict, 2026-11-30"
	expect_out "| tls | 2/1/1 | 1/2/1 | tls.12_aes_gcm.sendfile (fail) | tls.12_aes_gcm.rekey |"
	expect_out "| kunit-uml:slab_frozen | - | 1/0/0 | - | - |"
	expect_out "| kunit-uml:slub_test | 1/0/0 | 1/0/0 | - | - |"
	expect_out "| mm-cow | 1/0/0 | 1/0/0 | - | - |"
	expect_out "REGRESSIONS: 1 case(s)/suite(s), 0 new kernel-log report(s)"
	expect_out "- tls: tls.12_aes_gcm.sendfile (fail)"
	expect_out "Pre-existing failures (fail on the base and on the series): 1"
	expect_out "- tls: tls.12_aes_gcm.rekey"
	# The same WARN (other PID, time) on both sides is not new.
	expect_out "| tls | 1 | 1 | - |"
	[ -f "$D/verdict.md" ] || fail "no verdict.md"
}

t_regress_table_new_log_report_hung_suite_and_fault_injection() {
	canned
	cp "$D/base/tls.json" "$D/series/tls.json"
	# A KASAN report in the series' mm boot only; a kmemleak leak too.
	printf '[   12.0] BUG: KASAN: slab-use-after-free in skb_release_data+0x1a/0x90\n' >>"$D/series/mm.kernel.log"
	printf 'unreferenced object 0xffff888012345678 (size 64):\n  backtrace (crc 0):\n    [<ffffffff81000000>] kmalloc_trace+0x10/0x20\n    [<ffffffff81000010>] tls_set_sw_offload+0x1/0x2\n' >"$D/series/mm.kmemleak"
	# A suite that hung on the series only.
	echo "error: timeout in the guest after 900s (suite mm-thp)" >"$D/series/mm-thp.status"
	cases "$D/base/mm-thp.json" "khugepaged=PASS"
	echo mm >"$D/base/mm-thp.boot"; echo mm >"$D/series/mm-thp.boot"
	# Fault injection: case failures are expected, a failed check is not.
	echo faultinj >"$D/series/fi-kunit.boot"
	echo faultinj >"$D/series/fi-checks.boot"
	kunit "$D/series/fi-kunit.json" "slab_frozen:a=FAIL" "slab_frozen:b=PASS"
	cases "$D/series/fi-checks.json" "kmemleak_scan_clean=PASS" "memfree_back_to_baseline=FAIL"
	printf 'FAULT_INJECTION: forcing a failure.\n' >"$D/series/faultinj.kernel.log"
	expect_fail python3 "$S/regress-table.py" "$D"
	expect_out "| mm-thp | 1/0/0 | **error: timeout in the guest after 900s** | suite error on the series: error: timeout in the guest after 900s (suite mm-thp); 1 case(s) passing on the base not reached on the series | - |"
	expect_out "- mm kernel log: BUG: KASAN: slab-use-after-free in skb_release_data+<hex>/<hex>"
	expect_out "- mm kernel log: kmemleak: unreferenced object (size 64) from kmalloc_trace < tls_set_sw_offload"
	expect_out "- fi-checks: memfree_back_to_baseline (fail)"
	expect_out "- fi-kunit:slab_frozen: 1 case(s): a"
	grep -q "fi-kunit:slab_frozen: a" <<<"$out" && fail "an expected fault-injection failure is judged"
	return 0
}

t_regress_table_clean_run_exits_0() {
	canned
	cp "$D/base/tls.json" "$D/series/tls.json"
	expect_ok python3 "$S/regress-table.py" "$D"
	expect_out "no regression"
	expect_out "- tls: tls.12_aes_gcm.rekey"
}

t_regress_table_both_cut_short_is_not_a_regression() {
	canned
	# Both tls runs timed out, the series one earlier: noted, not judged.
	echo "error: timeout in the guest after 3300s (suite tls)" >"$D/base/tls.status"
	echo "error: timeout in the guest after 3300s (suite tls)" >"$D/series/tls.status"
	cases "$D/series/tls.json" "global.keysizes=PASS" "tls.12_aes_gcm.rekey=FAIL"
	expect_ok python3 "$S/regress-table.py" "$D"
	expect_out "- tls: 1 case(s) passing on the base not reached on the series (both runs cut short)"
	expect_out "no regression"
}

t_regress_table_marks_harness_timeouts() {
	canned
	echo "tls.12_aes_gcm.sendfile" >"$D/series/tls.timeouts"
	expect_fail python3 "$S/regress-table.py" "$D"
	expect_out "- tls: tls.12_aes_gcm.sendfile (fail: harness timeout)"
}

# The guest's copy_process range for fault injection's reject-start/-end, with
# busybox awk as in the guest (the host's awk when busybox is missing).
t_regress_symrange_finds_the_text_of_a_function() {
	local k=$T/kallsyms a=awk
	command -v busybox >/dev/null && a="busybox awk"
	printf '%s\n' 'ffffffff81000000 T _stext' 'ffffffff810a1000 t before' \
		'ffffffff810a1230 T copy_process' 'ffffffff810a15a0 t kthread_worker_fn' \
		'ffffffff810a1400 d some_data' 'ffffffff810a1500 T next_fn' 'ffffffff82000000 D data' >"$k"
	expect_ok $a -v sym=copy_process -f "$S/regress-symrange.awk" "$k" "$k"
	[ "$out" = "0xffffffff810a1230 0xffffffff810a1500" ] || fail "range: $out"
	expect_fail $a -v sym=nosuch -f "$S/regress-symrange.awk" "$k" "$k"
	expect_out "nosuch: no such text symbol"
	expect_fail $a -v sym=data -f "$S/regress-symrange.awk" "$k" "$k"
	expect_out "data: no such text symbol"
	expect_fail $a -v sym=next_fn -f "$S/regress-symrange.awk" <(grep -v worker "$k") <(grep -v worker "$k")
	expect_out "next_fn: no text symbol after it"
	sed 's/^[0-9a-f]*/0000000000000000/' "$k" >"$k.0"
	expect_fail $a -v sym=copy_process -f "$S/regress-symrange.awk" "$k.0" "$k.0"
	expect_out "copy_process: addresses hidden (kptr_restrict)"
}

# faultinj_out DIR: the results port of a fault-injection boot that went well.
faultinj_out() {
	mkdir -p "$1"
	printf '%s\n' 'regress: booted 6.12.117, 2 cpus, MemTotal 2000000 kB' \
		'regress: memfree baseline 1500000 kB' \
		'regress: fi reject copy_process 0xffffffff810a1230 0xffffffff810a1500' \
		'regress: begin fi-kunit' 'ok 1 slab_frozen' 'regress: end fi-kunit exit 0' \
		'regress: begin kmemleak' 'regress: end kmemleak' \
		'regress: memfree after 1450000 kB, MemTotal 2000000 kB' 'regress: done' >"$1/faultinj.out"
	: >"$1/faultinj.kmemleak"
	printf 'FAULT_INJECTION: forcing a failure.\n' >"$1/faultinj.kernel.log"
}

t_regress_fi_checks_pass_on_a_clean_boot() {
	faultinj_out "$T/r"
	expect_ok "$S/regress-fi-checks.sh" "$T/r"
	expect_out "ok 1 kmemleak_scan_clean"
	expect_out "ok 2 memfree_back_to_baseline"
	expect_out "ok 3 forks_spared"
	expect_out "ok 4 kunit_no_internal_error"
	grep -q "^not ok" <<<"$out" && fail "a check failed: $out"
	return 0
}

t_regress_fi_checks_name_each_failure() {
	faultinj_out "$T/r"
	printf 'unreferenced object 0xffff888012345678 (size 64):\n' >"$T/r/faultinj.kmemleak"
	sed -i 's/memfree after 1450000/memfree after 1300000/; s/^regress: fi reject copy_process .*/regress: fi reject copy_process none/' "$T/r/faultinj.out"
	printf '    # frozen_slow_path: internal error occurred during test case cleanup: -12\n' >>"$T/r/faultinj.kernel.log"
	expect_ok "$S/regress-fi-checks.sh" "$T/r"
	expect_out "# 1 suspected leak(s)"
	expect_out "not ok 1 kmemleak_scan_clean"
	expect_out "# MemFree baseline 1500000 kB, after 1300000 kB, tolerance 5% of 2000000 kB"
	expect_out "not ok 2 memfree_back_to_baseline"
	expect_out "# copy_process text: none"
	expect_out "not ok 3 forks_spared"
	expect_out "# KUnit internal errors in the kernel log: 1"
	expect_out "not ok 4 kunit_no_internal_error"
	expect_fail "$S/regress-fi-checks.sh" "$T/nothing"
	expect_out "no $T/nothing/faultinj.out"
}

t_regress_table_fault_injection_allocation_reports_are_not_judged() {
	canned
	cp "$D/base/tls.json" "$D/series/tls.json"
	echo faultinj >"$D/series/fi-checks.boot"
	cases "$D/series/fi-checks.json" "kmemleak_scan_clean=PASS"
	cat >"$D/series/faultinj.kernel.log" <<'LOG'
------------[ cut here ]------------
Could not allocate stream to print failed assertion in ../src-series/mm/page_alloc_kunit.c:303
WARNING: CPU: 1 PID: 446 at ../src-series/lib/kunit/test.c:284 __kunit_do_failed_assertion+0x346/0x360
Call Trace:
kunit_try_catch: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), nodemask=(null)
CPU: 0 UID: 0 PID: 470 Comm: kunit_try_catch
Call Trace:
WARNING: CPU: 1 PID: 2 at ../src-series/mm/vmalloc.c:1804 alloc_vmap_area+0xc29/0x1490
LOG
	expect_fail python3 "$S/regress-table.py" "$D"
	expect_out "REGRESSIONS: 0 case(s)/suite(s), 1 new kernel-log report(s)"
	expect_out "- faultinj kernel log: WARNING: CPU _ PID _ at ../src-series/mm/vmalloc.c:N alloc_vmap_area+<hex>/<hex>"
	expect_out "Expected under fault injection"
	expect_out "- faultinj kernel log: stack dump after: kunit_try_catch: page allocation failure: order:N"
	expect_out "- faultinj kernel log: WARNING: CPU _ PID _ at ../src-series/lib/kunit/test.c:N __kunit_do_failed_assertion+<hex>/<hex>"
	# The same report in another boot is judged.
	cp "$D/series/faultinj.kernel.log" "$D/series/tls.kernel.log"
	expect_fail python3 "$S/regress-table.py" "$D"
	expect_out "- tls kernel log: WARNING: CPU _ PID _ at ../src-series/lib/kunit/test.c:N __kunit_do_failed_assertion+<hex>/<hex>"
}
