#!/usr/bin/env bash
# Runs the WGAN-GP job through spark-submit.
#
#   ./submit.sh                                   short demo: local[*], bundled MNIST, ~3000 critic iterations
#   ./submit.sh train --epochs 5 --out runs/a     any job command and options (see: ./submit.sh train --help)
#   ./submit.sh --master 'local[2]' --driver-memory 4g train --workers 2 --max-critic-iters 500
#   ./submit.sh gif --run runs/a                  rebuild progress.gif of a run in progress
#   SPARK_HOME=/opt/spark ./submit.sh --properties-file conf/spark-yarn.conf --master yarn --deploy-mode cluster \
#       train --data hdfs:///data/mnist --out hdfs:///runs/a --workers 8
#
# spark-submit options come first, then the job's command and its options. With SPARK_HOME set the
# script uses $SPARK_HOME/bin/spark-submit and the shaded jar (Spark and Hadoop come from the
# installation); without it, it runs Spark's SparkSubmit from the project's own classpath with the
# thin jar, which is all a local run needs. Either jar is (re)built when missing or older than the sources.
#
# A YARN master needs SPARK_HOME (exit 2 without it).
#
# Environment: SPARK_HOME; WGANGP_MAXBYTES / WGANGP_MAXPHYSICALBYTES (ND4J off-heap limits for the
# driver and every executor, default 4g / 8g; with --properties-file only when set, so that the
# file's extraJavaOptions apply); OMP_NUM_THREADS (native threads per JVM, default 1: each Spark
# task sets its own count); OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (the run's BLAS kernel when
# blas.coreType is not set, default Haswell; forwarded to a YARN cluster-mode driver).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="0.1.0-SNAPSHOT"
thin_jar="$root/target/spark-wgan-gp-$version.jar"
fat_jar="$root/target/spark-wgan-gp-$version-all.jar"
classpath_file="$root/target/classpath.txt"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# --- split the arguments: spark-submit options, then the job's -----------------------------------
given_args=("$@")
spark_args=()
driver_java_options=""
driver_memory=""
executor_java_options=""
master=""
properties_file=""
while (($# > 0)); do
    case "$1" in
        --verbose|-v|--supervise)
            spark_args+=("$1"); shift ;;
        --master|--deploy-mode|--conf|-c|--driver-memory|--executor-memory|--executor-cores|--num-executors|\
        --name|--queue|--jars|--files|--archives|--packages|--repositories|--properties-file|\
        --total-executor-cores|--driver-java-options|--driver-class-path|--driver-library-path|--driver-cores|\
        --principal|--keytab)
            if (($# < 2)); then
                echo "submit.sh: $1 needs a value" >&2
                exit 2
            fi
            option="$1" value="$2"
            shift 2
            case "$option" in
                --driver-java-options) driver_java_options="$value" ;;
                --driver-memory) driver_memory="$value"; spark_args+=("$option" "$value") ;;
                --master) master="$value"; spark_args+=("$option" "$value") ;;
                --properties-file) properties_file="$value"; spark_args+=("$option" "$value") ;;
                --conf|-c)
                    if [[ "$value" == spark.executor.extraJavaOptions=* ]]; then
                        executor_java_options="${value#spark.executor.extraJavaOptions=}"
                    else
                        spark_args+=("$option" "$value")
                    fi ;;
                *) spark_args+=("$option" "$value") ;;
            esac ;;
        --*=*)
            # --option=value: split it and look again.
            option="${1%%=*}" value="${1#*=}"
            shift
            set -- "$option" "$value" "$@" ;;
        -*)
            echo "submit.sh: unknown spark-submit option $1 (job options go after the command, e.g. train)" >&2
            exit 2 ;;
        *)
            break ;;
    esac
done

