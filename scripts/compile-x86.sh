#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile, for x86_64 and with W=1, the C files a commit touches, in one
# prepared build directory ($BUILD/x86-gate, configs/x86-gate.config on top
# of x86_64_defconfig): NUMA, memory hotplug, memory failure, KFENCE, CMA,
# kTLS offload, Xen netfront, TEE... that the UML kernel leaves out.
# Fails on an error, on a touched file the config does not build, and on a
# warning that the commit's parent does not have (the files are compiled at
# the parent too, only when the commit has warnings).
# Usage: scripts/compile-x86.sh prepare     make the build directory
#        scripts/compile-x86.sh COMMIT      the tree must be at COMMIT
. "$(dirname "$0")/lib.sh"
need_tree
bdir=$BUILD/x86-gate
frag=${FP_X86_CONFIG:-$TOP/configs/x86-gate.config}
use_ccache
kmake() { make -C "$TREE" O="$bdir" ARCH=x86_64 "CC=${FP_CC:-ccache gcc}" -j"$(nproc)" "$@"; }

# configure: the fragment on x86_64_defconfig, again whenever the fragment or
# a Kconfig file changed (a later patch adds the option of its suite).
configure() {
	local stamp=$bdir/.fp-config want
	want=$( (sha256sum <"$frag"; tgit ls-tree -r HEAD | grep Kconfig) | sha256sum)
	[ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || return 0
	mkdir -p "$bdir"
	"$TOP/scripts/kunitconfig.sh" "$frag" >"$bdir/fragment.config"
	kmake -s x86_64_defconfig
	cat "$bdir/fragment.config" >>"$bdir/.config"
	kmake -s olddefconfig >"$bdir/config.log" 2>&1
	# Name what the fragment asked for and the config did not take.
	local line miss=()
	while IFS= read -r line; do
		case $line in CONFIG_*=*)
			grep -qxF "$line" "$bdir/.config" || miss+=("$line") ;;
		esac
	done <"$bdir/fragment.config"
	[ ${#miss[@]} -eq 0 ] || warn "x86-gate config did not take: ${miss[*]}"
	echo "$want" >"$stamp"
}

prepare() { configure; kmake -s prepare; }

# The touched C files that belong to the kernel image (not tools/).
# A .c file that another one #includes (a KUnit suite of static functions,
# included at the end of the file it tests) has no object of its own: it is
# compiled through the file that includes it.
touched() {
	local f inc
	tgit diff-tree --no-commit-id --name-only -r --diff-filter=AM "$1" -- '*.c' |
		grep -Ev '^(tools|scripts|samples|Documentation|usr)/' |
		while IFS= read -r f; do
			inc=$(grep -lxF "#include \"$(basename "$f")\"" "$TREE/$(dirname "$f")"/*.c \
				2>/dev/null | head -1 || true)
			[ -z "$inc" ] || f=$(dirname "$f")/$(basename "$inc")
			echo "$f"
		done | sort -u
}

# compile FILE...: build their objects; print warnings normalised (no line
# or column numbers, so that moved code compares equal).
compile() {
	local objs=() f sym rc=0
	for f in "$@"; do objs+=("${f%.c}.o"); rm -f "$bdir/${f%.c}.o"; done
	kmake W=1 "${objs[@]}" >"$bdir/compile.log" 2>&1 || rc=$?
	cat "$bdir/compile.log" >&2
	for f in "$@"; do
		[ -f "$bdir/${f%.c}.o" ] || { echo "NOTBUILT $f (no object)"; rc=1; }
		sym=$(sed -n -E "s/^obj-\\\$\((CONFIG_[A-Z0-9_]+)\)[[:space:]]*[+:]?=.*[[:space:]]$(basename "${f%.c}")\.o([[:space:]].*)?\$/\1/p" \
			"$TREE/$(dirname "$f")/Makefile" 2>/dev/null | head -1)
		if [ -n "$sym" ] && ! grep -qE "^$sym=[ym]" "$bdir/.config"; then
			echo "NOTBUILT $f ($sym is off)"; rc=1
		fi
	done
	sed -n -E 's/^([^ :]+):[0-9]+:[0-9]+: (warning|error): /\1: \2: /p' "$bdir/compile.log" | sort -u
	return $rc
}

case ${1:-} in
"") die "usage: compile-x86.sh prepare|COMMIT" ;;
prepare) prepare; exit 0 ;;
esac
c=$(tgit rev-parse --verify "$1^{commit}") || die "no such commit: $1"
[ "$(tgit rev-parse HEAD)" = "$c" ] || die "the work tree is not at $1"
prepare
mapfile -t files < <(touched "$c")
if [ ${#files[@]} -eq 0 ]; then
	echo "no C file of the kernel touched"
	exit 0
fi
echo "x86_64 W=1: ${files[*]}"
rc=0
now=$(compile "${files[@]}") || rc=$?
if grep -q '^NOTBUILT' <<<"$now"; then
	sed -n 's/^NOTBUILT /not built by the x86-gate config: /p' <<<"$now"
fi
grep ': error: ' <<<"$now" && rc=1
[ $rc -eq 0 ] || { echo "x86_64 compile failed"; exit 1; }
warned=$(grep ': warning: ' <<<"$now" || true)
[ -n "$warned" ] || { echo "no warnings"; exit 0; }

# Warnings: compare with the parent, compiling the files it has.
old=()
for f in "${files[@]}"; do
	tgit cat-file -e "$c^:$f" 2>/dev/null && old+=("$f")
done
before=
if [ ${#old[@]} -gt 0 ]; then
	tgit checkout -q --detach "$c^"
	before=$(compile "${old[@]}" 2>/dev/null || true)
	tgit checkout -q --detach "$c"
fi
new=$(comm -23 <(echo "$warned") <(grep ': warning: ' <<<"$before" | sort -u))
if [ -n "$new" ]; then
	echo "new W=1 warnings (not at the parent):"
	echo "$new"
	exit 1
fi
echo "W=1 warnings, all present at the parent too:"
echo "$warned"
