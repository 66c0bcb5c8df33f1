#!/usr/bin/env bash
# GPU smoke test on one GPU of this machine: build the CUDA jar (once), check the device engine's
# gradients against the PyTorch fixture on the GPU, time it (bench: one process, warm-up excluded),
# run a short Spark training on local[1] with one worker, and print its throughput; then, when
# /usr/bin/python3 has PyTorch with CUDA, run the PyTorch reference on the same GPU and print the
# figures side by side.
#
#   scripts/gpu-smoke.sh [--reference PATH/TO/wgan_gp_reference.py] [--iters 2000] [--gpu 0] [--rebuild] [--model mlp|dcgan:D]
#
#   --reference  the PyTorch reference script (not part of this project); without it, no comparison
#   --iters      critic iterations for bench, for the training run and for the reference (default 2000)
#   --gpu        nvidia-smi index of the GPU to use (default 0)
#   --rebuild    run `mvn -Pcuda -DskipTests package` even when target-cuda/ holds a build
#   --model      mlp (default) or dcgan:D, the convolutional model with base width D: its committed
#                fixture for the gradient check, --set model=dcgan --set dcgan.dim=D for bench and
#                train, --arch dcgan --dim D for the reference
#
# The CUDA build lives in target-cuda/ (the pom's cuda profile), beside the CPU build in target/;
# the first build downloads ~2.4 GB of CUDA natives. Spark has no GPU scheduling in local mode, so
# the GPU is chosen with CUDA_VISIBLE_DEVICES and the task runs on ND4J's only visible device.
# Exits non-zero when a step fails (the gradient check included).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

reference=""
iters=2000
gpu=0
rebuild=false
model=mlp
while (($# > 0)); do
    case "$1" in
        --reference) reference="${2:?--reference needs a path}"; shift 2 ;;
        --iters) iters="${2:?--iters needs a number}"; shift 2 ;;
        --gpu) gpu="${2:?--gpu needs an index}"; shift 2 ;;
        --rebuild) rebuild=true; shift ;;
        --model) model="${2:?--model needs mlp or dcgan:D}"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "gpu-smoke.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [[ ! "$iters" =~ ^[1-9][0-9]*$ || ! "$gpu" =~ ^[0-9]+$ ]]; then
    echo "gpu-smoke.sh: --iters must be a positive integer and --gpu an nvidia-smi index" >&2
    exit 2
fi
source "$root/scripts/model-args.sh"
model_args gpu-smoke.sh "$model"
fixture="src/test/resources/reference-grads.json.gz"
if [[ "$model" != mlp ]]; then
    fixture="src/test/resources/reference-grads-dcgan-d6.json.gz"
fi
if [[ -n "$reference" && ! -f "$reference" ]]; then
    echo "gpu-smoke.sh: --reference $reference: no such file" >&2
    exit 2
fi
if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpu-smoke.sh: nvidia-smi not found: this machine has no NVIDIA driver" >&2
    exit 1
fi

export CUDA_VISIBLE_DEVICES="$gpu"
export CUDA_DEVICE_ORDER=PCI_BUS_ID
export OMP_NUM_THREADS=1
batch=64
data="data/mnist/train-images-idx3-ubyte.gz"
target="$root/target-cuda"
jar="$target/spark-wgan-gp-0.1.0-SNAPSHOT.jar"

echo "== GPU $gpu: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader --id="$gpu")"

if [[ "$rebuild" == true || ! -f "$jar" || ! -f "$target/classpath.txt" ]]; then
    echo "== building the CUDA jar: mvn -Pcuda -DskipTests package"
    mvn -B -q -Pcuda -DskipTests "-Dgit.sha=$(git rev-parse HEAD 2>/dev/null || echo unknown)" package
fi

source "$root/scripts/spark-runtime.sh"
java_opens
java_cmd=(java "${opens_array[@]}" -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=4g
          -Dorg.bytedeco.javacpp.maxphysicalbytes=12g "-Dlog4j2.configurationFile=$root/conf/log4j2.properties"
          -cp "$jar:$(cat "$target/classpath.txt")")

# The value of a number field in a one-line JSON object (Jackson's or Python's spacing).
json_number() {
    sed -n "s/.*\"$1\": *\([-0-9.eE+]*\).*/\1/p" <<< "$2"
}

echo "== gradients of the device engine on the GPU against the PyTorch fixture"
"${java_cmd[@]}" WganGpJob check-gradients --fixture "$fixture" --engine device

echo "== bench: one process, device engine, $iters critic iterations"
bench="$("${java_cmd[@]}" WganGpJob bench --engine device --iters "$iters" --batch "$batch" --threads 1 --data "$data" \
    "${our_model[@]}")"
echo "$bench"

echo "== train: Spark local[1], one worker, $iters critic iterations"
out="$(mktemp -d)/run"
"${java_cmd[@]}" org.apache.spark.deploy.SparkSubmit --master 'local[1]' --conf spark.ui.enabled=false \
    --class WganGpJob "$jar" train --data data/mnist --out "$out" --workers 1 --batch "$batch" \
    --max-critic-iters "$iters" --set engine=device "${our_model[@]}"
# Throughput over the rounds after the first (which also loads CUDA and warms up), from metrics.jsonl:
# critic_iters is cumulative, round_seconds per round.
read -r train_its train_images < <(awk -v batch="$batch" '
    match($0, /"critic_iters":[0-9]+/) { c = substr($0, RSTART + 15, RLENGTH - 15) }
    match($0, /"round_seconds":[0-9.eE+-]+/) { s = substr($0, RSTART + 16, RLENGTH - 16) }
    NR > 1 { iters += c - previous; seconds += s }
    { previous = c }
    END { if (seconds > 0) printf "%.2f %.1f\n", iters / seconds, iters * batch / seconds; else print "n/a n/a" }
' "$out/metrics.jsonl")
echo "outputs in $out/ (samples/, checkpoints/, metrics.jsonl)"

torch_line=""
if [[ -n "$reference" ]]; then
    if /usr/bin/python3 -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
        echo "== PyTorch reference on the same GPU, $iters critic iterations"
        torch_line="$(/usr/bin/python3 "$reference" train --images "$data" --iters "$iters" --batch "$batch" --cuda \
            "${reference_model[@]}")"
        echo "$torch_line"
    else
        echo "== /usr/bin/python3 has no PyTorch with CUDA: no reference run"
    fi
fi

echo
echo "== critic iterations per second and images per second on GPU $gpu (batch $batch)"
printf '%-46s %12s %12s\n' "run" "critic it/s" "images/s"
printf '%-46s %12s %12s\n' "this engine, bench (one process)" \
    "$(json_number critic_iters_per_s "$bench")" "$(json_number images_per_s "$bench")"
printf '%-46s %12s %12s\n' "this engine, train (Spark local[1], 1 worker)" "$train_its" "$train_images"
if [[ -n "$torch_line" ]]; then
    printf '%-46s %12s %12s\n' "PyTorch reference (wgan_gp_reference.py)" \
        "$(json_number critic_iters_per_s "$torch_line")" "$(json_number images_per_s "$torch_line")"
fi
