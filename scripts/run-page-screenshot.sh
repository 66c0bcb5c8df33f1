#!/usr/bin/env bash
# Regenerates docs/run-page.png, the README's picture of a run's index.html: a short real run on
# the bundled MNIST subset, then its page opened from file:// in headless Chromium.
#
#   scripts/run-page-screenshot.sh [RUN_DIR] [PNG]     defaults: /tmp/spark-wgan-gp/demo, docs/run-page.png
#
# A relative RUN_DIR or PNG is taken from the checkout's root. The page shows the run's URI, hence a
# default run directory outside the checkout.
#
# Needs /usr/bin/chromium (apt-get install chromium). About a minute on two cores once the jar is built.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
run="${1:-/tmp/spark-wgan-gp/demo}"
png="$(realpath -m "${2:-docs/run-page.png}")"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || { echo "run-page-screenshot.sh: $chromium not found (apt-get install chromium)" >&2; exit 2; }

# 200 generator steps in rounds of 4 with a grid every 20: enough points for the charts, grids
# for the slider and digits that look like digits, in a couple of minutes.
rm -rf "$run"
mkdir -p "$(dirname "$run")"
./submit.sh --master 'local[2]' train --out "$run" --workers 2 --max-critic-iters 1000 \
    --segment-steps 4 --sample-interval 20

# A fresh profile each time, and no background traffic: the page is self-contained.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
    --virtual-time-budget=5000 --window-size=1200,1500 --screenshot="$png" \
    "file://$(cd "$run" && pwd)/index.html"
echo "wrote $png"
