"""Experiment 2 (pool-size sweep) of the experiment report: per pool and
allocator, the rung histogram, static spill code, frame traffic and the
executed instructions on the kernels' workloads."""
import os
import re
from collections import Counter

from common import (HEADLINES, POOLS, RUNGS, allocated, exec_ok, legacy_spill_ops, md_table, origin_count, plt, save,
                    vcr_spill_ops, write_csv)


def static_totals(rep):
    """Totals over the allocated functions of one static report."""
    t = {"functions": 0, "vcr_spilling": 0, "vcr_st": 0, "vcr_rl": 0, "vcr_moves": 0, "vcr_frame": 0,
         "ladder_fired": 0, "leg_st": 0, "leg_rl": 0, "leg_moves": 0, "leg_frame": 0,
         "rungs": {r: 0 for r in RUNGS}, "not_proved": 0}
    for f in rep["functions"]:
        if not allocated(f):
            continue
        a, leg = f["alloc"], f.get("legacy") or {}
        t["functions"] += 1
        t["vcr_spilling"] += vcr_spill_ops(f) > 0
        t["vcr_st"] += a.get("spill_stores", 0)
        t["vcr_rl"] += a.get("reloads", 0)
        t["vcr_moves"] += a.get("moves", 0)
        t["vcr_frame"] += a.get("frame_traffic", 0)
        t["ladder_fired"] += "ladder_fired" in f
        chk = f.get("check") or {}
        t["not_proved"] += chk.get("proved", 0) != chk.get("obligations", 0)
        if leg:
            t["rungs"][leg.get("rung", "declined")] = t["rungs"].get(leg.get("rung", "declined"), 0) + 1
            t["leg_st"] += leg.get("spill_stores", 0)
            t["leg_rl"] += leg.get("reloads", 0)
            t["leg_moves"] += leg.get("moves", 0)
            t["leg_frame"] += leg.get("frame_traffic", 0)
    return t


def side_exec(f, side):
    return f.get("exec") if side == "vcr" else (f.get("legacy") or {}).get("exec")


def ran(f, side):
    e = side_exec(f, side)
    return exec_ok(e) and e.get("workload")


def ran_both(rep):
    """Kernel functions whose code ran on workloads for both allocators."""
    return {(f["file"], f["function"]) for f in rep["functions"] if ran(f, "vcr") and ran(f, "legacy")}


def exec_totals(rep, side, common):
    """Sums over the `common` kernel functions of executed instructions, in all and by origin; `ran` and
    `declined` count every kernel function with workloads."""
    t = {"functions": 0, "insns": 0, "spill": 0, "reload": 0, "move": 0, "frame": 0, "remat": 0,
         "ran": 0, "declined": 0}
    for f in rep["functions"]:
        e = side_exec(f, side)
        t["ran"] += bool(ran(f, side))
        t["declined"] += bool(e) and e.get("status") == "declined"
        if (f["file"], f["function"]) not in common:
            continue
        t["functions"] += 1
        t["insns"] += e["insns_executed"]
        for k in ("spill", "reload", "move", "frame", "remat"):
            t[k] += origin_count(e, k) or 0
    return t


def failure_reasons(static, kernels):
    """Markdown bullets: per pool, the checker's refutations and the emitter's declines, by reason."""
    out = []
    for p in sorted(static):
        checks, declines = Counter(), Counter()
        for f in static[p]["functions"]:
            for fl in (f.get("check") or {}).get("failures", []):
                first = fl.get("detail", fl.get("kind", "?")).split(";")[0]
                checks[re.sub(r"^bb\d+ instr \d+: ", "", first)[:120]] += 1
        for f in (kernels.get(p) or {"functions": []})["functions"]:
            e = f.get("exec") or {}
            if e.get("status") == "declined":
                declines[re.sub(r"^.*?`: ", "", re.sub(r"@\S+", "@f", e.get("reason", "?")))[:120]] += 1
        if checks or declines:
            parts = [f"{n} refuted obligations: \"{r}\"" for r, n in checks.most_common(2)]
            parts += [f"{n} kernel functions declined by the emitter: \"{r}\"" for r, n in declines.most_common(2)]
            out.append(f"- pool {p} ({POOLS[p]}): " + "; ".join(parts))
    return out


def legacy_follows_pool(static):
    """False when the legacy columns are identical for every pool (the model ignores --pool)."""
    sigs = set()
    for rep in static.values():
        sig = tuple((f["function"], f["file"], (f.get("legacy") or {}).get("rung"), legacy_spill_ops(f),
                     (f.get("legacy") or {}).get("frame_traffic")) for f in rep["functions"])
        sigs.add(sig)
    return len(sigs) > 1


