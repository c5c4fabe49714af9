#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print one "PASS|FAIL|SKIP label/suite.case" line per test case of the
JSON that kunit.py --json wrote (parameterised cases count per parameter)."""
import json
import sys


def walk(group, prefix, out):
    for case in group.get("test_cases", []):
        status = case["status"]
        status = status if status in ("PASS", "SKIP") else "FAIL"
        out.append(f"{status} {prefix}{case['name']}")
    for sub in group.get("sub_groups", []):
        walk(sub, f"{prefix}{sub['name']}.", out)


def main():
    path, label = sys.argv[1], sys.argv[2]
    with open(path) as f:
        root = json.load(f)
    out = []
    walk(root, f"{label}/", out)
    if not out:
        out.append(f"FAIL {label}/no-test-ran")
    print("\n".join(out))


if __name__ == "__main__":
    main()
