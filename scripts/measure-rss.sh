#!/usr/bin/env bash
# Resident memory of a long local run: 1 worker, local[1], the bundled data, N critic iterations
# (default 20000). Samples the driver JVM's RSS every 10 s and prints the RSS after warm-up (the
# first minute), at the end, and the growth between them.
#
#   scripts/measure-rss.sh [critic iterations, default 20000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
iters="${1:-20000}"
out="$root/target/rss-run"
rm -rf "$out"
./submit.sh --master 'local[1]' train --workers 1 --max-critic-iters "$iters" --out "$out" > "$out.log" 2>&1 &
launcher=$!
samples="$out.rss"
: > "$samples"
start=$(date +%s)
while kill -0 "$launcher" 2>/dev/null; do
    pid=$(pgrep -f "SparkSubmit.*--out $out" | head -1 || true)
    if [[ -n "$pid" ]]; then
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [[ -n "$rss" ]] && echo "$(( $(date +%s) - start )) $rss" >> "$samples"
    fi
    sleep 10
done
wait "$launcher"
python3 - "$samples" <<'PY'
import json, sys
rows = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if line.strip()]
warm = [kb for t, kb in rows if t >= 60]
base, peak, end = warm[0], max(warm), warm[-1]
print(json.dumps({"samples": len(rows), "rss_mb_after_warmup": round(base / 1024), "rss_mb_peak": round(peak / 1024),
                  "rss_mb_end": round(end / 1024), "growth_after_warmup": round((end - base) / base, 3)}))
PY
