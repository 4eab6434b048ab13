"""Experiment 4 of the experiment report: dynamic cost in Unicorn. Executed
spill, reload, move (and frame, remat) instructions on the kernels' fixed
workloads, for vcr-ra, the legacy model and (when present) optimal, beside
the static counts. Counts come from `verify-alloc --run --count-origins`."""
import os

from common import HEADLINES, exec_ok, geomean, kernel_name, md_table, origin_count, plt, save, write_csv

KINDS = ("spill", "reload", "move", "frame", "remat")
SIDES = (("vcr", "vcr-ra", "#2b7bba"), ("legacy", "legacy model", "#d95f02"), ("optimal", "optimal", "#1b9e77"))


def side_objects(f, side, opt_rows):
    """(static dict, exec dict) of one allocator's result for a function row; the optimal code's come
    from the --optimal report's row of the same function (its alloc and exec describe that code)."""
    if side == "vcr":
        return f.get("alloc") or {}, f.get("exec")
    if side == "optimal":
        o = opt_rows.get((f["file"], f["function"])) or {}
        return o.get("alloc") or {}, o.get("exec")
    obj = f.get(side) or {}
    return obj, obj.get("exec")


def rows_of(rep, opt_rep=None):
    opt_rows = {(f["file"], f["function"]): f for f in (opt_rep or {"functions": []})["functions"]}
    rows = []
    for f in rep["functions"]:
        if not exec_ok(f.get("exec")) or not f["exec"].get("workload"):
            continue
        r = {"name": kernel_name(f), "peak": f["peak_pressure"]}
        for side, _, _ in SIDES:
            st, e = side_objects(f, side, opt_rows)
            if not exec_ok(e):
                continue
            r[side] = {"static": (st.get("spill_stores", 0), st.get("reloads", 0), st.get("moves", 0)),
                       "insns": e["insns_executed"],
                       "dyn": {k: origin_count(e, k) for k in KINDS}}
        rows.append(r)
    return rows


