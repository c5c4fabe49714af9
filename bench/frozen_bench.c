// SPDX-License-Identifier: GPL-2.0
/*
 * frozen_bench: the benefit and the cost of the frozen-pages series,
 * measured in a UML kernel, base versus series (`make bench`,
 * scripts/bench.sh).
 *
 * Not part of the series: scripts/bench.sh copies this file into mm/ of a
 * base and of a series work tree and appends "obj-y += frozen_bench.o" to
 * mm/Makefile; the series build gets -DFROZEN_BENCH_SERIES, which compiles
 * the benchmarks of the frozen-page API (mm/internal.h) in.  It is built in,
 * not a loadable module, so that a UML kernel needs no root file system: a
 * late_initcall runs the benchmarks when the command line says
 * frozen_bench.run=1, prints one line per repetition and powers off.
 *
 * Every repetition prints
 *   frozen_bench: bench=NAME rep=R ops=N ns=T bytes=B
 * (ns/op = T/N; bytes/T gives the throughput of the networking benchmarks),
 * and every benchmark prints lines
 *   frozen_bench: check=NAME ok=0|1 ...
 * that say whether what was measured is real (slab pages were allocated and
 * freed, every byte arrived, ...).  There are no timing assertions.
 *
 * With CONFIG_DEBUG_PAGE_REF, the page_ref tracepoints are probed to count
 * the writes to page->_refcount, by page kind, during a slab churn and a
 * mixed run (refs= lines); those kernels are not used for timing.
 */
#define pr_fmt(fmt) "frozen_bench: " fmt

#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/in.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/reboot.h>
#include <linux/rtnetlink.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/sockptr.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tls.h>

#include "internal.h"

static bool run;
module_param(run, bool, 0444);
MODULE_PARM_DESC(run, "run the benchmarks at boot, then power off");

static unsigned int reps = 10;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of each benchmark");

static char *only = "";
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "comma-separated groups: atomic,alloc,slab,kmalloc,getput,pagecache,net,refs (default: all)");

static bool poweroff = true;
module_param(poweroff, bool, 0444);
MODULE_PARM_DESC(poweroff, "power off when done");

#ifdef CONFIG_UML
/*
 * The clock: the host CPU time of the calling host thread, which in UML is
 * the whole kernel (every kernel thread, the receiver of the networking
 * benchmarks included, runs on it).  Wall time counts the time the host
 * gives the pinned CPU to other jobs (a developer's builds share the
 * machine): a repetition preempted by one host time slice came out three
 * times as long.  The thread's CPU clock leaves that out and has
 * nanosecond resolution.  clock_gettime() is the host libc's, which every
 * UML binary links; CLOCK_THREAD_CPUTIME_ID is 3 in the Linux ABI.
 */
struct frozen_bench_host_ts {
	long tv_sec;
	long tv_nsec;
};

int clock_gettime(int clk, struct frozen_bench_host_ts *ts);

static u64 bench_clock(void)
{
	struct frozen_bench_host_ts ts;

	if (clock_gettime(3, &ts))
		return ktime_get_ns();
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}
#else
static u64 bench_clock(void)
{
	return ktime_get_ns();
}
#endif

