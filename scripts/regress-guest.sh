#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot one x86_64 kernel of `make regress` under QEMU (TCG) from an
# initramfs and run one suite in it:
#   tls      tools/testing/selftests/net/tls (every variant, 18 slow or
#            always failing cases left out; REGRESS_TLS_ARGS replaces the
#            kselftest harness filters, e.g. "-v 12_aes_gcm", "" for all)
#   mm       tools/testing/selftests/mm/run_vmtests.sh, one category at a
#            time ($REGRESS_MM_CATEGORIES), each under its own timeout
#   faultinj (series) the built-in KUnit suites rerun through debugfs and the
#            tls selftest with failslab and fail_page_alloc on, then a
#            kmemleak scan and MemFree against its baseline
# Every boot ends with a kmemleak scan.  The kernel console goes to one
# serial port (SUITE.kernel.log), the results to another (SUITE.out), so a
# hung or crashed guest still leaves both.  The TAP of each part is cut out
# into $OUT/SIDE/PART.tap and parsed with the tree's kunit.py into PART.json.
# Usage: scripts/regress-guest.sh SIDE SUITE
# Env: REGRESS_TIMEOUT_<SUITE> (s, the whole boot), REGRESS_PART_TIMEOUT (s,
# one mm category or one KUnit suite inside the guest), REGRESS_MEM (MiB).
. "$(dirname "$0")/lib.sh"
side=${1:?usage: regress-guest.sh SIDE SUITE}
suite=${2:?usage: regress-guest.sh SIDE SUITE}
REGRESS=${FP_REGRESS:-$WORK/regress}
OUT=${REGRESS_OUT:-$REGRESS/results}
kernel=${REGRESS_KERNEL:-$REGRESS/build-$side/arch/x86/boot/bzImage}
st=$REGRESS/selftests
res=$OUT/$side
mkdir -p "$res"
status() { echo "$*" >"$res/$suite.status"; echo "$suite ($side): $*" >&2; }
rm -rf "$res/$suite".* "$res/$suite"-*.{tap,json,status}
[ "$suite" != faultinj ] || rm -rf "$res"/fi-*

"$TOP/scripts/deps.sh" qemu kselftest regress ||
	{ status "error: missing packages (deps.sh failed)"; exit 1; }
[ -f "$kernel" ] || { status "error: no $side kernel at $kernel (did the build fail?)"; exit 1; }

# Suite defaults.  The mm categories: those of issue 12 that finish on both
# kernels within the budget (30-100 s each under TCG; README.md, "make
# regress").  Not run by default, none finished within its timeout on the
# base kernel (2026-11-30: 420 s for compaction, hugetlb and ksm, 240 s for
# cow and thp): compaction (compaction_test mlocks 80 % of memory in 100 MiB
# pieces), cow (655 cases, 104 done), hugetlb (hugetlb_fault_after_madv:
# 10000 rounds of two threads faulting and MADV_DONTNEEDing a 2 MiB page),
# ksm (5 of 9 done), thp (transhuge-stress); vmalloc needs the
# test_vmalloc module (this kernel has no modules).
mm_cats=${REGRESS_MM_CATEGORIES:-mmap gup_test migration madv_populate mlock mremap ksm_numa}
# tls: every fixture and variant, less 18 cases by name (kselftest harness
# -T, which excludes a test of that name in every variant).  Under TCG with
# KASAN, lockdep, kmemleak, page_owner and DEBUG_PAGEALLOC, the six
# mutliproc_* cases and multi_chunk_sendfile exceed the harness's fixed 30 s
# a case on both kernels, every variant (2026-11-30 run: 10 of 13 variants
# killed on each kernel), so they cannot tell the kernels apart and cost
# 7 x 30 s a variant; sendmsg_large (128 sendmsg() of 16 KiB) takes 2-30 s
# and is killed on either kernel at random.  The ten rekey cases fail on
# both kernels (6.12.117 has stable's rekey tests, not kTLS rekey); 21 of
# them wait for the 30 s timeout, 630 s a kernel (2026-11-30 09:22).
tls_args=${REGRESS_TLS_ARGS--T mutliproc_even -T mutliproc_readers -T mutliproc_writers -T mutliproc_sendpage_even -T mutliproc_sendpage_readers -T mutliproc_sendpage_writers -T multi_chunk_sendfile -T sendmsg_large -T rekey -T rekey_fail -T rekey_peek -T splice_rekey -T rekey_peek_splice -T rekey_getsockopt -T rekey_poll_pending -T rekey_poll_delay -T rekey_rx -T rekey_tx}
# Under fault injection: one cipher per TLS version.
fi_tls_args=${REGRESS_FI_TLS_ARGS:--v 12_aes_gcm -v 13_aes_gcm}
fi_kunit_skip=${REGRESS_FI_KUNIT_SKIP:-iov_iter slub_test}
# A part's own timeout in the guest: the boot's, less 5 minutes for booting
# and the kmemleak scan; an mm category gets REGRESS_PART_TIMEOUT.
case $suite in
tls) timeout=${REGRESS_TIMEOUT_TLS:-3600}; need=(net/tls) ;;
mm) timeout=${REGRESS_TIMEOUT_MM:-3600}; need=(mm/run_vmtests.sh) ;;
faultinj) timeout=${REGRESS_TIMEOUT_FAULTINJ:-2400}; need=(net/tls) ;;
*) die "regress-guest.sh: unknown suite '$suite' (tls, mm, faultinj)" ;;
esac
part_timeout=$((timeout > 600 ? timeout - 300 : timeout / 2))
[ "$suite" != mm ] || part_timeout=${REGRESS_PART_TIMEOUT:-600}
for f in "${need[@]}"; do
	[ -e "$st/$f" ] || { status "error: $st/$f was not built (see $st/*-build.log)"; exit 1; }
