# SPDX-License-Identifier: GPL-2.0
# The text range of one kernel function, from /proc/kallsyms read twice:
#   awk -v sym=NAME -f regress-symrange.awk /proc/kallsyms /proc/kallsyms
# prints "0xSTART 0xEND": NAME's address and the lowest text-symbol address
# above it (the end of NAME's code, padding included).  Exits 1, saying
# why on stderr, when NAME is not a text symbol, has no successor, or the
# addresses are hidden (kptr_restrict: all zero).  Used in the guest of
# scripts/regress-guest.sh (busybox awk) for fault injection's
# reject-start/reject-end.  Addresses are compared as strings: kallsyms
# prints them zero-padded to one width.
FNR == NR {
	if ($2 ~ /^[tT]$/ && $3 == sym) {
		if (start != "" && start != $1) { multi = 1 }
		start = $1
	}
	next
}
start != "" && $2 ~ /^[tT]$/ && ($1 "") > (start "") && (end == "" || ($1 "") < (end "")) { end = $1 }
END {
	err = ""
	if (start == "") err = sym ": no such text symbol"
	else if (multi) err = sym ": more than one text symbol of that name"
	else if (start ~ /^0+$/) err = sym ": addresses hidden (kptr_restrict)"
	else if (end == "") err = sym ": no text symbol after it"
	if (err != "") { print "regress-symrange: " err > "/dev/stderr"; exit 1 }
	print "0x" start " 0x" end
}
