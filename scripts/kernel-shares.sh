#!/usr/bin/env bash
# The share of a critic iteration each kernel takes: runs `bench` (one thread) under Java Flight
# Recorder and attributes every execution sample, native frames included, to the innermost kernel
# of this project on its stack (a oneDNN convolution, a dense sgemm, BatchNorm, the leaky ReLU,
# Adam, ...). Prints one line per kernel, largest first.
#
#   scripts/kernel-shares.sh [iters=1000] [model=dcgan:32] [extra bench options...]
#
# model is mlp or dcgan:D. The recording goes to target/kernel-shares.jfr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
iters="${1:-1000}"
model="${2:-dcgan:32}"
shift $(($# < 2 ? $# : 2))
source "$root/scripts/model-args.sh"
model_args kernel-shares.sh "$model"
jar="target/spark-wgan-gp-0.1.0-SNAPSHOT.jar"
[[ -f "$jar" && -f target/classpath.txt ]] || mvn -q -DskipTests package
source "$root/scripts/spark-runtime.sh"
java_opens
recording="target/kernel-shares.jfr"
OMP_NUM_THREADS=1 java "${opens_array[@]}" -XX:StartFlightRecording=filename="$recording",settings=profile \
    -cp "$jar:$(cat target/classpath.txt)" WganGpJob bench --iters "$iters" --threads 1 "${our_model[@]}" "$@" \
    2>/dev/null | grep '^{'
jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 96 "$recording" | python3 -c '
import re, sys
# innermost first: the first of these found walking a stack from its top names the sample
kernels = [
    ("OneDnnConvolutions.convolve", "convolution forward (oneDNN)"),
    ("OneDnnConvolutions.transposedConvolve", "convolution backward data (oneDNN)"),
    ("OneDnnConvolutions.addKernelGradient", "convolution backward weights (oneDNN)"),
    ("HostBatchNorm.", "BatchNorm (host loops)"),
    ("HostKernels.leakyMasked", "leaky ReLU mask (host loop)"),
    ("Blas.gemm", "dense sgemm (oneDNN)"),
    ("Optimizer", "Adam"),
    ("Tanh", "tanh"),
    ("fused.", "fused MLP passes, outside sgemm"),
]
counts, total, stack = {}, 0, None
def close(frames):
    global total
    if frames is None or not frames:
        return
    total += 1
    for frame in frames:
        for needle, name in kernels:
            if needle in frame:
                counts[name] = counts.get(name, 0) + 1
                return
    top = next((f for f in frames if "wgangp." in f), "outside the training step")
    name = "other: " + re.sub(r"\(.*", "", top)[:70]
    counts[name] = counts.get(name, 0) + 1
for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample") or line.startswith("jdk.NativeMethodSample"):
        close(stack)
        stack = []
    elif stack is not None and re.match(r"\s+[a-zA-Z_$][\w.$]*\.[\w$<>]+\(", line):
        stack.append(line.strip())
close(stack)
for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[:14]:
    print(f"{100.0 * n / total:5.1f} %  {name}")
print(f"{total} samples")
'