job_args=("$@")
# How this script was invoked, up to the job's command: a train stopped by Ctrl-C prints its
# --resume command with it.
export WGANGP_SUBMIT_COMMAND="$(printf '%q ' "$0" "${given_args[@]:0:${#given_args[@]}-$#}")"
demo_out=""
if ((${#job_args[@]} == 0)); then
    demo_out="runs/$(date +%Y%m%d-%H%M%S)"
    job_args=(train --data "$root/data/mnist" --max-critic-iters 3000 --out "$demo_out")
    [[ -n "$master" ]] || { master="local[*]"; spark_args+=(--master "$master"); }
fi

# The master a properties file names counts as given (the command line's --master wins over it).
if [[ -z "$master" && -n "$properties_file" && -f "$properties_file" ]]; then
    master="$(sed -n 's/^[[:space:]]*spark\.master[[:space:]=:]\{1,\}\([^[:space:]]*\).*/\1/p' "$properties_file" | tail -n 1)"
fi
if [[ "$master" == yarn* && -z "${SPARK_HOME:-}" ]]; then
    echo "submit.sh: --master $master needs SPARK_HOME (a Spark installation with YARN support, and HADOOP_CONF_DIR" \
         "naming the cluster's configuration); without it only local masters run" >&2
    exit 2
fi

# --- JVM options: ND4J off-heap limits, logging ---------------------------------------------------
# A properties file sizes the off-heap limits itself (conf/spark-yarn.conf does, to fit its
# containers); the defaults below would override its extraJavaOptions, so they apply only without
# one or when set explicitly.
# Joins its non-empty arguments with single spaces.
join_options() {
    local joined="" option
    for option in "$@"; do
        [[ -z "$option" ]] || joined="${joined:+$joined }$option"
    done
    printf '%s' "$joined"
}
nd4j_options=""
if [[ -z "$properties_file" || -n "${WGANGP_MAXBYTES:-}${WGANGP_MAXPHYSICALBYTES:-}" ]]; then
    nd4j_options="-Dorg.bytedeco.javacpp.maxbytes=${WGANGP_MAXBYTES:-4g}"
    nd4j_options+=" -Dorg.bytedeco.javacpp.maxphysicalbytes=${WGANGP_MAXPHYSICALBYTES:-8g}"
fi
executor_java_options="$(join_options "$executor_java_options" "$nd4j_options")"
driver_options="$nd4j_options"
# A Spark installation keeps its own logging setup; the bare local driver gets conf/log4j2.properties.
if [[ -z "${SPARK_HOME:-}" && "$driver_java_options" != *log4j2.configurationFile* ]]; then
    driver_options="$(join_options "$driver_options" "-Dlog4j2.configurationFile=$root/conf/log4j2.properties")"
fi
driver_java_options="$(join_options "$driver_java_options" "$driver_options")"
[[ -z "$executor_java_options" ]] || spark_args+=(--conf "spark.executor.extraJavaOptions=$executor_java_options")
spark_args+=(--conf "spark.executorEnv.OMP_NUM_THREADS=$OMP_NUM_THREADS"
             --conf "spark.yarn.appMasterEnv.OMP_NUM_THREADS=$OMP_NUM_THREADS")
# The BLAS kernel (blas.coreType): this shell's choice reaches a cluster-mode driver only through
# its container's environment; the job itself passes the run's kernel on to every executor.
for variable in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
    [[ -z "${!variable:-}" ]] || spark_args+=(--conf "spark.yarn.appMasterEnv.$variable=${!variable}")
done

# True when the jar is missing or older than a source file or the POM.
stale() {
    [[ ! -f "$1" ]] || [[ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$1" -print -quit 2>/dev/null)" ]]
}

build() {
    echo "submit.sh: building the jars (mvn -q -DskipTests package) ..." >&2
    local sha
    sha="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
    (cd "$root" && mvn -q -B -DskipTests "-Dgit.sha=$sha" package)
}

if [[ -n "${SPARK_HOME:-}" ]]; then
    if stale "$fat_jar"; then build; fi
    # Given only when there are any: an empty value would replace spark.driver.extraJavaOptions.
    [[ -z "$driver_java_options" ]] || spark_args+=(--driver-java-options "$driver_java_options")
    command=("$SPARK_HOME/bin/spark-submit" "${spark_args[@]}" --class WganGpJob "$fat_jar" "${job_args[@]}")
else
    if stale "$thin_jar" || [[ ! -f "$classpath_file" ]]; then build; fi
    # Without a Spark installation the driver is this JVM: --driver-memory becomes its heap, and it
    # needs Spark's Java 17 module openings itself (the <java17.opens> list of pom.xml).
    opens="$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' "$root/pom.xml")"
    read -r -a opens_array <<< "$opens"
    read -r -a driver_array <<< "$driver_java_options"
    [[ -n "$master" ]] || spark_args+=(--master "local[*]")
    command=(java "${opens_array[@]}" "-Xmx${driver_memory:-2g}" "${driver_array[@]}"
             -cp "$thin_jar:$(cat "$classpath_file")" org.apache.spark.deploy.SparkSubmit
             "${spark_args[@]}" --class WganGpJob "$thin_jar" "${job_args[@]}")
fi

if [[ -z "$demo_out" ]]; then
    # The driver's JVM replaces this shell, so that a signal sent to the script (kill, a scheduler's
    # SIGTERM) reaches the driver, which stops cleanly, instead of leaving it running without the script.
    exec "${command[@]}"
fi
status=0
"${command[@]}" || status=$?
if [[ -n "$demo_out" && $status -eq 0 ]]; then
    echo
    echo "Outputs are in $demo_out/: samples/*.png and samples/progress.gif, checkpoints/, metrics.jsonl."
    echo "Train further with: ./submit.sh train --out $demo_out --resume --max-critic-iters 6000"
fi
exit "$status"
