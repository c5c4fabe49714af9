#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the userspace of `make regress` once, statically, from the series'
# worktree ($REGRESS/src-series, made by scripts/regress-build.sh series),
# against its exported UAPI headers, into $REGRESS/selftests:
#   net/tls  tools/testing/selftests/net/tls.c.  The same binary runs on both
#            kernels: tls.c does not compile as shipped in the base (patch 1
#            of the series fixes it), and the fix touches only the test.
#   mm/      tools/testing/selftests/mm (make -k: a test that does not
#            compile is named and left out; run_vmtests.sh then fails it on
#            both kernels) with its scripts.
# Usage: scripts/regress-selftests.sh [tls|mm]...
. "$(dirname "$0")/lib.sh"
REGRESS=${FP_REGRESS:-$WORK/regress}
src=$REGRESS/src-series
st=$REGRESS/selftests
hdr=$REGRESS/headers
what=${*:-tls mm}
[ -e "$src/.git" ] || die "no worktree $src: scripts/regress-build.sh series makes it"
"$TOP/scripts/deps.sh" build kselftest regress
mkdir -p "$st"
if [ ! -f "$hdr/.commit" ] || [ "$(cat "$hdr/.commit")" != "$(git -C "$src" rev-parse HEAD)" ]; then
	rm -rf "$hdr"
	nice -n 19 make -s -C "$src" O="$hdr/build" ARCH=x86_64 headers_install \
		INSTALL_HDR_PATH="$hdr" >/dev/null || die "headers_install failed in $src"
	git -C "$src" rev-parse HEAD >"$hdr/.commit"
fi
rc=0
for w in $what; do
	case $w in
	tls)
		mkdir -p "$st/net"
		rm -f "$st/net/tls"
		nice -n 19 gcc -static -O2 -Wall -isystem "$hdr/include" \
			-I "$src/tools/testing/selftests" -o "$st/net/tls" \
			"$src/tools/testing/selftests/net/tls.c" -lpthread >"$st/tls-build.log" 2>&1 || {
			cat "$st/tls-build.log"
			echo "error: the tls selftest does not build (suite tls; log $st/tls-build.log)" >&2
			rc=1
		} ;;
	mm)
		rm -rf "$st/mm"
		mkdir -p "$st/mm"
		nice -n 19 make -k -s -C "$src/tools/testing/selftests/mm" -j"${REGRESS_JOBS:-2}" \
			OUTPUT="$st/mm" KHDR_INCLUDES="-isystem $hdr/include" \
			EXTRA_CFLAGS=-static LDFLAGS=-static >"$st/mm-build.log" 2>&1 || {
			bad=$(sed -n 's/^make\(\[[0-9]*\]\)\{0,1\}: \*\*\* \[.*: .*\/\([^/]*\)\] Error .*/\2/p' "$st/mm-build.log" | sort -u | xargs)
			echo "warning: mm selftests that do not build (they fail in both kernels): ${bad:-see $st/mm-build.log}" >&2
		}
		cp "$src"/tools/testing/selftests/mm/*.sh "$st/mm/"
		[ -x "$st/mm/run_vmtests.sh" ] || { echo "error: no run_vmtests.sh (suite mm)" >&2; rc=1; } ;;
	*) die "regress-selftests.sh: unknown '$w' (tls, mm)" ;;
	esac
done
exit $rc
