#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the series' networking kselftest (tools/testing/selftests/net/frozen_sendpage.c)
# in a QEMU x86_64 guest (TCG): the QEMU test kernel of scripts/kunit.sh,
# booted with kunit.enable=0 from an initramfs holding busybox and the test
# built statically.  Records each TAP result (parsed by the tree's kunit.py)
# in $RESULTS/kselftest.txt, and fails on any failed case and on any
# WARN/BUG/KASAN report in the guest's kernel log (scripts/scan-log.sh).
# The same boot runs a subset of tools/testing/selftests/net/tls (kTLS over
# loopback): the variants of one cipher per TLS version ($KSELFTEST_TLS_ARGS,
# default AES-GCM-128 for TLS 1.2 and 1.3), less the rekey cases, which need
# kernel support 6.12 lacks, and the multi-process cases, too slow for the
# harness's timeout under TCG; the whole file is make regress's business.
# KSELFTEST_KERNEL: boot that bzImage instead of building the QEMU kernel.
. "$(dirname "$0")/lib.sh"
need_tree

src=tools/testing/selftests/net/frozen_sendpage.c
[ -f "$TREE/$src" ] ||
	die "$TREE has no $src: the series adds it; is the work tree up to date (make tree)?"
"$TOP/scripts/deps.sh" qemu kselftest
if [ -n "${KSELFTEST_KERNEL:-}" ]; then
	kernel=$KSELFTEST_KERNEL
else
	"$TOP/scripts/kunit.sh" --build-only qemu || exit
	kernel=$BUILD/qemu/arch/x86/boot/bzImage
fi
tls_src=tools/testing/selftests/net/tls.c
tls_args=${KSELFTEST_TLS_ARGS:-}
if [ -z "$tls_args" ]; then
	# Left out: rekey (6.12 has none) and the six multi-process cases, which
	# exceed the harness's 30 s per case in a TCG guest with KASAN.
	for t in rekey rekey_fail rekey_peek splice_rekey rekey_peek_splice \
		 rekey_getsockopt rekey_poll_pending rekey_poll_delay \
		 mutliproc_{even,readers,writers,sendpage_even,sendpage_readers,sendpage_writers}; do
		tls_args+="-T $t "
	done
	tls_args+="-v 12_aes_gcm -v 13_aes_gcm"
fi
out=$BUILD/kselftest
rfile=kselftest.txt
rm -rf "$out" "$RESULTS/$rfile"
mkdir -p "$out/root/bin" "$out/root/dev" "$out/root/proc" "$out/root/sys" \
	"$out/root/tmp" "$RESULTS"

step "build $src (static)" \
	gcc -static -O2 -Wall -I"$TREE/tools/testing/selftests" \
	-o "$out/root/bin/frozen_sendpage" "$TREE/$src" || exit
step "build $tls_src (static)" \
	gcc -static -O2 -Wall -I"$TREE/tools/testing/selftests" \
	-o "$out/root/bin/tls" "$TREE/$tls_src" || exit
file -L /bin/busybox 2>/dev/null | grep -q "statically linked" ||
	LC_ALL=C ldd /bin/busybox 2>&1 | grep -q "not a dynamic executable" ||
	die "/bin/busybox is dynamically linked: install busybox-static (it replaces busybox)"
cp /bin/busybox "$out/root/bin/busybox"
# The guest prints the TAP output and then the whole kernel log between
# markers, with the console quiet meanwhile so that the two do not mix.
cat >"$out/root/init" <<EOF
#!/bin/busybox sh
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox mount -t devtmpfs dev /dev
/bin/frozen_sendpage /tmp >/tmp/tap.txt 2>&1
rc=\$?
busybox ip link set lo up
t0=\$(busybox date +%s)
(cd /tmp && /bin/tls $tls_args) >/tmp/tls.txt 2>&1
tlsrc=\$?
t1=\$(busybox date +%s)
echo 1 >/proc/sys/kernel/printk
echo "frozen-pages: TAP begin"
busybox cat /tmp/tap.txt
echo "frozen-pages: TAP end, exit code \$rc"
echo "frozen-pages: TLS TAP begin"
busybox cat /tmp/tls.txt
echo "frozen-pages: TLS TAP end, exit code \$tlsrc, \$((t1 - t0)) s"
echo "frozen-pages: kernel log begin"
busybox dmesg
echo "frozen-pages: kernel log end"
busybox poweroff -f
EOF
chmod +x "$out/root/init"
(cd "$out/root" && find . | cpio -o -H newc --quiet) >"$out/initramfs.cpio"

