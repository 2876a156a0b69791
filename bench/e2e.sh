#!/usr/bin/env bash
# End-to-end benchmark: megapixels per second through the running service on the embedded default
# (H2, local storage), beside the bare codec of the same engine with the same 2 workers.
#
#   ./bench/e2e.sh [DIR]      DIR: a folder of images (its JPEGs are used); default: the generated
#                             12-20 MP JPEGs in target/bench-images
#   ROUNDS=3 ENGINE=auto REPEAT=1 ./bench/e2e.sh
#
# Per round, interleaved: the bare codec (CodecBench, 2 threads, warm-up + timed pass), and a
# fresh `java -jar target/imgpress.jar` (new data dir, --imgpress.processing.workers=2, loopback
# origin allowed) given three uploads, one after the other, of one CSV listing every image, one
# per row, served from a loopback python3 http.server. Each is timed from POST /upload to a final
# /status (polled every 100 ms); the first runs on a cold JVM, the third (after two warm-up
# batches) is what the goal is judged on. The service's and the origin's CPU seconds per upload
# are recorded too.
#
# ENGINE names the bare engine matching the service's choice ("auto": the one the service itself
# picks). REPEAT=n lists every image n times (and gives the bare codec n timed passes), to see
# whether the gap is fixed per batch or per image. SERVICE_JAVA_OPTS and BENCH_JAVA_OPTS add JVM
# options to the service and to the bare codec (e.g. a JFR recording).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${ROUNDS:-3}
engine=${ENGINE:-auto}
repeat=${REPEAT:-1}

ensure_jar
mapfile -t images < <(bench_images "${1:-}")
[ "${#images[@]}" -gt 0 ] || { echo "no JPEG images found" >&2; exit 1; }
mkdir -p target/bench-results
results=target/bench-results/e2e-$(date +%Y%m%d-%H%M%S).txt
work=$(mktemp -d)
app=""
origin=""
# Never stops half-way: under set -e a failing kill or wait (a killed process's status, or an app
# already gone) would end the trap before the origin is stopped and the work folder removed.
cleanup() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  if [ -n "$origin" ]; then kill "$origin" 2>/dev/null || true; wait "$origin" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The origin serves the images' folder; the CSV lists each image in its own row.
origin_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$(dirname "${images[0]}")" "$origin_port" >"$work/origin.log" 2>&1 &
origin=$!
{
  echo "S. No.,Product Name,Input Image Urls"
  i=0
  for _ in $(seq 1 "$repeat"); do
    for image in "${images[@]}"; do
      i=$((i + 1))
      name=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$(basename "$image")")
      echo "$i,SKU $i,http://127.0.0.1:$origin_port/$name"
    done
  done
} >"$work/bench.csv"

{
  echo "# e2e benchmark $(date -Iseconds): ./bench/e2e.sh ${1:-} (ROUNDS=$rounds ENGINE=$engine REPEAT=$repeat)"
  machine_info
  echo "input: ${#images[@]} JPEGs from ${1:-target/bench-images (generated)}, each listed $repeat time(s), quality $QUALITY, $THREADS workers"
} | tee "$results"

bare() {
  local before line
  before=$(load1)
  line=$(codec_bench --engine "$engine" --threads "$THREADS" --quality "$QUALITY" --passes "$repeat" "${images[@]}" 2>"$work/bare.err" | grep '^RESULT ' || true)
  [ -n "$line" ] || { cat "$work/bare.err" >&2; echo "bare codec failed" >&2; exit 1; }
  echo "$line round=$round load_before=$before load_after=$(load1)" | tee -a "$results"
}

service() {
  local port data
  port=$(free_port)
  data="$work/data-$round"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${SERVICE_JAVA_OPTS:-} -jar target/imgpress.jar --server.port="$port" --imgpress.data-dir="$data" \
    --imgpress.fetch.allow-private-networks=true --imgpress.processing.workers="$THREADS" \
    >"$work/app-$round.log" 2>&1 &
  app=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
    sleep 0.25
  done
  for phase in cold warm2 warm3; do
    local before
    before=$(load1)
    echo "$(python3 bench/e2e_upload.py "http://127.0.0.1:$port" "$work/bench.csv" "$phase" "$app" "$origin") round=$round load_before=$before load_after=$(load1)" | tee -a "$results"
  done
  echo "  service codec: $(curl -s "http://127.0.0.1:$port/actuator/info")" | tee -a "$results"
  kill "$app" && wait "$app" 2>/dev/null || true
  app=""
  rm -rf "$data"
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then bare; service; else service; bare; fi
done
echo "uptime at end: $(uptime)" | tee -a "$results"
python3 bench/report.py e2e "$results" | tee -a "$results"
echo "raw results: $results"
