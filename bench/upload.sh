#!/usr/bin/env bash
# Times POST /upload of a generated 10,000-row CSV (3 URLs a row) against a freshly started
# imgpress on the embedded default. Prints every upload's latency and the median of the warm ones.
#
#   ./bench/upload.sh [ROWS] [RUNS]
#
# The URLs point at a closed loopback port with the outbound guard on, so the images the uploads
# create fail fast without any network; what is measured is parsing, validating and storing.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
runs=${2:-6}
source bench/lib.sh
ensure_jar

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" -jar target/imgpress.jar --server.port="$port" \
  --imgpress.data-dir="$work/data" --imgpress.processing.workers=1 >"$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  sleep 0.5
done

python3 - "$rows" >"$work/upload.csv" <<'PY'
import sys
rows = int(sys.argv[1])
print("S. No.,Product Name,Input Image Urls")
for i in range(1, rows + 1):
    urls = ",".join(f"http://127.0.0.1:9/{i}/{n}.jpg" for n in "abc")
    print(f'{i},SKU {i},"{urls}"')
PY
echo "CSV: $rows rows, $(wc -c <"$work/upload.csv") bytes"

times=()
for run in $(seq 1 "$runs"); do
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -F file=@"$work/upload.csv" \
    "http://127.0.0.1:$port/upload")
  echo "upload $run: HTTP ${out% *} in ${out#* } s"
  [ "$run" -gt 1 ] && times+=("${out#* }")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median of warm uploads (2..%d): %.3f s\n", NR+1, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
