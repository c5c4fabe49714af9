#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build one x86_64 kernel of `make regress`: SIDE "base" (tag base) or
# "series" (branch series), from its own git worktree of the work tree
# ($REGRESS/src-SIDE; the work tree itself is never checked out elsewhere)
# into its own build directory ($REGRESS/build-SIDE), with ccache, under
# nice.  Config: Kconfig defaults + the fragments named in
# configs/regress.config; dies naming every wanted option that did not stick.
# Usage: scripts/regress-build.sh SIDE      Env: REGRESS_JOBS (default 2)
. "$(dirname "$0")/lib.sh"
need_tree
side=${1:?usage: regress-build.sh base|series}
case $side in
base) ref=base ;;
series) ref=$BRANCH ;;
*) die "regress-build.sh: unknown side '$side' (base, series)" ;;
esac
REGRESS=${FP_REGRESS:-$WORK/regress}
src=$REGRESS/src-$side
bld=$REGRESS/build-$side
mkdir -p "$REGRESS" "$bld"
"$TOP/scripts/deps.sh" build

commit=$(tgit rev-parse --verify "$ref^{commit}") || die "no '$ref' in $TREE"
if [ -e "$src/.git" ]; then
	git -C "$src" checkout -q --force --detach "$commit"
else
	rm -rf "$src"
	tgit worktree prune
	tgit worktree add -q --force --detach "$src" "$commit" ||
		die "cannot make a worktree of $TREE at $src"
fi

# The fragments, merged; the last assignment of a symbol wins.
frags=(qemu.kunitconfig kasan.kunitconfig kunitconfig net.kunitconfig regress.config)
want=$bld/regress.want
FP_TREE=$src "$TOP/scripts/kunitconfig.sh" "${frags[@]/#/$TOP/configs/}" |
	awk '
	/^CONFIG_[A-Z0-9_]+=/ { s = $0; sub(/=.*/, "", s); v[s] = $0; if (!(s in seen)) { seen[s] = 1; o[n++] = s } next }
	/^# CONFIG_[A-Z0-9_]+ is not set/ { s = $2; v[s] = $0; if (!(s in seen)) { seen[s] = 1; o[n++] = s } }
	END { for (i = 0; i < n; i++) print v[o[i]] }' >"$want.new"
if ! cmp -s "$want.new" "$want" || [ ! -f "$bld/.config" ]; then
	cp "$want.new" "$bld/.config"
fi
mv "$want.new" "$want"
kmake() { nice -n 19 make -s -C "$src" O="$bld" ARCH=x86_64 CC="ccache gcc" "$@"; }
use_ccache
kmake olddefconfig >/dev/null || die "olddefconfig failed in $bld"

missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$bld/.config" || missing+=("$line") ;;
	"# CONFIG_"*)
		sym=${line#\# }; sym=${sym%% *}
		! grep -q "^$sym=" "$bld/.config" || missing+=("$line") ;;
	esac
done <"$want"
[ ${#missing[@]} -eq 0 ] ||
	die "$side kernel: olddefconfig did not keep: ${missing[*]} (see $bld/.config)"

build() {
	kmake -j"${REGRESS_JOBS:-2}" bzImage >"$bld/build.log" 2>&1 || {
		tail -30 "$bld/build.log"
		echo "build log: $bld/build.log"
		return 1
	}
}
step "build the $side kernel ($(git -C "$src" log -1 --format='%h %s'))" build || {
	# No stale kernel for the suites to boot.
	rm -f "$bld/arch/x86/boot/bzImage"
	die "the $side kernel does not build"
}
note "kernel: $bld/arch/x86/boot/bzImage"
