#!/usr/bin/env bash
# Time to quality: trains 1, 2 and 4 workers (by default) from the same seed for the same number of
# generator steps per worker, checkpointing every K steps, evaluates every checkpoint
# (evaluate --every-checkpoint), then writes FID against generator steps per worker and against
# projected wall time as a markdown table and a PNG (scripts/time-to-quality-report.py).
#
#   scripts/time-to-quality.sh --steps 2000                                   # N = 1, 2, 4 on local[N]
#   scripts/time-to-quality.sh --steps 2000 --workers "2" --label nesterov \
#       --set outer.lr=1 --set outer.momentum=0.5                              # one more curve in the same report
#   scripts/time-to-quality.sh --report-only                                  # the report of the runs already there
#
# Options:
#   --steps N            generator steps per worker (default 2000)
#   --workers "1 2 4"    worker counts to train
#   --checkpoint-every K generator steps between checkpoints (default 200; best a multiple of averagingFrequency)
#   --master local|local-cluster   local[N] in one JVM (default), or local-cluster[N,1,2048]: N executor JVMs
#   --set KEY=VALUE      a configuration key for the runs with more than one worker (repeatable)
#   --label NAME         names the runs n<N>-NAME (default: defaults, or the --set values); one worker is n1-base
#   --out DIR            where the runs and the report go (default target/time-to-quality)
#   --count N            samples per checkpoint for the FID (evaluate --count; default 1000)
#   --classifier URI     the evaluate classifier (default: evaluate's, trained and cached on first use)
#   --jar JAR            the application jar (default: the thin jar, built when missing)
#   --train-arg ARG      one more train argument for every run (repeatable; e.g. a smaller model)
#   --report-only        skip training and evaluation
#
# A run that already has its final checkpoint is not trained again, and a checkpoint already
# evaluated is not evaluated again, so an interrupted benchmark continues where it stopped.
# FID against generator steps does not depend on the machine, so N = 4 on a 2-core machine is
# valid; wall time is projected from the measured per-step compute and per-round cost (see the report).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

steps=2000
workers_list="1 2 4"
every=200
master=local
sets=()
label=""
out="$root/target/time-to-quality"
count=1000
classifier=""
jar=""
train_args=()
report_only=false
while (($# > 0)); do
    case "$1" in
        --steps) steps="$2"; shift 2 ;;
        --workers) workers_list="$2"; shift 2 ;;
        --checkpoint-every) every="$2"; shift 2 ;;
        --master) master="$2"; shift 2 ;;
        --set) sets+=(--set "$2"); shift 2 ;;
        --label) label="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --count) count="$2"; shift 2 ;;
        --classifier) classifier="$2"; shift 2 ;;
        --jar) jar="$2"; shift 2 ;;
        --train-arg) train_args+=("$2"); shift 2 ;;
        --report-only) report_only=true; shift ;;
        *) echo "time-to-quality.sh: unknown option $1 (see the comment at the top of the script)" >&2; exit 2 ;;
    esac
done
case "$master" in local|local-cluster) ;; *) echo "time-to-quality.sh: --master is local or local-cluster" >&2; exit 2 ;; esac
if [[ -z "$label" ]]; then
    label=defaults
    ((${#sets[@]} == 0)) || label="$(printf '%s' "${sets[*]}" | sed 's/--set //g; s/[^A-Za-z0-9.=_-]\{1,\}/_/g')"
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# A python with matplotlib: the first python3 on the PATH, else the system's (Debian's python3-matplotlib).
python=python3
python3 -c 'import matplotlib' 2>/dev/null || python=/usr/bin/python3

if ! $report_only; then
    version="0.1.0-SNAPSHOT"
    jar="${jar:-$root/target/spark-wgan-gp-$version.jar}"
    [[ -f "$jar" && -f target/classpath.txt ]] || mvn -q -B -DskipTests package
    source "$root/scripts/spark-runtime.sh"
    java_opens
    # classpath.txt has no trailing newline.
    classpath="$(cat target/classpath.txt)"
    spark_env=()
    if [[ "$master" == local-cluster ]]; then
        spark_home="$out/spark-home"
        spark_home_of "$spark_home"
        spark_env=(SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12)
    fi

    submit() {
        local n="$1"
        shift
        local m="local[$n]"
        [[ "$master" != local-cluster ]] || m="local-cluster[$n,1,2048]"
        env "${spark_env[@]}" OMP_NUM_THREADS=1 java "${opens_array[@]}" -Xmx2g \
            -Dlog4j2.configurationFile="$root/conf/log4j2.properties" -cp "$jar:$classpath" \
            org.apache.spark.deploy.SparkSubmit --master "$m" --conf spark.executorEnv.OMP_NUM_THREADS=1 \
            --class WganGpJob "$jar" "$@"
    }

    # Runs stop after critic iterations: steps x nCritic (conf/wgan-gp.properties, or the last --set of it).
    n_critic="$(sed -n 's/^nCritic=\([0-9]*\).*/\1/p' conf/wgan-gp.properties)"
    for arg in "${sets[@]}" "${train_args[@]}"; do
        [[ "$arg" != nCritic=* ]] || n_critic="${arg#nCritic=}"
    done

    for n in $workers_list; do
        if ((n == 1)); then
            run="$out/n1-base"
            run_sets=()
        else
            run="$out/n$n-$label"
            run_sets=("${sets[@]}")
        fi
        last="$(printf 'step-%07d' "$steps")"
        if [[ ! -f "$run/checkpoints/$last/MANIFEST" ]]; then
            echo "training $run: $n worker(s), $steps generator steps each" >&2
            mode=(--overwrite)
            [[ ! -f "$run/checkpoints/latest" ]] || mode=(--resume)
            # A huge epoch count so that the critic iterations alone stop the run.
            submit "$n" train --out "$run" "${mode[@]}" --workers "$n" --max-critic-iters "$((steps * n_critic))" \
                --epochs 1000000 --checkpoint-interval "$every" --keep-checkpoints 0 --sample-interval "$every" \
                "${run_sets[@]}" "${train_args[@]}" > "$run.train.log" 2>&1 \
                || { echo "training $run failed; its log: $run.train.log" >&2; tail -n 20 "$run.train.log" >&2; exit 1; }
        fi
        pending=false
        for cp in "$run"/checkpoints/step-*; do
            [[ -f "$run/eval/$(basename "$cp").json" ]] || pending=true
        done
        if $pending; then
            echo "evaluating every checkpoint of $run" >&2
            submit 2 evaluate --run "$run" --every-checkpoint --count "$count" \
                ${classifier:+--classifier "$classifier"} > "$run.eval.log" 2>&1 \
                || { echo "evaluating $run failed; its log: $run.eval.log" >&2; tail -n 20 "$run.eval.log" >&2; exit 1; }
        fi
    done
fi

"$python" "$root/scripts/time-to-quality-report.py" "$out"
