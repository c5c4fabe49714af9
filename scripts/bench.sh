#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the measured benefit and cost of the series, base versus
# series, in UML kernels (native code; see README.md,
# "Benchmarks").
#
# Builds two UML kernels with the same production-like config
# (configs/bench.config) from the base and from the series, each with
# bench/frozen_bench.c built into mm/ (the series one with
# -DFROZEN_BENCH_SERIES), then boots them alternately, base, series, base,
# series, ..., pinned to one CPU; each boot runs every benchmark
# BENCH_REPS times and powers off.  What UML cannot run, the hugetlb pool,
# is timed in a pair of x86_64 kernels (configs/bench-x86.config on top)
# under QEMU (TCG, one vCPU, pinned likewise), booted in the same
# alternation, with bench/hugetlb_grow.c as init: growing and shrinking the
# pool by BENCH_HUGETLB_PAGES 2 MiB pages and by two 1 GiB pages, one from
# a hugetlb_cma= area and one from the contiguous allocator; each boot
# twice, timed by the host's clock and in guest instructions (-icount).
# scripts/bench-table.py turns the logs into work/bench/: bench.md (the table), bench.csv (every repetition) and
# bench.svg (the ratios with their spread); the boot logs are in
# work/bench/logs/.  Not in work/results/, which make check empties.
#
# The sources are two detached worktrees of the work tree
# (work/bench/{base,series}-src), never the work tree itself, so the bench
# file and its Makefile line touch nothing anyone edits.
#
# Environment: BENCH_BOOTS (boots per side, default 5), BENCH_REPS
# (repetitions per boot, default 10), BENCH_ONLY (comma-separated groups:
# atomic,alloc,slab,kmalloc,getput,pagecache,net in UML; hugetlb in QEMU),
# BENCH_CPU (host CPU to pin to, default 1), BENCH_MEM (UML memory,
# default 512M), BENCH_REFS (default 1: also build the CONFIG_DEBUG_PAGE_REF
# pair, never timed, and count refcount writes; 0 skips its two builds),
# BENCH_HUGETLB_PAGES (2 MiB pages a hugetlb step, default 512),
# BENCH_SKIP_BUILD=1 (use the kernels already built), BENCH_BUILD_ONLY=1
# (build, do not boot).
#
# scripts/bench.sh --smoke: make check's form.  The series kernel only (its
# build directory is the full run's, so a warm run costs seconds), one boot,
# one repetition of each benchmark; passes when the boot finished without an
# ok=0, WARN or oops and its output parses (bench-table.py --smoke).  No
# timing is judged.  Records "PASS|FAIL bench/smoke" in $RESULTS/bench.txt;
# the boot log is $RESULTS/bench-smoke.log.
. "$(dirname "$0")/lib.sh"
need_tree

BOOTS=${BENCH_BOOTS:-5}
REPS=${BENCH_REPS:-10}
ONLY=${BENCH_ONLY:-}
ONLY=${ONLY// /}
PAGES=${BENCH_HUGETLB_PAGES:-512}
# The x86 pair runs when BENCH_ONLY is unset or names hugetlb; the UML
# kernels when it is unset or names another group.
X86=0 UML=0
case ,$ONLY, in ,, | *,hugetlb,*) X86=1 ;; esac
ONLY=$(echo "$ONLY" | tr , '\n' | grep -vx hugetlb | paste -sd, || true)
if [ -z "${BENCH_ONLY:-}" ] || [ -n "$ONLY" ]; then UML=1; fi
CPU=${BENCH_CPU:-1}
MEM=${BENCH_MEM:-512M}
SRC=$WORK/bench
OUT=$SRC/logs
TIMEOUT=${BENCH_TIMEOUT:-900}

"$TOP/scripts/deps.sh" build
command -v taskset >/dev/null || die "taskset (util-linux) is needed"
[ "$CPU" -lt "$(nproc)" ] || CPU=0

# prepare SIDE REV: the worktree $SRC/SIDE-src at REV plus the bench file.
prepare() {
	local side=$1 rev=$2 src=$SRC/$1-src
	if [ ! -e "$src/.git" ]; then
		mkdir -p "$SRC"
		tgit worktree prune
		tgit worktree add -q --detach "$src" "$rev"
	fi
	# Undo the previous run's Makefile line, then move to REV.
	fpgit -C "$src" checkout -q -- mm/Makefile
	if [ "$(fpgit -C "$src" rev-parse HEAD)" != "$(tgit rev-parse "$rev^{commit}")" ]; then
		fpgit -C "$src" checkout -q --detach "$(tgit rev-parse "$rev^{commit}")"
	fi
	# Copied only when it changed: a new mtime would rebuild and relink.
	cmp -s "$TOP/bench/frozen_bench.c" "$src/mm/frozen_bench.c" ||
		cp "$TOP/bench/frozen_bench.c" "$src/mm/frozen_bench.c"
	{
		echo
		echo "# frozen-pages benchmark (scripts/bench.sh), not part of the tree"
		echo "obj-y += frozen_bench.o"
		[ "$side" = base ] || echo "CFLAGS_frozen_bench.o := -DFROZEN_BENCH_SERIES"
	} >>"$src/mm/Makefile"
}

