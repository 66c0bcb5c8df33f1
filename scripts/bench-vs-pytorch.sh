#!/usr/bin/env bash
# Single-process training throughput against the PyTorch reference, back to back on this machine:
# for each thread count, `rounds` alternating runs of wgan_gp_reference.py train and our bench,
# same iterations, batch and data. Prints one JSON line per run.
#
#   scripts/bench-vs-pytorch.sh PATH/TO/wgan_gp_reference.py [iters=1000] [rounds=3] [threads="1 2"]
#
# The reference needs Debian's python3-torch and an optimised BLAS behind it (libopenblas0-pthread;
# with only libblas3's reference BLAS, PyTorch runs ~15x slower and the comparison means nothing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
reference="${1:?path to wgan_gp_reference.py}"
iters="${2:-1000}"
rounds="${3:-3}"
threads=(${4:-1 2})
data="data/mnist/train-images-idx3-ubyte.gz"
jar="target/spark-wgan-gp-0.1.0-SNAPSHOT.jar"
[[ -f "$jar" && -f target/classpath.txt ]] || mvn -q -DskipTests package
opens="$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' pom.xml)"
read -r -a opens_array <<< "$opens"

for t in "${threads[@]}"; do
    for ((r = 0; r < rounds; r++)); do
        /usr/bin/python3 "$reference" train --images "$data" --iters "$iters" --threads "$t"
        OMP_NUM_THREADS="$t" java "${opens_array[@]}" -cp "$jar:$(cat target/classpath.txt)" WganGpJob \
            bench --iters "$iters" --threads "$t" --data "$data" 2>/dev/null
    done
done