static bool group_on(const char *group)
{
	const char *p = only;
	size_t len = strlen(group);

	if (!*p)
		return true;
	while (p) {
		if (!strncmp(p, group, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/*
 * printk() is __cold, and GCC infers that a function that calls a cold
 * function on every path is cold too, and so is everything only it calls:
 * it optimizes them for size and moves them to .text.unlikely.  Printing
 * directly, every benchmark was cold, and folio_get() and folio_put() were
 * left out of line in the timed loops.  Printing through a pointer that
 * GCC cannot see through keeps the benchmarks ordinary kernel code.
 */
static int (*bench_printk_fn)(const char *fmt, ...) = _printk;

#define bench_info(fmt, ...) \
	READ_ONCE(bench_printk_fn)(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

static void report(const char *name, unsigned int rep, u64 ops, u64 ns,
		   u64 bytes)
{
	bench_info("bench=%s rep=%u ops=%llu ns=%llu bytes=%llu\n",
		   name, rep, ops, ns, bytes);
}

static void check(const char *name, bool ok, const char *detail)
{
	bench_info("%s=%s ok=%d %s\n", "check", name, ok, detail);
}

/*
 * What an atomic costs here.  UML in 6.12 is uniprocessor only, and a !SMP
 * x86 kernel drops the lock prefix from its atomics (LOCK_PREFIX is empty):
 * the refcount writes the series saves are plain read-modify-write
 * instructions in these kernels, as cheap as any.  On the SMP kernels the
 * series is for, atomic_dec_and_test() and friends are locked.  This times
 * both forms on one cache-hot word, so that the tables can say what the
 * saved writes would cost with the lock prefix (the same code on both sides).
 */
#define ATOMIC_ITERS	SZ_4M

static void bench_atomic(void)
{
#ifdef CONFIG_X86_64
	unsigned int r;
	unsigned long i;
	int v = 0;

	for (r = 0; r < reps; r++) {
		u64 t0 = bench_clock();

		for (i = 0; i < ATOMIC_ITERS; i++)
			asm volatile("lock decl %0" : "+m" (v) : : "memory");
		report("atomic_locked_dec", r, ATOMIC_ITERS, bench_clock() - t0, 0);
		t0 = bench_clock();
		for (i = 0; i < ATOMIC_ITERS; i++)
			asm volatile("decl %0" : "+m" (v) : : "memory");
		report("atomic_unlocked_dec", r, ATOMIC_ITERS, bench_clock() - t0, 0);
	}
	check("atomic", v == -(int)(2 * reps * ATOMIC_ITERS), "");
#endif
}

/*
 * Page allocator: alloc_pages() + __free_pages() versus the frozen pair,
 * in batches of ALLOC_BATCH so that the per-cpu lists see more than one hot
 * page.  Orders 0, 1 and 3 come from the per-cpu lists, order 9 from the
 * buddy lists under the zone lock.
 */
#define ALLOC_BATCH	16

static u64 alloc_round(unsigned int order, unsigned long batches, bool frozen,
		       bool *ok)
{
	struct page *pages[ALLOC_BATCH];
	unsigned long b;
	u64 t0;
	int i;

	t0 = bench_clock();
	for (b = 0; b < batches; b++) {
		for (i = 0; i < ALLOC_BATCH; i++) {
#ifdef FROZEN_BENCH_SERIES
			if (frozen)
				pages[i] = __alloc_frozen_pages(GFP_KERNEL | __GFP_NOWARN,
								order, numa_node_id(),
								NULL);
			else
#endif
				pages[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		}
		for (i = 0; i < ALLOC_BATCH; i++) {
			if (!pages[i]) {
				*ok = false;
				continue;
			}
#ifdef FROZEN_BENCH_SERIES
			if (frozen)
				free_frozen_pages(pages[i], order);
			else
#endif
				__free_pages(pages[i], order);
		}
	}
	return bench_clock() - t0;
}

static void bench_alloc(void)
{
	static const unsigned int orders[] = { 0, 1, 3, 9 };
	unsigned int o, r;
	char name[32];

	for (o = 0; o < ARRAY_SIZE(orders); o++) {
		unsigned int order = orders[o];
		unsigned long batches = order < 9 ? 4096 : 256;
		struct page *page;
		bool ok = true;
		char detail[64];
		int count;

		/* What is measured: a count of 1 versus a count of 0. */
		page = alloc_pages(GFP_KERNEL, order);
		count = page ? page_count(page) : -1;
		if (page)
			__free_pages(page, order);
		snprintf(detail, sizeof(detail), "order=%u refcounted_count=%d",
			 order, count);
		check("alloc_refcounted", count == 1, detail);
#ifdef FROZEN_BENCH_SERIES
		page = __alloc_frozen_pages(GFP_KERNEL, order, numa_node_id(), NULL);
		count = page ? page_count(page) : -1;
		if (page)
			free_frozen_pages(page, order);
		snprintf(detail, sizeof(detail), "order=%u frozen_count=%d",
			 order, count);
		check("alloc_frozen", count == 0, detail);
#endif
		for (r = 0; r < reps; r++) {
			u64 ns;

			/* Alternate within the boot: refcounted, then frozen. */
			ns = alloc_round(order, batches, false, &ok);
			snprintf(name, sizeof(name), "page_alloc_o%u", order);
			report(name, r, batches * ALLOC_BATCH, ns, 0);
			/*
			 * The second run of the repetition: frozen on the
			 * series, refcounted again on the base, so that both
			 * sides run the same sequence.
			 */
			ns = alloc_round(order, batches, true, &ok);
#ifdef FROZEN_BENCH_SERIES
			snprintf(name, sizeof(name), "frozen_alloc_o%u", order);
#else
			snprintf(name, sizeof(name), "page_alloc_again_o%u", order);
#endif
			report(name, r, batches * ALLOC_BATCH, ns, 0);
		}
		snprintf(detail, sizeof(detail), "order=%u", order);
		check("alloc_all_succeeded", ok, detail);
	}
}

/*
 * Slab page lifecycle: a cache of its own (not merged with others), filled
 * with SLAB_ROUND_SLABS slabs, emptied and shrunk, so that every slab is
 * allocated from and freed to the page allocator in each round.  Objects are
 * allocated and freed too (the same work on both sides); the series saves
 * the two refcount writes a slab page costs on the base.  Result: ns per
 * slab (one compound page of the cache's order).
 */
#define SLAB_ROUND_SLABS	256
#define SLAB_ROUNDS		32

/* Slabs touched by the objects in @objs, from their address alone. */
static unsigned long count_slabs(void **objs, unsigned long n,
				 unsigned int order)
{
	unsigned long i, slabs = 0, prev = ULONG_MAX;
	unsigned int shift = PAGE_SHIFT + order;

	/* Buddy blocks are aligned to their size, so are slabs. */
	for (i = 0; i < n; i++) {
		unsigned long base = (unsigned long)objs[i] >> shift;

		if (base != prev)
			slabs++;
		prev = base;
	}
	return slabs;
}

static void bench_slab_size(unsigned int size)
{
	unsigned long per_slab, nobj, i, slabs_seen = 0, pages_in = 0, pages_out = 0;
	unsigned long slab_pages0, slab_pages1;
	struct kmem_cache *cache;
	unsigned int order, r, k;
	void **objs;
	char name[32], detail[160];
	bool ok = true;
	int count;

	cache = kmem_cache_create("frozen_bench_slab", size, 0, SLAB_NO_MERGE, NULL);
	if (!cache) {
		check("slab_cache", false, "kmem_cache_create failed");
		return;
	}
	/* Objects per slab and the slab order, from a first slab. */
	objs = vmalloc(array_size(PAGE_SIZE, sizeof(void *)));
	if (!objs) {
		kmem_cache_destroy(cache);
		return;
	}
	objs[0] = kmem_cache_alloc(cache, GFP_KERNEL);
	if (!objs[0]) {
		vfree(objs);
		kmem_cache_destroy(cache);
		return;
	}
	order = folio_order(virt_to_folio(objs[0]));
	count = folio_ref_count(virt_to_folio(objs[0]));
	per_slab = (PAGE_SIZE << order) / size;
	kmem_cache_free(cache, objs[0]);
	vfree(objs);
	kmem_cache_shrink(cache);

	nobj = per_slab * SLAB_ROUND_SLABS;
	objs = vmalloc(array_size(nobj, sizeof(void *)));
	if (!objs) {
		kmem_cache_destroy(cache);
		return;
	}
	snprintf(detail, sizeof(detail),
		 "size=%u order=%u objs_per_slab=%lu slab_refcount=%d", size, order,
		 per_slab, count);
#ifdef FROZEN_BENCH_SERIES
	check("slab_page_count", count == 0, detail);
#else
	check("slab_page_count", count == 1, detail);
#endif
	snprintf(name, sizeof(name), "slab_life_%uB", size);

	for (r = 0; r < reps; r++) {
		u64 ns = 0, slabs = 0;

		for (k = 0; k < SLAB_ROUNDS; k++) {
			u64 t0;

			slab_pages0 = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
			t0 = bench_clock();
			for (i = 0; i < nobj; i++) {
				objs[i] = kmem_cache_alloc(cache, GFP_KERNEL);
				if (unlikely(!objs[i]))
					break;
			}
			slab_pages1 = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
			while (i--)
				kmem_cache_free(cache, objs[i]);
			kmem_cache_shrink(cache);
			ns += bench_clock() - t0;
			/* Slabs allocated in this round, counted after the clock. */
			slabs += count_slabs(objs, nobj, order);
			pages_in += slab_pages1 - slab_pages0;
			pages_out += slab_pages1 -
				global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
		}
		slabs_seen += slabs;
		report(name, r, slabs, ns, 0);
	}
	/*
	 * The slab pages were really allocated and freed in every round: the
	 * node's slab page count (per-cpu deltas make it approximate) rose
	 * and fell by about the number of slabs the objects lived in.
	 */
	ok = slabs_seen >= (u64)reps * SLAB_ROUNDS * SLAB_ROUND_SLABS &&
	     pages_in * 10 >= slabs_seen * (9 << order) &&
	     pages_out * 10 >= slabs_seen * (9 << order);
	snprintf(detail, sizeof(detail),
		 "size=%u slabs=%lu slab_pages_allocated=%lu slab_pages_freed=%lu pages_per_slab=%u",
		 size, slabs_seen, pages_in, pages_out, 1U << order);
	check("slab_pages_allocated_and_freed", ok, detail);
	vfree(objs);
	kmem_cache_destroy(cache);
}

static void bench_slab(void)
{
	bench_slab_size(512);	/* order-0 slabs of 8 objects */
	bench_slab_size(4096);	/* order-3 slabs of 8 objects */
}

/* Large kmalloc: kmalloc() + kfree() above KMALLOC_MAX_CACHE_SIZE. */
static void bench_kmalloc(void)
{
	static const size_t sizes[] = {
		2 * PAGE_SIZE + 1, SZ_32K, SZ_256K, SZ_2M,
	};
	unsigned int s, r;
	char name[32], detail[96];

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		size_t size = sizes[s];
		unsigned long n = size <= SZ_256K ? SZ_32K : SZ_4K;
		bool ok = true;
		void *p;

		/* Check once, outside the clock, that it is large kmalloc. */
		p = kmalloc(size, GFP_KERNEL);
		ok = p && !folio_test_slab(virt_to_folio(p)) &&
		     folio_size(virt_to_folio(p)) >= size;
		snprintf(detail, sizeof(detail), "size=%zu order=%d count=%d", size,
			 p ? folio_order(virt_to_folio(p)) : -1,
			 p ? folio_ref_count(virt_to_folio(p)) : -1);
		check("kmalloc_large_is_pages", ok, detail);
		kfree(p);
		snprintf(name, sizeof(name), "kmalloc_%zu", size);
		for (r = 0; r < reps; r++) {
			unsigned long i;
			u64 t0 = bench_clock();

			for (i = 0; i < n; i++) {
				p = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
				if (unlikely(!p)) {
					ok = false;
					continue;
				}
				kfree(p);
			}
			report(name, r, n, bench_clock() - t0, 0);
		}
		check("kmalloc_all_succeeded", ok, detail);
	}
}

/*
 * The hot-path cost of the slab check in get_page()/put_page() and
 * folio_get()/folio_put(): pairs on ordinary (refcounted) order-0 pages,
 * GETPUT_PAGES of them in turn.
 */
#define GETPUT_PAGES	16
#define GETPUT_ITERS	SZ_1M

static void bench_getput(void)
{
	struct folio *folios[GETPUT_PAGES];
	unsigned int r;
	unsigned long i;
	bool ok = true;
	int n;

	for (n = 0; n < GETPUT_PAGES; n++) {
		folios[n] = folio_alloc(GFP_KERNEL, 0);
		if (!folios[n])
			break;
	}
	if (n < GETPUT_PAGES) {
		check("getput_pages", false, "allocation failed");
		goto out;
	}
	for (r = 0; r < reps; r++) {
		u64 t0 = bench_clock();

		for (i = 0; i < GETPUT_ITERS; i++) {
			struct page *page = &folios[i % GETPUT_PAGES]->page;

			get_page(page);
			put_page(page);
		}
		report("get_put_page", r, GETPUT_ITERS, bench_clock() - t0, 0);

		t0 = bench_clock();
		for (i = 0; i < GETPUT_ITERS; i++) {
			struct folio *folio = folios[i % GETPUT_PAGES];

			folio_get(folio);
			folio_put(folio);
		}
		report("folio_get_put", r, GETPUT_ITERS, bench_clock() - t0, 0);
	}
	for (i = 0; i < GETPUT_PAGES; i++)
		ok &= folio_ref_count(folios[i]) == 1;
	check("getput_counts_back_to_1", ok, "");
out:
	while (n--)
		folio_put(folios[n]);
}

/*
 * Page cache: kernel_read() of a tmpfs file in 64 KiB chunks; shmem's read
 * takes and drops a folio reference per page (shmem_get_folio(), folio_put()).
 */
#define PC_FILE_SIZE	SZ_8M
#define PC_CHUNK	SZ_64K
#define PC_PASSES	4

static void bench_pagecache(void)
{
	struct file *file;
	unsigned int r, k;
	char detail[64];
	bool ok = true;
	loff_t pos;
	u8 *buf;

	buf = kvmalloc(PC_CHUNK, GFP_KERNEL);
	if (!buf)
		return;
	file = shmem_file_setup("frozen_bench", PC_FILE_SIZE, VM_NORESERVE);
	if (IS_ERR(file)) {
		check("pagecache_file", false, "shmem_file_setup failed");
		kvfree(buf);
		return;
	}
	memset(buf, 0x5a, PC_CHUNK);
	for (pos = 0; pos < PC_FILE_SIZE;)
		if (kernel_write(file, buf, PC_CHUNK, &pos) != PC_CHUNK) {
			ok = false;
			break;
		}
	snprintf(detail, sizeof(detail), "written=%lld", pos);
	check("pagecache_written", ok, detail);
	if (!ok)
		goto out;
	for (r = 0; r < reps; r++) {
		u64 t0, bytes = 0;

		t0 = bench_clock();
		for (k = 0; k < PC_PASSES; k++) {
			ssize_t ret;

			pos = 0;
			do {
				ret = kernel_read(file, buf, PC_CHUNK, &pos);
				if (ret > 0)
					bytes += ret;
			} while (ret > 0);
		}
		report("tmpfs_read", r, bytes >> PAGE_SHIFT, bench_clock() - t0, bytes);
		ok &= bytes == (u64)PC_PASSES * PC_FILE_SIZE;
	}
	ok &= buf[PC_CHUNK - 1] == 0x5a;
	check("pagecache_read_all", ok, "");
out:
	fput(file);
	kvfree(buf);
}

/*
 * Networking: sock_sendmsg() of bvecs over loopback TCP in init_net, with
 * MSG_SPLICE_PAGES, plain and through software kTLS (TLS 1.2, AES-GCM-128,
 * TX only: the receiver drains the records undecrypted, so that the
 * receive side's decryption, the same on both sides, does not dilute the
 * difference on the send side).  A kthread receives; the clock runs from
 * the first send until the receiver saw the end of the stream.
 *
 * Shape "a" (nvme-tcp): a 72-byte kmalloc header and an ordinary 4 KiB page
 * per message.  Shape "b" (XFS log): large kmalloc buffers of 32, 64, 128
 * and 256 KiB in turn, one per message.  Shape "c": the same sizes from
 * the page allocator (folio_alloc()), which a caller that wants its
 * buffers spliced without a copy can use: their pages carry references on
 * both kernels.
 *
 * The series sends each message with one sock_sendmsg() and
 * MSG_SPLICE_PAGES; the stack copies what it cannot splice (the slab
 * header, the frozen large kmalloc pages).  On the base, splicing slab
 * memory WARNs and fails (sendpage_ok()), so the bench does there what a
 * correct caller does (nvme-tcp's sendpages_ok() rule): segments that
 * sendpages_ok() rejects go in a sendmsg() without MSG_SPLICE_PAGES (with
 * MSG_MORE), the others are spliced.  Large kmalloc pages pass
 * sendpage_ok() on the base: they are spliced with page references, which
 * only keep them alive because the bench does not free them while sending.
 */
#define NET_TCP_BYTES	SZ_64M
#define NET_HDR_LEN	72
#define NET_RX_BUF	SZ_64K
#define NET_TIMEOUT	(20 * HZ)
#define NET_MAX_SEGS	4

static const u8 bench_key[TLS_CIPHER_AES_GCM_128_KEY_SIZE] = { 0x42 };

struct net_rx {
	struct socket *sock;
	u64 bytes;
	int err;
	void *buf;
	struct completion done;
};

static int net_rx_fn(void *data)
{
	struct net_rx *rx = data;

	for (;;) {
		struct kvec iov = { .iov_base = rx->buf, .iov_len = NET_RX_BUF };
		struct msghdr msg = {};
		int ret = kernel_recvmsg(rx->sock, &msg, &iov, 1, NET_RX_BUF, 0);

		if (ret <= 0) {
			rx->err = ret;
			break;
		}
		rx->bytes += ret;
	}
	complete(&rx->done);
	return 0;
}

static int net_tls_tx(struct socket *sock)
{
	struct tls12_crypto_info_aes_gcm_128 ci = {
		.info.version = TLS_1_2_VERSION,
		.info.cipher_type = TLS_CIPHER_AES_GCM_128,
	};
	const struct proto_ops *ops = READ_ONCE(sock->ops);
	int ret;

	ret = ops->setsockopt(sock, SOL_TCP, TCP_ULP, KERNEL_SOCKPTR("tls"),
			      sizeof("tls"));
	if (ret)
		return ret;
	memcpy(ci.key, bench_key, sizeof(ci.key));
	/* The ULP replaced the proto_ops. */
	ops = READ_ONCE(sock->ops);
	return ops->setsockopt(sock, SOL_TLS, TLS_TX, KERNEL_SOCKPTR(&ci),
			       sizeof(ci));
}

static int net_sendmsg(struct socket *sock, struct bio_vec *bv,
		       unsigned int nr, size_t len, int flags)
{
	struct msghdr msg = { .msg_flags = flags | MSG_NOSIGNAL };
	int ret;

	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, nr, len);
	ret = sock_sendmsg(sock, &msg);
	return ret == len ? 0 : ret < 0 ? ret : -EIO;
}

/* One message of @nr segments; see above for what differs on the base. */
static int net_send_msg(struct socket *sock, struct bio_vec *bv,
			unsigned int nr, size_t len)
{
#ifdef FROZEN_BENCH_SERIES
	return net_sendmsg(sock, bv, nr, len, MSG_SPLICE_PAGES);
#else
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		int flags = i + 1 < nr ? MSG_MORE : 0;

		if (sendpages_ok(bv[i].bv_page, bv[i].bv_len, bv[i].bv_offset))
			flags |= MSG_SPLICE_PAGES;
		ret = net_sendmsg(sock, &bv[i], 1, bv[i].bv_len, flags);
		if (ret)
			return ret;
	}
	return 0;
#endif
}

struct net_conn {
	struct socket *listener, *client, *server;
};

static void net_close(struct net_conn *c)
{
	if (c->client)
		sock_release(c->client);
	if (c->server)
		sock_release(c->server);
	if (c->listener)
		sock_release(c->listener);
	memset(c, 0, sizeof(*c));
}

static int net_open(struct net_conn *c)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int ret;

	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &c->listener);
	if (!ret)
		ret = kernel_bind(c->listener, (struct sockaddr *)&addr, sizeof(addr));
	if (!ret)
		ret = kernel_listen(c->listener, 1);
	if (!ret)
		ret = kernel_getsockname(c->listener, (struct sockaddr *)&addr) < 0;
	if (!ret)
		ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
				       &c->client);
	if (!ret) {
		c->client->sk->sk_sndtimeo = NET_TIMEOUT;
		ret = kernel_connect(c->client, (struct sockaddr *)&addr,
				     sizeof(addr), 0);
	}
	if (!ret)
		ret = kernel_accept(c->listener, &c->server, 0);
	if (ret) {
		net_close(c);
		return ret;
	}
	c->server->sk->sk_rcvtimeo = NET_TIMEOUT;
	/* As nvme-tcp does: send each message at once. */
	tcp_sock_set_nodelay(c->client->sk);
	return 0;
}

