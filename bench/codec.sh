#!/usr/bin/env bash
# Codec benchmark: imgpress's engines against sharp, decoding and re-encoding the same in-memory
# JPEGs at quality 50 with 2 images in flight, as JPEG, or as WebP or AVIF with FORMAT=webp|avif
# (matched settings on both sides: see bench/sharp-bench.cjs). Every engine runs as its own process per round, the
# rounds interleaved (each starting at the next engine), and the table shows the median and range.
#
#   ./bench/codec.sh [DIR]        DIR: a folder of images (its JPEGs are used); default: four
#                                 generated 12-20 MP JPEGs in target/bench-images
#   ROUNDS=3 PASSES=2 ENGINES="native native-noopt portable sharp sharp-defaults" ./bench/codec.sh
#   FORMAT=webp ENGINES="native sharp" ./bench/codec.sh   # the portable engine writes JPEG only
#
# Engines: native (libvips, optimised Huffman, 4:2:0), native-noopt (optimize-coding=false),
# portable (ImageIO), sharp (sharp.concurrency(1), 2 in flight: the matched figure),
# sharp-defaults (sharp's own settings, all images of a pass in flight). An engine that cannot run
# here (libvips missing) is reported and left out. Raw results go to target/bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${ROUNDS:-3}
format=${FORMAT:-jpeg}
passes=${PASSES:-2}
read -r -a engines <<<"${ENGINES:-native native-noopt portable sharp sharp-defaults}"

ensure_jar
case " ${engines[*]} " in *" sharp"*) ensure_sharp ;; esac
mapfile -t images < <(bench_images "${1:-}")
[ "${#images[@]}" -gt 0 ] || { echo "no JPEG images found" >&2; exit 1; }
mkdir -p target/bench-results
results=target/bench-results/codec-$(date +%Y%m%d-%H%M%S).txt

run_engine() {
  case $1 in
    sharp) FORMAT=$format node bench/sharp-bench.cjs "$SHARP_DIR" c1 "$QUALITY" "$passes" "${images[@]}" ;;
    sharp-defaults) FORMAT=$format node bench/sharp-bench.cjs "$SHARP_DIR" defaults "$QUALITY" "$passes" "${images[@]}" ;;
    *) codec_bench --engine "$1" --threads "$THREADS" --quality "$QUALITY" --format "$format" --passes "$passes" "${images[@]}" ;;
  esac
}

{
  echo "# codec benchmark $(date -Iseconds): ./bench/codec.sh ${1:-} (ROUNDS=$rounds PASSES=$passes)"
  machine_info
  echo "input: ${#images[@]} JPEGs from ${1:-target/bench-images (generated)}, output $format, quality $QUALITY, $THREADS in flight, 1 warm-up + $passes timed passes per process"
} | tee "$results"

declare -A skip=()
for round in $(seq 1 "$rounds"); do
  n=${#engines[@]}
  for i in $(seq 0 $((n - 1))); do
    engine=${engines[$(((i + round - 1) % n))]}
    [ -n "${skip[$engine]:-}" ] && continue
    before=$(load1)
    line=$(run_engine "$engine" 2>"target/bench-results/last-$engine.err" | grep -E '^(RESULT|UNAVAILABLE) ' || true)
    case $line in
      RESULT*) echo "$line round=$round load_before=$before load_after=$(load1)" | tee -a "$results" ;;
      UNAVAILABLE*) echo "$line" | tee -a "$results"; skip[$engine]=1 ;;
      *) echo "FAILED engine=$engine round=$round (see target/bench-results/last-$engine.err)" | tee -a "$results"; skip[$engine]=1 ;;
    esac
  done
done
echo "uptime at end: $(uptime)" | tee -a "$results"
python3 bench/report.py codec "$results" | tee -a "$results"
echo "raw results: $results"
