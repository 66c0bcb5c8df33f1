#!/usr/bin/env bash
# Sample quality against the PyTorch reference: for each seed, trains this project (one worker,
# submit.sh train on local[1]) and the reference (wgan_gp_reference.py train, one thread) for the
# same critic iterations on the bundled digits, draws the same number of samples from each final
# generator and scores both with evaluate (FID against the held-out digits, same classifier); ours
# also at four earlier checkpoints, whose times are in the run's metrics.jsonl.
# Prints one JSON line per run, then a summary line per side; the two trainings of a seed run
# side by side, one per core.
#
#   scripts/quality-vs-pytorch.sh PATH/TO/wgan_gp_reference.py [iters=20000] [seeds="0 1 2"] [model=dcgan:32] [samples=5000]
#
# model is mlp or dcgan:D. Runs and results go to target/quality-vs-pytorch/; a seed whose results
# are there is not run again, so an interrupted benchmark continues where it stopped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
reference="${1:?path to wgan_gp_reference.py}"
iters="${2:-20000}"
seeds=(${3:-0 1 2})
model="${4:-dcgan:32}"
samples="${5:-5000}"
data="data/mnist"
out="$root/target/quality-vs-pytorch"
mkdir -p "$out"

source "$root/scripts/model-args.sh"
model_args quality-vs-pytorch.sh "$model"
label="${model/dcgan:/dcgan-d}"
# generator steps = critic iterations / nCritic (5); five checkpoints, all kept and evaluated, for
# FID against steps and wall time
steps=$((iters / 5))

for seed in "${seeds[@]}"; do
    run="$out/$label-seed$seed"
    ours="$out/$label-seed$seed-ours.json"
    theirs="$out/$label-seed$seed-pytorch.json"
    if [[ -f "$ours" && -f "$theirs" ]]; then
        continue
    fi
    rm -rf "$run" "$run-pytorch.idx.gz"
    start=$(date +%s)
    # one thread each: unpinned, the reference's OpenBLAS threads spin on the other core
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$reference" train --images "$data/train-images-idx3-ubyte.gz" --iters "$iters" \
        --warmup 0 --threads 1 --seed "$seed" "${reference_model[@]}" --samples "$samples" \
        --samples-out "$run-pytorch.idx.gz" > "$run-pytorch.log" 2>&1 &
    reference_pid=$!
    OMP_NUM_THREADS=1 ./submit.sh --master 'local[1]' train --out "$run" --workers 1 --seed "$seed" \
        --max-critic-iters "$iters" --checkpoint-interval $((steps / 5)) --keep-checkpoints 0 --sample-interval 400 \
        "${our_model[@]}" \
        > "$run.log" 2>&1
    ours_seconds=$(($(date +%s) - start))
    wait "$reference_pid"
    ./submit.sh --master 'local[2]' evaluate --run "$run" --every-checkpoint --count "$samples" --seed "$seed" \
        > "$run-eval.log" 2>&1
    ./submit.sh --master 'local[2]' evaluate --samples "$run-pytorch.idx.gz" --out "$theirs" --seed "$seed" \
        > "$run-pytorch-eval.log" 2>&1
    cp "$run/eval/$(cat "$run/checkpoints/latest").json" "$ours"
    echo "{\"seed\": $seed, \"side\": \"ours\", \"train_seconds\": $ours_seconds, \"fid\": $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['fid'])" "$ours")}"
    echo "{\"seed\": $seed, \"side\": \"pytorch\", \"train_line\": $(tail -1 "$run-pytorch.log"), \"fid\": $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['fid'])" "$theirs")}"
done

python3 - "$out" "$label" "${seeds[@]}" <<'PY'
import json, statistics, sys
out, label, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
for side in ("ours", "pytorch"):
    fids = [json.load(open(f"{out}/{label}-seed{s}-{side}.json"))["fid"] for s in seeds]
    print(json.dumps({"model": label, "side": side, "seeds": seeds, "fid": [round(f, 2) for f in fids],
                      "mean_fid": round(statistics.mean(fids), 2)}))
PY