# config ARCH BUILDDIR SRC FRAGMENT...: .config from the Kconfig defaults
# plus the fragments (as kunit.py does; a later fragment overrides an
# earlier one), checked to hold what the fragments ask.
config() {
	local arch=$1 bdir=$2 src=$3 sym want
	shift 3
	mkdir -p "$bdir"
	cat "$@" >"$bdir/.config"
	make -s -C "$src" ARCH="$arch" O="$bdir" olddefconfig >/dev/null 2>&1
	while read -r sym want; do
		if [ "$want" = n ]; then
			! grep -q "^$sym=" "$bdir/.config" ||
				die "$bdir/.config: $sym is set, the bench config says not"
		else
			grep -qxF "$sym=$want" "$bdir/.config" ||
				die "$bdir/.config: $sym=$want did not stick"
		fi
	done < <(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)/\1 \2/p' \
		     -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1 n/p' "$@" |
		 awk '{ v[$1] = $2; if (!($1 in o)) { o[$1] = n++; k[n - 1] = $1 } }
		      END { for (i = 0; i < n; i++) print k[i], v[k[i]] }')
}

# build SIDE KIND: the kernel of SIDE (base, series) and KIND: time, refs
# (UML) or x86 (x86_64, the hugetlb pair).
build() {
	local side=$1 kind=$2 src=$SRC/$1-src bdir frags=("$TOP/configs/bench.config")
	local arch=um target=
	case $kind in
	refs)	bdir=$BUILD/bench-refs-$side
		frags+=("$TOP/configs/bench-refs.config") ;;
	x86)	bdir=$BUILD/bench-x86-$side arch=x86_64 target=bzImage
		frags+=("$TOP/configs/bench-x86.config") ;;
	*)	bdir=$BUILD/bench-$side ;;
	esac
	config "$arch" "$bdir" "$src" "${frags[@]}"
	use_ccache
	nice -n 10 make -C "$src" ARCH="$arch" O="$bdir" CC="ccache gcc" -j2 ${target:+"$target"} \
		>"$bdir/build.log" 2>&1 || {
		tail -30 "$bdir/build.log"
		echo "build log: $bdir/build.log"
		return 1
	}
}

# initramfs: bench/hugetlb_grow.c, static, as the /init of $SRC/hugetlb.cpio.
initramfs() {
	local d=$SRC/initramfs
	rm -rf "$d" "$SRC/hugetlb.cpio"
	mkdir -p "$d/proc" "$d/sys" "$d/dev"
	gcc -static -O2 -Wall -Werror -o "$d/init" "$TOP/bench/hugetlb_grow.c" ||
		die "bench/hugetlb_grow.c does not build (libc6-dev's libc.a?)"
	(cd "$d" && find . | cpio -o -H newc --quiet) >"$SRC/hugetlb.cpio" ||
		die "cannot make $SRC/hugetlb.cpio"
	rm -rf "$d"
}

# boot KERNEL LOG [ARGS...]: one UML boot, pinned; fails unless it reached
# "done".
boot() {
	local kernel=$1 log=$2
	shift 2
	run_checked "$log" "$kernel" mem="$MEM" console=tty \
		frozen_bench.run=1 frozen_bench.reps="$REPS" \
		${ONLY:+frozen_bench.only=$ONLY} "$@"
}

# boot_x86 KERNEL LOG [QEMU ARGS...]: one QEMU boot of an x86 kernel with the
# hugetlb init, one vCPU, pinned.  8 GiB: RAM above 4 GiB is ZONE_NORMAL
# (gigantic pages are not movable: they come from ZONE_NORMAL or below),
# the 1 GiB CMA area takes its first GiB, and three or four aligned GiBs
# stay free for the contiguous allocator.  nokaslr: the same layout every
# boot; noreplace-smp: the lock prefixes stay, as on an SMP machine.
boot_x86() {
	local kernel=$1 log=$2
	shift 2
	run_checked "$log" qemu-system-x86_64 -nodefaults -accel tcg "$@" -cpu max \
		-smp 1 -m 8G -bios qboot.rom -kernel "$kernel" -initrd "$SRC/hugetlb.cpio" \
		-append "console=ttyS0 hugetlb_cma=1G nokaslr noreplace-smp panic=-1 bench_reps=$REPS bench_pages=$PAGES${tag:+ bench_tag=$tag}" \
		-no-reboot -display none -monitor none -serial stdio
}

# run_checked LOG CMD...: CMD pinned, under the timeout, into LOG; fails
# unless it reached "done" with no failed check, warning or crash.
run_checked() {
	local log=$1
	shift
	timeout "$TIMEOUT" taskset -c "$CPU" "$@" </dev/null >"$log" 2>&1 || true
	grep -q 'frozen_bench: done' "$log" || {
		tail -30 "$log"
		die "boot did not finish: $log"
	}
	if grep -q 'frozen_bench: check=.* ok=0' "$log"; then
		grep 'frozen_bench: check=.* ok=0' "$log" >&2
		die "a benchmark's sanity check failed: $log"
	fi
	if grep -Eq 'WARNING:|BUG:|Oops|Kernel panic' "$log"; then
		grep -E -A5 'WARNING:|BUG:|Oops|Kernel panic' "$log" | head -30 >&2
		die "kernel warning or crash in $log"
	fi
}