struct net_shape {
	struct bio_vec bv[NET_MAX_SEGS];	/* the messages, in turn */
	unsigned int nr_msgs;
	unsigned int segs;			/* segments a message */
	void *objs[NET_MAX_SEGS];
	struct folio *folios[NET_MAX_SEGS];
	struct page *page;
};

static void net_shape_free(struct net_shape *sh)
{
	unsigned int i;

	for (i = 0; i < NET_MAX_SEGS; i++) {
		kfree(sh->objs[i]);
		if (sh->folios[i])
			folio_put(sh->folios[i]);
	}
	if (sh->page)
		__free_page(sh->page);
}

static int net_shape_init(struct net_shape *sh, char shape)
{
	static const size_t sizes[] = { SZ_32K, SZ_64K, SZ_128K, SZ_256K };
	unsigned int i;

	memset(sh, 0, sizeof(*sh));
	if (shape == 'a') {
		sh->objs[0] = kmalloc(NET_HDR_LEN, GFP_KERNEL);
		sh->page = alloc_page(GFP_KERNEL);
		if (!sh->objs[0] || !sh->page)
			return -ENOMEM;
		memset(sh->objs[0], 0x11, NET_HDR_LEN);
		memset(page_address(sh->page), 0x22, PAGE_SIZE);
		bvec_set_virt(&sh->bv[0], sh->objs[0], NET_HDR_LEN);
		bvec_set_page(&sh->bv[1], sh->page, PAGE_SIZE, 0);
		sh->nr_msgs = 1;
		sh->segs = 2;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (shape == 'c') {
			sh->folios[i] = folio_alloc(GFP_KERNEL, get_order(sizes[i]));
			if (!sh->folios[i])
				return -ENOMEM;
			memset(folio_address(sh->folios[i]), 0x33 + i, sizes[i]);
			bvec_set_folio(&sh->bv[i], sh->folios[i], sizes[i], 0);
			continue;
		}
		sh->objs[i] = kmalloc(sizes[i], GFP_KERNEL);
		if (!sh->objs[i])
			return -ENOMEM;
		memset(sh->objs[i], 0x33 + i, sizes[i]);
		bvec_set_virt(&sh->bv[i], sh->objs[i], sizes[i]);
	}
	sh->nr_msgs = ARRAY_SIZE(sizes);
	sh->segs = 1;
	return 0;
}

