#!/usr/bin/env python3
"""Compares two JUnit reports of the same test suite: one run against
moto_server, one against `ecsnet serve`.

The population is the tests that pass on moto. For each test file it prints
how many of them pass on ecsnet, the same for the tests decorated as verified
against real AWS (any decorator whose name contains "aws_verified"), and the
HTTP 5xx answers in ecsnet's request log.

    compare.py SUITE_DIR moto.xml ecsnet.xml [ecsnet.log] [--list]
"""
import ast
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET


def results(path):
    """{(file, test name): outcome} with outcome pass, fail or skip."""
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        cls = case.get("classname", "")
        name = case.get("name", "")
        # classname is tests.test_ecs.test_ecs_boto3 (or ....TestClass)
        key = (cls, name)
        outcome = "pass"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "fail"
            elif child.tag == "skipped":
                outcome = "skip"
        out[key] = outcome
    return out


def verified(suite):
    """Set of (module dotted path prefix, function name) decorated *aws_verified*."""
    found = set()
    for root, _, files in os.walk(os.path.join(suite, "tests")):
        for f in files:
            if not f.endswith(".py"):
                continue
            path = os.path.join(root, f)
            mod = os.path.relpath(path, suite)[:-3].replace(os.sep, ".")
            try:
                tree = ast.parse(open(path).read())
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for d in node.decorator_list:
                    if "aws_verified" in ast.unparse(d):
                        found.add((mod, node.name))
    return found


def base(name):
    return name.split("[", 1)[0]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    listing = "--list" in sys.argv
    suite, moto_xml, ecsnet_xml = args[:3]
    log = args[3] if len(args) > 3 else None
    moto, ecsnet = results(moto_xml), results(ecsnet_xml)
    ver = verified(suite)
    rows = collections.OrderedDict()
    tot = collections.Counter()
    failing = []
    for key in sorted(moto):
        if moto[key] != "pass":
            continue
        cls, name = key
        mod = cls
        is_ver = any(cls.startswith(m) and base(name) == fn for m, fn in ver)
        group = mod.rsplit(".", 1)[0] if mod.count(".") > 2 else mod
        r = rows.setdefault(group, collections.Counter())
        ok = ecsnet.get(key) == "pass"
        r["pop"] += 1
        r["ok"] += ok
        tot["pop"] += 1
        tot["ok"] += ok
        if is_ver:
            r["vpop"] += 1
            r["vok"] += ok
            tot["vpop"] += 1
            tot["vok"] += ok
        if not ok:
            failing.append((cls, name, ecsnet.get(key, "missing"), is_ver))
    print(f"{'file':60} {'pass/moto':>12} {'verified':>10}")
    for group, r in rows.items():
        print(f"{group:60} {r['ok']:>5}/{r['pop']:<6} {r['vok']:>4}/{r['vpop']:<5}")
    pct = 100.0 * tot["ok"] / max(tot["pop"], 1)
    print(f"{'TOTAL':60} {tot['ok']:>5}/{tot['pop']:<6} {tot['vok']:>4}/{tot['vpop']:<5}  ({pct:.1f}%)")
    if log and os.path.exists(log):
        five = collections.Counter()
        for line in open(log):
            m = re.search(r"status=(5\d\d)", line)
            if m:
                op = re.search(r"op=(\S+)", line)
                svc = re.search(r"service=(\S+)", line)
                five[(svc.group(1) if svc else "?", op.group(1) if op else "?", m.group(1))] += 1
        print("ecsnet HTTP 5xx answers:", sum(five.values()))
        for (svc, op, st), n in five.most_common():
            print(f"  {st} {svc} {op}: {n}")
    if listing:
        print("\nfailing on ecsnet (pass on moto):")
        for cls, name, outcome, is_ver in failing:
            print(f"  {'V ' if is_ver else '  '}{cls}::{name} [{outcome}]")


if __name__ == "__main__":
    main()
