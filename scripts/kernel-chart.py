#!/usr/bin/env python3
"""kernel-chart.py: executed instructions of the C kernels, vcr-ra vs the
legacy model vs clang-14 -O2 native, from a verify-alloc JSON report made
with --run --legacy --native. Writes a Markdown table and a PNG bar chart.

Usage: kernel-chart.py REPORT.json OUT.md OUT.png
"""
import json
import math
import os
import sys


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def rows_of(report):
    rows = []
    for f in report["functions"]:
        e = f.get("exec") or {}
        le = (f.get("legacy") or {}).get("exec") or {}
        if not e.get("workload") or e.get("status") != "ok":
            continue
        rows.append({
            "kernel": os.path.splitext(os.path.basename(f["file"]))[0],
            "function": f["function"],
            "vcr": e["insns_executed"],
            "legacy": le.get("insns_executed") if le.get("status") == "ok" else None,
            "native": e.get("native_insns"),
            "native_note": e.get("native_note", ""),
            "agree": e["agree"] == e["runs"],
        })
    return rows


def ratio(a, b):
    return a / b if a and b else None


def fmt_ratio(x):
    return f"{x:.2f}x" if x else "-"


def table(rows):
    out = ["| kernel | function | vcr-ra | legacy model | clang-14 -O2 | vcr-ra / native | legacy / native | vcr-ra / legacy |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append("| {kernel} | {function} | {vcr} | {legacy} | {native} | {a} | {b} | {c} |".format(
            kernel=r["kernel"], function=r["function"], vcr=r["vcr"],
            legacy=r["legacy"] if r["legacy"] is not None else "-",
            native=r["native"] if r["native"] is not None else "-",
            a=fmt_ratio(ratio(r["vcr"], r["native"])),
            b=fmt_ratio(ratio(r["legacy"], r["native"])),
            c=fmt_ratio(ratio(r["vcr"], r["legacy"]))))
    g = lambda key_a, key_b: geomean([r[key_a] / r[key_b] for r in rows if r[key_a] and r[key_b]])
    out.append("")
    out.append(f"Geometric means over the functions with both figures: vcr-ra / native "
               f"{g('vcr', 'native'):.2f}x, legacy / native {g('legacy', 'native'):.2f}x, "
               f"vcr-ra / legacy {g('vcr', 'legacy'):.2f}x.")
    notes = sorted({f"{r['kernel']}: {r['native_note']}" for r in rows if r["native"] is None and r["native_note"]})
    if notes:
        out.append("")
        out.append("No native figure: " + "; ".join(notes))
    return "\n".join(out) + "\n"


def chart(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    labels = [f"{r['kernel']}\n{r['function']}" for r in rows]
    series = [("vcr-ra", "vcr", "#1f77b4"), ("legacy model", "legacy", "#d62728"),
              ("clang-14 -O2 native", "native", "#7f7f7f")]
    width = 0.27
    fig, ax = plt.subplots(figsize=(max(10, 0.75 * len(rows)), 5.5))
    for k, (name, key, colour) in enumerate(series):
        xs = [i + (k - 1) * width for i in range(len(rows))]
        ys = [r[key] or 0 for r in rows]
        ax.bar(xs, ys, width, label=name, color=colour)
    ax.set_yscale("log")
    ax.set_ylabel("executed instructions (Unicorn, Cortex-M4), log scale")
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=7)
    ax.set_title("C kernels: instructions executed on the fixed workloads")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        report = json.load(f)
    rows = rows_of(report)
    if not rows:
        sys.exit("kernel-chart: no function with a workload run in the report (use --run --legacy --native)")
    with open(sys.argv[2], "w") as f:
        f.write(table(rows))
    chart(rows, sys.argv[3])
    print(f"kernel-chart: {len(rows)} functions -> {sys.argv[2]}, {sys.argv[3]}")


if __name__ == "__main__":
    main()
