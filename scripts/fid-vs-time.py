#!/usr/bin/python3
"""FID against generator steps and against projected single-core training time, for runs of
different models: a markdown table on stdout and a PNG plot.

    /usr/bin/python3 scripts/fid-vs-time.py OUT.png LABEL=RUN@CRITIC_ITERS_PER_S [LABEL=RUN@CRITIC_ITERS_PER_S ...]

Each RUN is a run directory whose checkpoints `evaluate --every-checkpoint` has scored
(eval/step-*.json). The time axis is a projection, not a measurement: critic iterations divided by
the critic iterations per second that `bench` measured for that model on a quiet core (training
compute only, one worker), so runs trained side by side on a shared machine compare as models,
not as whatever else the machine did.
"""
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(spec):
    label, rest = spec.split("=", 1)
    run, rate = rest.rsplit("@", 1)
    config = json.load(open(os.path.join(run, "config.json")))
    n_critic = int(config["nCritic"])
    points = []
    for f in glob.glob(os.path.join(run, "eval", "step-*.json")):
        e = json.load(open(f))
        steps = int(e["generator_steps"])
        points.append((steps, steps * n_critic / float(rate), float(e["fid"])))
    if not points:
        sys.exit(f"fid-vs-time.py: {run} has no eval/step-*.json; run evaluate --every-checkpoint first")
    return label, sorted(points)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    runs = [load(spec) for spec in sys.argv[2:]]
    print("| model | generator steps | projected minutes on one core | FID |")
    print("|---|---|---|---|")
    for label, points in runs:
        for steps, seconds, fid in points:
            print(f"| {label} | {steps} | {seconds / 60:.1f} | {fid:.2f} |")
    fig, (by_steps, by_time) = plt.subplots(1, 2, figsize=(10, 4))
    for label, points in runs:
        by_steps.plot([p[0] for p in points], [p[2] for p in points], marker="o", label=label)
        by_time.plot([p[1] / 60 for p in points], [p[2] for p in points], marker="o", label=label)
    by_steps.set_xlabel("generator steps")
    by_time.set_xlabel("projected minutes of training on one core")
    for ax in (by_steps, by_time):
        ax.set_ylabel("FID")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=100)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
