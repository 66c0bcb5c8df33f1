#!/usr/bin/env python3
"""Time-to-quality report of the runs under a directory: FID against generator steps per worker and
against projected wall time, as a markdown table and a PNG plot.

    scripts/time-to-quality-report.py DIR [--baseline RUN] [--levels-from A B]

Each run is a subdirectory holding config.json, metrics.jsonl and eval/step-*.json (written by
`evaluate --every-checkpoint`). Writes DIR/time-to-quality.md, DIR/time-to-quality.png and
DIR/time-to-quality.json.

Wall time is a projection, not a measurement: per generator step, the per-step compute of the
baseline run (one replica alone on its core, so N replicas on N cores take as long per step) plus,
for synchronous runs, the run's own median allreduce per step, and per round (a segment of
synchronous training), the run's own median time outside compute (round_seconds - compute_s).
Measured wall times of a busy or oversubscribed machine would compare the machine, not the method.
"""
import argparse
import glob
import json
import os
import statistics
import sys


def load_run(path):
    config = json.load(open(os.path.join(path, "config.json")))
    metrics = [json.loads(line) for line in open(os.path.join(path, "metrics.jsonl")) if line.strip()]
    evals = []
    for f in glob.glob(os.path.join(path, "eval", "step-*.json")):
        e = json.load(open(f))
        evals.append((int(e["generator_steps"]), float(e["fid"])))
    evals.sort()
    outer = ""
    # Runs written before the parallelism key existed averaged their replicas.
    synchronous = int(config["workers"]) > 1 and config.get("parallelism", "averaging") == "synchronous"
    if synchronous:
        outer = "synchronous"
    elif int(config["workers"]) > 1:
        lr, mu = float(config.get("outer.lr", 1)), float(config.get("outer.momentum", 0))
        outer = "plain averaging" if (lr, mu) == (1.0, 0.0) else f"outer lr {lr:g}, momentum {mu:g}"
    workers = int(config["workers"])
    # The rate the replicas trained with: lr, scaled for the workers by lr.workerScaling (absent: none).
    scaling = config.get("lr.workerScaling", "none") if workers > 1 else "none"
    lr = float(config["lr"]) * {"none": 1, "sqrt": workers ** 0.5, "linear": workers}[scaling]
    return {"name": os.path.basename(path.rstrip("/")), "workers": workers,
            "averaging_frequency": int(config["segmentSteps"] if synchronous else config["averagingFrequency"]),
            "lr": lr,
            "outer": outer, "metrics": metrics, "evals": evals}


def allreduce_per_step(run):
    """Median seconds per generator step spent in the allreduce (0 without one)."""
    values, previous = [], 0
    for m in run["metrics"]:
        steps, previous = m["step"] - previous, m["step"]
        if steps > 0:
            values.append(m.get("allreduce_s", 0.0) / steps)
    return statistics.median(values[1:] or values) if values else 0.0


def round_costs(run):
    """Median seconds per generator step of compute, and median seconds per round outside compute."""
    per_step, outside = [], []
    previous = 0
    for m in run["metrics"]:
        steps = m["step"] - previous
        previous = m["step"]
        # Lines written before the phase fields existed: the slowest replica's compute is the round less sync_seconds.
        compute = m["compute_s"] if "compute_s" in m else m["round_seconds"] - m["sync_seconds"]
        if steps > 0:
            per_step.append(compute / steps)
            outside.append(max(0.0, m["round_seconds"] - compute))
    # The first round pays for JIT and caches: leave it out when there are others.
    if len(per_step) > 1:
        per_step, outside = per_step[1:], outside[1:]
    if not per_step:
        return None, None
    return statistics.median(per_step), statistics.median(outside)


