#!/usr/bin/env bash
# Single-process training throughput against the PyTorch reference, back to back on this machine:
# for each thread count, `rounds` alternating runs of wgan_gp_reference.py train and our bench,
# same iterations, batch and data. Prints one JSON line per run.
#
#   scripts/bench-vs-pytorch.sh PATH/TO/wgan_gp_reference.py [iters=1000] [rounds=3] [threads="1 2"] [model=mlp|dcgan:D]
#
# model dcgan:D runs both sides on the convolutional model with base channel count D
# (the reference's --arch dcgan --dim D, our --set model=dcgan --set dcgan.dim=D).
#
# The reference's OpenBLAS gets the same thread count (unpinned, its threads spin on the other core
# without making it faster). The reference needs Debian's python3-torch and an optimised BLAS behind it (libopenblas0-pthread;
# with only libblas3's reference BLAS, PyTorch runs ~15x slower and the comparison means nothing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
reference="${1:?path to wgan_gp_reference.py}"
iters="${2:-1000}"
rounds="${3:-3}"
threads=(${4:-1 2})
source "$root/scripts/model-args.sh"
model_args bench-vs-pytorch.sh "${5:-mlp}"
data="data/mnist/train-images-idx3-ubyte.gz"
jar="target/spark-wgan-gp-0.1.0-SNAPSHOT.jar"
[[ -f "$jar" && -f target/classpath.txt ]] || mvn -q -DskipTests package
source "$root/scripts/spark-runtime.sh"
java_opens

for t in "${threads[@]}"; do
    for ((r = 0; r < rounds; r++)); do
        OPENBLAS_NUM_THREADS="$t" /usr/bin/python3 "$reference" train --images "$data" --iters "$iters" --threads "$t" "${reference_model[@]}"
        OMP_NUM_THREADS="$t" java "${opens_array[@]}" -cp "$jar:$(cat target/classpath.txt)" WganGpJob \
            bench --iters "$iters" --threads "$t" --data "$data" "${our_model[@]}" 2>/dev/null
    done
done
