#!/usr/bin/env python3
"""Fits the cost of each phase of a round and predicts the synchronisation share of larger clusters.

    scripts/sync-cost-model.py RUNS_DIR [--out DIR] [--frequency 40] [--cores C]

RUNS_DIR holds runs of scripts/bench-scaling.sh (folders MODEL-wN-fF, each with metrics.jsonl and a
checkpoint whose state.bin gives the bytes a round moves), for several executor counts N and one
or more models. For every phase outside compute (broadcast, task launch, set-up, result,
aggregation, averaging) it takes the median over the rounds after the first, fits the candidate
forms below by non-negative least squares, and keeps the one with the lowest BIC:

    constant            a
    per byte            a + b*B
    per byte, log N     a + b*B + c*B*log2(N)
    per byte, N         a + b*B + c*B*(N-1)
    log N               a + c*log2(N)
    N                   a + c*(N-1)
    per tree level      a + b*B + (c + d*B)*L, L the shuffle stages of Spark's treeAggregate(depth 2)

with B the state's size in MB. Each form also gets a term for this machine's contention (more
executors than the C cores the runs shared, default this machine's), which the prediction leaves
out. The fitted costs are CPU and memory costs: on one machine the executors talk over the
loopback interface. The prediction adds what a network adds, from the way Spark moves the bytes:

  - broadcast: TorrentBroadcast cuts the state into 4 MiB pieces that executors fetch from the
    driver and from each other; with P pieces this takes about (P + log2 N) piece times;
  - result: treeAggregate (depth 2, as Spark builds it for N partitions) sends each replica's state
    (floats, B) to a reducer, and each partial sum (doubles, 2B) on to the next level or the
    driver; a level takes as long as its busiest receiver's link needs for what it receives.

The round's compute is the measured compute per generator step (median, fewest executors) times
the averaging frequency, one core per executor as measured; the share is the predicted time
outside compute over the whole round.

Synchronous training (RUNS_DIR/synchronous/MODEL-wN-fF, runs of bench-scaling.sh with parallelism
synchronous) spends its synchronisation in the allreduce of every step instead. Each run's metrics
give the allreduce's seconds, calls and bytes per generator step on this machine; over the runs,
seconds = 2*alpha*calls + gamma*bytes is fitted (alpha: one hop's latency; gamma: the CPU's copying
and adding per byte). A ring allreduce over N executors takes 2(N-1) hops per call and moves
2(N-1)/N of the bytes over each link, so a step's synchronisation is predicted as

    2(N-1)*alpha*calls + gamma*bytes + 2(N-1)/N * bytes / link

and its share as that over itself plus the step's compute (the measured compute per step less the
allreduce). Writes sync-cost-model.md (fits and predictions) and sync-cost-model.json to --out
(default RUNS_DIR).
"""
import argparse
import glob
import json
import math
import os
import re
import itertools
import statistics
import sys

PHASES = ["broadcast_s", "task_launch_s", "setup_s", "result_s", "aggregate_s", "average_s"]
PIECE = 4 * 1024 * 1024  # spark.broadcast.blockSize's default
FORMS = {
    "constant": lambda n, b: [1.0],
    "per byte": lambda n, b: [1.0, b],
    "per byte, log N": lambda n, b: [1.0, b, b * math.log2(n)],
    "per byte, N": lambda n, b: [1.0, b, b * (n - 1)],
    "log N": lambda n, b: [1.0, math.log2(n)],
    "N": lambda n, b: [1.0, n - 1.0],
    # treeAggregate adds a shuffle stage from 6 partitions on (see tree_levels)
    "per byte, per tree level": lambda n, b: [1.0, b, len(tree_levels(n)) - 1.0, b * (len(tree_levels(n)) - 1)],
}


def features(form, workers, mb, cores):
    """The form's columns plus one for this machine's contention: with more executors than cores,
    work each executor does for itself queues for the cores, (N/cores - 1) times over. Per byte
    for the forms with a per-byte term. A cluster gives each executor its own cores: cores=None."""
    extra = max(0.0, workers / cores - 1) if cores else 0.0
    cols = FORMS[form](workers, mb)
    return cols + [extra * (mb if len(cols) > 1 and form.startswith("per byte") else 1.0)]


def read_runs(root):
    runs = []
    for path in sorted(glob.glob(os.path.join(root, "*-w*-f*"))):
        m = re.fullmatch(r"(.+)-w(\d+)-f(\d+)", os.path.basename(path))
        metrics = os.path.join(path, "metrics.jsonl")
        if not m or not os.path.isdir(path) or not os.path.exists(metrics):
            continue
        rows = [json.loads(line) for line in open(metrics)]
        steady = rows[1:] or rows
        states = glob.glob(os.path.join(path, "checkpoints", "*", "state.bin"))
        if not states:
            print(f"sync-cost-model.py: skipping {path}: no checkpoint yet (unfinished?)", file=sys.stderr)
            continue
        runs.append({
            "model": m.group(1), "workers": int(m.group(2)), "frequency": int(m.group(3)),
            "rounds": len(rows), "bytes": max(os.path.getsize(s) for s in states),
            "phases": {p: statistics.median(r[p] for r in steady) for p in PHASES + ["compute_s"]},
        })
    return runs


