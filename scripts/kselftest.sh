#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the kselftests the series adds in a QEMU x86_64 guest (TCG): the
# QEMU test kernel of scripts/kunit.sh, booted with kunit.enable=0 from an
# initramfs holding busybox and the tests built statically.  Records each
# TAP result (parsed by the tree's kunit.py) in $RESULTS/kselftest.txt, and
# fails on any failed case, a test that does not build or exits non-zero,
# and any WARN/BUG/KASAN report in the guest's kernel log (scan-log.sh).
# Besides the series' own, the boot runs a subset of the upstream kTLS
# selftest tools/testing/selftests/net/tls over loopback: one cipher per TLS
# version ($KSELFTEST_TLS_ARGS, default AES-GCM-128 for TLS 1.2 and 1.3),
# less the rekey cases, which need kernel support 6.12 lacks, and the
# multi-process cases, too slow for the harness's timeout under TCG; the
# whole file is make regress's business.
# KSELFTEST_KERNEL: boot that bzImage instead of building the QEMU kernel.
# KSELFTEST_PRESENT_ONLY=1: leave out, and name, the tests the tree lacks.
. "$(dirname "$0")/lib.sh"
need_tree

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
# "name|sources below tools/testing/selftests|arguments", one test a line;
# each runs in /tmp.
sel=tools/testing/selftests
tests=(
	"frozen_sendpage|net/frozen_sendpage.c|/tmp"
	"test_kmem_large|cgroup/test_kmem_large.c cgroup/cgroup_util.c|"
	"tls|net/tls.c|$tls_args"
)
# KSELFTEST_PRESENT_ONLY=1 (make net-steps, at steps before the series
# adds a test): run the tests whose source the tree has, name the others.
present=()
for t in "${tests[@]}"; do
	IFS='|' read -r _ srcs _ <<<"$t"
	src=${srcs%% *}
	if [ -f "$TREE/$sel/$src" ]; then
		present+=("$t")
	elif [ "${KSELFTEST_PRESENT_ONLY:-0}" = 1 ]; then
		echo "kselftest: $sel/$src is not in this tree: not run"
	else
		die "$TREE has no $sel/$src: the series adds it; is the work tree up to date (make tree)?"
	fi
done
tests=("${present[@]}")
"$TOP/scripts/deps.sh" qemu kselftest
if [ -n "${KSELFTEST_KERNEL:-}" ]; then
	kernel=$KSELFTEST_KERNEL
else
	"$TOP/scripts/kunit.sh" --build-only qemu || exit
	kernel=$BUILD/qemu/arch/x86/boot/bzImage
fi
out=$BUILD/kselftest
rfile=kselftest.txt
rm -rf "$out" "$RESULTS/$rfile"
mkdir -p "$out/root/bin" "$out/root/dev" "$out/root/proc" "$out/root/sys" \
	"$out/root/tmp" "$RESULTS"

# A test that does not build is a failure; the others still run.
built=()
declare -A args
for t in "${tests[@]}"; do
	IFS='|' read -r name srcs a <<<"$t"
	args[$name]=$a
	# shellcheck disable=SC2046,SC2086 # srcs is a list of paths
	if step "build $name (static)" gcc -static -O2 -Wall -I"$TREE/$sel" \
		-o "$out/root/bin/$name" $(printf "$TREE/$sel/%s " $srcs); then
		built+=("$name")
	else
		result "$rfile" FAIL "kselftest/$name/build"
	fi
done
file -L /bin/busybox 2>/dev/null | grep -q "statically linked" ||
	LC_ALL=C ldd /bin/busybox 2>&1 | grep -q "not a dynamic executable" ||
	die "/bin/busybox is dynamically linked: install busybox-static (it replaces busybox)"
cp /bin/busybox "$out/root/bin/busybox"
# The guest runs each test, then prints each TAP output and the whole
# kernel log between markers, with the console quiet meanwhile so that the
# two do not mix.
{
	cat <<'EOF'
#!/bin/busybox sh
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox mount -t devtmpfs dev /dev
busybox mount -t cgroup2 cgroup2 /sys/fs/cgroup
busybox ip link set lo up
cd /tmp
EOF
	for name in "${built[@]}"; do
		echo "t0=\$(busybox date +%s)"
		echo "/bin/$name ${args[$name]} >/tmp/$name.tap 2>&1; echo \$? >/tmp/$name.rc"
		echo "echo \$((\$(busybox date +%s) - t0)) >/tmp/$name.time"
	done
	echo "echo 1 >/proc/sys/kernel/printk"
	for name in "${built[@]}"; do
		echo "echo 'frozen-pages: TAP begin $name'"
		echo "busybox cat /tmp/$name.tap"
		echo "echo \"frozen-pages: TAP end $name, exit code \$(busybox cat /tmp/$name.rc), \$(busybox cat /tmp/$name.time) s\""
	done
	cat <<'EOF'
echo "frozen-pages: kernel log begin"
busybox dmesg
echo "frozen-pages: kernel log end"
busybox poweroff -f
EOF
} >"$out/root/init"
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

# results NAME: record the cases of test NAME from its TAP output.
results() {
	local name=$1 tap=$out/$1.tap json=$out/$1.json
	section "TAP begin $name" "TAP end $name," >"$tap"
	# kunit.py parse exits non-zero when a case failed: judge by the JSON.
	[ ! -s "$tap" ] ||
		(cd "$TREE" && timeout 300 python3 tools/testing/kunit/kunit.py parse \
			--json="$json" "$tap") >"$out/$name.parse.log" 2>&1 || true
	if [ -s "$json" ]; then
		python3 "$TOP/scripts/kunit-cases.py" "$json" "kselftest/$name" >>"$RESULTS/$rfile"
	else
		result "$rfile" FAIL "kselftest/$name/run"
	fi
	grep -q "TAP end $name, exit code 0," "$out/console.log" ||
		result "$rfile" FAIL "kselftest/$name/exit-code"
	grep -o "TAP end $name, exit code .*" "$out/console.log" || true
	echo "$name: $(grep -cE "^ok " "$tap") passed"
	grep -E "^not ok " "$tap" || true
}

run() {
	local rc=0 name
	boot || { echo "QEMU failed or timed out (exit $?)"; rc=1; }
	section "kernel log begin" "kernel log end" >"$out/dmesg.txt"
	for name in "${built[@]}"; do
		results "$name"
	done
	grep -q "^FAIL" "$RESULTS/$rfile" && rc=1
	# No kernel log at all means the guest never got that far: a failure.
	if [ -s "$out/dmesg.txt" ] && "$TOP/scripts/scan-log.sh" "$out/dmesg.txt"; then
		result "$rfile" PASS "kselftest/kernel-log-clean"
	else
		result "$rfile" FAIL "kselftest/kernel-log-clean"
		rc=1
	fi
	return $rc
}

rc=0
step "boot the qemu kernel and run the kselftests" run || rc=$?
note "console log: $out/console.log (TAP: $out/NAME.tap, kernel log: $out/dmesg.txt)"
exit $rc