def projected_seconds(step, step_seconds, round_seconds, frequency):
    rounds = -(-step // frequency)
    return step * step_seconds + rounds * round_seconds


def steps_to(evals, level):
    """First generator step at which the FID reaches level, interpolated between checkpoints; None if never."""
    previous = None
    for step, fid in evals:
        if fid <= level:
            if previous is None or previous[1] == fid:
                return float(step)
            s0, f0 = previous
            return s0 + (step - s0) * (f0 - level) / (f0 - fid)
        previous = (step, fid)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--baseline", help="the one-worker run to compare against (default: the first with 1 worker)")
    parser.add_argument("--levels-from", nargs=2, type=int, default=[2000, 4000], metavar=("A", "B"),
                        help="FID levels: what the baseline reaches at its checkpoints between steps A and B")
    args = parser.parse_args()

    runs = []
    for d in sorted(glob.glob(os.path.join(args.dir, "*", ""))):
        if os.path.exists(os.path.join(d, "config.json")) and os.path.exists(os.path.join(d, "metrics.jsonl")):
            run = load_run(d)
            if run["evals"]:
                runs.append(run)
    if not runs:
        sys.exit(f"no evaluated run under {args.dir}")
    runs.sort(key=lambda r: (r["workers"], r["name"]))
    ones = [r for r in runs if r["workers"] == 1]
    baseline = next((r for r in runs if r["name"] == args.baseline), None) if args.baseline else (ones[0] if ones else None)
    base_step = round_costs(baseline)[0] if baseline else None

    summary = []
    for r in runs:
        step_s, round_s = round_costs(r)
        step_s = base_step + allreduce_per_step(r) if base_step is not None else step_s
        r["projected"] = [(s, f, projected_seconds(s, step_s, round_s, r["averaging_frequency"]) if step_s is not None else None)
                          for s, f in r["evals"]]
        r["step_seconds"], r["round_outside_seconds"] = step_s, round_s

    levels = []
    if baseline:
        a, b = args.levels_from
        levels = sorted({round(f, 1) for s, f in baseline["evals"] if a <= s <= b}, reverse=True)
        if not levels:  # a short run: the second half of the baseline's curve
            half = baseline["evals"][len(baseline["evals"]) // 2:]
            levels = sorted({round(f, 1) for s, f in half}, reverse=True)
        for r in runs:
            if r is baseline:
                continue
            for level in levels:
                b_steps, r_steps = steps_to(baseline["evals"], level), steps_to(r["evals"], level)
                summary.append({"run": r["name"], "workers": r["workers"], "fid": level,
                                "baseline_steps": b_steps, "steps": r_steps,
                                "speedup": (b_steps / r_steps) if b_steps and r_steps else None})

    out = os.path.join(args.dir, "time-to-quality")
    with open(out + ".json", "w") as f:
        json.dump({"runs": [{k: v for k, v in r.items() if k != "metrics"} for r in runs], "speedups": summary}, f,
                  indent=1)

    lines = ["# Time to quality", "",
             "FID (evaluate, same classifier, sample count and seed for every checkpoint) against generator steps per",
             "worker. *Projected wall time* is a projection, not a measurement: steps x the baseline's median compute",
             "per step + rounds x the run's own median time per round outside compute.", "",
             "| run | workers | averaging frequency | Adam lr | outer step | median compute s/step | median s/round outside compute |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        fmt = lambda x: "" if x is None else f"{x:.4f}"
        lines.append(f"| {r['name']} | {r['workers']} | {r['averaging_frequency']} | {r['lr']:g} | {r['outer'] or '-'} |"
                     f" {fmt(round_costs(r)[0])} | {fmt(r['round_outside_seconds'])} |")
    phases = ["broadcast_s", "task_launch_s", "setup_s", "compute_s", "result_s", "aggregate_s", "average_s", "outer_s"]
    lines += ["", "Median seconds per round by phase (metrics.jsonl, rounds after the first), and the share of the",
              "round outside compute:", "",
              "| run | workers | round_seconds | " + " | ".join(phases) + " | outside compute |",
              "|---|---|---|" + "---|" * (len(phases) + 1)]
    for r in runs:
        rows = [m for m in r["metrics"][1:] or r["metrics"] if all(p in m for p in phases)]
        if not rows:
            continue
        med = {p: statistics.median(m[p] for m in rows) for p in phases + ["round_seconds"]}
        share = sum(m["round_seconds"] - m["compute_s"] for m in rows) / sum(m["round_seconds"] for m in rows)
        lines.append(f"| {r['name']} | {r['workers']} | {med['round_seconds']:.3f} | "
                     + " | ".join(f"{med[p]:.3f}" for p in phases) + f" | {100 * share:.1f} % |")
    steps = sorted({s for r in runs for s, _ in r["evals"]})
    lines += ["", "| generator steps per worker | " + " | ".join(r["name"] for r in runs) + " |",
              "|---|" + "---|" * len(runs)]
    for s in steps:
        cells = []
        for r in runs:
            hit = [(f, p) for st, f, p in r["projected"] if st == s]
            cells.append("" if not hit else f"{hit[0][0]:.1f}" + ("" if hit[0][1] is None else f" ({hit[0][1]:.0f} s)"))
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Cells: FID (projected wall seconds to reach that checkpoint).")
    if summary:
        lines += ["", f"Generator steps per worker to reach each FID level of {baseline['name']} "
                  f"(its checkpoints between steps {args.levels_from[0]} and {args.levels_from[1]}), and the speedup:", "",
                  "| run | workers | FID level | steps (baseline) | steps (run) | speedup |", "|---|---|---|---|---|---|"]
        for row in summary:
            f = lambda x, p=0: "not reached" if x is None else f"{x:.{p}f}"
            lines.append(f"| {row['run']} | {row['workers']} | {row['fid']:.1f} | {f(row['baseline_steps'])} |"
                         f" {f(row['steps'])} | {f(row['speedup'], 2)}{'' if row['speedup'] is None else 'x'} |")
    with open(out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for r in runs:
        label = f"{r['name']} ({r['workers']} worker{'s' if r['workers'] > 1 else ''})"
        left.plot([s for s, _ in r["evals"]], [f for _, f in r["evals"]], marker="o", ms=3, label=label)
        if all(p is not None for _, _, p in r["projected"]):
            right.plot([p for _, _, p in r["projected"]], [f for _, f, _ in r["projected"]], marker="o", ms=3, label=label)
    left.set_xlabel("generator steps per worker")
    right.set_xlabel("projected wall time, s (a projection: see time-to-quality.md)")
    for ax in (left, right):
        ax.set_ylabel("FID")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out + ".png", dpi=110)
    print(out + ".md")
    print(out + ".png")


if __name__ == "__main__":
    main()