boot() {
	timeout "${KSELFTEST_TIMEOUT:-900}" qemu-system-x86_64 -nodefaults \
		-accel tcg -smp 2 -m 1024 -bios qboot.rom \
		-kernel "$kernel" -initrd "$out/initramfs.cpio" \
		-append "console=ttyS0 kunit.enable=0 page_owner=on panic=-1" \
		-no-reboot -nographic -serial stdio >"$out/console.log" 2>&1
}

section() { # section BEGIN END: the console lines between two markers
	sed -n "/frozen-pages: $1/,/frozen-pages: $2/p" "$out/console.log" | sed '1d;$d'
}

run() {
	local rc=0
	boot || { echo "QEMU failed or timed out (exit $?)"; rc=1; }
	section "TAP begin" "TAP end" >"$out/tap.txt"
	section "kernel log begin" "kernel log end" >"$out/dmesg.txt"
	# kunit.py parse exits non-zero when a case failed: judge by the JSON.
	[ ! -s "$out/tap.txt" ] ||
		(cd "$TREE" && python3 tools/testing/kunit/kunit.py parse \
			--json="$out/results.json" "$out/tap.txt") >"$out/parse.log" 2>&1 || true
	if [ -s "$out/results.json" ]; then
		python3 "$TOP/scripts/kunit-cases.py" "$out/results.json" kselftest >>"$RESULTS/$rfile"
		grep -q "^FAIL" "$RESULTS/$rfile" && rc=1
		grep -q "frozen-pages: TAP end, exit code 0" "$out/console.log" || rc=1
	else
		result "$rfile" FAIL "kselftest/run"
		rc=1
	fi
	section "TLS TAP begin" "TLS TAP end" >"$out/tls.txt"
	[ ! -s "$out/tls.txt" ] ||
		(cd "$TREE" && timeout 300 python3 tools/testing/kunit/kunit.py parse \
			--json="$out/tls.json" "$out/tls.txt") >"$out/tls-parse.log" 2>&1 || true
	if [ -s "$out/tls.json" ]; then
		python3 "$TOP/scripts/kunit-cases.py" "$out/tls.json" kselftest-tls >>"$RESULTS/$rfile"
		grep -q "^FAIL kselftest-tls/" "$RESULTS/$rfile" && rc=1
		grep -q "TLS TAP end, exit code 0," "$out/console.log" || rc=1
	else
		result "$rfile" FAIL "kselftest-tls/run"
		rc=1
	fi
	grep -o "TLS TAP end, exit code .*" "$out/console.log" || true
	# No kernel log at all means the guest never got that far: a failure.
	if [ -s "$out/dmesg.txt" ] && "$TOP/scripts/scan-log.sh" "$out/dmesg.txt"; then
		result "$rfile" PASS "kselftest/kernel-log-clean"
	else
		result "$rfile" FAIL "kselftest/kernel-log-clean"
		rc=1
	fi
	grep -E "^(not )?ok " "$out/tap.txt" || true
	grep -cE "^ok " "$out/tls.txt" | sed 's/$/ tls cases passed/' || true
	grep -E "^not ok " "$out/tls.txt" || true
	return $rc
}

rc=0
step "boot the qemu kernel and run the kselftest" run || rc=$?
note "console log: $out/console.log (TAP: $out/tap.txt, kernel log: $out/dmesg.txt)"
exit $rc
