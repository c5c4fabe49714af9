# SPDX-License-Identifier: GPL-2.0
# The per-patch gate's x86_64 compile column (scripts/compile-x86.sh), on a
# fake tree whose Makefile stands in for kbuild's single-object targets.

# A fake base with a kbuild-like Makefile and two C files; w.c has a W=1
# warning already (an unused variable).
make_c_base() {
	local src=$T/basesrc
	git init -q "$src"
	mkdir -p "$src/mm"
	cat >"$src/Makefile" <<'MK'
O ?= .
x86_64_defconfig:
	@mkdir -p $(O) && echo CONFIG_FOO=y >$(O)/.config
olddefconfig prepare:
	@:
%.o: %.c
	@mkdir -p $(dir $(O)/$@) && $(CC) -Wall -Wextra -c $< -o $(O)/$@
MK
	printf 'config FOO\n\tbool "foo"\n' >"$src/Kconfig"
	# checkpatch.pl and kernel-doc that find nothing.
	mkdir -p "$src/scripts"
	echo 'while (<STDIN>) {}' >"$src/scripts/checkpatch.pl"
	echo 'exit 0;' >"$src/scripts/kernel-doc"
	printf 'obj-$(CONFIG_FOO) += ok.o w.o\n' >"$src/mm/Makefile"
	printf 'int ok(int a)\n{\n\treturn a + 1;\n}\n' >"$src/mm/ok.c"
	printf 'int w(int a)\n{\n\tint unused;\n\n\treturn a;\n}\n' >"$src/mm/w.c"
	git -C "$src" add -A
	git -C "$src" commit -q -m "fake base"
	git -C "$src" tag base
	git clone -q --bare "$src" "$FP_BASE_GIT"
	"$S/tree.sh" >/dev/null
	printf 'CONFIG_FOO=y\n' >"$T/x86.config"
	export FP_X86_CONFIG=$T/x86.config FP_CC=gcc
}

# c_commit FILE CONTENT SUBJECT
c_commit() {
	printf '%b' "$2" >"$FP_TREE/$1"
	git -C "$FP_TREE" add -A
	git -C "$FP_TREE" commit -q -s -m "$3" -m "Why: the test says so."
}

t_x86_compile_passes_clean_file() {
	make_c_base
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a + 2;\n}\n' "mm: change ok"
	expect_ok "$S/compile-x86.sh" HEAD
	expect_out "x86_64 W=1: mm/ok.c"
	[ -f "$FP_BUILD/x86-gate/mm/ok.o" ] || fail "no object built"
}

t_x86_compile_fails_on_error() {
	make_c_base
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a +;\n}\n' "mm: break ok"
	expect_fail "$S/compile-x86.sh" HEAD
	expect_out "mm/ok.c: error:"
	expect_out "x86_64 compile failed"
}

t_x86_compile_old_warning_is_not_red() {
	make_c_base
	c_commit mm/w.c 'int w(int a)\n{\n\tint unused;\n\n\treturn a * 2;\n}\n' "mm: change w"
	expect_ok "$S/compile-x86.sh" HEAD
	expect_out "all present at the parent too"
	[ "$(git -C "$FP_TREE" rev-parse HEAD)" = "$(git -C "$FP_TREE" rev-parse series)" ] ||
		fail "left the tree at another commit"
}

t_x86_compile_new_warning_is_red() {
	make_c_base
	c_commit mm/ok.c 'int ok(int a)\n{\n\tint b;\n\n\treturn a;\n}\n' "mm: warn in ok"
	expect_fail "$S/compile-x86.sh" HEAD
	expect_out "new W=1 warnings"
	expect_out "mm/ok.c: warning: unused variable"
}

t_x86_compile_names_file_config_leaves_out() {
	make_c_base
	printf 'obj-$(CONFIG_BAR) += ok.o\n' >"$FP_TREE/mm/Makefile"
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a + 3;\n}\n' "mm: change ok, not built"
	expect_fail "$S/compile-x86.sh" HEAD
	expect_out "not built by the x86-gate config: mm/ok.c (CONFIG_BAR is off)"
}

t_x86_compile_builds_included_file_through_includer() {
	make_c_base
	printf 'static int helper(int a)\n{\n\treturn a - 1;\n}\n' >"$FP_TREE/mm/ok_test.c"
	printf 'int ok(int a)\n{\n\treturn a + 2;\n}\n\n#include "ok_test.c"\n\nint ok2(int a)\n{\n\treturn helper(a);\n}\n' \
		>"$FP_TREE/mm/ok.c"
	git -C "$FP_TREE" add -A
	git -C "$FP_TREE" commit -q -s -m "mm: test ok" -m "Why: the test says so."
	expect_ok "$S/compile-x86.sh" HEAD
	expect_out "x86_64 W=1: mm/ok.c"
	case $out in *ok_test*) fail "compiled the included file on its own: $out" ;; esac
	[ -f "$FP_BUILD/x86-gate/mm/ok.o" ] || fail "no object built"
}

