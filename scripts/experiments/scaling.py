"""Experiment 5 of the experiment report: allocation and checking time
against function size on generated functions (corpus/gen wasmgen: mixed
statement functions and br_table state machines) up to 10,000 MIR
instructions, with the growth exponent k of t = c * n^k fitted on log-log
axes."""
import os
import re

from common import HEADLINES, fit_power, md_table, plt, save, write_csv

MIN_INSTRS = 50  # below this, fixed costs dominate the fit


def shape_of(path):
    m = re.search(r"scale-([a-z]+)-", os.path.basename(path))
    return m.group(1) if m else "other"


def rows_of(reps):
    """One row per function, with the least time over the repetitions `reps` (reports of one run): on a
    shared machine preemption only adds time, and a slice lost to another job costs ~20 ms."""
    times = {}
    for rep in reps:
        for f in rep["functions"]:
            a, c = f.get("alloc"), f.get("check")
            if a and c and f["mir_instructions"] >= MIN_INSTRS:
                t = times.setdefault((f["file"], f["function"]), {"f": f, "alloc": [], "check": []})
                t["alloc"].append(max(a.get("time_us", 0), 1))
                t["check"].append(max(c.get("time_us", 0), 1))
    rows = []
    for (file, fn), t in sorted(times.items()):
        c = t["f"]["check"]
        rows.append({"shape": shape_of(file), "file": os.path.basename(file), "function": fn,
                     "n": t["f"]["mir_instructions"], "alloc": min(t["alloc"]), "check": min(t["check"]),
                     "proved": c.get("proved") == c.get("obligations")})
    return rows


def figure(rows, fits, path):
    fig, ax = plt.subplots(figsize=(8, 5.2))
    styles = {"mixed": "o", "fsm": "s", "other": "^"}
    for what, colour in (("alloc", "#2b7bba"), ("check", "#d95f02")):
        for shape, marker in styles.items():
            pts = [r for r in rows if r["shape"] == shape]
            if pts:
                ax.scatter([r["n"] for r in pts], [r[what] / 1e3 for r in pts], s=14, marker=marker, c=colour,
                           alpha=0.55, label=f"{'allocation' if what == 'alloc' else 'checking'}, {shape}")
        k, c = fits[what]
        if k == k:  # not NaN
            ns = sorted(r["n"] for r in rows)
            xs = [ns[0], ns[-1]]
            ax.plot(xs, [c * x ** k / 1e3 for x in xs], color=colour, lw=1.5,
                    label=f"{'allocation' if what == 'alloc' else 'checking'} fit: n^{k:.2f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("MIR instructions of the function")
    ax.set_ylabel("time (ms, wall, one thread)")
    ax.set_title("Allocation and checking time against function size")
    ax.legend(fontsize=7)
    save(fig, path)


def run(reps, out_dir):
    """Experiment 5 from the repetitions `reps` of the scaling run. Returns Markdown."""
    if not reps:
        return "## 5. Scaling\n\nnot available: no scaling run\n"
    rows = rows_of(reps)
    if len(rows) < 2:
        return "## 5. Scaling\n\nnot available: too few generated functions\n"
    write_csv(os.path.join(out_dir, "experiments", "scaling.csv"),
              ["shape", "file", "function", "mir_instructions", "alloc_us", "check_us", "proved"],
              [[r["shape"], r["file"], r["function"], r["n"], r["alloc"], r["check"], int(r["proved"])]
               for r in rows])
    fits = {w: fit_power([r["n"] for r in rows], [r[w] for r in rows]) for w in ("alloc", "check")}
    table = []
    for shape in sorted({r["shape"] for r in rows}) + ["all", "all, n >= 1000"]:
        sel = [r for r in rows if shape in ("all", r["shape"]) or (shape.startswith("all,") and r["n"] >= 1000)]
        if len(sel) < 2:
            continue
        ka, _ = fit_power([r["n"] for r in sel], [r["alloc"] for r in sel])
        kc, _ = fit_power([r["n"] for r in sel], [r["check"] for r in sel])
        big = [r for r in sel if r["n"] >= 0.8 * max(x["n"] for x in sel)]
        rate = sum(r["n"] for r in big) / (sum(r["alloc"] for r in big) / 1e3)
        table.append([shape, len(sel), min(r["n"] for r in sel), max(r["n"] for r in sel), ka, kc,
                      f"{rate:.0f}", max(r["check"] / r["alloc"] for r in sel),
                      sum(1 for r in sel if not r["proved"])])
    figure(rows, fits, os.path.join(out_dir, "experiments", "scaling.png"))
    biggest = max(rows, key=lambda r: r["n"])
    HEADLINES.append(f"5. Scaling over {len(rows)} generated functions up to {biggest['n']} instructions: allocation "
                     f"n^{fits['alloc'][0]:.2f}, checking n^{fits['check'][0]:.2f}; the largest allocates in "
                     f"{biggest['alloc'] / 1e3:.1f} ms and checks in {biggest['check'] / 1e3:.1f} ms")
    md = ["## 5. Scaling\n",
          "Generated modules (`wasmgen`: mixed statement functions by `--size`, br_table state machines by "
          "`--states`), every function of at least "
          f"{MIN_INSTRS} MIR instructions, allocated and checked by `verify-alloc -j1` "
          f"(times are the report's `alloc.time_us` and `check.time_us`, wall clock, one thread, the least of {len(reps)} "
          "runs: the machine is shared with other jobs, and preemption only adds time). "
          "k is the fitted exponent of t = c n^k (1 is linear).\n",
          md_table(["shape", "functions", "min instrs", "max instrs", "alloc k", "check k",
                    "alloc instrs/ms (largest 20%)", "max check/alloc", "not proved"], table),
          f"\nLargest function: {biggest['n']} instructions, allocation {biggest['alloc'] / 1e3:.1f} ms, checking "
          f"{biggest['check'] / 1e3:.1f} ms. Fitted over all: allocation n^{fits['alloc'][0]:.2f}, checking "
          f"n^{fits['check'][0]:.2f}. For scale, the brief quotes regalloc2 at about 1,100-2,200 instructions "
          "per ms.\n",
          "\n![scaling](experiments/scaling.png)\n\nData: `experiments/scaling.csv`.\n"]
    return "\n".join(md)