done

ird=$res/$suite.initramfs
rm -rf "$ird"
mkdir -p "$ird"/{bin,dev,proc,sys,tmp,tests}
cp /bin/busybox "$ird/bin/busybox"
cp /bin/bash-static "$ird/bin/bash"
# run_vmtests.sh runs "sudo -u nobody ./on-fault-limit": root needs no sudo.
printf '#!/bin/sh\n[ "$1" = -u ] && shift 2\nexec "$@"\n' >"$ird/bin/sudo"
chmod +x "$ird/bin/sudo"
case $suite in
tls) cp "$st/net/tls" "$ird/tests/" ;;
faultinj) cp "$st/net/tls" "$TOP/scripts/regress-symrange.awk" "$ird/tests/" ;;
mm) cp -r "$st/mm" "$ird/tests/mm" ;;
esac

{
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/tmp
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
ip link set lo up
R=/dev/ttyS1
stty -F $R raw -echo 2>/dev/null
say() { echo "regress: $*" >$R; }
# part NAME TIMEOUT CMD...: run CMD with its output on the results port
up() { cut -d. -f1 /proc/uptime; }
part() {
	local name=$1 t=$2 rc=0 t0=$(up)
	shift 2
	say "begin $name"
	timeout -s KILL "$t" "$@" >$R 2>&1 || rc=$?
	[ $rc -eq 137 ] && say "timeout $name after ${t}s"
	say "end $name exit $rc after $(($(up) - t0))s"
}
memfree() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 2; awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
# kmemleak [NAME]: scan, the reports go to section NAME (default kmemleak)
kmemleak() {
	local f=/sys/kernel/debug/kmemleak n=${1:-kmemleak}
	[ -e $f ] || { say "kmemleak: unavailable"; return; }
	# Twice, objects younger than 5 s are not reported.
	echo scan >$f; sleep 6; echo scan >$f
	say "begin $n"
	cat $f >$R
	say "end $n"
}
say "booted $(uname -r), $(nproc) cpus, MemTotal $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) kB"
EOF
	case $suite in
	tls) cat <<EOF
cd /tmp
part tls $part_timeout /tests/tls $tls_args
EOF
	;;
	mm) cat <<EOF
cd /tests/mm
for c in $mm_cats; do
	part mm-\$c $part_timeout bash ./run_vmtests.sh -t \$c
done
EOF
	;;
	faultinj) cat <<EOF
