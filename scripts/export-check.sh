#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Exit non-zero, naming the commits, when the work tree holds anything that
# is not exported to patches/.
. "$(dirname "$0")/lib.sh"
if [ ! -d "$TREE/.git" ]; then
	note "no work tree at $TREE: nothing to export"
	exit 0
fi
mapfile -t state < <(tree_state)
case ${state[0]} in
clean)	note "work tree and $PATCHES agree" ;;
behind)	note "nothing unexported; $PATCHES changed since the work tree was made: 'make tree' updates it" ;;
*)	printf '%s\n' "${state[@]:1}" >&2
	die "the work tree $TREE holds work not exported to $PATCHES: run 'make export'" ;;
esac
