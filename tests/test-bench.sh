# SPDX-License-Identifier: GPL-2.0
# Tests of make bench's table (scripts/bench-table.py) on made-up logs.

# bench_log FILE NAME NS...: one repetition line per NS, 1000 ops each.
bench_log() {
	local f=$1 name=$2 r=0 ns
	shift 2
	for ns in "$@"; do
		echo "[    1.0] frozen_bench: bench=$name rep=$r ops=1000 ns=$ns bytes=0" >>"$f"
		r=$((r + 1))
	done
}

t_bench_table_medians_and_pairwise_ratios() {
	local d=$T/bench
	mkdir -p "$d"
	echo "date: test" >"$d/meta.txt"
	# Base boots: medians 100 and 200 ns/op; series: 90 and 220.
	bench_log "$d/boot-1-base.log" slab_life_512B 100000 100000 500000
	bench_log "$d/boot-2-base.log" slab_life_512B 200000 200000 1
	bench_log "$d/boot-1-series.log" slab_life_512B 90000 90000 90000
	bench_log "$d/boot-2-series.log" slab_life_512B 220000 220000 220000
	# The frozen pair in the series boots: 50 against 100 ns/op.
	bench_log "$d/boot-1-series.log" page_alloc_o0 100000 100000 100000
	bench_log "$d/boot-1-series.log" frozen_alloc_o0 50000 50000 50000
	bench_log "$d/boot-1-base.log" page_alloc_o0 100000 100000 100000
	bench_log "$d/boot-1-base.log" page_alloc_again_o0 1 1 1
	expect_ok python3 "$S/bench-table.py" "$d"
	# All base reps: 1e-3 100 100 200 200 500 -> 150; series: 90 x3, 220 x3 -> 155.
	expect_out "| 150.0 | 155.0 | 1.033 | 0.900-1.100 | <= 0.97: **missed** |"
	expect_out "| 0 | 100.0 | 50.00 | 0.500 | 0.500-0.500 | <= 0.95: **met** |"
	grep -q page_alloc_again <<<"$out" && fail "the base's second allocator pass is tabulated"
	# The goals table: the missed goal says what it would take.
	expect_out "| slab page lifecycle <= 0.97x base | 1.033 (\`slab_life_512B\`, missed) | **missed** | UML 6.12 is uniprocessor"
	expect_out "| frozen allocator pair <= 0.95x the refcounted pair | 0.500 (order 0) | met | - |"
	return 0
}

t_bench_table_throughput_in_mb_per_s() {
	local d=$T/bench
	mkdir -p "$d"
	# 1e9 bytes in 1 s is 1000 MB/s; 2 s is 500 MB/s.
	echo "frozen_bench: bench=net_tcp_b rep=0 ops=1 ns=1000000000 bytes=1000000000" >"$d/boot-1-base.log"
	echo "frozen_bench: bench=net_tcp_b rep=0 ops=1 ns=2000000000 bytes=1000000000" >"$d/boot-1-series.log"
	expect_ok python3 "$S/bench-table.py" "$d"
	expect_out "| MB/s | 1000.0 | 500.0 | 0.500 | 0.500-0.500 | >= 0.90: **missed** |"
}

t_bench_csv_has_every_repetition() {
	local d=$T/bench
	mkdir -p "$d"
	bench_log "$d/boot-1-base.log" kmalloc_8193 100000 200000
	bench_log "$d/boot-1-series.log" kmalloc_8193 90000 90000
	echo "frozen_bench: bench=net_tcp_a rep=0 ops=1 ns=1000000000 bytes=1000000000" >>"$d/boot-1-series.log"
	expect_ok python3 "$S/bench-table.py" "$d" --csv "$T/b.csv"
	[ "$(head -1 "$T/b.csv")" = side,boot,benchmark,repetition,value,unit ] || fail "header: $(head -1 "$T/b.csv")"
	grep -qx 'base,1,kmalloc_8193,1,200,ns/op' "$T/b.csv" || fail "no base rep 1: $(cat "$T/b.csv")"
	grep -qx 'series,1,net_tcp_a,0,1000,MB/s' "$T/b.csv" || fail "no MB/s row: $(cat "$T/b.csv")"
	[ "$(wc -l <"$T/b.csv")" = 6 ] || fail "$(wc -l <"$T/b.csv") lines, want 6"
}

# smoke_log FILE: one repetition of every benchmark and a check, as a series boot prints them.
smoke_log() {
	local n
	for n in atomic_locked_dec atomic_unlocked_dec page_alloc_o{0,1,3,9} frozen_alloc_o{0,1,3,9} \
		 slab_life_512B slab_life_4096B kmalloc_{8193,32768,262144,2097152} \
		 get_put_page folio_get_put tmpfs_read net_{tcp,tls}_{a,b} net_tcp_c; do
		bench_log "$1" "$n" 1000
	done
	echo "frozen_bench: check=slab_life_512B ok=1 slabs=256" >>"$1"
}