/* One repetition: a new connection, @total bytes or a little more. */
static int net_run(struct net_shape *sh, bool tls, u64 total, u64 *ns,
		   u64 *wall, u64 *sent, u64 *received)
{
	struct net_conn c = {};
	struct net_rx rx = {};
	struct task_struct *t;
	unsigned int m = 0;
	u64 t0, w0;
	int ret;

	ret = net_open(&c);
	if (ret)
		return ret;
	if (tls) {
		ret = net_tls_tx(c.client);
		if (ret)
			goto out;
	}
	rx.sock = c.server;
	rx.buf = kvmalloc(NET_RX_BUF, GFP_KERNEL);
	init_completion(&rx.done);
	if (!rx.buf) {
		ret = -ENOMEM;
		goto out;
	}
	t = kthread_run(net_rx_fn, &rx, "frozen_bench_rx");
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		goto out_buf;
	}
	*sent = 0;
	w0 = ktime_get_ns();
	t0 = bench_clock();
	while (*sent < total) {
		struct bio_vec *bv = &sh->bv[m * sh->segs];
		size_t len = 0;
		unsigned int i;

		for (i = 0; i < sh->segs; i++)
			len += bv[i].bv_len;
		ret = net_send_msg(c.client, bv, sh->segs, len);
		if (ret)
			break;
		*sent += len;
		m = (m + 1) % sh->nr_msgs;
	}
	/* The end of the stream tells the receiver it has everything. */
	kernel_sock_shutdown(c.client, SHUT_WR);
	wait_for_completion(&rx.done);
	*ns = bench_clock() - t0;
	*wall = ktime_get_ns() - w0;
	*received = rx.bytes;
	if (!ret && rx.err)
		ret = rx.err;
