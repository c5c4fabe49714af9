#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the test kernel of one variant and run the series' KUnit suites in
# it with the tree's own tools/testing/kunit/kunit.py.
# Usage: scripts/kunit.sh [--build-only|--exec-only] VARIANT [LABEL]
# VARIANT: uml, qemu (every debug config, KASAN included), qemu-nokasan,
# uml-mm (UML without the networking suites; the per-patch gate's kernel
# before they exist), or qemu-alltests (the qemu kernel with every suite
# KUNIT_ALL_TESTS enables, the warn-on-purpose cases off, panic_on_warn=1),
# or uml-alltests (UML with every such suite; make regress).
# Environment: KUNIT_FILTER (a kunit.py filter glob), KUNIT_TIMEOUT (s).
# Fails on any failed, crashed or skipped-as-error case and on any
# WARN/BUG/KASAN/kmemleak report in the kernel log (scripts/scan-log.sh).
# Records each case in $RESULTS/kunit-LABEL.txt.
. "$(dirname "$0")/lib.sh"

mode=all
case ${1:-} in
--build-only) mode=build; shift ;;
--exec-only) mode=exec; shift ;;
esac
variant=${1:-qemu}
label=${2:-$variant}
need_tree

frags=("$TOP/configs/kunitconfig")
[ "$variant" = uml-mm ] || frags+=("$TOP/configs/net.kunitconfig")
tree_args=()
qemu_args=()
gigantic=
exec_args=(--timeout "${KUNIT_TIMEOUT:-1800}")
# KUNIT_FILTER="suite_glob[.case_glob]" runs only the matching suites.
[ -z "${KUNIT_FILTER:-}" ] || exec_args+=("$KUNIT_FILTER")
case $variant in
# UML boots without page_owner, so that the bulk allocator's fast path runs
# (page_owner makes it hand out one page a call); QEMU boots with it.
uml|uml-mm|uml-alltests)
	tree_args+=(--arch=um); frags+=("$TOP/configs/uml.kunitconfig")
	[ "$variant" != uml-alltests ] || frags+=("$TOP/configs/all-tests.kunitconfig") ;;
qemu|qemu-nokasan|qemu-alltests)
	"$TOP/scripts/deps.sh" qemu
	frags+=("$TOP/configs/qemu.kunitconfig")
	# qemu: all the debug configs mm maintainers run, KASAN included;
	# qemu-nokasan: the same without KASAN, quicker to build and run.
	[ "$variant" = qemu-nokasan ] || frags+=("$TOP/configs/kasan.kunitconfig")
	exec_args+=(--kernel_args page_owner=on)
	if [ "$variant" = qemu-alltests ]; then
		frags+=("$TOP/configs/all-tests.kunitconfig")
		exec_args+=(--kernel_args panic_on_warn=1)
	fi
	# TCG only (KVM does not work on these machines); two NUMA nodes.
	tree_args+=(--arch=x86_64)
	qemu_args=(--qemu_args "-accel tcg -smp 2 -object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M -numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1")
	# A second boot for hugetlb's gigantic (1 GiB) pages: a CPU with them,
	# 8 GiB and a hugetlb CMA area of 1 GiB.  Gigantic pages are not
	# movable, so the contiguous allocator looks in ZONE_NORMAL and below:
	# RAM above 4 GiB is ZONE_NORMAL, the CMA area takes its first GiB, and
	# four more stay for it, of which boot allocations (top-down) and the
	# kernel image take at most two.  (With 5 GiB, no aligned GiB outside
	# the area and the swiotlb buffer was free.)  Only the hugetlb_pool
	# suite runs there (its gigantic cases skip in the first boot); not
	# with a KUNIT_FILTER of one's own.
	[ -n "${KUNIT_FILTER:-}" ] || gigantic=1 ;;
*)	die "unknown variant '$variant' (uml, uml-mm, uml-alltests, qemu, qemu-nokasan, qemu-alltests)" ;;
esac
"$TOP/scripts/deps.sh" build

bdir=$BUILD/$variant
kcfg=$BUILD/$variant.kunitconfig
mkdir -p "$bdir" "$RESULTS"
"$TOP/scripts/kunitconfig.sh" "${frags[@]}" >"$kcfg"
use_ccache
tree_args+=(--build_dir "$bdir" --kunitconfig "$kcfg" --make_options "CC=ccache gcc")
kunit() { (cd "$TREE" && python3 tools/testing/kunit/kunit.py "$@"); }
json=$bdir/results.json

build() {
	kunit build "${tree_args[@]}" --jobs "$(nproc)" >"$bdir/build.log" 2>&1 || {
		tail -40 "$bdir/build.log"
		echo "build log: $bdir/build.log"
		return 1
	}
}

# run LABEL KUNIT.PY-EXEC-ARGS...: one boot, its cases in kunit-LABEL.txt
run() {
	local label=$1 rc=0 rfile=kunit-$1.txt
	shift
	rm -f "$json" "$RESULTS/$rfile"
	kunit exec "${tree_args[@]}" "$@" --json="$json" || rc=$?
	if [ -f "$json" ]; then
		python3 "$TOP/scripts/kunit-cases.py" "$json" "$label" >>"$RESULTS/$rfile"
	else
		result "$rfile" FAIL "$label/kunit-run"
		rc=1
	fi
	cp "$bdir/test.log" "$bdir/test-$label.log" 2>/dev/null || true
	if "$TOP/scripts/scan-log.sh" "$bdir/test.log"; then
		result "$rfile" PASS "$label/kernel-log-clean"
	else
		result "$rfile" FAIL "$label/kernel-log-clean"
		rc=1
	fi
	return $rc
}

if [ $mode != exec ]; then
	step "build the $variant test kernel ($(tgit log -1 --format='%h %s'))" build ||
		exit 2
fi
[ $mode = build ] && exit 0
rc=0
step "run KUnit in the $variant kernel" run "$label" "${qemu_args[@]}" "${exec_args[@]}" || rc=$?
if [ -n "$gigantic" ]; then
	step "run hugetlb_pool with gigantic pages in the $variant kernel" \
		run "$label-gigantic" --qemu_args "-accel tcg -smp 2 -cpu max -m 8G" \
		"${exec_args[@]}" --kernel_args hugetlb_cma=1G \
		hugetlb_pool || rc=$?
fi
case $variant in
uml|uml-mm|uml-alltests) kernel=$bdir/linux ;;
*) kernel=$bdir/arch/x86/boot/bzImage ;;
esac
note "kernel: $kernel"
note "KTAP and kernel log: $bdir/test-$label.log${gigantic:+, $bdir/test-$label-gigantic.log}"
exit $rc