t_bench_smoke_parses_a_good_boot() {
	smoke_log "$T/boot.log"
	expect_ok python3 "$S/bench-table.py" --smoke "$T/boot.log"
	expect_out "ok: 24 repetitions of 24 benchmarks, 1 checks"
}

t_bench_smoke_fails_on_a_missing_benchmark_or_check() {
	smoke_log "$T/boot.log"
	grep -v net_tls_b "$T/boot.log" >"$T/short.log"
	expect_fail python3 "$S/bench-table.py" --smoke "$T/short.log"
	expect_out "benchmark missing: net_tls_b"
	echo "frozen_bench: check=net_tcp_b ok=0 short" >>"$T/boot.log"
	expect_fail python3 "$S/bench-table.py" --smoke "$T/boot.log"
	expect_out "check failed: net_tcp_b"
	echo "frozen_bench: bench=kmalloc_8193 rep=x" >"$T/bad.log"
	smoke_log "$T/bad.log"
	expect_fail python3 "$S/bench-table.py" --smoke "$T/bad.log"
	expect_out "malformed line"
}

t_bench_plot_writes_an_svg() {
	local d=$T/bench
	mkdir -p "$d" "$T/bin"
	# A stand-in for gnuplot (make check does not install it): the SVG
	# says which script drew it.
	# shellcheck disable=SC2016 # expanded by the stand-in
	printf '#!/bin/sh\necho "<svg $1" >"$(sed -n "s/^set output \\"\\(.*\\)\\"$/\\1/p" "$1")"\n' >"$T/bin/gnuplot"
	chmod +x "$T/bin/gnuplot"
	PATH=$T/bin:$PATH
	bench_log "$d/boot-1-base.log" slab_life_512B 100000
	bench_log "$d/boot-1-series.log" slab_life_512B 90000
	expect_ok python3 "$S/bench-table.py" "$d" --plot "$T/b.svg"
	grep -qx "<svg $T/b.gp" "$T/b.svg" || fail "no SVG written"
	grep -q '"slab_life_512B" 0.9000 0.9000 0.9000 0.97' "$T/b.gp" || fail "plot data: $(cat "$T/b.gp")"
}

t_bench_table_merges_the_x86_hugetlb_boots() {
	local d=$T/bench
	mkdir -p "$d"
	bench_log "$d/boot-1-base.log" slab_life_512B 100000
	bench_log "$d/boot-1-series.log" slab_life_512B 90000
	# Boot 1 of each side: its UML log and its x86 log; boot 2 x86 only.
	bench_log "$d/x86-1-base.log" hugetlb_grow_2M 400000 400000
	bench_log "$d/x86-1-series.log" hugetlb_grow_2M 300000 300000
	bench_log "$d/x86-2-base.log" hugetlb_grow_2M 400000
	bench_log "$d/x86-2-series.log" hugetlb_grow_2M 500000
	# The -icount boots: guest instructions.
	bench_log "$d/x86i-1-base.log" hugetlb_grow_2M_insns 2000000
	bench_log "$d/x86i-1-series.log" hugetlb_grow_2M_insns 1900000
	expect_ok python3 "$S/bench-table.py" "$d"
	expect_out "(\`slab_life_512B\`) | ns/op | 100.0 | 90.00 | 0.900 | 0.900-0.900 |"
	# Medians: base 400; series 300 300 500 -> 300.  Pairwise: 0.75, 1.25.
	expect_out "(\`hugetlb_grow_2M\`) | ns/op | 400.0 | 300.0 | 0.750 | 0.750-1.250 | - |"
	expect_out "guest instructions) (\`hugetlb_grow_2M_insns\`) | insns/op | 2000.0 | 1900.0 | 0.950 |"
}

t_bench_table_without_goals_prints_no_goals_table() {
	local d=$T/bench
	mkdir -p "$d"
	bench_log "$d/x86-1-base.log" hugetlb_shrink_1G 1000
	bench_log "$d/x86-1-series.log" hugetlb_shrink_1G 1000
	expect_ok python3 "$S/bench-table.py" "$d"
	expect_out "| 1.000 | 1.000-1.000 | - |"
	grep -q "goals of issue 13" <<<"$out" && fail "an empty goals table is printed"
	return 0
}

t_bench_hugetlb_init_builds_and_runs_only_as_init() {
	expect_ok gcc -static -O2 -Wall -Werror -o "$T/init" "$TOP/bench/hugetlb_grow.c"
	# Outside a guest it must refuse.  Run unprivileged, so that a broken
	# guard could neither mount over /proc nor restart the machine.
	expect_fail setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$T/init"
	expect_out "runs as init (PID 1) of a guest only"
}
