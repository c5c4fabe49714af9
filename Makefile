# SPDX-License-Identifier: GPL-2.0
# Front door of the frozen-pages patch queue.  See README.md.
#
#   make              install what is missing, make the work tree, build the
#                     x86_64 test kernel and run the KUnit suites under QEMU
#   make check        the whole test suite (what .ci/run runs)
#   make mail         the series as mails in work/mail/ for git send-email

SHELL := /bin/bash
S := scripts

.PHONY: all deps base tree export export-check kunit kunit-uml kunit-nokasan \
	kunit-alltests \
	kunit-all kselftest check-series net-steps bisect test-scripts check summary \
	cover-letter mail bench regress clean help

all: deps tree kunit

help:
	@sed -n 's/^#   \{0,1\}//p' $(firstword $(MAKEFILE_LIST)) | sed -n '1,/^$$/p'
	@echo "targets: $$(sed -n 's/^\([a-z-]*\):.*/\1/p' $(firstword $(MAKEFILE_LIST)) | tr '\n' ' ')"

deps:
	@$(S)/deps.sh

base: deps
	@$(S)/fetch-base.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

export-check:
	@$(S)/export-check.sh

# KUnit under QEMU x86_64 (TCG) with the debug configs, KASAN included.
kunit: deps
	@$(S)/kunit.sh qemu

kunit-uml: deps
	@$(S)/kunit.sh uml

kunit-nokasan: deps
	@$(S)/kunit.sh qemu-nokasan

# Every suite KUNIT_ALL_TESTS enables, KASAN, panic_on_warn=1 (not in check).
kunit-alltests: deps
	@$(S)/kunit.sh qemu-alltests

kunit-all: kunit kunit-uml kunit-nokasan

# The series' mm kselftest in a QEMU guest booted from an initramfs.
kselftest: deps
	@$(S)/kselftest.sh

check-series: deps
	@$(S)/check-series.sh

# sendmsg_slab under QEMU with KASAN at every step from the one that adds
# it (a KASAN build a step; not in check).
net-steps: deps
	@$(S)/net-steps.sh

# make bisect GOOD=<rev> BAD=<rev> TEST="<command run at the tree's top>"
bisect:
	@$(S)/bisect.sh "$(or $(GOOD),base)" "$(or $(BAD),series)" "$(TEST)"

test-scripts:
	@tests/run.sh

# The whole test suite; ends with "N passed, N failed, N skipped".
check: deps
	@$(S)/check.sh

# Base versus series in UML kernels and, for the hugetlb pool, x86_64 kernels
# under QEMU, alternating boots (not in check); writes
# work/bench/bench.{md,csv,svg}.  BENCH_BOOTS, BENCH_REPS, BENCH_REFS=0,
# BENCH_ONLY (e.g. hugetlb), BENCH_HUGETLB_PAGES.
bench: deps tree
	@$(S)/bench.sh

# The kernel's own suites (net/tls, mm selftests, every KUnit suite under UML)
# on the base and on the series, side by side, and the series under fault
# injection (not in check); writes work/regress/results/verdict.md.
regress: deps tree
	@$(S)/deps.sh regress
	@$(S)/regress.sh

summary:
	@$(S)/summary.sh

cover-letter:
	@$(S)/cover-letter.sh

# The series as mails in work/mail/, from the sender of git config
# user.name/user.email or FP_FROM="Name <addr>"; NO_CC=1: no To:/Cc:.
mail:
	@$(S)/deps.sh base mail
	@FP_NO_CC=$(or $(NO_CC),$(FP_NO_CC),0) $(S)/mail.sh

clean:
	rm -rf work/build work/results work/gate
