#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs this executor may use as Spark's resource JSON,
#
#   {"name":"gpu","addresses":["0","1"]}
#
# with nvidia-smi's device indices as addresses. Spark runs it when an executor (or a standalone
# worker) starts; see conf/spark-gpu.conf:
#
#   spark.executor.resource.gpu.discoveryScript=scripts/gpu-discovery.sh   (ship it with --files on YARN)
#
# nvidia-smi lists every GPU of the machine whatever CUDA_VISIBLE_DEVICES says. When that variable
# is set (a container or a resource manager restricting the executor), only the GPUs it lists are
# printed, so Spark never hands a task a GPU the executor cannot use; each task then maps its
# address to the CUDA runtime's numbering (wgangp.distributed.TaskGpu). Exits non-zero, with a
# message on stderr, when nvidia-smi is missing or fails.
set -euo pipefail

if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpu-discovery.sh: nvidia-smi not found on PATH: no NVIDIA driver on ${HOSTNAME:-this host}?" >&2
    exit 1
fi
listing="$(nvidia-smi --query-gpu=index --format=csv,noheader)"

# CUDA_VISIBLE_DEVICES as a set of indices; empty when unset (every GPU is visible).
declare -A visible=()
restricted=false
if [[ -n "${CUDA_VISIBLE_DEVICES+set}" ]]; then
    restricted=true
    IFS=',' read -r -a entries <<< "$CUDA_VISIBLE_DEVICES"
    for entry in "${entries[@]}"; do
        entry="${entry//[[:space:]]/}"
        [[ -z "$entry" ]] && continue
        if [[ ! "$entry" =~ ^[0-9]+$ ]]; then
            echo "gpu-discovery.sh: CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES names a device by something other" \
                "than its index ('$entry'); this script handles indices only" >&2
            exit 1
        fi
        visible[$entry]=1
    done
fi

addresses=()
while IFS= read -r line; do
    index="${line//[[:space:]]/}"
    [[ -z "$index" ]] && continue
    if [[ ! "$index" =~ ^[0-9]+$ ]]; then
        echo "gpu-discovery.sh: unexpected line from nvidia-smi --query-gpu=index: '$line'" >&2
        exit 1
    fi
    if [[ "$restricted" == false || -n "${visible[$index]+set}" ]]; then
        addresses+=("\"$index\"")
    fi
done <<< "$listing"

joined="$(IFS=,; echo "${addresses[*]}")"
printf '{"name":"gpu","addresses":[%s]}\n' "$joined"
