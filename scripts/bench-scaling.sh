#!/usr/bin/env bash
# Data-parallel scaling on separate executor JVMs: local-cluster[N,1,2048] (N executors with one
# core each) for N = 1 and 2 at the first round length, then N = 2 at the other round lengths.
# Prints, per run, the median images/s over the rounds after warm-up, the median seconds per
# generator step, the share of round time spent outside the partitions' compute (broadcast, task
# launch, treeAggregate, allreduce), the share in the allreduce, and the median of each phase of a
# round (docs/scaling.md#where-a-rounds-time-goes).
#
#   scripts/bench-scaling.sh [critic iterations per worker, default 1500] [round lengths, default "50 10 20"] \
#       [model=mlp|dcgan:D] [application jar, default the thin jar, built when missing] [out, default target/bench-scaling] \
#       [executor counts, default "1 2"] [parallelism=synchronous|averaging, default synchronous]
#
# A round length is segmentSteps under synchronous training, averagingFrequency under parameter
# averaging. The first is run with each executor count (the scaling ratio), the others with 2.
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
parallelism="${7:-synchronous}"
case "$parallelism" in
    synchronous) round_key=segmentSteps ;;
    averaging) round_key=averagingFrequency ;;
    *) echo "bench-scaling.sh: parallelism must be synchronous or averaging, got $parallelism" >&2; exit 2 ;;
esac
[[ -f "$jar" && -f target/classpath.txt ]] || mvn -q -DskipTests package

spark_home="$out_root/spark-home"
spark_home_of "$spark_home"
java_opens

run() {
    # synchronous runs in a folder of their own: sync-cost-model.py fits the averaging runs' phases
    local workers="$1" frequency="$2" out="$out_root/$model-w$1-f$2"
    [[ "$parallelism" == averaging ]] || out="$out_root/synchronous/$model-w$1-f$2"
    mkdir -p "$(dirname "$out")"
    rm -rf "$out"
    SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 OMP_NUM_THREADS=1 \
        java "${opens_array[@]}" -Xmx2g -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit \
        --master "local-cluster[$workers,1,2048]" --conf spark.executorEnv.OMP_NUM_THREADS=1 \
        --driver-java-options "-Dlog4j2.configurationFile=$root/conf/log4j2.properties" \
        --class WganGpJob "$jar" train --data data/mnist --out "$out" --workers "$workers" \
        --parallelism "$parallelism" --set "$round_key=$frequency" --max-critic-iters "$iters" --sample-interval 100000 \
        --checkpoint-interval 100000 "${our_model[@]}" > "$out.log" 2>&1
    python3 - "$out/metrics.jsonl" "$workers" "$frequency" "$model" "$out/checkpoints" "$parallelism" <<'PY'
import glob, json, os, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
state = [os.path.getsize(p) for p in glob.glob(sys.argv[5] + "/*/state.bin")]
steady = rows[len(rows) // 5:] or rows
ips = statistics.median(r["images_per_s"] for r in steady)
sync = sum(r["sync_seconds"] for r in steady) / sum(r["round_seconds"] for r in steady)
allreduce = sum(r.get("allreduce_s", 0) for r in steady) / sum(r["round_seconds"] for r in steady)
steps = [rows[0]["step"]] + [b["step"] - a["step"] for a, b in zip(rows, rows[1:])]
step_seconds = statistics.median(r["round_seconds"] / n for r, n in list(zip(rows, steps))[len(rows) // 5:] or zip(rows, steps))
phases = {k: round(statistics.median(r[k] for r in steady), 4) for k in rows[0]
          if k.endswith("_s") and k != "images_per_s"}
print(json.dumps({"model": sys.argv[4], "parallelism": sys.argv[6], "workers": int(sys.argv[2]),
                  "round_steps": int(sys.argv[3]), "rounds": len(rows), "images_per_s": round(ips, 1),
                  "step_seconds": round(step_seconds, 4), "sync_share": round(sync, 3),
                  "allreduce_share": round(allreduce, 3),
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
