#!/usr/bin/env bash
# Data-parallel scaling on separate executor JVMs: local-cluster[N,1,2048] (N executors with one
# core each) for N = 1 and 2 at the default averaging frequency, then N = 2 at other averaging
# frequencies. Prints, per run, the median images/s over the rounds after warm-up, the share of
# round time spent outside the partitions' compute (broadcast, task launch, treeAggregate), and the
# median of each phase of a round (docs/scaling.md#where-a-rounds-time-goes).
#
#   scripts/bench-scaling.sh [critic iterations per worker, default 1500] [averaging frequencies, default "50 10 20"] \
#       [model=mlp|dcgan:D] [application jar, default the thin jar, built when missing] [out, default target/bench-scaling] \
#       [executor counts, default "1 2"]
#
# The first frequency is run with each executor count (the scaling ratio), the others with 2.
# Each line also gives the size of the state a round broadcasts and aggregates.
# scripts/sync-cost-model.py fits the phases of such runs and predicts them for larger clusters.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
iters="${1:-1500}"
frequencies=(${2:-50 10 20})
model="${3:-mlp}"
source "$root/scripts/model-args.sh"
model_args bench-scaling.sh "$model"
source "$root/scripts/spark-runtime.sh"
version="0.1.0-SNAPSHOT"
jar="${4:-$root/target/spark-wgan-gp-$version.jar}"
out_root="${5:-$root/target/bench-scaling}"
executors=(${6:-1 2})
[[ -f "$jar" && -f target/classpath.txt ]] || mvn -q -DskipTests package

spark_home="$out_root/spark-home"
spark_home_of "$spark_home"
java_opens

run() {
    local workers="$1" frequency="$2" out="$out_root/$model-w$1-f$2"
    rm -rf "$out"
    SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 OMP_NUM_THREADS=1 \
        java "${opens_array[@]}" -Xmx2g -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit \
        --master "local-cluster[$workers,1,2048]" --conf spark.executorEnv.OMP_NUM_THREADS=1 \
        --driver-java-options "-Dlog4j2.configurationFile=$root/conf/log4j2.properties" \
        --class WganGpJob "$jar" train --data data/mnist --out "$out" --workers "$workers" \
        --averaging-frequency "$frequency" --max-critic-iters "$iters" --sample-interval 100000 \
        --checkpoint-interval 100000 "${our_model[@]}" > "$out.log" 2>&1
    python3 - "$out/metrics.jsonl" "$workers" "$frequency" "$model" "$out/checkpoints" <<'PY'
import glob, json, os, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
state = [os.path.getsize(p) for p in glob.glob(sys.argv[5] + "/*/state.bin")]
steady = rows[len(rows) // 5:] or rows
ips = statistics.median(r["images_per_s"] for r in steady)
sync = sum(r["sync_seconds"] for r in steady) / sum(r["round_seconds"] for r in steady)
phases = {k: round(statistics.median(r[k] for r in steady), 4) for k in rows[0]
          if k.endswith("_s") and k != "images_per_s"}
print(json.dumps({"model": sys.argv[4], "workers": int(sys.argv[2]), "averaging_frequency": int(sys.argv[3]),
                  "rounds": len(rows), "images_per_s": round(ips, 1), "sync_share": round(sync, 3),
                  "state_mb": round(max(state) / 1e6, 2) if state else None, "phases": phases}))
PY
}

mkdir -p "$out_root"
for n in "${executors[@]}"; do
    run "$n" "${frequencies[0]}"
done
for f in "${frequencies[@]:1}"; do
    run 2 "$f"
done
