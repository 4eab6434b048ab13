#!/usr/bin/env python3
"""Summarise a `verify-alloc --optimal --json` report: how many functions the
integer program solves, vcr-ra's and the legacy model's cost against the
optimum (docs/optimal.md), and the worst cases.

Usage: scripts/optimal-summary.py REPORT.json [--worst N]
"""
import json
import math
import sys


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    worst_n = 10
    if "--worst" in args:
        i = args.index("--worst")
        worst_n = int(args[i + 1])
        del args[i:i + 2]
    rep = json.load(open(args[0]))
    rows = [f for f in rep["functions"] if "optimal" in f]
    status = {}
    for f in rows:
        status[f["optimal"]["status"]] = status.get(f["optimal"]["status"], 0) + 1
    proved = sum(1 for f in rows if f.get("check") and f["check"].get("refuted", 0) == 0
                 and f["check"].get("unknown", 0) == 0 and f["optimal"]["cost"] >= 0)
    allocated = sum(1 for f in rows if f["optimal"]["cost"] >= 0)
    print(f"functions: {len(rows)}; solver status: " + ", ".join(f"{k} {v}" for k, v in sorted(status.items())))
    print(f"optimal allocations proved by the checker: {proved} of {allocated}")
    opt = [f for f in rows if f["optimal"]["status"] == "optimal" and f["optimal"]["vcr_cost"] >= 0]
    for who, key in (("vcr-ra", "vcr_cost"), ("legacy", "legacy_cost")):
        pairs = [(f[ "optimal"][key], f["optimal"]["cost"]) for f in opt if f["optimal"][key] >= 0]
        if not pairs:
            continue
        exact = sum(1 for a, o in pairs if a == o)
        shifted = geomean([(a + 1) / (o + 1) for a, o in pairs])
        positive = [a / o for a, o in pairs if o > 0]
        print(f"{who} on the {len(pairs)} proved-optimal functions: exactly optimal {exact} "
              f"({100 * exact / len(pairs):.1f}%), geomean (cost+1)/(opt+1) {shifted:.3f}, "
              f"geomean cost/opt over opt > 0 ({len(positive)}) {geomean(positive):.3f}, "
              f"sum {sum(a for a, _ in pairs)} vs {sum(o for _, o in pairs)}")
    bounded = [f for f in rows if f["optimal"]["status"] == "feasible"]
    for f in bounded:
        o = f["optimal"]
        note = " (vcr-ra proved optimal by the bound)" if o["bound"] >= 0 and o["vcr_cost"] == o["bound"] else ""
        print(f"time-limited: {f['function']}: best {o['cost']}, bound {o['bound']}, vcr-ra {o['vcr_cost']}{note}")
    worst = sorted(opt, key=lambda f: -(f["optimal"]["vcr_cost"] + 1) / (f["optimal"]["cost"] + 1))
    print(f"worst {worst_n} (vcr-ra against the optimum):")
    for f in worst[:worst_n]:
        o = f["optimal"]
        if o["vcr_cost"] == o["cost"]:
            break
        print(f"  {f['file'].split('/')[-1]:<20} {f['function']:<24} vcr-ra {o['vcr_cost']:>5} optimal {o['cost']:>5} "
              f"legacy {o['legacy_cost']:>5}  peak {f['peak_pressure']} loops {f['loops']} calls {f['calls']}")


if __name__ == "__main__":
    main()