load() { echo "$(date -u '+%F %T') load: $(cut -d' ' -f1-3 /proc/loadavg); other compilers running: $(pgrep -c -x 'cc1|cc1plus' || true)"; }

runs() {
	local i side
	rm -rf "$OUT"
	mkdir -p "$OUT"
	{
		echo "date: $(date -u '+%F %T UTC')"
		echo "host: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r)"
		[ $UML = 0 ] || echo "method: UML, pinned to host CPU $CPU (taskset), mem=$MEM; $BOOTS boots per side alternating base/series, $REPS repetitions per benchmark per boot"
		[ $X86 = 0 ] || echo "method (hugetlb_*): x86_64 under QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') (TCG, one vCPU, -cpu max, 8 GiB, hugetlb_cma=1G nokaslr noreplace-smp), pinned to host CPU $CPU, in the same alternation ($BOOTS boots per side, $REPS repetitions per boot; ns/op is per huge page, host time as the guest sees it; insns/op, the *_insns rows, guest instructions counted by -icount shift=0; $PAGES 2 MiB pages a step)"
		echo "base: $(tgit rev-parse --short=12 base) series: $(tgit rev-parse --short=12 "$BRANCH") ($(tgit rev-list --count "base..$BRANCH") patches)"
		echo "before: $(load)"
	} >"$OUT/meta.txt"
	for i in $(seq 1 "$BOOTS"); do
		for side in base series; do
			note "boot $i/$BOOTS: $side"
			[ $UML = 0 ] || boot "$BUILD/bench-$side/linux" "$OUT/boot-$i-$side.log"
			if [ $X86 = 1 ]; then
				# The host's clock, then guest instructions (-icount:
				# one virtual ns an instruction, whatever the load).
				tag='' boot_x86 "$BUILD/bench-x86-$side/arch/x86/boot/bzImage" "$OUT/x86-$i-$side.log"
				tag=_insns boot_x86 "$BUILD/bench-x86-$side/arch/x86/boot/bzImage" "$OUT/x86i-$i-$side.log" \
					-icount shift=0,sleep=off
			fi
			echo "boot $i $side: $(load)" >>"$OUT/meta.txt"
		done
	done
	echo "after: $(load)" >>"$OUT/meta.txt"
}

refs() {
	local side
	for side in base series; do
		boot "$BUILD/bench-refs-$side/linux" "$OUT/refs-$side.log" \
			frozen_bench.only=refs frozen_bench.reps=1
	done
}

smoke_boot() {
	local log=$RESULTS/bench-smoke.log
	mkdir -p "$RESULTS"
	boot "$BUILD/bench-series/linux" "$log"
	python3 "$TOP/scripts/bench-table.py" --smoke "$log"
}

if [ "${1:-}" = --smoke ]; then
	REPS=1 ONLY='' TIMEOUT=${BENCH_TIMEOUT:-300}
	# Any failure below exits (set -e, die): the trap records the outcome.
	trap 'rc=$?; result bench.txt "$([ $rc -eq 0 ] && echo PASS || echo FAIL)" bench/smoke; exit $rc' EXIT
	step "prepare the series source" prepare series "$BRANCH"
	step "build the series UML kernel" build series time
	step "boot it once, one repetition of each benchmark" smoke_boot
	exit 0
fi

"$TOP/scripts/deps.sh" bench
[ $X86 = 0 ] || "$TOP/scripts/deps.sh" qemu kselftest
step "prepare the base source" prepare base base
step "prepare the series source" prepare series "$BRANCH"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
	if [ $UML = 1 ]; then
		step "build the base UML kernel" build base time
		step "build the series UML kernel" build series time
	fi
	if [ $X86 = 1 ]; then
		step "build the base x86_64 kernel" build base x86
		step "build the series x86_64 kernel" build series x86
	fi
	if [ $UML = 1 ] && [ "${BENCH_REFS:-1}" = 1 ]; then
		step "build the base UML kernel with DEBUG_PAGE_REF" build base refs
		step "build the series UML kernel with DEBUG_PAGE_REF" build series refs
	fi
fi
[ $X86 = 0 ] || step "build the hugetlb init" initramfs
[ "${BENCH_BUILD_ONLY:-0}" != 1 ] || exit 0
step "boot base and series alternately ($BOOTS each, $REPS reps)" runs
[ $UML = 0 ] || [ "${BENCH_REFS:-1}" != 1 ] || step "count refcount writes" refs
python3 "$TOP/scripts/bench-table.py" "$OUT" --csv "$SRC/bench.csv" \
	--plot "$SRC/bench.svg" >"$SRC/bench.md"
cat "$SRC/bench.md"
note "table: $SRC/bench.md; every repetition: $SRC/bench.csv; plot: $SRC/bench.svg; logs: $OUT"
