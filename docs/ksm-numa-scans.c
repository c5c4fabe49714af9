// SPDX-License-Identifier: GPL-2.0
/*
 * Why `ksm_tests -N -m 1` (mm selftests, category ksm_numa) fails more
 * often on one kernel than on the other under TCG: the steps of that test
 * (two equal pages on two NUMA nodes, merge_across_nodes=1, madvise the
 * first, two full ksmd scans, madvise the second, two full scans), done N
 * times in one process; when the pair is not merged after the test's two
 * scans, wait two more, then four, and count when it merged, or that it
 * never did.  "never" would mean KSM refused the merge (an extra page
 * reference makes write_protect_page() fail); "after_4" means the test's
 * two-scan window was too short for that round.  Not part of any target:
 * run by hand (README.md, make regress findings, ksm_numa), built with
 * gcc -static -O2 and booted as the only program of a busybox initramfs
 * in the regress kernels, QEMU as scripts/regress-guest.sh starts it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>

static long rd(const char *n)
{
	char p[128], b[64] = "";
	snprintf(p, sizeof(p), "/sys/kernel/mm/ksm/%s", n);
	int fd = open(p, O_RDONLY);
	if (fd < 0) return -1;
	int r = read(fd, b, sizeof(b) - 1);
	close(fd);
	return r > 0 ? atol(b) : -1;
}
static int wr(const char *n, long v)
{
	char p[128], b[32];
	snprintf(p, sizeof(p), "/sys/kernel/mm/ksm/%s", n);
	int fd = open(p, O_WRONLY);
	if (fd < 0) return -1;
	int l = snprintf(b, sizeof(b), "%ld", v);
	int r = write(fd, b, l);
	close(fd);
	return r == l ? 0 : -1;
}
static void scans(int n)
{
	long s0 = rd("full_scans");
	while (rd("full_scans") < s0 + n)
		;
}
static char *onnode(int node)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long mask = 1UL << node;
	if (syscall(SYS_mbind, p, 4096, 2 /* MPOL_BIND */, &mask, 64, 0))
		perror("mbind");
	return p;
}
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 30, i, ok2 = 0, ok4 = 0, ok8 = 0, never = 0;
	for (i = 0; i < n; i++) {
		wr("run", 2);
		wr("merge_across_nodes", 1);
		char *a = onnode(0), *b = onnode(1);
		memset(a, '*', 4096);
		memset(b, '*', 4096);
		madvise(a, 4096, MADV_MERGEABLE);
		wr("run", 1);
		scans(2);
		madvise(b, 4096, MADV_MERGEABLE);
		scans(2);
		long sh = rd("pages_shared"), sg = rd("pages_sharing");
		if (sh == 1 && sg == 1) ok2++;
		else {
			scans(2);
			sh = rd("pages_shared"); sg = rd("pages_sharing");
			if (sh == 1 && sg == 1) ok4++;
			else {
				scans(4);
				sh = rd("pages_shared"); sg = rd("pages_sharing");
				if (sh == 1 && sg == 1) ok8++;
				else never++;
			}
		}
		munmap(a, 4096);
		munmap(b, 4096);
	}
	wr("run", 2);
	printf("ksmdiag: runs=%d merged_after_2=%d after_4=%d after_8=%d never=%d\n", n, ok2, ok4, ok8, never);
	return 0;
}