def per_function_rows(static, kernels):
    rows = []
    for p, rep in sorted(static.items()):
        dyn = {(f["file"], f["function"]): f for f in (kernels.get(p) or {"functions": []})["functions"]}
        for f in rep["functions"]:
            if not allocated(f):
                continue
            a, leg = f["alloc"], f.get("legacy") or {}
            d = dyn.get((f["file"], f["function"]), {})
            e, le = d.get("exec"), (d.get("legacy") or {}).get("exec")
            ins = lambda x: x["insns_executed"] if exec_ok(x) and x.get("workload") else None  # noqa: E731
            rows.append([p, f["file"], f["function"], f["peak_pressure"], f["status"],
                         a.get("spill_stores"), a.get("reloads"), a.get("moves"), a.get("frame_traffic"),
                         leg.get("rung"), leg.get("spill_stores"), leg.get("reloads"), leg.get("moves"),
                         leg.get("frame_traffic"), ins(e), ins(le)])
    return rows


def figure(pools, st, ex, path):
    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5))
    xs = list(range(len(pools)))
    labels = [f"{p}\n{POOLS[p]}" for p in pools]
    bottom = [0] * len(pools)
    for r in RUNGS:
        vals = [st[p]["rungs"].get(r, 0) for p in pools]
        if any(vals) and r != "base":
            ax[0][0].bar(xs, vals, bottom=bottom, label=f"legacy: {r}", width=0.5)
            bottom = [b + v for b, v in zip(bottom, vals)]
    ax[0][0].plot(xs, [st[p]["vcr_spilling"] for p in pools], "ko-", label="vcr-ra: functions that spill")
    ax[0][0].set_title("functions needing a rung (legacy) / spilling (vcr-ra)")
    w = 0.38
    for i, (key, title) in enumerate([(("vcr_st", "vcr_rl", "leg_st", "leg_rl"), "static spill stores + reloads"),
                                      (("vcr_frame", None, "leg_frame", None), "static frame traffic")]):
        a = ax[0][1] if i == 0 else ax[1][0]
        v = [st[p][key[0]] + (st[p][key[1]] if key[1] else 0) for p in pools]
        lg = [st[p][key[2]] + (st[p][key[3]] if key[3] else 0) for p in pools]
        a.bar([x - w / 2 for x in xs], v, w, label="vcr-ra", color="#2b7bba")
        a.bar([x + w / 2 for x in xs], lg, w, label="legacy model", color="#d95f02")
        a.set_title(title)
    a = ax[1][1]
    if ex:
        rel = lambda p, side: ex[p][side]["insns"] / ex[p]["base"] if p in ex and ex[p]["base"] else 0  # noqa: E731
        v = [rel(p, "vcr") for p in pools]
        lg = [rel(p, "legacy") for p in pools]
        a.bar([x - w / 2 for x in xs], v, w, label="vcr-ra", color="#2b7bba")
        a.bar([x + w / 2 for x in xs], lg, w, label="legacy model", color="#d95f02")
    a.set_title("executed instructions on kernel workloads\n(relative to vcr-ra at 9, same functions)", fontsize=10)
    for a in (ax[0][0], ax[0][1], ax[1][0], ax[1][1]):
        a.set_xticks(xs)
        a.set_xticklabels(labels, fontsize=8)
        a.legend(fontsize=7)
    fig.suptitle("Pool-size sweep: 8 (r0-r7), 9 (legacy pool), 10 (+r12), 11 (+lr)")
    save(fig, path)


