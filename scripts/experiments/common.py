"""Shared helpers of the experiment report: verify-alloc JSON reports,
statistics, CSV and Markdown tables, the Agg matplotlib backend."""
import csv
import json
import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

# The pools of the sweep: size -> verify-alloc --pool spec.
POOLS = {8: "r0-r7", 9: "r0-r8", 10: "r0-r8,r12", 11: "r0-r8,r12,lr"}
HEADLINES = []  # one line per experiment's headline numbers, for the top of the report
RUNGS = ["base", "spill", "param-backing", "promotion-off", "pool-grow", "exhausted", "declined"]


def load_report(path):
    """The JSON report at `path`, or None when the file is missing or empty."""
    if not path or not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path) as fh:
        return json.load(fh)


def kernel_name(f):
    """'pid:pid_step' style label of a function row."""
    return os.path.splitext(os.path.basename(f["file"]))[0] + ":" + f["function"]


def allocated(f):
    """True when vcr-ra allocated the function (any checker verdict)."""
    return "alloc" in f and f.get("status") != "declined"


def vcr_spill_ops(f):
    a = f.get("alloc") or {}
    return a.get("spill_stores", 0) + a.get("reloads", 0)


def legacy_spill_ops(f):
    leg = f.get("legacy") or {}
    return leg.get("spill_stores", 0) + leg.get("reloads", 0)


def legacy_needs_rung(f):
    """The legacy model needed a recovery rung, or emitted spill code at base."""
    leg = f.get("legacy") or {}
    rung = leg.get("rung")
    return rung not in (None, "base", "declined") or (rung == "base" and legacy_spill_ops(f) > 0)


def exec_ok(e):
    return bool(e) and e.get("status") == "ok" and e.get("runs", 0) > 0


def origin_count(e, kind):
    """Executed instructions of origin `kind` (spill, reload, move, ...), or None."""
    if not exec_ok(e) or "insns_by_origin" not in e:
        return None
    return e["insns_by_origin"].get(kind, 0)


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def fit_power(ns, ts):
    """Least-squares fit of t = c * n^k on log-log axes: (k, c), or (nan, nan)."""
    pts = [(math.log(n), math.log(t)) for n, t in zip(ns, ts) if n > 0 and t > 0]
    if len(pts) < 2:
        return float("nan"), float("nan")
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return float("nan"), float("nan")
    k = sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx
    return k, math.exp(my - k * mx)


def fmt(x, digits=2):
    """A number for a table: integers as is, floats rounded, None/NaN as '-'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def save(fig, path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