out_buf:
	kvfree(rx.buf);
out:
	net_close(&c);
	return ret;
}

static int net_loopback_up(void)
{
	struct net_device *dev = init_net.loopback_dev;
	int ret = 0;

	rtnl_lock();
	if (!(dev->flags & IFF_UP))
		ret = dev_change_flags(dev, dev->flags | IFF_UP, NULL);
	rtnl_unlock();
	return ret;
}

static void bench_net_bytes(u64 tcp_bytes, unsigned int nreps)
{
	static const struct {
		const char *name;
		char shape;
		bool tls;
	} modes[] = {
		{ "net_tcp_a", 'a', false },
		{ "net_tcp_b", 'b', false },
		{ "net_tcp_c", 'c', false },
		{ "net_tls_a", 'a', true },
		{ "net_tls_b", 'b', true },
	};
	char detail[128];
	unsigned int i, r;
	int ret;

	ret = net_loopback_up();
	if (ret) {
		check("net_loopback_up", false, "dev_change_flags failed");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		u64 total = modes[i].tls ? tcp_bytes / 4 : tcp_bytes;
		u64 ns = 0, wall = 0, sent = 0, received = 0;
		struct net_shape sh;
		bool ok = true;

		ret = net_shape_init(&sh, modes[i].shape);
		if (ret) {
			net_shape_free(&sh);
			check(modes[i].name, false, "allocation failed");
			continue;
		}
		for (r = 0; r < nreps && ok; r++) {
			ret = net_run(&sh, modes[i].tls, total, &ns, &wall, &sent,
				      &received);
			/*
			 * Every byte arrived: exactly what was sent over TCP,
			 * at least that (plus record headers and tags) over kTLS.
			 */
			ok = !ret && sent >= total &&
			     (modes[i].tls ? received > sent : received == sent);
			if (ok) {
				report(modes[i].name, r, sent, ns, sent);
				/* CPU time should be all of it: UML never idles here. */
				bench_info("wall=%s rep=%u cpu_ns=%llu wall_ns=%llu\n",
					   modes[i].name, r, ns, wall);
			}
		}
		snprintf(detail, sizeof(detail), "ret=%d sent=%llu received=%llu",
			 ret, sent, received);
		check(modes[i].name, ok, detail);
		net_shape_free(&sh);
	}
}