t_gate_table_has_red_x86_cell() {
	make_c_base
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a + 2;\n}\n' "mm: change ok"
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a +;\n}\n' "mm: break ok"
	"$S/export.sh" >/dev/null
	# The UML build and KUnit run are not under test here.
	export FP_GATE_KUNIT=true
	expect_fail "$S/check-series.sh"
	expect_out "1 of 2 patches have a red cell"
	grep -qE '^ +1 .* ok +ok +ok +ok ' <<<"$out" || fail "row 1 not green: $out"
	grep -qE '^ +2 .* ok +ok +FAIL ' <<<"$out" || fail "row 2 has no red x86_64 cell: $out"
	grep -q "FAIL gate/02/x86" "$FP_RESULTS/check-series.txt" || fail "not recorded"
}

# An added file must fall under a MAINTAINERS section other than THE REST
# (checkpatch's own "does MAINTAINERS need updating?" is replaced by this).
t_gate_added_file_needs_a_maintainers_section() {
	make_c_base
	# A get_maintainer.pl that knows one section, for mm/.
	cat >"$FP_TREE/scripts/get_maintainer.pl" <<'PL'
my $f = $ARGV[-1];
print $f =~ m{^mm/} ? "MEMORY MANAGEMENT\nM:\tA <a\@example.org>\n" : "THE REST\nM:\tB <b\@example.org>\n";
PL
	git -C "$FP_TREE" add -A && git -C "$FP_TREE" commit -q -s -m "scripts: fake get_maintainer" -m "Why: the test."
	c_commit mm/new.c 'int new_fn(void)\n{\n\treturn 0;\n}\n' "mm: add new.c"
	mkdir -p "$FP_TREE/orphan"
	c_commit orphan/x.c 'int x_fn(void)\n{\n\treturn 0;\n}\n' "orphan: add x.c"
	"$S/export.sh" >/dev/null
	export FP_GATE_KUNIT=true
	expect_fail "$S/check-series.sh"
	grep -qE '^ +2 .* ok +ok +ok +ok ' <<<"$out" || fail "mm/new.c not accepted: $out"
	grep -qE '^ +3 .* ok +FAIL ' <<<"$out" || fail "orphan/x.c accepted: $out"
	grep -q "orphan/x.c: added, and no MAINTAINERS section but THE REST" "$FP_WORK/gate/3-checkpatch.log" ||
		fail "no reason in the log: $(cat "$FP_WORK/gate/3-checkpatch.log")"
}

# make net-steps: the networking suite under QEMU at every step from the
# one that adds it (scripts/kunit.sh stubbed out: it records its calls).
t_net_steps_runs_from_the_step_that_adds_the_suite() {
	make_c_base
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a + 2;\n}\n' "mm: change ok"
	mkdir -p "$FP_TREE/net"
	c_commit net/Kconfig 'config NET_SENDMSG_SLAB_KUNIT_TEST\n\tbool "t"\n' "net: add the suite"
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a + 3;\n}\n' "mm: change ok again"
	printf '#!/bin/sh\necho "$KUNIT_FILTER $*" >>%s\n[ "$2" != net-step-3 ]\n' "$T/calls" >"$T/kunit"
	chmod +x "$T/kunit"
	export FP_NET_STEPS_KUNIT=$T/kunit FP_NET_STEPS_KSELFTEST=true
	expect_fail "$S/net-steps.sh"
	expect_out "1 steps failed"
	[ "$(cat "$T/calls")" = "$(printf 'sendmsg_slab qemu net-step-2\nsendmsg_slab qemu net-step-3')" ] ||
		fail "kunit.sh calls: $(cat "$T/calls")"
	grep -qE "^ +2  ok +0 ok " <<<"$out" || fail "row 2 not ok: $out"
	grep -qE '^ +3  FAIL ' <<<"$out" || fail "row 3 not red: $out"
	grep -q "FAIL net-steps/03/kunit" "$FP_RESULTS/net-steps.txt" || fail "not recorded"
}

t_net_steps_says_when_no_step_has_the_suite() {
	make_c_base
	c_commit mm/ok.c 'int ok(int a)\n{\n\treturn a + 2;\n}\n' "mm: change ok"
	export FP_NET_STEPS_KUNIT=true
	expect_fail "$S/net-steps.sh"
	expect_out "no commit of the series defines CONFIG_NET_SENDMSG_SLAB_KUNIT_TEST"
}

t_net_steps_refuses_a_first_that_is_not_a_commit() {
	make_c_base
	export FP_NET_STEPS_KUNIT=true
	expect_fail "$S/net-steps.sh" no-such-rev
	expect_out "'no-such-rev' is not a commit of"
}