def figure(rows, sides, path):
    rows = sorted(rows, key=lambda r: -(sum(v or 0 for v in r["vcr"]["dyn"].values())))
    n, k = len(rows), len(sides)
    fig, ax = plt.subplots(figsize=(11, 0.42 * n * k / 2 + 1.5))
    h = 0.8 / k
    hatches = {"spill": "", "reload": "//", "move": "..", "frame": "xx"}
    for j, (side, label, colour) in enumerate(sides):
        left = [0.0] * n
        for kind in ("spill", "reload", "move", "frame"):
            vals = [((r.get(side) or {}).get("dyn", {}).get(kind) or 0) for r in rows]
            ys = [i + (j - (k - 1) / 2) * h for i in range(n)]
            ax.barh(ys, vals, h, left=left, color=colour, hatch=hatches[kind], edgecolor="white", lw=0.3,
                    label=f"{label}: {kind}")
            left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(range(n))
    ax.set_yticklabels([r["name"] for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("executed instructions on the workload (symlog)")
    ax.set_title("Executed spill / reload / move / frame instructions per kernel function")
    ax.legend(fontsize=7, ncol=2 * k, loc="upper center", bbox_to_anchor=(0.5, -0.06 - 1.0 / max(n, 1)))
    save(fig, path)


def run(rep, out_dir, opt_rep=None):
    """Experiment 4 on the 9-register kernel run (and the --optimal report's kernel rows). Returns Markdown."""
    if not rep:
        return "## 4. Dynamic cost in Unicorn\n\nnot available: no kernel run\n"
    rows = rows_of(rep, opt_rep)
    if not rows or not any(r.get("vcr", {}).get("dyn", {}).get("spill") is not None for r in rows):
        return "## 4. Dynamic cost in Unicorn\n\nnot available: the run has no `insns_by_origin`\n"
    sides = [s for s in SIDES if any(s[0] in r for r in rows)]
    csv_rows, md_rows = [], []
    for r in rows:
        line = [r["name"], r["peak"]]
        mdl = [r["name"]]
        for side, _, _ in sides:
            s = r.get(side)
            if not s:
                line += [None] * 9
                mdl += ["-", "-", "-"]
                continue
            st, d = s["static"], s["dyn"]
            line += list(st) + [d["spill"], d["reload"], d["move"], d["frame"], d["remat"], s["insns"]]
            mdl += [f"{st[0]}/{st[1]}/{st[2]}", f"{d['spill']}/{d['reload']}/{d['move']}/{d['frame']}", s["insns"]]
        csv_rows.append(line)
        md_rows.append(mdl)
    header = ["function", "peak_pressure"]
    mdh = ["function"]
    for side, label, _ in sides:
        header += [f"{side}_{c}" for c in ("static_spill_stores", "static_reloads", "static_moves", "exec_spill",
                                           "exec_reload", "exec_move", "exec_frame", "exec_remat",
                                           "insns_executed")]
        mdh += [f"{label} static st/rl/mv", f"{label} executed sp/rl/mv/fr", f"{label} insns"]
    write_csv(os.path.join(out_dir, "experiments", "dynamic.csv"), header, csv_rows)
    figure(rows, sides, os.path.join(out_dir, "experiments", "dynamic.png"))
    tot = {}
    for side, label, _ in sides:
        have = [r[side] for r in rows if side in r]
        tot[side] = {k: sum(h["dyn"][k] or 0 for h in have) for k in KINDS}
        tot[side]["insns"] = sum(h["insns"] for h in have)
        tot[side]["gm"] = geomean([h["insns"] for h in have])
    md = ["## 4. Dynamic cost in Unicorn\n",
          "Each kernel function runs on its fixed workloads (`corpus/kernels/workloads.json`, medians over the "
          "workloads) with the 9-register pool. `verify-alloc --run --count-origins` has the emitter wrap every "
          "allocator-inserted instruction in labels and counts, in Unicorn's code hook, the executed "
          "instructions inside each origin's code: *sp* spill stores, *rl* reloads, *mv* register moves, "
          "*fr* frame loads/stores (the legacy model's frame-homed locals). Static counts are instructions in "
          "the code.\n",
          md_table(mdh, md_rows), "\nTotals over the functions:\n",
          md_table(["allocator", "executed spill", "reload", "move", "frame", "remat", "all insns", "geomean insns"],
                   [[label, tot[s]["spill"], tot[s]["reload"], tot[s]["move"], tot[s]["frame"], tot[s]["remat"],
                     tot[s]["insns"], tot[s]["gm"]] for s, label, _ in sides])]
    if "vcr" in tot and "legacy" in tot:
        v = sum(tot["vcr"][k] for k in ("spill", "reload", "move", "frame"))
        lg = sum(tot["legacy"][k] for k in ("spill", "reload", "move", "frame"))
        HEADLINES.append(f"4. Kernel workloads in Unicorn: executed spill + reload + move + frame instructions "
                         f"vcr-ra {v}, legacy model {lg}; all executed instructions {tot['vcr']['insns']} vs "
                         f"{tot['legacy']['insns']} ({tot['vcr']['insns'] / tot['legacy']['insns']:.2f}x)"
                         + (f"; optimal {sum(tot['optimal'][k] for k in ('spill', 'reload', 'move', 'frame'))} "
                            f"spill/reload/move/frame" if "optimal" in tot else ""))
        md.append(f"\nExecuted spill + reload + move + frame instructions: vcr-ra {v}, legacy model {lg} "
                  f"({v / lg:.2f}x).\n" if lg else "")
    if not any(s[0] == "optimal" for s in sides):
        md.append("\nOptimal: not available (this `verify-alloc` has no `--optimal`).\n")
    md.append("\n![dynamic cost](experiments/dynamic.png)\n\nData: `experiments/dynamic.csv`.\n")
    return "\n".join(md)
