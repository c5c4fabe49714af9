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