def read_synchronous(root):
    """Per run of RUNS_DIR/synchronous: the allreduce's seconds, calls and bytes, and the compute, per step."""
    runs = []
    for path in sorted(glob.glob(os.path.join(root, "synchronous", "*-w*-f*"))):
        m = re.fullmatch(r"(.+)-w(\d+)-f(\d+)", os.path.basename(path))
        metrics = os.path.join(path, "metrics.jsonl")
        if not m or int(m.group(2)) < 2 or not os.path.exists(metrics):
            continue
        rows = [json.loads(line) for line in open(metrics)]
        steps = [rows[0]["step"]] + [b["step"] - a["step"] for a, b in zip(rows, rows[1:])]
        steady = list(zip(rows, steps))[1:] or list(zip(rows, steps))
        per_step = {k: statistics.median(r[k] / n for r, n in steady)
                    for k in ("allreduce_s", "allreduce_calls", "allreduce_mb", "compute_s")}
        runs.append({"model": m.group(1), "workers": int(m.group(2)), "allreduce_s": per_step["allreduce_s"],
                     "calls": per_step["allreduce_calls"], "bytes": per_step["allreduce_mb"] * 1e6,
                     "compute_s": per_step["compute_s"] - per_step["allreduce_s"]})
    return runs


def allreduce_seconds(alpha, gamma, calls, nbytes, workers, gbit):
    """A step's allreduce over a ring of `workers` executors on a `gbit` link."""
    link = gbit * 1e9 / 8
    return 2 * (workers - 1) * alpha * calls + gamma * nbytes + 2 * (workers - 1) / workers * nbytes / link


def synchronous_model(runs, alpha=None):
    """alpha and gamma from the runs (least squares, non-negative), measured with 2 ranks per ring;
    with alpha given, gamma alone from what the latency leaves."""
    x = [[2 * (r["workers"] - 1) * r["calls"], r["bytes"]] for r in runs]
    y = [r["allreduce_s"] for r in runs]
    if alpha is not None:
        rest = [t - alpha * row[0] for row, t in zip(x, y)]
        gamma = max(0.0, sum(row[1] * t for row, t in zip(x, rest)) / sum(row[1] ** 2 for row in x))
        return {"alpha": alpha, "gamma": gamma, "alpha_given": True}
    coef = non_negative_least_squares(x, y)[0] if len(runs) >= 2 else [0.0, y[0] / runs[0]["bytes"]]
    return {"alpha": coef[0], "gamma": coef[1], "alpha_given": False}


def least_squares(x, y):
    """Ordinary least squares by the normal equations (a handful of columns), or None if singular."""
    k = len(x[0])
    a = [[sum(row[i] * row[j] for row in x) for j in range(k)] + [sum(row[i] * t for row, t in zip(x, y))]
         for i in range(k)]
    for c in range(k):
        pivot = max(range(c, k), key=lambda r: abs(a[r][c]))
        if abs(a[pivot][c]) < 1e-12:
            return None
        a[c], a[pivot] = a[pivot], a[c]
        for r in range(k):
            if r != c:
                f = a[r][c] / a[c][c]
                a[r] = [u - f * v for u, v in zip(a[r], a[c])]
    return [a[i][k] / a[i][i] for i in range(k)]


def non_negative_least_squares(x, y):
    """Least squares with every coefficient >= 0: the best unconstrained fit over each subset of the
    columns that comes out non-negative (exact for the few columns of these forms)."""
    k = len(x[0])
    best, best_rss = [0.0] * k, sum(t * t for t in y)
    for size in range(1, k + 1):
        for cols in itertools.combinations(range(k), size):
            coef = least_squares([[row[c] for c in cols] for row in x], y)
            if coef is None or min(coef) < 0:
                continue
            full = [0.0] * k
            for c, v in zip(cols, coef):
                full[c] = v
            rss = sum((sum(f * v for f, v in zip(row, full)) - t) ** 2 for row, t in zip(x, y))
            if rss < best_rss:
                best, best_rss = full, rss
    return best, best_rss