def run(static, kernels, out_dir):
    """Experiment 2. static/kernels: pool size -> report. Returns Markdown."""
    pools = sorted(static)
    if not pools:
        return "## 2. Pool-size sweep\n\nnot available: no pool runs\n"
    st = {p: static_totals(static[p]) for p in pools}
    ex = {}
    for p in pools:
        if kernels.get(p) and kernels.get(9):
            same = ran_both(kernels[p]) & ran_both(kernels[9])  # compared with vcr-ra @9 on the same functions
            ex[p] = {"vcr": exec_totals(kernels[p], "vcr", same), "legacy": exec_totals(kernels[p], "legacy", same),
                     "base": exec_totals(kernels[9], "vcr", same)["insns"], "same": len(same)}
    header = ["pool", "file", "function", "peak_pressure", "status", "vcr_spill_stores", "vcr_reloads",
              "vcr_moves", "vcr_frame_traffic", "legacy_rung", "legacy_spill_stores", "legacy_reloads",
              "legacy_moves", "legacy_frame_traffic", "vcr_insns_executed", "legacy_insns_executed"]
    write_csv(os.path.join(out_dir, "experiments", "pools.csv"), header, per_function_rows(static, kernels))
    rows, sum_rows = [], []
    for p in pools:
        s = st[p]
        hist = ", ".join(f"{r} {n}" for r, n in s["rungs"].items() if n)
        for side in ("vcr", "legacy"):
            e = ex.get(p, {}).get(side)
            pre = "vcr" if side == "vcr" else "leg"
            r = [p, POOLS[p], "vcr-ra" if side == "vcr" else "legacy model", s["functions"],
                 f"{s['vcr_spilling']} spill, ladder fired {s['ladder_fired']}, not proved {s['not_proved']}"
                 if side == "vcr" else hist,
                 f"{s[pre + '_st']}/{s[pre + '_rl']}", s[pre + "_moves"], s[pre + "_frame"],
                 f"{e['ran']}/{e['declined']}" if e else None, ex[p]["same"] if e else None,
                 e["insns"] if e else None, e["insns"] / ex[p]["base"] if e and ex[p]["base"] else None,
                 f"{e['spill']}/{e['reload']}/{e['move']}/{e['frame']}" if e else None]
            rows.append(r)
            sum_rows.append(r[:4] + [r[4].replace(",", ";")] + r[5:])
    write_csv(os.path.join(out_dir, "experiments", "pools_summary.csv"),
              ["pool", "spec", "allocator", "functions", "rungs_or_spilling", "spill_st_rl", "moves",
               "frame_traffic", "kernels_ran_declined", "kernels_compared", "kernel_insns", "kernel_insns_vs_vcr9",
               "exec_spill_reload_move_frame"], sum_rows)
    figure(pools, st, ex, os.path.join(out_dir, "experiments", "pool_sweep.png"))
    md = ["## 2. Pool-size sweep\n",
          "Every input allocated with `--pool` of 8, 9, 10 and 11 registers, by vcr-ra and by the legacy "
          "model (`--legacy`); the kernels again with `--run --count-origins` on their fixed workloads. "
          "Static columns are summed over every allocated function; executed instructions are summed over "
          "the kernel functions whose code of both allocators ran at that pool and at 9 registers (*compared*; "
          "*vs vcr-ra @9* divides by vcr-ra's count at 9 registers on the same functions). *ran/declined*: "
          "kernel functions with workloads whose emitted code ran, or that the emitter declined. "
          "Executed counts include callees, like `insns_executed`. *exec sp/rl/mv/fr*: executed spill stores, reloads, "
          "moves and frame loads/stores (instructions inside allocator-inserted code of that origin).\n",
          md_table(["pool", "registers", "allocator", "functions", "rungs (legacy) / spilling functions",
                    "spill st/rl", "moves", "frame traffic", "kernels ran/declined", "compared", "kernel insns executed", "vs vcr-ra @9",
                    "exec sp/rl/mv/fr"], rows)]
    reasons = failure_reasons(static, kernels)
    if reasons:
        md.append("\nWhat fails at each pool (from the reports; a refuted obligation is the checker rejecting "
                  "vcr-ra's allocation, a decline is the emitter refusing the allocated code):\n\n"
                  + "\n".join(reasons) + "\n")
        if any("r12 (scratch)" in r for r in reasons):
            md.append("\nThe refutations come from the checker's rule that R12 is the emitter's scratch register "
                      "(read only inside the run of inserted instructions that wrote it), which it applies even when "
                      "`--pool` makes R12 allocatable; the declines from the emitter needing R12 as scratch where "
                      "the allocation keeps a value in it. Until the allocator, the emitter and the checker agree "
                      "on R12 in the pool, the 10- and 11-register rows are an upper bound on what they gain.\n")
    if not legacy_follows_pool(static):
        md.append("\nIn this build the legacy model ignores `--pool` (its pool is always R0-R8): its rows "
                  "repeat the 9-register figures, and only vcr-ra's change with the pool.\n")
    ref = 9 if 9 in st else pools[0]
    HEADLINES.append("2. Pool sweep, vcr-ra static spill stores + reloads: " + ", ".join(
        f"{p}: {st[p]['vcr_st'] + st[p]['vcr_rl']}" for p in pools) + f" (legacy model at 9: "
        f"{st[ref]['leg_st'] + st[ref]['leg_rl']} spill + {st[ref]['leg_frame']} frame traffic)"
        + "".join(f"; at {p} registers {st[p]['not_proved']} of {st[p]['functions']} allocations not proved and "
                  f"{ex[p]['vcr']['declined']} kernel functions declined by the emitter"
                  for p in pools if p in ex and (st[p]["not_proved"] or ex[p]["vcr"]["declined"])))
    if 8 in st and 11 in st:
        md.append(f"\nvcr-ra from 8 to 11 registers: static spill stores + reloads "
                  f"{st[8]['vcr_st'] + st[8]['vcr_rl']} -> {st[11]['vcr_st'] + st[11]['vcr_rl']}, functions that spill {st[8]['vcr_spilling']} "
                  f"-> {st[11]['vcr_spilling']}.\n")
    md.append("\n![pool sweep](experiments/pool_sweep.png)\n\nData: `experiments/pools.csv` (per function "
              "and pool), `experiments/pools_summary.csv`.\n")
    return "\n".join(md)