static void bench_net(void)
{
	bench_net_bytes(NET_TCP_BYTES, reps);
}

#ifdef CONFIG_DEBUG_PAGE_REF
#include <trace/events/kmem.h>
#include <trace/events/page_ref.h>

/*
 * Writes to page->_refcount, by page kind, counted by probes on the page_ref
 * tracepoints (CONFIG_DEBUG_PAGE_REF), which fire after every write.
 *
 * The kind must be told the same way on both sides, although on the base a
 * slab page is not typed yet when its count is set at allocation and no
 * longer typed when its count is dropped at free, and a large kmalloc page
 * has no type at all.  So the probes on the kmalloc and kmem_cache_alloc
 * tracepoints mark the pfn of each object's page as slab (or large kmalloc
 * when the page is not a slab), and the mark holds until mm_page_free
 * clears it when the page goes back to the page allocator.  A write to a
 * page typed slab (or large kmalloc, on the series) or marked is counted as
 * such; a count set on an unmarked page counts as "other" until the first
 * object allocated from the page, or the page's free, shows that it was a
 * slab or large kmalloc page, which moves the write to that kind.  Slabs
 * whose objects are only ever allocated in bulk (kmem_cache_alloc_bulk(),
 * which has no tracepoint) stay "other": a small undercount of slab writes
 * in the mixed run, none in the slab churn.
 */