# The boot's own KUnit run (it makes the debugfs entries) is over: its
# kmemleak reports are kept apart and cleared, so that the scan after the
# injection shows only what the injection left.
kmemleak kmemleak-boot
echo clear >/sys/kernel/debug/kmemleak
base=\$(memfree)
say "memfree baseline \$base kB"
# The tests get failures, not the forks that start them: no allocation
# with copy_process() on its stack is failed (reject-start/reject-end,
# CONFIG_FAULT_INJECTION_STACKTRACE_FILTER, stacktrace-depth 32).  KUnit
# runs each case, and then its cleanup, in a kthread that kthreadd forks:
# kthreadd's make-it-fail is set while a suite runs, so that the case
# kthreads inherit it; were kthreadd's forks failed, KUnit could not create
# the cleanup kthread ("internal error occurred during test case cleanup:
# -12") and left the case's resources unfreed.  The kselftest harness forks
# each tls case from a process with make-it-fail: failed forks would only
# give "ERROR SPAWNING TEST CHILD".
fr=\$(awk -v sym=copy_process -f /tests/regress-symrange.awk /proc/kallsyms /proc/kallsyms 2>\$R)
say "fi reject copy_process \${fr:-none}"
for f in failslab fail_page_alloc; do
	d=/sys/kernel/debug/\$f
	echo 10 >\$d/probability
	echo 1 >\$d/interval
	echo -1 >\$d/times
	echo 1 >\$d/verbose
	echo Y >\$d/task-filter
	echo N >\$d/ignore-gfp-wait
	echo 32 >\$d/stacktrace-depth
	echo \${fr%% *} >\$d/reject-start
	echo \${fr##* } >\$d/reject-end
done
echo 0 >/sys/kernel/debug/fail_page_alloc/min-order
echo N >/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
# Not rerun: suites whose cases are __init code, freed after boot
# (REGRESS_FI_KUNIT_SKIP; lib/kunit_iov_iter.c marks its cases __init but
# registers a normal suite, so its debugfs "run" jumps into freed memory),
# and in-tree suites that do not check their own allocations (slub_kunit's
# test_clobber_redzone_free uses a failed kmem_cache_create() and oopses).
dirs=
for d in /sys/kernel/debug/kunit/*/; do
	case " $fi_kunit_skip " in *" \$(basename \$d) "*) continue ;; esac
	dirs="\$dirs \$d"
done
# No task keeps make-it-fail after a suite: kthreads forked meanwhile
# (kworkers) inherited it.
unfail() { for f in /proc/[0-9]*/make-it-fail; do echo 0 >\$f; done 2>/dev/null; }
if [ -n "\$fr" ]; then
	n=\$(echo \$dirs | wc -w)
	i=0
	say "begin fi-kunit"
	echo "KTAP version 1" >\$R
	echo "1..\$n" >\$R
	for d in \$dirs; do
		i=\$((i + 1))
		echo 1 >/proc/2/make-it-fail
		echo run >\$d/run
		unfail
		sed "s/^\\(not \\)\\{0,1\\}ok 1 /\\1ok \$i /" \$d/results >\$R
	done
	say "end fi-kunit exit 0"
fi
cd /tmp
# The flag is set on the running test, once its exec is over (/proc/PID/exe
# names it) and a second later: an exec under failslab fails ("Cannot
# allocate memory", exit 126), and setting the flag right after the fork
# raced with the exec.  The harness forks every case from that process, so
# all cases but the first inherit the flag.
part fi-tls $part_timeout sh -c '/tests/tls $fi_tls_args & p=\$!
	while kill -0 \$p 2>/dev/null && [ "\$(readlink /proc/\$p/exe)" != /tests/tls ]; do sleep 0.1; done
	sleep 1; echo 1 >/proc/\$p/make-it-fail; wait \$p'
unfail
for f in failslab fail_page_alloc; do echo 0 >/sys/kernel/debug/\$f/probability; done
kmemleak
say "memfree after \$(memfree) kB, MemTotal \$(awk '/^MemTotal:/ { print \$2 }' /proc/meminfo) kB"
EOF
	;;
	esac
	[ "$suite" = faultinj ] || echo kmemleak
	echo 'say done'
	echo 'poweroff -f'
} >"$ird/init"
chmod +x "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet) >"$res/$suite.cpio"
rm -rf "$ird"

