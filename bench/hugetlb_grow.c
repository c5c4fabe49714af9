// SPDX-License-Identifier: GPL-2.0
/*
 * The hugetlb half of make bench: the init of an x86_64 guest (static,
 * PID 1 of an initramfs) that times growing and shrinking the hugetlb
 * pool through the files an administrator writes, then restarts (QEMU
 * runs it with -no-reboot, so that ends the guest).
 *
 * Per repetition, each from an empty pool:
 *   hugetlb_grow_2M     0 -> N 2 MiB pages (/proc/sys/vm/nr_hugepages):
 *                       alloc_buddy_hugetlb_folio(), N times
 *   hugetlb_shrink_2M   N -> 0: N folios back to the buddy allocator
 *   hugetlb_grow_1G_cma 0 -> 1 1 GiB page, from the hugetlb_cma= area
 *   hugetlb_grow_1G_contig 1 -> 2: the CMA area is full, so the page comes
 *                       from the contiguous allocator (alloc_contig_pages(),
 *                       on the series alloc_contig_frozen_pages())
 *   hugetlb_shrink_1G   2 -> 0: one page back to CMA, one to the buddy
 * Each prints "frozen_bench: bench=NAME rep=R ops=PAGES ns=NS bytes=0", the
 * format of the in-kernel benchmarks (ns/op is the time per huge page),
 * and each step checks what the pool holds afterwards, read back from the
 * same file and free_hugepages, and for 1 GiB pages where the page came
 * from or went to: CmaFree in /proc/meminfo moves by 1 GiB in the CMA
 * steps and not at all in the contiguous one ("frozen_bench: check=NAME
 * ok=1|0 ...").  The area must be the 1 GiB the command line asks for.
 * The parameters come from the kernel command line, as environment
 * variables of init: bench_reps (default 10), bench_pages (N, default
 * 512) and bench_tag (a suffix for the names: the runner boots once more
 * under QEMU's -icount, where the clock counts guest instructions, and
 * tags those "_insns").
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

#define NR_2M "/proc/sys/vm/nr_hugepages"
#define FREE_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
#define NR_1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"
#define FREE_1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages"

#define GIB_KB (1024L * 1024)

static long read_long(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* Write @val to @path and return the nanoseconds the write() took. */
/* A /proc/meminfo field, in kB; -1 if it is not there. */
static long meminfo(const char *field)
{
	char line[128];
	size_t len = strlen(field);
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

static long long timed_write(const char *path, long val)
{
	struct timespec a, b;
	char buf[32];
	int fd = open(path, O_WRONLY), len;

	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%ld\n", val);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (write(fd, buf, len) != len) {
		close(fd);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	close(fd);
	return (b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec;
}

static int failed;
static const char *tag = "";

#define NO_CMA_CHECK LONG_MIN

/*
 * One step: set the pool at @nr to @to, time it, and check that it holds
 * @to pages, all free, and that CmaFree moved by @cma_kb (unless
 * NO_CMA_CHECK).  @ops is the number of pages the step moves.
 */
static void step(const char *name, int rep, const char *nr, const char *free_,
		 long to, long ops, long cma_kb)
{
	long cma = meminfo("CmaFree");
	long long ns = timed_write(nr, to);
	long have = read_long(nr), avail = read_long(free_);
	long cma_moved = meminfo("CmaFree") - cma;
	int ok = ns >= 0 && have == to && avail == to &&
		 (cma_kb == NO_CMA_CHECK || cma_moved == cma_kb);

	if (ns >= 0)
		printf("frozen_bench: bench=%s%s rep=%d ops=%ld ns=%lld bytes=0\n",
		       name, tag, rep, ops, ns);
	if (!ok || rep == 0)
		printf("frozen_bench: check=%s ok=%d rep=%d want=%ld nr=%ld free=%ld cma_free_moved_kb=%ld%s\n",
		       name, ok, rep, to, have, avail, cma_moved,
		       ns < 0 ? " write-failed" : "");
	failed |= !ok;
	fflush(stdout);
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 10) : def;
}

int main(void)
{
	long reps = env_long("bench_reps", 10), pages = env_long("bench_pages", 512);
	int r;

	/* It mounts and restarts: never anywhere but as a guest's init. */
	if (getpid() != 1) {
		fprintf(stderr, "hugetlb_grow: runs as init (PID 1) of a guest only\n");
		return 1;
	}
	if (getenv("bench_tag"))
		tag = getenv("bench_tag");
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	printf("frozen_bench: start hugetlb reps=%ld pages=%ld\n", reps, pages);
	if (access(NR_1G, W_OK))
		printf("frozen_bench: check=hugetlb_1G ok=0 no 1 GiB pages (-cpu with pdpe1gb?)\n");
	if (meminfo("CmaTotal") != GIB_KB)
		printf("frozen_bench: check=hugetlb_cma ok=0 CmaTotal %ld kB, want %ld (hugetlb_cma=1G?)\n",
		       meminfo("CmaTotal"), GIB_KB);
	for (r = 0; r < reps; r++) {
		/* 2 MiB pages may come from CMA pageblocks too: not checked. */
		step("hugetlb_grow_2M", r, NR_2M, FREE_2M, pages, pages, NO_CMA_CHECK);
		step("hugetlb_shrink_2M", r, NR_2M, FREE_2M, 0, pages, NO_CMA_CHECK);
		step("hugetlb_grow_1G_cma", r, NR_1G, FREE_1G, 1, 1, -GIB_KB);
		step("hugetlb_grow_1G_contig", r, NR_1G, FREE_1G, 2, 1, 0);
		step("hugetlb_shrink_1G", r, NR_1G, FREE_1G, 0, 2, GIB_KB);
	}
	/* A failed check printed ok=0 above: the runner fails on that. */
	printf("frozen_bench: done%s\n", failed ? " (checks failed)" : "");
	fflush(stdout);
	sync();
	/*
	 * A restart, which QEMU's -no-reboot turns into an exit: power-off
	 * needs ACPI, which a guest without PCI does not get.
	 */
	reboot(RB_AUTOBOOT);
	return 0;
}