enum { REF_SLAB, REF_LARGE, REF_OTHER, REF_KINDS };

static atomic_long_t ref_counts[REF_KINDS];
static unsigned long *ref_map[REF_KINDS];	/* slab, large, pending */
static unsigned long ref_pfns;
static bool ref_counting;

#define ref_pending_map	ref_map[REF_OTHER]

static int ref_kind(struct page *page)
{
	struct folio *folio = page_folio(page);
	unsigned long pfn = folio_pfn(folio);

	if (folio_test_slab(folio))
		return REF_SLAB;
#ifdef FROZEN_BENCH_SERIES
	if (folio_test_large_kmalloc(folio))
		return REF_LARGE;
#endif
	if (pfn < ref_pfns && test_bit(pfn, ref_map[REF_SLAB]))
		return REF_SLAB;
	if (pfn < ref_pfns && test_bit(pfn, ref_map[REF_LARGE]))
		return REF_LARGE;
	return REF_OTHER;
}

static void ref_write(struct page *page, bool set)
{
	int kind;

	if (!READ_ONCE(ref_counting))
		return;
	kind = ref_kind(page);
	atomic_long_inc(&ref_counts[kind]);
	if (kind == REF_OTHER && set) {
		unsigned long pfn = folio_pfn(page_folio(page));

		if (pfn < ref_pfns)
			set_bit(pfn, ref_pending_map);
	}
}

/* The page at @pfn is known to be of @kind: move a pending write there. */
static void ref_claim(unsigned long pfn, int kind)
{
	if (test_and_clear_bit(pfn, ref_pending_map)) {
		atomic_long_dec(&ref_counts[REF_OTHER]);
		atomic_long_inc(&ref_counts[kind]);
	}
}

static void probe_set(void *data, struct page *page, int v)
{
	ref_write(page, true);
}

static void probe_mod(void *data, struct page *page, int v)
{
	ref_write(page, false);
}

static void probe_mod_ret(void *data, struct page *page, int v, int ret)
{
	ref_write(page, false);
}

/* add_unless and freeze write only when they succeed. */
static void probe_mod_if(void *data, struct page *page, int v, int ret)
{
	if (ret)
		ref_write(page, false);
}

static void ref_obj(const void *ptr)
{
	struct folio *folio;
	unsigned long pfn;
	int kind;

	if (!READ_ONCE(ref_counting) || ZERO_OR_NULL_PTR(ptr))
		return;
	folio = virt_to_folio(ptr);
	pfn = folio_pfn(folio);
	if (pfn >= ref_pfns)
		return;
	kind = folio_test_slab(folio) ? REF_SLAB : REF_LARGE;
	set_bit(pfn, ref_map[kind]);
	ref_claim(pfn, kind);
}

static void probe_kmalloc(void *data, unsigned long call_site, const void *ptr,
			  size_t bytes_req, size_t bytes_alloc, gfp_t gfp,
			  int node)
{
	ref_obj(ptr);
}

static void probe_cache_alloc(void *data, unsigned long call_site,
			      const void *ptr, struct kmem_cache *s, gfp_t gfp,
			      int node)
{
	ref_obj(ptr);
}

static void probe_page_free(void *data, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), i;

	if (!READ_ONCE(ref_counting) || pfn + (1UL << order) > ref_pfns)
		return;
	if (test_bit(pfn, ref_map[REF_SLAB]))
		ref_claim(pfn, REF_SLAB);
	else if (test_bit(pfn, ref_map[REF_LARGE]))
		ref_claim(pfn, REF_LARGE);
	for (i = pfn; i < pfn + (1UL << order); i++) {
		clear_bit(i, ref_map[REF_SLAB]);
		clear_bit(i, ref_map[REF_LARGE]);
		clear_bit(i, ref_pending_map);
	}
}

static int ref_register(void)
{
	int ret, k;

	ref_pfns = max_pfn + 1;
	for (k = 0; k < REF_KINDS; k++) {
		ref_map[k] = bitmap_zalloc(ref_pfns, GFP_KERNEL);
		if (!ref_map[k])
			return -ENOMEM;
	}
	ret = register_trace_page_ref_set(probe_set, NULL);
	ret = ret ?: register_trace_page_ref_mod(probe_mod, NULL);
	ret = ret ?: register_trace_page_ref_mod_and_test(probe_mod_ret, NULL);
	ret = ret ?: register_trace_page_ref_mod_and_return(probe_mod_ret, NULL);
	ret = ret ?: register_trace_page_ref_mod_unless(probe_mod_if, NULL);
	ret = ret ?: register_trace_page_ref_freeze(probe_mod_if, NULL);
	ret = ret ?: register_trace_page_ref_unfreeze(probe_mod, NULL);
	ret = ret ?: register_trace_kmalloc(probe_kmalloc, NULL);
	ret = ret ?: register_trace_kmem_cache_alloc(probe_cache_alloc, NULL);
	ret = ret ?: register_trace_mm_page_free(probe_page_free, NULL);
	return ret;
}