def fit(runs, phase, cores, forms=tuple(FORMS)):
    """The form with the lowest BIC and its coefficients, for one phase."""
    y = [r["phases"][phase] for r in runs]
    n = len(y)
    best = None
    for name in forms:
        # Sizes in MB so that the columns are of similar size.
        x = [features(name, r["workers"], r["bytes"] / 1e6, cores) for r in runs]
        if len(x[0]) >= n:
            continue
        coef, rss = non_negative_least_squares(x, y)
        bic = n * math.log(max(rss, 1e-12) / n) + len(coef) * math.log(n)
        if best is None or bic < best["bic"]:
            best = {"form": name, "coef": coef, "bic": bic, "rms": math.sqrt(rss / n), "mean": statistics.mean(y)}
    return best


def fitted(f, workers, state_bytes):
    """The phase's cost on a cluster: the fit without this machine's contention term."""
    return sum(a * b for a, b in zip(features(f["form"], workers, state_bytes / 1e6, None), f["coef"]))


def tree_levels(n):
    """Spark's treeAggregate(depth 2): the partition count at each level, ending with what the driver fetches."""
    levels = [n]
    scale = max(math.ceil(n ** 0.5), 2)
    while n > scale + math.ceil(n / scale):
        n //= scale
        levels.append(n)
    return levels


def network_seconds(workers, state_bytes, gbit):
    link = gbit * 1e9 / 8
    pieces = math.ceil(state_bytes / PIECE)
    broadcast = (pieces + math.log2(workers)) * min(PIECE, state_bytes) / link if workers > 1 else 0.0
    result = 0.0
    levels = tree_levels(workers)
    partial = state_bytes  # a single replica's state travels as floats
    for before, after in zip(levels, levels[1:] + [1]):
        result += math.ceil(before / after) * partial / link
        partial = 2 * state_bytes  # sums travel as doubles
    return broadcast, result


# How to print each form's coefficients: (multiplier, unit) per coefficient.
UNITS = {"constant": [(1, "s")],
         "per byte": [(1, "s"), (1e3, "ms/MB")],
         "per byte, log N": [(1, "s"), (1e3, "ms/MB"), (1e3, "ms/MB per log2 N")],
         "per byte, N": [(1, "s"), (1e3, "ms/MB"), (1e3, "ms/MB per extra executor")],
         "log N": [(1, "s"), (1, "s per log2 N")],
         "N": [(1, "s"), (1, "s per extra executor")],
         "per byte, per tree level": [(1, "s"), (1e3, "ms/MB"), (1, "s per shuffle level"),
                                      (1e3, "ms/MB per shuffle level")]}


