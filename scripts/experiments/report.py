#!/usr/bin/env python3
"""report.py: the experiment report of issue 16 from the raw verify-alloc
reports that scripts/experiments.sh wrote. Writes OUT/experiments.md, CSV
data and PNG figures under OUT/experiments/.

Usage: report.py RAW_DIR OUT_DIR
RAW_DIR holds static-<pool>.json, kernels-<pool>.json (pools 8..11),
scale-<k>.json (k = 1.. repetitions), optimal.json and optimal-<cpu>.json (only with --optimal) and
meta.json.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dynamic  # noqa: E402
import optimal  # noqa: E402
import pools  # noqa: E402
import scaling  # noqa: E402
import spurious  # noqa: E402
from common import HEADLINES, POOLS, load_report  # noqa: E402


def scale_reports(raw):
    """The scaling runs scale-1.json, scale-2.json, ... (repetitions of one run)."""
    reps, k = [], 1
    while (r := load_report(os.path.join(raw, f"scale-{k}.json"))) is not None:
        reps.append(r)
        k += 1
    return reps


def main(raw, out):
    meta = load_report(os.path.join(raw, "meta.json")) or {}
    static = {p: r for p in POOLS if (r := load_report(os.path.join(raw, f"static-{p}.json")))}
    kernels = {p: r for p in POOLS if (r := load_report(os.path.join(raw, f"kernels-{p}.json")))}
    opt = load_report(os.path.join(raw, "optimal.json")) if meta.get("optimal") else None
    vfp = {c: r for c in optimal.VFP_CPUS if (r := load_report(os.path.join(raw, f"optimal-{c}.json")))}
    os.makedirs(os.path.join(out, "experiments"), exist_ok=True)
    sections = [optimal.run(opt, out, static.get(9)) + "\n" + optimal.run_vfp(vfp, out),
                pools.run(static, kernels, out),
                spurious.run(static, out, pools.legacy_follows_pool(static), opt), dynamic.run(kernels.get(9), out, opt),
                scaling.run(scale_reports(raw), out)]
    head = ["# Experiments (issue 16)\n",
            "Regenerate everything here with `bash scripts/experiments.sh` (`--quick` for the reduced run the "
            "ctest `experiments_quick` makes). Numbers come from runs of `build/tools/verify-alloc`; the "
            "figures are drawn by `scripts/experiments/*.py` (matplotlib).\n"]
    facts = []
    if meta:
        facts.append(f"- mode: {meta.get('mode', '?')}; commit {meta.get('commit', '?')}; {meta.get('date', '?')}")
        facts.append(f"- inputs of experiments 2-3: {meta.get('static_inputs', '?')}; kernels: corpus/kernels")
        if meta.get("optimal"):
            facts.append(f"- inputs of experiment 1: {meta.get('optimal_inputs', '?')}")
        if meta.get("generated"):
            facts.append(f"- generated modules: {meta['generated']}")
        if meta.get("wall_seconds"):
            facts.append(f"- wall time of the run: {meta['wall_seconds']} s "
                         f"({os.cpu_count()} cores, shared with other jobs)")
        for k, v in sorted((meta.get("exit_codes") or {}).items()):
            if v not in (0, "0"):
                facts.append(f"- `{k}` exited {v} (1: some function refuted, mismatched or fired the ladder; "
                             "the rows say which)")
    lines = ["## Headlines\n"] + [f"- {h}" for h in sorted(HEADLINES)]
    text = ("\n".join(head) + ("\n" + "\n".join(facts) + "\n" if facts else "") + "\n" + "\n".join(lines) + "\n\n"
            + "\n".join(sections))
    with open(os.path.join(out, "experiments.md"), "w") as fh:
        fh.write(text)
    print(f"report.py: wrote {os.path.join(out, 'experiments.md')}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))