static void ref_start(void)
{
	int k;

	for (k = 0; k < REF_KINDS; k++)
		atomic_long_set(&ref_counts[k], 0);
	WRITE_ONCE(ref_counting, true);
}

static void ref_stop(const char *run, const char *extra)
{
	WRITE_ONCE(ref_counting, false);
	bench_info("refs=%s slab=%ld large=%ld other=%ld %s\n", run,
		   atomic_long_read(&ref_counts[REF_SLAB]),
		   atomic_long_read(&ref_counts[REF_LARGE]),
		   atomic_long_read(&ref_counts[REF_OTHER]), extra);
}

#define REF_SLABS	256
#define REF_LARGE_ALLOCS	1024

/* Fill REF_SLABS slabs of 512-byte objects, free them all, shrink. */
static unsigned long ref_slab_churn(void)
{
	struct kmem_cache *cache;
	unsigned long nobj, i, slabs;
	unsigned int order;
	void **objs;

	cache = kmem_cache_create("frozen_bench_refs", 512, 0, SLAB_NO_MERGE, NULL);
	if (!cache)
		return 0;
	nobj = (PAGE_SIZE / 512) * REF_SLABS;
	objs = vmalloc(array_size(nobj, sizeof(void *)));
	if (!objs) {
		kmem_cache_destroy(cache);
		return 0;
	}
	for (i = 0; i < nobj; i++) {
		objs[i] = kmem_cache_alloc(cache, GFP_KERNEL);
		if (!objs[i])
			break;
	}
	nobj = i;
	order = nobj ? folio_order(virt_to_folio(objs[0])) : 0;
	while (i--)
		kmem_cache_free(cache, objs[i]);
	kmem_cache_shrink(cache);
	slabs = count_slabs(objs, nobj, order);
	vfree(objs);
	kmem_cache_destroy(cache);
	return slabs;
}

static unsigned long ref_large_churn(void)
{
	unsigned long i, n = 0;

	for (i = 0; i < REF_LARGE_ALLOCS; i++) {
		void *p = kmalloc(SZ_32K, GFP_KERNEL);

		n += !!p;
		kfree(p);
	}
	return n;
}

static void bench_refs(void)
{
	unsigned long slabs, large;
	char extra[96];
	int ret;

	ret = ref_register();
	if (ret) {
		check("refs_probes", false, "registering the probes failed");
		return;
	}
	/* Let the boot's deferred work settle before counting. */
	msleep(100);

	ref_start();
	slabs = ref_slab_churn();
	snprintf(extra, sizeof(extra), "slab_pages=%lu", slabs);
	ref_stop("slab_churn", extra);
	check("refs_slab_churn", slabs >= REF_SLABS, extra);

	ref_start();
	large = ref_large_churn();
	snprintf(extra, sizeof(extra), "large_allocs=%lu", large);
	ref_stop("large_kmalloc_churn", extra);

	/* Mixed: slab churn, large kmalloc, TCP and kTLS, both shapes. */
	ref_start();
	slabs = ref_slab_churn();
	large = ref_large_churn();
	bench_net_bytes(SZ_4M, 1);
	snprintf(extra, sizeof(extra), "slab_pages=%lu large_allocs=%lu", slabs,
		 large);
	ref_stop("mixed", extra);
}
#endif /* CONFIG_DEBUG_PAGE_REF */

/*
 * The benchmarks run in a kthread of their own, not in the __init (hence
 * __cold) initcall, so that nothing they do is only reached from cold code.
 */
static DECLARE_COMPLETION(frozen_bench_done);

static int frozen_bench_main(void *unused)
{
#ifdef FROZEN_BENCH_SERIES
	bench_info("start side=series reps=%u only=%s\n", reps, only);
#else
	bench_info("start side=base reps=%u only=%s\n", reps, only);
#endif
	if (group_on("atomic"))
		bench_atomic();
	if (group_on("alloc"))
		bench_alloc();
	if (group_on("slab"))
		bench_slab();
	if (group_on("kmalloc"))
		bench_kmalloc();
	if (group_on("getput"))
		bench_getput();
	if (group_on("pagecache"))
		bench_pagecache();
	if (group_on("net"))
		bench_net();
#ifdef CONFIG_DEBUG_PAGE_REF
	if (group_on("refs"))
		bench_refs();
#endif
	bench_info("done\n");
	complete(&frozen_bench_done);
	return 0;
}

static int __init frozen_bench_init(void)
{
	struct task_struct *t;

	if (!run)
		return 0;
	t = kthread_run(frozen_bench_main, NULL, "frozen_bench");
	if (IS_ERR(t)) {
		pr_err("cannot start the benchmark thread: %ld\n", PTR_ERR(t));
		return PTR_ERR(t);
	}
	wait_for_completion(&frozen_bench_done);
	if (poweroff)
		kernel_power_off();
	return 0;
}
late_initcall(frozen_bench_init);