def describe(f):
    units = UNITS[f["form"]] + [(1e3, "ms/MB") if f["form"].startswith("per byte") else (1, "s")]
    terms = [f"{c * m:.3f} {u}" for c, (m, u) in zip(f["coef"], units)]
    return " + ".join(terms[:-1]) + f" (contention: {terms[-1]} per extra executor per core)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs")
    ap.add_argument("--out")
    ap.add_argument("--frequency", type=int, default=40, help="generator steps per round to predict for")
    ap.add_argument("--cores", type=int, default=os.cpu_count(), help="cores of the machine the runs ran on")
    ap.add_argument("--alpha", type=float, help="synchronous: one hop's latency in seconds, instead of fitting it "
                    "(the measured allreduce includes waiting for the slowest rank, which a busy machine inflates)")
    args = ap.parse_args()
    runs = read_runs(args.runs)
    synchronous = read_synchronous(args.runs)
    if len({(r["model"], r["workers"]) for r in runs}) < 3 and not synchronous:
        sys.exit(f"sync-cost-model.py: {args.runs} holds fewer than three runs of bench-scaling.sh (MODEL-wN-fF"
                 " folders) and no synchronous ones (synchronous/MODEL-wN-fF)")
    if len({(r["model"], r["workers"]) for r in runs}) < 3:
        runs = []  # parameter averaging needs three runs to fit; only the synchronous section follows
    out = args.out or args.runs
    fits = {p: fit(runs, p, args.cores) for p in PHASES} if runs else {}
    # A torrent should spread the state in about log N rounds of pieces, not N; a few executors on a
    # few cores cannot show which it does, so the prediction also gives the share with that form.
    torrent = dict(fits, broadcast_s=fit(runs, "broadcast_s", args.cores, ("per byte, log N",))) if runs else {}

    lines = ["# Synchronisation cost model", "",
             f"Runs: {len(runs)} ({', '.join(sorted({r['model'] for r in runs}))}; executors "
             f"{', '.join(str(n) for n in sorted({r['workers'] for r in runs}))}) on {args.cores} cores.", "",
             "## Measured medians (s)", "",
             "| model | N | state MB | " + " | ".join(p[:-2] for p in PHASES) + " | compute |",
             "|---|---|---|" + "---|" * (len(PHASES) + 1)]
    for r in sorted(runs, key=lambda r: (r["model"], r["workers"])):
        lines.append(f"| {r['model']} | {r['workers']} | {r['bytes'] / 1e6:.2f} | "
                     + " | ".join(f"{r['phases'][p]:.3f}" for p in PHASES + ["compute_s"]) + " |")
    lines += ["", "## Fits (B: state size)", "", "| phase | form | fit | rms error (s) | mean (s) |",
              "|---|---|---|---|---|"]
    for p, f in list(fits.items()) + ([("broadcast_s (log N)", torrent["broadcast_s"])] if runs else []):
        lines.append(f"| {p.replace('_s', '')} | {f['form']} | {describe(f)} | {f['rms']:.3f} | {f['mean']:.3f} |")

    predictions = []
    for model in sorted({r["model"] for r in runs}):
        mine = [r for r in runs if r["model"] == model]
        state_bytes = max(r["bytes"] for r in mine)
        fewest = min(mine, key=lambda r: r["workers"])
        per_step = fewest["phases"]["compute_s"] / fewest["frequency"]
        compute = per_step * args.frequency
        for gbit in (10, 100):
            for workers in (2, 8, 64, 256):
                cpu = sum(fitted(f, workers, state_bytes) for f in fits.values())
                broadcast, result = network_seconds(workers, state_bytes, gbit)
                outside = cpu + broadcast + result
                outside_torrent = sum(fitted(f, workers, state_bytes) for f in torrent.values()) + broadcast + result
                predictions.append({"model": model, "gbit": gbit, "workers": workers, "state_mb": state_bytes / 1e6,
                                    "compute_s": compute, "cpu_s": cpu, "broadcast_link_s": broadcast,
                                    "result_link_s": result, "outside_s": outside,
                                    "sync_share": outside / (outside + compute),
                                    "sync_share_torrent": outside_torrent / (outside_torrent + compute),
                                    # outside / (outside + f * per_step) <= 10 %  <=>  f >= 9 * outside / per_step
                                    "frequency_for_10pct": math.ceil(9 * outside / per_step)})
    lines += ["", f"## Predicted sync share at averaging frequency {args.frequency}", "",
              "| model | link | executors | compute (s) | fitted phases (s) | broadcast on the link (s) "
              "| result on the link (s) | sync share | with a log N broadcast | averaging frequency for 10 % |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for q in predictions:
        lines.append(f"| {q['model']} | {q['gbit']} Gb/s | {q['workers']} | {q['compute_s']:.2f} | {q['cpu_s']:.3f} | "
                     f"{q['broadcast_link_s']:.3f} | {q['result_link_s']:.3f} | {100 * q['sync_share']:.1f} % "
                     f"| {100 * q['sync_share_torrent']:.1f} % "
                     f"| {q['frequency_for_10pct']} |")
    sync_fit = synchronous_model(synchronous, args.alpha) if synchronous else None
    sync_predictions = []
    if sync_fit:
        lines += ["", "## Synchronous training: the allreduce of every step", "",
                  f"{'Given' if sync_fit['alpha_given'] else 'Fitted'} over {len(synchronous)} run(s): one hop's latency alpha = "
                  f"{1e3 * sync_fit['alpha']:.3f} ms, copying and adding gamma = {1e3 * sync_fit['gamma'] * 1e6:.3f} ms/MB.",
                  "", "| model | measured with N | calls per step | MB per step | allreduce per step (s) | compute per step (s) |",
                  "|---|---|---|---|---|---|"]
        for r in synchronous:
            lines.append(f"| {r['model']} | {r['workers']} | {r['calls']:.1f} | {r['bytes'] / 1e6:.2f} | "
                         f"{r['allreduce_s']:.4f} | {r['compute_s']:.4f} |")
        lines += ["", "| model | link | executors | allreduce per step (s) | compute per step (s) | share |",
                  "|---|---|---|---|---|---|"]
        for r in sorted({r["model"]: r for r in synchronous}.values(), key=lambda r: r["model"]):
            for gbit in (10, 100):
                for workers in (2, 8, 64, 256):
                    t = allreduce_seconds(sync_fit["alpha"], sync_fit["gamma"], r["calls"], r["bytes"], workers, gbit)
                    q = {"model": r["model"], "gbit": gbit, "workers": workers, "allreduce_s": t,
                         "compute_s": r["compute_s"], "share": t / (t + r["compute_s"])}
                    sync_predictions.append(q)
                    lines.append(f"| {q['model']} | {gbit} Gb/s | {workers} | {t:.4f} | {r['compute_s']:.4f} | "
                                 f"{100 * q['share']:.1f} % |")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "sync-cost-model.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "sync-cost-model.json"), "w") as fh:
        json.dump({"runs": runs, "fits": fits, "predictions": predictions, "synchronous_runs": synchronous,
                   "synchronous_fit": sync_fit, "synchronous_predictions": sync_predictions}, fh, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
