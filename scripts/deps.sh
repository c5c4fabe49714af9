#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the project needs, if any is missing.
# Usage: scripts/deps.sh [group...]   groups: base build qemu kselftest mail
# bench regress (default: all but bench and regress, which only make bench
# and make regress ask for)
. "$(dirname "$0")/lib.sh"

declare -A pkg_of=(
	[git]=git [xz]=xz-utils [dpkg-deb]=dpkg [apt-get]=apt [sha256sum]=coreutils
	[python3]=python3 [perl]=perl
	[gcc]=gcc [make]=make [flex]=flex [bison]=bison [bc]=bc [ccache]=ccache
	[cpio]=cpio [rsync]=rsync [depmod]=kmod
	[qemu-system-x86_64]=qemu-system-x86 [b4]=b4 [gnuplot]=gnuplot-nox
)
declare -A files_of=(
	[libelf-dev]=/usr/include/libelf.h [libssl-dev]=/usr/include/openssl/ssl.h
	[busybox-static]=/bin/busybox [libc6-dev]=/usr/lib/x86_64-linux-gnu/libc.a
	[linux-libc-dev]=/usr/include/linux/tls.h
	[qemu-system-data]=/usr/share/qemu/qboot.rom
	[python3-ply]=/usr/lib/python3/dist-packages/ply [python3-git]=/usr/lib/python3/dist-packages/git
	[git-email]=/usr/lib/git-core/git-send-email
	[bash-static]=/bin/bash-static [libnuma-dev]=/usr/include/numa.h
	[libcap-dev]=/usr/include/sys/capability.h
)
groups=${*:-base build qemu kselftest mail}
cmds=() files=()
for g in $groups; do
	case $g in
	base)	cmds+=(git xz dpkg-deb apt-get sha256sum python3 perl) ;;
	build)	cmds+=(gcc make flex bison bc ccache cpio rsync depmod)
		files+=(libelf-dev libssl-dev python3-ply python3-git) ;;
	qemu)	cmds+=(qemu-system-x86_64); files+=(qemu-system-data) ;;
	kselftest) cmds+=(gcc cpio); files+=(busybox-static libc6-dev linux-libc-dev) ;;
	mail)	cmds+=(b4); files+=(git-email) ;;
	bench)	cmds+=(gnuplot) ;;
	# make regress: run_vmtests.sh needs bash; ksm_tests and migration
	# link libnuma, mlock-random-test libcap (all static in the guest).
	regress) files+=(bash-static libnuma-dev libcap-dev) ;;
	*)	die "deps.sh: unknown group '$g'" ;;
	esac
done

missing=()
for c in "${cmds[@]}"; do
	command -v "$c" >/dev/null 2>&1 || missing+=("${pkg_of[$c]}")
done
for p in "${files[@]}"; do
	[ -e "${files_of[$p]}" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	die "not root, cannot install them: run 'apt-get install ${missing[*]}' as root"
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
	apt-get update -qq || die "apt-get update failed: no access to the Debian archive? Install by hand: ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
		die "could not install: ${missing[*]} (see apt's message above)"
fi
echo "Installed: ${missing[*]}"