# Kernel arguments: page_owner on; KUnit runs at boot only for faultinj
# (its debugfs entries are made by that run).
append="console=ttyS0 page_owner=on panic=-1 oops=panic"
[ "$suite" = faultinj ] || append+=" kunit.enable=0"
mem=${REGRESS_MEM:-2048}
boot() {
	timeout "$timeout" nice -n 19 qemu-system-x86_64 -nodefaults -accel tcg \
		-smp 2 -m "$mem" -bios qboot.rom \
		-object memory-backend-ram,id=m0,size=$((mem / 2))M \
		-object memory-backend-ram,id=m1,size=$((mem / 2))M \
		-numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1 \
		-kernel "$kernel" -initrd "$res/$suite.cpio" -append "$append" \
		-no-reboot -display none -monitor none \
		-serial "file:$res/$suite.kernel.log" -serial "file:$res/$suite.out" \
		>"$res/$suite.qemu.log" 2>&1
}
rc=0
t0=$SECONDS
boot || rc=$?
echo "$((SECONDS - t0))" >"$res/$suite.seconds"
tr -d '\r' <"$res/$suite.out" >"$res/$suite.out.tmp" && mv "$res/$suite.out.tmp" "$res/$suite.out"

# parse_tap TAP JSON: the tree's kunit.py parser, with the plan moved
# after the version line and set to the number of results (run_vmtests.sh
# prints it last, which kunit_parser loops on; a part cut short by a timeout
# has fewer results than planned, and its missing cases show in the table
# anyway), under a time and memory limit.
parse_tap() {
	awk '/^(K?TAP version|1\.\.[0-9]+$)/ { next }
		/^(not )?ok [0-9]/ { n++ } { l[++m] = $0 }
		END { print "TAP version 13"; print "1.." n; for (i = 1; i <= m; i++) print l[i] }' "$1" >"$1.norm"
	(ulimit -v 4000000; cd "$TREE" && timeout 300 python3 tools/testing/kunit/kunit.py parse \
		--json="$2" "$1.norm") >"${2%.json}.parse.log" 2>&1 || true
	rm -f "$1.norm"
}

# Cut every part out of the results port and parse its TAP.
parts=$(sed -n 's/^regress: begin \(.*\)$/\1/p' "$res/$suite.out")
for p in $parts; do
	case $p in kmemleak|kmemleak-boot) continue ;; esac
	awk -v p="$p" '$0 == "regress: begin " p { on = 1; next }
		on && index($0, "regress: end " p " ") == 1 { exit }
		on && index($0, "regress: timeout " p " ") != 1 { print }' "$res/$suite.out" >"$res/$p.tap"
	if grep -q "^regress: timeout $p " "$res/$suite.out"; then
		echo "error: timeout in the guest after ${part_timeout}s (suite $p)" >"$res/$p.status"
	elif ! grep -q "^regress: end $p " "$res/$suite.out"; then
		echo "error: the guest stopped during suite $p (boot $suite: crash, hang or QEMU timeout; see $res/$suite.kernel.log)" >"$res/$p.status"
	fi
	[ ! -s "$res/$p.tap" ] || parse_tap "$res/$p.tap" "$res/$p.json"
	# The kselftest harness kills a case after 30 s: slow under TCG, or hung.
	awk '/^#  RUN  / { c = $3 } /: Test terminated by timeout$/ { print c }' \
		"$res/$p.tap" >"$res/$p.timeouts"
	echo "$suite" >"$res/$p.boot"
	sed -n "s/^regress: end $p exit [0-9]* after \([0-9]*\)s$/\1/p" "$res/$suite.out" >"$res/$p.guest-seconds"
	[ -s "$res/$p.guest-seconds" ] || rm -f "$res/$p.guest-seconds"
done
for k in kmemleak kmemleak-boot; do
	sed -n "/^regress: begin $k\$/,/^regress: end $k\$/p" "$res/$suite.out" | sed '1d;$d' >"$res/$suite.$k"
done
[ -s "$res/$suite.kmemleak-boot" ] || rm -f "$res/$suite.kmemleak-boot"

# Fault injection: kmemleak, MemFree, the reject range, KUnit's own errors.
if [ "$suite" = faultinj ]; then
	"$TOP/scripts/regress-fi-checks.sh" "$res" >"$res/fi-checks.tap"
	echo "$suite" >"$res/fi-checks.boot"
	parse_tap "$res/fi-checks.tap" "$res/fi-checks.json"
fi

if [ $rc -eq 124 ]; then
	status "error: QEMU timed out after ${timeout}s (suite $suite; the guest hung? see $res/$suite.kernel.log)"
elif ! grep -q "^regress: done" "$res/$suite.out"; then
	status "error: the guest did not finish (exit $rc; see $res/$suite.kernel.log and $res/$suite.qemu.log)"
fi
note "$suite ($side): $((SECONDS - t0))s; results $res/$suite.out, kernel log $res/$suite.kernel.log"
[ ! -f "$res/$suite.status" ]
