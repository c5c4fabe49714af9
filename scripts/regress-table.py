#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The verdict table of `make regress`, base versus series.

Reads DIR/base and DIR/series, as scripts/regress-guest.sh and
scripts/regress-kunit.sh leave them:
  PART.json        kunit.py's JSON of one part (a KUnit run is split into
                   one row per suite, "PART:suite")
  PART.status      "error: ..." when the part did not build, run or finish
  PART.boot        the boot (kernel log) the part ran in
  BOOT.kernel.log  that boot's kernel log; BOOT.kmemleak its kmemleak scan
Parts named fi-* exist on the series only (fault injection): their case
failures are expected and listed, not judged; fi-checks and any error or
kernel-log report of theirs is.

A regression is: a case that passes on the base and does not pass (fails,
is skipped or is missing) on the series; a part with an error on the series
only; a kernel-log report (WARN, BUG, KASAN, lockdep, kmemleak... the
patterns of scripts/scan-log.sh) in a series boot that the base boot does
not have.  Cases failing on both are listed as pre-existing.
Prints the table (Markdown) and writes it to DIR/verdict.md; exits 1 on any
regression.
Usage: regress-table.py DIR [--date TEXT]
"""
import glob
import json
import os
import re
import subprocess
import sys

SCAN_LOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scan-log.sh")
SIDES = ("base", "series")


def walk(group, prefix, out):
    for case in group.get("test_cases", []):
        st = case["status"]
        out[prefix + case["name"]] = st if st in ("PASS", "SKIP") else "FAIL"
    for sub in group.get("sub_groups", []):
        walk(sub, prefix + sub["name"] + ".", out)


def load_side(d):
    """{row: {"cases": {case: status}, "error": str|None, "boot": str}}"""
    rows = {}
    parts = set()
    for f in glob.glob(os.path.join(d, "*.json")) + glob.glob(os.path.join(d, "*.status")):
        parts.add(os.path.basename(f).rsplit(".", 1)[0])
    for p in sorted(parts):
        boot = p
        bf = os.path.join(d, p + ".boot")
        if os.path.exists(bf):
            boot = open(bf).read().strip() or p
        err = None
        sf = os.path.join(d, p + ".status")
        if os.path.exists(sf):
            err = open(sf).read().strip() or "error"
        tf = os.path.join(d, p + ".timeouts")
        timeouts = set(open(tf).read().split()) if os.path.exists(tf) else set()
        jf = os.path.join(d, p + ".json")
        root = None
        if os.path.exists(jf):
            try:
                with open(jf) as f:
                    root = json.load(f)
            except ValueError as e:
                err = err or f"error: unreadable {jf}: {e}"
        if root is not None and root.get("sub_groups"):
            # KUnit: one row per suite (a suite without cases is a case of
            # the root).
            top = {}
            for case in root.get("test_cases", []):
                walk({"test_cases": [case]}, "", top)
                rows[f"{p}:{case['name']}"] = {"cases": {case["name"]: top[case["name"]]},
                                               "error": None, "boot": boot}
            for sub in root["sub_groups"]:
                cases = {}
                walk(sub, "", cases)
                rows[f"{p}:{sub['name']}"] = {"cases": cases, "error": None, "boot": boot}
            if err:
                rows[p] = {"cases": {}, "error": err, "boot": boot}
        else:
            cases = {}
            if root is not None:
                walk(root, "", cases)
            if root is None and not err:
                err = "error: no results"
            rows[p] = {"cases": cases, "error": err, "boot": boot, "timeouts": timeouts}
    return rows


NORM = [
    (re.compile(r"^\[ *[0-9.]+\] *"), ""),
    (re.compile(r"0x[0-9a-f]+"), "<hex>"),
    (re.compile(r"\b[0-9a-f]{8,16}\b"), "<hex>"),
    (re.compile(r"\b(CPU|PID|pid|cpu|Tainted|Comm|comm):? *\S+"), r"\1 _"),
    (re.compile(r"\d+"), "N"),
    (re.compile(r"\s+"), " "),
]


def norm(line):
    for rx, rep in NORM:
        line = rx.sub(rep, line)
    return line.strip()


def log_reports(log):
    """The report lines scan-log.sh finds in LOG, normalised."""
    if not os.path.exists(log):
        return set()
    r = subprocess.run([SCAN_LOG, "--all", log], capture_output=True, text=True)
    lines = open(log, errors="replace").read().splitlines()
    out = set()
    for line in r.stdout.splitlines():
        m = re.match(r"scan-log: .*?:(\d+): (.*)$", line)
        if not m:
            continue
        if "Call Trace:" not in m.group(2):
            out.add(norm(m.group(2)))
            continue
        # A bare stack dump: name it by the message that precedes it.
        i = int(m.group(1)) - 2
        while i >= 0 and re.search(r"CPU: |Hardware name|Tainted|Workqueue|^\S*\s*$|"
                                   r"RIP|Code:|R[A-Z0-9]{2}: |[CDEFG]S: |CR[0-4]|DR[0-7]|Modules linked|"
                                   r"^Stack:|^[\s0-9a-f]+$", lines[i]):
            i -= 1
        if i >= 0:
            out.add("stack dump after: " + norm(lines[i]))
    return out


def kmemleak_reports(f):
    """One signature per suspected leak: its size and first backtrace frames."""
    out = set()
    if not os.path.exists(f):
        return out
    size, frames = None, []
    def flush():
        if size is not None:
            out.add(f"kmemleak: unreferenced object (size {size}) from "
                    + " < ".join(frames[:4]))
    for line in open(f, errors="replace"):
        m = re.match(r"unreferenced object 0x[0-9a-f]+ \(size (\d+)\)", line)
        if m:
            flush()
            size, frames = m.group(1), []
            continue
        m = re.match(r"\s+\[<[0-9a-f]+>\] ([\w.]+)", line) or re.match(r"\s+([\w.]+)\+0x", line)
        if m and size is not None:
            frames.append(m.group(1))
    flush()
    return out


# In the fault-injection boot (series only, no base log to compare with),
# the kernel's own reports of an allocation that failed are what the
# injection provokes, not findings: the page allocator's and vmalloc's
# warn_alloc() (a stack dump after "page allocation failure"/"vmalloc
# error"), kmem_cache_create()'s dump_stack() on failure, and KUnit's WARN
# when it cannot allocate the message of a failed assertion
# (lib/kunit/test.c, __kunit_do_failed_assertion).  Listed, not judged;
# every other report of that boot is.
FI_EXPECTED = [re.compile(p) for p in (
    r"^-+\[ cut here \]-+$",
    r"^stack dump after: .*: (page allocation failure|vmalloc error): ",
    r"^stack dump after: __kmem_cache_create_args\(.*\) failed with error -N$",
    r"^stack dump after: Could not allocate stream to print failed assertion in ",
    r"^WARNING: CPU _ PID _ at \S*lib/kunit/test\.c:N __kunit_do_failed_assertion\+",
)]


def fi_expected(boot, report):
    return boot.startswith("faultinj") and any(rx.search(report) for rx in FI_EXPECTED)


def count(cases):
    c = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for st in cases.values():
        c[st] += 1
    return c


def cell(row):
    if row is None:
        return "-"
    c = count(row["cases"])
    s = f"{c['PASS']}/{c['FAIL']}/{c['SKIP']}"
    if row["error"]:
        s = (s + " " if row["cases"] else "") + "**" + row["error"].split(" (")[0] + "**"
    return s


def main():
    args = sys.argv[1:]
    date = None
    if "--date" in args:
        i = args.index("--date")
        date = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    top = args[0]
    data = {s: load_side(os.path.join(top, s)) for s in SIDES}
    names = sorted(set(data["base"]) | set(data["series"]),
                   key=lambda n: (n.startswith("fi-"), n))
    regressions, preexisting, info = [], [], []
    lines = ["| suite | base pass/fail/skip | series pass/fail/skip | passing on base, not on series | pre-existing failures |",
             "| --- | --- | --- | --- | --- |"]
    for n in names:
        b, s = data["base"].get(n), data["series"].get(n)
        series_only = n.startswith("fi-")
        judged_cases = not series_only or n.startswith("fi-checks")
        reg, pre = [], []
        if s is None:
            reg.append("(no result on the series)")
        elif s["error"] and (b is None or not b["error"]):
            reg.append(f"suite error on the series: {s['error']}")
        if b is not None and s is not None:
            missing = 0
            for case, st in sorted(b["cases"].items()):
                sst = s["cases"].get(case, "missing")
                if sst == "missing" and s["error"]:
                    # Cut short (timeout, crash): the error says it once.
                    missing += st == "PASS"
                elif st == "PASS" and sst != "PASS":
                    why = ": harness timeout" if case in s.get("timeouts", ()) else ""
                    reg.append(f"{case} ({sst.lower()}{why})")
                elif st == "FAIL" and sst == "FAIL":
                    pre.append(case)
            if missing:
                note = f"{missing} case(s) passing on the base not reached on the series"
                if reg and reg[0].startswith("suite error"):
                    reg[0] += f"; {note}"
                else:
                    # Both sides were cut short: not a regression.
                    info.append((n, [note + " (both runs cut short)"]))
        elif s is not None and judged_cases:
            reg += [f"{c} (fail)" for c, st in sorted(s["cases"].items()) if st == "FAIL"]
        elif s is not None:
            fails = [c for c, st in sorted(s["cases"].items()) if st == "FAIL"]
            if fails:
                info.append((n, fails))
        regressions += [(n, r) for r in reg]
        preexisting += [(n, p) for p in pre]
        show = lambda l: ", ".join(l[:8]) + (f" (+{len(l) - 8} more)" if len(l) > 8 else "") if l else "-"
        lines.append(f"| {n} | {cell(b)} | {cell(s)} | {show(reg)} | {show(pre)} |")

    # Kernel-log reports, per boot.
    boots = sorted({r["boot"] for side in SIDES for r in data[side].values()})
    new_reports, expected_reports = [], []
    log_lines = ["| boot | base reports | series reports | in the series log only |", "| --- | --- | --- | --- |"]
    for boot in boots:
        rep = {}
        for side in SIDES:
            d = os.path.join(top, side)
            rep[side] = log_reports(os.path.join(d, boot + ".kernel.log")) | \
                kmemleak_reports(os.path.join(d, boot + ".kmemleak"))
        new = sorted(rep["series"] - rep["base"])
        expected_reports += [(boot, r) for r in new if fi_expected(boot, r)]
        new = [r for r in new if not fi_expected(boot, r)]
        new_reports += [(boot, r) for r in new]
        log_lines.append(f"| {boot} | {len(rep['base'])} | {len(rep['series'])} | "
                         + ("; ".join(new[:5]) + (f" (+{len(new) - 5} more)" if len(new) > 5 else "") if new else "-")
                         + " |")

    out = []
    out.append(f"make regress verdict{(', ' + date) if date else ''}")
    out.append("")
    out += lines
    out.append("")
    out.append("Kernel-log reports (WARN, BUG, KASAN, lockdep, kmemleak, ...), distinct after normalising:")
    out.append("")
    out += log_lines
    out.append("")
    if regressions or new_reports:
        out.append(f"REGRESSIONS: {len(regressions)} case(s)/suite(s), {len(new_reports)} new kernel-log report(s)")
        out += [f"- {n}: {r}" for n, r in regressions]
        out += [f"- {b} kernel log: {r}" for b, r in new_reports]
    else:
        out.append("no regression")
    if expected_reports:
        out.append("")
        out.append("Expected under fault injection (the kernel's reports of the injected allocation failures; not judged):")
        out += [f"- {b} kernel log: {r}" for b, r in expected_reports]
    if preexisting:
        out.append("")
        out.append(f"Pre-existing failures (fail on the base and on the series): {len(preexisting)}")
        out += [f"- {n}: {p}" for n, p in preexisting]
    if info:
        out.append("")
        out.append("Not judged (failures under fault injection, which are expected; cases not reached by runs cut short on both kernels):")
        out += [f"- {n}: {len(f)} case(s): {', '.join(f[:10])}{' ...' if len(f) > 10 else ''}"
                if not f[0].endswith("(both runs cut short)") else f"- {n}: {f[0]}" for n, f in info]
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(top, "verdict.md"), "w") as f:
        f.write(text)
    sys.exit(1 if regressions or new_reports else 0)


if __name__ == "__main__":
    main()
