#!/usr/bin/python3
"""Time to quality over several seeds: one scripts/time-to-quality.sh output folder per seed.

    /usr/bin/python3 scripts/time-to-quality-seeds.py [--runs n2-a,n4-b] OUT SEED_DIR [SEED_DIR ...]

Each SEED_DIR holds the runs of one seed and their report (time-to-quality.json, written by
scripts/time-to-quality-report.py), with the same run names in every folder (n1-base, n2-LABEL, ...).
For every run with more than one worker it gives, per seed, the range of its speedups in generator
steps per worker to the FID levels that seed's one-worker run reaches between its 2,000th and
4,000th step (as the report computes them), how many of those levels it reached, and its last FID;
then plots FID against generator steps per worker, one colour per run and one line per seed.
--runs keeps only the named runs (and the one-worker run).
Writes OUT/time-to-quality-seeds.md and OUT/time-to-quality-seeds.png.
"""
import argparse
import importlib.util
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("report", os.path.join(here, "time-to-quality-report.py"))
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)


def load(seed_dir):
    path = os.path.join(seed_dir, "time-to-quality.json")
    if not os.path.exists(path):
        sys.exit(f"time-to-quality-seeds.py: {path} is missing; run scripts/time-to-quality.sh --out {seed_dir} first")
    with open(path) as f:
        data = json.load(f)
    runs = {r["name"]: r for r in data["runs"]}
    if "n1-base" not in runs:
        sys.exit(f"time-to-quality-seeds.py: {seed_dir} has no one-worker run (n1-base)")
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", help="comma-separated run names to keep (default: every run)")
    ap.add_argument("out")
    ap.add_argument("seed_dirs", nargs="+")
    args = ap.parse_args()
    out = args.out
    seeds = [(os.path.basename(os.path.normpath(d)), load(d)) for d in args.seed_dirs]
    keep = set(args.runs.split(",")) if args.runs else None
    names = sorted({n for _, runs in seeds for n in runs if n != "n1-base" and (keep is None or n in keep)},
                   key=lambda n: (int(n[1:n.index("-")]) if n[1:n.index("-")].isdigit() else 0, n))
    if keep is not None and set(names) != keep:
        sys.exit(f"time-to-quality-seeds.py: no run named {', '.join(sorted(keep - set(names)))} in any folder")

    lines = ["# Time to quality over seeds", "",
             "Speedup in generator steps per worker to the FID levels each seed's one-worker run reaches between "
             "its 2,000th and 4,000th step: lowest-highest over the levels reached, (levels reached of levels), "
             "then the run's last FID. One worker's last FID for comparison in the first row.", "",
             "| run | " + " | ".join(s for s, _ in seeds) + " |", "|---|" + "---|" * len(seeds)]
    cells = []
    for _, runs in seeds:
        last = runs["n1-base"]["evals"][-1]
        cells.append(f"last FID {last[1]:.1f} at {last[0]}")
    lines.append("| n1-base | " + " | ".join(cells) + " |")
    summary = {}
    for name in names:
        cells = []
        for seed, runs in seeds:
            run, base = runs.get(name), runs["n1-base"]["evals"]
            if run is None:
                cells.append("not run")
                continue
            levels = sorted({round(f, 1) for s, f in base if 2000 <= s <= 4000}, reverse=True)
            speedups = []
            for level in levels:
                b, r = report.steps_to(base, level), report.steps_to(run["evals"], level)
                if b and r:
                    speedups.append(b / r)
            last = run["evals"][-1]
            summary.setdefault(name, {})[seed] = {"speedups": speedups, "levels": len(levels), "last": last}
            span = f"{min(speedups):.2f}-{max(speedups):.2f}x" if speedups else "none"
            cells.append(f"{span} ({len(speedups)} of {len(levels)}), last FID {last[1]:.1f} at {last[0]}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "time-to-quality-seeds.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "time-to-quality-seeds.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("\n".join(lines))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = {}
    for seed_index, (seed, runs) in enumerate(seeds):
        for name in ["n1-base"] + names:
            if name not in runs:
                continue
            colour = colours.setdefault(name, f"C{len(colours) % 10}")
            steps, fids = zip(*runs[name]["evals"])
            ax.plot(steps, fids, color=colour, marker=".", alpha=0.8,
                    linestyle=["-", "--", ":", "-."][seed_index % 4],
                    label=f"{name} ({seed})")
    ax.set_xlabel("generator steps per worker")
    ax.set_ylabel("FID (lower is better)")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "time-to-quality-seeds.png"), dpi=110)


if __name__ == "__main__":
    main()
